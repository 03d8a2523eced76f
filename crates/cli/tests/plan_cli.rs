//! `bekal plan solve|check` on the shared instances: the solution passes our checker and
//! `shared/planner/check.py`; a broken solution fails both. Skipped (with a note) when the
//! shared folder is not beside the repository, except under CI.

#![expect(clippy::unwrap_used, reason = "test: a failure is a failed test")]

mod support;

use std::path::PathBuf;
use support::run;

fn planner_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/planner");
    if dir.join("check.py").exists() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "shared/planner must be beside the repository under CI"
    );
    eprintln!("SKIPPED: {} not found", dir.display());
    None
}

fn python_check(
    dir: &std::path::Path,
    instance: &std::path::Path,
    solution: &std::path::Path,
) -> bool {
    std::process::Command::new("python3")
        .arg(dir.join("check.py"))
        .arg(instance)
        .arg(solution)
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn solve_and_check_agree_with_check_py() {
    let Some(dir) = planner_dir() else { return };
    let work = tempfile::tempdir().unwrap();
    for name in ["tiny-1", "pekalongan-1"] {
        let instance = dir.join(format!("instances/{name}.json"));
        let solution = work.path().join(format!("{name}.solution.json"));
        let solved = run(
            &[
                "plan",
                "solve",
                instance.to_str().unwrap(),
                "-o",
                solution.to_str().unwrap(),
                "--time-limit",
                "10",
            ],
            work.path(),
        );
        assert!(
            solved.status.success(),
            "{}",
            String::from_utf8_lossy(&solved.stderr)
        );
        let checked = run(
            &[
                "plan",
                "check",
                instance.to_str().unwrap(),
                solution.to_str().unwrap(),
                "--json",
            ],
            work.path(),
        );
        assert!(
            checked.status.success(),
            "{}",
            String::from_utf8_lossy(&checked.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
        assert_eq!(report["valid"], true);
        assert!(
            python_check(&dir, &instance, &solution),
            "check.py rejects our {name} solution"
        );

        // Break it: claim one more point of value than the plan earns.
        let mut broken: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&solution).unwrap()).unwrap();
        let value = broken["objective"]["value"].as_i64().unwrap();
        broken["objective"]["value"] = serde_json::json!(value + 1);
        let broken_path = work.path().join(format!("{name}.broken.json"));
        std::fs::write(&broken_path, broken.to_string()).unwrap();
        let ours = run(
            &[
                "plan",
                "check",
                instance.to_str().unwrap(),
                broken_path.to_str().unwrap(),
            ],
            work.path(),
        );
        assert_eq!(ours.status.code(), Some(1));
        assert!(
            !python_check(&dir, &instance, &broken_path),
            "check.py accepts a broken solution"
        );
    }
}

#[test]
fn malformed_instance_is_rejected_with_exit_1() {
    let work = tempfile::tempdir().unwrap();
    let bad = work.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\"format\": \"lapas-training-instance/1\", \"facilities\": [{}]}",
    )
    .unwrap();
    let out = run(
        &[
            "plan",
            "solve",
            bad.to_str().unwrap(),
            "-o",
            work.path().join("s.json").to_str().unwrap(),
        ],
        work.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
}
