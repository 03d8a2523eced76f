//! `bekal bench gen|run`: the synthetic national data set and the benchmark runs, each line
//! printing Bekal's figure, the anchor's and their ratio (medians of repeated runs). Method and
//! the latest figures: docs/benchmarks.md.

use super::emit;
use anyhow::Context;
use bekal_bench::measure::{Line, median, run_once};
use bekal_bench::synthetic::{Scale, generate};
use chrono::NaiveDate;
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Generate the deterministic synthetic data set as CSV files in the import formats.
    Gen {
        /// national (530 facilities, 270,000 inmates), facility (253) or smoke (CI size).
        #[arg(long, default_value = "national")]
        scale: Scale,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
        /// The day the data is relative to (default 2026-11-29, so files are reproducible).
        #[arg(long, default_value = "2026-11-29")]
        today: NaiveDate,
        /// Also write each facility's file as an Excel workbook (`inmates/<CODE>.xlsx`).
        #[arg(long)]
        xlsx: bool,
    },
    /// Load the data set with three years of programmes (attendance, results, signed
    /// certificates, releases, follow-ups) straight into an empty database, without audit
    /// entries: a benchmark database, never a live one.
    Load {
        /// national (530 facilities, 270,000 inmates, about 5 million attendance rows),
        /// facility (253) or smoke (CI size).
        #[arg(long, default_value = "national")]
        scale: Scale,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// `sqlite://FILE` or `postgres://...` (migrated first; must hold no facility).
        #[arg(long)]
        database: String,
        /// The last day of the three programme years.
        #[arg(long, default_value = "2026-11-29")]
        today: NaiveDate,
    },
    /// Run benchmarks: `import` (the inmate CSV into SQLite beside sqlite3 .import),
    /// `credentials` (sign and verify beside raw ed25519-dalek and ../shared/vc-verifier),
    /// `reports` (national and facility report figures beside one hand-written SQL query in
    /// sqlite3 / psql, on each `--database`), `plan` (the planner beside cpsat.py, check.py on
    /// every solution), `http` (the served demo under concurrent load beside `/healthz`).
    Run {
        /// import, credentials, reports, plan or http.
        #[arg(default_value = "import")]
        which: String,
        /// reports: a database to measure (repeatable; loaded first when empty; default a
        /// SQLite file in the work folder).
        #[arg(long = "database")]
        databases: Vec<String>,
        /// plan: an instance file name in ../shared/planner/instances (repeatable; default
        /// tiny-1, pekalongan-1..5, large-1, large-2).
        #[arg(long = "instance")]
        instances: Vec<String>,
        /// plan: seconds per instance, the same for Bekal and CP-SAT.
        #[arg(long, default_value_t = 12.0)]
        time_limit: f64,
        /// plan: solver threads (CP-SAT workers), the same for both.
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// http: concurrent keep-alive connections of the load generator.
        #[arg(long, default_value_t = 32)]
        connections: usize,
        /// http: seconds of load per run and route.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// credentials: how many to sign and verify.
        #[arg(long, default_value_t = 10_000)]
        count: usize,
        /// credentials: how many the reference verifier checks (one process each).
        #[arg(long, default_value_t = 20)]
        sample: usize,
        /// Data size: national (the target) or smoke (CI).
        #[arg(long, default_value = "national")]
        scale: Scale,
        /// Repetitions; the median is reported.
        #[arg(long, default_value_t = 3)]
        repeat: usize,
        /// Where data and databases go (default: a temporary folder).
        #[arg(long)]
        work: Option<PathBuf>,
        /// Also write the lines as JSON to this file.
        #[arg(long)]
        json: Option<PathBuf>,
    },
}

pub async fn run(command: BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Gen {
            scale,
            seed,
            out,
            today,
            xlsx,
        } => {
            let generated = generate(scale, seed, today, &out)?;
            if xlsx {
                let written = bekal_bench::synthetic_xlsx::write_xlsx_copies(&out)?;
                eprintln!(
                    "{} Excel workbooks written beside the CSV files",
                    written.len()
                );
            }
            emit(&serde_json::to_string(&generated)?);
            Ok(ExitCode::SUCCESS)
        }
        BenchCommand::Load {
            scale,
            seed,
            database,
            today,
        } => {
            super::bench_reports::load_into(&database, scale, seed, today).await?;
            Ok(ExitCode::SUCCESS)
        }
        BenchCommand::Run {
            which,
            databases,
            instances,
            time_limit,
            threads,
            connections,
            seconds,
            count,
            sample,
            scale,
            repeat,
            work,
            json,
        } => {
            if which == "credentials" {
                return credentials_benchmark(count, sample, repeat, work, json);
            }
            if which == "http" {
                let temp = tempdir_in_target()?;
                let work = work.unwrap_or_else(|| temp.clone());
                std::fs::create_dir_all(&work)?;
                let lines =
                    super::bench_http::http_benchmark(&work, connections, seconds, repeat).await?;
                print_lines(&lines);
                write_json(json.as_deref(), &lines)?;
                let _ = std::fs::remove_dir_all(&temp);
                return Ok(ExitCode::SUCCESS);
            }
            if which == "plan" {
                let temp = tempdir_in_target()?;
                let work = work.unwrap_or_else(|| temp.clone());
                std::fs::create_dir_all(&work)?;
                let lines = plan_benchmark(instances, time_limit, threads, repeat, &work)?;
                print_lines(&lines);
                write_json(json.as_deref(), &lines)?;
                let _ = std::fs::remove_dir_all(&temp);
                return Ok(ExitCode::SUCCESS);
            }
            if which == "reports" {
                let temp = tempdir_in_target()?;
                let work = work.unwrap_or_else(|| temp.clone());
                std::fs::create_dir_all(&work)?;
                let urls = if databases.is_empty() {
                    vec![format!(
                        "sqlite://{}",
                        work.join("reports.sqlite").display()
                    )]
                } else {
                    databases
                };
                let as_of = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default();
                let lines =
                    super::bench_reports::reports_benchmark(&urls, scale, as_of, repeat, &work)
                        .await?;
                print_lines(&lines);
                write_json(json.as_deref(), &lines)?;
                let _ = std::fs::remove_dir_all(&temp);
                return Ok(ExitCode::SUCCESS);
            }
            if which != "import" {
                eprintln!(
                    "error: unknown benchmark {which:?} (available: import, credentials, reports, plan, http)"
                );
                return Ok(ExitCode::from(2));
            }
            let temp = tempdir_in_target()?;
            let work = work.unwrap_or_else(|| temp.clone());
            let line = import_benchmark(&work, scale, repeat.max(1))?;
            let _ = std::fs::remove_dir_all(&temp);
            print_lines(std::slice::from_ref(&line));
            if let Some(path) = json {
                std::fs::write(&path, serde_json::to_string_pretty(&[&line])?)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            Ok(if line.bekal_seconds.is_finite() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

/// `bench run credentials`: sign and verify `count`, the reference verifier on `sample`.
fn credentials_benchmark(
    count: usize,
    sample: usize,
    repeat: usize,
    work: Option<PathBuf>,
    json: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let temp = tempdir_in_target()?;
    let work = work.unwrap_or_else(|| temp.clone());
    std::fs::create_dir_all(&work)?;
    let script = reference_verifier();
    if script.is_none() {
        eprintln!(
            "note: ../shared/vc-verifier/vc-verify or node not found; that column is skipped"
        );
    }
    let lines = bekal_bench::credentials::run(count, repeat, sample, script.as_deref(), &work)?;
    let _ = std::fs::remove_dir_all(&temp);
    print_lines(&lines);
    if let Some(path) = json {
        std::fs::write(&path, serde_json::to_string_pretty(&lines)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_json(path: Option<&Path>, lines: &[Line]) -> anyhow::Result<()> {
    if let Some(path) = path {
        std::fs::write(path, serde_json::to_string_pretty(lines)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// `bench run plan`: the planner instances beside cpsat.py, check.py on every solution.
fn plan_benchmark(
    instances: Vec<String>,
    time_limit: f64,
    threads: usize,
    repeat: usize,
    work: &Path,
) -> anyhow::Result<Vec<Line>> {
    let planner_dir = std::env::var_os("BEKAL_PLANNER_DIR")
        .map(PathBuf::from)
        .into_iter()
        .chain(["../shared/planner", "../../shared/planner"].map(PathBuf::from))
        .find(|p| p.join("check.py").is_file())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "../shared/planner (check.py, instances) not found; set BEKAL_PLANNER_DIR"
            )
        })?;
    let python = PathBuf::from("python3");
    let ortools = Command::new(&python)
        .args(["-c", "import ortools, highspy"])
        .output()
        .is_ok_and(|o| o.status.success());
    let names = if instances.is_empty() {
        [
            "tiny-1",
            "pekalongan-1",
            "pekalongan-2",
            "pekalongan-3",
            "pekalongan-4",
            "pekalongan-5",
            "large-1",
            "large-2",
        ]
        .map(|n| format!("{n}.json"))
        .to_vec()
    } else {
        instances
    };
    let tools = bekal_bench::plan::PlanTools {
        bekal: std::env::current_exe()?,
        planner_dir: std::fs::canonicalize(&planner_dir).unwrap_or(planner_dir),
        python,
        ortools,
    };
    Ok(bekal_bench::plan::run(
        &tools, &names, time_limit, threads, repeat, work,
    )?)
}

/// `../shared/vc-verifier/vc-verify` beside the repository (or `BEKAL_VC_VERIFY`), when node
/// runs.
fn reference_verifier() -> Option<PathBuf> {
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let candidates = std::env::var_os("BEKAL_VC_VERIFY")
        .map(PathBuf::from)
        .into_iter()
        .chain(
            [
                "../shared/vc-verifier/vc-verify",
                "../../shared/vc-verifier/vc-verify",
            ]
            .into_iter()
            .map(PathBuf::from),
        );
    let found = candidates.into_iter().find(|p| p.is_file())?;
    node.then(|| std::fs::canonicalize(&found).unwrap_or(found))
}

fn tempdir_in_target() -> anyhow::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("bekal-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn print_lines(lines: &[Line]) {
    emit(&format!(
        "{:<28} {:>12} {:>22} {:>12} {:>8} {:>12}",
        "benchmark", "bekal", "anchor", "anchor", "ratio", "peak RSS MB"
    ));
    for line in lines {
        emit(&format!(
            "{:<28} {:>12} {:>22} {:>12} {:>8} {:>12}",
            line.name,
            seconds(line.bekal_seconds),
            line.anchor,
            line.anchor_seconds.map_or_else(|| "-".to_owned(), seconds),
            line.ratio.map_or_else(|| "-".to_owned(), ratio),
            line.bekal_peak_rss_kb
                .map_or_else(|| "-".to_owned(), |kb| format!("{:.1}", kb as f64 / 1024.0)),
        ));
        if !line.note.is_empty() {
            emit(&format!("  note: {}", line.note));
        }
    }
}

/// `1.234 s`, `12.3 ms` or `45 µs`.
fn seconds(value: f64) -> String {
    if value >= 1.0 || value == 0.0 || !value.is_finite() {
        format!("{value:.3} s")
    } else if value >= 1e-3 {
        format!("{:.1} ms", value * 1e3)
    } else {
        format!("{:.0} µs", value * 1e6)
    }
}

/// `3.27x`, or `1/5000x` when Bekal is far faster.
fn ratio(value: f64) -> String {
    if value >= 0.1 || value <= 0.0 {
        format!("{value:.2}x")
    } else {
        format!("1/{:.0}x", 1.0 / value)
    }
}

/// Imports the national inmate CSV into a fresh SQLite database, `repeat` times, beside
/// `sqlite3`'s own `.import` of the same file into a plain table.
fn import_benchmark(work: &Path, scale: Scale, repeat: usize) -> anyhow::Result<Line> {
    let data = work.join("data");
    let file = data.join("inmates-all.csv");
    if !file.exists() {
        eprintln!("generating the data set in {} ...", data.display());
        generate(
            scale,
            1,
            NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default(),
            &data,
        )?;
    }
    let rows = std::fs::read_to_string(&file)?
        .lines()
        .count()
        .saturating_sub(1);
    let exe = std::env::current_exe()?;
    let mut bekal = Vec::new();
    let mut peak = Vec::new();
    for round in 0..repeat {
        let db_path = work.join(format!("bekal-{round}.sqlite"));
        remove_database(&db_path);
        let url = format!("sqlite://{}", db_path.display());
        let setup = Command::new(&exe)
            .args([
                "facility",
                "add",
                "NAT",
                "Nasional (benchmark)",
                "--kind",
                "lapas",
                "--database",
                &url,
            ])
            .output()?;
        anyhow::ensure!(
            setup.status.success(),
            "setting up the benchmark facility failed"
        );
        let mut command = Command::new(&exe);
        command
            .args(["import", "inmates", "--facility", "NAT"])
            .arg(&file)
            .args(["--database", &url]);
        let run = run_once(command)?;
        anyhow::ensure!(run.success, "bekal import failed in round {round}");
        eprintln!("  bekal import round {}: {:.3} s", round + 1, run.seconds);
        bekal.push(run.seconds);
        peak.extend(run.peak_rss_kb);
        remove_database(&db_path);
    }
    let mut anchor = Vec::new();
    let sqlite3 = Command::new("sqlite3")
        .arg("-version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if sqlite3 {
        for round in 0..repeat {
            let db_path = work.join(format!("anchor-{round}.sqlite"));
            remove_database(&db_path);
            let mut command = Command::new("sqlite3");
            command
                .arg(&db_path)
                .arg(".mode csv")
                .arg(".separator ;")
                .arg(format!(".import {} inmates", file.display()));
            let run = run_once(command)?;
            anyhow::ensure!(run.success, "sqlite3 .import failed");
            eprintln!(
                "  sqlite3 .import round {}: {:.3} s",
                round + 1,
                run.seconds
            );
            anchor.push(run.seconds);
            remove_database(&db_path);
        }
    }
    let bekal_seconds = median(&bekal);
    let anchor_seconds = (!anchor.is_empty()).then(|| median(&anchor));
    Ok(Line {
        name: format!("import {rows} inmates (SQLite)"),
        bekal_seconds,
        anchor: "sqlite3 .import".to_owned(),
        anchor_seconds,
        ratio: anchor_seconds.map(|a| bekal_seconds / a),
        bekal_peak_rss_kb: peak.into_iter().max(),
        runs: repeat,
        note: if sqlite3 {
            String::new()
        } else {
            "sqlite3 not found: anchor column skipped".to_owned()
        },
    })
}

fn remove_database(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
