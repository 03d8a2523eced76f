//! The plan benchmark: `bekal plan solve` on the instances of `../shared/planner/instances`
//! beside the anchor `cpsat.py` (Google OR-Tools CP-SAT) with the same time limit, where
//! Python and OR-Tools are present (that column is skipped with a note where they are not).
//! Both are whole processes (spawn to exit, medians of `repeat` runs for Bekal, one run of
//! the anchor: its runs are long and it is not deterministic across worker counts), and
//! **`check.py` validates every solution either side writes**: an invalid plan fails the run.
//! Each line reports time, and in its note the value, the proven bound and the anchor's value.

use crate::measure::{Line, median, run_once};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why the benchmark failed.
#[derive(Debug, thiserror::Error)]
pub enum PlanBenchError {
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("{instance}: {who}'s solution fails check.py: {output}")]
    Invalid {
        instance: String,
        who: &'static str,
        output: String,
    },
    #[error("{0}: {1}")]
    Solver(String, String),
}

/// What the benchmark needs from the outside.
#[derive(Debug, Clone)]
pub struct PlanTools {
    /// The `bekal` executable.
    pub bekal: PathBuf,
    /// `../shared/planner` (instances, check.py, cpsat.py).
    pub planner_dir: PathBuf,
    /// The Python that runs check.py (and cpsat.py when it can import ortools).
    pub python: PathBuf,
    /// Whether `python` imports ortools.
    pub ortools: bool,
}

/// The `objective` of a solution file: (value, value bound).
fn objective(path: &Path) -> Result<(i64, Option<i64>), PlanBenchError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| PlanBenchError::Io(path.display().to_string(), e))?;
    let json: Value = serde_json::from_str(&text).map_err(|e| {
        PlanBenchError::Solver(path.display().to_string(), format!("not JSON: {e}"))
    })?;
    let value = json["objective"]["value"].as_i64().ok_or_else(|| {
        PlanBenchError::Solver(path.display().to_string(), "no objective.value".into())
    })?;
    Ok((value, json["objective"]["value_bound"].as_i64()))
}

fn check(
    tools: &PlanTools,
    instance: &Path,
    solution: &Path,
    who: &'static str,
) -> Result<(), PlanBenchError> {
    let output = Command::new(&tools.python)
        .arg(tools.planner_dir.join("check.py"))
        .arg(instance)
        .arg(solution)
        .output()
        .map_err(|e| PlanBenchError::Io("check.py".into(), e))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(PlanBenchError::Invalid {
            instance: instance.display().to_string(),
            who,
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
        })
    }
}

fn percent_gap(value: i64, bound: Option<i64>) -> String {
    match bound {
        Some(b) if b > 0 => format!("{:.2} %", (b - value) as f64 * 100.0 / b as f64),
        _ => "no bound".into(),
    }
}

/// Solves `names` (file names in the instances folder) with `time_limit` seconds each.
pub fn run(
    tools: &PlanTools,
    names: &[String],
    time_limit: f64,
    threads: usize,
    repeat: usize,
    work: &Path,
) -> Result<Vec<Line>, PlanBenchError> {
    let mut lines = Vec::new();
    for name in names {
        let instance = tools.planner_dir.join("instances").join(name);
        let stem = name.trim_end_matches(".gz").trim_end_matches(".json");
        let mut times = Vec::new();
        let mut peak = None;
        let solution = work.join(format!("{stem}.bekal.json"));
        for _ in 0..repeat.max(1) {
            let mut command = Command::new(&tools.bekal);
            command
                .args(["plan", "solve"])
                .arg(&instance)
                .arg("-o")
                .arg(&solution)
                .args(["--time-limit", &time_limit.to_string()])
                .args(["--threads", &threads.to_string()]);
            let measured =
                run_once(command).map_err(|e| PlanBenchError::Io("bekal plan solve".into(), e))?;
            if !measured.success {
                return Err(PlanBenchError::Solver(
                    name.clone(),
                    "bekal plan solve failed".into(),
                ));
            }
            times.push(measured.seconds);
            peak = peak.max(measured.peak_rss_kb);
        }
        check(tools, &instance, &solution, "Bekal")?;
        let (value, bound) = objective(&solution)?;
        let mut note = format!(
            "Bekal value {value}, bound {}, gap {}; check.py valid",
            bound.map_or("none".into(), |b| b.to_string()),
            percent_gap(value, bound)
        );
        let mut anchor_seconds = None;
        if tools.ortools {
            let anchor_solution = work.join(format!("{stem}.cpsat.json"));
            let mut command = Command::new(&tools.python);
            command
                .arg(tools.planner_dir.join("cpsat.py"))
                .arg(&instance)
                .arg("-o")
                .arg(&anchor_solution)
                .args(["--time-limit", &time_limit.to_string()])
                .args(["--workers", &threads.to_string()]);
            let measured =
                run_once(command).map_err(|e| PlanBenchError::Io("cpsat.py".into(), e))?;
            if measured.success {
                check(tools, &instance, &anchor_solution, "CP-SAT")?;
                let (anchor_value, anchor_bound) = objective(&anchor_solution)?;
                anchor_seconds = Some(measured.seconds);
                note.push_str(&format!(
                    "; CP-SAT value {anchor_value}, bound {}, gap {}; check.py valid",
                    anchor_bound.map_or("none".into(), |b| b.to_string()),
                    percent_gap(anchor_value, anchor_bound)
                ));
            } else {
                note.push_str("; cpsat.py failed: anchor column skipped");
            }
        } else {
            note.push_str("; Python with OR-Tools not found: anchor column skipped");
        }
        let bekal_seconds = median(&times);
        lines.push(Line {
            name: format!("plan {stem} (limit {time_limit} s)"),
            bekal_seconds,
            anchor: "cpsat.py (OR-Tools CP-SAT)".into(),
            anchor_seconds,
            ratio: anchor_seconds
                .filter(|a| *a > 0.0)
                .map(|a| bekal_seconds / a),
            bekal_peak_rss_kb: peak,
            runs: repeat.max(1),
            note,
        });
    }
    Ok(lines)
}
