//! `GET /`: the home page of a signed-in user: what needs doing today for their role, the
//! classes running now, and (for those who may read them) the facilities' headline figures.
//! Nobody signed in is sent to the sign-in page.

use crate::WebError;
use crate::auth::MaybeSession;
use crate::i18n::Tr;
use crate::page::{Chrome, Page, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRequestParts, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::dashboard::{self, Dashboard, TaskItem, TaskKind};
use bekal_app::facilities::{self, FacilityView};
use bekal_app::overview::{self, FacilityOverview};
use bekal_app::{App, AppError};

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    chrome: Chrome,
    tr: Tr,
    board: Dashboard,
    facilities: Vec<(FacilityView, FacilityOverview)>,
}

/// The message key of a task kind.
pub fn task_key(kind: &TaskKind) -> &'static str {
    match kind {
        TaskKind::TakeAttendance => "task-take-attendance",
        TaskKind::RecordResults => "task-record-results",
        TaskKind::ApprovePlan => "task-approve-plan",
        TaskKind::IssueCertificates => "task-issue-certificates",
        TaskKind::FollowUpsDue => "task-follow-ups-due",
        TaskKind::ImportErrors => "task-import-errors",
    }
}

/// Where an item of a task is done.
pub fn item_href(kind: &TaskKind, item: &TaskItem) -> String {
    match (kind, item) {
        (
            TaskKind::TakeAttendance,
            TaskItem {
                session_id: Some(s),
                ..
            },
        ) => {
            format!("/sessions/{s}/attendance")
        }
        (
            TaskKind::RecordResults,
            TaskItem {
                class_id: Some(c), ..
            },
        ) => {
            format!("/classes/{c}/results")
        }
        (
            TaskKind::IssueCertificates,
            TaskItem {
                class_id: Some(c), ..
            },
        ) => {
            format!("/classes/{c}/certificates")
        }
        (
            TaskKind::ApprovePlan,
            TaskItem {
                plan_id: Some(p), ..
            },
        ) => format!("/plans/{p}"),
        (
            TaskKind::ImportErrors,
            TaskItem {
                import_run_id: Some(r),
                ..
            },
        ) => {
            format!("/imports/{r}")
        }
        (TaskKind::FollowUpsDue, _) => "/follow-ups".to_owned(),
        _ => "/".to_owned(),
    }
}

pub async fn home(State(app): State<App>, request: Request) -> Result<Response, WebError> {
    let (mut parts, _) = request.into_parts();
    let MaybeSession(session) = MaybeSession::from_request_parts(&mut parts, &app).await?;
    if !session.is_some_and(|s| s.second_factor_done) {
        return Ok(Redirect::to("/login").into_response());
    }
    let page = match Page::from_request_parts(&mut parts, &app).await {
        Ok(page) => page,
        Err(response) => return Ok(response),
    };
    let actor = page.actor();
    let board = dashboard::dashboard(&app, actor).await?;
    let mut rows = Vec::new();
    for facility in facilities::list(&app, actor).await? {
        match overview::facility(&app, actor, facility.id).await {
            Ok(figures) => rows.push((facility, figures)),
            Err(AppError::Forbidden(_)) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(DashboardPage {
        chrome: page.chrome(Section::Home),
        tr: page.tr,
        board,
        facilities: rows,
    }
    .into_response())
}
