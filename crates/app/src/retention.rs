//! Retention of personal data (issue 9; Law 27/2022 keeps personal data no longer than its
//! purpose needs). The policy is a setting, `retention_years_after_release` (default
//! [`DEFAULT_YEARS`]), changed only by national administrators; it must outlast the last
//! follow-up after release. [`apply`] finds the people released (or deceased) longer ago than
//! that and erases their personal fields in one audited transaction per facility: name,
//! aliases, dates of birth and sentence, religion, origin, case, block and cell, scores,
//! skills and interests, the free-text notes of their assessments and follow-ups; the
//! register number becomes `ERASED-<id>`. The row itself stays, so enrolments, unit results,
//! follow-up outcomes and every report figure keep adding up. Certificates are not touched:
//! they are the holder's, issued by the partner, and must stay verifiable. Audit entries keep
//! what they recorded (they are minimised when written; a hash chain cannot be edited).

use crate::{Actor, App, AppError, Permission};
use bekal_store::entity::{assessment, custody_event, facility, follow_up, inmate, setting};
use bekal_store::sea_orm::sea_query::Expr;
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use bekal_store::{AuditScope, Changes};
use chrono::{Months, NaiveDate};
use serde::Serialize;
use serde_json::json;
use std::collections::BTreeMap;

/// Years after release before a person's record is erased, unless set otherwise.
pub const DEFAULT_YEARS: u32 = 5;

/// The settings key of the policy.
pub const YEARS_SETTING: &str = "retention_years_after_release";

/// The retention period in force.
pub async fn years(app: &App) -> Result<u32, AppError> {
    let Some(row) = setting::Entity::find_by_id(YEARS_SETTING.to_owned())
        .one(app.store.conn())
        .await?
    else {
        return Ok(DEFAULT_YEARS);
    };
    row.value
        .trim()
        .parse()
        .map_err(|_| AppError::Internal(format!("setting {YEARS_SETTING} is {:?}", row.value)))
}

/// Sets the retention period (national administrators). It must be longer than the last
/// follow-up after release and at most 30 years.
pub async fn set_years(app: &App, actor: &Actor, years: u32) -> Result<u32, AppError> {
    actor.authorise(Permission::ManageCatalogue, None)?;
    let last_follow_up = crate::followup::offsets_from_settings(app)
        .await?
        .into_iter()
        .max()
        .unwrap_or(12);
    if years.saturating_mul(12) <= last_follow_up || years > 30 {
        return Err(AppError::invalid(
            YEARS_SETTING,
            format!(
                "{years} years: it must be longer than the last follow-up ({last_follow_up} months) and at most 30"
            ),
        ));
    }
    let mut tx = app
        .store
        .begin_write(AuditScope::National, actor.audit_actor(), app.clock.now())
        .await?;
    let before = setting::Entity::find_by_id(YEARS_SETTING.to_owned())
        .one(tx.conn())
        .await?;
    let row = setting::ActiveModel {
        key: Set(YEARS_SETTING.to_owned()),
        value: Set(years.to_string()),
        updated_at: Set(tx.at()),
    };
    let after = match &before {
        Some(_) => row.update(tx.conn()).await?,
        None => row.insert(tx.conn()).await?,
    };
    let changes = match &before {
        Some(old) => Changes::updated(old, &after),
        None => Changes::created(&after),
    };
    tx.audit("update", "setting", 0, changes);
    tx.commit().await?;
    Ok(years)
}

/// What [`apply`] found or did, per facility code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionReport {
    pub years: u32,
    /// People released (or deceased) on or before this day are due.
    pub released_before: NaiveDate,
    pub dry_run: bool,
    /// Facility code -> people erased (or due, in a dry run).
    pub facilities: BTreeMap<String, usize>,
    pub total: usize,
}

/// Erases (or with `dry_run` only counts) the records past the retention period. National
/// administrators and the operator only. Running it again erases nothing more.
pub async fn apply(app: &App, actor: &Actor, dry_run: bool) -> Result<RetentionReport, AppError> {
    actor.authorise(Permission::ManageCatalogue, None)?;
    let years = years(app).await?;
    let today = app.clock.today();
    let released_before = today
        .checked_sub_months(Months::new(years.saturating_mul(12)))
        .ok_or_else(|| AppError::Internal("date out of range".into()))?;
    let conn = app.store.conn();
    // The latest custody event of each person who is out (release or death), if old enough.
    let mut due: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut last: BTreeMap<i64, custody_event::Model> = BTreeMap::new();
    for event in custody_event::Entity::find()
        .order_by_asc(custody_event::Column::Id)
        .all(conn)
        .await?
    {
        last.insert(event.inmate_id, event);
    }
    let people = inmate::Entity::find()
        .filter(inmate::Column::ErasedAt.is_null())
        .filter(inmate::Column::CustodyStatus.is_in(["released", "deceased"]))
        .all(conn)
        .await?;
    for person in people {
        let out_on = last
            .get(&person.id)
            .filter(|e| e.kind == "released" || e.kind == "deceased")
            .map(|e| e.effective_on);
        if out_on.is_some_and(|d| d <= released_before) {
            due.entry(person.facility_id).or_default().push(person.id);
        }
    }
    let codes: BTreeMap<i64, String> = facility::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|f| (f.id, f.code))
        .collect();
    let mut report = RetentionReport {
        years,
        released_before,
        dry_run,
        facilities: BTreeMap::new(),
        total: 0,
    };
    for (facility_id, ids) in due {
        let code = codes.get(&facility_id).cloned().unwrap_or_default();
        report.total += ids.len();
        report.facilities.insert(code, ids.len());
        if dry_run {
            continue;
        }
        erase(app, actor, facility_id, &ids, years).await?;
    }
    Ok(report)
}

/// The fields erased, for the audit note.
const ERASED_FIELDS: [&str; 18] = [
    "register_number",
    "register_class",
    "name",
    "aliases",
    "birth_date",
    "religion",
    "education",
    "origin_city",
    "case_article",
    "sentence_days",
    "sentence_start",
    "expected_release",
    "block",
    "cell",
    "sppn_score",
    "risk_level",
    "prior_skills",
    "interests",
];

async fn erase(
    app: &App,
    actor: &Actor,
    facility_id: i64,
    ids: &[i64],
    years: u32,
) -> Result<(), AppError> {
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    for &id in ids {
        let Some(person) = inmate::Entity::find_by_id(id).one(tx.conn()).await? else {
            continue;
        };
        if person.erased_at.is_some() {
            continue;
        }
        let mut row: inmate::ActiveModel = person.into();
        row.register_number = Set(format!("ERASED-{id}"));
        row.register_class = Set(None);
        row.name = Set("-".to_owned());
        row.aliases = Set(None);
        row.birth_date = Set(None);
        row.religion = Set(None);
        row.education = Set(None);
        row.origin_city = Set(None);
        row.case_article = Set(None);
        row.sentence_days = Set(None);
        row.sentence_start = Set(None);
        row.expected_release = Set(None);
        row.block = Set(None);
        row.cell = Set(None);
        row.sppn_score = Set(None);
        row.risk_level = Set(None);
        row.prior_skills = Set(None);
        row.interests = Set(None);
        row.erased_at = Set(Some(tx.at()));
        row.updated_at = Set(tx.at());
        row.update(tx.conn()).await?;
        assessment::Entity::update_many()
            .col_expr(assessment::Column::Notes, Expr::value(None::<String>))
            .col_expr(
                assessment::Column::PriorExperience,
                Expr::value(None::<String>),
            )
            .filter(assessment::Column::InmateId.eq(id))
            .exec(tx.conn())
            .await?;
        follow_up::Entity::update_many()
            .col_expr(follow_up::Column::Notes, Expr::value(None::<String>))
            .filter(follow_up::Column::InmateId.eq(id))
            .exec(tx.conn())
            .await?;
        // The values are not written again here: the note names the fields only.
        tx.audit(
            "erase",
            "inmate",
            id,
            Changes::note(json!({
                "reason": format!("retention: {years} years after release"),
                "fields": ERASED_FIELDS,
                "also": ["assessments.notes", "assessments.prior_experience", "follow_ups.notes"],
            })),
        );
    }
    tx.commit().await?;
    Ok(())
}
