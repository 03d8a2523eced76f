//! Batch issuance for a class. A user of the class's training partner approves the batch; only
//! trainees who meet the completion rule get a certificate, numbered from the partner's format
//! and running number (incremented in the same transaction), with the next free index of the
//! partner's status list. The credential names the partner as issuer and carries nothing about
//! the facility, the register number or custody.

use super::keys::active_or_create;
use super::number::{format_number, new_credential_id};
use super::{CertificateConfig, STATUS_LIST_BITS, authorise_partner};
use crate::completion::class_completion;
use crate::results::package_units;
use crate::{Actor, App, AppError, Permission};
use bekal_credentials::{
    CertificateData, IssuerKey, Language, StatusList, Unit, issue_certificate,
};
use bekal_store::entity::{
    certificate, inmate, issuance_batch, package, partner, status_list, training_class,
};
use bekal_store::sea_orm::sea_query::{Expr, ExprTrait};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use bekal_store::{AuditScope, Changes, WriteTx};
use chrono::Datelike;
use serde::Serialize;
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// One certificate issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssuedCertificate {
    pub id: i64,
    pub number: String,
    pub holder_name: String,
    pub status_index: i32,
}

/// A trainee who got no certificate, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedTrainee {
    pub enrolment_id: i64,
    pub name: String,
    pub reasons: Vec<String>,
}

/// What a batch did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchReport {
    pub batch_id: Option<i64>,
    pub issuer_did: String,
    pub issued: Vec<IssuedCertificate>,
    pub skipped: Vec<SkippedTrainee>,
}

pub(crate) async fn partner_by_code(
    conn: &impl ConnectionTrait,
    code: &str,
) -> Result<partner::Model, AppError> {
    partner::Entity::find()
        .filter(partner::Column::Code.eq(code.trim().to_ascii_uppercase()))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("partner {code}")))
}

/// Creates a status list for the partner, signed by `key`, audited.
pub(crate) async fn create_status_list(
    tx: &mut WriteTx,
    config: &CertificateConfig,
    partner: &partner::Model,
    key: &IssuerKey,
) -> Result<status_list::Model, AppError> {
    let bits = i32::try_from(STATUS_LIST_BITS)
        .map_err(|_| AppError::Internal("status list size".into()))?;
    let row = status_list::ActiveModel {
        partner_id: Set(partner.id),
        purpose: Set("revocation".into()),
        size_bits: Set(bits),
        next_index: Set(0),
        encoded_list: Set(String::new()),
        credential: Set(None),
        created_at: Set(tx.at()),
        updated_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    let url = config.status_list_url(&partner.code, row.id);
    let list = StatusList::new(&url, STATUS_LIST_BITS).map_err(internal)?;
    let mut active: status_list::ActiveModel = row.into();
    active.encoded_list = Set(list.encode().map_err(internal)?);
    active.credential = Set(Some(
        list.to_credential(key, tx.at(), tx.at())
            .map_err(internal)?,
    ));
    let row = active.update(tx.conn()).await?;
    tx.audit(
        "create",
        "status_list",
        row.id,
        Changes::note(json!({ "partner_id": partner.id, "url": url, "issuer": key.controller() })),
    );
    Ok(row)
}

fn internal(e: bekal_credentials::Error) -> AppError {
    AppError::Internal(format!("credentials: {e}"))
}

/// The partner's newest status list with room left, or a new one.
async fn current_status_list(
    tx: &mut WriteTx,
    config: &CertificateConfig,
    partner: &partner::Model,
    key: &IssuerKey,
) -> Result<status_list::Model, AppError> {
    let newest = status_list::Entity::find()
        .filter(status_list::Column::PartnerId.eq(partner.id))
        .order_by_desc(status_list::Column::Id)
        .one(tx.conn())
        .await?;
    match newest {
        Some(list) if list.next_index < list.size_bits => Ok(list),
        _ => create_status_list(tx, config, partner, key).await,
    }
}

/// Takes the next value of an integer counter column, atomically inside the transaction.
async fn take_next_index(tx: &WriteTx, list_id: i64) -> Result<i32, AppError> {
    status_list::Entity::update_many()
        .col_expr(
            status_list::Column::NextIndex,
            Expr::col(status_list::Column::NextIndex).add(1),
        )
        .filter(status_list::Column::Id.eq(list_id))
        .exec(tx.conn())
        .await?;
    let list = status_list::Entity::find_by_id(list_id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("status list {list_id}")))?;
    if list.next_index > list.size_bits {
        return Err(AppError::Conflict("status list full".into()));
    }
    Ok(list.next_index - 1)
}

async fn take_next_sequence(tx: &WriteTx, partner_id: i64) -> Result<i64, AppError> {
    partner::Entity::update_many()
        .col_expr(
            partner::Column::CertificateSequence,
            Expr::col(partner::Column::CertificateSequence).add(1),
        )
        .filter(partner::Column::Id.eq(partner_id))
        .exec(tx.conn())
        .await?;
    let row = partner::Entity::find_by_id(partner_id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("partner {partner_id}")))?;
    Ok(i64::from(row.certificate_sequence))
}

/// Issues the certificates of a finished class, for the trainees who completed it.
pub async fn issue_class(
    app: &App,
    actor: &Actor,
    config: &CertificateConfig,
    class_id: i64,
) -> Result<BatchReport, AppError> {
    let conn = app.store.conn();
    let class = training_class::Entity::find_by_id(class_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("class {class_id}")))?;
    authorise_partner(actor, Permission::IssueCertificates, class.partner_id)?;
    let today = app.clock.today();
    if class.end_date > today {
        return Err(AppError::Conflict(format!(
            "class {} ends on {}",
            class.code, class.end_date
        )));
    }
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(class.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let partner = partner::Entity::find_by_id(class.partner_id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("partner {}", class.partner_id)))?;
    let package = package::Entity::find_by_id(class.package_id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("package {}", class.package_id)))?;
    let units = package_units(tx.conn(), package.id).await?;
    let verdicts = class_completion(tx.conn(), &class).await?;
    let enrolment_ids: Vec<i64> = verdicts.iter().map(|v| v.enrolment_id).collect();
    let already: HashSet<i64> = certificate::Entity::find()
        .filter(certificate::Column::EnrolmentId.is_in(enrolment_ids))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|c| c.enrolment_id)
        .collect();
    let names: HashMap<i64, String> = inmate::Entity::find()
        .filter(inmate::Column::Id.is_in(verdicts.iter().map(|v| v.inmate_id)))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    let mut skipped = Vec::new();
    let mut eligible = Vec::new();
    for v in verdicts {
        let name = names.get(&v.inmate_id).cloned().unwrap_or_default();
        if already.contains(&v.enrolment_id) {
            skipped.push(SkippedTrainee {
                enrolment_id: v.enrolment_id,
                name,
                reasons: vec!["certificate already issued".into()],
            });
        } else if v.verdict.eligible {
            eligible.push((v.enrolment_id, name));
        } else {
            skipped.push(SkippedTrainee {
                enrolment_id: v.enrolment_id,
                name,
                reasons: v.verdict.reasons,
            });
        }
    }
    let (key_row, key) = active_or_create(&mut tx, config, &partner).await?;
    let mut report = BatchReport {
        batch_id: None,
        issuer_did: key.controller().to_owned(),
        issued: Vec::new(),
        skipped,
    };
    if eligible.is_empty() {
        tx.audit(
            "issue_none",
            "class",
            class.id,
            Changes::note(json!({ "skipped": report.skipped.len() })),
        );
        tx.commit().await?;
        return Ok(report);
    }
    let list = current_status_list(&mut tx, config, &partner, &key).await?;
    let approved_by = actor.user_id();
    let batch = issuance_batch::ActiveModel {
        facility_id: Set(class.facility_id),
        class_id: Set(class.id),
        partner_id: Set(partner.id),
        status: Set("issued".into()),
        approved_by: Set(approved_by),
        approved_at: Set(Some(tx.at())),
        created_at: Set(tx.at()),
        updated_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit(
        "approve",
        "issuance_batch",
        batch.id,
        Changes::created(&batch),
    );
    report.batch_id = Some(batch.id);
    let list_url = config.status_list_url(&partner.code, list.id);
    let cert_units: Vec<Unit> = units
        .iter()
        .map(|u| Unit {
            code: u.code.clone(),
            title: u.title.clone(),
            url: None,
        })
        .collect();
    let hours = u32::try_from(package.hours_jp)
        .map_err(|_| AppError::invalid("hours_jp", "must be positive"))?;
    for (enrolment_id, holder_name) in eligible {
        let seq = take_next_sequence(&tx, partner.id).await?;
        let number = format_number(
            &partner.certificate_number_format,
            &partner.code,
            today.year(),
            seq,
        )?;
        let index = take_next_index(&tx, list.id).await?;
        let data = CertificateData {
            number: number.clone(),
            holder_name: holder_name.clone(),
            package_name: package.name.clone(),
            package_code: package.code.clone(),
            hours_jp: hours,
            units: cert_units.clone(),
            field_of_study: None,
            valid_from: tx.at(),
            valid_until: None,
            issuer_name: partner.name.clone(),
            issuer_did: key.controller().to_owned(),
            credential_id: new_credential_id()?,
            achievement_id: None,
            status_index: Some(u64::try_from(index).unwrap_or_default()),
            status_list_url: Some(list_url.clone()),
            language: Language::Indonesian,
        };
        let credential = issue_certificate(&data, &key, tx.at())
            .map_err(|e| AppError::invalid("certificate", format!("{holder_name}: {e}")))?;
        let row = certificate::ActiveModel {
            facility_id: Set(class.facility_id),
            partner_id: Set(partner.id),
            enrolment_id: Set(enrolment_id),
            batch_id: Set(Some(batch.id)),
            issuer_key_id: Set(key_row.id),
            status_list_id: Set(list.id),
            status_index: Set(index),
            number: Set(number.clone()),
            holder_name: Set(holder_name.clone()),
            credential: Set(credential),
            issued_on: Set(today),
            valid_until: Set(None),
            status: Set("valid".into()),
            revoked_at: Set(None),
            revoked_reason: Set(None),
            created_at: Set(tx.at()),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
        tx.audit(
            "issue",
            "certificate",
            row.id,
            Changes::note(json!({
                "number": number, "enrolment_id": enrolment_id, "batch_id": batch.id,
                "status_list_id": list.id, "status_index": index, "issuer": key.controller(),
            })),
        );
        report.issued.push(IssuedCertificate {
            id: row.id,
            number,
            holder_name,
            status_index: index,
        });
    }
    tx.commit().await?;
    Ok(report)
}
