//! Sign-in over real HTTP: the router on a loopback socket, driven with plain HTTP/1.1. Login,
//! the cookie's attributes, CSRF, throttling (429), API tokens, the second factor, and the
//! redirect or 401 for callers who are not signed in.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::accounts::{self, NewUser};
use bekal_app::auth::tokens;
use bekal_app::facilities::{self, NewFacility};
use bekal_app::{Actor, App};
use bekal_domain::clock::FixedClock;
use bekal_domain::role::Role;
use bekal_domain::status::FacilityKind;
use bekal_store::testing::TestDatabase;
use std::net::SocketAddr;
use std::sync::Arc;

mod support;
use support::{cookie, csrf_in, form_login, http};

const PASSWORD: &str = "kopi tubruk pagi hari";

async fn start(db: &TestDatabase) -> (App, SocketAddr) {
    start_with(db, bekal_web::WebSettings::default()).await
}

async fn start_with(db: &TestDatabase, settings: bekal_web::WebSettings) -> (App, SocketAddr) {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let app = App::new(db.store.clone(), Arc::new(FixedClock::at_day(day)));
    let operator = Actor::Operator {
        label: "test".into(),
    };
    let facility = facilities::add(
        &app,
        &operator,
        NewFacility {
            code: "PKL".into(),
            name: "Lapas Kelas IIA Pekalongan".into(),
            kind: FacilityKind::Lapas,
            region: None,
            city: None,
        },
    )
    .await
    .unwrap();
    for (name, role, facility_id) in [
        ("kanwil.jateng", Role::OversightViewer, None),
        ("petugas.pkl", Role::ProgramOfficer, Some(facility.id)),
        ("admin", Role::NationalAdmin, None),
    ] {
        accounts::create_user(
            &app,
            &operator,
            NewUser {
                username: name.into(),
                display_name: name.into(),
                password: PASSWORD.into(),
                role,
                facility_id,
                partner_id: None,
                region: None,
            },
        )
        .await
        .unwrap();
    }
    let addr = support::serve(app.clone(), settings).await;
    (app, addr)
}

bekal_store::on_both_backends!(
    login_sets_a_safe_cookie_and_opens_the_api,
    forms_without_the_csrf_token_are_refused,
    brute_force_meets_429,
    api_tokens_work_within_their_scope,
    second_factor_gates_national_admins,
    api_rejections_are_documented_json,
);

async fn login_sets_a_safe_cookie_and_opens_the_api(db: &TestDatabase) {
    let (_, addr) = start(db).await;
    let page = http(addr, "GET", "/login", &[], "").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"username\"") && page.body.contains("for=\"password\""));
    // Not signed in: the API answers 401 JSON, HTML pages redirect to /login.
    let api = http(addr, "GET", "/api/facilities", &[], "").await;
    assert_eq!(api.status, 401);
    assert!(api.body.contains("unauthenticated"));
    let account = http(addr, "GET", "/account", &[], "").await;
    assert_eq!(account.status, 303);
    assert_eq!(
        account.header("location").as_deref(),
        Some("/login?next=/account")
    );
    let home = http(addr, "GET", "/", &[], "").await;
    assert_eq!(home.status, 303);
    assert_eq!(home.header("location").as_deref(), Some("/login"));
    let wrong = http(
        addr,
        "POST",
        "/login",
        &[],
        &form_login("kanwil.jateng", "not it at all"),
    )
    .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.header("set-cookie").is_none());
    let ok = http(
        addr,
        "POST",
        "/login",
        &[],
        &form_login("kanwil.jateng", PASSWORD),
    )
    .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(ok.header("location").as_deref(), Some("/"));
    let set = ok.header("set-cookie").unwrap();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set.contains(attribute), "{set}");
    }
    assert!(
        !set.contains("Secure"),
        "off by default for http://127.0.0.1"
    );
    let c = cookie(&ok.session());
    let headers = [("Cookie", c.as_str())];
    let api = http(addr, "GET", "/api/facilities", &headers, "").await;
    assert_eq!(api.status, 200);
    assert!(api.body.contains("PKL"));
    let overview = http(addr, "GET", "/api/facilities/PKL/overview", &headers, "").await;
    assert_eq!(overview.status, 200);
    let home = http(addr, "GET", "/", &headers, "").await;
    assert!(
        home.body.contains("Lapas Kelas IIA Pekalongan"),
        "{}",
        home.body
    );
    // A cross-site login post is refused.
    let cross = http(
        addr,
        "POST",
        "/login",
        &[("Origin", "https://evil.example")],
        &form_login("kanwil.jateng", PASSWORD),
    )
    .await;
    assert_eq!(cross.status, 403);
}

async fn forms_without_the_csrf_token_are_refused(db: &TestDatabase) {
    let (_, addr) = start(db).await;
    let login = http(
        addr,
        "POST",
        "/login",
        &[],
        &form_login("petugas.pkl", PASSWORD),
    )
    .await;
    let c = cookie(&login.session());
    let headers = [("Cookie", c.as_str())];
    for body in ["", "csrf_token=", "csrf_token=forged"] {
        let refused = http(addr, "POST", "/logout", &headers, body).await;
        assert_eq!(refused.status, 403, "{body}");
        let refused = http(addr, "POST", "/logout/everywhere", &headers, body).await;
        assert_eq!(refused.status, 403, "{body}");
    }
    assert_eq!(
        http(addr, "GET", "/api/facilities", &headers, "")
            .await
            .status,
        200,
        "still signed in"
    );
    let account = http(addr, "GET", "/account", &headers, "").await;
    let csrf = csrf_in(&account.body);
    let out = http(
        addr,
        "POST",
        "/logout",
        &headers,
        &format!("csrf_token={csrf}"),
    )
    .await;
    assert_eq!(out.status, 303);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(
        http(addr, "GET", "/api/facilities", &headers, "")
            .await
            .status,
        401
    );
}

async fn brute_force_meets_429(db: &TestDatabase) {
    let (_, addr) = start(db).await;
    let guess = form_login("petugas.pkl", "guess guess guess");
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(http(addr, "POST", "/login", &[], &guess).await.status);
    }
    assert_eq!(statuses, [401, 401, 401, 401, 429]);
    let locked = http(
        addr,
        "POST",
        "/login",
        &[],
        &form_login("petugas.pkl", PASSWORD),
    )
    .await;
    assert_eq!(locked.status, 429);
    assert!(locked.body.contains("15 menit"));
    // The address: 20 failures in the window, then 429 whatever the account.
    for i in 0..14 {
        let form = form_login(&format!("nobody{i}"), "guess guess guess");
        let r = http(addr, "POST", "/login", &[], &form).await;
        assert_eq!(r.status, 401, "{i}");
    }
    let refused = http(
        addr,
        "POST",
        "/login",
        &[],
        &form_login("kanwil.jateng", PASSWORD),
    )
    .await;
    assert_eq!(refused.status, 429);
}

async fn api_tokens_work_within_their_scope(db: &TestDatabase) {
    let (app, addr) = start(db).await;
    let operator = Actor::Operator {
        label: "test".into(),
    };
    let scopes = ["ListFacilities".to_owned()];
    let token = tokens::create(&app, &operator, "kanwil.jateng", "dashboard", &scopes, None)
        .await
        .unwrap();
    let bearer = format!("Bearer {}", token.secret);
    let headers = [("Authorization", bearer.as_str())];
    let listed = http(addr, "GET", "/api/facilities", &headers, "").await;
    assert_eq!(listed.status, 200);
    let overview = http(addr, "GET", "/api/facilities/PKL/overview", &headers, "").await;
    assert_eq!(overview.status, 403, "outside the token's scopes");
    tokens::revoke(&app, &operator, token.id).await.unwrap();
    let revoked = http(addr, "GET", "/api/facilities", &headers, "").await;
    assert_eq!(revoked.status, 401);
    let bogus = [("Authorization", "Bearer bekal_nope")];
    let bogus = http(addr, "GET", "/api/facilities", &bogus, "").await;
    assert_eq!(bogus.status, 401);
}

/// Found by schemathesis (tests/api/schemathesis.sh): axum's own rejections were plain text
/// with statuses the OpenAPI document did not list.
async fn api_rejections_are_documented_json(db: &TestDatabase) {
    let (app, addr) = start(db).await;
    let operator = Actor::Operator {
        label: "test".into(),
    };
    let scopes = ["ReadClasses".to_owned(), "RecordResults".to_owned()];
    let token = tokens::create(&app, &operator, "petugas.pkl", "fuzz", &scopes, None)
        .await
        .unwrap();
    let bearer = format!("Bearer {}", token.secret);
    let auth = ("Authorization", bearer.as_str());
    let json_type = ("Content-Type", "application/json");
    for (method, path, headers, body, status, code) in [
        ("GET", "/api/classes/abc", vec![auth], "", 400, "invalid"),
        (
            "GET",
            "/api/classes/99999999999999999999999",
            vec![auth],
            "",
            400,
            "invalid",
        ),
        (
            "GET",
            "/api/classes?facility_id=x",
            vec![auth],
            "",
            400,
            "invalid",
        ),
        (
            "POST",
            "/api/classes/1/results",
            vec![auth, json_type],
            "not json",
            400,
            "invalid",
        ),
        (
            "POST",
            "/api/classes/1/results",
            vec![auth, json_type],
            "[{}]",
            422,
            "invalid",
        ),
        (
            "POST",
            "/api/classes/1/results",
            vec![auth],
            "a=b",
            415,
            "unsupported_media_type",
        ),
    ] {
        let reply = http(addr, method, path, &headers, body).await;
        assert_eq!(
            reply.status, status,
            "{method} {path} {body}: {}",
            reply.body
        );
        assert!(
            reply
                .header("content-type")
                .unwrap()
                .starts_with("application/json"),
            "{method} {path}: {}",
            reply.head
        );
        let answer = reply.json();
        assert_eq!(answer["error"], code, "{method} {path}: {answer}");
        assert!(!answer["message"].as_str().unwrap().is_empty());
    }
    let document = http(addr, "GET", "/api/openapi.json", &[], "").await.json();
    // The dashboard takes tokens (with ListFacilities), so the document must say so.
    let listing = [auth];
    let dashboard = http(addr, "GET", "/api/dashboard", &listing, "").await;
    assert_eq!(dashboard.status, 403, "the token lacks ListFacilities");
    let security = document["paths"]["/api/dashboard"]["get"]["security"].to_string();
    assert!(
        security.contains("\"token\":[\"ListFacilities\"]"),
        "{security}"
    );
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.len() > 10);
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let responses = &operation["responses"];
            for status in ["400", "401", "403", "503"] {
                assert!(
                    !responses[status].is_null(),
                    "{method} {path} lacks {status}"
                );
            }
            if path.contains('{') {
                assert!(!responses["404"].is_null(), "{method} {path} lacks 404");
            }
            if !operation["requestBody"].is_null() {
                for status in ["413", "415", "422"] {
                    assert!(
                        !responses[status].is_null(),
                        "{method} {path} lacks {status}"
                    );
                }
            }
        }
    }
}

async fn second_factor_gates_national_admins(db: &TestDatabase) {
    let (_, addr) = start(db).await;
    let ok = http(addr, "POST", "/login", &[], &form_login("admin", PASSWORD)).await;
    assert_eq!(ok.status, 303);
    assert_eq!(
        ok.header("location").as_deref(),
        Some("/login/second-factor")
    );
    let c = cookie(&ok.session());
    let headers = [("Cookie", c.as_str())];
    let api = http(addr, "GET", "/api/facilities", &headers, "").await;
    assert_eq!(api.status, 401, "not fully signed in");
    let account = http(addr, "GET", "/account", &headers, "").await;
    assert_eq!(
        account.header("location").as_deref(),
        Some("/login/second-factor")
    );
    let page = http(addr, "GET", "/login/second-factor", &headers, "").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("otpauth://totp/Bekal:admin"),
        "{}",
        page.body
    );
    let csrf = csrf_in(&page.body);
    let no_csrf = http(
        addr,
        "POST",
        "/login/second-factor",
        &headers,
        "code=123456",
    )
    .await;
    assert_eq!(no_csrf.status, 403);
    let form = format!("csrf_token={csrf}&code=abc");
    let wrong = http(addr, "POST", "/login/second-factor", &headers, &form).await;
    assert_eq!(wrong.status, 401);
    let api = http(addr, "GET", "/api/facilities", &headers, "").await;
    assert_eq!(api.status, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cookie_is_secure_when_configured() {
    let db = TestDatabase::sqlite().await.unwrap();
    let settings = bekal_web::WebSettings {
        cookie_secure: true,
        ..Default::default()
    };
    let (_, addr) = start_with(&db, settings).await;
    let ok = http(
        addr,
        "POST",
        "/login",
        &[],
        &form_login("kanwil.jateng", PASSWORD),
    )
    .await;
    assert_eq!(ok.status, 303);
    let set = ok.header("set-cookie").unwrap();
    assert!(
        set.contains("; Secure") && set.contains("HttpOnly"),
        "{set}"
    );
    db.cleanup().await;
}
