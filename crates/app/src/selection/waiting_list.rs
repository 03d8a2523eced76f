//! Waiting lists per package: built from the eligible who were not placed by the approved
//! plan, ranked by the current selection round's scoring (`bekal_domain::ranking`); each
//! entry moves pending -> approved -> allocated, or to declined / removed / withdrawn, every
//! move kept as a `waiting_list_events` row with who, when and why, and audited. When a place
//! frees up (see `delivery::enrolments`), [`offer`] names the next suitable person and records
//! the offer; [`accept`] enrols them (refused when the class is full or a non-associated
//! inmate is in it); [`decline`] records the refusal.

use super::common::{facility, facts, package_by_code};
use super::rounds;
use super::rules::active_rules;
use crate::delivery::enrolments::{PlaceProposal, next_for_class};
use crate::{Actor, App, AppError, Permission};
use bekal_domain::eligibility::{self, Course};
use bekal_domain::ranking::{RankInput, RankingConfig, rank};
use bekal_domain::status::{EnrolmentState, WaitingListStatus};
use bekal_store::entity::{
    assessment, enrolment, inmate, non_association, package, plan, training_class, user,
    waiting_list_entry, waiting_list_event,
};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
};
use bekal_store::{AuditScope, Changes, WriteTx};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// One status change of an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EventView {
    pub from: Option<String>,
    pub to: String,
    pub reason: Option<String>,
    pub recorded_by: Option<i64>,
    /// The display name of who recorded it.
    pub recorded_by_name: Option<String>,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

/// One person on a package's waiting list, with the history of the entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct WaitingView {
    pub entry_id: i64,
    pub register_number: String,
    pub name: String,
    pub status: String,
    pub rank: Option<i32>,
    pub points: Option<i64>,
    pub history: Vec<EventView>,
}

fn allowed(from: WaitingListStatus, to: WaitingListStatus) -> bool {
    use WaitingListStatus::*;
    matches!(
        (from, to),
        (Pending, Approved | Declined | Removed | Withdrawn)
            | (Approved, Allocated | Declined | Removed | Withdrawn)
    )
}

async fn event(
    tx: &mut WriteTx,
    entry: &waiting_list_entry::Model,
    from: Option<&str>,
    to: &str,
    reason: Option<String>,
    actor: &Actor,
) -> Result<(), AppError> {
    let row = waiting_list_event::ActiveModel {
        facility_id: Set(entry.facility_id),
        entry_id: Set(entry.id),
        from_status: Set(from.map(str::to_owned)),
        to_status: Set(to.to_owned()),
        reason: Set(reason),
        recorded_by: Set(actor.user_id()),
        recorded_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit(
        "create",
        "waiting_list_event",
        row.id,
        Changes::created(&row),
    );
    Ok(())
}

/// Builds or re-ranks a package's waiting list from the eligible who are not in a class of
/// the facility's approved plan. New people join as `pending`; open entries get their new
/// rank; closed ones stay as they were. Returns the list.
pub async fn refresh(
    app: &App,
    actor: &Actor,
    facility_code: &str,
    package_code: &str,
) -> Result<Vec<WaitingView>, AppError> {
    let facility = facility(app, facility_code).await?;
    actor.authorise(Permission::PlanTraining, Some(facility.id))?;
    let db = app.store.conn();
    let package = package_by_code(db, package_code).await?;
    let today = app.clock.today();
    let round = rounds::current(db, facility.id).await?;
    let scoring = round
        .as_ref()
        .map_or_else(RankingConfig::default, rounds::scoring_of);
    let pins = match &round {
        Some(r) => rounds::pins(db, r.id).await?,
        None => HashMap::new(),
    };
    let placed = placed_inmates(db, facility.id).await?;
    let rules = active_rules(db, facility.id).await?;
    let rows = assessment::Entity::find()
        .filter(assessment::Column::FacilityId.eq(facility.id))
        .filter(assessment::Column::PackageId.eq(package.id))
        .all(db)
        .await?;
    let people: HashMap<i64, inmate::Model> = inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(facility.id))
        .filter(inmate::Column::CustodyStatus.eq("in_custody"))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let course = Course {
        start: today,
        duration_days: u32::try_from(package.duration_days).unwrap_or(0),
    };
    let mut inputs = Vec::new();
    let mut by_number: HashMap<String, i64> = HashMap::new();
    for row in &rows {
        let Some(person) = people.get(&row.inmate_id) else {
            continue;
        };
        let (Some(score), Some(release)) = (row.skill_score, person.expected_release) else {
            continue;
        };
        let excluded = pins.get(&person.id).is_some_and(|(kind, p, _)| {
            kind == rounds::EXCLUDE && p.is_none_or(|p| p == package.id)
        });
        if excluded || placed.contains(&person.id) || person.disciplinary_flag {
            continue;
        }
        let failures = eligibility::evaluate(
            rules.get(&package.id).map_or(&[][..], Vec::as_slice),
            &facts(person, Some(row)),
            &course,
        );
        if score < package.min_score || !failures.is_empty() {
            continue;
        }
        by_number.insert(person.register_number.clone(), person.id);
        inputs.push(RankInput {
            key: person.register_number.clone(),
            score,
            preference_rank: row.preference_rank.and_then(|r| u32::try_from(r).ok()),
            release,
            sppn: row.sppn_score.or(person.sppn_score),
        });
    }
    let ranked = rank(&scoring, today, &inputs);
    let existing: HashMap<i64, waiting_list_entry::Model> = waiting_list_entry::Entity::find()
        .filter(waiting_list_entry::Column::FacilityId.eq(facility.id))
        .filter(waiting_list_entry::Column::PackageId.eq(package.id))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.inmate_id, e))
        .collect();
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(facility.id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    for place in &ranked {
        let Some(&inmate_id) = by_number.get(&place.key) else {
            continue;
        };
        let position = i32::try_from(place.position).ok();
        let why = Some(format!("{} points", place.points));
        match existing.get(&inmate_id) {
            Some(entry) if is_open(&entry.status) && entry.rank != position => {
                let mut active = entry.clone().into_active_model();
                active.rank = Set(position);
                active.reason = Set(why);
                active.updated_by = Set(actor.user_id());
                active.updated_at = Set(tx.at());
                let after = active.update(tx.conn()).await?;
                tx.audit(
                    "rerank",
                    "waiting_list_entry",
                    after.id,
                    Changes::updated(entry, &after),
                );
            }
            Some(_) => {}
            None => {
                let entry = waiting_list_entry::ActiveModel {
                    facility_id: Set(facility.id),
                    package_id: Set(package.id),
                    inmate_id: Set(inmate_id),
                    status: Set(WaitingListStatus::Pending.as_str().into()),
                    rank: Set(position),
                    reason: Set(why.clone()),
                    updated_by: Set(actor.user_id()),
                    created_at: Set(tx.at()),
                    updated_at: Set(tx.at()),
                    ..Default::default()
                }
                .insert(tx.conn())
                .await?;
                tx.audit(
                    "create",
                    "waiting_list_entry",
                    entry.id,
                    Changes::created(&entry),
                );
                event(
                    &mut tx,
                    &entry,
                    None,
                    WaitingListStatus::Pending.as_str(),
                    why,
                    actor,
                )
                .await?;
            }
        }
    }
    if tx.pending_entries() == 0 {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    list_for(app, facility.id, package.id, &ranked).await
}

fn is_open(status: &str) -> bool {
    status == WaitingListStatus::Pending.as_str() || status == WaitingListStatus::Approved.as_str()
}

/// Inmates with a live enrolment in a class of the facility's approved plan.
async fn placed_inmates(
    conn: &impl ConnectionTrait,
    facility_id: i64,
) -> Result<HashSet<i64>, AppError> {
    let plans: Vec<i64> = plan::Entity::find()
        .filter(plan::Column::FacilityId.eq(facility_id))
        .filter(plan::Column::Status.eq("approved"))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let classes: Vec<i64> = training_class::Entity::find()
        .filter(training_class::Column::PlanId.is_in(plans))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.is_in(classes))
        .all(conn)
        .await?
        .into_iter()
        .map(|e| e.inmate_id)
        .collect())
}

async fn list_for(
    app: &App,
    facility_id: i64,
    package_id: i64,
    ranked: &[bekal_domain::ranking::Ranked],
) -> Result<Vec<WaitingView>, AppError> {
    let db = app.store.conn();
    let entries = waiting_list_entry::Entity::find()
        .filter(waiting_list_entry::Column::FacilityId.eq(facility_id))
        .filter(waiting_list_entry::Column::PackageId.eq(package_id))
        .all(db)
        .await?;
    let people: HashMap<i64, inmate::Model> = inmate::Entity::find()
        .filter(inmate::Column::Id.is_in(entries.iter().map(|e| e.inmate_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let points: HashMap<&str, i64> = ranked.iter().map(|r| (r.key.as_str(), r.points)).collect();
    let mut events: HashMap<i64, Vec<EventView>> = HashMap::new();
    let rows = waiting_list_event::Entity::find()
        .filter(waiting_list_event::Column::EntryId.is_in(entries.iter().map(|e| e.id)))
        .order_by_asc(waiting_list_event::Column::Id)
        .all(db)
        .await?;
    let names: HashMap<i64, String> = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().filter_map(|e| e.recorded_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    for e in rows {
        events.entry(e.entry_id).or_default().push(EventView {
            from: e.from_status,
            to: e.to_status,
            reason: e.reason,
            recorded_by_name: e.recorded_by.and_then(|id| names.get(&id).cloned()),
            recorded_by: e.recorded_by,
            recorded_at: e.recorded_at,
        });
    }
    let mut views: Vec<WaitingView> = entries
        .into_iter()
        .map(|e| {
            let person = people.get(&e.inmate_id);
            let number = person
                .map(|p| p.register_number.clone())
                .unwrap_or_default();
            WaitingView {
                entry_id: e.id,
                points: points.get(number.as_str()).copied(),
                register_number: number,
                name: person.map(|p| p.name.clone()).unwrap_or_default(),
                status: e.status,
                rank: e.rank,
                history: events.remove(&e.id).unwrap_or_default(),
            }
        })
        .collect();
    views.sort_by_key(|v| (!is_open(&v.status), v.rank.unwrap_or(i32::MAX), v.entry_id));
    Ok(views)
}

/// A package's waiting list with each entry's history (personal data: `ReadInmates`).
pub async fn show(
    app: &App,
    actor: &Actor,
    facility_code: &str,
    package_code: &str,
) -> Result<Vec<WaitingView>, AppError> {
    let facility = facility(app, facility_code).await?;
    actor.authorise(Permission::ReadInmates, Some(facility.id))?;
    let package = package_by_code(app.store.conn(), package_code).await?;
    let list = list_for(app, facility.id, package.id, &[]).await?;
    super::common::audit_read(
        app,
        actor,
        facility.id,
        "waiting_list_entry",
        package.id,
        serde_json::json!({ "package": package.code, "shown": list.len() }),
    )
    .await?;
    Ok(list)
}

async fn load_entry(
    app: &App,
    actor: &Actor,
    entry_id: i64,
) -> Result<waiting_list_entry::Model, AppError> {
    let entry = waiting_list_entry::Entity::find_by_id(entry_id)
        .one(app.store.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("waiting list entry {entry_id}")))?;
    actor.authorise(Permission::PlanTraining, Some(entry.facility_id))?;
    Ok(entry)
}

async fn move_entry(
    tx: &mut WriteTx,
    actor: &Actor,
    entry: &waiting_list_entry::Model,
    to: WaitingListStatus,
    reason: &str,
) -> Result<waiting_list_entry::Model, AppError> {
    let from: WaitingListStatus = entry
        .status
        .parse()
        .map_err(|_| AppError::Internal(format!("waiting list status {:?}", entry.status)))?;
    if !allowed(from, to) {
        return Err(AppError::Conflict(format!(
            "a {} entry cannot become {}",
            entry.status,
            to.as_str()
        )));
    }
    let mut active = entry.clone().into_active_model();
    active.status = Set(to.as_str().into());
    active.reason = Set(Some(reason.to_owned()));
    active.updated_by = Set(actor.user_id());
    active.updated_at = Set(tx.at());
    let after = active.update(tx.conn()).await?;
    tx.audit(
        to.as_str(),
        "waiting_list_entry",
        after.id,
        Changes::updated(entry, &after),
    );
    event(
        tx,
        &after,
        Some(&entry.status),
        to.as_str(),
        Some(reason.to_owned()),
        actor,
    )
    .await?;
    Ok(after)
}

/// Moves an entry to `approved`, `declined`, `removed` or `withdrawn`, with a reason
/// (`allocated` only through [`accept`]).
pub async fn set_status(
    app: &App,
    actor: &Actor,
    entry_id: i64,
    to: WaitingListStatus,
    reason: &str,
) -> Result<(), AppError> {
    let reason = crate::delivery::required_text("reason", reason)?;
    if to == WaitingListStatus::Allocated {
        return Err(AppError::invalid(
            "status",
            "a place is allocated by accepting an offer",
        ));
    }
    let entry = load_entry(app, actor, entry_id).await?;
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(entry.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    move_entry(&mut tx, actor, &entry, to, &reason).await?;
    tx.commit().await?;
    Ok(())
}

/// Offers a free place in a class to the next person on its package's waiting list, and
/// records the offer in the entry's history. `None` when nobody is waiting.
pub async fn offer(
    app: &App,
    actor: &Actor,
    class_id: i64,
) -> Result<Option<PlaceProposal>, AppError> {
    let class = crate::delivery::load_class(app.store.conn(), class_id).await?;
    actor.authorise(Permission::ChangeEnrolments, Some(class.facility_id))?;
    let Some(proposal) = next_for_class(app.store.conn(), &class).await? else {
        return Ok(None);
    };
    let entry = load_entry(app, actor, proposal.waiting_list_entry_id).await?;
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(class.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    event(
        &mut tx,
        &entry,
        Some(&entry.status),
        &entry.status,
        Some(format!("offered a place in class {}", class.code)),
        actor,
    )
    .await?;
    tx.commit().await?;
    Ok(Some(proposal))
}

/// The person accepts the offered place: an approved entry becomes `allocated` and the
/// inmate is enrolled in the class, in one transaction. Refused when the class is full, or
/// when someone in it must never share a class with them.
pub async fn accept(
    app: &App,
    actor: &Actor,
    entry_id: i64,
    class_id: i64,
) -> Result<i64, AppError> {
    let entry = load_entry(app, actor, entry_id).await?;
    let db = app.store.conn();
    let class = crate::delivery::load_class(db, class_id).await?;
    actor.authorise(Permission::ChangeEnrolments, Some(class.facility_id))?;
    if class.facility_id != entry.facility_id || class.package_id != entry.package_id {
        return Err(AppError::invalid(
            "class",
            "the class is not of this waiting list's package",
        ));
    }
    let capacity = package::Entity::find_by_id(class.package_id)
        .one(db)
        .await?
        .map_or(0, |p| p.capacity);
    let members: Vec<i64> = enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.eq(class.id))
        .filter(enrolment::Column::State.eq(EnrolmentState::Enrolled.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.inmate_id)
        .collect();
    if i32::try_from(members.len()).unwrap_or(i32::MAX) >= capacity {
        return Err(AppError::Conflict(format!("class {} is full", class.code)));
    }
    let clash = non_association::Entity::find()
        .filter(non_association::Column::EndedAt.is_null())
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(non_association::Column::InmateAId.eq(entry.inmate_id))
                        .add(non_association::Column::InmateBId.is_in(members.clone())),
                )
                .add(
                    Condition::all()
                        .add(non_association::Column::InmateBId.eq(entry.inmate_id))
                        .add(non_association::Column::InmateAId.is_in(members.clone())),
                ),
        )
        .count(db)
        .await?;
    if clash > 0 {
        return Err(AppError::Conflict(
            "a non-association forbids this class for this person".into(),
        ));
    }
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(class.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let reason = format!("accepted a place in class {}", class.code);
    move_entry(
        &mut tx,
        actor,
        &entry,
        WaitingListStatus::Allocated,
        &reason,
    )
    .await?;
    let position = enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.eq(class.id))
        .count(tx.conn())
        .await?;
    let row = enrolment::ActiveModel {
        facility_id: Set(class.facility_id),
        class_id: Set(class.id),
        inmate_id: Set(entry.inmate_id),
        state: Set(EnrolmentState::Enrolled.as_str().into()),
        enrolled_on: Set(app.clock.today()),
        number_in_class: Set(i32::try_from(position + 1).ok()),
        created_at: Set(tx.at()),
        updated_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("create", "enrolment", row.id, Changes::created(&row));
    tx.commit().await?;
    Ok(row.id)
}

/// The person declines the offered place.
pub async fn decline(
    app: &App,
    actor: &Actor,
    entry_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    set_status(app, actor, entry_id, WaitingListStatus::Declined, reason).await
}
