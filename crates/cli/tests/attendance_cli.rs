//! `bekal sessions generate` and `bekal attendance export` on the demo database: sessions are
//! generated once, the register comes out as CSV on stdout or XLSX in a file, and usage or
//! input errors exit 2 or 1.

mod support;

use support::run;

#[test]
fn sessions_are_generated_once_and_the_register_exports() {
    let dir = tempfile::tempdir().unwrap();
    let built = run(
        &["demo", "--no-serve", "--today", "2026-11-29", "--json"],
        dir.path(),
    );
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&built.stdout).unwrap();
    let plan = summary["plan"]["plan_id"].as_i64().unwrap().to_string();
    let first = run(&["sessions", "generate", "--plan", &plan], dir.path());
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let again = run(&["sessions", "generate", "--plan", &plan], dir.path());
    assert!(again.status.success());
    let again: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again["sessions_created"], 0, "{again}");
    assert!(again["classes_unchanged"].as_u64().unwrap() >= 4, "{again}");
    let csv = run(
        &[
            "attendance",
            "export",
            "--facility",
            "PKL",
            "--format",
            "csv",
        ],
        dir.path(),
    );
    assert!(
        csv.status.success(),
        "{}",
        String::from_utf8_lossy(&csv.stderr)
    );
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(
        text.starts_with("Tanggal,Kelas,Nama,No. Urut,Kehadiran"),
        "{text}"
    );
    let file = dir.path().join("register.xlsx");
    let xlsx = run(
        &[
            "attendance",
            "export",
            "--facility",
            "PKL",
            "--from",
            "2026-11-01",
            "--format",
            "xlsx",
            "-o",
            file.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(
        xlsx.status.success(),
        "{}",
        String::from_utf8_lossy(&xlsx.stderr)
    );
    assert!(std::fs::read(&file).unwrap().starts_with(b"PK"));
    // Each export names the trainees: each is an audited read.
    let url = format!(
        "sqlite://{}",
        dir.path().join("bekal-data/bekal.sqlite").display()
    );
    let reads = support::load::sql(
        &url,
        "SELECT count(*) FROM audit_log WHERE action = 'read' \
         AND changes LIKE '%attendance register export%'",
    );
    assert_eq!(reads.trim(), "2", "two exports, two audited reads");
    let no_file = run(
        &[
            "attendance",
            "export",
            "--facility",
            "PKL",
            "--format",
            "xlsx",
        ],
        dir.path(),
    );
    assert_eq!(no_file.status.code(), Some(2));
    let unknown = run(
        &[
            "attendance",
            "export",
            "--facility",
            "NOPE",
            "--format",
            "csv",
        ],
        dir.path(),
    );
    assert_eq!(unknown.status.code(), Some(1));
}
