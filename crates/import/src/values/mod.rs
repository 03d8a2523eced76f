//! Parsers for single cell values: dates, sentence lengths, numbers and the small enums.
//! Each parser is pure and has table tests next to it.

pub mod date;
pub mod enums;
pub mod names;
pub mod number;
pub mod sentence;

/// Lower-case and drop everything that is not a letter or digit: `"Laki-laki"` → `"lakilaki"`.
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Trim and collapse runs of whitespace to one space.
pub fn clean_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Split a list cell on `,` `;` `/` or newlines, trimming and dropping blanks.
pub fn split_list(s: &str) -> Vec<String> {
    s.split([',', ';', '/', '\n'])
        .map(clean_text)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Characters that make a spreadsheet treat a CSV cell as a formula, plus `'` itself so that
/// escaping stays reversible.
const ESCAPE_START: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// Guard a cell written to CSV against formula injection: text starting with `=`, `+`, `-`,
/// `@`, tab, CR or `'` gets a leading `'`. [`unescape_formula`] undoes it on import.
pub fn escape_formula(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(ESCAPE_START) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Drop one leading `'`: added by [`escape_formula`], or the text marker some systems put in
/// front of numbers so Excel keeps leading zeros (`'00123`).
pub fn unescape_formula(s: &str) -> &str {
    s.strip_prefix('\'').unwrap_or(s)
}
