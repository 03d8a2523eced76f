//! The holder keeps the certificate (issue 7, item 8). At handover (at release, or at the
//! ceremony) an officer of the facility or the partner makes a **download code** for one
//! certificate and gives the person a printed slip with it (as text and as a QR code). With
//! the code, and no account, the person opens `/unduh/<code>` and downloads the PDF and the
//! signed credential (Open Badges 3.0 JSON, for any wallet) as often as needed, until the code
//! expires ([`LINK_VALID_MONTHS`]) or is withdrawn. A new code for the same certificate
//! withdraws the old one (a lost slip is replaced, not duplicated).
//!
//! The code is 20 characters of Crockford base32 (100 random bits), printed in groups of five
//! and read back forgivingly (lower case, `-` and spaces, `O` for `0`, `I`/`L` for `1`). Only
//! its SHA-256 is stored, so a database dump or backup holds no usable link. Making and
//! withdrawing codes are audited in the facility's chain; opening one is the holder's own
//! read of their own certificate and shows nothing the public verification page would not,
//! besides the files themselves (nothing about the facility).

use super::export::exported;
use super::public::lookup_public;
use super::{ExportedCertificate, PublicCertificate, authorise_partner};
use crate::auth::{random_bytes, random_token, sha256_hex};
use crate::{Actor, App, AppError, Permission};
use bekal_store::entity::{certificate, holder_link, training_class};
use bekal_store::sea_orm::sea_query::Expr;
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter,
};
use bekal_store::{AuditScope, Changes};
use chrono::{DateTime, Months, Utc};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// How long a download code works: five years (60 months), long enough to apply for jobs
/// after release.
pub const LINK_VALID_MONTHS: u32 = 60;

/// Crockford's base32 alphabet (no I, L, O, U).
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters in a code.
pub const CODE_LENGTH: usize = 20;

/// A fresh code: 20 characters, each from 5 random bits (256 is a multiple of 32, so every
/// character is uniform).
fn new_code() -> Result<String, AppError> {
    Ok(random_bytes::<CODE_LENGTH>()?
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect())
}

/// A fresh key for a form that asks for a code: the same key sent twice (the slip page
/// reloaded) is refused instead of replacing the code already printed.
pub fn new_request_key() -> Result<String, AppError> {
    random_token()
}

/// `ABCDE-FGHJK-MNPQR-STVWX`: the code as printed on the slip.
pub fn grouped(code: &str) -> String {
    code.as_bytes()
        .chunks(5)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The code as typed or scanned, in its canonical form, or `None` when it cannot be one.
pub fn normalise(typed: &str) -> Option<String> {
    let mut code = String::with_capacity(CODE_LENGTH);
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return None;
        }
        code.push(c);
    }
    (code.len() == CODE_LENGTH).then_some(code)
}

/// A code just made: shown once (on the slip), never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewHolderLink {
    pub number: String,
    pub holder_name: String,
    pub program: String,
    pub issuer_name: String,
    /// Canonical, 20 characters; print [`grouped`].
    pub code: String,
    pub expires_at: DateTime<Utc>,
    /// How many earlier codes of this certificate it withdrew.
    pub withdrawn: u64,
}

/// The working code of a certificate, as staff see it (never the code itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkState {
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// What the holder's page shows and serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolderCopy {
    /// Verified now, as on the public page.
    pub public: PublicCertificate,
    /// The credential, its QR payload and the printed facts.
    pub certificate: ExportedCertificate,
    pub expires_at: DateTime<Utc>,
}

/// Whether the actor may hand certificates of this facility and partner over: the partner's
/// staff (as for issuing) or the facility's officers who read its records.
pub fn may_hand_over(actor: &Actor, facility_id: i64, partner_id: i64) -> bool {
    authorise_partner(actor, Permission::IssueCertificates, partner_id).is_ok()
        || actor
            .authorise(Permission::ReadInmates, Some(facility_id))
            .is_ok()
}

/// [`may_hand_over`] for the certificates of one class.
pub async fn may_hand_over_class(
    app: &App,
    actor: &Actor,
    class_id: i64,
) -> Result<bool, AppError> {
    Ok(training_class::Entity::find_by_id(class_id)
        .one(app.store.conn())
        .await?
        .is_some_and(|c| may_hand_over(actor, c.facility_id, c.partner_id)))
}

async fn certificate_by_number(app: &App, number: &str) -> Result<certificate::Model, AppError> {
    certificate::Entity::find()
        .filter(certificate::Column::Number.eq(number.trim()))
        .one(app.store.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("certificate {}", number.trim())))
}

/// Makes a download code for the certificate with this number, withdrawing any earlier one.
/// A revoked certificate gets none (conflict). `request_key` is the asking form's key
/// ([`new_request_key`]): a key already used for this certificate is a conflict, so a reload
/// of the slip never replaces the code already handed over.
pub async fn create_link(
    app: &App,
    actor: &Actor,
    number: &str,
    request_key: Option<&str>,
) -> Result<NewHolderLink, AppError> {
    let cert = certificate_by_number(app, number).await?;
    if !may_hand_over(actor, cert.facility_id, cert.partner_id) {
        return Err(AppError::Forbidden("hand over certificates".into()));
    }
    let code = new_code()?;
    let request_hash = request_key
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(sha256_hex);
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(cert.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    // Lock the certificate row (PostgreSQL; SQLite writes are serialised anyway), so two
    // requests at once cannot both leave a working code, and read its status under the lock.
    certificate::Entity::update_many()
        .col_expr(
            certificate::Column::Status,
            Expr::col(certificate::Column::Status),
        )
        .filter(certificate::Column::Id.eq(cert.id))
        .exec(tx.conn())
        .await?;
    let cert = certificate::Entity::find_by_id(cert.id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("certificate {}", number.trim())))?;
    if cert.status == "revoked" {
        return Err(AppError::Conflict(format!(
            "certificate {} is revoked; it gets no download code",
            cert.number
        )));
    }
    if let Some(hash) = &request_hash {
        let repeated = holder_link::Entity::find()
            .filter(holder_link::Column::CertificateId.eq(cert.id))
            .filter(holder_link::Column::RequestHash.eq(hash.as_str()))
            .one(tx.conn())
            .await?
            .is_some();
        if repeated {
            return Err(AppError::Conflict(format!(
                "a code for {} was already made with this form and shown once; it still works. \
                 Make a new code from the class page only if the slip is lost",
                cert.number
            )));
        }
    }
    let withdrawn = withdraw_in(&tx, cert.id).await?;
    let expires_at = tx
        .at()
        .checked_add_months(Months::new(LINK_VALID_MONTHS))
        .ok_or_else(|| AppError::Internal("date out of range".into()))?;
    let row = holder_link::ActiveModel {
        facility_id: Set(cert.facility_id),
        certificate_id: Set(cert.id),
        code_hash: Set(sha256_hex(&code)),
        created_at: Set(tx.at()),
        expires_at: Set(expires_at),
        withdrawn_at: Set(None),
        request_hash: Set(request_hash),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    let copy = exported(tx.conn(), cert).await?;
    tx.audit(
        "create",
        "holder_link",
        row.id,
        Changes::note(json!({
            "number": copy.number, "expires_at": expires_at, "withdrawn_earlier": withdrawn,
        })),
    );
    tx.commit().await?;
    Ok(NewHolderLink {
        number: copy.number,
        holder_name: copy.holder_name,
        program: copy.print.program,
        issuer_name: copy.print.issuer_name,
        code,
        expires_at,
        withdrawn,
    })
}

async fn withdraw_in(tx: &bekal_store::WriteTx, certificate_id: i64) -> Result<u64, AppError> {
    Ok(holder_link::Entity::update_many()
        .col_expr(holder_link::Column::WithdrawnAt, Expr::value(tx.at()))
        .filter(holder_link::Column::CertificateId.eq(certificate_id))
        .filter(holder_link::Column::WithdrawnAt.is_null())
        .exec(tx.conn())
        .await?
        .rows_affected)
}

/// Withdraws the working code of the certificate with this number (the slip was lost, or
/// handed to the wrong person); how many were withdrawn (0 when there was none).
pub async fn withdraw_link(app: &App, actor: &Actor, number: &str) -> Result<u64, AppError> {
    let cert = certificate_by_number(app, number).await?;
    if !may_hand_over(actor, cert.facility_id, cert.partner_id) {
        return Err(AppError::Forbidden("hand over certificates".into()));
    }
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(cert.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let withdrawn = withdraw_in(&tx, cert.id).await?;
    tx.audit(
        "withdraw_holder_links",
        "certificate",
        cert.id,
        Changes::note(json!({"number": cert.number, "withdrawn": withdrawn})),
    );
    tx.commit().await?;
    Ok(withdrawn)
}

/// The working codes of these certificates (withdrawn and expired ones left out), by
/// certificate id; for pages that already showed the certificates to the actor.
pub async fn link_states(
    app: &App,
    certificates: &[ExportedCertificate],
) -> Result<HashMap<i64, LinkState>, AppError> {
    let ids: Vec<i64> = certificates.iter().map(|c| c.id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let now = app.clock.now();
    Ok(holder_link::Entity::find()
        .filter(holder_link::Column::CertificateId.is_in(ids))
        .filter(holder_link::Column::WithdrawnAt.is_null())
        .filter(holder_link::Column::ExpiresAt.gt(now))
        .all(app.store.conn())
        .await?
        .into_iter()
        .map(|l| {
            (
                l.certificate_id,
                LinkState {
                    created_at: l.created_at,
                    expires_at: l.expires_at,
                },
            )
        })
        .collect())
}

/// What a download code opens, for anyone who has it. An unknown, withdrawn or expired code
/// is the same "not found", so the answer tells nothing about other codes.
pub async fn open_link(app: &App, typed: &str) -> Result<HolderCopy, AppError> {
    let not_found = || AppError::NotFound("download code".into());
    let code = normalise(typed).ok_or_else(not_found)?;
    let conn = app.store.conn();
    let link = holder_link::Entity::find()
        .filter(holder_link::Column::CodeHash.eq(sha256_hex(&code)))
        .one(conn)
        .await?
        .filter(|l| l.withdrawn_at.is_none() && l.expires_at > app.clock.now())
        .ok_or_else(not_found)?;
    let cert = certificate::Entity::find_by_id(link.certificate_id)
        .one(conn)
        .await?
        .ok_or_else(not_found)?;
    let public = lookup_public(app, &cert.number).await?;
    Ok(HolderCopy {
        public,
        certificate: exported(conn, cert).await?,
        expires_at: link.expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_twenty_characters_of_the_alphabet_and_differ() {
        let one = new_code().unwrap_or_default();
        let two = new_code().unwrap_or_default();
        assert_eq!(one.len(), CODE_LENGTH);
        assert!(one.bytes().all(|b| ALPHABET.contains(&b)));
        assert_ne!(one, two);
        assert_eq!(normalise(&one).as_deref(), Some(one.as_str()));
    }

    #[test]
    fn typed_codes_are_read_forgivingly() {
        let code = "0123456789ABCDEFGHJK";
        assert_eq!(grouped(code), "01234-56789-ABCDE-FGHJK");
        assert_eq!(normalise(&grouped(code)).as_deref(), Some(code));
        assert_eq!(
            normalise("o1234 56789 abcde fghjk").as_deref(),
            Some(code),
            "lower case, spaces, O for 0"
        );
        assert_eq!(
            normalise("0I234-56789-ABCDE-FGHJK").as_deref(),
            normalise("01234-56789-ABCDE-FGHJK").as_deref()
        );
        assert_eq!(
            normalise("L1234-56789-ABCDE-FGHJK").as_deref(),
            Some("1123456789ABCDEFGHJK")
        );
        assert_eq!(normalise("01234-56789-ABCDE-FGHJ"), None, "too short");
        assert_eq!(
            normalise("01234-56789-ABCDE-FGHJKU"),
            None,
            "U is not in the alphabet"
        );
        assert_eq!(normalise("../../etc/passwd"), None);
        assert_eq!(normalise("0123456789ABCDEFGHJ\u{e9}"), None);
    }
}
