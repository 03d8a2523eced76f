//! `GET /api/reports/summary`: the same figures as the reports page, as JSON.

use super::{ErrorBody, json};
use crate::WebError;
use crate::auth::SignedIn;
use crate::pages::reports::{ReportQuery, resolve};
use axum::Json;
use axum::extract::{Query, State};
use bekal_app::facilities;
use bekal_app::reports::{self, Summary};
use bekal_app::{App, Permission};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(summary))
}

/// Figures of a facility, a region or the nation over a period, with per-facility rows that
/// add up exactly to the totals. Without parameters: the caller's own scope, this year.
#[utoipa::path(get, path = "/api/reports/summary", tag = "reports",
    params(ReportQuery),
    security(("token" = ["ReadAggregates"]), ("session" = [])),
    responses((status = 200, body = Summary), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn summary(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Query(query): Query<ReportQuery>,
) -> Result<Json<Summary>, WebError> {
    let actor = caller.actor_for(Permission::ReadAggregates)?;
    let all = facilities::list(&app, actor).await?;
    let resolved = resolve(&query, actor, &all, app.clock.today())?;
    json(reports::summary(&app, actor, &resolved.scope, resolved.from, resolved.to).await)
}
