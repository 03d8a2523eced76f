//! Printable documents: the certificate PDF (A4, Indonesian and English), laid out by hand
//! with krilla. Page 1: holder, program, hours (JP), dates, issuer, two signature blocks and
//! a QR code carrying the `BKL1:` payload of the signed credential; page 2: the unit
//! transcript. One PDF per person, or one per class batch (all sheets in one file).
//! Also the monthly report PDF ([`report_pdf`]) and QR codes as SVG for pages ([`qr_svg`]).
//! Fonts: DejaVu Sans (bundled in `fonts/`, licence in `fonts/LICENSE-DejaVu.txt`).

mod layout;
mod qr_svg;
mod report;

pub use qr_svg::qr_svg;
pub use report::{BarChart, ReportDocument, ReportTable, report_pdf};

use chrono::NaiveDate;
use thiserror::Error;

/// What a certificate shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateSheet {
    pub number: String,
    pub holder_name: String,
    pub program: String,
    pub program_en: Option<String>,
    pub program_code: String,
    pub hours_jp: u32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub issued_on: NaiveDate,
    pub issuer_name: String,
    pub city: Option<String>,
    /// Head of the training centre (first signature block).
    pub head_name: Option<String>,
    pub head_title: Option<String>,
    /// The assessor (second signature block).
    pub assessor_name: Option<String>,
    pub units: Vec<TranscriptLine>,
    /// The `BKL1:` QR payload.
    pub qr_payload: String,
    /// Where to check it online, printed under the QR code.
    pub verify_url: Option<String>,
}

/// One unit on the transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptLine {
    pub code: String,
    pub title: String,
    pub hours_jp: u32,
    /// `K` (kompeten).
    pub decision: String,
}

#[derive(Debug, Error)]
pub enum DocumentError {
    #[error("font: {0}")]
    Font(String),
    #[error("QR code: {0}")]
    Qr(String),
    #[error("PDF: {0}")]
    Pdf(String),
}

/// A PDF with two pages per sheet (certificate, transcript).
pub fn certificates_pdf(sheets: &[CertificateSheet]) -> Result<Vec<u8>, DocumentError> {
    layout::render(sheets)
}
