//! Error report: the rejected rows written back out, original columns first, then
//! `error_column` and `error_reason`, as CSV or XLSX, so an officer can fix them and re-import
//! the same file (the two extra columns are ignored on import). CSV cells that a spreadsheet
//! would run as formulas (`=`, `+`, `-`, `@` first) get a leading `'`, removed again on import.

use rust_xlsxwriter::{Color, ExcelDateTime, Format, Workbook};

use crate::raw::Cell;
use crate::stream::RejectedRow;
use crate::values::escape_formula;

/// Header of the column naming the faulty columns.
pub const ERROR_COLUMN: &str = "error_column";
/// Header of the column explaining the errors.
pub const ERROR_REASON: &str = "error_reason";
/// Separator between several errors of one row.
const JOIN: &str = " | ";
/// Excel's limit on characters in a cell.
const XLSX_MAX_CELL: usize = 32_000;

/// Writing a report failed.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// CSV writer failed.
    #[error("CSV report: {0}")]
    Csv(String),
    /// XLSX writer failed (including more rows or columns than a sheet holds).
    #[error("XLSX report: {0}")]
    Xlsx(String),
}

fn error_columns(r: &RejectedRow) -> String {
    let mut cols: Vec<&str> = Vec::new();
    for e in &r.errors {
        if !cols.contains(&e.column.as_str()) {
            cols.push(&e.column);
        }
    }
    cols.join(JOIN)
}

fn error_reasons(r: &RejectedRow) -> String {
    r.errors
        .iter()
        .map(|e| e.reason_text())
        .collect::<Vec<_>>()
        .join(JOIN)
}

/// Write the report as UTF-8 CSV (with a BOM so Excel shows names correctly).
pub fn error_report_csv(
    headers: &[String],
    rejected: &[RejectedRow],
    delimiter: u8,
) -> Result<Vec<u8>, ReportError> {
    let width = headers.len();
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_writer(vec![0xEF, 0xBB, 0xBF]);
    let err = |e: csv::Error| ReportError::Csv(e.to_string());
    let mut head: Vec<&str> = headers.iter().map(String::as_str).collect();
    head.push(ERROR_COLUMN);
    head.push(ERROR_REASON);
    w.write_record(&head).map_err(err)?;
    for r in rejected {
        let mut line: Vec<String> = (0..width.max(r.cells.len()))
            .map(|i| {
                r.cells
                    .get(i)
                    .map(|c| escape_formula(&c.text()).into_owned())
                    .unwrap_or_default()
            })
            .collect();
        line.truncate(width.max(1));
        line.resize(width, String::new());
        line.push(error_columns(r));
        line.push(error_reasons(r));
        w.write_record(&line).map_err(err)?;
    }
    w.into_inner().map_err(|e| ReportError::Csv(e.to_string()))
}

fn clip(s: &str) -> String {
    s.chars().take(XLSX_MAX_CELL).collect()
}

/// Write the report as an XLSX workbook; faulty cells are highlighted.
pub fn error_report_xlsx(
    headers: &[String],
    rejected: &[RejectedRow],
) -> Result<Vec<u8>, ReportError> {
    let err = |e: rust_xlsxwriter::XlsxError| ReportError::Xlsx(e.to_string());
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let bad = Format::new().set_background_color(Color::RGB(0xFFC7CE));
    let bad_date = Format::new()
        .set_num_format("dd/mm/yyyy")
        .set_background_color(Color::RGB(0xFFC7CE));
    let sheet = book.add_worksheet();
    sheet.set_name("Kesalahan").map_err(err)?;
    let width = u16::try_from(headers.len() + 2)
        .map_err(|_| ReportError::Xlsx("too many columns".into()))?;
    let data_cols = width - 2;
    for (i, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, i as u16, clip(h), &bold)
            .map_err(err)?;
    }
    sheet
        .write_string_with_format(0, data_cols, ERROR_COLUMN, &bold)
        .map_err(err)?;
    sheet
        .write_string_with_format(0, data_cols + 1, ERROR_REASON, &bold)
        .map_err(err)?;
    for (n, r) in rejected.iter().enumerate() {
        let row = u32::try_from(n + 1).map_err(|_| ReportError::Xlsx("too many rows".into()))?;
        for (i, cell) in r.cells.iter().enumerate().take(usize::from(data_cols)) {
            let col = i as u16;
            let is_bad = headers.get(i).is_some_and(|h| {
                r.errors
                    .iter()
                    .any(|e| !e.column.is_empty() && e.column == *h)
            });
            let (fmt_text, fmt_date) = if is_bad {
                (Some(&bad), &bad_date)
            } else {
                (None, &date)
            };
            match cell {
                Cell::Empty => {
                    if let Some(f) = fmt_text {
                        sheet.write_blank(row, col, f).map_err(err)?;
                    }
                }
                Cell::Number(v) => {
                    match fmt_text {
                        Some(f) => sheet.write_number_with_format(row, col, *v, f),
                        None => sheet.write_number(row, col, *v),
                    }
                    .map_err(err)?;
                }
                Cell::Date(d) => {
                    let text = d.format("%d/%m/%Y").to_string();
                    match excel_date(*d) {
                        Some(x) => sheet.write_datetime_with_format(row, col, x, fmt_date),
                        None => sheet.write_string(row, col, text),
                    }
                    .map_err(err)?;
                }
                other => {
                    let text = clip(&other.text());
                    match fmt_text {
                        Some(f) => sheet.write_string_with_format(row, col, text, f),
                        None => sheet.write_string(row, col, text),
                    }
                    .map_err(err)?;
                }
            }
        }
        sheet
            .write_string(row, data_cols, clip(&error_columns(r)))
            .map_err(err)?;
        sheet
            .write_string(row, data_cols + 1, clip(&error_reasons(r)))
            .map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

fn excel_date(d: chrono::NaiveDate) -> Option<ExcelDateTime> {
    use chrono::Datelike;
    let y = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(y, d.month() as u8, d.day() as u8).ok()
}
