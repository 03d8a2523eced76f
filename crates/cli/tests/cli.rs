//! The command-line contract, tested on the real binary: subcommands listed, exit codes (0 ok,
//! 1 rejected input, 2 usage), `--json` on stdout, the demo, and a served `/healthz`.

mod support;

use support::{get, get_signed_in, login, run, start_server};

#[test]
fn help_lists_the_subcommands() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["--help"], dir.path());
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for command in ["demo", "serve", "migrate", "facility"] {
        assert!(text.contains(command), "{command} missing from:\n{text}");
    }
}

#[test]
fn usage_errors_exit_2_and_rejected_input_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/t.sqlite", dir.path().display());
    assert_eq!(run(&["no-such-command"], dir.path()).status.code(), Some(2));
    assert_eq!(
        run(
            &[
                "facility",
                "add",
                "PKL",
                "Lapas",
                "--kind",
                "prison",
                "--database",
                &db
            ],
            dir.path()
        )
        .status
        .code(),
        Some(2)
    );
    let ok = run(
        &[
            "facility",
            "add",
            "pkl",
            "Lapas Kelas IIA Pekalongan",
            "--kind",
            "lapas",
            "--region",
            "Jawa Tengah",
            "--json",
            "--database",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let created: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(created["code"], "PKL");
    assert_eq!(created["kind"], "lapas");
    let dup = run(
        &[
            "facility",
            "add",
            "PKL",
            "Lapas lain",
            "--kind",
            "lapas",
            "--database",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(dup.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&dup.stderr).contains("already exists"));
    let bad = run(
        &[
            "facility",
            "add",
            "P K L",
            "Lapas",
            "--kind",
            "lapas",
            "--database",
            &db,
        ],
        dir.path(),
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("facility code"));
}

#[test]
fn database_url_comes_from_the_environment_too() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/env.sqlite", dir.path().display());
    let out = support::bekal()
        .args([
            "facility",
            "add",
            "SMG",
            "Rutan Semarang",
            "--kind",
            "rutan",
        ])
        .env("BEKAL_DATABASE_URL", &db)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let listed = run(
        &["facility", "list", "--json", "--database", &db],
        dir.path(),
    );
    let list: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(list[0]["code"], "SMG");
}

#[test]
fn demo_builds_and_serves() {
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
    assert_eq!(summary["facility"], "PKL");
    assert_eq!(summary["inmates"], 253);
    assert_eq!(summary["reused"], false);
    assert!(
        dir.path().join("bekal-data/bekal.sqlite").exists(),
        "the default embedded database"
    );
    // The holder's download code, made on the command line, opens on the server.
    let linked = run(
        &["cert", "link", "BLK-PKL/2026/00001", "--json"],
        dir.path(),
    );
    assert!(
        linked.status.success(),
        "{}",
        String::from_utf8_lossy(&linked.stderr)
    );
    let link: serde_json::Value = serde_json::from_slice(&linked.stdout).unwrap();
    let code = link["code"].as_str().unwrap().replace('-', "");
    assert_eq!(code.len(), 20, "{link}");
    assert!(
        link["address"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/unduh/{code}"))
    );
    let missing = run(&["cert", "link", "BLK-PKL/2026/99999"], dir.path());
    assert_eq!(missing.status.code(), Some(1));
    let server = start_server(&["demo", "--today", "2026-11-29"], dir.path());
    let (status, page) = get(&format!("{}/unduh/{code}", server.url));
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("BLK-PKL/2026/00001"));
    let (status, body) = get(&format!("{}/healthz", server.url));
    assert_eq!((status, body.contains("ok")), (200, true), "{body}");
    let (status, prompt) = get(&format!("{}/login", server.url));
    assert_eq!(status, 200);
    assert!(
        prompt.contains("name=\"username\"") && !prompt.contains("Pekalongan"),
        "a sign-in prompt without sign-in: {prompt}"
    );
    let (status, _) = get(&format!("{}/", server.url));
    assert_eq!(status, 303, "the home page sends strangers to sign in");
    // The demo's oversight account (no second factor) sees the figures.
    let cookie = login(&server.url, "kanwil.jateng", "bekal-demo-2026");
    let (status, page) = get_signed_in(&format!("{}/", server.url), &cookie);
    assert_eq!(status, 200);
    assert!(
        page.contains("Lapas Kelas IIA Pekalongan") && page.contains("<html lang=\"id\">"),
        "{page}"
    );
    assert!(
        !page.contains("B.I"),
        "no register numbers on an unauthenticated page"
    );
    let (status, _) = get(&format!("{}/no-such-page", server.url));
    assert_eq!(status, 404);
    let (status, _) = get(&format!("{}/api/facilities", server.url));
    assert_eq!(status, 401, "the API needs a caller");
    let (status, body) = get_signed_in(&format!("{}/api/facilities", server.url), &cookie);
    assert_eq!((status, body.contains("PKL")), (200, true), "{body}");
    let (status, _) = get_signed_in(
        &format!("{}/api/facilities/PKL/overview", server.url),
        &cookie,
    );
    assert_eq!(status, 200);
}

#[test]
fn retention_is_shown_set_within_its_limits_and_applied() {
    let dir = tempfile::tempdir().unwrap();
    let json = |args: &[&str]| {
        let out = run(args, dir.path());
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    assert_eq!(json(&["retention", "show"])["years_after_release"], 5);
    let refused = run(&["retention", "set", "--years", "1"], dir.path());
    assert_eq!(
        refused.status.code(),
        Some(1),
        "shorter than the follow-ups"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("follow-up"));
    assert!(
        run(&["retention", "set", "--years", "7"], dir.path())
            .status
            .success()
    );
    assert_eq!(json(&["retention", "show"])["years_after_release"], 7);
    let counted = json(&["retention", "apply", "--dry-run", "--today", "2030-01-01"]);
    assert_eq!(counted["total"], 0);
    assert_eq!(counted["dry_run"], true);
    assert_eq!(counted["released_before"], "2023-01-01");
}
