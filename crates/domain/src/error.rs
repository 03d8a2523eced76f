//! The one error type of the domain crate: a value failed a rule. Carries a stable code so
//! adapters can translate it, and the offending value so the user sees what was wrong.

use thiserror::Error;

/// A value or a request broke a domain rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// A value could not be parsed into the expected type.
    #[error("invalid {field}: {value:?} ({reason})")]
    Invalid {
        field: &'static str,
        value: String,
        reason: &'static str,
    },
}

impl DomainError {
    pub fn invalid(field: &'static str, value: impl Into<String>, reason: &'static str) -> Self {
        DomainError::Invalid {
            field,
            value: value.into(),
            reason,
        }
    }
}
