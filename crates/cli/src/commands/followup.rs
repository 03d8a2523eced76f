//! `bekal followup due` (the follow-ups after release that are due, as JSON lines) and
//! `bekal followup record` (one follow-up). Both go through `bekal_app::followup`.

use super::{DatabaseArg, database_url, emit, make_app, open_store, operator, report_app_error};
use crate::config::Settings;
use bekal_app::facilities;
use bekal_app::followup::{self, NewFollowUp};
use bekal_domain::status::{EmployerType, FollowUpOutcome, FollowUpSource};
use chrono::NaiveDate;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum FollowUpCommand {
    /// Follow-ups due on or before today and not yet recorded, one JSON object per line.
    Due {
        /// Facility code.
        #[arg(long)]
        facility: String,
        /// Months after release (default: the `follow_up_months` setting, else 3,6,12).
        #[arg(long)]
        months: Option<String>,
        /// Pin "today" (YYYY-MM-DD).
        #[arg(long)]
        today: Option<NaiveDate>,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Record what a follow-up found (a second record for the same offset corrects it).
    Record {
        /// Facility code.
        #[arg(long)]
        facility: String,
        /// The releasee's register number.
        #[arg(long)]
        register: String,
        /// Which follow-up: months after release (3, 6, 12).
        #[arg(long)]
        months: u32,
        /// Day of the contact (YYYY-MM-DD).
        #[arg(long)]
        contacted: NaiveDate,
        /// employed, self_employed, further_training, unemployed, reoffended, unreachable.
        #[arg(long)]
        outcome: FollowUpOutcome,
        /// company, small_business, government, family, other (required when employed).
        #[arg(long)]
        employer_type: Option<EmployerType>,
        /// Working in the trade the person was trained in.
        #[arg(long)]
        in_trade: bool,
        /// facility or bapas.
        #[arg(long, default_value = "facility")]
        source: FollowUpSource,
        #[arg(long)]
        notes: Option<String>,
        /// Pin "today" (YYYY-MM-DD).
        #[arg(long)]
        today: Option<NaiveDate>,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

pub async fn run(command: FollowUpCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    match command {
        FollowUpCommand::Due {
            facility,
            months,
            today,
            db,
        } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, today);
            let actor = operator();
            let result = async {
                let f = facilities::get_by_code(&app, &actor, &facility).await?;
                let offsets = match months {
                    Some(text) => followup::parse_offsets(&text)?,
                    None => followup::offsets_from_settings(&app).await?,
                };
                followup::due(&app, &actor, f.id, &offsets).await
            }
            .await;
            match result {
                Ok(list) => {
                    for due in &list {
                        emit(&serde_json::to_string(due)?);
                    }
                    eprintln!("{} follow-up(s) due", list.len());
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_app_error(&err)),
            }
        }
        FollowUpCommand::Record {
            facility,
            register,
            months,
            contacted,
            outcome,
            employer_type,
            in_trade,
            source,
            notes,
            today,
            db,
        } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, today);
            let actor = operator();
            let result = async {
                let f = facilities::get_by_code(&app, &actor, &facility).await?;
                let inmate_id = followup::inmate_by_register(&app, &actor, f.id, &register).await?;
                followup::record(
                    &app,
                    &actor,
                    NewFollowUp {
                        facility_id: f.id,
                        inmate_id,
                        months_after_release: months,
                        contacted_on: contacted,
                        outcome,
                        in_trained_trade: in_trade,
                        employer_type,
                        source,
                        notes,
                    },
                )
                .await
            }
            .await;
            match result {
                Ok(view) => {
                    emit(&serde_json::to_string(&view)?);
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_app_error(&err)),
            }
        }
    }
}
