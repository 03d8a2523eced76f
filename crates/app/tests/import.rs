//! Importing inmates through the service layer, on both backends: good rows go in, bad rows are
//! reported with row, column, value and reason, a re-import changes nothing, a changed row is
//! updated with an audit entry, a dry run writes nothing.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::facilities::{self, NewFacility};
use bekal_app::import::{ImportRequest, import_inmates};
use bekal_app::{Actor, App, AppError};
use bekal_domain::clock::FixedClock;
use bekal_domain::status::FacilityKind;
use bekal_store::audit;
use bekal_store::entity::{audit_log, import_run, inmate};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use std::sync::Arc;

const FILE: &str = "\u{feff}No. Register;Nama;Tgl Lahir;Jenis Kelamin;Pendidikan;Tgl Ekspirasi;Blok;Kamar;Perkara;Pidana;Tgl Mulai\n\
B.I-001/2024;Agus Santoso;10 Juni 1990;L;SMA;01/12/2027;A;A-1;Pasal 362 KUHP;2 tahun 6 bulan;01/06/2025\n\
B.I-002/2024;Budi Wijaya;1985-03-04;Laki-laki;SMP;;B;B-2;Pasal 114 UU 35/2009;5 tahun;01/01/2024\n\
\n\
;Tanpa Nomor;01/01/1990;L;SD;01/01/2028;A;A-3;Pasal 362 KUHP;1 tahun;01/01/2025\n\
B.I-004/2024;Tanggal Salah;31/02/1990;L;SD;01/01/2028;A;A-3;Pasal 362 KUHP;1 tahun;01/01/2025\n\
B.I-001/2024;Agus Dobel;10/06/1990;L;SMA;01/12/2027;A;A-1;Pasal 362 KUHP;2 tahun 6 bulan;01/06/2025\n";

fn app(db: &TestDatabase) -> App {
    App::new(
        db.store.clone(),
        Arc::new(FixedClock::at_day(
            NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        )),
    )
}

fn operator() -> Actor {
    Actor::Operator {
        label: "test".into(),
    }
}

fn request(dry_run: bool) -> ImportRequest {
    ImportRequest {
        facility_code: "pkl".into(),
        file_name: "wbp.csv".into(),
        dry_run,
        mapping: None,
    }
}

async fn facility(app: &App) -> i64 {
    let new = NewFacility {
        code: "PKL".into(),
        name: "Lapas Kelas IIA Pekalongan".into(),
        kind: FacilityKind::Lapas,
        region: None,
        city: None,
    };
    facilities::add(app, &operator(), new).await.unwrap().id
}

bekal_store::on_both_backends!(
    good_rows_in_bad_rows_reported_reimport_unchanged,
    dry_run_writes_nothing,
    unknown_facility_is_an_error
);

async fn good_rows_in_bad_rows_reported_reimport_unchanged(db: &TestDatabase) {
    let app = app(db);
    let facility_id = facility(&app).await;
    let first = import_inmates(&app, &operator(), &request(false), FILE.as_bytes(), |_| {})
        .await
        .unwrap();
    assert_eq!(
        (
            first.rows,
            first.inserted,
            first.updated,
            first.unchanged,
            first.rejected
        ),
        (5, 2, 0, 0, 3),
        "{first:?}"
    );
    let reasons: Vec<(u64, &str)> = first
        .errors
        .iter()
        .map(|e| (e.row, e.code.as_str()))
        .collect();
    assert!(
        reasons.contains(&(5, "register_number_missing")),
        "{reasons:?}"
    );
    assert!(reasons.contains(&(6, "date_invalid")), "{reasons:?}");
    assert!(reasons.contains(&(7, "duplicate_in_file")), "{reasons:?}");
    let bad_date = first.errors.iter().find(|e| e.row == 6).unwrap();
    assert_eq!(
        (bad_date.column.as_str(), bad_date.value.as_str()),
        ("Tgl Lahir", "31/02/1990")
    );
    let agus = inmate::Entity::find()
        .filter(inmate::Column::RegisterNumber.eq("B.I-001/2024"))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(agus.birth_date, NaiveDate::from_ymd_opt(1990, 6, 10));
    assert_eq!(agus.sentence_days, Some(2 * 365 + 6 * 30));
    let budi = inmate::Entity::find()
        .filter(inmate::Column::RegisterNumber.eq("B.I-002/2024"))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        budi.expected_release,
        NaiveDate::from_ymd_opt(2028, 12, 30),
        "computed from start + 5 years of 365 days"
    );
    let run = import_run::Entity::find_by_id(first.import_run_id.unwrap())
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (run.status.as_str(), run.inserted, run.rejected),
        ("finished", 2, 3)
    );
    let csv_report = String::from_utf8(first.report.to_csv().unwrap()).unwrap();
    assert!(
        csv_report.contains("31/02/1990") && csv_report.contains("Tanggal Salah"),
        "{csv_report}"
    );

    let log_before = audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("inmate"))
        .count(db.store.conn())
        .await
        .unwrap();
    let again = import_inmates(&app, &operator(), &request(false), FILE.as_bytes(), |_| {})
        .await
        .unwrap();
    assert_eq!((again.inserted, again.updated, again.unchanged), (0, 0, 2));
    let log_after = audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq("inmate"))
        .count(db.store.conn())
        .await
        .unwrap();
    assert_eq!(
        log_before, log_after,
        "an unchanged re-import writes no inmate audit rows"
    );

    let changed = FILE.replace("B;B-2;", "C;C-9;");
    let third = import_inmates(
        &app,
        &operator(),
        &request(false),
        changed.as_bytes(),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!((third.inserted, third.updated, third.unchanged), (0, 1, 1));
    let update = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("update"))
        .filter(audit_log::Column::Entity.eq("inmate"))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert!(
        update.changes.contains("\"block\":[\"B\",\"C\"]"),
        "{}",
        update.changes
    );
    assert!(
        update.changes.contains("\"cell\":[\"B-2\",\"C-9\"]"),
        "{}",
        update.changes
    );
    let count = inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(facility_id))
        .count(db.store.conn())
        .await
        .unwrap();
    assert_eq!(count, 2);
    for chain in audit::chains(db.store.conn()).await.unwrap() {
        assert_eq!(
            audit::verify_chain(db.store.conn(), &chain)
                .await
                .unwrap()
                .first_break,
            None
        );
    }
}

async fn dry_run_writes_nothing(db: &TestDatabase) {
    let app = app(db);
    facility(&app).await;
    let log_before = audit_log::Entity::find()
        .count(db.store.conn())
        .await
        .unwrap();
    let summary = import_inmates(&app, &operator(), &request(true), FILE.as_bytes(), |_| {})
        .await
        .unwrap();
    assert!(summary.dry_run);
    assert_eq!((summary.inserted, summary.rejected), (2, 3));
    assert_eq!(
        inmate::Entity::find().count(db.store.conn()).await.unwrap(),
        0
    );
    assert_eq!(
        import_run::Entity::find()
            .count(db.store.conn())
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        audit_log::Entity::find()
            .count(db.store.conn())
            .await
            .unwrap(),
        log_before
    );
}

async fn unknown_facility_is_an_error(db: &TestDatabase) {
    let app = app(db);
    let result = import_inmates(&app, &operator(), &request(false), FILE.as_bytes(), |_| {}).await;
    match result {
        Err(AppError::Invalid { field, message }) => {
            assert_eq!(field, "facility");
            assert!(
                message.contains("PKL") || message.contains("pkl"),
                "{message}"
            );
        }
        other => panic!("expected an invalid-facility error, got {other:?}"),
    }
}
