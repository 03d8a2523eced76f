//! Mid-course enrolment state changes: withdrawn, transferred, released, dismissed, medical,
//! each with an effective date and a reason, kept as an `enrolment_events` row and audited.
//! The freed place is offered, not allocated: the answer names the next waiting-list
//! candidate for the package (approved or pending, lowest rank) for an officer to act on.

use super::{load_class, required_text};
use crate::{Actor, App, AppError, Permission};
use bekal_domain::status::{EnrolmentState, WaitingListStatus};
use bekal_store::audit::{AuditScope, Changes};
use bekal_store::entity::{enrolment, enrolment_event, inmate, waiting_list_entry};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashSet;

/// A requested state change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateChange {
    pub enrolment_id: i64,
    pub to: EnrolmentState,
    pub effective_on: NaiveDate,
    pub reason: String,
}

/// The next candidate for a freed place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlaceProposal {
    pub waiting_list_entry_id: i64,
    pub inmate_id: i64,
    pub name: String,
    pub status: String,
    pub rank: Option<i32>,
}

/// What a state change did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StateChangeOutcome {
    pub enrolment_id: i64,
    pub from: String,
    pub to: String,
    pub effective_on: NaiveDate,
    pub event_id: i64,
    pub proposal: Option<PlaceProposal>,
}

/// Ends an enrolment mid-course (see the module doc).
pub async fn change_state(
    app: &App,
    actor: &Actor,
    change: StateChange,
) -> Result<StateChangeOutcome, AppError> {
    let reason = required_text("reason", &change.reason)?;
    if !matches!(
        change.to,
        EnrolmentState::Withdrawn
            | EnrolmentState::Transferred
            | EnrolmentState::Released
            | EnrolmentState::Dismissed
            | EnrolmentState::Medical
    ) {
        return Err(AppError::invalid(
            "to",
            format!("{} is not a mid-course change", change.to),
        ));
    }
    if change.effective_on > app.clock.today() {
        return Err(AppError::invalid("effective_on", "is in the future"));
    }
    let before = load_enrolment(app.store.conn(), change.enrolment_id).await?;
    actor.authorise(Permission::ChangeEnrolments, Some(before.facility_id))?;
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(before.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let before = load_enrolment(tx.conn(), change.enrolment_id).await?;
    if before.state != EnrolmentState::Enrolled.as_str() {
        return Err(AppError::Conflict(format!(
            "enrolment {} is {}, not enrolled",
            before.id, before.state
        )));
    }
    if change.effective_on < before.enrolled_on {
        return Err(AppError::invalid(
            "effective_on",
            "is before the enrolment began",
        ));
    }
    let mut active: enrolment::ActiveModel = before.clone().into();
    active.state = Set(change.to.as_str().to_owned());
    active.state_changed_on = Set(Some(change.effective_on));
    active.state_reason = Set(Some(reason.clone()));
    active.updated_at = Set(tx.at());
    let after = active.update(tx.conn()).await?;
    let event = enrolment_event::ActiveModel {
        facility_id: Set(before.facility_id),
        enrolment_id: Set(before.id),
        from_state: Set(Some(before.state.clone())),
        to_state: Set(after.state.clone()),
        effective_on: Set(change.effective_on),
        reason: Set(Some(reason)),
        recorded_by: Set(tx.actor().user_id),
        recorded_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit(
        "change_state",
        "enrolment",
        after.id,
        Changes::updated(&before, &after),
    );
    tx.audit(
        "record",
        "enrolment_event",
        event.id,
        Changes::created(&event),
    );
    let proposal = next_candidate(tx.conn(), &after).await?;
    tx.commit().await?;
    Ok(StateChangeOutcome {
        enrolment_id: after.id,
        from: before.state,
        to: after.state,
        effective_on: change.effective_on,
        event_id: event.id,
        proposal,
    })
}

/// An enrolment's events, oldest first.
pub async fn history(
    app: &App,
    actor: &Actor,
    enrolment_id: i64,
) -> Result<Vec<enrolment_event::Model>, AppError> {
    let e = load_enrolment(app.store.conn(), enrolment_id).await?;
    actor.authorise(Permission::ChangeEnrolments, Some(e.facility_id))?;
    Ok(enrolment_event::Entity::find()
        .filter(enrolment_event::Column::EnrolmentId.eq(enrolment_id))
        .order_by_asc(enrolment_event::Column::Id)
        .all(app.store.conn())
        .await?)
}

async fn load_enrolment(
    conn: &impl ConnectionTrait,
    enrolment_id: i64,
) -> Result<enrolment::Model, AppError> {
    enrolment::Entity::find_by_id(enrolment_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("enrolment {enrolment_id}")))
}

/// The waiting-list entry for the class's package with the lowest rank (approved before
/// pending on a tie), skipping anyone already in the class.
async fn next_candidate(
    conn: &impl ConnectionTrait,
    freed: &enrolment::Model,
) -> Result<Option<PlaceProposal>, AppError> {
    let class = load_class(conn, freed.class_id).await?;
    next_for_class(conn, &class).await
}

/// The next waiting-list candidate for a place in `class` (see [`next_candidate`]); also used
/// by the waiting-list workflow when an officer offers a freed place.
pub(crate) async fn next_for_class(
    conn: &impl ConnectionTrait,
    class: &bekal_store::entity::training_class::Model,
) -> Result<Option<PlaceProposal>, AppError> {
    let in_class: HashSet<i64> = enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.eq(class.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|e| e.inmate_id)
        .collect();
    let approved = WaitingListStatus::Approved.as_str();
    let mut entries: Vec<waiting_list_entry::Model> = waiting_list_entry::Entity::find()
        .filter(waiting_list_entry::Column::FacilityId.eq(class.facility_id))
        .filter(waiting_list_entry::Column::PackageId.eq(class.package_id))
        .filter(
            waiting_list_entry::Column::Status
                .is_in([approved, WaitingListStatus::Pending.as_str()]),
        )
        .all(conn)
        .await?
        .into_iter()
        .filter(|w| !in_class.contains(&w.inmate_id))
        .collect();
    entries.sort_by_key(|w| (w.rank.unwrap_or(i32::MAX), w.status != approved, w.id));
    let Some(first) = entries.into_iter().next() else {
        return Ok(None);
    };
    let name = inmate::Entity::find_by_id(first.inmate_id)
        .one(conn)
        .await?
        .map(|i| i.name)
        .unwrap_or_default();
    Ok(Some(PlaceProposal {
        waiting_list_entry_id: first.id,
        inmate_id: first.inmate_id,
        name,
        status: first.status,
        rank: first.rank,
    }))
}
