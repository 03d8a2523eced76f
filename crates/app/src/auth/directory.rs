//! The account directory for administrators: every account with its role, scope (facility,
//! partner, region by code) and state (active, locked, second factor), and switching an
//! account off or on again. Switching one off ends its sessions in the same transaction;
//! its API tokens stop working with it (they resolve only for active accounts).

use crate::{Actor, App, AppError, Permission};
use bekal_domain::role::Role;
use bekal_store::entity::{facility, partner, user, user_session};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use bekal_store::{AuditScope, Changes};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// An account as the administration screens and API show it (never its secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub facility_code: Option<String>,
    pub partner_code: Option<String>,
    pub region: Option<String>,
    pub active: bool,
    /// Signing in is refused until this time after repeated failures.
    pub locked: bool,
    pub second_factor_required: bool,
    pub second_factor_enrolled: bool,
}

/// Which accounts to list: a text in the username or name, one role, only active ones.
#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub text: Option<String>,
    pub role: Option<Role>,
    pub active_only: bool,
}

/// Every account matching `filter`, by username.
pub async fn list(
    app: &App,
    actor: &Actor,
    filter: &AccountFilter,
) -> Result<Vec<AccountView>, AppError> {
    actor.authorise(Permission::ManageAccounts, None)?;
    let conn = app.store.conn();
    let facility_codes: HashMap<i64, String> = facility::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|f| (f.id, f.code))
        .collect();
    let partner_codes: HashMap<i64, String> = partner::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.code))
        .collect();
    let mut query = user::Entity::find().order_by_asc(user::Column::Username);
    if let Some(role) = filter.role {
        query = query.filter(user::Column::Role.eq(role.as_str()));
    }
    if filter.active_only {
        query = query.filter(user::Column::Active.eq(true));
    }
    let needle = filter
        .text
        .as_deref()
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty());
    let now = app.clock.now();
    let mut accounts = Vec::new();
    for row in query.all(conn).await? {
        if let Some(needle) = &needle
            && !row.username.contains(needle.as_str())
            && !row.display_name.to_lowercase().contains(needle.as_str())
        {
            continue;
        }
        let role = row.role.parse::<Role>().map_err(|_| {
            AppError::Internal(format!(
                "account {} has unknown role {:?}",
                row.id, row.role
            ))
        })?;
        accounts.push(AccountView {
            id: row.id,
            role,
            facility_code: row
                .facility_id
                .and_then(|id| facility_codes.get(&id).cloned()),
            partner_code: row
                .partner_id
                .and_then(|id| partner_codes.get(&id).cloned()),
            region: row.region,
            active: row.active,
            locked: row.locked_until.is_some_and(|until| until > now),
            second_factor_required: row.totp_required,
            second_factor_enrolled: row.totp_enabled_at.is_some(),
            username: row.username,
            display_name: row.display_name,
        });
    }
    Ok(accounts)
}

/// Switches an account off (it can no longer sign in, its sessions end, its tokens stop) or
/// on again, with a reason kept in the audit log. Administrators cannot switch themselves
/// off (the last administrator would lock everyone out).
pub async fn set_active(
    app: &App,
    actor: &Actor,
    username: &str,
    active: bool,
    reason: &str,
) -> Result<AccountView, AppError> {
    actor.authorise(Permission::ManageAccounts, None)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", "say why"));
    }
    let account = crate::auth::password::find_user(app, username).await?;
    if !active && actor.user_id() == Some(account.id) {
        return Err(AppError::invalid(
            "username",
            "you cannot switch off your own account",
        ));
    }
    if account.active != active {
        let mut tx = app
            .store
            .begin_write(AuditScope::National, actor.audit_actor(), app.clock.now())
            .await?;
        let mut row = account.clone().into_active_model();
        row.active = Set(active);
        row.updated_at = Set(tx.at());
        let after = row.update(tx.conn()).await?;
        let ended = if active {
            0
        } else {
            user_session::Entity::delete_many()
                .filter(user_session::Column::UserId.eq(account.id))
                .exec(tx.conn())
                .await?
                .rows_affected
        };
        tx.audit(
            if active { "activate" } else { "deactivate" },
            "user",
            account.id,
            Changes::updated(&account, &after),
        );
        tx.audit(
            "account_state",
            "user",
            account.id,
            Changes::note(json!({ "active": active, "reason": reason, "sessions_ended": ended })),
        );
        tx.commit().await?;
    }
    let filter = AccountFilter {
        text: Some(account.username.clone()),
        ..Default::default()
    };
    list(app, actor, &filter)
        .await?
        .into_iter()
        .find(|a| a.id == account.id)
        .ok_or_else(|| AppError::NotFound(format!("user {username}")))
}

/// A training partner an account can belong to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PartnerChoice {
    pub code: String,
    pub name: String,
}

/// The partners, by code, for the account form.
pub async fn partners(app: &App, actor: &Actor) -> Result<Vec<PartnerChoice>, AppError> {
    actor.authorise(Permission::ManageAccounts, None)?;
    Ok(partner::Entity::find()
        .order_by_asc(partner::Column::Code)
        .all(app.store.conn())
        .await?
        .into_iter()
        .map(|p| PartnerChoice {
            code: p.code,
            name: p.name,
        })
        .collect())
}
