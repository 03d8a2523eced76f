//! `bekal report summary` and `bekal followup due / record` on the small report world
//! (crates/app/tests/support/report_world.rs), on SQLite and, when
//! `BEKAL_TEST_POSTGRES_URL` is set, on a throwaway PostgreSQL database: the JSON carries
//! totals that add up from the facility rows, CSV / XLSX / PDF / SVG come out, follow-ups
//! due shrink when one is recorded, and bad input exits non-zero.

#![expect(clippy::unwrap_used, reason = "tests")]

mod support;

#[path = "../../app/tests/support/report_world.rs"]
mod report_world;

use support::{PgDatabase, run};

fn build_world(url: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = bekal_store::Store::connect(url).await.unwrap();
        store.migrate().await.unwrap();
        report_world::build(&store).await;
        store.close().await.unwrap();
    });
}

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn story(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    build_world(url);
    let today = ["--today", "2026-12-01", "--database", url];
    let period = ["--from", "2026-01-01", "--to", "2026-12-31"];
    let summary = |scope: &[&str], extra: &[&str]| {
        let mut args = vec!["report", "summary"];
        args.extend_from_slice(scope);
        args.extend_from_slice(&period);
        args.extend_from_slice(&today);
        args.extend_from_slice(extra);
        run(&args, dir.path())
    };

    // Follow-ups: nine trained releasees owe their 3-month follow-up in SMG, PKL, SBY (3 each).
    let due = |facility: &str| {
        let args = ["followup", "due", "--facility", facility];
        let out = run(&[&args[..], &today[..]].concat(), dir.path());
        ok(&out).lines().count()
    };
    assert_eq!(due("SMG"), 3);
    let recorded = run(
        &[
            &[
                "followup",
                "record",
                "--facility",
                "SMG",
                "--register",
                "B.I-001/SMG",
                "--months",
                "3",
                "--contacted",
                "2026-09-12",
                "--outcome",
                "employed",
                "--employer-type",
                "company",
                "--in-trade",
                "--source",
                "bapas",
            ][..],
            &today[..],
        ]
        .concat(),
        dir.path(),
    );
    let view: serde_json::Value = serde_json::from_str(ok(&recorded).trim()).unwrap();
    assert_eq!(view["outcome"], "employed");
    assert_eq!(view["due_on"], "2026-09-10");
    assert_eq!(due("SMG"), 2);
    let refused = run(
        &[
            &[
                "followup",
                "record",
                "--facility",
                "SMG",
                "--register",
                "B.I-002/SMG",
                "--months",
                "3",
                "--contacted",
                "2026-09-12",
                "--outcome",
                "employed",
            ][..],
            &today[..],
        ]
        .concat(),
        dir.path(),
    );
    assert_eq!(
        refused.status.code(),
        Some(1),
        "employed needs an employer type"
    );

    // The national JSON: three facility rows whose counts add up to the totals.
    let json: serde_json::Value =
        serde_json::from_str(&ok(&summary(&["--national"], &["--format", "json"]))).unwrap();
    let rows = json["facilities"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for field in [
        "assessed",
        "selected",
        "enrolled",
        "completed",
        "certified",
        "hours_attended",
    ] {
        let sum: u64 = rows
            .iter()
            .map(|r| r["figures"][field].as_u64().unwrap())
            .sum();
        assert_eq!(json["totals"][field].as_u64().unwrap(), sum, "{field}");
    }
    assert_eq!(json["totals"]["follow_ups"]["employed"], 1);
    assert_eq!(json["totals"]["trained"]["released"], 9);
    let region: serde_json::Value = serde_json::from_str(&ok(&summary(
        &["--region", "Jawa Tengah"],
        &["--format", "json"],
    )))
    .unwrap();
    assert_eq!(region["facilities"].as_array().unwrap().len(), 2);
    assert_eq!(region["totals"]["enrolled"], 4 + 7);

    let csv = ok(&summary(&["--facility", "PKL"], &["--format", "csv"]));
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.lines().nth(2).unwrap().starts_with("TOTAL,"));
    let svg = ok(&summary(&["--national"], &["--format", "svg"]));
    assert!(svg.starts_with("<svg"));
    for (format, magic) in [("xlsx", &b"PK"[..]), ("pdf", &b"%PDF"[..])] {
        let file = dir.path().join(format!("laporan.{format}"));
        let path = file.to_str().unwrap();
        ok(&summary(
            &["--facility", "SMG"],
            &["--format", format, "-o", path],
        ));
        assert!(std::fs::read(&file).unwrap().starts_with(magic), "{format}");
    }
    // Usage errors: two scopes, or a PDF to stdout.
    assert_eq!(
        summary(&["--national", "--facility", "SMG"], &[])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        summary(&["--national"], &["--format", "pdf"]).status.code(),
        Some(2)
    );
    assert_eq!(summary(&["--facility", "NOPE"], &[]).status.code(), Some(1));
}

#[test]
fn report_and_followup_commands_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bekal.sqlite").display());
    story(&url);
}

#[test]
fn report_and_followup_commands_on_postgres() {
    let Some(db) = PgDatabase::create() else {
        return;
    };
    story(&db.url);
}
