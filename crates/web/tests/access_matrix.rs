//! The access matrix, generated from the OpenAPI document: every GET route of the JSON API,
//! its path parameters filled with the Pekalongan demo's real ids, called as every kind of
//! caller, both backends. A route added without a value for one of its parameters fails the
//! test, so the matrix cannot fall behind the API.
//!
//! - a program officer of PKL gets 200 everywhere (the ids are real: the matrix is not empty);
//! - officers and the head of another facility, and an oversight viewer of another region,
//!   get 403 or 404 on every route that names a PKL record, and no PKL register number or
//!   class code in any 200 answer;
//! - PKL's trainer and partner staff never see a register number, and are refused the
//!   registry and the non-associations;
//! - the administration routes (`/api/admin/...`) answer 403 to all of them;
//! - nobody signed in gets 401, except on the public verification route, which must not
//!   reveal the facility.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::certificates::CertificateConfig;
use bekal_app::{Actor, App, demo};
use bekal_domain::clock::FixedClock;
use bekal_store::entity::{inmate, package, plan, training_class, training_session};
use bekal_store::sea_orm::{EntityTrait, QueryOrder};
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

mod support;
use support::{http, sign_in};

const PASSWORD: &str = demo::DEMO_PASSWORD;

bekal_store::on_both_backends!(every_get_route_for_every_caller);

/// Values for the path parameters, by (route prefix, name).
struct Ids {
    class: i64,
    session: i64,
    inmate: i64,
    plan: i64,
    package: String,
    pkl_id: i64,
    certificate: String,
}

impl Ids {
    fn fill(&self, route: &str) -> String {
        let mut path = route.to_owned();
        let id = if route.starts_with("/api/classes/") {
            self.class.to_string()
        } else if route.starts_with("/api/sessions/") {
            self.session.to_string()
        } else if route.starts_with("/api/inmates/") {
            self.inmate.to_string()
        } else if route.starts_with("/api/plans/") {
            self.plan.to_string()
        } else {
            String::new()
        };
        path = path
            .replace("{code}", "PKL")
            .replace("{package}", &self.package)
            .replace("{number}", &self.certificate.replace('/', "%2F"));
        if path.contains("{id}") {
            assert!(
                !id.is_empty(),
                "no id for {route}: add it to the access matrix"
            );
            path = path.replace("{id}", &id);
        }
        assert!(
            !path.contains('{'),
            "{route} has a parameter the access matrix cannot fill: add it"
        );
        match route {
            "/api/classes" => format!("{path}?facility_id={}", self.pkl_id),
            "/api/reports/summary" => format!("{path}?scope=facility&code=PKL"),
            _ => path,
        }
    }
}

async fn get_routes(addr: SocketAddr) -> Vec<String> {
    let doc = http(addr, "GET", "/api/openapi.json", &[], "").await.json();
    let mut routes: Vec<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, ops)| ops.get("get").is_some())
        .map(|(path, _)| path.clone())
        .collect();
    routes.sort();
    assert!(routes.len() >= 15, "the API has GET routes: {routes:?}");
    routes
}

async fn every_get_route_for_every_caller(db: &TestDatabase) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let app = App::new(db.store.clone(), Arc::new(FixedClock::at_day(today)));
    let keys = tempfile::tempdir().unwrap();
    let config = CertificateConfig::new(keys.path(), "https://verify.bekal.example");
    demo::build(&app, today, Some(&config)).await.unwrap();
    let operator = Actor::Operator {
        label: "test".into(),
    };
    support::add_outsiders(&app).await;
    bekal_app::selection::rounds::open_round(&app, &operator, "PKL", "Seleksi 2026", None)
        .await
        .unwrap();
    let conn = db.store.conn();
    let first = |rows: Vec<i64>| rows.into_iter().next().unwrap();
    let certificate = bekal_store::entity::certificate::Entity::find()
        .one(conn)
        .await
        .unwrap()
        .unwrap()
        .number;
    let ids = Ids {
        certificate,
        class: first(
            training_class::Entity::find()
                .order_by_asc(training_class::Column::Id)
                .all(conn)
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.id)
                .collect(),
        ),
        session: first(
            training_session::Entity::find()
                .order_by_asc(training_session::Column::Id)
                .all(conn)
                .await
                .unwrap()
                .into_iter()
                .map(|s| s.id)
                .collect(),
        ),
        inmate: first(
            inmate::Entity::find()
                .order_by_asc(inmate::Column::Id)
                .all(conn)
                .await
                .unwrap()
                .into_iter()
                .map(|i| i.id)
                .collect(),
        ),
        plan: first(
            plan::Entity::find()
                .order_by_asc(plan::Column::Id)
                .all(conn)
                .await
                .unwrap()
                .into_iter()
                .map(|p| p.id)
                .collect(),
        ),
        package: package::Entity::find()
            .order_by_asc(package::Column::Id)
            .one(conn)
            .await
            .unwrap()
            .unwrap()
            .code,
        pkl_id: first(
            bekal_store::entity::facility::Entity::find()
                .order_by_asc(bekal_store::entity::facility::Column::Id)
                .all(conn)
                .await
                .unwrap()
                .into_iter()
                .map(|f| f.id)
                .collect(),
        ),
    };
    let settings = bekal_web::WebSettings {
        cookie_secure: false,
        certificates: Some(config),
        ..Default::default()
    };
    let addr = support::serve(app, settings).await;
    let routes = get_routes(addr).await;
    // What a leak of PKL's personal or class data looks like in a body.
    let register_marker = "BI.";
    let class_marker = "P1-";

    let mut callers = BTreeMap::new();
    for name in [
        "petugas.pkl",
        "instruktur.pkl",
        "blk.pkl",
        "petugas.sby",
        "kalapas.sby",
        "kanwil.jatim",
    ] {
        callers.insert(name, sign_in(addr, name, PASSWORD).await);
    }
    let mut matrix = Vec::new();
    for route in &routes {
        let path = ids.fill(route);
        let names_a_record = route.contains('{') || route == "/api/reports/summary";
        // Nobody signed in: refused, except the public verification, which answers anyone
        // and says nothing of where the holder trained.
        let anonymous = http(addr, "GET", &path, &[], "").await;
        if route.starts_with("/api/public/") {
            assert_eq!(
                anonymous.status, 200,
                "anonymous GET {path}: {}",
                anonymous.body
            );
            for marker in [
                register_marker,
                class_marker,
                "Lapas",
                "Pemasyarakatan",
                "warga binaan",
            ] {
                assert!(
                    !anonymous.body.contains(marker),
                    "public {path} shows {marker}"
                );
            }
            continue;
        }
        assert_eq!(anonymous.status, 401, "anonymous GET {path}");
        for (name, cookie) in &callers {
            let reply = http(addr, "GET", &path, &[("Cookie", cookie)], "").await;
            matrix.push(format!("{name:>14} {:3} {path}", reply.status));
            assert_ne!(reply.status / 100, 5, "{name} GET {path}: {}", reply.body);
            let outsider = name.ends_with(".sby") || *name == "kanwil.jatim";
            if route.starts_with("/api/admin/") {
                // Accounts are the national administrators' alone.
                assert_eq!(reply.status, 403, "{name} GET {path}: {}", reply.body);
                continue;
            }
            match *name {
                "petugas.pkl" => assert_eq!(reply.status, 200, "{name} GET {path}: {}", reply.body),
                _ if outsider => {
                    if names_a_record {
                        assert!(
                            matches!(reply.status, 403 | 404),
                            "{name} GET {path} -> {}: {}",
                            reply.status,
                            reply.body
                        );
                    }
                    if reply.status == 200 {
                        assert!(
                            !reply.body.contains(register_marker)
                                && !reply.body.contains(class_marker),
                            "{name} GET {path} leaks PKL data: {}",
                            reply.body
                        );
                    }
                }
                _ => {
                    // PKL's trainer and partner staff.
                    if reply.status == 200 {
                        assert!(
                            !reply.body.contains(register_marker),
                            "{name} GET {path} shows register numbers: {}",
                            reply.body
                        );
                    }
                    if route.contains("inmates") || route.contains("non-associations") {
                        assert!(
                            matches!(reply.status, 403 | 404),
                            "{name} GET {path} -> {}",
                            reply.status
                        );
                    }
                }
            }
        }
    }
    eprintln!("{}", matrix.join("\n"));
}
