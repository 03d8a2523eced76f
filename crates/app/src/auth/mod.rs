//! Sign-in and everything around it (issue 9): sessions stored in the database (servers stay
//! stateless), throttling, password rules, TOTP second factor with recovery codes, API tokens,
//! signed audit checkpoints, and the audit of reads of sensitive records. See docs/security.md.

pub mod checkpoint;
pub mod directory;
pub mod password;
pub mod session;
pub mod throttle;
pub mod tokens;
pub mod totp;
pub mod users;

pub use session::{NewSession, SessionInfo, login, logout, logout_everywhere, resolve_session};

use crate::{Actor, App, AppError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bekal_domain::role::Role;
use bekal_store::entity::user;
use bekal_store::{AuditScope, Changes};
use serde_json::json;
use sha2::{Digest, Sha256};

/// `n` random bytes from the operating system.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Internal(format!("random: {e}")))?;
    Ok(bytes)
}

/// A fresh secret: 32 random bytes, base64url without padding (43 characters).
pub(crate) fn random_token() -> Result<String, AppError> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// The hex SHA-256 of a secret: what the database keeps instead of the secret.
pub(crate) fn sha256_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The actor of a user row (an unknown role text is refused, never guessed).
pub(crate) fn actor_of(user: &user::Model) -> Result<Actor, AppError> {
    let role: Role = user
        .role
        .parse()
        .map_err(|_| AppError::Internal(format!("user {} has an unknown role", user.id)))?;
    Ok(Actor::User {
        id: user.id,
        username: user.username.clone(),
        role,
        facility_id: user.facility_id,
        partner_id: user.partner_id,
        region: user.region.clone(),
    })
}

/// Records that `actor` read a sensitive record (an inmate's full page, an export): an audit
/// entry with action `read` in the facility's chain (or the national one), naming the purpose.
pub async fn audit_read(
    app: &App,
    actor: &Actor,
    facility_id: Option<i64>,
    entity: &str,
    id: impl ToString,
    purpose: &str,
) -> Result<(), AppError> {
    let scope = facility_id.map_or(AuditScope::National, AuditScope::Facility);
    let mut tx = app
        .store
        .begin_write(scope, actor.audit_actor(), app.clock.now())
        .await?;
    tx.audit(
        "read",
        entity,
        id,
        Changes::note(json!({ "purpose": purpose })),
    );
    tx.commit().await?;
    Ok(())
}

/// A fresh random key for a form that must be submitted at most once (e.g. an attendance
/// sheet's idempotency key, rendered into the page and reused by every retry of it).
pub fn new_form_key() -> Result<String, AppError> {
    random_token()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_compared_in_constant_time() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, &b));
        assert!(!constant_time_eq("abc", "abcd"));
        assert_eq!(sha256_hex("abc").len(), 64);
    }
}
