//! `bekal bench run http`: a `bekal serve` on the demo scenario (SQLite, in the work folder)
//! under concurrent load from the loopback generator in `bekal_bench::http`: the public
//! verification API beside a bare `/healthz` on the same server, and the server's peak RSS.
//! Method: docs/benchmarks.md.

use super::open_store;
use anyhow::Context;
use bekal_bench::http::{LoadResult, peak_rss_kb, run};
use bekal_bench::measure::{Line, median};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The server under test; killed on drop.
struct Server {
    child: std::process::Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(url: &str) -> anyhow::Result<Server> {
    let mut child = Command::new(std::env::current_exe()?)
        .args(["serve", "--database", url, "--listen", "127.0.0.1:0"])
        .env("BEKAL_PUBLIC_REQUESTS_PER_MINUTE", "1000000000")
        .env("BEKAL_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let stderr = child.stderr.take().context("server stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            anyhow::bail!("the server exited before printing its address");
        };
        if let Some(at) = line.find("http://") {
            break line[at + "http://".len()..]
                .trim()
                .trim_end_matches('/')
                .to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
    Ok(Server { child, addr })
}

async fn measured(
    addr: &str,
    path: &str,
    connections: usize,
    duration: Duration,
    repeat: usize,
) -> anyhow::Result<Vec<LoadResult>> {
    let mut out = Vec::new();
    for _ in 0..repeat.max(1) {
        let result = run(addr, path, &[], connections, duration, 2_000_000).await?;
        anyhow::ensure!(
            result.errors == 0,
            "{path}: {} of {} answers were not 200",
            result.errors,
            result.requests
        );
        out.push(result);
    }
    Ok(out)
}

fn describe(results: &[LoadResult]) -> String {
    let rate = median(&results.iter().map(|r| r.per_second).collect::<Vec<_>>());
    let p50 = median(&results.iter().map(|r| r.p50_ms).collect::<Vec<_>>());
    let p99 = median(&results.iter().map(|r| r.p99_ms).collect::<Vec<_>>());
    format!("{rate:.0} req/s, p50 {p50:.2} ms, p99 {p99:.2} ms")
}

/// Builds the demo in `work`, serves it, and loads it.
pub async fn http_benchmark(
    work: &Path,
    connections: usize,
    seconds: f64,
    repeat: usize,
) -> anyhow::Result<Vec<Line>> {
    let db = work.join("http.sqlite");
    let url = format!("sqlite://{}", db.display());
    if !db.exists() {
        let built = Command::new(std::env::current_exe()?)
            .args(["demo", "--no-serve", "--database", &url])
            .env("BEKAL_LOG", "warn")
            .output()?;
        anyhow::ensure!(
            built.status.success(),
            "building the demo failed: {}",
            String::from_utf8_lossy(&built.stderr)
        );
    }
    let store = open_store(&url, true).await?;
    let number = bekal_bench::national::some_certificate_number(&store)
        .await?
        .context("the demo holds no valid certificate")?;
    drop(store);
    let server = start(&url)?;
    let duration = Duration::from_secs_f64(seconds);
    let health = measured(&server.addr, "/healthz", connections, duration, repeat).await?;
    let verify_path = format!("/api/public/certificates/{}", number.replace('/', "%2F"));
    let verify = measured(&server.addr, &verify_path, connections, duration, repeat).await?;
    let peak = peak_rss_kb(server.child.id());
    let p50 = |r: &[LoadResult]| median(&r.iter().map(|x| x.p50_ms / 1e3).collect::<Vec<_>>());
    let (bekal, anchor) = (p50(&verify), p50(&health));
    Ok(vec![Line {
        name: format!("HTTP public verification, {connections} connections"),
        bekal_seconds: bekal,
        anchor: "GET /healthz, same server".into(),
        anchor_seconds: Some(anchor),
        ratio: (anchor > 0.0).then(|| bekal / anchor),
        bekal_peak_rss_kb: peak,
        runs: repeat.max(1),
        note: format!(
            "p50 latency; verification {}; /healthz {}; {seconds} s per run, server peak RSS over both",
            describe(&verify),
            describe(&health)
        ),
    }])
}
