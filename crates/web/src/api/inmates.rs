//! `GET /api/facilities/{code}/inmates` (search, one page) and `GET /api/inmates/{id}` (one
//! profile). Both are audited reads of sensitive data (see `bekal_app::registry`).

use super::{ErrorBody, json};
use crate::WebError;
use crate::auth::SignedIn;
use axum::Json;
use axum::extract::{Path, Query, State};
use bekal_app::facilities;
use bekal_app::registry::{self, InmateList, InmateProfile};
use bekal_app::{App, Permission};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(profile))
}

/// Search terms.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SearchQuery {
    /// Part of a name or register number (case-insensitive); empty lists everyone.
    #[serde(default)]
    q: String,
    /// Page number from 1 (50 per page).
    #[serde(default)]
    page: Option<u64>,
}

/// A facility's inmates, one page of a search.
#[utoipa::path(get, path = "/api/facilities/{code}/inmates", tag = "inmates",
    params(("code" = String, Path, description = "facility code"), SearchQuery),
    security(("token" = ["ReadInmates"]), ("session" = [])),
    responses((status = 200, body = InmateList), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn search(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Path(code): Path<String>,
    Query(query): Query<SearchQuery>,
) -> Result<Json<InmateList>, WebError> {
    let actor = caller.actor_for(Permission::ReadInmates)?;
    let facility = facilities::get_by_code(&app, actor, &code).await?;
    json(registry::search(&app, actor, facility.id, &query.q, query.page.unwrap_or(1)).await)
}

/// One inmate's profile: milestones, assessments, enrolments and the selection explanation.
#[utoipa::path(get, path = "/api/inmates/{id}", tag = "inmates",
    params(("id" = i64, Path, description = "inmate id")),
    security(("token" = ["ReadInmates"]), ("session" = [])),
    responses((status = 200, body = InmateProfile), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn profile(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Path(id): Path<i64>,
) -> Result<Json<InmateProfile>, WebError> {
    let actor = caller.actor_for(Permission::ReadInmates)?;
    json(registry::profile(&app, actor, id).await)
}
