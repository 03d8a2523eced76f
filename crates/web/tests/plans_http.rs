//! Plans over real HTTP on the demo world, both backends: the stage chart, who may see it,
//! and approval of a new draft (confirmation step, CSRF, the old plan superseded).

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::planning::{self, PlanParameters};
use bekal_app::{Actor, App, demo};
use bekal_domain::clock::FixedClock;
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use serde_json::Value;
use std::sync::Arc;

mod support;
use support::{csrf_in, http, sign_in};

const PASSWORD: &str = demo::DEMO_PASSWORD;

bekal_store::on_both_backends!(the_stage_chart_and_approval_of_a_new_draft);

async fn the_stage_chart_and_approval_of_a_new_draft(db: &TestDatabase) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let app = App::new(db.store.clone(), Arc::new(FixedClock::at_day(today)));
    let summary = demo::build(&app, today, None).await.unwrap();
    let operator = Actor::Operator {
        label: "test".into(),
    };
    let draft = planning::create_draft_plan(
        &app,
        &operator,
        "PKL",
        &PlanParameters {
            name: "Rencana 2027".into(),
            horizon_start: summary.timeline.horizon_start,
            stage_days: 18,
            num_stages: 3,
            max_selected: Some(60),
            preference_bonus: vec![15, 10, 5],
        },
        std::time::Duration::from_secs(5),
    )
    .await
    .unwrap();
    let addr = support::serve(app, bekal_web::WebSettings::default()).await;
    let officer = sign_in(addr, "petugas.pkl", PASSWORD).await;
    let head = sign_in(addr, "kalapas.pkl", PASSWORD).await;

    let plans: Value = http(
        addr,
        "GET",
        "/api/facilities/PKL/plans",
        &[("Cookie", &officer)],
        "",
    )
    .await
    .json();
    let plans = plans.as_array().unwrap();
    assert_eq!(plans.len(), 2, "{plans:?}");
    let approved = plans.iter().find(|p| p["status"] == "approved").unwrap();
    let approved_id = approved["id"].as_i64().unwrap();
    let chart: Value = http(
        addr,
        "GET",
        &format!("/api/plans/{approved_id}"),
        &[("Cookie", &officer)],
        "",
    )
    .await
    .json();
    let stages = chart["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 3);
    let sizes: Vec<usize> = stages
        .iter()
        .map(|s| s["classes"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, vec![2, 2, 2], "two packages side by side: {chart}");
    assert_eq!(chart["placed"].as_u64(), Some(60));
    assert_eq!(chart["may_approve"], Value::Bool(false), "already approved");
    let page = http(addr, "GET", "/plans", &[("Cookie", &officer)], "").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Rencana 2027"));
    let page = http(
        addr,
        "GET",
        &format!("/plans/{approved_id}"),
        &[("Cookie", &officer)],
        "",
    )
    .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Tahap 3") && page.body.contains("class-card"));

    // The trainer sees no plans; the officer may not approve.
    let trainer = sign_in(addr, "instruktur.pkl", PASSWORD).await;
    assert_eq!(
        http(addr, "GET", "/plans", &[("Cookie", &trainer)], "")
            .await
            .status,
        403
    );
    let draft_path = format!("/plans/{}/approve", draft.plan_id);
    let officer_view: Value = http(
        addr,
        "GET",
        &format!("/api/plans/{}", draft.plan_id),
        &[("Cookie", &officer)],
        "",
    )
    .await
    .json();
    assert_eq!(officer_view["may_approve"], Value::Bool(false));

    // The facility head confirms, then approves; the old plan is superseded.
    let confirm = http(addr, "GET", &draft_path, &[("Cookie", &head)], "").await;
    assert_eq!(confirm.status, 200);
    assert!(confirm.body.contains("plan-approve") || confirm.body.contains("Ya, setujui"));
    let csrf = csrf_in(&confirm.body);
    let refused = http(
        addr,
        "POST",
        &draft_path,
        &[("Cookie", &head)],
        "csrf_token=wrong",
    )
    .await;
    assert_eq!(refused.status, 403);
    let done = http(
        addr,
        "POST",
        &draft_path,
        &[("Cookie", &head)],
        &format!("csrf_token={csrf}"),
    )
    .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let plans: Value = http(
        addr,
        "GET",
        "/api/facilities/PKL/plans",
        &[("Cookie", &officer)],
        "",
    )
    .await
    .json();
    let status_of = |id: i64| {
        plans
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"].as_i64() == Some(id))
            .map(|p| p["status"].as_str().unwrap().to_owned())
            .unwrap()
    };
    assert_eq!(status_of(draft.plan_id), "approved");
    assert_eq!(status_of(approved_id), "superseded");
    // Approving twice is a conflict, not a second approval.
    let again = http(
        addr,
        "POST",
        &draft_path,
        &[("Cookie", &head)],
        &format!("csrf_token={csrf}"),
    )
    .await;
    assert_eq!(again.status, 409);
}
