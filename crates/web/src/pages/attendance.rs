//! The attendance sheet of one session: `GET /sessions/{id}/attendance` shows who is on it
//! (only the enrolled) with a status per trainee, preset to "present" on a sheet nothing was
//! recorded on yet, so the trainer only marks the exceptions; `POST` submits it. Each rendered
//! form carries a fresh idempotency key, so a double click or a resend after a dropped
//! connection never records twice. When someone else saved the sheet meanwhile, the page shows
//! the sheet as it now is beside what this user entered, and nothing is overwritten.
//!
//! `assets/bekal.js` adds the offline queue: the same submission is kept in the browser and
//! sent to `POST /api/sessions/{id}/attendance` when the connection returns.

use crate::i18n::Tr;
use crate::page::{Chrome, Page, PageError, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::auth::new_form_key;
use bekal_app::delivery::attendance::{
    self, Sheet, SheetEntry, SheetRow, SheetSubmission, SubmitError,
};
use bekal_app::{App, AppError};
use bekal_domain::status::{AttendanceStatus, ExcuseKind};
use std::collections::HashMap;

/// What one line of the form holds (as typed, so nothing is lost on an error).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entered {
    pub status: String,
    pub excuse_kind: String,
    pub excuse_text: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "attendance/sheet.html")]
pub struct SheetPage {
    chrome: Chrome,
    tr: Tr,
    sheet: Sheet,
    idempotency_key: String,
    /// What the form shows per enrolment.
    entered: HashMap<i64, Entered>,
    /// Per enrolment, a message key for a line that could not be accepted.
    errors: HashMap<i64, &'static str>,
    /// Someone else saved the sheet since this user opened it.
    conflict: bool,
    statuses: &'static [AttendanceStatus],
    excuses: &'static [ExcuseKind],
}

impl SheetPage {
    fn entered(&self, row: &SheetRow) -> Entered {
        self.entered
            .get(&row.enrolment_id)
            .cloned()
            .unwrap_or_default()
    }

    fn error(&self, row: &SheetRow) -> Option<&&'static str> {
        self.errors.get(&row.enrolment_id)
    }

    /// The recorded status of a line, as a message key (for the conflict view).
    fn recorded_key(&self, row: &SheetRow) -> &'static str {
        row.status.map_or("attendance-none", |s| {
            crate::labels::attendance_key(s.as_str())
        })
    }
}

/// The form's preset for a sheet as stored: the recorded values, or "present" for a sheet
/// nothing was recorded on yet.
fn preset(sheet: &Sheet) -> HashMap<i64, Entered> {
    sheet
        .rows
        .iter()
        .map(|row| {
            (
                row.enrolment_id,
                Entered {
                    status: row
                        .status
                        .map_or_else(|| "present".to_owned(), |s| s.as_str().to_owned()),
                    excuse_kind: row
                        .excuse_kind
                        .map(|k| k.as_str().to_owned())
                        .unwrap_or_default(),
                    excuse_text: row.excuse_text.clone().unwrap_or_default(),
                },
            )
        })
        .collect()
}

fn render(
    page: &Page,
    sheet: Sheet,
    entered: HashMap<i64, Entered>,
) -> Result<SheetPage, AppError> {
    Ok(SheetPage {
        chrome: page.chrome(Section::Classes),
        tr: page.tr,
        sheet,
        idempotency_key: new_form_key()?,
        entered,
        errors: HashMap::new(),
        conflict: false,
        statuses: AttendanceStatus::ALL,
        excuses: ExcuseKind::ALL,
    })
}

/// `GET /sessions/{id}/attendance`
pub async fn sheet(
    State(app): State<App>,
    page: Page,
    Path(session_id): Path<i64>,
) -> Result<SheetPage, PageError> {
    let sheet = attendance::sheet(&app, page.actor(), session_id).await?;
    let entered = preset(&sheet);
    Ok(render(&page, sheet, entered)?)
}

/// Reads the form's lines (`status_<enrolment>`, `excuse_kind_<enrolment>`,
/// `excuse_text_<enrolment>`) for the enrolments of the sheet.
fn entered_from(form: &HashMap<String, String>, sheet: &Sheet) -> HashMap<i64, Entered> {
    let field = |name: &str, id: i64| {
        form.get(&format!("{name}_{id}"))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    };
    sheet
        .rows
        .iter()
        .map(|row| {
            let id = row.enrolment_id;
            (
                id,
                Entered {
                    status: field("status", id),
                    excuse_kind: field("excuse_kind", id),
                    excuse_text: field("excuse_text", id),
                },
            )
        })
        .collect()
}

/// Turns the lines into entries; a line that breaks a rule gets a message key instead.
fn entries_from(
    entered: &HashMap<i64, Entered>,
) -> Result<Vec<SheetEntry>, HashMap<i64, &'static str>> {
    let mut entries = Vec::new();
    let mut errors = HashMap::new();
    let mut ids: Vec<&i64> = entered.keys().collect();
    ids.sort();
    for id in ids {
        let line = &entered[id];
        let Ok(status) = line.status.parse::<AttendanceStatus>() else {
            errors.insert(*id, "attendance-choose-status");
            continue;
        };
        let excuse_kind = if status == AttendanceStatus::Excused {
            match line.excuse_kind.parse::<ExcuseKind>() {
                Ok(kind) => Some(kind),
                Err(_) => {
                    errors.insert(*id, "attendance-choose-excuse");
                    continue;
                }
            }
        } else {
            None
        };
        if excuse_kind == Some(ExcuseKind::Other) && line.excuse_text.is_empty() {
            errors.insert(*id, "attendance-describe-excuse");
            continue;
        }
        entries.push(SheetEntry {
            enrolment_id: *id,
            status,
            excuse_kind,
            excuse_text: (status == AttendanceStatus::Excused && !line.excuse_text.is_empty())
                .then(|| line.excuse_text.clone()),
        });
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

/// `POST /sessions/{id}/attendance`
pub async fn submit(
    State(app): State<App>,
    page: Page,
    Path(session_id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    page.check_csrf(form.get("csrf_token").map_or("", String::as_str))?;
    let current = attendance::sheet(&app, page.actor(), session_id).await?;
    let entered = entered_from(&form, &current);
    let base_version = form
        .get("base_version")
        .and_then(|v| v.trim().parse::<i32>().ok())
        .unwrap_or(-1);
    let key = form.get("idempotency_key").cloned().unwrap_or_default();
    let entries = match entries_from(&entered) {
        Ok(entries) => entries,
        Err(errors) => {
            let mut view = render(&page, current, entered)?;
            view.idempotency_key = key;
            view.errors = errors;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response());
        }
    };
    let submission = SheetSubmission {
        session_id,
        idempotency_key: key,
        base_version,
        all_present: false,
        entries,
    };
    match attendance::submit_sheet(&app, page.actor(), submission).await {
        Ok(receipt) => {
            let mut response = Redirect::to(&format!(
                "/classes/{}?notice=attendance-saved",
                current.class_id
            ))
            .into_response();
            // The accepted sheet version, for scripts and tests.
            if let Ok(value) = axum::http::HeaderValue::from_str(&receipt.sheet_version.to_string())
            {
                response.headers_mut().insert("x-sheet-version", value);
            }
            Ok(response)
        }
        Err(SubmitError::Stale { current }) => {
            let mut view = render(&page, *current, entered)?;
            view.conflict = true;
            Ok((StatusCode::CONFLICT, view).into_response())
        }
        Err(SubmitError::App(err)) => Err(err.into()),
    }
}
