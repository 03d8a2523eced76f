//! The holiday calendar of one year (`GET /admin/holidays?facility=CODE&year=YYYY`): the
//! national holidays and a facility's own days. National administrators keep the national
//! days (no facility chosen) or any facility's own; a program officer keeps their facility's
//! own and sees the national ones. Adding (`POST /admin/holidays`) and removing
//! (`POST /admin/holidays/{id}/delete`) go back to the same year.

use super::{error_for, other_error};
use crate::WebError;
use crate::i18n::Tr;
use crate::page::{Chrome, Page, PageError, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::facilities::{self, FacilityView};
use bekal_app::holidays::{self, HolidayView, NewHoliday};
use bekal_app::{App, AppError, Permission};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// The message key of a holiday kind (an unknown kind from a loaded CSV gets a generic key).
pub fn kind_key(kind: &str) -> &'static str {
    match kind {
        "national" => "admin-holiday-kind-national",
        "cuti_bersama" => "admin-holiday-kind-cuti_bersama",
        "local" => "admin-holiday-kind-local",
        _ => "status-unknown",
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct CalendarQuery {
    #[serde(default)]
    facility: String,
    year: Option<i32>,
}

#[derive(Debug, Deserialize, Default)]
pub struct AddForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    facility: String,
    #[serde(default)]
    year: i32,
    #[serde(default)]
    date: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct RemoveForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    facility: String,
    #[serde(default)]
    year: i32,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/holidays.html")]
pub struct CalendarPage {
    chrome: Chrome,
    tr: Tr,
    /// Facilities to choose from (national administrators only).
    facilities: Vec<FacilityView>,
    /// The chosen facility's code (empty: the national calendar).
    facility: String,
    year: i32,
    days: Vec<HolidayView>,
    /// Whether the caller may add and remove days here (national days when no facility is
    /// chosen, else the facility's own).
    may_edit: bool,
    form: AddForm,
    error: Option<(String, String)>,
}

impl CalendarPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.error, field)
    }

    fn other_error(&self) -> Option<&str> {
        other_error(&self.error, &["date", "name", "kind"])
    }

    /// Whether this day can be removed from here.
    fn removable(&self, day: &HolidayView) -> bool {
        // Local days belong to the chosen facility, national ones to the national calendar.
        self.may_edit && day.local != self.facility.is_empty()
    }

    fn year_href(&self, year: i32) -> String {
        format!("/admin/holidays?facility={}&year={year}", self.facility)
    }
}

/// The facility the page works on: a facility user's own (whatever was asked), or the one a
/// national user chose by code (`None`: the national calendar). Returns (choices, id, code).
async fn scope(
    app: &App,
    page: &Page,
    chosen: &str,
) -> Result<(Vec<FacilityView>, Option<i64>, String), WebError> {
    if let Some(own) = page.own_facility() {
        let all = facilities::list(app, page.actor()).await?;
        let code = all
            .iter()
            .find(|f| f.id == own)
            .map(|f| f.code.clone())
            .unwrap_or_default();
        return Ok((Vec::new(), Some(own), code));
    }
    // Without a facility of their own, only national administrators work here.
    page.actor().authorise(Permission::ManageCatalogue, None)?;
    let chosen = chosen.trim();
    let all = facilities::list(app, page.actor()).await?;
    if chosen.is_empty() {
        return Ok((all, None, String::new()));
    }
    let facility = facilities::get_by_code(app, page.actor(), chosen).await?;
    Ok((all, Some(facility.id), facility.code))
}

async fn calendar_page(
    app: &App,
    page: &Page,
    chosen: &str,
    year: i32,
    form: AddForm,
    error: Option<(String, String)>,
) -> Result<CalendarPage, WebError> {
    let (choices, facility_id, code) = scope(app, page, chosen).await?;
    let days = holidays::calendar(app, page.actor(), facility_id, year).await?;
    let may_edit = match facility_id {
        None => page.actor().authorise(Permission::ManageCatalogue, None),
        Some(id) => page
            .actor()
            .authorise(Permission::ManageFacilitySetup, Some(id)),
    }
    .is_ok();
    Ok(CalendarPage {
        chrome: page.chrome(Section::Admin),
        tr: page.tr,
        facilities: choices,
        facility: code,
        year,
        days,
        may_edit,
        form,
        error,
    })
}

fn checked_year(year: i32) -> Result<i32, AppError> {
    if (2000..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(AppError::invalid("year", "a year between 2000 and 2100"))
    }
}

/// `GET /admin/holidays`
pub async fn calendar(
    State(app): State<App>,
    page: Page,
    Query(query): Query<CalendarQuery>,
) -> Result<CalendarPage, WebError> {
    let year = checked_year(query.year.unwrap_or_else(|| app.clock.today().year()))?;
    let form = AddForm {
        kind: "national".into(),
        ..Default::default()
    };
    calendar_page(&app, &page, &query.facility, year, form, None).await
}

fn back_to(facility: &str, year: i32, notice: &str) -> Response {
    Redirect::to(&format!(
        "/admin/holidays?facility={facility}&year={year}&notice={notice}"
    ))
    .into_response()
}

/// `POST /admin/holidays`
pub async fn add(
    State(app): State<App>,
    page: Page,
    Form(form): Form<AddForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let year = checked_year(form.year).map_err(WebError::from)?;
    let (_, facility_id, code) = scope(&app, &page, &form.facility).await?;
    let outcome = match NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d") {
        Ok(date) => {
            let new = NewHoliday {
                date,
                name: form.name.clone(),
                kind: form.kind.clone(),
            };
            holidays::add(&app, page.actor(), facility_id, new).await
        }
        Err(_) => Err(AppError::invalid("date", "a date as YYYY-MM-DD")),
    };
    match outcome {
        Ok(_) => Ok(back_to(&code, year, "holiday-added")),
        Err(AppError::Invalid { field, message }) => {
            let shown =
                calendar_page(&app, &page, &code, year, form, Some((field, message))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, shown).into_response())
        }
        Err(other) => Err(WebError::from(other).into()),
    }
}

/// `POST /admin/holidays/{id}/delete`
pub async fn remove(
    State(app): State<App>,
    page: Page,
    Path(id): Path<i64>,
    Form(form): Form<RemoveForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let year = checked_year(form.year).map_err(WebError::from)?;
    let (_, facility_id, code) = scope(&app, &page, &form.facility).await?;
    holidays::remove(&app, page.actor(), facility_id, id)
        .await
        .map_err(WebError::from)?;
    Ok(back_to(&code, year, "holiday-removed"))
}
