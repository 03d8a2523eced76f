//! Sign-in, sessions, throttling, second factor, API tokens and audit checkpoints, on both
//! backends.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::accounts::{self, NewUser};
use bekal_app::auth::{self, checkpoint, password, tokens, totp};
use bekal_app::facilities::{self, NewFacility};
use bekal_app::{Actor, App, AppError, Permission};
use bekal_domain::clock::Clock;
use bekal_domain::role::Role;
use bekal_domain::status::FacilityKind;
use bekal_store::audit::{self, EntryFields, entry_hash};
use bekal_store::entity::{audit_head, audit_log, user};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder,
};
use bekal_store::testing::TestDatabase;
use chrono::{DateTime, Duration, TimeZone, Utc};
use std::sync::{Arc, Mutex};

/// A clock the test moves forward.
#[derive(Debug)]
struct MovableClock(Mutex<DateTime<Utc>>);

impl MovableClock {
    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for MovableClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

const PASSWORD: &str = "kopi tubruk pagi hari";

fn setup(db: &TestDatabase) -> (App, Arc<MovableClock>) {
    let clock = Arc::new(MovableClock(Mutex::new(
        Utc.with_ymd_and_hms(2026, 11, 29, 1, 0, 0).unwrap(),
    )));
    (App::new(db.store.clone(), clock.clone()), clock)
}

fn operator() -> Actor {
    Actor::Operator {
        label: "test".into(),
    }
}

async fn add_user(app: &App, username: &str, role: Role, facility_id: Option<i64>) -> i64 {
    accounts::create_user(
        app,
        &operator(),
        NewUser {
            username: username.into(),
            display_name: username.into(),
            password: PASSWORD.into(),
            role,
            facility_id,
            partner_id: None,
            region: None,
        },
    )
    .await
    .unwrap()
}

async fn add_facility(app: &App, code: &str) -> i64 {
    facilities::add(
        app,
        &operator(),
        NewFacility {
            code: code.into(),
            name: format!("Lapas {code}"),
            kind: FacilityKind::Lapas,
            region: None,
            city: None,
        },
    )
    .await
    .unwrap()
    .id
}

bekal_store::on_both_backends!(
    login_succeeds_and_fails,
    repeated_failures_lock_the_account_and_the_lock_is_audited,
    an_address_that_fails_too_often_is_rate_limited,
    sessions_end_when_idle_or_too_old,
    logout_and_logout_everywhere,
    password_reset_and_change,
    national_admin_needs_the_second_factor,
    api_tokens_are_scoped_and_revocable,
    checkpoint_detects_a_rewritten_chain,
    reads_of_sensitive_records_are_audited,
);

async fn login_succeeds_and_fails(db: &TestDatabase) {
    let (app, _) = setup(db);
    let facility = add_facility(&app, "PKL").await;
    let id = add_user(&app, "petugas.pkl", Role::ProgramOfficer, Some(facility)).await;
    let session = auth::login(&app, " Petugas.PKL ", PASSWORD, "10.0.0.1")
        .await
        .unwrap();
    assert!(!session.second_factor_pending);
    assert!(
        !format!("{session:?}").contains(&session.token),
        "Debug hides the token"
    );
    let info = auth::resolve_session(&app, &session.token).await.unwrap();
    assert_eq!(info.user_id, id);
    assert!(info.second_factor_done);
    assert_eq!(info.csrf_token, session.csrf_token);
    match &info.actor {
        Actor::User {
            role, facility_id, ..
        } => {
            assert_eq!(*role, Role::ProgramOfficer);
            assert_eq!(*facility_id, Some(facility));
        }
        other => panic!("{other:?}"),
    }
    // Only the hash of the token is stored.
    let stored = bekal_store::entity::user_session::Entity::find()
        .all(db.store.conn())
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].id_hash, session.token);
    for (name, pw) in [("petugas.pkl", "wrong password!"), ("nobody", PASSWORD)] {
        assert!(matches!(
            auth::login(&app, name, pw, "10.0.0.1").await,
            Err(AppError::Unauthenticated(_))
        ));
    }
    assert!(matches!(
        auth::resolve_session(&app, "not a token").await,
        Err(AppError::Unauthenticated(_))
    ));
}

async fn repeated_failures_lock_the_account_and_the_lock_is_audited(db: &TestDatabase) {
    let (app, clock) = setup(db);
    add_user(&app, "kanwil.jateng", Role::OversightViewer, None).await;
    let before = auth::login(&app, "kanwil.jateng", PASSWORD, "10.0.0.9")
        .await
        .unwrap();
    for attempt in 1..=5 {
        let result = auth::login(&app, "kanwil.jateng", "not the password", "10.0.0.2").await;
        if attempt < 5 {
            assert!(
                matches!(result, Err(AppError::Unauthenticated(_))),
                "{attempt}"
            );
        } else {
            assert!(
                matches!(result, Err(AppError::RateLimited(_))),
                "{result:?}"
            );
        }
    }
    // Locked: even the right password is refused, and existing sessions ended.
    assert!(matches!(
        auth::login(&app, "kanwil.jateng", PASSWORD, "10.0.0.3").await,
        Err(AppError::RateLimited(_))
    ));
    assert!(auth::resolve_session(&app, &before.token).await.is_err());
    let locks = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("lock"))
        .all(db.store.conn())
        .await
        .unwrap();
    assert_eq!(locks.len(), 1);
    assert!(
        locks[0].changes.contains("locked_until"),
        "{}",
        locks[0].changes
    );
    assert!(!locks[0].changes.contains(PASSWORD));
    // The lock ends after 15 minutes.
    clock.advance(Duration::minutes(16));
    auth::login(&app, "kanwil.jateng", PASSWORD, "10.0.0.3")
        .await
        .unwrap();
    let row = user::Entity::find()
        .filter(user::Column::Username.eq("kanwil.jateng"))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.failed_logins, row.locked_until), (0, None));
}

async fn an_address_that_fails_too_often_is_rate_limited(db: &TestDatabase) {
    let (app, clock) = setup(db);
    add_user(&app, "kanwil.jateng", Role::OversightViewer, None).await;
    for i in 0..20 {
        let result = auth::login(&app, &format!("guess{i}"), "whatever pw", "192.0.2.7").await;
        assert!(matches!(result, Err(AppError::Unauthenticated(_))), "{i}");
    }
    assert!(matches!(
        auth::login(&app, "kanwil.jateng", PASSWORD, "192.0.2.7").await,
        Err(AppError::RateLimited(_))
    ));
    // Another address is not affected; the first one is let in again after the window.
    auth::login(&app, "kanwil.jateng", PASSWORD, "192.0.2.8")
        .await
        .unwrap();
    clock.advance(Duration::minutes(16));
    auth::login(&app, "kanwil.jateng", PASSWORD, "192.0.2.7")
        .await
        .unwrap();
}

async fn sessions_end_when_idle_or_too_old(db: &TestDatabase) {
    let (app, clock) = setup(db);
    add_user(&app, "kanwil.jateng", Role::OversightViewer, None).await;
    let idle = auth::login(&app, "kanwil.jateng", PASSWORD, "a")
        .await
        .unwrap();
    clock.advance(Duration::minutes(29));
    auth::resolve_session(&app, &idle.token).await.unwrap();
    clock.advance(Duration::minutes(29));
    auth::resolve_session(&app, &idle.token).await.unwrap();
    clock.advance(Duration::minutes(31));
    assert!(matches!(
        auth::resolve_session(&app, &idle.token).await,
        Err(AppError::Unauthenticated(_))
    ));
    let busy = auth::login(&app, "kanwil.jateng", PASSWORD, "a")
        .await
        .unwrap();
    for _ in 0..(12 * 60 / 20 - 1) {
        clock.advance(Duration::minutes(20));
        auth::resolve_session(&app, &busy.token).await.unwrap();
    }
    clock.advance(Duration::minutes(20));
    assert!(
        auth::resolve_session(&app, &busy.token).await.is_err(),
        "12 hours after sign-in, however busy"
    );
}

async fn logout_and_logout_everywhere(db: &TestDatabase) {
    let (app, _) = setup(db);
    let id = add_user(&app, "kanwil.jateng", Role::OversightViewer, None).await;
    let other = add_user(&app, "kalapas.x", Role::OversightViewer, None).await;
    let a = auth::login(&app, "kanwil.jateng", PASSWORD, "a")
        .await
        .unwrap();
    let b = auth::login(&app, "kanwil.jateng", PASSWORD, "b")
        .await
        .unwrap();
    let c = auth::login(&app, "kanwil.jateng", PASSWORD, "c")
        .await
        .unwrap();
    let theirs = auth::login(&app, "kalapas.x", PASSWORD, "c").await.unwrap();
    let info_a = auth::resolve_session(&app, &a.token).await.unwrap();
    auth::logout(&app, &info_a).await.unwrap();
    assert!(auth::resolve_session(&app, &a.token).await.is_err());
    assert!(auth::resolve_session(&app, &b.token).await.is_ok());
    // A user may not sign another user out everywhere.
    assert!(matches!(
        auth::logout_everywhere(&app, &info_a.actor, other).await,
        Err(AppError::Forbidden(_))
    ));
    assert_eq!(
        auth::logout_everywhere(&app, &info_a.actor, id)
            .await
            .unwrap(),
        2
    );
    assert!(auth::resolve_session(&app, &b.token).await.is_err());
    assert!(auth::resolve_session(&app, &c.token).await.is_err());
    assert!(auth::resolve_session(&app, &theirs.token).await.is_ok());
}

async fn password_reset_and_change(db: &TestDatabase) {
    let (app, _) = setup(db);
    add_user(&app, "kanwil.jateng", Role::OversightViewer, None).await;
    let s = auth::login(&app, "kanwil.jateng", PASSWORD, "a")
        .await
        .unwrap();
    for bad in ["short", "password123", "kanwil.jateng"] {
        assert!(matches!(
            password::reset_password(&app, &operator(), "kanwil.jateng", bad).await,
            Err(AppError::Invalid { .. })
        ));
    }
    password::reset_password(
        &app,
        &operator(),
        "kanwil.jateng",
        "teh manis hangat sekali",
    )
    .await
    .unwrap();
    assert!(
        auth::resolve_session(&app, &s.token).await.is_err(),
        "reset ends sessions"
    );
    assert!(
        auth::login(&app, "kanwil.jateng", PASSWORD, "a")
            .await
            .is_err()
    );
    let s = auth::login(&app, "kanwil.jateng", "teh manis hangat sekali", "a")
        .await
        .unwrap();
    let actor = auth::resolve_session(&app, &s.token).await.unwrap().actor;
    assert!(matches!(
        password::reset_password(&app, &actor, "kanwil.jateng", "x y z w v u t s").await,
        Err(AppError::Forbidden(_))
    ));
    assert!(
        password::change_own_password(&app, &actor, "wrong current", "nasi goreng kampung")
            .await
            .is_err()
    );
    password::change_own_password(
        &app,
        &actor,
        "teh manis hangat sekali",
        "nasi goreng kampung",
    )
    .await
    .unwrap();
    auth::login(&app, "kanwil.jateng", "nasi goreng kampung", "a")
        .await
        .unwrap();
    // No password or hash in the audit log.
    for entry in audit_log::Entity::find()
        .all(db.store.conn())
        .await
        .unwrap()
    {
        assert!(!entry.changes.contains("nasi goreng"), "{}", entry.changes);
        assert!(!entry.changes.contains("$argon2"), "{}", entry.changes);
    }
}

fn code_at(secret: &str, at: DateTime<Utc>) -> String {
    let key = totp::base32_decode(secret).unwrap();
    format!("{:06}", totp::totp_at(&key, at.timestamp(), 6).unwrap())
}

async fn national_admin_needs_the_second_factor(db: &TestDatabase) {
    let (app, clock) = setup(db);
    add_user(&app, "admin", Role::NationalAdmin, None).await;
    let s = auth::login(&app, "admin", PASSWORD, "a").await.unwrap();
    assert!(s.second_factor_pending);
    let info = auth::resolve_session(&app, &s.token).await.unwrap();
    assert!(!info.second_factor_done && info.needs_totp_enrolment);
    let enrolment = totp::pending_enrolment(&app, &info).await.unwrap();
    assert_eq!(
        enrolment.secret,
        totp::pending_enrolment(&app, &info).await.unwrap().secret
    );
    let now = app.clock.now();
    let valid: Vec<String> = [-30, 0, 30]
        .iter()
        .map(|s| code_at(&enrolment.secret, now + Duration::seconds(*s)))
        .collect();
    let wrong = (0..10)
        .map(|d| format!("{d}{d}{d}{d}{d}{d}"))
        .find(|c| !valid.contains(c))
        .unwrap();
    assert!(matches!(
        totp::confirm_enrolment(&app, &info, &wrong, "a").await,
        Err(AppError::Unauthenticated(_))
    ));
    let codes = totp::confirm_enrolment(
        &app,
        &info,
        &code_at(&enrolment.secret, app.clock.now()),
        "a",
    )
    .await
    .unwrap();
    assert_eq!(codes.len(), 10);
    assert!(
        auth::resolve_session(&app, &s.token)
            .await
            .unwrap()
            .second_factor_done
    );
    // A second enrolment is refused once one is confirmed.
    assert!(matches!(
        totp::pending_enrolment(&app, &info).await,
        Err(AppError::Conflict(_))
    ));
    // Next sign-in: a TOTP code, not the same one twice; a recovery code works once.
    clock.advance(Duration::minutes(2));
    let s2 = auth::login(&app, "admin", PASSWORD, "a").await.unwrap();
    let info2 = auth::resolve_session(&app, &s2.token).await.unwrap();
    assert!(!info2.second_factor_done);
    assert!(
        totp::verify_second_factor(&app, &info2, "12345", "a")
            .await
            .is_err()
    );
    let code = code_at(&enrolment.secret, app.clock.now());
    totp::verify_second_factor(&app, &info2, &code, "a")
        .await
        .unwrap();
    assert!(
        auth::resolve_session(&app, &s2.token)
            .await
            .unwrap()
            .second_factor_done
    );
    let s3 = auth::login(&app, "admin", PASSWORD, "a").await.unwrap();
    let info3 = auth::resolve_session(&app, &s3.token).await.unwrap();
    assert!(
        totp::verify_second_factor(&app, &info3, &code, "a")
            .await
            .is_err(),
        "a code is accepted once"
    );
    totp::verify_second_factor(&app, &info3, &codes[3].to_uppercase(), "a")
        .await
        .unwrap();
    let s4 = auth::login(&app, "admin", PASSWORD, "a").await.unwrap();
    let info4 = auth::resolve_session(&app, &s4.token).await.unwrap();
    assert!(
        totp::verify_second_factor(&app, &info4, &codes[3], "a")
            .await
            .is_err()
    );
    // The secret never reaches the audit log.
    for entry in audit_log::Entity::find()
        .all(db.store.conn())
        .await
        .unwrap()
    {
        assert!(
            !entry.changes.contains(&enrolment.secret),
            "{}",
            entry.changes
        );
    }
}

async fn api_tokens_are_scoped_and_revocable(db: &TestDatabase) {
    let (app, clock) = setup(db);
    add_user(&app, "kanwil.jateng", Role::OversightViewer, None).await;
    assert!(matches!(
        tokens::create(
            &app,
            &operator(),
            "kanwil.jateng",
            "x",
            &["Everything".into()],
            None
        )
        .await,
        Err(AppError::Invalid { .. })
    ));
    let created = tokens::create(
        &app,
        &operator(),
        "kanwil.jateng",
        "dashboard kanwil",
        &["ListFacilities".into()],
        Some(app.clock.now() + Duration::days(30)),
    )
    .await
    .unwrap();
    assert!(created.secret.starts_with(tokens::TOKEN_PREFIX));
    let caller = tokens::resolve(&app, &created.secret).await.unwrap();
    assert!(caller.allows(Permission::ListFacilities));
    assert!(caller.actor_for(Permission::ListFacilities).is_ok());
    assert!(matches!(
        caller.actor_for(Permission::ReadAggregates),
        Err(AppError::Forbidden(_))
    ));
    assert!(tokens::resolve(&app, "bekal_not-a-token").await.is_err());
    let stored = bekal_store::entity::api_token::Entity::find_by_id(created.id)
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_ne!(stored.token_hash, created.secret);
    tokens::revoke(&app, &caller.actor, created.id)
        .await
        .unwrap();
    assert!(tokens::resolve(&app, &created.secret).await.is_err());
    let expiring = tokens::create(
        &app,
        &operator(),
        "kanwil.jateng",
        "short",
        &["ListFacilities".into()],
        Some(app.clock.now() + Duration::days(1)),
    )
    .await
    .unwrap();
    tokens::resolve(&app, &expiring.secret).await.unwrap();
    clock.advance(Duration::days(2));
    assert!(tokens::resolve(&app, &expiring.secret).await.is_err());
}

/// Rewrites entry `seq` of `chain` and recomputes every later hash and the head, as someone
/// with write access to the database could.
async fn rewrite_chain(db: &TestDatabase, chain: &str, seq: i64) {
    let conn = db.store.conn();
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::Chain.eq(chain))
        .order_by_asc(audit_log::Column::Seq)
        .all(conn)
        .await
        .unwrap();
    let mut prev = audit::GENESIS_HASH.to_owned();
    for row in rows {
        let changes = if row.seq == seq {
            r#"{"note":{"forged":true}}"#.to_owned()
        } else {
            row.changes.clone()
        };
        let hash = entry_hash(&EntryFields {
            prev_hash: &prev,
            chain: &row.chain,
            seq: row.seq,
            at: row.at,
            actor_user_id: row.actor_user_id,
            actor: &row.actor,
            facility_id: row.facility_id,
            action: &row.action,
            entity: &row.entity,
            entity_id: row.entity_id.as_deref(),
            changes: &changes,
        });
        let mut active = row.into_active_model();
        active.changes = Set(changes);
        active.prev_hash = Set(prev.clone());
        active.hash = Set(hash.clone());
        active.update(conn).await.unwrap();
        prev = hash;
    }
    let head = audit_head::Entity::find_by_id(chain.to_owned())
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let mut head = head.into_active_model();
    head.hash = Set(prev);
    head.update(conn).await.unwrap();
}

async fn checkpoint_detects_a_rewritten_chain(db: &TestDatabase) {
    let (app, _) = setup(db);
    let facility = add_facility(&app, "PKL").await;
    add_user(&app, "petugas.pkl", Role::ProgramOfficer, Some(facility)).await;
    let dir = tempfile::tempdir().unwrap();
    let key = checkpoint::load_or_create_key(dir.path()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(checkpoint::KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(
        checkpoint::load_or_create_key(dir.path())
            .unwrap()
            .to_bytes(),
        key.to_bytes(),
        "the same key on the second use"
    );
    let cp = checkpoint::create(&app, &operator(), &key).await.unwrap();
    assert!(
        cp.body
            .chains
            .iter()
            .any(|c| c.chain == "national" && c.seq >= 2)
    );
    // More entries after the checkpoint: the log still extends it.
    add_facility(&app, "SMG").await;
    assert_eq!(
        checkpoint::check(&app, &cp).await.unwrap(),
        Vec::<String>::new()
    );
    // A forged signature is caught.
    let mut forged = cp.clone();
    forged.body.chains[0].seq += 1;
    assert!(!checkpoint::check(&app, &forged).await.unwrap().is_empty());
    // Rewriting the first entry and recomputing the chain fools verify_chain, not the checkpoint.
    rewrite_chain(db, "national", 1).await;
    let report = audit::verify_chain(db.store.conn(), "national")
        .await
        .unwrap();
    assert!(
        report.first_break.is_none(),
        "the rewrite is self-consistent"
    );
    let problems = checkpoint::check(&app, &cp).await.unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("national"), "{problems:?}");
    // A checkpoint is refused over a broken chain.
    let mut row = audit_log::Entity::find()
        .filter(audit_log::Column::Chain.eq("national"))
        .filter(audit_log::Column::Seq.eq(2_i64))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    row.action = Set("edited".into());
    row.update(db.store.conn()).await.unwrap();
    assert!(matches!(
        checkpoint::create(&app, &operator(), &key).await,
        Err(AppError::Conflict(_))
    ));
}

async fn reads_of_sensitive_records_are_audited(db: &TestDatabase) {
    let (app, _) = setup(db);
    let facility = add_facility(&app, "PKL").await;
    auth::audit_read(&app, &operator(), Some(facility), "inmate", 42, "export")
        .await
        .unwrap();
    let reads = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("read"))
        .all(db.store.conn())
        .await
        .unwrap();
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].chain, format!("facility:{facility}"));
    assert_eq!(reads[0].entity_id.as_deref(), Some("42"));
    assert!(reads[0].changes.contains("export"));
}
