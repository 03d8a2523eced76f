//! The subject-access export (Law 27/2022 on personal data protection, the data subject's right
//! of access): everything Bekal holds about one person, as one JSON document an officer hands
//! over on request. The export is a read of sensitive data and is audited as such.
//!
//! Left out, on purpose: non-associations (they name another person and exist for security)
//! and other people's data (class rosters); audit-log entries (the export's own entry says it
//! was made). Every other table that names the person is included in full, as stored.

use crate::auth::audit_read;
use crate::{Actor, App, AppError, Permission};
use bekal_store::entity::{
    assessment, attendance, certificate, custody_event, enrolment, facility, follow_up, inmate,
    selection_entry, unit_result, waiting_list_entry,
};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

/// The format tag of the export document.
pub const FORMAT: &str = "bekal-subject-access/1";

fn rows<T: serde::Serialize>(list: Vec<T>) -> Result<Value, AppError> {
    serde_json::to_value(list).map_err(|e| AppError::Internal(format!("export: {e}")))
}

/// Everything about inmate `inmate_id`, for officers who may read that facility's inmates.
/// An inmate of another facility is "not found".
pub async fn export(app: &App, actor: &Actor, inmate_id: i64) -> Result<Value, AppError> {
    let conn = app.store.conn();
    let person = inmate::Entity::find_by_id(inmate_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("inmate {inmate_id}")))?;
    if actor
        .authorise(Permission::ReadInmates, Some(person.facility_id))
        .is_err()
    {
        return Err(AppError::NotFound(format!("inmate {inmate_id}")));
    }
    let place = facility::Entity::find_by_id(person.facility_id)
        .one(conn)
        .await?
        .map(|f| json!({ "code": f.code, "name": f.name }));
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::InmateId.eq(person.id))
        .order_by_asc(enrolment::Column::EnrolledOn)
        .all(conn)
        .await?;
    let enrolment_ids: Vec<i64> = enrolments.iter().map(|e| e.id).collect();
    let document = json!({
        "format": FORMAT,
        "generated_at": app.clock.now(),
        "facility": place,
        "person": rows(vec![person.clone()])?.get(0).cloned().unwrap_or(Value::Null),
        "custody_events": rows(custody_event::Entity::find()
            .filter(custody_event::Column::InmateId.eq(person.id))
            .order_by_asc(custody_event::Column::EffectiveOn)
            .all(conn).await?)?,
        "assessments": rows(assessment::Entity::find()
            .filter(assessment::Column::InmateId.eq(person.id))
            .order_by_asc(assessment::Column::AssessedOn)
            .all(conn).await?)?,
        "selection_decisions": rows(selection_entry::Entity::find()
            .filter(selection_entry::Column::InmateId.eq(person.id))
            .order_by_asc(selection_entry::Column::Id)
            .all(conn).await?)?,
        "waiting_list": rows(waiting_list_entry::Entity::find()
            .filter(waiting_list_entry::Column::InmateId.eq(person.id))
            .order_by_asc(waiting_list_entry::Column::Id)
            .all(conn).await?)?,
        "enrolments": rows(enrolments)?,
        "attendance": rows(attendance::Entity::find()
            .filter(attendance::Column::EnrolmentId.is_in(enrolment_ids.clone()))
            .order_by_asc(attendance::Column::Id)
            .all(conn).await?)?,
        "unit_results": rows(unit_result::Entity::find()
            .filter(unit_result::Column::EnrolmentId.is_in(enrolment_ids.clone()))
            .order_by_asc(unit_result::Column::Id)
            .all(conn).await?)?,
        "certificates": rows(certificate::Entity::find()
            .filter(certificate::Column::EnrolmentId.is_in(enrolment_ids))
            .order_by_asc(certificate::Column::Id)
            .all(conn).await?)?,
        "follow_ups": rows(follow_up::Entity::find()
            .filter(follow_up::Column::InmateId.eq(person.id))
            .order_by_asc(follow_up::Column::MonthsAfterRelease)
            .all(conn).await?)?,
        "not_included": [
            "non-associations (security; they name another person)",
            "other people's records (class rosters)",
            "audit-log entries (this export is itself recorded there)"
        ],
    });
    audit_read(
        app,
        actor,
        Some(person.facility_id),
        "inmate",
        person.id,
        "subject-access export",
    )
    .await?;
    Ok(document)
}
