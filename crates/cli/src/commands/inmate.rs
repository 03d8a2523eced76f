//! `bekal inmate release ...`: record a release, transfer or death that an officer confirmed
//! (an import never releases anyone; follow-ups after release fall due from its date).
//! `bekal inmate export-data ...`: the subject-access export of one person.

use super::{DatabaseArg, database_url, emit, make_app, open_store, operator, report_app_error};
use crate::config::Settings;
use bekal_app::custody::{self, CustodyChange};
use bekal_domain::status::CustodyStatus;
use chrono::NaiveDate;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum InmateCommand {
    /// Record a custody change: bekal inmate release REGNO --facility CODE --on YYYY-MM-DD
    Release {
        /// The register number, e.g. B.I-123/2025.
        register_number: String,
        #[arg(long)]
        facility: String,
        /// The day it took effect (not in the future).
        #[arg(long)]
        on: NaiveDate,
        /// released (default), transferred or deceased.
        #[arg(long, default_value = "released", value_parser = parse_kind)]
        kind: CustodyStatus,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Everything Bekal holds about one person (subject-access request), as JSON; audited.
    ExportData {
        register_number: String,
        #[arg(long)]
        facility: String,
        /// Write to this file (default: stdout).
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

fn parse_kind(text: &str) -> Result<CustodyStatus, String> {
    match text.parse() {
        Ok(CustodyStatus::InCustody) | Err(_) => {
            Err("expected released, transferred or deceased".to_owned())
        }
        Ok(kind) => Ok(kind),
    }
}

pub async fn run(command: InmateCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    match command {
        InmateCommand::ExportData {
            register_number,
            facility,
            output,
            db,
        } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            let actor = operator();
            let exported = async {
                let id = custody::inmate_id_by_register(&app, &actor, &facility, &register_number)
                    .await?;
                bekal_app::subject_access::export(&app, &actor, id).await
            }
            .await;
            let document = match exported {
                Ok(document) => serde_json::to_string_pretty(&document)?,
                Err(err) => return Ok(report_app_error(&err)),
            };
            match output {
                Some(path) => {
                    std::fs::write(&path, document)
                        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
                    eprintln!(
                        "written {} (the export is recorded in the audit log)",
                        path.display()
                    );
                }
                None => emit(&document),
            }
            Ok(ExitCode::SUCCESS)
        }
        InmateCommand::Release {
            register_number,
            facility,
            on,
            kind,
            reason,
            json,
            db,
        } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            let actor = operator();
            let recorded = async {
                let inmate_id =
                    custody::inmate_id_by_register(&app, &actor, &facility, &register_number)
                        .await?;
                custody::record(
                    &app,
                    &actor,
                    CustodyChange {
                        inmate_id,
                        kind,
                        effective_on: on,
                        reason,
                    },
                )
                .await
            }
            .await;
            match recorded {
                Ok(event) if json => emit(&serde_json::to_string(&event)?),
                Ok(event) => emit(&format!(
                    "{register_number}: {} on {}",
                    event.kind, event.effective_on
                )),
                Err(err) => return Ok(report_app_error(&err)),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
