//! Decentralized identifiers for issuers: `did:key` (Ed25519, key embedded in the DID, no
//! network needed to verify) and `did:web` (DID document served by the app from its domain).

use ed25519_dalek::VerifyingKey;
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::multibase::{decode_base58btc_array, encode_base58btc};

/// Multicodec prefix of an Ed25519 public key (0xed, varint-encoded).
pub(crate) const ED25519_PUB_CODEC: [u8; 2] = [0xed, 0x01];
/// Multicodec prefix of an Ed25519 private key (0x1300, varint-encoded).
pub(crate) const ED25519_PRIV_CODEC: [u8; 2] = [0x80, 0x26];

const DID_KEY_PREFIX: &str = "did:key:";

/// Multikey `publicKeyMultibase` of an Ed25519 key: `z6Mk...`.
pub fn public_key_multibase(key: &VerifyingKey) -> String {
    let mut bytes = [0u8; 34];
    bytes[..2].copy_from_slice(&ED25519_PUB_CODEC);
    bytes[2..].copy_from_slice(key.as_bytes());
    encode_base58btc(&bytes)
}

/// Parses a Multikey `publicKeyMultibase` (`z6Mk...`) into an Ed25519 key.
pub fn parse_public_key_multibase(multibase: &str) -> Result<VerifyingKey> {
    let bytes: [u8; 34] = decode_base58btc_array(multibase)
        .map_err(|e| Error::Key(format!("publicKeyMultibase: {e}")))?;
    if bytes[..2] != ED25519_PUB_CODEC {
        return Err(Error::Key(
            "not an Ed25519 public key (multicodec 0xed)".into(),
        ));
    }
    let mut raw = [0u8; 32];
    raw.copy_from_slice(&bytes[2..]);
    VerifyingKey::from_bytes(&raw).map_err(|e| Error::Key(e.to_string()))
}

/// `did:key:z6Mk...` for an Ed25519 key.
pub fn did_key(key: &VerifyingKey) -> String {
    format!("{DID_KEY_PREFIX}{}", public_key_multibase(key))
}

/// The verification method of a `did:key`: `did:key:z6Mk...#z6Mk...`.
pub fn did_key_verification_method(key: &VerifyingKey) -> String {
    let mb = public_key_multibase(key);
    format!("{DID_KEY_PREFIX}{mb}#{mb}")
}

/// Parses a `did:key` DID or verification method (`did:key:z6Mk...[#z6Mk...]`) and returns
/// the embedded Ed25519 key. A fragment, when present, must repeat the key.
pub fn parse_did_key(did_or_method: &str) -> Result<VerifyingKey> {
    let rest = did_or_method
        .strip_prefix(DID_KEY_PREFIX)
        .ok_or_else(|| Error::Did(format!("not a did:key: {did_or_method:.80}")))?;
    let (multibase, fragment) = match rest.split_once('#') {
        Some((mb, fragment)) => (mb, Some(fragment)),
        None => (rest, None),
    };
    if fragment.is_some_and(|f| f != multibase) {
        return Err(Error::Did("did:key fragment does not match the key".into()));
    }
    if !multibase.starts_with("z6Mk") {
        return Err(Error::Did(
            "only Ed25519 did:key (z6Mk...) is supported".into(),
        ));
    }
    parse_public_key_multibase(multibase).map_err(|e| Error::Did(e.to_string()))
}

/// `did:web` for a domain (optionally with a port and path, e.g. `example.org:8443/issuer`).
/// The port colon is percent-encoded and path slashes become colons, per the did:web spec.
pub fn did_web(domain_and_path: &str) -> Result<String> {
    let trimmed = domain_and_path.trim().trim_end_matches('/');
    let (host, path) = match trimmed.split_once('/') {
        Some((host, path)) => (host, Some(path)),
        None => (trimmed, None),
    };
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'))
    };
    if !valid(host)
        || host.starts_with('.')
        || path.is_some_and(|p| p.split('/').any(|s| !valid(s) || s.contains(':')))
    {
        return Err(Error::Did(format!(
            "not a valid did:web domain: {domain_and_path:.80}"
        )));
    }
    let mut did = format!("did:web:{}", host.replace(':', "%3A"));
    if let Some(path) = path {
        did.push(':');
        did.push_str(&path.replace('/', ":"));
    }
    Ok(did)
}

/// The DID document (`did.json`) for a `did:web` DID with the given keys, each as
/// `(fragment, key)`, e.g. `("key-1", key)`. Keep retired keys in the list: credentials they
/// signed must stay verifiable. Serve it at `https://DOMAIN/.well-known/did.json`.
pub fn did_web_document(did: &str, keys: &[(&str, VerifyingKey)]) -> Value {
    let methods: Vec<Value> = keys
        .iter()
        .map(|(fragment, key)| {
            json!({
                "id": format!("{did}#{fragment}"),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": public_key_multibase(key),
            })
        })
        .collect();
    let ids: Vec<Value> = keys
        .iter()
        .map(|(fragment, _)| Value::String(format!("{did}#{fragment}")))
        .collect();
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTOR_PUB: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

    #[test]
    fn did_key_round_trip() -> Result<()> {
        let key = parse_public_key_multibase(VECTOR_PUB)?;
        assert_eq!(public_key_multibase(&key), VECTOR_PUB);
        let did = did_key(&key);
        assert_eq!(did, format!("did:key:{VECTOR_PUB}"));
        let vm = did_key_verification_method(&key);
        assert_eq!(vm, format!("did:key:{VECTOR_PUB}#{VECTOR_PUB}"));
        assert_eq!(parse_did_key(&did)?, key);
        assert_eq!(parse_did_key(&vm)?, key);
        Ok(())
    }

    #[test]
    fn did_key_rejects_garbage() {
        for bad in [
            "",
            "did:key:",
            "did:web:example.org",
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#other",
            "did:key:z6LSbysY2xFMRpGMhb7tFTLMpeuPRaqaWM1yECx2AtzE3KCc",
            "did:key:z6Mk0OIl",
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2222",
        ] {
            assert!(parse_did_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn did_web_forms() -> Result<()> {
        assert_eq!(did_web("blk.example.go.id")?, "did:web:blk.example.go.id");
        assert_eq!(did_web("localhost:8443")?, "did:web:localhost%3A8443");
        assert_eq!(
            did_web("example.org/issuers/blk")?,
            "did:web:example.org:issuers:blk"
        );
        assert!(did_web("").is_err());
        assert!(did_web("exa mple.org").is_err());
        assert!(did_web("example.org/a//b").is_err());
        Ok(())
    }

    #[test]
    fn did_web_document_shape() -> Result<()> {
        let key = parse_public_key_multibase(VECTOR_PUB)?;
        let did = did_web("training.example.org")?;
        let doc = did_web_document(&did, &[("key-1", key)]);
        let expected: Value = serde_json::from_str(include_str!("../tests/data/did-web.json"))?;
        // Same structure as the verifier's sample, key differs.
        assert_eq!(doc["@context"], expected["@context"]);
        assert_eq!(
            doc["verificationMethod"][0]["id"],
            "did:web:training.example.org#key-1"
        );
        assert_eq!(
            doc["assertionMethod"][0],
            "did:web:training.example.org#key-1"
        );
        assert_eq!(
            doc["verificationMethod"][0]["publicKeyMultibase"],
            VECTOR_PUB
        );
        Ok(())
    }
}
