//! The audit log: append-only, one hash chain per facility plus one national chain. Each entry
//! records who, when, what and the before/after of changed fields (secrets removed, specific
//! personal data reduced to a fingerprint), and carries the hash of its predecessor, so that
//! an edited, deleted or inserted row breaks the chain. `verify_chain` walks it.

use crate::StoreError;
use crate::entity::{audit_head, audit_log};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// The hash before the first entry of every chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Fields never written to the audit log, not even as a fingerprint.
const SECRET_FIELDS: &[&str] = &[
    "password_hash",
    "totp_secret",
    "recovery_codes",
    "secret_ref",
    "token_hash",
    "csrf_token",
    "id_hash",
];

/// Specific personal data (criminal record, risk): the log says that it changed, and a short
/// fingerprint lets an auditor match values, but the value itself is not copied.
const FINGERPRINTED_FIELDS: &[&str] = &["case_article", "risk_level"];

/// Who did it: a user, or a named system actor (`system`, `import`, `demo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditActor {
    pub user_id: Option<i64>,
    pub label: String,
}

impl AuditActor {
    pub fn user(user_id: i64, username: &str) -> Self {
        AuditActor {
            user_id: Some(user_id),
            label: username.to_owned(),
        }
    }

    pub fn system(label: &str) -> Self {
        AuditActor {
            user_id: None,
            label: label.to_owned(),
        }
    }
}

/// Which chain an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditScope {
    /// Data owned by one facility (by id).
    Facility(i64),
    /// National data: the catalogue, partners, accounts without a facility.
    National,
}

impl AuditScope {
    pub fn chain(self) -> String {
        match self {
            AuditScope::Facility(id) => format!("facility:{id}"),
            AuditScope::National => "national".to_owned(),
        }
    }

    pub fn facility_id(self) -> Option<i64> {
        match self {
            AuditScope::Facility(id) => Some(id),
            AuditScope::National => None,
        }
    }
}

/// The before/after of an audited change, already minimised.
#[derive(Debug, Clone, PartialEq)]
pub struct Changes(Value);

fn minimise(key: &str, value: &Value) -> Value {
    if SECRET_FIELDS.contains(&key) {
        Value::String("[secret]".to_owned())
    } else if FINGERPRINTED_FIELDS.contains(&key) && !value.is_null() {
        let digest = Sha256::digest(value.to_string().as_bytes());
        Value::String(format!("sha256:{}", &hex::encode(digest)[..12]))
    } else {
        value.clone()
    }
}

fn as_object(value: &impl Serialize) -> Map<String, Value> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map,
        Ok(other) => Map::from_iter([("value".to_owned(), other)]),
        Err(err) => Map::from_iter([("unserialisable".to_owned(), json!(err.to_string()))]),
    }
}

const BOOKKEEPING_FIELDS: &[&str] = &["updated_at", "created_at"];

impl Changes {
    /// A new record: every field as `after`.
    pub fn created(after: &impl Serialize) -> Self {
        let fields: Map<String, Value> = as_object(after)
            .iter()
            .filter(|(k, _)| !BOOKKEEPING_FIELDS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), minimise(k, v)))
            .collect();
        Changes(json!({ "after": fields }))
    }

    /// A changed record: only the fields that differ, each as `[before, after]`.
    pub fn updated(before: &impl Serialize, after: &impl Serialize) -> Self {
        let before = as_object(before);
        let after = as_object(after);
        let mut fields = Map::new();
        for (key, new) in &after {
            if BOOKKEEPING_FIELDS.contains(&key.as_str()) {
                continue;
            }
            let old = before.get(key).unwrap_or(&Value::Null);
            if old != new {
                fields.insert(key.clone(), json!([minimise(key, old), minimise(key, new)]));
            }
        }
        Changes(json!({ "changed": fields }))
    }

    /// A removed record.
    pub fn deleted(before: &impl Serialize) -> Self {
        let fields: Map<String, Value> = as_object(before)
            .iter()
            .map(|(k, v)| (k.clone(), minimise(k, v)))
            .collect();
        Changes(json!({ "before": fields }))
    }

    /// Free-form details of an action that is not a row change (a read, an export, a login).
    pub fn note(details: Value) -> Self {
        Changes(json!({ "note": details }))
    }

    /// True for an update that changed nothing.
    pub fn is_empty_update(&self) -> bool {
        self.0
            .get("changed")
            .and_then(Value::as_object)
            .is_some_and(Map::is_empty)
    }

    pub fn as_value(&self) -> &Value {
        &self.0
    }

    /// The exact text stored and hashed (serde_json sorts object keys, so it is canonical).
    pub fn to_text(&self) -> String {
        self.0.to_string()
    }
}

/// The fields an entry's hash covers, in a fixed order.
#[derive(Debug, Clone)]
pub struct EntryFields<'a> {
    pub prev_hash: &'a str,
    pub chain: &'a str,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor: &'a str,
    pub facility_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<&'a str>,
    pub changes: &'a str,
}

/// SHA-256 over the JSON array of the fields: unambiguous whatever the fields contain.
pub fn entry_hash(fields: &EntryFields<'_>) -> String {
    let material = json!([
        fields.prev_hash,
        fields.chain,
        fields.seq,
        fields.at.timestamp_micros(),
        fields.actor_user_id,
        fields.actor,
        fields.facility_id,
        fields.action,
        fields.entity,
        fields.entity_id,
        fields.changes,
    ]);
    hex::encode(Sha256::digest(material.to_string().as_bytes()))
}

/// The first problem found in a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    pub chain: String,
    pub seq: i64,
    pub problem: String,
}

/// What verifying one chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    pub chain: String,
    pub entries: i64,
    pub head_hash: String,
    pub first_break: Option<ChainBreak>,
}

/// Walks one chain from its first entry, in pages, and reports the first broken or missing
/// link (an edited row no longer hashes to its stored hash; a deleted row leaves a gap in the
/// sequence; an inserted row breaks the next entry's `prev_hash`; a truncated tail no longer
/// matches the head).
pub async fn verify_chain(
    db: &impl sea_orm::ConnectionTrait,
    chain: &str,
) -> Result<ChainReport, StoreError> {
    const PAGE: u64 = 2_000;
    let mut expected_seq = 1_i64;
    let mut prev = GENESIS_HASH.to_owned();
    let broken = |seq: i64, problem: String| ChainBreak {
        chain: chain.to_owned(),
        seq,
        problem,
    };
    let mut first_break = None;
    'pages: loop {
        let rows = audit_log::Entity::find()
            .filter(audit_log::Column::Chain.eq(chain))
            .filter(audit_log::Column::Seq.gte(expected_seq))
            .order_by_asc(audit_log::Column::Seq)
            .limit(PAGE)
            .all(db)
            .await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            if row.seq != expected_seq {
                first_break = Some(broken(
                    expected_seq,
                    format!("entry {expected_seq} is missing"),
                ));
                break 'pages;
            }
            if row.prev_hash != prev {
                first_break = Some(broken(
                    row.seq,
                    "does not link to the entry before it".into(),
                ));
                break 'pages;
            }
            let recomputed = entry_hash(&EntryFields {
                prev_hash: &row.prev_hash,
                chain: &row.chain,
                seq: row.seq,
                at: row.at,
                actor_user_id: row.actor_user_id,
                actor: &row.actor,
                facility_id: row.facility_id,
                action: &row.action,
                entity: &row.entity,
                entity_id: row.entity_id.as_deref(),
                changes: &row.changes,
            });
            if recomputed != row.hash {
                first_break = Some(broken(
                    row.seq,
                    "content does not match its hash (edited)".into(),
                ));
                break 'pages;
            }
            prev = row.hash.clone();
            expected_seq += 1;
        }
    }
    let entries = expected_seq - 1;
    if first_break.is_none() {
        let head = audit_head::Entity::find_by_id(chain.to_owned())
            .one(db)
            .await?;
        match head {
            Some(head) if head.seq != entries || head.hash != prev => {
                first_break = Some(broken(
                    entries + 1,
                    format!(
                        "head says {} entries, the log holds {entries} (truncated?)",
                        head.seq
                    ),
                ));
            }
            None if entries > 0 => {
                first_break = Some(broken(0, "chain has entries but no head".into()));
            }
            _ => {}
        }
    }
    Ok(ChainReport {
        chain: chain.to_owned(),
        entries,
        head_hash: prev,
        first_break,
    })
}

/// Every chain named by a head or by a log row.
pub async fn chains(db: &impl sea_orm::ConnectionTrait) -> Result<Vec<String>, StoreError> {
    let mut names: Vec<String> = audit_head::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|h| h.chain)
        .collect();
    let logged: Vec<String> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Chain)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    names.extend(logged);
    names.sort();
    names.dedup();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_keep_only_changed_fields_and_hide_secrets() {
        let before =
            json!({"name": "A", "password_hash": "x", "case_article": "362 KUHP", "updated_at": 1});
        let after =
            json!({"name": "B", "password_hash": "y", "case_article": "363 KUHP", "updated_at": 2});
        let changes = Changes::updated(&before, &after);
        let text = changes.to_text();
        assert!(text.contains("\"name\":[\"A\",\"B\"]"), "{text}");
        assert!(!text.contains("362"), "{text}");
        assert!(!text.contains("\"x\""), "{text}");
        assert!(!text.contains("updated_at"), "{text}");
        assert!(Changes::updated(&before, &before).is_empty_update());
    }

    #[test]
    fn hash_depends_on_every_field() {
        let at = DateTime::from_timestamp_micros(1_600_000_000_000_000).unwrap();
        let base = EntryFields {
            prev_hash: GENESIS_HASH,
            chain: "national",
            seq: 1,
            at,
            actor_user_id: None,
            actor: "system",
            facility_id: None,
            action: "create",
            entity: "facility",
            entity_id: Some("1"),
            changes: "{}",
        };
        let h = entry_hash(&base);
        assert_ne!(
            h,
            entry_hash(&EntryFields {
                seq: 2,
                ..base.clone()
            })
        );
        assert_ne!(
            h,
            entry_hash(&EntryFields {
                actor: "admin",
                ..base.clone()
            })
        );
        assert_ne!(
            h,
            entry_hash(&EntryFields {
                changes: "{ }",
                ..base.clone()
            })
        );
        assert_eq!(h, entry_hash(&base));
    }
}
