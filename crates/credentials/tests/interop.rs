//! Interoperability with the independent JavaScript verifier (Digital Bazaar reference
//! libraries) in ../shared/vc-verifier: our certificates must verify there, its tampered
//! variants must not, its reference credential must verify here, and revocation through our
//! status list must be seen there. Skipped with a note when the verifier or Node.js is
//! missing, unless CI=true, in which case a missing verifier fails the test.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use bekal_credentials::{
    DidKeyResolver, IssuerKey, KeyRing, MIN_STATUS_LIST_BITS, Outcome, StatusList,
    issue_certificate, verify_credential,
};
use common::{STATUS_LIST_URL, TestResult, certificate_data, instant};

/// The first vc-verify call runs `npm ci`; serialize calls so tests do not race on it.
static VERIFIER: Mutex<()> = Mutex::new(());

fn verifier() -> Result<Option<PathBuf>, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vc-verifier/vc-verify");
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if path.is_file() && node_ok {
        return Ok(Some(path));
    }
    let why = if node_ok {
        format!("{} not found", path.display())
    } else {
        "node not found".into()
    };
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        return Err(format!("vc-verify interop test cannot run in CI: {why}"));
    }
    eprintln!("SKIPPED vc-verify interop test: {why}");
    Ok(None)
}

/// Runs vc-verify in `dir`; returns (exit code, stdout).
fn run(
    vc_verify: &Path,
    dir: &Path,
    args: &[&str],
) -> Result<(i32, String), Box<dyn std::error::Error>> {
    let _guard = VERIFIER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let out = Command::new(vc_verify)
        .args(args)
        .current_dir(dir)
        .output()?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    eprintln!(
        "vc-verify {}: {}{}",
        args.join(" "),
        stdout.trim(),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok((out.status.code().unwrap_or(-1), stdout))
}

#[test]
fn vc_verify_accepts_ours_and_rejects_tampered() -> TestResult {
    let Some(vc_verify) = verifier()? else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    let key = IssuerKey::generate_did_key()?;
    let json = issue_certificate(
        &certificate_data(&key, 5)?,
        &key,
        instant("2026-03-02T08:30:00Z")?,
    )?;
    std::fs::write(dir.path().join("cred.json"), &json)?;

    let (code, out) = run(&vc_verify, dir.path(), &["cred.json"])?;
    assert_eq!(code, 0, "{out}");
    assert!(out.starts_with("VALID (eddsa-jcs-2022)"), "{out}");

    let tamper_dir = tempfile::tempdir()?;
    let cred = dir.path().join("cred.json");
    let cred = cred.to_str().ok_or("path")?;
    let (code, out) = run(&vc_verify, tamper_dir.path(), &["--tamper", cred])?;
    assert_eq!(code, 0, "{out}");
    let mut variants: Vec<_> = std::fs::read_dir(tamper_dir.path())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("tampered-"))
        })
        .collect();
    variants.sort();
    assert_eq!(variants.len(), 8, "{out}");
    let at = instant("2026-06-01T00:00:00Z")?;
    for variant in &variants {
        let name = variant.to_str().ok_or("path")?;
        let (code, out) = run(&vc_verify, tamper_dir.path(), &[name])?;
        assert_eq!(code, 1, "{name}: {out}");
        assert!(out.starts_with("INVALID"), "{name}: {out}");
        // Our verifier agrees.
        let report = verify_credential(
            &std::fs::read_to_string(variant)?,
            &DidKeyResolver,
            None,
            at,
        );
        assert!(
            matches!(report.outcome, Outcome::Invalid(_)),
            "{name}: {:?}",
            report.outcome
        );
    }
    Ok(())
}

#[test]
fn vc_verify_sees_revocation_in_our_status_list() -> TestResult {
    let Some(vc_verify) = verifier()? else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    let key = IssuerKey::generate_did_key()?;
    let t = instant("2026-03-02T08:30:00Z")?;
    std::fs::write(
        dir.path().join("cred.json"),
        issue_certificate(&certificate_data(&key, 1234)?, &key, t)?,
    )?;
    let mut list = StatusList::new(STATUS_LIST_URL, MIN_STATUS_LIST_BITS)?;
    list.set(1233, true)?;
    list.set(1235, true)?;
    std::fs::write(
        dir.path().join("list.json"),
        list.to_credential(&key, t, t)?,
    )?;
    let (code, out) = run(
        &vc_verify,
        dir.path(),
        &["--status-list=list.json", "cred.json"],
    )?;
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("status=ok"), "{out}");
    // The list credential itself verifies there too.
    let (code, out) = run(&vc_verify, dir.path(), &["list.json"])?;
    assert_eq!(code, 0, "{out}");

    list.set(1234, true)?;
    std::fs::write(
        dir.path().join("list.json"),
        list.to_credential(&key, t, t)?,
    )?;
    let (code, out) = run(
        &vc_verify,
        dir.path(),
        &["--status-list=list.json", "cred.json"],
    )?;
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("status list bit 1234 is set"), "{out}");
    Ok(())
}

#[test]
fn vc_verify_accepts_did_web_issuer() -> TestResult {
    let Some(vc_verify) = verifier()? else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    let did = bekal_credentials::did_web("sertifikat.blk-pekalongan.example")?;
    let old = IssuerKey::generate_did_web(&did, "key-1")?;
    let new = IssuerKey::generate_did_web(&did, "key-2")?;
    let mut ring = KeyRing::new();
    ring.add_signing_key(old.clone());
    ring.add_signing_key(new);
    ring.retire(old.verification_method());
    let t = instant("2026-03-02T08:30:00Z")?;
    std::fs::write(
        dir.path().join("old.json"),
        issue_certificate(&certificate_data(&old, 1)?, &old, t)?,
    )?;
    let active = ring.active_key(&did).ok_or("no key")?;
    std::fs::write(
        dir.path().join("new.json"),
        issue_certificate(&certificate_data(active, 2)?, active, t)?,
    )?;
    std::fs::write(
        dir.path().join("did.json"),
        serde_json::to_string_pretty(&ring.did_web_document(&did))?,
    )?;
    for file in ["old.json", "new.json"] {
        let (code, out) = run(&vc_verify, dir.path(), &["--did-doc=did.json", file])?;
        assert_eq!(code, 0, "{file}: {out}");
    }
    Ok(())
}

#[test]
fn reference_credential_from_js_verifies_here() -> TestResult {
    let Some(vc_verify) = verifier()? else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    let (code, out) = run(&vc_verify, dir.path(), &["--issue", "jcs", "ref.json"])?;
    assert_eq!(code, 0, "{out}");
    let json = std::fs::read_to_string(dir.path().join("ref.json"))?;
    let report = verify_credential(
        &json,
        &DidKeyResolver,
        None,
        instant("2026-06-01T00:00:00Z")?,
    );
    assert_eq!(report.outcome, Outcome::Valid, "{json}");
    Ok(())
}

/// JSON-LD safe-mode expansion (fails on any term the contexts do not define), run with the
/// verifier's installed jsonld library and offline context loader.
const SAFE_EXPAND: &str = "
import {readFileSync} from 'node:fs';
import jsonld from 'jsonld';
import {makeLoader} from './loader.mjs';
const doc = JSON.parse(readFileSync(process.argv[1], 'utf8'));
try { await jsonld.expand(doc, {documentLoader: makeLoader(), safe: true}); console.log('SAFE'); }
catch (e) { console.log('UNSAFE', JSON.stringify(e.details?.event?.details ?? e.message)); process.exit(1); }
";

fn verifier_home() -> PathBuf {
    if let Some(home) = std::env::var_os("VC_VERIFY_HOME") {
        return home.into();
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache")
        });
    cache.join("vc-verifier")
}

#[test]
fn certificates_use_only_context_defined_terms() -> TestResult {
    let Some(vc_verify) = verifier()? else {
        return Ok(());
    };
    let dir = tempfile::tempdir()?;
    let key = IssuerKey::generate_did_key()?;
    let t = instant("2026-03-02T08:30:00Z")?;
    let mut english = certificate_data(&key, 8)?;
    english.language = bekal_credentials::Language::English;
    english.achievement_id =
        Some("https://sertifikat.blk-pekalongan.example/achievements/oto-sm".into());
    english.credential_id = "https://sertifikat.blk-pekalongan.example/c/8".into();
    for unit in &mut english.units {
        unit.url = Some(format!("https://skkni.example/unit/{}", unit.code));
    }
    let files = [
        (
            "id.json",
            issue_certificate(&certificate_data(&key, 7)?, &key, t)?,
        ),
        ("en.json", issue_certificate(&english, &key, t)?),
        (
            "list.json",
            StatusList::new(STATUS_LIST_URL, MIN_STATUS_LIST_BITS)?.to_credential(&key, t, t)?,
        ),
    ];
    for (name, json) in &files {
        std::fs::write(dir.path().join(name), json)?;
        // Also makes sure the verifier's npm install exists.
        let (code, out) = run(&vc_verify, dir.path(), &[name])?;
        assert_eq!(code, 0, "{name}: {out}");
    }
    // Control: an undefined term must be caught by the check.
    let mut bad: serde_json::Value = serde_json::from_str(&files[0].1)?;
    bad["credentialSubject"]["hoursJp"] = 240.into();
    std::fs::write(dir.path().join("bad.json"), serde_json::to_string(&bad)?)?;
    let _guard = VERIFIER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for (name, want_safe) in [
        ("id.json", true),
        ("en.json", true),
        ("list.json", true),
        ("bad.json", false),
    ] {
        let out = Command::new("node")
            .args(["--input-type=module", "-e", SAFE_EXPAND])
            .arg(dir.path().join(name))
            .current_dir(verifier_home())
            .output()?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        eprintln!(
            "safe-mode expand {name}: {}{}",
            stdout.trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
        assert_eq!(out.status.success(), want_safe, "{name}: {stdout}");
    }
    Ok(())
}
