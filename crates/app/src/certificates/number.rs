//! Certificate numbers from a partner's format, and credential ids.
//!
//! Placeholders: `{partner}` (the partner code), `{year}` (four digits), `{seq}` (the
//! partner's running number) or `{seq:0N}` (zero-padded to N digits). Anything else in braces
//! is rejected so that a typo does not end up printed on certificates.

use crate::AppError;

/// Fills in a number format.
pub fn format_number(
    format: &str,
    partner_code: &str,
    year: i32,
    seq: i64,
) -> Result<String, AppError> {
    let mut out = String::new();
    let mut rest = format;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| AppError::invalid("certificate_number_format", "unclosed {"))?;
        let token = &after[..close];
        match token {
            "partner" => out.push_str(partner_code),
            "year" => out.push_str(&format!("{year:04}")),
            "seq" => out.push_str(&seq.to_string()),
            _ => {
                let width = token
                    .strip_prefix("seq:0")
                    .and_then(|w| w.parse::<usize>().ok())
                    .filter(|w| (1..=12).contains(w))
                    .ok_or_else(|| {
                        AppError::invalid(
                            "certificate_number_format",
                            format!("unknown placeholder {{{token}}}"),
                        )
                    })?;
                out.push_str(&format!("{seq:0width$}"));
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    if out.trim().is_empty() {
        return Err(AppError::invalid("certificate_number_format", "is empty"));
    }
    Ok(out)
}

/// Checks a partner's number format before it is saved: it must fill in, and name both
/// `{partner}` and `{seq}` / `{seq:0N}`, because numbers are unique across every partner
/// and every year (a format without them would repeat a number and refuse the next
/// certificate).
pub fn check_format(format: &str) -> Result<(), AppError> {
    format_number(format, "P", 2026, 1)?;
    if !format.contains("{partner}") || !(format.contains("{seq}") || format.contains("{seq:0")) {
        return Err(AppError::invalid(
            "certificate_number_format",
            "must contain {partner} and {seq} (or {seq:05}), so that no two certificates get the same number",
        ));
    }
    Ok(())
}

/// A certificate number as a file name: `/` (and `\`) replaced by `-`.
pub fn file_safe(number: &str) -> String {
    number
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':') {
                '-'
            } else {
                c
            }
        })
        .collect()
}

/// A fresh `urn:uuid:` (version 4) for a credential id.
pub fn new_credential_id() -> Result<String, AppError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| AppError::Internal(format!("random: {e}")))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    Ok(format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_must_keep_numbers_unique() {
        assert!(check_format("{partner}/{year}/{seq:05}").is_ok());
        assert!(check_format("SERT-{partner}-{seq}").is_ok());
        for bad in [
            "{partner}/{year}",
            "{year}/{seq}",
            "{partner}/{tahun}/{seq}",
            "",
        ] {
            assert!(check_format(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats_partner_year_and_padded_sequence() {
        let n = format_number("{partner}/{year}/{seq:05}", "BLK-PKL", 2026, 7);
        assert_eq!(n.ok().as_deref(), Some("BLK-PKL/2026/00007"));
        let n = format_number("No. {seq}-{year}", "X", 2026, 12);
        assert_eq!(n.ok().as_deref(), Some("No. 12-2026"));
        assert!(format_number("{partner}/{yr}", "X", 2026, 1).is_err());
        assert!(format_number("{seq", "X", 2026, 1).is_err());
        assert_eq!(file_safe("BLK-PKL/2026/00007"), "BLK-PKL-2026-00007");
    }

    #[test]
    fn credential_ids_are_uuid_urns() {
        let id = new_credential_id().ok().unwrap_or_default();
        assert_eq!(id.len(), 45);
        assert!(id.starts_with("urn:uuid:"));
        assert_eq!(&id[23..24], "4");
    }
}
