//! The inmate registry over real HTTP on the demo world, both backends: the officer searches
//! and opens a profile with its selection explanation; every read leaves an audit row; a
//! trainer, an officer of another facility and a stranger see nothing.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::accounts::{self, NewUser};
use bekal_app::facilities::{self, NewFacility};
use bekal_app::{Actor, App, demo};
use bekal_domain::clock::FixedClock;
use bekal_domain::role::Role;
use bekal_domain::status::FacilityKind;
use bekal_store::entity::audit_log;
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use serde_json::Value;
use std::sync::Arc;

mod support;
use support::{http, sign_in};

const PASSWORD: &str = demo::DEMO_PASSWORD;

bekal_store::on_both_backends!(officers_search_and_read_profiles_and_every_read_is_audited);

async fn reads(db: &TestDatabase, action: &str) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .filter(audit_log::Column::Entity.eq("inmate"))
        .count(db.store.conn())
        .await
        .unwrap()
}

async fn officers_search_and_read_profiles_and_every_read_is_audited(db: &TestDatabase) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let app = App::new(db.store.clone(), Arc::new(FixedClock::at_day(today)));
    demo::build(&app, today, None).await.unwrap();
    let operator = Actor::Operator {
        label: "test".into(),
    };
    let other = facilities::add(
        &app,
        &operator,
        NewFacility {
            code: "SMG".into(),
            name: "Lapas Kelas I Semarang".into(),
            kind: FacilityKind::Lapas,
            region: None,
            city: None,
        },
    )
    .await
    .unwrap();
    accounts::create_user(
        &app,
        &operator,
        NewUser {
            username: "petugas.smg".into(),
            display_name: "Petugas Semarang".into(),
            password: PASSWORD.into(),
            role: Role::ProgramOfficer,
            facility_id: Some(other.id),
            partner_id: None,
            region: None,
        },
    )
    .await
    .unwrap();
    let addr = support::serve(app, bekal_web::WebSettings::default()).await;
    let officer = sign_in(addr, "petugas.pkl", PASSWORD).await;

    let before = reads(db, "read-list").await;
    let list = http(
        addr,
        "GET",
        "/api/facilities/PKL/inmates?q=",
        &[("Cookie", &officer)],
        "",
    )
    .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let list: Value = list.json();
    assert_eq!(list["total"].as_u64(), Some(253));
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        50,
        "one page of 50"
    );
    assert_eq!(
        reads(db, "read-list").await,
        before + 1,
        "the search is audited"
    );

    // Search by part of a name, whatever the case.
    let someone = list["items"][3].clone();
    let name = someone["name"].as_str().unwrap();
    let part: String = name.split(' ').next().unwrap().to_uppercase();
    let found: Value = http(
        addr,
        "GET",
        &format!("/api/facilities/PKL/inmates?q={part}"),
        &[("Cookie", &officer)],
        "",
    )
    .await
    .json();
    assert!(
        found["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == someone["id"]),
        "{part} finds {name}"
    );

    // The profile page: milestones and the selection explanation, and an audit row.
    let id = someone["id"].as_i64().unwrap();
    let before = reads(db, "read").await;
    let page = http(
        addr,
        "GET",
        &format!("/inmates/{id}"),
        &[("Cookie", &officer)],
        "",
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains(someone["register_number"].as_str().unwrap())
    );
    assert!(page.body.contains("Seleksi pelatihan"));
    let profile: Value = http(
        addr,
        "GET",
        &format!("/api/inmates/{id}"),
        &[("Cookie", &officer)],
        "",
    )
    .await
    .json();
    assert!(profile["selection"]["status"].is_string(), "{profile}");
    assert_eq!(
        reads(db, "read").await,
        before + 2,
        "page and API reads audited"
    );
    let listing = http(addr, "GET", "/inmates?q=a", &[("Cookie", &officer)], "").await;
    assert_eq!(listing.status, 200);
    assert!(listing.body.contains("rel=\"next\""), "more than one page");

    // Nobody else: a trainer, an officer of another facility, a stranger.
    let trainer = sign_in(addr, "instruktur.pkl", PASSWORD).await;
    let stranger_facility = sign_in(addr, "petugas.smg", PASSWORD).await;
    let before = reads(db, "read").await;
    for who in [&trainer, &stranger_facility] {
        let profile = http(
            addr,
            "GET",
            &format!("/api/inmates/{id}"),
            &[("Cookie", who)],
            "",
        )
        .await;
        assert_eq!(profile.status, 404, "{}", profile.body);
        let list = http(
            addr,
            "GET",
            "/api/facilities/PKL/inmates",
            &[("Cookie", who)],
            "",
        )
        .await;
        assert_eq!(list.status, 403);
    }
    let page = http(addr, "GET", "/inmates", &[("Cookie", &trainer)], "").await;
    assert_eq!(page.status, 403);
    let anonymous = http(addr, "GET", &format!("/api/inmates/{id}"), &[], "").await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(
        reads(db, "read").await,
        before,
        "refused reads write no read row"
    );
    // The trainer's navigation has no registry link.
    let home = http(addr, "GET", "/", &[("Cookie", &trainer)], "").await;
    assert!(!home.body.contains("href=\"/inmates\""));
}
