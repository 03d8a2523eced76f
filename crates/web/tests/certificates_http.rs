//! Certificates over real HTTP on the demo world, both backends: the partner's class page,
//! the printable PDF, issuing again (nothing issued twice), revocation with a reason and a
//! confirmation, and the public page showing it revoked without a word about the prison; the
//! holder's download slip and the holder's own pages and files, no sign-in.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::certificates::CertificateConfig;
use bekal_app::{App, demo};
use bekal_domain::clock::FixedClock;
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use serde_json::Value;
use std::sync::Arc;

mod support;
use support::{csrf_in, http, sign_in};

const PASSWORD: &str = demo::DEMO_PASSWORD;

bekal_store::on_both_backends!(
    partners_print_and_revoke_and_the_public_page_agrees,
    holders_download_with_the_code_on_their_slip,
    public_routes_are_rate_limited_per_address,
    a_did_web_partner_serves_its_did_document,
);

/// The certificate numbers on a class page.
fn numbers(page: &str) -> Vec<String> {
    page.split("href=\"/verify?number=")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().replace("%2F", "/"))
        .collect()
}

async fn partners_print_and_revoke_and_the_public_page_agrees(db: &TestDatabase) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let app = App::new(db.store.clone(), Arc::new(FixedClock::at_day(today)));
    let keys = tempfile::tempdir().unwrap();
    let config = CertificateConfig::new(keys.path(), "https://verify.bekal.example");
    demo::build(&app, today, Some(&config)).await.unwrap();
    let settings = bekal_web::WebSettings {
        cookie_secure: false,
        certificates: Some(config),
        ..Default::default()
    };
    let addr = support::serve(app, settings).await;
    let partner = sign_in(addr, "blk.pkl", PASSWORD).await;
    let officer = sign_in(addr, "petugas.pkl", PASSWORD).await;

    let classes: Value = http(addr, "GET", "/api/classes", &[("Cookie", &partner)], "")
        .await
        .json();
    let finished = classes
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "finished")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let path = format!("/classes/{finished}/certificates");
    let page = http(addr, "GET", &path, &[("Cookie", &partner)], "").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let issued = numbers(&page.body);
    assert!(!issued.is_empty(), "the demo certified stage 1");
    assert!(
        page.body.contains("/certificates/revoke?number="),
        "the partner may revoke: {}",
        page.body
    );
    // The facility's officer sees the list but neither issues nor revokes.
    let seen = http(addr, "GET", &path, &[("Cookie", &officer)], "").await;
    assert_eq!(seen.status, 200);
    assert_eq!(numbers(&seen.body), issued);
    assert!(!seen.body.contains("/certificates/revoke?number="));

    let pdf = http(
        addr,
        "GET",
        &format!("{path}.pdf"),
        &[("Cookie", &partner)],
        "",
    )
    .await;
    assert_eq!(pdf.status, 200);
    assert_eq!(
        pdf.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert!(pdf.bytes.starts_with(b"%PDF"));
    // The PDF names the holders: handing it out is an audited read.
    use bekal_store::entity::audit_log;
    use bekal_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let reads = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("read"))
        .filter(audit_log::Column::Entity.eq("class"))
        .all(db.store.conn())
        .await
        .unwrap();
    assert!(
        reads
            .iter()
            .any(|r| r.changes.contains("certificate PDF") && r.actor.contains("blk.pkl")),
        "the PDF download is audited: {:?}",
        reads.iter().map(|r| &r.changes).collect::<Vec<_>>()
    );

    // Issuing again asks first, then issues nothing twice.
    let csrf = csrf_in(&page.body);
    let ask = http(
        addr,
        "POST",
        &path,
        &[("Cookie", &partner)],
        &format!("csrf_token={csrf}"),
    )
    .await;
    assert_eq!(ask.status, 200);
    assert!(ask.body.contains("name=\"confirmed\""));
    let again = http(
        addr,
        "POST",
        &path,
        &[("Cookie", &partner)],
        &format!("csrf_token={csrf}&confirmed=yes"),
    )
    .await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(numbers(&again.body), issued, "nothing issued twice");

    // Revoking: a reason is required, then a confirmation.
    let number = issued[0].clone();
    let encoded = number.replace('/', "%2F");
    let blank = http(
        addr,
        "POST",
        "/certificates/revoke",
        &[("Cookie", &partner)],
        &format!("csrf_token={csrf}&number={encoded}&reason="),
    )
    .await;
    assert_eq!(blank.status, 422);
    let confirm = http(
        addr,
        "POST",
        "/certificates/revoke",
        &[("Cookie", &partner)],
        &format!("csrf_token={csrf}&number={encoded}&reason=data+salah"),
    )
    .await;
    assert_eq!(confirm.status, 200);
    assert!(confirm.body.contains("name=\"confirmed\"") && confirm.body.contains("data salah"));
    let public_before = http(addr, "GET", &format!("/verify?number={encoded}"), &[], "").await;
    assert!(public_before.body.contains("SAH"), "{}", public_before.body);
    let officer_csrf = csrf_in(&seen.body);
    let refused = http(
        addr,
        "POST",
        "/certificates/revoke",
        &[("Cookie", &officer)],
        &format!("csrf_token={officer_csrf}&number={encoded}&reason=x&confirmed=yes"),
    )
    .await;
    assert_eq!(refused.status, 403, "only the partner revokes");
    let done = http(
        addr,
        "POST",
        "/certificates/revoke",
        &[("Cookie", &partner)],
        &format!("csrf_token={csrf}&number={encoded}&reason=data+salah&confirmed=yes"),
    )
    .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let public = http(addr, "GET", &format!("/verify?number={encoded}"), &[], "").await;
    assert_eq!(public.status, 200);
    assert!(public.body.contains("DICABUT"), "{}", public.body);
    // (The issuer is "UPTD BLK Kota Pekalongan": the city is the partner's, not a prison's.)
    for word in [
        "Lapas",
        "Rutan",
        "WBP",
        "warga binaan",
        "pidana",
        "register",
    ] {
        assert!(!public.body.contains(word), "the public page says {word}");
    }
    let english = http(
        addr,
        "GET",
        &format!("/verify?number={encoded}&lang=en"),
        &[],
        "",
    )
    .await;
    assert!(english.body.contains("<html lang=\"en\">"));
    for word in ["prison", "Prison", "inmate", "Inmate", "Lapas"] {
        assert!(
            !english.body.contains(word),
            "the English public page says {word}"
        );
    }
}

/// The text between `start` and the next `end` in `page`.
fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let from = page.find(start).unwrap() + start.len();
    let len = page[from..].find(end).unwrap();
    &page[from..from + len]
}

async fn holders_download_with_the_code_on_their_slip(db: &TestDatabase) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let app = App::new(db.store.clone(), Arc::new(FixedClock::at_day(today)));
    let keys = tempfile::tempdir().unwrap();
    let config = CertificateConfig::new(keys.path(), "https://bekal.example.go.id");
    demo::build(&app, today, Some(&config)).await.unwrap();
    let settings = bekal_web::WebSettings {
        cookie_secure: false,
        certificates: Some(config),
        ..Default::default()
    };
    let addr = support::serve(app, settings).await;
    let officer = sign_in(addr, "petugas.pkl", PASSWORD).await;
    let trainer = sign_in(addr, "instruktur.pkl", PASSWORD).await;
    let classes: Value = http(addr, "GET", "/api/classes", &[("Cookie", &officer)], "")
        .await
        .json();
    let finished = classes
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "finished")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let path = format!("/classes/{finished}/certificates");
    let page = http(addr, "GET", &path, &[("Cookie", &officer)], "").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("action=\"/certificates/holder-link\""));
    let number = numbers(&page.body)[0].clone();
    let encoded = number.replace('/', "%2F");
    let csrf = csrf_in(&page.body);
    let key = between(&page.body, "name=\"request_key\" value=\"", "\"").to_owned();
    let form = format!("csrf_token={csrf}&number={encoded}&class_id={finished}&request_key={key}");

    // The slip: shown once, not cached, with the address, the code and its QR code, and
    // nothing about the prison.
    let slip = http(
        addr,
        "POST",
        "/certificates/holder-link",
        &[("Cookie", &officer)],
        &form,
    )
    .await;
    assert_eq!(slip.status, 200, "{}", slip.body);
    assert_eq!(
        slip.header("cache-control").as_deref(),
        Some("private, no-store")
    );
    let printed = between(&slip.body, "<section class=\"slip\"", "</section>");
    assert!(printed.contains("https://bekal.example.go.id/unduh"));
    assert!(printed.contains("<svg"), "QR code: {printed}");
    for word in ["Lapas", "warga binaan", "Rutan"] {
        assert!(!printed.contains(word), "{word} on the slip: {printed}");
    }
    let grouped = between(printed, "data-code>", "<").to_owned();
    // A reload of the slip (the same form again) does not replace the code just printed.
    let reload = http(
        addr,
        "POST",
        "/certificates/holder-link",
        &[("Cookie", &officer)],
        &form,
    )
    .await;
    assert_eq!(reload.status, 409, "{}", reload.body);
    assert!(!reload.body.contains("data-code"));
    assert_eq!(grouped.len(), 23, "{grouped}");
    let code = grouped.replace('-', "");

    // The holder, not signed in: the form takes the code as typed from the slip.
    let typed = http(
        addr,
        "GET",
        &format!("/unduh?kode={}", grouped.to_lowercase()),
        &[],
        "",
    )
    .await;
    assert_eq!(typed.status, 303);
    assert_eq!(
        typed.header("location").as_deref(),
        Some(format!("/unduh/{code}").as_str())
    );
    let own = http(addr, "GET", &format!("/unduh/{code}"), &[], "").await;
    assert_eq!(own.status, 200, "{}", own.body);
    assert_eq!(own.header("x-robots-tag").as_deref(), Some("noindex"));
    assert_eq!(
        own.header("cache-control").as_deref(),
        Some("private, no-store")
    );
    assert!(own.body.contains(&number));
    assert!(own.body.contains(&format!("/unduh/{code}/sertifikat.pdf")));
    for word in ["Lapas", "warga binaan", "Rutan"] {
        assert!(!own.body.contains(word), "{word} on the holder's page");
    }
    let pdf = http(
        addr,
        "GET",
        &format!("/unduh/{code}/sertifikat.pdf"),
        &[],
        "",
    )
    .await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.bytes.starts_with(b"%PDF"));
    let file = http(
        addr,
        "GET",
        &format!("/unduh/{code}/sertifikat.json"),
        &[],
        "",
    )
    .await;
    assert_eq!(file.status, 200);
    assert!(
        file.header("content-disposition")
            .unwrap()
            .contains(&format!("{}.json", number.replace('/', "-")))
    );
    let credential = file.json();
    assert_eq!(credential["type"][1], "OpenBadgeCredential");
    assert_eq!(credential["proof"]["cryptosuite"], "eddsa-jcs-2022");

    // A trainer hands nothing over; a wrong code is a plain 404.
    let refused = http(
        addr,
        "POST",
        "/certificates/holder-link",
        &[("Cookie", &trainer)],
        &format!(
            "csrf_token={}&number={encoded}",
            csrf_in(
                &http(addr, "GET", "/account", &[("Cookie", &trainer)], "")
                    .await
                    .body
            )
        ),
    )
    .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let wrong = http(addr, "GET", "/unduh/0000000000000000000A", &[], "").await;
    assert_eq!(wrong.status, 404);

    // Withdrawn: the code stops working at once.
    let gone = http(
        addr,
        "POST",
        "/certificates/holder-link/withdraw",
        &[("Cookie", &officer)],
        &form,
    )
    .await;
    assert_eq!(gone.status, 303);
    assert_eq!(
        gone.header("location").as_deref(),
        Some(format!("{path}?notice=holder-link-withdrawn").as_str())
    );
    let after = http(addr, "GET", &format!("/unduh/{code}"), &[], "").await;
    assert_eq!(after.status, 404);
    let file = http(
        addr,
        "GET",
        &format!("/unduh/{code}/sertifikat.json"),
        &[],
        "",
    )
    .await;
    assert_eq!(file.status, 404);
}

async fn public_routes_are_rate_limited_per_address(db: &TestDatabase) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let app = App::new(db.store.clone(), Arc::new(FixedClock::at_day(today)));
    let settings = bekal_web::WebSettings {
        public_requests_per_minute: Some(3),
        ..Default::default()
    };
    let addr = support::serve(app, settings).await;
    let mut statuses = Vec::new();
    for path in [
        "/verify",
        "/unduh",
        "/unduh/0000000000000000000A",
        "/verify",
        "/unduh",
    ] {
        statuses.push(http(addr, "GET", path, &[], "").await.status);
    }
    assert_eq!(statuses, [200, 200, 404, 429, 429]);
    let limited = http(addr, "GET", "/unduh", &[], "").await;
    assert!(limited.header("retry-after").is_some());
    // Signed-in pages are not counted: the sign-in page still answers.
    assert_eq!(http(addr, "GET", "/login", &[], "").await.status, 200);
}

async fn a_did_web_partner_serves_its_did_document(db: &TestDatabase) {
    use bekal_app::catalogue_edit;
    use bekal_store::sea_orm::EntityTrait;
    let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let app = App::new(db.store.clone(), Arc::new(FixedClock::at_day(today)));
    let keys = tempfile::tempdir().unwrap();
    let config = CertificateConfig::new(keys.path(), "https://bekal.example.go.id");
    demo::build(&app, today, Some(&config)).await.unwrap();
    let operator = bekal_app::Actor::Operator {
        label: "test".into(),
    };
    let addr = support::serve(
        app.clone(),
        bekal_web::WebSettings {
            certificates: Some(config.clone()),
            ..Default::default()
        },
    )
    .await;
    // The demo's partner signs with did:key: no document.
    let none = http(addr, "GET", "/issuers/BLK-PKL/did.json", &[], "").await;
    assert_eq!(none.status, 404);
    let mut partner = catalogue_edit::partner_of(&app, &operator, "BLK-PKL")
        .await
        .unwrap()
        .unwrap();
    partner.issuer_did_method = "web".into();
    catalogue_edit::save_partner(&app, &operator, &partner)
        .await
        .unwrap();
    let did = bekal_app::certificates::rotate_key(&app, &operator, &config, "BLK-PKL")
        .await
        .unwrap();
    assert_eq!(did, "did:web:bekal.example.go.id:issuers:BLK-PKL");
    let served = http(addr, "GET", "/issuers/BLK-PKL/did.json", &[], "").await;
    assert_eq!(served.status, 200, "{}", served.body);
    assert_eq!(
        served.header("content-type").as_deref(),
        Some("application/did+json")
    );
    let document = served.json();
    assert_eq!(document["id"], did.as_str());
    assert_eq!(
        document["verificationMethod"][0]["id"],
        format!("{did}#key-1").as_str()
    );
    // The certificates signed before with did:key still verify.
    let classes = bekal_store::entity::certificate::Entity::find()
        .one(db.store.conn())
        .await
        .unwrap()
        .unwrap();
    let public: Value = http(
        addr,
        "GET",
        &format!(
            "/api/public/certificates/{}",
            classes.number.replace('/', "%2F")
        ),
        &[],
        "",
    )
    .await
    .json();
    assert_eq!(public["status"], "valid", "{public}");
    assert!(
        public["issuer_did"]
            .as_str()
            .unwrap()
            .starts_with("did:key:")
    );
}
