//! `kill -9` of `bekal serve` under write load, at random moments, 20 times (SQLite, and
//! PostgreSQL when configured): 8 clients post attendance sheets with idempotency keys while
//! the server is killed mid-stream and started again. Afterwards every acknowledged write is
//! present, every stored submission moved its sheet's version exactly once (no partial batch,
//! no duplicate), resending every submission (acknowledged or not) completes with no
//! duplicates (an acknowledged one answers as a replay with the same version), and
//! `bekal check` passes (integrity, every audit chain, every certificate).
//!
//! `BEKAL_CRASH_CYCLES` (default 20) sets the number of kills.

#![expect(clippy::unwrap_used, reason = "tests")]

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::load::{self, Attempt, Lcg, LoadWorld, Submission};
use support::{PgDatabase, run, start_server};

const CLIENTS: usize = 8;

fn cycles() -> u64 {
    std::env::var("BEKAL_CRASH_CYCLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20)
}

/// Everything sent, and what was acknowledged as applied the first time (key -> version).
#[derive(Debug, Default)]
struct Ledger {
    sent: Vec<Submission>,
    acked: HashMap<String, i64>,
    failures: Vec<String>,
}

fn client(id: usize, cycle: u64, base: &str, world: &LoadWorld, stop: &AtomicBool) -> Ledger {
    let mut rng = Lcg((cycle << 8) + id as u64 + 1);
    let mut ledger = Ledger::default();
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let session = world.sessions[rng.next() as usize % world.sessions.len()];
        let key = format!("crash-{cycle}-{id}-{n}");
        let submission = match load::build(base, world, session, key, &mut rng) {
            Ok(Some(s)) => s,
            Ok(None) => {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            }
            Err(failure) => {
                ledger.failures.push(failure);
                continue;
            }
        };
        match load::post(base, world, &submission) {
            Attempt::Acked { version, replayed } => {
                if !replayed {
                    ledger.acked.insert(submission.key.clone(), version);
                }
            }
            Attempt::Failed(failure) => ledger.failures.push(failure),
            Attempt::Stale | Attempt::Busy | Attempt::Unanswered => {}
        }
        ledger.sent.push(submission);
    }
    ledger
}

fn story(url: &str, dir: &Path) {
    let world = Arc::new(load::prepare(url, dir));
    let before = load::versions(url);
    let mut rng = Lcg(7);
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    for cycle in 0..cycles() {
        let mut server = start_server(&["serve", "--database", url], dir);
        let stop = Arc::new(AtomicBool::new(false));
        let threads: Vec<_> = (0..CLIENTS)
            .map(|id| {
                let (base, world, stop, ledger) = (
                    server.url.clone(),
                    world.clone(),
                    stop.clone(),
                    ledger.clone(),
                );
                std::thread::spawn(move || {
                    let mine = client(id, cycle, &base, &world, &stop);
                    let mut all = ledger.lock().unwrap();
                    all.sent.extend(mine.sent);
                    all.acked.extend(mine.acked);
                    all.failures.extend(mine.failures);
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(150 + rng.next() % 600));
        server.child.kill().unwrap(); // SIGKILL: no graceful shutdown, mid-transaction
        server.child.wait().unwrap();
        stop.store(true, Ordering::SeqCst);
        for thread in threads {
            thread.join().unwrap();
        }
        drop(server);
    }
    let ledger = std::mem::take(&mut *ledger.lock().unwrap());
    assert!(
        ledger.failures.is_empty(),
        "{} failures, e.g. {:?}",
        ledger.failures.len(),
        &ledger.failures[..ledger.failures.len().min(5)]
    );
    assert!(
        ledger.acked.len() as u64 >= cycles(),
        "too little load: {}",
        ledger.acked.len()
    );

    // Every acknowledged write is present; every stored one moved its sheet exactly once.
    let stored = load::stored_keys(url, "crash-");
    for key in ledger.acked.keys() {
        assert!(stored.contains(key), "acknowledged {key} lost in a crash");
    }
    let after = load::versions(url);
    let moved: i64 = after
        .iter()
        .map(|(id, v)| v - before.get(id).copied().unwrap_or(0))
        .sum();
    assert_eq!(
        moved,
        stored.len() as i64,
        "sheet versions moved {moved} times for {} stored submissions",
        stored.len()
    );
    eprintln!(
        "{} kills: {} sent, {} acknowledged, {} stored",
        cycles(),
        ledger.sent.len(),
        ledger.acked.len(),
        stored.len()
    );

    // Re-running everything completes with no duplicates.
    let server = start_server(&["serve", "--database", url], dir);
    for submission in &ledger.sent {
        let attempt = load::post(&server.url, &world, submission);
        if let Some(version) = ledger.acked.get(&submission.key) {
            assert_eq!(
                attempt,
                Attempt::Acked {
                    version: *version,
                    replayed: true
                },
                "resending {}",
                submission.key
            );
        } else {
            assert!(
                matches!(attempt, Attempt::Acked { .. } | Attempt::Stale),
                "resending {}: {attempt:?}",
                submission.key
            );
        }
    }
    drop(server);
    let stored_again = load::stored_keys(url, "crash-");
    let moved_again: i64 = load::versions(url)
        .iter()
        .map(|(id, v)| v - before.get(id).copied().unwrap_or(0))
        .sum();
    assert_eq!(moved_again, stored_again.len() as i64);
    let check = run(&["check", "--json", "--database", url], dir);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn sqlite_server_killed_under_load() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bekal.sqlite").display());
    story(&url, dir.path());
}

#[test]
fn postgres_server_killed_under_load() {
    let Some(pg) = PgDatabase::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    story(&pg.url, dir.path());
}
