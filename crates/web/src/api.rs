//! The JSON API: the same service calls as the pages, as JSON.

use crate::WebError;
use axum::Json;
use axum::extract::{Path, State};
use bekal_app::facilities::{self, FacilityView};
use bekal_app::overview::{self, FacilityOverview};
use bekal_app::{Actor, App};

/// The actor of API calls until sign-in lands: reads of non-personal data only.
pub(crate) fn anonymous_reader() -> Actor {
    Actor::User {
        id: 0,
        username: "anonymous".to_owned(),
        role: bekal_domain::role::Role::OversightViewer,
        facility_id: None,
        partner_id: None,
        region: None,
    }
}

/// `GET /api/facilities`: codes, names, kinds and regions of every facility.
pub async fn facilities(State(app): State<App>) -> Result<Json<Vec<FacilityView>>, WebError> {
    Ok(Json(facilities::list(&app, &anonymous_reader()).await?))
}

/// `GET /api/facilities/{code}/overview`: a facility's aggregate figures (no names).
pub async fn facility_overview(
    State(app): State<App>,
    Path(code): Path<String>,
) -> Result<Json<FacilityOverview>, WebError> {
    let actor = anonymous_reader();
    let facility = facilities::get_by_code(&app, &actor, &code).await?;
    Ok(Json(overview::facility(&app, &actor, facility.id).await?))
}
