//! Write load for the reliability tests: the demo database with an API token for a program
//! officer, the sessions whose sheets can be submitted and the classes, one attendance
//! submission or one batch of unit results with an idempotency key, and reads straight from
//! the database (sqlite3 / psql) to check afterwards.

use super::{run, try_send};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;

/// The demo database prepared for load.
#[derive(Debug, Clone)]
pub struct LoadWorld {
    /// `Bearer ...` of a program officer's token with the RecordAttendance scope.
    pub authorization: String,
    /// Sessions in the past (their sheets can be submitted).
    pub sessions: Vec<i64>,
    /// Every class (unit results can be recorded for their trainees).
    pub classes: Vec<i64>,
}

/// Builds the demo in `url` and makes a token.
pub fn prepare(url: &str, dir: &Path) -> LoadWorld {
    let demo = run(
        &[
            "demo",
            "--no-serve",
            "--database",
            url,
            "--today",
            "2026-11-29",
        ],
        dir,
    );
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let made = run(
        &[
            "user",
            "token",
            "petugas.pkl",
            "--name",
            "load",
            "--scope",
            "RecordAttendance",
            "--scope",
            "RecordResults",
            "--database",
            url,
        ],
        dir,
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let token = String::from_utf8(made.stdout).unwrap().trim().to_owned();
    let past = if url.starts_with("sqlite") {
        "date < date('now', '-1 day')"
    } else {
        "date < CURRENT_DATE - 1"
    };
    let sessions: Vec<i64> = sql(
        url,
        &format!("SELECT id FROM training_sessions WHERE {past} AND status <> 'cancelled'"),
    )
    .lines()
    .map(|l| l.trim().parse().unwrap())
    .collect();
    assert!(sessions.len() >= 20, "{} sessions", sessions.len());
    let classes: Vec<i64> = sql(url, "SELECT id FROM classes")
        .lines()
        .map(|l| l.trim().parse().unwrap())
        .collect();
    LoadWorld {
        authorization: format!("Bearer {token}"),
        sessions,
        classes,
    }
}

/// A tiny deterministic generator (no shared state, no dependency).
#[derive(Debug)]
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

/// What became of one submission.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    /// 200: the receipt's sheet version and whether it was a replay.
    Acked { version: i64, replayed: bool },
    /// 409: based on an old version (or a key reused).
    Stale,
    /// 503: busy or storage; not saved.
    Busy,
    /// No complete answer (connection refused or cut): not acknowledged.
    Unanswered,
    /// Anything else: a failure of the test.
    Failed(String),
}

/// A ready submission: its URL and JSON body.
#[derive(Debug, Clone)]
pub struct Submission {
    pub key: String,
    pub session: i64,
    pub path: String,
    pub body: String,
}

/// GETs a sheet as JSON: `None` when the server does not answer (refused, cut, 503, not
/// JSON), an error for any other status.
fn get_sheet(base: &str, world: &LoadWorld, path: &str) -> Result<Option<Value>, String> {
    let headers = [("Authorization", world.authorization.as_str())];
    let Ok((status, _, body)) = try_send("GET", &format!("{base}{path}"), &headers, None, "")
    else {
        return Ok(None);
    };
    match status {
        200 => Ok(serde_json::from_str::<Value>(&body).ok()),
        503 => Ok(None),
        other => Err(format!("GET {path}: {other} {body}")),
    }
}

/// Reads the sheet of `session` through `base` and builds a submission that marks one
/// trainee late, absent or present; `None` when the server does not answer.
pub fn build(
    base: &str,
    world: &LoadWorld,
    session: i64,
    key: String,
    rng: &mut Lcg,
) -> Result<Option<Submission>, String> {
    let path = format!("/api/sessions/{session}/attendance");
    let Some(sheet) = get_sheet(base, world, &path)? else {
        return Ok(None);
    };
    let Some(rows) = sheet["rows"].as_array().filter(|r| !r.is_empty()) else {
        return Err(format!("session {session} has no trainees"));
    };
    let row = &rows[rng.next() as usize % rows.len()];
    let choice = ["late", "absent", "present"][rng.next() as usize % 3];
    let body = json!({
        "session_id": session,
        "idempotency_key": key,
        "base_version": sheet["sheet_version"],
        "all_present": true,
        "entries": [{"enrolment_id": row["enrolment_id"], "status": choice}],
    })
    .to_string();
    Ok(Some(Submission {
        key,
        session,
        path,
        body,
    }))
}

/// Reads the results sheet of `class` and builds a batch of one to three K/BK results for
/// `POST /api/classes/{class}/results` with the idempotency key in its header.
pub fn build_results(
    base: &str,
    world: &LoadWorld,
    class: i64,
    key: String,
    rng: &mut Lcg,
) -> Result<Option<Submission>, String> {
    let path = format!("/api/classes/{class}/results");
    let Some(sheet) = get_sheet(base, world, &path)? else {
        return Ok(None);
    };
    let (Some(rows), Some(units)) = (sheet["rows"].as_array(), sheet["units"].as_array()) else {
        return Err(format!("results sheet {class} without rows or units"));
    };
    if rows.is_empty() || units.is_empty() {
        return Ok(None);
    }
    let batch: Vec<Value> = (0..1 + rng.next() % 3)
        .map(|_| {
            let row = &rows[rng.next() as usize % rows.len()];
            let unit = &units[rng.next() as usize % units.len()];
            json!({
                "enrolment_id": row["enrolment_id"],
                "unit_code": unit["code"],
                "decision": if rng.next().is_multiple_of(4) { "BK" } else { "K" },
                "assessed_on": "2026-11-20",
                "evidence_note": "uji praktik",
            })
        })
        .collect();
    Ok(Some(Submission {
        key,
        session: class,
        path,
        body: Value::Array(batch).to_string(),
    }))
}

/// Posts a results batch; `Acked.version` is the number of results recorded.
pub fn post_results(base: &str, world: &LoadWorld, submission: &Submission) -> Attempt {
    let headers = [
        ("Authorization", world.authorization.as_str()),
        ("Idempotency-Key", submission.key.as_str()),
    ];
    let url = format!("{base}{}", submission.path);
    let Ok((status, head, text)) = try_send(
        "POST",
        &url,
        &headers,
        Some("application/json"),
        &submission.body,
    ) else {
        return Attempt::Unanswered;
    };
    match status {
        200 => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Array(views)) => Attempt::Acked {
                version: views.len() as i64,
                replayed: head
                    .to_ascii_lowercase()
                    .contains("idempotent-replayed: true"),
            },
            _ => Attempt::Unanswered,
        },
        409 => Attempt::Stale,
        503 => Attempt::Busy,
        other => Attempt::Failed(format!(
            "POST results {} key {}: {other} {text}",
            submission.session, submission.key
        )),
    }
}

/// Posts `submission` to `base`.
pub fn post(base: &str, world: &LoadWorld, submission: &Submission) -> Attempt {
    let headers = [("Authorization", world.authorization.as_str())];
    let url = format!("{base}{}", submission.path);
    let Ok((status, _, text)) = try_send(
        "POST",
        &url,
        &headers,
        Some("application/json"),
        &submission.body,
    ) else {
        return Attempt::Unanswered;
    };
    match status {
        200 => match serde_json::from_str::<Value>(&text) {
            Ok(receipt) => Attempt::Acked {
                version: receipt["sheet_version"].as_i64().unwrap_or(-1),
                replayed: receipt["replayed"].as_bool().unwrap_or(false),
            },
            Err(_) => Attempt::Unanswered,
        },
        409 => Attempt::Stale,
        503 => Attempt::Busy,
        other => Attempt::Failed(format!(
            "POST {} key {}: {other} {text}",
            submission.session, submission.key
        )),
    }
}

/// Runs `query` with sqlite3 or psql; the rows as `a|b` lines.
pub fn sql(url: &str, query: &str) -> String {
    let out = if let Some(file) = url.strip_prefix("sqlite://") {
        std::process::Command::new("sqlite3")
            .args([file, query])
            .output()
            .unwrap()
    } else {
        std::process::Command::new("psql")
            .args([url, "-tAc", query])
            .output()
            .unwrap()
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The sheet version of every session.
pub fn versions(url: &str) -> HashMap<i64, i64> {
    sql(url, "SELECT id, sheet_version FROM training_sessions")
        .lines()
        .filter_map(|l| l.split_once('|'))
        .map(|(a, b)| (a.parse().unwrap(), b.parse().unwrap()))
        .collect()
}

/// How many idempotency keys start with `prefix`.
pub fn stored_keys(url: &str, prefix: &str) -> Vec<String> {
    sql(
        url,
        &format!("SELECT key FROM idempotency_keys WHERE key LIKE '{prefix}%'"),
    )
    .lines()
    .map(|l| l.trim().to_owned())
    .filter(|l| !l.is_empty())
    .collect()
}
