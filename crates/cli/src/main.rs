//! `bekal`: the one binary. Serves the web application, runs the demo, migrates, and offers
//! every administrative command. Machine-readable output goes to stdout, progress and logs to
//! stderr; exit code 0 on success, 1 on a failed check or rejected input, 2 on a usage error.

mod commands;
mod config;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = commands::Cli::parse();
    let settings = match config::Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("error: {err:#}");
            return ExitCode::from(2);
        }
    };
    init_logging(&settings.log_format, cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(commands::run(cli, settings)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}

fn init_logging(format: &str, verbose: bool) {
    let default = if verbose {
        "info,bekal=debug"
    } else {
        "warn,bekal=info,bekal_web=info"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("BEKAL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}
