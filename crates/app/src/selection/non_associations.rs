//! Non-associations: pairs of inmates who must never share a class. Entered and read only by
//! those who plan (`PlanTraining`): trainers and partners never see them. Stored with the
//! lower inmate id first, so a pair is one row whichever order it was entered in; ending one
//! keeps the row (with `ended_at`) for history.

use super::common::{facility, inmate_by_number};
use crate::{Actor, App, AppError, Permission};
use bekal_store::entity::{inmate, non_association};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use bekal_store::{AuditScope, Changes};
use serde::Serialize;
use std::collections::HashMap;

/// One non-association, as an officer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct NonAssociationView {
    pub id: i64,
    pub register_a: String,
    pub register_b: String,
    pub reason: String,
    pub active: bool,
}

/// Records that two inmates of a facility must never share a class.
pub async fn add(
    app: &App,
    actor: &Actor,
    facility_code: &str,
    register_a: &str,
    register_b: &str,
    reason: &str,
) -> Result<NonAssociationView, AppError> {
    let facility = facility(app, facility_code).await?;
    actor.authorise(Permission::PlanTraining, Some(facility.id))?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            "a non-association needs a reason",
        ));
    }
    let db = app.store.conn();
    let a = inmate_by_number(db, facility.id, register_a).await?;
    let b = inmate_by_number(db, facility.id, register_b).await?;
    if a.id == b.id {
        return Err(AppError::invalid("inmate", "two different inmates"));
    }
    let (first, second) = if a.id < b.id { (a, b) } else { (b, a) };
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(facility.id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let existing = non_association::Entity::find()
        .filter(non_association::Column::InmateAId.eq(first.id))
        .filter(non_association::Column::InmateBId.eq(second.id))
        .one(tx.conn())
        .await?;
    let row = match existing {
        Some(before) if before.ended_at.is_none() => {
            tx.rollback().await?;
            return Err(AppError::Conflict(format!(
                "non-association {} already recorded",
                before.id
            )));
        }
        Some(before) => {
            let mut active = before.clone().into_active_model();
            active.reason = Set(reason.to_owned());
            active.ended_at = Set(None);
            active.created_by = Set(actor.user_id());
            let after = active.update(tx.conn()).await?;
            tx.audit(
                "reopen",
                "non_association",
                after.id,
                Changes::updated(&before, &after),
            );
            after
        }
        None => {
            let after = non_association::ActiveModel {
                facility_id: Set(facility.id),
                inmate_a_id: Set(first.id),
                inmate_b_id: Set(second.id),
                reason: Set(reason.to_owned()),
                created_by: Set(actor.user_id()),
                created_at: Set(tx.at()),
                ended_at: Set(None),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?;
            tx.audit(
                "create",
                "non_association",
                after.id,
                Changes::created(&after),
            );
            after
        }
    };
    tx.commit().await?;
    Ok(NonAssociationView {
        id: row.id,
        register_a: first.register_number,
        register_b: second.register_number,
        reason: row.reason,
        active: true,
    })
}

/// Ends a non-association (kept for history).
pub async fn end(app: &App, actor: &Actor, id: i64) -> Result<(), AppError> {
    let before = non_association::Entity::find_by_id(id)
        .one(app.store.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("non-association {id}")))?;
    actor.authorise(Permission::PlanTraining, Some(before.facility_id))?;
    if before.ended_at.is_some() {
        return Ok(());
    }
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(before.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let mut active = before.clone().into_active_model();
    active.ended_at = Set(Some(tx.at()));
    let after = active.update(tx.conn()).await?;
    tx.audit(
        "end",
        "non_association",
        after.id,
        Changes::updated(&before, &after),
    );
    tx.commit().await?;
    Ok(())
}

/// The facility's non-associations, active first. Only for those who plan and the facility
/// head.
pub async fn list(
    app: &App,
    actor: &Actor,
    facility_code: &str,
) -> Result<Vec<NonAssociationView>, AppError> {
    let facility = facility(app, facility_code).await?;
    // Read by those who plan and by the facility head who approves; never trainers/partners.
    actor
        .authorise(Permission::PlanTraining, Some(facility.id))
        .or_else(|_| actor.authorise(Permission::ApprovePlans, Some(facility.id)))?;
    let db = app.store.conn();
    let rows = non_association::Entity::find()
        .filter(non_association::Column::FacilityId.eq(facility.id))
        .order_by_asc(non_association::Column::Id)
        .all(db)
        .await?;
    let numbers: HashMap<i64, String> = inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(facility.id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.id, i.register_number))
        .collect();
    let mut views: Vec<NonAssociationView> = rows
        .into_iter()
        .map(|r| NonAssociationView {
            id: r.id,
            register_a: numbers.get(&r.inmate_a_id).cloned().unwrap_or_default(),
            register_b: numbers.get(&r.inmate_b_id).cloned().unwrap_or_default(),
            reason: r.reason,
            active: r.ended_at.is_none(),
        })
        .collect();
    views.sort_by_key(|v| !v.active);
    super::common::audit_read(
        app,
        actor,
        facility.id,
        "non_association",
        0,
        serde_json::json!({ "shown": views.len() }),
    )
    .await?;
    Ok(views)
}
