//! The monthly report PDF a facility sends upward (A4, Indonesian): a title, the scope and
//! period, tables of label / value lines, and a bar chart drawn as vector paths (no image
//! decoding, no SVG engine). The caller turns its figures into [`ReportDocument`]; this crate
//! knows nothing of the database.

use crate::DocumentError;
use crate::layout::{BOLD, Fonts, H, MARGIN, REGULAR, W, black, date_id, line, text};
use chrono::NaiveDate;
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Rect};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::text::Font;

/// A report to print.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDocument {
    pub title: String,
    /// The scope, e.g. `Lapas Kelas IIA Pekalongan (PKL)`.
    pub scope: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub generated_on: NaiveDate,
    pub tables: Vec<ReportTable>,
    pub chart: Option<BarChart>,
}

/// A heading and its label / value lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTable {
    pub heading: String,
    pub lines: Vec<(String, String)>,
}

/// Labelled counts drawn as vertical bars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarChart {
    pub title: String,
    pub bars: Vec<(String, u64)>,
}

const LINE: f32 = 15.0;
const BOTTOM: f32 = H - MARGIN;

struct Pages<'a> {
    document: &'a mut Document,
    settings: PageSettings,
}

fn fill(r: u8, g: u8, b: u8) -> Fill {
    Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn chart(s: &mut Surface<'_>, f: &Fonts, c: &BarChart, top: f32) {
    text(s, &f.bold, 11.0, MARGIN, top, &c.title);
    let (x0, y0, height) = (MARGIN + 30.0, top + 170.0, 140.0);
    let width = W - 2.0 * MARGIN - 30.0;
    let max = c.bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    line(s, x0, y0, x0 + width, y0);
    line(s, x0, y0, x0, y0 - height);
    text(
        s,
        &f.regular,
        8.0,
        MARGIN,
        y0 - height + 3.0,
        &max.to_string(),
    );
    text(s, &f.regular, 8.0, MARGIN, y0, "0");
    let n = c.bars.len().max(1) as f32;
    let slot = width / n;
    let mut pb = PathBuilder::new();
    for (i, (label, value)) in c.bars.iter().enumerate() {
        let h = height * (*value as f32) / (max as f32);
        let x = x0 + slot * i as f32 + slot * 0.15;
        if let Some(r) = Rect::from_xywh(x, y0 - h, slot * 0.7, h.max(0.1)) {
            pb.push_rect(r);
        }
        text(s, &f.regular, 8.0, x, y0 - h - 4.0, &value.to_string());
        text(s, &f.regular, 7.0, x, y0 + 12.0, label);
    }
    if let Some(path) = pb.finish() {
        s.set_fill(Some(fill(31, 119, 180)));
        s.draw_path(&path);
        s.set_fill(Some(black()));
    }
}

impl Pages<'_> {
    fn page(&mut self, f: &Fonts, r: &ReportDocument, lines: &[Line]) {
        let mut page = self.document.start_page_with(self.settings.clone());
        let mut s = page.surface();
        s.set_fill(Some(black()));
        text(
            &mut s,
            &f.regular,
            8.0,
            MARGIN,
            MARGIN - 20.0,
            &format!(
                "{} · {} · dibuat {}",
                r.title,
                r.scope,
                date_id(r.generated_on)
            ),
        );
        let mut y = MARGIN;
        for l in lines {
            match l {
                Line::Title(t) => {
                    y += 10.0;
                    text(&mut s, &f.bold, 16.0, MARGIN, y, t);
                    y += 10.0;
                }
                Line::Heading(t) => {
                    y += 12.0;
                    text(&mut s, &f.bold, 11.0, MARGIN, y, t);
                    line(&mut s, MARGIN, y + 4.0, W - MARGIN, y + 4.0);
                    y += 4.0;
                }
                Line::Pair(a, b) => {
                    y += LINE;
                    text(&mut s, &f.regular, 9.5, MARGIN + 6.0, y, a);
                    text(&mut s, &f.regular, 9.5, W - MARGIN - 130.0, y, b);
                }
                Line::Text(t) => {
                    y += LINE;
                    text(&mut s, &f.regular, 9.5, MARGIN, y, t);
                }
                Line::Chart(c) => {
                    chart(&mut s, f, c, y + 24.0);
                    y += 210.0;
                }
            }
        }
        s.finish();
        page.finish();
    }
}

enum Line {
    Title(String),
    Heading(String),
    Pair(String, String),
    Text(String),
    Chart(BarChart),
}

impl Line {
    fn height(&self) -> f32 {
        match self {
            Line::Title(_) => 20.0,
            Line::Heading(_) => 16.0,
            Line::Pair(..) | Line::Text(_) => LINE,
            Line::Chart(_) => 210.0,
        }
    }
}

/// The report as a PDF, as many pages as the lines need.
pub fn report_pdf(r: &ReportDocument) -> Result<Vec<u8>, DocumentError> {
    let fonts = Fonts {
        regular: Font::new(REGULAR.into(), 0)
            .ok_or_else(|| DocumentError::Font("DejaVuSans".into()))?,
        bold: Font::new(BOLD.into(), 0)
            .ok_or_else(|| DocumentError::Font("DejaVuSans-Bold".into()))?,
    };
    let settings =
        PageSettings::from_wh(W, H).ok_or_else(|| DocumentError::Pdf("page size".into()))?;
    let mut lines = vec![
        Line::Title(r.title.clone()),
        Line::Text(r.scope.clone()),
        Line::Text(format!(
            "Periode {} s.d. {}",
            date_id(r.from),
            date_id(r.to)
        )),
    ];
    for t in &r.tables {
        lines.push(Line::Heading(t.heading.clone()));
        lines.extend(
            t.lines
                .iter()
                .map(|(a, b)| Line::Pair(a.clone(), b.clone())),
        );
    }
    if let Some(c) = &r.chart {
        lines.push(Line::Chart(c.clone()));
    }
    let mut document = Document::new();
    let mut pages = Pages {
        document: &mut document,
        settings,
    };
    let mut start = 0;
    let mut y = MARGIN;
    for (i, l) in lines.iter().enumerate() {
        if y + l.height() > BOTTOM && i > start {
            pages.page(&fonts, r, &lines[start..i]);
            start = i;
            y = MARGIN;
        }
        y += l.height();
    }
    pages.page(&fonts, r, &lines[start..]);
    document
        .finish()
        .map_err(|e| DocumentError::Pdf(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
    }

    #[test]
    fn a_long_report_spans_pages_and_is_a_pdf() {
        let table = ReportTable {
            heading: "Peserta".into(),
            lines: (0..80)
                .map(|i| (format!("baris {i}"), i.to_string()))
                .collect(),
        };
        let doc = ReportDocument {
            title: "Laporan Bulanan".into(),
            scope: "Lapas PKL".into(),
            from: day(1),
            to: day(30),
            generated_on: day(30),
            tables: vec![table],
            chart: Some(BarChart {
                title: "Hasil".into(),
                bars: vec![("employed".into(), 3), ("unemployed".into(), 1)],
            }),
        };
        let pdf = report_pdf(&doc).unwrap_or_default();
        assert!(pdf.starts_with(b"%PDF"));
        let text = String::from_utf8_lossy(&pdf);
        // 80 lines, a table heading and a chart do not fit on one A4 page.
        assert!(
            text.contains("/Count 3") || text.contains("/Count 2"),
            "pages"
        );
        let short = ReportDocument {
            tables: Vec::new(),
            chart: None,
            ..doc
        };
        let one = String::from_utf8_lossy(&report_pdf(&short).unwrap_or_default()).into_owned();
        assert!(one.contains("/Count 1"), "one page");
    }
}
