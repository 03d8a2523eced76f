//! What anyone may learn about a certificate: the public page and API by number, the served
//! status list credentials, and offline verification of a credential file or QR text
//! (`bekal verify`). Nothing here reads or returns facility, register number or custody data:
//! the public view is built from the signed credential, the certificate row and the partner.

use super::keys::partner_key_ring;
use crate::{App, AppError};
use bekal_credentials::{
    DidKeyResolver, Outcome, Problem, StatusCheck, StatusList, decode_qr_payload, verify_credential,
};
use bekal_store::entity::{certificate, partner, status_list};
use bekal_store::sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

/// A competency unit as shown publicly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PublicUnit {
    pub code: String,
    pub title: String,
}

/// The public view of a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PublicCertificate {
    pub number: String,
    /// `valid`, `revoked`, `expired` or `invalid` (signature or data problem).
    pub status: String,
    pub reasons: Vec<String>,
    pub holder_name: String,
    pub program: String,
    pub program_code: String,
    pub units: Vec<PublicUnit>,
    pub issuer_name: String,
    pub issuer_did: String,
    pub issued_on: NaiveDate,
    pub valid_until: Option<NaiveDate>,
    pub revoked_on: Option<NaiveDate>,
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn units_of(credential: &Value) -> Vec<PublicUnit> {
    credential["credentialSubject"]["achievement"]["alignment"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|u| PublicUnit {
                    code: text(&u["targetCode"]),
                    title: text(&u["targetName"]),
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn status_list_of(
    conn: &impl ConnectionTrait,
    list_id: i64,
) -> Result<Option<StatusList>, AppError> {
    let row = status_list::Entity::find_by_id(list_id).one(conn).await?;
    let Some(credential) = row.and_then(|r| r.credential) else {
        return Ok(None);
    };
    StatusList::from_credential_unverified(&credential)
        .map(Some)
        .map_err(|e| AppError::Internal(format!("status list {list_id}: {e}")))
}

fn status_word(outcome: &Outcome) -> (&'static str, Vec<String>) {
    match outcome {
        Outcome::Valid => ("valid", Vec::new()),
        Outcome::Revoked => ("revoked", vec!["revoked by the issuer".into()]),
        Outcome::Invalid(problems) => {
            let reasons = problems.iter().map(ToString::to_string).collect();
            if problems.iter().all(|p| *p == Problem::Expired) {
                ("expired", reasons)
            } else {
                ("invalid", reasons)
            }
        }
    }
}

/// The public view of the certificate with this number (verified now against the partner's
/// keys and status list).
pub async fn lookup_public(app: &App, number: &str) -> Result<PublicCertificate, AppError> {
    let conn = app.store.conn();
    let cert = certificate::Entity::find()
        .filter(certificate::Column::Number.eq(number.trim()))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("certificate {}", number.trim())))?;
    let issuer = partner::Entity::find_by_id(cert.partner_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("issuer".into()))?;
    let ring = partner_key_ring(conn, Some(cert.partner_id)).await?;
    let list = status_list_of(conn, cert.status_list_id).await?;
    let report = verify_credential(&cert.credential, &ring, list.as_ref(), app.clock.now());
    let (status, reasons) = status_word(&report.outcome);
    let credential: Value = serde_json::from_str(&cert.credential)
        .map_err(|e| AppError::Internal(format!("stored credential: {e}")))?;
    let achievement = &credential["credentialSubject"]["achievement"];
    Ok(PublicCertificate {
        number: cert.number,
        status: status.to_owned(),
        reasons,
        holder_name: cert.holder_name,
        program: text(&achievement["name"]),
        program_code: text(&achievement["humanCode"]),
        units: units_of(&credential),
        issuer_name: issuer.name,
        issuer_did: text(&credential["issuer"]["id"]),
        issued_on: cert.issued_on,
        valid_until: cert.valid_until,
        revoked_on: cert.revoked_at.map(|t| t.date_naive()),
    })
}

/// The signed status list credential of a partner's list, as served to verifiers.
pub async fn status_list_credential(
    app: &App,
    partner_code: &str,
    list_id: i64,
) -> Result<String, AppError> {
    let conn = app.store.conn();
    let issuer = partner::Entity::find()
        .filter(partner::Column::Code.eq(partner_code.trim().to_ascii_uppercase()))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("status list {partner_code}/{list_id}")))?;
    status_list::Entity::find_by_id(list_id)
        .one(conn)
        .await?
        .filter(|l| l.partner_id == issuer.id)
        .and_then(|l| l.credential)
        .ok_or_else(|| AppError::NotFound(format!("status list {partner_code}/{list_id}")))
}

/// The result of offline verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyResult {
    /// `VALID`, `INVALID` or `REVOKED`.
    pub verdict: String,
    pub reasons: Vec<String>,
    /// How revocation was checked, in words.
    pub revocation: String,
    pub holder_name: Option<String>,
    pub achievement: Option<String>,
    pub issuer_name: Option<String>,
    pub issuer_did: Option<String>,
    pub valid_from: Option<String>,
}

/// Verifies a credential (JSON text or a `BKL1:` QR payload) with no network: `did:key`
/// carries the key; revocation comes from the last synced status list in `conn` when given
/// (the list whose URL the credential names), and the issuer must then be one of its keys.
pub async fn verify_text(
    conn: Option<&impl ConnectionTrait>,
    input: &str,
    at: DateTime<Utc>,
) -> Result<VerifyResult, AppError> {
    let input = input.trim();
    let json = if input.starts_with(bekal_credentials::QR_PREFIX) {
        decode_qr_payload(input).map_err(|e| AppError::invalid("qr", e.to_string()))?
    } else {
        input.to_owned()
    };
    let status_url = serde_json::from_str::<Value>(&json).ok().and_then(|v| {
        v["credentialStatus"]["statusListCredential"]
            .as_str()
            .map(str::to_owned)
    });
    let mut list = None;
    let mut ring = None;
    if let Some(conn) = conn {
        ring = Some(partner_key_ring(conn, None).await?);
        if let Some(url) = &status_url {
            for row in status_list::Entity::find().all(conn).await? {
                if let Some(candidate) = row
                    .credential
                    .as_deref()
                    .and_then(|c| StatusList::from_credential_unverified(c).ok())
                    .filter(|l| l.url() == url)
                {
                    list = Some(candidate);
                    break;
                }
            }
        }
    }
    let report = match &ring {
        Some(ring) => verify_credential(&json, ring, list.as_ref(), at),
        None => verify_credential(&json, &DidKeyResolver, None, at),
    };
    let revocation = match (report.status, conn.is_some(), &status_url) {
        (StatusCheck::NotRevocable, _, _) => "credential has no status entry".to_owned(),
        (StatusCheck::Revoked, _, _) => "revoked in the last synced status list".to_owned(),
        (StatusCheck::NotRevoked, _, _) => {
            "not revoked as of the last synced status list".to_owned()
        }
        (StatusCheck::Unchecked, true, Some(url)) => {
            format!("not checked: no local copy of {url}")
        }
        _ => "not checked: no local database (issuer not checked against known issuers)".to_owned(),
    };
    let (verdict, reasons) = match &report.outcome {
        Outcome::Valid => ("VALID", Vec::new()),
        Outcome::Revoked => ("REVOKED", vec!["revoked by the issuer".to_owned()]),
        Outcome::Invalid(problems) => (
            "INVALID",
            problems.iter().map(ToString::to_string).collect(),
        ),
    };
    Ok(VerifyResult {
        verdict: verdict.to_owned(),
        reasons,
        revocation,
        holder_name: report.holder_name,
        achievement: report.achievement_name,
        issuer_name: report.issuer_name,
        issuer_did: report.issuer_id,
        valid_from: report.valid_from,
    })
}
