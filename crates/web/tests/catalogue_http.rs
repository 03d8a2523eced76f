//! Editing the programme catalogue over real HTTP on the demo world, both backends: a
//! national administrator changes a partner (a broken number format comes back at its field
//! with what was typed), makes a unit and a package with it and changes the package's unit
//! list until a class uses it (then the list is fixed: certificates list those units), keeps
//! a trainer's skills and unavailable days; a program officer keeps their own facility's
//! rooms and cannot reach another's; every change is in the audit log with before and after;
//! nobody else gets in.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::{App, demo};
use bekal_domain::clock::{Clock, FixedClock};
use bekal_store::entity::{
    audit_log, partner, room, trainer, trainer_skill, trainer_unavailability,
};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use std::net::SocketAddr;
use std::sync::Arc;

mod support;
use support::{csrf_in, http, sign_in};

const PASSWORD: &str = demo::DEMO_PASSWORD;

bekal_store::on_both_backends!(the_catalogue_is_kept_on_screen);

async fn get(addr: SocketAddr, path: &str, who: &str) -> support::Reply {
    http(addr, "GET", path, &[("Cookie", who)], "").await
}

async fn post(addr: SocketAddr, path: &str, who: &str, body: &str) -> support::Reply {
    let page = get(addr, "/account", who).await;
    let form = format!("csrf_token={}&{body}", csrf_in(&page.body));
    http(addr, "POST", path, &[("Cookie", who)], &form).await
}

async fn audited(db: &TestDatabase, entity: &str, action: &str) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Entity.eq(entity))
        .filter(audit_log::Column::Action.eq(action))
        .count(db.store.conn())
        .await
        .unwrap()
}

async fn the_catalogue_is_kept_on_screen(db: &TestDatabase) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let clock = FixedClock::at_day(today);
    let app = App::new(db.store.clone(), Arc::new(clock));
    demo::build(&app, today, None).await.unwrap();
    support::add_outsiders(&app).await;
    let addr = support::serve(app.clone(), bekal_web::WebSettings::default()).await;
    let admin = support::admin_session(addr, clock.now()).await;
    let officer = sign_in(addr, "petugas.pkl", PASSWORD).await;
    let other_officer = sign_in(addr, "petugas.sby", PASSWORD).await;
    let partner_staff = sign_in(addr, "blk.pkl", PASSWORD).await;

    let counted = [
        ("room", "create"),
        ("room", "update"),
        ("trainer_skill", "create"),
        ("trainer_skill", "delete"),
        ("trainer_unavailability", "delete"),
        ("package_unit", "delete"),
        ("partner", "update"),
    ];
    let mut before = Vec::new();
    for (entity, action) in counted {
        before.push(audited(db, entity, action).await);
    }

    // The overview links every record to its form.
    let overview = get(addr, "/admin/catalogue", &admin).await;
    assert_eq!(overview.status, 200, "{}", overview.body);
    for link in [
        "/admin/catalogue/partner?code=BLK-PKL",
        "/admin/catalogue/package?code=JAHIT",
        "/admin/catalogue/trainer?id=",
        "/admin/catalogue/unit",
    ] {
        assert!(overview.body.contains(link), "{link}");
    }
    for (who, path) in [
        (&officer, "/admin/catalogue/partner?code=BLK-PKL"),
        (&partner_staff, "/admin/catalogue/package?code=JAHIT"),
        (&officer, "/admin/catalogue/trainer"),
    ] {
        assert_eq!(get(addr, path, who).await.status, 403, "{path}");
    }

    // A partner: a broken number format is refused at its field, what was typed stays.
    let form = get(addr, "/admin/catalogue/partner?code=BLK-PKL", &admin).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("value=\"{partner}/{year}/{seq:05}\""));
    let base = "existing=yes&code=BLK-PKL&name=UPTD+BLK+Kota+Pekalongan&kind=training_centre&city=Pekalongan&head_title=Kepala+UPTD&issuer_did_method=key&active=on";
    let bad = post(
        addr,
        "/admin/catalogue/partner",
        &admin,
        &format!(
            "{base}&head_name=Drs.+Budi&certificate_number_format=%7Bpartner%7D%2F%7Btahun%7D"
        ),
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("f-certificate_number_format-error"));
    assert!(bad.body.contains("value=\"Drs. Budi\""), "typed text kept");
    let repeating = post(
        addr,
        "/admin/catalogue/partner",
        &admin,
        &format!("{base}&head_name=Drs.+Budi&certificate_number_format=%7Bpartner%7D%2F%7Byear%7D"),
    )
    .await;
    assert_eq!(
        repeating.status, 422,
        "numbers would repeat: {}",
        repeating.body
    );
    let again = post(
        addr,
        "/admin/catalogue/partner",
        &admin,
        &format!(
            "{}&head_name=X&certificate_number_format=%7Bpartner%7D%2F%7Bseq%7D",
            base.replacen("existing=yes&", "", 1)
        ),
    )
    .await;
    assert_eq!(
        again.status, 422,
        "a new partner may not take a code: {}",
        again.body
    );
    assert!(again.body.contains("f-code-error"), "{}", again.body);
    let sequence_before = partner::Entity::find()
        .filter(partner::Column::Code.eq("BLK-PKL"))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap()
        .certificate_sequence;
    let saved = post(
        addr,
        "/admin/catalogue/partner",
        &admin,
        &format!("{base}&head_name=Drs.+Budi&certificate_number_format=SERT%2F%7Bpartner%7D%2F%7Byear%7D%2F%7Bseq%3A04%7D"),
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let blk = partner::Entity::find()
        .filter(partner::Column::Code.eq("BLK-PKL"))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(blk.head_name.as_deref(), Some("Drs. Budi"));
    assert_eq!(
        blk.certificate_number_format,
        "SERT/{partner}/{year}/{seq:04}"
    );
    assert_eq!(
        blk.certificate_sequence, sequence_before,
        "the running number is kept"
    );

    // A unit, then a package with it; its unit list changes freely until a class uses it.
    let unit =
        "code=BLK-PKL-RTN-01&version=1&title=Menata+ruang&hours_jp=24&standard=Kurikulum+BLK";
    assert_eq!(
        post(addr, "/admin/catalogue/unit", &admin, unit)
            .await
            .status,
        303
    );
    let again = post(addr, "/admin/catalogue/unit", &admin, unit).await;
    assert_eq!(again.status, 409, "a unit version is fixed: {}", again.body);
    let package = "code=RUMAH&name=Tata+Graha&hours_jp=144&duration_days=18&capacity=10&min_size=4&trainer_skill=JAHIT&min_attendance_percent=80&active=on";
    let made = post(
        addr,
        "/admin/catalogue/package",
        &admin,
        &format!("{package}&units=BLK-PKL-RTN-01%2C+NOPE-1"),
    )
    .await;
    assert_eq!(made.status, 422, "{}", made.body);
    assert!(made.body.contains("f-units-error") && made.body.contains("NOPE-1"));
    let made = post(
        addr,
        "/admin/catalogue/package",
        &admin,
        &format!("{package}&units=BLK-PKL-RTN-01"),
    )
    .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let changed = post(
        addr,
        "/admin/catalogue/package",
        &admin,
        &format!("existing=yes&{package}&units=BLK-PKL-RTN-01%2C+BLK-PKL-JHT-01"),
    )
    .await;
    assert_eq!(changed.status, 303, "no class yet: {}", changed.body);
    let shown = get(addr, "/admin/catalogue/package?code=RUMAH", &admin).await;
    assert!(
        shown
            .body
            .contains("value=\"BLK-PKL-RTN-01, BLK-PKL-JHT-01\"")
    );
    // JAHIT has classes: its description may change; its unit list, hours and attendance
    // rule may not (its certificates and completion depend on them), and a new version of
    // one of its units does not move it.
    let jahit = get(addr, "/admin/catalogue/package?code=JAHIT", &admin).await;
    assert!(
        jahit
            .body
            .contains("value=\"BLK-PKL-JHT-01, BLK-PKL-JHT-02, BLK-PKL-JHT-03\""),
        "{}",
        jahit.body
    );
    let jahit_form = |hours: u32, units: &str| {
        format!(
            "existing=yes&code=JAHIT&name=Menjahit&hours_jp={hours}&duration_days=18&capacity=10&min_size=6&max_classes=1&trainer_skill=JAHIT&min_attendance_percent=80&active=on&description=Menjahit+pakaian&units={units}"
        )
    };
    let all_three = "BLK-PKL-JHT-01%2C+BLK-PKL-JHT-02%2C+BLK-PKL-JHT-03";
    let hours = post(
        addr,
        "/admin/catalogue/package",
        &admin,
        &jahit_form(144, all_three),
    )
    .await;
    assert_eq!(hours.status, 422, "{}", hours.body);
    assert!(hours.body.contains("f-hours_jp-error"), "{}", hours.body);
    let fixed = post(
        addr,
        "/admin/catalogue/package",
        &admin,
        &jahit_form(160, "BLK-PKL-JHT-01"),
    )
    .await;
    assert_eq!(fixed.status, 422, "{}", fixed.body);
    assert!(fixed.body.contains("f-units-error") && fixed.body.contains("make a new package"));
    let v2 =
        "code=BLK-PKL-JHT-01&version=2&title=Menjahit+dasar&hours_jp=40&standard=Kurikulum+BLK";
    assert_eq!(
        post(addr, "/admin/catalogue/unit", &admin, v2).await.status,
        303
    );
    let described = post(
        addr,
        "/admin/catalogue/package",
        &admin,
        &jahit_form(160, all_three),
    )
    .await;
    assert_eq!(described.status, 303, "{}", described.body);
    // A new package may not take an existing code.
    let taken = post(
        addr,
        "/admin/catalogue/package",
        &admin,
        &format!("{package}&code=JAHIT&units=").replacen("code=RUMAH&", "", 1),
    )
    .await;
    assert_eq!(taken.status, 422, "{}", taken.body);
    assert!(taken.body.contains("f-code-error"));

    // A trainer: skills replaced, a period without teaching added and removed.
    let sri = trainer::Entity::find()
        .filter(trainer::Column::Name.eq("Sri Wahyuningsih"))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    let trainer_form = format!(
        "id={}&partner=BLK-PKL&name=Sri+Wahyuningsih&skills=JAHIT%2C+BORDIR&active=on",
        sri.id
    );
    let saved = post(addr, "/admin/catalogue/trainer", &admin, &trainer_form).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let mut skills: Vec<String> = trainer_skill::Entity::find()
        .filter(trainer_skill::Column::TrainerId.eq(sri.id))
        .all(db.store.conn())
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.skill)
        .collect();
    skills.sort();
    assert_eq!(skills, ["BORDIR", "JAHIT"]);
    let backwards = post(
        addr,
        "/admin/catalogue/trainer/unavailable",
        &admin,
        &format!(
            "trainer_id={}&from=2027-01-10&to=2027-01-05&reason=cuti",
            sri.id
        ),
    )
    .await;
    assert_eq!(backwards.status, 422, "{}", backwards.body);
    assert!(
        backwards.body.contains("value=\"2027-01-10\""),
        "typed dates kept"
    );
    let added = post(
        addr,
        "/admin/catalogue/trainer/unavailable",
        &admin,
        &format!(
            "trainer_id={}&from=2027-01-05&to=2027-01-10&reason=cuti",
            sri.id
        ),
    )
    .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let gap = trainer_unavailability::Entity::find()
        .filter(trainer_unavailability::Column::TrainerId.eq(sri.id))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    let page = get(
        addr,
        &format!("/admin/catalogue/trainer?id={}", sri.id),
        &admin,
    )
    .await;
    assert!(
        page.body
            .contains(&format!("/unavailable/{}/delete", gap.id))
    );
    let removed = post(
        addr,
        &format!("/admin/catalogue/trainer/unavailable/{}/delete", gap.id),
        &admin,
        "",
    )
    .await;
    assert_eq!(removed.status, 303);
    assert!(
        trainer_unavailability::Entity::find_by_id(gap.id)
            .one(db.store.conn())
            .await
            .unwrap()
            .is_none()
    );

    // Rooms: the officer keeps their own facility's, never another's.
    let rooms = get(addr, "/admin/rooms", &officer).await;
    assert_eq!(rooms.status, 200, "{}", rooms.body);
    let room_form =
        "facility=PKL&code=R9&name=Bengkel+baru&capacity=12&packages=LAS%2C+AC&active=on";
    let made = post(addr, "/admin/rooms", &officer, room_form).await;
    assert_eq!(made.status, 303, "{}", made.body);
    let r9 = room::Entity::find()
        .filter(room::Column::Code.eq("R9"))
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r9.capacity, 12);
    let bad = post(
        addr,
        "/admin/rooms",
        &officer,
        "facility=PKL&existing=yes&code=R9&name=Bengkel+baru&capacity=0&active=on",
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let off = post(
        addr,
        "/admin/rooms",
        &officer,
        "facility=PKL&existing=yes&code=R9&name=Bengkel+baru&capacity=12",
    )
    .await;
    assert_eq!(off.status, 303);
    assert!(
        !room::Entity::find_by_id(r9.id)
            .one(db.store.conn())
            .await
            .unwrap()
            .unwrap()
            .active
    );
    // Another facility's officer naming PKL works on their own facility instead.
    let elsewhere = post(addr, "/admin/rooms", &other_officer, room_form).await;
    assert_eq!(elsewhere.status, 303);
    let theirs = room::Entity::find()
        .filter(room::Column::Code.eq("R9"))
        .all(db.store.conn())
        .await
        .unwrap();
    assert_eq!(theirs.len(), 2, "one R9 each");
    assert!(
        theirs
            .iter()
            .all(|r| r.id == r9.id || r.facility_id != r9.facility_id)
    );
    assert_eq!(get(addr, "/admin/rooms", &partner_staff).await.status, 403);
    assert_eq!(
        get(addr, "/admin/rooms", &admin).await.status,
        303,
        "the administrator chooses a facility first"
    );
    assert_eq!(
        get(addr, "/admin/rooms?facility=PKL", &admin).await.status,
        200
    );

    let mut added = Vec::new();
    for ((entity, action), was) in counted.iter().zip(&before) {
        added.push((*entity, *action, audited(db, entity, action).await - was));
    }
    assert_eq!(
        added,
        [
            ("room", "create", 2),
            ("room", "update", 1),
            ("trainer_skill", "create", 1),
            ("trainer_skill", "delete", 1),
            ("trainer_unavailability", "delete", 1),
            ("package_unit", "delete", 1),
            ("partner", "update", 1),
        ],
        "every change audited, refused ones not"
    );
}
