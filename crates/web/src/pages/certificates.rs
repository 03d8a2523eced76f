//! Certificate pages of a class: the list with status (`GET /classes/{id}/certificates`),
//! issuing the batch with a confirmation step (`POST` to the same path), the printable PDF of
//! the batch (`GET /classes/{id}/certificates.pdf`) and revocation with a reason and a
//! confirmation (`GET|POST /certificates/revoke`), and the holder's download code: making
//! one shows the printable slip once (`POST /certificates/holder-link`), withdrawing one
//! (`POST /certificates/holder-link/withdraw`). Certificates are the partner's: the PDF, the
//! slip and the public pages show nothing about the facility.

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
use bekal_app::certificates::holder::{self, LinkState, NewHolderLink};
use bekal_app::certificates::{self, BatchReport, ExportedCertificate, number::file_safe};
use bekal_app::classes::{self, ClassSummary};
use bekal_app::{App, AppError};
use serde::Deserialize;
use std::collections::HashMap;

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
    may_hand_over: bool,
    /// The working download code of each certificate, by certificate id.
    links: HashMap<i64, LinkState>,
    /// The key of this page's code forms: sent twice, it is refused (a reloaded slip).
    request_key: String,
}

impl ClassCertificatesPage {
    fn link_of(&self, c: &ExportedCertificate) -> Option<&LinkState> {
        self.links.get(&c.id)
    }

    fn link_since(&self, link: &LinkState) -> String {
        self.tr.t1(
            "certs-link-since",
            "date",
            self.tr.date(&local_day(link.created_at)),
        )
    }

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
    let list = certificates::print::for_class(app, page.actor(), class_id).await?;
    Ok(ClassCertificatesPage {
        chrome: page.chrome(Section::Classes),
        tr: page.tr,
        links: holder::link_states(app, &list).await?,
        certificates: list,
        may_issue: may.issue_certificates && settings.certificates.is_some(),
        may_hand_over: holder::may_hand_over_class(app, page.actor(), class_id).await?,
        request_key: holder::new_request_key()?,
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
    view.links = holder::link_states(&app, &view.certificates)
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
    let base = crate::holder_copy::public_base(&settings);
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
    // As the form itself: only partner staff and national administrators get as far as the
    // confirmation step (found by the write matrix: everyone signed in was shown it).
    certificates::authorise_any_partner(page.actor(), bekal_app::Permission::RevokeCertificates)
        .map_err(WebError::from)?;
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

/// The day of an instant in Indonesia (WIB), as people read a date.
fn local_day(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    at.with_timezone(&bekal_domain::clock::wib()).date_naive()
}

#[derive(Debug, Deserialize)]
pub struct HolderLinkForm {
    csrf_token: String,
    number: String,
    /// The class page's form key (absent on the withdraw form).
    #[serde(default)]
    request_key: Option<String>,
    /// The class page to go back to.
    #[serde(default)]
    class_id: Option<i64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "certificates/handover.html")]
pub struct HandoverPage {
    chrome: Chrome,
    tr: Tr,
    link: NewHolderLink,
    /// Where the holder types the code (`<base>/unduh`).
    address: String,
    /// The code's own address, which the QR code carries.
    full_address: String,
    /// The QR code as inline SVG (made here, escaped).
    qr: String,
    class_id: Option<i64>,
}

impl HandoverPage {
    fn grouped(&self) -> String {
        holder::grouped(&self.link.code)
    }

    fn works_until(&self) -> String {
        self.tr.t1(
            "holder-valid-until",
            "date",
            self.tr.date(&local_day(self.link.expires_at)),
        )
    }
}

/// `POST /certificates/holder-link`: makes the holder's download code (withdrawing an earlier
/// one) and shows the slip to print. The code is shown this once and never stored.
pub async fn holder_link(
    State(app): State<App>,
    Extension(settings): Extension<WebSettings>,
    page: Page,
    Form(form): Form<HolderLinkForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let link = holder::create_link(
        &app,
        page.actor(),
        &form.number,
        form.request_key.as_deref(),
    )
    .await
    .map_err(WebError::from)?;
    let base = crate::holder_copy::public_base(&settings).trim_end_matches('/');
    let full_address = format!("{base}/unduh/{}", link.code);
    let qr = bekal_documents::qr_svg(&full_address, &page.tr.t("handover-qr-label"))
        .map_err(|e| WebError::from(AppError::Internal(format!("qr: {e}"))))?;
    let view = HandoverPage {
        chrome: page.chrome(Section::Classes),
        tr: page.tr,
        address: format!("{base}/unduh"),
        full_address,
        qr,
        class_id: form.class_id,
        link,
    };
    let mut response = view.into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

/// `GET /certificates/holder-link` (a language link or a bookmark of the slip, which was a
/// form's answer): back to the classes; the code is never shown twice.
pub async fn holder_link_again(_signed_in: Page) -> Response {
    Redirect::to("/classes").into_response()
}

/// `POST /certificates/holder-link/withdraw`: the code stops working at once.
pub async fn withdraw_holder_link(
    State(app): State<App>,
    page: Page,
    Form(form): Form<HolderLinkForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    holder::withdraw_link(&app, page.actor(), &form.number)
        .await
        .map_err(WebError::from)?;
    let target = match form.class_id {
        Some(id) => format!("/classes/{id}/certificates?notice=holder-link-withdrawn"),
        None => "/classes?notice=holder-link-withdrawn".to_owned(),
    };
    Ok(Redirect::to(&target).into_response())
}
