//! Server-rendered pages, one module per area of work. This module holds what belongs to no
//! area: the health check, the stylesheet and script, and the not-found page.

pub mod account;
pub mod admin;
pub mod attendance;
pub mod certificates;
pub mod classes;
pub mod dashboard;
pub mod followups;
pub mod imports;
pub mod inmates;
pub mod plans;
pub mod reports;
pub mod results;
pub mod selection;
pub mod sessions;

/// The facility a facility-scoped page shows: the user's own, or for national users the one
/// chosen by code (`None` until chosen), with the list to choose from (empty for facility
/// users). Returns (choices, facility id, chosen code).
pub(crate) async fn choose_facility(
    app: &bekal_app::App,
    page: &crate::page::Page,
    chosen: Option<&str>,
) -> Result<
    (
        Vec<bekal_app::facilities::FacilityView>,
        Option<i64>,
        String,
    ),
    crate::WebError,
> {
    if let Some(own) = page.own_facility() {
        return Ok((Vec::new(), Some(own), String::new()));
    }
    let chosen = chosen.map(str::trim).unwrap_or_default();
    let all = bekal_app::facilities::list(app, page.actor()).await?;
    let id = all.iter().find(|f| f.code == chosen).map(|f| f.id);
    Ok((all, id, chosen.to_owned()))
}

use crate::i18n::{Lang, Tr};
use crate::page::{Chrome, public_chrome};
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use bekal_app::App;
use serde_json::json;

const STYLESHEET: &str = include_str!("../../assets/bekal.css");
const SCRIPT: &str = include_str!("../../assets/bekal.js");

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

/// Bekal's own script: progressive enhancements only (every form works without it).
pub async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        SCRIPT,
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "not_found.html")]
pub struct NotFoundPage {
    chrome: Chrome,
    tr: Tr,
}

pub async fn not_found(lang: Lang, uri: axum::http::Uri) -> impl IntoResponse {
    let tr = lang.tr();
    (
        StatusCode::NOT_FOUND,
        NotFoundPage {
            chrome: public_chrome(tr, uri.path()),
            tr,
        },
    )
}
