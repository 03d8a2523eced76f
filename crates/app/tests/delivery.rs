//! Delivery on both backends: sessions from an approved plan across Sundays and holidays,
//! cancel and move, idempotent and conflicting sheet submissions, corrections with history,
//! the running attendance share at the edge of the minimum, mid-course state changes with a
//! waiting-list proposal, the register export, and trainers kept to their own classes.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::catalogue::{self, CatalogueSpec};
use bekal_app::delivery::attendance::{self, SheetEntry, SheetSubmission, SubmitError};
use bekal_app::delivery::enrolments::{self, StateChange};
use bekal_app::delivery::export::{self, RegisterFilter};
use bekal_app::delivery::{catch_up, sessions, share};
use bekal_app::facilities::{self, NewFacility};
use bekal_app::inmates::{self, InmateRecord};
use bekal_app::{Actor, App, AppError, completion};
use bekal_domain::clock::FixedClock;
use bekal_domain::codes::RegisterNumber;
use bekal_domain::role::Role;
use bekal_domain::status::{AttendanceStatus, EnrolmentState, ExcuseKind, FacilityKind};
use bekal_store::entity::attendance as attendance_row;
use bekal_store::entity::{
    attendance_revision, class_trainer, enrolment, enrolment_event, idempotency_key, inmate,
    package, partner, plan, room, trainer, training_class, training_session, waiting_list_entry,
};
use bekal_store::sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use bekal_store::testing::TestDatabase;
use chrono::{NaiveDate, TimeZone, Utc};
use std::sync::Arc;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(11, 29)
}

fn operator() -> Actor {
    Actor::Operator {
        label: "test".into(),
    }
}

macro_rules! on_both_backends {
    ($($case:ident),* $(,)?) => {
        mod sqlite { $(
            #[tokio::test]
            async fn $case() {
                let db = bekal_store::testing::TestDatabase::sqlite().await.unwrap();
                super::$case(&db).await;
                db.cleanup().await;
            }
        )* }
        mod postgres { $(
            #[tokio::test]
            async fn $case() {
                let Some(db) = bekal_store::testing::TestDatabase::postgres().await else { return };
                super::$case(&db).await;
                db.cleanup().await;
            }
        )* }
    };
}

on_both_backends!(
    sessions_skip_sundays_and_holidays_and_generation_is_idempotent,
    cancel_and_move_keep_reasons_and_the_class_end_follows,
    submissions_are_idempotent_and_conflicts_are_refused,
    corrections_keep_history,
    running_share_at_the_minimum_and_one_session_short,
    state_changes_keep_history_and_propose_the_waiting_list,
    export_lists_the_register,
    trainers_see_only_their_classes,
    past_sheets_are_caught_up_once,
);

const CATALOGUE: &str = r#"
[[partners]]
code = "BLK-PKL"
name = "UPTD BLK Kota Pekalongan"
kind = "training_centre"
certificate_number_format = "{partner}/{year}/{seq:05}"

[[units]]
code = "U.001"
title = "Menerapkan K3"
hours_jp = 8
standard = "SKKNI"
version = "1"

[[packages]]
code = "JAHIT"
name = "Menjahit Pakaian"
hours_jp = 60
duration_days = 10
capacity = 16
trainer_skill = "jahit"
min_attendance_percent = 80
units = ["U.001"]

[[trainers]]
partner = "BLK-PKL"
name = "Bu Sri"
skills = ["jahit"]

[[rooms]]
facility = "LPKL"
code = "R1"
name = "Ruang Jahit"
capacity = 16
"#;

struct Fixture {
    app: App,
    facility_id: i64,
    plan_id: i64,
    class_id: i64,
    package_id: i64,
    /// Ani, Budi, Citra (numbers 1, 2, 3).
    enrolments: [i64; 3],
}

/// A facility with a national holiday (12 Nov) and its own (17 Nov), an approved plan with
/// one class from Monday 9 to Saturday 21 November 2026, a trainer, a room, three trainees.
async fn fixture(db: &TestDatabase) -> Fixture {
    let app = App::new(db.store.clone(), Arc::new(FixedClock::at_day(today())));
    let op = operator();
    let facility = facilities::add(
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
    catalogue::apply(&app, &op, &CatalogueSpec::from_toml(CATALOGUE).unwrap())
        .await
        .unwrap();
    catalogue::load_holidays(
        &app,
        &op,
        None,
        "date,name,kind\n2026-11-12,Libur,national\n",
    )
    .await
    .unwrap();
    catalogue::load_holidays(
        &app,
        &op,
        Some(facility.id),
        "date,name,kind\n2026-11-17,Pemeriksaan,local\n",
    )
    .await
    .unwrap();
    let names = [
        "Ani Lestari",
        "Budi Santoso",
        "Citra Dewi",
        "Dedi Waiting",
        "Eko Pending",
    ];
    let records: Vec<InmateRecord> = names
        .iter()
        .enumerate()
        .map(|(i, n)| InmateRecord {
            register_number: Some(RegisterNumber::parse(&format!("BI.N-10{i}/2025")).unwrap()),
            name: (*n).into(),
            ..InmateRecord::default()
        })
        .collect();
    inmates::upsert_batch(&app, &op, facility.id, &records)
        .await
        .unwrap();
    let conn = db.store.conn();
    let now = Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap();
    let partner = partner::Entity::find().one(conn).await.unwrap().unwrap();
    let package = package::Entity::find().one(conn).await.unwrap().unwrap();
    let room = room::Entity::find().one(conn).await.unwrap().unwrap();
    let trainer = trainer::Entity::find().one(conn).await.unwrap().unwrap();
    let plan = plan::ActiveModel {
        facility_id: Set(facility.id),
        name: Set("Rencana 2026".into()),
        status: Set("approved".into()),
        horizon_start: Set(day(11, 9)),
        stage_days: Set(10),
        num_stages: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await
    .unwrap();
    let class = training_class::ActiveModel {
        facility_id: Set(facility.id),
        plan_id: Set(plan.id),
        package_id: Set(package.id),
        partner_id: Set(partner.id),
        room_id: Set(Some(room.id)),
        code: Set("JAHIT-1".into()),
        stage: Set(0),
        start_date: Set(day(11, 9)),
        end_date: Set(day(11, 21)),
        status: Set("finished".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await
    .unwrap();
    class_trainer::ActiveModel {
        facility_id: Set(facility.id),
        class_id: Set(class.id),
        trainer_id: Set(trainer.id),
        role: Set("lead".into()),
        date_from: Set(day(11, 9)),
        date_to: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await
    .unwrap();
    let people = inmate::Entity::find()
        .order_by_asc(inmate::Column::Name)
        .all(conn)
        .await
        .unwrap();
    let mut enrolments = Vec::new();
    for (number, person) in (1..).zip(people.iter().take(3)) {
        let e = enrolment::ActiveModel {
            facility_id: Set(facility.id),
            class_id: Set(class.id),
            inmate_id: Set(person.id),
            state: Set("enrolled".into()),
            enrolled_on: Set(day(11, 1)),
            number_in_class: Set(Some(number)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await
        .unwrap();
        enrolments.push(e.id);
    }
    for (person, rank, status) in [(&people[3], 2, "approved"), (&people[4], 5, "pending")] {
        waiting_list_entry::ActiveModel {
            facility_id: Set(facility.id),
            package_id: Set(package.id),
            inmate_id: Set(person.id),
            status: Set(status.into()),
            rank: Set(Some(rank)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await
        .unwrap();
    }
    Fixture {
        app,
        facility_id: facility.id,
        plan_id: plan.id,
        class_id: class.id,
        package_id: package.id,
        enrolments: [enrolments[0], enrolments[1], enrolments[2]],
    }
}

async fn generated(db: &TestDatabase) -> (Fixture, Vec<sessions::SessionView>) {
    let f = fixture(db).await;
    sessions::generate_sessions(&f.app, &operator(), f.plan_id)
        .await
        .unwrap();
    let list = sessions::class_sessions(&f.app, &operator(), f.class_id)
        .await
        .unwrap();
    (f, list)
}

fn submission(session_id: i64, key: &str, base: i32, entries: Vec<SheetEntry>) -> SheetSubmission {
    SheetSubmission {
        session_id,
        idempotency_key: key.into(),
        base_version: base,
        all_present: true,
        entries,
    }
}

fn absent(enrolment_id: i64) -> SheetEntry {
    SheetEntry {
        enrolment_id,
        status: AttendanceStatus::Absent,
        excuse_kind: None,
        excuse_text: None,
    }
}

async fn sessions_skip_sundays_and_holidays_and_generation_is_idempotent(db: &TestDatabase) {
    let (f, list) = generated(db).await;
    let dates: Vec<NaiveDate> = list.iter().map(|s| s.date).collect();
    let expected: Vec<NaiveDate> = [9, 10, 11, 13, 14, 16, 18, 19, 20, 21]
        .into_iter()
        .map(|d| day(11, d))
        .collect();
    assert_eq!(dates, expected, "no Sunday 15, no holidays 12 and 17");
    assert!(
        list.iter()
            .all(|s| s.hours_jp == 6 && s.status == "scheduled")
    );
    assert!(
        list.iter()
            .all(|s| s.trainer_id.is_some() && s.room_id.is_some())
    );
    let again = sessions::generate_sessions(&f.app, &operator(), f.plan_id)
        .await
        .unwrap();
    assert_eq!(again.sessions_created, 0);
    assert_eq!(again.classes_unchanged, 1);
    let count = training_session::Entity::find()
        .count(db.store.conn())
        .await
        .unwrap();
    assert_eq!(count, 10);
}

async fn cancel_and_move_keep_reasons_and_the_class_end_follows(db: &TestDatabase) {
    let (f, list) = generated(db).await;
    let op = operator();
    let last = list.last().unwrap().id;
    let err = sessions::cancel_session(&f.app, &op, last, "  ")
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Invalid { .. }), "{err:?}");
    let cancelled = sessions::cancel_session(&f.app, &op, last, "listrik padam")
        .await
        .unwrap();
    assert_eq!(cancelled.status, "cancelled");
    let class = training_class::Entity::find_by_id(f.class_id)
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(class.end_date, day(11, 20));
    // Sunday is refused; Monday 23 is fine and becomes the class's end.
    let err = sessions::move_session(&f.app, &op, list[0].id, day(11, 22), "pelatih sakit")
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Invalid { .. }), "{err:?}");
    let moved = sessions::move_session(&f.app, &op, list[0].id, day(11, 23), "pelatih sakit")
        .await
        .unwrap();
    assert_eq!(moved.moved_from, Some(day(11, 9)));
    assert_eq!(moved.status, "moved");
    let class = training_class::Entity::find_by_id(f.class_id)
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(class.end_date, day(11, 23));
    let err = sessions::move_session(&f.app, &op, list[1].id, day(11, 23), "x")
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)), "{err:?}");
}

async fn submissions_are_idempotent_and_conflicts_are_refused(db: &TestDatabase) {
    let (f, list) = generated(db).await;
    let op = operator();
    let s = list[0].id;
    let sheet = attendance::sheet(&f.app, &op, s).await.unwrap();
    assert_eq!(sheet.rows.len(), 3);
    assert_eq!(sheet.rows[0].name, "Ani Lestari");
    assert_eq!(sheet.rows[0].number_in_class, Some(1));
    assert_eq!(sheet.sheet_version, 0);
    let first = attendance::submit_sheet(
        &f.app,
        &op,
        submission(s, "k-1", 0, vec![absent(f.enrolments[1])]),
    )
    .await
    .unwrap();
    assert_eq!((first.created, first.sheet_version), (3, 1));
    let retried = attendance::submit_sheet(
        &f.app,
        &op,
        submission(s, "k-1", 0, vec![absent(f.enrolments[1])]),
    )
    .await
    .unwrap();
    assert!(retried.replayed);
    assert_eq!(retried.sheet_version, 1);
    let rows = attendance_row::Entity::find()
        .filter(attendance_row::Column::SessionId.eq(s))
        .count(db.store.conn())
        .await
        .unwrap();
    assert_eq!(rows, 3, "a retry writes nothing");
    assert_eq!(
        idempotency_key::Entity::find()
            .count(db.store.conn())
            .await
            .unwrap(),
        1
    );
    // Same key, different body.
    let err = attendance::submit_sheet(&f.app, &op, submission(s, "k-1", 0, vec![]))
        .await
        .unwrap_err();
    assert!(
        matches!(err, SubmitError::App(AppError::Conflict(_))),
        "{err:?}"
    );
    // A second person edited from version 0 too: stale, the current sheet comes back.
    let err = attendance::submit_sheet(&f.app, &op, submission(s, "k-2", 0, vec![]))
        .await
        .unwrap_err();
    let SubmitError::Stale { current } = err else {
        panic!("expected a stale sheet, got {err:?}")
    };
    assert_eq!(current.sheet_version, 1);
    assert_eq!(current.rows[1].status, Some(AttendanceStatus::Absent));
    assert!(matches!(
        AppError::from(SubmitError::Stale { current }),
        AppError::Conflict(_)
    ));
    // An enrolment of no one on this sheet is refused, by id.
    let err = attendance::submit_sheet(&f.app, &op, submission(s, "k-3", 1, vec![absent(9999)]))
        .await
        .unwrap_err();
    let SubmitError::App(AppError::Invalid { message, .. }) = err else {
        panic!("expected invalid, got {err:?}")
    };
    assert!(message.contains("9999"), "{message}");
    // An excused absence needs its kind.
    let mut excused = absent(f.enrolments[0]);
    excused.status = AttendanceStatus::Excused;
    let err = attendance::submit_sheet(&f.app, &op, submission(s, "k-4", 1, vec![excused]))
        .await
        .unwrap_err();
    assert!(
        matches!(err, SubmitError::App(AppError::Invalid { .. })),
        "{err:?}"
    );
}

async fn corrections_keep_history(db: &TestDatabase) {
    let (f, list) = generated(db).await;
    let op = operator();
    let s = list[2].id;
    attendance::submit_sheet(&f.app, &op, submission(s, "a", 0, vec![]))
        .await
        .unwrap();
    let correction = SheetEntry {
        enrolment_id: f.enrolments[2],
        status: AttendanceStatus::Excused,
        excuse_kind: Some(ExcuseKind::Court),
        excuse_text: Some("sidang PN".into()),
    };
    let receipt = attendance::submit_sheet(&f.app, &op, submission(s, "b", 1, vec![correction]))
        .await
        .unwrap();
    assert_eq!((receipt.corrected, receipt.unchanged), (1, 2));
    let row = attendance_row::Entity::find()
        .filter(attendance_row::Column::EnrolmentId.eq(f.enrolments[2]))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, "excused");
    assert_eq!(row.hours_attended, 0);
    assert_eq!(row.revision, 2);
    let history = attendance::revisions(&f.app, &op, row.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].status, "present");
    assert_eq!(history[0].hours_attended, 6);
    assert_eq!(history[0].revision, 1);
    assert_eq!(
        attendance_revision::Entity::find()
            .count(db.store.conn())
            .await
            .unwrap(),
        1
    );
    let sheet = attendance::sheet(&f.app, &op, s).await.unwrap();
    assert_eq!(sheet.sheet_version, 2);
    assert_eq!(sheet.status, "held");
    // The session keeps its sheet's totals for the reports: three trainees, two still
    // present for 6 JP each, the corrected one excused (0).
    let session = training_session::Entity::find_by_id(s)
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((session.marked_trainees, session.attended_hours), (3, 12));
}

async fn running_share_at_the_minimum_and_one_session_short(db: &TestDatabase) {
    let (f, list) = generated(db).await;
    let op = operator();
    // Ani misses 2 of 10 sessions (exactly 80%), Budi 3 (70%), Citra none.
    for (i, s) in list.iter().enumerate() {
        let mut entries = Vec::new();
        if i < 2 {
            entries.push(absent(f.enrolments[0]));
        }
        if i < 3 {
            entries.push(absent(f.enrolments[1]));
        }
        attendance::submit_sheet(&f.app, &op, submission(s.id, &format!("s{i}"), 0, entries))
            .await
            .unwrap();
        if i == 2 {
            // After three sessions Budi can no longer reach 80%, Ani still can.
            let shares = share::class_shares(&f.app, &op, f.class_id).await.unwrap();
            assert!(!shares[0].figures.below_reachable, "{shares:?}");
            assert!(shares[1].figures.below_reachable, "{shares:?}");
            assert_eq!(shares[0].figures.best_reachable_percent, 80);
            assert_eq!(shares[1].figures.remaining_hours, 42);
        }
    }
    let shares = share::class_shares(&f.app, &op, f.class_id).await.unwrap();
    assert_eq!(shares[0].figures.percent, 80);
    assert!(!shares[0].figures.below_reachable);
    assert_eq!(shares[1].figures.percent, 70);
    assert!(shares[1].figures.below_reachable);
    assert_eq!(shares[2].figures.percent, 100);
    // The completion rule of the certificates module agrees.
    let class = training_class::Entity::find_by_id(f.class_id)
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    let verdicts = completion::class_completion(db.store.conn(), &class)
        .await
        .unwrap();
    let on_attendance = |k: usize| {
        verdicts[k]
            .verdict
            .reasons
            .iter()
            .any(|r| r.starts_with("attendance"))
    };
    assert!(!on_attendance(0));
    assert!(on_attendance(1));
}

async fn state_changes_keep_history_and_propose_the_waiting_list(db: &TestDatabase) {
    let (f, list) = generated(db).await;
    let op = operator();
    let change = |to, on| StateChange {
        enrolment_id: f.enrolments[1],
        to,
        effective_on: on,
        reason: "pembebasan bersyarat".into(),
    };
    let err = enrolments::change_state(&f.app, &op, change(EnrolmentState::Completed, day(11, 14)))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Invalid { .. }), "{err:?}");
    let outcome =
        enrolments::change_state(&f.app, &op, change(EnrolmentState::Released, day(11, 14)))
            .await
            .unwrap();
    assert_eq!(
        (outcome.from.as_str(), outcome.to.as_str()),
        ("enrolled", "released")
    );
    let proposal = outcome.proposal.unwrap();
    assert_eq!(proposal.name, "Dedi Waiting");
    assert_eq!(proposal.rank, Some(2));
    let err = enrolments::change_state(&f.app, &op, change(EnrolmentState::Medical, day(11, 16)))
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)), "{err:?}");
    let history = enrolments::history(&f.app, &op, f.enrolments[1])
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].reason.as_deref(), Some("pembebasan bersyarat"));
    assert_eq!(
        enrolment_event::Entity::find()
            .count(db.store.conn())
            .await
            .unwrap(),
        1
    );
    let e = enrolment::Entity::find_by_id(f.enrolments[1])
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.state_reason.as_deref(), Some("pembebasan bersyarat"));
    // Released on the 14th: on the sheet of the 13th, not on the 16th.
    let before = attendance::sheet(&f.app, &op, list[3].id).await.unwrap();
    assert_eq!(before.date, day(11, 13));
    assert_eq!(before.rows.len(), 3);
    let after = attendance::sheet(&f.app, &op, list[5].id).await.unwrap();
    assert_eq!(after.rows.len(), 2);
    assert_eq!(
        f.package_id,
        package::Entity::find()
            .one(db.store.conn())
            .await
            .unwrap()
            .unwrap()
            .id
    );
}

async fn export_lists_the_register(db: &TestDatabase) {
    let (f, list) = generated(db).await;
    let op = operator();
    for (i, s) in list.iter().take(2).enumerate() {
        attendance::submit_sheet(
            &f.app,
            &op,
            submission(s.id, &format!("e{i}"), 0, vec![absent(f.enrolments[2])]),
        )
        .await
        .unwrap();
    }
    let filter = RegisterFilter {
        facility_code: "LPKL".into(),
        class_id: Some(f.class_id),
        from: Some(day(11, 10)),
        to: None,
    };
    let lines = export::register(&f.app, &op, &filter).await.unwrap();
    assert_eq!(lines.len(), 3, "only the 10th is in the period");
    let csv = String::from_utf8(export::to_csv(&lines).unwrap()).unwrap();
    let mut rows = csv.lines();
    assert_eq!(
        rows.next(),
        Some("Tanggal,Kelas,Nama,No. Urut,Kehadiran,Keterangan,JP Hadir,JP Sesi")
    );
    assert_eq!(
        rows.next(),
        Some("2026-11-10,JAHIT-1,Ani Lestari,1,present,,6,6")
    );
    assert_eq!(
        rows.nth(1),
        Some("2026-11-10,JAHIT-1,Citra Dewi,3,absent,,0,6")
    );
    let xlsx = export::to_xlsx(&lines).unwrap();
    assert!(xlsx.starts_with(b"PK"));
    let all = RegisterFilter {
        facility_code: "LPKL".into(),
        ..RegisterFilter::default()
    };
    assert_eq!(export::register(&f.app, &op, &all).await.unwrap().len(), 6);
    let _ = f.facility_id;
}

async fn trainers_see_only_their_classes(db: &TestDatabase) {
    let (f, list) = generated(db).await;
    let stranger = Actor::User {
        id: 4242,
        username: "pelatih-lain".into(),
        role: Role::Trainer,
        facility_id: Some(f.facility_id),
        partner_id: None,
        region: None,
    };
    let err = attendance::sheet(&f.app, &stranger, list[0].id)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
    let other_officer = Actor::User {
        id: 4243,
        username: "petugas-lain".into(),
        role: Role::ProgramOfficer,
        facility_id: Some(f.facility_id + 1000),
        partner_id: None,
        region: None,
    };
    let err = share::class_shares(&f.app, &other_officer, f.class_id)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
}

async fn past_sheets_are_caught_up_once(db: &TestDatabase) {
    let (f, list) = generated(db).await;
    let op = operator();
    attendance::submit_sheet(&f.app, &op, submission(list[0].id, "first", 0, vec![]))
        .await
        .unwrap();
    let budi = f.enrolments[1];
    let sick = |_: &attendance::Sheet, row: &attendance::SheetRow| {
        (row.enrolment_id == budi).then_some(SheetEntry {
            enrolment_id: row.enrolment_id,
            status: AttendanceStatus::Excused,
            excuse_kind: Some(ExcuseKind::Sick),
            excuse_text: None,
        })
    };
    let summary = catch_up::record_past_sheets(&f.app, &op, f.plan_id, day(11, 14), sick)
        .await
        .unwrap();
    assert_eq!((summary.sheets, summary.lines, summary.skipped), (4, 12, 1));
    let again = catch_up::record_past_sheets(&f.app, &op, f.plan_id, day(11, 14), sick)
        .await
        .unwrap();
    assert_eq!((again.sheets, again.skipped), (0, 5));
    let shares = share::class_shares(&f.app, &op, f.class_id).await.unwrap();
    assert_eq!(shares[1].figures.attended_hours, 6);
    assert_eq!(shares[1].figures.held_hours, 30);
}
