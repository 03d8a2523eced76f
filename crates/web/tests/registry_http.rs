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
use bekal_store::entity::{audit_log, custody_event, enrolment, inmate, training_class};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use serde_json::Value;
use std::sync::Arc;

mod support;
use support::{http, sign_in};

const PASSWORD: &str = demo::DEMO_PASSWORD;

bekal_store::on_both_backends!(
    officers_search_and_read_profiles_and_every_read_is_audited,
    officers_record_releases_and_follow_ups_fall_due
);

async fn reads(db: &TestDatabase, action: &str) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .filter(audit_log::Column::Entity.eq("inmate"))
        .count(db.store.conn())
        .await
        .unwrap()
}

async fn subject_access_reads(db: &TestDatabase) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("read"))
        .filter(audit_log::Column::Changes.contains("subject-access export"))
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

/// A program officer records a release on the profile (with the rules shown at the field);
/// the profile then lists it, the form is gone, a second release is refused, the facility
/// head cannot record one, and three months later the follow-up is due for that person.
async fn officers_record_releases_and_follow_ups_fall_due(db: &TestDatabase) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let app = App::new(db.store.clone(), Arc::new(FixedClock::at_day(today)));
    demo::build(&app, today, None).await.unwrap();
    let conn = db.store.conn();
    let in_class = |status: &'static str| async move {
        let class = training_class::Entity::find()
            .filter(training_class::Column::Status.eq(status))
            .one(db.store.conn())
            .await
            .unwrap()
            .unwrap();
        enrolment::Entity::find()
            .filter(enrolment::Column::ClassId.eq(class.id))
            .one(db.store.conn())
            .await
            .unwrap()
            .unwrap()
    };
    let finished = in_class("finished").await;
    let running = in_class("running").await;
    let person = inmate::Entity::find_by_id(finished.inmate_id)
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let addr = support::serve(app, bekal_web::WebSettings::default()).await;
    let officer = sign_in(addr, "petugas.pkl", PASSWORD).await;
    let profile_path = format!("/inmates/{}", person.id);
    let profile = http(addr, "GET", &profile_path, &[("Cookie", &officer)], "").await;
    assert_eq!(profile.status, 200);
    let action = format!("action=\"/inmates/{}/custody#custody\"", person.id);
    assert!(profile.body.contains(&action), "the officer gets the form");
    let csrf = support::csrf_in(&profile.body);
    let post = |id: i64, cookie: String, body: String| async move {
        http(
            addr,
            "POST",
            &format!("/inmates/{id}/custody"),
            &[("Cookie", &cookie)],
            &body,
        )
        .await
    };

    // A date in the future is refused at its field; what was typed stays.
    let future = post(
        person.id,
        officer.clone(),
        format!("csrf_token={csrf}&kind=released&effective_on=2026-12-25&reason=Bebas+bersyarat"),
    )
    .await;
    assert_eq!(future.status, 422);
    assert!(future.body.contains("effective_on"));
    assert!(future.body.contains("value=\"Bebas bersyarat\""));
    // Someone still in a running class: end the enrolment first.
    let enrolled = post(
        running.inmate_id,
        officer.clone(),
        format!("csrf_token={csrf}&kind=released&effective_on=2026-11-28&reason="),
    )
    .await;
    assert_eq!(enrolled.status, 409);
    assert!(
        enrolled.body.contains("still enrolled"),
        "{}",
        enrolled.body
    );

    let recorded = post(
        person.id,
        officer.clone(),
        format!("csrf_token={csrf}&kind=released&effective_on=2026-11-25&reason=Bebas+bersyarat"),
    )
    .await;
    assert_eq!(recorded.status, 303, "{}", recorded.body);
    assert!(recorded.head.contains("notice=custody-recorded"));
    let profile = http(addr, "GET", &profile_path, &[("Cookie", &officer)], "").await;
    assert!(profile.body.contains("Bebas bersyarat"));
    assert!(!profile.body.contains(&action), "no form once released");
    let stored = inmate::Entity::find_by_id(person.id)
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.custody_status, "released");
    assert_eq!(
        custody_event::Entity::find()
            .filter(custody_event::Column::InmateId.eq(person.id))
            .count(conn)
            .await
            .unwrap(),
        1
    );
    let again = post(
        person.id,
        officer.clone(),
        format!("csrf_token={csrf}&kind=released&effective_on=2026-11-26&reason="),
    )
    .await;
    assert_eq!(again.status, 409);

    // The subject-access export holds the person's records, not other people's, and is audited.
    let exports_before = subject_access_reads(db).await;
    let export = http(
        addr,
        "GET",
        &format!("/inmates/{}/data.json", person.id),
        &[("Cookie", &officer)],
        "",
    )
    .await;
    assert_eq!(export.status, 200);
    assert!(
        export
            .header("content-disposition")
            .unwrap()
            .contains("attachment")
    );
    let document = export.json();
    assert_eq!(document["format"], "bekal-subject-access/1");
    assert_eq!(
        document["person"]["register_number"],
        person.register_number.as_str()
    );
    assert_eq!(document["custody_events"].as_array().unwrap().len(), 1);
    assert!(!document["enrolments"].as_array().unwrap().is_empty());
    assert!(!document["attendance"].as_array().unwrap().is_empty());
    assert!(document.get("non_associations").is_none());
    assert!(
        document["attendance"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["enrolment_id"] == finished.id),
        "only this person's attendance"
    );
    assert_eq!(subject_access_reads(db).await, exports_before + 1);
    let trainer = sign_in(addr, "instruktur.pkl", PASSWORD).await;
    let refused = http(
        addr,
        "GET",
        &format!("/inmates/{}/data.json", person.id),
        &[("Cookie", &trainer)],
        "",
    )
    .await;
    assert_eq!(refused.status, 404);

    // The facility head reads profiles but does not record custody changes.
    let head = sign_in(addr, "kalapas.pkl", PASSWORD).await;
    let head_page = http(
        addr,
        "GET",
        &format!("/inmates/{}", running.inmate_id),
        &[("Cookie", &head)],
        "",
    )
    .await;
    let head_csrf = support::csrf_in(&head_page.body);
    assert!(!head_page.body.contains("/custody#custody"));
    let refused = post(
        running.inmate_id,
        head,
        format!("csrf_token={head_csrf}&kind=transferred&effective_on=2026-11-28&reason="),
    )
    .await;
    assert_eq!(refused.status, 403);

    // Three months on, the released trainee's follow-up is due.
    let later = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    let app_later = App::new(db.store.clone(), Arc::new(FixedClock::at_day(later)));
    let addr_later = support::serve(app_later, bekal_web::WebSettings::default()).await;
    let officer_later = sign_in(addr_later, "petugas.pkl", PASSWORD).await;
    let due = http(
        addr_later,
        "GET",
        "/follow-ups",
        &[("Cookie", &officer_later)],
        "",
    )
    .await;
    assert_eq!(due.status, 200);
    assert!(due.body.contains(&person.name), "the follow-up is due");
    let dashboard = http(addr_later, "GET", "/", &[("Cookie", &officer_later)], "").await;
    assert!(
        dashboard.body.contains("/follow-ups"),
        "the dashboard points to it"
    );
}
