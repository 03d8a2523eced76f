//! The credentials benchmark: sign and verify N Open Badges 3.0 certificates (eddsa-jcs-2022)
//! with `bekal-credentials`, beside raw ed25519-dalek signing and verifying one 64-byte
//! message per credential (the cryptography alone: the floor any implementation pays), and
//! beside the independent reference verifier `../shared/vc-verifier` (Node.js, Digital Bazaar
//! libraries) on a sample, per credential.
//!
//! Timing is in-process (`Instant` around the loop, after one warm-up credential); each figure
//! is the median of `repeat` runs. Every credential Bekal verifies must come out valid, and
//! every sample the reference verifier checks must print VALID: a fast wrong answer fails.

use crate::measure::{Line, median};
use bekal_credentials::{
    CertificateData, DidKeyResolver, IssuerKey, Language, Outcome, Unit, issue_certificate,
    verify_credential,
};
use chrono::{DateTime, TimeZone, Utc};
use ed25519_dalek::{Signer, SigningKey, Verifier};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Errors of the benchmark run (a wrong verification result is one).
#[derive(Debug, thiserror::Error)]
pub enum CredentialBenchError {
    #[error("credential {0}: {1}")]
    Credential(usize, String),
    #[error("the reference verifier: {0}")]
    Reference(String),
    #[error("file {0}: {1}")]
    Io(String, std::io::Error),
}

fn at(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

/// A realistic certificate: six units, a status list entry, the partner as issuer.
fn data(key: &IssuerKey, index: usize) -> CertificateData {
    let units = (1..=6)
        .map(|n| Unit {
            code: format!("OTO.SM02.00{n}.01"),
            title: format!("Memelihara Sistem {n} Sepeda Motor"),
            url: None,
        })
        .collect();
    CertificateData {
        number: format!("BLK-PKL/OTO/2026/{index:05}"),
        holder_name: format!("Peserta Pelatihan {index}"),
        package_name: "Pemeliharaan Sepeda Motor Injeksi".into(),
        package_code: "OTO.SM.2026.01".into(),
        hours_jp: 240,
        units,
        field_of_study: Some("Otomotif".into()),
        valid_from: at(2026, 3, 2),
        valid_until: Some(at(2031, 3, 2)),
        issuer_name: "UPTD BLK Kota Pekalongan".into(),
        issuer_did: key.controller().to_owned(),
        credential_id: format!("urn:uuid:7c0e6f5e-2b1a-4c8e-9a51-{index:012}"),
        achievement_id: None,
        status_index: Some(index as u64),
        status_list_url: Some("https://sertifikat.blk-pekalongan.example/status/1".into()),
        language: Language::Indonesian,
    }
}

/// Signs `count` certificates; returns them and the seconds the loop took.
fn sign_all(key: &IssuerKey, count: usize) -> Result<(Vec<String>, f64), CredentialBenchError> {
    let inputs: Vec<CertificateData> = (0..count).map(|i| data(key, i)).collect();
    let started = Instant::now();
    let mut out = Vec::with_capacity(count);
    for (i, input) in inputs.iter().enumerate() {
        let json = issue_certificate(input, key, at(2026, 3, 2))
            .map_err(|e| CredentialBenchError::Credential(i, e.to_string()))?;
        out.push(json);
    }
    Ok((out, started.elapsed().as_secs_f64()))
}

/// Verifies every credential; any that is not valid is an error.
fn verify_all(credentials: &[String]) -> Result<f64, CredentialBenchError> {
    let when = at(2026, 6, 1);
    let started = Instant::now();
    for (i, json) in credentials.iter().enumerate() {
        let report = verify_credential(json, &DidKeyResolver, None, when);
        if !matches!(report.outcome, Outcome::Valid) {
            return Err(CredentialBenchError::Credential(
                i,
                format!("verified as {}", report.outcome),
            ));
        }
    }
    Ok(started.elapsed().as_secs_f64())
}

/// Raw Ed25519 over one 64-byte message per credential (the two SHA-256 hashes of
/// eddsa-jcs-2022 stand in as random bytes): (sign seconds, verify seconds).
fn raw_ed25519(count: usize) -> Result<(f64, f64), CredentialBenchError> {
    let key = SigningKey::from_bytes(&[7; 32]);
    let public = key.verifying_key();
    let messages: Vec<[u8; 64]> = (0..count)
        .map(|i| {
            let mut m = [0_u8; 64];
            for (j, b) in m.iter_mut().enumerate() {
                *b = (i.wrapping_mul(31).wrapping_add(j * 7) % 251) as u8;
            }
            m
        })
        .collect();
    let started = Instant::now();
    let signatures: Vec<_> = messages.iter().map(|m| key.sign(m)).collect();
    let sign = started.elapsed().as_secs_f64();
    let started = Instant::now();
    for (i, (m, s)) in messages.iter().zip(&signatures).enumerate() {
        public
            .verify(m, s)
            .map_err(|e| CredentialBenchError::Credential(i, e.to_string()))?;
    }
    Ok((sign, started.elapsed().as_secs_f64()))
}

/// Runs the reference verifier on `sample` credentials, one process each (as a verifier
/// would be used on a single certificate); the seconds per credential.
fn reference(
    vc_verify: &Path,
    credentials: &[String],
    work: &Path,
) -> Result<f64, CredentialBenchError> {
    let mut total = 0.0;
    for (i, json) in credentials.iter().enumerate() {
        let file = work.join(format!("credential-{i}.json"));
        std::fs::write(&file, json)
            .map_err(|e| CredentialBenchError::Io(file.display().to_string(), e))?;
        let started = Instant::now();
        let out = Command::new(vc_verify)
            .arg(&file)
            .output()
            .map_err(|e| CredentialBenchError::Reference(e.to_string()))?;
        total += started.elapsed().as_secs_f64();
        let text = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() || !text.starts_with("VALID") {
            return Err(CredentialBenchError::Reference(format!(
                "credential {i}: {}{}",
                text.trim(),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
    }
    Ok(total / credentials.len().max(1) as f64)
}

/// The three lines of the credentials benchmark. `vc_verify` is the reference verifier's
/// script when present (its line then notes the sample size; absent, the line says so).
pub fn run(
    count: usize,
    repeat: usize,
    sample: usize,
    vc_verify: Option<&Path>,
    work: &Path,
) -> Result<Vec<Line>, CredentialBenchError> {
    let key = IssuerKey::from_seed_did_key(&[42; 32]);
    // Warm-up: the first credential pays for lazy initialisation.
    let _ = sign_all(&key, 1)?;
    let mut sign = Vec::new();
    let mut verify = Vec::new();
    let mut raw_sign = Vec::new();
    let mut raw_verify = Vec::new();
    let mut credentials = Vec::new();
    for _ in 0..repeat.max(1) {
        let (signed, seconds) = sign_all(&key, count)?;
        sign.push(seconds);
        verify.push(verify_all(&signed)?);
        let (s, v) = raw_ed25519(count)?;
        raw_sign.push(s);
        raw_verify.push(v);
        credentials = signed;
    }
    let runs = repeat.max(1);
    let peak = peak_rss_kb();
    let line = |name: String, bekal: f64, anchor: &str, anchor_s: Option<f64>, note: String| Line {
        name,
        bekal_seconds: bekal,
        anchor: anchor.to_owned(),
        anchor_seconds: anchor_s,
        ratio: anchor_s.filter(|a| *a > 0.0).map(|a| bekal / a),
        bekal_peak_rss_kb: peak,
        runs,
        note,
    };
    let (sign_m, verify_m) = (median(&sign), median(&verify));
    let mut lines = vec![
        line(
            format!("credentials: sign {count}"),
            sign_m,
            "ed25519-dalek sign",
            Some(median(&raw_sign)),
            format!(
                "{:.0} credentials/s; Bekal builds the JSON, canonicalises (JCS) and hashes document and proof options, then signs",
                count as f64 / sign_m.max(f64::MIN_POSITIVE)
            ),
        ),
        line(
            format!("credentials: verify {count}"),
            verify_m,
            "ed25519-dalek verify",
            Some(median(&raw_verify)),
            format!(
                "{:.0} credentials/s; every one checked valid (shape, dates, did:key, proof)",
                count as f64 / verify_m.max(f64::MIN_POSITIVE)
            ),
        ),
    ];
    let per_credential = verify_m / count.max(1) as f64;
    lines.push(match vc_verify {
        Some(script) if sample > 0 => {
            let take = sample.min(credentials.len());
            let seconds = reference(script, &credentials[..take], work)?;
            line(
                "credentials: verify 1 (each)".to_owned(),
                per_credential,
                "vc-verifier (node)",
                Some(seconds),
                format!(
                    "reference: {take} credentials, one process each (Node.js start included); Bekal: per credential of the run above"
                ),
            )
        }
        _ => line(
            "credentials: verify 1 (each)".to_owned(),
            per_credential,
            "vc-verifier (node)",
            None,
            "reference verifier not run (../shared/vc-verifier or node missing)".to_owned(),
        ),
    });
    Ok(lines)
}

/// This process's peak resident memory (Linux `VmHWM`), in kB.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
