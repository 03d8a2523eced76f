//! Error and warning types: file-level errors that stop an import, row-level errors that only
//! reject one row, and warnings. Every reason carries a stable machine code plus a human message
//! in Indonesian and English.

use serde::{Deserialize, Serialize};

/// Why a single row was rejected. The `code()` strings are stable and safe to store or match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The register number cell is blank.
    RegisterNumberMissing,
    /// The name cell is blank.
    NameMissing,
    /// A date that looks like a date but does not exist (e.g. 31/02/2021).
    DateInvalid,
    /// Text that is not in any recognised date format.
    DateFormatUnknown,
    /// A two-digit year (e.g. 10/06/21): refused, the century is a guess.
    DateYearAmbiguous,
    /// A numeric date whose second part is over 12 (e.g. 06/25/2021): written month first,
    /// US style; refused rather than guessed.
    DateMonthFirst,
    /// Date of birth after the import date.
    BirthDateInFuture,
    /// Date of birth after the sentence start.
    BirthAfterStart,
    /// Expected release before the sentence start.
    ReleaseBeforeStart,
    /// The same register number already appeared on an earlier row of this file.
    DuplicateInFile,
    /// The cell holds the wrong kind of value (text where a number is needed, a date cell
    /// in a text column, ...).
    WrongType,
    /// A value outside the list of allowed values (sex, education, register class, ...).
    ValueNotRecognised,
    /// A sentence length that cannot be read.
    SentenceInvalid,
    /// A number outside the plausible range.
    NumberOutOfRange,
    /// A cell longer than the limit.
    ValueTooLong,
    /// The file ends inside a quoted field: the row is incomplete.
    TruncatedRow,
    /// Warning only (the row is accepted): the register class does not fit the sentence
    /// length (B.I over 1 year, B.IIa over 3 months up to 1 year, B.IIb up to 3 months).
    RegisterClassMismatch,
}

impl ErrorCode {
    /// Stable machine-readable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::RegisterNumberMissing => "register_number_missing",
            Self::NameMissing => "name_missing",
            Self::DateInvalid => "date_invalid",
            Self::DateFormatUnknown => "date_format_unknown",
            Self::DateYearAmbiguous => "date_year_ambiguous",
            Self::DateMonthFirst => "date_month_first",
            Self::BirthDateInFuture => "birth_date_in_future",
            Self::BirthAfterStart => "birth_after_start",
            Self::ReleaseBeforeStart => "release_before_start",
            Self::DuplicateInFile => "duplicate_in_file",
            Self::WrongType => "wrong_type",
            Self::ValueNotRecognised => "value_not_recognised",
            Self::SentenceInvalid => "sentence_invalid",
            Self::NumberOutOfRange => "number_out_of_range",
            Self::ValueTooLong => "value_too_long",
            Self::TruncatedRow => "truncated_row",
            Self::RegisterClassMismatch => "register_class_mismatch",
        }
    }

    /// Generic Indonesian message for the code.
    pub fn message_id(self) -> &'static str {
        match self {
            Self::RegisterNumberMissing => "Nomor register kosong",
            Self::NameMissing => "Nama kosong",
            Self::DateInvalid => "Tanggal tidak ada di kalender",
            Self::DateFormatUnknown => {
                "Format tanggal tidak dikenali (gunakan dd/mm/yyyy, misalnya 10/06/2021)"
            }
            Self::DateYearAmbiguous => "Tahun harus ditulis 4 digit (misalnya 2021, bukan 21)",
            Self::DateMonthFirst => {
                "Tanggal tampaknya ditulis bulan/hari/tahun; gunakan hari/bulan/tahun (dd/mm/yyyy)"
            }
            Self::BirthDateInFuture => "Tanggal lahir di masa depan",
            Self::BirthAfterStart => "Tanggal lahir setelah tanggal mulai pidana",
            Self::ReleaseBeforeStart => "Tanggal bebas sebelum tanggal mulai pidana",
            Self::DuplicateInFile => "Nomor register sudah ada di baris sebelumnya",
            Self::WrongType => "Jenis isian salah",
            Self::ValueNotRecognised => "Isian tidak dikenali",
            Self::SentenceInvalid => {
                "Lama pidana tidak dikenali (contoh: 2 tahun 6 bulan, seumur hidup, mati)"
            }
            Self::NumberOutOfRange => "Angka di luar batas wajar",
            Self::ValueTooLong => "Isian terlalu panjang",
            Self::TruncatedRow => "Baris terpotong: file berakhir di dalam tanda kutip",
            Self::RegisterClassMismatch => "Golongan register tidak sesuai dengan lama pidana",
        }
    }

    /// Generic English message for the code.
    pub fn message_en(self) -> &'static str {
        match self {
            Self::RegisterNumberMissing => "Register number is blank",
            Self::NameMissing => "Name is blank",
            Self::DateInvalid => "This date does not exist in the calendar",
            Self::DateFormatUnknown => "Unrecognised date format (use dd/mm/yyyy, e.g. 10/06/2021)",
            Self::DateYearAmbiguous => "The year must have 4 digits (e.g. 2021, not 21)",
            Self::DateMonthFirst => {
                "The date seems written month/day/year; use day/month/year (dd/mm/yyyy)"
            }
            Self::BirthDateInFuture => "Date of birth is in the future",
            Self::BirthAfterStart => "Date of birth is after the sentence start",
            Self::ReleaseBeforeStart => "Expected release is before the sentence start",
            Self::DuplicateInFile => "Register number already used on an earlier row",
            Self::WrongType => "Wrong kind of value",
            Self::ValueNotRecognised => "Value not recognised",
            Self::SentenceInvalid => {
                "Unrecognised sentence length (e.g. 2 tahun 6 bulan, seumur hidup, mati)"
            }
            Self::NumberOutOfRange => "Number outside the plausible range",
            Self::ValueTooLong => "Value too long",
            Self::TruncatedRow => "Truncated row: the file ends inside a quoted field",
            Self::RegisterClassMismatch => "Register class does not fit the sentence length",
        }
    }
}

/// Longest offending value kept in a [`RowError`], in characters.
const MAX_VALUE_CHARS: usize = 200;

fn clip_value(value: &str) -> String {
    if value.chars().count() <= MAX_VALUE_CHARS {
        value.to_owned()
    } else {
        let mut v: String = value.chars().take(MAX_VALUE_CHARS).collect();
        v.push('…');
        v
    }
}

/// One problem on one row. `column` is the header text as written in the file (empty when the
/// problem concerns the whole row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// Row number as the user sees it in the file (header = row 1 when it is the first row).
    pub row: u64,
    /// The file's own header text for the column.
    pub column: String,
    /// The offending value as text.
    pub value: String,
    /// Stable reason code.
    pub code: ErrorCode,
    /// Indonesian message, specific to this case.
    pub message_id: String,
    /// English message, specific to this case.
    pub message_en: String,
}

impl RowError {
    /// A row error with the generic messages of `code`.
    pub fn new(row: u64, column: &str, value: &str, code: ErrorCode) -> Self {
        Self {
            row,
            column: column.to_owned(),
            value: clip_value(value),
            code,
            message_id: code.message_id().to_owned(),
            message_en: code.message_en().to_owned(),
        }
    }

    /// A row error with an extra detail appended to both messages.
    pub fn with_detail(mut self, detail_id: &str, detail_en: &str) -> Self {
        self.message_id = format!("{}: {detail_id}", self.message_id);
        self.message_en = format!("{}: {detail_en}", self.message_en);
        self
    }

    /// `code: English message (Indonesian message)`, used in error reports.
    pub fn reason_text(&self) -> String {
        format!(
            "{}: {} / {}",
            self.code.code(),
            self.message_id,
            self.message_en
        )
    }
}

/// Something that does not reject a row but the officer should know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportWarning {
    /// A column whose header matched no known field; its values are ignored.
    UnknownColumn {
        /// Header text.
        header: String,
    },
    /// A second column mapped to a field that already had a column; the first one is used.
    DuplicateColumn {
        /// Header text of the ignored column.
        header: String,
        /// Header text of the column that is used.
        used: String,
    },
    /// Rows above the header row were skipped (title lines and the like).
    RowsBeforeHeader {
        /// How many non-blank rows were skipped.
        count: u64,
    },
}

impl ImportWarning {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownColumn { .. } => "unknown_column",
            Self::DuplicateColumn { .. } => "duplicate_column",
            Self::RowsBeforeHeader { .. } => "rows_before_header",
        }
    }

    /// Indonesian message.
    pub fn message_id(&self) -> String {
        match self {
            Self::UnknownColumn { header } => {
                format!("Kolom \"{header}\" tidak dikenali dan diabaikan")
            }
            Self::DuplicateColumn { header, used } => {
                format!(
                    "Kolom \"{header}\" diabaikan: isian yang sama sudah diambil dari \"{used}\""
                )
            }
            Self::RowsBeforeHeader { count } => {
                format!("{count} baris di atas baris judul kolom dilewati")
            }
        }
    }

    /// English message.
    pub fn message_en(&self) -> String {
        match self {
            Self::UnknownColumn { header } => {
                format!("Column \"{header}\" not recognised; ignored")
            }
            Self::DuplicateColumn { header, used } => {
                format!("Column \"{header}\" ignored: the same field is read from \"{used}\"")
            }
            Self::RowsBeforeHeader { count } => {
                format!("{count} rows above the header row skipped")
            }
        }
    }
}

/// An error that stops the whole import.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// No non-blank row at all.
    #[error("file is empty / berkas kosong")]
    Empty,
    /// Required columns were not found in the header row.
    #[error("missing required columns / kolom wajib tidak ada: {}", .0.join(", "))]
    MissingColumns(Vec<String>),
    /// File kind could not be told from name or content.
    #[error("unknown file type (use .csv or .xlsx) / jenis berkas tidak dikenali")]
    UnknownKind,
    /// The XLSX (zip) container is unreadable.
    #[error("not a valid XLSX file / berkas XLSX rusak: {0}")]
    InvalidXlsx(String),
    /// The XLSX would inflate beyond the configured cap.
    #[error(
        "XLSX too large when unpacked ({inflated} bytes, limit {cap}) / XLSX terlalu besar setelah dibuka"
    )]
    TooLarge {
        /// Inflated bytes seen or declared (at least this many).
        inflated: u64,
        /// The cap.
        cap: u64,
    },
    /// The XLSX zip has too many entries.
    #[error("XLSX has too many parts ({entries}, limit {cap}) / XLSX berisi terlalu banyak bagian")]
    TooManyEntries {
        /// Entries in the zip.
        entries: usize,
        /// The cap.
        cap: usize,
    },
    /// More data rows than allowed.
    #[error("too many rows (limit {cap}) / jumlah baris melebihi batas")]
    TooManyRows {
        /// The cap.
        cap: u64,
    },
    /// The requested sheet does not exist or the workbook has none.
    #[error("sheet not found / lembar kerja tidak ditemukan: {0}")]
    SheetNotFound(String),
    /// The CSV could not be read.
    #[error("CSV could not be read / CSV tidak bisa dibaca: {0}")]
    Csv(String),
}

impl FileError {
    /// Stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "file_empty",
            Self::MissingColumns(_) => "required_column_missing",
            Self::UnknownKind => "file_kind_unknown",
            Self::InvalidXlsx(_) => "xlsx_invalid",
            Self::TooLarge { .. } => "file_too_large",
            Self::TooManyEntries { .. } => "too_many_entries",
            Self::TooManyRows { .. } => "too_many_rows",
            Self::SheetNotFound(_) => "sheet_not_found",
            Self::Csv(_) => "csv_unreadable",
        }
    }
}
