//! Reading the inmate registry: the officer's searchable list and one inmate's profile. Both
//! are sensitive personal data: only the facility's own staff (and national admins) may read
//! them, the profile shows what the programme needs and no more, and every read writes an
//! audit row (who looked, at what, when) in the same transaction as the read.

use crate::selection::{self, SelectionExplanation};
use crate::{Actor, App, AppError, Permission};
use bekal_domain::pembinaan::PembinaanDates;
use bekal_store::entity::{assessment, enrolment, facility, inmate, package, training_class};
use bekal_store::sea_orm::sea_query::{Expr, ExprTrait, Func};
use bekal_store::sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use bekal_store::{AuditScope, Changes};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// Rows per page of the list.
pub const PAGE_SIZE: u64 = 50;

/// One line of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InmateListItem {
    pub id: i64,
    pub register_number: String,
    pub name: String,
    pub block: Option<String>,
    pub expected_release: Option<NaiveDate>,
    /// `in_custody`, `released`, `transferred`, ...
    pub custody_status: String,
    /// The pembinaan stage on the service's today (`initial`, `advanced_one`, ...).
    pub stage: Option<String>,
}

/// A page of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InmateList {
    pub facility_code: String,
    pub query: String,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub items: Vec<InmateListItem>,
}

/// One assessment, as the profile shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AssessmentLine {
    pub package: String,
    pub skill_score: Option<i32>,
    pub preference_rank: Option<i32>,
    pub assessed_on: NaiveDate,
}

/// One enrolment, as the profile shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct EnrolmentLine {
    pub class_id: i64,
    pub class_code: String,
    pub state: String,
    pub enrolled_on: NaiveDate,
    pub state_changed_on: Option<NaiveDate>,
}

/// What the programme needs to know about one inmate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InmateProfile {
    pub id: i64,
    pub facility_id: i64,
    pub facility_code: String,
    pub register_number: String,
    pub name: String,
    pub sex: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub education: Option<String>,
    pub block: Option<String>,
    pub cell: Option<String>,
    pub sentence_start: Option<NaiveDate>,
    pub expected_release: Option<NaiveDate>,
    pub one_third: Option<NaiveDate>,
    pub one_half: Option<NaiveDate>,
    pub two_thirds: Option<NaiveDate>,
    pub stage: Option<String>,
    pub custody_status: String,
    pub health_cleared: bool,
    pub assessments: Vec<AssessmentLine>,
    pub enrolments: Vec<EnrolmentLine>,
    /// Releases, transfers and the like, oldest first.
    pub custody_events: Vec<crate::custody::CustodyEventView>,
    /// Why the approved plan selected this person or not (absent before any plan).
    pub selection: Option<SelectionExplanation>,
}

fn stage_of(row: &inmate::Model, today: NaiveDate) -> Option<String> {
    let dates = PembinaanDates::compute(row.sentence_start?, row.expected_release?)?;
    Some(dates.stage_on(today).as_str().to_owned())
}

/// Searches a facility's registry by name or register number (case-insensitive substring),
/// one page at a time. The search itself is audited (the query and how many matched).
pub async fn search(
    app: &App,
    actor: &Actor,
    facility_id: i64,
    query: &str,
    page: u64,
) -> Result<InmateList, AppError> {
    actor.authorise(Permission::ReadInmates, Some(facility_id))?;
    let query = query.trim();
    if query.chars().count() > 100 {
        return Err(AppError::invalid("q", "at most 100 characters"));
    }
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let place = facility::Entity::find_by_id(facility_id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("facility {facility_id}")))?;
    let mut select = inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(facility_id))
        .filter(inmate::Column::ErasedAt.is_null());
    if !query.is_empty() {
        let pattern = format!("%{}%", query.to_lowercase().replace(['%', '_'], ""));
        select = select.filter(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(inmate::Column::Name))).like(pattern.clone()))
                .add(
                    Expr::expr(Func::lower(Expr::col(inmate::Column::RegisterNumber)))
                        .like(pattern),
                ),
        );
    }
    let total = select.clone().count(tx.conn()).await?;
    let pages = Ord::max(total.div_ceil(PAGE_SIZE), 1);
    let page = page.clamp(1, pages);
    let rows = select
        .order_by_asc(inmate::Column::Name)
        .order_by_asc(inmate::Column::Id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(tx.conn())
        .await?;
    let today = app.clock.today();
    let items: Vec<InmateListItem> = rows
        .iter()
        .map(|row| InmateListItem {
            id: row.id,
            register_number: row.register_number.clone(),
            name: row.name.clone(),
            block: row.block.clone(),
            expected_release: row.expected_release,
            custody_status: row.custody_status.clone(),
            stage: stage_of(row, today),
        })
        .collect();
    tx.audit(
        "read-list",
        "inmate",
        0,
        Changes::note(
            json!({ "query": query, "page": page, "shown": items.len(), "total": total }),
        ),
    );
    tx.commit().await?;
    Ok(InmateList {
        facility_code: place.code,
        query: query.to_owned(),
        total,
        page,
        pages,
        items,
    })
}

/// One inmate's profile; the read is audited. An inmate of another facility is "not found".
pub async fn profile(app: &App, actor: &Actor, inmate_id: i64) -> Result<InmateProfile, AppError> {
    let row = inmate::Entity::find_by_id(inmate_id)
        .one(app.store.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("inmate {inmate_id}")))?;
    if actor
        .authorise(Permission::ReadInmates, Some(row.facility_id))
        .is_err()
    {
        return Err(AppError::NotFound(format!("inmate {inmate_id}")));
    }
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(row.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let conn = tx.conn();
    let place = facility::Entity::find_by_id(row.facility_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("facility {}", row.facility_id)))?;
    let packages: HashMap<i64, String> = package::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let assessments = assessment::Entity::find()
        .filter(assessment::Column::InmateId.eq(row.id))
        .order_by_asc(assessment::Column::PreferenceRank)
        .all(conn)
        .await?
        .into_iter()
        .map(|a| AssessmentLine {
            package: packages.get(&a.package_id).cloned().unwrap_or_default(),
            skill_score: a.skill_score,
            preference_rank: a.preference_rank,
            assessed_on: a.assessed_on,
        })
        .collect();
    let enrolled = enrolment::Entity::find()
        .filter(enrolment::Column::InmateId.eq(row.id))
        .order_by_asc(enrolment::Column::EnrolledOn)
        .all(conn)
        .await?;
    let classes: HashMap<i64, String> = training_class::Entity::find()
        .filter(training_class::Column::Id.is_in(enrolled.iter().map(|e| e.class_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    let enrolments = enrolled
        .into_iter()
        .map(|e| EnrolmentLine {
            class_code: classes.get(&e.class_id).cloned().unwrap_or_default(),
            class_id: e.class_id,
            state: e.state,
            enrolled_on: e.enrolled_on,
            state_changed_on: e.state_changed_on,
        })
        .collect();
    let custody_events = crate::custody::history(conn, row.id).await?;
    let dates = row
        .sentence_start
        .zip(row.expected_release)
        .and_then(|(s, r)| PembinaanDates::compute(s, r));
    tx.audit(
        "read",
        "inmate",
        row.id,
        Changes::note(json!({ "view": "profile" })),
    );
    tx.commit().await?;
    let selection = selection::explain(app, actor, &place.code, Some(&row.register_number))
        .await
        .ok()
        .and_then(|mut found| found.pop());
    Ok(InmateProfile {
        id: row.id,
        facility_id: row.facility_id,
        facility_code: place.code,
        stage: stage_of(&row, app.clock.today()),
        register_number: row.register_number,
        name: row.name,
        sex: row.sex,
        birth_date: row.birth_date,
        education: row.education,
        block: row.block,
        cell: row.cell,
        sentence_start: row.sentence_start,
        expected_release: row.expected_release,
        one_third: dates.map(|d| d.one_third),
        one_half: dates.map(|d| d.one_half),
        two_thirds: dates.map(|d| d.two_thirds),
        custody_status: row.custody_status,
        health_cleared: row.health_cleared,
        assessments,
        enrolments,
        custody_events,
        selection,
    })
}
