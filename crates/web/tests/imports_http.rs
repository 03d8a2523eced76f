//! Importing inmates through the browser forms over real HTTP, both backends: the preview
//! writes nothing and lists each rejected cell; confirming imports the good rows; the error
//! report comes back as CSV; importing the same file again changes nothing; only the
//! facility's officers may import.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::accounts::{self, NewUser};
use bekal_app::facilities::{self, NewFacility};
use bekal_app::{Actor, App};
use bekal_domain::clock::FixedClock;
use bekal_domain::role::Role;
use bekal_domain::status::FacilityKind;
use bekal_store::entity::inmate;
use bekal_store::sea_orm::{EntityTrait, PaginatorTrait};
use bekal_store::testing::TestDatabase;
use std::net::SocketAddr;
use std::sync::Arc;

mod support;
use support::{csrf_in, hidden_value, http, sign_in};

const PASSWORD: &str = "kopi tubruk pagi hari";

const FILE: &str = "Nama,No Reg,Tanggal Lahir,JK,Tanggal Bebas\r\n\
\"Santoso, Agus\",B.I-1/2025,10 Jun 1990,L,01/12/2027\r\n\
Budi Wijaya,B.I-2/2025,bukan tanggal,L,01/12/2027\r\n\
Slamet Riyadi,B.I-3/2025,1985-03-04,L,01/12/2028\r\n";

bekal_store::on_both_backends!(
    preview_confirm_error_report_and_reimport,
    oversized_uploads_and_bodies_are_refused
);

fn multipart(csrf: &str, file: &str) -> (String, String) {
    let boundary = "----bekal-test-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n\
--{boundary}\r\nContent-Disposition: form-data; name=\"facility\"\r\n\r\nPKL\r\n\
--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"wbp.csv\"\r\n\
Content-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn inmates(db: &TestDatabase) -> u64 {
    inmate::Entity::find().count(db.store.conn()).await.unwrap()
}

async fn world(db: &TestDatabase) -> SocketAddr {
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
    for (name, role) in [
        ("petugas.pkl", Role::ProgramOfficer),
        ("kalapas.pkl", Role::FacilityHead),
    ] {
        accounts::create_user(
            &app,
            &operator,
            NewUser {
                username: name.into(),
                display_name: name.into(),
                password: PASSWORD.into(),
                role,
                facility_id: Some(facility.id),
                partner_id: None,
                region: None,
            },
        )
        .await
        .unwrap();
    }
    support::serve(app, bekal_web::WebSettings::default()).await
}

async fn preview_confirm_error_report_and_reimport(db: &TestDatabase) {
    let addr = world(db).await;
    let officer = sign_in(addr, "petugas.pkl", PASSWORD).await;
    let form = http(addr, "GET", "/imports", &[("Cookie", &officer)], "").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    let csrf = csrf_in(&form.body);

    // Without the CSRF token the upload is refused.
    let (kind, body) = multipart("wrong", FILE);
    let refused = http(
        addr,
        "POST",
        "/imports/preview",
        &[("Cookie", &officer), ("Content-Type", &kind)],
        &body,
    )
    .await;
    assert_eq!(refused.status, 403);

    let (kind, body) = multipart(&csrf, FILE);
    let preview = http(
        addr,
        "POST",
        "/imports/preview",
        &[("Cookie", &officer), ("Content-Type", &kind)],
        &body,
    )
    .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        preview.body.contains("bukan tanggal"),
        "the bad value is shown"
    );
    assert!(preview.body.contains("Tanggal Lahir"), "with its column");
    assert_eq!(inmates(db).await, 0, "a preview writes nothing");

    let confirm_body = format!(
        "csrf_token={csrf}&facility=PKL&file_name=wbp.csv&file_b64={}",
        encode(&hidden_value(&preview.body, "file_b64"))
    );
    let done = http(
        addr,
        "POST",
        "/imports/confirm",
        &[("Cookie", &officer)],
        &confirm_body,
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(inmates(db).await, 2, "the good rows went in");
    assert!(done.body.contains("Impor selesai"));

    let report = http(
        addr,
        "POST",
        "/imports/errors.csv",
        &[("Cookie", &officer)],
        &confirm_body,
    )
    .await;
    assert_eq!(report.status, 200);
    assert!(
        report
            .header("content-type")
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        report.body.contains("Budi Wijaya") && !report.body.contains("Slamet"),
        "{}",
        report.body
    );

    // The same file again: nothing new, nothing changed.
    let again = http(
        addr,
        "POST",
        "/imports/confirm",
        &[("Cookie", &officer)],
        &confirm_body,
    )
    .await;
    assert_eq!(again.status, 200);
    assert_eq!(inmates(db).await, 2);
    let unchanged_row = again.body.split("Tidak berubah").nth(1).unwrap();
    assert!(
        unchanged_row.contains(">2<"),
        "two unchanged: {unchanged_row}"
    );

    // A facility head reads but does not import.
    let head = sign_in(addr, "kalapas.pkl", PASSWORD).await;
    assert_eq!(
        http(addr, "GET", "/imports", &[("Cookie", &head)], "")
            .await
            .status,
        403
    );
}

/// An upload over the 20 MB limit is refused on the form with the limit named (the page keeps
/// working), and a JSON body over the 2 MB limit with 413; nothing is written.
async fn oversized_uploads_and_bodies_are_refused(db: &TestDatabase) {
    let addr = world(db).await;
    let officer = sign_in(addr, "petugas.pkl", PASSWORD).await;
    let form = http(addr, "GET", "/imports", &[("Cookie", &officer)], "").await;
    let csrf = csrf_in(&form.body);
    let mut big = String::from(FILE);
    let line = "Warga Binaan,B.I-9/2025,1985-03-04,L,01/12/2028\r\n";
    while big.len() < 21 * 1024 * 1024 {
        big.push_str(line);
    }
    let (kind, body) = multipart(&csrf, &big);
    let refused = http(
        addr,
        "POST",
        "/imports/preview",
        &[("Cookie", &officer), ("Content-Type", &kind)],
        &body,
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("20 MB"), "the limit is named");
    assert_eq!(inmates(db).await, 0);

    let json = format!("{{\"padding\":\"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let refused = http(
        addr,
        "POST",
        "/api/sessions/1/attendance",
        &[
            ("Cookie", &officer),
            ("Content-Type", "application/json"),
            ("X-CSRF-Token", &csrf),
        ],
        &json,
    )
    .await;
    assert_eq!(
        refused.status,
        413,
        "{}",
        &refused.body[..refused.body.len().min(300)]
    );
}
