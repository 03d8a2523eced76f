//! `bekal plan solve|check`: the planner on instance files (`lapas-training-instance/1`, plain
//! or gzip JSON), writing `lapas-training-solution/1`, and the Rust re-implementation of the
//! strict checker (`shared/planner/check.py`'s rules).

use super::emit;
use anyhow::Context;
use bekal_planner::{SolveOptions, check, parse_instance, solve};
use clap::Subcommand;
use flate2::read::GzDecoder;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Solve an instance file and write the solution.
    Solve {
        /// INSTANCE.json or INSTANCE.json.gz
        instance: PathBuf,
        /// Where to write the solution JSON.
        #[arg(short, long)]
        output: PathBuf,
        /// Wall-clock budget in seconds for the whole instance.
        #[arg(long, default_value_t = 60.0)]
        time_limit: f64,
        /// Worker threads (facilities are solved in parallel).
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Seed of the deterministic search.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Check a solution against an instance (the rules of check.py); exit 1 on violations.
    Check {
        instance: PathBuf,
        solution: PathBuf,
        /// Accept solutions that cover only some facilities (sampled national runs).
        #[arg(long)]
        allow_partial: bool,
        /// Print the report as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
}

/// Reads a file, inflating it when it is gzip (by magic bytes, whatever its name).
fn read_text(path: &Path) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut text = String::new();
        GzDecoder::new(bytes.as_slice())
            .read_to_string(&mut text)
            .with_context(|| format!("{} is not valid gzip of UTF-8 JSON", path.display()))?;
        Ok(text)
    } else {
        String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", path.display()))
    }
}

pub fn run(command: PlanCommand) -> anyhow::Result<ExitCode> {
    match command {
        PlanCommand::Solve {
            instance,
            output,
            time_limit,
            threads,
            seed,
        } => {
            let text = read_text(&instance)?;
            let parsed = match parse_instance(&text) {
                Ok(parsed) => parsed,
                Err(err) => {
                    eprintln!("error: {}: {err}", instance.display());
                    return Ok(ExitCode::from(1));
                }
            };
            if !(time_limit.is_finite() && time_limit > 0.0) {
                eprintln!("error: --time-limit must be a positive number of seconds");
                return Ok(ExitCode::from(2));
            }
            let options = SolveOptions {
                time_limit: Duration::from_secs_f64(time_limit),
                threads: threads.max(1),
                seed,
            };
            let solution = solve(&parsed, &options);
            std::fs::write(&output, serde_json::to_string(&solution)?)
                .with_context(|| format!("cannot write {}", output.display()))?;
            eprintln!(
                "{}: value {} (bound {}), makespan {} stages, {:?}, {:.2} s -> {}",
                solution.instance,
                solution.objective.value,
                solution
                    .objective
                    .value_bound
                    .map_or_else(|| "none".to_owned(), |b| b.to_string()),
                solution.objective.makespan_stages,
                solution.status,
                solution.wall_time_s,
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        PlanCommand::Check {
            instance,
            solution,
            allow_partial,
            json,
        } => {
            let parsed = match parse_instance(&read_text(&instance)?) {
                Ok(parsed) => parsed,
                Err(err) => {
                    eprintln!("error: {}: {err}", instance.display());
                    return Ok(ExitCode::from(1));
                }
            };
            let solution_json: serde_json::Value =
                match serde_json::from_str(&read_text(&solution)?) {
                    Ok(value) => value,
                    Err(err) => {
                        eprintln!("error: {} is not JSON: {err}", solution.display());
                        return Ok(ExitCode::from(1));
                    }
                };
            let report = check(&parsed, &solution_json, allow_partial);
            if json {
                emit(&serde_json::to_string(&report)?);
            }
            if report.valid {
                eprintln!("VALID");
                Ok(ExitCode::SUCCESS)
            } else {
                for violation in report.violations.iter().take(50) {
                    eprintln!(
                        "{} {}: {}",
                        violation.code, violation.location, violation.message
                    );
                }
                eprintln!("INVALID: {} violation(s)", report.violations.len());
                Ok(ExitCode::from(1))
            }
        }
    }
}
