//! The inmate registry pages: the searchable list of a facility's inmates (`GET /inmates`)
//! and one inmate's profile with assessments, enrolments and why the plan selected them or
//! not (`GET /inmates/{id}`), where a program officer records a release, transfer or death
//! (`POST /inmates/{id}/custody`). Every view is audited by `bekal_app::registry`; national
//! users first pick a facility.

use crate::WebError;
use crate::i18n::{Lang, Tr};
use crate::page::{Chrome, Page, PageError, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::AppError;
use bekal_app::custody::{self, CustodyChange};
use bekal_app::facilities::FacilityView;
use bekal_app::registry::{self, InmateList, InmateProfile};
use bekal_app::selection::Reason;
use bekal_app::{App, Permission};
use bekal_domain::status::CustodyStatus;
use chrono::NaiveDate;
use serde::Deserialize;

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<u64>,
    #[serde(default)]
    facility: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "inmates/list.html")]
pub struct ListPage {
    chrome: Chrome,
    tr: Tr,
    /// Facilities to choose from (national users).
    facilities: Vec<FacilityView>,
    facility: String,
    list: Option<InmateList>,
}

impl ListPage {
    /// The link to another page of the same search.
    fn page_href(&self, page: &u64) -> String {
        let query = self.list.as_ref().map(|l| l.query.as_str()).unwrap_or("");
        let mut href = format!("/inmates?page={page}&q={}", urlencode(query));
        if !self.facility.is_empty() {
            href.push_str(&format!("&facility={}", urlencode(&self.facility)));
        }
        href
    }

    fn previous(&self) -> Option<u64> {
        self.list
            .as_ref()
            .filter(|l| l.page > 1)
            .map(|l| l.page - 1)
    }

    fn next(&self) -> Option<u64> {
        self.list
            .as_ref()
            .filter(|l| l.page < l.pages)
            .map(|l| l.page + 1)
    }
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `GET /inmates`
pub async fn list(
    State(app): State<App>,
    page: Page,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, WebError> {
    // Only those who may read a registry get a page (and the facility picker) at all.
    page.actor()
        .authorise(Permission::ReadInmates, page.own_facility())
        .map_err(WebError::from)?;
    let (facilities, facility_id, facility) =
        super::choose_facility(&app, &page, query.facility.as_deref()).await?;
    let list = match facility_id {
        Some(id) => {
            Some(registry::search(&app, page.actor(), id, &query.q, query.page.unwrap_or(1)).await?)
        }
        None => None,
    };
    Ok(ListPage {
        chrome: page.chrome(Section::Inmates),
        tr: page.tr,
        facilities,
        facility,
        list,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "inmates/profile.html")]
pub struct ProfilePage {
    chrome: Chrome,
    tr: Tr,
    inmate: InmateProfile,
    /// The custody form is shown (program officers of the facility, while in custody).
    can_record_custody: bool,
    form: CustodyForm,
    /// A refused custody change: field and message.
    error: Option<(String, String)>,
}

/// The custody change form (`POST /inmates/{id}/custody`).
#[derive(Debug, Deserialize, Default)]
pub struct CustodyForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub effective_on: String,
    #[serde(default)]
    pub reason: String,
}

impl ProfilePage {
    /// A selection reason in the reader's language.
    fn reason_text<'a>(&self, reason: &'a Reason) -> &'a str {
        match self.tr.lang {
            Lang::En => &reason.en,
            Lang::Id => &reason.id,
        }
    }

    /// The package of the selection round to jump to: the one selected for, else the first
    /// assessed.
    fn selection_package(&self) -> &str {
        self.inmate
            .selection
            .as_ref()
            .and_then(|s| s.package.as_deref())
            .or_else(|| self.inmate.assessments.first().map(|a| a.package.as_str()))
            .unwrap_or_default()
    }
}

/// `GET /inmates/{id}`
pub async fn profile(
    State(app): State<App>,
    page: Page,
    Path(id): Path<i64>,
) -> Result<ProfilePage, WebError> {
    let form = CustodyForm {
        kind: "released".into(),
        effective_on: app.clock.today().to_string(),
        ..Default::default()
    };
    profile_page(&app, page, id, form, None).await
}

async fn profile_page(
    app: &App,
    page: Page,
    id: i64,
    form: CustodyForm,
    error: Option<(String, String)>,
) -> Result<ProfilePage, WebError> {
    let inmate = registry::profile(app, page.actor(), id).await?;
    let can_record_custody = inmate.custody_status == "in_custody"
        && page
            .actor()
            .authorise(Permission::WriteInmates, Some(inmate.facility_id))
            .is_ok();
    Ok(ProfilePage {
        chrome: page.chrome(Section::Inmates),
        tr: page.tr,
        inmate,
        can_record_custody,
        form,
        error,
    })
}

/// `POST /inmates/{id}/custody`: records a release, transfer or death; a refused change is
/// shown at its field with what was typed kept.
pub async fn record_custody(
    State(app): State<App>,
    page: Page,
    Path(id): Path<i64>,
    Form(form): Form<CustodyForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let parsed = parse_custody(id, &form);
    let outcome = match parsed {
        Ok(change) => custody::record(&app, page.actor(), change).await,
        Err(err) => Err(err),
    };
    let (status, error) = match outcome {
        Ok(_) => {
            return Ok(
                Redirect::to(&format!("/inmates/{id}?notice=custody-recorded")).into_response(),
            );
        }
        Err(AppError::Invalid { field, message }) => {
            (StatusCode::UNPROCESSABLE_ENTITY, (field, message))
        }
        Err(AppError::Conflict(message)) => (StatusCode::CONFLICT, ("kind".to_owned(), message)),
        Err(other) => return Err(WebError::from(other).into()),
    };
    let page = profile_page(&app, page, id, form, Some(error)).await?;
    Ok((status, page).into_response())
}

/// `GET /inmates/{id}/data.json`: the subject-access export (everything about the person),
/// downloaded as a file; audited by the service.
pub async fn export_data(
    State(app): State<App>,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let document = bekal_app::subject_access::export(&app, page.actor(), id).await?;
    let text = serde_json::to_string_pretty(&document)
        .map_err(|e| AppError::Internal(format!("export: {e}")))?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"data-pribadi-{id}.json\""),
            ),
            (
                axum::http::header::CACHE_CONTROL,
                "private, no-store".to_owned(),
            ),
        ],
        text,
    )
        .into_response())
}

fn parse_custody(id: i64, form: &CustodyForm) -> Result<CustodyChange, AppError> {
    let kind: CustodyStatus = form
        .kind
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("kind", "choose one"))?;
    let effective_on = NaiveDate::parse_from_str(form.effective_on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("effective_on", "a date as YYYY-MM-DD"))?;
    Ok(CustodyChange {
        inmate_id: id,
        kind,
        effective_on,
        reason: Some(form.reason.clone()),
    })
}
