//! `bekal catalogue ...`: set up what training needs before it starts. `apply FILE.toml`
//! creates the partners, competency units, packages, trainers, rooms and partnerships a
//! catalogue document names (matched by code; what exists is left alone, so applying twice
//! changes nothing); `holidays` loads a holiday CSV (`date,name,kind`) into the national
//! calendar or one facility's, or with `--shipped` Indonesia's national holidays that come
//! with Bekal. The format is in docs/catalogue.md.

use super::{DatabaseArg, database_url, make_app, open_store, operator, report_app_error};
use crate::config::Settings;
use anyhow::Context;
use bekal_app::catalogue::{self, CatalogueSpec, CatalogueSummary};
use bekal_app::facilities;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum CatalogueCommand {
    /// Apply a catalogue document (TOML) in one audited transaction.
    Apply {
        file: PathBuf,
        /// Print the summary as JSON on stdout.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Load holidays from a CSV file (date,name,kind), or the shipped national ones.
    Holidays {
        /// The CSV file (not with --shipped).
        #[arg(required_unless_present = "shipped", conflicts_with = "shipped")]
        file: Option<PathBuf>,
        /// Load Indonesia's national holidays and cuti bersama that ship with Bekal.
        #[arg(long)]
        shipped: bool,
        /// A facility's own days instead of the national calendar.
        #[arg(long)]
        facility: Option<String>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

fn report(summary: CatalogueSummary, json: bool) -> anyhow::Result<ExitCode> {
    if json {
        super::emit(&serde_json::to_string(&summary)?);
    } else {
        eprintln!(
            "{} created, {} already present",
            summary.created, summary.unchanged
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn run(command: CatalogueCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    match command {
        CatalogueCommand::Apply { file, json, db } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let spec = match CatalogueSpec::from_toml(&text) {
                Ok(spec) => spec,
                Err(err) => return Ok(report_app_error(&err)),
            };
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            match catalogue::apply(&app, &operator(), &spec).await {
                Ok(summary) => report(summary, json),
                Err(err) => Ok(report_app_error(&err)),
            }
        }
        CatalogueCommand::Holidays {
            file,
            shipped,
            facility,
            json,
            db,
        } => {
            let text = match &file {
                Some(path) => std::fs::read_to_string(path)
                    .with_context(|| format!("reading {}", path.display()))?,
                None => catalogue::NATIONAL_HOLIDAYS_CSV.to_owned(),
            };
            debug_assert!(shipped || file.is_some());
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            let facility_id = match &facility {
                Some(code) => match facilities::get_by_code(&app, &operator(), code).await {
                    Ok(view) => Some(view.id),
                    Err(err) => return Ok(report_app_error(&err)),
                },
                None => None,
            };
            match catalogue::load_holidays(&app, &operator(), facility_id, &text).await {
                Ok(summary) => report(summary, json),
                Err(err) => Ok(report_app_error(&err)),
            }
        }
    }
}
