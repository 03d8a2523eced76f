//! XLSX reading via calamine, after the zip guard: the first sheet (or a named one) becomes raw
//! rows with real row numbers, date cells converted to dates and numbers kept as numbers.
//!
//! Streaming: calamine's cell reader borrows the workbook, so it runs on a worker thread that
//! owns its copy of the bytes and hands finished rows over a bounded channel. Memory is the
//! file, calamine's shared strings (bounded by the inflated-size cap) and a few hundred rows.
//! Dropping the iterator stops the worker at its next row.

use std::io::Cursor;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{DataRef, Reader, Xlsx, XlsxCellReader};

use crate::error::FileError;
use crate::headers::{ColumnMapping, Field, HeaderMap};
use crate::raw::{Cell, RawRow};
use crate::stream::HEADER_SEARCH_ROWS;
use crate::values::date::{excel_serial_to_date, parse_date_text};
use crate::xlsx_guard::{ZipLimits, check_zip};

/// Largest column index kept (cells further right are ignored): XLSX allows 16,384 columns,
/// a sparse far-right cell must not make every row that wide.
const MAX_COLUMNS: u32 = 256;
/// Rows buffered between the worker and the consumer.
const CHANNEL_ROWS: usize = 256;

/// Streaming XLSX row source (see the module docs).
#[derive(Debug)]
pub struct XlsxRows {
    rx: Receiver<Result<RawRow, FileError>>,
    done: bool,
}

impl XlsxRows {
    /// Check `bytes` with the zip guard (synchronously: refusals come back here), then start
    /// reading `sheet` (or, without a name, the first sheet whose header row names the
    /// required fields under `mapping` and the built-in names; else the first sheet). `max_rows` counts data rows; a few more are
    /// allowed for title and header rows. Workbook-level problems (sheet missing, damaged XML)
    /// arrive as the first item.
    pub fn start(
        bytes: Vec<u8>,
        sheet: Option<String>,
        mapping: Option<ColumnMapping>,
        limits: ZipLimits,
        max_rows: u64,
    ) -> Result<XlsxRows, FileError> {
        check_zip(&bytes, limits)?;
        let (tx, rx) = sync_channel(CHANNEL_ROWS);
        std::thread::Builder::new()
            .name("bekal-import-xlsx".into())
            .spawn(move || {
                let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    read_sheet(&bytes, sheet.as_deref(), mapping.as_ref(), max_rows, &tx)
                }));
                // calamine is a large parser of untrusted XML: should it ever panic, report a
                // damaged file instead of taking the caller down.
                let outcome = result
                    .unwrap_or_else(|_| Err(FileError::InvalidXlsx("unreadable workbook".into())));
                if let Err(e) = outcome {
                    let _ = tx.send(Err(e));
                }
            })
            .map_err(|e| FileError::InvalidXlsx(format!("cannot start reader: {e}")))?;
        Ok(XlsxRows { rx, done: false })
    }
}

impl Iterator for XlsxRows {
    type Item = Result<RawRow, FileError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.rx.recv() {
            Ok(item) => {
                self.done = item.is_err();
                Some(item)
            }
            Err(_) => {
                self.done = true;
                None
            }
        }
    }
}

/// Read every row into memory (convenience over [`XlsxRows`], built-in header names only).
pub fn read_xlsx(
    bytes: &[u8],
    sheet: Option<&str>,
    limits: ZipLimits,
    max_rows: u64,
) -> Result<Vec<RawRow>, FileError> {
    XlsxRows::start(
        bytes.to_vec(),
        sheet.map(str::to_owned),
        None,
        limits,
        max_rows,
    )?
    .collect()
}

/// Why sending stopped: the consumer went away (quietly), or a file-level error.
enum SendStop {
    Gone,
    Failed(FileError),
}

impl From<FileError> for SendStop {
    fn from(e: FileError) -> Self {
        SendStop::Failed(e)
    }
}

/// Sends non-blank rows, applying the row cap.
struct RowSender<'a> {
    tx: &'a SyncSender<Result<RawRow, FileError>>,
    sent: u64,
    allowed: u64,
    max_rows: u64,
}

impl RowSender<'_> {
    fn push(&mut self, row: RawRow) -> Result<(), SendStop> {
        if row.is_blank() {
            return Ok(());
        }
        if self.sent >= self.allowed {
            return Err(SendStop::Failed(FileError::TooManyRows {
                cap: self.max_rows,
            }));
        }
        self.sent += 1;
        self.tx.send(Ok(row)).map_err(|_| SendStop::Gone)
    }
}

/// Builds rows from cells that arrive in row order.
struct RowAssembler {
    current: Option<RawRow>,
    is_1904: bool,
    /// The reader reported the end; calling it again is an error in calamine.
    ended: bool,
}

impl RowAssembler {
    fn new(is_1904: bool) -> Self {
        Self {
            current: None,
            is_1904,
            ended: false,
        }
    }

    /// The next row of the sheet (blank rows included), `None` at the end.
    fn next_row<RS: std::io::Read + std::io::Seek>(
        &mut self,
        reader: &mut XlsxCellReader<'_, RS>,
    ) -> Result<Option<RawRow>, FileError> {
        if self.ended {
            return Ok(None);
        }
        while let Some(cell) = reader
            .next_cell()
            .map_err(|e| FileError::InvalidXlsx(e.to_string()))?
        {
            let (r, c) = cell.get_position();
            if c >= MAX_COLUMNS {
                continue;
            }
            let value = convert(cell.get_value(), self.is_1904);
            let row_no = u64::from(r) + 1;
            let mut finished = None;
            if self.current.as_ref().is_none_or(|cur| cur.row != row_no) {
                finished = self.current.take();
                self.current = Some(RawRow {
                    row: row_no,
                    cells: Vec::new(),
                    truncated: false,
                });
            }
            if let Some(cur) = self.current.as_mut() {
                let idx = c as usize;
                if cur.cells.len() <= idx {
                    cur.cells.resize(idx + 1, Cell::Empty);
                }
                cur.cells[idx] = value;
            }
            if finished.is_some() {
                return Ok(finished);
            }
        }
        self.ended = true;
        Ok(self.current.take())
    }
}

fn open_sheet<'b, RS: std::io::Read + std::io::Seek>(
    book: &'b mut Xlsx<RS>,
    name: &str,
) -> Result<XlsxCellReader<'b, RS>, FileError> {
    book.worksheet_cells_reader(name).map_err(|e| match e {
        calamine::XlsxError::WorksheetNotFound(n) => FileError::SheetNotFound(n),
        other => FileError::InvalidXlsx(other.to_string()),
    })
}

fn stream_rest<RS: std::io::Read + std::io::Seek>(
    reader: &mut XlsxCellReader<'_, RS>,
    rows: &mut RowAssembler,
    out: &mut RowSender<'_>,
) -> Result<(), SendStop> {
    while let Some(row) = rows.next_row(reader)? {
        out.push(row)?;
    }
    Ok(())
}

/// Read the named sheet; without a name, the first sheet whose first rows hold a header
/// naming every required field (a cover or summary sheet in front is common), else the first.
fn read_sheet(
    bytes: &[u8],
    sheet: Option<&str>,
    mapping: Option<&ColumnMapping>,
    max_rows: u64,
    tx: &SyncSender<Result<RawRow, FileError>>,
) -> Result<(), FileError> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| FileError::InvalidXlsx(e.to_string()))?;
    let is_1904 = book.has_1904_epoch();
    let names: Vec<String> = match sheet {
        Some(s) => vec![s.to_owned()],
        None => book.sheet_names(),
    };
    let first = names
        .first()
        .cloned()
        .ok_or_else(|| FileError::SheetNotFound(String::new()))?;
    let mut out = RowSender {
        tx,
        sent: 0,
        allowed: max_rows.saturating_add(HEADER_SEARCH_ROWS as u64 + 1),
        max_rows,
    };
    let result = (|| {
        if names.len() > 1 {
            for name in &names {
                let Ok(mut reader) = open_sheet(&mut book, name) else {
                    continue;
                };
                let mut rows = RowAssembler::new(is_1904);
                let mut looked: Vec<RawRow> = Vec::new();
                let mut found = false;
                while looked.len() < HEADER_SEARCH_ROWS {
                    let Some(row) = rows.next_row(&mut reader)? else {
                        break;
                    };
                    if row.is_blank() {
                        continue;
                    }
                    found = HeaderMap::required_hits(&row, mapping) == Field::REQUIRED.len();
                    looked.push(row);
                    if found {
                        break;
                    }
                }
                if found {
                    for row in looked {
                        out.push(row)?;
                    }
                    return stream_rest(&mut reader, &mut rows, &mut out);
                }
            }
        }
        let mut reader = open_sheet(&mut book, &first)?;
        stream_rest(&mut reader, &mut RowAssembler::new(is_1904), &mut out)
    })();
    match result {
        Ok(()) | Err(SendStop::Gone) => Ok(()),
        Err(SendStop::Failed(e)) => Err(e),
    }
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
