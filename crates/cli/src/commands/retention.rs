//! `bekal retention show|set|apply`: the retention period after release and erasing the
//! personal fields of records past it (`bekal_app::retention`). `apply --dry-run` only counts.

use super::{DatabaseArg, database_url, emit, make_app, open_store, operator, report_app_error};
use crate::config::Settings;
use bekal_app::retention;
use chrono::NaiveDate;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Print the retention period in force (years after release).
    Show {
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Set the retention period (longer than the last follow-up, at most 30 years).
    Set {
        /// Years after release.
        #[arg(long)]
        years: u32,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Erase the personal fields of everyone released or deceased longer ago than the period;
    /// prints {"years","released_before","dry_run","facilities":{CODE:N},"total"}.
    Apply {
        /// Count only; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Pin "today" (YYYY-MM-DD).
        #[arg(long)]
        today: Option<NaiveDate>,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

pub async fn run(command: RetentionCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    match command {
        RetentionCommand::Show { db } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            match retention::years(&app).await {
                Ok(years) => {
                    emit(&serde_json::json!({ "years_after_release": years }).to_string());
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_app_error(&err)),
            }
        }
        RetentionCommand::Set { years, db } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            match retention::set_years(&app, &operator(), years).await {
                Ok(years) => {
                    eprintln!("retention: {years} years after release");
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_app_error(&err)),
            }
        }
        RetentionCommand::Apply { dry_run, today, db } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, today);
            match retention::apply(&app, &operator(), dry_run).await {
                Ok(report) => {
                    emit(&serde_json::to_string(&report)?);
                    eprintln!(
                        "{} record(s) {} (released on or before {})",
                        report.total,
                        if dry_run { "due for erasure" } else { "erased" },
                        report.released_before
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_app_error(&err)),
            }
        }
    }
}
