//! `bekal import inmates`: load an SDP export or a spreadsheet (CSV/XLSX) into a facility's
//! registry, with a progress bar on stderr, a `--json` summary on stdout and an optional error
//! report to fix and re-import. Exit 0 when every row went in, 1 when any row was rejected.

use super::{DatabaseArg, database_url, emit, make_app, open_store, operator, report_app_error};
use crate::config::Settings;
use anyhow::Context;
use bekal_app::import::{self, ImportRequest};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import inmates of a facility from a CSV or XLSX file.
    Inmates {
        /// The facility's code (it must exist: `bekal facility add`).
        #[arg(long)]
        facility: String,
        /// The file (CSV or XLSX).
        file: PathBuf,
        /// Check and count without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Print the summary as JSON on stdout.
        #[arg(long)]
        json: bool,
        /// A saved column mapping (JSON: {"File header": "field", ...}) for files with other headers.
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// Write the rejected rows with their errors to this file (.csv or .xlsx) to fix and re-import.
        #[arg(long)]
        errors_out: Option<PathBuf>,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

pub async fn run(command: ImportCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    let ImportCommand::Inmates {
        facility,
        file,
        dry_run,
        json,
        mapping,
        errors_out,
        db,
    } = command;
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let mapping = match mapping {
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Some(
                serde_json::from_str(&text)
                    .with_context(|| format!("{} is not a column mapping", path.display()))?,
            )
        }
        None => None,
    };
    let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
    let request = ImportRequest {
        facility_code: facility,
        file_name: file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        dry_run,
        mapping,
    };
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{elapsed_precise}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let summary = match import::import_inmates(&app, &operator(), &request, &bytes, |rows| {
        bar.set_message(format!("{rows} rows read"));
        bar.tick();
    })
    .await
    {
        Ok(summary) => summary,
        Err(err) => {
            bar.finish_and_clear();
            return Ok(report_app_error(&err));
        }
    };
    bar.finish_and_clear();
    if let Some(path) = errors_out {
        let is_xlsx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        let report = if is_xlsx {
            summary.report.to_xlsx()
        } else {
            summary.report.to_csv()
        };
        let report = match report {
            Ok(report) => report,
            Err(err) => return Ok(report_app_error(&err)),
        };
        std::fs::write(&path, report)
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("error report: {}", path.display());
    }
    if json {
        emit(&serde_json::to_string(&summary)?);
    }
    eprintln!(
        "{}{} rows: {} inserted, {} updated, {} unchanged, {} rejected",
        if summary.dry_run {
            "dry run, nothing written. "
        } else {
            ""
        },
        summary.rows,
        summary.inserted,
        summary.updated,
        summary.unchanged,
        summary.rejected
    );
    for error in summary.errors.iter().take(20) {
        eprintln!(
            "  row {}, column {:?}, value {:?}: {}",
            error.row, error.column, error.value, error.reason
        );
    }
    if summary.errors.len() > 20 {
        eprintln!(
            "  ... {} more (use --json or --errors-out)",
            summary.errors.len() - 20
        );
    }
    if let Some(reason) = &summary.aborted {
        eprintln!("stopped early: {reason}");
    }
    Ok(if summary.rejected == 0 && summary.aborted.is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
