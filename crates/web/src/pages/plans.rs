//! Plan pages: the facility's plans (`GET /plans`), one plan as a stage-by-stage chart of its
//! classes with the solver's figures (`GET /plans/{id}`), and approval with a confirmation
//! step (`GET|POST /plans/{id}/approve`): approving supersedes the approved plan before it.

use crate::WebError;
use crate::i18n::Tr;
use crate::page::{Chrome, Page, PageError, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::facilities::FacilityView;
use bekal_app::planning::{self, view::PlanRow, view::PlanView};
use bekal_app::{App, Permission};
use serde::Deserialize;

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    facility: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/list.html")]
pub struct ListPage {
    chrome: Chrome,
    tr: Tr,
    facilities: Vec<FacilityView>,
    facility: String,
    plans: Option<Vec<PlanRow>>,
}

/// `GET /plans`
pub async fn list(
    State(app): State<App>,
    page: Page,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, WebError> {
    page.actor()
        .authorise(Permission::ReadClasses, page.own_facility())
        .map_err(WebError::from)?;
    let (facilities, facility_id, facility) =
        super::choose_facility(&app, &page, query.facility.as_deref()).await?;
    let plans = match facility_id {
        Some(id) => Some(planning::view::list(&app, page.actor(), id).await?),
        None => None,
    };
    Ok(ListPage {
        chrome: page.chrome(Section::Plans),
        tr: page.tr,
        facilities,
        facility,
        plans,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "plans/detail.html")]
pub struct DetailPage {
    chrome: Chrome,
    tr: Tr,
    view: PlanView,
    confirming: bool,
}

impl DetailPage {
    /// Whether the solver proved the plan optimal (value equals the bound).
    fn proven_optimal(&self) -> bool {
        self.view.plan.value.is_some() && self.view.plan.value == self.view.plan.value_bound
    }
}

/// `GET /plans/{id}`
pub async fn detail(
    State(app): State<App>,
    page: Page,
    Path(plan_id): Path<i64>,
) -> Result<DetailPage, WebError> {
    Ok(DetailPage {
        chrome: page.chrome(Section::Plans),
        tr: page.tr,
        view: planning::view::view(&app, page.actor(), plan_id).await?,
        confirming: false,
    })
}

/// `GET /plans/{id}/approve`: the confirmation step.
pub async fn approve_form(
    State(app): State<App>,
    page: Page,
    Path(plan_id): Path<i64>,
) -> Result<DetailPage, WebError> {
    let view = planning::view::view(&app, page.actor(), plan_id).await?;
    Ok(DetailPage {
        chrome: page.chrome(Section::Plans),
        tr: page.tr,
        confirming: view.may_approve,
        view,
    })
}

#[derive(Debug, Deserialize)]
pub struct ApproveForm {
    csrf_token: String,
}

/// `POST /plans/{id}/approve`
pub async fn approve(
    State(app): State<App>,
    page: Page,
    Path(plan_id): Path<i64>,
    Form(form): Form<ApproveForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    planning::approve_plan(&app, page.actor(), plan_id)
        .await
        .map_err(WebError::from)?;
    Ok(Redirect::to(&format!("/plans/{plan_id}?notice=plan-approved")).into_response())
}
