//! The access matrix of the HTML write routes: every POST route the router serves (read from
//! `src/lib.rs` and `src/auth.rs`, so a form added without a row here fails the test), sent
//! with a plausible body, its path parameters filled with the demo's real ids, by the twelve
//! callers of the page matrix, each with their own session and CSRF token; both backends.
//! Each cell is the status, with `*` when the request changed something (an audit row other
//! than a read: every change is audited in its transaction). The whole table must match the reviewed one, so any
//! widening of who may change what shows up as a failed test; and whatever the table says,
//! nobody signed out ever writes, and no caller outside PKL writes to PKL's records.
//!
//! The routes run in path order; the sign-out routes run last. Accounts the matrix switches
//! off or gives a new password are throwaway accounts made for it.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::accounts::{self, NewUser};
use bekal_app::certificates::CertificateConfig;
use bekal_app::{Actor, App, demo};
use bekal_domain::clock::{Clock, FixedClock};
use bekal_domain::role::Role;
use bekal_store::entity::{
    audit_log, certificate, enrolment, facility, holiday, inmate, plan, training_session,
    waiting_list_entry,
};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::sync::Arc;

mod support;
use support::{csrf_in, http};

/// The callers, in the order of the status columns (as in the page matrix).
const CALLERS: [&str; 12] = support::MATRIX_CALLERS;

/// Route -> the body sent (`{csrf}` and the ids are filled in). Every POST route needs one.
const BODIES: &[(&str, &str)] = &[
    (
        "/account/password",
        "current_password=bukan-sandinya&password=kata-sandi-baru-panjang-{n}&password_again=kata-sandi-baru-panjang-{n}",
    ),
    (
        "/admin/accounts/new",
        "username=matrix.{n}&display_name=Akun+Matriks&role=program_officer&facility=PKL&password=kata-sandi-panjang-{n}",
    ),
    (
        "/admin/accounts/{username}/password",
        "password=kata-sandi-baru-{n}-panjang&password_again=kata-sandi-baru-{n}-panjang",
    ),
    (
        "/admin/accounts/{username}/state",
        "active=no&reason=uji+matriks",
    ),
    (
        "/admin/catalogue/package",
        "existing=yes&code=JAHIT&name=Menjahit&hours_jp=160&duration_days=18&capacity=10&min_size=6&max_classes=1&trainer_skill=JAHIT&min_attendance_percent=80&active=on&units=BLK-PKL-JHT-01%2C+BLK-PKL-JHT-02%2C+BLK-PKL-JHT-03",
    ),
    (
        "/admin/catalogue/partner",
        "existing=yes&code=BLK-PKL&name=UPTD+BLK+Kota+Pekalongan&kind=training_centre&certificate_number_format=%7Bpartner%7D%2F%7Byear%7D%2F%7Bseq%3A05%7D&issuer_did_method=key&active=on",
    ),
    (
        "/admin/catalogue/trainer",
        "id={trainer}&partner=BLK-PKL&name=Sri+Wahyuningsih&skills=JAHIT%2C+BATIK&active=on",
    ),
    (
        "/admin/catalogue/trainer/unavailable",
        "trainer_id={trainer}&from=2027-02-01&to=2027-02-03&reason=matriks",
    ),
    ("/admin/catalogue/trainer/unavailable/{id}/delete", ""),
    (
        "/admin/catalogue/unit",
        "code=MATRIKS-{n}&version=1&title=Unit+matriks&hours_jp=8&standard=Uji",
    ),
    (
        "/admin/facilities",
        "code=MX{n}&name=Rutan+Matriks+{n}&kind=rutan",
    ),
    (
        "/admin/holidays",
        "facility=PKL&year=2027&date=2027-03-{day}&name=Hari+matriks&kind=local",
    ),
    ("/admin/holidays/{id}/delete", "facility=PKL&year=2026"),
    (
        "/admin/rooms",
        "facility=PKL&code=MX{n}&name=Ruang+matriks&capacity=8&active=on",
    ),
    (
        "/certificates/holder-link",
        "number={number}&request_key=matrix-{n}",
    ),
    ("/certificates/holder-link/withdraw", "number={number}"),
    (
        "/certificates/revoke",
        "number={number}&reason=uji+matriks&confirmed=yes",
    ),
    ("/classes/{id}/certificates", "confirmed=yes"),
    ("/classes/{id}/results", "assessed_on=2026-11-28"),
    (
        "/enrolments/{id}/state",
        "to=withdrawn&effective_on=2026-11-29&reason=uji+matriks&confirmed=yes",
    ),
    (
        "/follow-ups/record",
        "inmate={released}&months=3&facility=PKL&contacted_on=2026-11-28&outcome=unemployed&source=facility",
    ),
    ("/imports/confirm", "facility=PKL&file_name=wbp.csv"),
    ("/imports/errors.csv", "facility=PKL&file_name=wbp.csv"),
    ("/imports/preview", "facility=PKL"),
    (
        "/inmates/{id}/custody",
        "kind=transferred&effective_on=2026-11-28&reason=uji+matriks",
    ),
    ("/login", "username=nobody&password=wrong-password"),
    ("/login/second-factor", "code=000000"),
    ("/logout", ""),
    ("/logout/everywhere", ""),
    ("/plans/{id}/approve", "confirmed=yes"),
    ("/selection/assessments", "facility=PKL&package=JAHIT"),
    ("/selection/assessments/import", "facility=PKL"),
    (
        "/selection/non-associations",
        "facility=PKL&register_a={reg_a}&register_b={reg_b}&reason=uji+matriks",
    ),
    (
        "/selection/non-associations/{id}/end",
        "facility=PKL&reason=uji+matriks",
    ),
    ("/selection/open", "facility=PKL&name=Seleksi+matriks"),
    ("/selection/rounds/{id}/approve", "facility=PKL"),
    (
        "/selection/rounds/{id}/pin",
        "facility=PKL&package=JAHIT&register_number={reg_a}&action=exclude&reason=uji+matriks",
    ),
    (
        "/selection/rounds/{id}/revise",
        "facility=PKL&reason=uji+matriks",
    ),
    (
        "/selection/rounds/{id}/scoring",
        "facility=PKL&preference_bonus=15%2C+10%2C+5&release_bands=182%3A5&default_priority=1",
    ),
    (
        "/selection/rules",
        "facility=PKL&package=LAS&kind=min_age&value=18&active=on",
    ),
    ("/selection/waiting/offer", "facility=PKL&package=JAHIT"),
    ("/selection/waiting/refresh", "facility=PKL&package=JAHIT"),
    ("/selection/waiting/{id}/accept", "facility=PKL"),
    (
        "/selection/waiting/{id}/decline",
        "facility=PKL&reason=uji+matriks",
    ),
    (
        "/selection/waiting/{id}/status",
        "facility=PKL&status=withdrawn&reason=uji+matriks",
    ),
    ("/sessions/{id}/attendance", "version=0"),
    ("/sessions/{id}/cancel", "reason=uji+matriks"),
    (
        "/sessions/{id}/move",
        "to_date=2026-12-21&reason=uji+matriks",
    ),
];

/// Route -> the status of each caller (columns as in `CALLERS`), `*` where it changed
/// something. Reviewed row by row: every `*` is a caller whose role may make that change
/// (national administrators; PKL's program officer for PKL's records; partner staff for
/// certificates; facility officers for holder codes; SBY's officer only on SBY's own rooms,
/// rounds, rules and days; everyone for signing out). A 4xx for a caller who may write is the
/// rule refusing this body (409 once an earlier caller did it; 422 a rule of the form); the
/// upload routes answer 400/422 to every caller because the body is not an upload (their
/// rights are tested in imports_http.rs and selection_http.rs). Found and closed by this
/// matrix: revoking and ending an enrolment showed their confirmation step to every role.
#[rustfmt::skip]
const EXPECTED: &[(&str, &str)] = &[
    ("/account/password", "303 422 422 422 422 422 422 422 422 422 422 422"),
    ("/admin/accounts/new", "303 303* 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/accounts/{username}/password", "303 303* 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/accounts/{username}/state", "303 303* 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/catalogue/package", "303 303* 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/catalogue/partner", "303 303* 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/catalogue/trainer", "303 303* 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/catalogue/trainer/unavailable", "303 303* 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/catalogue/trainer/unavailable/{id}/delete", "303 303* 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/catalogue/unit", "303 303* 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/facilities", "303 303* 403 403 403 403 403 403 403 403 403 403"),
    ("/admin/holidays", "303 303* 403 403 422 403 403 403 403 303* 403 403"),
    ("/admin/holidays/{id}/delete", "303 404 403 403 404 403 403 403 403 404 403 403"),
    ("/admin/rooms", "303 303* 403 403 303* 403 403 403 403 303* 403 403"),
    ("/certificates/holder-link", "303 200* 403 200* 200* 200* 403 403 403 403 403 403"),
    ("/certificates/holder-link/withdraw", "303 303* 403 303* 303* 303* 403 403 403 403 403 403"),
    ("/certificates/revoke", "303 303* 403 403 403 409 403 403 403 403 403 403"),
    ("/classes/{id}/certificates", "303 200* 403 403 403 200* 404 404 403 404 404 403"),
    ("/classes/{id}/results", "303 303 403 403 303 403 403 303 403 403 403 403"),
    ("/enrolments/{id}/state", "303 422 403 403 422 403 403 403 403 404 404 403"),
    ("/follow-ups/record", "303 303* 403 403 404 403 403 403 404 404 403 403"),
    ("/imports/confirm", "303 422 422 422 422 422 422 422 422 422 422 422"),
    ("/imports/errors.csv", "303 422 422 422 422 422 422 422 422 422 422 422"),
    ("/imports/preview", "303 400 400 400 400 400 400 400 400 400 400 400"),
    ("/inmates/{id}/custody", "303 303* 404 403 409 404 404 404 404 404 404 404"),
    ("/login", "401 401 401 401 401 401 401 401 401 401 401 401"),
    ("/login/second-factor", "303 303 303 303 303 303 303 303 303 303 303 303"),
    ("/plans/{id}/approve", "303 409 403 409 403 403 403 403 403 403 403 403"),
    ("/selection/assessments", "303 200 403 403 200 403 403 403 403 200 403 403"),
    ("/selection/assessments/import", "303 400 400 400 400 400 400 400 400 400 400 400"),
    ("/selection/non-associations", "303 303* 403 403 409 403 403 403 403 404 403 403"),
    ("/selection/non-associations/{id}/end", "303 404 403 403 404 403 403 403 403 404 403 403"),
    ("/selection/open", "303 303* 403 403 409 403 403 403 403 303* 403 403"),
    ("/selection/rounds/{id}/approve", "303 409 403 409 403 403 403 403 403 403 403 403"),
    ("/selection/rounds/{id}/pin", "303 422 403 403 422 403 403 403 403 422 403 403"),
    ("/selection/rounds/{id}/revise", "303 409 403 403 409 403 403 403 403 403 403 403"),
    ("/selection/rounds/{id}/scoring", "303 404 403 403 404 403 403 403 403 404 403 403"),
    ("/selection/rules", "303 303* 403 403 303* 403 403 403 403 303* 403 403"),
    ("/selection/waiting/offer", "303 422 403 403 422 403 403 403 403 422 403 403"),
    ("/selection/waiting/refresh", "303 303* 403 403 303 403 403 403 403 303 403 403"),
    ("/selection/waiting/{id}/accept", "303 422 403 403 422 403 403 403 403 422 403 403"),
    ("/selection/waiting/{id}/decline", "303 404 403 403 404 403 403 403 403 404 403 403"),
    ("/selection/waiting/{id}/status", "303 404 403 403 404 403 403 403 403 404 403 403"),
    ("/sessions/{id}/attendance", "303 422 403 403 422 403 422 403 403 403 403 403"),
    ("/sessions/{id}/cancel", "303 303* 403 403 409 403 403 403 403 403 403 403"),
    ("/sessions/{id}/move", "303 409 403 403 409 403 403 403 403 403 403 403"),
    ("/logout/everywhere", "303 303* 303* 303* 303* 303* 303* 303* 303* 303* 303* 303*"),
    ("/logout", "303 303 303 303 303 303 303 303 303 303 303 303"),
];

bekal_store::on_both_backends!(every_write_route_for_every_caller);

/// The POST routes of the router's source files.
fn write_routes() -> BTreeSet<String> {
    let routes: BTreeSet<String> = support::router_routes(&["lib.rs", "auth.rs"])
        .into_iter()
        .filter(|(_, call)| call.contains("post("))
        .map(|(path, _)| path)
        .collect();
    assert!(routes.len() >= 40, "write routes found: {routes:?}");
    routes
}

/// Audit rows of changes (reads of personal data are audited too, as `read...`: a refused
/// form that shows its page again reads, it does not write).
async fn audit_rows(db: &TestDatabase, facility_id: Option<i64>) -> u64 {
    let mut query = audit_log::Entity::find().filter(audit_log::Column::Action.not_like("read%"));
    if let Some(id) = facility_id {
        query = query.filter(audit_log::Column::FacilityId.eq(id));
    }
    query.count(db.store.conn()).await.unwrap()
}

async fn every_write_route_for_every_caller(db: &TestDatabase) {
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
    let conn = db.store.conn();
    let pkl = facility::Entity::find()
        .filter(facility::Column::Code.eq("PKL"))
        .one(conn)
        .await
        .unwrap()
        .unwrap()
        .id;

    // The records the routes name.
    let (teacher, class_id) = support::trainer_class(conn).await;
    let sessions = training_session::Entity::find()
        .filter(training_session::Column::ClassId.eq(class_id))
        .order_by_desc(training_session::Column::Date)
        .all(conn)
        .await
        .unwrap();
    let member = enrolment::Entity::find()
        .filter(enrolment::Column::ClassId.eq(class_id))
        .order_by_asc(enrolment::Column::Id)
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
    let finished_class = enrolment::Entity::find_by_id(certified.enrolment_id)
        .one(conn)
        .await
        .unwrap()
        .unwrap()
        .class_id;
    let plan_id = plan::Entity::find()
        .order_by_desc(plan::Column::Id)
        .one(conn)
        .await
        .unwrap()
        .unwrap()
        .id;
    let round = bekal_app::selection::rounds::current_round(&app, &operator, "PKL")
        .await
        .unwrap()
        .unwrap();
    // Three people never enrolled (the same on both backends: by id, not by text order).
    let enrolled: BTreeSet<i64> = enrolment::Entity::find()
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.inmate_id)
        .collect();
    let outside: Vec<inmate::Model> = inmate::Entity::find()
        .filter(inmate::Column::FacilityId.eq(pkl))
        .order_by_asc(inmate::Column::Id)
        .all(conn)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| !enrolled.contains(&p.id))
        .take(3)
        .collect();
    let waiting = waiting_list_entry::Entity::find()
        .order_by_asc(waiting_list_entry::Column::Id)
        .one(conn)
        .await
        .unwrap()
        .map_or(0, |w| w.id);
    let released = enrolment::Entity::find_by_id(certified.enrolment_id)
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    support::record_release(&app, &released).await;
    let holiday_id = holiday::Entity::find()
        .filter(holiday::Column::FacilityId.is_null())
        .order_by_desc(holiday::Column::Id)
        .one(conn)
        .await
        .unwrap()
        .unwrap()
        .id;
    accounts::create_user(
        &app,
        &operator,
        NewUser {
            username: "matriks.target".into(),
            display_name: "Target matriks".into(),
            password: "kata-sandi-target-panjang".into(),
            role: Role::ProgramOfficer,
            facility_id: Some(pkl),
            partner_id: None,
            region: None,
        },
    )
    .await
    .unwrap();
    let target = "matriks.target";

    let settings = bekal_web::WebSettings {
        cookie_secure: false,
        certificates: Some(config),
        public_requests_per_minute: Some(10_000),
    };
    let addr = support::serve(app.clone(), settings).await;
    let cookies = support::matrix_sessions(addr, clock.now()).await;
    let mut tokens = Vec::new();
    for cookie in &cookies {
        if cookie.is_empty() {
            tokens.push(String::new());
        } else {
            let page = http(addr, "GET", "/account", &[("Cookie", cookie)], "").await;
            tokens.push(csrf_in(&page.body));
        }
    }

    let mut routes: Vec<String> = write_routes().into_iter().collect();
    // Signing out ends the callers' sessions: last, and everywhere before the one session.
    routes.sort_by_key(|r| match r.as_str() {
        "/logout/everywhere" => 1,
        "/logout" => 2,
        _ => 0,
    });
    let mut observed = Vec::new();
    let mut n = 0;
    for route in &routes {
        let body = BODIES
            .iter()
            .find(|(r, _)| r == route)
            .map(|(_, b)| *b)
            .unwrap_or_else(|| panic!("{route}: add a body to the write matrix"));
        let id = if route.starts_with("/sessions/") {
            // The latest session (no sheet yet) for move / cancel / attendance.
            sessions[0].id
        } else if route.starts_with("/classes/{id}/certificates") {
            finished_class
        } else if route.starts_with("/classes/") {
            class_id
        } else if route.starts_with("/enrolments/") {
            member.id
        } else if route.starts_with("/inmates/") {
            outside[2].id
        } else if route.starts_with("/plans/") {
            plan_id
        } else if route.starts_with("/selection/rounds/") {
            round.id
        } else if route.starts_with("/selection/waiting/") {
            waiting
        } else if route.starts_with("/admin/holidays/") {
            holiday_id
        } else {
            0
        };
        let mut statuses = Vec::new();
        for (index, (caller, cookie)) in CALLERS.iter().zip(&cookies).enumerate() {
            n += 1;
            let gap_id = bekal_store::entity::trainer_unavailability::Entity::find()
                .order_by_desc(bekal_store::entity::trainer_unavailability::Column::Id)
                .one(conn)
                .await
                .unwrap()
                .map_or(0, |g| g.id);
            let path = route
                .replace(
                    "{id}",
                    &if route.contains("unavailable") {
                        gap_id
                    } else {
                        id
                    }
                    .to_string(),
                )
                .replace("{username}", target);
            assert!(
                !path.contains('{'),
                "{route}: a parameter the matrix cannot fill"
            );
            let filled = body
                .replace("{n}", &n.to_string())
                .replace("{day}", &format!("{:02}", 1 + n % 28))
                .replace("{trainer}", &teacher.id.to_string())
                .replace("{number}", &certified.number.replace('/', "%2F"))
                .replace("{released}", &released.inmate_id.to_string())
                .replace("{reg_a}", &outside[0].register_number.replace('/', "%2F"))
                .replace("{reg_b}", &outside[1].register_number.replace('/', "%2F"));
            let form = format!("csrf_token={}&{filled}", tokens[index]);
            let headers: Vec<(&str, &str)> = if cookie.is_empty() {
                vec![("Content-Type", "application/x-www-form-urlencoded")]
            } else {
                vec![
                    ("Cookie", cookie.as_str()),
                    ("Content-Type", "application/x-www-form-urlencoded"),
                ]
            };
            let (all_before, pkl_before) =
                (audit_rows(db, None).await, audit_rows(db, Some(pkl)).await);
            let reply = http(addr, "POST", &path, &headers, &form).await;
            let (all_after, pkl_after) =
                (audit_rows(db, None).await, audit_rows(db, Some(pkl)).await);
            assert_ne!(
                reply.status / 100,
                5,
                "{caller} POST {path}: {}",
                reply.body
            );
            let wrote = all_after > all_before;
            if *caller == "-" && !route.starts_with("/login") {
                assert!(!wrote, "nobody signed in wrote with POST {path}");
            }
            let outsider = caller.ends_with(".sby") || *caller == "kanwil.jatim";
            if outsider {
                assert_eq!(
                    pkl_after, pkl_before,
                    "{caller} wrote to PKL with POST {path}"
                );
            }
            statuses.push(format!("{}{}", reply.status, if wrote { "*" } else { "" }));
        }
        observed.push((route.clone(), statuses.join(" ")));
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
        "the observed write matrix (columns: {CALLERS:?}):\n{table}"
    );
}
