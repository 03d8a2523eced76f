//! `GET /api/facilities`, `GET /api/facilities/{code}/overview`, `GET /api/dashboard`.

use super::{ErrorBody, json};
use crate::WebError;
use crate::auth::SignedIn;
use axum::Json;
use axum::extract::{Path, State};
use bekal_app::dashboard::{self, Dashboard};
use bekal_app::facilities::{self, FacilityView};
use bekal_app::overview::{self, FacilityOverview};
use bekal_app::{App, Permission};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(facility_overview))
        .routes(routes!(my_dashboard))
}

/// Codes, names, kinds and regions of every facility.
#[utoipa::path(get, path = "/api/facilities", tag = "facilities",
    security(("token" = ["ListFacilities"]), ("session" = [])),
    responses((status = 200, body = Vec<FacilityView>), (status = 401, body = ErrorBody)))]
async fn list(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
) -> Result<Json<Vec<FacilityView>>, WebError> {
    let actor = caller.actor_for(Permission::ListFacilities)?;
    json(facilities::list(&app, actor).await)
}

/// A facility's aggregate figures (no names).
#[utoipa::path(get, path = "/api/facilities/{code}/overview", tag = "facilities",
    params(("code" = String, Path, description = "facility code")),
    security(("token" = ["ReadAggregates"]), ("session" = [])),
    responses((status = 200, body = FacilityOverview), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn facility_overview(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Path(code): Path<String>,
) -> Result<Json<FacilityOverview>, WebError> {
    let actor = caller.actor_for(Permission::ReadAggregates)?;
    let facility = facilities::get_by_code(&app, actor, &code).await?;
    json(overview::facility(&app, actor, facility.id).await)
}

/// What needs doing today for the caller's role.
#[utoipa::path(get, path = "/api/dashboard", tag = "facilities",
    security(("token" = ["ListFacilities"]), ("session" = [])),
    responses((status = 200, body = Dashboard), (status = 401, body = ErrorBody)))]
async fn my_dashboard(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
) -> Result<Json<Dashboard>, WebError> {
    let actor = caller.actor_for(Permission::ListFacilities)?;
    json(dashboard::dashboard(&app, actor).await)
}
