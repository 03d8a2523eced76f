//! User accounts: creating them and hashing passwords with argon2id. Sign-in, sessions,
//! throttling and second factors are in [`crate::auth`] (see docs/security.md).

use crate::{Actor, App, AppError, Permission};
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use bekal_domain::codes::parse_username;
use bekal_domain::role::Role;
use bekal_store::entity::{trainer, user};
use bekal_store::sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use bekal_store::{AuditScope, Changes};

/// Minimum password length (NIST SP 800-63B asks for at least 8; Bekal asks for 10).
pub const MIN_PASSWORD_LENGTH: usize = 10;

/// Hashes a password with argon2id and a random salt (PHC string format).
pub fn hash_password(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(format!("password hash: {e}")))
}

/// True when `password` matches the stored PHC hash.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// What is needed to create an account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    pub facility_id: Option<i64>,
    pub partner_id: Option<i64>,
    pub region: Option<String>,
}

/// Creates an account. Facility roles need a facility, partner roles a partner.
pub async fn create_user(app: &App, actor: &Actor, new: NewUser) -> Result<i64, AppError> {
    actor.authorise(Permission::ManageAccounts, None)?;
    let username = parse_username(&new.username)?;
    crate::auth::password::check_password(&username, &new.password)?;
    let needs_facility = matches!(new.role, Role::FacilityHead | Role::ProgramOfficer);
    if needs_facility && new.facility_id.is_none() {
        return Err(AppError::invalid(
            "facility",
            "this role belongs to a facility",
        ));
    }
    if matches!(new.role, Role::PartnerStaff | Role::Trainer) && new.partner_id.is_none() {
        return Err(AppError::invalid(
            "partner",
            "this role belongs to a training partner",
        ));
    }
    let password_hash = hash_password(&new.password)?;
    let mut tx = app
        .store
        .begin_write(AuditScope::National, actor.audit_actor(), app.clock.now())
        .await?;
    let row = user::ActiveModel {
        username: Set(username),
        display_name: Set(new.display_name.trim().to_owned()),
        password_hash: Set(password_hash),
        role: Set(new.role.as_str().to_owned()),
        facility_id: Set(new.facility_id),
        partner_id: Set(new.partner_id),
        region: Set(new.region),
        totp_required: Set(new.role == Role::NationalAdmin),
        failed_logins: Set(0),
        active: Set(true),
        password_changed_at: Set(Some(tx.at())),
        created_at: Set(tx.at()),
        updated_at: Set(tx.at()),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("create", "user", row.id, Changes::created(&row));
    tx.commit().await?;
    Ok(row.id)
}

/// Links a trainer account to the partner's trainer record, so the trainer sees the classes
/// they teach. The account must be a trainer of the same partner.
pub async fn link_trainer(
    app: &App,
    actor: &Actor,
    user_id: i64,
    trainer_id: i64,
) -> Result<(), AppError> {
    actor.authorise(Permission::ManageAccounts, None)?;
    let mut tx = app
        .store
        .begin_write(AuditScope::National, actor.audit_actor(), app.clock.now())
        .await?;
    let account = user::Entity::find_by_id(user_id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("user {user_id}")))?;
    let record = trainer::Entity::find_by_id(trainer_id)
        .one(tx.conn())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("trainer {trainer_id}")))?;
    if account.role != Role::Trainer.as_str() || account.partner_id != Some(record.partner_id) {
        return Err(AppError::invalid(
            "user",
            "only a trainer account of the same partner can be linked",
        ));
    }
    let before = record.user_id;
    let mut active: trainer::ActiveModel = record.into();
    active.user_id = Set(Some(user_id));
    active.updated_at = Set(tx.at());
    active.update(tx.conn()).await?;
    tx.audit(
        "link-account",
        "trainer",
        trainer_id,
        Changes::note(serde_json::json!({ "user_id": user_id, "before": before })),
    );
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash_password("correct horse battery").unwrap();
        let b = hash_password("correct horse battery").unwrap();
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("wrong horse battery", &a));
        assert!(!verify_password("x", "not a hash"));
    }
}
