//! `bekal cert ...`: issue a class's certificates, export them (credential JSON, QR payload),
//! revoke one, rotate a partner's key, make or withdraw a holder's download code. Key files
//! live in `<data_dir>/keys`.

use super::{DatabaseArg, database_url, emit, make_app, open_store, operator, report_app_error};
use crate::config::Settings;
use bekal_app::certificates::{self, CertificateConfig, ExportScope, number::file_safe};
use bekal_documents::{CertificateSheet, certificates_pdf};
use clap::{ArgGroup, Args, Subcommand};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// The public https base URL under which status lists and the verification page are served.
#[derive(Debug, Clone, Args)]
pub struct PublicUrlArg {
    #[arg(
        long,
        env = "BEKAL_PUBLIC_URL",
        default_value = "https://verify.bekal.example"
    )]
    pub public_url: String,
}

#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Issue the certificates of a finished class (trainees who completed it).
    Issue {
        /// The class id.
        class_id: i64,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        public: PublicUrlArg,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Write each issued certificate as <number>.json, <number>.qr.txt and <number>.pdf, plus
    /// batch-<class>.pdf per class ('/' in numbers becomes '-').
    #[command(group(ArgGroup::new("scope").required(true).args(["facility", "partner"])))]
    Export {
        #[arg(long)]
        facility: Option<String>,
        #[arg(long)]
        partner: Option<String>,
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Revoke a certificate: bekal cert revoke NUMBER --reason TEXT
    Revoke {
        number: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        public: PublicUrlArg,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Make the holder's download code of a certificate (an earlier code stops working) and
    /// print it with its address: bekal cert link NUMBER [--json]; --withdraw only withdraws.
    Link {
        number: String,
        #[arg(long)]
        withdraw: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        public: PublicUrlArg,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Retire a partner's signing key and start a new one (old certificates stay valid).
    RotateKey {
        partner: String,
        #[command(flatten)]
        public: PublicUrlArg,
        #[command(flatten)]
        db: DatabaseArg,
    },
}

/// The base URL printed under the QR code (`BEKAL_PUBLIC_URL`).
fn public_url_for_links() -> String {
    std::env::var("BEKAL_PUBLIC_URL").unwrap_or_else(|_| "https://verify.bekal.example".into())
}

fn config(settings: &Settings, public: &PublicUrlArg) -> CertificateConfig {
    CertificateConfig::new(settings.data_dir.clone(), &public.public_url)
}

pub async fn run(command: CertCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    match command {
        CertCommand::Issue {
            class_id,
            json,
            public,
            db,
        } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            match certificates::issue_class(&app, &operator(), &config(settings, &public), class_id)
                .await
            {
                Ok(report) => {
                    if json {
                        emit(&serde_json::to_string(&report)?);
                    } else {
                        for c in &report.issued {
                            emit(&format!("issued {} {}", c.number, c.holder_name));
                        }
                        for s in &report.skipped {
                            emit(&format!("skipped {}: {}", s.name, s.reasons.join("; ")));
                        }
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_app_error(&err)),
            }
        }
        CertCommand::Export {
            facility,
            partner,
            out,
            db,
        } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            let scope = match (facility, partner) {
                (Some(code), _) => ExportScope::Facility(code),
                (None, Some(code)) => ExportScope::Partner(code),
                (None, None) => anyhow::bail!("--facility or --partner is required"),
            };
            let list = match certificates::export(&app, &operator(), &scope).await {
                Ok(list) => list,
                Err(err) => return Ok(report_app_error(&err)),
            };
            std::fs::create_dir_all(&out)?;
            let mut batches: BTreeMap<String, Vec<CertificateSheet>> = BTreeMap::new();
            for c in &list {
                let base = file_safe(&c.number);
                std::fs::write(out.join(format!("{base}.json")), &c.credential)?;
                std::fs::write(out.join(format!("{base}.qr.txt")), &c.qr)?;
                let sheet = certificates::print::sheet(c, &public_url_for_links());
                std::fs::write(
                    out.join(format!("{base}.pdf")),
                    certificates_pdf(std::slice::from_ref(&sheet))?,
                )?;
                batches
                    .entry(c.print.class_code.clone())
                    .or_default()
                    .push(sheet);
            }
            for (class_code, sheets) in &batches {
                std::fs::write(
                    out.join(format!("batch-{}.pdf", file_safe(class_code))),
                    certificates_pdf(sheets)?,
                )?;
            }
            eprintln!("{} certificate(s) written to {}", list.len(), out.display());
            Ok(ExitCode::SUCCESS)
        }
        CertCommand::Revoke {
            number,
            reason,
            public,
            db,
        } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            match certificates::revoke(
                &app,
                &operator(),
                &config(settings, &public),
                &number,
                &reason,
            )
            .await
            {
                Ok(cert) => {
                    eprintln!("certificate {} revoked", cert.number);
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_app_error(&err)),
            }
        }
        CertCommand::Link {
            number,
            withdraw,
            json,
            public,
            db,
        } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            if withdraw {
                return match certificates::holder::withdraw_link(&app, &operator(), &number).await {
                    Ok(n) => {
                        eprintln!("{n} download code(s) of {number} withdrawn");
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(err) => Ok(report_app_error(&err)),
                };
            }
            match certificates::holder::create_link(&app, &operator(), &number, None).await {
                Ok(link) => {
                    let base = public.public_url.trim_end_matches('/');
                    let address = format!("{base}/unduh/{}", link.code);
                    if json {
                        emit(
                            &serde_json::json!({
                                "number": link.number,
                                "holder_name": link.holder_name,
                                "code": certificates::holder::grouped(&link.code),
                                "address": address,
                                "expires_at": link.expires_at,
                                "withdrawn_earlier": link.withdrawn,
                            })
                            .to_string(),
                        );
                    } else {
                        emit(&certificates::holder::grouped(&link.code));
                        emit(&address);
                        eprintln!(
                            "download code of {} for {} (works until {}); shown only now",
                            link.number,
                            link.holder_name,
                            link.expires_at
                                .with_timezone(&bekal_domain::clock::wib())
                                .date_naive()
                        );
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_app_error(&err)),
            }
        }
        CertCommand::RotateKey {
            partner,
            public,
            db,
        } => {
            let app = make_app(open_store(&database_url(&db, settings), true).await?, None);
            match certificates::rotate_key(&app, &operator(), &config(settings, &public), &partner)
                .await
            {
                Ok(did) => {
                    emit(&did);
                    Ok(ExitCode::SUCCESS)
                }
                Err(err) => Ok(report_app_error(&err)),
            }
        }
    }
}
