//! Importing inmates from an SDP export in the browser: upload (`GET /imports`), a preview
//! that changes nothing (`POST /imports/preview`: counts and every rejected cell with row,
//! column, value and reason), confirmation (`POST /imports/confirm`) and the error report to
//! fix and re-import (`POST /imports/errors.csv`). The server keeps nothing between steps
//! (any server of several may answer the next one): the preview carries the file back in a
//! hidden field, and confirming re-reads it with the same checks.

use crate::WebError;
use crate::i18n::{Lang, Tr};
use crate::page::{Chrome, Page, PageError, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bekal_app::facilities::{self, FacilityView};
use bekal_app::import::{self, ImportErrorView, ImportRequest, ImportSummary};
use bekal_app::{App, AppError, Permission};
use serde::Deserialize;

/// Largest file accepted from the browser (an SDP export of a large facility is a few MB).
pub const UPLOAD_LIMIT_BYTES: usize = 20 * 1024 * 1024;

/// Rejected cells shown on the page (all of them are in the downloadable report).
const ERRORS_SHOWN: usize = 200;

#[derive(Template, WebTemplate)]
#[template(path = "imports/upload.html")]
pub struct UploadPage {
    chrome: Chrome,
    tr: Tr,
    facilities: Vec<FacilityView>,
    facility: String,
    error: Option<String>,
}

async fn upload_page(
    app: &App,
    page: &Page,
    error: Option<String>,
) -> Result<UploadPage, WebError> {
    page.actor()
        .authorise(Permission::WriteInmates, page.own_facility())
        .map_err(WebError::from)?;
    let all = facilities::list(app, page.actor()).await?;
    let (facilities, facility) = match page.own_facility() {
        Some(own) => (
            Vec::new(),
            all.iter()
                .find(|f| f.id == own)
                .map(|f| f.code.clone())
                .unwrap_or_default(),
        ),
        None => (all, String::new()),
    };
    Ok(UploadPage {
        chrome: page.chrome(Section::Imports),
        tr: page.tr,
        facilities,
        facility,
        error,
    })
}

/// `GET /imports`
pub async fn upload(State(app): State<App>, page: Page) -> Result<UploadPage, WebError> {
    upload_page(&app, &page, None).await
}

#[derive(Template, WebTemplate)]
#[template(path = "imports/preview.html")]
pub struct PreviewPage {
    chrome: Chrome,
    tr: Tr,
    facility: String,
    file_name: String,
    file_b64: String,
    summary: ImportSummary,
    /// True once the import has been written.
    done: bool,
}

impl PreviewPage {
    fn shown_errors(&self) -> &[ImportErrorView] {
        &self.summary.errors[..self.summary.errors.len().min(ERRORS_SHOWN)]
    }

    fn more_errors(&self) -> usize {
        self.summary.errors.len().saturating_sub(ERRORS_SHOWN)
    }

    fn reason<'a>(&self, error: &'a ImportErrorView) -> &'a str {
        match self.tr.lang {
            Lang::Id if !error.reason_id.is_empty() => &error.reason_id,
            _ => &error.reason,
        }
    }
}

/// The fields of the upload form.
struct Upload {
    csrf_token: String,
    facility: String,
    file_name: String,
    bytes: Vec<u8>,
}

async fn read_upload(mut multipart: Multipart) -> Result<Upload, AppError> {
    let mut upload = Upload {
        csrf_token: String::new(),
        facility: String::new(),
        file_name: String::new(),
        bytes: Vec::new(),
    };
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            AppError::invalid(
                "file",
                format!(
                    "the file is larger than {} MB: split it and import the parts",
                    UPLOAD_LIMIT_BYTES / (1024 * 1024)
                ),
            )
        } else {
            AppError::invalid("file", e.body_text())
        }
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "csrf_token" => upload.csrf_token = field.text().await.map_err(bad)?,
            "facility" => upload.facility = field.text().await.map_err(bad)?.trim().to_owned(),
            "file" => {
                upload.file_name = field.file_name().unwrap_or("upload").to_owned();
                upload.bytes = field.bytes().await.map_err(bad)?.to_vec();
            }
            _ => {}
        }
    }
    Ok(upload)
}

async fn run(
    app: &App,
    page: &Page,
    facility: &str,
    file_name: &str,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportSummary, AppError> {
    let request = ImportRequest {
        facility_code: facility.to_owned(),
        file_name: file_name.to_owned(),
        dry_run,
        mapping: None,
    };
    import::import_inmates(app, page.actor(), &request, bytes, |_| {}).await
}

/// `POST /imports/preview` (multipart): checks every row, writes nothing.
pub async fn preview(
    State(app): State<App>,
    page: Page,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let upload = read_upload(multipart).await.map_err(WebError::from)?;
    page.check_csrf(&upload.csrf_token)?;
    if upload.bytes.is_empty() {
        let view = upload_page(&app, &page, Some(page.tr.t("import-no-file"))).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response());
    }
    let summary = match run(
        &app,
        &page,
        &upload.facility,
        &upload.file_name,
        &upload.bytes,
        true,
    )
    .await
    {
        Ok(summary) => summary,
        Err(AppError::Invalid { message, .. }) => {
            let view = upload_page(&app, &page, Some(message)).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response());
        }
        Err(other) => return Err(WebError::from(other).into()),
    };
    Ok(PreviewPage {
        chrome: page.chrome(Section::Imports),
        tr: page.tr,
        facility: upload.facility,
        file_name: upload.file_name,
        file_b64: STANDARD.encode(&upload.bytes),
        summary,
        done: false,
    }
    .into_response())
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    csrf_token: String,
    facility: String,
    file_name: String,
    file_b64: String,
}

fn decode(form: &ConfirmForm) -> Result<Vec<u8>, AppError> {
    STANDARD.decode(form.file_b64.trim()).map_err(|_| {
        AppError::invalid("file", "the file did not come back intact: upload it again")
    })
}

/// `POST /imports/confirm`: imports the previewed file (good rows in, bad rows reported).
pub async fn confirm(
    State(app): State<App>,
    page: Page,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let bytes = decode(&form).map_err(WebError::from)?;
    let summary = run(&app, &page, &form.facility, &form.file_name, &bytes, false)
        .await
        .map_err(WebError::from)?;
    Ok(PreviewPage {
        chrome: page.chrome(Section::Imports),
        tr: page.tr,
        facility: form.facility,
        file_name: form.file_name,
        file_b64: form.file_b64,
        summary,
        done: true,
    }
    .into_response())
}

/// `POST /imports/errors.csv`: the rejected rows with their reasons, to fix and re-import.
pub async fn errors_csv(
    State(app): State<App>,
    page: Page,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let bytes = decode(&form).map_err(WebError::from)?;
    let summary = run(&app, &page, &form.facility, &form.file_name, &bytes, true)
        .await
        .map_err(WebError::from)?;
    let csv = summary.report.to_csv().map_err(WebError::from)?;
    let mut response = (StatusCode::OK, csv).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"kesalahan-impor.csv\""),
    );
    Ok(response)
}
