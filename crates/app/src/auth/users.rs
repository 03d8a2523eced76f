//! Account administration by codes, as the CLI and admin screens name things: the facility
//! and partner of a new account are given by their codes.

use crate::accounts::{self, NewUser};
use crate::{Actor, App, AppError, facilities};
use bekal_domain::role::Role;
use bekal_store::entity::partner;
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// A new account, with its scope given by codes.
#[derive(Clone)]
pub struct UserSpec {
    pub username: String,
    pub display_name: Option<String>,
    pub password: String,
    pub role: Role,
    pub facility_code: Option<String>,
    pub partner_code: Option<String>,
    pub region: Option<String>,
}

impl std::fmt::Debug for UserSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserSpec")
            .field("username", &self.username)
            .field("role", &self.role)
            .field("password", &"[secret]")
            .finish()
    }
}

/// Creates an account; returns its id.
pub async fn add(app: &App, actor: &Actor, spec: UserSpec) -> Result<i64, AppError> {
    let facility_id = match &spec.facility_code {
        Some(code) => Some(facilities::get_by_code(app, actor, code).await?.id),
        None => None,
    };
    let partner_id = match &spec.partner_code {
        Some(code) => Some(
            partner::Entity::find()
                .filter(partner::Column::Code.eq(code.trim().to_uppercase()))
                .one(app.store.conn())
                .await?
                .ok_or_else(|| AppError::NotFound(format!("partner {code}")))?
                .id,
        ),
        None => None,
    };
    accounts::create_user(
        app,
        actor,
        NewUser {
            display_name: spec.display_name.unwrap_or_else(|| spec.username.clone()),
            username: spec.username,
            password: spec.password,
            role: spec.role,
            facility_id,
            partner_id,
            region: spec.region,
        },
    )
    .await
}
