//! The validated inmate record and its small value types (sex, education, register class,
//! religion, risk level, sentence length). Defined locally until the domain crate provides them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Sex as recorded in SDP (L/P).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    /// Laki-laki.
    Male,
    /// Perempuan.
    Female,
}

/// Highest education level reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Education {
    /// Tidak sekolah / belum sekolah.
    NoSchooling,
    /// Tidak tamat SD.
    PrimaryIncomplete,
    /// SD / MI / Paket A.
    Primary,
    /// SMP / MTs / SLTP / Paket B.
    JuniorSecondary,
    /// SMA / MA / SLTA / Paket C.
    SeniorSecondary,
    /// SMK / STM (vocational high school).
    VocationalSecondary,
    /// D1.
    D1,
    /// D2.
    D2,
    /// D3.
    D3,
    /// D4.
    D4,
    /// S1 (bachelor).
    S1,
    /// S2 (master).
    S2,
    /// S3 (doctorate).
    S3,
}

/// Register class: legal status of the inmate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RegisterClass {
    /// A.I detainee (investigation).
    AI,
    /// A.II detainee.
    AII,
    /// A.III detainee.
    AIII,
    /// A.IV detainee.
    AIV,
    /// A.V detainee.
    AV,
    /// B.I sentence over 1 year.
    BI,
    /// B.IIa over 3 months up to 1 year.
    BIIa,
    /// B.IIb up to 3 months.
    BIIb,
    /// B.III kurungan / in lieu of a fine.
    BIII,
}

/// Religion as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Religion {
    /// Islam.
    Islam,
    /// Kristen (Protestant).
    Protestant,
    /// Katolik.
    Catholic,
    /// Hindu.
    Hindu,
    /// Buddha.
    Buddhist,
    /// Konghucu.
    Confucian,
    /// Kepercayaan terhadap Tuhan YME.
    Belief,
    /// Anything else, kept as written (trimmed).
    Other(String),
}

/// Risk level from screening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RiskLevel {
    /// Rendah.
    Low,
    /// Sedang.
    Medium,
    /// Tinggi.
    High,
    /// Sangat tinggi.
    VeryHigh,
}

/// Length of a sentence: a fixed term, life, or death.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SentenceLength {
    /// A fixed term.
    Term {
        /// Years.
        years: u16,
        /// Months.
        months: u16,
        /// Days.
        days: u16,
    },
    /// Seumur hidup.
    Life,
    /// Pidana mati.
    Death,
}

/// One validated row of an inmate file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InmateRecord {
    /// Register number, trimmed, kept as written (formats vary by facility).
    pub register_number: String,
    /// Name as written (trimmed, inner whitespace collapsed).
    pub name: String,
    /// Aliases (from an alias column, split on `,` `;` `/`).
    pub aliases: Vec<String>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Date of birth.
    pub birth_date: Option<NaiveDate>,
    /// Religion.
    pub religion: Option<Religion>,
    /// Education level.
    pub education: Option<Education>,
    /// City of origin.
    pub origin_city: Option<String>,
    /// Case / article (pasal), free text.
    pub case_article: Option<String>,
    /// Sentence length.
    pub sentence: Option<SentenceLength>,
    /// Sentence start (date of detention / TMT).
    pub sentence_start: Option<NaiveDate>,
    /// Expected release (ekspirasi).
    pub expected_release: Option<NaiveDate>,
    /// Remissions granted, in days.
    pub remission_days: Option<u32>,
    /// Block.
    pub block: Option<String>,
    /// Room / cell.
    pub cell: Option<String>,
    /// Register class.
    pub register_class: Option<RegisterClass>,
    /// SPPN score.
    pub sppn_score: Option<f64>,
    /// Risk level.
    pub risk_level: Option<RiskLevel>,
    /// Prior skills (split on `,` `;` `/`).
    pub skills: Vec<String>,
    /// Interests (split on `,` `;` `/`).
    pub interests: Vec<String>,
}
