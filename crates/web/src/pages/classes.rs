//! Class pages: the list of classes a user may see (`GET /classes`), one class with its roster,
//! running attendance share and sessions (`GET /classes/{id}`), the printable roster
//! (`GET /classes/{id}/roster`), and ending an enrolment mid-course with a confirmation step
//! (`GET|POST /enrolments/{id}/state`). What each role sees is decided by `bekal_app::classes`.

use crate::WebError;
use crate::i18n::Tr;
use crate::page::{Chrome, Page, PageError, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::classes::{
    self, ClassDetail, ClassFilter, ClassPermissions, ClassSummary, RosterMember,
};
use bekal_app::delivery::enrolments::{self, StateChange, StateChangeOutcome};
use bekal_app::delivery::share::{self, TraineeShare};
use bekal_app::facilities::{self, FacilityView};
use bekal_app::{App, AppError, Permission};
use bekal_domain::status::EnrolmentState;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::HashMap;

/// The states an enrolment can be moved to mid-course, in the order of the form.
pub const END_STATES: [EnrolmentState; 5] = [
    EnrolmentState::Withdrawn,
    EnrolmentState::Transferred,
    EnrolmentState::Released,
    EnrolmentState::Dismissed,
    EnrolmentState::Medical,
];

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    facility: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "classes/list.html")]
pub struct ListPage {
    chrome: Chrome,
    tr: Tr,
    classes: Vec<ClassSummary>,
    status: String,
    facility: String,
    /// Facilities to filter by (national users only).
    facilities: Vec<FacilityView>,
}

fn blank_to_none(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// `GET /classes`
pub async fn list(
    State(app): State<App>,
    page: Page,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, WebError> {
    let status = blank_to_none(query.status)
        .filter(|s| ["planned", "running", "finished", "cancelled"].contains(&s.as_str()));
    let facility_code = blank_to_none(query.facility);
    let national = page.own_facility().is_none();
    let facilities = if national {
        facilities::list(&app, page.actor()).await?
    } else {
        Vec::new()
    };
    let facility_id = match &facility_code {
        Some(code) if national => facilities.iter().find(|f| &f.code == code).map(|f| f.id),
        _ => None,
    };
    let filter = ClassFilter {
        facility_id,
        status: status.clone(),
        ..Default::default()
    };
    Ok(ListPage {
        chrome: page.chrome(Section::Classes),
        tr: page.tr,
        classes: classes::list(&app, page.actor(), &filter).await?,
        status: status.unwrap_or_default(),
        facility: facility_code.unwrap_or_default(),
        facilities,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "classes/detail.html")]
pub struct DetailPage {
    chrome: Chrome,
    tr: Tr,
    detail: ClassDetail,
    /// Running attendance shares by enrolment (for those who record attendance).
    shares: HashMap<i64, TraineeShare>,
    may: ClassPermissions,
    today: NaiveDate,
}

impl DetailPage {
    fn share_of(&self, member: &RosterMember) -> Option<&TraineeShare> {
        self.shares.get(&member.enrolment_id)
    }

    fn is_open(&self, member: &RosterMember) -> bool {
        member.state == EnrolmentState::Enrolled.as_str()
    }
}

/// `GET /classes/{id}`
pub async fn detail(
    State(app): State<App>,
    page: Page,
    Path(class_id): Path<i64>,
) -> Result<DetailPage, WebError> {
    let actor = page.actor();
    let detail = classes::detail(&app, actor, class_id).await?;
    let shares = match share::class_shares(&app, actor, class_id).await {
        Ok(rows) => rows.into_iter().map(|s| (s.enrolment_id, s)).collect(),
        Err(AppError::Forbidden(_)) => HashMap::new(),
        Err(other) => return Err(other.into()),
    };
    Ok(DetailPage {
        chrome: page.chrome(Section::Classes),
        tr: page.tr,
        may: classes::permissions(&app, actor, class_id).await?,
        today: app.clock.today(),
        detail,
        shares,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "classes/roster.html")]
pub struct RosterPage {
    chrome: Chrome,
    tr: Tr,
    detail: ClassDetail,
}

/// `GET /classes/{id}/roster`: the printable roster.
pub async fn roster(
    State(app): State<App>,
    page: Page,
    Path(class_id): Path<i64>,
) -> Result<RosterPage, WebError> {
    Ok(RosterPage {
        chrome: page.chrome(Section::Classes),
        tr: page.tr,
        detail: classes::detail(&app, page.actor(), class_id).await?,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "classes/register.html")]
pub struct RegisterPage {
    chrome: Chrome,
    tr: Tr,
    register: bekal_app::delivery::register_sheet::ClassRegister,
}

impl RegisterPage {
    /// The one-letter mark of a recorded status in the reader's language.
    fn mark(&self, status: &Option<String>) -> String {
        match status.as_deref() {
            Some(code) => self.tr.t(crate::labels::register_mark_key(code)),
            None => String::new(),
        }
    }

    fn percent(&self, row: &bekal_app::delivery::register_sheet::RegisterRow) -> String {
        if row.hours_recorded == 0 {
            return "-".to_owned();
        }
        format!("{} %", row.hours_attended * 100 / row.hours_recorded)
    }
}

/// `GET /classes/{id}/register`: the printable attendance register (trainees by session).
pub async fn register(
    State(app): State<App>,
    page: Page,
    Path(class_id): Path<i64>,
) -> Result<RegisterPage, WebError> {
    let register =
        bekal_app::delivery::register_sheet::class_register(&app, page.actor(), class_id).await?;
    Ok(RegisterPage {
        chrome: page.chrome(Section::Classes),
        tr: page.tr,
        register,
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct StateForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    effective_on: String,
    #[serde(default)]
    reason: String,
    /// Set by the confirmation step.
    #[serde(default)]
    confirmed: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "classes/state.html")]
pub struct StatePage {
    chrome: Chrome,
    tr: Tr,
    class_id: i64,
    class_code: String,
    member: RosterMember,
    to: String,
    effective_on: String,
    reason: String,
    /// Field name -> message key.
    errors: HashMap<&'static str, &'static str>,
    /// True on the confirmation step (everything valid, not yet written).
    confirming: bool,
    outcome: Option<StateChangeOutcome>,
}

impl StatePage {
    fn error(&self, field: &str) -> Option<&&'static str> {
        self.errors.get(field)
    }
}

async fn member_of(
    app: &App,
    page: &Page,
    enrolment_id: i64,
) -> Result<(ClassDetail, RosterMember), AppError> {
    let class_id = classes::class_of_enrolment(app, page.actor(), enrolment_id).await?;
    let detail = classes::detail(app, page.actor(), class_id).await?;
    let member = detail
        .roster
        .iter()
        .find(|m| m.enrolment_id == enrolment_id)
        .cloned()
        .ok_or_else(|| AppError::NotFound(format!("enrolment {enrolment_id}")))?;
    Ok((detail, member))
}

/// `GET /enrolments/{id}/state`: the form to end an enrolment.
pub async fn state_form(
    State(app): State<App>,
    page: Page,
    Path(enrolment_id): Path<i64>,
) -> Result<StatePage, WebError> {
    let (detail, member) = member_of(&app, &page, enrolment_id).await?;
    page.actor()
        .authorise(Permission::ChangeEnrolments, Some(detail.class.facility_id))?;
    Ok(StatePage {
        chrome: page.chrome(Section::Classes),
        tr: page.tr,
        class_id: detail.class.id,
        class_code: detail.class.code.clone(),
        member,
        to: String::new(),
        effective_on: app.clock.today().to_string(),
        reason: String::new(),
        errors: HashMap::new(),
        confirming: false,
        outcome: None,
    })
}

/// `POST /enrolments/{id}/state`: validate, ask to confirm, then apply.
pub async fn state_submit(
    State(app): State<App>,
    page: Page,
    Path(enrolment_id): Path<i64>,
    Form(form): Form<StateForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let (detail, member) = member_of(&app, &page, enrolment_id).await?;
    // As the form itself: only who may end enrolments sees the confirmation step (found by
    // the write matrix: trainers, assessors and partners were shown it).
    page.actor()
        .authorise(Permission::ChangeEnrolments, Some(detail.class.facility_id))
        .map_err(WebError::from)?;
    let mut errors = HashMap::new();
    let to = END_STATES.iter().find(|s| s.as_str() == form.to.trim());
    if to.is_none() {
        errors.insert("to", "form-choose-one");
    }
    let effective_on = NaiveDate::parse_from_str(form.effective_on.trim(), "%Y-%m-%d").ok();
    match effective_on {
        None => {
            errors.insert("effective_on", "form-date-invalid");
        }
        Some(day) if day > app.clock.today() => {
            errors.insert("effective_on", "form-date-future");
        }
        Some(_) => {}
    }
    if form.reason.trim().is_empty() {
        errors.insert("reason", "form-required");
    }
    let mut view = StatePage {
        chrome: page.chrome(Section::Classes),
        tr: page.tr,
        class_id: detail.class.id,
        class_code: detail.class.code.clone(),
        member,
        to: form.to.trim().to_owned(),
        effective_on: form.effective_on.trim().to_owned(),
        reason: form.reason.trim().to_owned(),
        errors,
        confirming: false,
        outcome: None,
    };
    let (Some(to), Some(effective_on)) = (to, effective_on) else {
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, view).into_response());
    };
    if !view.errors.is_empty() {
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, view).into_response());
    }
    if form.confirmed.is_none() {
        view.confirming = true;
        return Ok(view.into_response());
    }
    let outcome = enrolments::change_state(
        &app,
        page.actor(),
        StateChange {
            enrolment_id,
            to: *to,
            effective_on,
            reason: view.reason.clone(),
        },
    )
    .await?;
    if outcome.proposal.is_none() {
        return Ok(Redirect::to(&format!(
            "/classes/{}?notice=enrolment-ended",
            detail.class.id
        ))
        .into_response());
    }
    view.outcome = Some(outcome);
    Ok(view.into_response())
}
