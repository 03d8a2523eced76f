//! Date parsing: dd/mm/yyyy (also `-` and `.`), ISO yyyy-mm-dd, Excel serial numbers
//! (1900 system with its leap-year bug, and 1904), Indonesian and English month names, full and
//! abbreviated. Day always comes before month in numeric dates (Indonesian usage); a date that
//! can only be month-first (`06/25/2021`) is refused as `date_month_first`. Two-digit years
//! are refused (`date_year_ambiguous`): a birth year "65" or a release year "35" cannot be
//! resolved safely.

use chrono::{Days, NaiveDate};

use crate::error::ErrorCode;
use crate::raw::Cell;

/// Smallest serial accepted when a serial number arrives as text or as a plain number cell
/// (367 = 1901-01-01); smaller numbers are almost certainly not dates.
const MIN_TEXT_SERIAL: f64 = 367.0;
/// Excel's largest date serial (9999-12-31).
const MAX_SERIAL: f64 = 2_958_465.0;

/// Convert an Excel serial date to a calendar date. The 1900 system counts 1900-01-01 as 1 and
/// includes the non-existent 1900-02-29 (serial 60), which yields `None`. Fractions (times) are
/// dropped.
pub fn excel_serial_to_date(serial: f64, is_1904: bool) -> Option<NaiveDate> {
    if !serial.is_finite() || !(0.0..=MAX_SERIAL).contains(&serial) {
        return None;
    }
    let whole = serial.floor() as u64;
    if is_1904 {
        return NaiveDate::from_ymd_opt(1904, 1, 1)?.checked_add_days(Days::new(whole));
    }
    match whole {
        0 | 60 => None,
        1..=59 => NaiveDate::from_ymd_opt(1899, 12, 31)?.checked_add_days(Days::new(whole)),
        _ => NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(whole)),
    }
}

/// Parse a cell as a date: date cells as they are, number cells as 1900-system serials,
/// text through [`parse_date_text`].
pub fn parse_date_cell(cell: &Cell) -> Result<NaiveDate, ErrorCode> {
    match cell {
        Cell::Date(d) => Ok(*d),
        Cell::Number(n) => serial_in_range(*n),
        Cell::Text(s) => parse_date_text(s),
        Cell::Bool(_) => Err(ErrorCode::WrongType),
        Cell::Empty => Err(ErrorCode::DateFormatUnknown),
    }
}

fn serial_in_range(n: f64) -> Result<NaiveDate, ErrorCode> {
    if !(MIN_TEXT_SERIAL..=MAX_SERIAL).contains(&n) {
        return Err(ErrorCode::DateFormatUnknown);
    }
    excel_serial_to_date(n, false).ok_or(ErrorCode::DateInvalid)
}

/// Month number from an Indonesian or English month name or abbreviation.
pub fn month_from_name(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    let m = match w.as_str() {
        "januari" | "january" | "jan" => 1,
        "februari" | "pebruari" | "february" | "feb" | "peb" => 2,
        "maret" | "march" | "mar" | "mrt" => 3,
        "april" | "apr" => 4,
        "mei" | "may" => 5,
        "juni" | "june" | "jun" => 6,
        "juli" | "july" | "jul" => 7,
        "agustus" | "august" | "agu" | "agt" | "ags" | "agus" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "oktober" | "october" | "okt" | "oct" => 10,
        "november" | "nopember" | "nov" | "nop" => 11,
        "desember" | "december" | "des" | "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn is_weekday(word: &str) -> bool {
    matches!(
        word.trim().to_lowercase().as_str(),
        "senin"
            | "selasa"
            | "rabu"
            | "kamis"
            | "jumat"
            | "jum'at"
            | "sabtu"
            | "minggu"
            | "ahad"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "mon"
            | "tue"
            | "wed"
            | "thu"
            | "fri"
            | "sat"
            | "sun"
    )
}

/// Drop a leading weekday (`Kamis, 10 Juni 2021`) and a trailing time (`2021-06-10 00:00:00`,
/// `2021-06-10T08:00`).
fn strip_decorations(s: &str) -> &str {
    let mut s = s.trim();
    if let Some((head, tail)) = s.split_once(',')
        && is_weekday(head)
    {
        s = tail.trim();
    }
    if let Some(pos) = s.find(':') {
        // Cut at the last space or 'T' before the first ':'.
        let before = &s[..pos];
        if let Some(cut) = before.rfind([' ', 'T']) {
            s = s[..cut].trim();
        }
    }
    s
}

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Num(&'a str),
    Word(&'a str),
}

fn tokenize(s: &str) -> Option<Vec<Token<'_>>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, bool)> = None;
    for (i, c) in s.char_indices() {
        let kind = if c.is_ascii_digit() {
            Some(true)
        } else if c.is_alphabetic() {
            Some(false)
        } else if matches!(c, '/' | '-' | '.' | ' ' | ',' | '\u{a0}') {
            None
        } else {
            return None;
        };
        match (start, kind) {
            (Some((_, digit)), Some(k)) if digit == k => {}
            (Some((st, digit)), _) => {
                out.push(if digit {
                    Token::Num(&s[st..i])
                } else {
                    Token::Word(&s[st..i])
                });
                start = kind.map(|k| (i, k));
            }
            (None, Some(k)) => start = Some((i, k)),
            (None, None) => {}
        }
    }
    if let Some((st, digit)) = start {
        out.push(if digit {
            Token::Num(&s[st..])
        } else {
            Token::Word(&s[st..])
        });
    }
    Some(out)
}

fn num(s: &str) -> Result<u32, ErrorCode> {
    if s.len() > 4 {
        return Err(ErrorCode::DateFormatUnknown);
    }
    s.parse().map_err(|_| ErrorCode::DateFormatUnknown)
}

fn year(s: &str) -> Result<i32, ErrorCode> {
    match s.len() {
        1 | 2 => Err(ErrorCode::DateYearAmbiguous),
        4 => {
            let y: i32 = s.parse().map_err(|_| ErrorCode::DateFormatUnknown)?;
            if (1900..=2199).contains(&y) {
                Ok(y)
            } else {
                Err(ErrorCode::DateInvalid)
            }
        }
        _ => Err(ErrorCode::DateFormatUnknown),
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Result<NaiveDate, ErrorCode> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or(ErrorCode::DateInvalid)
}

/// `"44357"` or `"44357.5"` / `"44357,5"`: digits (at least 3) with at most one decimal mark.
fn bare_serial(s: &str) -> Option<f64> {
    let (whole, frac) = match s.split_once(['.', ',']) {
        Some((w, f)) => (w, f),
        None => (s, "0"),
    };
    let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    if whole.len() >= 3 && whole.len() <= 7 && digits(whole) && digits(frac) && frac.len() <= 12 {
        format!("{whole}.{frac}").parse().ok()
    } else {
        None
    }
}

/// Parse a date written as text. See the module docs for the accepted forms.
pub fn parse_date_text(input: &str) -> Result<NaiveDate, ErrorCode> {
    let s = strip_decorations(input);
    if s.is_empty() {
        return Err(ErrorCode::DateFormatUnknown);
    }
    // A bare serial number, possibly with a fraction ("44357" or "44357.5").
    if let Some(n) = bare_serial(s) {
        return serial_in_range(n);
    }
    let tokens = tokenize(s).ok_or(ErrorCode::DateFormatUnknown)?;
    match tokens.as_slice() {
        [Token::Num(a), Token::Num(b), Token::Num(c)] => {
            if a.len() == 4 {
                ymd(year(a)?, num(b)?, num(c)?)
            } else if a.len() <= 2 && b.len() <= 2 {
                let (day, month) = (num(a)?, num(b)?);
                if month > 12 && (1..=12).contains(&day) && c.len() == 4 {
                    return Err(ErrorCode::DateMonthFirst);
                }
                ymd(year(c)?, month, day)
            } else {
                Err(ErrorCode::DateFormatUnknown)
            }
        }
        [Token::Num(d), Token::Word(m), Token::Num(y)] if d.len() <= 2 => {
            let m = month_from_name(m).ok_or(ErrorCode::DateFormatUnknown)?;
            ymd(year(y)?, m, num(d)?)
        }
        [Token::Word(m), Token::Num(d), Token::Num(y)] if d.len() <= 2 => {
            let m = month_from_name(m).ok_or(ErrorCode::DateFormatUnknown)?;
            ymd(year(y)?, m, num(d)?)
        }
        [Token::Num(y), Token::Word(m), Token::Num(d)] if y.len() == 4 => {
            let m = month_from_name(m).ok_or(ErrorCode::DateFormatUnknown)?;
            ymd(year(y)?, m, num(d)?)
        }
        _ => Err(ErrorCode::DateFormatUnknown),
    }
}
