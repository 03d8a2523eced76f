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
use bekal_app::facilities::FacilityView;
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

/// The facility whose follow-ups are shown: the user's own, or for national users the one
/// chosen by code. Returns (choices, facility id if known, chosen code).
async fn facility_of(
    app: &App,
    page: &Page,
    chosen: Option<&str>,
) -> Result<(Vec<FacilityView>, Option<i64>, String), WebError> {
    let (choices, facility, code) = super::choose_facility(app, page, chosen).await?;
    match facility {
        Some(id) => page
            .actor()
            .authorise(Permission::ReadFollowUps, Some(id))?,
        None if page.own_facility().is_none() => {
            page.actor().authorise(Permission::ReadFollowUps, None)?;
        }
        None => return Err(AppError::Forbidden("follow-ups: no facility".into()).into()),
    }
    Ok((choices, facility, code))
}

/// The facility id and, for national users, its code (empty for a facility user's own).
async fn chosen_facility(app: &App, page: &Page, chosen: &str) -> Result<(i64, String), WebError> {
    let (_, facility, code) = facility_of(app, page, Some(chosen)).await?;
    let id = facility.ok_or_else(|| AppError::NotFound("facility".into()))?;
    Ok((id, code))
}

#[derive(Debug, Deserialize, Default)]
pub struct DueQuery {
    #[serde(default)]
    facility: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "followups/due.html")]
pub struct DuePage {
    chrome: Chrome,
    tr: Tr,
    /// Facilities to choose from (national users only).
    facilities: Vec<FacilityView>,
    /// The chosen facility's code (national users), carried into the record links.
    facility: String,
    /// None until a national user chose a facility.
    due: Option<Vec<DueFollowUp>>,
    may_record: bool,
}

async fn due_list(app: &App, page: &Page, facility: i64) -> Result<Vec<DueFollowUp>, WebError> {
    let offsets = followup::offsets_from_settings(app).await?;
    Ok(followup::due(app, page.actor(), facility, &offsets).await?)
}

/// `GET /follow-ups[?facility=CODE]`
pub async fn due(
    State(app): State<App>,
    page: Page,
    Query(query): Query<DueQuery>,
) -> Result<DuePage, WebError> {
    let (facilities, facility, code) = facility_of(&app, &page, Some(&query.facility)).await?;
    let due = match facility {
        Some(id) => Some(due_list(&app, &page, id).await?),
        None => None,
    };
    Ok(DuePage {
        chrome: page.chrome(Section::FollowUps),
        tr: page.tr,
        facilities,
        facility: code,
        due,
        may_record: facility.is_some_and(|id| {
            page.actor()
                .authorise(Permission::RecordFollowUps, Some(id))
                .is_ok()
        }),
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct RecordQuery {
    inmate: i64,
    months: u32,
    #[serde(default)]
    facility: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct RecordForm {
    csrf_token: String,
    inmate: i64,
    months: u32,
    /// The facility's code (national users; a facility user's own is used whatever it says).
    #[serde(default)]
    facility: String,
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

async fn person(
    app: &App,
    page: &Page,
    facility: i64,
    inmate: i64,
    months: u32,
) -> Result<DueFollowUp, WebError> {
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
    let (facility, code) = chosen_facility(&app, &page, &query.facility).await?;
    let person = person(&app, &page, facility, query.inmate, query.months).await?;
    Ok(RecordPage {
        chrome: page.chrome(Section::FollowUps),
        tr: page.tr,
        form: RecordForm {
            inmate: person.inmate_id,
            months: person.months_after_release,
            facility: code,
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
    let (facility, code) = chosen_facility(&app, &page, &form.facility).await?;
    let person = person(&app, &page, facility, form.inmate, form.months).await?;
    let outcome = match parse(&form, facility) {
        Ok(new) => followup::record(&app, page.actor(), new).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!(
            "/follow-ups?facility={code}&notice=follow-up-recorded"
        ))
        .into_response()),
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
