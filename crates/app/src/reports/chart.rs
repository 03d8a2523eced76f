//! Charts rendered by the server as SVG text (plotters' SVG backend, no font files: text is
//! left to the viewer's sans-serif font), to inline in pages and embed in exports.

use super::Figures;
use crate::AppError;
use bekal_domain::status::FollowUpOutcome;
use plotters::prelude::*;

/// A vertical bar chart of labelled counts, `width` x `height` pixels.
pub fn bar_chart_svg(
    title: &str,
    bars: &[(String, u64)],
    width: u32,
    height: u32,
) -> Result<String, AppError> {
    let err = |e: &dyn std::fmt::Display| AppError::Internal(format!("chart: {e}"));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let n = u32::try_from(bars.len().max(1)).unwrap_or(u32::MAX);
        let top = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
        let top = top + top.div_ceil(10);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(44)
            .build_cartesian_2d((0..n).into_segmented(), 0..top)
            .map_err(|e| err(&e))?;
        let label = |v: &SegmentValue<u32>| match v {
            SegmentValue::CenterOf(i) => bars
                .get(*i as usize)
                .map(|b| b.0.clone())
                .unwrap_or_default(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(bars.len().max(1))
            .x_label_formatter(&label)
            .y_desc("jumlah")
            .draw()
            .map_err(|e| err(&e))?;
        chart
            .draw_series(
                Histogram::vertical(&chart)
                    .style(RGBColor(31, 119, 180).filled())
                    .margin(8)
                    .data(
                        bars.iter()
                            .enumerate()
                            .map(|(i, b)| (u32::try_from(i).unwrap_or(u32::MAX), b.1)),
                    ),
            )
            .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    Ok(svg)
}

/// The follow-up outcomes of a summary's figures as a bar chart (one bar per outcome, in the
/// vocabulary's order, zero bars included so charts compare across facilities).
pub fn outcomes_svg(figures: &Figures, title: &str) -> Result<String, AppError> {
    let bars: Vec<(String, u64)> = FollowUpOutcome::ALL
        .iter()
        .map(|o| {
            (
                o.as_str().to_owned(),
                figures.follow_ups.get(o.as_str()).copied().unwrap_or(0),
            )
        })
        .collect();
    bar_chart_svg(title, &bars, 640, 360)
}
