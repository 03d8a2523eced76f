//! 32 concurrent clients post attendance sheets and batches of unit results (K/BK) with
//! idempotency keys for a bounded time, one in ten sent twice at the same moment (a double click, a retry racing the first try), against
//! one `bekal serve` on SQLite and against two servers on one PostgreSQL database. Afterwards:
//! every acknowledged key is stored exactly once, every sheet's version moved by exactly the
//! number of acknowledged first-time submissions and the unit results grew by exactly the
//! acknowledged batches (none lost, none applied twice), a duplicate
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

/// What one client saw: acknowledged sheets (key, session, version, replayed), acknowledged
/// result batches (key, results recorded, replayed), 409s, 503s, failures.
#[derive(Debug, Default)]
struct Outcome {
    acked: Vec<(String, i64, i64, bool)>,
    results: Vec<(String, i64, bool)>,
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
        // One client in four records unit results, the others attendance.
        let results = id % 4 == 3;
        let built = if results {
            let class = world.classes[rng.next() as usize % world.classes.len()];
            let key = format!("res-{id}-{n}-{}", rng.next());
            load::build_results(base, world, class, key, &mut rng)
        } else {
            let session = world.sessions[rng.next() as usize % world.sessions.len()];
            let key = format!("load-{id}-{n}-{}", rng.next());
            load::build(base, world, session, key, &mut rng)
        };
        let post = if results {
            load::post_results
        } else {
            load::post
        };
        let submission = match built {
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
            let racer = std::thread::spawn(move || post(&other, &world2, &again));
            let first = post(base, world, &submission);
            vec![first, racer.join().unwrap()]
        } else {
            vec![post(base, world, &submission)]
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
                Attempt::Acked { version, replayed } if results => {
                    outcome
                        .results
                        .push((submission.key.clone(), version, replayed));
                }
                Attempt::Acked { version, replayed } => outcome.acked.push((
                    submission.key.clone(),
                    submission.session,
                    version,
                    replayed,
                )),
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
    let results_before = unit_results(url);
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
    // Unit results: every acknowledged batch stored once, its results recorded exactly once.
    let batches: Vec<&(String, i64, bool)> = outcomes.iter().flat_map(|o| &o.results).collect();
    let first_batches: Vec<_> = batches.iter().filter(|b| !b.2).collect();
    let distinct_batches: HashSet<&String> = batches.iter().map(|b| &b.0).collect();
    eprintln!(
        "{servers} server(s): {} result batches acknowledged ({} first-time)",
        batches.len(),
        first_batches.len()
    );
    assert!(!first_batches.is_empty(), "no result batch went through");
    assert_eq!(
        first_batches.len(),
        distinct_batches.len(),
        "a batch was applied twice"
    );
    let stored_batches: HashSet<String> = load::stored_keys(url, "res-").into_iter().collect();
    assert_eq!(stored_batches.len(), distinct_batches.len());
    for key in &distinct_batches {
        assert!(
            stored_batches.contains(*key),
            "acknowledged batch {key} is not stored"
        );
    }
    let recorded: i64 = first_batches.iter().map(|b| b.1).sum();
    assert_eq!(
        unit_results(url) - results_before,
        recorded,
        "unit results recorded differ from the acknowledged batches"
    );
    let check = run(&["check", "--json", "--database", url], dir);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

fn unit_results(url: &str) -> i64 {
    load::sql(url, "SELECT count(*) FROM unit_results")
        .trim()
        .parse()
        .unwrap()
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
