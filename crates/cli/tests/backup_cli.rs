//! `bekal backup`, `bekal restore` and `bekal check` on the demo database, on SQLite and (when
//! `BEKAL_TEST_POSTGRES_URL` is set) PostgreSQL: a backup taken while another process keeps
//! writing holds every write acknowledged before it began, restores into an empty target,
//! passes its integrity check, its audit chains and every certificate verify; a restore over
//! existing data or from a file that is no backup is refused; `bekal check` catches a
//! tampered certificate.

#![expect(clippy::unwrap_used, reason = "tests")]

mod support;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use support::{PgDatabase, run};

fn json_of(out: &std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Adds facilities BK0, BK1, ... one process at a time until `stop`; returns the acknowledged.
fn start_writer(
    url: &str,
    dir: &Path,
    stop: Arc<AtomicBool>,
) -> (Arc<Mutex<Vec<String>>>, std::thread::JoinHandle<()>) {
    let acked = Arc::new(Mutex::new(Vec::new()));
    let (url, dir, sink) = (url.to_owned(), dir.to_owned(), acked.clone());
    let handle = std::thread::spawn(move || {
        let mut i = 0;
        while !stop.load(Ordering::SeqCst) {
            let code = format!("BK{i}");
            let name = format!("Rutan Cadangan {i}");
            let out = run(
                &[
                    "facility",
                    "add",
                    &code,
                    &name,
                    "--kind",
                    "rutan",
                    "--database",
                    &url,
                ],
                &dir,
            );
            if out.status.success() {
                sink.lock().unwrap().push(code);
            }
            i += 1;
        }
    });
    (acked, handle)
}

fn facility_codes(url: &str, dir: &Path) -> Vec<String> {
    let list = json_of(&run(
        &["facility", "list", "--json", "--database", url],
        dir,
    ));
    list.as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

fn story(source: &str, target: &str, backup_file: &Path, dir: &Path, tamper: impl Fn(&str)) {
    let demo = run(
        &[
            "demo",
            "--no-serve",
            "--database",
            source,
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

    // Writes keep coming while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let (acked, writer) = start_writer(source, dir, stop.clone());
    while acked.lock().unwrap().len() < 2 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let acked_before: Vec<String> = acked.lock().unwrap().clone();
    let backup_path = backup_file.to_str().unwrap();
    let report = json_of(&run(
        &["backup", backup_path, "--json", "--database", source],
        dir,
    ));
    assert_eq!(report["check"], "ok", "{report}");
    assert!(report["bytes"].as_u64().unwrap() > 0);
    let written_meanwhile = acked.lock().unwrap().len();
    while acked.lock().unwrap().len() < written_meanwhile + 2 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();

    // A second backup to the same file is refused, the first is untouched.
    let again = run(&["backup", backup_path, "--database", source], dir);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    // Restore into the empty target, checked.
    let restored = json_of(&run(
        &["restore", backup_path, "--json", "--database", target],
        dir,
    ));
    assert_eq!(restored["ok"], true, "{restored}");
    assert_eq!(restored["integrity"], "ok");
    let certificates = &restored["certificates"];
    assert!(certificates["checked"].as_u64().unwrap() > 0, "{restored}");
    assert_eq!(certificates["valid"], certificates["checked"], "{restored}");
    let codes = facility_codes(target, dir);
    for code in &acked_before {
        assert!(
            codes.contains(code),
            "{code} acknowledged before the backup is missing"
        );
    }
    assert!(codes.iter().any(|c| c == "PKL"));
    let verify = run(&["audit", "verify", "--database", target], dir);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );

    // The target now holds data: a second restore is refused and changes nothing.
    let over = run(&["restore", backup_path, "--database", target], dir);
    assert_eq!(over.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&over.stderr).contains("already holds data"));

    // A file that is no backup is refused.
    let junk = dir.join("not-a-backup.bin");
    std::fs::write(&junk, b"this is not a database at all, just text").unwrap();
    let bad = run(
        &[
            "restore",
            junk.to_str().unwrap(),
            "--database",
            &format!("{target}x"),
        ],
        dir,
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&bad.stderr).is_empty());

    // `bekal check` passes, then catches a certificate edited in the database.
    let check = json_of(&run(&["check", "--json", "--database", target], dir));
    assert_eq!(check["ok"], true, "{check}");
    tamper(target);
    let caught = run(&["check", "--json", "--database", target], dir);
    assert_eq!(caught.status.code(), Some(1));
    let caught: serde_json::Value = serde_json::from_slice(&caught.stdout).unwrap();
    assert_eq!(caught["ok"], false);
    let problems = caught["certificates"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{caught}");
}

const TAMPER: &str = "UPDATE certificates SET credential = replace(credential, holder_name, \
                      holder_name || ' Palsu') WHERE id = (SELECT min(id) FROM certificates)";

#[test]
fn sqlite_backup_restore_and_check() {
    let dir = tempfile::tempdir().unwrap();
    let source = format!("sqlite://{}", dir.path().join("live.sqlite").display());
    let target_file = dir.path().join("restored").join("bekal.sqlite");
    let target = format!("sqlite://{}", target_file.display());
    story(
        &source,
        &target,
        &dir.path().join("backup.sqlite"),
        dir.path(),
        |_| {
            let status = std::process::Command::new("sqlite3")
                .arg(&target_file)
                .arg(TAMPER)
                .status()
                .unwrap();
            assert!(status.success());
        },
    );
    // --force replaces a SQLite file (the operator stopped the servers).
    let forced = run(
        &[
            "restore",
            dir.path().join("backup.sqlite").to_str().unwrap(),
            "--force",
            "--database",
            &target,
        ],
        dir.path(),
    );
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stdout)
    );
}

#[test]
fn postgres_backup_restore_and_check() {
    let (Some(source), Some(target)) = (PgDatabase::create(), PgDatabase::create()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    story(
        &source.url,
        &target.url,
        &dir.path().join("backup.pgdump"),
        dir.path(),
        |url| {
            let status = std::process::Command::new("psql")
                .args([url, "-v", "ON_ERROR_STOP=1", "-qc", TAMPER])
                .status()
                .unwrap();
            assert!(status.success());
        },
    );
}
