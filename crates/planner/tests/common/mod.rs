//! Shared helpers of the integration tests: reading the shared instances (skipped with a note
//! when the directory is missing) and running check.py.
#![allow(dead_code, clippy::print_stdout, clippy::expect_used)]

use std::path::{Path, PathBuf};

use bekal_planner::{Instance, parse_instance};

pub const SHARED: &str = "/work/shared/planner";

pub fn instance_path(name: &str) -> PathBuf {
    Path::new(SHARED)
        .join("instances")
        .join(format!("{name}.json"))
}

/// Loads a shared instance, or prints a note and returns None.
pub fn load(name: &str) -> Option<(Instance, String)> {
    let path = instance_path(name);
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("note: {} missing, test skipped", path.display());
        return None;
    };
    let inst = parse_instance(&text).expect("shared instance parses");
    Some((inst, text))
}

/// Runs check.py on (instance path, solution JSON); returns (exit code, stdout) or None when
/// python3 or check.py is missing.
pub fn python_check(inst: &Path, solution: &serde_json::Value, tag: &str) -> Option<(i32, String)> {
    let script = Path::new(SHARED).join("check.py");
    if !script.exists() {
        println!("note: check.py missing, cross-check skipped");
        return None;
    }
    let dir = std::env::temp_dir().join(format!("bekal-planner-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let file = dir.join(format!("{tag}.json"));
    std::fs::write(&file, serde_json::to_string(solution).ok()?).ok()?;
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(inst)
        .arg(&file)
        .arg("--max-errors")
        .arg("1000")
        .output();
    let Ok(out) = out else {
        println!("note: python3 missing, cross-check skipped");
        return None;
    };
    let _ = std::fs::remove_file(&file);
    Some((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
    ))
}

/// The set of violation codes printed by check.py.
pub fn python_codes(stdout: &str) -> std::collections::BTreeSet<String> {
    stdout
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let rest = l.strip_prefix('[')?;
            let end = rest.find(']')?;
            Some(rest[..end].to_string())
        })
        .collect()
}
