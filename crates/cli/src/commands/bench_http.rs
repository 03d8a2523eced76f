//! `bekal bench run http`: a `bekal serve` on the demo scenario (SQLite, in the work folder)
//! under concurrent load from the loopback generator in `bekal_bench::http`: the public
//! verification API and a program officer's dashboard (JSON API, token) beside a bare
//! `/healthz` on the same server, and the server's peak RSS.
//! Method: docs/benchmarks.md.

use super::open_store;
use anyhow::Context;
use bekal_bench::http::{LoadError, LoadResult, Script, peak_rss_kb, request, run, run_script};
use bekal_bench::measure::{Line, median};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
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
    headers: &[String],
    connections: usize,
    duration: Duration,
    repeat: usize,
) -> anyhow::Result<Vec<LoadResult>> {
    let mut out = Vec::new();
    for _ in 0..repeat.max(1) {
        let result = run(addr, path, headers, connections, duration, 2_000_000).await?;
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
    let today = bekal_domain::clock::Clock::today(&bekal_domain::clock::SystemClock);
    let sessions = bekal_bench::national::past_session_ids(&store, connections, today).await?;
    drop(store);
    // The program officer's dashboard, through the JSON API with a token of that account.
    let token = Command::new(std::env::current_exe()?)
        .args(["user", "token", "petugas.pkl", "--name", "bench http"])
        .args(["--scope", "ListFacilities", "--scope", "RecordAttendance"])
        .args(["--database", &url])
        .env("BEKAL_LOG", "warn")
        .output()?;
    anyhow::ensure!(
        token.status.success(),
        "creating the token failed: {}",
        String::from_utf8_lossy(&token.stderr)
    );
    let bearer = vec![format!(
        "Authorization: Bearer {}",
        String::from_utf8_lossy(&token.stdout).trim()
    )];
    let server = start(&url)?;
    let duration = Duration::from_secs_f64(seconds);
    let health = measured(&server.addr, "/healthz", &[], connections, duration, repeat).await?;
    let verify_path = format!("/api/public/certificates/{}", number.replace('/', "%2F"));
    let verify = measured(
        &server.addr,
        &verify_path,
        &[],
        connections,
        duration,
        repeat,
    )
    .await?;
    let dashboard = measured(
        &server.addr,
        "/api/dashboard",
        &bearer,
        connections,
        duration,
        repeat,
    )
    .await?;
    let attendance = attendance_load(&server.addr, &bearer, &sessions, duration, repeat).await?;
    let peak = peak_rss_kb(server.child.id());
    let p50 = |r: &[LoadResult]| median(&r.iter().map(|x| x.p50_ms / 1e3).collect::<Vec<_>>());
    let anchor = p50(&health);
    let line = |name: String, results: &[LoadResult]| {
        let bekal = p50(results);
        Line {
            name,
            bekal_seconds: bekal,
            anchor: "GET /healthz, same server".into(),
            anchor_seconds: Some(anchor),
            ratio: (anchor > 0.0).then(|| bekal / anchor),
            bekal_peak_rss_kb: peak,
            runs: repeat.max(1),
            note: format!(
                "p50 latency; this route {}; /healthz {}; {seconds} s per run; peak RSS of the server over all routes",
                describe(results),
                describe(&health)
            ),
        }
    };
    Ok(vec![
        line(
            format!("HTTP public verification, {connections} connections"),
            &verify,
        ),
        line(
            format!("HTTP facility dashboard (API, officer), {connections} connections"),
            &dashboard,
        ),
        line(
            format!(
                "HTTP attendance submission (API), {} connections",
                sessions.len()
            ),
            &attendance,
        ),
    ])
}

/// Attendance submissions: each connection corrects its own session's sheet again and again
/// (the first trainee alternately late and present, everyone else present), each submission
/// with a fresh idempotency key and the version the previous answer gave, so every one is
/// accepted and written: sheet, revision, audit entries, session totals, in one transaction.
async fn attendance_load(
    addr: &str,
    bearer: &[String],
    sessions: &[i64],
    duration: Duration,
    repeat: usize,
) -> anyhow::Result<Vec<LoadResult>> {
    anyhow::ensure!(
        !sessions.is_empty(),
        "the demo has no past session to submit"
    );
    let mut out = Vec::new();
    for round in 0..repeat.max(1) {
        // Each round starts from the sheets as the previous round left them.
        let mut targets = Vec::new();
        for &id in sessions {
            let path = format!("/api/sessions/{id}/attendance");
            let (status, body) =
                bekal_bench::http::fetch(addr, &request("GET", addr, &path, bearer, None)).await?;
            anyhow::ensure!(status == 200, "GET {path}: {status}");
            let sheet: serde_json::Value = serde_json::from_slice(&body)?;
            let version = sheet["sheet_version"].as_i64().context("sheet_version")?;
            let enrolment = sheet["rows"][0]["enrolment_id"]
                .as_i64()
                .context("the sheet has no trainee")?;
            targets.push((id, enrolment, version));
        }
        let (addr_owned, headers) = (addr.to_owned(), bearer.to_vec());
        let connections = targets.len();
        let nonce = format!("{}-{round}", std::process::id());
        let script: Script = Arc::new(move |connection, n, previous| {
            let (session, enrolment, initial) = targets
                .get(connection)
                .copied()
                .ok_or_else(|| LoadError::Protocol("more connections than sessions".into()))?;
            let version = match previous {
                None => initial,
                Some(body) => serde_json::from_slice::<serde_json::Value>(body)
                    .ok()
                    .and_then(|v| v["sheet_version"].as_i64())
                    .ok_or_else(|| {
                        LoadError::Protocol(format!(
                            "not a receipt: {}",
                            String::from_utf8_lossy(body)
                        ))
                    })?,
            };
            let body = serde_json::json!({
                "session_id": session,
                "idempotency_key": format!("bench-{nonce}-{connection}-{n}"),
                "base_version": version,
                "all_present": true,
                "entries": [{
                    "enrolment_id": enrolment,
                    "status": if n % 2 == 0 { "late" } else { "present" },
                    "excuse_kind": null,
                    "excuse_text": null
                }]
            })
            .to_string();
            Ok(request(
                "POST",
                &addr_owned,
                &format!("/api/sessions/{session}/attendance"),
                &headers,
                Some(&body),
            ))
        });
        let result = run_script(addr, script, connections, duration, 2_000_000).await?;
        anyhow::ensure!(
            result.errors == 0,
            "attendance: {} of {} answers were not 200",
            result.errors,
            result.requests
        );
        out.push(result);
    }
    Ok(out)
}
