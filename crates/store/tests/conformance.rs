//! The storage conformance suite, written once and run on SQLite and on PostgreSQL (each test
//! on a fresh database or schema): every table's create/read/update path, the constraints
//! (unique register number per facility, foreign keys), audited transactions that leave
//! nothing behind when they fail, and the audit chain's tamper evidence.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

#[path = "support/world.rs"]
mod world;

use bekal_store::audit::{self, AuditActor, AuditScope, Changes};
use bekal_store::entity::{audit_head, audit_log, facility, inmate};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, Statement,
};
use bekal_store::testing::TestDatabase;
use bekal_store::{Backend, Store, StoreError};
use chrono::{DateTime, Utc};

fn at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 123_456_000).unwrap()
}

fn actor() -> AuditActor {
    AuditActor::system("conformance")
}

async fn new_facility(store: &Store, code: &str) -> i64 {
    let mut tx = store
        .begin_write(AuditScope::National, actor(), at())
        .await
        .unwrap();
    let row = world::facility(code).insert(tx.conn()).await.unwrap();
    tx.audit("create", "facility", row.id, Changes::created(&row));
    tx.commit().await.unwrap();
    row.id
}

bekal_store::on_both_backends!(
    every_table_creates_reads_and_updates,
    migrations_are_idempotent,
    register_number_is_unique_per_facility,
    foreign_keys_are_enforced,
    failed_transaction_leaves_nothing_behind,
    unaudited_write_is_refused,
    failed_audit_write_rolls_the_change_back,
    audit_chain_verifies_and_detects_tampering,
    concurrent_writers_keep_the_chain_whole,
    timestamps_and_json_round_trip_exactly,
);

async fn every_table_creates_reads_and_updates(db: &TestDatabase) {
    let covered = world::create_read_update_all(&db.store).await;
    let tables = table_names(&db.store).await;
    let missing: Vec<&String> = tables
        .iter()
        .filter(|t| !covered.contains(&t.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "tables without conformance coverage: {missing:?}"
    );
    let chain = audit::verify_chain(db.store.conn(), "facility:1")
        .await
        .unwrap();
    assert_eq!(chain.first_break, None);
    assert!(chain.entries >= 2);
}

async fn table_names(store: &Store) -> Vec<String> {
    let sql = match store.backend() {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'"
        }
        Backend::Postgres => {
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'seaql_migrations'"
        }
    };
    let rows = store
        .conn()
        .query_all_raw(Statement::from_string(
            store.conn().get_database_backend(),
            sql,
        ))
        .await
        .unwrap();
    let mut names: Vec<String> = rows
        .iter()
        .map(|r| r.try_get_by_index(0).unwrap())
        .collect();
    names.sort();
    assert!(
        names.len() >= 40,
        "expected the whole data model, got {names:?}"
    );
    names
}

async fn migrations_are_idempotent(db: &TestDatabase) {
    assert_eq!(db.store.migrate().await.unwrap(), 0);
    let applied = db.store.applied_migrations().await.unwrap();
    assert_eq!(
        applied.first().map(String::as_str),
        Some("m20261129_000001_initial")
    );
    assert!(applied.iter().any(|m| m == "m20261129_000002_accounts"));
}

async fn register_number_is_unique_per_facility(db: &TestDatabase) {
    let one = new_facility(&db.store, "AAA").await;
    let two = new_facility(&db.store, "BBB").await;
    let insert = |facility_id: i64| async move {
        let mut tx = db
            .store
            .begin_write(AuditScope::Facility(facility_id), actor(), at())
            .await?;
        let row = world::inmate(facility_id, "B.I-001/2021")
            .insert(tx.conn())
            .await?;
        tx.audit("create", "inmate", row.id, Changes::created(&row));
        tx.commit().await
    };
    insert(one).await.unwrap();
    let again = insert(one).await;
    assert!(matches!(again, Err(StoreError::Duplicate(_))), "{again:?}");
    insert(two)
        .await
        .expect("the same number in another facility is fine");
    let count = inmate::Entity::find().count(db.store.conn()).await.unwrap();
    assert_eq!(count, 2);
}

async fn foreign_keys_are_enforced(db: &TestDatabase) {
    let tx = db
        .store
        .begin_write(AuditScope::Facility(999), actor(), at())
        .await
        .unwrap();
    let result = world::inmate(999, "X-1").insert(tx.conn()).await;
    let err = StoreError::from(result.expect_err("facility 999 does not exist"));
    assert!(matches!(err, StoreError::Reference(_)), "{err:?}");
    drop(tx);
    // Deleting a referenced facility is refused too.
    let id = new_facility(&db.store, "CCC").await;
    let mut tx = db
        .store
        .begin_write(AuditScope::Facility(id), actor(), at())
        .await
        .unwrap();
    world::inmate(id, "X-2").insert(tx.conn()).await.unwrap();
    tx.audit(
        "create",
        "inmate",
        "X-2",
        Changes::note(serde_json::json!({})),
    );
    tx.commit().await.unwrap();
    let delete = facility::Entity::delete_by_id(id)
        .exec(db.store.conn())
        .await;
    let err = delete.map(|r| r.rows_affected).map_err(StoreError::from);
    assert!(matches!(err, Err(StoreError::Reference(_))), "{err:?}");
}

async fn failed_transaction_leaves_nothing_behind(db: &TestDatabase) {
    new_facility(&db.store, "DDD").await;
    let log_before = audit_log::Entity::find()
        .count(db.store.conn())
        .await
        .unwrap();
    let head_before = audit_head::Entity::find_by_id("national".to_owned())
        .one(db.store.conn())
        .await
        .unwrap();
    {
        let mut tx = db
            .store
            .begin_write(AuditScope::National, actor(), at())
            .await
            .unwrap();
        let row = world::facility("EEE").insert(tx.conn()).await.unwrap();
        tx.audit("create", "facility", row.id, Changes::created(&row));
        // The second insert breaks the unique code: the whole write must vanish.
        let dup = world::facility("EEE").insert(tx.conn()).await;
        assert!(dup.is_err());
        // Dropped without commit.
    }
    let mut tx = db
        .store
        .begin_write(AuditScope::National, actor(), at())
        .await
        .unwrap();
    let row = world::facility("FFF").insert(tx.conn()).await.unwrap();
    tx.audit("create", "facility", row.id, Changes::created(&row));
    tx.rollback().await.unwrap();

    let codes: Vec<String> = facility::Entity::find()
        .all(db.store.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(codes, vec!["DDD".to_owned()]);
    assert_eq!(
        audit_log::Entity::find()
            .count(db.store.conn())
            .await
            .unwrap(),
        log_before
    );
    let head_after = audit_head::Entity::find_by_id("national".to_owned())
        .one(db.store.conn())
        .await
        .unwrap();
    assert_eq!(head_before, head_after);
}

async fn unaudited_write_is_refused(db: &TestDatabase) {
    let tx = db
        .store
        .begin_write(AuditScope::National, actor(), at())
        .await
        .unwrap();
    world::facility("GGG").insert(tx.conn()).await.unwrap();
    assert!(matches!(tx.commit().await, Err(StoreError::Unaudited)));
    assert_eq!(
        facility::Entity::find()
            .count(db.store.conn())
            .await
            .unwrap(),
        0
    );
}

/// Fail closed: when the audit rows cannot be written (here a trigger refuses them, as a full
/// disk or a broken audit table would), the change they describe is not kept either.
async fn failed_audit_write_rolls_the_change_back(db: &TestDatabase) {
    new_facility(&db.store, "KEPT").await;
    let conn = db.store.conn();
    let backend = conn.get_database_backend();
    let refuse: &[&str] = match db.backend() {
        Backend::Sqlite => &["CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log \
             BEGIN SELECT RAISE(ABORT, 'audit storage refused'); END"],
        Backend::Postgres => &[
            "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'audit storage refused'; END $$",
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log \
             FOR EACH ROW EXECUTE FUNCTION refuse_audit()",
        ],
    };
    for sql in refuse {
        conn.execute_raw(Statement::from_string(backend, (*sql).to_owned()))
            .await
            .unwrap();
    }
    let mut tx = db
        .store
        .begin_write(AuditScope::National, actor(), at())
        .await
        .unwrap();
    let row = world::facility("LOST").insert(tx.conn()).await.unwrap();
    tx.audit("create", "facility", row.id, Changes::created(&row));
    let refused = tx.commit().await;
    assert!(
        refused.is_err(),
        "the commit must fail when its audit rows cannot be written"
    );
    let codes: Vec<String> = facility::Entity::find()
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.code)
        .collect();
    assert_eq!(codes, vec!["KEPT".to_owned()]);
    let chain = audit::verify_chain(conn, "national").await.unwrap();
    assert_eq!((chain.entries, chain.first_break), (1, None));
}

async fn audit_chain_verifies_and_detects_tampering(db: &TestDatabase) {
    for code in ["H1", "H2", "H3", "H4"] {
        new_facility(&db.store, code).await;
    }
    let conn = db.store.conn();
    let clean = audit::verify_chain(conn, "national").await.unwrap();
    assert_eq!((clean.entries, clean.first_break.clone()), (4, None));

    let backend = conn.get_database_backend();
    let exec = |sql: &str| conn.execute_raw(Statement::from_string(backend, sql.to_owned()));

    // Edited content.
    exec("UPDATE audit_log SET changes = '{\"after\":{\"code\":\"FORGED\"}}' WHERE chain = 'national' AND seq = 2").await.unwrap();
    let edited = audit::verify_chain(conn, "national").await.unwrap();
    assert_eq!(
        edited.first_break.as_ref().map(|b| b.seq),
        Some(2),
        "{edited:?}"
    );
    assert!(edited.first_break.unwrap().problem.contains("edited"));

    // Deleted row (after restoring nothing: the edit is still there, so delete row 2 itself).
    exec("DELETE FROM audit_log WHERE chain = 'national' AND seq = 2")
        .await
        .unwrap();
    let deleted = audit::verify_chain(conn, "national").await.unwrap();
    assert_eq!(deleted.first_break.as_ref().map(|b| b.seq), Some(2));
    assert!(deleted.first_break.unwrap().problem.contains("missing"));

    // An inserted row in the gap with a made-up hash breaks the link after it.
    exec("INSERT INTO audit_log (chain, seq, at, actor, action, entity, changes, prev_hash, hash) \
          SELECT chain, 2, at, actor, action, entity, changes, hash, 'bogus' FROM audit_log WHERE chain = 'national' AND seq = 1").await.unwrap();
    let inserted = audit::verify_chain(conn, "national").await.unwrap();
    assert_eq!(inserted.first_break.as_ref().map(|b| b.seq), Some(2));

    // A truncated tail no longer matches the head.
    let db2 = TestDatabase::sqlite().await.unwrap();
    for code in ["T1", "T2"] {
        new_facility(&db2.store, code).await;
    }
    db2.store
        .conn()
        .execute_raw(Statement::from_string(
            db2.store.conn().get_database_backend(),
            "DELETE FROM audit_log WHERE seq = 2".to_owned(),
        ))
        .await
        .unwrap();
    let truncated = audit::verify_chain(db2.store.conn(), "national")
        .await
        .unwrap();
    assert!(truncated.first_break.unwrap().problem.contains("truncated"));
    db2.cleanup().await;
}

async fn concurrent_writers_keep_the_chain_whole(db: &TestDatabase) {
    let facility_id = new_facility(&db.store, "CONC").await;
    let second = db.second_store().await.unwrap();
    let mut tasks = Vec::new();
    for worker in 0..8 {
        let store = if worker % 2 == 0 {
            db.store.clone()
        } else {
            second.clone()
        };
        tasks.push(tokio::spawn(async move {
            for n in 0..5 {
                let mut tx = store
                    .begin_write(AuditScope::Facility(facility_id), actor(), at())
                    .await?;
                let row = world::inmate(facility_id, &format!("W{worker}-{n}"))
                    .insert(tx.conn())
                    .await?;
                tx.audit("create", "inmate", row.id, Changes::created(&row));
                tx.commit().await?;
            }
            Ok::<(), StoreError>(())
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let report = audit::verify_chain(db.store.conn(), &format!("facility:{facility_id}"))
        .await
        .unwrap();
    assert_eq!(report.first_break, None);
    assert_eq!(report.entries, 40);
    assert_eq!(
        inmate::Entity::find()
            .filter(inmate::Column::FacilityId.eq(facility_id))
            .count(db.store.conn())
            .await
            .unwrap(),
        40
    );
    second.close().await.unwrap();
}

async fn timestamps_and_json_round_trip_exactly(db: &TestDatabase) {
    let id = new_facility(&db.store, "TIME").await;
    let row = facility::Entity::find_by_id(id)
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    let entry = audit_log::Entity::find()
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(entry.at, at(), "microsecond instants survive the database");
    let mut tx = db
        .store
        .begin_write(AuditScope::National, actor(), at())
        .await
        .unwrap();
    let mut active: facility::ActiveModel = row.into();
    active.name = Set("Nama dengan é dan 'kutip'".to_owned());
    let updated = active.update(tx.conn()).await.unwrap();
    tx.audit(
        "update",
        "facility",
        id,
        Changes::note(serde_json::json!({"n": 1})),
    );
    tx.commit().await.unwrap();
    let again = facility::Entity::find_by_id(id)
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again, updated);
}
