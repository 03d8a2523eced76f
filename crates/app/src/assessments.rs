//! Intake assessments: per inmate and package, the skill test score, preference, clearances,
//! literacy and SPPN score, with who assessed and when. Recording the same inmate and package
//! again updates the assessment (audited with before/after).

use crate::{Actor, App, AppError, Permission};
use bekal_store::entity::assessment;
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use bekal_store::{AuditScope, Changes};
use chrono::NaiveDate;

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

fn check(input: &AssessmentInput) -> Result<(), AppError> {
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
