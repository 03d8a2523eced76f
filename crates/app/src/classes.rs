//! Classes as the people who run them see them: the list of classes an actor may see, and one
//! class with its roster and sessions. What a role sees is decided here:
//! - a trainer: only the classes they teach (through `class_trainers`);
//! - partner staff: only the classes of their partner;
//! - facility head, programme officer, assessor: the classes of their facility;
//! - a national admin: every class;
//! - oversight and probation officers: none (they read aggregates and follow-ups).
//!
//! The roster shows what the job needs: name, number in class and enrolment state; the register
//! number only to the facility's own staff. Never sentence, case or history.

use crate::{Actor, App, AppError, Permission};
use bekal_domain::role::Role;
use bekal_store::entity::{
    class_trainer, enrolment, facility, inmate, package, partner, room, trainer, training_class,
    training_session,
};
use bekal_store::sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// One class in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ClassSummary {
    pub id: i64,
    pub code: String,
    pub facility_id: i64,
    pub facility_code: String,
    pub package_code: String,
    pub package_name: String,
    pub partner_name: String,
    /// The stage of the plan, counted from 1 as people say it (stored from 0).
    pub stage: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// `planned`, `running`, `finished` or `cancelled`.
    pub status: String,
    pub room: Option<String>,
    pub trainers: Vec<String>,
    /// Enrolments in any state.
    pub enrolled: usize,
}

/// A member of a class, with only the fields the viewer's job needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RosterMember {
    pub enrolment_id: i64,
    pub number_in_class: Option<i32>,
    pub name: String,
    /// Only for the facility's staff and national admins; `None` for trainers and partners.
    pub register_number: Option<String>,
    /// `enrolled`, `completed`, `withdrawn`, ...
    pub state: String,
    pub state_changed_on: Option<NaiveDate>,
}

/// One session of a class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SessionSummary {
    pub id: i64,
    pub date: NaiveDate,
    pub hours_jp: i32,
    /// `scheduled`, `held`, `cancelled`, `moved`.
    pub status: String,
    /// Incremented by every accepted attendance submission; 0 = nothing recorded yet.
    pub sheet_version: i32,
    pub reason: Option<String>,
}

/// A class with its roster and sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ClassDetail {
    pub class: ClassSummary,
    pub roster: Vec<RosterMember>,
    pub sessions: Vec<SessionSummary>,
    /// Whether the viewer may see register numbers (facility staff).
    pub shows_register_numbers: bool,
}

/// What the viewer may do on a class page (each checked the way the use case itself checks).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ClassPermissions {
    pub record_attendance: bool,
    pub record_results: bool,
    pub change_enrolments: bool,
    pub issue_certificates: bool,
    /// Move or cancel sessions that have no sheet yet.
    pub change_sessions: bool,
}

/// Which classes an actor may see.
enum Visible {
    All,
    Facility(i64),
    Partner(i64),
    Teaching(Vec<i64>),
}

async fn visible_to(conn: &impl ConnectionTrait, actor: &Actor) -> Result<Visible, AppError> {
    match actor {
        Actor::Operator { .. } => Ok(Visible::All),
        Actor::Public => Err(AppError::Forbidden("classes".into())),
        Actor::User {
            id,
            role,
            facility_id,
            partner_id,
            ..
        } => match role {
            Role::NationalAdmin => Ok(Visible::All),
            Role::FacilityHead | Role::ProgramOfficer | Role::Assessor => facility_id
                .map(Visible::Facility)
                .ok_or_else(|| AppError::Forbidden("classes: no facility".into())),
            Role::PartnerStaff => partner_id
                .map(Visible::Partner)
                .ok_or_else(|| AppError::Forbidden("classes: no partner".into())),
            Role::Trainer => {
                let own: Vec<i64> = trainer::Entity::find()
                    .filter(trainer::Column::UserId.eq(*id))
                    .all(conn)
                    .await?
                    .into_iter()
                    .map(|t| t.id)
                    .collect();
                let classes = class_trainer::Entity::find()
                    .filter(class_trainer::Column::TrainerId.is_in(own))
                    .all(conn)
                    .await?
                    .into_iter()
                    .map(|ct| ct.class_id)
                    .collect();
                Ok(Visible::Teaching(classes))
            }
            Role::OversightViewer | Role::ProbationOfficer => {
                Err(AppError::Forbidden("classes".into()))
            }
        },
    }
}

fn condition(visible: &Visible) -> Condition {
    match visible {
        Visible::All => Condition::all(),
        Visible::Facility(id) => Condition::all().add(training_class::Column::FacilityId.eq(*id)),
        Visible::Partner(id) => Condition::all().add(training_class::Column::PartnerId.eq(*id)),
        Visible::Teaching(ids) => {
            Condition::all().add(training_class::Column::Id.is_in(ids.clone()))
        }
    }
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct ClassFilter {
    /// Only this facility (national admins choose; others are held to their own anyway).
    pub facility_id: Option<i64>,
    /// Only classes in this status.
    pub status: Option<String>,
    /// Only the classes of this plan.
    pub plan_id: Option<i64>,
}

async fn summaries(
    conn: &impl ConnectionTrait,
    classes: Vec<training_class::Model>,
) -> Result<Vec<ClassSummary>, AppError> {
    let class_ids: Vec<i64> = classes.iter().map(|c| c.id).collect();
    let packages: HashMap<i64, package::Model> = package::Entity::find()
        .filter(package::Column::Id.is_in(classes.iter().map(|c| c.package_id).collect::<Vec<_>>()))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let partners: HashMap<i64, String> = partner::Entity::find()
        .filter(partner::Column::Id.is_in(classes.iter().map(|c| c.partner_id).collect::<Vec<_>>()))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let facilities: HashMap<i64, String> = facility::Entity::find()
        .filter(
            facility::Column::Id.is_in(classes.iter().map(|c| c.facility_id).collect::<Vec<_>>()),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|f| (f.id, f.code))
        .collect();
    let rooms: HashMap<i64, String> = room::Entity::find()
        .filter(
            room::Column::Id.is_in(classes.iter().filter_map(|c| c.room_id).collect::<Vec<_>>()),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r.name))
        .collect();
    let links = class_trainer::Entity::find()
        .filter(class_trainer::Column::ClassId.is_in(class_ids.clone()))
        .all(conn)
        .await?;
    let trainer_names: HashMap<i64, String> = trainer::Entity::find()
        .filter(trainer::Column::Id.is_in(links.iter().map(|l| l.trainer_id).collect::<Vec<_>>()))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let mut trainers: HashMap<i64, Vec<String>> = HashMap::new();
    for link in &links {
        if let Some(name) = trainer_names.get(&link.trainer_id) {
            trainers
                .entry(link.class_id)
                .or_default()
                .push(name.clone());
        }
    }
    let mut enrolled: HashMap<i64, usize> = HashMap::new();
    for e in enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.is_in(class_ids))
        .all(conn)
        .await?
    {
        *enrolled.entry(e.class_id).or_default() += 1;
    }
    Ok(classes
        .into_iter()
        .map(|c| {
            let package = packages.get(&c.package_id);
            ClassSummary {
                id: c.id,
                facility_id: c.facility_id,
                facility_code: facilities.get(&c.facility_id).cloned().unwrap_or_default(),
                package_code: package.map(|p| p.code.clone()).unwrap_or_default(),
                package_name: package.map(|p| p.name.clone()).unwrap_or_default(),
                partner_name: partners.get(&c.partner_id).cloned().unwrap_or_default(),
                stage: c.stage + 1,
                start_date: c.start_date,
                end_date: c.end_date,
                status: c.status,
                room: c.room_id.and_then(|r| rooms.get(&r).cloned()),
                trainers: trainers.remove(&c.id).unwrap_or_default(),
                enrolled: enrolled.get(&c.id).copied().unwrap_or(0),
                code: c.code,
            }
        })
        .collect())
}

/// The classes the actor may see, newest stage first within each facility.
pub async fn list(
    app: &App,
    actor: &Actor,
    filter: &ClassFilter,
) -> Result<Vec<ClassSummary>, AppError> {
    let conn = app.store.conn();
    let visible = visible_to(conn, actor).await?;
    let mut query = training_class::Entity::find().filter(condition(&visible));
    if let Some(facility_id) = filter.facility_id {
        query = query.filter(training_class::Column::FacilityId.eq(facility_id));
    }
    if let Some(status) = &filter.status {
        query = query.filter(training_class::Column::Status.eq(status.clone()));
    }
    if let Some(plan_id) = filter.plan_id {
        query = query.filter(training_class::Column::PlanId.eq(plan_id));
    }
    let classes = query
        .order_by_asc(training_class::Column::FacilityId)
        .order_by_asc(training_class::Column::StartDate)
        .order_by_asc(training_class::Column::Code)
        .all(conn)
        .await?;
    summaries(conn, classes).await
}

/// Whether the actor may see this class at all.
fn may_see(visible: &Visible, class: &training_class::Model) -> bool {
    match visible {
        Visible::All => true,
        Visible::Facility(id) => class.facility_id == *id,
        Visible::Partner(id) => class.partner_id == *id,
        Visible::Teaching(ids) => ids.contains(&class.id),
    }
}

/// One class with roster and sessions; a class the actor may not see is "not found".
pub async fn detail(app: &App, actor: &Actor, class_id: i64) -> Result<ClassDetail, AppError> {
    let conn = app.store.conn();
    let visible = visible_to(conn, actor).await?;
    let class = training_class::Entity::find_by_id(class_id)
        .one(conn)
        .await?
        .filter(|c| may_see(&visible, c))
        .ok_or_else(|| AppError::NotFound(format!("class {class_id}")))?;
    let shows_register_numbers = matches!(visible, Visible::All | Visible::Facility(_))
        && actor
            .authorise(Permission::ReadInmates, Some(class.facility_id))
            .is_ok();
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.eq(class.id))
        .order_by_asc(enrolment::Column::NumberInClass)
        .order_by_asc(enrolment::Column::Id)
        .all(conn)
        .await?;
    let people: HashMap<i64, inmate::Model> = inmate::Entity::find()
        .filter(
            inmate::Column::Id.is_in(enrolments.iter().map(|e| e.inmate_id).collect::<Vec<_>>()),
        )
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let roster = enrolments
        .into_iter()
        .map(|e| {
            let person = people.get(&e.inmate_id);
            RosterMember {
                enrolment_id: e.id,
                number_in_class: e.number_in_class,
                name: person.map(|p| p.name.clone()).unwrap_or_default(),
                register_number: shows_register_numbers
                    .then(|| person.map(|p| p.register_number.clone()))
                    .flatten(),
                state: e.state,
                state_changed_on: e.state_changed_on,
            }
        })
        .collect();
    let sessions = training_session::Entity::find()
        .filter(training_session::Column::ClassId.eq(class.id))
        .order_by_asc(training_session::Column::Date)
        .all(conn)
        .await?
        .into_iter()
        .map(|s| SessionSummary {
            id: s.id,
            date: s.date,
            hours_jp: s.hours_jp,
            status: s.status,
            sheet_version: s.sheet_version,
            reason: s.reason,
        })
        .collect();
    let class = summaries(conn, vec![class])
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound(format!("class {class_id}")))?;
    Ok(ClassDetail {
        class,
        roster,
        sessions,
        shows_register_numbers,
    })
}

/// What `actor` may do on class `class_id` (a class they may not see is "not found").
pub async fn permissions(
    app: &App,
    actor: &Actor,
    class_id: i64,
) -> Result<ClassPermissions, AppError> {
    let conn = app.store.conn();
    let visible = visible_to(conn, actor).await?;
    let class = training_class::Entity::find_by_id(class_id)
        .one(conn)
        .await?
        .filter(|c| may_see(&visible, c))
        .ok_or_else(|| AppError::NotFound(format!("class {class_id}")))?;
    let facility = Some(class.facility_id);
    Ok(ClassPermissions {
        record_attendance: crate::delivery::authorise_class(
            conn,
            actor,
            &class,
            Permission::RecordAttendance,
        )
        .await
        .is_ok(),
        record_results: actor.authorise(Permission::RecordResults, facility).is_ok(),
        change_enrolments: actor
            .authorise(Permission::ChangeEnrolments, facility)
            .is_ok(),
        change_sessions: actor.authorise(Permission::PlanTraining, facility).is_ok(),
        issue_certificates: crate::certificates::authorise_partner(
            actor,
            Permission::IssueCertificates,
            class.partner_id,
        )
        .is_ok(),
    })
}

/// The class of an enrolment, if the actor may see that class.
pub async fn class_of_enrolment(
    app: &App,
    actor: &Actor,
    enrolment_id: i64,
) -> Result<i64, AppError> {
    let conn = app.store.conn();
    let visible = visible_to(conn, actor).await?;
    let gone = || AppError::NotFound(format!("enrolment {enrolment_id}"));
    let row = enrolment::Entity::find_by_id(enrolment_id)
        .one(conn)
        .await?
        .ok_or_else(gone)?;
    training_class::Entity::find_by_id(row.class_id)
        .one(conn)
        .await?
        .filter(|c| may_see(&visible, c))
        .map(|c| c.id)
        .ok_or_else(gone)
}
