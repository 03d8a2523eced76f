//! Property tests: import → export → import is a fixed point for generated valid records, and
//! no input (bytes, cell text) makes the importer panic.

use bekal_import::export::export_csv;
use bekal_import::values::date::parse_date_text;
use bekal_import::values::number::{parse_decimal_text, parse_int_text};
use bekal_import::values::sentence::parse_sentence;
use bekal_import::{
    Education, FileKind, ImportOptions, InmateRecord, RegisterClass, Religion, RiskLevel,
    SentenceLength, Sex, read_all,
};
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default()
}

fn opts() -> ImportOptions {
    ImportOptions::new(today())
}

fn date_between(from: (i32, u32, u32), span_days: u64) -> impl Strategy<Value = NaiveDate> {
    let base = NaiveDate::from_ymd_opt(from.0, from.1, from.2).unwrap_or_default();
    (0..span_days).prop_map(move |n| base.checked_add_days(Days::new(n)).unwrap_or(base))
}

fn word() -> impl Strategy<Value = String> {
    // Alias markers inside a name are split out on import, so keep them out of names.
    "[A-Za-zéñ][a-zéñ']{0,9}".prop_filter("alias marker", |w| {
        !matches!(w.to_lowercase().as_str(), "als" | "alias" | "aka")
    })
}

fn phrase() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..4).prop_map(|w| w.join(" "))
}

fn text() -> impl Strategy<Value = String> {
    // Free text may hold separators and quotes (CSV quoting must carry it) and may start like
    // a formula (the injection guard must round-trip).
    "[-=+@'A-Za-z0-9][A-Za-z0-9 ,;\"./()'-]{0,20}[A-Za-z0-9)]"
        .prop_map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn sentence() -> impl Strategy<Value = SentenceLength> {
    prop_oneof![
        8 => (0u16..60, 0u16..30, 0u16..400)
            .prop_filter("non-zero", |(y, m, d)| y + m + d > 0)
            .prop_map(|(years, months, days)| SentenceLength::Term { years, months, days }),
        1 => Just(SentenceLength::Life),
        1 => Just(SentenceLength::Death),
    ]
}

fn religion() -> impl Strategy<Value = Religion> {
    prop_oneof![
        Just(Religion::Islam),
        Just(Religion::Protestant),
        Just(Religion::Catholic),
        Just(Religion::Hindu),
        Just(Religion::Buddhist),
        Just(Religion::Confucian),
        Just(Religion::Belief),
        Just(Religion::Other("Sunda Wiwitan".into())),
    ]
}

fn education() -> impl Strategy<Value = Education> {
    prop::sample::select(vec![
        Education::NoSchooling,
        Education::PrimaryIncomplete,
        Education::Primary,
        Education::JuniorSecondary,
        Education::SeniorSecondary,
        Education::VocationalSecondary,
        Education::D1,
        Education::D2,
        Education::D3,
        Education::D4,
        Education::S1,
        Education::S2,
        Education::S3,
    ])
}

fn register_class() -> impl Strategy<Value = RegisterClass> {
    prop::sample::select(vec![
        RegisterClass::AI,
        RegisterClass::AII,
        RegisterClass::AIII,
        RegisterClass::AIV,
        RegisterClass::AV,
        RegisterClass::BI,
        RegisterClass::BIIa,
        RegisterClass::BIIb,
        RegisterClass::BIII,
    ])
}

fn risk() -> impl Strategy<Value = RiskLevel> {
    prop::sample::select(vec![
        RiskLevel::Low,
        RiskLevel::Medium,
        RiskLevel::High,
        RiskLevel::VeryHigh,
    ])
}

prop_compose! {
    fn record()(
        reg in "[A-Z]{1,3}[.]?[0-9]{1,5}(/[0-9]{4})?",
        name in phrase(),
        aliases in prop::collection::vec(phrase(), 0..3),
        sex in prop::option::of(prop_oneof![Just(Sex::Male), Just(Sex::Female)]),
        birth in prop::option::of(date_between((1940, 1, 1), 20_000)),
        religion in prop::option::of(religion()),
        education in prop::option::of(education()),
        origin_city in prop::option::of(phrase()),
        case_article in prop::option::of(text()),
        sentence in prop::option::of(sentence()),
        start in prop::option::of(date_between((1996, 1, 1), 11_000)),
        release_after in prop::option::of(0u64..20_000),
        remission_days in prop::option::of(0u32..=36_500),
        block in prop::option::of(text()),
        cell in prop::option::of("[A-Z]?[0-9]{1,3}"),
        register_class in prop::option::of(register_class()),
        sppn in prop::option::of(0u32..=10_000),
        risk_level in prop::option::of(risk()),
        skills in prop::collection::vec(phrase(), 0..4),
        interests in prop::collection::vec(phrase(), 0..4),
    ) -> InmateRecord {
        // Keep the generated record valid: born before admission and before today,
        // released after admission.
        let birth_date = match (birth, start) {
            (Some(b), Some(s)) => Some(b.min(s)),
            (b, _) => b,
        }.map(|b| b.min(today()));
        let expected_release = match (start, release_after) {
            (Some(s), Some(n)) => s.checked_add_days(Days::new(n)),
            (None, Some(n)) => NaiveDate::from_ymd_opt(2000, 1, 1).and_then(|b| b.checked_add_days(Days::new(n))),
            _ => None,
        };
        InmateRecord {
            register_number: reg,
            name,
            aliases,
            sex,
            birth_date,
            religion,
            education,
            origin_city,
            case_article,
            sentence,
            sentence_start: start,
            expected_release,
            remission_days,
            block,
            cell,
            register_class,
            sppn_score: sppn.map(|n| f64::from(n) / 10.0),
            risk_level,
            skills,
            interests,
        }
    }
}

fn reimport(bytes: &[u8]) -> Vec<InmateRecord> {
    let r = read_all(bytes, FileKind::Csv, &opts()).unwrap_or_else(|e| panic!("{e}"));
    assert!(r.rejected.is_empty(), "{:?}", r.rejected.first());
    r.valid.into_iter().map(|v| v.record).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn import_export_import_is_a_fixed_point(
        mut records in prop::collection::vec(record(), 1..20),
        semicolon in any::<bool>(),
    ) {
        // Register numbers are unique within a file.
        for (i, r) in records.iter_mut().enumerate() {
            r.register_number = format!("{}-{i}", r.register_number);
        }
        let sep = if semicolon { b';' } else { b',' };
        let first = export_csv(&records, sep).unwrap_or_else(|e| panic!("{e}"));
        let imported = reimport(&first);
        prop_assert_eq!(&imported, &records);
        let second = export_csv(&imported, sep).unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!(first, second);
    }

    #[test]
    fn arbitrary_bytes_never_panic_as_csv(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = read_all(&bytes, FileKind::Csv, &opts());
    }

    #[test]
    fn csv_like_text_never_panics(
        header in "(No Reg|Nama|Tgl Lahir|Pidana|Remisi|JK)([,;](No Reg|Nama|Tgl Lahir|Pidana|Remisi|JK|x)){1,6}\r?\n",
        body in "[A-Za-z0-9 ,;\"\r\n/.:-]{0,400}",
    ) {
        let text = format!("{header}{body}");
        let _ = read_all(text.as_bytes(), FileKind::Csv, &opts());
    }

    #[test]
    fn arbitrary_bytes_never_panic_as_xlsx(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let mut data = b"PK\x03\x04".to_vec();
        data.extend_from_slice(&bytes);
        let _ = read_all(&data, FileKind::Xlsx, &opts());
    }

    #[test]
    fn value_parsers_never_panic(s in "\\PC{0,40}") {
        let _ = parse_date_text(&s);
        let _ = parse_sentence(&s);
        let _ = parse_int_text(&s);
        let _ = parse_decimal_text(&s);
    }
}
