//! Intake assessments: per inmate and package, the skill test score, preference, clearances,
//! literacy and SPPN score, with who assessed and when. Recording the same inmate and package
//! again updates the assessment (audited with before/after).

use crate::{Actor, App, AppError, Permission};
use bekal_store::entity::{assessment, inmate};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use bekal_store::{AuditScope, Changes};
use chrono::NaiveDate;
use serde::Serialize;

/// One assessment as entered on the group sheet or imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentInput {
    pub inmate_id: i64,
    pub package_id: i64,
    /// 0-100.
    pub skill_score: Option<i32>,
    /// 1 = first choice.
    pub preference_rank: Option<i32>,
    pub prior_experience: Option<String>,
    pub health_cleared: bool,
    pub security_cleared: bool,
    pub literate: bool,
    pub sppn_score: Option<i32>,
    pub assessed_on: NaiveDate,
    pub notes: Option<String>,
}

/// The rules of one assessment (the group sheet checks each row with them, to name the row).
pub fn check(input: &AssessmentInput) -> Result<(), AppError> {
    if input.skill_score.is_some_and(|s| !(0..=100).contains(&s)) {
        return Err(AppError::invalid(
            "skill_score",
            "must be between 0 and 100",
        ));
    }
    if input.preference_rank.is_some_and(|r| r < 1) {
        return Err(AppError::invalid(
            "preference_rank",
            "1 is the first choice",
        ));
    }
    Ok(())
}

/// Records a group of assessments of one facility in one transaction.
pub async fn record_batch(
    app: &App,
    actor: &Actor,
    facility_id: i64,
    inputs: &[AssessmentInput],
) -> Result<usize, AppError> {
    actor.authorise(Permission::WriteInmates, Some(facility_id))?;
    for input in inputs {
        check(input)?;
    }
    let ids: Vec<i64> = inputs.iter().map(|i| i.inmate_id).collect();
    let known = inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(facility_id))
        .filter(inmate::Column::Id.is_in(ids.clone()))
        .all(app.store.conn())
        .await?;
    if let Some(stranger) = ids.iter().find(|id| !known.iter().any(|k| k.id == **id)) {
        return Err(AppError::NotFound(format!("inmate {stranger}")));
    }
    let assessor = actor.user_id();
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let mut written = 0;
    for input in inputs {
        let existing = assessment::Entity::find()
            .filter(assessment::Column::InmateId.eq(input.inmate_id))
            .filter(assessment::Column::PackageId.eq(input.package_id))
            .one(tx.conn())
            .await?;
        let mut row = match &existing {
            Some(row) if row.facility_id != facility_id => {
                return Err(AppError::NotFound(format!("inmate {}", input.inmate_id)));
            }
            Some(row) => row.clone().into_active_model(),
            None => assessment::ActiveModel {
                facility_id: Set(facility_id),
                inmate_id: Set(input.inmate_id),
                package_id: Set(input.package_id),
                created_at: Set(tx.at()),
                ..Default::default()
            },
        };
        row.skill_score = Set(input.skill_score);
        row.preference_rank = Set(input.preference_rank);
        row.prior_experience = Set(input.prior_experience.clone());
        row.health_cleared = Set(input.health_cleared);
        row.security_cleared = Set(input.security_cleared);
        row.literate = Set(input.literate);
        row.sppn_score = Set(input.sppn_score);
        row.notes = Set(input.notes.clone());
        row.assessed_by = Set(assessor);
        row.assessed_on = Set(input.assessed_on);
        row.updated_at = Set(tx.at());
        let saved = match existing {
            Some(before) => {
                let after = row.update(tx.conn()).await?;
                tx.audit(
                    "update",
                    "assessment",
                    after.id,
                    Changes::updated(&before, &after),
                );
                after
            }
            None => {
                let after = row.insert(tx.conn()).await?;
                tx.audit("create", "assessment", after.id, Changes::created(&after));
                after
            }
        };
        let _ = saved;
        written += 1;
    }
    if tx.pending_entries() == 0 {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(written)
}

/// Rows per page of the group sheet.
pub const SHEET_PAGE_SIZE: u64 = 50;

/// One row of the group sheet: an inmate in custody and their assessment for the package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SheetRow {
    pub inmate_id: i64,
    pub register_number: String,
    pub name: String,
    pub block: Option<String>,
    pub skill_score: Option<i32>,
    pub preference_rank: Option<i32>,
    pub prior_experience: Option<String>,
    pub health_cleared: bool,
    pub security_cleared: bool,
    pub literate: bool,
    pub sppn_score: Option<i32>,
    pub assessed_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// A page of the group sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Sheet {
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    pub rows: Vec<SheetRow>,
}

/// The group sheet of one package: the facility's inmates in custody (by register number,
/// a page at a time) with what was recorded for them. Audited as a read.
pub async fn sheet(
    app: &App,
    actor: &Actor,
    facility_id: i64,
    package_id: i64,
    page: u64,
) -> Result<Sheet, AppError> {
    actor.authorise(Permission::WriteInmates, Some(facility_id))?;
    let db = app.store.conn();
    let select = inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(facility_id))
        .filter(inmate::Column::CustodyStatus.eq("in_custody"));
    let total = select.clone().count(db).await?;
    let pages = Ord::max(total.div_ceil(SHEET_PAGE_SIZE), 1);
    let page = page.clamp(1, pages);
    let people = select
        .order_by_asc(inmate::Column::RegisterNumber)
        .offset((page - 1) * SHEET_PAGE_SIZE)
        .limit(SHEET_PAGE_SIZE)
        .all(db)
        .await?;
    let recorded: std::collections::HashMap<i64, assessment::Model> = assessment::Entity::find()
        .filter(assessment::Column::PackageId.eq(package_id))
        .filter(assessment::Column::InmateId.is_in(people.iter().map(|p| p.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.inmate_id, a))
        .collect();
    let rows: Vec<SheetRow> = people
        .into_iter()
        .map(|p| {
            let a = recorded.get(&p.id);
            SheetRow {
                inmate_id: p.id,
                register_number: p.register_number,
                name: p.name,
                block: p.block,
                skill_score: a.and_then(|a| a.skill_score),
                preference_rank: a.and_then(|a| a.preference_rank),
                prior_experience: a.and_then(|a| a.prior_experience.clone()),
                health_cleared: a.is_some_and(|a| a.health_cleared),
                security_cleared: a.is_some_and(|a| a.security_cleared),
                literate: a.is_some_and(|a| a.literate),
                sppn_score: a.and_then(|a| a.sppn_score),
                assessed_on: a.map(|a| a.assessed_on),
                notes: a.and_then(|a| a.notes.clone()),
            }
        })
        .collect();
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    tx.audit(
        "read-list",
        "assessment",
        package_id,
        Changes::note(serde_json::json!({ "page": page, "shown": rows.len() })),
    );
    tx.commit().await?;
    Ok(Sheet {
        page,
        pages,
        total,
        rows,
    })
}
