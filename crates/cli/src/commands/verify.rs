//! `bekal verify FILE|QR-TEXT`: checks a certificate with no network. The signature and the
//! `did:key` issuer are checked offline; revocation comes from the status list last synced into
//! the local database (when there is one), and the issuer must then be a known key.

use super::{DatabaseArg, database_url, emit, open_store};
use crate::config::Settings;
use bekal_app::certificates::verify_text;
use bekal_domain::clock::{Clock, SystemClock};
use clap::Args;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A credential file (JSON or a BKL1: QR payload) or the QR text itself.
    pub input: String,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// Do not use the local database (no revocation check).
    #[arg(long)]
    pub offline: bool,
    #[command(flatten)]
    pub db: DatabaseArg,
}

/// Whether a local database is there to use (a missing SQLite file is not created).
fn local_database(url: &str) -> bool {
    match url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        Some(path) => Path::new(path.split('?').next().unwrap_or(path)).is_file(),
        None => true,
    }
}

pub async fn run(args: VerifyArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let text = if Path::new(&args.input).is_file() {
        std::fs::read_to_string(&args.input)?
    } else {
        args.input.clone()
    };
    let url = database_url(&args.db, settings);
    let store = if !args.offline && local_database(&url) {
        match open_store(&url, false).await {
            Ok(store) => Some(store),
            Err(err) => {
                eprintln!("note: local database not usable ({err}); revocation not checked");
                None
            }
        }
    } else {
        None
    };
    let now = SystemClock.now();
    let result = match verify_text(store.as_ref().map(|s| s.conn()), &text, now).await {
        Ok(result) => result,
        Err(err) => return Ok(super::report_app_error(&err)),
    };
    if args.json {
        emit(&serde_json::to_string(&result)?);
    } else {
        emit(&result.verdict);
        for reason in &result.reasons {
            emit(&format!("  reason: {reason}"));
        }
        emit(&format!("  revocation: {}", result.revocation));
        for (label, value) in [
            ("holder", &result.holder_name),
            ("program", &result.achievement),
            ("issuer", &result.issuer_name),
            ("issuer id", &result.issuer_did),
            ("valid from", &result.valid_from),
        ] {
            if let Some(value) = value {
                emit(&format!("  {label}: {value}"));
            }
        }
    }
    Ok(if result.verdict == "VALID" {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
