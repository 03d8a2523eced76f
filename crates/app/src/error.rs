//! Errors of the service layer. They separate what the user did wrong (invalid input, a
//! conflict, a missing record, no permission) from what broke (the store); only the web layer
//! turns them into HTTP statuses and only the CLI into exit codes.

use bekal_domain::DomainError;
use bekal_store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AppError {
    /// Input broke a rule; `field` names the form field or column.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// The record does not exist, or the actor may not know that it exists.
    #[error("{0} not found")]
    NotFound(String),
    /// The actor is not allowed to do this.
    #[error("not permitted: {0}")]
    Forbidden(String),
    /// The change conflicts with the current state (a duplicate, a locked record).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Nobody (valid) is signed in: wrong credentials, an expired session, a revoked token.
    #[error("not signed in: {0}")]
    Unauthenticated(String),
    /// Too many attempts: sign-in throttling by address, or a temporarily locked account.
    #[error("too many attempts: {0}")]
    RateLimited(String),
    /// The database is busy; the request may be retried.
    #[error("busy, try again: {0}")]
    Busy(String),
    /// The database cannot be written now (disk full, read-only); nothing was saved and the
    /// request may be repeated once the storage is writable again.
    #[error("storage unavailable: {0}")]
    StorageUnavailable(String),
    /// Something broke inside Bekal or its database.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl From<DomainError> for AppError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Invalid {
                field,
                value,
                reason,
            } => AppError::Invalid {
                field: field.to_owned(),
                message: format!("{value:?}: {reason}"),
            },
        }
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Duplicate(detail) => {
                AppError::Conflict(format!("already exists ({detail})"))
            }
            StoreError::Reference(detail) => AppError::Conflict(format!("reference ({detail})")),
            StoreError::NotFound { entity, key } => AppError::NotFound(format!("{entity} {key}")),
            StoreError::Busy(detail) => AppError::Busy(detail),
            StoreError::Unwritable(detail) => AppError::StorageUnavailable(detail),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<bekal_store::sea_orm::DbErr> for AppError {
    fn from(err: bekal_store::sea_orm::DbErr) -> Self {
        AppError::from(StoreError::from(err))
    }
}
