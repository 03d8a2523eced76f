//! `GET /api/facilities/{code}/plans`, `GET /api/plans/{id}` (the stage-by-stage chart) and
//! `POST /api/plans/{id}/approve`.

use super::{ErrorBody, Writer, json};
use crate::WebError;
use crate::auth::SignedIn;
use axum::Json;
use axum::extract::{Path, State};
use bekal_app::facilities;
use bekal_app::planning::{self, view::PlanRow, view::PlanView};
use bekal_app::{App, Permission};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(detail))
        .routes(routes!(approve))
}

/// A facility's plans, newest first.
#[utoipa::path(get, path = "/api/facilities/{code}/plans", tag = "plans",
    params(("code" = String, Path, description = "facility code")),
    security(("token" = ["ReadClasses"]), ("session" = [])),
    responses((status = 200, body = Vec<PlanRow>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Path(code): Path<String>,
) -> Result<Json<Vec<PlanRow>>, WebError> {
    let actor = caller.actor_for(Permission::ReadClasses)?;
    let facility = facilities::get_by_code(&app, actor, &code).await?;
    json(planning::view::list(&app, actor, facility.id).await)
}

/// One plan: its classes by stage and the solver's figures.
#[utoipa::path(get, path = "/api/plans/{id}", tag = "plans",
    params(("id" = i64, Path, description = "plan id")),
    security(("token" = ["ReadClasses"]), ("session" = [])),
    responses((status = 200, body = PlanView), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn detail(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Path(id): Path<i64>,
) -> Result<Json<PlanView>, WebError> {
    let actor = caller.actor_for(Permission::ReadClasses)?;
    json(planning::view::view(&app, actor, id).await)
}

/// Approves a draft plan (the approved plan before it is superseded).
#[utoipa::path(post, path = "/api/plans/{id}/approve", tag = "plans",
    params(("id" = i64, Path, description = "plan id")),
    security(("session" = [])),
    responses((status = 200, body = PlanView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
async fn approve(
    State(app): State<App>,
    Writer(caller): Writer,
    Path(id): Path<i64>,
) -> Result<Json<PlanView>, WebError> {
    let actor = caller.actor_for(Permission::ApprovePlans)?;
    planning::approve_plan(&app, actor, id).await?;
    json(planning::view::view(&app, actor, id).await)
}
