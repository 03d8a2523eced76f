//! `bekal selection explain`: for every inmate of a facility (or one), selected / waiting /
//! not selected / ineligible, with the package and the reasons in Indonesian and English.

use super::{DatabaseArg, database_url, emit, make_app, open_store, operator, report_app_error};
use crate::config::Settings;
use bekal_app::selection;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum SelectionCommand {
    /// Explain the selection of a facility's approved plan.
    Explain {
        #[arg(long)]
        facility: String,
        /// Only this inmate (register number).
        #[arg(long)]
        inmate: Option<String>,
        /// JSON on stdout (one array of explanations).
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

pub async fn run(command: SelectionCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    let SelectionCommand::Explain {
        facility,
        inmate,
        json,
        db,
    } = command;
    let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
    let explanations =
        match selection::explain(&app, &operator(), &facility, inmate.as_deref()).await {
            Ok(list) => list,
            Err(err) => return Ok(report_app_error(&err)),
        };
    if json {
        emit(&serde_json::to_string(&explanations)?);
    } else {
        for e in &explanations {
            let why: Vec<&str> = e.reasons.iter().map(|r| r.id.as_str()).collect();
            emit(&format!(
                "{}\t{}\t{}\t{}",
                e.register_number,
                e.status,
                e.package.as_deref().unwrap_or("-"),
                why.join("; ")
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}
