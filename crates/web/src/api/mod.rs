//! The JSON API: the same service calls as the pages, as JSON. Callers are signed-in sessions
//! or API tokens (`Authorization: Bearer`), whose scopes must include each route's permission.
//! A signed-in browser session that changes something must also send its CSRF token in the
//! `X-CSRF-Token` header ([`Writer`]); tokens need not. Every route is described in the
//! OpenAPI document served at `/api/openapi.json` (built from the handlers' annotations, so the
//! document cannot drift from the routes).

mod admin;
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

/// The largest plain-text rejection kept as an error message.
const MAX_REJECTION_MESSAGE: usize = 4 * 1024;

/// Gives every error answer of the API the documented [`ErrorBody`]: axum's own rejections
/// (a path segment that is not a number, a malformed query or JSON body, a wrong content
/// type, an unknown route or method) are plain text; they become JSON with the same status.
pub async fn json_errors(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let code = match status.as_u16() {
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "timeout",
        409 => "conflict",
        413 => "too_large",
        415 => "unsupported_media_type",
        429 => "rate_limited",
        503 => "busy",
        500..=599 => "internal",
        _ => "invalid",
    };
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, MAX_REJECTION_MESSAGE)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let message = if text.is_empty() || status.is_server_error() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        text
    };
    let mut answer = (
        status,
        Json(ErrorBody {
            error: code.to_owned(),
            message,
        }),
    )
        .into_response();
    for (name, value) in &parts.headers {
        if name != axum::http::header::CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            answer.headers_mut().insert(name.clone(), value.clone());
        }
    }
    answer
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
        .merge(admin::routes())
        .merge(facilities::routes())
        .merge(classes::routes())
        .merge(inmates::routes())
        .merge(plans::routes())
        .merge(reports::routes())
        .merge(selection::routes())
}

/// Adds the error answers any operation can give (each with an [`ErrorBody`]) where the
/// handler's annotation does not list them: the extractors answer 400 for a path or query
/// parameter of the wrong type or a body that is not JSON, 413/415/422 for a body too large,
/// not sent as JSON or not of the documented shape; every route checks its caller (401, 403)
/// and reads the database (503 while it is busy or away).
fn document_common_errors(
    operation: &mut utoipa::openapi::path::Operation,
    has_path_parameters: bool,
) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let has_body = operation.request_body.is_some();
    let has_query = operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let mut errors = vec![
        (
            "400",
            "malformed request: a parameter of the wrong type or a body that is not JSON",
        ),
        (
            "401",
            "not signed in, or an unknown, expired or revoked token",
        ),
        ("403", "the role or the token's scopes do not allow this"),
        ("503", "the database is busy or unreachable; try again"),
    ];
    if has_path_parameters {
        errors.push(("404", "no such record, or not visible to the caller"));
    }
    if has_body || has_query {
        errors.push(("422", "a field is invalid; the message names it"));
    }
    if has_body {
        errors.push(("413", "the body is too large"));
        errors.push(("415", "the body is not sent as application/json"));
    }
    for (status, description) in errors {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| {
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build()
                    .into()
            });
    }
}

/// Completes the generated document: title, version, security schemes.
pub fn document(mut api: OpenApi) -> OpenApi {
    api.merge(<crate::verify::PublicApi as utoipa::OpenApi>::openapi());
    api.info.title = "Bekal API".to_owned();
    api.info.version = env!("CARGO_PKG_VERSION").to_owned();
    api.info.description = Some(
        "Vocational training in correctional facilities: the same use cases as the web pages. \
         Sign in with a session cookie (and send X-CSRF-Token on writes) or an API token \
         (Authorization: Bearer)."
            .to_owned(),
    );
    for (path, item) in api.paths.paths.iter_mut() {
        let has_path_parameters = path.contains('{');
        for operation in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            document_common_errors(operation, has_path_parameters);
        }
    }
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
