//! The one HTTP error type. Each variant's status is documented; a 500 is logged in full and
//! shown to the client as nothing but "internal error", so database details never leak.
//! API routes answer JSON; for pages, the [`html_errors`] middleware turns the same error into
//! an HTML page in the user's language (it finds the [`ErrorShown`] marker on the response).

use crate::i18n::{Lang, Tr};
use crate::page::{Chrome, public_chrome};
use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bekal_app::AppError;
use serde_json::json;

/// An error on its way to an HTTP client.
#[derive(Debug)]
pub struct WebError(pub AppError);

impl From<AppError> for WebError {
    fn from(err: AppError) -> Self {
        WebError(err)
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, code, message) = match &self.0 {
            // 422: the request was understood but a field broke a rule.
            AppError::Invalid { .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                self.0.to_string(),
            ),
            // 404: missing, or not the actor's to know about.
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", self.0.to_string()),
            // 403: signed in but not allowed.
            AppError::Forbidden(_) => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "not permitted".to_owned(),
            ),
            // 409: conflicts with the current state.
            AppError::Conflict(_) => (StatusCode::CONFLICT, "conflict", self.0.to_string()),
            // 401: not signed in (or the session, token or credentials are not valid).
            AppError::Unauthenticated(_) => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "sign in first".to_owned(),
            ),
            // 429: too many attempts; the account is locked or the address throttled.
            AppError::RateLimited(_) => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many attempts, try again later".to_owned(),
            ),
            // 503: the database is busy; retry.
            AppError::Busy(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "busy, try again".to_owned(),
            ),
            // 503: the disk is full or the database read-only; nothing was saved.
            AppError::StorageUnavailable(detail) => {
                tracing::error!(error = %detail, "storage cannot be written");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage",
                    "the database cannot be written now (disk full or read-only); nothing was saved, try again later".to_owned(),
                )
            }
            // 500: logged here in full, shown as nothing more.
            AppError::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error".to_owned(),
                )
            }
        };
        let shown = ErrorShown {
            code,
            detail: match &self.0 {
                AppError::Invalid { .. } | AppError::NotFound(_) | AppError::Conflict(_) => {
                    Some(message.clone())
                }
                _ => None,
            },
        };
        let mut response =
            (status, Json(json!({ "error": code, "message": message }))).into_response();
        response.extensions_mut().insert(shown);
        response
    }
}

/// Marks a response as a [`WebError`]: its stable code and the detail that may be shown.
#[derive(Debug, Clone)]
pub struct ErrorShown {
    pub code: &'static str,
    pub detail: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    tr: Tr,
    code: &'static str,
    detail: Option<String>,
}

impl ErrorPage {
    fn title(&self) -> String {
        self.tr.t(&format!("error-{}-title", self.code))
    }

    fn text(&self) -> String {
        self.tr.t(&format!("error-{}-text", self.code))
    }
}

/// Middleware: an error answer to a page request (anything outside `/api/`) becomes an HTML
/// page with the same status, in the request's language.
pub async fn html_errors(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let lang = request
        .extensions()
        .get::<Lang>()
        .copied()
        .unwrap_or_default();
    let path = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned());
    let response = next.run(request).await;
    if api {
        return crate::api::json_errors(response).await;
    }
    let Some(shown) = response.extensions().get::<ErrorShown>().cloned() else {
        return response;
    };
    let status = response.status();
    let tr = lang.tr();
    let page = ErrorPage {
        chrome: public_chrome(tr, &path),
        tr,
        code: shown.code,
        detail: shown.detail,
    };
    (status, page).into_response()
}
