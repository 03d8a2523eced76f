//! The synthetic data set as Excel workbooks too (`bekal bench gen --xlsx`): each
//! `inmates/<CODE>.csv` gets an `inmates/<CODE>.xlsx` beside it with the same header and
//! rows, as an officer's spreadsheet has them: dates as real date cells (dd/mm/yyyy), the
//! remission as a number, everything else as text. Both go through the same import.

use crate::synthetic::GenerateError;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::{Path, PathBuf};

/// Columns of [`crate::synthetic::INMATE_HEADER`] that hold dates, and the remission.
const DATE_COLUMNS: [usize; 3] = [2, 8, 9];
const NUMBER_COLUMN: usize = 10;

fn failed(path: &Path, what: impl std::fmt::Display) -> GenerateError {
    GenerateError::Io {
        path: path.display().to_string(),
        source: std::io::Error::other(what.to_string()),
    }
}

fn excel_date(text: &str) -> Option<ExcelDateTime> {
    let d = NaiveDate::parse_from_str(text, "%d/%m/%Y").ok()?;
    let year = u16::try_from(d.year()).ok()?;
    let month = u8::try_from(d.month()).ok()?;
    let day = u8::try_from(d.day()).ok()?;
    ExcelDateTime::from_ymd(year, month, day).ok()
}

/// Writes the workbook of one facility's CSV file.
fn workbook_of(csv_path: &Path, xlsx_path: &Path) -> Result<(), GenerateError> {
    let text = std::fs::read_to_string(csv_path).map_err(|e| failed(csv_path, e))?;
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let sheet = book.add_worksheet();
    sheet.set_name("WBP").map_err(|e| failed(xlsx_path, e))?;
    for (r, line) in text.lines().enumerate() {
        let row = u32::try_from(r).map_err(|e| failed(xlsx_path, e))?;
        for (c, value) in line.split(';').enumerate() {
            let col = u16::try_from(c).map_err(|e| failed(xlsx_path, e))?;
            let written = if r > 0 && DATE_COLUMNS.contains(&c) {
                match excel_date(value) {
                    Some(d) => sheet.write_datetime_with_format(row, col, &d, &date),
                    None => sheet.write_string(row, col, value),
                }
            } else if r > 0 && c == NUMBER_COLUMN {
                match value.parse::<f64>() {
                    Ok(n) => sheet.write_number(row, col, n),
                    Err(_) => sheet.write_string(row, col, value),
                }
            } else {
                sheet.write_string(row, col, value)
            };
            written.map_err(|e| failed(xlsx_path, e))?;
        }
    }
    book.save(xlsx_path).map_err(|e| failed(xlsx_path, e))
}

/// An `.xlsx` beside every `inmates/<CODE>.csv` under `out`; the files written, sorted.
pub fn write_xlsx_copies(out: &Path) -> Result<Vec<PathBuf>, GenerateError> {
    let dir = out.join("inmates");
    let mut csvs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| failed(&dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    csvs.sort();
    let mut written = Vec::with_capacity(csvs.len());
    for csv in csvs {
        let xlsx = csv.with_extension("xlsx");
        workbook_of(&csv, &xlsx)?;
        written.push(xlsx);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::{Scale, generate};
    use bekal_import::{FileKind, ImportOptions, read_all};

    #[test]
    fn the_workbooks_import_to_the_same_records_as_the_csv_files() {
        let Ok(dir) = tempfile::tempdir() else {
            panic!("no temporary directory")
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default();
        let generated = generate(Scale::Smoke, 7, today, dir.path());
        assert!(generated.is_ok(), "{generated:?}");
        let written = write_xlsx_copies(dir.path()).unwrap_or_default();
        assert!(!written.is_empty());
        let options = ImportOptions::new(today);
        for xlsx in &written {
            let csv = xlsx.with_extension("csv");
            let read = |path: &Path| {
                let bytes = std::fs::read(path).unwrap_or_default();
                let name = path.to_string_lossy().into_owned();
                let kind = FileKind::detect(&name, &bytes);
                assert!(kind.is_ok(), "{name}: {kind:?}");
                read_all(&bytes, kind.unwrap_or(FileKind::Csv), &options)
            };
            let (from_csv, from_xlsx) = (read(&csv), read(xlsx));
            let (Ok(from_csv), Ok(from_xlsx)) = (from_csv, from_xlsx) else {
                panic!("{}: a file did not import", xlsx.display())
            };
            assert!(from_csv.rejected.is_empty() && from_xlsx.rejected.is_empty());
            assert_eq!(from_xlsx.valid.len(), from_csv.valid.len());
            assert_eq!(from_xlsx.valid, from_csv.valid, "{}", xlsx.display());
        }
    }
}
