//! Eligibility rules as editable data: list a facility's rules per package (the national
//! rules of the package and the facility's own), create, change or switch one off (audited
//! with before/after), load the active rules for planning, and evaluate them for one inmate.
//! National rules (no facility) need `ManageCatalogue`; a facility's own need `PlanTraining`.

use super::common::{facility, facts, inmate_by_number, package_by_code};
use crate::{Actor, App, AppError, Permission};
use bekal_domain::eligibility::{self, Course, Failure, Rule, RuleKind};
use bekal_store::entity::{assessment, eligibility_rule, package};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder,
};
use bekal_store::{AuditScope, Changes};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// One rule as shown and edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RuleView {
    pub id: i64,
    pub package: String,
    /// `true` for a national rule of the package, `false` for the facility's own.
    pub national: bool,
    pub rule: RuleKind,
    pub active: bool,
}

/// A rule to create (`id: None`) or change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleChange {
    pub id: Option<i64>,
    pub package: String,
    /// `None`: a national rule of the package.
    pub facility: Option<String>,
    pub rule: RuleKind,
    pub active: bool,
}

/// The stored `kind` and `parameters` of a rule.
fn to_row(kind: &RuleKind) -> Result<(String, Value), AppError> {
    let mut value =
        serde_json::to_value(kind).map_err(|e| AppError::Internal(format!("rule: {e}")))?;
    if let Some(map) = value.as_object_mut() {
        map.remove("kind");
    }
    Ok((kind.code().to_owned(), value))
}

/// The rule of a stored row; a row that no longer parses is an internal error naming it.
fn from_row(row: &eligibility_rule::Model) -> Result<RuleKind, AppError> {
    let mut value = row.parameters.clone();
    match value.as_object_mut() {
        Some(map) => {
            map.insert("kind".into(), Value::String(row.kind.clone()));
        }
        None => value = serde_json::json!({ "kind": row.kind }),
    }
    serde_json::from_value(value)
        .map_err(|e| AppError::Internal(format!("eligibility rule {}: {e}", row.id)))
}

fn view(row: &eligibility_rule::Model, codes: &HashMap<i64, String>) -> Result<RuleView, AppError> {
    Ok(RuleView {
        id: row.id,
        package: codes.get(&row.package_id).cloned().unwrap_or_default(),
        national: row.facility_id.is_none(),
        rule: from_row(row)?,
        active: row.active,
    })
}

async fn rows_for(
    conn: &impl ConnectionTrait,
    facility_id: i64,
    package_id: Option<i64>,
    active_only: bool,
) -> Result<Vec<eligibility_rule::Model>, AppError> {
    let mut query = eligibility_rule::Entity::find().filter(
        Condition::any()
            .add(eligibility_rule::Column::FacilityId.is_null())
            .add(eligibility_rule::Column::FacilityId.eq(facility_id)),
    );
    if let Some(id) = package_id {
        query = query.filter(eligibility_rule::Column::PackageId.eq(id));
    }
    if active_only {
        query = query.filter(eligibility_rule::Column::Active.eq(true));
    }
    Ok(query
        .order_by_asc(eligibility_rule::Column::PackageId)
        .order_by_asc(eligibility_rule::Column::Id)
        .all(conn)
        .await?)
}

async fn package_codes(conn: &impl ConnectionTrait) -> Result<HashMap<i64, String>, AppError> {
    Ok(package::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.code))
        .collect())
}

/// The rules that apply in a facility (national and its own), of one package or all.
pub async fn list_rules(
    app: &App,
    actor: &Actor,
    facility_code: &str,
    package_code: Option<&str>,
) -> Result<Vec<RuleView>, AppError> {
    let facility = facility(app, facility_code).await?;
    actor.authorise(Permission::PlanTraining, Some(facility.id))?;
    let db = app.store.conn();
    let package_id = match package_code {
        Some(code) => Some(package_by_code(db, code).await?.id),
        None => None,
    };
    let codes = package_codes(db).await?;
    rows_for(db, facility.id, package_id, false)
        .await?
        .iter()
        .map(|row| view(row, &codes))
        .collect()
}

/// A package as the rules page names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PackageName {
    pub code: String,
    pub name: String,
}

/// Everything the rules page shows: every package (to add a rule to) and the rules that
/// apply in the facility, national and its own, switched off ones included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RuleSheet {
    pub packages: Vec<PackageName>,
    pub rules: Vec<RuleView>,
}

/// The rule sheet of a facility (`PlanTraining`, as [`list_rules`]).
pub async fn rule_sheet(
    app: &App,
    actor: &Actor,
    facility_code: &str,
) -> Result<RuleSheet, AppError> {
    let rules = list_rules(app, actor, facility_code, None).await?;
    let packages = package::Entity::find()
        .order_by_asc(package::Column::Code)
        .all(app.store.conn())
        .await?
        .into_iter()
        .map(|p| PackageName {
            code: p.code,
            name: p.name,
        })
        .collect();
    Ok(RuleSheet { packages, rules })
}

/// Creates or changes one rule (audited).
pub async fn set_rule(app: &App, actor: &Actor, change: &RuleChange) -> Result<RuleView, AppError> {
    change.rule.validate()?;
    let facility_id = match &change.facility {
        Some(code) => Some(facility(app, code).await?.id),
        None => None,
    };
    match facility_id {
        Some(id) => actor.authorise(Permission::PlanTraining, Some(id))?,
        None => actor.authorise(Permission::ManageCatalogue, None)?,
    }
    let package = package_by_code(app.store.conn(), &change.package).await?;
    let (kind, parameters) = to_row(&change.rule)?;
    let scope = facility_id.map_or(AuditScope::National, AuditScope::Facility);
    let mut tx = app
        .store
        .begin_write(scope, actor.audit_actor(), app.clock.now())
        .await?;
    let saved = match change.id {
        Some(id) => {
            let before = eligibility_rule::Entity::find_by_id(id)
                .one(tx.conn())
                .await?
                .filter(|r| r.facility_id == facility_id)
                .ok_or_else(|| AppError::NotFound(format!("eligibility rule {id}")))?;
            let mut row = before.clone().into_active_model();
            row.package_id = Set(package.id);
            row.kind = Set(kind);
            row.parameters = Set(parameters);
            row.active = Set(change.active);
            row.updated_at = Set(tx.at());
            let after = row.update(tx.conn()).await?;
            tx.audit(
                "update",
                "eligibility_rule",
                after.id,
                Changes::updated(&before, &after),
            );
            after
        }
        None => {
            let after = eligibility_rule::ActiveModel {
                package_id: Set(package.id),
                facility_id: Set(facility_id),
                kind: Set(kind),
                parameters: Set(parameters),
                active: Set(change.active),
                created_at: Set(tx.at()),
                updated_at: Set(tx.at()),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?;
            tx.audit(
                "create",
                "eligibility_rule",
                after.id,
                Changes::created(&after),
            );
            after
        }
    };
    tx.commit().await?;
    view(&saved, &HashMap::from([(package.id, package.code)]))
}

/// The active rules of every package in a facility, by package id (for planning).
pub(crate) async fn active_rules(
    conn: &impl ConnectionTrait,
    facility_id: i64,
) -> Result<HashMap<i64, Vec<Rule>>, AppError> {
    let mut rules: HashMap<i64, Vec<Rule>> = HashMap::new();
    for row in rows_for(conn, facility_id, None, true).await? {
        rules.entry(row.package_id).or_default().push(Rule {
            id: Some(row.id),
            kind: from_row(&row)?,
        });
    }
    Ok(rules)
}

/// Which rules of a package fail for one inmate on a course starting on `course_start`
/// (empty: eligible). Reads personal data: `ReadInmates`.
pub async fn check_eligibility(
    app: &App,
    actor: &Actor,
    facility_code: &str,
    register_number: &str,
    package_code: &str,
    course_start: NaiveDate,
) -> Result<Vec<Failure>, AppError> {
    let facility = facility(app, facility_code).await?;
    actor.authorise(Permission::ReadInmates, Some(facility.id))?;
    let db = app.store.conn();
    let person = inmate_by_number(db, facility.id, register_number).await?;
    let package = package_by_code(db, package_code).await?;
    let row = assessment::Entity::find()
        .filter(assessment::Column::InmateId.eq(person.id))
        .filter(assessment::Column::PackageId.eq(package.id))
        .one(db)
        .await?;
    let rules = active_rules(db, facility.id).await?;
    Ok(eligibility::evaluate(
        rules.get(&package.id).map_or(&[][..], Vec::as_slice),
        &facts(&person, row.as_ref()),
        &Course {
            start: course_start,
            duration_days: u32::try_from(package.duration_days).unwrap_or(0),
        },
    ))
}
