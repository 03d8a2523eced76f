//! Follow-up after release over real HTTP on the demo world, both backends: a trainee
//! released four months ago is due at 3 months; recording with a broken rule keeps the input
//! and names the field; a good record clears it from the list; the probation officer records,
//! a trainer sees nothing.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::{App, demo};
use bekal_domain::clock::FixedClock;
use bekal_store::entity::enrolment;
use bekal_store::sea_orm::EntityTrait;
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use std::sync::Arc;

mod support;
use support::{csrf_in, http, sign_in};

const PASSWORD: &str = demo::DEMO_PASSWORD;

bekal_store::on_both_backends!(due_follow_ups_are_recorded_with_their_rules);

async fn due_follow_ups_are_recorded_with_their_rules(db: &TestDatabase) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let app = App::new(db.store.clone(), Arc::new(FixedClock::at_day(today)));
    demo::build(&app, today, None).await.unwrap();
    // Set-up only: a release four months ago (the demo has none that old).
    let trainee = enrolment::Entity::find()
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    support::record_release(&app, &trainee).await;
    let addr = support::serve(app, bekal_web::WebSettings::default()).await;
    let bapas = sign_in(addr, "bapas.pkl", PASSWORD).await;

    let list = http(addr, "GET", "/follow-ups", &[("Cookie", &bapas)], "").await;
    assert_eq!(list.status, 200, "{}", list.body);
    let link = format!(
        "/follow-ups/record?inmate={}&amp;months=3",
        trainee.inmate_id
    );
    assert!(list.body.contains(&link), "due at 3 months: {}", list.body);
    assert!(!list.body.contains("months=6"), "6 months not yet due");

    let form = http(
        addr,
        "GET",
        &link.replace("&amp;", "&"),
        &[("Cookie", &bapas)],
        "",
    )
    .await;
    assert_eq!(form.status, 200);
    let csrf = csrf_in(&form.body);
    let base = format!(
        "csrf_token={csrf}&inmate={}&months=3&contacted_on=2026-11-02&source=bapas",
        trainee.inmate_id
    );
    // Employed needs an employer type: refused, the field named, the notes kept.
    let refused = http(
        addr,
        "POST",
        "/follow-ups/record",
        &[("Cookie", &bapas)],
        &format!("{base}&outcome=employed&in_trade=yes&notes=bengkel+las+pak+Darto"),
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("employer_type-error"));
    assert!(refused.body.contains("bengkel las pak Darto"));
    let saved = http(
        addr,
        "POST",
        "/follow-ups/record",
        &[("Cookie", &bapas)],
        &format!("{base}&outcome=employed&in_trade=yes&employer_type=small_business"),
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let after = http(addr, "GET", "/follow-ups", &[("Cookie", &bapas)], "").await;
    assert!(!after.body.contains(&link), "recorded, no longer due");

    let trainer = sign_in(addr, "instruktur.pkl", PASSWORD).await;
    assert_eq!(
        http(addr, "GET", "/follow-ups", &[("Cookie", &trainer)], "")
            .await
            .status,
        403
    );
}
