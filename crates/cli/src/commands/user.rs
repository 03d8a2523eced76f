//! `bekal user ...`: create accounts and reset passwords. Passwords are read from
//! `BEKAL_NEW_PASSWORD` or the first line of stdin, never from the command line (argv is
//! visible to every user of the machine and lands in shell history).

use super::{DatabaseArg, database_url, make_app, open_store, operator, report_app_error};
use crate::config::Settings;
use bekal_app::auth::{password, tokens, totp, users};
use bekal_domain::role::Role;
use clap::Subcommand;
use std::io::BufRead;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account: bekal user add USERNAME --role ROLE [--facility CODE] [--partner CODE]
    /// (password from BEKAL_NEW_PASSWORD or stdin).
    Add {
        username: String,
        /// national_admin, oversight_viewer, facility_head, program_officer, partner_staff,
        /// trainer, assessor or probation_officer.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The facility code of a facility role, e.g. PKL.
        #[arg(long)]
        facility: Option<String>,
        /// The partner code of a partner role, e.g. BLK-PKL.
        #[arg(long)]
        partner: Option<String>,
        /// The region (Kanwil) of a regional oversight account.
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Set a new password (from BEKAL_NEW_PASSWORD or stdin), unlock the account and end its
    /// sessions.
    ResetPassword {
        username: String,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Require (or, with --off, stop requiring) a second factor (TOTP) for an account.
    /// National admins always need one.
    RequireTotp {
        username: String,
        #[arg(long)]
        off: bool,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Create an API token for an account; the secret is printed once on stdout.
    Token {
        username: String,
        /// What the token is for, e.g. "dashboard kanwil".
        #[arg(long)]
        name: String,
        /// A permission the token may use (repeat), e.g. ListFacilities, ReadAggregates.
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// Days until the token expires (default: never).
        #[arg(long)]
        expires_days: Option<i64>,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Revoke an API token by its id.
    RevokeToken {
        id: i64,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    text.parse()
        .map_err(|_| "expected national_admin, oversight_viewer, facility_head, program_officer, partner_staff, trainer, assessor or probation_officer".to_owned())
}

/// The new password: `BEKAL_NEW_PASSWORD`, else the first line of stdin.
fn new_password() -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("BEKAL_NEW_PASSWORD") {
        return Ok(password);
    }
    eprintln!("New password (one line on stdin):");
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

pub async fn run(command: UserCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    match command {
        UserCommand::Add {
            username,
            role,
            facility,
            partner,
            region,
            display_name,
            db,
        } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            let spec = users::UserSpec {
                username: username.clone(),
                display_name,
                password: new_password()?,
                role,
                facility_code: facility,
                partner_code: partner,
                region,
            };
            match users::add(&app, &operator(), spec).await {
                Ok(id) => {
                    eprintln!("user {username} added (id {id}, role {role})");
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_app_error(&err)),
            }
        }
        UserCommand::RequireTotp { username, off, db } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            match totp::set_required(&app, &operator(), &username, !off).await {
                Ok(()) => {
                    eprintln!(
                        "second factor for {username}: {}",
                        if off { "optional" } else { "required" }
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_app_error(&err)),
            }
        }
        UserCommand::Token {
            username,
            name,
            scopes,
            expires_days,
            db,
        } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            let expires_at =
                expires_days.map(|days| app.clock.now() + chrono::Duration::days(days));
            match tokens::create(&app, &operator(), &username, &name, &scopes, expires_at).await {
                Ok(created) => {
                    eprintln!(
                        "token {} for {username} created; the secret below is shown once",
                        created.id
                    );
                    super::emit(&created.secret);
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_app_error(&err)),
            }
        }
        UserCommand::RevokeToken { id, db } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            match tokens::revoke(&app, &operator(), id).await {
                Ok(()) => {
                    eprintln!("token {id} revoked");
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_app_error(&err)),
            }
        }
        UserCommand::ResetPassword { username, db } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            let new = new_password()?;
            match password::reset_password(&app, &operator(), &username, &new).await {
                Ok(()) => {
                    eprintln!("password of {username} reset; its sessions have ended");
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_app_error(&err)),
            }
        }
    }
}
