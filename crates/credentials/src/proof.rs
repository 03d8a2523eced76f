//! The `eddsa-jcs-2022` cryptosuite (W3C vc-di-eddsa): Data Integrity proofs made of an
//! Ed25519 signature over SHA-256(JCS(proof config)) || SHA-256(JCS(document)).

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, VerifyingKey};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::keys::IssuerKey;
use crate::multibase::{decode_base58btc_array, encode_base58btc};
use crate::{format_instant, jcs};

/// The cryptosuite name carried in `proof.cryptosuite`.
pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";

/// RFC 8785 JSON Canonicalization Scheme of a JSON value.
pub fn canonicalize(value: &Value) -> Result<String> {
    let mut out = Vec::with_capacity(4096);
    jcs::write_value(value, &mut out)?;
    String::from_utf8(out).map_err(|e| Error::Proof(e.to_string()))
}

/// SHA-256 of the JCS form.
pub(crate) fn jcs_sha256(value: &Value) -> Result<[u8; 32]> {
    let mut out = Vec::with_capacity(4096);
    jcs::write_value(value, &mut out)?;
    Ok(Sha256::digest(&out).into())
}

/// The proof configuration (the proof without `proofValue`) for `document`: type
/// `DataIntegrityProof`, cryptosuite, `created`, `verificationMethod`, proof purpose
/// `assertionMethod`, and the document's `@context` copied when it has one.
pub fn proof_config(
    document: &Map<String, Value>,
    verification_method: &str,
    created: DateTime<Utc>,
) -> Map<String, Value> {
    let mut config = Map::new();
    config.insert("type".into(), "DataIntegrityProof".into());
    config.insert("cryptosuite".into(), CRYPTOSUITE.into());
    config.insert("created".into(), format_instant(created).into());
    config.insert("verificationMethod".into(), verification_method.into());
    config.insert("proofPurpose".into(), "assertionMethod".into());
    if let Some(context) = document.get("@context") {
        config.insert("@context".into(), context.clone());
    }
    config
}

/// The 64 bytes that get signed: SHA-256(JCS(proof config)) || SHA-256(JCS(document)).
/// `document` must not contain `proof`.
pub fn hash_data(proof_config: &Value, document: &Value) -> Result<[u8; 64]> {
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&jcs_sha256(proof_config)?);
    out[32..].copy_from_slice(&jcs_sha256(document)?);
    Ok(out)
}

/// Adds an `eddsa-jcs-2022` proof to a JSON object (which must not have one yet).
pub fn sign_document(document: Value, key: &IssuerKey, created: DateTime<Utc>) -> Result<Value> {
    let Value::Object(map) = document else {
        return Err(Error::Proof("document is not a JSON object".into()));
    };
    if map.contains_key("proof") {
        return Err(Error::Proof("document already has a proof".into()));
    }
    let config = Value::Object(proof_config(&map, key.verification_method(), created));
    let document = Value::Object(map);
    let hash = hash_data(&config, &document)?;
    let signature = key.sign(&hash);
    let Value::Object(mut proof) = config else {
        return Err(Error::Proof("proof config is not an object".into()));
    };
    proof.insert(
        "proofValue".into(),
        encode_base58btc(&signature.to_bytes()).into(),
    );
    let Value::Object(mut signed) = document else {
        return Err(Error::Proof("document is not a JSON object".into()));
    };
    signed.insert("proof".into(), Value::Object(proof));
    Ok(Value::Object(signed))
}

/// Why a proof does not verify (structure problems are reported before the signature).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// `proof.<field>` is missing or has the wrong value.
    #[error("proof field {0} is missing or wrong")]
    Field(&'static str),
    /// `proof.@context` differs from the document's `@context`.
    #[error("proof @context does not match the document @context")]
    ContextMismatch,
    /// `proofValue` is not a base58btc 64-byte signature.
    #[error("proofValue is not a base58btc Ed25519 signature")]
    Encoding,
    /// Canonicalization failed (e.g. a number JCS cannot represent).
    #[error("document cannot be canonicalized")]
    Canonicalization,
    /// The signature does not match.
    #[error("signature does not verify")]
    Signature,
}

/// Checks the structure of a detached proof (as an object with `proofValue`) against its
/// document (without `proof`) and verifies the signature with `key`. `proof` is consumed:
/// `proofValue` is removed from it to form the proof configuration.
pub fn verify_proof(
    document: &Value,
    mut proof: Map<String, Value>,
    key: &VerifyingKey,
) -> std::result::Result<(), ProofError> {
    let field_is = |proof: &Map<String, Value>, name: &'static str, want: &str| {
        if proof.get(name).and_then(Value::as_str) == Some(want) {
            Ok(())
        } else {
            Err(ProofError::Field(name))
        }
    };
    field_is(&proof, "type", "DataIntegrityProof")?;
    field_is(&proof, "cryptosuite", CRYPTOSUITE)?;
    field_is(&proof, "proofPurpose", "assertionMethod")?;
    if !proof.get("created").is_none_or(Value::is_string) {
        return Err(ProofError::Field("created"));
    }
    if document.get("@context") != proof.get("@context") {
        return Err(ProofError::ContextMismatch);
    }
    let Some(Value::String(proof_value)) = proof.remove("proofValue") else {
        return Err(ProofError::Field("proofValue"));
    };
    let signature: [u8; 64] =
        decode_base58btc_array(&proof_value).map_err(|_| ProofError::Encoding)?;
    let config = Value::Object(proof);
    let hash = hash_data(&config, document).map_err(|_| ProofError::Canonicalization)?;
    key.verify_strict(&hash, &Signature::from_bytes(&signature))
        .map_err(|_| ProofError::Signature)
}
