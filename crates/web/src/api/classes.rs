//! Classes, attendance, unit results and enrolment changes over JSON: what the class pages do,
//! for integrations and for the offline attendance queue of `assets/bekal.js`.

use super::{ErrorBody, Writer, json};
use crate::WebError;
use crate::auth::SignedIn;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bekal_app::classes::{self, ClassDetail, ClassFilter, ClassSummary};
use bekal_app::delivery::attendance::{self, Sheet, SheetSubmission, SubmitError, SubmitReceipt};
use bekal_app::delivery::enrolments::{self, StateChange, StateChangeOutcome};
use bekal_app::delivery::share::{self, TraineeShare};
use bekal_app::results::{self, NewResult, ResultView, ResultsSheet};
use bekal_app::{App, AppError, Permission};
use bekal_domain::status::{EnrolmentState, UnitDecision};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(shares))
        .routes(routes!(sheet, submit_sheet))
        .routes(routes!(results_sheet, record_results))
        .routes(routes!(change_state))
}

/// Filters of the class list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ClassQuery {
    /// Only classes of this facility (national users).
    facility_id: Option<i64>,
    /// `planned`, `running`, `finished` or `cancelled`.
    status: Option<String>,
}

/// The classes the caller may see.
#[utoipa::path(get, path = "/api/classes", tag = "classes", params(ClassQuery),
    security(("token" = ["ReadClasses"]), ("session" = [])),
    responses((status = 200, body = Vec<ClassSummary>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
async fn list(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Query(query): Query<ClassQuery>,
) -> Result<Json<Vec<ClassSummary>>, WebError> {
    let actor = caller.actor_for(Permission::ReadClasses)?;
    let filter = ClassFilter {
        facility_id: query.facility_id,
        status: query.status,
        ..Default::default()
    };
    json(classes::list(&app, actor, &filter).await)
}

/// One class: roster (fields by role) and sessions.
#[utoipa::path(get, path = "/api/classes/{id}", tag = "classes",
    params(("id" = i64, Path, description = "class id")),
    security(("token" = ["ReadClasses"]), ("session" = [])),
    responses((status = 200, body = ClassDetail), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn detail(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Path(id): Path<i64>,
) -> Result<Json<ClassDetail>, WebError> {
    let actor = caller.actor_for(Permission::ReadClasses)?;
    json(classes::detail(&app, actor, id).await)
}

/// The running attendance share of every trainee of a class.
#[utoipa::path(get, path = "/api/classes/{id}/attendance-shares", tag = "attendance",
    params(("id" = i64, Path, description = "class id")),
    security(("token" = ["RecordAttendance"]), ("session" = [])),
    responses((status = 200, body = Vec<TraineeShare>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn shares(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Path(id): Path<i64>,
) -> Result<Json<Vec<TraineeShare>>, WebError> {
    let actor = caller.actor_for(Permission::RecordAttendance)?;
    json(share::class_shares(&app, actor, id).await)
}

/// The attendance sheet of a session.
#[utoipa::path(get, path = "/api/sessions/{id}/attendance", tag = "attendance",
    params(("id" = i64, Path, description = "session id")),
    security(("token" = ["RecordAttendance"]), ("session" = [])),
    responses((status = 200, body = Sheet), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn sheet(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Path(id): Path<i64>,
) -> Result<Json<Sheet>, WebError> {
    let actor = caller.actor_for(Permission::RecordAttendance)?;
    json(attendance::sheet(&app, actor, id).await)
}

/// The answer to a submission based on an old version of the sheet.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StaleSheet {
    /// Always `stale`.
    pub error: String,
    pub message: String,
    /// The sheet as it is now; resubmit with its `sheet_version` as `base_version`.
    pub current: Sheet,
}

/// Submits a sheet. The idempotency key makes a retry return the first answer (`replayed`);
/// a submission based on an old `base_version` changes nothing and answers 409 with the
/// current sheet.
#[utoipa::path(post, path = "/api/sessions/{id}/attendance", tag = "attendance",
    params(("id" = i64, Path, description = "session id")),
    request_body = SheetSubmission,
    security(("token" = ["RecordAttendance"]), ("session" = [])),
    responses((status = 200, body = SubmitReceipt), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = StaleSheet), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
async fn submit_sheet(
    State(app): State<App>,
    Writer(caller): Writer,
    Path(id): Path<i64>,
    Json(mut submission): Json<SheetSubmission>,
) -> Result<Response, WebError> {
    let actor = caller.actor_for(Permission::RecordAttendance)?;
    if submission.session_id != id {
        return Err(AppError::invalid("session_id", "differs from the session in the URL").into());
    }
    submission.session_id = id;
    match attendance::submit_sheet(&app, actor, submission).await {
        Ok(receipt) => Ok(Json(receipt).into_response()),
        Err(SubmitError::Stale { current }) => Ok((
            StatusCode::CONFLICT,
            Json(StaleSheet {
                error: "stale".to_owned(),
                message: format!(
                    "the sheet is at version {}: check it and submit again",
                    current.sheet_version
                ),
                current: *current,
            }),
        )
            .into_response()),
        Err(SubmitError::App(err)) => Err(err.into()),
    }
}

/// The unit results sheet of a class.
#[utoipa::path(get, path = "/api/classes/{id}/results", tag = "results",
    params(("id" = i64, Path, description = "class id")),
    security(("token" = ["RecordResults"]), ("session" = [])),
    responses((status = 200, body = ResultsSheet), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn results_sheet(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Path(id): Path<i64>,
) -> Result<Json<ResultsSheet>, WebError> {
    let actor = caller.actor_for(Permission::RecordResults)?;
    json(results::sheet(&app, actor, id).await)
}

/// One unit result to record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ResultInput {
    pub enrolment_id: i64,
    pub unit_code: String,
    pub decision: UnitDecision,
    pub assessor_name: Option<String>,
    pub assessed_on: NaiveDate,
    pub evidence_note: Option<String>,
}

/// Records unit results (all in one transaction, or none), each as a new attempt. With an
/// `Idempotency-Key` header, a repeated request with the same key and body gets the first
/// answer back (header `Idempotent-Replayed: true`) and records nothing.
#[utoipa::path(post, path = "/api/classes/{id}/results", tag = "results",
    params(("id" = i64, Path, description = "class id"),
        ("Idempotency-Key" = Option<String>, Header,
            description = "chosen by the client once per batch and reused on every retry (1-200 characters)")),
    request_body = Vec<ResultInput>,
    security(("token" = ["RecordResults"]), ("session" = [])),
    responses((status = 200, body = Vec<ResultView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 503, body = ErrorBody)))]
async fn record_results(
    State(app): State<App>,
    Writer(caller): Writer,
    Path(id): Path<i64>,
    headers: axum::http::HeaderMap,
    Json(inputs): Json<Vec<ResultInput>>,
) -> Result<Response, WebError> {
    let actor = caller.actor_for(Permission::RecordResults)?;
    // Every result must belong to this class.
    let sheet = results::sheet(&app, actor, id).await?;
    for (index, input) in inputs.iter().enumerate() {
        if !sheet
            .rows
            .iter()
            .any(|r| r.enrolment_id == input.enrolment_id)
        {
            return Err(AppError::invalid(
                format!("[{index}].enrolment_id"),
                "is not a trainee of this class",
            )
            .into());
        }
    }
    let batch = inputs
        .into_iter()
        .map(|i| NewResult {
            enrolment_id: i.enrolment_id,
            unit_code: i.unit_code,
            decision: i.decision,
            assessor_name: i.assessor_name,
            assessed_on: i.assessed_on,
            evidence_note: i.evidence_note,
        })
        .collect();
    let key = match headers.get("idempotency-key") {
        Some(value) => Some(
            value
                .to_str()
                .map_err(|_| AppError::invalid("Idempotency-Key", "must be plain ASCII text"))?,
        ),
        None => None,
    };
    let Some(key) = key else {
        return Ok(Json(results::record_batch(&app, actor, batch).await?).into_response());
    };
    let (views, replayed) = results::record_batch_once(&app, actor, key, batch).await?;
    let mut response = Json(views).into_response();
    if replayed {
        response.headers_mut().insert(
            "idempotent-replayed",
            axum::http::HeaderValue::from_static("true"),
        );
    }
    Ok(response)
}

/// Ending an enrolment mid-course.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct StateChangeInput {
    /// `withdrawn`, `transferred`, `released`, `dismissed` or `medical`.
    pub to: EnrolmentState,
    pub effective_on: NaiveDate,
    pub reason: String,
}

/// Ends an enrolment; the answer proposes the next person from the waiting list, if any.
#[utoipa::path(post, path = "/api/enrolments/{id}/state", tag = "classes",
    params(("id" = i64, Path, description = "enrolment id")),
    request_body = StateChangeInput,
    security(("token" = ["ChangeEnrolments"]), ("session" = [])),
    responses((status = 200, body = StateChangeOutcome), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_state(
    State(app): State<App>,
    Writer(caller): Writer,
    Path(id): Path<i64>,
    Json(input): Json<StateChangeInput>,
) -> Result<Json<StateChangeOutcome>, WebError> {
    let actor = caller.actor_for(Permission::ChangeEnrolments)?;
    json(
        enrolments::change_state(
            &app,
            actor,
            StateChange {
                enrolment_id: id,
                to: input.to,
                effective_on: input.effective_on,
                reason: input.reason,
            },
        )
        .await,
    )
}
