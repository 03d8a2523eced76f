//! 32 concurrent clients post attendance sheets with idempotency keys for a bounded time, one
//! in ten sent twice at the same moment (a double click, a retry racing the first try), against
//! one `bekal serve` on SQLite and against two servers on one PostgreSQL database. Afterwards:
//! every acknowledged key is stored exactly once, every sheet's version moved by exactly the
//! number of acknowledged first-time submissions (none lost, none applied twice), a duplicate
//! got the first answer back, no answer was a 5xx other than 503, and `bekal check` passes.
//!
//! `BEKAL_LOAD_SECONDS` (default 6) sets how long the load runs; the long version is e.g.
//! `BEKAL_LOAD_SECONDS=120 cargo test -p bekal --test concurrency`.

#![expect(clippy::unwrap_used, reason = "tests")]

mod support;

use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{PgDatabase, Server, post_json, run, start_server};

const CLIENTS: usize = 32;

/// What one client saw.
#[derive(Debug, Default)]
struct Outcome {
    /// Acknowledged keys (200) with the sheet version the receipt names and `replayed`.
    acked: Vec<(String, i64, i64, bool)>,
    stale: usize,
    busy: usize,
    failures: Vec<String>,
}

fn load_seconds() -> u64 {
    std::env::var("BEKAL_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6)
}

/// A tiny deterministic generator per client (no shared state, no dependency).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn client(id: usize, bases: &[String], token: &str, sessions: &[i64], until: Instant) -> Outcome {
    let auth = format!("Bearer {token}");
    let headers = [("Authorization", auth.as_str())];
    let mut rng = Lcg(id as u64 + 1);
    let mut outcome = Outcome::default();
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let base = &bases[n % bases.len()];
        let session = sessions[rng.next() as usize % sessions.len()];
        let sheet = {
            let (status, _, body) = support::send(
                "GET",
                &format!("{base}/api/sessions/{session}/attendance"),
                &headers,
                None,
                "",
            );
            if status != 200 {
                outcome
                    .failures
                    .push(format!("GET sheet {session}: {status} {body}"));
                continue;
            }
            serde_json::from_str::<Value>(&body).unwrap()
        };
        let rows = sheet["rows"].as_array().unwrap();
        if rows.is_empty() {
            continue;
        }
        let row = &rows[rng.next() as usize % rows.len()];
        let choice = ["late", "absent", "present"][rng.next() as usize % 3];
        let key = format!("load-{id}-{n}-{}", rng.next());
        let body = json!({
            "session_id": session,
            "idempotency_key": key,
            "base_version": sheet["sheet_version"],
            "all_present": true,
            "entries": [{"enrolment_id": row["enrolment_id"], "status": choice}],
        })
        .to_string();
        let url = format!("{base}/api/sessions/{session}/attendance");
        let twice = rng.next().is_multiple_of(10);
        let answers: Vec<(u16, String)> = if twice {
            let other = bases[(n + 1) % bases.len()].clone();
            let (b2, auth2) = (body.clone(), auth.clone());
            let racer = std::thread::spawn(move || {
                let url = format!("{other}/api/sessions/{session}/attendance");
                let (s, _, b) = post_json(&url, &[("Authorization", auth2.as_str())], &b2);
                (s, b)
            });
            let (s, _, b) = post_json(&url, &headers, &body);
            vec![(s, b), racer.join().unwrap()]
        } else {
            let (s, _, b) = post_json(&url, &headers, &body);
            vec![(s, b)]
        };
        let mut first_receipt: Option<Value> = None;
        for (status, text) in answers {
            match status {
                200 => {
                    let receipt: Value = serde_json::from_str(&text).unwrap();
                    let version = receipt["sheet_version"].as_i64().unwrap();
                    let replayed = receipt["replayed"].as_bool().unwrap();
                    if let Some(first) = &first_receipt
                        && first["sheet_version"] != receipt["sheet_version"]
                    {
                        outcome.failures.push(format!(
                            "key {key}: two different answers {first} / {receipt}"
                        ));
                    }
                    first_receipt = Some(receipt);
                    outcome
                        .acked
                        .push((key.clone(), session, version, replayed));
                }
                409 => outcome.stale += 1,
                503 => outcome.busy += 1,
                other => outcome
                    .failures
                    .push(format!("POST {session} key {key}: {other} {text}")),
            }
        }
    }
    outcome
}

fn sql(url: &str, query: &str) -> String {
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

fn versions(url: &str) -> HashMap<i64, i64> {
    sql(url, "SELECT id, sheet_version FROM training_sessions")
        .lines()
        .filter_map(|l| l.split_once('|'))
        .map(|(a, b)| (a.parse().unwrap(), b.parse().unwrap()))
        .collect()
}

fn story(url: &str, servers: usize, dir: &Path) {
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
    let before = versions(url);
    let keys_before: i64 = sql(url, "SELECT count(*) FROM idempotency_keys")
        .trim()
        .parse()
        .unwrap();

    let running: Vec<Server> = (0..servers)
        .map(|_| start_server(&["serve", "--database", url], dir))
        .collect();
    let bases: Arc<Vec<String>> = Arc::new(running.iter().map(|s| s.url.clone()).collect());
    let until = Instant::now() + Duration::from_secs(load_seconds());
    let token = Arc::new(token);
    let sessions = Arc::new(sessions);
    let all = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..CLIENTS)
        .map(|id| {
            let (bases, token, sessions, all) =
                (bases.clone(), token.clone(), sessions.clone(), all.clone());
            std::thread::spawn(move || {
                let outcome = client(id, &bases, &token, &sessions, until);
                all.lock().unwrap().push(outcome);
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    for server in &running {
        let log = server.log.lock().unwrap();
        assert!(!log.contains("panicked"), "a server panicked:\n{log}");
    }
    drop(running);

    let outcomes = std::mem::take(&mut *all.lock().unwrap());
    let failures: Vec<&String> = outcomes.iter().flat_map(|o| &o.failures).collect();
    assert!(
        failures.is_empty(),
        "{} failures, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    let acked: Vec<&(String, i64, i64, bool)> = outcomes.iter().flat_map(|o| &o.acked).collect();
    let stale: usize = outcomes.iter().map(|o| o.stale).sum();
    let busy: usize = outcomes.iter().map(|o| o.busy).sum();
    let first_time: Vec<_> = acked.iter().filter(|a| !a.3).collect();
    let distinct: HashSet<&String> = acked.iter().map(|a| &a.0).collect();
    eprintln!(
        "{servers} server(s): {} acknowledged ({} first-time, {} replayed), {stale} stale, {busy} busy",
        acked.len(),
        first_time.len(),
        acked.len() - first_time.len()
    );
    assert!(
        first_time.len() >= CLIENTS,
        "too little load to mean anything"
    );
    // Each key was applied once: one first-time answer per distinct key.
    assert_eq!(first_time.len(), distinct.len(), "a key was applied twice");

    // Every acknowledged key is stored, exactly once, and nothing else was.
    let stored: HashSet<String> = sql(
        url,
        "SELECT key FROM idempotency_keys WHERE key LIKE 'load-%'",
    )
    .lines()
    .map(|l| l.trim().to_owned())
    .collect();
    let keys_after: i64 = sql(url, "SELECT count(*) FROM idempotency_keys")
        .trim()
        .parse()
        .unwrap();
    assert_eq!(keys_after - keys_before, distinct.len() as i64);
    for key in &distinct {
        assert!(
            stored.contains(*key),
            "acknowledged key {key} is not stored"
        );
    }
    // Every sheet moved by exactly its acknowledged first-time submissions: none lost.
    let after = versions(url);
    let mut per_session: HashMap<i64, i64> = HashMap::new();
    for a in &first_time {
        *per_session.entry(a.1).or_default() += 1;
    }
    for (session, count) in &per_session {
        assert_eq!(
            after[session] - before[session],
            *count,
            "session {session}: version moved by {} for {count} acknowledged submissions",
            after[session] - before[session]
        );
    }
    let check = run(&["check", "--json", "--database", url], dir);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn one_server_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bekal.sqlite").display());
    story(&url, 1, dir.path());
}

#[test]
fn two_servers_on_one_postgres() {
    let Some(pg) = PgDatabase::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    story(&pg.url, 2, dir.path());
}
