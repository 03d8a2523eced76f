//! The signed-in user's own account (`GET /account`): display language, signing out here or
//! everywhere, and changing one's own password (`POST /account/password`: the current
//! password, the new one twice; every session ends, this one too, and the user signs in again).

use super::admin::{error_for, other_error};
use crate::WebError;
use crate::i18n::Tr;
use crate::page::{Chrome, Page, PageError, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::auth::password;
use bekal_app::{Actor, App, AppError};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    chrome: Chrome,
    tr: Tr,
    username: String,
    role: String,
    error: Option<(String, String)>,
}

impl AccountPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.error, field)
    }

    fn other_error(&self) -> Option<&str> {
        other_error(&self.error, &["current_password", "password"])
    }
}

fn account_page(page: &Page, error: Option<(String, String)>) -> AccountPage {
    let chrome = page.chrome(Section::Account);
    let username = match page.actor() {
        Actor::User { username, .. } => username.clone(),
        other => other.audit_actor().label,
    };
    AccountPage {
        role: chrome
            .user
            .clone()
            .map(|(_, role)| role)
            .unwrap_or_default(),
        chrome,
        tr: page.tr,
        username,
        error,
    }
}

/// `GET /account`
pub async fn page(page: Page) -> AccountPage {
    account_page(&page, None)
}

#[derive(Deserialize, Default)]
pub struct PasswordForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

/// `POST /account/password`
pub async fn change_password(
    State(app): State<App>,
    page: Page,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let outcome = if form.password == form.password_again {
        password::change_own_password(&app, page.actor(), &form.current_password, &form.password)
            .await
    } else {
        Err(AppError::invalid("password", "the two entries differ"))
    };
    match outcome {
        Ok(()) => Ok(Redirect::to("/login").into_response()),
        Err(AppError::Invalid { field, message }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            account_page(&page, Some((field, message))),
        )
            .into_response()),
        Err(other) => Err(WebError::from(other).into()),
    }
}
