//! Certificate pages of a class: the list with status (`GET /classes/{id}/certificates`),
//! issuing the batch with a confirmation step (`POST` to the same path), the printable PDF of
//! the batch (`GET /classes/{id}/certificates.pdf`) and revocation with a reason and a
//! confirmation (`GET|POST /certificates/revoke`). Certificates are the partner's: the PDF
//! and the public page show nothing about the facility.

use crate::WebError;
use crate::auth::WebSettings;
use crate::i18n::Tr;
use crate::page::{Chrome, Page, PageError, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::certificates::{self, BatchReport, ExportedCertificate, number::file_safe};
use bekal_app::classes::{self, ClassSummary};
use bekal_app::{App, AppError};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "certificates/class.html")]
pub struct ClassCertificatesPage {
    chrome: Chrome,
    tr: Tr,
    class: ClassSummary,
    certificates: Vec<ExportedCertificate>,
    may_issue: bool,
    confirming: bool,
    report: Option<BatchReport>,
}

impl ClassCertificatesPage {
    fn revoke_href(&self, c: &ExportedCertificate) -> String {
        format!(
            "/certificates/revoke?number={}",
            c.number.replace('/', "%2F")
        )
    }

    fn verify_href(&self, c: &ExportedCertificate) -> String {
        format!("/verify?number={}", c.number.replace('/', "%2F"))
    }
}

async fn class_page(
    app: &App,
    page: &Page,
    settings: &WebSettings,
    class_id: i64,
) -> Result<ClassCertificatesPage, WebError> {
    let detail = classes::detail(app, page.actor(), class_id).await?;
    let may = classes::permissions(app, page.actor(), class_id).await?;
    Ok(ClassCertificatesPage {
        chrome: page.chrome(Section::Classes),
        tr: page.tr,
        certificates: certificates::print::for_class(app, page.actor(), class_id).await?,
        may_issue: may.issue_certificates && settings.certificates.is_some(),
        class: detail.class,
        confirming: false,
        report: None,
    })
}

/// `GET /classes/{id}/certificates`
pub async fn class_list(
    State(app): State<App>,
    Extension(settings): Extension<WebSettings>,
    page: Page,
    Path(class_id): Path<i64>,
) -> Result<ClassCertificatesPage, WebError> {
    class_page(&app, &page, &settings, class_id).await
}

#[derive(Debug, Deserialize)]
pub struct IssueForm {
    csrf_token: String,
    #[serde(default)]
    confirmed: Option<String>,
}

/// `POST /classes/{id}/certificates`: confirm, then issue (trainees who have not completed
/// are listed with the reason).
pub async fn issue(
    State(app): State<App>,
    Extension(settings): Extension<WebSettings>,
    page: Page,
    Path(class_id): Path<i64>,
    Form(form): Form<IssueForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let mut view = class_page(&app, &page, &settings, class_id).await?;
    let Some(config) = settings.certificates.as_ref() else {
        return Err(WebError::from(AppError::Conflict(
            "this server has no certificate settings".into(),
        ))
        .into());
    };
    if form.confirmed.is_none() {
        view.confirming = true;
        return Ok(view.into_response());
    }
    let report = certificates::issue_class(&app, page.actor(), config, class_id)
        .await
        .map_err(WebError::from)?;
    view.certificates = certificates::print::for_class(&app, page.actor(), class_id)
        .await
        .map_err(WebError::from)?;
    view.report = Some(report);
    Ok(view.into_response())
}

/// `GET /classes/{id}/certificates.pdf`: every certificate of the class, for printing.
pub async fn class_pdf(
    State(app): State<App>,
    Extension(settings): Extension<WebSettings>,
    page: Page,
    Path(class_id): Path<i64>,
) -> Result<Response, WebError> {
    let detail = classes::detail(&app, page.actor(), class_id).await?;
    let base = settings
        .certificates
        .as_ref()
        .map_or("https://verify.bekal.example", |c| {
            c.public_base_url.as_str()
        });
    let pdf = certificates::print::class_pdf(&app, page.actor(), class_id, base)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("certificates of class {class_id}")))?;
    let disposition = format!(
        "attachment; filename=\"sertifikat-{}.pdf\"",
        file_safe(&detail.class.code)
    );
    let mut response = (StatusCode::OK, pdf).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

#[derive(Debug, Deserialize, Default)]
pub struct RevokeQuery {
    #[serde(default)]
    number: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "certificates/revoke.html")]
pub struct RevokePage {
    chrome: Chrome,
    tr: Tr,
    number: String,
    reason: String,
    error: Option<&'static str>,
    confirming: bool,
}

/// `GET /certificates/revoke?number=...`
pub async fn revoke_form(
    page: Page,
    Query(query): Query<RevokeQuery>,
) -> Result<RevokePage, WebError> {
    bekal_app::certificates::authorise_any_partner(
        page.actor(),
        bekal_app::Permission::RevokeCertificates,
    )?;
    Ok(RevokePage {
        chrome: page.chrome(Section::Classes),
        tr: page.tr,
        number: query.number.trim().to_owned(),
        reason: String::new(),
        error: None,
        confirming: false,
    })
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    csrf_token: String,
    number: String,
    reason: String,
    #[serde(default)]
    confirmed: Option<String>,
}

/// `POST /certificates/revoke`: a reason is required, then a confirmation; revoking is final.
pub async fn revoke(
    State(app): State<App>,
    Extension(settings): Extension<WebSettings>,
    page: Page,
    Form(form): Form<RevokeForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let mut view = RevokePage {
        chrome: page.chrome(Section::Classes),
        tr: page.tr,
        number: form.number.trim().to_owned(),
        reason: form.reason.trim().to_owned(),
        error: None,
        confirming: false,
    };
    if view.reason.is_empty() {
        view.error = Some("form-required");
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response());
    }
    if form.confirmed.is_none() {
        view.confirming = true;
        return Ok(view.into_response());
    }
    let Some(config) = settings.certificates.as_ref() else {
        return Err(WebError::from(AppError::Conflict(
            "this server has no certificate settings".into(),
        ))
        .into());
    };
    let revoked = certificates::revoke(&app, page.actor(), config, &view.number, &view.reason)
        .await
        .map_err(WebError::from)?;
    let class_id = classes::class_of_enrolment(&app, page.actor(), revoked.enrolment_id)
        .await
        .map_err(WebError::from)?;
    Ok(Redirect::to(&format!(
        "/classes/{class_id}/certificates?notice=certificate-revoked"
    ))
    .into_response())
}
