//! The one HTTP error type. Each variant's status is documented; a 500 is logged in full and
//! shown to the client as nothing but "internal error", so database details never leak.

use axum::Json;
use axum::http::StatusCode;
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
        (status, Json(json!({ "error": code, "message": message }))).into_response()
    }
}
