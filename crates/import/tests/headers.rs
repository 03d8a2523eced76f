//! Header mapping: every header named in the brief, in any case and punctuation, maps to its
//! field; unknown and duplicate columns give warnings; error codes stay stable.

use bekal_import::headers::field_for_header;
use bekal_import::{ColumnMapping, ErrorCode, Field, ImportWarning};

#[test]
fn built_in_headers() {
    let cases: &[(&str, Field)] = &[
        ("No. Register", Field::RegisterNumber),
        ("No Reg", Field::RegisterNumber),
        ("NO. REG.", Field::RegisterNumber),
        ("Nomor Registrasi", Field::RegisterNumber),
        ("register_number", Field::RegisterNumber),
        ("Nama", Field::Name),
        ("Name", Field::Name),
        ("Nama Alias", Field::Aliases),
        ("Tgl Lahir", Field::BirthDate),
        ("Tanggal Lahir", Field::BirthDate),
        ("Date of birth", Field::BirthDate),
        ("Tgl. Lahir (dd/mm/yyyy)", Field::BirthDate),
        ("Jenis Kelamin", Field::Sex),
        ("JK", Field::Sex),
        ("Sex", Field::Sex),
        ("L/P", Field::Sex),
        ("Agama", Field::Religion),
        ("Pendidikan", Field::Education),
        ("Asal", Field::OriginCity),
        ("Kota Asal", Field::OriginCity),
        ("Perkara", Field::CaseArticle),
        ("Pasal", Field::CaseArticle),
        ("Pidana", Field::Sentence),
        ("Lama Pidana", Field::Sentence),
        ("Tgl Mulai", Field::SentenceStart),
        ("Tanggal Ditahan", Field::SentenceStart),
        ("TMT", Field::SentenceStart),
        ("Tgl Ekspirasi", Field::ExpectedRelease),
        ("Tanggal Bebas", Field::ExpectedRelease),
        ("Expected release", Field::ExpectedRelease),
        ("Remisi", Field::RemissionDays),
        ("Blok", Field::Block),
        ("Kamar", Field::Cell),
        ("Golongan", Field::RegisterClass),
        ("Register class", Field::RegisterClass),
        ("SPPN", Field::SppnScore),
        ("Risiko", Field::RiskLevel),
        ("Keahlian", Field::Skills),
        ("Skills", Field::Skills),
        ("Minat", Field::Interests),
        ("Interests", Field::Interests),
        ("  minat  ", Field::Interests),
    ];
    for (h, want) in cases {
        assert_eq!(field_for_header(h, None), Some(*want), "{h}");
    }
    for h in ["Keterangan", "No", "", "Tanggal"] {
        assert_eq!(field_for_header(h, None), None, "{h}");
    }
}

#[test]
fn export_headers_map_back_to_their_fields() {
    for f in Field::ALL {
        assert_eq!(field_for_header(f.export_header(), None), Some(f), "{f:?}");
    }
}

#[test]
fn user_mapping_wins_over_built_in_names() {
    let m = ColumnMapping::default().with("Kota", Field::Block);
    assert_eq!(field_for_header("KOTA", Some(&m)), Some(Field::Block));
    assert_eq!(
        field_for_header("Kota Asal", Some(&m)),
        Some(Field::OriginCity)
    );
}

#[test]
fn error_codes_are_stable() {
    let all = [
        (ErrorCode::RegisterNumberMissing, "register_number_missing"),
        (ErrorCode::NameMissing, "name_missing"),
        (ErrorCode::DateInvalid, "date_invalid"),
        (ErrorCode::DateFormatUnknown, "date_format_unknown"),
        (ErrorCode::DateYearAmbiguous, "date_year_ambiguous"),
        (ErrorCode::DateMonthFirst, "date_month_first"),
        (ErrorCode::BirthDateInFuture, "birth_date_in_future"),
        (ErrorCode::BirthAfterStart, "birth_after_start"),
        (ErrorCode::ReleaseBeforeStart, "release_before_start"),
        (ErrorCode::DuplicateInFile, "duplicate_in_file"),
        (ErrorCode::WrongType, "wrong_type"),
        (ErrorCode::ValueNotRecognised, "value_not_recognised"),
        (ErrorCode::SentenceInvalid, "sentence_invalid"),
        (ErrorCode::NumberOutOfRange, "number_out_of_range"),
        (ErrorCode::ValueTooLong, "value_too_long"),
        (ErrorCode::TruncatedRow, "truncated_row"),
        (ErrorCode::RegisterClassMismatch, "register_class_mismatch"),
    ];
    for (code, text) in all {
        assert_eq!(code.code(), text);
        assert!(!code.message_id().is_empty() && !code.message_en().is_empty());
    }
    let w = ImportWarning::UnknownColumn {
        header: "Keterangan".into(),
    };
    assert_eq!(w.code(), "unknown_column");
    assert!(w.message_id().contains("Keterangan") && w.message_en().contains("Keterangan"));
}
