//! Table tests for sentence lengths.

use bekal_import::SentenceLength;
use bekal_import::values::sentence::{format_sentence, parse_sentence};

fn term(years: u16, months: u16, days: u16) -> Option<SentenceLength> {
    Some(SentenceLength::Term {
        years,
        months,
        days,
    })
}

#[test]
fn accepted() {
    let cases: &[(&str, Option<SentenceLength>)] = &[
        ("2 tahun 6 bulan", term(2, 6, 0)),
        ("2 Tahun 6 Bulan 0 Hari", term(2, 6, 0)),
        ("1 thn 3 bln 15 hari", term(1, 3, 15)),
        ("8 bulan", term(0, 8, 0)),
        ("8 Bln", term(0, 8, 0)),
        ("2th6bl", term(2, 6, 0)),
        ("15 hari", term(0, 0, 15)),
        ("2 minggu", term(0, 0, 14)),
        ("18 bulan", term(0, 18, 0)),
        ("Pidana penjara 4 tahun", term(4, 0, 0)),
        ("4 tahun subsider 3 bulan kurungan", term(4, 0, 0)),
        ("4 tahun dan denda", None),
        ("5 years 2 months", term(5, 2, 0)),
        ("1 tahun, 2 bulan", term(1, 2, 0)),
        ("seumur hidup", Some(SentenceLength::Life)),
        ("Seumur Hidup", Some(SentenceLength::Life)),
        ("Pidana Seumur Hidup", Some(SentenceLength::Life)),
        ("life", Some(SentenceLength::Life)),
        ("mati", Some(SentenceLength::Death)),
        ("Pidana Mati", Some(SentenceLength::Death)),
        ("hukuman mati", Some(SentenceLength::Death)),
        ("death", Some(SentenceLength::Death)),
    ];
    for (text, want) in cases {
        assert_eq!(parse_sentence(text), *want, "input {text:?}");
    }
}

#[test]
fn refused() {
    for text in [
        "",
        "2",
        "tahun",
        "2 tahun 3",
        "0 tahun 0 bulan",
        "2 tahun 3 tahun",
        "dua tahun",
        "99999 tahun",
        "2,5 tahun",
        "70000 hari",
    ] {
        assert_eq!(parse_sentence(text), None, "input {text:?}");
    }
}

#[test]
fn format_round_trips() {
    for s in [
        SentenceLength::Term {
            years: 2,
            months: 6,
            days: 0,
        },
        SentenceLength::Term {
            years: 0,
            months: 0,
            days: 9,
        },
        SentenceLength::Term {
            years: 1,
            months: 13,
            days: 40,
        },
        SentenceLength::Life,
        SentenceLength::Death,
    ] {
        assert_eq!(parse_sentence(&format_sentence(&s)), Some(s));
    }
}
