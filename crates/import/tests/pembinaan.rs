//! Pembinaan stage computation: fraction dates and stages on given days.

use bekal_import::SentenceLength;
use bekal_import::pembinaan::{PembinaanError, Stage, TermEnd, compute_dates, stage_on};
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

fn term(years: u16, months: u16, days: u16) -> TermEnd {
    TermEnd::Sentence(SentenceLength::Term {
        years,
        months,
        days,
    })
}

#[test]
fn three_year_sentence_without_remission() {
    // 2021-01-01 + 3 years = 2024-01-01: 1095 days (2021, 2022, 2023 are not leap years).
    let dates = compute_dates(d(2021, 1, 1), term(3, 0, 0), 0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dates.release, d(2024, 1, 1));
    assert_eq!(dates.one_third, d(2022, 1, 1)); // +365
    assert_eq!(dates.half, d(2022, 7, 2)); // +547
    assert_eq!(dates.two_thirds, d(2023, 1, 1)); // +730
    assert_eq!(dates.orientation_end, d(2021, 2, 1));
}

#[test]
fn remission_shortens_the_term_before_fractions() {
    // 2 years 6 months from 2021-06-01 = 2023-12-01, minus 90 days = 2023-09-02.
    let dates = compute_dates(d(2021, 6, 1), term(2, 6, 0), 90).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dates.release, d(2023, 9, 2));
    let total = (dates.release - dates.start).num_days();
    assert_eq!(total, 823);
    assert_eq!((dates.one_third - dates.start).num_days(), 274);
    assert_eq!((dates.half - dates.start).num_days(), 411);
    assert_eq!((dates.two_thirds - dates.start).num_days(), 548);
}

#[test]
fn expected_release_instead_of_sentence() {
    let dates = compute_dates(d(2021, 6, 10), TermEnd::ExpectedRelease(d(2021, 9, 10)), 2)
        .unwrap_or_else(|e| panic!("{e}"));
    // 92 days, minus 2 remission days = 90: fractions at 30, 45, 60 days.
    assert_eq!(dates.release, d(2021, 9, 8));
    assert_eq!(dates.one_third, d(2021, 7, 10));
    assert_eq!(dates.half, d(2021, 7, 25));
    assert_eq!(dates.two_thirds, d(2021, 8, 9));
    // Orientation cannot outlast tahap awal.
    assert_eq!(dates.orientation_end, d(2021, 7, 10));
}

#[test]
fn stages_are_half_open_intervals() {
    let dates = compute_dates(d(2021, 1, 1), term(3, 0, 0), 0).unwrap_or_else(|e| panic!("{e}"));
    let cases = [
        (d(2020, 12, 31), Stage::NotYetAdmitted),
        (d(2021, 1, 1), Stage::Initial),
        (d(2021, 12, 31), Stage::Initial),
        (d(2022, 1, 1), Stage::AdvancedOne),
        (d(2022, 7, 1), Stage::AdvancedOne),
        (d(2022, 7, 2), Stage::AdvancedTwo),
        (d(2022, 12, 31), Stage::AdvancedTwo),
        (d(2023, 1, 1), Stage::Final),
        (d(2023, 12, 31), Stage::Final),
        (d(2024, 1, 1), Stage::Released),
    ];
    for (on, want) in cases {
        assert_eq!(stage_on(&dates, on), want, "on {on}");
    }
    assert_eq!(Stage::AdvancedOne.label_id(), "tahap lanjutan I");
}

#[test]
fn month_end_arithmetic_and_refusals() {
    let dates = compute_dates(d(2021, 1, 31), term(0, 1, 0), 0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dates.release, d(2021, 2, 28));
    assert_eq!(
        compute_dates(d(2021, 1, 1), TermEnd::Sentence(SentenceLength::Life), 0),
        Err(PembinaanError::NoFixedTerm)
    );
    assert_eq!(
        compute_dates(d(2021, 1, 1), TermEnd::Sentence(SentenceLength::Death), 0),
        Err(PembinaanError::NoFixedTerm)
    );
    assert_eq!(
        compute_dates(d(2021, 1, 1), term(0, 1, 0), 31),
        Err(PembinaanError::EmptyTerm)
    );
    assert_eq!(
        compute_dates(d(2021, 1, 1), TermEnd::ExpectedRelease(d(2020, 1, 1)), 0),
        Err(PembinaanError::EmptyTerm)
    );
    assert!(compute_dates(d(2021, 1, 1), term(u16::MAX, u16::MAX, u16::MAX), 0).is_ok());
    assert_eq!(
        compute_dates(NaiveDate::MAX, term(1, 0, 0), 0),
        Err(PembinaanError::OutOfRange)
    );
}
