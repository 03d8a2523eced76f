//! Fresh databases for tests, on both backends. SQLite: a new file in the temp folder, removed
//! on drop. PostgreSQL: a new schema in the database named by `BEKAL_TEST_POSTGRES_URL`,
//! dropped on drop (best effort) and swept when older than a day. Without that variable the
//! PostgreSQL half is skipped with a plain message, except under CI (`CI=true`), where a
//! missing PostgreSQL is a failure.

use crate::{Backend, Store, StoreError};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

/// The variable naming the PostgreSQL database tests may use.
pub const POSTGRES_URL_VAR: &str = "BEKAL_TEST_POSTGRES_URL";

static COUNTER: AtomicU64 = AtomicU64::new(0);

#[expect(
    clippy::disallowed_methods,
    reason = "test names only, not domain time"
)]
fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `<unix seconds>_<pid>_<counter>`: unique on this machine, and old ones can be swept.
fn unique_suffix() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{}_{}_{n}", unix_seconds(), std::process::id())
}

/// Drops test schemas left by crashed runs more than six hours ago.
async fn sweep_old_schemas(admin: &Store) -> Result<(), StoreError> {
    let rows = admin
        .conn()
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bekal\\_t\\_%'",
        ))
        .await?;
    let cutoff = unix_seconds().saturating_sub(6 * 3600);
    for row in rows {
        let Ok(name) = row.try_get_by_index::<String>(0) else {
            continue;
        };
        let born: u64 = name
            .trim_start_matches("bekal_t_")
            .split('_')
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(u64::MAX);
        if born < cutoff {
            admin
                .conn()
                .execute_raw(Statement::from_string(
                    DbBackend::Postgres,
                    format!("DROP SCHEMA IF EXISTS {name} CASCADE"),
                ))
                .await?;
        }
    }
    Ok(())
}

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDatabase {
    pub store: Store,
    pub url: String,
    pub schema: Option<String>,
    sqlite_file: Option<PathBuf>,
}

impl TestDatabase {
    /// A fresh, migrated SQLite database.
    pub async fn sqlite() -> Result<TestDatabase, StoreError> {
        let file = std::env::temp_dir().join(format!("bekal-test-{}.sqlite", unique_suffix()));
        let url = format!("sqlite://{}", file.display());
        let store = Store::connect(&url).await?;
        store.migrate().await?;
        Ok(TestDatabase {
            store,
            url,
            schema: None,
            sqlite_file: Some(file),
        })
    }

    /// A fresh, migrated PostgreSQL schema, or `None` (with a message) when PostgreSQL is not
    /// configured outside CI. Panics under CI when it is missing: CI must test both backends.
    pub async fn postgres() -> Option<TestDatabase> {
        let Ok(base) = std::env::var(POSTGRES_URL_VAR) else {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{POSTGRES_URL_VAR} is not set under CI: the PostgreSQL half must run");
            }
            eprintln!("PostgreSQL half SKIPPED: set {POSTGRES_URL_VAR}=postgres://... to run it");
            return None;
        };
        match Self::postgres_at(&base).await {
            Ok(db) => Some(db),
            Err(err) => panic!(
                "cannot prepare a PostgreSQL test schema on {}: {err}",
                crate::redact_url(&base)
            ),
        }
    }

    async fn postgres_at(base: &str) -> Result<TestDatabase, StoreError> {
        let admin = Store::connect(base).await?;
        sweep_old_schemas(&admin).await?;
        let schema = format!("bekal_t_{}", unique_suffix());
        admin
            .conn()
            .execute_raw(Statement::from_string(
                DbBackend::Postgres,
                format!("CREATE SCHEMA {schema}"),
            ))
            .await?;
        admin.close().await?;
        let store = Store::connect_with_schema(base, Some(&schema)).await?;
        store.migrate().await?;
        Ok(TestDatabase {
            store,
            url: base.to_owned(),
            schema: Some(schema),
            sqlite_file: None,
        })
    }

    /// The backend under test.
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// A second, independent connection pool on the same database (a second server).
    pub async fn second_store(&self) -> Result<Store, StoreError> {
        Store::connect_with_schema(&self.url, self.schema.as_deref()).await
    }

    /// Removes the database (SQLite file or PostgreSQL schema).
    pub async fn cleanup(self) {
        let _ = self.store.close().await;
        if let Some(schema) = &self.schema
            && let Ok(admin) = Store::connect(&self.url).await
        {
            let _ = admin
                .conn()
                .execute_raw(Statement::from_string(
                    DbBackend::Postgres,
                    format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
                ))
                .await;
            let _ = admin.close().await;
        }
        if let Some(file) = &self.sqlite_file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
            }
        }
    }
}

/// Runs each named async test case, `async fn case(db: &TestDatabase)`, on a fresh SQLite
/// database and on a fresh PostgreSQL schema (skipped with a message when PostgreSQL is not
/// configured, a failure under CI). Write a case once; the macro makes `sqlite::case` and
/// `postgres::case` tests.
#[macro_export]
macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $case() {
                    let db = $crate::testing::TestDatabase::sqlite()
                        .await
                        .unwrap_or_else(|e| panic!("SQLite test database: {e}"));
                    super::$case(&db).await;
                    db.cleanup().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $case() {
                    let Some(db) = $crate::testing::TestDatabase::postgres().await else { return };
                    super::$case(&db).await;
                    db.cleanup().await;
                }
            )*
        }
    };
}
