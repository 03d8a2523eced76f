//! Custody changes an officer confirms: a release (the end of a sentence, parole, early
//! release), a transfer to another facility, a death. An inmate missing from a new SDP export
//! is never released by the import; an officer records it here, which is what makes the
//! follow-ups after release fall due (3, 6, 12 months from the release date).
//!
//! A person still enrolled in a planned or running class is refused: end the enrolment first
//! (its state change offers the freed place to the waiting list), then record the release.
//! The release date may not be before the person's last enrolment began.

use crate::{Actor, App, AppError, Permission};
use bekal_domain::status::{ClassStatus, CustodyStatus, EnrolmentState};
use bekal_store::entity::{custody_event, enrolment, inmate, training_class};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use bekal_store::{AuditScope, Changes};
use chrono::NaiveDate;
use serde::Serialize;

/// A custody change to record.
#[derive(Debug, Clone)]
pub struct CustodyChange {
    pub inmate_id: i64,
    /// `released`, `transferred` or `deceased`.
    pub kind: CustodyStatus,
    pub effective_on: NaiveDate,
    pub reason: Option<String>,
}

/// A recorded custody change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CustodyEventView {
    pub id: i64,
    pub inmate_id: i64,
    pub kind: String,
    pub effective_on: NaiveDate,
    pub reason: Option<String>,
}

impl From<custody_event::Model> for CustodyEventView {
    fn from(row: custody_event::Model) -> Self {
        CustodyEventView {
            id: row.id,
            inmate_id: row.inmate_id,
            kind: row.kind,
            effective_on: row.effective_on,
            reason: row.reason,
        }
    }
}

/// Records a release, transfer or death of an inmate in custody (program officers of the
/// facility): the event, the inmate's new custody status, both audited in one transaction.
pub async fn record(
    app: &App,
    actor: &Actor,
    change: CustodyChange,
) -> Result<CustodyEventView, AppError> {
    let conn = app.store.conn();
    let person = inmate::Entity::find_by_id(change.inmate_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("inmate {}", change.inmate_id)))?;
    if actor
        .authorise(Permission::ReadInmates, Some(person.facility_id))
        .is_err()
    {
        return Err(AppError::NotFound(format!("inmate {}", change.inmate_id)));
    }
    actor.authorise(Permission::WriteInmates, Some(person.facility_id))?;
    if change.kind == CustodyStatus::InCustody {
        return Err(AppError::invalid(
            "kind",
            "choose released, transferred or deceased",
        ));
    }
    if change.effective_on > app.clock.today() {
        return Err(AppError::invalid(
            "effective_on",
            "is in the future: record it on the day",
        ));
    }
    if person.custody_status != CustodyStatus::InCustody.as_str() {
        return Err(AppError::Conflict(format!(
            "{} is already {}",
            person.register_number, person.custody_status
        )));
    }
    let reason = change
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if reason.as_deref().is_some_and(|r| r.chars().count() > 500) {
        return Err(AppError::invalid("reason", "at most 500 characters"));
    }
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::InmateId.eq(person.id))
        .all(conn)
        .await?;
    if let Some(last) = enrolments.iter().map(|e| e.enrolled_on).max()
        && change.effective_on < last
    {
        return Err(AppError::invalid(
            "effective_on",
            format!("is before the person's training began ({last})"),
        ));
    }
    // Still enrolled in a class that has not finished: that enrolment must end first.
    for current in enrolments
        .iter()
        .filter(|e| e.state == EnrolmentState::Enrolled.as_str())
    {
        let Some(class) = training_class::Entity::find_by_id(current.class_id)
            .one(conn)
            .await?
        else {
            continue;
        };
        if class.status == ClassStatus::Planned.as_str()
            || class.status == ClassStatus::Running.as_str()
        {
            return Err(AppError::Conflict(format!(
                "{} is still enrolled in class {}: end that enrolment first (state {}), then record the {}",
                person.register_number,
                class.code,
                change.kind.as_str(),
                change.kind.as_str()
            )));
        }
    }
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(person.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let event = custody_event::ActiveModel {
        facility_id: Set(person.facility_id),
        inmate_id: Set(person.id),
        kind: Set(change.kind.as_str().to_owned()),
        effective_on: Set(change.effective_on),
        reason: Set(reason),
        recorded_by: Set(actor.user_id()),
        recorded_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit(
        "record",
        "custody_event",
        event.id,
        Changes::created(&event),
    );
    let before = serde_json::json!({ "custody_status": person.custody_status });
    let mut active: inmate::ActiveModel = person.clone().into();
    active.custody_status = Set(change.kind.as_str().to_owned());
    active.updated_at = Set(tx.at());
    active.update(tx.conn()).await?;
    tx.audit(
        "custody_change",
        "inmate",
        person.id,
        Changes::updated(
            &before,
            &serde_json::json!({ "custody_status": change.kind.as_str() }),
        ),
    );
    tx.commit().await?;
    Ok(event.into())
}

/// An inmate's custody events, oldest first (for the profile; the profile read is audited).
pub(crate) async fn history(
    conn: &impl bekal_store::sea_orm::ConnectionTrait,
    inmate_id: i64,
) -> Result<Vec<CustodyEventView>, AppError> {
    Ok(custody_event::Entity::find()
        .filter(custody_event::Column::InmateId.eq(inmate_id))
        .order_by_asc(custody_event::Column::EffectiveOn)
        .all(conn)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// The inmate id of `register_number` at facility `facility_code` (for the CLI), "not found"
/// when the actor may not read that facility's inmates.
pub async fn inmate_id_by_register(
    app: &App,
    actor: &Actor,
    facility_code: &str,
    register_number: &str,
) -> Result<i64, AppError> {
    let conn = app.store.conn();
    let not_found = || AppError::NotFound(format!("inmate {register_number} at {facility_code}"));
    let place = bekal_store::entity::facility::Entity::find()
        .filter(bekal_store::entity::facility::Column::Code.eq(facility_code.trim()))
        .one(conn)
        .await?
        .ok_or_else(not_found)?;
    if actor
        .authorise(Permission::ReadInmates, Some(place.id))
        .is_err()
    {
        return Err(not_found());
    }
    inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(place.id))
        .filter(inmate::Column::RegisterNumber.eq(register_number.trim()))
        .one(conn)
        .await?
        .map(|i| i.id)
        .ok_or_else(not_found)
}
