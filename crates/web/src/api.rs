//! The JSON API: the same service calls as the pages, as JSON. Callers are signed-in sessions
//! or API tokens (`Authorization: Bearer`), whose scopes must include each route's permission.

use crate::WebError;
use crate::auth::SignedIn;
use axum::Json;
use axum::extract::{Path, State};
use bekal_app::facilities::{self, FacilityView};
use bekal_app::overview::{self, FacilityOverview};
use bekal_app::{App, Permission};

/// `GET /api/facilities`: codes, names, kinds and regions of every facility.
pub async fn facilities(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
) -> Result<Json<Vec<FacilityView>>, WebError> {
    let actor = caller.actor_for(Permission::ListFacilities)?;
    Ok(Json(facilities::list(&app, actor).await?))
}

/// `GET /api/facilities/{code}/overview`: a facility's aggregate figures (no names).
pub async fn facility_overview(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Path(code): Path<String>,
) -> Result<Json<FacilityOverview>, WebError> {
    let actor = caller.actor_for(Permission::ReadAggregates)?;
    let facility = facilities::get_by_code(&app, actor, &code).await?;
    Ok(Json(overview::facility(&app, actor, facility.id).await?))
}
