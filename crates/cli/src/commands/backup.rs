//! `bekal backup OUT`, `bekal restore IN`, `bekal check`: a consistent copy while the servers
//! keep writing, a restore that never half-writes its target, and the health check both end
//! with (integrity, every audit chain, every certificate re-verified). Exit 1 when a check
//! fails.

use super::{DatabaseArg, database_url, emit, make_app, open_store, operator};
use crate::config::Settings;
use bekal_app::maintenance::{self, DatabaseCheck};
use bekal_store::backup;
use clap::Args;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write (must not exist): a SQLite database file, or a pg_dump custom-format
    /// archive for PostgreSQL.
    pub output: PathBuf,
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub db: DatabaseArg,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file written by `bekal backup`.
    pub input: PathBuf,
    /// Replace an existing SQLite file (stop every server on it first). PostgreSQL targets
    /// must always be empty.
    #[arg(long)]
    pub force: bool,
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub db: DatabaseArg,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub db: DatabaseArg,
}

pub async fn run_backup(args: BackupArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let url = database_url(&args.db, settings);
    let store = open_store(&url, false).await?;
    let report = match backup::backup(&store, &url, &args.output).await {
        Ok(report) => report,
        Err(err) => {
            eprintln!("error: {err}");
            return Ok(ExitCode::from(1));
        }
    };
    if args.json {
        emit(&serde_json::to_string(&report)?);
    } else {
        emit(&format!(
            "backup written: {} ({} bytes, {} check {})",
            report.file.display(),
            report.bytes,
            report.backend,
            report.check
        ));
    }
    eprintln!(
        "note: issuer signing keys live in {} and are not in the database backup; keep a copy of that folder on separate, protected media",
        settings.data_dir.join("keys").display()
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn run_restore(args: RestoreArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let url = database_url(&args.db, settings);
    if let Err(err) = backup::restore(&args.input, &url, args.force).await {
        eprintln!("error: {err}");
        return Ok(ExitCode::from(1));
    }
    let app = make_app(open_store(&url, false).await?, None);
    let check = maintenance::check_database(&app, app.clock.now()).await?;
    // Bring the schema up to date only after the copy proved sound (an older backup), and
    // say in the audit log that this database is a restored copy.
    let mut applied = 0;
    if check.is_ok() {
        applied = app.store.migrate().await?;
        let name = args
            .input
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        maintenance::record_restore(&app, &operator(), &name, &check).await?;
    }
    report(&check, args.json, Some(applied));
    Ok(exit_for(&check))
}

pub async fn run_check(args: CheckArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let url = database_url(&args.db, settings);
    let app = make_app(open_store(&url, false).await?, None);
    let check = maintenance::check_database(&app, app.clock.now()).await?;
    report(&check, args.json, None);
    Ok(exit_for(&check))
}

fn report(check: &DatabaseCheck, as_json: bool, migrations: Option<usize>) {
    if as_json {
        emit(
            &json!({
                "ok": check.is_ok(),
                "integrity": check.integrity,
                "chains": check.chains,
                "certificates": check.certificates,
                "problems": check.problems(),
                "migrations_applied": migrations,
            })
            .to_string(),
        );
        return;
    }
    emit(&format!("integrity: {}", check.integrity));
    let entries: i64 = check.chains.iter().map(|c| c.entries).sum();
    emit(&format!(
        "audit: {} chains, {entries} entries",
        check.chains.len()
    ));
    let c = &check.certificates;
    emit(&format!(
        "certificates: {} checked, {} valid, {} revoked, {} with problems",
        c.checked,
        c.valid,
        c.revoked,
        c.problems.len()
    ));
    if let Some(applied) = migrations.filter(|n| *n > 0) {
        emit(&format!("{applied} migration(s) applied after the restore"));
    }
    for problem in check.problems() {
        emit(&format!("PROBLEM {problem}"));
    }
    emit(if check.is_ok() { "ok" } else { "FAILED" });
}

fn exit_for(check: &DatabaseCheck) -> ExitCode {
    if check.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
