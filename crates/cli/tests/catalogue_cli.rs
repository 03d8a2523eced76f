//! `bekal catalogue apply` and `bekal catalogue holidays` on a fresh SQLite database: the
//! demo's catalogue goes in once (a second apply creates nothing), a document with an unknown
//! key is refused naming it and writes nothing, the shipped holidays load once, a facility's
//! CSV with a bad date names the row, an unknown facility is refused.

#![expect(clippy::unwrap_used, reason = "tests")]

mod support;

use serde_json::Value;
use support::load::sql;
use support::run;

fn summary(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn catalogue_and_holidays_load_once_and_refuse_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("bekal.sqlite").display());
    let facility = run(
        &[
            "facility",
            "add",
            "PKL",
            "Lapas Kelas IIA Pekalongan",
            "--kind",
            "lapas",
            "--database",
            &url,
        ],
        dir.path(),
    );
    assert!(facility.status.success());
    let catalogue = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../app/data/demo-catalogue.toml"
    );
    let apply = |file: &str| {
        run(
            &["catalogue", "apply", file, "--json", "--database", &url],
            dir.path(),
        )
    };
    let first = summary(&apply(catalogue));
    assert!(first["created"].as_u64().unwrap() >= 30, "{first}");
    assert_eq!(sql(&url, "SELECT count(*) FROM packages").trim(), "6");
    let second = summary(&apply(catalogue));
    assert_eq!(
        second["created"], 0,
        "applying twice changes nothing: {second}"
    );

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[partners]]\ncode = \"LPK-X\"\nname = \"LPK X\"\nkind = \"training_centre\"\ncolour = \"red\"\n",
    )
    .unwrap();
    let refused = apply(bad.to_str().unwrap());
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("colour"), "{message}");
    assert_eq!(
        sql(&url, "SELECT count(*) FROM partners WHERE code = 'LPK-X'").trim(),
        "0"
    );

    let shipped = |extra: &[&str]| {
        let mut args = vec!["catalogue", "holidays", "--json", "--database", &url];
        args.extend_from_slice(extra);
        run(&args, dir.path())
    };
    let loaded = summary(&shipped(&["--shipped"]));
    assert!(loaded["created"].as_u64().unwrap() > 150, "{loaded}");
    assert_eq!(summary(&shipped(&["--shipped"]))["created"], 0);

    let local = dir.path().join("local.csv");
    std::fs::write(
        &local,
        "date,name,kind\n2026-12-30,Hari Jadi Lapas,local\n30/12/2026,Salah,local\n",
    )
    .unwrap();
    let broken = shipped(&[local.to_str().unwrap(), "--facility", "PKL"]);
    assert!(!broken.status.success());
    let message = String::from_utf8_lossy(&broken.stderr);
    assert!(message.contains("row 3"), "{message}");
    assert_eq!(
        sql(
            &url,
            "SELECT count(*) FROM holidays WHERE facility_id IS NOT NULL"
        )
        .trim(),
        "0"
    );
    std::fs::write(&local, "date,name,kind\n2026-12-30,Hari Jadi Lapas,local\n").unwrap();
    assert_eq!(
        summary(&shipped(&[local.to_str().unwrap(), "--facility", "PKL"]))["created"],
        1
    );
    let unknown = shipped(&[local.to_str().unwrap(), "--facility", "XYZ"]);
    assert!(!unknown.status.success());
}
