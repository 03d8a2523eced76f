//! The unit results sheet of a class for assessors: trainees (rows) x competency units
//! (columns), each cell K, BK or not yet assessed. `GET /classes/{id}/results` shows the current
//! decisions; `POST` records the cells that changed, all in one transaction, each as a new
//! attempt (earlier attempts stay as history). The assessment date and the assessor's name apply
//! to the whole submission; a note per trainee records the evidence.

use crate::i18n::Tr;
use crate::page::{Chrome, Page, PageError, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::App;
use bekal_app::results::{self, NewResult, ResultsSheet, SheetRow, SheetUnit};
use bekal_domain::status::UnitDecision;
use chrono::NaiveDate;
use std::collections::HashMap;

#[derive(Template, WebTemplate)]
#[template(path = "results/sheet.html")]
pub struct ResultsPage {
    chrome: Chrome,
    tr: Tr,
    sheet: ResultsSheet,
    /// `d_<enrolment>_<unit>` -> `K` / `BK` / empty, as shown in the form.
    cells: HashMap<String, String>,
    notes: HashMap<i64, String>,
    assessed_on: String,
    assessor_name: String,
    /// Field name -> message key.
    errors: HashMap<String, &'static str>,
}

fn cell_name(row: &SheetRow, unit: &SheetUnit) -> String {
    format!("d_{}_{}", row.enrolment_id, unit.id)
}

impl ResultsPage {
    fn cell(&self, row: &SheetRow, unit: &SheetUnit) -> &str {
        self.cells
            .get(&cell_name(row, unit))
            .map_or("", String::as_str)
    }

    fn name(&self, row: &SheetRow, unit: &SheetUnit) -> String {
        cell_name(row, unit)
    }

    fn note(&self, row: &SheetRow) -> &str {
        self.notes.get(&row.enrolment_id).map_or("", String::as_str)
    }

    fn error(&self, field: &str) -> Option<&&'static str> {
        self.errors.get(field)
    }

    fn assessable(&self, row: &SheetRow) -> bool {
        matches!(
            row.state.as_str(),
            "enrolled" | "completed" | "not_completed"
        )
    }
}

fn current_cells(sheet: &ResultsSheet) -> HashMap<String, String> {
    let mut cells = HashMap::new();
    for row in &sheet.rows {
        for (unit, decision) in sheet.units.iter().zip(&row.decisions) {
            cells.insert(
                cell_name(row, unit),
                decision.map(|d| d.as_str().to_owned()).unwrap_or_default(),
            );
        }
    }
    cells
}

/// `GET /classes/{id}/results`
pub async fn sheet(
    State(app): State<App>,
    page: Page,
    Path(class_id): Path<i64>,
) -> Result<ResultsPage, PageError> {
    let sheet = results::sheet(&app, page.actor(), class_id).await?;
    Ok(ResultsPage {
        chrome: page.chrome(Section::Classes),
        tr: page.tr,
        cells: current_cells(&sheet),
        sheet,
        notes: HashMap::new(),
        assessed_on: app.clock.today().to_string(),
        assessor_name: page.session.display_name.clone(),
        errors: HashMap::new(),
    })
}

/// `POST /classes/{id}/results`
pub async fn submit(
    State(app): State<App>,
    page: Page,
    Path(class_id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, PageError> {
    page.check_csrf(form.get("csrf_token").map_or("", String::as_str))?;
    let sheet = results::sheet(&app, page.actor(), class_id).await?;
    let before = current_cells(&sheet);
    let value = |name: &str| form.get(name).map_or("", |v| v.trim()).to_owned();
    let assessed_on = value("assessed_on");
    let assessor_name = value("assessor_name");
    let mut errors: HashMap<String, &'static str> = HashMap::new();
    let day = NaiveDate::parse_from_str(&assessed_on, "%Y-%m-%d").ok();
    match day {
        None => {
            errors.insert("assessed_on".into(), "form-date-invalid");
        }
        Some(d) if d > app.clock.today() => {
            errors.insert("assessed_on".into(), "form-date-future");
        }
        Some(_) => {}
    }
    let mut cells = before.clone();
    let mut notes = HashMap::new();
    let mut changes = Vec::new();
    for row in &sheet.rows {
        let note = value(&format!("note_{}", row.enrolment_id));
        if !note.is_empty() {
            notes.insert(row.enrolment_id, note.clone());
        }
        for unit in &sheet.units {
            let name = cell_name(row, unit);
            let Some(entered) = form.get(&name).map(|v| v.trim().to_owned()) else {
                continue;
            };
            if before.get(&name) == Some(&entered) {
                continue;
            }
            cells.insert(name.clone(), entered.clone());
            if entered.is_empty() {
                // A decision cannot be taken back, only replaced by a new attempt.
                errors.insert(name, "results-cannot-clear");
                continue;
            }
            match entered.parse::<UnitDecision>() {
                Ok(decision) => changes.push(NewResult {
                    enrolment_id: row.enrolment_id,
                    unit_code: unit.code.clone(),
                    decision,
                    assessor_name: (!assessor_name.is_empty()).then(|| assessor_name.clone()),
                    assessed_on: day.unwrap_or_default(),
                    evidence_note: (!note.is_empty()).then(|| note.clone()),
                }),
                Err(_) => {
                    errors.insert(name, "form-choose-one");
                }
            }
        }
    }
    if !errors.is_empty() {
        let view = ResultsPage {
            chrome: page.chrome(Section::Classes),
            tr: page.tr,
            sheet,
            cells,
            notes,
            assessed_on,
            assessor_name,
            errors,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, view).into_response());
    }
    let recorded = results::record_batch(&app, page.actor(), changes).await?;
    let notice = if recorded.is_empty() {
        "nothing-changed"
    } else {
        "results-saved"
    };
    Ok(Redirect::to(&format!("/classes/{class_id}/results?notice={notice}")).into_response())
}
