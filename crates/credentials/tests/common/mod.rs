//! Shared fixtures for the integration tests: a realistic 6-unit certificate (motorcycle
//! maintenance, SKKNI units) issued by a training partner, never naming a facility.

#![allow(dead_code)]

use bekal_credentials::{CertificateData, IssuerKey, Language, Unit};
use chrono::{DateTime, Utc};

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

pub const STATUS_LIST_URL: &str = "https://sertifikat.blk-pekalongan.example/status/1";

pub fn instant(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    Ok(DateTime::parse_from_rfc3339(text)?.with_timezone(&Utc))
}

pub fn units() -> Vec<Unit> {
    [
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
    ]
    .into_iter()
    .map(|(code, title)| Unit {
        code: code.into(),
        title: title.into(),
        url: None,
    })
    .collect()
}

pub fn certificate_data(
    key: &IssuerKey,
    status_index: u64,
) -> Result<CertificateData, chrono::ParseError> {
    Ok(CertificateData {
        number: format!("BLK-PKL/OTO/2026/{status_index:05}"),
        holder_name: "Budi Santoso".into(),
        package_name: "Pemeliharaan Sepeda Motor Injeksi".into(),
        package_code: "OTO.SM.2026.01".into(),
        hours_jp: 240,
        units: units(),
        field_of_study: Some("Otomotif".into()),
        valid_from: instant("2026-03-02T00:00:00Z")?,
        valid_until: Some(instant("2031-03-02T00:00:00Z")?),
        issuer_name: "UPTD BLK Kota Pekalongan".into(),
        issuer_did: key.controller().to_owned(),
        credential_id: format!("urn:uuid:7c0e6f5e-2b1a-4c8e-9a51-{status_index:012}"),
        achievement_id: None,
        status_index: Some(status_index),
        status_list_url: Some(STATUS_LIST_URL.into()),
        language: Language::Indonesian,
    })
}
