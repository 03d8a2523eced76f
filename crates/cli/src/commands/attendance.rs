//! `bekal attendance export` (the register as CSV or XLSX) and `bekal sessions generate` (the
//! sessions of an approved plan). Both go through `bekal_app::delivery`; no SQL here.

use super::{DatabaseArg, database_url, make_app, open_store, operator, report_app_error};
use crate::config::Settings;
use bekal_app::delivery::export::{self, RegisterFilter};
use bekal_app::delivery::sessions;
use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

#[derive(Debug, Subcommand)]
pub enum AttendanceCommand {
    /// The attendance register of a facility or a class for a period.
    Export {
        /// Facility code.
        #[arg(long)]
        facility: String,
        /// Only this class (id).
        #[arg(long)]
        class: Option<i64>,
        /// First day (YYYY-MM-DD).
        #[arg(long)]
        from: Option<NaiveDate>,
        /// Last day (YYYY-MM-DD).
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Output file (default: stdout, CSV only).
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// Create the sessions of every class of an approved plan (idempotent).
    Generate {
        /// Plan id.
        #[arg(long)]
        plan: i64,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

pub async fn run(command: AttendanceCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    let AttendanceCommand::Export {
        facility,
        class,
        from,
        to,
        format,
        output,
        db,
    } = command;
    if format == ExportFormat::Xlsx && output.is_none() {
        eprintln!("error: --format xlsx needs -o FILE");
        return Ok(ExitCode::from(2));
    }
    let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
    let filter = RegisterFilter {
        facility_code: facility,
        class_id: class,
        from,
        to,
    };
    let lines = match export::register(&app, &operator(), &filter).await {
        Ok(lines) => lines,
        Err(err) => return Ok(report_app_error(&err)),
    };
    let bytes = match format {
        ExportFormat::Csv => export::to_csv(&lines),
        ExportFormat::Xlsx => export::to_xlsx(&lines),
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(err) => return Ok(report_app_error(&err)),
    };
    match output {
        Some(path) => {
            std::fs::write(&path, &bytes)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            eprintln!("{} line(s) written to {}", lines.len(), path.display());
        }
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn run_sessions(
    command: SessionsCommand,
    settings: &Settings,
) -> anyhow::Result<ExitCode> {
    let SessionsCommand::Generate { plan, db } = command;
    let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
    match sessions::generate_sessions(&app, &operator(), plan).await {
        Ok(summary) => {
            super::emit(&serde_json::to_string(&summary)?);
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => Ok(report_app_error(&err)),
    }
}
