//! The benchmark suite at its smoke size, for correctness only (no time limits): the data set
//! generator is deterministic, `bench run import` imports every row and prints its line, and
//! `bench run credentials` signs and verifies (every one valid) beside the reference verifier.

mod support;

use support::run;

#[test]
fn generator_writes_the_import_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("data");
    let generated = run(
        &[
            "bench",
            "gen",
            "--scale",
            "smoke",
            "--seed",
            "3",
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&generated.stdout).unwrap();
    assert_eq!(summary["inmates"], 2000);
    let db = format!("sqlite://{}/smoke.sqlite", dir.path().display());
    assert!(
        run(
            &[
                "facility",
                "add",
                "F001",
                "Lapas F001",
                "--kind",
                "lapas",
                "--database",
                &db
            ],
            dir.path()
        )
        .status
        .success()
    );
    let file = out.join("inmates/F001.csv");
    let imported = run(
        &[
            "import",
            "inmates",
            "--facility",
            "F001",
            file.to_str().unwrap(),
            "--json",
            "--database",
            &db,
        ],
        dir.path(),
    );
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&imported.stdout).unwrap();
    assert_eq!(
        summary["rejected"], 0,
        "generated rows are all valid: {summary}"
    );
    assert!(summary["inserted"].as_u64().unwrap() > 0);
}

#[test]
fn import_benchmark_runs_at_smoke_size() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("lines.json");
    let out = run(
        &[
            "bench",
            "run",
            "import",
            "--scale",
            "smoke",
            "--repeat",
            "1",
            "--work",
            dir.path().to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("import 2000 inmates"), "{text}");
    let lines: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    assert!(lines[0]["bekal_seconds"].as_f64().unwrap() > 0.0);
}

#[test]
fn credentials_benchmark_runs_at_smoke_size() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("lines.json");
    let verifier = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/vc-verifier/vc-verify");
    let out = support::bekal()
        .args([
            "bench",
            "run",
            "credentials",
            "--count",
            "50",
            "--sample",
            "2",
        ])
        .args(["--repeat", "1", "--work", dir.path().to_str().unwrap()])
        .args(["--json", json.to_str().unwrap()])
        .env("BEKAL_VC_VERIFY", &verifier)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("credentials: sign 50"), "{text}");
    let lines: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    assert_eq!(lines.as_array().unwrap().len(), 3);
    for line in lines.as_array().unwrap() {
        assert!(line["bekal_seconds"].as_f64().unwrap() > 0.0, "{line}");
    }
    if verifier.is_file() && std::env::var("CI").as_deref() == Ok("true") {
        assert!(
            lines[2]["anchor_seconds"].as_f64().is_some(),
            "the reference verifier must run in CI: {}",
            lines[2]
        );
    }
}

/// `bench run reports` at smoke size on one backend: loads the data set, and the run itself
/// fails unless the hand-written SQL's totals equal Bekal's figure by figure. The loaded
/// database must then pass `bekal check` (integrity, and every certificate re-verified).
#[expect(
    clippy::unwrap_used,
    reason = "test helper: a failure is a failed test"
)]
fn reports_benchmark_on(url: &str, dir: &std::path::Path) {
    let json = dir.join("lines.json");
    let out = run(
        &[
            "bench",
            "run",
            "reports",
            "--scale",
            "smoke",
            "--repeat",
            "1",
            "--database",
            url,
            "--work",
            dir.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ],
        dir,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let lines = lines.as_array().unwrap();
    assert_eq!(lines.len(), 2, "national and facility: {lines:?}");
    for line in lines {
        assert!(line["bekal_seconds"].as_f64().unwrap() > 0.0, "{line}");
        if std::env::var("CI").as_deref() == Ok("true") {
            assert!(
                line["note"].as_str().unwrap().contains("equal the anchor"),
                "the anchor must run in CI: {line}"
            );
        }
    }
    assert!(dir.join("anchor-national.sql").exists());
    // Loading again into the same database is refused: it is not empty.
    let again = run(
        &["bench", "load", "--scale", "smoke", "--database", url],
        dir,
    );
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already holds 8 facilities"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let check = run(&["check", "--json", "--database", url], dir);
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap_or_default();
    assert!(
        check.status.success(),
        "{report} {}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(
        report["certificates"]["valid"].as_u64().unwrap_or(0) > 500,
        "the loaded certificates are signed and verify: {report}"
    );
}

#[test]
fn reports_benchmark_runs_at_smoke_size_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/reports.sqlite", dir.path().display());
    reports_benchmark_on(&url, dir.path());
}

#[test]
fn reports_benchmark_runs_at_smoke_size_on_postgres() {
    let Some(db) = support::PgDatabase::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    reports_benchmark_on(&db.url, dir.path());
}

/// `bench run plan` on the tiny instance: Bekal's plan passes check.py (the run fails
/// otherwise), and where Python has OR-Tools (CI installs it) the anchor's plan is solved and
/// checked beside it.
#[test]
fn plan_benchmark_runs_on_the_tiny_instance() {
    let planner = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/planner");
    if !planner.join("check.py").is_file() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "../shared/planner must be beside the repository in CI"
        );
        eprintln!("SKIPPED: ../shared/planner not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("lines.json");
    let out = support::bekal()
        .args(["bench", "run", "plan", "--instance", "tiny-1.json"])
        .args(["--time-limit", "2", "--repeat", "1"])
        .args(["--work", dir.path().to_str().unwrap()])
        .args(["--json", json.to_str().unwrap()])
        .env("BEKAL_PLANNER_DIR", &planner)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    let line = &lines[0];
    assert!(line["bekal_seconds"].as_f64().unwrap() > 0.0, "{line}");
    let note = line["note"].as_str().unwrap();
    assert!(note.starts_with("Bekal value"), "{note}");
    assert!(note.contains("check.py valid"), "{note}");
    let ortools = std::process::Command::new("python3")
        .args(["-c", "import ortools, highspy"])
        .status()
        .is_ok_and(|s| s.success());
    if ortools {
        assert!(line["anchor_seconds"].as_f64().is_some(), "{line}");
        assert!(note.contains("CP-SAT value"), "{note}");
    }
}

/// `bench run http` at a tiny size: the demo is served; the public verification API, an
/// officer's dashboard, attendance corrections and `/healthz` answer 200 to every request
/// under concurrent keep-alive load (the run fails on any other status); each line carries
/// both latencies and the server's peak RSS.
#[test]
fn http_benchmark_runs_briefly() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("lines.json");
    let out = run(
        &[
            "bench",
            "run",
            "http",
            "--connections",
            "4",
            "--seconds",
            "0.5",
            // Two rounds: the second starts from the sheets the first left.
            "--repeat",
            "2",
            "--work",
            dir.path().to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    let lines = lines.as_array().unwrap();
    let names: Vec<&str> = lines.iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names[0].contains("public verification"), "{names:?}");
    assert!(names[1].contains("dashboard"), "{names:?}");
    assert!(names[2].contains("attendance submission"), "{names:?}");
    for line in lines {
        assert!(line["bekal_seconds"].as_f64().unwrap() > 0.0, "{line}");
        assert!(line["anchor_seconds"].as_f64().unwrap() > 0.0, "{line}");
        assert!(line["bekal_peak_rss_kb"].as_u64().unwrap() > 1000, "{line}");
        assert!(line["note"].as_str().unwrap().contains("req/s"), "{line}");
    }
}
