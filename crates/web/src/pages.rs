//! Server-rendered pages. Until sign-in lands, only pages without personal data exist: the
//! home page shows facilities and their aggregate figures.

use crate::WebError;
use crate::api::anonymous_reader;
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bekal_app::App;
use bekal_app::facilities::{self, FacilityView};
use bekal_app::overview::{self, FacilityOverview};
use serde_json::json;

const STYLESHEET: &str = include_str!("../assets/bekal.css");

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    facilities: Vec<(FacilityView, FacilityOverview)>,
}

/// `GET /`: facilities and their figures.
pub async fn home(State(app): State<App>) -> Result<HomePage, WebError> {
    let actor = anonymous_reader();
    let mut rows = Vec::new();
    for facility in facilities::list(&app, &actor).await? {
        let figures = overview::facility(&app, &actor, facility.id).await?;
        rows.push((facility, figures));
    }
    Ok(HomePage { facilities: rows })
}

/// `GET /healthz`: 200 when the database answers, 503 when it does not.
pub async fn healthz(State(app): State<App>) -> impl IntoResponse {
    match app.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(json!({"status": "ok"}))),
        Err(err) => {
            tracing::warn!(error = %err, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable"})),
            )
        }
    }
}

pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "not_found.html")]
pub struct NotFoundPage;

pub async fn not_found() -> impl IntoResponse {
    (StatusCode::NOT_FOUND, NotFoundPage)
}
