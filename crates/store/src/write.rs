//! Write transactions. Every change to Bekal's data goes through a [`WriteTx`]: it starts a
//! transaction (`BEGIN IMMEDIATE` on SQLite, so concurrent writers queue on the busy timeout
//! instead of failing mid-way), collects audit entries, and on commit appends them to the
//! scope's hash chain under a lock on the chain head, in the same transaction as the change.
//! Dropping a `WriteTx` without committing rolls everything back, audit rows included.

use crate::audit::{AuditActor, AuditScope, Changes, EntryFields, GENESIS_HASH, entry_hash};
use crate::entity::{audit_head, audit_log};
use crate::{Backend, Store, StoreError};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::LockType;
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, EntityTrait, QuerySelect, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};

struct PendingEntry {
    action: String,
    entity: String,
    entity_id: Option<String>,
    changes: String,
}

/// One audited write transaction.
pub struct WriteTx {
    tx: DatabaseTransaction,
    backend: Backend,
    scope: AuditScope,
    actor: AuditActor,
    at: DateTime<Utc>,
    pending: Vec<PendingEntry>,
}

impl std::fmt::Debug for WriteTx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteTx")
            .field("scope", &self.scope)
            .field("actor", &self.actor)
            .field("at", &self.at)
            .field("pending", &self.pending.len())
            .finish()
    }
}

impl Store {
    /// Begins a write for `actor` at instant `at`, audited in `scope`'s chain.
    pub async fn begin_write(
        &self,
        scope: AuditScope,
        actor: AuditActor,
        at: DateTime<Utc>,
    ) -> Result<WriteTx, StoreError> {
        let options = TransactionOptions {
            sqlite_transaction_mode: (self.backend() == Backend::Sqlite)
                .then_some(SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        let tx = self.conn().begin_with_options(options).await?;
        Ok(WriteTx {
            tx,
            backend: self.backend(),
            scope,
            actor,
            at: bekal_domain::clock::truncate_to_micros(at),
            pending: Vec::new(),
        })
    }
}

impl WriteTx {
    /// The transaction, for the queries of this write.
    pub fn conn(&self) -> &DatabaseTransaction {
        &self.tx
    }

    /// The instant of this write (also `created_at` / `updated_at` of rows it touches).
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    pub fn actor(&self) -> &AuditActor {
        &self.actor
    }

    /// Records an audit entry, written at commit.
    pub fn audit(
        &mut self,
        action: &str,
        entity: &str,
        entity_id: impl ToString,
        changes: Changes,
    ) {
        self.pending.push(PendingEntry {
            action: action.to_owned(),
            entity: entity.to_owned(),
            entity_id: Some(entity_id.to_string()),
            changes: changes.to_text(),
        });
    }

    /// How many audit entries are waiting for commit.
    pub fn pending_entries(&self) -> usize {
        self.pending.len()
    }

    /// Appends the audit entries to the chain and commits. Refuses a write with no audit entry.
    pub async fn commit(self) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Err(StoreError::Unaudited);
        }
        let chain = self.scope.chain();
        audit_head::Entity::insert(audit_head::ActiveModel {
            chain: Set(chain.clone()),
            seq: Set(0),
            hash: Set(GENESIS_HASH.to_owned()),
            updated_at: Set(self.at),
        })
        .on_conflict_do_nothing()
        .exec(&self.tx)
        .await?;
        let mut query = audit_head::Entity::find_by_id(chain.clone());
        if self.backend == Backend::Postgres {
            query = query.lock(LockType::Update);
        }
        let head = query
            .one(&self.tx)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                entity: "audit head",
                key: chain.clone(),
            })?;
        let mut seq = head.seq;
        let mut prev = head.hash;
        let mut rows = Vec::with_capacity(self.pending.len());
        for entry in &self.pending {
            seq += 1;
            let hash = entry_hash(&EntryFields {
                prev_hash: &prev,
                chain: &chain,
                seq,
                at: self.at,
                actor_user_id: self.actor.user_id,
                actor: &self.actor.label,
                facility_id: self.scope.facility_id(),
                action: &entry.action,
                entity: &entry.entity,
                entity_id: entry.entity_id.as_deref(),
                changes: &entry.changes,
            });
            rows.push(audit_log::ActiveModel {
                chain: Set(chain.clone()),
                seq: Set(seq),
                at: Set(self.at),
                actor_user_id: Set(self.actor.user_id),
                actor: Set(self.actor.label.clone()),
                facility_id: Set(self.scope.facility_id()),
                action: Set(entry.action.clone()),
                entity: Set(entry.entity.clone()),
                entity_id: Set(entry.entity_id.clone()),
                changes: Set(entry.changes.clone()),
                prev_hash: Set(prev.clone()),
                hash: Set(hash.clone()),
                ..Default::default()
            });
            prev = hash;
        }
        for chunk in rows.chunks(500) {
            audit_log::Entity::insert_many(chunk.to_vec())
                .exec(&self.tx)
                .await?;
        }
        audit_head::Entity::update(audit_head::ActiveModel {
            chain: Set(chain),
            seq: Set(seq),
            hash: Set(prev),
            updated_at: Set(self.at),
        })
        .exec(&self.tx)
        .await?;
        self.tx.commit().await?;
        Ok(())
    }

    /// Abandons the write explicitly (dropping does the same).
    pub async fn rollback(self) -> Result<(), StoreError> {
        self.tx.rollback().await?;
        Ok(())
    }
}
