//! Selection screens over real HTTP on the demo world, both backends: who may do what (the
//! officer pins, the head approves, the officer cannot approve, another facility's officer
//! gets nothing), the approval lock (a pin after approval is refused with a clear message),
//! the assessment sheet and CSV import naming the bad row, the waiting-list offer / accept
//! flow, and the privacy of non-associations (never shown to trainers or partners, never on
//! class or roster pages); eligibility rules and a draft round's ranking edited on screen
//! (a bad value named at its field, national rules only by a national administrator).

#![expect(
    clippy::unwrap_used,
    reason = "test cases shared by both backends: a failure is a failed test"
)]

use bekal_app::accounts::{self, NewUser};
use bekal_app::delivery::enrolments::{self, StateChange};
use bekal_app::facilities::{self, NewFacility};
use bekal_app::{Actor, App, demo};
use bekal_domain::clock::FixedClock;
use bekal_domain::role::Role;
use bekal_domain::status::{EnrolmentState, FacilityKind};
use bekal_store::entity::{assessment, audit_log};
use bekal_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use bekal_store::testing::TestDatabase;
use chrono::NaiveDate;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;

mod support;
use support::{Reply, csrf_in, hidden_value, http, sign_in};

const PASSWORD: &str = demo::DEMO_PASSWORD;

bekal_store::on_both_backends!(
    rounds_pins_approval_lock_and_assessments,
    waiting_list_offer_accept_and_private_non_associations,
    rules_and_ranking_edited_on_screen
);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
}

fn operator() -> Actor {
    Actor::Operator {
        label: "test".into(),
    }
}

/// The demo world plus a second facility with its own program officer.
async fn world(db: &TestDatabase) -> (App, SocketAddr) {
    let app = App::new(db.store.clone(), Arc::new(FixedClock::at_day(today())));
    demo::build(&app, today(), None).await.unwrap();
    let other = facilities::add(
        &app,
        &operator(),
        NewFacility {
            code: "SMG".into(),
            name: "Lapas Kelas I Semarang".into(),
            kind: FacilityKind::Lapas,
            region: None,
            city: None,
        },
    )
    .await
    .unwrap();
    accounts::create_user(
        &app,
        &operator(),
        NewUser {
            username: "petugas.smg".into(),
            display_name: "Petugas Semarang".into(),
            password: PASSWORD.into(),
            role: Role::ProgramOfficer,
            facility_id: Some(other.id),
            partner_id: None,
            region: None,
        },
    )
    .await
    .unwrap();
    let addr = support::serve(app.clone(), bekal_web::WebSettings::default()).await;
    (app, addr)
}

/// Audited reads of `entity`.
async fn reads(db: &TestDatabase, entity: &str) -> u64 {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("read-list"))
        .filter(audit_log::Column::Entity.eq(entity))
        .count(db.store.conn())
        .await
        .unwrap()
}

async fn get(addr: SocketAddr, path: &str, who: &str) -> Reply {
    http(addr, "GET", path, &[("Cookie", who)], "").await
}

async fn post(addr: SocketAddr, path: &str, who: &str, body: &str) -> Reply {
    http(addr, "POST", path, &[("Cookie", who)], body).await
}

fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A running class of the demo and its package code.
async fn running_class(addr: SocketAddr, officer: &str) -> (i64, String) {
    let classes: Value = get(addr, "/api/classes", officer).await.json();
    let class = classes
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "running")
        .unwrap_or_else(|| panic!("no running class: {classes}"));
    (
        class["id"].as_i64().unwrap(),
        class["package_code"].as_str().unwrap().to_owned(),
    )
}

async fn rounds_pins_approval_lock_and_assessments(db: &TestDatabase) {
    let (_app, addr) = world(db).await;
    let officer = sign_in(addr, "petugas.pkl", PASSWORD).await;
    let head = sign_in(addr, "kalapas.pkl", PASSWORD).await;
    let trainer = sign_in(addr, "instruktur.pkl", PASSWORD).await;
    let stranger = sign_in(addr, "petugas.smg", PASSWORD).await;
    let (_, package) = running_class(addr, &officer).await;

    // The demo's round is approved; someone it selected in the running class's package.
    let demo_round: Value = get(addr, "/api/facilities/PKL/selection", &officer)
        .await
        .json();
    assert_eq!(demo_round["status"], "approved", "{demo_round}");
    let placed = demo_round["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["decision"] == "selected" && e["package"] == package.as_str())
        .unwrap_or_else(|| panic!("nobody selected in {package}: {demo_round}"))["register_number"]
        .as_str()
        .unwrap()
        .to_owned();

    // The officer opens a new round (a blank name is refused at its field).
    let page = get(addr, "/selection", &officer).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("href=\"/selection\""),
        "navigation links the section"
    );
    assert!(page.body.contains(&format!("id=\"package-{package}\"")));
    let csrf = csrf_in(&page.body);
    let blank = post(
        addr,
        "/selection/open",
        &officer,
        &format!("csrf_token={csrf}&name=+"),
    )
    .await;
    assert_eq!(blank.status, 422, "{}", blank.body);
    assert!(blank.body.contains("round-name-error"));
    let opened = post(
        addr,
        "/selection/open",
        &officer,
        &format!("csrf_token={csrf}&name=Seleksi+2027"),
    )
    .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    let round: Value = get(addr, "/api/facilities/PKL/selection", &officer)
        .await
        .json();
    assert_eq!(round["status"], "draft");
    let round_id = round["id"].as_i64().unwrap();

    // The package's ranked candidates, with scores and the failing rules (an audited read).
    let before = reads(db, "selection_candidates").await;
    let candidates: Value = get(
        addr,
        &format!("/api/facilities/PKL/selection/packages/{}", enc(&package)),
        &officer,
    )
    .await
    .json();
    assert_eq!(reads(db, "selection_candidates").await, before + 1);
    let list = candidates["candidates"].as_array().unwrap();
    assert!(!list.is_empty());
    assert_eq!(list[0]["position"].as_u64(), Some(1), "{candidates}");
    assert!(
        list.iter()
            .any(|c| c["eligible"] == false && !c["failures"].as_array().unwrap().is_empty()),
        "some candidate fails a rule, with its reason: {candidates}"
    );
    let number = placed;

    // A pin needs a reason: refused at the field, the typed number kept.
    let pin_path = format!("/selection/rounds/{round_id}/pin");
    let no_reason = post(
        addr,
        &pin_path,
        &officer,
        &format!(
            "csrf_token={csrf}&package={}&register_number={}&kind=exclude&reason=",
            enc(&package),
            enc(&number)
        ),
    )
    .await;
    assert_eq!(no_reason.status, 422, "{}", no_reason.body);
    assert!(no_reason.body.contains("pin-reason-error"));
    assert!(no_reason.body.contains(&format!("value=\"{number}\"")));
    let pinned = post(
        addr,
        &pin_path,
        &officer,
        &format!(
            "csrf_token={csrf}&package={}&register_number={}&kind=exclude&reason=Pindah+blok",
            enc(&package),
            enc(&number)
        ),
    )
    .await;
    assert_eq!(pinned.status, 303, "{}", pinned.body);
    let page = get(addr, "/selection", &officer).await;
    assert!(page.body.contains("Dikecualikan") && page.body.contains("Pindah blok"));
    let english = get(addr, "/selection?lang=en", &officer).await;
    assert!(english.body.contains("Excluded") && english.body.contains("Eligible"));
    let candidates: Value = get(
        addr,
        &format!("/api/facilities/PKL/selection/packages/{}", enc(&package)),
        &officer,
    )
    .await
    .json();
    let row = |n: &str| {
        candidates["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["register_number"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(row(&number)["pin"], "exclude");
    assert_eq!(row(&number)["pin_reason"], "Pindah blok");
    assert!(
        row(&number)["position"].is_null(),
        "an excluded person is not ranked"
    );

    // The trainer sees nothing; another facility's officer gets nothing of PKL.
    assert_eq!(get(addr, "/selection", &trainer).await.status, 403);
    assert_eq!(
        get(addr, "/api/facilities/PKL/selection", &trainer)
            .await
            .status,
        403
    );
    let theirs = get(addr, "/api/facilities/PKL/selection", &stranger).await;
    assert!(matches!(theirs.status, 403 | 404), "{}", theirs.status);
    let own = get(addr, "/selection", &stranger).await;
    assert_eq!(own.status, 200);
    assert!(!own.body.contains(&number) && !own.body.contains("Seleksi 2027"));
    let stranger_csrf = csrf_in(&own.body);
    let meddling = post(
        addr,
        &pin_path,
        &stranger,
        &format!(
            "csrf_token={stranger_csrf}&package={}&register_number={}&kind=unpin&reason=",
            enc(&package),
            enc(&number)
        ),
    )
    .await;
    assert!(matches!(meddling.status, 403 | 404), "{}", meddling.body);

    // The officer may not approve; the head confirms, then approves.
    let approve_path = format!("/selection/rounds/{round_id}/approve");
    assert_eq!(get(addr, &approve_path, &officer).await.status, 403);
    assert_eq!(
        post(addr, &approve_path, &officer, &format!("csrf_token={csrf}"))
            .await
            .status,
        403
    );
    let confirm = get(addr, &approve_path, &head).await;
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    assert!(confirm.body.contains("Ya, setujui"));
    let head_csrf = csrf_in(&confirm.body);
    assert_eq!(
        post(addr, &approve_path, &head, "csrf_token=wrong")
            .await
            .status,
        403
    );
    // The approved plan still places the excluded person: the round cannot record that
    // outcome, the head is told to re-plan (or the officer to lift the exclusion).
    let replan = post(
        addr,
        &approve_path,
        &head,
        &format!("csrf_token={head_csrf}"),
    )
    .await;
    assert_eq!(replan.status, 409, "{}", replan.body);
    assert!(replan.body.contains("approve-error"), "{}", replan.body);
    assert!(replan.body.contains("Buat rencana baru"), "{}", replan.body);
    let lifted = post(
        addr,
        &pin_path,
        &officer,
        &format!(
            "csrf_token={csrf}&package={}&register_number={}&kind=unpin&reason=",
            enc(&package),
            enc(&number)
        ),
    )
    .await;
    assert_eq!(lifted.status, 303, "{}", lifted.body);
    let approved = post(
        addr,
        &approve_path,
        &head,
        &format!("csrf_token={head_csrf}"),
    )
    .await;
    assert_eq!(approved.status, 303, "{}", approved.body);
    let round: Value = get(addr, "/api/facilities/PKL/selection", &officer)
        .await
        .json();
    assert_eq!(round["status"], "approved");
    assert!(
        round["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["decision"] != "pending"),
        "every outcome recorded: {round}"
    );

    // Approval locks the round: a pin is refused with a clear message.
    let locked = post(
        addr,
        &pin_path,
        &officer,
        &format!(
            "csrf_token={csrf}&package={}&register_number={}&kind=unpin&reason=",
            enc(&package),
            enc(&number)
        ),
    )
    .await;
    assert_eq!(locked.status, 409, "{}", locked.body);
    assert!(
        locked.body.contains("disetujui dan dikunci"),
        "{}",
        locked.body
    );
    // A new version needs a reason; with one it is a draft based on the approved round.
    let revise_path = format!("/selection/rounds/{round_id}/revise");
    let no_reason = post(
        addr,
        &revise_path,
        &officer,
        &format!("csrf_token={csrf}&reason="),
    )
    .await;
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.body.contains("revise-reason-error"));
    let revised = post(
        addr,
        &revise_path,
        &officer,
        &format!("csrf_token={csrf}&reason=Nilai+diperbaiki"),
    )
    .await;
    assert_eq!(revised.status, 303, "{}", revised.body);
    let draft: Value = get(addr, "/api/facilities/PKL/selection", &officer)
        .await
        .json();
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["based_on"].as_i64(), Some(round_id));
    assert_eq!(draft["revision_reason"], "Nilai diperbaiki");

    // The assessment sheet: a bad row is named at its field, nothing is saved, what was
    // typed stays; the fixed sheet is saved in one go.
    let sheet = get(
        addr,
        &format!("/selection/assessments?package={}", enc(&package)),
        &officer,
    )
    .await;
    assert_eq!(sheet.status, 200, "{}", sheet.body);
    let id0 = hidden_value(&sheet.body, "inmate_0");
    let id1 = hidden_value(&sheet.body, "inmate_1");
    let reg1 = hidden_value(&sheet.body, "register_number_1");
    let sheet_csrf = csrf_in(&sheet.body);
    let rows = |score1: &str| {
        format!(
            "csrf_token={sheet_csrf}&package={}&page=1&rows=2\
             &inmate_0={id0}&register_number_0=A&name_0=A&skill_score_0=71&preference_rank_0=1&assessed_on_0=2026-11-20\
             &inmate_1={id1}&register_number_1={}&name_1=B&skill_score_1={score1}&literate_1=1&assessed_on_1=2026-11-20",
            enc(&package),
            enc(&reg1)
        )
    };
    let bad = post(addr, "/selection/assessments", &officer, &rows("150")).await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("harus antara 0 dan 100"), "{}", bad.body);
    assert!(bad.body.contains(&reg1), "the refused row is named");
    assert!(bad.body.contains("value=\"150\"") && bad.body.contains("value=\"71\""));
    let score_of = |id: String| async move {
        assessment::Entity::find()
            .filter(assessment::Column::InmateId.eq(id.parse::<i64>().unwrap()))
            .all(db.store.conn())
            .await
            .unwrap()
            .into_iter()
            .filter_map(|a| a.skill_score)
            .collect::<Vec<_>>()
    };
    assert!(
        !score_of(id0.clone()).await.contains(&71),
        "nothing saved from a refused sheet"
    );
    let good = post(addr, "/selection/assessments", &officer, &rows("64")).await;
    assert_eq!(good.status, 200, "{}", good.body);
    assert!(good.body.contains("2 asesmen tersimpan"), "{}", good.body);
    let again = post(addr, "/selection/assessments", &officer, &rows("64")).await;
    assert!(
        again.body.contains("0 asesmen tersimpan"),
        "an unchanged row is not recorded again"
    );
    assert!(score_of(id0).await.contains(&71));
    assert!(score_of(id1).await.contains(&64));
    // The trainer has no sheet.
    assert_eq!(
        get(addr, "/selection/assessments", &trainer).await.status,
        403
    );

    // CSV upload: the bad row is named by row and column, the good one written.
    let csv = format!(
        "register_number,package,skill_score,assessed_on\n{reg1},{package},55,2026-11-21\n{reg1},{package},abc,2026-11-21\n"
    );
    let boundary = "XbekalX";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{sheet_csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"package\"\r\n\r\n{package}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"asesmen.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n\
         --{boundary}--\r\n"
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let imported = http(
        addr,
        "POST",
        "/selection/assessments/import",
        &[("Cookie", &officer), ("Content-Type", &content_type)],
        &body,
    )
    .await;
    assert_eq!(imported.status, 422, "{}", imported.body);
    assert!(
        imported
            .body
            .contains("<td class=\"num\">3</td><td>skill_score</td>"),
        "row 3, column skill_score: {}",
        imported.body
    );
    assert!(
        imported.body.contains("1 dari 2 baris valid"),
        "{}",
        imported.body
    );
}

async fn waiting_list_offer_accept_and_private_non_associations(db: &TestDatabase) {
    let (app, addr) = world(db).await;
    let officer = sign_in(addr, "petugas.pkl", PASSWORD).await;
    let head = sign_in(addr, "kalapas.pkl", PASSWORD).await;
    let trainer = sign_in(addr, "instruktur.pkl", PASSWORD).await;
    let partner = sign_in(addr, "blk.pkl", PASSWORD).await;
    let (class_id, package) = running_class(addr, &officer).await;
    let waiting_path = format!("/selection/waiting?package={}", enc(&package));

    // The officer builds the list; entries carry their history.
    let page = get(addr, &waiting_path, &officer).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = csrf_in(&page.body);
    let form = |extra: &str| format!("csrf_token={csrf}&package={}{extra}", enc(&package));
    let built = post(addr, "/selection/waiting/refresh", &officer, &form("")).await;
    assert_eq!(built.status, 303, "{}", built.body);
    let list: Value = get(
        addr,
        &format!("/api/facilities/PKL/waiting-list/{}", enc(&package)),
        &officer,
    )
    .await
    .json();
    let entries = list.as_array().unwrap();
    assert!(!entries.is_empty(), "eligible people wait: {list}");
    assert_eq!(entries[0]["status"], "pending");
    assert_eq!(entries[0]["history"].as_array().unwrap().len(), 1);

    // A place frees up in a running class: the offer names the next person.
    let detail: Value = get(addr, &format!("/api/classes/{class_id}"), &officer)
        .await
        .json();
    let roster = detail["roster"].as_array().unwrap();
    let leaving = roster
        .iter()
        .find(|m| m["state"] == "enrolled")
        .unwrap_or_else(|| panic!("{detail}"));
    let member = roster
        .iter()
        .filter(|m| m["state"] == "enrolled")
        .nth(1)
        .unwrap()["register_number"]
        .as_str()
        .unwrap()
        .to_owned();
    enrolments::change_state(
        &app,
        &operator(),
        StateChange {
            enrolment_id: leaving["enrolment_id"].as_i64().unwrap(),
            to: EnrolmentState::Withdrawn,
            effective_on: today(),
            reason: "pindah".into(),
        },
    )
    .await
    .unwrap();
    let offered = post(
        addr,
        "/selection/waiting/offer",
        &officer,
        &form(&format!("&class_id={class_id}")),
    )
    .await;
    assert_eq!(offered.status, 200, "{}", offered.body);
    assert!(
        offered.body.contains("Berikutnya untuk tempat itu"),
        "{}",
        offered.body
    );
    let list: Value = get(
        addr,
        &format!("/api/facilities/PKL/waiting-list/{}", enc(&package)),
        &officer,
    )
    .await
    .json();
    let first = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["history"].as_array().unwrap().len() == 2)
        .unwrap_or_else(|| panic!("the offer is in the history: {list}"));
    let entry = first["entry_id"].as_i64().unwrap();
    let person = first["register_number"].as_str().unwrap().to_owned();
    assert!(
        first["history"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("offered")
    );

    // Accepting needs an approved entry; a status change needs a reason.
    let accept_path = format!("/selection/waiting/{entry}/accept");
    let early = post(
        addr,
        &accept_path,
        &officer,
        &form(&format!("&class_id={class_id}")),
    )
    .await;
    assert_eq!(early.status, 409, "{}", early.body);
    let status_path = format!("/selection/waiting/{entry}/status");
    let no_reason = post(
        addr,
        &status_path,
        &officer,
        &form("&status=approved&reason="),
    )
    .await;
    assert_eq!(no_reason.status, 422, "{}", no_reason.body);
    let ok = post(
        addr,
        &status_path,
        &officer,
        &form("&status=approved&reason=Lolos+wawancara"),
    )
    .await;
    assert_eq!(ok.status, 303, "{}", ok.body);

    // Non-associations: the officer records one between the person and a class member; the
    // accept is then refused; trainers and partners never see it.
    let pairs = get(addr, "/selection/non-associations", &officer).await;
    assert_eq!(pairs.status, 200);
    let secret = "Konflik+geng+RAHASIA";
    let added = post(
        addr,
        "/selection/non-associations",
        &officer,
        &format!(
            "csrf_token={csrf}&register_a={}&register_b={}&reason={secret}",
            enc(&person),
            enc(&member)
        ),
    )
    .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let same = post(
        addr,
        "/selection/non-associations",
        &officer,
        &format!(
            "csrf_token={csrf}&register_a={}&register_b={}&reason=",
            enc(&person),
            enc(&member)
        ),
    )
    .await;
    assert_eq!(same.status, 422, "a reason is required: {}", same.body);
    assert!(same.body.contains("pair-reason-error"));
    assert!(
        same.body.contains(&format!("value=\"{member}\"")),
        "typed kept"
    );
    let refused = post(
        addr,
        &accept_path,
        &officer,
        &form(&format!("&class_id={class_id}")),
    )
    .await;
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("non-association"));
    let before = reads(db, "non_association").await;
    let head_view = get(addr, "/selection/non-associations", &head).await;
    assert_eq!(
        reads(db, "non_association").await,
        before + 1,
        "an audited read"
    );
    assert_eq!(head_view.status, 200, "the facility head reads them");
    assert!(head_view.body.contains("Konflik geng RAHASIA"));
    assert!(!head_view.body.contains("pairs/end") && !head_view.body.contains("/end\""));
    for who in [&trainer, &partner] {
        assert_eq!(
            get(addr, "/selection/non-associations", who).await.status,
            403
        );
        let api = get(addr, "/api/facilities/PKL/non-associations", who).await;
        assert!(matches!(api.status, 403 | 404), "{}", api.status);
        for path in [
            format!("/classes/{class_id}"),
            format!("/classes/{class_id}/roster"),
        ] {
            let shown = get(addr, &path, who).await;
            assert!(!shown.body.contains("RAHASIA"), "{path}");
            assert!(!shown.body.contains("Larangan satu kelas"), "{path}");
        }
    }
    for path in [
        format!("/classes/{class_id}"),
        format!("/classes/{class_id}/roster"),
    ] {
        let shown = get(addr, &path, &officer).await;
        assert_eq!(shown.status, 200);
        assert!(!shown.body.contains("RAHASIA"), "{path}");
    }

    // The officer ends the pair; the person accepts the place and is enrolled.
    let list: Value = get(addr, "/api/facilities/PKL/non-associations", &officer)
        .await
        .json();
    let pair_id = list[0]["id"].as_i64().unwrap();
    let ended = post(
        addr,
        &format!("/selection/non-associations/{pair_id}/end"),
        &officer,
        &format!("csrf_token={csrf}"),
    )
    .await;
    assert_eq!(ended.status, 303, "{}", ended.body);
    let accepted = post(
        addr,
        &accept_path,
        &officer,
        &form(&format!("&class_id={class_id}")),
    )
    .await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    let list: Value = get(
        addr,
        &format!("/api/facilities/PKL/waiting-list/{}", enc(&package)),
        &officer,
    )
    .await
    .json();
    let done = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entry_id"].as_i64() == Some(entry))
        .unwrap();
    assert_eq!(done["status"], "allocated");
    let history = done["history"].as_array().unwrap();
    assert_eq!(history.last().unwrap()["to"], "allocated");
    assert!(history.iter().all(|h| h["recorded_at"].is_string()));
    assert_eq!(
        history[2]["recorded_by_name"],
        "Petugas Bimker Lapas Pekalongan"
    );
    let detail: Value = get(addr, &format!("/api/classes/{class_id}"), &officer)
        .await
        .json();
    assert!(
        detail["roster"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["register_number"] == person.as_str() && m["state"] == "enrolled"),
        "{detail}"
    );
    // The page shows the history with who and why; the read is audited.
    let before = reads(db, "waiting_list_entry").await;
    let page = get(addr, &waiting_path, &officer).await;
    assert_eq!(reads(db, "waiting_list_entry").await, before + 1);
    assert!(page.body.contains("Lolos wawancara") && page.body.contains("Mendapat tempat"));
    // Declining: another pending entry approved then declined, with the reason kept.
    let other = list
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["status"] == "pending")
        .unwrap()["entry_id"]
        .as_i64()
        .unwrap();
    let path = format!("/selection/waiting/{other}/status");
    assert_eq!(
        post(addr, &path, &officer, &form("&status=approved&reason=ok"))
            .await
            .status,
        303
    );
    let declined = post(
        addr,
        &format!("/selection/waiting/{other}/decline"),
        &officer,
        &form("&reason=Tidak+berminat"),
    )
    .await;
    assert_eq!(declined.status, 303, "{}", declined.body);
    // The trainer cannot touch the list (with their own valid CSRF token).
    let trainer_csrf = csrf_in(&get(addr, "/classes", &trainer).await.body);
    let trainer_try = post(
        addr,
        &format!("/selection/waiting/{entry}/status"),
        &trainer,
        &format!(
            "csrf_token={trainer_csrf}&package={}&status=removed&reason=x",
            enc(&package)
        ),
    )
    .await;
    assert!(
        matches!(trainer_try.status, 403 | 404),
        "{}",
        trainer_try.status
    );
    let trainer_pair = post(
        addr,
        "/selection/non-associations",
        &trainer,
        &format!(
            "csrf_token={trainer_csrf}&register_a={}&register_b={}&reason=x",
            enc(&person),
            enc(&member)
        ),
    )
    .await;
    assert!(
        matches!(trainer_pair.status, 403 | 404),
        "{}",
        trainer_pair.status
    );

    // The OpenAPI document lists the selection reads.
    let doc: Value = get(addr, "/api/openapi.json", &officer).await.json();
    for path in [
        "/api/facilities/{code}/selection",
        "/api/facilities/{code}/selection/packages/{package}",
        "/api/facilities/{code}/waiting-list/{package}",
        "/api/facilities/{code}/non-associations",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path}");
    }
}

async fn rules_and_ranking_edited_on_screen(db: &TestDatabase) {
    use bekal_app::selection::{rounds, rules};
    use bekal_domain::clock::Clock;
    use bekal_domain::eligibility::{Flag, RuleKind};
    let (app, addr) = world(db).await;
    let officer = sign_in(addr, "petugas.pkl", PASSWORD).await;
    let head = sign_in(addr, "kalapas.pkl", PASSWORD).await;
    let trainer = sign_in(addr, "instruktur.pkl", PASSWORD).await;
    let admin = support::admin_session(addr, FixedClock::at_day(today()).now()).await;
    assert_eq!(get(addr, "/selection/rules", &trainer).await.status, 403);
    assert_eq!(get(addr, "/selection/rules", &head).await.status, 403);
    let rules_of = || async {
        rules::list_rules(&app, &operator(), "PKL", None)
            .await
            .unwrap()
    };
    let audited = || async {
        audit_log::Entity::find()
            .filter(audit_log::Column::Entity.eq("eligibility_rule"))
            .count(db.store.conn())
            .await
            .unwrap()
    };

    let page = get(addr, "/selection/rules", &officer).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Tidak ada aturan untuk paket ini"));
    assert!(
        !page.body.contains("name=\"scope\""),
        "an officer is offered no national rule"
    );
    assert!(
        !page.body.contains("/scoring"),
        "no draft round: no ranking to change"
    );
    let csrf = csrf_in(&page.body);

    // a bad number is refused at the field, what was typed stays, nothing is written
    let bad = post(
        addr,
        "/selection/rules",
        &officer,
        &format!("csrf_token={csrf}&package=JAHIT&kind=min_age&value=abc&flag=&active=on"),
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("add-error") && bad.body.contains("value=\"abc\""));
    assert!(rules_of().await.is_empty());
    assert_eq!(audited().await, 0);
    let added = post(
        addr,
        "/selection/rules",
        &officer,
        &format!("csrf_token={csrf}&package=JAHIT&kind=min_age&value=18&flag=&active=on"),
    )
    .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let own = rules_of().await;
    assert_eq!(own.len(), 1);
    assert_eq!(
        (
            own[0].package.as_str(),
            &own[0].rule,
            own[0].national,
            own[0].active
        ),
        ("JAHIT", &RuleKind::MinAge { years: 18 }, false, true)
    );
    assert_eq!(audited().await, 1);

    // national rules: only the national administrator
    let national = post(
        addr,
        "/selection/rules",
        &officer,
        &format!(
            "csrf_token={csrf}&package=LAS&kind=required_flag&flag=health_cleared&active=on&scope=national"
        ),
    )
    .await;
    assert_eq!(national.status, 403, "{}", national.body);
    let admin_page = get(addr, "/selection/rules?facility=PKL", &admin).await;
    assert_eq!(admin_page.status, 200, "{}", admin_page.body);
    assert!(
        admin_page
            .body
            .contains("name=\"scope\" value=\"national\"")
    );
    let by_admin = post(
        addr,
        "/selection/rules",
        &admin,
        &format!(
            "csrf_token={}&facility=PKL&package=LAS&kind=required_flag&flag=health_cleared&active=on&scope=national",
            csrf_in(&admin_page.body)
        ),
    )
    .await;
    assert_eq!(by_admin.status, 303, "{}", by_admin.body);
    let all = rules_of().await;
    let las = all.iter().find(|r| r.package == "LAS").unwrap();
    assert!(las.national);
    assert_eq!(
        las.rule,
        RuleKind::RequiredFlag {
            flag: Flag::HealthCleared
        }
    );
    let page = get(addr, "/selection/rules", &officer).await;
    assert!(page.body.contains("Lolos pemeriksaan kesehatan"));
    assert!(page.body.contains("Diubah oleh administrator nasional"));
    assert!(
        !page
            .body
            .contains(&format!("name=\"id\" value=\"{}\"", las.id)),
        "no form for the national rule"
    );
    let sneaky = post(
        addr,
        "/selection/rules",
        &officer,
        &format!(
            "csrf_token={csrf}&id={}&package=LAS&kind=required_flag&flag=health_cleared",
            las.id
        ),
    )
    .await;
    assert_eq!(
        sneaky.status, 404,
        "not a rule of the facility: {}",
        sneaky.body
    );
    assert!(rules_of().await.iter().all(|r| r.active));

    // the officer switches the facility's own rule off (the box unticked)
    let jahit = all.iter().find(|r| r.package == "JAHIT").unwrap();
    let off = post(
        addr,
        "/selection/rules",
        &officer,
        &format!(
            "csrf_token={csrf}&id={}&package=JAHIT&kind=min_age&value=18",
            jahit.id
        ),
    )
    .await;
    assert_eq!(off.status, 303, "{}", off.body);
    let after = rules_of().await;
    assert!(!after.iter().find(|r| r.id == jahit.id).unwrap().active);
    assert_eq!(audited().await, 3, "create, create, update");

    // education and pembinaan stage rules take their choice from the same list; a choice
    // that does not fit the kind is refused at its field
    let mismatched = post(
        addr,
        "/selection/rules",
        &officer,
        &format!("csrf_token={csrf}&package=LAS&kind=min_education&value=&flag=literate&active=on"),
    )
    .await;
    assert_eq!(mismatched.status, 422, "{}", mismatched.body);
    assert_eq!(audited().await, 3);
    for (kind, choice) in [
        ("min_education", "junior_secondary"),
        ("min_stage", "advanced_1"),
    ] {
        let sent = post(
            addr,
            "/selection/rules",
            &officer,
            &format!("csrf_token={csrf}&package=LAS&kind={kind}&value=&flag={choice}&active=on"),
        )
        .await;
        assert_eq!(sent.status, 303, "{kind}: {}", sent.body);
    }
    let page = get(addr, "/selection/rules", &officer).await;
    assert!(
        page.body
            .contains("Tahap lanjutan I (sejak 1/3 masa pidana)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<td>SMP</td>"), "{}", page.body);
    assert!(rules_of().await.iter().any(|r| r.rule
        == RuleKind::MinStage {
            stage: bekal_domain::pembinaan::PembinaanStage::AdvancedOne
        }));
    assert_eq!(audited().await, 5);

    // the ranking of a draft round
    let opened = post(
        addr,
        "/selection/open",
        &officer,
        &format!("csrf_token={csrf}&name=Seleksi+2027"),
    )
    .await;
    assert_eq!(opened.status, 303, "{}", opened.body);
    let page = get(addr, "/selection/rules", &officer).await;
    let draft = rounds::current_round(&app, &operator(), "PKL")
        .await
        .unwrap()
        .unwrap();
    let scoring_path = format!("/selection/rounds/{}/scoring", draft.id);
    assert!(page.body.contains(&scoring_path));
    assert!(page.body.contains("value=\"15, 10, 5\""), "{}", page.body);
    let bad = post(
        addr,
        &scoring_path,
        &officer,
        &format!(
            "csrf_token={csrf}&preference_bonus=20%2C+10&release_bands=90-6&default_priority=1"
        ),
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("scoring-error") && bad.body.contains("value=\"90-6\""));
    let saved = post(
        addr,
        &scoring_path,
        &officer,
        &format!(
            "csrf_token={csrf}&preference_bonus=20%2C+10&release_bands=90%3A6%2C+365%3A3&default_priority=1"
        ),
    )
    .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let draft = rounds::current_round(&app, &operator(), "PKL")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(draft.scoring.preference_bonus, vec![20, 10]);
    assert_eq!(
        draft
            .scoring
            .release_bands
            .iter()
            .map(|b| (b.within_days, b.priority))
            .collect::<Vec<_>>(),
        vec![(90, 6), (365, 3)]
    );
    assert_eq!(draft.scoring.default_priority, 1);
}
