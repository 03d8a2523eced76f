//! Writes a sample signed certificate, its status list credential and the QR payload to the
//! folder given as the first argument (default `.`), with a fixed demo key. For eyeballing
//! and for manual checks with external tools (vc-verify, JSON-LD processors).

#![allow(clippy::print_stdout)]

use bekal_credentials::{
    CertificateData, IssuerKey, Language, MIN_STATUS_LIST_BITS, StatusList, Unit,
    encode_qr_payload, issue_certificate,
};
use chrono::{DateTime, Utc};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let at = |s: &str| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc));
    let key = IssuerKey::from_seed_did_key(&[42; 32]);
    let list_url = "https://sertifikat.blk-pekalongan.example/status/1";
    let units = [
        (
            "OTO.SM01.001.01",
            "Menerapkan Prosedur K3L pada Sepeda Motor",
        ),
        ("OTO.SM02.001.01", "Memelihara Mesin Sepeda Motor"),
        (
            "OTO.SM02.002.01",
            "Memelihara Sistem Bahan Bakar Sepeda Motor",
        ),
        (
            "OTO.SM02.003.01",
            "Memelihara Sistem Pengapian Sepeda Motor",
        ),
        ("OTO.SM02.004.01", "Memelihara Sistem Rem Sepeda Motor"),
        (
            "OTO.SM02.005.01",
            "Memelihara Sistem Kelistrikan Sepeda Motor",
        ),
    ];
    let data = CertificateData {
        number: "BLK-PKL/OTO/2026/00017".into(),
        holder_name: "Budi Santoso".into(),
        package_name: "Pemeliharaan Sepeda Motor Injeksi".into(),
        package_code: "OTO.SM.2026.01".into(),
        hours_jp: 240,
        units: units
            .iter()
            .map(|(code, title)| Unit {
                code: (*code).into(),
                title: (*title).into(),
                url: None,
            })
            .collect(),
        field_of_study: Some("Otomotif".into()),
        valid_from: at("2026-03-02T00:00:00Z")?,
        valid_until: None,
        issuer_name: "UPTD BLK Kota Pekalongan".into(),
        issuer_did: key.controller().into(),
        credential_id: "urn:uuid:7c0e6f5e-2b1a-4c8e-9a51-0c3d2b7e4a10".into(),
        achievement_id: None,
        status_index: Some(17),
        status_list_url: Some(list_url.into()),
        language: Language::Indonesian,
    };
    let created = at("2026-03-02T08:30:00Z")?;
    let credential = issue_certificate(&data, &key, created)?;
    let list = StatusList::new(list_url, MIN_STATUS_LIST_BITS)?;
    let qr = encode_qr_payload(&credential)?;
    std::fs::write(format!("{dir}/certificate.json"), &credential)?;
    std::fs::write(
        format!("{dir}/status-list.json"),
        list.to_credential(&key, created, created)?,
    )?;
    std::fs::write(format!("{dir}/qr.txt"), &qr)?;
    println!(
        "wrote {dir}/certificate.json ({} bytes), status-list.json, qr.txt ({} chars)",
        credential.len(),
        qr.len()
    );
    Ok(())
}
