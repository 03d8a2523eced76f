//! Backups while the application keeps running, and restores into an empty target.
//!
//! SQLite: `VACUUM INTO` reads one consistent snapshot (a WAL read transaction, so writers go
//! on) and writes a compact copy; the copy is then opened and integrity-checked before it is
//! called done. PostgreSQL: `pg_dump --format=custom`, which reads one repeatable-read
//! snapshot; the dump is listed back with `pg_restore --list` before it is called done.
//!
//! A restore never writes over live data by surprise: SQLite restores to a temporary file
//! beside the target, checks it, and renames it into place (atomic on one file system);
//! PostgreSQL restores into a database that has no Bekal tables, in one transaction
//! (`pg_restore --single-transaction --exit-on-error`), so a failed restore leaves it empty.

use crate::{Backend, Store, StoreError};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a backup wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BackupReport {
    pub backend: &'static str,
    pub file: PathBuf,
    pub bytes: u64,
    /// `ok` when the written copy passed its check (SQLite integrity check, or the PostgreSQL
    /// dump's table of contents read back).
    pub check: String,
}

/// Errors of backup and restore, with what to do about them.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists: choose another file or remove it first")]
    OutputExists(PathBuf),
    #[error(
        "the target {0} already holds data: restore refuses to write over it (use --force to replace a SQLite file)"
    )]
    TargetNotEmpty(String),
    #[error("{0} is not a Bekal backup: {1}")]
    NotABackup(PathBuf, String),
    #[error("the backup copy failed its check: {0}")]
    CheckFailed(String),
    #[error("{tool} is needed for PostgreSQL backups and could not run: {detail}")]
    ToolMissing { tool: &'static str, detail: String },
    #[error("{tool} failed: {detail}")]
    ToolFailed { tool: &'static str, detail: String },
    #[error("file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The file path of a `sqlite://PATH?opts` URL.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let file = rest.split('?').next().unwrap_or(rest);
    (!file.is_empty() && file != ":memory:").then(|| PathBuf::from(file))
}

/// Writes a consistent copy of the database behind `store` (reachable at `url`) to `out`,
/// while other connections keep writing. Refuses to overwrite an existing file.
pub async fn backup(store: &Store, url: &str, out: &Path) -> Result<BackupReport, BackupError> {
    if out.exists() {
        return Err(BackupError::OutputExists(out.to_owned()));
    }
    match store.backend() {
        Backend::Sqlite => backup_sqlite(store, out).await,
        Backend::Postgres => backup_postgres(url, out),
    }
}

async fn backup_sqlite(store: &Store, out: &Path) -> Result<BackupReport, BackupError> {
    let target = out.to_string_lossy().replace('\'', "''");
    store
        .conn()
        .execute_raw(Statement::from_string(
            DbBackend::Sqlite,
            format!("VACUUM INTO '{target}'"),
        ))
        .await
        .map_err(StoreError::from)?;
    let check = check_sqlite_file(out).await?;
    let bytes = std::fs::metadata(out).map_err(io(out))?.len();
    if check != "ok" {
        return Err(BackupError::CheckFailed(check));
    }
    Ok(BackupReport {
        backend: "sqlite",
        file: out.to_owned(),
        bytes,
        check,
    })
}

/// Opens a SQLite file read-only and runs `PRAGMA integrity_check`.
pub async fn check_sqlite_file(file: &Path) -> Result<String, BackupError> {
    let copy = Store::open_sqlite_read_only(file).await?;
    let verdict = copy.integrity_check().await;
    copy.close().await?;
    Ok(verdict?)
}

fn backup_postgres(url: &str, out: &Path) -> Result<BackupReport, BackupError> {
    run_tool(
        "pg_dump",
        Command::new("pg_dump")
            .arg("--format=custom")
            .arg("--no-owner")
            .arg("--no-privileges")
            .arg("--file")
            .arg(out)
            .arg("--dbname")
            .arg(url),
    )?;
    let listing = run_tool(
        "pg_restore",
        Command::new("pg_restore").arg("--list").arg(out),
    )?;
    if !listing.contains("audit_log") {
        return Err(BackupError::CheckFailed(
            "the dump holds no audit_log table".to_owned(),
        ));
    }
    let bytes = std::fs::metadata(out).map_err(io(out))?.len();
    Ok(BackupReport {
        backend: "postgres",
        file: out.to_owned(),
        bytes,
        check: "ok".to_owned(),
    })
}

fn run_tool(tool: &'static str, command: &mut Command) -> Result<String, BackupError> {
    let output = command.output().map_err(|e| BackupError::ToolMissing {
        tool,
        detail: e.to_string(),
    })?;
    if !output.status.success() {
        return Err(BackupError::ToolFailed {
            tool,
            detail: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Restores `input` (a file from [`backup`]) into the database at `url`.
///
/// SQLite: `input` is checked, copied beside the target and renamed into place; an existing
/// target is replaced only with `force` (stop every server on it first). PostgreSQL: the
/// target database must hold no Bekal tables; the restore runs in one transaction.
/// The caller opens the restored database and checks its audit chain and certificates.
pub async fn restore(input: &Path, url: &str, force: bool) -> Result<(), BackupError> {
    if !input.is_file() {
        return Err(BackupError::NotABackup(
            input.to_owned(),
            "no such file".to_owned(),
        ));
    }
    if url.starts_with("sqlite:") {
        let target = sqlite_path(url).ok_or_else(|| {
            BackupError::Store(StoreError::UnsupportedUrl(crate::redact_url(url)))
        })?;
        restore_sqlite(input, &target, force).await
    } else {
        restore_postgres(input, url).await
    }
}

async fn restore_sqlite(input: &Path, target: &Path, force: bool) -> Result<(), BackupError> {
    if target.exists() && !force {
        return Err(BackupError::TargetNotEmpty(target.display().to_string()));
    }
    let mut header = [0_u8; 16];
    {
        use std::io::Read;
        let mut file = std::fs::File::open(input).map_err(io(input))?;
        file.read_exact(&mut header)
            .map_err(|e| BackupError::NotABackup(input.to_owned(), e.to_string()))?;
    }
    if &header != b"SQLite format 3\0" {
        return Err(BackupError::NotABackup(
            input.to_owned(),
            "not a SQLite database file".to_owned(),
        ));
    }
    let verdict = check_sqlite_file(input).await?;
    if verdict != "ok" {
        return Err(BackupError::CheckFailed(verdict));
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    let staging = target.with_extension("restoring");
    std::fs::copy(input, &staging).map_err(io(&staging))?;
    std::fs::File::open(&staging)
        .and_then(|f| f.sync_all())
        .map_err(io(&staging))?;
    // The old database's WAL and shared-memory files belong to the file being replaced.
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side).map_err(io(&side))?;
        }
    }
    std::fs::rename(&staging, target).map_err(io(target))?;
    Ok(())
}

async fn restore_postgres(input: &Path, url: &str) -> Result<(), BackupError> {
    let store = Store::connect(url).await?;
    let row = store
        .conn()
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT count(*) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'audit_log'",
        ))
        .await
        .map_err(StoreError::from)?;
    let existing: i64 = row.and_then(|r| r.try_get_by_index(0).ok()).unwrap_or(0);
    store.close().await?;
    if existing > 0 {
        return Err(BackupError::TargetNotEmpty(crate::redact_url(url)));
    }
    run_tool(
        "pg_restore",
        Command::new("pg_restore")
            .arg("--single-transaction")
            .arg("--exit-on-error")
            .arg("--no-owner")
            .arg("--no-privileges")
            .arg("--dbname")
            .arg(url)
            .arg(input),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_come_out_of_urls() {
        assert_eq!(
            sqlite_path("sqlite://data/bekal.sqlite?mode=rwc"),
            Some(PathBuf::from("data/bekal.sqlite"))
        );
        assert_eq!(
            sqlite_path("sqlite:/tmp/x.db"),
            Some(PathBuf::from("/tmp/x.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x/y"), None);
    }
}
