//! Delivery over real HTTP on the demo world, both backends: who sees which class and which
//! fields, the attendance sheet (page and JSON API: CSRF header, idempotent retries, version
//! conflicts that keep the officer's input), the K/BK grid, and the OpenAPI document.

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::{App, demo};
use bekal_domain::clock::FixedClock;
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::Arc;

mod support;
use support::{csrf_in, hidden_value, http, sign_in};

const PASSWORD: &str = demo::DEMO_PASSWORD;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
}

async fn demo_server(db: &TestDatabase) -> SocketAddr {
    let app = App::new(db.store.clone(), Arc::new(FixedClock::at_day(today())));
    demo::build(&app, today(), None).await.unwrap();
    support::serve(app, bekal_web::WebSettings::default()).await
}

async fn get_json(addr: SocketAddr, path: &str, who: &str) -> (u16, Value) {
    let reply = http(addr, "GET", path, &[("Cookie", who)], "").await;
    let body = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    (reply.status, body)
}

bekal_store::on_both_backends!(
    trainers_see_their_own_classes_without_register_numbers,
    attendance_api_is_idempotent_and_detects_conflicts,
    attendance_page_keeps_input_on_conflict,
    assessors_record_unit_results_in_one_batch,
    openapi_document_lists_the_delivery_api,
    officers_move_and_cancel_sessions,
);

async fn trainers_see_their_own_classes_without_register_numbers(db: &TestDatabase) {
    let addr = demo_server(db).await;
    let officer = sign_in(addr, "petugas.pkl", PASSWORD).await;
    let trainer = sign_in(addr, "instruktur.pkl", PASSWORD).await;

    let (status, all) = get_json(addr, "/api/classes", &officer).await;
    assert_eq!(status, 200);
    let all = all.as_array().unwrap().clone();
    assert!(all.len() >= 6, "the demo has classes in three stages");
    let (status, own) = get_json(addr, "/api/classes", &trainer).await;
    assert_eq!(status, 200);
    let own = own.as_array().unwrap().clone();
    assert!(!own.is_empty() && own.len() < all.len(), "{own:?}");
    let own_ids: Vec<i64> = own.iter().map(|c| c["id"].as_i64().unwrap()).collect();
    let other = all
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .find(|id| !own_ids.contains(id))
        .unwrap();

    // Another trainer's class does not exist for this trainer, on the page and in the API.
    let (status, _) = get_json(addr, &format!("/api/classes/{other}"), &trainer).await;
    assert_eq!(status, 404);
    let page = http(
        addr,
        "GET",
        &format!("/classes/{other}"),
        &[("Cookie", &trainer)],
        "",
    )
    .await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains("<html"), "an HTML error page");

    // The officer sees register numbers; the trainer sees the same roster without them.
    let class = own_ids[0];
    let (_, seen_by_officer) = get_json(addr, &format!("/api/classes/{class}"), &officer).await;
    let registers: Vec<String> = seen_by_officer["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["register_number"].as_str().unwrap().to_owned())
        .collect();
    assert!(!registers.is_empty());
    let (_, seen_by_trainer) = get_json(addr, &format!("/api/classes/{class}"), &trainer).await;
    assert!(
        seen_by_trainer["roster"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["register_number"].is_null())
    );
    let page = http(
        addr,
        "GET",
        &format!("/classes/{class}"),
        &[("Cookie", &trainer)],
        "",
    )
    .await;
    assert_eq!(page.status, 200);
    for register in &registers {
        assert!(
            !page.body.contains(register.as_str()),
            "{register} shown to a trainer"
        );
    }
    let roster = http(
        addr,
        "GET",
        &format!("/classes/{class}/roster"),
        &[("Cookie", &trainer)],
        "",
    )
    .await;
    assert_eq!(roster.status, 200);
    // The printable register: the trainer's own class, names and marks, no register numbers;
    // another trainer's class is refused.
    let register = http(
        addr,
        "GET",
        &format!("/classes/{class}/register"),
        &[("Cookie", &trainer)],
        "",
    )
    .await;
    assert_eq!(register.status, 200, "{}", register.body);
    assert!(register.body.contains("table class=\"sheet register\""));
    assert!(
        register.body.contains("<td class=\"mark\">H</td>"),
        "recorded sessions are marked: {}",
        register.body
    );
    assert!(
        register.body.contains("<td class=\"mark\"></td>"),
        "sessions to come are empty"
    );
    for register_number in &registers {
        assert!(!register.body.contains(register_number.as_str()));
    }
    let elsewhere = http(
        addr,
        "GET",
        &format!("/classes/{other}/register"),
        &[("Cookie", &trainer)],
        "",
    )
    .await;
    assert_eq!(elsewhere.status, 403);
    // The probation officer has no business with classes at all.
    let bapas = sign_in(addr, "bapas.pkl", PASSWORD).await;
    let (status, _) = get_json(addr, "/api/classes", &bapas).await;
    assert_eq!(status, 403);
}

/// A held session of the trainer's class, with its sheet.
async fn trainer_session(addr: SocketAddr, trainer: &str) -> (i64, Value) {
    let (_, classes) = get_json(addr, "/api/classes", trainer).await;
    for class in classes.as_array().unwrap() {
        let id = class["id"].as_i64().unwrap();
        let (_, detail) = get_json(addr, &format!("/api/classes/{id}"), trainer).await;
        if let Some(session) = detail["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["sheet_version"].as_i64().unwrap_or(0) > 0)
        {
            let session_id = session["id"].as_i64().unwrap();
            let (status, sheet) = get_json(
                addr,
                &format!("/api/sessions/{session_id}/attendance"),
                trainer,
            )
            .await;
            assert_eq!(status, 200);
            return (session_id, sheet);
        }
    }
    panic!("the demo trainer has a session with attendance recorded");
}

async fn attendance_api_is_idempotent_and_detects_conflicts(db: &TestDatabase) {
    let addr = demo_server(db).await;
    let trainer = sign_in(addr, "instruktur.pkl", PASSWORD).await;
    let (session, sheet) = trainer_session(addr, &trainer).await;
    let version = sheet["sheet_version"].as_i64().unwrap();
    let trainee = sheet["rows"][0]["enrolment_id"].as_i64().unwrap();
    let page = http(
        addr,
        "GET",
        &format!("/sessions/{session}/attendance"),
        &[("Cookie", &trainer)],
        "",
    )
    .await;
    assert_eq!(page.status, 200);
    let csrf = csrf_in(&page.body);
    let key = hidden_value(&page.body, "idempotency_key");
    let submission = json!({
        "session_id": session,
        "idempotency_key": key,
        "base_version": version,
        "all_present": true,
        "entries": [{"enrolment_id": trainee, "status": "excused",
                     "excuse_kind": "sick", "excuse_text": "demam"}],
    })
    .to_string();
    let path = format!("/api/sessions/{session}/attendance");
    let json_type = ("Content-Type", "application/json");

    // A session-cookie write without the CSRF header is refused and writes nothing.
    let refused = http(
        addr,
        "POST",
        &path,
        &[("Cookie", &trainer), json_type],
        &submission,
    )
    .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let (_, unchanged) = get_json(addr, &path, &trainer).await;
    assert_eq!(unchanged["sheet_version"].as_i64(), Some(version));

    let headers = [
        ("Cookie", trainer.as_str()),
        json_type,
        ("X-CSRF-Token", csrf.as_str()),
    ];
    let first = http(addr, "POST", &path, &headers, &submission).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let first = first.json();
    assert_eq!(first["sheet_version"].as_i64(), Some(version + 1));
    assert_eq!(first["replayed"], json!(false));
    assert!(first["corrected"].as_u64().unwrap() >= 1, "{first}");

    // The same submission again (a retry after a lost answer) changes nothing.
    let retry = http(addr, "POST", &path, &headers, &submission)
        .await
        .json();
    assert_eq!(retry["replayed"], json!(true));
    assert_eq!(retry["sheet_version"].as_i64(), Some(version + 1));
    let (_, after) = get_json(addr, &path, &trainer).await;
    assert_eq!(after["sheet_version"].as_i64(), Some(version + 1));
    let line = after["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["enrolment_id"].as_i64() == Some(trainee))
        .unwrap();
    assert_eq!(line["status"], json!("excused"));

    // A new submission based on the old version is a conflict, with the current sheet.
    let stale = json!({
        "session_id": session,
        "idempotency_key": "another-device-key-0001",
        "base_version": version,
        "all_present": true,
        "entries": [],
    })
    .to_string();
    let conflict = http(addr, "POST", &path, &headers, &stale).await;
    assert_eq!(conflict.status, 409, "{}", conflict.body);
    let conflict = conflict.json();
    assert_eq!(
        conflict["current"]["sheet_version"].as_i64(),
        Some(version + 1)
    );
    let (_, still) = get_json(addr, &path, &trainer).await;
    assert_eq!(
        still["sheet_version"].as_i64(),
        Some(version + 1),
        "nothing written"
    );
}

async fn attendance_page_keeps_input_on_conflict(db: &TestDatabase) {
    let addr = demo_server(db).await;
    let trainer = sign_in(addr, "instruktur.pkl", PASSWORD).await;
    let (session, sheet) = trainer_session(addr, &trainer).await;
    let version = sheet["sheet_version"].as_i64().unwrap();
    let rows = sheet["rows"].as_array().unwrap();
    let page_path = format!("/sessions/{session}/attendance");
    let page = http(addr, "GET", &page_path, &[("Cookie", &trainer)], "").await;
    let csrf = csrf_in(&page.body);
    let form = |key: &str, base: i64, text: &str| {
        let mut body = format!("csrf_token={csrf}&idempotency_key={key}&base_version={base}");
        for row in rows {
            let id = row["enrolment_id"].as_i64().unwrap();
            if id == rows[0]["enrolment_id"].as_i64().unwrap() {
                body.push_str(&format!(
                    "&status_{id}=excused&excuse_kind_{id}=other&excuse_text_{id}={text}"
                ));
            } else {
                body.push_str(&format!("&status_{id}=present"));
            }
        }
        body
    };
    // Without the CSRF token the form is refused.
    let no_csrf = form("k-page-0001", version, "x").replace(&format!("csrf_token={csrf}&"), "");
    let refused = http(addr, "POST", &page_path, &[("Cookie", &trainer)], &no_csrf).await;
    assert_eq!(refused.status, 403);

    let saved = http(
        addr,
        "POST",
        &page_path,
        &[("Cookie", &trainer)],
        &form("k-page-0001", version, "pertama"),
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(
        saved
            .header("location")
            .unwrap()
            .contains("notice=attendance-saved")
    );

    // A second device still holding the old version: the page shows the conflict side by
    // side and keeps what was typed, so nothing is lost.
    let conflict = http(
        addr,
        "POST",
        &page_path,
        &[("Cookie", &trainer)],
        &form("k-page-0002", version, "kedua-perangkat"),
    )
    .await;
    assert_eq!(conflict.status, 409, "{}", conflict.body);
    assert!(conflict.body.contains("problem-box"));
    assert!(conflict.body.contains("value=\"kedua-perangkat\""));
    assert!(
        conflict
            .body
            .contains(&format!("name=\"base_version\" value=\"{}\"", version + 1))
    );
}

async fn assessors_record_unit_results_in_one_batch(db: &TestDatabase) {
    let addr = demo_server(db).await;
    let assessor = sign_in(addr, "asesor.pkl", PASSWORD).await;
    let trainer = sign_in(addr, "instruktur.pkl", PASSWORD).await;
    let (_, classes) = get_json(addr, "/api/classes", &trainer).await;
    let class = classes[0]["id"].as_i64().unwrap();
    let path = format!("/api/classes/{class}/results");
    let (status, sheet) = get_json(addr, &path, &assessor).await;
    assert_eq!(status, 200);
    let unit = sheet["units"][0]["code"].as_str().unwrap().to_owned();
    let first = sheet["rows"][0]["enrolment_id"].as_i64().unwrap();
    let page = http(
        addr,
        "GET",
        &format!("/classes/{class}/results"),
        &[("Cookie", &assessor)],
        "",
    )
    .await;
    assert_eq!(page.status, 200);
    let csrf = csrf_in(&page.body);
    let headers = [
        ("Cookie", assessor.as_str()),
        ("Content-Type", "application/json"),
        ("X-CSRF-Token", csrf.as_str()),
    ];
    // One bad line (a trainee of another class) refuses the whole batch, naming the line.
    let bad = json!([
        {"enrolment_id": first, "unit_code": unit, "decision": "K",
         "assessor_name": "Asesor", "assessed_on": "2026-11-28", "evidence_note": null},
        {"enrolment_id": -5, "unit_code": unit, "decision": "K",
         "assessor_name": "Asesor", "assessed_on": "2026-11-28", "evidence_note": null},
    ]);
    let refused = http(addr, "POST", &path, &headers, &bad.to_string()).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("[1].enrolment_id"),
        "{}",
        refused.body
    );
    let good = json!([
        {"enrolment_id": first, "unit_code": unit, "decision": "BK",
         "assessor_name": "Asesor", "assessed_on": "2026-11-28", "evidence_note": "praktik ulang"},
    ]);
    let saved = http(addr, "POST", &path, &headers, &good.to_string()).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let (_, after) = get_json(addr, &path, &assessor).await;
    let row = after["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["enrolment_id"].as_i64() == Some(first))
        .unwrap();
    assert_eq!(row["decisions"][0], json!("BK"));
    // A trainer reads the class but does not decide competence.
    let (status, _) = get_json(addr, &path, &trainer).await;
    assert_eq!(status, 403);
}

async fn openapi_document_lists_the_delivery_api(db: &TestDatabase) {
    let addr = demo_server(db).await;
    let reply = http(addr, "GET", "/api/openapi.json", &[], "").await;
    assert_eq!(reply.status, 200);
    let document = reply.json();
    for path in [
        "/api/classes",
        "/api/classes/{id}",
        "/api/sessions/{id}/attendance",
        "/api/classes/{id}/results",
        "/api/enrolments/{id}/state",
        "/api/facilities",
    ] {
        assert!(document["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(
        document["components"]["schemas"]
            .get("SheetSubmission")
            .is_some()
    );
}

/// The officer moves and cancels sessions of a class that has not started: a Sunday is
/// refused at the field, a good day moves it and the class's end date follows; cancelling
/// needs a reason; a held session can no longer change; the trainer cannot change any.
async fn officers_move_and_cancel_sessions(db: &TestDatabase) {
    let addr = demo_server(db).await;
    let officer = sign_in(addr, "petugas.pkl", PASSWORD).await;
    let trainer = sign_in(addr, "instruktur.pkl", PASSWORD).await;
    let (_, classes) = get_json(addr, "/api/classes", &officer).await;
    let mut upcoming = None;
    let mut held = None;
    for class in classes.as_array().unwrap() {
        let id = class["id"].as_i64().unwrap();
        let (_, detail) = get_json(addr, &format!("/api/classes/{id}"), &officer).await;
        for session in detail["sessions"].as_array().unwrap() {
            let session_id = session["id"].as_i64().unwrap();
            if session["sheet_version"] == 0 && session["status"] == "scheduled" {
                upcoming.get_or_insert((id, session_id, detail.clone()));
            } else if session["status"] == "held" {
                held.get_or_insert(session_id);
            }
        }
    }
    assert!(
        upcoming.is_some() && held.is_some(),
        "a session still to come and a held one"
    );
    let (class_id, session_id, detail) = upcoming.unwrap();
    let held = held.unwrap();
    let page = http(
        addr,
        "GET",
        &format!("/classes/{class_id}"),
        &[("Cookie", &officer)],
        "",
    )
    .await;
    assert!(
        page.body
            .contains(&format!("/sessions/{session_id}/change")),
        "the class page links the change"
    );
    let form = http(
        addr,
        "GET",
        &format!("/sessions/{session_id}/change"),
        &[("Cookie", &officer)],
        "",
    )
    .await;
    assert_eq!(form.status, 200, "{}", form.body);
    let csrf = csrf_in(&form.body);
    let move_to =
        |date: NaiveDate, reason: &str| format!("csrf_token={csrf}&to_date={date}&reason={reason}");
    let end: NaiveDate = detail["class"]["end_date"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let mut sunday = end + chrono::Days::new(1);
    while chrono::Datelike::weekday(&sunday) != chrono::Weekday::Sun {
        sunday = sunday + chrono::Days::new(1);
    }
    let path = format!("/sessions/{session_id}/move");
    let refused = http(
        addr,
        "POST",
        &path,
        &[("Cookie", &officer)],
        &move_to(sunday, "banjir"),
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("to_date-error") && refused.body.contains("banjir"),
        "{}",
        refused.body
    );
    let monday = sunday + chrono::Days::new(1);
    let moved = http(
        addr,
        "POST",
        &path,
        &[("Cookie", &officer)],
        &move_to(monday, "banjir"),
    )
    .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    let (_, after) = get_json(addr, &format!("/api/classes/{class_id}"), &officer).await;
    assert_eq!(
        after["class"]["end_date"],
        monday.to_string(),
        "the class ends with its last session"
    );
    let cancel = format!("/sessions/{session_id}/cancel");
    let unreasoned = http(
        addr,
        "POST",
        &cancel,
        &[("Cookie", &officer)],
        &format!("csrf_token={csrf}&reason="),
    )
    .await;
    assert_eq!(unreasoned.status, 422);
    let cancelled = http(
        addr,
        "POST",
        &cancel,
        &[("Cookie", &officer)],
        &format!("csrf_token={csrf}&reason=instruktur+sakit"),
    )
    .await;
    assert_eq!(cancelled.status, 303);
    let (_, after) = get_json(addr, &format!("/api/classes/{class_id}"), &officer).await;
    let status = after["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == session_id)
        .unwrap()["status"]
        .clone();
    assert_eq!(status, "cancelled");
    let again = http(
        addr,
        "POST",
        &cancel,
        &[("Cookie", &officer)],
        &format!("csrf_token={csrf}&reason=lagi"),
    )
    .await;
    assert_eq!(again.status, 409, "a cancelled session cannot change again");
    let closed = http(
        addr,
        "POST",
        &format!("/sessions/{held}/move"),
        &[("Cookie", &officer)],
        &move_to(monday, "x"),
    )
    .await;
    assert_eq!(closed.status, 409, "a held session cannot move");
    let not_theirs = http(
        addr,
        "GET",
        &format!("/sessions/{session_id}/change"),
        &[("Cookie", &trainer)],
        "",
    )
    .await;
    assert_eq!(not_theirs.status, 403);
}
