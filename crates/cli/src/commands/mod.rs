//! The command line: one module per command group. Commands call `bekal_app` services; they
//! never write SQL of their own.

mod attendance;
mod audit;
mod backup;
mod bench;
mod bench_http;
mod bench_reports;
mod catalogue;
mod cert;
mod demo;
mod facility;
mod followup;
mod import;
mod inmate;
mod plan;
mod report;
mod retention;
mod selection;
mod serve;
mod user;
mod verify;

use crate::config::Settings;
use bekal_app::{App, AppError};
use bekal_domain::clock::{Clock, FixedClock, SystemClock};
use bekal_store::Store;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, Parser)]
#[command(
    name = "bekal",
    version,
    about = "Vocational training in correctional facilities, from intake to a job after release"
)]
pub struct Cli {
    /// A TOML settings file (default: bekal.toml in the working directory, if present).
    #[arg(long, global = true, env = "BEKAL_CONFIG")]
    pub config: Option<PathBuf>,
    /// More log output on stderr.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the data lives; every command that touches data takes it.
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseArg {
    /// sqlite://PATH or postgres://... (default: the settings' database_url).
    #[arg(long, env = "BEKAL_DATABASE_URL")]
    pub database: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build (or reuse) the Pekalongan demo scenario and serve it.
    Demo(demo::DemoArgs),
    /// Serve the web application and the JSON API.
    Serve(serve::ServeArgs),
    /// Apply pending database migrations.
    Migrate {
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Write a consistent copy of the database while servers keep writing.
    Backup(backup::BackupArgs),
    /// Restore a backup into an empty database (or replace a SQLite file with --force), then
    /// check it.
    Restore(backup::RestoreArgs),
    /// Check the database: integrity, every audit chain, every certificate re-verified.
    Check(backup::CheckArgs),
    /// Facilities (UPT Pemasyarakatan).
    #[command(subcommand)]
    Facility(facility::FacilityCommand),
    /// The programme catalogue (partners, units, packages, trainers, rooms) and holidays.
    #[command(subcommand)]
    Catalogue(catalogue::CatalogueCommand),
    /// Accounts: add, reset a password.
    #[command(subcommand)]
    User(user::UserCommand),
    /// The audit log: verify the chains, sign a checkpoint.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Certificates: issue, export, revoke, rotate keys.
    #[command(subcommand)]
    Cert(cert::CertCommand),
    /// Verify a certificate file or QR text offline: VALID / INVALID / REVOKED, exit 0 / 1.
    Verify(verify::VerifyArgs),
    /// Inmates: record a release, transfer or death an officer confirmed.
    #[command(subcommand)]
    Inmate(inmate::InmateCommand),
    /// Import records from SDP exports and spreadsheets.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// The training-plan solver on instance files: solve and check.
    #[command(subcommand)]
    Plan(plan::PlanCommand),
    /// Why each inmate was or was not selected.
    #[command(subcommand)]
    Selection(selection::SelectionCommand),
    /// Attendance: export the register (CSV / XLSX).
    #[command(subcommand)]
    Attendance(attendance::AttendanceCommand),
    /// Training sessions: generate them from an approved plan.
    #[command(subcommand)]
    Sessions(attendance::SessionsCommand),
    /// Reports: the figures of a facility, partner, package, region or the nation.
    #[command(subcommand)]
    Report(report::ReportCommand),
    /// Follow-up after release: what is due, record what was found.
    #[command(subcommand, name = "followup")]
    FollowUp(followup::FollowUpCommand),
    /// Retention of personal data after release: the period, erasing records past it.
    #[command(subcommand)]
    Retention(retention::RetentionCommand),
    /// Benchmarks and the synthetic national data set.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

pub async fn run(cli: Cli, settings: Settings) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Demo(args) => demo::run(args, &settings).await,
        Command::Serve(args) => serve::run(args, &settings).await,
        Command::Migrate { db } => {
            let url = database_url(&db, &settings);
            let store = open_store(&url, false).await?;
            let applied = store.migrate().await?;
            eprintln!("{applied} migration(s) applied; schema is current");
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup(args) => backup::run_backup(args, &settings).await,
        Command::Restore(args) => backup::run_restore(args, &settings).await,
        Command::Check(args) => backup::run_check(args, &settings).await,
        Command::Facility(command) => facility::run(command, &settings).await,
        Command::Catalogue(command) => catalogue::run(command, &settings).await,
        Command::User(command) => user::run(command, &settings).await,
        Command::Audit(command) => audit::run(command, &settings).await,
        Command::Cert(command) => cert::run(command, &settings).await,
        Command::Verify(args) => verify::run(args, &settings).await,
        Command::Import(command) => import::run(command, &settings).await,
        Command::Inmate(command) => inmate::run(command, &settings).await,
        Command::Plan(command) => plan::run(command),
        Command::Selection(command) => selection::run(command, &settings).await,
        Command::Attendance(command) => attendance::run(command, &settings).await,
        Command::Sessions(command) => attendance::run_sessions(command, &settings).await,
        Command::Report(command) => report::run(command, &settings).await,
        Command::FollowUp(command) => followup::run(command, &settings).await,
        Command::Retention(command) => retention::run(command, &settings).await,
        Command::Bench(command) => bench::run(command).await,
    }
}

/// The database URL from the flag, the environment or the settings.
pub fn database_url(arg: &DatabaseArg, settings: &Settings) -> String {
    arg.database
        .clone()
        .unwrap_or_else(|| settings.database_url.clone())
}

/// Opens the store, creating the SQLite file's folder when needed, and migrates.
pub async fn open_store(url: &str, migrate: bool) -> anyhow::Result<Store> {
    if let Some(path) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        let file = path.split('?').next().unwrap_or(path);
        if let Some(parent) = Path::new(file)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent)
                .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", parent.display()))?;
        }
    }
    let store = Store::connect(url).await?;
    if migrate {
        store.migrate().await?;
    }
    Ok(store)
}

/// The app with the system clock, or a clock pinned to `today`.
pub fn make_app(store: Store, today: Option<chrono::NaiveDate>) -> App {
    let clock: Arc<dyn Clock> = match today {
        Some(day) => Arc::new(FixedClock::at_day(day)),
        None => Arc::new(SystemClock),
    };
    App::new(store, clock)
}

/// The CLI's actor: the operator of this machine, audited under their OS user name.
pub fn operator() -> bekal_app::Actor {
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".to_owned());
    bekal_app::Actor::Operator {
        label: format!("cli:{user}"),
    }
}

/// Writes one line to stdout: the CLI's machine-readable channel (logs go to stderr).
#[expect(clippy::print_stdout, reason = "stdout is the CLI's output channel")]
pub fn emit(line: &str) {
    println!("{line}");
}

/// Prints a rejected request the way a user can act on, and picks the exit code.
pub fn report_app_error(err: &AppError) -> ExitCode {
    eprintln!("error: {err}");
    ExitCode::from(1)
}
