//! The certificate PDF renders: two pages per sheet, fonts embedded, QR drawn.

#![expect(clippy::unwrap_used, reason = "tests")]

use bekal_documents::{CertificateSheet, TranscriptLine, certificates_pdf};
use chrono::NaiveDate;

fn sheet(name: &str) -> CertificateSheet {
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    CertificateSheet {
        number: "BLK-PKL/2026/00001".into(),
        holder_name: name.into(),
        program: "Menjahit Pakaian".into(),
        program_en: Some("Garment sewing".into()),
        program_code: "JAHIT".into(),
        hours_jp: 240,
        start_date: d(9, 1),
        end_date: d(11, 13),
        issued_on: d(11, 29),
        issuer_name: "UPTD BLK Kota Pekalongan".into(),
        city: Some("Kota Pekalongan".into()),
        head_name: Some("Kepala UPTD BLK Kota Pekalongan".into()),
        head_title: Some("Kepala UPTD".into()),
        assessor_name: Some("Sutrisno".into()),
        units: (1..=6)
            .map(|i| TranscriptLine {
                code: format!("C.14JPA00.00{i}.1"),
                title: "Menjahit kemeja dengan mesin jahit industri sesuai standar mutu".into(),
                hours_jp: 40,
                decision: "K".into(),
            })
            .collect(),
        qr_payload: format!("BKL1:{}", "ABC123 $%*+-./:".repeat(45)),
        verify_url: Some(
            "https://verify.bekal.example/verify?number=BLK-PKL%2F2026%2F00001".into(),
        ),
    }
}

#[test]
fn one_person_and_a_batch() {
    let one = certificates_pdf(&[sheet("Ani Lestari")]).unwrap();
    assert!(one.starts_with(b"%PDF-"));
    let batch = certificates_pdf(&[sheet("Ani Lestari"), sheet("Citra Dewi")]).unwrap();
    assert!(batch.len() > one.len());
    if let Ok(dir) = std::env::var("BEKAL_PDF_OUT") {
        std::fs::write(format!("{dir}/certificate.pdf"), &one).unwrap();
        std::fs::write(format!("{dir}/batch.pdf"), &batch).unwrap();
    }
}
