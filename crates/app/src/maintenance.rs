//! Health of a whole database, as checked after a restore, a crash or on demand: the engine's
//! integrity check, every audit chain, and every stored certificate re-verified (its proof
//! against the partner's keys, its revocation bit against the stored status list and the
//! certificate's own status).

use crate::AppError;
use crate::certificates::keys::partner_key_ring;
use bekal_credentials::{Outcome, StatusList, verify_credential};
use bekal_store::audit::{self, ChainReport};
use bekal_store::entity::{certificate, status_list};
use bekal_store::sea_orm::EntityTrait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// What [`check_database`] found.
#[derive(Debug, Clone, Serialize)]
pub struct DatabaseCheck {
    /// `ok` when the engine's integrity check passed.
    pub integrity: String,
    pub chains: Vec<ChainReport>,
    pub certificates: CertificateCheck,
}

impl DatabaseCheck {
    /// Every part passed.
    pub fn is_ok(&self) -> bool {
        self.integrity == "ok"
            && self.chains.iter().all(|c| c.first_break.is_none())
            && self.certificates.problems.is_empty()
    }

    /// One line per problem, for people.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.integrity != "ok" {
            out.push(format!("integrity check: {}", self.integrity));
        }
        for chain in &self.chains {
            if let Some(b) = &chain.first_break {
                out.push(format!(
                    "audit chain {}: entry {}: {}",
                    b.chain, b.seq, b.problem
                ));
            }
        }
        out.extend(
            self.certificates
                .problems
                .iter()
                .map(|p| format!("certificate {}: {}", p.number, p.problem)),
        );
        out
    }
}

/// Stored certificates re-verified.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CertificateCheck {
    pub checked: usize,
    pub valid: usize,
    pub revoked: usize,
    pub problems: Vec<CertificateProblem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CertificateProblem {
    pub number: String,
    pub problem: String,
}

/// Runs the integrity check, verifies every audit chain and every certificate at `at`.
/// Reads only; an operator's command, so no actor check (it reveals no personal data: the
/// report names certificate numbers only).
pub async fn check_database(
    app: &crate::App,
    at: DateTime<Utc>,
) -> Result<DatabaseCheck, AppError> {
    let integrity = app.store.integrity_check().await?;
    let conn = app.store.conn();
    let mut chains = Vec::new();
    for chain in audit::chains(conn).await? {
        chains.push(audit::verify_chain(conn, &chain).await?);
    }
    let certificates = check_certificates(app, at).await?;
    Ok(DatabaseCheck {
        integrity,
        chains,
        certificates,
    })
}

async fn check_certificates(
    app: &crate::App,
    at: DateTime<Utc>,
) -> Result<CertificateCheck, AppError> {
    let conn = app.store.conn();
    let ring = partner_key_ring(conn, None).await?;
    let lists: HashMap<i64, status_list::Model> = status_list::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let mut report = CertificateCheck::default();
    for row in certificate::Entity::find().all(conn).await? {
        report.checked += 1;
        let list = status_url(&row.credential).and_then(|url| {
            lists
                .get(&row.status_list_id)
                .and_then(|l| StatusList::decode(&url, &l.encoded_list).ok())
        });
        let Some(list) = list else {
            report.problems.push(CertificateProblem {
                number: row.number.clone(),
                problem: format!("status list {} missing or unreadable", row.status_list_id),
            });
            continue;
        };
        let verdict = verify_credential(&row.credential, &ring, Some(&list), at);
        let stored_revoked = row.status == "revoked";
        match verdict.outcome {
            Outcome::Valid if !stored_revoked => report.valid += 1,
            Outcome::Revoked if stored_revoked => report.revoked += 1,
            Outcome::Valid | Outcome::Revoked => report.problems.push(CertificateProblem {
                number: row.number.clone(),
                problem: format!(
                    "stored status {:?} disagrees with the status list",
                    row.status
                ),
            }),
            Outcome::Invalid(problems) => report.problems.push(CertificateProblem {
                number: row.number.clone(),
                problem: problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            }),
        }
    }
    Ok(report)
}

fn status_url(credential: &str) -> Option<String> {
    serde_json::from_str::<Value>(credential)
        .ok()
        .and_then(|v| {
            v["credentialStatus"]["statusListCredential"]
                .as_str()
                .map(str::to_owned)
        })
}

/// Appends a `restored` entry to the national audit chain of a database just restored from
/// `file` (named without its folder), so an auditor sees that history between the backup and
/// the restore is not in this copy. Call after [`check_database`] passed.
pub async fn record_restore(
    app: &crate::App,
    actor: &crate::Actor,
    file: &str,
    check: &DatabaseCheck,
) -> Result<(), AppError> {
    let mut tx = app
        .store
        .begin_write(
            bekal_store::AuditScope::National,
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let entries: i64 = check.chains.iter().map(|c| c.entries).sum();
    tx.audit(
        "restored",
        "database",
        "backup",
        bekal_store::Changes::note(serde_json::json!({
            "file": file,
            "audit_entries": entries,
            "certificates": check.certificates.checked,
        })),
    );
    tx.commit().await?;
    Ok(())
}
