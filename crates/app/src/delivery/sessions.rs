//! Sessions: one per working day of each class of an approved plan, with the class's trainer
//! and room and the package's hours spread over the days. A session can be cancelled or moved
//! with a reason (audited); the class's end date follows its last session.

use super::{authorise_class, facility_calendar, load_session, required_text, spread_hours};
use crate::{Actor, App, AppError, Permission};
use bekal_domain::status::{ApprovalStatus, ClassStatus, SessionStatus};
use bekal_store::audit::{AuditScope, Changes};
use bekal_store::entity::{class_trainer, package, plan, training_class, training_session};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

/// A session as callers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionView {
    pub id: i64,
    pub class_id: i64,
    pub date: NaiveDate,
    pub hours_jp: i32,
    pub trainer_id: Option<i64>,
    pub room_id: Option<i64>,
    pub status: String,
    pub moved_from: Option<NaiveDate>,
    pub reason: Option<String>,
    pub sheet_version: i32,
}

impl From<training_session::Model> for SessionView {
    fn from(s: training_session::Model) -> Self {
        SessionView {
            id: s.id,
            class_id: s.class_id,
            date: s.date,
            hours_jp: s.hours_jp,
            trainer_id: s.trainer_id,
            room_id: s.room_id,
            status: s.status,
            moved_from: s.moved_from,
            reason: s.reason,
            sheet_version: s.sheet_version,
        }
    }
}

/// What [`generate_sessions`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GenerateSummary {
    pub plan_id: i64,
    /// Classes that got their sessions now.
    pub classes_scheduled: usize,
    /// Classes that already had sessions (left alone).
    pub classes_unchanged: usize,
    pub sessions_created: usize,
}

/// Creates the sessions of every class of an approved plan that has none yet. Running it
/// again creates nothing.
pub async fn generate_sessions(
    app: &App,
    actor: &Actor,
    plan_id: i64,
) -> Result<GenerateSummary, AppError> {
    let plan = plan::Entity::find_by_id(plan_id)
        .one(app.store.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("plan {plan_id}")))?;
    actor.authorise(Permission::PlanTraining, Some(plan.facility_id))?;
    if plan.status != ApprovalStatus::Approved.as_str() {
        return Err(AppError::Conflict(format!(
            "plan {plan_id} is {}, not approved",
            plan.status
        )));
    }
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(plan.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let calendar = facility_calendar(tx.conn(), plan.facility_id).await?;
    let classes = training_class::Entity::find()
        .filter(training_class::Column::PlanId.eq(plan_id))
        .filter(training_class::Column::Status.ne(ClassStatus::Cancelled.as_str()))
        .order_by_asc(training_class::Column::Id)
        .all(tx.conn())
        .await?;
    let mut summary = GenerateSummary {
        plan_id,
        ..GenerateSummary::default()
    };
    for class in classes {
        let existing = training_session::Entity::find()
            .filter(training_session::Column::ClassId.eq(class.id))
            .one(tx.conn())
            .await?;
        if existing.is_some() {
            summary.classes_unchanged += 1;
            continue;
        }
        let package = package::Entity::find_by_id(class.package_id)
            .one(tx.conn())
            .await?
            .ok_or_else(|| AppError::NotFound(format!("package {}", class.package_id)))?;
        let trainers = class_trainer::Entity::find()
            .filter(class_trainer::Column::ClassId.eq(class.id))
            .order_by_asc(class_trainer::Column::Id)
            .all(tx.conn())
            .await?;
        let days: Vec<NaiveDate> = class
            .start_date
            .iter_days()
            .take_while(|d| *d <= class.end_date)
            .filter(|d| calendar.is_working_day(*d))
            .collect();
        let hours = spread_hours(package.hours_jp, days.len());
        for (date, hours_jp) in days.iter().zip(hours) {
            let trainer_id = trainers
                .iter()
                .find(|t| t.date_from <= *date && t.date_to.is_none_or(|to| *date <= to))
                .or(trainers.first())
                .map(|t| t.trainer_id);
            training_session::ActiveModel {
                facility_id: Set(class.facility_id),
                class_id: Set(class.id),
                date: Set(*date),
                hours_jp: Set(hours_jp),
                trainer_id: Set(trainer_id),
                room_id: Set(class.room_id),
                status: Set(SessionStatus::Scheduled.as_str().to_owned()),
                sheet_version: Set(0),
                created_at: Set(tx.at()),
                updated_at: Set(tx.at()),
                ..Default::default()
            }
            .insert(tx.conn())
            .await?;
        }
        tx.audit(
            "generate_sessions",
            "class",
            class.id,
            Changes::note(json!({
                "sessions": days.len(),
                "hours_jp": package.hours_jp,
                "first": days.first(),
                "last": days.last(),
            })),
        );
        summary.classes_scheduled += 1;
        summary.sessions_created += days.len();
    }
    if tx.pending_entries() == 0 {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(summary)
}

/// The sessions of a class, by date.
pub async fn class_sessions(
    app: &App,
    actor: &Actor,
    class_id: i64,
) -> Result<Vec<SessionView>, AppError> {
    let class = super::load_class(app.store.conn(), class_id).await?;
    authorise_class(
        app.store.conn(),
        actor,
        &class,
        Permission::RecordAttendance,
    )
    .await?;
    let rows = training_session::Entity::find()
        .filter(training_session::Column::ClassId.eq(class_id))
        .order_by_asc(training_session::Column::Date)
        .order_by_asc(training_session::Column::Id)
        .all(app.store.conn())
        .await?;
    Ok(rows.into_iter().map(SessionView::from).collect())
}

/// A session with its class's code, for those who may move or cancel it (`PlanTraining`).
pub async fn session_for_change(
    app: &App,
    actor: &Actor,
    session_id: i64,
) -> Result<(SessionView, String), AppError> {
    let (session, class) = load_session(app.store.conn(), session_id).await?;
    actor.authorise(Permission::PlanTraining, Some(class.facility_id))?;
    Ok((session.into(), class.code))
}

/// Cancels a session that has no sheet yet.
pub async fn cancel_session(
    app: &App,
    actor: &Actor,
    session_id: i64,
    reason: &str,
) -> Result<SessionView, AppError> {
    change_session(app, actor, session_id, None, reason).await
}

/// Moves a session to another working day of the calendar (`moved_from` keeps the first date).
pub async fn move_session(
    app: &App,
    actor: &Actor,
    session_id: i64,
    to_date: NaiveDate,
    reason: &str,
) -> Result<SessionView, AppError> {
    change_session(app, actor, session_id, Some(to_date), reason).await
}

async fn change_session(
    app: &App,
    actor: &Actor,
    session_id: i64,
    to_date: Option<NaiveDate>,
    reason: &str,
) -> Result<SessionView, AppError> {
    let reason = required_text("reason", reason)?;
    let (session, class) = load_session(app.store.conn(), session_id).await?;
    actor.authorise(Permission::PlanTraining, Some(class.facility_id))?;
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(class.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    let (session, class) = load_session(tx.conn(), session.id).await?;
    let status: SessionStatus = session.status.parse()?;
    if matches!(status, SessionStatus::Held | SessionStatus::Cancelled) || session.sheet_version > 0
    {
        return Err(AppError::Conflict(format!(
            "session {session_id} is {status} (sheet version {}): it can no longer change",
            session.sheet_version
        )));
    }
    let mut active: training_session::ActiveModel = session.clone().into();
    active.reason = Set(Some(reason));
    active.updated_at = Set(tx.at());
    match to_date {
        None => active.status = Set(SessionStatus::Cancelled.as_str().to_owned()),
        Some(to) => {
            let calendar = facility_calendar(tx.conn(), class.facility_id).await?;
            if !calendar.is_working_day(to) {
                return Err(AppError::invalid(
                    "to_date",
                    format!("{to} is a Sunday or a holiday"),
                ));
            }
            let taken = training_session::Entity::find()
                .filter(training_session::Column::ClassId.eq(class.id))
                .filter(training_session::Column::Date.eq(to))
                .filter(training_session::Column::Status.ne(SessionStatus::Cancelled.as_str()))
                .one(tx.conn())
                .await?;
            if taken.is_some() {
                return Err(AppError::Conflict(format!(
                    "class {} already has a session on {to}",
                    class.code
                )));
            }
            active.status = Set(SessionStatus::Moved.as_str().to_owned());
            active.moved_from = Set(Some(session.moved_from.unwrap_or(session.date)));
            active.date = Set(to);
        }
    }
    let after = active.update(tx.conn()).await?;
    let action = if to_date.is_some() { "move" } else { "cancel" };
    tx.audit(
        action,
        "training_session",
        after.id,
        Changes::updated(&session, &after),
    );
    follow_class_dates(&mut tx, &class).await?;
    tx.commit().await?;
    Ok(after.into())
}

/// Sets the class's end date to its last session that is not cancelled (audited if changed).
async fn follow_class_dates(
    tx: &mut bekal_store::WriteTx,
    class: &training_class::Model,
) -> Result<(), AppError> {
    let last = last_session_date(tx.conn(), class.id).await?;
    let Some(end) = last else { return Ok(()) };
    if end == class.end_date {
        return Ok(());
    }
    let mut active: training_class::ActiveModel = class.clone().into();
    active.end_date = Set(end);
    active.updated_at = Set(tx.at());
    let after = active.update(tx.conn()).await?;
    tx.audit(
        "follow_sessions",
        "class",
        class.id,
        Changes::updated(class, &after),
    );
    Ok(())
}

async fn last_session_date(
    conn: &impl ConnectionTrait,
    class_id: i64,
) -> Result<Option<NaiveDate>, AppError> {
    Ok(training_session::Entity::find()
        .filter(training_session::Column::ClassId.eq(class_id))
        .filter(training_session::Column::Status.ne(SessionStatus::Cancelled.as_str()))
        .order_by_desc(training_session::Column::Date)
        .one(conn)
        .await?
        .map(|s| s.date))
}
