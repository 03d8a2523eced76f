//! Reading plans: a facility's plans (drafts, the approved one, superseded ones) and one plan
//! as a stage-by-stage chart of its classes (package, room, trainers, members), with the
//! solver's figures. Approval itself is in `store_plan`.

use crate::classes::{self, ClassFilter, ClassSummary};
use crate::{Actor, App, AppError, Permission};
use bekal_store::entity::plan;
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

/// One plan in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlanRow {
    pub id: i64,
    pub facility_id: i64,
    pub name: String,
    /// `draft`, `approved` or `superseded`.
    pub status: String,
    pub horizon_start: NaiveDate,
    pub num_stages: i32,
    pub stage_days: i32,
    /// The solver's objective value and proven bound (equal when proven optimal).
    pub value: Option<i64>,
    pub value_bound: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub approved_at: Option<DateTime<Utc>>,
}

/// One stage column of the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StageView {
    pub number: i32,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub classes: Vec<ClassSummary>,
}

/// A plan with its classes by stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlanView {
    pub plan: PlanRow,
    pub stages: Vec<StageView>,
    /// Trainees placed in a class of this plan.
    pub placed: usize,
    /// Candidates the solver left out (their reasons are on each inmate's page).
    pub not_selected: usize,
    /// Whether the viewer may approve it now (a draft, and the permission).
    pub may_approve: bool,
}

fn row(model: &plan::Model) -> PlanRow {
    PlanRow {
        id: model.id,
        facility_id: model.facility_id,
        name: model.name.clone(),
        status: model.status.clone(),
        horizon_start: model.horizon_start,
        num_stages: model.num_stages,
        stage_days: model.stage_days,
        value: model.value,
        value_bound: model.value_bound,
        created_at: model.created_at,
        approved_at: model.approved_at,
    }
}

/// The facility's plans, newest first.
pub async fn list(app: &App, actor: &Actor, facility_id: i64) -> Result<Vec<PlanRow>, AppError> {
    actor.authorise(Permission::ReadClasses, Some(facility_id))?;
    Ok(plan::Entity::find()
        .filter(plan::Column::FacilityId.eq(facility_id))
        .order_by_desc(plan::Column::Id)
        .all(app.store.conn())
        .await?
        .iter()
        .map(row)
        .collect())
}

/// One plan as a chart; a plan the actor may not see is "not found".
pub async fn view(app: &App, actor: &Actor, plan_id: i64) -> Result<PlanView, AppError> {
    let model = plan::Entity::find_by_id(plan_id)
        .one(app.store.conn())
        .await?
        .filter(|p| {
            actor
                .authorise(Permission::ReadClasses, Some(p.facility_id))
                .is_ok()
        })
        .ok_or_else(|| AppError::NotFound(format!("plan {plan_id}")))?;
    let all = classes::list(
        app,
        actor,
        &ClassFilter {
            plan_id: Some(model.id),
            ..Default::default()
        },
    )
    .await?;
    let placed = all.iter().map(|c| c.enrolled).sum();
    let stages = (1..=model.num_stages)
        .map(|number| {
            let mut classes: Vec<ClassSummary> =
                all.iter().filter(|c| c.stage == number).cloned().collect();
            classes.sort_by(|a, b| a.package_name.cmp(&b.package_name));
            StageView {
                number,
                start: classes.iter().map(|c| c.start_date).min(),
                end: classes.iter().map(|c| c.end_date).max(),
                classes,
            }
        })
        .collect();
    let not_selected = model
        .solver
        .as_ref()
        .and_then(|s| s.get("not_selected"))
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let may_approve = model.status == "draft"
        && actor
            .authorise(Permission::ApprovePlans, Some(model.facility_id))
            .is_ok();
    Ok(PlanView {
        plan: row(&model),
        stages,
        placed,
        not_selected,
        may_approve,
    })
}
