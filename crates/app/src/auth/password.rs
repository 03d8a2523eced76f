//! Password rules after NIST SP 800-63B (length 10 to 128, not the username, not a commonly
//! used password; no composition rules, no forced expiry), the administrator's reset and a
//! user's change of their own password. Both end every session of the account.

use crate::accounts::{MIN_PASSWORD_LENGTH, hash_password, verify_password};
use crate::{Actor, App, AppError, Permission};
use bekal_store::entity::{user, user_session};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use bekal_store::{AuditScope, Changes};
use serde_json::json;

/// Longest password accepted (NIST asks to allow at least 64).
pub const MAX_PASSWORD_LENGTH: usize = 128;

/// Passwords seen most often in breaches, and obvious local ones. A small built-in list: a
/// full breached-password corpus is optional in 800-63B and would not fit the binary.
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "password1",
    "password12",
    "password123",
    "password1234",
    "passw0rd",
    "123456789",
    "1234567890",
    "12345678910",
    "0123456789",
    "1q2w3e4r5t",
    "qwertyuiop",
    "qwerty123",
    "qwerty12345",
    "iloveyou",
    "iloveyou1",
    "sunshine1",
    "princess1",
    "football1",
    "baseball1",
    "welcome123",
    "welcome1",
    "abc1234567",
    "aaaaaaaaaa",
    "1111111111",
    "0000000000",
    "admin12345",
    "administrator",
    "letmein123",
    "monkey1234",
    "dragon1234",
    "superman1",
    "trustno1",
    "changeme",
    "changeme123",
    "katasandi",
    "katasandi123",
    "rahasia123",
    "rahasia1234",
    "indonesia",
    "indonesia1",
    "indonesia123",
    "merdeka45",
    "merdeka1945",
    "bismillah",
    "bismillah1",
    "bismillah123",
    "sayang123",
    "bekal12345",
    "bekal123456",
    "lapas12345",
    "pemasyarakatan",
];

/// Checks a new password against the rules; the message names the rule, never the password.
pub fn check_password(username: &str, password: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_LENGTH {
        return Err(AppError::invalid(
            "password",
            format!("at least {MIN_PASSWORD_LENGTH} characters"),
        ));
    }
    if length > MAX_PASSWORD_LENGTH {
        return Err(AppError::invalid(
            "password",
            format!("at most {MAX_PASSWORD_LENGTH} characters"),
        ));
    }
    let lowered = password.to_lowercase();
    if lowered == username.trim().to_lowercase()
        || lowered.contains(&username.trim().to_lowercase()) && username.trim().len() >= 4
    {
        return Err(AppError::invalid(
            "password",
            "must not contain the username",
        ));
    }
    if COMMON_PASSWORDS.contains(&lowered.as_str()) {
        return Err(AppError::invalid("password", "too common, choose another"));
    }
    let mut chars = password.chars();
    if let Some(first) = chars.next()
        && chars.all(|c| c == first)
    {
        return Err(AppError::invalid("password", "one repeated character"));
    }
    Ok(())
}

async fn set_password(
    app: &App,
    actor: &Actor,
    account: user::Model,
    password: &str,
    action: &str,
) -> Result<(), AppError> {
    check_password(&account.username, password)?;
    let owned = password.to_owned();
    let hash = tokio::task::spawn_blocking(move || hash_password(&owned))
        .await
        .map_err(|e| AppError::Internal(format!("hashing task: {e}")))??;
    let mut tx = app
        .store
        .begin_write(AuditScope::National, actor.audit_actor(), app.clock.now())
        .await?;
    let mut row = account.clone().into_active_model();
    row.password_hash = Set(hash);
    row.password_changed_at = Set(Some(tx.at()));
    row.failed_logins = Set(0);
    row.locked_until = Set(None);
    row.updated_at = Set(tx.at());
    let after = row.update(tx.conn()).await?;
    let ended = user_session::Entity::delete_many()
        .filter(user_session::Column::UserId.eq(account.id))
        .exec(tx.conn())
        .await?
        .rows_affected;
    tx.audit(
        action,
        "user",
        account.id,
        Changes::updated(&account, &after),
    );
    tx.audit(
        "logout_everywhere",
        "user",
        account.id,
        Changes::note(json!({ "sessions_ended": ended, "reason": action })),
    );
    tx.commit().await?;
    Ok(())
}

/// An administrator (or the CLI operator) sets a new password: the account is unlocked and
/// every session of it ends.
pub async fn reset_password(
    app: &App,
    actor: &Actor,
    username: &str,
    new_password: &str,
) -> Result<(), AppError> {
    actor.authorise(Permission::ManageAccounts, None)?;
    let account = find_user(app, username).await?;
    set_password(app, actor, account, new_password, "reset_password").await
}

/// A signed-in user changes their own password, giving the current one. Every session ends,
/// this one too: the user signs in again with the new password.
pub async fn change_own_password(
    app: &App,
    actor: &Actor,
    current: &str,
    new_password: &str,
) -> Result<(), AppError> {
    let Actor::User { id, .. } = actor else {
        return Err(AppError::Forbidden("only a signed-in user".into()));
    };
    let account = user::Entity::find_by_id(*id)
        .one(app.store.conn())
        .await?
        .ok_or_else(|| AppError::NotFound("user".into()))?;
    if !verify_password(current, &account.password_hash) {
        return Err(AppError::invalid("current_password", "does not match"));
    }
    set_password(app, actor, account, new_password, "change_password").await
}

/// The account with this username.
pub(crate) async fn find_user(app: &App, username: &str) -> Result<user::Model, AppError> {
    user::Entity::find()
        .filter(user::Column::Username.eq(username.trim().to_lowercase()))
        .one(app.store.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {}", username.trim())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_follow_nist() {
        assert!(check_password("siti", "a long enough passphrase").is_ok());
        assert!(check_password("siti", "short").is_err());
        assert!(check_password("siti", &"x".repeat(129)).is_err());
        assert!(check_password("siti", &"xy".repeat(64)).is_ok());
        assert!(check_password("petugas.pkl", "petugas.pkl").is_err());
        assert!(check_password("petugas.pkl", "PETUGAS.PKL-2026").is_err());
        assert!(check_password("siti", "Password123").is_err());
        assert!(check_password("siti", "bismillah123").is_err());
        assert!(check_password("siti", "zzzzzzzzzzzz").is_err());
    }
}
