//! The access matrix of the HTML pages: every GET route the router serves (read from
//! `src/lib.rs`, `src/auth.rs` and `src/verify.rs`, so a page added without a row here fails
//! the test), its path parameters filled with the demo's real ids, called by twelve callers:
//! nobody, the national administrator (with the second factor), PKL's oversight viewer, head,
//! officer, partner staff, trainer, assessor and probation officer, and another facility's
//! officer, head and region's viewer. Each route's row is the exact status every caller must
//! get, so any widening or narrowing of access shows up as a failed test; both backends.
//! The 200 answers of callers outside PKL are also searched for PKL register numbers.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::certificates::CertificateConfig;
use bekal_app::{Actor, App, demo};
use bekal_domain::clock::{Clock, FixedClock};
use bekal_store::entity::{certificate, enrolment, inmate, partner, plan, training_session};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::sync::Arc;

mod support;
use support::http;

/// The callers, in the order of the status columns below.
const CALLERS: [&str; 12] = support::MATRIX_CALLERS;

/// Route -> the status of each caller (columns as in `CALLERS`). 303 for nobody is the
/// redirect to the sign-in page; 404 where a record exists but is not the caller's to know
/// of. Reviewed row by row: oversight viewers reach only the dashboard, account and reports;
/// trainers and assessors only classes (assessors: results; trainers: their own class's
/// attendance); partner staff their partner's classes and certificates; probation officers
/// the follow-ups; another facility's staff see their own (empty) lists and nothing of PKL.
/// National administrators have no facility of their own, so a page that needs one (a
/// selection round's approval) does not find PKL's round for them.
#[rustfmt::skip]
const EXPECTED: &[(&str, &str)] = &[
    ("/", "303 200 200 200 200 200 200 200 200 200 200 200"),
    ("/account", "303 200 200 200 200 200 200 200 200 200 200 200"),
    ("/admin", "303 200 403 403 200 403 403 403 403 200 403 403"),
    ("/admin/accounts", "303 200 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/accounts/new", "303 200 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/accounts/{username}", "303 200 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/catalogue", "303 200 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/catalogue/package", "303 200 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/catalogue/partner", "303 200 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/catalogue/trainer", "303 200 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/catalogue/unit", "303 200 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/facilities", "303 200 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/holidays", "303 200 403 200 200 403 403 200 403 200 200 403"),
    ("/admin/rooms", "303 303 403 403 200 403 403 403 403 200 403 403"),
    ("/assets/bekal.css", "200 200 200 200 200 200 200 200 200 200 200 200"),
    ("/assets/bekal.js", "200 200 200 200 200 200 200 200 200 200 200 200"),
    ("/certificates/holder-link", "303 303 303 303 303 303 303 303 303 303 303 303"),
    ("/certificates/revoke", "303 200 403 403 403 200 403 403 403 403 403 403"),
    ("/classes", "303 200 403 200 200 200 200 200 403 200 200 403"),
    ("/classes/{id}", "303 200 403 200 200 200 200 200 403 404 404 403"),
    ("/classes/{id}/certificates", "303 200 403 200 200 200 404 404 403 404 404 403"),
    ("/classes/{id}/certificates.pdf", "303 200 403 200 200 200 404 404 403 404 404 403"),
    ("/classes/{id}/register", "303 200 403 403 200 403 200 403 403 403 403 403"),
    ("/classes/{id}/results", "303 200 403 403 200 403 403 200 403 403 403 403"),
    ("/classes/{id}/roster", "303 200 403 200 200 200 200 200 403 404 404 403"),
    ("/enrolments/{id}/state", "303 200 403 403 200 403 403 403 403 404 404 403"),
    ("/follow-ups", "303 200 403 200 200 403 403 403 200 200 200 403"),
    ("/follow-ups/record", "303 200 403 403 200 403 403 403 200 404 403 403"),
    ("/healthz", "200 200 200 200 200 200 200 200 200 200 200 200"),
    ("/imports", "303 200 403 403 200 403 403 403 403 200 403 403"),
    ("/inmates", "303 200 403 200 200 403 403 403 403 200 200 403"),
    ("/inmates/{id}", "303 200 404 200 200 404 404 404 404 404 404 404"),
    ("/inmates/{id}/data.json", "303 200 404 200 200 404 404 404 404 404 404 404"),
    ("/issuers/{partner}/did.json", "404 404 404 404 404 404 404 404 404 404 404 404"),
    ("/login", "200 303 303 303 303 303 303 303 303 303 303 303"),
    ("/login/second-factor", "303 303 303 303 303 303 303 303 303 303 303 303"),
    ("/plans", "303 200 403 200 200 403 403 200 403 200 200 403"),
    ("/plans/{id}", "303 200 404 200 200 404 404 200 404 404 404 404"),
    ("/plans/{id}/approve", "303 200 404 200 200 404 404 200 404 404 404 404"),
    ("/reports", "303 200 200 200 200 403 403 403 403 200 200 200"),
    ("/reports/chart.svg", "303 200 200 200 200 403 403 403 403 200 200 200"),
    ("/reports/{file}", "303 200 200 200 200 403 403 403 403 200 200 200"),
    ("/selection", "303 200 403 200 200 403 403 403 403 200 200 403"),
    ("/selection/assessments", "303 200 403 403 200 403 403 403 403 200 403 403"),
    ("/selection/non-associations", "303 200 403 200 200 403 403 403 403 200 200 403"),
    ("/selection/rounds/{id}/approve", "303 404 403 200 403 403 403 403 403 403 404 403"),
    ("/selection/rules", "303 200 403 403 200 403 403 403 403 200 403 403"),
    ("/selection/waiting", "303 200 403 200 200 403 403 403 403 200 200 403"),
    ("/sessions/{id}/attendance", "303 200 403 403 200 403 200 403 403 403 403 403"),
    ("/sessions/{id}/change", "303 200 403 403 200 403 403 403 403 403 403 403"),
    ("/status/{partner}/{list_id}", "200 200 200 200 200 200 200 200 200 200 200 200"),
    ("/unduh", "200 200 200 200 200 200 200 200 200 200 200 200"),
    ("/unduh/{code}", "200 200 200 200 200 200 200 200 200 200 200 200"),
    ("/unduh/{code}/sertifikat.json", "200 200 200 200 200 200 200 200 200 200 200 200"),
    ("/unduh/{code}/sertifikat.pdf", "200 200 200 200 200 200 200 200 200 200 200 200"),
    ("/verify", "200 200 200 200 200 200 200 200 200 200 200 200"),
    ("/verify/{number}", "200 200 200 200 200 200 200 200 200 200 200 200"),
];

bekal_store::on_both_backends!(every_page_for_every_caller);

/// The GET routes of the router's source files (pages, sign-in, public verification).
fn page_routes() -> BTreeSet<String> {
    let routes: BTreeSet<String> = support::router_routes(&["lib.rs", "auth.rs", "verify.rs"])
        .into_iter()
        .filter(|(path, call)| {
            call.trim_start_matches([',', ' ', '\n'])
                .starts_with("get(")
                && !path.starts_with("/api/")
        })
        .map(|(path, _)| path)
        .collect();
    assert!(routes.len() >= 30, "page routes found: {routes:?}");
    routes
}

async fn every_page_for_every_caller(db: &TestDatabase) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let clock = FixedClock::at_day(today);
    let app = App::new(db.store.clone(), Arc::new(clock));
    let keys = tempfile::tempdir().unwrap();
    let config = CertificateConfig::new(keys.path(), "https://verify.bekal.example");
    demo::build(&app, today, Some(&config)).await.unwrap();
    let operator = Actor::Operator {
        label: "test".into(),
    };
    support::add_outsiders(&app).await;
    let round =
        bekal_app::selection::rounds::open_round(&app, &operator, "PKL", "Seleksi 2026", None)
            .await
            .unwrap();

    let conn = db.store.conn();
    // The trainer's own class, its first session and enrolment.
    let (_, class_id) = support::trainer_class(conn).await;
    let session = training_session::Entity::find()
        .filter(training_session::Column::ClassId.eq(class_id))
        .order_by_asc(training_session::Column::Id)
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let member = enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.eq(class_id))
        .order_by_asc(enrolment::Column::Id)
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let person = inmate::Entity::find_by_id(member.inmate_id)
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let certified = certificate::Entity::find()
        .order_by_asc(certificate::Column::Id)
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let issuer = partner::Entity::find_by_id(certified.partner_id)
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let plan_id = plan::Entity::find()
        .order_by_asc(plan::Column::Id)
        .one(conn)
        .await
        .unwrap()
        .unwrap()
        .id;
    // A release four months ago, so a follow-up is due (nothing in the demo is that old).
    let released = enrolment::Entity::find_by_id(certified.enrolment_id)
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    support::record_release(&app, &released).await;
    // The holder's download code of the first certificate.
    let handed =
        bekal_app::certificates::holder::create_link(&app, &operator, &certified.number, None)
            .await
            .unwrap();

    let fill = |route: &str| -> String {
        let id = if route.starts_with("/inmates/") {
            person.id
        } else if route.starts_with("/plans/") {
            plan_id
        } else if route.starts_with("/selection/rounds/") {
            round.id
        } else if route.starts_with("/classes/{id}/certificates") {
            released.class_id
        } else if route.starts_with("/classes/") {
            class_id
        } else if route.starts_with("/sessions/") {
            session.id
        } else if route.starts_with("/enrolments/") {
            member.id
        } else {
            0
        };
        let path = route
            .replace("{id}", &id.to_string())
            .replace("{username}", "petugas.pkl")
            .replace("{file}", "export.csv")
            .replace("{number}", &certified.number.replace('/', "%2F"))
            .replace("{partner}", &issuer.code)
            .replace("{list_id}", &certified.status_list_id.to_string())
            .replace("{code}", &handed.code);
        assert!(
            !path.contains('{'),
            "{route}: a parameter the matrix cannot fill"
        );
        match route {
            "/follow-ups/record" => {
                format!("{path}?inmate={}&months=3&facility=PKL", released.inmate_id)
            }
            "/follow-ups" => format!("{path}?facility=PKL"),
            _ => path,
        }
    };

    let settings = bekal_web::WebSettings {
        cookie_secure: false,
        certificates: Some(config),
        // Twelve callers over every public route exceed the per-address limit, which is not
        // what this test is about.
        public_requests_per_minute: Some(10_000),
    };
    let addr = support::serve(app, settings).await;
    let cookies = support::matrix_sessions(addr, clock.now()).await;
    let mut observed = Vec::new();
    for route in page_routes() {
        let path = fill(&route);
        let mut statuses = Vec::new();
        for (caller, cookie) in CALLERS.iter().zip(&cookies) {
            let headers: Vec<(&str, &str)> = if cookie.is_empty() {
                Vec::new()
            } else {
                vec![("Cookie", cookie.as_str())]
            };
            let reply = http(addr, "GET", &path, &headers, "").await;
            assert_ne!(reply.status / 100, 5, "{caller} GET {path}: {}", reply.body);
            let outsider = caller.ends_with(".sby") || *caller == "kanwil.jatim" || *caller == "-";
            if outsider && reply.status == 200 {
                assert!(
                    !reply.body.contains(&person.register_number),
                    "{caller} GET {path} shows a PKL register number"
                );
            }
            statuses.push(reply.status.to_string());
        }
        observed.push((route, statuses.join(" ")));
    }
    let table: String = observed
        .iter()
        .map(|(route, row)| format!("    (\"{route}\", \"{row}\"),\n"))
        .collect();
    let expected: Vec<(String, String)> = EXPECTED
        .iter()
        .map(|(r, s)| ((*r).to_owned(), (*s).to_owned()))
        .collect();
    assert_eq!(
        observed, expected,
        "the observed matrix (columns: {CALLERS:?}):\n{table}"
    );
}
