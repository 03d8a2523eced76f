//! Revocation: sets the certificate's bit in its status list, re-signs the list credential
//! with the key that signed the certificate, and records the reason, all in one audited write.

use super::{CertificateConfig, authorise_partner};
use crate::{Actor, App, AppError, Permission};
use bekal_credentials::StatusList;
use bekal_store::entity::{certificate, issuer_key, status_list};
use bekal_store::sea_orm::sea_query::Expr;
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter,
};
use bekal_store::{AuditScope, Changes};
use serde_json::json;

fn internal(e: bekal_credentials::Error) -> AppError {
    AppError::Internal(format!("credentials: {e}"))
}

/// Revokes the certificate with this number. Revoking twice is a conflict.
pub async fn revoke(
    app: &App,
    actor: &Actor,
    config: &CertificateConfig,
    number: &str,
    reason: &str,
) -> Result<certificate::Model, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "must not be empty"));
    }
    let cert = certificate::Entity::find()
        .filter(certificate::Column::Number.eq(number.trim()))
        .one(app.store.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("certificate {number}")))?;
    authorise_partner(actor, Permission::RevokeCertificates, cert.partner_id)?;
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(cert.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    // Lock the list row first (PostgreSQL row lock; SQLite writes are serialised anyway).
    status_list::Entity::update_many()
        .col_expr(status_list::Column::UpdatedAt, Expr::value(tx.at()))
        .filter(status_list::Column::Id.eq(cert.status_list_id))
        .exec(tx.conn())
        .await?;
    let cert = certificate::Entity::find_by_id(cert.id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("certificate {number}")))?;
    if cert.status == "revoked" {
        return Err(AppError::Conflict(format!(
            "certificate {number} already revoked"
        )));
    }
    let list_row = status_list::Entity::find_by_id(cert.status_list_id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("status list {}", cert.status_list_id)))?;
    let key_row = issuer_key::Entity::find_by_id(cert.issuer_key_id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("issuer key {}", cert.issuer_key_id)))?;
    let key = config.keys.load(&key_row)?;
    let url = list_row
        .credential
        .as_deref()
        .map(StatusList::from_credential_unverified)
        .transpose()
        .map_err(internal)?
        .map(|l| l.url().to_owned())
        .ok_or_else(|| AppError::Internal("status list has no credential".into()))?;
    let mut list = StatusList::decode(&url, &list_row.encoded_list).map_err(internal)?;
    let index = u64::try_from(cert.status_index)
        .map_err(|_| AppError::Internal("negative status index".into()))?;
    list.set(index, true).map_err(internal)?;
    let mut active: status_list::ActiveModel = list_row.into();
    active.encoded_list = Set(list.encode().map_err(internal)?);
    active.credential = Set(Some(
        list.to_credential(&key, tx.at(), tx.at())
            .map_err(internal)?,
    ));
    active.updated_at = Set(tx.at());
    active.update(tx.conn()).await?;
    let before = cert.clone();
    let mut revoked: certificate::ActiveModel = cert.into();
    revoked.status = Set("revoked".into());
    revoked.revoked_at = Set(Some(tx.at()));
    revoked.revoked_reason = Set(Some(reason.to_owned()));
    let after = revoked.update(tx.conn()).await?;
    tx.audit(
        "revoke",
        "certificate",
        after.id,
        Changes::note(json!({
            "number": after.number, "reason": reason,
            "status_list_id": after.status_list_id, "status_index": after.status_index,
            "status_before": before.status,
        })),
    );
    tx.commit().await?;
    Ok(after)
}
