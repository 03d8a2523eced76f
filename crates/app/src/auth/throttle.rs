//! Sign-in throttling, kept in the database so that every server sees the same counts.
//! Per account: [`MAX_FAILURES_PER_ACCOUNT`] failures within [`WINDOW`] lock the account for
//! [`LOCK_DURATION`], and the lock is written to the audit log. Per address:
//! [`MAX_FAILURES_PER_ADDRESS`] failures within the window refuse every further attempt from
//! that address (HTTP 429) until older failures leave the window.

use crate::{App, AppError};
use bekal_store::entity::{login_attempt, user, user_session};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter,
};
use bekal_store::{AuditActor, AuditScope, Changes};
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

/// The window in which failures are counted.
pub const WINDOW: Duration = Duration::minutes(15);
/// Failures of one account within the window that lock it.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
/// How long a lock lasts.
pub const LOCK_DURATION: Duration = Duration::minutes(15);
/// Failures from one address within the window after which it is refused.
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;

/// Refuses an address that failed too often recently.
pub async fn check_address(app: &App, address: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    let failures = login_attempt::Entity::find()
        .filter(login_attempt::Column::Address.eq(address))
        .filter(login_attempt::Column::Succeeded.eq(false))
        .filter(login_attempt::Column::At.gt(now - WINDOW))
        .count(app.store.conn())
        .await?;
    if failures >= MAX_FAILURES_PER_ADDRESS {
        tracing::warn!(
            address,
            failures,
            "sign-in refused: too many failures from this address"
        );
        return Err(AppError::RateLimited(
            "too many failed sign-ins from this address".into(),
        ));
    }
    Ok(())
}

/// Records one attempt. Attempts are bookkeeping, not data: they are written without an
/// audit entry (a flood of failures must not flood the chain); locks and sign-ins are audited.
pub async fn record_attempt(
    app: &App,
    username: &str,
    address: &str,
    succeeded: bool,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    login_attempt::ActiveModel {
        username: Set(username.chars().take(64).collect()),
        address: Set(address.to_owned()),
        succeeded: Set(succeeded),
        at: Set(at),
        ..Default::default()
    }
    .insert(app.store.conn())
    .await?;
    Ok(())
}

/// After a failed attempt on an existing account: locks it when it failed too often, ending
/// its sessions. Returns true when the account is now locked.
pub async fn after_failure(
    app: &App,
    account: &user::Model,
    address: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let failures = login_attempt::Entity::find()
        .filter(login_attempt::Column::Username.eq(account.username.clone()))
        .filter(login_attempt::Column::Succeeded.eq(false))
        .filter(login_attempt::Column::At.gt(now - WINDOW))
        .count(app.store.conn())
        .await?;
    if failures < MAX_FAILURES_PER_ACCOUNT {
        return Ok(false);
    }
    let mut tx = app
        .store
        .begin_write(AuditScope::National, AuditActor::system("sign-in"), now)
        .await?;
    let until = tx.at() + LOCK_DURATION;
    let mut row = account.clone().into_active_model();
    row.locked_until = Set(Some(until));
    row.failed_logins = Set(i32::try_from(failures).unwrap_or(i32::MAX));
    row.updated_at = Set(tx.at());
    row.update(tx.conn()).await?;
    user_session::Entity::delete_many()
        .filter(user_session::Column::UserId.eq(account.id))
        .exec(tx.conn())
        .await?;
    tx.audit(
        "lock",
        "user",
        account.id,
        Changes::note(json!({
            "failures": failures,
            "window_minutes": WINDOW.num_minutes(),
            "locked_until": until,
            "address": address,
        })),
    );
    tx.commit().await?;
    tracing::warn!(
        user_id = account.id,
        "account locked after repeated failed sign-ins"
    );
    Ok(true)
}
