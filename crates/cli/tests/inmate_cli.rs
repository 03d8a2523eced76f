//! `bekal inmate release` on the demo database: a finished trainee's release is recorded
//! (JSON out), a second one is refused, someone in a running class is refused with the class
//! named, an unknown register number and a bad kind exit non-zero; the person's
//! subject-access export holds the release and is audited.

mod support;

use support::load::sql;
use support::run;

#[test]
fn releases_are_recorded_once_and_refused_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bekal.sqlite").display());
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
    assert!(demo.status.success());
    let in_class = |status: &str| {
        sql(
            &url,
            &format!(
                "SELECT i.register_number FROM enrolments e JOIN classes c ON c.id = e.class_id \
                 JOIN inmates i ON i.id = e.inmate_id WHERE c.status = '{status}' LIMIT 1"
            ),
        )
        .trim()
        .to_owned()
    };
    let (finished, running) = (in_class("finished"), in_class("running"));
    let release = |register: &str, extra: &[&str]| {
        let mut args = vec![
            "inmate",
            "release",
            register,
            "--facility",
            "PKL",
            "--on",
            "2026-11-25",
            "--database",
            &url,
        ];
        args.extend_from_slice(extra);
        run(&args, dir.path())
    };
    let done = release(&finished, &["--reason", "Pembebasan bersyarat", "--json"]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let event: serde_json::Value = serde_json::from_slice(&done.stdout).unwrap();
    assert_eq!(event["kind"], "released");
    assert_eq!(event["effective_on"], "2026-11-25");
    let status = sql(
        &url,
        &format!("SELECT custody_status FROM inmates WHERE register_number = '{finished}'"),
    );
    assert_eq!(status.trim(), "released");

    let twice = release(&finished, &[]);
    assert_eq!(twice.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&twice.stderr).contains("already released"));
    let busy = release(&running, &[]);
    assert_eq!(busy.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&busy.stderr).contains("still enrolled in class P1-"));
    let unknown = release("BI.999/99", &[]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("not found"));
    let bad_kind = release(&finished, &["--kind", "in_custody"]);
    assert_eq!(bad_kind.status.code(), Some(2));

    // The subject-access export of the released trainee.
    let file = dir.path().join("data.json");
    let exported = run(
        &[
            "inmate",
            "export-data",
            &finished,
            "--facility",
            "PKL",
            "-o",
            file.to_str().unwrap(),
            "--database",
            &url,
        ],
        dir.path(),
    );
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(document["person"]["register_number"], finished.as_str());
    assert_eq!(
        document["custody_events"][0]["reason"],
        "Pembebasan bersyarat"
    );
    let audited = sql(
        &url,
        "SELECT count(*) FROM audit_log WHERE changes LIKE '%subject-access export%'",
    );
    assert_eq!(audited.trim(), "1");
}
