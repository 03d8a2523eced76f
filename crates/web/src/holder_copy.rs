//! The holder's own copy, no sign-in (issue 7, item 8): `GET /unduh` (a form for the code on
//! the slip), `GET /unduh/{code}` (status, holder, program, issuer and the two downloads),
//! `GET /unduh/{code}/sertifikat.pdf` and `GET /unduh/{code}/sertifikat.json` (the signed
//! Open Badges 3.0 credential, for any wallet). Rate-limited with the verification routes;
//! every answer is `Cache-Control: private, no-store` and `X-Robots-Tag: noindex`. A revoked
//! certificate shows its status and serves no file (410). The page shows what the public
//! verification page shows and nothing about a facility.

use crate::WebError;
use crate::auth::WebSettings;
use crate::i18n::{Lang, Tr};
use crate::page::{Chrome, public_chrome};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::certificates::holder::{self, HolderCopy};
use bekal_app::certificates::number::file_safe;
use bekal_app::certificates::print::batch_pdf;
use bekal_app::{App, AppError};
use serde::Deserialize;

/// Where the verification URL printed on certificates points when the server has no
/// certificate settings (the same fallback as the class batch PDF).
pub const FALLBACK_PUBLIC_URL: &str = "https://verify.bekal.example";

/// The public base URL of this deployment.
pub fn public_base(settings: &WebSettings) -> &str {
    settings
        .certificates
        .as_ref()
        .map_or(FALLBACK_PUBLIC_URL, |c| c.public_base_url.as_str())
}

#[derive(Template, WebTemplate)]
#[template(path = "holder/copy.html")]
pub struct CopyPage {
    chrome: Chrome,
    tr: Tr,
    typed: String,
    copy: Option<HolderCopy>,
    /// The code in its canonical form (for the download links).
    code: String,
    not_found: bool,
}

impl CopyPage {
    fn status_key(&self, copy: &HolderCopy) -> &'static str {
        match copy.public.status.as_str() {
            "valid" => "verify-status-valid",
            "revoked" => "verify-status-revoked",
            "expired" => "verify-status-expired",
            _ => "verify-status-invalid",
        }
    }

    fn downloadable(&self, copy: &HolderCopy) -> bool {
        downloadable(copy)
    }

    fn works_until(&self, copy: &HolderCopy) -> String {
        self.tr.t1(
            "holder-valid-until",
            "date",
            self.tr.date(
                &copy
                    .expires_at
                    .with_timezone(&bekal_domain::clock::wib())
                    .date_naive(),
            ),
        )
    }
}

fn downloadable(copy: &HolderCopy) -> bool {
    copy.public.status != "revoked"
}

fn private(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.insert(
        HeaderName::from_static("x-robots-tag"),
        HeaderValue::from_static("noindex"),
    );
    response
}

fn page(lang: Lang, typed: String, found: Option<(String, HolderCopy)>) -> CopyPage {
    let tr = lang.tr();
    let not_found = found.is_none() && !typed.is_empty();
    let (code, copy) = found.map_or((String::new(), None), |(c, copy)| (c, Some(copy)));
    CopyPage {
        // The language links keep the code out of the address (it is on the slip).
        chrome: public_chrome(tr, "/unduh"),
        tr,
        typed,
        copy,
        code,
        not_found,
    }
}

#[derive(Debug, Deserialize)]
pub struct CodeQuery {
    #[serde(default)]
    kode: Option<String>,
}

/// `GET /unduh[?kode=...]`: the form; a typed code goes to its page.
pub async fn form(lang: Lang, Query(query): Query<CodeQuery>) -> Response {
    let typed = query.kode.unwrap_or_default().trim().to_owned();
    if typed.is_empty() {
        return private(page(lang, typed, None).into_response());
    }
    match holder::normalise(&typed) {
        Some(code) => private(Redirect::to(&format!("/unduh/{code}")).into_response()),
        None => private((StatusCode::NOT_FOUND, page(lang, typed, None)).into_response()),
    }
}

async fn open(app: &App, code: &str) -> Result<Option<(String, HolderCopy)>, WebError> {
    match holder::open_link(app, code).await {
        Ok(copy) => Ok(holder::normalise(code).map(|c| (c, copy))),
        Err(AppError::NotFound(_)) => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// `GET /unduh/{code}`
pub async fn show(
    State(app): State<App>,
    lang: Lang,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let found = open(&app, &code).await?;
    let status = if found.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let typed = if found.is_some() { String::new() } else { code };
    Ok(private((status, page(lang, typed, found)).into_response()))
}

fn attachment(body: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    private(response)
}

/// The copy behind a code for a download: 404 for an unknown code, 410 with the page (which
/// says it is revoked) for a revoked certificate.
async fn for_download(app: &App, lang: Lang, code: &str) -> Result<HolderCopy, Response> {
    let found = open(app, code).await.map_err(IntoResponse::into_response)?;
    let Some((canonical, copy)) = found else {
        return Err(private(
            (StatusCode::NOT_FOUND, page(lang, code.to_owned(), None)).into_response(),
        ));
    };
    if !downloadable(&copy) {
        return Err(private(
            (
                StatusCode::GONE,
                page(lang, String::new(), Some((canonical, copy))),
            )
                .into_response(),
        ));
    }
    Ok(copy)
}

/// `GET /unduh/{code}/sertifikat.pdf`: the certificate and its transcript, as printed.
pub async fn pdf(
    State(app): State<App>,
    Extension(settings): Extension<WebSettings>,
    lang: Lang,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    let copy = match for_download(&app, lang, &code).await {
        Ok(copy) => copy,
        Err(response) => return Ok(response),
    };
    let pdf = batch_pdf(
        std::slice::from_ref(&copy.certificate),
        public_base(&settings),
    )?;
    Ok(attachment(
        pdf,
        "application/pdf",
        &format!("{}.pdf", file_safe(&copy.certificate.number)),
    ))
}

/// `GET /unduh/{code}/sertifikat.json`: the signed credential, byte for byte as issued.
pub async fn credential(State(app): State<App>, lang: Lang, Path(code): Path<String>) -> Response {
    match for_download(&app, lang, &code).await {
        Ok(copy) => attachment(
            copy.certificate.credential.into_bytes(),
            "application/json",
            &format!("{}.json", file_safe(&copy.certificate.number)),
        ),
        Err(response) => response,
    }
}
