//! `bekal facility ...`: register and list facilities.

use super::{DatabaseArg, database_url, make_app, open_store, operator, report_app_error};
use crate::config::Settings;
use bekal_app::facilities::{self, NewFacility};
use bekal_domain::status::FacilityKind;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum FacilityCommand {
    /// Register a facility: bekal facility add CODE NAME --kind lapas|rutan|lpka [--region R]
    Add {
        /// Short code, e.g. PKL.
        code: String,
        /// Full name, e.g. "Lapas Kelas IIA Pekalongan".
        name: String,
        #[arg(long, value_parser = parse_kind)]
        kind: FacilityKind,
        /// Region (Kanwil), e.g. "Jawa Tengah".
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        city: Option<String>,
        /// Print the created facility as JSON on stdout.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// List facilities.
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

fn parse_kind(text: &str) -> Result<FacilityKind, String> {
    text.parse()
        .map_err(|_| "expected lapas, rutan or lpka".to_owned())
}

pub async fn run(command: FacilityCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    match command {
        FacilityCommand::Add {
            code,
            name,
            kind,
            region,
            city,
            json,
            db,
        } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            let new = NewFacility {
                code,
                name,
                kind,
                region,
                city,
            };
            match facilities::add(&app, &operator(), new).await {
                Ok(view) => {
                    if json {
                        super::emit(&serde_json::to_string(&view)?);
                    } else {
                        eprintln!("facility {} added: {}", view.code, view.name);
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_app_error(&err)),
            }
        }
        FacilityCommand::List { json, db } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            let list = facilities::list(&app, &operator()).await?;
            if json {
                super::emit(&serde_json::to_string(&list)?);
            } else {
                for f in list {
                    super::emit(&format!(
                        "{}\t{}\t{}\t{}",
                        f.code,
                        f.kind,
                        f.region.unwrap_or_default(),
                        f.name
                    ));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
