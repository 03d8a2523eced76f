//! API tokens for integrations: created for one account with a name and scopes (names of
//! permissions, e.g. `ReadAggregates`), shown once, stored as a SHA-256 hash, revocable, with
//! an optional expiry. A token acts with its owner's rights narrowed to its scopes: the
//! adapter asks [`TokenCaller::actor_for`] the permission a route needs before the use case
//! checks the owner's own rights.

use super::{actor_of, random_token, sha256_hex};
use crate::{Actor, App, AppError, Permission};
use bekal_store::entity::{api_token, user};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use bekal_store::{AuditScope, Changes};
use chrono::{DateTime, Utc};
use serde_json::json;

/// The prefix of every token, so that leaked ones are easy to recognise and scan for.
pub const TOKEN_PREFIX: &str = "bekal_";

/// The scopes a token may carry.
pub const SCOPES: &[&str] = &[
    "ListFacilities",
    "ReadAggregates",
    "ReadInmates",
    "WriteInmates",
    "ManageFacilitySetup",
    "ManageCatalogue",
    "ManageAccounts",
    "RecordResults",
    "IssueCertificates",
    "RevokeCertificates",
    "PlanTraining",
    "RecordAttendance",
    "ChangeEnrolments",
    "ReadClasses",
    "ReadFollowUps",
    "RecordFollowUps",
];

/// A created token: the secret is shown once and never stored.
#[derive(Clone)]
pub struct CreatedToken {
    pub id: i64,
    pub secret: String,
}

impl std::fmt::Debug for CreatedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedToken")
            .field("id", &self.id)
            .finish()
    }
}

fn may_manage(actor: &Actor, owner_id: i64) -> Result<(), AppError> {
    match actor {
        Actor::User { id, .. } if *id == owner_id => Ok(()),
        _ => actor.authorise(Permission::ManageAccounts, None),
    }
}

/// Creates a token for `username` (themselves, or anyone for an account manager).
pub async fn create(
    app: &App,
    actor: &Actor,
    username: &str,
    name: &str,
    scopes: &[String],
    expires_at: Option<DateTime<Utc>>,
) -> Result<CreatedToken, AppError> {
    let owner = super::password::find_user(app, username).await?;
    may_manage(actor, owner.id)?;
    if scopes.is_empty() {
        return Err(AppError::invalid("scopes", "at least one scope"));
    }
    if let Some(bad) = scopes.iter().find(|s| !SCOPES.contains(&s.as_str())) {
        return Err(AppError::invalid("scopes", format!("unknown scope {bad}")));
    }
    let name = name.trim();
    if name.is_empty() || name.len() > 100 {
        return Err(AppError::invalid("name", "1-100 characters"));
    }
    let secret = format!("{TOKEN_PREFIX}{}", random_token()?);
    let mut tx = app
        .store
        .begin_write(AuditScope::National, actor.audit_actor(), app.clock.now())
        .await?;
    let row = api_token::ActiveModel {
        user_id: Set(owner.id),
        name: Set(name.to_owned()),
        token_hash: Set(sha256_hex(&secret)),
        scopes: Set(json!(scopes)),
        created_at: Set(tx.at()),
        expires_at: Set(expires_at),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("create", "api_token", row.id, Changes::created(&row));
    tx.commit().await?;
    Ok(CreatedToken { id: row.id, secret })
}

/// Revokes a token (its owner or an account manager).
pub async fn revoke(app: &App, actor: &Actor, token_id: i64) -> Result<(), AppError> {
    let token = api_token::Entity::find_by_id(token_id)
        .one(app.store.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("api token {token_id}")))?;
    may_manage(actor, token.user_id)?;
    if token.revoked_at.is_some() {
        return Ok(());
    }
    let mut tx = app
        .store
        .begin_write(AuditScope::National, actor.audit_actor(), app.clock.now())
        .await?;
    let mut row = token.clone().into_active_model();
    row.revoked_at = Set(Some(tx.at()));
    let after = row.update(tx.conn()).await?;
    tx.audit(
        "revoke",
        "api_token",
        token_id,
        Changes::updated(&token, &after),
    );
    tx.commit().await?;
    Ok(())
}

/// The caller behind a live token: its owner, and the scopes that narrow the owner's rights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenCaller {
    pub actor: Actor,
    pub token_id: i64,
    pub scopes: Vec<String>,
}

impl TokenCaller {
    /// Whether the token's scopes include `permission` (the owner's rights are checked again by
    /// the use case itself).
    pub fn allows(&self, permission: Permission) -> bool {
        let name = format!("{permission:?}");
        self.scopes.contains(&name)
    }

    /// The owner's actor when the scope allows `permission`, else `Forbidden`.
    pub fn actor_for(&self, permission: Permission) -> Result<&Actor, AppError> {
        if self.allows(permission) {
            Ok(&self.actor)
        } else {
            Err(AppError::Forbidden(format!(
                "token scope lacks {permission:?}"
            )))
        }
    }
}

/// The caller of an `Authorization: Bearer` secret, if the token is live.
pub async fn resolve(app: &App, secret: &str) -> Result<TokenCaller, AppError> {
    let now = app.clock.now();
    let refused = || AppError::Unauthenticated("token not valid".into());
    if !secret.starts_with(TOKEN_PREFIX) {
        return Err(refused());
    }
    let token = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(sha256_hex(secret)))
        .one(app.store.conn())
        .await?
        .ok_or_else(refused)?;
    if token.revoked_at.is_some() || token.expires_at.is_some_and(|at| at <= now) {
        return Err(refused());
    }
    let owner = user::Entity::find_by_id(token.user_id)
        .one(app.store.conn())
        .await?
        .filter(|u| u.active)
        .ok_or_else(refused)?;
    if token
        .last_used_at
        .is_none_or(|at| now - at >= super::session::LAST_SEEN_GRANULARITY)
    {
        let mut row = token.clone().into_active_model();
        row.last_used_at = Set(Some(now));
        row.update(app.store.conn()).await?;
    }
    let scopes: Vec<String> = serde_json::from_value(token.scopes).unwrap_or_default();
    Ok(TokenCaller {
        actor: actor_of(&owner)?,
        token_id: token.id,
        scopes,
    })
}
