//! Bekal credentials: signed, offline-verifiable training certificates.
//!
//! Certificates are W3C Verifiable Credentials 2.0 / Open Badges 3.0 `OpenBadgeCredential`s
//! secured with an `eddsa-jcs-2022` Data Integrity proof (Ed25519 over RFC 8785 JCS), issued
//! by a `did:key` (or `did:web`) issuer, revocable through a W3C Bitstring Status List and
//! portable as a compact QR payload. This crate is a pure library: no clock, no I/O beyond
//! what the caller hands in; every instant is a parameter.
//!
//! Typical flow:
//! 1. [`IssuerKey::generate_did_key`] once, store [`IssuerKey::to_key_file`] securely;
//! 2. [`issue_certificate`] with a [`CertificateData`];
//! 3. [`encode_qr_payload`] for the printed QR code;
//! 4. [`verify_credential`] (or [`decode_qr_payload`] first) on the verifying side;
//! 5. [`StatusList`] to revoke, published with [`StatusList::to_credential`].

mod base45;
mod certificate;
mod did;
mod error;
mod jcs;
mod keys;
mod multibase;
mod privacy;
mod proof;
mod qr;
mod status_list;
mod verify;

pub use certificate::{CertificateData, Language, Unit, build_certificate, issue_certificate};
pub use did::{
    did_key, did_key_verification_method, did_web, did_web_document, parse_did_key,
    parse_public_key_multibase, public_key_multibase,
};
pub use error::Error;
pub use keys::{IssuerKey, KeyRing};
pub use proof::{
    CRYPTOSUITE, ProofError, canonicalize, hash_data, proof_config, sign_document, verify_proof,
};
pub use qr::{MAX_INFLATED_BYTES, QR_PREFIX, decode_qr_payload, encode_qr_payload};
pub use status_list::{MIN_STATUS_LIST_BITS, StatusList};
pub use verify::{
    DidKeyResolver, KeyResolver, Outcome, Problem, StatusCheck, VerificationReport,
    verify_credential,
};

/// JSON-LD context of W3C Verifiable Credentials 2.0.
pub const VC_V2_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// JSON-LD context of Open Badges 3.0 (version 3.0.3).
pub const OB_V3_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/// Formats an instant the way credentials carry it: XML Schema dateTime, UTC, seconds.
pub fn format_instant(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
