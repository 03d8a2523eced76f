//! Solving a facility's instance and storing the result as a draft plan: the plan row with its
//! value, proven bound and solver status, one class per planned class (package, stage, room,
//! partner, dates, the reason for its stage, room and trainer), its trainer and its
//! enrolments. Approval supersedes the previously approved plan.

use super::instance::{PlanParameters, build_instance_explained};
use crate::facilities::find_by_code;
use crate::{Actor, App, AppError, Permission};
use bekal_planner::{SolveOptions, explain, solve};
use bekal_store::entity::{class_trainer, enrolment, plan, room, trainer, training_class};
use bekal_store::sea_orm::sea_query::Expr;
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use bekal_store::{AuditScope, Changes};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use std::time::Duration;

/// What planning produced.
#[derive(Debug, Clone, Serialize)]
pub struct PlanSummary {
    pub plan_id: i64,
    pub status: String,
    pub solver_status: String,
    pub value: i64,
    pub value_bound: Option<i64>,
    pub makespan_stages: i64,
    pub classes: usize,
    pub selected: usize,
    pub candidates: usize,
}

fn parse_date(text: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| AppError::Internal(format!("planner date {text:?}")))
}

fn parse_id(text: &str) -> Result<i64, AppError> {
    text.parse()
        .map_err(|_| AppError::Internal(format!("planner id {text:?}")))
}

/// Solves the facility's planning problem and stores the result as a draft plan.
pub async fn create_draft_plan(
    app: &App,
    actor: &Actor,
    facility_code: &str,
    parameters: &PlanParameters,
    time_limit: Duration,
) -> Result<PlanSummary, AppError> {
    let facility = find_by_code(app, facility_code).await?.ok_or_else(|| {
        AppError::invalid("facility", format!("unknown facility {facility_code}"))
    })?;
    actor.authorise(Permission::PlanTraining, Some(facility.id))?;
    if parameters.num_stages == 0 || parameters.stage_days == 0 {
        return Err(AppError::invalid(
            "stages",
            "a plan needs at least one stage of at least one day",
        ));
    }
    let built = build_instance_explained(app, facility.id, &facility.code, parameters).await?;
    let instance = built.instance;
    let selection_id = built.selection_id;
    let candidates = instance
        .facilities
        .first()
        .map_or(0, |f| f.candidates.len());
    let solution = solve(
        &instance,
        &SolveOptions {
            time_limit,
            threads: 2,
            seed: 1,
        },
    );
    let explanation = explain(&instance, &solution);
    let Some(result) = solution.facilities.first() else {
        return Err(AppError::Internal(
            "the planner returned no facility".into(),
        ));
    };
    let reasons: HashMap<&str, serde_json::Value> = explanation
        .facilities
        .first()
        .map(|f| {
            f.classes
                .iter()
                .map(|c| (c.class_id.as_str(), json!(c)))
                .collect()
        })
        .unwrap_or_default();
    let rooms: HashMap<String, i64> = room::Entity::find()
        .filter(room::Column::FacilityId.eq(facility.id))
        .all(app.store.conn())
        .await?
        .into_iter()
        .map(|r| (r.code, r.id))
        .collect();
    let packages: HashMap<String, i64> = bekal_store::entity::package::Entity::find()
        .all(app.store.conn())
        .await?
        .into_iter()
        .map(|p| (p.code, p.id))
        .collect();

    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(facility.id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let created_by = actor.user_id();
    let plan_row = plan::ActiveModel {
        facility_id: Set(facility.id),
        name: Set(parameters.name.clone()),
        selection_id: Set(selection_id),
        status: Set("draft".into()),
        horizon_start: Set(parameters.horizon_start),
        stage_days: Set(i32::try_from(parameters.stage_days).unwrap_or(i32::MAX)),
        num_stages: Set(i32::try_from(parameters.num_stages).unwrap_or(i32::MAX)),
        value: Set(Some(result.value)),
        value_bound: Set(result.value_bound),
        makespan_stages: Set(i32::try_from(result.makespan_stages).ok()),
        solver: Set(Some(json!({
            "status": result.status,
            "wall_time_s": result.wall_time_s,
            "candidates": candidates,
            "not_selected": explanation.facilities.first().map(|f| json!(f.not_selected)),
            "rule_failures": built.rule_failures,
        }))),
        created_by: Set(created_by),
        created_at: Set(tx.at()),
        updated_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("create", "plan", plan_row.id, Changes::created(&plan_row));
    let mut selected = 0;
    for class in &result.classes {
        let trainer_id = parse_id(&class.trainer)?;
        let partner_id = trainer::Entity::find_by_id(trainer_id)
            .one(tx.conn())
            .await?
            .map(|t| t.partner_id)
            .ok_or_else(|| AppError::Internal(format!("trainer {trainer_id} vanished")))?;
        let package_id = *packages
            .get(&class.package)
            .ok_or_else(|| AppError::Internal(format!("package {} vanished", class.package)))?;
        let stage = i32::try_from(class.stage).unwrap_or(0);
        let row = training_class::ActiveModel {
            facility_id: Set(facility.id),
            plan_id: Set(plan_row.id),
            package_id: Set(package_id),
            partner_id: Set(partner_id),
            room_id: Set(rooms.get(&class.room).copied()),
            code: Set(format!("P{}-{}-T{}", plan_row.id, class.package, stage + 1)),
            stage: Set(stage),
            start_date: Set(parse_date(&class.start_date)?),
            end_date: Set(parse_date(&class.end_date)?),
            status: Set("planned".into()),
            explanation: Set(reasons.get(class.id.as_str()).cloned()),
            created_at: Set(tx.at()),
            updated_at: Set(tx.at()),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
        tx.audit("create", "class", row.id, Changes::created(&row));
        let assignment = class_trainer::ActiveModel {
            facility_id: Set(facility.id),
            class_id: Set(row.id),
            trainer_id: Set(trainer_id),
            role: Set("lead".into()),
            date_from: Set(row.start_date),
            date_to: Set(Some(row.end_date)),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
        tx.audit(
            "create",
            "class_trainer",
            assignment.id,
            Changes::created(&assignment),
        );
        for (position, member) in class.members.iter().enumerate() {
            let enrolled = enrolment::ActiveModel {
                facility_id: Set(facility.id),
                class_id: Set(row.id),
                inmate_id: Set(parse_id(member)?),
                state: Set("enrolled".into()),
                enrolled_on: Set(row.start_date),
                number_in_class: Set(i32::try_from(position + 1).ok()),
                created_at: Set(tx.at()),
                updated_at: Set(tx.at()),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?;
            tx.audit(
                "create",
                "enrolment",
                enrolled.id,
                Changes::created(&enrolled),
            );
            selected += 1;
        }
    }
    tx.commit().await?;
    Ok(PlanSummary {
        plan_id: plan_row.id,
        status: plan_row.status,
        solver_status: format!("{:?}", result.status).to_uppercase(),
        value: result.value,
        value_bound: result.value_bound,
        makespan_stages: result.makespan_stages,
        classes: result.classes.len(),
        selected,
        candidates,
    })
}

/// Approves a draft plan (the facility head); the previously approved plan is superseded.
pub async fn approve_plan(app: &App, actor: &Actor, plan_id: i64) -> Result<(), AppError> {
    let draft = plan::Entity::find_by_id(plan_id)
        .one(app.store.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("plan {plan_id}")))?;
    actor.authorise(Permission::ApprovePlans, Some(draft.facility_id))?;
    if draft.status != "draft" {
        return Err(AppError::Conflict(format!(
            "plan {plan_id} is {}, not a draft",
            draft.status
        )));
    }
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(draft.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    // Claim the draft first: of two approvals at the same moment (two servers on PostgreSQL),
    // the second waits on this row, then finds it no longer a draft.
    let claimed = plan::Entity::update_many()
        .col_expr(plan::Column::Status, Expr::value("approved"))
        .filter(plan::Column::Id.eq(plan_id))
        .filter(plan::Column::Status.eq("draft"))
        .exec(tx.conn())
        .await?;
    if claimed.rows_affected == 0 {
        tx.rollback().await?;
        return Err(AppError::Conflict(format!(
            "plan {plan_id} was approved or changed meanwhile"
        )));
    }
    for previous in plan::Entity::find()
        .filter(plan::Column::FacilityId.eq(draft.facility_id))
        .filter(plan::Column::Id.ne(plan_id))
        .filter(plan::Column::Status.eq("approved"))
        .all(tx.conn())
        .await?
    {
        let before = previous.clone();
        let mut active = previous.into_active_model();
        active.status = Set("superseded".into());
        active.updated_at = Set(tx.at());
        let after = active.update(tx.conn()).await?;
        tx.audit(
            "supersede",
            "plan",
            after.id,
            Changes::updated(&before, &after),
        );
    }
    let before = draft.clone();
    let mut active = draft.into_active_model();
    active.status = Set("approved".into());
    active.approved_by = Set(actor.user_id());
    active.approved_at = Set(Some(tx.at()));
    active.updated_at = Set(tx.at());
    let after = active.update(tx.conn()).await?;
    tx.audit(
        "approve",
        "plan",
        after.id,
        Changes::updated(&before, &after),
    );
    tx.commit().await?;
    Ok(())
}

/// Sets each class of the facility's approved plan to planned / running / finished by its
/// dates on `today` (cancelled classes stay cancelled).
pub async fn refresh_class_statuses(
    app: &App,
    actor: &Actor,
    facility_id: i64,
    today: NaiveDate,
) -> Result<usize, AppError> {
    actor.authorise(Permission::PlanTraining, Some(facility_id))?;
    let approved: Vec<i64> = plan::Entity::find()
        .filter(plan::Column::FacilityId.eq(facility_id))
        .filter(plan::Column::Status.eq("approved"))
        .all(app.store.conn())
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let mut changed = 0;
    for class in training_class::Entity::find()
        .filter(training_class::Column::PlanId.is_in(approved))
        .all(tx.conn())
        .await?
    {
        let wanted = if class.status == "cancelled" {
            "cancelled"
        } else if class.end_date < today {
            "finished"
        } else if class.start_date <= today {
            "running"
        } else {
            "planned"
        };
        if class.status != wanted {
            let before = class.clone();
            let mut active = class.into_active_model();
            active.status = Set(wanted.to_owned());
            active.updated_at = Set(tx.at());
            let after = active.update(tx.conn()).await?;
            tx.audit(
                "status",
                "class",
                after.id,
                Changes::updated(&before, &after),
            );
            changed += 1;
        }
    }
    if changed == 0 {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(changed)
}
