//! `bekal selection`: explain outcomes, edit eligibility rules, run a selection round (ranking,
//! pin, exclude, approve, revise), record non-associations, work the waiting list and import
//! assessments from CSV or XLSX. Thin: every command calls one `bekal_app::selection` service.

use super::{DatabaseArg, database_url, emit, make_app, open_store, operator, report_app_error};
use crate::config::Settings;
use anyhow::Context;
use bekal_app::selection::{
    self, import_assessments, non_associations, rounds, rules, waiting_list,
};
use bekal_app::{App, AppError};
use bekal_domain::eligibility::RuleKind;
use bekal_domain::ranking::RankingConfig;
use bekal_domain::status::WaitingListStatus;
use clap::Subcommand;
use serde::Serialize;
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
    /// Eligibility rules of packages (data, not code).
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Open a draft selection round (ranking from a JSON file, else the default).
    Open {
        #[arg(long)]
        facility: String,
        #[arg(long)]
        name: String,
        /// A JSON ranking configuration (see docs/selection.md).
        #[arg(long)]
        scoring: Option<std::path::PathBuf>,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Show the facility's current round (JSON).
    Show {
        #[arg(long)]
        facility: String,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Keep an inmate in a package in a draft round, with a reason.
    Pin(PinArgs),
    /// Exclude an inmate (from one package, or all) in a draft round, with a reason.
    Exclude(PinArgs),
    /// Clear a pin or exclusion in a draft round.
    Unpin(PinArgs),
    /// Approve a draft round (records every outcome and locks it).
    Approve {
        #[arg(long)]
        round: i64,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Start a new version of an approved round, with the reason for the change.
    Revise {
        #[arg(long)]
        round: i64,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Record that two inmates must never share a class.
    NonAssociation {
        #[arg(long)]
        facility: String,
        #[arg(long)]
        a: String,
        #[arg(long)]
        b: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// A package's waiting list.
    #[command(subcommand)]
    WaitingList(WaitingCommand),
    /// Import intake assessments from a CSV or XLSX file (row-level errors as JSON).
    ImportAssessments {
        #[arg(long)]
        facility: String,
        #[arg(long)]
        file: std::path::PathBuf,
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// The rules that apply in a facility (JSON).
    List {
        #[arg(long)]
        facility: String,
        #[arg(long)]
        package: Option<String>,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Create (no --id) or change a rule; without --facility a national rule.
    Set {
        #[arg(long)]
        package: String,
        #[arg(long)]
        facility: Option<String>,
        #[arg(long)]
        id: Option<i64>,
        /// The rule as JSON, e.g. '{"kind":"min_age","years":18}'.
        #[arg(long)]
        rule: String,
        /// Switch the rule off.
        #[arg(long)]
        inactive: bool,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

#[derive(Debug, clap::Args)]
pub struct PinArgs {
    #[arg(long)]
    round: i64,
    #[arg(long)]
    inmate: String,
    #[arg(long)]
    package: Option<String>,
    #[arg(long, default_value = "")]
    reason: String,
    #[command(flatten)]
    db: DatabaseArg,
}

#[derive(Debug, Subcommand)]
pub enum WaitingCommand {
    /// The list with each entry's history (JSON).
    Show {
        #[arg(long)]
        facility: String,
        #[arg(long)]
        package: String,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Build or re-rank the list from the eligible not placed by the approved plan.
    Refresh {
        #[arg(long)]
        facility: String,
        #[arg(long)]
        package: String,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Offer a free place in a class to the next person (recorded in their history).
    Offer {
        #[arg(long)]
        class: i64,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// The person accepts: allocated and enrolled in the class.
    Accept {
        #[arg(long)]
        entry: i64,
        #[arg(long)]
        class: i64,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Move an entry to approved, declined, removed or withdrawn, with a reason.
    Set {
        #[arg(long)]
        entry: i64,
        #[arg(long)]
        status: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

async fn app_for(db: &DatabaseArg, settings: &Settings) -> anyhow::Result<App> {
    Ok(make_app(
        open_store(&database_url(db, settings), true).await?,
        None,
    ))
}

/// Prints a service's answer as JSON, or its error with exit code 1.
fn print<T: Serialize>(result: Result<T, AppError>) -> anyhow::Result<ExitCode> {
    match result {
        Ok(value) => {
            emit(&serde_json::to_string(&value)?);
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => Ok(report_app_error(&err)),
    }
}

pub async fn run(command: SelectionCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    let op = operator();
    match command {
        SelectionCommand::Explain {
            facility,
            inmate,
            json,
            db,
        } => explain(&app_for(&db, settings).await?, &facility, inmate, json).await,
        SelectionCommand::Rules(RulesCommand::List {
            facility,
            package,
            db,
        }) => {
            let app = app_for(&db, settings).await?;
            print(rules::list_rules(&app, &op, &facility, package.as_deref()).await)
        }
        SelectionCommand::Rules(RulesCommand::Set {
            package,
            facility,
            id,
            rule,
            inactive,
            db,
        }) => {
            let rule: RuleKind = serde_json::from_str(&rule).context("--rule")?;
            let app = app_for(&db, settings).await?;
            let change = rules::RuleChange {
                id,
                package,
                facility,
                rule,
                active: !inactive,
            };
            print(rules::set_rule(&app, &op, &change).await)
        }
        SelectionCommand::Open {
            facility,
            name,
            scoring,
            db,
        } => {
            let scoring: Option<RankingConfig> = match scoring {
                Some(path) => Some(serde_json::from_slice(
                    &std::fs::read(&path).with_context(|| format!("{}", path.display()))?,
                )?),
                None => None,
            };
            let app = app_for(&db, settings).await?;
            print(rounds::open_round(&app, &op, &facility, &name, scoring).await)
        }
        SelectionCommand::Show { facility, db } => {
            let app = app_for(&db, settings).await?;
            print(rounds::current_round(&app, &op, &facility).await)
        }
        SelectionCommand::Pin(args) => pin(args, Some(rounds::PIN), settings).await,
        SelectionCommand::Exclude(args) => pin(args, Some(rounds::EXCLUDE), settings).await,
        SelectionCommand::Unpin(args) => pin(args, None, settings).await,
        SelectionCommand::Approve { round, db } => {
            let app = app_for(&db, settings).await?;
            print(rounds::approve_round(&app, &op, round).await)
        }
        SelectionCommand::Revise { round, reason, db } => {
            let app = app_for(&db, settings).await?;
            print(rounds::new_version(&app, &op, round, &reason).await)
        }
        SelectionCommand::NonAssociation {
            facility,
            a,
            b,
            reason,
            db,
        } => {
            let app = app_for(&db, settings).await?;
            print(non_associations::add(&app, &op, &facility, &a, &b, &reason).await)
        }
        SelectionCommand::WaitingList(command) => waiting(command, settings).await,
        SelectionCommand::ImportAssessments {
            facility,
            file,
            dry_run,
            db,
        } => {
            let bytes = std::fs::read(&file).with_context(|| format!("{}", file.display()))?;
            let app = app_for(&db, settings).await?;
            let result =
                import_assessments::import_file(&app, &op, &facility, &bytes, dry_run).await;
            let failed = result.as_ref().is_ok_and(|r| !r.errors.is_empty());
            let code = print(result)?;
            Ok(if failed { ExitCode::from(2) } else { code })
        }
    }
}

async fn pin(args: PinArgs, kind: Option<&str>, settings: &Settings) -> anyhow::Result<ExitCode> {
    let app = app_for(&args.db, settings).await?;
    let change = rounds::PinChange {
        register_number: args.inmate,
        package: args.package,
        reason: args.reason,
    };
    print(rounds::set_pin(&app, &operator(), args.round, kind, &change).await)
}

async fn waiting(command: WaitingCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    let op = operator();
    match command {
        WaitingCommand::Show {
            facility,
            package,
            db,
        } => print(
            waiting_list::show(&app_for(&db, settings).await?, &op, &facility, &package).await,
        ),
        WaitingCommand::Refresh {
            facility,
            package,
            db,
        } => print(
            waiting_list::refresh(&app_for(&db, settings).await?, &op, &facility, &package).await,
        ),
        WaitingCommand::Offer { class, db } => {
            print(waiting_list::offer(&app_for(&db, settings).await?, &op, class).await)
        }
        WaitingCommand::Accept { entry, class, db } => {
            print(waiting_list::accept(&app_for(&db, settings).await?, &op, entry, class).await)
        }
        WaitingCommand::Set {
            entry,
            status,
            reason,
            db,
        } => {
            let to: WaitingListStatus = status.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            print(
                waiting_list::set_status(&app_for(&db, settings).await?, &op, entry, to, &reason)
                    .await,
            )
        }
    }
}

async fn explain(
    app: &App,
    facility: &str,
    inmate: Option<String>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let explanations = match selection::explain(app, &operator(), facility, inmate.as_deref()).await
    {
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
