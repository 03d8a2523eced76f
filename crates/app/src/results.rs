//! Unit results: per enrolment and competency unit, K (kompeten) or BK (belum kompeten) with
//! the assessor, the date and an evidence note. A re-assessment adds an attempt and moves the
//! `current` flag; earlier attempts stay as history. The results sheet of a class shows the
//! current decision of every trainee on every unit of the class's package.

use crate::idempotency::KeyedRequest;
use crate::{Actor, App, AppError, Permission};
use bekal_domain::status::UnitDecision;
use bekal_store::entity::{
    competency_unit, enrolment, inmate, package_unit, training_class, unit_result,
};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use bekal_store::{AuditScope, Changes};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One assessment to record.
#[derive(Debug, Clone, Serialize)]
pub struct NewResult {
    pub enrolment_id: i64,
    /// The unit's code (must be a unit of the class's package).
    pub unit_code: String,
    pub decision: UnitDecision,
    pub assessor_name: Option<String>,
    pub assessed_on: NaiveDate,
    pub evidence_note: Option<String>,
}

/// A recorded attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ResultView {
    pub id: i64,
    pub enrolment_id: i64,
    pub unit_code: String,
    pub decision: UnitDecision,
    pub attempt: i32,
    pub current: bool,
    pub assessor_name: Option<String>,
    pub assessed_on: NaiveDate,
    pub evidence_note: Option<String>,
}

/// The units of a package, in teaching order.
pub(crate) async fn package_units(
    conn: &impl ConnectionTrait,
    package_id: i64,
) -> Result<Vec<competency_unit::Model>, AppError> {
    let links = package_unit::Entity::find()
        .filter(package_unit::Column::PackageId.eq(package_id))
        .order_by_asc(package_unit::Column::Position)
        .all(conn)
        .await?;
    let ids: Vec<i64> = links.iter().map(|l| l.unit_id).collect();
    let units: HashMap<i64, competency_unit::Model> = competency_unit::Entity::find()
        .filter(competency_unit::Column::Id.is_in(ids.clone()))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(ids.iter().filter_map(|id| units.get(id).cloned()).collect())
}

async fn load_enrolment(
    conn: &impl ConnectionTrait,
    enrolment_id: i64,
) -> Result<(enrolment::Model, training_class::Model), AppError> {
    let enrolment = enrolment::Entity::find_by_id(enrolment_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("enrolment {enrolment_id}")))?;
    let class = training_class::Entity::find_by_id(enrolment.class_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("class {}", enrolment.class_id)))?;
    Ok((enrolment, class))
}

fn view(row: unit_result::Model, unit_code: &str) -> Result<ResultView, AppError> {
    Ok(ResultView {
        decision: row.decision.parse()?,
        id: row.id,
        enrolment_id: row.enrolment_id,
        unit_code: unit_code.to_owned(),
        attempt: row.attempt,
        current: row.current,
        assessor_name: row.assessor_name,
        assessed_on: row.assessed_on,
        evidence_note: row.evidence_note,
    })
}

fn clean(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Records an assessment. A unit already assessed gets a new attempt that becomes current.
pub async fn record(app: &App, actor: &Actor, new: NewResult) -> Result<ResultView, AppError> {
    record_batch(app, actor, vec![new])
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal("a recorded result went missing".into()))
}

/// Records several assessments of one facility (e.g. a class's results sheet) in one
/// transaction: all of them or, on any invalid one, none. The error names the position of the
/// first bad result (`results[2].unit_code`).
pub async fn record_batch(
    app: &App,
    actor: &Actor,
    results: Vec<NewResult>,
) -> Result<Vec<ResultView>, AppError> {
    record_keyed(app, actor, results, None)
        .await
        .map(|(views, _)| views)
}

/// [`record_batch`] with an idempotency key (see [`crate::idempotency`]): a repeated batch
/// with the same key gets the first answer back (`true` = replayed) and writes nothing.
pub async fn record_batch_once(
    app: &App,
    actor: &Actor,
    idempotency_key: &str,
    results: Vec<NewResult>,
) -> Result<(Vec<ResultView>, bool), AppError> {
    record_keyed(app, actor, results, Some(idempotency_key)).await
}

async fn record_keyed(
    app: &App,
    actor: &Actor,
    results: Vec<NewResult>,
    key: Option<&str>,
) -> Result<(Vec<ResultView>, bool), AppError> {
    let Some(first) = results.first() else {
        return Ok((Vec::new(), false));
    };
    let conn = app.store.conn();
    let (first_enrolment, _) = load_enrolment(conn, first.enrolment_id).await?;
    let facility_id = first_enrolment.facility_id;
    actor.authorise(Permission::RecordResults, Some(facility_id))?;
    let keyed = match key {
        Some(key) => {
            let keyed = KeyedRequest::new(key, facility_id, actor.user_id(), &results)?;
            if let Some(answer) = keyed.stored_answer(conn).await? {
                return Ok((answer, true));
            }
            Some(keyed)
        }
        None => None,
    };
    let today = app.clock.today();
    let mut checked = Vec::with_capacity(results.len());
    for (index, new) in results.into_iter().enumerate() {
        let field = |name: &str| format!("results[{index}].{name}");
        let (enrolment, class) = load_enrolment(conn, new.enrolment_id).await?;
        if enrolment.facility_id != facility_id {
            return Err(AppError::invalid(
                field("enrolment_id"),
                "belongs to another facility than the first result",
            ));
        }
        if new.assessed_on > today {
            return Err(AppError::invalid(field("assessed_on"), "is in the future"));
        }
        let code = new.unit_code.trim().to_owned();
        let unit = package_units(conn, class.package_id)
            .await?
            .into_iter()
            .find(|u| u.code.eq_ignore_ascii_case(&code))
            .ok_or_else(|| {
                AppError::invalid(
                    field("unit_code"),
                    format!("{code} is not a unit of this package"),
                )
            })?;
        checked.push((new, unit));
    }
    let assessor_id = actor.user_id();
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    if let Some(keyed) = &keyed
        && let Err(err) = keyed.reserve(&tx).await
    {
        // Taken meanwhile by the same batch sent twice: answer as its retry.
        tx.rollback().await?;
        return match keyed.stored_answer(conn).await? {
            Some(answer) => Ok((answer, true)),
            None => Err(err),
        };
    }
    let mut views = Vec::with_capacity(checked.len());
    for (new, unit) in checked {
        let earlier = unit_result::Entity::find()
            .filter(unit_result::Column::EnrolmentId.eq(new.enrolment_id))
            .filter(unit_result::Column::UnitId.eq(unit.id))
            .all(tx.conn())
            .await?;
        let attempt = earlier.iter().map(|r| r.attempt).max().unwrap_or(0) + 1;
        for old in earlier.into_iter().filter(|r| r.current) {
            let mut active: unit_result::ActiveModel = old.into();
            active.current = Set(false);
            active.update(tx.conn()).await?;
        }
        let row = unit_result::ActiveModel {
            facility_id: Set(facility_id),
            enrolment_id: Set(new.enrolment_id),
            unit_id: Set(unit.id),
            decision: Set(new.decision.as_str().to_owned()),
            attempt: Set(attempt),
            current: Set(true),
            assessor_id: Set(assessor_id),
            assessor_name: Set(clean(new.assessor_name)),
            assessed_on: Set(new.assessed_on),
            evidence_note: Set(clean(new.evidence_note)),
            recorded_at: Set(tx.at()),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
        tx.audit("record", "unit_result", row.id, Changes::created(&row));
        views.push(view(row, &unit.code)?);
    }
    if let Some(keyed) = &keyed {
        keyed.finish(&tx, &views).await?;
    }
    tx.commit().await?;
    Ok((views, false))
}

/// Every attempt of one enrolment on one unit, oldest first.
pub async fn history(
    app: &App,
    actor: &Actor,
    enrolment_id: i64,
    unit_code: &str,
) -> Result<Vec<ResultView>, AppError> {
    let (enrolment, class) = load_enrolment(app.store.conn(), enrolment_id).await?;
    actor.authorise(Permission::RecordResults, Some(enrolment.facility_id))?;
    let Some(unit) = package_units(app.store.conn(), class.package_id)
        .await?
        .into_iter()
        .find(|u| u.code.eq_ignore_ascii_case(unit_code.trim()))
    else {
        return Err(AppError::NotFound(format!("unit {unit_code}")));
    };
    unit_result::Entity::find()
        .filter(unit_result::Column::EnrolmentId.eq(enrolment_id))
        .filter(unit_result::Column::UnitId.eq(unit.id))
        .order_by_asc(unit_result::Column::Attempt)
        .all(app.store.conn())
        .await?
        .into_iter()
        .map(|r| view(r, &unit.code))
        .collect()
}

/// The current decisions of one class: trainees (rows) x units (columns).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ResultsSheet {
    pub class_id: i64,
    pub class_code: String,
    pub units: Vec<SheetUnit>,
    pub rows: Vec<SheetRow>,
}

/// A column of the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ResultsSheetUnit)]
pub struct SheetUnit {
    pub id: i64,
    pub code: String,
    pub title: String,
}

/// A trainee's line: one current decision (or none yet) per unit, in column order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = ResultsSheetRow)]
pub struct SheetRow {
    pub enrolment_id: i64,
    pub name: String,
    pub state: String,
    pub decisions: Vec<Option<UnitDecision>>,
}

/// Current decisions of a class by (enrolment, unit), without permission check.
pub(crate) async fn current_decisions(
    conn: &impl ConnectionTrait,
    class_id: i64,
) -> Result<HashMap<(i64, i64), UnitDecision>, AppError> {
    let enrolment_ids: Vec<i64> = enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.eq(class_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let mut out = HashMap::new();
    for row in unit_result::Entity::find()
        .filter(unit_result::Column::EnrolmentId.is_in(enrolment_ids))
        .filter(unit_result::Column::Current.eq(true))
        .all(conn)
        .await?
    {
        out.insert((row.enrolment_id, row.unit_id), row.decision.parse()?);
    }
    Ok(out)
}

/// The results sheet of a class.
pub async fn sheet(app: &App, actor: &Actor, class_id: i64) -> Result<ResultsSheet, AppError> {
    let conn = app.store.conn();
    let class = training_class::Entity::find_by_id(class_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("class {class_id}")))?;
    actor.authorise(Permission::RecordResults, Some(class.facility_id))?;
    let units = package_units(conn, class.package_id).await?;
    let decisions = current_decisions(conn, class.id).await?;
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.eq(class.id))
        .order_by_asc(enrolment::Column::Id)
        .all(conn)
        .await?;
    let names: HashMap<i64, String> = inmate::Entity::find()
        .filter(inmate::Column::Id.is_in(enrolments.iter().map(|e| e.inmate_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    let mut rows: Vec<SheetRow> = enrolments
        .iter()
        .map(|e| SheetRow {
            enrolment_id: e.id,
            name: names.get(&e.inmate_id).cloned().unwrap_or_default(),
            state: e.state.clone(),
            decisions: units
                .iter()
                .map(|u| decisions.get(&(e.id, u.id)).copied())
                .collect(),
        })
        .collect();
    rows.sort_by(|a, b| {
        a.name
            .cmp(&b.name)
            .then(a.enrolment_id.cmp(&b.enrolment_id))
    });
    Ok(ResultsSheet {
        class_id: class.id,
        class_code: class.code,
        units: units
            .into_iter()
            .map(|u| SheetUnit {
                id: u.id,
                code: u.code,
                title: u.title,
            })
            .collect(),
        rows,
    })
}
