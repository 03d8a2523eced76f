//! Property tests: hostile input never panics. QR payloads (random text, random Base45,
//! random compressed bytes), credentials (random text, byte-mutated genuine credentials),
//! status lists and DIDs all return errors or verdicts, never a panic.

mod common;

use std::io::Write as _;

use bekal_credentials::{
    DidKeyResolver, IssuerKey, Outcome, QR_PREFIX, StatusList, decode_qr_payload,
    encode_qr_payload, issue_certificate, parse_did_key, verify_credential,
};
use chrono::{DateTime, Utc};
use common::{certificate_data, instant};
use proptest::prelude::*;

const BASE45: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

fn genuine() -> (String, DateTime<Utc>) {
    let key = IssuerKey::from_seed_did_key(&[11; 32]);
    let at = instant("2026-06-01T00:00:00Z").unwrap_or_default();
    let json = certificate_data(&key, 3)
        .ok()
        .and_then(|data| issue_certificate(&data, &key, at).ok())
        .unwrap_or_default();
    (json, at)
}

fn base45(bytes: &[u8]) -> String {
    // Minimal encoder for building test input (RFC 9285).
    let alphabet = BASE45.as_bytes();
    let mut out = String::new();
    for pair in bytes.chunks(2) {
        let (n, digits) = match pair {
            [a, b] => (usize::from(*a) * 256 + usize::from(*b), 3),
            [a] => (usize::from(*a), 2),
            _ => (0, 0),
        };
        let mut n = n;
        for _ in 0..digits {
            out.push(char::from(alphabet[n % 45]));
            n /= 45;
        }
    }
    out
}

proptest! {
    #[test]
    fn qr_decode_never_panics_on_text(text in any::<String>()) {
        let _ = decode_qr_payload(&text);
        let _ = decode_qr_payload(&format!("{}{}", QR_PREFIX, text));
    }

    #[test]
    fn qr_decode_never_panics_on_base45(body in "[0-9A-Z $%*+\\-./:]{0,600}") {
        let _ = decode_qr_payload(&format!("{}{}", QR_PREFIX, body));
    }

    #[test]
    fn qr_decode_never_panics_on_deflate_streams(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        // Random bytes as a raw deflate stream, and a valid stream of random content.
        let _ = decode_qr_payload(&format!("{}{}", QR_PREFIX, base45(&bytes)));
        let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let compressed = encoder.finish().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let payload = format!("{}{}", QR_PREFIX, base45(&compressed));
        let rejected = decode_qr_payload(&payload).is_err();
        let is_json = serde_json::from_slice::<serde_json::Value>(&bytes).is_ok();
        prop_assert!(rejected || is_json);
    }

    #[test]
    fn verify_never_panics_on_text(text in any::<String>()) {
        let at = instant("2026-06-01T00:00:00Z").map_err(|e| TestCaseError::fail(e.to_string()))?;
        let report = verify_credential(&text, &DidKeyResolver, None, at);
        prop_assert!(matches!(report.outcome, Outcome::Invalid(_)));
        let _ = StatusList::decode("https://x.example/s", &text);
        let _ = StatusList::from_credential_unverified(&text);
        let _ = parse_did_key(&text);
    }

    #[test]
    fn mutated_credentials_never_verify(position in any::<prop::sample::Index>(), byte in 0x20u8..0x7f) {
        let (json, at) = genuine();
        let mut bytes = json.into_bytes();
        let i = position.index(bytes.len());
        let original = bytes[i];
        bytes[i] = byte;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let report = verify_credential(&text, &DidKeyResolver, None, at);
        // Either nothing changed semantically (same byte, or whitespace outside strings), or
        // the credential is rejected.
        if original != byte && !original.is_ascii_whitespace() {
            prop_assert!(!report.is_valid(), "mutation at {} accepted", i);
        }
    }

    #[test]
    fn qr_payload_mutations_never_panic(position in any::<prop::sample::Index>(), c in prop::sample::select(BASE45.chars().collect::<Vec<_>>())) {
        let (json, at) = genuine();
        let payload = encode_qr_payload(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut chars: Vec<char> = payload.chars().collect();
        let i = QR_PREFIX.len() + position.index(chars.len() - QR_PREFIX.len());
        let changed = chars[i] != c;
        chars[i] = c;
        let mutated: String = chars.into_iter().collect();
        if let Ok(decoded) = decode_qr_payload(&mutated) {
            let report = verify_credential(&decoded, &DidKeyResolver, None, at);
            if changed && decoded != serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&json).map_err(|e| TestCaseError::fail(e.to_string()))?).map_err(|e| TestCaseError::fail(e.to_string()))? {
                prop_assert!(!report.is_valid());
            }
        }
    }
}

#[test]
fn fuzz_fixture_is_genuine() {
    let (json, at) = genuine();
    assert!(verify_credential(&json, &DidKeyResolver, None, at).is_valid());
}
