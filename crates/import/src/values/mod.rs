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
