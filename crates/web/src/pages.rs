//! Server-rendered pages. The home page shows facilities and their aggregate figures to a
//! signed-in user, and a sign-in prompt to everyone else.

use crate::WebError;
use crate::auth::MaybeSession;
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
    /// `None` when nobody is signed in: the page then asks to sign in.
    signed_in: Option<String>,
    csrf_token: String,
    facilities: Vec<(FacilityView, FacilityOverview)>,
}

/// `GET /`: facilities and the figures the signed-in user may see; a sign-in prompt otherwise.
pub async fn home(
    State(app): State<App>,
    MaybeSession(session): MaybeSession,
) -> Result<HomePage, WebError> {
    let Some(session) = session.filter(|s| s.second_factor_done) else {
        return Ok(HomePage {
            signed_in: None,
            csrf_token: String::new(),
            facilities: Vec::new(),
        });
    };
    let actor = &session.actor;
    let mut rows = Vec::new();
    for facility in facilities::list(&app, actor).await? {
        match overview::facility(&app, actor, facility.id).await {
            Ok(figures) => rows.push((facility, figures)),
            Err(bekal_app::AppError::Forbidden(_)) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(HomePage {
        signed_in: Some(actor.audit_actor().label),
        csrf_token: session.csrf_token,
        facilities: rows,
    })
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
