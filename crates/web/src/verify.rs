//! Public certificate verification, no sign-in: the page `GET /verify` (form by number) and
//! `GET /verify/{number}` (percent-encode the `/` of a number as `%2F`, or use
//! `/verify?number=...`), the JSON `GET /api/public/certificates/{number}`, the signed
//! status list credentials at `GET /status/{partner_code}/{list_id}`, and the DID documents
//! of `did:web` issuers at `GET /issuers/{partner_code}/did.json`. Every public route is
//! rate-limited per client IP (see [`crate::rate_limit`]). The views come from
//! `bekal_app::certificates::lookup_public`, which carries nothing about a facility.

use crate::WebError;
use crate::i18n::{Lang, Tr};
use crate::page::{Chrome, public_chrome};
use crate::rate_limit::{RateLimiter, limit};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router, middleware};
use bekal_app::certificates::{self, PublicCertificate};
use bekal_app::{App, AppError};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Template, WebTemplate)]
#[template(path = "verify.html")]
pub struct VerifyPage {
    chrome: Chrome,
    tr: Tr,
    number: String,
    certificate: Option<PublicCertificate>,
    not_found: bool,
}

impl VerifyPage {
    fn new(
        lang: Lang,
        number: String,
        certificate: Option<PublicCertificate>,
        not_found: bool,
    ) -> Self {
        let tr = lang.tr();
        let here = if number.is_empty() {
            "/verify".to_owned()
        } else {
            format!("/verify?number={}", encode_query_value(&number))
        };
        VerifyPage {
            chrome: public_chrome(tr, &here),
            tr,
            number,
            certificate,
            not_found,
        }
    }
}

impl VerifyPage {
    fn status_key(&self, certificate: &PublicCertificate) -> &'static str {
        match certificate.status.as_str() {
            "valid" => "verify-status-valid",
            "revoked" => "verify-status-revoked",
            "expired" => "verify-status-expired",
            _ => "verify-status-invalid",
        }
    }
}

fn encode_query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Debug, Deserialize)]
pub struct NumberQuery {
    number: Option<String>,
}

async fn page_for(app: &App, lang: Lang, number: String) -> Result<Response, WebError> {
    let number = number.trim().to_owned();
    if number.is_empty() {
        return Ok(VerifyPage::new(lang, number, None, false).into_response());
    }
    match certificates::lookup_public(app, &number).await {
        Ok(certificate) => {
            Ok(VerifyPage::new(lang, number, Some(certificate), false).into_response())
        }
        Err(AppError::NotFound(_)) => Ok((
            StatusCode::NOT_FOUND,
            VerifyPage::new(lang, number, None, true),
        )
            .into_response()),
        Err(err) => Err(err.into()),
    }
}

/// `GET /verify[?number=...]`
pub async fn form(
    State(app): State<App>,
    lang: Lang,
    Query(query): Query<NumberQuery>,
) -> Result<Response, WebError> {
    page_for(&app, lang, query.number.unwrap_or_default()).await
}

/// `GET /verify/{number}`
pub async fn by_number(
    State(app): State<App>,
    lang: Lang,
    Path(number): Path<String>,
) -> Result<Response, WebError> {
    page_for(&app, lang, number).await
}

/// Verifies a certificate by its number, for anyone (no sign-in): its status and what it
/// certifies, nothing about where the holder trained. Rate-limited per address (429).
#[utoipa::path(get, path = "/api/public/certificates/{number}", tag = "public",
    params(("number" = String, Path, description = "the certificate number, e.g. BLK-PKL/2026/00001")),
    security(()),
    responses((status = 200, body = PublicCertificate),
        (status = 404, body = crate::api::ErrorBody),
        (status = 429, body = crate::api::ErrorBody)))]
pub async fn api(
    State(app): State<App>,
    Path(number): Path<String>,
) -> Result<Json<PublicCertificate>, WebError> {
    Ok(Json(certificates::lookup_public(&app, &number).await?))
}

/// `GET /status/{partner_code}/{list_id}`: the signed BitstringStatusListCredential.
pub async fn status_list(
    State(app): State<App>,
    Path((partner, list_id)): Path<(String, i64)>,
) -> Result<Response, WebError> {
    let credential = certificates::status_list_credential(&app, &partner, list_id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vc+json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        credential,
    )
        .into_response())
}

/// `GET /issuers/{partner}/did.json`: the DID document of a partner that signs with
/// `did:web` (every key, retired ones too); 404 for a partner that signs with `did:key`.
pub async fn did_document(
    State(app): State<App>,
    Path(partner): Path<String>,
) -> Result<Response, WebError> {
    let document = certificates::keys::did_web_document(app.store.conn(), &partner)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("DID document of {partner}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/did+json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        document.to_string(),
    )
        .into_response())
}

/// The OpenAPI description of the public JSON route (served by [`routes`], outside the
/// signed-in API router).
#[derive(utoipa::OpenApi)]
#[openapi(paths(api))]
pub struct PublicApi;

/// The public routes (verification, status lists, the holder's copy), rate-limited.
pub fn routes(limiter: Arc<RateLimiter>) -> Router<App> {
    Router::new()
        .route("/verify", get(form))
        .route("/verify/{number}", get(by_number))
        .route("/api/public/certificates/{number}", get(api))
        .route("/status/{partner}/{list_id}", get(status_list))
        .route("/issuers/{partner}/did.json", get(did_document))
        .route("/unduh", get(crate::holder_copy::form))
        .route("/unduh/{code}", get(crate::holder_copy::show))
        .route("/unduh/{code}/sertifikat.pdf", get(crate::holder_copy::pdf))
        .route(
            "/unduh/{code}/sertifikat.json",
            get(crate::holder_copy::credential),
        )
        .route_layer(middleware::from_fn_with_state(limiter, limit))
}
