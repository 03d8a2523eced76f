//! `bekal selection` on the demo database: a rule set as data is listed; the demo's round is
//! approved and locked (an exclusion exits 1 and says so); a revision needs a reason, takes
//! the exclusion and supersedes it when approved; and the waiting list is built from the eligible who were not placed.

#![expect(clippy::unwrap_used, reason = "test: a failure is a failed test")]

mod support;

use support::run;

fn json(output: &std::process::Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn rules_round_lock_and_waiting_list() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    json(&run(
        &["demo", "--no-serve", "--today", "2026-11-29", "--json"],
        d,
    ));
    let rule = json(&run(
        &[
            "selection",
            "rules",
            "set",
            "--package",
            "JAHIT",
            "--rule",
            r#"{"kind":"min_age","years":18}"#,
        ],
        d,
    ));
    assert_eq!(rule["rule"]["kind"], "min_age");
    let bad = run(
        &[
            "selection",
            "rules",
            "set",
            "--package",
            "JAHIT",
            "--rule",
            r#"{"kind":"nope"}"#,
        ],
        d,
    );
    assert!(!bad.status.success());
    let listed = json(&run(
        &[
            "selection",
            "rules",
            "list",
            "--facility",
            "PKL",
            "--package",
            "JAHIT",
        ],
        d,
    ));
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");

    // the demo ends with an approved round: every inmate's outcome recorded, locked
    let demo_round = json(&run(&["selection", "show", "--facility", "PKL"], d));
    assert_eq!(demo_round["status"], "approved", "{demo_round}");
    let entries = demo_round["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 253);
    let selected = entries
        .iter()
        .filter(|e| e["decision"] == "selected")
        .count();
    assert!((30..=60).contains(&selected), "{selected}");
    let demo_id = demo_round["id"].as_i64().unwrap().to_string();
    let explained = json(&run(
        &["selection", "explain", "--facility", "PKL", "--json"],
        d,
    ));
    // someone the plan did not place: excluding them needs no new plan
    let someone = explained
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["status"] != "selected")
        .unwrap()["register_number"]
        .as_str()
        .unwrap()
        .to_owned();
    let locked = run(
        &[
            "selection",
            "exclude",
            "--round",
            &demo_id,
            "--inmate",
            &someone,
            "--reason",
            "dipindah",
        ],
        d,
    );
    assert_eq!(locked.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&locked.stderr).contains("locked"));
    let no_reason = run(
        &["selection", "revise", "--round", &demo_id, "--reason", " "],
        d,
    );
    assert_eq!(no_reason.status.code(), Some(1));
    let revised = json(&run(
        &[
            "selection",
            "revise",
            "--round",
            &demo_id,
            "--reason",
            "koreksi",
        ],
        d,
    ));
    assert_eq!(revised["based_on"].as_i64().unwrap().to_string(), demo_id);
    assert_eq!(revised["status"], "draft");
    let id = revised["id"].as_i64().unwrap().to_string();
    let again = run(
        &["selection", "open", "--facility", "PKL", "--name", "lagi"],
        d,
    );
    assert_eq!(again.status.code(), Some(1), "one draft at a time");
    json(&run(
        &[
            "selection",
            "exclude",
            "--round",
            &id,
            "--inmate",
            &someone,
            "--reason",
            "dipindah",
        ],
        d,
    ));
    let approved = json(&run(&["selection", "approve", "--round", &id], d));
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["entries"].as_array().unwrap().len(), 253);
    let current = json(&run(&["selection", "show", "--facility", "PKL"], d));
    assert_eq!(current["id"].as_i64().unwrap().to_string(), id);

    let list = json(&run(
        &[
            "selection",
            "waiting-list",
            "refresh",
            "--facility",
            "PKL",
            "--package",
            "JAHIT",
        ],
        d,
    ));
    let entries = list.as_array().unwrap();
    assert!(!entries.is_empty(), "{list}");
    assert_eq!(entries[0]["rank"], 1);
    assert_eq!(entries[0]["status"], "pending");
    let entry = entries[0]["entry_id"].as_i64().unwrap().to_string();
    json(&run(
        &[
            "selection",
            "waiting-list",
            "set",
            "--entry",
            &entry,
            "--status",
            "approved",
            "--reason",
            "disetujui",
        ],
        d,
    ));
    let shown = json(&run(
        &[
            "selection",
            "waiting-list",
            "show",
            "--facility",
            "PKL",
            "--package",
            "JAHIT",
        ],
        d,
    ));
    assert_eq!(shown[0]["status"], "approved");
    assert_eq!(shown[0]["history"].as_array().unwrap().len(), 2);
}
