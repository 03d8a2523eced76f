//! Accounts, for national administrators: the list with a search and a role filter
//! (`GET /admin/accounts`), a new account (`GET|POST /admin/accounts/new`), and one account's
//! page (`GET /admin/accounts/{username}`) where it is switched off or on with a reason
//! (`POST .../state`) or given a new password (`POST .../password`; its sessions end and the
//! lock is lifted). A refused rule is shown beside its field and nothing typed is lost, except
//! passwords, which are never sent back to the browser.

use super::{error_for, other_error};
use crate::WebError;
use crate::i18n::Tr;
use crate::page::{Chrome, Page, PageError, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bekal_app::auth::directory::{self, AccountFilter, AccountView, PartnerChoice};
use bekal_app::auth::password;
use bekal_app::auth::users::{self, UserSpec};
use bekal_app::facilities::{self, FacilityView};
use bekal_app::{App, AppError};
use bekal_domain::role::Role;
use serde::Deserialize;

/// Every role, in the order of the forms.
pub const ROLES: [Role; 8] = [
    Role::NationalAdmin,
    Role::OversightViewer,
    Role::FacilityHead,
    Role::ProgramOfficer,
    Role::PartnerStaff,
    Role::Trainer,
    Role::Assessor,
    Role::ProbationOfficer,
];

/// The translation key of a role's name.
pub fn role_key(role: &Role) -> String {
    format!("role-{}", role.as_str().replace('_', "-"))
}

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    role: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/accounts.html")]
pub struct ListPage {
    chrome: Chrome,
    tr: Tr,
    query: ListQuery,
    accounts: Vec<AccountView>,
}

/// `GET /admin/accounts`
pub async fn list(
    State(app): State<App>,
    page: Page,
    Query(query): Query<ListQuery>,
) -> Result<ListPage, WebError> {
    let role = match query.role.trim() {
        "" => None,
        text => Some(
            text.parse::<Role>()
                .map_err(|_| AppError::invalid("role", "unknown role"))?,
        ),
    };
    let filter = AccountFilter {
        text: Some(query.q.clone()),
        role,
        active_only: false,
    };
    let accounts = directory::list(&app, page.actor(), &filter).await?;
    Ok(ListPage {
        chrome: page.chrome(Section::Admin),
        tr: page.tr,
        query,
        accounts,
    })
}

#[derive(Deserialize, Default)]
pub struct NewForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    facility: String,
    #[serde(default)]
    partner: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    password: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/account_new.html")]
pub struct NewPage {
    chrome: Chrome,
    tr: Tr,
    form: NewForm,
    facilities: Vec<FacilityView>,
    partners: Vec<PartnerChoice>,
    error: Option<(String, String)>,
}

impl NewPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.error, field)
    }

    fn other_error(&self) -> Option<&str> {
        other_error(
            &self.error,
            &[
                "username",
                "display_name",
                "role",
                "facility",
                "partner",
                "password",
            ],
        )
    }
}

async fn new_page(
    app: &App,
    page: &Page,
    form: NewForm,
    error: Option<(String, String)>,
) -> Result<NewPage, WebError> {
    Ok(NewPage {
        chrome: page.chrome(Section::Admin),
        tr: page.tr,
        partners: directory::partners(app, page.actor()).await?,
        facilities: facilities::list(app, page.actor()).await?,
        form,
        error,
    })
}

/// `GET /admin/accounts/new`
pub async fn new_form(State(app): State<App>, page: Page) -> Result<NewPage, WebError> {
    new_page(&app, &page, NewForm::default(), None).await
}

fn spec_of(form: &NewForm) -> Result<UserSpec, AppError> {
    let role: Role = form
        .role
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("role", "choose one"))?;
    let optional = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
    Ok(UserSpec {
        username: form.username.clone(),
        display_name: optional(&form.display_name),
        password: form.password.clone(),
        role,
        facility_code: optional(&form.facility),
        partner_code: optional(&form.partner),
        region: optional(&form.region),
    })
}

/// `POST /admin/accounts/new`
pub async fn create(
    State(app): State<App>,
    page: Page,
    Form(mut form): Form<NewForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let outcome = match spec_of(&form) {
        Ok(spec) => users::add(&app, page.actor(), spec).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to("/admin/accounts?notice=account-created").into_response()),
        Err(AppError::Invalid { field, message }) => {
            form.password.clear();
            let shown = new_page(&app, &page, form, Some((field, message))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, shown).into_response())
        }
        Err(AppError::Conflict(message)) => {
            form.password.clear();
            let shown = new_page(&app, &page, form, Some(("username".into(), message))).await?;
            Ok((StatusCode::CONFLICT, shown).into_response())
        }
        Err(other) => Err(WebError::from(other).into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/account.html")]
pub struct AccountPage {
    chrome: Chrome,
    tr: Tr,
    account: AccountView,
    reason: String,
    error: Option<(String, String)>,
}

impl AccountPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.error, field)
    }

    fn other_error(&self) -> Option<&str> {
        other_error(&self.error, &["reason", "password"])
    }
}

async fn account_page(
    app: &App,
    page: &Page,
    username: &str,
    reason: String,
    error: Option<(String, String)>,
) -> Result<AccountPage, WebError> {
    let filter = AccountFilter {
        text: Some(username.to_owned()),
        ..Default::default()
    };
    let account = directory::list(app, page.actor(), &filter)
        .await?
        .into_iter()
        .find(|a| a.username == username.trim().to_lowercase())
        .ok_or_else(|| AppError::NotFound(format!("user {username}")))?;
    Ok(AccountPage {
        chrome: page.chrome(Section::Admin),
        tr: page.tr,
        account,
        reason,
        error,
    })
}

/// `GET /admin/accounts/{username}`
pub async fn detail(
    State(app): State<App>,
    page: Page,
    Path(username): Path<String>,
) -> Result<AccountPage, WebError> {
    account_page(&app, &page, &username, String::new(), None).await
}

#[derive(Deserialize, Default)]
pub struct StateForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    active: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/accounts/{username}/state`
pub async fn set_state(
    State(app): State<App>,
    page: Page,
    Path(username): Path<String>,
    Form(form): Form<StateForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let active = form.active == "yes";
    match directory::set_active(&app, page.actor(), &username, active, &form.reason).await {
        Ok(_) => {
            let notice = if active {
                "account-activated"
            } else {
                "account-deactivated"
            };
            Ok(Redirect::to(&format!("/admin/accounts?notice={notice}")).into_response())
        }
        Err(AppError::Invalid { field, message }) => {
            let shown =
                account_page(&app, &page, &username, form.reason, Some((field, message))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, shown).into_response())
        }
        Err(other) => Err(WebError::from(other).into()),
    }
}

#[derive(Deserialize, Default)]
pub struct PasswordForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
}

impl std::fmt::Debug for PasswordForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordForm([secret])")
    }
}

/// `POST /admin/accounts/{username}/password`
pub async fn reset_password(
    State(app): State<App>,
    page: Page,
    Path(username): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    page.check_csrf(&form.csrf_token)?;
    let outcome = if form.password == form.password_again {
        password::reset_password(&app, page.actor(), &username, &form.password).await
    } else {
        Err(AppError::invalid("password", "the two entries differ"))
    };
    match outcome {
        Ok(()) => Ok(Redirect::to("/admin/accounts?notice=password-reset").into_response()),
        Err(AppError::Invalid { field, message }) => {
            let shown = account_page(
                &app,
                &page,
                &username,
                String::new(),
                Some((field, message)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, shown).into_response())
        }
        Err(other) => Err(WebError::from(other).into()),
    }
}
