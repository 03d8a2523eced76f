//! The attendance sheet of a session: only the enrolled appear (name and number in class, no
//! other personal data). A submission marks "all present" and then the exceptions; it carries
//! the sheet version it was based on (a stale one is refused with the current sheet: two
//! people editing one sheet see the conflict, nothing is overwritten) and an idempotency key
//! (a retried identical submission returns the stored answer and writes nothing). A
//! correction keeps the old values in `attendance_revisions`.

use super::{authorise_class, load_session};
use crate::{Actor, App, AppError, Permission};
use bekal_domain::status::{AttendanceStatus, EnrolmentState, ExcuseKind, SessionStatus};
use bekal_store::audit::{AuditScope, Changes};
use bekal_store::entity::{
    attendance, attendance_revision, enrolment, idempotency_key, inmate, training_session,
};
use bekal_store::sea_orm::sea_query::Expr;
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QuerySelect,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};

/// One trainee's line on the sheet (empty attendance fields: nothing recorded yet).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SheetRow {
    pub enrolment_id: i64,
    pub name: String,
    pub number_in_class: Option<i32>,
    pub status: Option<AttendanceStatus>,
    pub excuse_kind: Option<ExcuseKind>,
    pub excuse_text: Option<String>,
    pub hours_attended: Option<i32>,
    pub revision: Option<i32>,
    pub recorded_by: Option<i64>,
    pub recorded_at: Option<DateTime<Utc>>,
}

/// The sheet of one session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Sheet {
    pub session_id: i64,
    pub class_id: i64,
    pub class_code: String,
    pub date: NaiveDate,
    pub hours_jp: i32,
    pub status: String,
    /// Incremented by every accepted submission; a submission names the version it saw.
    pub sheet_version: i32,
    pub rows: Vec<SheetRow>,
}

/// One exception (or one line) of a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SheetEntry {
    pub enrolment_id: i64,
    pub status: AttendanceStatus,
    pub excuse_kind: Option<ExcuseKind>,
    pub excuse_text: Option<String>,
}

/// A submitted sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SheetSubmission {
    pub session_id: i64,
    /// Chosen by the client once per submission and reused on every retry of it.
    pub idempotency_key: String,
    /// The `sheet_version` the client's sheet was based on.
    pub base_version: i32,
    /// Everyone on the sheet present, then `entries` as the exceptions.
    pub all_present: bool,
    pub entries: Vec<SheetEntry>,
}

/// What an accepted submission did (stored with the idempotency key and returned on retry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SubmitReceipt {
    pub session_id: i64,
    pub sheet_version: i32,
    pub created: usize,
    pub corrected: usize,
    pub unchanged: usize,
    /// True when this is the stored answer to an earlier identical submission.
    pub replayed: bool,
}

/// A refused submission.
#[derive(Debug)]
pub enum SubmitError {
    /// The sheet changed since `base_version`: here is the current one. Nothing was written.
    Stale {
        current: Box<Sheet>,
    },
    App(AppError),
}

impl From<AppError> for SubmitError {
    fn from(err: AppError) -> Self {
        SubmitError::App(err)
    }
}

impl From<bekal_store::StoreError> for SubmitError {
    fn from(err: bekal_store::StoreError) -> Self {
        SubmitError::App(err.into())
    }
}

impl From<bekal_store::sea_orm::DbErr> for SubmitError {
    fn from(err: bekal_store::sea_orm::DbErr) -> Self {
        SubmitError::App(err.into())
    }
}

impl From<bekal_domain::DomainError> for SubmitError {
    fn from(err: bekal_domain::DomainError) -> Self {
        SubmitError::App(err.into())
    }
}

impl From<SubmitError> for AppError {
    fn from(err: SubmitError) -> Self {
        match err {
            SubmitError::Stale { current } => AppError::Conflict(format!(
                "the sheet of session {} is at version {}: reload it and submit again",
                current.session_id, current.sheet_version
            )),
            SubmitError::App(err) => err,
        }
    }
}

/// Whether an enrolment belongs on the sheet of a session on `date`: still enrolled, finished
/// the course, or left after that date.
pub fn on_sheet(state: &str, state_changed_on: Option<NaiveDate>, date: NaiveDate) -> bool {
    match state.parse::<EnrolmentState>() {
        Ok(EnrolmentState::Enrolled | EnrolmentState::Completed | EnrolmentState::NotCompleted) => {
            true
        }
        Ok(_) => state_changed_on.is_some_and(|changed| changed > date),
        Err(_) => false,
    }
}

/// Hours attended for a status on a session of `hours_jp`.
pub fn hours_for(status: AttendanceStatus, hours_jp: i32) -> i32 {
    match status {
        AttendanceStatus::Present | AttendanceStatus::Late => hours_jp,
        AttendanceStatus::Excused | AttendanceStatus::Absent => 0,
    }
}

/// The sheet of a session, for its trainers and the facility's officers.
pub async fn sheet(app: &App, actor: &Actor, session_id: i64) -> Result<Sheet, AppError> {
    let (_, class) = load_session(app.store.conn(), session_id).await?;
    authorise_class(
        app.store.conn(),
        actor,
        &class,
        Permission::RecordAttendance,
    )
    .await?;
    load_sheet(app.store.conn(), session_id).await
}

async fn load_sheet(conn: &impl ConnectionTrait, session_id: i64) -> Result<Sheet, AppError> {
    let (session, class) = load_session(conn, session_id).await?;
    let roster = roster(conn, &session).await?;
    let marks: HashMap<i64, attendance::Model> = attendance::Entity::find()
        .filter(attendance::Column::SessionId.eq(session.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.enrolment_id, a))
        .collect();
    let mut rows = Vec::new();
    for (enrolment, name) in roster {
        let mark = marks.get(&enrolment.id);
        rows.push(SheetRow {
            enrolment_id: enrolment.id,
            name,
            number_in_class: enrolment.number_in_class,
            status: mark.map(|m| m.status.parse()).transpose()?,
            excuse_kind: mark
                .and_then(|m| m.excuse_kind.as_deref())
                .map(str::parse)
                .transpose()?,
            excuse_text: mark.and_then(|m| m.excuse_text.clone()),
            hours_attended: mark.map(|m| m.hours_attended),
            revision: mark.map(|m| m.revision),
            recorded_by: mark.and_then(|m| m.recorded_by),
            recorded_at: mark.map(|m| m.recorded_at),
        });
    }
    Ok(Sheet {
        session_id: session.id,
        class_id: class.id,
        class_code: class.code,
        date: session.date,
        hours_jp: session.hours_jp,
        status: session.status,
        sheet_version: session.sheet_version,
        rows,
    })
}

/// The enrolments on a session's sheet with the trainee's name, by number in class then name.
async fn roster(
    conn: &impl ConnectionTrait,
    session: &training_session::Model,
) -> Result<Vec<(enrolment::Model, String)>, AppError> {
    let enrolments: Vec<enrolment::Model> = enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.eq(session.class_id))
        .all(conn)
        .await?
        .into_iter()
        .filter(|e| on_sheet(&e.state, e.state_changed_on, session.date))
        .collect();
    let names: HashMap<i64, String> = inmate::Entity::find()
        .filter(inmate::Column::Id.is_in(enrolments.iter().map(|e| e.inmate_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    let mut rows: Vec<(enrolment::Model, String)> = enrolments
        .into_iter()
        .map(|e| {
            let name = names.get(&e.inmate_id).cloned().unwrap_or_default();
            (e, name)
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.0.number_in_class.unwrap_or(i32::MAX), &a.1, a.0.id).cmp(&(
            b.0.number_in_class.unwrap_or(i32::MAX),
            &b.1,
            b.0.id,
        ))
    });
    Ok(rows)
}

/// The SHA-256 of a submission's content (everything but the key), for the idempotency check.
fn request_hash(submission: &SheetSubmission) -> String {
    let body = json!({
        "session_id": submission.session_id,
        "base_version": submission.base_version,
        "all_present": submission.all_present,
        "entries": submission.entries,
    });
    hex::encode(Sha256::digest(body.to_string().as_bytes()))
}

/// Checks an entry's excuse fields and returns the values to store.
fn entry_values(entry: &SheetEntry) -> Result<(Option<String>, Option<String>), AppError> {
    let field = format!("entries[{}]", entry.enrolment_id);
    let text = entry
        .excuse_text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    match (entry.status, entry.excuse_kind) {
        (AttendanceStatus::Excused, None) => {
            Err(AppError::invalid(field, "an excused absence needs a kind"))
        }
        (AttendanceStatus::Excused, Some(ExcuseKind::Other)) if text.is_none() => Err(
            AppError::invalid(field, "an excuse of kind other needs a text"),
        ),
        (AttendanceStatus::Excused, Some(kind)) => Ok((Some(kind.as_str().to_owned()), text)),
        (_, Some(_)) => Err(AppError::invalid(
            field,
            "only an excused absence has a kind",
        )),
        (_, None) => Ok((None, text)),
    }
}

/// Records a sheet (see the module doc for idempotency and conflicts).
pub async fn submit_sheet(
    app: &App,
    actor: &Actor,
    submission: SheetSubmission,
) -> Result<SubmitReceipt, SubmitError> {
    let key = submission.idempotency_key.trim().to_owned();
    if key.is_empty() || key.len() > 200 {
        return Err(AppError::invalid("idempotency_key", "must be 1 to 200 characters").into());
    }
    let (_, class) = load_session(app.store.conn(), submission.session_id).await?;
    authorise_class(
        app.store.conn(),
        actor,
        &class,
        Permission::RecordAttendance,
    )
    .await?;
    let hash = request_hash(&submission);
    let user_id = actor.audit_actor().user_id;
    let mut tx = app
        .store
        .begin_write(
            AuditScope::Facility(class.facility_id),
            actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    if let Some(stored) = idempotency_key::Entity::find_by_id(key.clone())
        .one(tx.conn())
        .await?
    {
        tx.rollback().await?;
        return replay(&stored, &hash, class.facility_id, user_id);
    }
    let (session, _) = load_session(tx.conn(), submission.session_id).await?;
    if session.sheet_version != submission.base_version {
        let current = load_sheet(tx.conn(), session.id).await?;
        tx.rollback().await?;
        return Err(SubmitError::Stale {
            current: Box::new(current),
        });
    }
    if session.status == SessionStatus::Cancelled.as_str() {
        return Err(AppError::Conflict(format!("session {} is cancelled", session.id)).into());
    }
    if session.date > app.clock.today() {
        return Err(AppError::invalid("session_id", "the session is in the future").into());
    }
    // Claim the next version first: a concurrent submission on the same base (on PostgreSQL,
    // where transactions run side by side) waits on this row and then finds it taken.
    let claimed = training_session::Entity::update_many()
        .col_expr(
            training_session::Column::SheetVersion,
            Expr::value(submission.base_version + 1),
        )
        .filter(training_session::Column::Id.eq(session.id))
        .filter(training_session::Column::SheetVersion.eq(submission.base_version))
        .exec(tx.conn())
        .await?;
    if claimed.rows_affected == 0 {
        tx.rollback().await?;
        // Taken meanwhile: by this very submission sent twice (answer as a retry) or by another.
        if let Some(stored) = idempotency_key::Entity::find_by_id(key.clone())
            .one(app.store.conn())
            .await?
        {
            return replay(&stored, &hash, class.facility_id, user_id);
        }
        let current = load_sheet(app.store.conn(), session.id).await?;
        return Err(SubmitError::Stale {
            current: Box::new(current),
        });
    }
    let roster: HashSet<i64> = roster(tx.conn(), &session)
        .await?
        .into_iter()
        .map(|(e, _)| e.id)
        .collect();
    let mut wanted: BTreeMap<i64, SheetEntry> = BTreeMap::new();
    if submission.all_present {
        for id in &roster {
            wanted.insert(
                *id,
                SheetEntry {
                    enrolment_id: *id,
                    status: AttendanceStatus::Present,
                    excuse_kind: None,
                    excuse_text: None,
                },
            );
        }
    }
    let mut seen = HashSet::new();
    for entry in &submission.entries {
        if !roster.contains(&entry.enrolment_id) {
            return Err(AppError::invalid(
                "entries",
                format!(
                    "enrolment {} is not on the sheet of session {}",
                    entry.enrolment_id, session.id
                ),
            )
            .into());
        }
        if !seen.insert(entry.enrolment_id) {
            return Err(AppError::invalid(
                "entries",
                format!("enrolment {} appears twice", entry.enrolment_id),
            )
            .into());
        }
        wanted.insert(entry.enrolment_id, entry.clone());
    }
    let existing: HashMap<i64, attendance::Model> = attendance::Entity::find()
        .filter(attendance::Column::SessionId.eq(session.id))
        .all(tx.conn())
        .await?
        .into_iter()
        .map(|a| (a.enrolment_id, a))
        .collect();
    let mut receipt = SubmitReceipt {
        session_id: session.id,
        sheet_version: session.sheet_version + 1,
        created: 0,
        corrected: 0,
        unchanged: 0,
        replayed: false,
    };
    for entry in wanted.values() {
        let (kind, text) = entry_values(entry)?;
        let status = entry.status.as_str().to_owned();
        let hours = hours_for(entry.status, session.hours_jp);
        match existing.get(&entry.enrolment_id) {
            Some(old)
                if old.status == status
                    && old.excuse_kind == kind
                    && old.excuse_text == text
                    && old.hours_attended == hours =>
            {
                receipt.unchanged += 1;
            }
            Some(old) => {
                attendance_revision::ActiveModel {
                    facility_id: Set(old.facility_id),
                    attendance_id: Set(old.id),
                    revision: Set(old.revision),
                    status: Set(old.status.clone()),
                    excuse_kind: Set(old.excuse_kind.clone()),
                    excuse_text: Set(old.excuse_text.clone()),
                    hours_attended: Set(old.hours_attended),
                    recorded_by: Set(old.recorded_by),
                    recorded_at: Set(old.recorded_at),
                    ..Default::default()
                }
                .insert(tx.conn())
                .await?;
                let mut active: attendance::ActiveModel = old.clone().into();
                active.status = Set(status);
                active.excuse_kind = Set(kind);
                active.excuse_text = Set(text);
                active.hours_attended = Set(hours);
                active.recorded_by = Set(user_id);
                active.recorded_at = Set(tx.at());
                active.revision = Set(old.revision + 1);
                let after = active.update(tx.conn()).await?;
                tx.audit(
                    "correct",
                    "attendance",
                    after.id,
                    Changes::updated(old, &after),
                );
                receipt.corrected += 1;
            }
            None => {
                let row = attendance::ActiveModel {
                    facility_id: Set(class.facility_id),
                    session_id: Set(session.id),
                    enrolment_id: Set(entry.enrolment_id),
                    status: Set(status),
                    excuse_kind: Set(kind),
                    excuse_text: Set(text),
                    hours_attended: Set(hours),
                    recorded_by: Set(user_id),
                    recorded_at: Set(tx.at()),
                    revision: Set(1),
                    ..Default::default()
                }
                .insert(tx.conn())
                .await?;
                tx.audit("record", "attendance", row.id, Changes::created(&row));
                receipt.created += 1;
            }
        }
    }
    // The sheet's totals, kept on the session for the report figures (same transaction).
    let (attended_hours, marked_trainees): (Option<i64>, i64) = attendance::Entity::find()
        .select_only()
        .column_as(attendance::Column::HoursAttended.sum(), "attended_hours")
        .column_as(attendance::Column::Id.count(), "marked_trainees")
        .filter(attendance::Column::SessionId.eq(session.id))
        .into_tuple()
        .one(tx.conn())
        .await?
        .unwrap_or((None, 0));
    let mut active: training_session::ActiveModel = session.clone().into();
    active.attended_hours = Set(i32::try_from(attended_hours.unwrap_or(0)).unwrap_or(i32::MAX));
    active.marked_trainees = Set(i32::try_from(marked_trainees).unwrap_or(i32::MAX));
    active.sheet_version = Set(receipt.sheet_version);
    active.status = Set(SessionStatus::Held.as_str().to_owned());
    active.updated_at = Set(tx.at());
    active.update(tx.conn()).await?;
    let response =
        serde_json::to_string(&receipt).map_err(|e| AppError::Internal(format!("receipt: {e}")))?;
    idempotency_key::ActiveModel {
        key: Set(key.clone()),
        facility_id: Set(class.facility_id),
        user_id: Set(user_id),
        request_sha256: Set(hash),
        status_code: Set(200),
        response: Set(response),
        created_at: Set(tx.at()),
    }
    .insert(tx.conn())
    .await?;
    tx.audit(
        "submit_sheet",
        "training_session",
        session.id,
        Changes::note(json!({
            "sheet_version": receipt.sheet_version,
            "idempotency_key": key,
            "created": receipt.created,
            "corrected": receipt.corrected,
            "unchanged": receipt.unchanged,
        })),
    );
    tx.commit().await?;
    Ok(receipt)
}

/// The stored answer to an earlier submission with the same key, or a conflict when the key
/// was used for a different request (or by someone else).
fn replay(
    stored: &idempotency_key::Model,
    hash: &str,
    facility_id: i64,
    user_id: Option<i64>,
) -> Result<SubmitReceipt, SubmitError> {
    if stored.request_sha256 != hash
        || stored.facility_id != facility_id
        || stored.user_id != user_id
    {
        return Err(AppError::Conflict(format!(
            "idempotency key {} was used for a different request",
            stored.key
        ))
        .into());
    }
    let mut receipt: SubmitReceipt = serde_json::from_str(&stored.response)
        .map_err(|e| AppError::Internal(format!("stored response: {e}")))?;
    receipt.replayed = true;
    Ok(receipt)
}

/// Earlier values of one attendance line, oldest first.
pub async fn revisions(
    app: &App,
    actor: &Actor,
    attendance_id: i64,
) -> Result<Vec<attendance_revision::Model>, AppError> {
    let row = attendance::Entity::find_by_id(attendance_id)
        .one(app.store.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("attendance {attendance_id}")))?;
    let (_, class) = load_session(app.store.conn(), row.session_id).await?;
    authorise_class(
        app.store.conn(),
        actor,
        &class,
        Permission::RecordAttendance,
    )
    .await?;
    let mut rows = attendance_revision::Entity::find()
        .filter(attendance_revision::Column::AttendanceId.eq(attendance_id))
        .all(app.store.conn())
        .await?;
    rows.sort_by_key(|r| r.revision);
    Ok(rows)
}
