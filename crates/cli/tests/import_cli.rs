//! `bekal import inmates` on the real binary: the `--json` summary's shape, exit code 1 when rows
//! are rejected, the error report file, an unknown facility, and an idempotent re-import.

mod support;

use support::run;

const FILE: &str = "Nama,No Reg,Tanggal Lahir,JK,Tanggal Bebas\n\
\"Santoso, Agus\",B.I-1/2025,10 Jun 1990,L,01/12/2027\n\
Budi Wijaya,B.I-2/2025,not a date,L,01/12/2027\n";

#[test]
fn json_summary_errors_report_and_reimport() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/t.sqlite", dir.path().display());
    let file = dir.path().join("wbp.csv");
    std::fs::write(&file, FILE).unwrap();
    let file = file.to_str().unwrap();

    let unknown = run(
        &[
            "import",
            "inmates",
            "--facility",
            "XYZ",
            file,
            "--database",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown facility"));

    assert!(
        run(
            &[
                "facility",
                "add",
                "PKL",
                "Lapas Pekalongan",
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
    let report = dir.path().join("errors.csv");
    let out = run(
        &[
            "import",
            "inmates",
            "--facility",
            "PKL",
            file,
            "--json",
            "--errors-out",
            report.to_str().unwrap(),
            "--database",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "a rejected row makes the exit code 1"
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "rows",
        "inserted",
        "updated",
        "unchanged",
        "rejected",
        "errors",
    ] {
        assert!(summary.get(key).is_some(), "{key} missing from {summary}");
    }
    assert_eq!(
        (
            summary["rows"].as_u64(),
            summary["inserted"].as_u64(),
            summary["rejected"].as_u64()
        ),
        (Some(2), Some(1), Some(1))
    );
    let error = &summary["errors"][0];
    assert_eq!(
        (
            error["row"].as_u64(),
            error["column"].as_str(),
            error["value"].as_str()
        ),
        (Some(3), Some("Tanggal Lahir"), Some("not a date"))
    );
    assert!(error["reason"].as_str().is_some_and(|r| !r.is_empty()));
    let report_text = std::fs::read_to_string(&report).unwrap();
    assert!(report_text.contains("not a date"), "{report_text}");

    let again = run(
        &[
            "import",
            "inmates",
            "--facility",
            "PKL",
            file,
            "--json",
            "--database",
            &db,
        ],
        dir.path(),
    );
    let summary: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(
        (summary["inserted"].as_u64(), summary["unchanged"].as_u64()),
        (Some(0), Some(1))
    );
}
