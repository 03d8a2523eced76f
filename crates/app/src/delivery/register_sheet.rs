//! The printable attendance register of one class: a grid of trainees (number in class and
//! name only) by session date, with what was recorded in the cells of past sessions and
//! empty cells to fill in by hand for the sessions still to come (paper when no device is
//! at hand), and each trainee's recorded attendance share. Cancelled sessions are left out.
//! It names the trainees, so it is an audited read, like the register export.

use super::{authorise_class, load_class};
use crate::{Actor, App, AppError, Permission};
use bekal_store::entity::{attendance, enrolment, inmate, package, training_session};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// One trainee's line of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisterRow {
    pub number_in_class: Option<i32>,
    pub name: String,
    /// The enrolment's state (`enrolled`, `completed`, `withdrawn`, ...).
    pub state: String,
    /// Per session (in the order of [`ClassRegister::dates`]): the recorded status, if any.
    pub marks: Vec<Option<String>>,
    /// Hours attended of the hours of the sessions recorded so far.
    pub hours_attended: i32,
    pub hours_recorded: i32,
}

/// The register of a class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClassRegister {
    pub class_id: i64,
    pub class_code: String,
    pub package_name: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub dates: Vec<NaiveDate>,
    pub rows: Vec<RegisterRow>,
}

/// The register of `class_id`, for those who record its attendance (its trainers, the
/// facility's officers).
pub async fn class_register(
    app: &App,
    actor: &Actor,
    class_id: i64,
) -> Result<ClassRegister, AppError> {
    let conn = app.store.conn();
    let class = load_class(conn, class_id).await?;
    authorise_class(conn, actor, &class, Permission::RecordAttendance).await?;
    let sessions: Vec<training_session::Model> = training_session::Entity::find()
        .filter(training_session::Column::ClassId.eq(class_id))
        .filter(training_session::Column::Status.ne("cancelled"))
        .order_by_asc(training_session::Column::Date)
        .order_by_asc(training_session::Column::Id)
        .all(conn)
        .await?;
    let column: HashMap<i64, usize> = sessions
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let hours: HashMap<i64, i32> = sessions.iter().map(|s| (s.id, s.hours_jp)).collect();
    let members = enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.eq(class_id))
        .all(conn)
        .await?;
    let names: HashMap<i64, String> = inmate::Entity::find()
        .filter(inmate::Column::Id.is_in(members.iter().map(|e| e.inmate_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    let mut marks: HashMap<i64, Vec<attendance::Model>> = HashMap::new();
    for mark in attendance::Entity::find()
        .filter(attendance::Column::SessionId.is_in(sessions.iter().map(|s| s.id)))
        .all(conn)
        .await?
    {
        marks.entry(mark.enrolment_id).or_default().push(mark);
    }
    let mut rows: Vec<RegisterRow> = members
        .iter()
        .map(|member| {
            let mut row = RegisterRow {
                number_in_class: member.number_in_class,
                name: names.get(&member.inmate_id).cloned().unwrap_or_default(),
                state: member.state.clone(),
                marks: vec![None; sessions.len()],
                hours_attended: 0,
                hours_recorded: 0,
            };
            for mark in marks.get(&member.id).into_iter().flatten() {
                if let Some(&at) = column.get(&mark.session_id) {
                    row.marks[at] = Some(mark.status.clone());
                    row.hours_attended += mark.hours_attended;
                    row.hours_recorded += hours.get(&mark.session_id).copied().unwrap_or(0);
                }
            }
            row
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.number_in_class.unwrap_or(i32::MAX), &a.name)
            .cmp(&(b.number_in_class.unwrap_or(i32::MAX), &b.name))
    });
    let package_name = package::Entity::find_by_id(class.package_id)
        .one(conn)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    crate::auth::audit_read(
        app,
        actor,
        Some(class.facility_id),
        "class",
        class.id,
        &format!("attendance register print ({} trainees)", rows.len()),
    )
    .await?;
    Ok(ClassRegister {
        class_id: class.id,
        class_code: class.code,
        package_name,
        start_date: class.start_date,
        end_date: class.end_date,
        dates: sessions.iter().map(|s| s.date).collect(),
        rows,
    })
}
