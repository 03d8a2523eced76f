//! Moving or cancelling one training session (`GET /sessions/{id}/change`, `POST
//! /sessions/{id}/move` with the new date and a reason, `POST /sessions/{id}/cancel` with a
//! reason), for program officers, before the session has a sheet. The class's end date
//! follows its last session. A refused rule (not a working day, a day already taken, a
//! session already held) is shown on the same page with what was typed kept.

use crate::WebError;
use crate::i18n::Tr;
use crate::page::{Chrome, Page, PageError, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::delivery::sessions::{self, SessionView};
use bekal_app::{App, AppError};
use chrono::NaiveDate;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "classes/session_change.html")]
pub struct ChangePage {
    chrome: Chrome,
    tr: Tr,
    session: SessionView,
    class_code: String,
    form: ChangeForm,
    /// (field, message) of a refused rule; field `conflict` for a state that forbids it.
    error: Option<(String, String)>,
}

impl ChangePage {
    fn error_for(&self, field: &str) -> Option<&str> {
        super::admin::error_for(&self.error, field)
    }

    fn other_error(&self) -> Option<&str> {
        super::admin::other_error(&self.error, &["to_date", "reason"])
    }

    /// Whether the session can still change (no sheet, not held or cancelled).
    fn changeable(&self) -> bool {
        self.session.sheet_version == 0
            && self.session.status != "held"
            && self.session.status != "cancelled"
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct ChangeForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    to_date: String,
    #[serde(default)]
    reason: String,
}

async fn change_page(
    app: &App,
    page: &Page,
    session_id: i64,
    form: ChangeForm,
    error: Option<(String, String)>,
) -> Result<ChangePage, WebError> {
    let (session, class_code) = sessions::session_for_change(app, page.actor(), session_id).await?;
    Ok(ChangePage {
        chrome: page.chrome(Section::Classes),
        tr: page.tr,
        session,
        class_code,
        form,
        error,
    })
}

/// `GET /sessions/{id}/change`
pub async fn form(
    State(app): State<App>,
    page: Page,
    Path(session_id): Path<i64>,
) -> Result<ChangePage, WebError> {
    change_page(&app, &page, session_id, ChangeForm::default(), None).await
}

async fn answer(
    app: &App,
    page: &Page,
    session_id: i64,
    form: ChangeForm,
    outcome: Result<SessionView, AppError>,
    notice: &str,
) -> Result<Response, PageError> {
    let (status, error) = match outcome {
        Ok(view) => {
            return Ok(
                Redirect::to(&format!("/classes/{}?notice={notice}", view.class_id))
                    .into_response(),
            );
        }
        Err(AppError::Invalid { field, message }) => {
            (StatusCode::UNPROCESSABLE_ENTITY, (field, message))
        }
        Err(AppError::Conflict(message)) => (StatusCode::CONFLICT, ("conflict".into(), message)),
        Err(other) => return Err(WebError::from(other).into()),
    };
    let shown = change_page(app, page, session_id, form, Some(error)).await?;
    Ok((status, shown).into_response())
}

/// `POST /sessions/{id}/move`
pub async fn move_to(
    State(app): State<App>,
    page: Page,
    Path(session_id): Path<i64>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let outcome = match NaiveDate::parse_from_str(form.to_date.trim(), "%Y-%m-%d") {
        Ok(to) => sessions::move_session(&app, page.actor(), session_id, to, &form.reason).await,
        Err(_) => Err(AppError::invalid("to_date", "a date as YYYY-MM-DD")),
    };
    answer(&app, &page, session_id, form, outcome, "session-moved").await
}

/// `POST /sessions/{id}/cancel`
pub async fn cancel(
    State(app): State<App>,
    page: Page,
    Path(session_id): Path<i64>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let outcome = sessions::cancel_session(&app, page.actor(), session_id, &form.reason).await;
    answer(&app, &page, session_id, form, outcome, "session-cancelled").await
}
