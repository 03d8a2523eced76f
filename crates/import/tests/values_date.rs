//! Table tests for date parsing: numeric forms, month names, Excel serials, refusals.

use bekal_import::ErrorCode;
use bekal_import::raw::Cell;
use bekal_import::values::date::{excel_serial_to_date, parse_date_cell, parse_date_text};
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

#[test]
fn accepted_text_forms() {
    let cases: &[(&str, NaiveDate)] = &[
        ("10/06/2021", d(2021, 6, 10)),
        ("10-06-2021", d(2021, 6, 10)),
        ("10.06.2021", d(2021, 6, 10)),
        ("1/8/2021", d(2021, 8, 1)),
        (" 01/08/2021 ", d(2021, 8, 1)),
        ("2021-06-10", d(2021, 6, 10)),
        ("2021/06/10", d(2021, 6, 10)),
        ("2021-06-10 00:00:00", d(2021, 6, 10)),
        ("2021-06-10T08:30:00", d(2021, 6, 10)),
        ("10 Juni 2021", d(2021, 6, 10)),
        ("10 Jun 2021", d(2021, 6, 10)),
        ("10-Jun-2021", d(2021, 6, 10)),
        ("1 Agustus 2021", d(2021, 8, 1)),
        ("1 Agt 2021", d(2021, 8, 1)),
        ("1 Agu 2021", d(2021, 8, 1)),
        ("17 Ags 1945", d(1945, 8, 17)),
        ("5 Mei 1990", d(1990, 5, 5)),
        ("5 Okt 1990", d(1990, 10, 5)),
        ("25 Des 1999", d(1999, 12, 25)),
        ("3 Pebruari 1988", d(1988, 2, 3)),
        ("3 Nop 1988", d(1988, 11, 3)),
        ("Kamis, 10 Juni 2021", d(2021, 6, 10)),
        ("June 10, 2021", d(2021, 6, 10)),
        ("10 December 2020", d(2020, 12, 10)),
        ("10 DESEMBER 2020", d(2020, 12, 10)),
        ("44357", d(2021, 6, 10)),
        ("44357.25", d(2021, 6, 10)),
        ("2020-02-29", d(2020, 2, 29)),
    ];
    for (text, want) in cases {
        assert_eq!(parse_date_text(text), Ok(*want), "input {text:?}");
    }
}

#[test]
fn refused_text_forms() {
    let cases: &[(&str, ErrorCode)] = &[
        ("31/02/2021", ErrorCode::DateInvalid),
        ("29/02/2021", ErrorCode::DateInvalid),
        ("12/25/2021", ErrorCode::DateMonthFirst),
        ("25/25/2021", ErrorCode::DateInvalid),
        ("00/01/2021", ErrorCode::DateInvalid),
        ("10/06/21", ErrorCode::DateYearAmbiguous),
        ("10 Juni 21", ErrorCode::DateYearAmbiguous),
        ("kemarin", ErrorCode::DateFormatUnknown),
        ("10 Juno 2021", ErrorCode::DateFormatUnknown),
        ("10/06", ErrorCode::DateFormatUnknown),
        ("12", ErrorCode::DateFormatUnknown),
        ("", ErrorCode::DateFormatUnknown),
        ("10/06/0021", ErrorCode::DateInvalid),
        ("10/06/20210", ErrorCode::DateFormatUnknown),
        ("99999999999999999999", ErrorCode::DateFormatUnknown),
        ("€/€/€", ErrorCode::DateFormatUnknown),
    ];
    for (text, want) in cases {
        assert_eq!(parse_date_text(text), Err(*want), "input {text:?}");
    }
}

#[test]
fn excel_serials_1900_system_with_leap_bug() {
    assert_eq!(excel_serial_to_date(1.0, false), Some(d(1900, 1, 1)));
    assert_eq!(excel_serial_to_date(59.0, false), Some(d(1900, 2, 28)));
    assert_eq!(
        excel_serial_to_date(60.0, false),
        None,
        "1900-02-29 does not exist"
    );
    assert_eq!(excel_serial_to_date(61.0, false), Some(d(1900, 3, 1)));
    assert_eq!(excel_serial_to_date(44357.0, false), Some(d(2021, 6, 10)));
    assert_eq!(excel_serial_to_date(44357.99, false), Some(d(2021, 6, 10)));
    assert_eq!(
        excel_serial_to_date(2_958_465.0, false),
        Some(d(9999, 12, 31))
    );
    assert_eq!(excel_serial_to_date(0.0, false), None);
    assert_eq!(excel_serial_to_date(-5.0, false), None);
    assert_eq!(excel_serial_to_date(f64::NAN, false), None);
    assert_eq!(excel_serial_to_date(1e300, false), None);
}

#[test]
fn excel_serials_1904_system() {
    assert_eq!(excel_serial_to_date(0.0, true), Some(d(1904, 1, 1)));
    assert_eq!(excel_serial_to_date(42895.0, true), Some(d(2021, 6, 10)));
}

#[test]
fn cells() {
    assert_eq!(
        parse_date_cell(&Cell::Date(d(2021, 6, 10))),
        Ok(d(2021, 6, 10))
    );
    assert_eq!(parse_date_cell(&Cell::Number(44357.0)), Ok(d(2021, 6, 10)));
    assert_eq!(
        parse_date_cell(&Cell::Number(12.0)),
        Err(ErrorCode::DateFormatUnknown)
    );
    assert_eq!(
        parse_date_cell(&Cell::Bool(true)),
        Err(ErrorCode::WrongType)
    );
}
