//! Sentence length parsing: `2 tahun 6 bulan`, `1 thn 3 bln 15 hari`, `8 bulan`, `2th6bl`,
//! English `2 years 6 months`; `seumur hidup` / `life` and `mati` / `death` as special cases.
//! Anything from `subsider` on (the term served in lieu of an unpaid fine) is ignored, as are the
//! filler words `pidana`, `penjara`, `kurungan`, `hukuman`. Parts are kept as written
//! (`18 bulan` stays 18 months) so that export and re-import give the same value.

use crate::record::SentenceLength;

use super::squash;

/// Unit of one `number unit` pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Years,
    Months,
    Weeks,
    Days,
}

fn unit(word: &str) -> Option<Unit> {
    let u = match word {
        "tahun" | "thn" | "th" | "thun" | "t" | "year" | "years" | "yr" | "yrs" | "y" => {
            Unit::Years
        }
        "bulan" | "bln" | "bl" | "bul" | "month" | "months" | "mo" | "mon" | "m" => Unit::Months,
        "minggu" | "mgg" | "week" | "weeks" | "w" => Unit::Weeks,
        "hari" | "hr" | "h" | "day" | "days" | "d" => Unit::Days,
        _ => return None,
    };
    Some(u)
}

const FILLER: [&str; 8] = [
    "pidana",
    "penjara",
    "kurungan",
    "hukuman",
    "dan",
    "and",
    "selama",
    "imprisonment",
];

/// Parse a sentence length. `None` when the text is not a recognisable length (including an
/// all-zero term and a bare number without a unit).
pub fn parse_sentence(input: &str) -> Option<SentenceLength> {
    let lower = input.to_lowercase();
    let main = match lower.find("subs") {
        Some(pos) => &lower[..pos],
        None => lower.as_str(),
    };
    let words: Vec<String> = split_words(main)
        .into_iter()
        .filter(|w| !FILLER.contains(&w.as_str()))
        .collect();
    let joined = words.concat();
    match joined.as_str() {
        "seumurhidup" | "sh" | "life" | "lifesentence" => return Some(SentenceLength::Life),
        "mati" | "death" | "deathpenalty" | "deathsentence" => return Some(SentenceLength::Death),
        _ => {}
    }
    parse_term(&words)
}

/// Split into alternating number / word tokens: `"2th6bl"` → `["2", "th", "6", "bl"]`.
fn split_words(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut current_digit = false;
    for c in s.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let digit = c.is_ascii_digit();
        if !current.is_empty() && digit != current_digit {
            out.push(std::mem::take(&mut current));
        }
        current_digit = digit;
        current.push(c);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn parse_term(words: &[String]) -> Option<SentenceLength> {
    if words.is_empty() || !words.len().is_multiple_of(2) {
        return None;
    }
    let (mut years, mut months, mut days) = (None::<u16>, None::<u16>, None::<u32>);
    for pair in words.chunks(2) {
        let [n, u] = pair else { return None };
        if n.len() > 4 {
            return None;
        }
        let n: u16 = n.parse().ok()?;
        match unit(&squash(u))? {
            Unit::Years if years.is_none() => years = Some(n),
            Unit::Months if months.is_none() => months = Some(n),
            Unit::Weeks => days = Some(days.unwrap_or(0) + u32::from(n) * 7),
            Unit::Days => days = Some(days.unwrap_or(0) + u32::from(n)),
            _ => return None,
        }
    }
    let days = u16::try_from(days.unwrap_or(0)).ok()?;
    let term = SentenceLength::Term {
        years: years.unwrap_or(0),
        months: months.unwrap_or(0),
        days,
    };
    if term
        == (SentenceLength::Term {
            years: 0,
            months: 0,
            days: 0,
        })
    {
        return None;
    }
    Some(term)
}

/// Render a sentence in the import format (`2 tahun 6 bulan`, `seumur hidup`, `mati`).
pub fn format_sentence(s: &SentenceLength) -> String {
    match *s {
        SentenceLength::Life => "seumur hidup".to_owned(),
        SentenceLength::Death => "mati".to_owned(),
        SentenceLength::Term {
            years,
            months,
            days,
        } => {
            let mut parts = Vec::new();
            if years > 0 {
                parts.push(format!("{years} tahun"));
            }
            if months > 0 {
                parts.push(format!("{months} bulan"));
            }
            if days > 0 || parts.is_empty() {
                parts.push(format!("{days} hari"));
            }
            parts.join(" ")
        }
    }
}

/// A duration in days, for remissions written as `3 bulan 15 hari`: a month counts 30 days
/// and a year 365 (remissions are granted in months and days, so this is close enough).
/// Life and death are not durations.
pub fn parse_duration_days(input: &str) -> Option<u32> {
    match parse_sentence(input)? {
        SentenceLength::Term {
            years,
            months,
            days,
        } => Some(u32::from(years) * 365 + u32::from(months) * 30 + u32::from(days)),
        SentenceLength::Life | SentenceLength::Death => None,
    }
}
