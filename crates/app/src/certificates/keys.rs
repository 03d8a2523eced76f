//! Issuer keys. Each partner signs with an Ed25519 key generated on first use, named by a
//! `did:key` (the default) or, when the partner chose `web`, by the partner's `did:web` under
//! the deployment's public address (`did:web:HOST:issuers:CODE`, keys `#key-1`, `#key-2`, ...;
//! its DID document, every key of the partner included, is [`did_web_document`]). The
//! secret is written to `<data_dir>/keys/<partner-code>-<n>.json` (mode 0600 on Unix, created
//! exclusively), outside the database and its dumps; `issuer_keys.secret_ref` holds the path.
//! Rotation retires the active key (it still signs the status lists of its own certificates)
//! and starts a new key and a new status list; old certificates keep verifying because every
//! key of a partner stays in its [`KeyRing`].

use super::CertificateConfig;
use super::authorise_partner;
use crate::{Actor, App, AppError, Permission};
use bekal_credentials::{IssuerKey, KeyRing, parse_public_key_multibase};
use bekal_store::entity::{issuer_key, partner};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use bekal_store::{AuditScope, Changes, WriteTx};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The folder of key files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyStore {
    dir: PathBuf,
}

impl KeyStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        KeyStore { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes a new key file; refuses to overwrite one.
    fn write_new(&self, partner_code: &str, key: &IssuerKey) -> Result<PathBuf, AppError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| {
            AppError::Internal(format!("cannot create {}: {e}", self.dir.display()))
        })?;
        let safe: String = partner_code
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        for n in 1..10_000 {
            let path = self.dir.join(format!("{safe}-{n}.json"));
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o600);
            }
            match options.open(&path) {
                Ok(mut file) => {
                    file.write_all(key.to_key_file().as_bytes())
                        .and_then(|()| file.sync_all())
                        .map_err(|e| {
                            AppError::Internal(format!("cannot write {}: {e}", path.display()))
                        })?;
                    return Ok(path);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(AppError::Internal(format!(
                        "cannot create {}: {e}",
                        path.display()
                    )));
                }
            }
        }
        Err(AppError::Internal("too many key files".into()))
    }

    /// Reads the key a row points at and checks it is that row's key.
    pub fn load(&self, row: &issuer_key::Model) -> Result<IssuerKey, AppError> {
        let text = std::fs::read_to_string(&row.secret_ref).map_err(|e| {
            AppError::Internal(format!("cannot read key file {}: {e}", row.secret_ref))
        })?;
        let key = IssuerKey::from_key_file(&text)
            .map_err(|e| AppError::Internal(format!("key file {}: {e}", row.secret_ref)))?;
        if key.verification_method() != row.verification_method {
            return Err(AppError::Internal(format!(
                "key file {} holds another key",
                row.secret_ref
            )));
        }
        Ok(key)
    }
}

/// The partner's active (not retired) key, newest first.
pub(crate) async fn find_active(
    conn: &impl ConnectionTrait,
    partner_id: i64,
) -> Result<Option<issuer_key::Model>, AppError> {
    Ok(issuer_key::Entity::find()
        .filter(issuer_key::Column::PartnerId.eq(partner_id))
        .filter(issuer_key::Column::RetiredAt.is_null())
        .order_by_desc(issuer_key::Column::Id)
        .one(conn)
        .await?)
}

/// The `did:web` of a partner under the public base URL (`https://bekal.example.go.id` ->
/// `did:web:bekal.example.go.id:issuers:BLK-PKL`, resolved at
/// `https://bekal.example.go.id/issuers/BLK-PKL/did.json`).
pub fn partner_did_web(public_base_url: &str, partner_code: &str) -> Result<String, AppError> {
    let host_and_path = public_base_url
        .trim()
        .strip_prefix("https://")
        .ok_or_else(|| {
            AppError::invalid(
                "public_url",
                "did:web needs the public address to be https:// (resolvers fetch the DID document over https)",
            )
        })?
        .trim_end_matches('/');
    bekal_credentials::did_web(&format!("{host_and_path}/issuers/{partner_code}"))
        .map_err(|e| AppError::invalid("public_url", e.to_string()))
}

/// Generates a key for the partner inside `tx` (file first, then the row), audited: a
/// `did:key`, or the next `#key-N` of the partner's `did:web` when the partner chose `web`.
pub(crate) async fn create_key(
    tx: &mut WriteTx,
    config: &CertificateConfig,
    partner: &partner::Model,
) -> Result<(issuer_key::Model, IssuerKey), AppError> {
    let generated = if partner.issuer_did_method == "web" {
        let did = partner_did_web(&config.public_base_url, &partner.code)?;
        let existing = issuer_key::Entity::find()
            .filter(issuer_key::Column::PartnerId.eq(partner.id))
            .filter(issuer_key::Column::Did.eq(did.as_str()))
            .count(tx.conn())
            .await?;
        IssuerKey::generate_did_web(&did, &format!("key-{}", existing + 1))
    } else {
        IssuerKey::generate_did_key()
    };
    let key = generated.map_err(|e| AppError::Internal(format!("key generation: {e}")))?;
    let path = config.keys.write_new(&partner.code, &key)?;
    let row = issuer_key::ActiveModel {
        partner_id: Set(partner.id),
        did: Set(key.controller().to_owned()),
        verification_method: Set(key.verification_method().to_owned()),
        public_key_multibase: Set(key.public_key_multibase()),
        secret_ref: Set(path.to_string_lossy().into_owned()),
        created_at: Set(tx.at()),
        retired_at: Set(None),
        ..Default::default()
    }
    .insert(tx.conn())
    .await?;
    tx.audit("create", "issuer_key", row.id, Changes::created(&row));
    Ok((row, key))
}

/// The active key of the partner, created on first use.
pub(crate) async fn active_or_create(
    tx: &mut WriteTx,
    config: &CertificateConfig,
    partner: &partner::Model,
) -> Result<(issuer_key::Model, IssuerKey), AppError> {
    match find_active(tx.conn(), partner.id).await? {
        Some(row) => {
            let key = config.keys.load(&row)?;
            Ok((row, key))
        }
        None => create_key(tx, config, partner).await,
    }
}

/// Every key of a partner (retired ones too), public parts only: verifies all its certificates.
pub async fn partner_key_ring(
    conn: &impl ConnectionTrait,
    partner_id: Option<i64>,
) -> Result<KeyRing, AppError> {
    let mut query = issuer_key::Entity::find();
    if let Some(id) = partner_id {
        query = query.filter(issuer_key::Column::PartnerId.eq(id));
    }
    let mut ring = KeyRing::new();
    for row in query.all(conn).await? {
        let public = parse_public_key_multibase(&row.public_key_multibase)
            .map_err(|e| AppError::Internal(format!("issuer key {}: {e}", row.id)))?;
        ring.add_public_key(&row.verification_method, public)
            .map_err(|e| AppError::Internal(format!("issuer key {}: {e}", row.id)))?;
    }
    Ok(ring)
}

/// Retires the partner's active key and creates a new one with a fresh status list. Returns
/// the new DID.
pub async fn rotate_key(
    app: &App,
    actor: &Actor,
    config: &CertificateConfig,
    partner_code: &str,
) -> Result<String, AppError> {
    let partner = super::issue::partner_by_code(app.store.conn(), partner_code).await?;
    authorise_partner(actor, Permission::IssueCertificates, partner.id)?;
    let mut tx = app
        .store
        .begin_write(AuditScope::National, actor.audit_actor(), app.clock.now())
        .await?;
    if let Some(old) = find_active(tx.conn(), partner.id).await? {
        let mut retired: issuer_key::ActiveModel = old.clone().into();
        retired.retired_at = Set(Some(tx.at()));
        let after = retired.update(tx.conn()).await?;
        tx.audit(
            "retire",
            "issuer_key",
            after.id,
            Changes::updated(&old, &after),
        );
    }
    let (_, key) = create_key(&mut tx, config, &partner).await?;
    super::issue::create_status_list(&mut tx, config, &partner, &key).await?;
    tx.commit().await?;
    Ok(key.controller().to_owned())
}

/// The DID document of a partner's `did:web` (every key, retired ones included, so old
/// certificates keep verifying), for `GET /issuers/{code}/did.json`. `None` when the partner
/// has no `did:web` key (it signs with `did:key`, or has not issued yet).
pub async fn did_web_document(
    conn: &impl ConnectionTrait,
    partner_code: &str,
) -> Result<Option<serde_json::Value>, AppError> {
    let Some(partner) = partner::Entity::find()
        .filter(partner::Column::Code.eq(partner_code.trim().to_ascii_uppercase()))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let Some(did) = issuer_key::Entity::find()
        .filter(issuer_key::Column::PartnerId.eq(partner.id))
        .filter(issuer_key::Column::Did.starts_with("did:web:"))
        .order_by_desc(issuer_key::Column::Id)
        .one(conn)
        .await?
        .map(|k| k.did)
    else {
        return Ok(None);
    };
    let ring = partner_key_ring(conn, Some(partner.id)).await?;
    Ok(Some(ring.did_web_document(&did)))
}
