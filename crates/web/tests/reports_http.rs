//! Reports over real HTTP on the demo world, both backends: the page with its figures and
//! chart, the downloads, the JSON API, who may read which scope, and no names anywhere.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::{App, demo};
use bekal_domain::clock::FixedClock;
use bekal_store::entity::inmate;
use bekal_store::sea_orm::EntityTrait;
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use serde_json::Value;
use std::sync::Arc;

mod support;
use support::{http, sign_in};

const PASSWORD: &str = demo::DEMO_PASSWORD;

bekal_store::on_both_backends!(reports_for_each_level_with_downloads);

async fn reports_for_each_level_with_downloads(db: &TestDatabase) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let app = App::new(db.store.clone(), Arc::new(FixedClock::at_day(today)));
    demo::build(&app, today, None).await.unwrap();
    let names: Vec<String> = inmate::Entity::find()
        .all(db.store.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|i| i.name)
        .collect();
    let addr = support::serve(app, bekal_web::WebSettings::default()).await;
    let officer = sign_in(addr, "petugas.pkl", PASSWORD).await;
    let query = "scope=facility&code=PKL&from=2026-01-01&to=2026-11-29";

    let page = http(
        addr,
        "GET",
        &format!("/reports?{query}"),
        &[("Cookie", &officer)],
        "",
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Lapas Kelas IIA Pekalongan"));
    assert!(page.body.contains("/reports/chart.svg?"));
    for name in &names {
        assert!(
            !page.body.contains(name.as_str()),
            "a name on the report: {name}"
        );
    }
    let api: Value = http(
        addr,
        "GET",
        &format!("/api/reports/summary?{query}"),
        &[("Cookie", &officer)],
        "",
    )
    .await
    .json();
    // Places taken by 29 November: stages 1 and 2 (two classes of ten each); stage 3 starts
    // in December.
    assert_eq!(api["totals"]["enrolled"].as_u64(), Some(40), "{api}");
    assert_eq!(
        api["totals"]["completed"].as_u64(),
        Some(20),
        "stage 1 ended"
    );
    assert!(api["totals"]["assessed"].as_u64().unwrap() > 60);

    let chart = http(
        addr,
        "GET",
        &format!("/reports/chart.svg?{query}"),
        &[("Cookie", &officer)],
        "",
    )
    .await;
    assert_eq!(
        chart.header("content-type").as_deref(),
        Some("image/svg+xml")
    );
    assert!(chart.body.contains("<svg"));
    let csv = http(
        addr,
        "GET",
        &format!("/reports/export.csv?{query}"),
        &[("Cookie", &officer)],
        "",
    )
    .await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.contains("PKL"));
    let xlsx = http(
        addr,
        "GET",
        &format!("/reports/export.xlsx?{query}"),
        &[("Cookie", &officer)],
        "",
    )
    .await;
    assert!(xlsx.bytes.starts_with(b"PK"), "an xlsx is a zip");
    let pdf = http(
        addr,
        "GET",
        &format!("/reports/export.pdf?{query}"),
        &[("Cookie", &officer)],
        "",
    )
    .await;
    assert!(pdf.bytes.starts_with(b"%PDF"));
    let unknown = http(
        addr,
        "GET",
        &format!("/reports/export.doc?{query}"),
        &[("Cookie", &officer)],
        "",
    )
    .await;
    assert_eq!(unknown.status, 404);
    let bad_date = http(
        addr,
        "GET",
        "/reports?from=kemarin",
        &[("Cookie", &officer)],
        "",
    )
    .await;
    assert_eq!(bad_date.status, 422);

    // The regional overseer reads the region (its default) and the nation adds up.
    let region = sign_in(addr, "kanwil.jateng", PASSWORD).await;
    let own: Value = http(
        addr,
        "GET",
        "/api/reports/summary?from=2026-01-01",
        &[("Cookie", &region)],
        "",
    )
    .await
    .json();
    assert_eq!(own["scope"]["kind"], "region", "{own}");
    let rows: u64 = own["facilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["figures"]["enrolled"].as_u64().unwrap())
        .sum();
    assert_eq!(Some(rows), own["totals"]["enrolled"].as_u64());
    // A facility officer does not read the nation; a trainer reads no report.
    let national = http(
        addr,
        "GET",
        "/reports?scope=national",
        &[("Cookie", &officer)],
        "",
    )
    .await;
    assert_eq!(national.status, 403);
    let trainer = sign_in(addr, "instruktur.pkl", PASSWORD).await;
    assert_eq!(
        http(addr, "GET", "/reports", &[("Cookie", &trainer)], "")
            .await
            .status,
        403
    );
}
