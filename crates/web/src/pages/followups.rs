//! Follow-up after release: the follow-ups due for a facility (`GET /follow-ups`: released
//! trainees at 3, 6 and 12 months, oldest first) and recording one (`GET|POST
//! /follow-ups/record`) with the outcome, the employer type when employed, the source
//! (facility or Bapas) and notes. A rule the service refuses is shown next to its field and
//! nothing typed is lost.

use crate::WebError;
use crate::i18n::Tr;
use crate::page::{Chrome, Page, PageError, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::followup::{self, DueFollowUp, NewFollowUp};
use bekal_app::{App, AppError, Permission};
use bekal_domain::status::{EmployerType, FollowUpOutcome, FollowUpSource};
use chrono::NaiveDate;
use serde::Deserialize;

/// Outcomes in the order of the form.
pub const OUTCOMES: [&str; 6] = [
    "employed",
    "self_employed",
    "further_training",
    "unemployed",
    "reoffended",
    "unreachable",
];

/// Employer types in the order of the form.
pub const EMPLOYERS: [&str; 5] = ["company", "small_business", "government", "family", "other"];

fn own_facility(page: &Page) -> Result<i64, WebError> {
    let facility = page
        .own_facility()
        .ok_or_else(|| AppError::Forbidden("follow-ups: no facility".into()))?;
    page.actor()
        .authorise(Permission::ReadFollowUps, Some(facility))?;
    Ok(facility)
}

#[derive(Template, WebTemplate)]
#[template(path = "followups/due.html")]
pub struct DuePage {
    chrome: Chrome,
    tr: Tr,
    due: Vec<DueFollowUp>,
    may_record: bool,
}

async fn due_list(app: &App, page: &Page, facility: i64) -> Result<Vec<DueFollowUp>, WebError> {
    let offsets = followup::offsets_from_settings(app).await?;
    Ok(followup::due(app, page.actor(), facility, &offsets).await?)
}

/// `GET /follow-ups`
pub async fn due(State(app): State<App>, page: Page) -> Result<DuePage, WebError> {
    let facility = own_facility(&page)?;
    Ok(DuePage {
        chrome: page.chrome(Section::FollowUps),
        tr: page.tr,
        due: due_list(&app, &page, facility).await?,
        may_record: page
            .actor()
            .authorise(Permission::RecordFollowUps, Some(facility))
            .is_ok(),
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct RecordQuery {
    inmate: i64,
    months: u32,
}

#[derive(Debug, Deserialize, Default)]
pub struct RecordForm {
    csrf_token: String,
    inmate: i64,
    months: u32,
    #[serde(default)]
    contacted_on: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    in_trade: Option<String>,
    #[serde(default)]
    employer_type: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    notes: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "followups/record.html")]
pub struct RecordPage {
    chrome: Chrome,
    tr: Tr,
    person: DueFollowUp,
    form: RecordForm,
    /// (field, message) of a refused rule.
    error: Option<(String, String)>,
}

impl RecordPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    fn other_error(&self) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, _)| {
                !["contacted_on", "outcome", "employer_type", "source"].contains(&f.as_str())
            })
            .map(|(_, m)| m.as_str())
    }

    fn in_trade(&self) -> bool {
        self.form.in_trade.is_some()
    }
}

async fn person(app: &App, page: &Page, inmate: i64, months: u32) -> Result<DueFollowUp, WebError> {
    let facility = own_facility(page)?;
    page.actor()
        .authorise(Permission::RecordFollowUps, Some(facility))?;
    due_list(app, page, facility)
        .await?
        .into_iter()
        .find(|d| d.inmate_id == inmate && d.months_after_release == months)
        .ok_or_else(|| {
            AppError::NotFound(format!("follow-up of inmate {inmate} at {months} months")).into()
        })
}

/// `GET /follow-ups/record?inmate=ID&months=N`
pub async fn record_form(
    State(app): State<App>,
    page: Page,
    Query(query): Query<RecordQuery>,
) -> Result<RecordPage, WebError> {
    let person = person(&app, &page, query.inmate, query.months).await?;
    Ok(RecordPage {
        chrome: page.chrome(Section::FollowUps),
        tr: page.tr,
        form: RecordForm {
            inmate: person.inmate_id,
            months: person.months_after_release,
            contacted_on: app.clock.today().to_string(),
            source: "facility".into(),
            ..Default::default()
        },
        person,
        error: None,
    })
}

fn parse(form: &RecordForm, facility_id: i64) -> Result<NewFollowUp, AppError> {
    let contacted_on = NaiveDate::parse_from_str(form.contacted_on.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("contacted_on", "a date as YYYY-MM-DD"))?;
    let outcome: FollowUpOutcome = form
        .outcome
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("outcome", "choose one"))?;
    let employer_type = match form.employer_type.trim() {
        "" => None,
        text => Some(
            text.parse::<EmployerType>()
                .map_err(|_| AppError::invalid("employer_type", "choose one"))?,
        ),
    };
    let source: FollowUpSource = form
        .source
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("source", "choose one"))?;
    Ok(NewFollowUp {
        facility_id,
        inmate_id: form.inmate,
        months_after_release: form.months,
        contacted_on,
        outcome,
        in_trained_trade: form.in_trade.is_some(),
        employer_type,
        source,
        notes: Some(form.notes.trim().to_owned()).filter(|n| !n.is_empty()),
    })
}

/// `POST /follow-ups/record`
pub async fn record(
    State(app): State<App>,
    page: Page,
    Form(form): Form<RecordForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let person = person(&app, &page, form.inmate, form.months).await?;
    let facility = own_facility(&page)?;
    let outcome = match parse(&form, facility) {
        Ok(new) => followup::record(&app, page.actor(), new).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to("/follow-ups?notice=follow-up-recorded").into_response()),
        Err(AppError::Invalid { field, message }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            RecordPage {
                chrome: page.chrome(Section::FollowUps),
                tr: page.tr,
                person,
                form,
                error: Some((field, message)),
            },
        )
            .into_response()),
        Err(other) => Err(WebError::from(other).into()),
    }
}
