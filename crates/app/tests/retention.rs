//! Retention on both backends: the period is a national setting that must outlast the last
//! follow-up; a dry run counts without changing anything; applying erases the personal
//! fields (and the free-text notes) of exactly the people released longer ago than the
//! period, keeps their rows and follow-up outcomes, audits each erasure without writing the
//! erased values again, and a second run erases nothing more.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::custody::{self, CustodyChange};
use bekal_app::facilities::{self, NewFacility};
use bekal_app::followup::{self, NewFollowUp};
use bekal_app::inmates::{self, InmateRecord};
use bekal_app::{Actor, App, AppError, retention};
use bekal_domain::clock::FixedClock;
use bekal_domain::codes::RegisterNumber;
use bekal_domain::role::Role;
use bekal_domain::status::{CustodyStatus, FacilityKind, FollowUpOutcome, FollowUpSource};
use bekal_store::entity::{audit_log, follow_up, inmate};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use std::sync::Arc;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn app_on(db: &TestDatabase, today: NaiveDate) -> App {
    App::new(db.store.clone(), Arc::new(FixedClock::at_day(today)))
}

fn operator() -> Actor {
    Actor::Operator {
        label: "test".into(),
    }
}

bekal_store::on_both_backends!(records_past_the_period_are_erased_once);

async fn records_past_the_period_are_erased_once(db: &TestDatabase) {
    let app = app_on(db, day(2027, 3, 1));
    let op = operator();
    let place = facilities::add(
        &app,
        &op,
        NewFacility {
            code: "LPKL".into(),
            name: "Lapas Kelas IIA Pekalongan".into(),
            kind: FacilityKind::Lapas,
            region: None,
            city: None,
        },
    )
    .await
    .unwrap();
    let people = [
        ("BI.N-301/2024", "Agus Salim"),
        ("BI.N-302/2024", "Bambang Irawan"),
        ("BI.N-303/2024", "Cahyo Nugroho"),
    ];
    let records: Vec<InmateRecord> = people
        .iter()
        .map(|(number, name)| InmateRecord {
            register_number: Some(RegisterNumber::parse(number).unwrap()),
            name: (*name).into(),
            birth_date: Some(day(1990, 5, 1)),
            sentence_start: Some(day(2024, 1, 1)),
            expected_release: Some(day(2026, 11, 1)),
            ..InmateRecord::default()
        })
        .collect();
    inmates::upsert_batch(&app, &op, place.id, &records)
        .await
        .unwrap();
    let rows = inmate::Entity::find()
        .order_by_asc(inmate::Column::RegisterNumber)
        .all(db.store.conn())
        .await
        .unwrap();
    let (agus, bambang, cahyo) = (rows[0].id, rows[1].id, rows[2].id);
    for (id, on) in [(agus, day(2026, 11, 1)), (bambang, day(2026, 11, 20))] {
        custody::record(
            &app,
            &op,
            CustodyChange {
                inmate_id: id,
                kind: CustodyStatus::Released,
                effective_on: on,
                reason: Some("bebas murni".into()),
            },
        )
        .await
        .unwrap();
    }
    followup::record(
        &app,
        &op,
        NewFollowUp {
            facility_id: place.id,
            inmate_id: agus,
            months_after_release: 3,
            contacted_on: day(2027, 2, 10),
            outcome: FollowUpOutcome::Unemployed,
            in_trained_trade: false,
            employer_type: None,
            source: FollowUpSource::Facility,
            notes: Some("tinggal bersama kakak di Batang".into()),
        },
    )
    .await
    .unwrap();

    // The period: longer than the last follow-up (12 months), at most 30 years, national.
    assert_eq!(retention::years(&app).await.unwrap(), 5);
    for bad in [0, 1, 31] {
        assert!(matches!(
            retention::set_years(&app, &op, bad).await,
            Err(AppError::Invalid { .. })
        ));
    }
    let officer = Actor::User {
        id: 7,
        username: "petugas".into(),
        role: Role::ProgramOfficer,
        facility_id: Some(place.id),
        partner_id: None,
        region: None,
    };
    assert!(matches!(
        retention::set_years(&app, &officer, 6).await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        retention::apply(&app, &officer, true).await,
        Err(AppError::Forbidden(_))
    ));

    // Five years and a day after Agus's release: only he is due.
    let later = app_on(db, day(2031, 11, 2));
    let counted = retention::apply(&later, &op, true).await.unwrap();
    assert_eq!(counted.total, 1, "{counted:?}");
    assert_eq!(counted.facilities.get("LPKL"), Some(&1));
    assert_eq!(counted.released_before, day(2026, 11, 2));
    let untouched = inmate::Entity::find_by_id(agus)
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(untouched.name, "Agus Salim", "a dry run changes nothing");

    let done = retention::apply(&later, &op, false).await.unwrap();
    assert_eq!(done.total, 1);
    let erased = inmate::Entity::find_by_id(agus)
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(erased.name, "-");
    assert_eq!(erased.register_number, format!("ERASED-{agus}"));
    assert_eq!(erased.birth_date, None);
    assert_eq!(erased.sentence_start, None);
    assert_eq!(erased.expected_release, None);
    assert!(erased.erased_at.is_some());
    assert_eq!(erased.custody_status, "released");
    let kept = follow_up::Entity::find()
        .filter(follow_up::Column::InmateId.eq(agus))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        kept.outcome.as_deref(),
        Some("unemployed"),
        "figures keep adding up"
    );
    assert_eq!(kept.notes, None);
    for (id, name) in [(bambang, "Bambang Irawan"), (cahyo, "Cahyo Nugroho")] {
        let row = inmate::Entity::find_by_id(id)
            .one(db.store.conn())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.name, name);
        assert!(row.erased_at.is_none());
    }
    let entries = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("erase"))
        .all(db.store.conn())
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].entity_id.as_deref(),
        Some(agus.to_string().as_str())
    );
    assert!(
        !entries[0].changes.contains("Agus"),
        "{}",
        entries[0].changes
    );
    assert!(!entries[0].changes.contains("Batang"));

    assert_eq!(retention::apply(&later, &op, false).await.unwrap().total, 0);
    // A longer period: nobody is due yet.
    retention::set_years(&later, &op, 6).await.unwrap();
    assert_eq!(retention::years(&later).await.unwrap(), 6);
    let far = app_on(db, day(2032, 11, 15));
    let next = retention::apply(&far, &op, true).await.unwrap();
    assert_eq!(next.total, 0, "{next:?}");
}
