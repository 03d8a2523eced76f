//! `bekal demo`: builds (or reuses) the Pekalongan demo scenario and serves it.

use super::{DatabaseArg, database_url, make_app, open_store, report_app_error};
use crate::config::Settings;
use chrono::NaiveDate;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub db: DatabaseArg,
    /// Address to serve on.
    #[arg(long, env = "BEKAL_LISTEN")]
    pub listen: Option<String>,
    /// Only build the data; do not serve.
    #[arg(long)]
    pub no_serve: bool,
    /// Pin "today" (YYYY-MM-DD) for reproducible data.
    #[arg(long)]
    pub today: Option<NaiveDate>,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(args: DemoArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let url = database_url(&args.db, settings);
    let store = open_store(&url, true).await?;
    let build_app = make_app(store.clone(), args.today);
    let today = build_app.clock.today();
    // Credentials name their status list by an https URL: the public address of this
    // deployment (`BEKAL_PUBLIC_URL`), which the demo cannot know; the placeholder is signed in.
    let public_url = std::env::var("BEKAL_PUBLIC_URL")
        .unwrap_or_else(|_| "https://verify.bekal.example".to_owned());
    let certificates =
        bekal_app::certificates::CertificateConfig::new(&settings.data_dir, &public_url);
    let summary = match bekal_app::demo::build(&build_app, today, Some(&certificates)).await {
        Ok(summary) => summary,
        Err(err) => return Ok(report_app_error(&err)),
    };
    if args.json {
        super::emit(&serde_json::to_string_pretty(&summary)?);
    }
    eprintln!(
        "Demo {} on {}: {} inmates, programme from {} ({} stages){}",
        summary.facility,
        bekal_store::redact_url(&url),
        summary.inmates,
        summary.timeline.horizon_start,
        summary.timeline.stages.len(),
        if summary.reused {
            " (existing data reused)"
        } else {
            ""
        }
    );
    for (index, (first, last)) in summary.timeline.stages.iter().enumerate() {
        eprintln!("  stage {}: {first} .. {last}", index + 1);
    }
    if args.no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    let listen = args.listen.unwrap_or_else(|| settings.listen.clone());
    let logins = summary.logins.clone();
    let web = super::serve::web_settings(settings);
    super::serve::serve_with(make_app(store, args.today), web, &listen, move |url| {
        eprintln!("\nBekal demo: open {url}");
        eprintln!(
            "Demo accounts (password for all: {}):",
            logins.first().map(|l| l.password.as_str()).unwrap_or("-")
        );
        for login in &logins {
            eprintln!("  {:<16} {}", login.username, login.role);
        }
        eprintln!("Stop with Ctrl-C.");
    })
    .await?;
    Ok(ExitCode::SUCCESS)
}
