//! `bekal bench load` (the national data set straight into a database) and `bekal bench run
//! reports` (report figures on each given database beside one hand-written SQL query run by
//! sqlite3 or psql). Method: docs/benchmarks.md.

use super::open_store;
use bekal_bench::measure::Line;
use bekal_bench::national::{largest_facility, load};
use bekal_bench::reports::AnchorTarget;
use bekal_bench::synthetic::Scale;
use bekal_store::Backend;
use chrono::{Datelike, NaiveDate};
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// Loads the data set into `url` (migrated first); prints what was written.
pub async fn load_into(url: &str, scale: Scale, seed: u64, as_of: NaiveDate) -> anyhow::Result<()> {
    let store = open_store(url, true).await?;
    let started = std::time::Instant::now();
    let mut last = 0;
    let loaded = load(&store, scale, seed, as_of, &mut |done, all| {
        let percent = done * 100 / all.max(1);
        if percent >= last + 10 || done == all {
            last = percent;
            eprint!("\r  loading: {done}/{all} facilities");
            let _ = std::io::stderr().flush();
        }
    })
    .await?;
    eprintln!();
    eprintln!(
        "loaded in {:.1} s: {}",
        started.elapsed().as_secs_f64(),
        serde_json::to_string(&loaded.tables)?
    );
    Ok(())
}

fn tool_runs(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The anchor for `url`: sqlite3 on the file, psql on the URL, or a note when the client is
/// missing.
fn anchor_for(url: &str, backend: Backend) -> AnchorTarget {
    match backend {
        Backend::Sqlite => {
            let path = url
                .trim_start_matches("sqlite://")
                .trim_start_matches("sqlite:");
            let file = path.split('?').next().unwrap_or(path);
            if tool_runs("sqlite3") {
                AnchorTarget::Sqlite(Path::new(file).to_path_buf())
            } else {
                AnchorTarget::None("sqlite3 not found: anchor column skipped".into())
            }
        }
        Backend::Postgres => {
            if tool_runs("psql") {
                AnchorTarget::Postgres(url.to_owned())
            } else {
                AnchorTarget::None("psql not found: anchor column skipped".into())
            }
        }
    }
}

/// `bench run reports` on each database (loaded first when it holds no facility).
pub async fn reports_benchmark(
    urls: &[String],
    scale: Scale,
    as_of: NaiveDate,
    repeat: usize,
    work: &Path,
) -> anyhow::Result<Vec<Line>> {
    let mut lines = Vec::new();
    for url in urls {
        let store = open_store(url, true).await?;
        let facility = match largest_facility(&store).await? {
            Some(found) => found,
            None => {
                eprintln!(
                    "{}: empty, loading the data set first",
                    bekal_store::redact_url(url)
                );
                load_into(url, scale, 1, as_of).await?;
                largest_facility(&store)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("the load wrote no facility"))?
            }
        };
        let backend = store.backend();
        let label = match backend {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        };
        let from = NaiveDate::from_ymd_opt(as_of.year() - 2, 1, 1).unwrap_or(as_of);
        let anchor = anchor_for(url, backend);
        let found = bekal_bench::reports::run(
            store,
            &anchor,
            label,
            (&facility.0, facility.1),
            (from, as_of, as_of),
            repeat,
            Some(work),
        )
        .await?;
        lines.extend(found);
    }
    Ok(lines)
}
