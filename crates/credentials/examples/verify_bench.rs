//! Throughput benchmark: signs 10,000 realistic 6-unit certificates, verifies them all with
//! [`verify_credential`] (JSON parse + two JCS hashes + Ed25519 + checks), and compares with
//! raw ed25519-dalek `verify_strict` on 64-byte messages. Run with
//! `cargo run --release -p bekal-credentials --example verify_bench [count]`.

#![allow(clippy::print_stdout)]

use std::time::Instant;

use bekal_credentials::{
    CertificateData, DidKeyResolver, IssuerKey, KeyRing, Language, MIN_STATUS_LIST_BITS,
    StatusList, Unit, issue_certificate, verify_credential,
};
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signer as _, SigningKey};

fn data(key: &IssuerKey, i: u64) -> Result<CertificateData, chrono::ParseError> {
    let at = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc));
    let units = (1..=6)
        .map(|u| Unit {
            code: format!("OTO.SM02.00{u}.01"),
            title: format!("Memelihara Sistem {u} Sepeda Motor"),
            url: None,
        })
        .collect();
    Ok(CertificateData {
        number: format!("BLK-PKL/OTO/2026/{i:05}"),
        holder_name: format!("Peserta Pelatihan {i}"),
        package_name: "Pemeliharaan Sepeda Motor Injeksi".into(),
        package_code: "OTO.SM.2026.01".into(),
        hours_jp: 240,
        units,
        field_of_study: Some("Otomotif".into()),
        valid_from: at("2026-03-02T00:00:00Z")?,
        valid_until: Some(at("2031-03-02T00:00:00Z")?),
        issuer_name: "UPTD BLK Kota Pekalongan".into(),
        issuer_did: key.controller().into(),
        credential_id: format!("urn:uuid:7c0e6f5e-2b1a-4c8e-9a51-{i:012}"),
        achievement_id: None,
        status_index: Some(i),
        status_list_url: Some("https://sertifikat.blk-pekalongan.example/status/1".into()),
        language: Language::Indonesian,
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: u64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let key = IssuerKey::generate_did_key()?;
    let at = DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z")?.with_timezone(&Utc);

    let start = Instant::now();
    let mut credentials = Vec::with_capacity(usize::try_from(count)?);
    for i in 0..count {
        credentials.push(issue_certificate(&data(&key, i)?, &key, at)?);
    }
    let sign_rate = count as f64 / start.elapsed().as_secs_f64();
    let avg_len = credentials.iter().map(String::len).sum::<usize>() / credentials.len().max(1);

    let mut list = StatusList::new(
        "https://sertifikat.blk-pekalongan.example/status/1",
        MIN_STATUS_LIST_BITS,
    )?;
    list.set(3, true)?;
    let mut ring = KeyRing::new();
    ring.add_signing_key(key.clone());

    let signing = SigningKey::from_bytes(&[7; 32]);
    let verifying = signing.verifying_key();
    let messages: Vec<([u8; 64], ed25519_dalek::Signature)> = (0..count)
        .map(|i| {
            let mut m = [0u8; 64];
            m[..8].copy_from_slice(&i.to_le_bytes());
            (m, signing.sign(&m))
        })
        .collect();

    // The machine is shared: interleave the measurements, keep the best of ROUNDS.
    const ROUNDS: usize = 3;
    let labels = [
        "did:key resolver, no status",
        "key ring, no status",
        "did:key resolver + status list",
    ];
    let mut best = [0f64; 3];
    let mut valid = [0u64; 3];
    let mut raw_rate = 0f64;
    let mut ok = 0u64;
    for _ in 0..ROUNDS {
        for (case, best) in best.iter_mut().enumerate() {
            let status = (case == 2).then_some(&list);
            let start = Instant::now();
            let mut n = 0u64;
            for credential in &credentials {
                let report = if case == 1 {
                    verify_credential(credential, &ring, status, at)
                } else {
                    verify_credential(credential, &DidKeyResolver, status, at)
                };
                n += u64::from(report.is_valid());
            }
            *best = best.max(count as f64 / start.elapsed().as_secs_f64());
            valid[case] = n;
        }
        let start = Instant::now();
        ok = 0;
        for (m, s) in &messages {
            ok += u64::from(verifying.verify_strict(m, s).is_ok());
        }
        raw_rate = raw_rate.max(count as f64 / start.elapsed().as_secs_f64());
    }

    println!("credentials: {count}, average size {avg_len} bytes (pretty JSON)");
    println!("issue (build + JCS + sign + pretty print): {sign_rate:>10.0} credentials/s");
    println!("raw ed25519-dalek verify_strict:           {raw_rate:>10.0} verifies/s ({ok} ok)");
    for ((label, rate), valid) in labels.iter().zip(best).zip(valid) {
        println!(
            "verify_credential, {label:<31} {rate:>10.0} credentials/s = {:.0}% of raw ({valid} valid)",
            100.0 * rate / raw_rate
        );
    }
    Ok(())
}
