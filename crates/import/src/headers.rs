//! Header mapping: which file column holds which field. Built-in Indonesian and English header
//! names (case, spacing and punctuation ignored) plus a user-supplied [`ColumnMapping`] the app
//! can save for files with other names.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{FileError, ImportWarning};
use crate::raw::RawRow;
use crate::values::squash;

/// A field of [`crate::InmateRecord`] that a column can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Register number (required).
    RegisterNumber,
    /// Name (required).
    Name,
    /// Aliases.
    Aliases,
    /// Sex.
    Sex,
    /// Date of birth.
    BirthDate,
    /// Religion.
    Religion,
    /// Education level.
    Education,
    /// City of origin.
    OriginCity,
    /// Case / article.
    CaseArticle,
    /// Sentence length.
    Sentence,
    /// Sentence start.
    SentenceStart,
    /// Expected release.
    ExpectedRelease,
    /// Remissions in days.
    RemissionDays,
    /// Block.
    Block,
    /// Room / cell.
    Cell,
    /// Register class.
    RegisterClass,
    /// SPPN score.
    SppnScore,
    /// Risk level.
    RiskLevel,
    /// Skills.
    Skills,
    /// Interests.
    Interests,
}

impl Field {
    /// All fields in export order.
    pub const ALL: [Field; 20] = [
        Field::RegisterNumber,
        Field::Name,
        Field::Aliases,
        Field::Sex,
        Field::BirthDate,
        Field::Religion,
        Field::Education,
        Field::OriginCity,
        Field::CaseArticle,
        Field::Sentence,
        Field::SentenceStart,
        Field::ExpectedRelease,
        Field::RemissionDays,
        Field::Block,
        Field::Cell,
        Field::RegisterClass,
        Field::SppnScore,
        Field::RiskLevel,
        Field::Skills,
        Field::Interests,
    ];

    /// Fields a file must have.
    pub const REQUIRED: [Field; 2] = [Field::RegisterNumber, Field::Name];

    /// Header written on export (Indonesian, as in SDP).
    pub fn export_header(self) -> &'static str {
        match self {
            Field::RegisterNumber => "No Register",
            Field::Name => "Nama",
            Field::Aliases => "Nama Alias",
            Field::Sex => "Jenis Kelamin",
            Field::BirthDate => "Tanggal Lahir",
            Field::Religion => "Agama",
            Field::Education => "Pendidikan",
            Field::OriginCity => "Kota Asal",
            Field::CaseArticle => "Perkara",
            Field::Sentence => "Lama Pidana",
            Field::SentenceStart => "Tanggal Mulai",
            Field::ExpectedRelease => "Tanggal Ekspirasi",
            Field::RemissionDays => "Remisi",
            Field::Block => "Blok",
            Field::Cell => "Kamar",
            Field::RegisterClass => "Golongan",
            Field::SppnScore => "SPPN",
            Field::RiskLevel => "Risiko",
            Field::Skills => "Keahlian",
            Field::Interests => "Minat",
        }
    }

    /// Built-in header names, already squashed (lower case, letters and digits only).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::RegisterNumber => &[
                "noregister",
                "noreg",
                "nomorregister",
                "nomorregistrasi",
                "noregistrasi",
                "registernumber",
                "register",
                "registrasi",
                "reg",
                "regno",
                "registerno",
                "nomorreg",
                "noregwbp",
                "noregistrasiwbp",
            ],
            Field::Name => &[
                "nama",
                "name",
                "namawbp",
                "namalengkap",
                "fullname",
                "namanarapidana",
            ],
            Field::Aliases => &["namaalias", "alias", "aliases", "als", "aka"],
            Field::Sex => &["jeniskelamin", "jk", "sex", "gender", "kelamin", "lp"],
            Field::BirthDate => &[
                "tgllahir",
                "tanggallahir",
                "dateofbirth",
                "birthdate",
                "dob",
                "tgllhr",
                "birthday",
            ],
            Field::Religion => &["agama", "religion"],
            Field::Education => &[
                "pendidikan",
                "education",
                "pendidikanterakhir",
                "educationlevel",
                "pend",
            ],
            Field::OriginCity => &[
                "asal",
                "kotaasal",
                "origin",
                "origincity",
                "alamat",
                "alamatasal",
                "kota",
                "city",
                "daerahasal",
            ],
            Field::CaseArticle => &[
                "perkara",
                "pasal",
                "case",
                "casearticle",
                "kasus",
                "tindakpidana",
                "article",
                "jenisperkara",
            ],
            Field::Sentence => &[
                "pidana",
                "lamapidana",
                "sentence",
                "sentencelength",
                "masapidana",
                "vonis",
                "hukuman",
                "lamahukuman",
            ],
            Field::SentenceStart => &[
                "tglmulai",
                "tanggalmulai",
                "tanggalditahan",
                "tglditahan",
                "tmt",
                "mulaiditahan",
                "sentencestart",
                "startdate",
                "admission",
                "admissiondate",
                "tglmasuk",
                "tanggalmasuk",
            ],
            Field::ExpectedRelease => &[
                "tglekspirasi",
                "tanggalekspirasi",
                "ekspirasi",
                "tanggalbebas",
                "tglbebas",
                "expectedrelease",
                "releasedate",
                "expectedreleasedate",
                "perkiraanbebas",
                "expiry",
                "expiration",
            ],
            Field::RemissionDays => &[
                "remisi",
                "remission",
                "remissions",
                "remissiondays",
                "jumlahremisi",
            ],
            Field::Block => &["blok", "block", "wisma"],
            Field::Cell => &["kamar", "cell", "room", "sel", "kamarhunian"],
            Field::RegisterClass => &[
                "golongan",
                "registerclass",
                "gol",
                "golonganregister",
                "klasifikasi",
                "class",
                "golreg",
            ],
            Field::SppnScore => &["sppn", "nilaisppn", "sppnscore", "skorsppn"],
            Field::RiskLevel => &[
                "risiko",
                "resiko",
                "risk",
                "risklevel",
                "tingkatrisiko",
                "levelrisiko",
            ],
            Field::Skills => &["keahlian", "skills", "skill", "keterampilan", "ketrampilan"],
            Field::Interests => &["minat", "interests", "interest", "bakatminat", "minatbakat"],
        }
    }
}

/// Headers ignored without a warning: this crate's own error-report columns (so a corrected
/// report re-imports cleanly) and the running-number column most lists start with.
const SILENT_COLUMNS: [&str; 5] = ["errorcolumn", "errorreason", "no", "nourut", "urut"];

/// A saved mapping from a file's header text to a field, for files whose headers the
/// built-in names do not cover. Keys are compared like built-in names (case, spacing and
/// punctuation ignored) and take precedence over them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// File header text → field.
    pub columns: BTreeMap<String, Field>,
}

impl ColumnMapping {
    /// Map one more header.
    pub fn with(mut self, header: &str, field: Field) -> Self {
        self.columns.insert(header.to_owned(), field);
        self
    }

    fn lookup(&self, squashed: &str) -> Option<Field> {
        self.columns
            .iter()
            .find(|(k, _)| squash(k) == squashed)
            .map(|(_, f)| *f)
    }
}

/// Squash a header, first dropping a parenthesised hint such as `(dd/mm/yyyy)`.
fn header_key(h: &str) -> String {
    let without_hint = match h.find('(') {
        Some(pos) if !squash(&h[..pos]).is_empty() => &h[..pos],
        _ => h,
    };
    squash(without_hint)
}

/// Which field a header names, if any.
pub fn field_for_header(header: &str, mapping: Option<&ColumnMapping>) -> Option<Field> {
    let key = header_key(header);
    if let Some(f) = mapping.and_then(|m| m.lookup(&key).or_else(|| m.lookup(&squash(header)))) {
        return Some(f);
    }
    Field::ALL
        .into_iter()
        .find(|f| f.aliases().contains(&key.as_str()))
}

/// The resolved header row: the file's header texts and, per column, the field it feeds.
#[derive(Debug, Clone)]
pub struct HeaderMap {
    /// Header texts as written in the file, left to right.
    pub headers: Vec<String>,
    /// Row number of the header row.
    pub header_row: u64,
    columns: Vec<Option<Field>>,
    /// Column index per field, indexed like [`Field::ALL`].
    by_field: [Option<usize>; Field::ALL.len()],
}

impl HeaderMap {
    /// Resolve a header row. Returns warnings for unknown and duplicate columns, or a
    /// file-level error naming the missing required columns.
    pub fn resolve(
        row: &RawRow,
        mapping: Option<&ColumnMapping>,
    ) -> Result<(HeaderMap, Vec<ImportWarning>), FileError> {
        let headers: Vec<String> = row
            .cells
            .iter()
            .map(|c| c.text().trim().to_owned())
            .collect();
        let mut warnings = Vec::new();
        let mut columns = Vec::with_capacity(headers.len());
        let mut used: BTreeMap<Field, usize> = BTreeMap::new();
        for (i, h) in headers.iter().enumerate() {
            if h.is_empty() || SILENT_COLUMNS.contains(&squash(h).as_str()) {
                columns.push(None);
                continue;
            }
            match field_for_header(h, mapping) {
                Some(f) => {
                    if let Some(&first) = used.get(&f) {
                        warnings.push(ImportWarning::DuplicateColumn {
                            header: h.clone(),
                            used: headers.get(first).cloned().unwrap_or_default(),
                        });
                        columns.push(None);
                    } else {
                        used.insert(f, i);
                        columns.push(Some(f));
                    }
                }
                None => {
                    warnings.push(ImportWarning::UnknownColumn { header: h.clone() });
                    columns.push(None);
                }
            }
        }
        let missing: Vec<String> = Field::REQUIRED
            .iter()
            .filter(|f| !used.contains_key(f))
            .map(|f| f.export_header().to_owned())
            .collect();
        if !missing.is_empty() {
            return Err(FileError::MissingColumns(missing));
        }
        let mut by_field = [None; Field::ALL.len()];
        for (i, f) in Field::ALL.iter().enumerate() {
            by_field[i] = used.get(f).copied();
        }
        let map = HeaderMap {
            headers,
            header_row: row.row,
            columns,
            by_field,
        };
        Ok((map, warnings))
    }

    /// How many required fields this row would map (used to find the header row under a title).
    pub fn required_hits(row: &RawRow, mapping: Option<&ColumnMapping>) -> usize {
        let found: Vec<Field> = row
            .cells
            .iter()
            .filter_map(|c| field_for_header(&c.text(), mapping))
            .collect();
        Field::REQUIRED.iter().filter(|f| found.contains(f)).count()
    }

    /// The field each column feeds, left to right.
    pub fn columns(&self) -> &[Option<Field>] {
        &self.columns
    }

    /// Column index feeding `field`.
    pub fn column_of(&self, field: Field) -> Option<usize> {
        let i = Field::ALL.iter().position(|f| *f == field)?;
        self.by_field.get(i).copied().flatten()
    }

    /// The file's header text for `field` (the export header when the file lacks the column).
    pub fn header_of(&self, field: Field) -> &str {
        self.column_of(field)
            .and_then(|i| self.headers.get(i))
            .map_or(field.export_header(), String::as_str)
    }
}
