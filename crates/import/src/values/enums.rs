//! Parsers and export labels for the small enums: sex, education level, register class,
//! religion and risk level. Matching ignores case, spaces and punctuation.

use crate::record::{Education, RegisterClass, Religion, RiskLevel, Sex};

use super::{clean_text, squash};

/// `L`, `Laki-laki`, `Pria`, `M`, `Male` / `P`, `Perempuan`, `Wanita`, `W`, `F`, `Female`.
pub fn parse_sex(s: &str) -> Option<Sex> {
    match squash(s).as_str() {
        "l" | "lk" | "laki" | "lakilaki" | "pria" | "m" | "male" | "man" => Some(Sex::Male),
        "p" | "pr" | "pe" | "perempuan" | "wanita" | "w" | "f" | "female" | "woman" => {
            Some(Sex::Female)
        }
        _ => None,
    }
}

/// Export label for sex.
pub fn sex_label(s: Sex) -> &'static str {
    match s {
        Sex::Male => "L",
        Sex::Female => "P",
    }
}

/// Education level: `SD`, `SMP`, `SMA`, `SMK`, `D1`..`D4`, `S1`..`S3`, their older names
/// (SLTP, SLTA, STM), madrasah equivalents, Paket A/B/C, and `Tidak sekolah` / `Tidak tamat SD`.
/// `SMA/SMK` reads as SMA. A leading `Tamat` is ignored.
pub fn parse_education(s: &str) -> Option<Education> {
    let key = squash(s);
    let key = key
        .strip_prefix("tamat")
        .filter(|k| !k.is_empty())
        .unwrap_or(&key);
    let key = key.strip_suffix("sederajat").unwrap_or(key);
    let e = match key {
        "tidaksekolah" | "belumsekolah" | "tidakbersekolah" | "tidakpernahsekolah" | "none"
        | "noschooling" | "tidakada" | "butahuruf" => Education::NoSchooling,
        "tidaktamatsd" | "belumtamatsd" | "tts" | "sdtidaktamat" => Education::PrimaryIncomplete,
        "sd" | "mi" | "sekolahdasar" | "paketa" | "primary" | "elementary" => Education::Primary,
        "smp" | "mts" | "sltp" | "paketb" | "juniorhigh" | "juniorhighschool" => {
            Education::JuniorSecondary
        }
        "sma" | "ma" | "slta" | "smu" | "paketc" | "smasmk" | "seniorhigh" | "highschool"
        | "seniorhighschool" => Education::SeniorSecondary,
        "smk" | "stm" | "smea" | "vocationalhighschool" => Education::VocationalSecondary,
        "d1" | "di" | "diploma1" => Education::D1,
        "d2" | "dii" | "diploma2" => Education::D2,
        "d3" | "diii" | "diploma3" | "diploma" => Education::D3,
        "d4" | "div" | "diploma4" => Education::D4,
        "s1" | "sarjana" | "bachelor" => Education::S1,
        "s2" | "magister" | "master" => Education::S2,
        "s3" | "doktor" | "doctor" | "doctorate" | "phd" => Education::S3,
        _ => return None,
    };
    Some(e)
}

/// Export label for education.
pub fn education_label(e: Education) -> &'static str {
    match e {
        Education::NoSchooling => "Tidak sekolah",
        Education::PrimaryIncomplete => "Tidak tamat SD",
        Education::Primary => "SD",
        Education::JuniorSecondary => "SMP",
        Education::SeniorSecondary => "SMA",
        Education::VocationalSecondary => "SMK",
        Education::D1 => "D1",
        Education::D2 => "D2",
        Education::D3 => "D3",
        Education::D4 => "D4",
        Education::S1 => "S1",
        Education::S2 => "S2",
        Education::S3 => "S3",
    }
}

/// Register class: `A.I`..`A.V`, `B.I`, `B.IIa`, `B.IIb`, `B.III`, also `AI`, `A1`, `B2a`,
/// `B 3`, `Reg. B.I`.
pub fn parse_register_class(s: &str) -> Option<RegisterClass> {
    let key = squash(s);
    let key = key
        .strip_prefix("register")
        .or_else(|| key.strip_prefix("reg"))
        .unwrap_or(&key);
    let c = match key {
        "ai" | "a1" => RegisterClass::AI,
        "aii" | "a2" => RegisterClass::AII,
        "aiii" | "a3" => RegisterClass::AIII,
        "aiv" | "a4" => RegisterClass::AIV,
        "av" | "a5" => RegisterClass::AV,
        "bi" | "b1" => RegisterClass::BI,
        "biia" | "b2a" => RegisterClass::BIIa,
        "biib" | "b2b" => RegisterClass::BIIb,
        "biii" | "b3" => RegisterClass::BIII,
        _ => return None,
    };
    Some(c)
}

/// Export label for the register class.
pub fn register_class_label(c: RegisterClass) -> &'static str {
    match c {
        RegisterClass::AI => "A.I",
        RegisterClass::AII => "A.II",
        RegisterClass::AIII => "A.III",
        RegisterClass::AIV => "A.IV",
        RegisterClass::AV => "A.V",
        RegisterClass::BI => "B.I",
        RegisterClass::BIIa => "B.IIa",
        RegisterClass::BIIb => "B.IIb",
        RegisterClass::BIII => "B.III",
    }
}

/// Religion; never fails on non-blank text (unknown values become `Other`).
pub fn parse_religion(s: &str) -> Religion {
    match squash(s).as_str() {
        "islam" | "muslim" | "moslem" => Religion::Islam,
        "kristen" | "protestan" | "kristenprotestan" | "protestant" | "christian" => {
            Religion::Protestant
        }
        "katolik" | "katholik" | "kristenkatolik" | "catholic" => Religion::Catholic,
        "hindu" => Religion::Hindu,
        "budha" | "buddha" | "buddhist" | "buddhism" => Religion::Buddhist,
        "konghucu" | "khonghucu" | "konghuchu" | "confucian" | "confucianism" => {
            Religion::Confucian
        }
        "kepercayaan" | "penghayat" | "penghayatkepercayaan" | "belief" => Religion::Belief,
        _ => Religion::Other(clean_text(s)),
    }
}

/// Export label for religion.
pub fn religion_label(r: &Religion) -> &str {
    match r {
        Religion::Islam => "Islam",
        Religion::Protestant => "Kristen",
        Religion::Catholic => "Katolik",
        Religion::Hindu => "Hindu",
        Religion::Buddhist => "Buddha",
        Religion::Confucian => "Konghucu",
        Religion::Belief => "Kepercayaan",
        Religion::Other(s) => s,
    }
}

/// Risk level: `Rendah`/`Low`, `Sedang`/`Menengah`/`Medium`, `Tinggi`/`High`,
/// `Sangat tinggi`/`Very high`; a leading `Risiko`/`Resiko` is ignored.
pub fn parse_risk_level(s: &str) -> Option<RiskLevel> {
    let key = squash(s);
    let key = key
        .strip_prefix("risiko")
        .or_else(|| key.strip_prefix("resiko"))
        .or_else(|| key.strip_prefix("risk"))
        .unwrap_or(&key);
    let r = match key {
        "rendah" | "low" | "r" => RiskLevel::Low,
        "sedang" | "menengah" | "medium" | "s" => RiskLevel::Medium,
        "tinggi" | "high" | "t" => RiskLevel::High,
        "sangattinggi" | "veryhigh" | "tinggisekali" | "st" => RiskLevel::VeryHigh,
        _ => return None,
    };
    Some(r)
}

/// Export label for the risk level.
pub fn risk_level_label(r: RiskLevel) -> &'static str {
    match r {
        RiskLevel::Low => "Rendah",
        RiskLevel::Medium => "Sedang",
        RiskLevel::High => "Tinggi",
        RiskLevel::VeryHigh => "Sangat tinggi",
    }
}
