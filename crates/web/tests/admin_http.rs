//! The administration screens over real HTTP on the demo world, both backends: a national
//! administrator (signed in with the second factor) creates an account, sees the rules refuse
//! bad input beside their fields, switches the account off (its session and token stop) and on
//! again with a new password, registers a facility and corrects the national holiday calendar;
//! a program officer keeps only their own facility's days; nobody else gets in.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::auth::tokens;
use bekal_app::{Actor, App, demo};
use bekal_domain::clock::{Clock, FixedClock};
use bekal_store::entity::{audit_log, facility, holiday};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use std::net::SocketAddr;
use std::sync::Arc;

mod support;
use support::{csrf_in, form_login, http, sign_in};

const PASSWORD: &str = demo::DEMO_PASSWORD;

bekal_store::on_both_backends!(administrators_keep_accounts_facilities_and_holidays);

async fn post(
    addr: SocketAddr,
    path: &str,
    who: &str,
    page_with_csrf: &str,
    body: &str,
) -> support::Reply {
    let form = format!("csrf_token={}&{body}", csrf_in(page_with_csrf));
    http(addr, "POST", path, &[("Cookie", who)], &form).await
}

async fn administrators_keep_accounts_facilities_and_holidays(db: &TestDatabase) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let clock = FixedClock::at_day(today);
    let app = App::new(db.store.clone(), Arc::new(clock));
    demo::build(&app, today, None).await.unwrap();
    let addr = support::serve(app.clone(), bekal_web::WebSettings::default()).await;
    let admin = support::admin_session(addr, clock.now()).await;

    let hub = http(addr, "GET", "/admin", &[("Cookie", &admin)], "").await;
    assert_eq!(hub.status, 200, "{}", hub.body);
    for link in ["/admin/accounts", "/admin/facilities", "/admin/holidays"] {
        assert!(hub.body.contains(link), "hub links {link}");
    }
    let trainers = http(
        addr,
        "GET",
        "/admin/accounts?role=trainer",
        &[("Cookie", &admin)],
        "",
    )
    .await;
    assert!(trainers.body.contains("instruktur.pkl") && !trainers.body.contains("petugas.pkl"));

    // A new account: the rules answer beside their fields, the password is never sent back.
    let form = http(
        addr,
        "GET",
        "/admin/accounts/new",
        &[("Cookie", &admin)],
        "",
    )
    .await;
    assert_eq!(form.status, 200);
    let no_csrf = http(
        addr,
        "POST",
        "/admin/accounts/new",
        &[("Cookie", &admin)],
        "username=x",
    )
    .await;
    assert_eq!(no_csrf.status, 403);
    let secret = "lapas-pekalongan-2026";
    let missing = post(
        addr,
        "/admin/accounts/new",
        &admin,
        &form.body,
        &format!(
            "username=petugas2.pkl&display_name=Petugas+Dua&role=program_officer&password={secret}"
        ),
    )
    .await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert!(
        missing.body.contains("facility-error") && missing.body.contains("value=\"petugas2.pkl\"")
    );
    assert!(!missing.body.contains(secret), "the password is not echoed");
    let weak = post(
        addr,
        "/admin/accounts/new",
        &admin,
        &form.body,
        "username=petugas2.pkl&role=program_officer&facility=PKL&password=password123",
    )
    .await;
    assert_eq!(weak.status, 422);
    assert!(weak.body.contains("password-error"), "{}", weak.body);
    let created = post(addr, "/admin/accounts/new", &admin, &form.body,
        &format!("username=petugas2.pkl&display_name=Petugas+Dua&role=program_officer&facility=PKL&password={secret}")).await;
    assert_eq!(created.status, 303, "{}", created.body);
    assert_eq!(
        created.header("location").as_deref(),
        Some("/admin/accounts?notice=account-created")
    );
    let again = post(
        addr,
        "/admin/accounts/new",
        &admin,
        &form.body,
        &format!("username=petugas2.pkl&role=program_officer&facility=PKL&password={secret}"),
    )
    .await;
    assert_eq!(again.status, 409, "a username in use");
    let second = sign_in(addr, "petugas2.pkl", secret).await;
    let token = tokens::create(
        &app,
        &Actor::Operator {
            label: "test".into(),
        },
        "petugas2.pkl",
        "t",
        &["ListFacilities".to_owned()],
        None,
    )
    .await
    .unwrap();
    let bearer = format!("Bearer {}", token.secret);
    let api = http(
        addr,
        "GET",
        "/api/dashboard",
        &[("Authorization", &bearer)],
        "",
    )
    .await;
    assert_eq!(api.status, 200);

    // Switched off: a reason is required; the session and the token stop; the reason is audited.
    let page = http(
        addr,
        "GET",
        "/admin/accounts/petugas2.pkl",
        &[("Cookie", &admin)],
        "",
    )
    .await;
    assert_eq!(page.status, 200);
    let unreasoned = post(
        addr,
        "/admin/accounts/petugas2.pkl/state",
        &admin,
        &page.body,
        "active=no&reason=",
    )
    .await;
    assert_eq!(unreasoned.status, 422);
    assert!(unreasoned.body.contains("reason-error"));
    let off = post(
        addr,
        "/admin/accounts/petugas2.pkl/state",
        &admin,
        &page.body,
        "active=no&reason=pindah+tugas",
    )
    .await;
    assert_eq!(off.status, 303);
    let home = http(addr, "GET", "/inmates", &[("Cookie", &second)], "").await;
    assert_ne!(home.status, 200, "the switched-off session ended");
    let api = http(
        addr,
        "GET",
        "/api/dashboard",
        &[("Authorization", &bearer)],
        "",
    )
    .await;
    assert_eq!(api.status, 401, "the token stopped with the account");
    let refused = http(
        addr,
        "POST",
        "/login",
        &[],
        &form_login("petugas2.pkl", secret),
    )
    .await;
    assert_eq!(refused.status, 401);
    let listed = http(
        addr,
        "GET",
        "/admin/accounts?q=petugas2",
        &[("Cookie", &admin)],
        "",
    )
    .await;
    assert!(listed.body.contains("Nonaktif"), "{}", listed.body);
    let notes = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("account_state"))
        .all(db.store.conn())
        .await
        .unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.changes.to_string().contains("pindah tugas")),
        "reason audited"
    );
    let own = http(
        addr,
        "GET",
        "/admin/accounts/admin",
        &[("Cookie", &admin)],
        "",
    )
    .await;
    let self_off = post(
        addr,
        "/admin/accounts/admin/state",
        &admin,
        &own.body,
        "active=no&reason=x",
    )
    .await;
    assert_eq!(
        self_off.status, 422,
        "an administrator cannot switch themselves off"
    );

    // A new password and on again: signing in works with the new password only.
    let differ = post(
        addr,
        "/admin/accounts/petugas2.pkl/password",
        &admin,
        &page.body,
        "password=kata-sandi-baru-1&password_again=kata-sandi-baru-2",
    )
    .await;
    assert_eq!(differ.status, 422);
    let reset = post(
        addr,
        "/admin/accounts/petugas2.pkl/password",
        &admin,
        &page.body,
        "password=kata-sandi-baru-1&password_again=kata-sandi-baru-1",
    )
    .await;
    assert_eq!(reset.status, 303);
    let on = post(
        addr,
        "/admin/accounts/petugas2.pkl/state",
        &admin,
        &page.body,
        "active=yes&reason=kembali",
    )
    .await;
    assert_eq!(on.status, 303);
    let theirs = sign_in(addr, "petugas2.pkl", "kata-sandi-baru-1").await;
    let old = http(
        addr,
        "POST",
        "/login",
        &[],
        &form_login("petugas2.pkl", secret),
    )
    .await;
    assert_eq!(old.status, 401);

    // The person changes their own password: the current one is checked, then every session
    // ends and the new one signs in.
    let account = http(addr, "GET", "/account", &[("Cookie", &theirs)], "").await;
    let wrong = post(addr, "/account/password", &theirs, &account.body,
        "current_password=salah-sekali-1&password=milik-saya-sendiri&password_again=milik-saya-sendiri").await;
    assert_eq!(wrong.status, 422);
    assert!(
        wrong.body.contains("current_password-error"),
        "{}",
        wrong.body
    );
    let changed = post(addr, "/account/password", &theirs, &account.body,
        "current_password=kata-sandi-baru-1&password=milik-saya-sendiri&password_again=milik-saya-sendiri").await;
    assert_eq!(changed.status, 303);
    let ended = http(addr, "GET", "/account", &[("Cookie", &theirs)], "").await;
    assert_ne!(ended.status, 200, "the session ended with the change");
    sign_in(addr, "petugas2.pkl", "milik-saya-sendiri").await;

    // The catalogue, read-only: partners, packages with their units, trainers, rooms.
    let catalogue = http(addr, "GET", "/admin/catalogue", &[("Cookie", &admin)], "").await;
    assert_eq!(catalogue.status, 200, "{}", catalogue.body);
    for shown in ["BLK-PKL", "JAHIT", "BLK-PKL-JHT-01", "Sri Wahyuningsih"] {
        assert!(
            catalogue.body.contains(shown),
            "the catalogue shows {shown}"
        );
    }

    // Facilities: registered, a code in use and a malformed code refused beside the field.
    let list = http(addr, "GET", "/admin/facilities", &[("Cookie", &admin)], "").await;
    assert!(list.body.contains("PKL"));
    let added = post(
        addr,
        "/admin/facilities",
        &admin,
        &list.body,
        "code=smg&name=Lapas+Kelas+I+Semarang&kind=lapas&region=Jawa+Tengah&city=Semarang",
    )
    .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let stored = facility::Entity::find()
        .filter(facility::Column::Code.eq("SMG"))
        .one(db.store.conn())
        .await
        .unwrap();
    assert_eq!(stored.unwrap().region.as_deref(), Some("Jawa Tengah"));
    let taken = post(
        addr,
        "/admin/facilities",
        &admin,
        &list.body,
        "code=PKL&name=Lagi&kind=lapas",
    )
    .await;
    assert_eq!(taken.status, 409);
    assert!(taken.body.contains("code-error") && taken.body.contains("value=\"Lagi\""));
    let malformed = post(
        addr,
        "/admin/facilities",
        &admin,
        &list.body,
        "code=S+M+G&name=X&kind=lapas",
    )
    .await;
    assert_eq!(malformed.status, 422);
    assert!(malformed.body.contains("code-error"), "{}", malformed.body);

    // The national calendar: a day added, a date already a holiday refused.
    let year = http(
        addr,
        "GET",
        "/admin/holidays?year=2026",
        &[("Cookie", &admin)],
        "",
    )
    .await;
    assert_eq!(year.status, 200);
    assert!(year.body.contains("Tahun Baru Masehi"));
    let added = post(
        addr,
        "/admin/holidays",
        &admin,
        &year.body,
        "facility=&year=2026&date=2026-12-31&name=Cuti+Bersama+Akhir+Tahun&kind=cuti_bersama",
    )
    .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let twice = post(
        addr,
        "/admin/holidays",
        &admin,
        &year.body,
        "facility=&year=2026&date=2026-01-01&name=Lagi&kind=national",
    )
    .await;
    assert_eq!(twice.status, 422);
    assert!(twice.body.contains("date-error"), "{}", twice.body);
    let national_day = holiday::Entity::find()
        .filter(holiday::Column::Name.eq("Cuti Bersama Akhir Tahun"))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(national_day.facility_id, None);
    assert_eq!(national_day.kind, "cuti_bersama");

    // A program officer keeps their own facility's days, whatever facility the form names.
    let officer = sign_in(addr, "petugas.pkl", PASSWORD).await;
    let theirs = http(
        addr,
        "GET",
        "/admin/holidays?year=2026&facility=SMG",
        &[("Cookie", &officer)],
        "",
    )
    .await;
    assert_eq!(theirs.status, 200);
    assert!(theirs.body.contains("· PKL") && theirs.body.contains("Cuti Bersama Akhir Tahun"));
    assert!(
        !theirs
            .body
            .contains(&format!("/admin/holidays/{}/delete", national_day.id)),
        "national days are not theirs to remove"
    );
    let local = post(
        addr,
        "/admin/holidays",
        &officer,
        &theirs.body,
        "facility=SMG&year=2026&date=2026-12-30&name=Hari+Jadi+Lapas&kind=national",
    )
    .await;
    assert_eq!(local.status, 303, "{}", local.body);
    let day = holiday::Entity::find()
        .filter(holiday::Column::Name.eq("Hari Jadi Lapas"))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    let pkl = facility::Entity::find()
        .filter(facility::Column::Code.eq("PKL"))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (day.facility_id, day.kind.as_str()),
        (Some(pkl.id), "local")
    );
    let not_theirs = post(
        addr,
        &format!("/admin/holidays/{}/delete", national_day.id),
        &officer,
        &theirs.body,
        "facility=&year=2026",
    )
    .await;
    assert_eq!(not_theirs.status, 404);
    let removed = post(
        addr,
        &format!("/admin/holidays/{}/delete", day.id),
        &officer,
        &theirs.body,
        "facility=&year=2026",
    )
    .await;
    assert_eq!(removed.status, 303);
    assert!(
        holiday::Entity::find_by_id(day.id)
            .one(db.store.conn())
            .await
            .unwrap()
            .is_none()
    );

    // Nobody else gets in.
    for path in [
        "/admin/accounts",
        "/admin/facilities",
        "/admin/accounts/new",
    ] {
        let r = http(addr, "GET", path, &[("Cookie", &officer)], "").await;
        assert_eq!(r.status, 403, "program officer GET {path}");
    }
    let trainer = sign_in(addr, "instruktur.pkl", PASSWORD).await;
    for path in ["/admin", "/admin/accounts", "/admin/holidays"] {
        let r = http(addr, "GET", path, &[("Cookie", &trainer)], "").await;
        assert_eq!(r.status, 403, "trainer GET {path}: {}", r.body);
    }
    let anonymous = http(addr, "GET", "/admin/accounts", &[], "").await;
    assert_ne!(anonymous.status, 200);
}
