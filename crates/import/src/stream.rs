//! The import entry point: options, file kind detection, header-row discovery and the
//! [`InmateStream`] iterator that yields validated rows or rejected rows one at a time.

use std::collections::{HashMap, VecDeque};

use chrono::NaiveDate;

use crate::csv_source::CsvRows;
use crate::error::{ErrorCode, FileError, ImportWarning, RowError};
use crate::headers::{ColumnMapping, Field, HeaderMap};
use crate::raw::{Cell, RawRow};
use crate::record::InmateRecord;
use crate::validate::{row_warnings, validate_row};
use crate::xlsx_guard::ZipLimits;
use crate::xlsx_source::XlsxRows;

/// How many leading non-blank rows are searched for the header row (title lines above it
/// are common in SDP printouts saved as spreadsheets).
pub const HEADER_SEARCH_ROWS: usize = 20;

/// Options for one import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The import date: dates of birth after it are rejected. No clock is read inside.
    pub today: NaiveDate,
    /// A saved header mapping, checked before the built-in header names.
    pub mapping: Option<ColumnMapping>,
    /// Most data rows accepted (header excluded).
    pub max_rows: u64,
    /// Most bytes an XLSX may inflate to (all zip entries together).
    pub max_inflated_bytes: u64,
    /// Most entries in an XLSX zip.
    pub max_zip_entries: usize,
    /// XLSX sheet to read; the first sheet when `None`.
    pub sheet: Option<String>,
    /// CSV separator chosen by the user; sniffed from the file when `None`.
    pub csv_delimiter: Option<u8>,
}

impl ImportOptions {
    /// Defaults: 500,000 rows, 64 MiB inflated, 1,000 zip entries, first sheet, no mapping,
    /// sniffed CSV separator.
    pub fn new(today: NaiveDate) -> Self {
        Self {
            today,
            mapping: None,
            max_rows: 500_000,
            max_inflated_bytes: 64 * 1024 * 1024,
            max_zip_entries: 1_000,
            sheet: None,
            csv_delimiter: None,
        }
    }
}

/// Kind of input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Comma/semicolon/tab separated text.
    Csv,
    /// Office Open XML workbook.
    Xlsx,
}

impl FileKind {
    /// Tell the kind from the content, then the file name. A zip signature means XLSX; an old
    /// binary `.xls` (OLE signature) or an HTML page saved as `.xls` is refused; text saved
    /// under an `.xls` name (common in exports) is read as CSV/TSV; an `.xlsx` name without a
    /// zip signature is treated as XLSX so the reader reports it as damaged.
    pub fn detect(file_name: &str, bytes: &[u8]) -> Result<FileKind, FileError> {
        if bytes.starts_with(b"PK\x03\x04") {
            return Ok(FileKind::Xlsx);
        }
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Err(FileError::UnknownKind);
        }
        let start = String::from_utf8_lossy(&bytes[..bytes.len().min(64)]).to_lowercase();
        if start
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('<')
        {
            return Err(FileError::UnknownKind);
        }
        if file_name.to_lowercase().ends_with(".xlsx") {
            return Ok(FileKind::Xlsx);
        }
        Ok(FileKind::Csv)
    }
}

/// A row that passed validation.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidRow {
    /// Row number as the user sees it.
    pub row: u64,
    /// The validated record.
    pub record: InmateRecord,
    /// Things worth a look that do not reject the row (e.g. `register_class_mismatch`).
    pub warnings: Vec<RowError>,
}

/// A row that failed validation, with its original cells for the error report.
#[derive(Debug, Clone, PartialEq)]
pub struct RejectedRow {
    /// Row number as the user sees it.
    pub row: u64,
    /// The original cells, as read.
    pub cells: Vec<Cell>,
    /// Everything wrong with the row (never empty).
    pub errors: Vec<RowError>,
}

/// Counts kept while streaming.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// Rows accepted.
    pub valid: u64,
    /// Rows rejected.
    pub rejected: u64,
}

/// Streaming import: iterate to get each data row as `Ok(ValidRow)` or `Err(RejectedRow)`.
/// If the file turns out to be over a limit mid-way, iteration stops and [`Self::aborted`]
/// says why; check it (or use [`read_all`]) before trusting a partial result.
pub struct InmateStream<'a> {
    source: Box<dyn Iterator<Item = Result<RawRow, FileError>> + Send + 'a>,
    pending: VecDeque<RawRow>,
    header: HeaderMap,
    warnings: Vec<ImportWarning>,
    seen: HashMap<String, u64>,
    today: NaiveDate,
    max_rows: u64,
    counts: ImportCounts,
    aborted: Option<FileError>,
}

impl std::fmt::Debug for InmateStream<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InmateStream")
            .field("header", &self.header)
            .field("counts", &self.counts)
            .field("aborted", &self.aborted)
            .finish_non_exhaustive()
    }
}

/// Open `bytes` as an inmate file. Fails only on file-level problems (unreadable file,
/// required column missing, XLSX over the limits); row problems come out of the iterator.
pub fn read_inmates<'a>(
    bytes: &'a [u8],
    kind: FileKind,
    opts: &ImportOptions,
) -> Result<InmateStream<'a>, FileError> {
    let source: Box<dyn Iterator<Item = Result<RawRow, FileError>> + Send + 'a> = match kind {
        FileKind::Csv => Box::new(match opts.csv_delimiter {
            Some(d) => CsvRows::with_delimiter(bytes, d),
            None => CsvRows::new(bytes),
        }),
        FileKind::Xlsx => Box::new(xlsx_rows(bytes.to_vec(), opts)?),
    };
    InmateStream::start(source, opts)
}

/// [`read_inmates`] for owned bytes: the stream borrows nothing, so it can be moved to another
/// thread or task (e.g. `spawn_blocking`).
pub fn read_inmates_owned(
    bytes: Vec<u8>,
    kind: FileKind,
    opts: &ImportOptions,
) -> Result<InmateStream<'static>, FileError> {
    let source: Box<dyn Iterator<Item = Result<RawRow, FileError>> + Send + 'static> = match kind {
        FileKind::Csv => Box::new(match opts.csv_delimiter {
            Some(d) => CsvRows::from_vec_with_delimiter(bytes, d),
            None => CsvRows::from_vec(bytes),
        }),
        FileKind::Xlsx => Box::new(xlsx_rows(bytes, opts)?),
    };
    InmateStream::start(source, opts)
}

fn xlsx_rows(bytes: Vec<u8>, opts: &ImportOptions) -> Result<XlsxRows, FileError> {
    let limits = ZipLimits {
        max_inflated_bytes: opts.max_inflated_bytes,
        max_entries: opts.max_zip_entries,
    };
    XlsxRows::start(
        bytes,
        opts.sheet.clone(),
        opts.mapping.clone(),
        limits,
        opts.max_rows,
    )
}

impl<'a> InmateStream<'a> {
    fn start(
        mut source: Box<dyn Iterator<Item = Result<RawRow, FileError>> + Send + 'a>,
        opts: &ImportOptions,
    ) -> Result<Self, FileError> {
        let mapping = opts.mapping.as_ref();
        let mut looked: Vec<RawRow> = Vec::new();
        let mut header_at: Option<usize> = None;
        while looked.len() < HEADER_SEARCH_ROWS {
            let Some(row) = source.next().transpose()? else {
                break;
            };
            let hits = HeaderMap::required_hits(&row, mapping);
            looked.push(row);
            if hits == Field::REQUIRED.len() {
                header_at = Some(looked.len() - 1);
                break;
            }
        }
        if looked.is_empty() {
            return Err(FileError::Empty);
        }
        // Without a row naming every required field, the first row is the header and the
        // missing columns are reported from it.
        let at = header_at.unwrap_or(0);
        let mut rest = looked.split_off(at);
        let mut pending: VecDeque<RawRow> = rest.drain(1..).collect();
        let header_row = rest.pop().ok_or(FileError::Empty)?;
        let (header, mut warnings) = HeaderMap::resolve(&header_row, mapping)?;
        if at > 0 {
            warnings.insert(0, ImportWarning::RowsBeforeHeader { count: at as u64 });
        }
        pending.shrink_to_fit();
        Ok(Self {
            source,
            pending,
            header,
            warnings,
            seen: HashMap::new(),
            today: opts.today,
            max_rows: opts.max_rows,
            counts: ImportCounts::default(),
            aborted: None,
        })
    }

    /// The resolved header row.
    pub fn header(&self) -> &HeaderMap {
        &self.header
    }

    /// Warnings about the file (unknown columns, ...).
    pub fn warnings(&self) -> &[ImportWarning] {
        &self.warnings
    }

    /// Rows accepted and rejected so far.
    pub fn counts(&self) -> ImportCounts {
        self.counts
    }

    /// Why iteration stopped early, if it did.
    pub fn aborted(&self) -> Option<&FileError> {
        self.aborted.as_ref()
    }

    fn process(&mut self, row: RawRow) -> Result<ValidRow, RejectedRow> {
        let result = validate_row(&row, &self.header, self.today);
        let mut errors = match result {
            Ok(record) => match self.seen.get(&record.register_number) {
                None => {
                    self.seen.insert(record.register_number.clone(), row.row);
                    let warnings = row_warnings(&row, &self.header, &record);
                    return Ok(ValidRow {
                        row: row.row,
                        record,
                        warnings,
                    });
                }
                Some(&first) => vec![duplicate_error(&self.header, &row, &record, first)],
            },
            Err(errors) => errors,
        };
        // A rejected row still claims its register number, so a later copy points here.
        if let Some(idx) = self.header.column_of(Field::RegisterNumber) {
            let reg = crate::values::clean_text(&row.cell(idx).text());
            if !reg.is_empty() && !errors.iter().any(|e| e.code == ErrorCode::DuplicateInFile) {
                if let Some(&first) = self.seen.get(&reg) {
                    errors.push(
                        RowError::new(
                            row.row,
                            self.header.header_of(Field::RegisterNumber),
                            &reg,
                            ErrorCode::DuplicateInFile,
                        )
                        .with_detail(
                            &format!("baris pertama {first}"),
                            &format!("first row {first}"),
                        ),
                    );
                } else {
                    self.seen.insert(reg, row.row);
                }
            }
        }
        errors.sort_by_key(|e| e.code == ErrorCode::TruncatedRow);
        Err(RejectedRow {
            row: row.row,
            cells: row.cells,
            errors,
        })
    }
}

fn duplicate_error(
    header: &HeaderMap,
    row: &RawRow,
    record: &InmateRecord,
    first: u64,
) -> RowError {
    RowError::new(
        row.row,
        header.header_of(Field::RegisterNumber),
        &record.register_number,
        ErrorCode::DuplicateInFile,
    )
    .with_detail(
        &format!("baris pertama {first}"),
        &format!("first row {first}"),
    )
}

impl Iterator for InmateStream<'_> {
    type Item = Result<ValidRow, RejectedRow>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.aborted.is_some() {
            return None;
        }
        let row = match self.pending.pop_front() {
            Some(r) => r,
            None => match self.source.next()? {
                Ok(r) => r,
                Err(e) => {
                    self.aborted = Some(e);
                    return None;
                }
            },
        };
        if self.counts.valid + self.counts.rejected >= self.max_rows {
            self.aborted = Some(FileError::TooManyRows { cap: self.max_rows });
            return None;
        }
        let out = self.process(row);
        match out {
            Ok(_) => self.counts.valid += 1,
            Err(_) => self.counts.rejected += 1,
        }
        Some(out)
    }
}

/// Everything from one file, collected.
#[derive(Debug, Clone)]
pub struct ImportResult {
    /// The file's header texts (for the error report).
    pub headers: Vec<String>,
    /// Accepted rows.
    pub valid: Vec<ValidRow>,
    /// Rejected rows.
    pub rejected: Vec<RejectedRow>,
    /// File warnings.
    pub warnings: Vec<ImportWarning>,
}

/// Read a whole file into memory. Fails if the stream was aborted by a limit.
pub fn read_all(
    bytes: &[u8],
    kind: FileKind,
    opts: &ImportOptions,
) -> Result<ImportResult, FileError> {
    let mut stream = read_inmates(bytes, kind, opts)?;
    let mut valid = Vec::new();
    let mut rejected = Vec::new();
    for item in stream.by_ref() {
        match item {
            Ok(v) => valid.push(v),
            Err(r) => rejected.push(r),
        }
    }
    if let Some(e) = stream.aborted.take() {
        return Err(e);
    }
    Ok(ImportResult {
        headers: stream.header.headers.clone(),
        valid,
        rejected,
        warnings: stream.warnings.clone(),
    })
}
