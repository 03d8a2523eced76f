//! The JSON API: the same service calls as the pages, as JSON. Callers are signed-in sessions
//! or API tokens (`Authorization: Bearer`), whose scopes must include each route's permission.
//! A signed-in browser session that changes something must also send its CSRF token in the
//! `X-CSRF-Token` header ([`Writer`]); tokens need not. Every route is described in the
//! OpenAPI document served at `/api/openapi.json` (built from the handlers' annotations, so the
//! document cannot drift from the routes).

mod classes;
mod facilities;
mod inmates;
mod plans;
mod reports;
mod selection;

use crate::WebError;
use crate::auth::{Caller, SignedIn};
use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use bekal_app::{App, AppError};
use serde::Serialize;
use utoipa::openapi::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;

/// The body of every error answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// A stable code: `invalid`, `not_found`, `forbidden`, `conflict`, `unauthenticated`,
    /// `rate_limited`, `busy`, `internal`.
    pub error: String,
    pub message: String,
}

/// A caller allowed to change things: a token, or a session that sent its CSRF token.
#[derive(Debug, Clone)]
pub struct Writer(pub Caller);

impl FromRequestParts<App> for Writer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let SignedIn(caller) = SignedIn::from_request_parts(parts, app)
            .await
            .map_err(IntoResponse::into_response)?;
        if let Caller::Session(session) = &caller {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            crate::auth::check_csrf(session, sent).map_err(IntoResponse::into_response)?;
        }
        Ok(Writer(caller))
    }
}

/// Runs a use case's result into a JSON answer.
pub fn json<T: Serialize>(result: Result<T, AppError>) -> Result<Json<T>, WebError> {
    result.map(Json).map_err(WebError)
}

/// The API routes with their OpenAPI description.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(facilities::routes())
        .merge(classes::routes())
        .merge(inmates::routes())
        .merge(plans::routes())
        .merge(reports::routes())
        .merge(selection::routes())
}

/// Completes the generated document: title, version, security schemes.
pub fn document(mut api: OpenApi) -> OpenApi {
    api.info.title = "Bekal API".to_owned();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    api.info.description = Some(
        "Vocational training in correctional facilities: the same use cases as the web pages. \
         Sign in with a session cookie (and send X-CSRF-Token on writes) or an API token \
         (Authorization: Bearer)."
            .to_owned(),
    );
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "token",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
            crate::auth::SESSION_COOKIE,
        ))),
    );
    api
}
