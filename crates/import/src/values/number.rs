//! Number parsing with Indonesian conventions: `.` groups thousands and `,` marks decimals
//! (`1.234` = 1234, `75,5` = 75.5), while English-style `1,234` and `75.5` are also read.
//! Integers accept grouping only in groups of three digits; `12,0` / `12.00` count as whole.

use crate::error::ErrorCode;
use crate::raw::Cell;

fn strip_spaces(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect()
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// Digits grouped by one separator kind, groups after the first being 3 digits: `1.234.567`.
fn grouped(s: &str, sep: char) -> Option<String> {
    let mut parts = s.split(sep);
    let first = parts.next()?;
    if !all_digits(first) || first.len() > 3 {
        return None;
    }
    let mut out = first.to_owned();
    for p in parts {
        if p.len() != 3 || !all_digits(p) {
            return None;
        }
        out.push_str(p);
    }
    Some(out)
}

/// Parse a whole number from text. Errors are `wrong_type` (not a number) or
/// `number_out_of_range`.
pub fn parse_int_text(input: &str) -> Result<i64, ErrorCode> {
    let s = strip_spaces(input);
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(&s)),
    };
    let digits = if all_digits(body) {
        body.to_owned()
    } else if let Some(g) = grouped(body, '.').or_else(|| grouped(body, ',')) {
        g
    } else if let Some((w, f)) = body.split_once([',', '.'])
        && all_digits(w)
        && all_digits(f)
        && f.chars().all(|c| c == '0')
    {
        w.to_owned()
    } else {
        return Err(ErrorCode::WrongType);
    };
    if digits.len() > 15 {
        return Err(ErrorCode::NumberOutOfRange);
    }
    let n: i64 = digits.parse().map_err(|_| ErrorCode::WrongType)?;
    Ok(if neg { -n } else { n })
}

/// Parse a decimal from text: one `,` or one `.` is the decimal mark; with both, the last one
/// is; more than one of a single kind means thousands grouping.
pub fn parse_decimal_text(input: &str) -> Result<f64, ErrorCode> {
    let s = strip_spaces(input);
    let commas = s.matches(',').count();
    let dots = s.matches('.').count();
    let normalised = match (commas, dots) {
        (0, 0) | (0, 1) => s.clone(),
        (1, 0) => s.replace(',', "."),
        (_, 0) | (0, _) => return parse_int_text(&s).map(|n| n as f64),
        _ => {
            let last_comma = s.rfind(',').unwrap_or(0);
            let last_dot = s.rfind('.').unwrap_or(0);
            if last_comma > last_dot {
                s.replace('.', "").replace(',', ".")
            } else {
                s.replace(',', "")
            }
        }
    };
    let ok_chars = normalised
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')));
    if !ok_chars || normalised.matches('.').count() > 1 {
        return Err(ErrorCode::WrongType);
    }
    let v: f64 = normalised.parse().map_err(|_| ErrorCode::WrongType)?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(ErrorCode::NumberOutOfRange)
    }
}

/// A whole number from a cell (text or numeric cell).
pub fn parse_int_cell(cell: &Cell) -> Result<i64, ErrorCode> {
    match cell {
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Ok(*n as i64),
        Cell::Text(s) => parse_int_text(s),
        _ => Err(ErrorCode::WrongType),
    }
}

/// A decimal from a cell (text or numeric cell).
pub fn parse_decimal_cell(cell: &Cell) -> Result<f64, ErrorCode> {
    match cell {
        Cell::Number(n) if n.is_finite() => Ok(*n),
        Cell::Text(s) => parse_decimal_text(s),
        _ => Err(ErrorCode::WrongType),
    }
}
