//! `bekal serve`: the web application and JSON API, with graceful shutdown on Ctrl-C/SIGTERM.

use super::{DatabaseArg, database_url, make_app, open_store};
use crate::config::Settings;
use anyhow::Context;
use bekal_app::App;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DatabaseArg,
    /// Address to listen on, e.g. 127.0.0.1:8080.
    #[arg(long, env = "BEKAL_LISTEN")]
    pub listen: Option<String>,
}

pub async fn run(args: ServeArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    let store = open_store(&database_url(&args.db, settings), true).await?;
    let listen = args.listen.unwrap_or_else(|| settings.listen.clone());
    let web = web_settings(settings);
    serve_with(make_app(store, None), web, &listen, |url| {
        eprintln!("Bekal is listening on {url}")
    })
    .await?;
    Ok(ExitCode::SUCCESS)
}

/// The web settings from Bekal's settings: the cookie flag and where certificates are signed
/// (`<data_dir>/keys`, public URL from `BEKAL_PUBLIC_URL`).
pub fn web_settings(settings: &Settings) -> bekal_web::WebSettings {
    let public_url = std::env::var("BEKAL_PUBLIC_URL")
        .unwrap_or_else(|_| "https://verify.bekal.example".to_owned());
    bekal_web::WebSettings {
        cookie_secure: settings.cookie_secure,
        public_requests_per_minute: settings.public_requests_per_minute,
        certificates: Some(bekal_app::certificates::CertificateConfig::new(
            &settings.data_dir,
            &public_url,
        )),
    }
}

/// Binds, reports the URL, and serves with `web` settings until a shutdown signal.
pub async fn serve_with(
    app: App,
    web: bekal_web::WebSettings,
    listen: &str,
    on_ready: impl FnOnce(&str),
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}"))?;
    let address = listener.local_addr()?;
    on_ready(&format!("http://{address}/"));
    let store = app.store.clone();
    axum::serve(
        listener,
        bekal_web::router_with_settings(app, web)
            .into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    store.close().await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
