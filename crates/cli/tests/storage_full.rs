//! A full disk and a read-only file system under a running `bekal serve` on SQLite, for real:
//! the database lives on a small tmpfs that the test fills up, then is served through a
//! read-only bind mount. A write is answered 503 with the `storage` error (never a 500, never
//! a panic) and leaves nothing behind; once space returns the same submission goes through
//! once; through the read-only mount reads work and writes are refused the same way; at the
//! end the database passes `bekal check` (integrity, audit chains, certificates). Needs root for `mount`; outside CI it is skipped when mounting is refused.

#![expect(clippy::unwrap_used, reason = "tests")]

mod support;

use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::{post_json, run, send, start_server};

/// A tmpfs mounted for the test, unmounted on drop.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).unwrap();
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .status();
        if status.is_ok_and(|s| s.success()) {
            return Some(Tmpfs(at.to_owned()));
        }
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "cannot mount a tmpfs under CI (the storage test needs root)"
        );
        eprintln!("storage test SKIPPED: cannot mount a tmpfs here");
        None
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// A read-only bind mount of a folder (the database files as a read-only disk shows them).
struct ReadOnlyView(PathBuf);

impl ReadOnlyView {
    fn bind(source: &Path, at: &Path) -> ReadOnlyView {
        std::fs::create_dir_all(at).unwrap();
        let bound = Command::new("mount")
            .arg("--bind")
            .arg(source)
            .arg(at)
            .status()
            .unwrap();
        assert!(bound.success(), "bind mount");
        let view = ReadOnlyView(at.to_owned());
        let ro = Command::new("mount")
            .args(["-o", "remount,bind,ro"])
            .arg(at)
            .status()
            .unwrap();
        assert!(ro.success(), "remount read-only");
        view
    }
}

impl Drop for ReadOnlyView {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Writes zeros into `file` until the file system refuses.
fn fill(file: &Path) {
    let mut out = std::fs::File::create(file).unwrap();
    let block = vec![0_u8; 256 * 1024];
    while out.write_all(&block).is_ok() {}
    let _ = out.sync_all();
}

#[test]
fn full_disk_and_read_only_file_system_fail_cleanly_and_recover() {
    let dir = tempfile::tempdir().unwrap();
    let Some(fs) = Tmpfs::mount(&dir.path().join("mnt"), "32m") else {
        return;
    };
    let url = format!("sqlite://{}", fs.0.join("bekal.sqlite").display());
    let demo = run(
        &[
            "demo",
            "--no-serve",
            "--database",
            &url,
            "--today",
            "2026-11-29",
        ],
        dir.path(),
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
            "disk",
            "--scope",
            "RecordAttendance",
            "--database",
            &url,
        ],
        dir.path(),
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let auth = format!("Bearer {}", String::from_utf8(made.stdout).unwrap().trim());
    let headers = [("Authorization", auth.as_str())];
    let server = start_server(&["serve", "--database", &url], dir.path());
    let session = 1;
    let sheet_url = format!("{}/api/sessions/{session}/attendance", server.url);
    let sheet = |expect: u16| -> Value {
        let (status, _, body) = send("GET", &sheet_url, &headers, None, "");
        assert_eq!(status, expect, "{body}");
        serde_json::from_str(&body).unwrap()
    };
    let before = sheet(200);
    let enrolment = before["rows"][0]["enrolment_id"].clone();
    let submission = |key: &str, base: &Value, mark: &str| {
        json!({
            "session_id": session,
            "idempotency_key": key,
            "base_version": base,
            "all_present": true,
            "entries": [{"enrolment_id": enrolment, "status": mark}],
        })
        .to_string()
    };

    // The disk fills up. SQLite may still fit a small commit into WAL or database pages it
    // already owns, so submissions (each a real change) go on until one needs new space: that
    // one is refused as "storage" and leaves nothing behind.
    let filler = fs.0.join("filler");
    fill(&filler);
    let mut base = before["sheet_version"].clone();
    let mut refused = None;
    for attempt in 0..2_000 {
        let mark = if attempt % 2 == 0 { "late" } else { "absent" };
        let body = submission(&format!("disk-{attempt}"), &base, mark);
        let (status, _, answer) = post_json(&sheet_url, &headers, &body);
        match status {
            200 => {
                let receipt: Value = serde_json::from_str(&answer).unwrap();
                base = receipt["sheet_version"].clone();
            }
            503 => {
                refused = Some((body, answer));
                break;
            }
            other => panic!("attempt {attempt} on a full disk: {other} {answer}"),
        }
    }
    let (body, answer) = refused.expect("a full disk never refused a write");
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["error"], "storage", "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("nothing was saved")
    );
    let (health, _, _) = send("GET", &format!("{}/healthz", server.url), &[], None, "");
    assert_eq!(health, 200, "reads still work on a full disk");
    assert_eq!(
        sheet(200)["sheet_version"],
        base,
        "the refused write left nothing"
    );

    // Space returns: the same submission goes through, once.
    std::fs::remove_file(&filler).unwrap();
    let (status, _, receipt) = post_json(&sheet_url, &headers, &body);
    assert_eq!(status, 200, "{receipt}");
    let receipt: Value = serde_json::from_str(&receipt).unwrap();
    assert_eq!(receipt["replayed"], false);
    let after = sheet(200);
    assert_eq!(
        after["sheet_version"].as_i64().unwrap(),
        base.as_i64().unwrap() + 1
    );

    // The same files seen through a read-only mount: reads work, a write is refused the same
    // way; back on the writable path, the same submission is accepted.
    let log = server.log.lock().unwrap().clone();
    assert!(!log.contains("panicked"), "{log}");
    drop(server);
    let read_only = ReadOnlyView::bind(&fs.0, &dir.path().join("ro"));
    let ro_url = format!("sqlite://{}", read_only.0.join("bekal.sqlite").display());
    let server = start_server(&["serve", "--database", &ro_url], dir.path());
    let ro_sheet_url = format!("{}/api/sessions/{session}/attendance", server.url);
    let (status, _, listed) = send("GET", &ro_sheet_url, &headers, None, "");
    assert_eq!(status, 200, "{listed}");
    let body = submission("read-only", &after["sheet_version"], "present");
    let (status, _, answer) = post_json(&ro_sheet_url, &headers, &body);
    assert_eq!(status, 503, "{answer}");
    assert!(answer.contains("\"storage\""), "{answer}");
    let log = server.log.lock().unwrap().clone();
    assert!(!log.contains("panicked"), "{log}");
    drop(server);
    drop(read_only);
    let server = start_server(&["serve", "--database", &url], dir.path());
    let rw_sheet_url = format!("{}/api/sessions/{session}/attendance", server.url);
    let (status, _, receipt) = post_json(&rw_sheet_url, &headers, &body);
    assert_eq!(status, 200, "{receipt}");

    let log = server.log.lock().unwrap().clone();
    assert!(!log.contains("panicked"), "{log}");
    drop(server);
    let check = run(&["check", "--json", "--database", &url], dir.path());
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}
