//! PostgreSQL itself crashing under write load: a private cluster (initdb in a temporary
//! folder, run as the `postgres` user on its own port) is stopped with
//! `pg_ctl stop -m immediate` (no checkpoint, like a power cut) at random moments, 20 times,
//! and started again, while `bekal serve` stays up and 8 clients keep posting attendance with
//! idempotency keys. While the database is down the server answers 503 (never another 5xx,
//! never a panic) and recovers by itself when it is back; afterwards every acknowledged write
//! is present, every stored submission moved its sheet exactly once, and `bekal check` passes.
//!
//! Needs root (to run the cluster as `postgres`) and PostgreSQL's server binaries; outside CI
//! it is skipped without them. `BEKAL_CRASH_CYCLES` (default 20) sets the number of crashes.

#![expect(clippy::unwrap_used, reason = "tests")]

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::load::{self, Attempt, Lcg, LoadWorld};
use support::{run, start_server};

const CLIENTS: usize = 8;

/// A throwaway PostgreSQL cluster, stopped and removed on drop.
struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Cluster {
    fn create() -> Option<Cluster> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path().join("bin"))
            .find(|b| b.join("initdb").exists());
        let Some(bin) = bin.filter(|_| is_root()) else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "the PostgreSQL crash test needs root and PostgreSQL's server binaries under CI"
            );
            eprintln!("PostgreSQL crash test SKIPPED: needs root and /usr/lib/postgresql/*/bin");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        shell(
            &format!("chown -R postgres {}", dir.path().display()),
            false,
        );
        let port = 45_000 + (std::process::id() % 10_000) as u16;
        let cluster = Cluster {
            bin,
            data,
            port,
            _dir: dir,
        };
        cluster.pg(&format!(
            "initdb -D {} -A trust -U postgres --no-sync",
            cluster.data.display()
        ));
        cluster.start();
        Some(cluster)
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn pg(&self, command: &str) {
        shell(&format!("{}/{command}", self.bin.display()), true);
    }

    fn start(&self) {
        self.pg(&format!(
            "pg_ctl -D {} -w -l {}/log -o '-p {} -k {} -c listen_addresses=127.0.0.1' start",
            self.data.display(),
            self.data.display(),
            self.port,
            self.data.display()
        ));
    }

    fn crash(&self) {
        self.pg(&format!(
            "pg_ctl -D {} -w -m immediate stop",
            self.data.display()
        ));
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("su")
            .args(["postgres", "-s", "/bin/sh", "-c"])
            .arg(format!(
                "{}/pg_ctl -D {} -m immediate stop",
                self.bin.display(),
                self.data.display()
            ))
            .output();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Runs `command` in a shell, as the postgres user when `as_postgres`.
fn shell(command: &str, as_postgres: bool) {
    let out = if !as_postgres {
        Command::new("sh").args(["-c", command]).output().unwrap()
    } else {
        Command::new("su")
            .args(["postgres", "-s", "/bin/sh", "-c", command])
            .output()
            .unwrap()
    };
    assert!(
        out.status.success(),
        "{command}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[derive(Debug, Default)]
struct Ledger {
    acked: Vec<String>,
    unavailable: usize,
    failures: Vec<String>,
}

fn client(id: usize, base: &str, world: &LoadWorld, stop: &AtomicBool) -> Ledger {
    let mut rng = Lcg(id as u64 + 11);
    let mut ledger = Ledger::default();
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let session = world.sessions[rng.next() as usize % world.sessions.len()];
        let key = format!("pgcrash-{id}-{n}");
        let submission = match load::build(base, world, session, key, &mut rng) {
            Ok(Some(s)) => s,
            Ok(None) => {
                ledger.unavailable += 1;
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
            Err(failure) => {
                ledger.failures.push(failure);
                continue;
            }
        };
        match load::post(base, world, &submission) {
            Attempt::Acked {
                replayed: false, ..
            } => ledger.acked.push(submission.key),
            Attempt::Acked { replayed: true, .. } | Attempt::Stale => {}
            Attempt::Busy => ledger.unavailable += 1,
            Attempt::Unanswered => ledger.failures.push(format!(
                "the server itself stopped answering ({})",
                submission.key
            )),
            Attempt::Failed(failure) => ledger.failures.push(failure),
        }
    }
    ledger
}

fn cycles() -> u64 {
    std::env::var("BEKAL_CRASH_CYCLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20)
}

fn story(cluster: &Cluster, dir: &Path) {
    let url = cluster.url();
    let world = Arc::new(load::prepare(&url, dir));
    let before = load::versions(&url);
    let server = start_server(&["serve", "--database", &url], dir);
    let stop = Arc::new(AtomicBool::new(false));
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let threads: Vec<_> = (0..CLIENTS)
        .map(|id| {
            let (base, world, stop, ledger) = (
                server.url.clone(),
                world.clone(),
                stop.clone(),
                ledger.clone(),
            );
            std::thread::spawn(move || {
                let mine = client(id, &base, &world, &stop);
                let mut all = ledger.lock().unwrap();
                all.acked.extend(mine.acked);
                all.unavailable += mine.unavailable;
                all.failures.extend(mine.failures);
            })
        })
        .collect();
    let mut rng = Lcg(3);
    for _ in 0..cycles() {
        std::thread::sleep(Duration::from_millis(200 + rng.next() % 500));
        cluster.crash();
        std::thread::sleep(Duration::from_millis(100 + rng.next() % 300));
        cluster.start();
    }
    // Some load after the last restart proves the server recovered by itself.
    std::thread::sleep(Duration::from_millis(1_500));
    stop.store(true, Ordering::SeqCst);
    for thread in threads {
        thread.join().unwrap();
    }
    let log = server.log.lock().unwrap().clone();
    assert!(!log.contains("panicked"), "{log}");
    drop(server);
    let internal: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("internal error"))
        .collect();

    let ledger = std::mem::take(&mut *ledger.lock().unwrap());
    assert!(
        ledger.failures.is_empty(),
        "{} failures, e.g. {:?}; server: {:?}",
        ledger.failures.len(),
        &ledger.failures[..ledger.failures.len().min(5)],
        &internal[..internal.len().min(5)]
    );
    let stored = load::stored_keys(&url, "pgcrash-");
    for key in &ledger.acked {
        assert!(stored.contains(key), "acknowledged {key} lost in a crash");
    }
    let moved: i64 = load::versions(&url)
        .iter()
        .map(|(id, v)| v - before.get(id).copied().unwrap_or(0))
        .sum();
    assert_eq!(moved, stored.len() as i64);
    eprintln!(
        "{} crashes: {} acknowledged, {} stored, {} answered 503 or unreachable",
        cycles(),
        ledger.acked.len(),
        stored.len(),
        ledger.unavailable
    );
    assert!(ledger.unavailable > 0, "the crashes were never noticed");
    let check = run(&["check", "--json", "--database", &url], dir);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn postgres_crashing_under_load_loses_nothing_acknowledged() {
    let Some(cluster) = Cluster::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    story(&cluster, dir.path());
}
