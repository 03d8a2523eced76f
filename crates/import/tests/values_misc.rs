//! Table tests for numbers and the small enums (sex, education, register class, religion, risk).

use bekal_import::values::enums::{
    parse_education, parse_register_class, parse_religion, parse_risk_level, parse_sex,
};
use bekal_import::values::number::{parse_decimal_text, parse_int_text};
use bekal_import::{Education, ErrorCode, RegisterClass, Religion, RiskLevel, Sex};

#[test]
fn integers() {
    let ok: &[(&str, i64)] = &[
        ("0", 0),
        ("42", 42),
        (" 42 ", 42),
        ("1.234", 1234),
        ("1.234.567", 1_234_567),
        ("1,234", 1234),
        ("1 234", 1234),
        ("12,0", 12),
        ("12.00", 12),
        ("-5", -5),
    ];
    for (t, want) in ok {
        assert_eq!(parse_int_text(t), Ok(*want), "input {t:?}");
    }
    for t in ["", "abc", "12a", "1.23", "1.2345", "12,5", "--1", "1.234,5"] {
        assert_eq!(parse_int_text(t), Err(ErrorCode::WrongType), "input {t:?}");
    }
    assert_eq!(
        parse_int_text("9999999999999999999999"),
        Err(ErrorCode::NumberOutOfRange)
    );
}

#[test]
fn decimals() {
    let ok: &[(&str, f64)] = &[
        ("75", 75.0),
        ("75,5", 75.5),
        ("75.5", 75.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.234.567", 1_234_567.0),
    ];
    for (t, want) in ok {
        assert_eq!(parse_decimal_text(t), Ok(*want), "input {t:?}");
    }
    for t in ["", "baik", "7 5x", "1,2,3.4.5"] {
        assert!(parse_decimal_text(t).is_err(), "input {t:?}");
    }
}

#[test]
fn sex() {
    for t in ["L", "l", "Laki-laki", "LAKI LAKI", "Pria", "M", "Male"] {
        assert_eq!(parse_sex(t), Some(Sex::Male), "{t}");
    }
    for t in ["P", "Perempuan", "Wanita", "W", "F", "female"] {
        assert_eq!(parse_sex(t), Some(Sex::Female), "{t}");
    }
    for t in ["", "X", "lainnya"] {
        assert_eq!(parse_sex(t), None, "{t}");
    }
}

#[test]
fn education() {
    let cases: &[(&str, Education)] = &[
        ("SD", Education::Primary),
        ("Tamat SD", Education::Primary),
        ("SD Sederajat", Education::Primary),
        ("Tidak Tamat SD", Education::PrimaryIncomplete),
        ("Tidak Sekolah", Education::NoSchooling),
        ("SMP", Education::JuniorSecondary),
        ("SLTP", Education::JuniorSecondary),
        ("MTs", Education::JuniorSecondary),
        ("SMA", Education::SeniorSecondary),
        ("SMA/SMK", Education::SeniorSecondary),
        ("SLTA", Education::SeniorSecondary),
        ("Paket C", Education::SeniorSecondary),
        ("SMK", Education::VocationalSecondary),
        ("STM", Education::VocationalSecondary),
        ("D3", Education::D3),
        ("D-III", Education::D3),
        ("S1", Education::S1),
        ("S-1", Education::S1),
        ("Sarjana", Education::S1),
        ("S2", Education::S2),
        ("S3", Education::S3),
    ];
    for (t, want) in cases {
        assert_eq!(parse_education(t), Some(*want), "{t}");
    }
    assert_eq!(parse_education("kuliah"), None);
}

#[test]
fn register_class() {
    let cases: &[(&str, RegisterClass)] = &[
        ("A.I", RegisterClass::AI),
        ("AI", RegisterClass::AI),
        ("A.II", RegisterClass::AII),
        ("A.III", RegisterClass::AIII),
        ("A.IV", RegisterClass::AIV),
        ("A.V", RegisterClass::AV),
        ("B.I", RegisterClass::BI),
        ("b1", RegisterClass::BI),
        ("B.IIa", RegisterClass::BIIa),
        ("B IIA", RegisterClass::BIIa),
        ("B.IIb", RegisterClass::BIIb),
        ("B2b", RegisterClass::BIIb),
        ("B.III", RegisterClass::BIII),
        ("Reg. B.I", RegisterClass::BI),
    ];
    for (t, want) in cases {
        assert_eq!(parse_register_class(t), Some(*want), "{t}");
    }
    for t in ["B.II", "C.I", "", "A.VI"] {
        assert_eq!(parse_register_class(t), None, "{t}");
    }
}

#[test]
fn religion_and_risk() {
    assert_eq!(parse_religion("ISLAM"), Religion::Islam);
    assert_eq!(parse_religion("Kristen Protestan"), Religion::Protestant);
    assert_eq!(parse_religion("Katholik"), Religion::Catholic);
    assert_eq!(parse_religion("Budha"), Religion::Buddhist);
    assert_eq!(parse_religion("Khonghucu"), Religion::Confucian);
    assert_eq!(
        parse_religion(" Sunda  Wiwitan "),
        Religion::Other("Sunda Wiwitan".into())
    );
    assert_eq!(parse_risk_level("Rendah"), Some(RiskLevel::Low));
    assert_eq!(parse_risk_level("Risiko Tinggi"), Some(RiskLevel::High));
    assert_eq!(parse_risk_level("sangat tinggi"), Some(RiskLevel::VeryHigh));
    assert_eq!(parse_risk_level("medium"), Some(RiskLevel::Medium));
    assert_eq!(parse_risk_level("aman"), None);
}

#[test]
fn aliases_inside_names() {
    use bekal_import::values::names::{looks_scientific, split_alias};
    let cases: &[(&str, &str, &[&str])] = &[
        ("Budi Santoso", "Budi Santoso", &[]),
        ("BUDI SANTOSO ALS BEJO", "BUDI SANTOSO", &["BEJO"]),
        ("Budi als. Bejo als Gondrong", "Budi", &["Bejo", "Gondrong"]),
        ("Budi alias Bejo", "Budi", &["Bejo"]),
        ("Als Budi", "Als Budi", &[]),
        ("Budi als", "Budi", &[]),
        ("  Budi   Santoso  ", "Budi Santoso", &[]),
        ("Alsa Putri", "Alsa Putri", &[]),
    ];
    for (input, name, aliases) in cases {
        let (n, a) = split_alias(input);
        assert_eq!(n, *name, "{input}");
        assert_eq!(
            a,
            aliases.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            "{input}"
        );
    }
    for s in ["2.02106E+07", "1,5e10", "3E5"] {
        assert!(looks_scientific(s), "{s}");
    }
    for s in ["BI.123/2021", "E5", "12345", "1e", "AE.12"] {
        assert!(!looks_scientific(s), "{s}");
    }
}

#[test]
fn remission_as_duration() {
    use bekal_import::values::sentence::parse_duration_days;
    assert_eq!(parse_duration_days("3 bulan 15 hari"), Some(105));
    assert_eq!(parse_duration_days("15 hari"), Some(15));
    assert_eq!(parse_duration_days("1 tahun"), Some(365));
    assert_eq!(parse_duration_days("seumur hidup"), None);
    assert_eq!(parse_duration_days("banyak"), None);
}
