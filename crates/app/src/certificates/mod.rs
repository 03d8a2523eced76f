//! Certificates: issuance by the training partner (never the facility), revocation, key
//! management and public verification, on top of `bekal-credentials`.
//!
//! - [`keys`]: one Ed25519 `did:key` per partner, generated on first use; the secret lives in a
//!   key file under `<data_dir>/keys/` (mode 0600), the database only keeps its path.
//! - [`number`]: certificate numbers from the partner's format.
//! - [`issue`]: batch issuance for a class, for the trainees who meet the completion rule.
//! - [`revoke`]: revocation through the partner's bitstring status list.
//! - [`holder`]: download codes with which holders fetch their PDF and credential again.
//! - [`public`]: what the public verification page, the API and `bekal verify` show.

pub mod export;
pub mod holder;
pub mod issue;
pub mod keys;
pub mod number;
pub mod print;
pub mod public;
pub mod revoke;

use crate::{Actor, AppError, Permission};
use bekal_domain::role::Role;
use std::path::PathBuf;

pub use export::{ExportScope, ExportedCertificate, PrintFacts, export};
pub use issue::{BatchReport, IssuedCertificate, SkippedTrainee, issue_class};
pub use keys::{KeyStore, partner_key_ring, rotate_key};
pub use public::{
    PublicCertificate, VerifyResult, lookup_public, status_list_credential, verify_text,
};
pub use revoke::revoke;

/// Bits of every status list (the W3C minimum, 16 KiB).
pub const STATUS_LIST_BITS: usize = bekal_credentials::MIN_STATUS_LIST_BITS;

/// What issuance and revocation need besides the app: where key files live and the public
/// https base URL under which status lists and the verification page are served.
#[derive(Debug, Clone)]
pub struct CertificateConfig {
    pub keys: KeyStore,
    /// E.g. `https://bekal.example.go.id` (no trailing slash needed).
    pub public_base_url: String,
}

impl CertificateConfig {
    /// Key files in `<data_dir>/keys`.
    pub fn new(data_dir: impl Into<PathBuf>, public_base_url: &str) -> Self {
        CertificateConfig {
            keys: KeyStore::new(data_dir.into().join("keys")),
            public_base_url: public_base_url.trim_end_matches('/').to_owned(),
        }
    }

    /// The URL of a status list credential.
    pub fn status_list_url(&self, partner_code: &str, list_id: i64) -> String {
        format!("{}/status/{partner_code}/{list_id}", self.public_base_url)
    }
}

/// Issuing and revoking belong to the partner: its staff, national admins and the operator.
/// Allows a certificate action for some partner, before the partner is known (a form that
/// asks for a certificate number): national administrators and partner staff of a partner.
pub fn authorise_any_partner(actor: &Actor, permission: Permission) -> Result<(), AppError> {
    let allowed = match actor {
        Actor::Operator { .. } => true,
        Actor::Public => false,
        Actor::User {
            role, partner_id, ..
        } => *role == Role::NationalAdmin || (*role == Role::PartnerStaff && partner_id.is_some()),
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!("{permission:?}")))
    }
}

pub fn authorise_partner(
    actor: &Actor,
    permission: Permission,
    partner_id: i64,
) -> Result<(), AppError> {
    let allowed = match actor {
        Actor::Operator { .. } => true,
        Actor::Public => false,
        Actor::User {
            role,
            partner_id: own,
            ..
        } => match role {
            Role::NationalAdmin => true,
            Role::PartnerStaff => *own == Some(partner_id),
            _ => false,
        },
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!("{permission:?}")))
    }
}
