//! Store errors, classified by kind (unique, foreign key, busy, not found) rather than by
//! constraint name: SQLite reports no constraint name through sqlx, and callers need the kind
//! to tell the user what they did wrong apart from what broke.

use sea_orm::{DbErr, SqlErr};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    /// A unique constraint refused the write (e.g. a register number already in use).
    #[error("already exists: {0}")]
    Duplicate(String),
    /// A referenced row does not exist, or a row is still referenced.
    #[error("reference violation: {0}")]
    Reference(String),
    /// A row that the operation needs does not exist.
    #[error("{entity} not found: {key}")]
    NotFound { entity: &'static str, key: String },
    /// The database is busy or locked, or its server is unreachable for a moment (restarting,
    /// connection lost); the operation may be retried.
    #[error("database busy: {0}")]
    Busy(String),
    /// The database cannot be written: disk full, a read-only file or file system, an I/O
    /// error. Nothing of the failed transaction was kept; the service resumes when the
    /// storage is writable again.
    #[error("the database cannot be written (disk full or read-only); nothing was saved: {0}")]
    Unwritable(String),
    /// The URL names no supported database.
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
    /// A write transaction was committed without an audit entry.
    #[error("a write must record at least one audit entry")]
    Unaudited,
    /// Stored data could not be read back (e.g. an unknown code in a text column).
    #[error("corrupt stored value in {entity}: {detail}")]
    Corrupt {
        entity: &'static str,
        detail: String,
    },
    /// Anything else from the database.
    #[error("database error: {0}")]
    Database(DbErr),
}

impl StoreError {
    /// True when retrying the same operation may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, StoreError::Busy(_))
    }
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(detail)) => {
                return StoreError::Duplicate(detail);
            }
            Some(SqlErr::ForeignKeyConstraintViolation(detail)) => {
                return StoreError::Reference(detail);
            }
            _ => {}
        }
        let text = err.to_string();
        let lower = text.to_ascii_lowercase();
        // SQLite reports a RESTRICT on delete with extended code 1811, which SeaORM does not
        // classify; the message is stable.
        if lower.contains("foreign key constraint failed") {
            return StoreError::Reference(text);
        }
        if lower.contains("database is locked")
            || lower.contains("database is busy")
            || lower.contains("could not serialize access")
            || lower.contains("deadlock detected")
            || lower.contains("pool timed out")
            || is_connection_lost(&lower)
        {
            StoreError::Busy(text)
        } else if is_unwritable(&lower) {
            StoreError::Unwritable(text)
        } else {
            StoreError::Database(err)
        }
    }
}

/// SQLite's SQLITE_FULL / SQLITE_READONLY / SQLITE_IOERR texts and PostgreSQL's disk-full
/// (53100), read-only transaction (25006) and failed file extension messages.
fn is_unwritable(lower: &str) -> bool {
    [
        "database or disk is full",
        "attempt to write a readonly database",
        "disk i/o error",
        "no space left on device",
        "could not extend file",
        "read-only transaction",
        "read-only file system",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
}

/// The database server went away or is restarting (PostgreSQL crashed, was stopped with
/// `-m immediate`, or the network dropped): transient, answered 503, retried by clients.
fn is_connection_lost(lower: &str) -> bool {
    [
        "connection refused",
        "connection reset",
        "broken pipe",
        "terminating connection",
        "the database system is starting up",
        "the database system is shutting down",
        "the database system is in recovery mode",
        "server closed the connection",
        "unexpected eof",
        "error communicating with database",
        "pool closed",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
}
