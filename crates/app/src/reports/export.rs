//! A summary as a table: one line per facility and a last line of totals, in CSV (UTF-8, no
//! BOM) or XLSX (sheet `ringkasan` with the same lines, sheet `unit` with the pass counts per
//! competency unit). Column names are stable English codes, for spreadsheets and scripts.

use super::{Figures, LEAVING_STATES, Summary};
use crate::AppError;
use bekal_domain::status::FollowUpOutcome;
use rust_xlsxwriter::{Format, Workbook};

/// The column names of the table, in order.
pub fn headers() -> Vec<String> {
    let mut h: Vec<String> = [
        "facility_code",
        "facility_name",
        "assessed",
        "selected",
        "enrolled",
        "completed",
        "certified",
        "hours_attended",
        "hours_possible",
        "attendance_share",
        "unit_competent",
        "unit_not_yet_competent",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    h.extend(LEAVING_STATES.iter().map(|s| format!("left_{s}")));
    h.extend(
        FollowUpOutcome::ALL
            .iter()
            .map(|o| format!("follow_up_{}", o.as_str())),
    );
    h.push("follow_up_in_trade".into());
    for group in ["trained", "untrained"] {
        for what in ["released", "followed_up", "employed", "reoffended"] {
            h.push(format!("{group}_{what}"));
        }
    }
    h
}

enum Cell {
    Text(String),
    Number(u64),
    Share(Option<f64>),
}

fn cells(code: &str, name: &str, f: &Figures) -> Vec<Cell> {
    let units_k = f.units.values().map(|u| u.competent).sum();
    let units_bk = f.units.values().map(|u| u.not_yet_competent).sum();
    let mut c = vec![
        Cell::Text(code.to_owned()),
        Cell::Text(name.to_owned()),
        Cell::Number(f.assessed),
        Cell::Number(f.selected),
        Cell::Number(f.enrolled),
        Cell::Number(f.completed),
        Cell::Number(f.certified),
        Cell::Number(f.hours_attended),
        Cell::Number(f.hours_possible),
        Cell::Share(f.attendance_share),
        Cell::Number(units_k),
        Cell::Number(units_bk),
    ];
    for state in LEAVING_STATES {
        c.push(Cell::Number(f.leaving.get(state).copied().unwrap_or(0)));
    }
    for outcome in FollowUpOutcome::ALL {
        c.push(Cell::Number(
            f.follow_ups.get(outcome.as_str()).copied().unwrap_or(0),
        ));
    }
    c.push(Cell::Number(f.follow_ups_in_trade));
    for g in [&f.trained, &f.untrained] {
        c.extend(
            [g.released, g.followed_up, g.employed, g.reoffended]
                .into_iter()
                .map(Cell::Number),
        );
    }
    c
}

fn lines(summary: &Summary) -> Vec<Vec<Cell>> {
    let mut out: Vec<Vec<Cell>> = summary
        .facilities
        .iter()
        .map(|r| cells(&r.code, &r.name, &r.figures))
        .collect();
    out.push(cells("TOTAL", &summary.scope.name, &summary.totals));
    out
}

fn as_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => guard(t),
        Cell::Number(n) => n.to_string(),
        Cell::Share(s) => s.map(|v| format!("{v:.4}")).unwrap_or_default(),
    }
}

/// A leading `'` before `=`, `+`, `-`, `@` (formula-injection guard for names).
pub(crate) fn guard(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The summary as CSV.
pub fn csv(summary: &Summary) -> Result<Vec<u8>, AppError> {
    let err = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers()).map_err(err)?;
    for line in lines(summary) {
        w.write_record(line.iter().map(as_text)).map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(format!("csv: {e}")))
}

/// The summary as an XLSX workbook.
pub fn xlsx(summary: &Summary) -> Result<Vec<u8>, AppError> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Internal(format!("xlsx: {e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let percent = Format::new().set_num_format("0.0%");
    let sheet = book.add_worksheet();
    sheet.set_name("ringkasan").map_err(err)?;
    for (col, header) in headers().iter().enumerate() {
        let col = u16::try_from(col).map_err(|_| AppError::Internal("too many columns".into()))?;
        sheet
            .write_string_with_format(0, col, header, &bold)
            .map_err(err)?;
    }
    for (row, line) in lines(summary).iter().enumerate() {
        let row = u32::try_from(row + 1).map_err(|_| AppError::Internal("too many rows".into()))?;
        for (col, cell) in line.iter().enumerate() {
            let col =
                u16::try_from(col).map_err(|_| AppError::Internal("too many columns".into()))?;
            match cell {
                Cell::Text(t) => sheet.write_string(row, col, t).map(|_| ()),
                Cell::Number(n) => sheet.write_number(row, col, *n as f64).map(|_| ()),
                Cell::Share(Some(s)) => sheet
                    .write_number_with_format(row, col, *s, &percent)
                    .map(|_| ()),
                Cell::Share(None) => Ok(()),
            }
            .map_err(err)?;
        }
    }
    let units = book.add_worksheet();
    units.set_name("unit").map_err(err)?;
    for (col, header) in ["unit_code", "competent", "not_yet_competent"]
        .iter()
        .enumerate()
    {
        units
            .write_string_with_format(0, col as u16, *header, &bold)
            .map_err(err)?;
    }
    for (row, (code, count)) in summary.totals.units.iter().enumerate() {
        let row = u32::try_from(row + 1).map_err(|_| AppError::Internal("too many rows".into()))?;
        units.write_string(row, 0, code).map_err(err)?;
        units
            .write_number(row, 1, count.competent as f64)
            .map_err(err)?;
        units
            .write_number(row, 2, count.not_yet_competent as f64)
            .map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}
