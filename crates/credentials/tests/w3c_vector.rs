//! Known-answer test: the W3C vc-di-eddsa eddsa-jcs-2022 test vector (copied byte-for-byte
//! into tests/data/w3c-eddsa-jcs) must be reproduced exactly, step by step.

use bekal_credentials::{
    DidKeyResolver, IssuerKey, KeyResolver, canonicalize, hash_data, proof_config, sign_document,
    verify_proof,
};
use chrono::{DateTime, Utc};
use serde_json::Value;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const UNSIGNED: &str = include_str!("data/w3c-eddsa-jcs/unsigned.json");
const KEY_PAIR: &str = include_str!("data/w3c-eddsa-jcs/keyPair.json");
const CANON_DOC: &str = include_str!("data/w3c-eddsa-jcs/canonDocJCS.txt");
const CANON_PROOF: &str = include_str!("data/w3c-eddsa-jcs/proofCanonJCS.txt");
const PROOF_CONFIG: &str = include_str!("data/w3c-eddsa-jcs/proofConfigJCS.json");
const DOC_HASH: &str = include_str!("data/w3c-eddsa-jcs/docHashJCS.txt");
const PROOF_HASH: &str = include_str!("data/w3c-eddsa-jcs/proofHashJCS.txt");
const COMBINED_HASH: &str = include_str!("data/w3c-eddsa-jcs/combinedHashJCS.txt");
const SIG_HEX: &str = include_str!("data/w3c-eddsa-jcs/sigHexJCS.txt");
const SIG_BTC58: &str = include_str!("data/w3c-eddsa-jcs/sigBTC58JCS.txt");
const SIGNED: &str = include_str!("data/w3c-eddsa-jcs/signedJCS.json");

fn vector_key() -> Result<IssuerKey, Box<dyn std::error::Error>> {
    let pair: Value = serde_json::from_str(KEY_PAIR)?;
    let secret = pair["privateKeyMultibase"]
        .as_str()
        .ok_or("no private key")?;
    let key = IssuerKey::from_secret_key_multibase(secret)?;
    assert_eq!(
        key.public_key_multibase(),
        pair["publicKeyMultibase"].as_str().ok_or("no public key")?
    );
    Ok(key)
}

fn created() -> Result<DateTime<Utc>, chrono::ParseError> {
    Ok(DateTime::parse_from_rfc3339("2023-02-24T23:36:38Z")?.with_timezone(&Utc))
}

#[test]
fn w3c_eddsa_jcs_2022_vector_step_by_step() -> TestResult {
    let key = vector_key()?;
    let document: Value = serde_json::from_str(UNSIGNED)?;
    assert_eq!(canonicalize(&document)?, CANON_DOC.trim_end());

    let map = document.as_object().ok_or("not an object")?;
    let config = Value::Object(proof_config(map, key.verification_method(), created()?));
    assert_eq!(config, serde_json::from_str::<Value>(PROOF_CONFIG)?);
    assert_eq!(canonicalize(&config)?, CANON_PROOF.trim_end());

    let hash = hash_data(&config, &document)?;
    assert_eq!(hex::encode(&hash[..32]), PROOF_HASH.trim_end());
    assert_eq!(hex::encode(&hash[32..]), DOC_HASH.trim_end());
    assert_eq!(hex::encode(hash), COMBINED_HASH.trim_end());

    let signed = sign_document(document, &key, created()?)?;
    let proof_value = signed["proof"]["proofValue"]
        .as_str()
        .ok_or("no proofValue")?;
    assert_eq!(proof_value, SIG_BTC58.trim_end());
    let signature = bs58::decode(&proof_value[1..]).into_vec()?;
    assert_eq!(hex::encode(signature), SIG_HEX.trim_end());
    assert_eq!(signed, serde_json::from_str::<Value>(SIGNED)?);
    Ok(())
}

#[test]
fn w3c_signed_vector_verifies_and_tampering_fails() -> TestResult {
    let signed: Value = serde_json::from_str(SIGNED)?;
    let mut document = signed.as_object().ok_or("not an object")?.clone();
    let proof = document
        .remove("proof")
        .and_then(|p| p.as_object().cloned())
        .ok_or("no proof")?;
    let vm = proof["verificationMethod"].as_str().ok_or("no vm")?;
    let key = DidKeyResolver.resolve(vm).ok_or("unresolvable")?;
    let document = Value::Object(document);
    verify_proof(&document, proof.clone(), &key)?;

    let mut changed = document.clone();
    changed["name"] = "Forged Credential".into();
    assert!(verify_proof(&changed, proof.clone(), &key).is_err());
    let mut other_created = proof;
    other_created.insert("created".into(), "2023-02-24T23:36:39Z".into());
    assert!(verify_proof(&document, other_created, &key).is_err());
    Ok(())
}
