//! Opening the database. SQLite gets WAL, `synchronous=FULL` (an acknowledged certificate or
//! audit row survives a power cut), foreign keys and a busy timeout; PostgreSQL an ordinary
//! pool. A schema search path can be given for tests that isolate themselves in a schema.

use crate::StoreError;
use crate::migration::Migrator;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use sea_orm_migration::MigratorTrait;
use std::time::Duration;

/// Which database engine a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle on the database. Cheap to clone; holds a connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
    backend: Backend,
}

/// The URL with any password replaced by `***`, for logs and `Debug` output.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

impl Store {
    /// Connects to `sqlite://PATH` (created if missing) or `postgres://...`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        Self::connect_with_schema(url, None).await
    }

    /// Connects with a PostgreSQL schema search path (ignored for SQLite). Tests use it to
    /// give each test a fresh schema.
    pub async fn connect_with_schema(url: &str, schema: Option<&str>) -> Result<Store, StoreError> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(redact_url(url)));
        };
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .sqlx_logging(false)
            .acquire_timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10));
        match backend {
            Backend::Sqlite => {
                options
                    .max_connections(4)
                    .min_connections(1)
                    .map_sqlx_sqlite_opts(|opts| {
                        opts.create_if_missing(true)
                            .journal_mode(SqliteJournalMode::Wal)
                            .synchronous(SqliteSynchronous::Full)
                            .foreign_keys(true)
                            .busy_timeout(Duration::from_secs(15))
                    });
            }
            Backend::Postgres => {
                options.max_connections(16).min_connections(1);
                if let Some(schema) = schema {
                    options.set_schema_search_path(schema.to_owned());
                }
            }
        }
        let db = Database::connect(options).await?;
        Ok(Store { db, backend })
    }

    /// Opens a SQLite file read-only, changing nothing in it (no journal mode is set): for
    /// checking a backup copy before it is trusted.
    pub async fn open_sqlite_read_only(file: &std::path::Path) -> Result<Store, StoreError> {
        let mut options = ConnectOptions::new(format!("sqlite://{}", file.display()));
        options
            .sqlx_logging(false)
            .max_connections(1)
            .min_connections(1)
            .map_sqlx_sqlite_opts(|opts| opts.read_only(true).create_if_missing(false));
        let db = Database::connect(options).await?;
        Ok(Store {
            db,
            backend: Backend::Sqlite,
        })
    }

    /// Connects and brings the schema up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Applies pending migrations; returns how many were applied.
    pub async fn migrate(&self) -> Result<usize, StoreError> {
        let pending = Migrator::get_pending_migrations(&self.db).await?.len();
        Migrator::up(&self.db, None).await?;
        Ok(pending)
    }

    /// Names of the migrations already applied, in order.
    pub async fn applied_migrations(&self) -> Result<Vec<String>, StoreError> {
        Ok(Migrator::get_applied_migrations(&self.db)
            .await?
            .iter()
            .map(|m| m.name().to_owned())
            .collect())
    }

    /// The connection for reads (writes go through [`Store::begin_write`]).
    pub fn conn(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A trivial round trip: the server is up and the pool can reach the database.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await?;
        Ok(())
    }

    /// SQLite's `PRAGMA integrity_check` (`ok` when sound); PostgreSQL answers `ok` when a
    /// query succeeds (its own checks run in the server).
    pub async fn integrity_check(&self) -> Result<String, StoreError> {
        match self.backend {
            Backend::Sqlite => {
                let row = self
                    .db
                    .query_one_raw(sea_orm::Statement::from_string(
                        DbBackend::Sqlite,
                        "PRAGMA integrity_check",
                    ))
                    .await?;
                let verdict: Option<String> = match row {
                    Some(row) => row.try_get_by_index(0).ok(),
                    None => None,
                };
                Ok(verdict.unwrap_or_else(|| "no answer".to_owned()))
            }
            Backend::Postgres => {
                self.ping().await?;
                Ok("ok".to_owned())
            }
        }
    }

    /// Closes the pool (flushes SQLite's WAL on the last connection).
    pub async fn close(self) -> Result<(), StoreError> {
        self.db.close().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redact_url("postgres://bekal:s3cret@db.example:5432/bekal"),
            "postgres://bekal:***@db.example:5432/bekal"
        );
        assert_eq!(redact_url("sqlite://bekal.sqlite"), "sqlite://bekal.sqlite");
        assert_eq!(redact_url("postgres://bekal@db/x"), "postgres://bekal@db/x");
    }
}
