//! Solves every instance of a directory (`.json` or `.json.gz` via `zcat`), writes the
//! solutions, prints value / bound / gap / time and compares with the anchor solutions.
//!
//! `cargo run --release -p bekal-planner --example solve_all -- INST_DIR OUT_DIR [ANCHOR_DIR]
//!  [--time-limit S] [--threads N] [--only NAME]`
#![allow(clippy::print_stdout, clippy::expect_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use bekal_planner::{SolveOptions, check_solution, parse_instance, solve};

fn read(path: &Path) -> Result<String, String> {
    if path.extension().is_some_and(|e| e == "gz") {
        let out = std::process::Command::new("zcat")
            .arg(path)
            .output()
            .map_err(|e| e.to_string())?;
        String::from_utf8(out.stdout).map_err(|e| e.to_string())
    } else {
        std::fs::read_to_string(path).map_err(|e| e.to_string())
    }
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        return Err("usage: solve_all INST_DIR OUT_DIR [ANCHOR_DIR] [--time-limit S] [--threads N] [--only NAME]".into());
    }
    let (inst_dir, out_dir) = (Path::new(&args[1]), Path::new(&args[2]));
    let mut anchor_dir = None;
    let mut time_limit = 12.0;
    let mut threads = 2;
    let mut only: Option<String> = None;
    let mut k = 3;
    while k < args.len() {
        match args[k].as_str() {
            "--time-limit" => {
                time_limit = args.get(k + 1).and_then(|x| x.parse().ok()).unwrap_or(12.0);
                k += 1;
            }
            "--threads" => {
                threads = args.get(k + 1).and_then(|x| x.parse().ok()).unwrap_or(2);
                k += 1;
            }
            "--only" => {
                only = args.get(k + 1).cloned();
                k += 1;
            }
            other => anchor_dir = Some(Path::new(other).to_path_buf()),
        }
        k += 1;
    }
    std::fs::create_dir_all(out_dir).map_err(|e| e.to_string())?;
    let mut entries: Vec<_> = std::fs::read_dir(inst_dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    println!(
        "| instance | value | bound | gap | status | time s | check | anchor value | anchor bound | anchor time s |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for path in entries {
        let fname = path
            .file_name()
            .and_then(|x| x.to_str())
            .unwrap_or("")
            .to_string();
        let stem = fname
            .trim_end_matches(".gz")
            .trim_end_matches(".json")
            .to_string();
        if only.as_ref().is_some_and(|o| !stem.contains(o.as_str())) {
            continue;
        }
        let text = read(&path)?;
        let inst = parse_instance(&text).map_err(|e| format!("{fname}: {e}"))?;
        let opts = SolveOptions {
            time_limit: Duration::from_secs_f64(time_limit),
            threads,
            seed: 0,
        };
        let t = Instant::now();
        let sol = solve(&inst, &opts);
        let secs = t.elapsed().as_secs_f64();
        let rep = check_solution(&inst, &sol, false);
        let out = out_dir.join(format!("{stem}.json"));
        std::fs::write(
            &out,
            serde_json::to_string(&sol).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        let v = sol.objective.value;
        let b = sol.objective.value_bound.unwrap_or(v);
        let gap = if b != 0 {
            100.0 * (b - v) as f64 / b as f64
        } else {
            0.0
        };
        let n_opt = sol
            .facilities
            .iter()
            .filter(|f| f.status == bekal_planner::Status::Optimal)
            .count();
        let mut anchor = ("-".to_string(), "-".to_string(), "-".to_string());
        if let Some(ad) = &anchor_dir
            && let Ok(a) = std::fs::read_to_string(ad.join(format!("{stem}.json")))
            && let Ok(a) = serde_json::from_str::<serde_json::Value>(&a)
        {
            anchor = (
                a["objective"]["value"].to_string(),
                a["objective"]["value_bound"].to_string(),
                a["wall_time_s"].to_string(),
            );
        }
        println!(
            "| {stem} | {v} | {b} | {gap:.3}% | {n_opt}/{} optimal | {secs:.3} | {} | {} | {} | {} |",
            sol.facilities.len(),
            if rep.valid {
                "valid".to_string()
            } else {
                format!("INVALID {:?}", rep.violations.first())
            },
            anchor.0,
            anchor.1,
            anchor.2
        );
    }
    Ok(())
}
