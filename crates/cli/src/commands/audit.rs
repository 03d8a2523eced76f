//! `bekal audit ...`: verify the hash chains of the audit log (optionally against a signed
//! checkpoint kept off the server) and sign a new checkpoint. Exit 1 when a chain is broken or
//! the log no longer extends the checkpoint.

use super::{DatabaseArg, database_url, make_app, open_store, operator, report_app_error};
use crate::config::Settings;
use anyhow::Context;
use bekal_app::auth::checkpoint::{self, Checkpoint};
use bekal_store::audit;
use clap::Subcommand;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk every chain and report the first broken or missing link.
    Verify {
        /// A checkpoint file from `bekal audit checkpoint`: also prove the log still extends it.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Sign a checkpoint of every chain (Ed25519, key in the data folder) and write it out.
    Checkpoint {
        /// Where to write the signed checkpoint (default: stdout).
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

pub async fn run(command: AuditCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Verify {
            checkpoint: file,
            json,
            db,
        } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            let conn = app.store.conn();
            let mut reports = Vec::new();
            for chain in audit::chains(conn).await? {
                reports.push(audit::verify_chain(conn, &chain).await?);
            }
            let mut problems: Vec<String> = reports
                .iter()
                .filter_map(|r| r.first_break.as_ref())
                .map(|b| format!("chain {}: entry {}: {}", b.chain, b.seq, b.problem))
                .collect();
            if let Some(path) = file {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                let checkpoint: Checkpoint = serde_json::from_str(&text)
                    .with_context(|| format!("{} is not a checkpoint", path.display()))?;
                match checkpoint::check(&app, &checkpoint).await {
                    Ok(found) => problems.extend(found),
                    Err(err) => return Ok(report_app_error(&err)),
                }
            }
            if json {
                super::emit(&serde_json::to_string(&json!({
                    "ok": problems.is_empty(),
                    "chains": reports,
                    "problems": problems,
                }))?);
            } else {
                for report in &reports {
                    super::emit(&format!(
                        "{}\t{} entries\t{}",
                        report.chain,
                        report.entries,
                        if report.first_break.is_some() {
                            "BROKEN"
                        } else {
                            "ok"
                        }
                    ));
                }
            }
            for problem in &problems {
                eprintln!("broken: {problem}");
            }
            if problems.is_empty() {
                eprintln!("audit log intact: {} chain(s)", reports.len());
                Ok(ExitCode::SUCCESS)
            } else {
                Ok(ExitCode::from(1))
            }
        }
        AuditCommand::Checkpoint { output, db } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            let key = match checkpoint::load_or_create_key(&settings.data_dir) {
                Ok(key) => key,
                Err(err) => return Ok(report_app_error(&err)),
            };
            let signed = match checkpoint::create(&app, &operator(), &key).await {
                Ok(signed) => signed,
                Err(err) => return Ok(report_app_error(&err)),
            };
            let text = serde_json::to_string_pretty(&signed)?;
            match output {
                Some(path) => {
                    std::fs::write(&path, format!("{text}\n"))
                        .with_context(|| format!("writing {}", path.display()))?;
                    eprintln!(
                        "checkpoint of {} chain(s) signed (key {}) and written to {}; keep it off this server",
                        signed.body.chains.len(),
                        signed.body.key_id,
                        path.display()
                    );
                }
                None => super::emit(&text),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
