//! Diagnostic: re-solves the facilities of a sampled anchor solution (e.g. the anchor's
//! national 50-facility sample) with the seed and the per-facility budget that `solve` gives
//! them inside the full instance, and compares each value with the anchor's.
//!
//! `cargo run --release -p bekal-planner --example sample_eval -- INSTANCE(.json[.gz])
//!  ANCHOR.json [--time-limit S] [--threads N] [--only ID]`
#![allow(clippy::print_stdout)]

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bekal_planner::prep::Prep;
use bekal_planner::solve::solve_prep;

/// (facility index, anchor value, value, bound, optimal, seconds).
type Row = (usize, i64, i64, i64, bool, f64);

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
    let (Some(ip), Some(ap)) = (args.get(1), args.get(2)) else {
        return Err("usage: sample_eval INSTANCE ANCHOR [--time-limit S] [--threads N]".into());
    };
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|k| args.get(k + 1))
    };
    let time_limit: f64 = flag("--time-limit")
        .and_then(|x| x.parse().ok())
        .unwrap_or(60.0);
    let threads: usize = flag("--threads").and_then(|x| x.parse().ok()).unwrap_or(2);
    let only = flag("--only").cloned();
    let verbose = args.iter().any(|a| a == "-v");
    let inst = bekal_planner::parse_instance(&read(Path::new(ip))?).map_err(|e| e.to_string())?;
    let anchor: serde_json::Value =
        serde_json::from_str(&read(Path::new(ap))?).map_err(|e| e.to_string())?;
    let n = inst.facilities.len();
    // the same share as `solve` gives each facility of the whole instance
    let share =
        Duration::from_secs_f64(time_limit).mul_f64((threads as f64 / n as f64).min(1.0) * 0.95);
    let mut jobs = Vec::new();
    for a in anchor["facilities"].as_array().cloned().unwrap_or_default() {
        let id = a["id"].as_str().unwrap_or("").to_string();
        if only.as_ref().is_some_and(|o| *o != id) {
            continue;
        }
        if let Some(k) = inst.facilities.iter().position(|f| f.id == id) {
            jobs.push((k, a["value"].as_i64().unwrap_or(0)));
        }
    }
    let next = AtomicUsize::new(0);
    let out: Mutex<Vec<Row>> = Mutex::new(Vec::new());
    std::thread::scope(|sc| {
        for _ in 0..threads {
            sc.spawn(|| {
                loop {
                    let j = next.fetch_add(1, Ordering::SeqCst);
                    let Some(&(k, av)) = jobs.get(j) else { break };
                    let Some(prep) = Prep::new(&inst.facilities[k]) else {
                        continue;
                    };
                    let seed = (k as u64).wrapping_mul(0xA24B_AED4_963E_E407);
                    let t = Instant::now();
                    let r = solve_prep(&prep, seed, share, 1);
                    let secs = t.elapsed().as_secs_f64();
                    if let Ok(mut o) = out.lock() {
                        o.push((k, av, r.assigned.value, r.bound, r.optimal, secs));
                    }
                }
            });
        }
    });
    let mut out = out.into_inner().unwrap_or_default();
    out.sort_unstable_by_key(|x| x.0);
    let (mut worse, mut equal, mut better, mut total, mut atotal, mut bound, mut opt) =
        (0, 0, 0, 0i64, 0i64, 0i64, 0);
    for &(k, av, v, b, o, secs) in &out {
        let id = &inst.facilities[k].id;
        let tag = match v.cmp(&av) {
            std::cmp::Ordering::Less => {
                worse += 1;
                "WORSE"
            }
            std::cmp::Ordering::Equal => {
                equal += 1;
                "equal"
            }
            std::cmp::Ordering::Greater => {
                better += 1;
                "BETTER"
            }
        };
        total += v;
        atotal += av;
        bound += b;
        opt += usize::from(o);
        if tag != "equal" || only.is_some() || verbose {
            println!("{id}: {tag} {v} vs anchor {av} (bound {b}, optimal {o}, {secs:.3} s)");
        }
    }
    println!(
        "worse {worse} equal {equal} better {better}; total {total} anchor {atotal} bound {bound}; optimal {opt}/{}",
        out.len()
    );
    Ok(())
}
