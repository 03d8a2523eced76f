//! `bekal-import`: turns inmate files exported from SDP and officers' spreadsheets (CSV or
//! XLSX, as they really are) into validated [`InmateRecord`]s plus precise row-level errors.
//! Pure library: it reads bytes and returns records; storing them is someone else's job.
//!
//! Module map: [`csv_source`] and [`xlsx_source`] (behind [`xlsx_guard`]) read raw rows;
//! [`headers`] maps columns to fields; [`values`] parses single cells; [`validate`] turns a
//! row into an [`InmateRecord`] or errors; [`stream`] ties it together ([`read_inmates`]);
//! [`report`] writes the error report, [`export`] writes records back; [`pembinaan`] computes
//! sentence fractions and stages. See `docs/import.md` for formats and decisions.
//!
//! ```no_run
//! use bekal_import::{FileKind, ImportOptions, read_inmates};
//! # fn demo(bytes: &[u8]) -> Result<(), bekal_import::FileError> {
//! let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default();
//! let opts = ImportOptions::new(today);
//! let kind = FileKind::detect("wbp.csv", bytes)?;
//! let mut stream = read_inmates(bytes, kind, &opts)?;
//! for row in stream.by_ref() {
//!     match row {
//!         Ok(valid) => { /* upsert valid.record */ }
//!         Err(rejected) => { /* keep for the error report */ }
//!     }
//! }
//! if let Some(e) = stream.aborted() { /* a limit stopped the import */ }
//! # Ok(()) }
//! ```

pub mod csv_source;
pub mod error;
pub mod export;
pub mod headers;
pub mod pembinaan;
pub mod raw;
pub mod record;
pub mod report;
pub mod stream;
pub mod validate;
pub mod values;
pub mod xlsx_guard;
pub mod xlsx_source;

pub use error::{ErrorCode, FileError, ImportWarning, RowError};
pub use headers::{ColumnMapping, Field, HeaderMap};
pub use raw::{Cell, RawRow};
pub use record::{
    Education, InmateRecord, RegisterClass, Religion, RiskLevel, SentenceLength, Sex,
};
pub use stream::{
    FileKind, ImportCounts, ImportOptions, ImportResult, InmateStream, RejectedRow, ValidRow,
    read_all, read_inmates, read_inmates_owned,
};
