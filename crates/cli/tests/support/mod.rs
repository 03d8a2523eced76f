//! Helpers for driving the real `bekal` binary: run a command, start a server and read the URL
//! it prints, make plain HTTP requests over loopback, and create a throwaway PostgreSQL database.

#![allow(dead_code, reason = "each test binary uses a different part")]
#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test support: a failure is a failed test"
)]

pub mod load;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

pub fn bekal() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bekal"));
    command
        .env_remove("BEKAL_DATABASE_URL")
        .env_remove("BEKAL_CONFIG")
        .env("BEKAL_LOG", "warn");
    command
}

pub fn run(args: &[&str], dir: &std::path::Path) -> Output {
    bekal()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("bekal runs")
}

/// A running `bekal serve`; killed on drop.
pub struct Server {
    pub child: Child,
    pub url: String,
    /// Everything the server wrote to stderr so far.
    pub log: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `bekal ARGS --listen 127.0.0.1:0` and waits for the URL it prints.
pub fn start_server(args: &[&str], dir: &std::path::Path) -> Server {
    start_server_with_env(args, dir, &[])
}

/// Like [`start_server`], with extra environment variables (e.g. `BEKAL_LOG`).
pub fn start_server_with_env(args: &[&str], dir: &std::path::Path, env: &[(&str, &str)]) -> Server {
    let mut child = bekal()
        .args(args)
        .envs(env.iter().copied())
        .args(["--listen", "127.0.0.1:0"])
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("server starts");
    let stderr = child.stderr.take().expect("stderr piped");
    let mut lines = BufReader::new(stderr).lines();
    let url = loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            panic!("server exited before printing its URL");
        };
        if let Some(at) = line.find("http://") {
            break line[at..].trim().trim_end_matches('/').to_owned();
        }
    };
    // Keep draining stderr (into `log`) so the server never blocks on a full pipe.
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let mut log = sink.lock().unwrap();
            log.push_str(&line);
            log.push('\n');
        }
    });
    Server { child, url, log }
}

/// A plain HTTP/1.1 GET; returns status and body.
pub fn get(url: &str) -> (u16, String) {
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut stream = TcpStream::connect(host).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, dechunk(&body))
}

/// A plain HTTP/1.1 request with extra headers and a form body (POST); returns status, the
/// response head and the body.
pub fn request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let content_type = (method == "POST").then_some("application/x-www-form-urlencoded");
    send(method, url, headers, content_type, body)
}

/// A JSON POST; returns status, the response head and the body.
pub fn post_json(url: &str, headers: &[(&str, &str)], body: &str) -> (u16, String, String) {
    send("POST", url, headers, Some("application/json"), body)
}

/// A plain HTTP/1.1 request with a body of `content_type`; returns status, head and body.
pub fn send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    content_type: Option<&str>,
    body: &str,
) -> (u16, String, String) {
    try_send(method, url, headers, content_type, body).expect("the server answers")
}

/// Like [`send`], but a refused or cut connection (a server being killed) is an `Err`, and
/// an answer that was cut off before its head ended is too.
pub fn try_send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    content_type: Option<&str>,
    body: &str,
) -> std::io::Result<(u16, String, String)> {
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(content_type) = content_type {
        text.push_str(&format!(
            "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    text.push_str("\r\n");
    text.push_str(body);
    stream.write_all(text.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let Some((head, body)) = response.split_once("\r\n\r\n") else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "the answer was cut off",
        ));
    };
    Ok((status, head.to_owned(), dechunk(body)))
}

/// Signs in through `POST /login`; returns the `Cookie` header value of the session.
pub fn login(base: &str, username: &str, password: &str) -> String {
    let form = format!(
        "username={username}&password={}",
        password.replace(' ', "+")
    );
    let (status, head, body) = request("POST", &format!("{base}/login"), &[], &form);
    assert_eq!(status, 303, "sign-in of {username} failed: {body}");
    let cookie = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie:")
                .then(|| l["set-cookie:".len()..].trim().to_owned())
        })
        .expect("a session cookie");
    cookie.split(';').next().unwrap().to_owned()
}

/// A GET with the session cookie; returns status and body.
pub fn get_signed_in(url: &str, cookie: &str) -> (u16, String) {
    let (status, _, body) = request("GET", url, &[("Cookie", cookie)], "");
    (status, body)
}

fn dechunk(body: &str) -> String {
    // axum answers small bodies with Content-Length; chunked ones are decoded minimally.
    if !body.contains("\r\n") {
        return body.to_owned();
    }
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            return body.to_owned();
        };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

/// A throwaway PostgreSQL database (dropped on drop), or None outside CI without PostgreSQL.
pub struct PgDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

impl PgDatabase {
    pub fn create() -> Option<PgDatabase> {
        let Ok(admin_url) = std::env::var("BEKAL_TEST_POSTGRES_URL") else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "BEKAL_TEST_POSTGRES_URL must be set under CI"
            );
            eprintln!("PostgreSQL half SKIPPED: set BEKAL_TEST_POSTGRES_URL to run it");
            return None;
        };
        let name = format!("bekal_cli_{}_{}", std::process::id(), rand_suffix());
        psql(&admin_url, &format!("CREATE DATABASE {name}"));
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(b, _)| b);
        Some(PgDatabase {
            url: format!("{base}/{name}"),
            admin_url: admin_url.clone(),
            name,
        })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        psql(
            &self.admin_url,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

fn rand_suffix() -> u32 {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let hash = std::collections::hash_map::RandomState::new().hash_one(std::thread::current().id());
    (hash as u32).wrapping_add(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

use std::hash::BuildHasher;

fn psql(url: &str, sql: &str) {
    let status = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-qc", sql])
        .status()
        .expect("psql runs");
    assert!(status.success(), "psql {sql}");
}
