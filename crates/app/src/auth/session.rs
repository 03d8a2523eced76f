//! Sessions: the browser holds a random 32-byte token (cookie `bekal_session`), the database
//! only its SHA-256 (`user_sessions.id_hash`), a CSRF token and whether the second factor was
//! given. A session ends after [`IDLE_TIMEOUT`] without use or [`ABSOLUTE_TIMEOUT`] after
//! sign-in, whichever comes first; `last_seen_at` is refreshed at most once a minute.

use super::{actor_of, random_token, sha256_hex, throttle};
use crate::accounts::verify_password;
use crate::{Actor, App, AppError};
use bekal_store::entity::{user, user_session};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use bekal_store::{AuditActor, AuditScope, Changes};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use std::sync::OnceLock;

/// A session unused this long ends.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// A session ends this long after sign-in, however busy.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often.
pub const LAST_SEEN_GRANULARITY: Duration = Duration::minutes(1);

/// What a successful sign-in hands to the adapter (the token goes into the cookie only).
#[derive(Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    /// True while the second factor is still to be given (or enrolled).
    pub second_factor_pending: bool,
    pub expires_at: DateTime<Utc>,
    /// The account's chosen UI language (`id` / `en`), if any.
    pub locale: Option<String>,
}

impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSession")
            .field("token", &"[secret]")
            .field("second_factor_pending", &self.second_factor_pending)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A live session, resolved from its token.
#[derive(Clone)]
pub struct SessionInfo {
    pub actor: Actor,
    pub user_id: i64,
    pub id_hash: String,
    pub csrf_token: String,
    pub second_factor_done: bool,
    /// The account needs a second factor but has not enrolled one yet.
    pub needs_totp_enrolment: bool,
    /// The name shown in the page header.
    pub display_name: String,
    /// The account's chosen UI language (`id` / `en`), if any.
    pub locale: Option<String>,
}

impl std::fmt::Debug for SessionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionInfo")
            .field("actor", &self.actor)
            .field("second_factor_done", &self.second_factor_done)
            .finish()
    }
}

/// Whether this account must give a second factor at sign-in.
pub fn needs_second_factor(account: &user::Model) -> bool {
    account.totp_required || account.totp_enabled_at.is_some()
}

/// A hash to verify against when the username is unknown, so that the answer takes as long.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        crate::accounts::hash_password("bekal dummy password for timing").unwrap_or_default()
    })
}

async fn verify_blocking(password: &str, stored: &str) -> Result<bool, AppError> {
    let (password, stored) = (password.to_owned(), stored.to_owned());
    tokio::task::spawn_blocking(move || verify_password(&password, &stored))
        .await
        .map_err(|e| AppError::Internal(format!("verify task: {e}")))
}

const BAD_CREDENTIALS: &str = "username or password is wrong";

/// Signs in with a username and password from `address` (the client's IP address).
pub async fn login(
    app: &App,
    username: &str,
    password: &str,
    address: &str,
) -> Result<NewSession, AppError> {
    let now = app.clock.now();
    throttle::check_address(app, address, now).await?;
    let name = username.trim().to_lowercase();
    let account = user::Entity::find()
        .filter(user::Column::Username.eq(name.clone()))
        .one(app.store.conn())
        .await?
        .filter(|u| u.active);
    let Some(account) = account else {
        verify_blocking(password, dummy_hash()).await?;
        throttle::record_attempt(app, &name, address, false, now).await?;
        return Err(AppError::Unauthenticated(BAD_CREDENTIALS.into()));
    };
    if account.locked_until.is_some_and(|until| until > now) {
        throttle::record_attempt(app, &name, address, false, now).await?;
        return Err(AppError::RateLimited("account temporarily locked".into()));
    }
    if !verify_blocking(password, &account.password_hash).await? {
        throttle::record_attempt(app, &name, address, false, now).await?;
        if throttle::after_failure(app, &account, address, now).await? {
            return Err(AppError::RateLimited("account temporarily locked".into()));
        }
        return Err(AppError::Unauthenticated(BAD_CREDENTIALS.into()));
    }
    let token = random_token()?;
    let csrf_token = random_token()?;
    let pending = needs_second_factor(&account);
    let mut tx = app
        .store
        .begin_write(
            AuditScope::National,
            AuditActor::user(account.id, &account.username),
            now,
        )
        .await?;
    let expires_at = tx.at() + ABSOLUTE_TIMEOUT;
    user_session::ActiveModel {
        id_hash: Set(sha256_hex(&token)),
        user_id: Set(account.id),
        csrf_token: Set(csrf_token.clone()),
        second_factor_done: Set(!pending),
        created_at: Set(tx.at()),
        last_seen_at: Set(tx.at()),
        expires_at: Set(expires_at),
        user_agent: Set(None),
    }
    .insert(tx.conn())
    .await?;
    bekal_store::entity::login_attempt::ActiveModel {
        username: Set(name),
        address: Set(address.to_owned()),
        succeeded: Set(true),
        at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    if account.failed_logins != 0 || account.locked_until.is_some() {
        let mut row = account.clone().into_active_model();
        row.failed_logins = Set(0);
        row.locked_until = Set(None);
        row.updated_at = Set(tx.at());
        row.update(tx.conn()).await?;
    }
    tx.audit(
        "login",
        "user",
        account.id,
        Changes::note(json!({ "address": address, "second_factor_pending": pending })),
    );
    tx.commit().await?;
    Ok(NewSession {
        token,
        csrf_token,
        second_factor_pending: pending,
        expires_at,
        locale: account.locale.clone(),
    })
}

/// The session of `token`, if it is live. Expired sessions are deleted on sight.
pub async fn resolve_session(app: &App, token: &str) -> Result<SessionInfo, AppError> {
    let now = app.clock.now();
    let id_hash = sha256_hex(token);
    let gone = || AppError::Unauthenticated("no session".into());
    let session = user_session::Entity::find_by_id(id_hash.clone())
        .one(app.store.conn())
        .await?
        .ok_or_else(gone)?;
    if now >= session.expires_at || now - session.last_seen_at >= IDLE_TIMEOUT {
        user_session::Entity::delete_by_id(id_hash)
            .exec(app.store.conn())
            .await?;
        return Err(AppError::Unauthenticated("session expired".into()));
    }
    let account = user::Entity::find_by_id(session.user_id)
        .one(app.store.conn())
        .await?
        .filter(|u| u.active)
        .ok_or_else(gone)?;
    if now - session.last_seen_at >= LAST_SEEN_GRANULARITY {
        let mut row = session.clone().into_active_model();
        row.last_seen_at = Set(now);
        row.update(app.store.conn()).await?;
    }
    Ok(SessionInfo {
        actor: actor_of(&account)?,
        user_id: account.id,
        id_hash: session.id_hash,
        csrf_token: session.csrf_token,
        second_factor_done: session.second_factor_done,
        needs_totp_enrolment: account.totp_enabled_at.is_none() && account.totp_required,
        display_name: account.display_name.clone(),
        locale: account.locale.clone(),
    })
}

/// Ends one session (signing out).
pub async fn logout(app: &App, session: &SessionInfo) -> Result<(), AppError> {
    let mut tx = app
        .store
        .begin_write(
            AuditScope::National,
            session.actor.audit_actor(),
            app.clock.now(),
        )
        .await?;
    user_session::Entity::delete_by_id(session.id_hash.clone())
        .exec(tx.conn())
        .await?;
    tx.audit("logout", "user", session.user_id, Changes::note(json!({})));
    tx.commit().await?;
    Ok(())
}

/// Ends every session of the user (signing out everywhere). Returns how many ended.
pub async fn logout_everywhere(app: &App, actor: &Actor, user_id: i64) -> Result<u64, AppError> {
    match actor {
        Actor::User { id, .. } if *id == user_id => {}
        _ => actor.authorise(crate::Permission::ManageAccounts, None)?,
    }
    let mut tx = app
        .store
        .begin_write(AuditScope::National, actor.audit_actor(), app.clock.now())
        .await?;
    let ended = user_session::Entity::delete_many()
        .filter(user_session::Column::UserId.eq(user_id))
        .exec(tx.conn())
        .await?
        .rows_affected;
    tx.audit(
        "logout_everywhere",
        "user",
        user_id,
        Changes::note(json!({ "sessions_ended": ended })),
    );
    tx.commit().await?;
    Ok(ended)
}
