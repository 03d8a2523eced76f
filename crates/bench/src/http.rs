//! A small HTTP/1.1 load generator for loopback: `connections` keep-alive connections, each
//! sending requests (fixed GETs, or what a per-connection script says) one after another until `duration` has passed or `max_requests` have
//! been sent in all, recording every request's latency. Any answer but 200 counts as an error
//! and fails the benchmark line. Plain `tokio` sockets, no client library: the generator must
//! cost the server as little as possible and measure only what it sends.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// What a load run measured.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct LoadResult {
    pub requests: usize,
    pub errors: usize,
    pub seconds: f64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// Why a load run could not run.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0}")]
    Protocol(String),
}

fn io(what: &str) -> impl Fn(std::io::Error) -> LoadError + '_ {
    move |e| LoadError::Io(what.to_owned(), e)
}

/// One request on an open connection: the status code and the body.
async fn exchange(
    stream: &mut BufReader<TcpStream>,
    request: &[u8],
    line: &mut String,
) -> Result<(u16, Vec<u8>), LoadError> {
    stream
        .get_mut()
        .write_all(request)
        .await
        .map_err(io("write"))?;
    line.clear();
    stream.read_line(line).await.map_err(io("read"))?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| LoadError::Protocol(format!("bad status line {line:?}")))?;
    let mut length: Option<usize> = None;
    loop {
        line.clear();
        stream.read_line(line).await.map_err(io("read"))?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                return Err(LoadError::Protocol(
                    "chunked answers are not read by this generator".into(),
                ));
            }
        }
    }
    let mut body = vec![0_u8; length.unwrap_or(0)];
    stream
        .read_exact(&mut body)
        .await
        .map_err(io("read body"))?;
    Ok((status, body))
}

/// One request on a fresh connection (setting up a run): status and body.
pub async fn fetch(addr: &str, request: &[u8]) -> Result<(u16, Vec<u8>), LoadError> {
    let stream = TcpStream::connect(addr).await.map_err(io("connect"))?;
    let mut stream = BufReader::new(stream);
    let mut line = String::new();
    exchange(&mut stream, request, &mut line).await
}

/// A request's bytes: `METHOD path` with `headers` (each `Name: value`) and a JSON body.
pub fn request(
    method: &str,
    addr: &str,
    path: &str,
    headers: &[String],
    body: Option<&str>,
) -> Vec<u8> {
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\n");
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    if let Some(body) = body {
        text.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ));
    } else {
        text.push_str("\r\n");
    }
    text.into_bytes()
}

/// What a connection sends next: given its index, the request number on it, and the body of
/// the previous answer (`None` before the first).
pub type Script =
    Arc<dyn Fn(usize, usize, Option<&[u8]>) -> Result<Vec<u8>, LoadError> + Send + Sync>;

/// The `q` quantile (0..=1) of sorted values, in the unit given.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted.get(rank).copied().unwrap_or(f64::NAN)
}

/// Runs the load against `addr` (host:port): GET `path` with `headers` on every request.
pub async fn run(
    addr: &str,
    path: &str,
    headers: &[String],
    connections: usize,
    duration: Duration,
    max_requests: usize,
) -> Result<LoadResult, LoadError> {
    let fixed = request("GET", addr, path, headers, None);
    let script: Script = Arc::new(move |_, _, _| Ok(fixed.clone()));
    run_script(addr, script, connections, duration, max_requests).await
}

/// Runs the load against `addr`: each connection sends what `script` says, one request after
/// another, until `duration` has passed or `max_requests` were sent in all.
pub async fn run_script(
    addr: &str,
    script: Script,
    connections: usize,
    duration: Duration,
    max_requests: usize,
) -> Result<LoadResult, LoadError> {
    let sent = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for connection in 0..connections.max(1) {
        let script = script.clone();
        let sent = sent.clone();
        let addr = addr.to_owned();
        tasks.push(tokio::spawn(async move {
            let stream = TcpStream::connect(&addr).await.map_err(io("connect"))?;
            stream.set_nodelay(true).map_err(io("nodelay"))?;
            let mut stream = BufReader::new(stream);
            let mut line = String::new();
            let mut latencies = Vec::new();
            let mut errors = 0_usize;
            let mut previous: Option<Vec<u8>> = None;
            while started.elapsed() < duration
                && sent.fetch_add(1, Ordering::Relaxed) < max_requests
            {
                let bytes = script(connection, latencies.len(), previous.as_deref())?;
                let at = Instant::now();
                let (status, body) = exchange(&mut stream, &bytes, &mut line).await?;
                latencies.push(at.elapsed().as_secs_f64() * 1e3);
                if status != 200 {
                    errors += 1;
                }
                previous = Some(body);
            }
            Ok::<_, LoadError>((latencies, errors))
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (mut l, e) = task
            .await
            .map_err(|e| LoadError::Protocol(format!("a connection task failed: {e}")))??;
        latencies.append(&mut l);
        errors += e;
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    Ok(LoadResult {
        requests: latencies.len(),
        errors,
        seconds,
        per_second: latencies.len() as f64 / seconds.max(1e-9),
        p50_ms: quantile(&latencies, 0.50),
        p99_ms: quantile(&latencies, 0.99),
    })
}

/// Peak resident memory of a process (`VmHWM`, kB), on Linux.
pub fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_sorted_values() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quantile(&v, 0.5), 51.0);
        assert_eq!(quantile(&v, 0.99), 99.0);
        assert!(quantile(&[], 0.5).is_nan());
    }
}
