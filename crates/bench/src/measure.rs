//! Measuring whole processes: wall time and peak resident memory (from GNU time's `%M` when
//! `/usr/bin/time` is present), medians of repeated runs, and the ratio to the anchor.

use serde::Serialize;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// One run of a command.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Run {
    pub seconds: f64,
    pub peak_rss_kb: Option<u64>,
    pub success: bool,
}

/// Runs `command` once (wrapped in `/usr/bin/time -f %M` when available) and measures it.
pub fn run_once(mut command: Command) -> std::io::Result<Run> {
    let time = Path::new("/usr/bin/time");
    let report = std::env::temp_dir().join(format!("bekal-bench-time-{}.txt", std::process::id()));
    let mut wrapped = if time.exists() {
        let mut wrapped = Command::new(time);
        wrapped
            .arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(&report)
            .arg(command.get_program());
        wrapped.args(command.get_args());
        if let Some(dir) = command.get_current_dir() {
            wrapped.current_dir(dir);
        }
        for (key, value) in command.get_envs() {
            match value {
                Some(value) => wrapped.env(key, value),
                None => wrapped.env_remove(key),
            };
        }
        wrapped
    } else {
        std::mem::replace(&mut command, Command::new("true"))
    };
    wrapped
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let started = Instant::now();
    let status = wrapped.status()?;
    let seconds = started.elapsed().as_secs_f64();
    let peak_rss_kb = std::fs::read_to_string(&report)
        .ok()
        .and_then(|text| text.trim().lines().last()?.trim().parse().ok());
    let _ = std::fs::remove_file(&report);
    Ok(Run {
        seconds,
        peak_rss_kb,
        success: status.success(),
    })
}

/// The median of the values (the mean of the middle two for an even count).
pub fn median(values: &[f64]) -> f64 {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// One line of the benchmark table: Bekal's figure, the anchor's, and their ratio.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Line {
    pub name: String,
    pub bekal_seconds: f64,
    pub anchor: String,
    pub anchor_seconds: Option<f64>,
    /// Bekal's time divided by the anchor's.
    pub ratio: Option<f64>,
    pub bekal_peak_rss_kb: Option<u64>,
    pub runs: usize,
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn a_process_is_measured() {
        let run = run_once(Command::new("true")).unwrap();
        assert!(run.success);
        assert!(run.seconds >= 0.0);
    }
}
