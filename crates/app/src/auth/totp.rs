//! The second factor: TOTP after RFC 6238 (HMAC-SHA-1, 30-second steps, 6 digits, one step of
//! clock drift either way, no code accepted twice) and ten single-use recovery codes, stored
//! as SHA-256 hashes. Required for national admins and for any account with `totp_required`;
//! such a session is not fully signed in until the second factor is given.

use super::session::{SessionInfo, needs_second_factor};
use super::{random_bytes, sha256_hex, throttle};
use crate::{App, AppError};
use bekal_store::entity::{user, user_session};
use bekal_store::sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
use bekal_store::{AuditScope, Changes};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::json;
use sha1::Sha1;

/// Seconds per TOTP step.
pub const STEP_SECONDS: i64 = 30;
/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Steps of drift accepted either side of now.
pub const DRIFT_STEPS: i64 = 1;
/// Recovery codes given at enrolment.
pub const RECOVERY_CODES: usize = 10;

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding (how authenticator apps take secrets).
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = buf.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..chars {
            let index = (bits >> (35 - i * 5)) & 31;
            out.push(char::from(BASE32[index as usize]));
        }
    }
    out
}

/// Decodes base32 (case-insensitive, spaces and padding ignored); `None` on a bad character.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut bits, mut count) = (0u64, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = BASE32
            .iter()
            .position(|b| char::from(*b) == c.to_ascii_uppercase())?;
        bits = (bits << 5) | value as u64;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push(((bits >> count) & 0xff) as u8);
        }
    }
    Some(out)
}

/// HOTP (RFC 4226): the `digits`-digit code of `key` at `counter`.
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> Result<u32, AppError> {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key)
        .map_err(|e| AppError::Internal(format!("hmac key: {e}")))?;
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = (u32::from(digest[offset]) & 0x7f) << 24
        | u32::from(digest[offset + 1]) << 16
        | u32::from(digest[offset + 2]) << 8
        | u32::from(digest[offset + 3]);
    Ok(binary % 10u32.pow(digits))
}

/// TOTP (RFC 6238): the code of `key` at Unix time `unix_seconds`.
pub fn totp_at(key: &[u8], unix_seconds: i64, digits: u32) -> Result<u32, AppError> {
    hotp(key, step_of(unix_seconds), digits)
}

fn step_of(unix_seconds: i64) -> u64 {
    u64::try_from(unix_seconds.div_euclid(STEP_SECONDS)).unwrap_or(0)
}

/// The step at which `code` is valid near `unix_seconds`, if any, after `last_step`.
fn matching_step(key: &[u8], code: &str, unix_seconds: i64, last_step: Option<i64>) -> Option<i64> {
    let code: u32 = code.trim().parse().ok()?;
    let now = i64::try_from(step_of(unix_seconds)).ok()?;
    (now - DRIFT_STEPS..=now + DRIFT_STEPS)
        .filter(|step| last_step.is_none_or(|last| *step > last))
        .find(|step| {
            u64::try_from(*step)
                .ok()
                .and_then(|s| hotp(key, s, DIGITS).ok())
                == Some(code)
        })
}

/// A pending enrolment: the secret to type or scan into an authenticator app.
#[derive(Clone)]
pub struct Enrolment {
    pub secret: String,
    pub otpauth_uri: String,
}

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Enrolment([secret])")
    }
}

async fn account_of(app: &App, session: &SessionInfo) -> Result<user::Model, AppError> {
    user::Entity::find_by_id(session.user_id)
        .one(app.store.conn())
        .await?
        .ok_or_else(|| AppError::Unauthenticated("no session".into()))
}

/// The enrolment in progress for this session's account, started if there is none. Refused
/// once a second factor is confirmed (a stolen password must not replace it).
pub async fn pending_enrolment(app: &App, session: &SessionInfo) -> Result<Enrolment, AppError> {
    let account = account_of(app, session).await?;
    if account.totp_enabled_at.is_some() {
        return Err(AppError::Conflict(
            "a second factor is already set up".into(),
        ));
    }
    let secret = match &account.totp_secret {
        Some(secret) => secret.clone(),
        None => {
            let secret = base32_encode(&random_bytes::<20>()?);
            let mut tx = app
                .store
                .begin_write(
                    AuditScope::National,
                    session.actor.audit_actor(),
                    app.clock.now(),
                )
                .await?;
            let mut row = account.clone().into_active_model();
            row.totp_secret = Set(Some(secret.clone()));
            row.updated_at = Set(tx.at());
            let after = row.update(tx.conn()).await?;
            tx.audit(
                "totp_enrol_start",
                "user",
                account.id,
                Changes::updated(&account, &after),
            );
            tx.commit().await?;
            secret
        }
    };
    let otpauth_uri = format!(
        "otpauth://totp/Bekal:{}?secret={secret}&issuer=Bekal&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        account.username
    );
    Ok(Enrolment {
        secret,
        otpauth_uri,
    })
}

/// Confirms an enrolment with a first code; returns the recovery codes (shown once). The
/// session counts as fully signed in afterwards.
pub async fn confirm_enrolment(
    app: &App,
    session: &SessionInfo,
    code: &str,
    address: &str,
) -> Result<Vec<String>, AppError> {
    let account = account_of(app, session).await?;
    let (Some(secret), None) = (&account.totp_secret, account.totp_enabled_at) else {
        return Err(AppError::Conflict("no enrolment in progress".into()));
    };
    let key = base32_decode(secret).ok_or_else(|| AppError::Internal("bad TOTP secret".into()))?;
    let now = app.clock.now();
    let Some(step) = matching_step(&key, code, now.timestamp(), None) else {
        return Err(failure(app, &account, address).await);
    };
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let raw = base32_encode(&random_bytes::<7>()?).to_lowercase();
        codes.push(format!("{}-{}", &raw[..5], &raw[5..10]));
    }
    let hashes: Vec<String> = codes.iter().map(|c| sha256_hex(&normalise(c))).collect();
    let mut tx = app
        .store
        .begin_write(AuditScope::National, session.actor.audit_actor(), now)
        .await?;
    let mut row = account.clone().into_active_model();
    row.totp_enabled_at = Set(Some(tx.at()));
    row.totp_last_step = Set(Some(step));
    row.recovery_codes = Set(Some(json!(hashes)));
    row.updated_at = Set(tx.at());
    let after = row.update(tx.conn()).await?;
    mark_done(&tx, session).await?;
    tx.audit(
        "totp_enrol",
        "user",
        account.id,
        Changes::updated(&account, &after),
    );
    tx.commit().await?;
    Ok(codes)
}

fn normalise(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}

async fn mark_done(tx: &bekal_store::WriteTx, session: &SessionInfo) -> Result<(), AppError> {
    user_session::ActiveModel {
        id_hash: Set(session.id_hash.clone()),
        second_factor_done: Set(true),
        ..Default::default()
    }
    .update(tx.conn())
    .await?;
    Ok(())
}

async fn failure(app: &App, account: &user::Model, address: &str) -> AppError {
    let now = app.clock.now();
    let recorded = async {
        throttle::record_attempt(app, &account.username, address, false, now).await?;
        throttle::after_failure(app, account, address, now).await
    };
    match recorded.await {
        Ok(true) => AppError::RateLimited("account temporarily locked".into()),
        Ok(false) => AppError::Unauthenticated("the code is not valid".into()),
        Err(err) => err,
    }
}

/// Gives the second factor for a session: a current TOTP code or an unused recovery code.
pub async fn verify_second_factor(
    app: &App,
    session: &SessionInfo,
    code: &str,
    address: &str,
) -> Result<(), AppError> {
    let account = account_of(app, session).await?;
    if session.second_factor_done || !needs_second_factor(&account) {
        return Ok(());
    }
    let (Some(secret), Some(_)) = (&account.totp_secret, account.totp_enabled_at) else {
        return Err(AppError::Conflict("set up the second factor first".into()));
    };
    let key = base32_decode(secret).ok_or_else(|| AppError::Internal("bad TOTP secret".into()))?;
    let now = app.clock.now();
    let mut row = account.clone().into_active_model();
    let method =
        if let Some(step) = matching_step(&key, code, now.timestamp(), account.totp_last_step) {
            row.totp_last_step = Set(Some(step));
            "totp"
        } else {
            let wanted = sha256_hex(&normalise(code));
            let mut hashes: Vec<String> = account
                .recovery_codes
                .as_ref()
                .and_then(|v| serde_json::from_value(v.clone()).ok())
                .unwrap_or_default();
            let before = hashes.len();
            hashes.retain(|h| !super::constant_time_eq(h, &wanted));
            if normalise(code).len() < 10 || hashes.len() == before {
                return Err(failure(app, &account, address).await);
            }
            row.recovery_codes = Set(Some(json!(hashes)));
            "recovery_code"
        };
    let mut tx = app
        .store
        .begin_write(AuditScope::National, session.actor.audit_actor(), now)
        .await?;
    row.updated_at = Set(tx.at());
    row.update(tx.conn()).await?;
    mark_done(&tx, session).await?;
    tx.audit(
        "second_factor",
        "user",
        account.id,
        Changes::note(json!({ "method": method, "address": address })),
    );
    tx.commit().await?;
    Ok(())
}

/// Sets whether an account must use a second factor (national admins always must).
pub async fn set_required(
    app: &App,
    actor: &crate::Actor,
    username: &str,
    required: bool,
) -> Result<(), AppError> {
    actor.authorise(crate::Permission::ManageAccounts, None)?;
    let account = super::password::find_user(app, username).await?;
    let required = required || account.role == bekal_domain::role::Role::NationalAdmin.as_str();
    let mut tx = app
        .store
        .begin_write(AuditScope::National, actor.audit_actor(), app.clock.now())
        .await?;
    let mut row = account.clone().into_active_model();
    row.totp_required = Set(required);
    row.updated_at = Set(tx.at());
    let after = row.update(tx.conn()).await?;
    tx.audit(
        "update",
        "user",
        account.id,
        Changes::updated(&account, &after),
    );
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (8 digits, the seed "12345678901234567890").
    #[test]
    fn rfc6238_sha1_vectors() {
        let key = b"12345678901234567890";
        for (time, code) in [
            (59, 94_287_082),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000, 65_353_130),
        ] {
            assert_eq!(totp_at(key, time, 8).unwrap(), code, "T = {time}");
        }
        assert_eq!(totp_at(key, 59, 6).unwrap(), 287_082);
    }

    #[test]
    fn rfc4226_hotp_vectors() {
        let key = b"12345678901234567890";
        let expected = [755_224, 287_082, 359_152, 969_429, 338_314];
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(hotp(key, counter as u64, 6).unwrap(), *code);
        }
    }

    #[test]
    fn base32_round_trips_and_codes_are_single_use() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("MZXW6YTBOI").unwrap(), b"foobar");
        assert_eq!(base32_decode("mzxw6ytboi======").unwrap(), b"foobar");
        assert!(base32_decode("1!").is_none());
        let key = b"12345678901234567890";
        let code = format!("{:06}", totp_at(key, 59, 6).unwrap());
        let step = matching_step(key, &code, 59, None).unwrap();
        assert_eq!(step, 1);
        assert_eq!(
            matching_step(key, &code, 59, Some(step)),
            None,
            "replay refused"
        );
        assert_eq!(
            matching_step(key, &code, 59 + 30, None),
            Some(1),
            "one step of drift"
        );
        assert_eq!(matching_step(key, &code, 59 + 90, None), None);
    }
}
