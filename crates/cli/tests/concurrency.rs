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

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::load::{self, Attempt, Lcg, LoadWorld};
use support::{PgDatabase, Server, run, start_server};

const CLIENTS: usize = 32;

/// What one client saw: acknowledged (key, session, version, replayed), 409s, 503s, failures.
#[derive(Debug, Default)]
struct Outcome {
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

fn client(id: usize, bases: &[String], world: &LoadWorld, until: Instant) -> Outcome {
    let mut rng = Lcg(id as u64 + 1);
    let mut outcome = Outcome::default();
    let mut n = 0;
    while Instant::now() < until {
        n += 1;
        let base = &bases[n % bases.len()];
        let session = world.sessions[rng.next() as usize % world.sessions.len()];
        let key = format!("load-{id}-{n}-{}", rng.next());
        let submission = match load::build(base, world, session, key, &mut rng) {
            Ok(Some(s)) => s,
            Ok(None) => continue,
            Err(failure) => {
                outcome.failures.push(failure);
                continue;
            }
        };
        let attempts = if rng.next().is_multiple_of(10) {
            // The same submission twice at once, through the other server when there are two.
            let (other, again, world2) = (
                bases[(n + 1) % bases.len()].clone(),
                submission.clone(),
                world.clone(),
            );
            let racer = std::thread::spawn(move || load::post(&other, &world2, &again));
            let first = load::post(base, world, &submission);
            vec![first, racer.join().unwrap()]
        } else {
            vec![load::post(base, world, &submission)]
        };
        let versions: HashSet<i64> = attempts
            .iter()
            .filter_map(|a| match a {
                Attempt::Acked { version, .. } => Some(*version),
                _ => None,
            })
            .collect();
        if versions.len() > 1 {
            outcome.failures.push(format!(
                "key {}: two different answers {versions:?}",
                submission.key
            ));
        }
        for attempt in attempts {
            match attempt {
                Attempt::Acked { version, replayed } => {
                    outcome
                        .acked
                        .push((submission.key.clone(), session, version, replayed))
                }
                Attempt::Stale => outcome.stale += 1,
                Attempt::Busy => outcome.busy += 1,
                Attempt::Unanswered => outcome
                    .failures
                    .push(format!("no answer for {}", submission.key)),
                Attempt::Failed(failure) => outcome.failures.push(failure),
            }
        }
    }
    outcome
}

fn story(url: &str, servers: usize, dir: &Path) {
    let world = Arc::new(load::prepare(url, dir));
    let before = load::versions(url);
    let running: Vec<Server> = (0..servers)
        .map(|_| start_server(&["serve", "--database", url], dir))
        .collect();
    let bases: Arc<Vec<String>> = Arc::new(running.iter().map(|s| s.url.clone()).collect());
    let until = Instant::now() + Duration::from_secs(load_seconds());
    let all = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..CLIENTS)
        .map(|id| {
            let (bases, world, all) = (bases.clone(), world.clone(), all.clone());
            std::thread::spawn(move || {
                let outcome = client(id, &bases, &world, until);
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
    let stored: HashSet<String> = load::stored_keys(url, "load-").into_iter().collect();
    assert_eq!(stored.len(), distinct.len());
    for key in &distinct {
        assert!(
            stored.contains(*key),
            "acknowledged key {key} is not stored"
        );
    }
    // Every sheet moved by exactly its acknowledged first-time submissions: none lost.
    let after = load::versions(url);
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
