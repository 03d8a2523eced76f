//! `bekal report summary`: the figures of a facility, partner, package, region or the nation
//! for a period, as JSON (totals and per-facility rows), CSV, XLSX, an SVG chart of follow-up
//! outcomes, or the monthly PDF. Everything comes from `bekal_app::reports`; no SQL here.

use super::{DatabaseArg, database_url, emit, make_app, open_store, operator, report_app_error};
use crate::config::Settings;
use bekal_app::reports::{self, Scope, chart, export};
use chrono::{Datelike, NaiveDate};
use clap::{Args, Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Json,
    Csv,
    Xlsx,
    Pdf,
    /// The follow-up outcomes bar chart.
    Svg,
}

/// Which figures: exactly one of these.
#[derive(Debug, Clone, Args)]
#[group(required = true, multiple = false)]
pub struct ScopeArgs {
    /// One facility, by code.
    #[arg(long)]
    facility: Option<String>,
    /// Every facility of a region (as written on the facilities).
    #[arg(long)]
    region: Option<String>,
    /// Every facility.
    #[arg(long)]
    national: bool,
    /// The classes of one training partner, by code.
    #[arg(long)]
    partner: Option<String>,
    /// The classes and candidates of one package, by code.
    #[arg(long)]
    package: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Candidates, enrolments, completions, certificates, attendance, units, reasons for
    /// leaving, follow-ups, and trained versus untrained releasees.
    Summary {
        #[command(flatten)]
        scope: ScopeArgs,
        /// First day (YYYY-MM-DD; default: the first of the current month).
        #[arg(long)]
        from: Option<NaiveDate>,
        /// Last day (YYYY-MM-DD; default: today).
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "json")]
        format: ReportFormat,
        /// Output file (default: stdout; XLSX and PDF need a file).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Pin "today" (YYYY-MM-DD): classes ending after it are not completed yet.
        #[arg(long)]
        today: Option<NaiveDate>,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

fn scope(args: ScopeArgs) -> Scope {
    if let Some(code) = args.facility {
        Scope::Facility(code)
    } else if let Some(region) = args.region {
        Scope::Region(region)
    } else if let Some(code) = args.partner {
        Scope::Partner(code)
    } else if let Some(code) = args.package {
        Scope::Package(code)
    } else {
        Scope::National
    }
}

pub async fn run(command: ReportCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    let ReportCommand::Summary {
        scope: scope_args,
        from,
        to,
        format,
        output,
        today,
        db,
    } = command;
    if matches!(format, ReportFormat::Xlsx | ReportFormat::Pdf) && output.is_none() {
        eprintln!("error: --format xlsx and pdf need -o FILE");
        return Ok(ExitCode::from(2));
    }
    let app = make_app(open_store(&database_url(&db, settings), true).await?, today);
    let today = app.clock.today();
    let to = to.unwrap_or(today);
    let from = from.unwrap_or_else(|| to.with_day(1).unwrap_or(to));
    let summary = match reports::summary(&app, &operator(), &scope(scope_args), from, to).await {
        Ok(summary) => summary,
        Err(err) => return Ok(report_app_error(&err)),
    };
    let bytes = match format {
        ReportFormat::Json => Ok(serde_json::to_vec_pretty(&summary)?),
        ReportFormat::Csv => export::csv(&summary),
        ReportFormat::Xlsx => export::xlsx(&summary),
        ReportFormat::Svg => {
            chart::outcomes_svg(&summary.totals, &reports::pdf::chart_title(&summary))
                .map(String::into_bytes)
        }
        ReportFormat::Pdf => reports::pdf::monthly_pdf(&summary),
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(err) => return Ok(report_app_error(&err)),
    };
    match output {
        Some(path) => {
            std::fs::write(&path, &bytes)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            eprintln!(
                "{} ({} facilities) written to {}",
                summary.scope.name,
                summary.facilities.len(),
                path.display()
            );
        }
        None if format == ReportFormat::Json => emit(&String::from_utf8_lossy(&bytes)),
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}
