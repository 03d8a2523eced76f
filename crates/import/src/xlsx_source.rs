//! XLSX reading via calamine, after the zip guard: the first sheet (or a named one) becomes raw
//! rows with real row numbers, date cells converted to dates and numbers kept as numbers.
//! Rows are collected in memory; the guard's inflated-size cap and the row cap bound that.

use std::io::Cursor;
use std::panic::AssertUnwindSafe;

use calamine::{DataRef, Reader, Xlsx};

use crate::error::FileError;
use crate::raw::{Cell, RawRow};
use crate::stream::HEADER_SEARCH_ROWS;
use crate::values::date::{excel_serial_to_date, parse_date_text};
use crate::xlsx_guard::{ZipLimits, check_zip};

/// Largest column index kept (cells further right are ignored): XLSX allows 16,384 columns,
/// a sparse far-right cell must not make every row that wide.
const MAX_COLUMNS: u32 = 256;

/// Collected rows with the row cap applied: at most `max_rows` data rows plus the rows a
/// header search may look at.
struct RowSink {
    rows: Vec<RawRow>,
    allowed: u64,
    max_rows: u64,
}

impl RowSink {
    fn push(&mut self, row: RawRow) -> Result<(), FileError> {
        if row.is_blank() {
            return Ok(());
        }
        if self.rows.len() as u64 >= self.allowed {
            return Err(FileError::TooManyRows { cap: self.max_rows });
        }
        self.rows.push(row);
        Ok(())
    }
}

/// Read the sheet named `sheet` (or the first sheet) into raw rows, refusing files over the
/// limits. `max_rows` counts data rows; a few more are allowed for title and header rows.
pub fn read_xlsx(
    bytes: &[u8],
    sheet: Option<&str>,
    limits: ZipLimits,
    max_rows: u64,
) -> Result<Vec<RawRow>, FileError> {
    check_zip(bytes, limits)?;
    // calamine is a large parser of untrusted XML: should it ever panic, report a damaged
    // file instead of taking the caller down.
    let read = std::panic::catch_unwind(AssertUnwindSafe(|| read_sheet(bytes, sheet, max_rows)));
    read.unwrap_or_else(|_| Err(FileError::InvalidXlsx("unreadable workbook".into())))
}

fn read_sheet(bytes: &[u8], sheet: Option<&str>, max_rows: u64) -> Result<Vec<RawRow>, FileError> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| FileError::InvalidXlsx(e.to_string()))?;
    let is_1904 = book.has_1904_epoch();
    let name = match sheet {
        Some(s) => s.to_owned(),
        None => book
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| FileError::SheetNotFound(String::new()))?,
    };
    let mut reader = book.worksheet_cells_reader(&name).map_err(|e| match e {
        calamine::XlsxError::WorksheetNotFound(n) => FileError::SheetNotFound(n),
        other => FileError::InvalidXlsx(other.to_string()),
    })?;
    let mut sink = RowSink {
        rows: Vec::new(),
        allowed: max_rows.saturating_add(HEADER_SEARCH_ROWS as u64 + 1),
        max_rows,
    };
    let mut current: Option<RawRow> = None;
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| FileError::InvalidXlsx(e.to_string()))?
    {
        let (r, c) = cell.get_position();
        if c >= MAX_COLUMNS {
            continue;
        }
        let value = convert(cell.get_value(), is_1904);
        let row_no = u64::from(r) + 1;
        if current.as_ref().is_none_or(|cur| cur.row != row_no) {
            if let Some(done) = current.take() {
                sink.push(done)?;
            }
            current = Some(RawRow {
                row: row_no,
                cells: Vec::new(),
                truncated: false,
            });
        }
        if let Some(cur) = current.as_mut() {
            let idx = c as usize;
            if cur.cells.len() <= idx {
                cur.cells.resize(idx + 1, Cell::Empty);
            }
            cur.cells[idx] = value;
        }
    }
    if let Some(done) = current.take() {
        sink.push(done)?;
    }
    Ok(sink.rows)
}

fn convert(v: &DataRef<'_>, is_1904: bool) -> Cell {
    match v {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            match excel_serial_to_date(dt.as_f64(), is_1904) {
                Some(d) => Cell::Date(d),
                None => Cell::Number(dt.as_f64()),
            }
        }
        DataRef::DateTime(dt) => Cell::Number(dt.as_f64()),
        DataRef::DateTimeIso(s) => match parse_date_text(s) {
            Ok(d) => Cell::Date(d),
            Err(_) => Cell::Text(s.clone()),
        },
        DataRef::DurationIso(s) => Cell::Text(s.clone()),
        DataRef::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}
