//! Golden files: a `BKL1:` QR payload and a certificate issued earlier must keep decoding and
//! verifying (printed certificates live for years; the QR format and dictionary are frozen).

use bekal_credentials::{
    DidKeyResolver, IssuerKey, Outcome, StatusList, decode_qr_payload, verify_credential,
};
use chrono::{DateTime, Utc};
use serde_json::Value;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const PAYLOAD: &str = include_str!("data/bkl1-sample.txt");
const CERTIFICATE: &str = include_str!("data/sample-certificate.json");
const STATUS_LIST: &str = include_str!("data/sample-status-list.json");

fn at() -> Result<DateTime<Utc>, chrono::ParseError> {
    Ok(DateTime::parse_from_rfc3339("2027-01-01T00:00:00Z")?.with_timezone(&Utc))
}

#[test]
fn golden_bkl1_payload_decodes_to_the_sample_certificate() -> TestResult {
    let decoded = decode_qr_payload(PAYLOAD)?;
    assert_eq!(
        serde_json::from_str::<Value>(&decoded)?,
        serde_json::from_str::<Value>(CERTIFICATE)?
    );
    let report = verify_credential(&decoded, &DidKeyResolver, None, at()?);
    assert_eq!(report.outcome, Outcome::Valid);
    let demo = IssuerKey::from_seed_did_key(&[42; 32]);
    assert_eq!(report.issuer_id.as_deref(), Some(demo.controller()));
    Ok(())
}

#[test]
fn golden_status_list_is_clear_for_the_sample() -> TestResult {
    let list = StatusList::from_verified_credential(STATUS_LIST, &DidKeyResolver, at()?)?;
    let report = verify_credential(CERTIFICATE, &DidKeyResolver, Some(&list), at()?);
    assert_eq!(report.outcome, Outcome::Valid);
    Ok(())
}
