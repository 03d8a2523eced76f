//! Guard against certificates that reveal a correctional facility. A certificate must help
//! its holder after release, so any text that names a prison, remand centre, inmate status or
//! similar is refused before signing.

/// Words (lowercase, whole-word match) that would reveal where the training took place.
const REVEALING_WORDS: &[&str] = &[
    "lapas",
    "rutan",
    "lpka",
    "bapas",
    "pemasyarakatan",
    "permasyarakatan",
    "penjara",
    "narapidana",
    "napi",
    "wbp",
    "tahanan",
    "binaan",
    "kalapas",
    "karutan",
    "prison",
    "prisoner",
    "inmate",
    "jail",
    "correctional",
    "penitentiary",
    "detention",
];

/// Returns the first revealing word found in `text`, if any.
pub(crate) fn revealing_word(text: &str) -> Option<&'static str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .find_map(|word| {
            let lower = word.to_lowercase();
            REVEALING_WORDS.iter().copied().find(|bad| *bad == lower)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_facility_words() {
        assert_eq!(revealing_word("Lapas Kelas IIA Pekalongan"), Some("lapas"));
        assert_eq!(revealing_word("LPKA Kutoarjo"), Some("lpka"));
        assert_eq!(revealing_word("Warga Binaan"), Some("binaan"));
        assert_eq!(revealing_word("UPTD BLK Kota Pekalongan"), None);
        assert_eq!(revealing_word("Kapasitas"), None);
        assert_eq!(revealing_word("Perawatan AC (F.43RAC01.001.1)"), None);
    }
}
