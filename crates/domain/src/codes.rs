//! Validated identifiers and codes typed by people: facility codes, register numbers, package
//! codes. Parse, don't validate: once a value has one of these types it is known to be sound.

use crate::DomainError;
use serde::{Deserialize, Serialize};

macro_rules! code_newtype {
    ($(#[$meta:meta])* $name:ident, $field:literal, $check:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses and normalises a value typed by a person or read from a file.
            pub fn parse(raw: &str) -> Result<Self, DomainError> {
                let check: fn(&str) -> Result<String, &'static str> = $check;
                check(raw.trim())
                    .map($name)
                    .map_err(|reason| DomainError::invalid($field, raw, reason))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = DomainError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                $name::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::parse(s)
            }
        }
    };
}

fn upper_code(raw: &str, max: usize) -> Result<String, &'static str> {
    if raw.is_empty() {
        return Err("must not be empty");
    }
    if raw.chars().count() > max {
        return Err("too long");
    }
    if !raw
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        return Err("only letters, digits, '-', '_' and '.' are allowed");
    }
    Ok(raw.to_ascii_uppercase())
}

code_newtype!(
    /// A facility's short code, e.g. `PKL` for Lapas Kelas IIA Pekalongan. Upper-case.
    FacilityCode, "facility code", |raw| upper_code(raw, 16)
);

code_newtype!(
    /// A training partner's short code, e.g. `BLK-PKL`. Upper-case.
    PartnerCode, "partner code", |raw| upper_code(raw, 24)
);

code_newtype!(
    /// A training package's code, e.g. `LAS` (welding). Upper-case.
    PackageCode, "package code", |raw| upper_code(raw, 24)
);

code_newtype!(
    /// An inmate's register number as the facility writes it (`B.I-123/2020`, `AI.45/21`...).
    /// The format varies by facility, so it stays a string: trimmed, inner whitespace
    /// collapsed, case kept, at most 64 characters.
    RegisterNumber, "register number", |raw| {
        if raw.is_empty() {
            return Err("must not be empty");
        }
        let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.chars().count() > 64 {
            return Err("too long");
        }
        if collapsed.chars().any(char::is_control) {
            return Err("contains control characters");
        }
        Ok(collapsed)
    }
);

/// A user name for signing in: lower-case letters, digits, `.`, `_`, `-`; 3 to 64 characters.
pub fn parse_username(raw: &str) -> Result<String, DomainError> {
    let name = raw.trim().to_ascii_lowercase();
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !(3..=64).contains(&name.len()) || !ok_chars {
        return Err(DomainError::invalid(
            "username",
            raw,
            "3-64 characters: letters, digits, '.', '_' or '-'",
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facility_code_is_normalised_and_checked() {
        assert_eq!(
            FacilityCode::parse(" pkl ").map(|c| c.to_string()),
            Ok("PKL".into())
        );
        assert!(FacilityCode::parse("").is_err());
        assert!(FacilityCode::parse("P K L").is_err());
        assert!(FacilityCode::parse("ABCDEFGHIJKLMNOPQ").is_err());
    }

    #[test]
    fn register_number_keeps_its_format() {
        let reg = RegisterNumber::parse("  B.I  123/2020 ").map(|r| r.to_string());
        assert_eq!(reg, Ok("B.I 123/2020".into()));
        assert!(RegisterNumber::parse("   ").is_err());
        assert!(RegisterNumber::parse("A\u{0}B").is_err());
    }

    #[test]
    fn serde_goes_through_parse() {
        let bad: Result<FacilityCode, _> = serde_json::from_str("\"a b\"");
        assert!(bad.is_err());
        let good: Result<FacilityCode, _> = serde_json::from_str("\"pkl\"");
        assert_eq!(good.map(|c| c.to_string()).ok(), Some("PKL".to_owned()));
    }
}
