//! `GET /api/admin/accounts` (national administrators) and `GET /api/facilities/{code}/holidays`:
//! the same service calls as the administration screens.

use super::{ErrorBody, json};
use crate::WebError;
use crate::auth::SignedIn;
use axum::Json;
use axum::extract::{Path, Query, State};
use bekal_app::auth::directory::{self, AccountFilter, AccountView};
use bekal_app::holidays::{self, HolidayView};
use bekal_app::{App, AppError, Permission, facilities};
use bekal_domain::role::Role;
use chrono::Datelike;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(accounts))
        .routes(routes!(facility_holidays))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct AccountQuery {
    /// Text in the username or display name.
    q: Option<String>,
    /// One role (e.g. `program_officer`).
    role: Option<String>,
    /// Only accounts that can sign in.
    #[serde(default)]
    active_only: bool,
}

/// Every account with its role, scope and state (never a secret).
#[utoipa::path(get, path = "/api/admin/accounts", tag = "administration",
    params(AccountQuery),
    security(("token" = ["ManageAccounts"]), ("session" = [])),
    responses((status = 200, body = Vec<AccountView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn accounts(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Query(query): Query<AccountQuery>,
) -> Result<Json<Vec<AccountView>>, WebError> {
    let actor = caller.actor_for(Permission::ManageAccounts)?;
    let role = match query.role.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(
            text.parse::<Role>()
                .map_err(|_| AppError::invalid("role", "unknown role"))?,
        ),
    };
    let filter = AccountFilter {
        text: query.q,
        role,
        active_only: query.active_only,
    };
    json(directory::list(&app, actor, &filter).await)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct YearQuery {
    /// The calendar year (default: this year).
    year: Option<i32>,
}

/// The holidays of a year that apply to a facility: national ones and its own.
#[utoipa::path(get, path = "/api/facilities/{code}/holidays", tag = "facilities",
    params(("code" = String, Path, description = "facility code"), YearQuery),
    security(("token" = ["ReadClasses"]), ("session" = [])),
    responses((status = 200, body = Vec<HolidayView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn facility_holidays(
    State(app): State<App>,
    SignedIn(caller): SignedIn,
    Path(code): Path<String>,
    Query(query): Query<YearQuery>,
) -> Result<Json<Vec<HolidayView>>, WebError> {
    let actor = caller.actor_for(Permission::ReadClasses)?;
    let facility = facilities::get_by_code(&app, actor, &code).await?;
    let year = query.year.unwrap_or_else(|| app.clock.today().year());
    if !(2000..=2100).contains(&year) {
        return Err(AppError::invalid("year", "a year between 2000 and 2100").into());
    }
    json(holidays::calendar(&app, actor, Some(facility.id), year).await)
}
