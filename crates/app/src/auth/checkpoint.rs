//! Signed checkpoints of the audit chains. A chain alone can be recomputed by whoever can write
//! the database; a checkpoint (each chain's entry count and head hash, signed with Ed25519) kept
//! off the server proves later that the log still extends it: the entry at the checkpoint's
//! sequence number must still carry the same hash.

use crate::{Actor, App, AppError, Permission};
use bekal_store::audit;
use bekal_store::entity::{audit_checkpoint, audit_log};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter,
};
use bekal_store::{AuditScope, Changes};
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The file name of the signing key inside the data folder.
pub const KEY_FILE: &str = "audit-key.json";

/// One chain's position at the checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainPosition {
    pub chain: String,
    pub seq: i64,
    pub head_hash: String,
}

/// What is signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointBody {
    pub format: String,
    pub created_at: DateTime<Utc>,
    pub key_id: String,
    /// The Ed25519 public key, hex.
    pub public_key: String,
    pub chains: Vec<ChainPosition>,
}

/// A signed checkpoint, as written to the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    #[serde(flatten)]
    pub body: CheckpointBody,
    /// Ed25519 signature over the JSON of the body, hex.
    pub signature: String,
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
    secret_key: String,
    public_key: String,
}

fn key_id(public: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(public.as_bytes())[..8])
}

/// Loads the signing key from `dir/audit-key.json`, creating it (mode 0600) on first use.
pub fn load_or_create_key(dir: &Path) -> Result<SigningKey, AppError> {
    let path = dir.join(KEY_FILE);
    let io = |e: std::io::Error| AppError::Internal(format!("{}: {e}", path.display()));
    if path.exists() {
        let text = std::fs::read_to_string(&path).map_err(io)?;
        let file: KeyFile = serde_json::from_str(&text)
            .map_err(|e| AppError::Internal(format!("{}: {e}", path.display())))?;
        let bytes: [u8; 32] = hex::decode(&file.secret_key)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| AppError::Internal(format!("{}: bad key", path.display())))?;
        return Ok(SigningKey::from_bytes(&bytes));
    }
    std::fs::create_dir_all(dir).map_err(io)?;
    let key = SigningKey::from_bytes(&super::random_bytes::<32>()?);
    let file = KeyFile {
        secret_key: hex::encode(key.to_bytes()),
        public_key: hex::encode(key.verifying_key().as_bytes()),
    };
    let text =
        serde_json::to_string_pretty(&file).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut handle = options.open(&path).map_err(io)?;
    std::io::Write::write_all(&mut handle, text.as_bytes()).map_err(io)?;
    Ok(key)
}

fn body_bytes(body: &CheckpointBody) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec(body).map_err(|e| AppError::Internal(e.to_string()))
}

/// Verifies every chain, then signs and records a checkpoint of all of them. Refused when a
/// chain is already broken (a checkpoint of a tampered log proves nothing).
pub async fn create(app: &App, actor: &Actor, key: &SigningKey) -> Result<Checkpoint, AppError> {
    actor.authorise(Permission::ManageAccounts, None)?;
    let conn = app.store.conn();
    let mut chains = Vec::new();
    for chain in audit::chains(conn).await? {
        let report = audit::verify_chain(conn, &chain).await?;
        if let Some(broken) = report.first_break {
            return Err(AppError::Conflict(format!(
                "chain {} is broken at entry {}: {}",
                broken.chain, broken.seq, broken.problem
            )));
        }
        chains.push(ChainPosition {
            chain,
            seq: report.entries,
            head_hash: report.head_hash,
        });
    }
    let public = key.verifying_key();
    let body = CheckpointBody {
        format: "bekal-audit-checkpoint/1".into(),
        created_at: app.clock.now(),
        key_id: key_id(&public),
        public_key: hex::encode(public.as_bytes()),
        chains,
    };
    let signature = hex::encode(key.sign(&body_bytes(&body)?).to_bytes());
    let mut tx = app
        .store
        .begin_write(AuditScope::National, actor.audit_actor(), body.created_at)
        .await?;
    for position in &body.chains {
        audit_checkpoint::ActiveModel {
            chain: Set(position.chain.clone()),
            seq: Set(position.seq),
            head_hash: Set(position.head_hash.clone()),
            key_id: Set(body.key_id.clone()),
            signature: Set(signature.clone()),
            created_at: Set(tx.at()),
            ..Default::default()
        }
        .insert(tx.conn())
        .await?;
    }
    tx.audit(
        "checkpoint",
        "audit_log",
        &body.key_id,
        Changes::note(json!({ "chains": body.chains })),
    );
    tx.commit().await?;
    Ok(Checkpoint { body, signature })
}

/// What checking the log against a checkpoint found: empty when the log extends it.
pub async fn check(app: &App, checkpoint: &Checkpoint) -> Result<Vec<String>, AppError> {
    let mut problems = Vec::new();
    let public = hex::decode(&checkpoint.body.public_key)
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .and_then(|b| VerifyingKey::from_bytes(&b).ok());
    let signature = hex::decode(&checkpoint.signature)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|b| Signature::from_bytes(&b));
    match (public, signature) {
        (Some(public), Some(signature)) => {
            if key_id(&public) != checkpoint.body.key_id
                || public
                    .verify(&body_bytes(&checkpoint.body)?, &signature)
                    .is_err()
            {
                problems.push("the checkpoint's signature is not valid".to_owned());
            }
        }
        _ => problems.push("the checkpoint's key or signature is malformed".to_owned()),
    }
    for position in &checkpoint.body.chains {
        if position.seq == 0 {
            continue;
        }
        let entry = audit_log::Entity::find()
            .filter(audit_log::Column::Chain.eq(position.chain.clone()))
            .filter(audit_log::Column::Seq.eq(position.seq))
            .one(app.store.conn())
            .await?;
        match entry {
            None => problems.push(format!(
                "chain {}: entry {} of the checkpoint is missing",
                position.chain, position.seq
            )),
            Some(entry) if entry.hash != position.head_hash => problems.push(format!(
                "chain {}: entry {} no longer has the checkpoint's hash (rewritten)",
                position.chain, position.seq
            )),
            Some(_) => {}
        }
    }
    Ok(problems)
}
