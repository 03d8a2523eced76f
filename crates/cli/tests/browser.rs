//! The browser walkthrough (tests/browser/walkthrough.mjs): a real `bekal demo` served on
//! loopback and Debian's chromium driven by playwright-core through the officer's, trainer's
//! (offline attendance) and assessor's screens, in Indonesian and English, with and without
//! JavaScript. Screenshots land in `target/tmp/browser-screenshots`.
//!
//! Needs `npm ci` in tests/browser and /usr/bin/chromium (`.ci/run` installs both); without
//! them the test says SKIPPED, except under CI=true where that is a failure.

mod support;

use std::path::PathBuf;
use std::process::Command;
use support::start_server;

fn browser_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser")
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

#[test]
fn walkthrough_in_a_real_browser() {
    let ready = browser_dir().join("node_modules/playwright-core").exists() && chromium().exists();
    if !ready {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI must run the browser walkthrough: npm ci in tests/browser and install chromium"
        );
        eprintln!(
            "browser walkthrough SKIPPED: run `npm ci` in tests/browser and install chromium"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = start_server(&["demo", "--today", "2026-11-29"], dir.path());
    let screenshots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    let output = Command::new("node")
        .arg("walkthrough.mjs")
        .current_dir(browser_dir())
        .env("BEKAL_URL", &server.url)
        .env("BEKAL_SCREENSHOTS", &screenshots)
        .env("CHROMIUM", chromium())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    eprintln!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "walkthrough failed; server log:\n{}",
        server.log.lock().unwrap()
    );
    assert!(stdout.contains("walkthrough passed"));
    let shots: Vec<String> = std::fs::read_dir(&screenshots)
        .expect("screenshots written")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    for screen in [
        "attendance-offline-queued",
        "import-preview-errors",
        "verify-public",
    ] {
        assert!(
            shots.iter().any(|s| s.ends_with(&format!("-{screen}.png"))),
            "no screenshot of {screen}: {shots:?}"
        );
    }
}
