//! Service-layer tests on both backends: the demo scenario builds and is reused, facilities
//! and the inmate upsert behave as the registry needs, and every change is audited.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::facilities::{self, NewFacility};
use bekal_app::inmates::{self, InmateRecord};
use bekal_app::{Actor, App, AppError, demo};
use bekal_domain::clock::FixedClock;
use bekal_domain::codes::RegisterNumber;
use bekal_domain::role::Role;
use bekal_domain::status::FacilityKind;
use bekal_store::audit;
use bekal_store::entity::{audit_log, enrolment, inmate, training_class};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use std::sync::Arc;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
}

fn app(db: &TestDatabase) -> App {
    App::new(db.store.clone(), Arc::new(FixedClock::at_day(today())))
}

fn operator() -> Actor {
    Actor::Operator {
        label: "test".into(),
    }
}

bekal_store::on_both_backends!(
    demo_builds_then_is_reused,
    facility_codes_are_checked_and_unique,
    inmate_upsert_is_idempotent_and_audited,
    facility_users_cannot_touch_other_facilities,
);

async fn demo_builds_then_is_reused(db: &TestDatabase) {
    let app = app(db);
    let keys = tempfile::tempdir().unwrap();
    let config = bekal_app::certificates::CertificateConfig::new(
        keys.path(),
        "https://verify.bekal.example",
    );
    let first = demo::build(&app, today(), Some(&config)).await.unwrap();
    let delivered = first
        .delivery
        .as_ref()
        .expect("the demo delivers its programme");
    assert!(delivered.sessions >= 6 * 18, "{delivered:?}");
    assert!(
        delivered.attendance_sheets > 18,
        "stage 1 over and stage 2 half-way: {delivered:?}"
    );
    assert!(delivered.unit_results > 0, "{delivered:?}");
    assert!(
        delivered.certificates > 0,
        "the finished stage's completers are certified: {delivered:?}"
    );
    assert!(
        delivered.certificates + delivered.not_certified <= 20,
        "{delivered:?}"
    );
    assert!(!first.reused);
    assert_eq!(first.inmates, 253);
    assert_eq!(first.timeline.stages.len(), 3);
    assert!(first.timeline.stages[0].1 < today());
    assert!(first.timeline.stages[1].0 <= today() && today() <= first.timeline.stages[1].1);
    assert!(first.timeline.stages[2].0 > today());
    assert_eq!(first.logins.len(), 8);
    let plan = first.plan.as_ref().expect("the demo plans its programme");
    assert_eq!(plan.status, "approved");
    assert!(plan.selected > 30 && plan.selected <= 60, "{plan:?}");
    assert!(plan.classes >= 4, "{plan:?}");
    assert!(
        plan.value_bound.is_some_and(|bound| bound >= plan.value),
        "{plan:?}"
    );
    let classes = training_class::Entity::find()
        .all(db.store.conn())
        .await
        .unwrap();
    for class in &classes {
        let expected = match class.stage {
            0 => "finished",
            1 => "running",
            _ => "planned",
        };
        assert_eq!(class.status, expected, "{class:?}");
        assert!(
            class.explanation.is_some(),
            "every class says why its stage, room and trainer"
        );
    }
    let enrolled = enrolment::Entity::find()
        .count(db.store.conn())
        .await
        .unwrap();
    assert_eq!(enrolled, plan.selected as u64);
    let explained = bekal_app::selection::explain(&app, &operator(), "PKL", None)
        .await
        .unwrap();
    assert_eq!(explained.len(), 253);
    let selected = explained.iter().filter(|e| e.status == "selected").count();
    assert_eq!(selected, plan.selected);
    let round = bekal_app::selection::rounds::current_round(&app, &operator(), "PKL")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        round.status, "approved",
        "the demo ends with an approved selection"
    );
    assert_eq!(round.entries.len(), 253);
    for entry in &round.entries {
        let outcome = explained
            .iter()
            .find(|e| e.register_number == entry.register_number)
            .unwrap();
        assert_eq!(entry.decision, outcome.status, "{entry:?}");
    }
    for e in &explained {
        assert!(!e.reasons.is_empty(), "{e:?}");
        assert!(
            e.reasons
                .iter()
                .all(|r| !r.id.is_empty() && !r.en.is_empty()),
            "{e:?}"
        );
        assert_eq!(e.status == "selected", e.package.is_some(), "{e:?}");
    }
    assert!(
        explained
            .iter()
            .any(|e| e.reasons[0].code == "outranked" && e.reasons[0].en.contains("points"))
    );
    assert!(
        explained
            .iter()
            .any(|e| e.reasons[0].code == "below_min_score")
    );
    let one = bekal_app::selection::explain(
        &app,
        &operator(),
        "PKL",
        Some(&explained[0].register_number),
    )
    .await
    .unwrap();
    assert_eq!(one, vec![explained[0].clone()]);
    assert!(matches!(
        bekal_app::selection::explain(&app, &operator(), "PKL", Some("no-such")).await,
        Err(AppError::NotFound(_))
    ));
    let again = demo::build(&app, today(), Some(&config)).await.unwrap();
    assert!(again.reused);
    assert_eq!(again.inmates, 253);
    for chain in audit::chains(db.store.conn()).await.unwrap() {
        let report = audit::verify_chain(db.store.conn(), &chain).await.unwrap();
        assert_eq!(report.first_break, None, "{chain}");
    }
}

async fn facility_codes_are_checked_and_unique(db: &TestDatabase) {
    let app = app(db);
    let new = |code: &str| NewFacility {
        code: code.into(),
        name: "Rutan Kelas I Semarang".into(),
        kind: FacilityKind::Rutan,
        region: Some(" Jawa Tengah ".into()),
        city: None,
    };
    let created = facilities::add(&app, &operator(), new("smg"))
        .await
        .unwrap();
    assert_eq!(created.code, "SMG");
    assert_eq!(created.region.as_deref(), Some("Jawa Tengah"));
    assert!(matches!(
        facilities::add(&app, &operator(), new("SMG")).await,
        Err(AppError::Conflict(_))
    ));
    assert!(matches!(
        facilities::add(&app, &operator(), new("S M G")).await,
        Err(AppError::Invalid { .. })
    ));
    let listed = facilities::list(&app, &operator()).await.unwrap();
    assert_eq!(listed.len(), 1);
}

fn record(number: &str, name: &str) -> InmateRecord {
    InmateRecord {
        register_number: Some(RegisterNumber::parse(number).unwrap()),
        name: name.into(),
        expected_release: NaiveDate::from_ymd_opt(2027, 5, 1),
        ..InmateRecord::default()
    }
}

async fn inmate_upsert_is_idempotent_and_audited(db: &TestDatabase) {
    let app = app(db);
    let facility = facilities::add(
        &app,
        &operator(),
        NewFacility {
            code: "BTG".into(),
            name: "Rutan Batang".into(),
            kind: FacilityKind::Rutan,
            region: None,
            city: None,
        },
    )
    .await
    .unwrap();
    let batch = vec![record("A1", "Agus Santoso"), record("A2", "Budi Wijaya")];
    let first = inmates::upsert_batch(&app, &operator(), facility.id, &batch)
        .await
        .unwrap();
    assert_eq!((first.inserted, first.updated, first.unchanged), (2, 0, 0));
    let log_after_first = audit_log::Entity::find()
        .count(db.store.conn())
        .await
        .unwrap();
    let second = inmates::upsert_batch(&app, &operator(), facility.id, &batch)
        .await
        .unwrap();
    assert_eq!(
        (second.inserted, second.updated, second.unchanged),
        (0, 0, 2)
    );
    assert_eq!(
        audit_log::Entity::find()
            .count(db.store.conn())
            .await
            .unwrap(),
        log_after_first,
        "no change, no audit row"
    );
    let changed = vec![record("A1", "Agus Santoso Putra")];
    let third = inmates::upsert_batch(&app, &operator(), facility.id, &changed)
        .await
        .unwrap();
    assert_eq!(third.updated, 1);
    let entry = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("update"))
        .filter(audit_log::Column::Entity.eq("inmate"))
        .one(db.store.conn())
        .await
        .unwrap()
        .expect("an audit row for the update");
    assert!(
        entry.changes.contains("Agus Santoso Putra") && entry.changes.contains("\"Agus Santoso\""),
        "{}",
        entry.changes
    );
    assert!(
        !entry.changes.contains("Budi"),
        "only the changed record and fields: {}",
        entry.changes
    );
    let count = inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(facility.id))
        .count(db.store.conn())
        .await
        .unwrap();
    assert_eq!(
        count, 2,
        "records missing from a later batch are not deleted"
    );
}

async fn facility_users_cannot_touch_other_facilities(db: &TestDatabase) {
    let app = app(db);
    let add = |code: &str| NewFacility {
        code: code.into(),
        name: format!("Lapas {code}"),
        kind: FacilityKind::Lapas,
        region: None,
        city: None,
    };
    let one = facilities::add(&app, &operator(), add("ONE"))
        .await
        .unwrap();
    let two = facilities::add(&app, &operator(), add("TWO"))
        .await
        .unwrap();
    let officer = Actor::User {
        id: 1,
        username: "petugas".into(),
        role: Role::ProgramOfficer,
        facility_id: Some(one.id),
        partner_id: None,
        region: None,
    };
    let batch = vec![record("X1", "Joko Susanto")];
    inmates::upsert_batch(&app, &officer, one.id, &batch)
        .await
        .unwrap();
    let refused = inmates::upsert_batch(&app, &officer, two.id, &batch).await;
    assert!(
        matches!(refused, Err(AppError::Forbidden(_))),
        "{refused:?}"
    );
    assert!(matches!(
        inmates::count(&app, &officer, two.id).await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        facilities::add(&app, &officer, add("THREE")).await,
        Err(AppError::Forbidden(_))
    ));
}
