//! Idempotency keys for write requests that a client may send more than once (a retry after a
//! dropped connection, a double click, an offline queue replayed). The first request with a
//! key reserves it inside its own write transaction, before anything else is written, and
//! stores its answer at the end; a later request with the same key and the same content gets
//! that answer back and writes nothing. Two requests with one key at the same moment (two
//! servers on PostgreSQL) meet at the key's primary key: the second waits, then finds it taken
//! and replays the first's answer.

use crate::AppError;
use bekal_store::WriteTx;
use bekal_store::entity::idempotency_key;
use bekal_store::sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

/// Who sent a keyed request, and what it asked for.
#[derive(Debug, Clone)]
pub struct KeyedRequest {
    pub key: String,
    pub facility_id: i64,
    pub user_id: Option<i64>,
    /// SHA-256 of the request's content (without the key).
    pub request_sha256: String,
}

impl KeyedRequest {
    /// Checks the key (1 to 200 characters) and hashes `content`.
    pub fn new(
        key: &str,
        facility_id: i64,
        user_id: Option<i64>,
        content: &impl Serialize,
    ) -> Result<Self, AppError> {
        let key = key.trim();
        if key.is_empty() || key.len() > 200 {
            return Err(AppError::invalid(
                "idempotency_key",
                "must be 1 to 200 characters",
            ));
        }
        let text = serde_json::to_string(content)
            .map_err(|e| AppError::Internal(format!("request hash: {e}")))?;
        Ok(KeyedRequest {
            key: key.to_owned(),
            facility_id,
            user_id,
            request_sha256: hex::encode(Sha256::digest(text.as_bytes())),
        })
    }

    /// The stored answer to an earlier request with this key, if any; a conflict when the key
    /// was used for different content, by someone else, or in another facility.
    pub async fn stored_answer<T: DeserializeOwned>(
        &self,
        conn: &impl ConnectionTrait,
    ) -> Result<Option<T>, AppError> {
        let Some(stored) = idempotency_key::Entity::find_by_id(self.key.clone())
            .one(conn)
            .await?
        else {
            return Ok(None);
        };
        if stored.request_sha256 != self.request_sha256
            || stored.facility_id != self.facility_id
            || stored.user_id != self.user_id
        {
            return Err(AppError::Conflict(format!(
                "idempotency key {} was used for a different request",
                self.key
            )));
        }
        if stored.status_code == 0 {
            return Err(AppError::Busy(format!(
                "the first request with key {} is still running",
                self.key
            )));
        }
        serde_json::from_str(&stored.response)
            .map(Some)
            .map_err(|e| AppError::Internal(format!("stored answer of {}: {e}", self.key)))
    }

    /// Reserves the key inside `tx` (first thing in the write): fails with a conflict when
    /// another request holds it.
    pub async fn reserve(&self, tx: &WriteTx) -> Result<(), AppError> {
        idempotency_key::ActiveModel {
            key: Set(self.key.clone()),
            facility_id: Set(self.facility_id),
            user_id: Set(self.user_id),
            request_sha256: Set(self.request_sha256.clone()),
            status_code: Set(0),
            response: Set(String::new()),
            created_at: Set(tx.at()),
        }
        .insert(tx.conn())
        .await?;
        Ok(())
    }

    /// Stores the answer with the reservation (last thing before commit).
    pub async fn finish(&self, tx: &WriteTx, answer: &impl Serialize) -> Result<(), AppError> {
        let response = serde_json::to_string(answer)
            .map_err(|e| AppError::Internal(format!("stored answer: {e}")))?;
        idempotency_key::ActiveModel {
            key: Set(self.key.clone()),
            status_code: Set(200),
            response: Set(response),
            ..Default::default()
        }
        .update(tx.conn())
        .await?;
        Ok(())
    }
}
