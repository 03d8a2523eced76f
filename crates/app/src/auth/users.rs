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

/// Sets the signed-in user's own UI language (`id` or `en`; anything else is refused).
pub async fn set_own_locale(app: &App, actor: &Actor, locale: &str) -> Result<(), AppError> {
    use bekal_store::entity::user;
    use bekal_store::sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
    use bekal_store::{AuditScope, Changes};
    if !matches!(locale, "id" | "en") {
        return Err(AppError::invalid("locale", "must be id or en"));
    }
    let Some(user_id) = actor.user_id() else {
        return Err(AppError::Forbidden("a signed-in user".into()));
    };
    let mut tx = app
        .store
        .begin_write(AuditScope::National, actor.audit_actor(), app.clock.now())
        .await?;
    let before = user::Entity::find_by_id(user_id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {user_id}")))?;
    if before.locale.as_deref() == Some(locale) {
        tx.rollback().await?;
        return Ok(());
    }
    let mut row = before.clone().into_active_model();
    row.locale = Set(Some(locale.to_owned()));
    row.updated_at = Set(tx.at());
    let after = row.update(tx.conn()).await?;
    tx.audit("update", "user", user_id, Changes::updated(&before, &after));
    tx.commit().await?;
    Ok(())
}
