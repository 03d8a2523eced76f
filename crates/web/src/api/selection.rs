//! Selection reads: `GET /api/facilities/{code}/selection` (the current round),
//! `GET /api/facilities/{code}/selection/packages/{package}` (the round's ranked candidates
//! of one package, with the rules each fails), `GET /api/facilities/{code}/waiting-list/{package}`
//! and `GET /api/facilities/{code}/non-associations` (planners and the facility head only).
//! The same service calls as the selection pages.

use super::{ErrorBody, json};
use crate::WebError;
use crate::auth::SignedIn;
use axum::Json;
use axum::extract::{Path, State};
use bekal_app::selection::candidates::{self, PackageCandidates};
use bekal_app::selection::non_associations::{self, NonAssociationView};
use bekal_app::selection::rounds::{self, RoundView};
use bekal_app::selection::waiting_list::{self, WaitingView};
use bekal_app::{App, AppError, Permission};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(current_round))
        .routes(routes!(package_round))
        .routes(routes!(waiting))
        .routes(routes!(pairs))
}

/// The facility's current selection round (the draft, else the approved one); 404 when none.
#[utoipa::path(get, path = "/api/facilities/{code}/selection", tag = "selection",
    params(("code" = String, Path, description = "facility code")),
    security(("token" = ["ReadInmates"]), ("session" = [])),
    responses((status = 200, body = RoundView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn current_round(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Path(code): Path<String>,
) -> Result<Json<RoundView>, WebError> {
    let actor = caller.actor_for(Permission::ReadInmates)?;
    json(
        rounds::current_round(&app, actor, &code)
            .await
            .and_then(|r| {
                r.ok_or_else(|| AppError::NotFound(format!("selection round of {code}")))
            }),
    )
}

/// The ranked candidates of one package in the current round: score, points, eligibility or
/// the failed rules (both languages), pin or exclusion with its reason. An audited read.
#[utoipa::path(get, path = "/api/facilities/{code}/selection/packages/{package}", tag = "selection",
    params(("code" = String, Path, description = "facility code"),
        ("package" = String, Path, description = "package code")),
    security(("token" = ["ReadInmates"]), ("session" = [])),
    responses((status = 200, body = PackageCandidates), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn package_round(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Path((code, package)): Path<(String, String)>,
) -> Result<Json<PackageCandidates>, WebError> {
    let actor = caller.actor_for(Permission::ReadInmates)?;
    json(
        candidates::candidates(&app, actor, &code, Some(&package))
            .await
            .and_then(|list| {
                list.into_iter()
                    .next()
                    .ok_or_else(|| AppError::NotFound(format!("package {package}")))
            }),
    )
}

/// A package's waiting list with every entry's history (who, when, why).
#[utoipa::path(get, path = "/api/facilities/{code}/waiting-list/{package}", tag = "selection",
    params(("code" = String, Path, description = "facility code"),
        ("package" = String, Path, description = "package code")),
    security(("token" = ["ReadInmates"]), ("session" = [])),
    responses((status = 200, body = Vec<WaitingView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn waiting(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Path((code, package)): Path<(String, String)>,
) -> Result<Json<Vec<WaitingView>>, WebError> {
    let actor = caller.actor_for(Permission::ReadInmates)?;
    json(waiting_list::show(&app, actor, &code, &package).await)
}

/// The facility's non-associations (program officers, the facility head, national admins).
#[utoipa::path(get, path = "/api/facilities/{code}/non-associations", tag = "selection",
    params(("code" = String, Path, description = "facility code")),
    security(("token" = ["PlanTraining"]), ("session" = [])),
    responses((status = 200, body = Vec<NonAssociationView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
async fn pairs(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Path(code): Path<String>,
) -> Result<Json<Vec<NonAssociationView>>, WebError> {
    let actor = caller.actor_for(Permission::PlanTraining)?;
    json(non_associations::list(&app, actor, &code).await)
}
