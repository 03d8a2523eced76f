//! Lookups shared by the selection services: facility and package by code, inmate by
//! register number, and the facts the eligibility rules look at.

use crate::facilities::find_by_code;
use crate::{Actor, App, AppError};
use bekal_domain::eligibility::{Facts, Flag};
use bekal_domain::pembinaan::PembinaanDates;
use bekal_store::entity::{assessment, facility, inmate, package};
use bekal_store::sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use bekal_store::{AuditScope, Changes};

pub(crate) async fn facility(app: &App, code: &str) -> Result<facility::Model, AppError> {
    find_by_code(app, code)
        .await?
        .ok_or_else(|| AppError::invalid("facility", format!("unknown facility {code}")))
}

pub(crate) async fn package_by_code(
    conn: &impl ConnectionTrait,
    code: &str,
) -> Result<package::Model, AppError> {
    package::Entity::find()
        .filter(package::Column::Code.eq(code.trim()))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::invalid("package", format!("unknown package {code}")))
}

/// The inmate of this facility with this register number (not found otherwise, so another
/// facility's inmates stay invisible).
pub(crate) async fn inmate_by_number(
    conn: &impl ConnectionTrait,
    facility_id: i64,
    register_number: &str,
) -> Result<inmate::Model, AppError> {
    inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(facility_id))
        .filter(inmate::Column::RegisterNumber.eq(register_number.trim()))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("inmate {}", register_number.trim())))
}

/// The facts of one inmate for one package: the package's assessment (if any) and the
/// inmate's record.
pub(crate) fn facts(person: &inmate::Model, row: Option<&assessment::Model>) -> Facts {
    let mut flags = std::collections::BTreeSet::new();
    if person.health_cleared || row.is_some_and(|r| r.health_cleared) {
        flags.insert(Flag::HealthCleared);
    }
    if row.is_some_and(|r| r.security_cleared) {
        flags.insert(Flag::SecurityCleared);
    }
    if row.is_some_and(|r| r.literate) {
        flags.insert(Flag::Literate);
    }
    if person.disciplinary_flag {
        flags.insert(Flag::DisciplinaryRecord);
    }
    Facts {
        skill_score: row.and_then(|r| r.skill_score),
        sppn_score: row.and_then(|r| r.sppn_score).or(person.sppn_score),
        birth_date: person.birth_date,
        expected_release: person.expected_release,
        flags,
        education: person.education.clone(),
        pembinaan: person
            .sentence_start
            .zip(person.expected_release)
            .and_then(|(start, release)| PembinaanDates::compute(start, release)),
    }
}

/// Records a read of personal data (a list of inmates) in the facility's audit log.
pub(crate) async fn audit_read(
    app: &App,
    actor: &Actor,
    facility_id: i64,
    entity: &str,
    id: i64,
    details: serde_json::Value,
) -> Result<(), AppError> {
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    tx.audit("read-list", entity, id, Changes::note(details));
    tx.commit().await?;
    Ok(())
}
