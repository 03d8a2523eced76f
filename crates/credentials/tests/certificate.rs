//! Issuing and verifying certificates end to end in Rust: valid, expired, not yet valid,
//! revoked, tampered, wrong issuer, untrusted key, privacy guard, JSON number limits, and the
//! QR payload size of a 6-unit certificate.

mod common;

use bekal_credentials::{
    DidKeyResolver, IssuerKey, KeyRing, MIN_STATUS_LIST_BITS, Outcome, Problem, ProofError,
    StatusCheck, StatusList, build_certificate, decode_qr_payload, encode_qr_payload,
    issue_certificate, verify_credential,
};
use common::{STATUS_LIST_URL, TestResult, certificate_data, instant};
use serde_json::Value;

fn issued() -> Result<(IssuerKey, String), Box<dyn std::error::Error>> {
    let key = IssuerKey::from_seed_did_key(&[9; 32]);
    let json = issue_certificate(
        &certificate_data(&key, 17)?,
        &key,
        instant("2026-03-02T08:30:00Z")?,
    )?;
    Ok((key, json))
}

#[test]
fn issued_certificate_verifies_and_reports_summary() -> TestResult {
    let (key, json) = issued()?;
    let report = verify_credential(
        &json,
        &DidKeyResolver,
        None,
        instant("2026-06-01T00:00:00Z")?,
    );
    assert_eq!(report.outcome, Outcome::Valid, "{json}");
    assert_eq!(report.status, StatusCheck::Unchecked);
    assert_eq!(report.issuer_id.as_deref(), Some(key.controller()));
    assert_eq!(
        report.issuer_name.as_deref(),
        Some("UPTD BLK Kota Pekalongan")
    );
    assert_eq!(report.holder_name.as_deref(), Some("Budi Santoso"));
    assert_eq!(
        report.achievement_name.as_deref(),
        Some("Pemeliharaan Sepeda Motor Injeksi")
    );
    assert_eq!(
        report.verification_method.as_deref(),
        Some(key.verification_method())
    );

    let mut ring = KeyRing::new();
    ring.add_signing_key(key);
    let report = verify_credential(&json, &ring, None, instant("2026-06-01T00:00:00Z")?);
    assert!(report.is_valid());
    Ok(())
}

#[test]
fn certificate_shape_uses_open_badges_terms() -> TestResult {
    let (_, json) = issued()?;
    let v: Value = serde_json::from_str(&json)?;
    assert_eq!(
        v["@context"],
        serde_json::json!([
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ])
    );
    assert_eq!(
        v["type"],
        serde_json::json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    assert_eq!(v["issuer"]["type"], serde_json::json!(["Profile"]));
    let achievement = &v["credentialSubject"]["achievement"];
    assert_eq!(achievement["alignment"].as_array().map(Vec::len), Some(6));
    assert_eq!(achievement["alignment"][1]["targetCode"], "OTO.SM02.001.01");
    assert_eq!(achievement["alignment"][1]["targetFramework"], "SKKNI");
    assert!(
        achievement["description"]
            .as_str()
            .is_some_and(|d| d.contains("240 JP"))
    );
    assert_eq!(v["credentialStatus"]["statusListIndex"], "17");
    assert_eq!(v["credentialStatus"]["type"], "BitstringStatusListEntry");
    assert_eq!(v["proof"]["cryptosuite"], "eddsa-jcs-2022");
    assert_eq!(v["proof"]["@context"], v["@context"]);
    Ok(())
}

fn numbers_within_2_53(v: &Value) -> bool {
    match v {
        Value::Number(n) => {
            n.as_u64().is_none_or(|n| n < 1 << 53)
                && n.as_i64().is_none_or(|n| n.unsigned_abs() < 1 << 53)
        }
        Value::Array(items) => items.iter().all(numbers_within_2_53),
        Value::Object(map) => map.values().all(numbers_within_2_53),
        _ => true,
    }
}

#[test]
fn no_large_integers_and_no_facility_words() -> TestResult {
    let (_, json) = issued()?;
    assert!(numbers_within_2_53(&serde_json::from_str(&json)?));
    let lower = json.to_lowercase();
    for word in [
        "lapas",
        "rutan",
        "pemasyarakatan",
        "narapidana",
        "prison",
        "wbp",
    ] {
        assert!(!lower.contains(word), "{word}");
    }
    let key = IssuerKey::from_seed_did_key(&[9; 32]);
    let mut data = certificate_data(&key, 1)?;
    data.issuer_name = "Lapas Kelas IIA Pekalongan".into();
    assert!(build_certificate(&data).is_err());
    let mut data = certificate_data(&key, 1)?;
    data.number = "001/RUTAN-PKL/2026".into();
    assert!(build_certificate(&data).is_err());
    Ok(())
}

#[test]
fn rejects_bad_input_data() -> TestResult {
    let key = IssuerKey::from_seed_did_key(&[9; 32]);
    let other = IssuerKey::from_seed_did_key(&[8; 32]);
    let good = certificate_data(&key, 1)?;
    let t = instant("2026-03-02T00:00:00Z")?;
    assert!(
        issue_certificate(&good, &other, t).is_err(),
        "issuer must own the key"
    );
    let mut d = good.clone();
    d.holder_name = " ".into();
    assert!(build_certificate(&d).is_err());
    let mut d = good.clone();
    d.credential_id = "http://insecure.example/1".into();
    assert!(build_certificate(&d).is_err());
    let mut d = good.clone();
    d.status_list_url = None;
    assert!(build_certificate(&d).is_err());
    let mut d = good.clone();
    d.valid_until = Some(d.valid_from);
    assert!(build_certificate(&d).is_err());
    let mut d = good;
    d.hours_jp = 0;
    assert!(build_certificate(&d).is_err());
    Ok(())
}

#[test]
fn validity_period_is_enforced() -> TestResult {
    let (_, json) = issued()?;
    let early = verify_credential(
        &json,
        &DidKeyResolver,
        None,
        instant("2026-03-01T23:59:59Z")?,
    );
    assert_eq!(early.outcome, Outcome::Invalid(vec![Problem::NotYetValid]));
    let late = verify_credential(
        &json,
        &DidKeyResolver,
        None,
        instant("2031-03-02T00:00:01Z")?,
    );
    assert_eq!(late.outcome, Outcome::Invalid(vec![Problem::Expired]));
    Ok(())
}

#[test]
fn revocation_through_status_list() -> TestResult {
    let (key, json) = issued()?;
    let at = instant("2026-06-01T00:00:00Z")?;
    let mut list = StatusList::new(STATUS_LIST_URL, MIN_STATUS_LIST_BITS)?;
    let report = verify_credential(&json, &DidKeyResolver, Some(&list), at);
    assert_eq!(
        (report.outcome, report.status),
        (Outcome::Valid, StatusCheck::NotRevoked)
    );

    list.set(17, true)?;
    // Published and read back through the signed list credential.
    let published = list.to_credential(&key, at, at)?;
    let fetched = StatusList::from_verified_credential(&published, &DidKeyResolver, at)?;
    let report = verify_credential(&json, &DidKeyResolver, Some(&fetched), at);
    assert_eq!(
        (report.outcome, report.status),
        (Outcome::Revoked, StatusCheck::Revoked)
    );

    // A list with the right URL but signed by someone else is refused.
    let intruder = IssuerKey::from_seed_did_key(&[66; 32]);
    let forged = StatusList::from_verified_credential(
        &list.to_credential(&intruder, at, at)?,
        &DidKeyResolver,
        at,
    )?;
    let report = verify_credential(&json, &DidKeyResolver, Some(&forged), at);
    assert!(
        matches!(report.outcome, Outcome::Invalid(ref p) if matches!(p[..], [Problem::Status(_)]))
    );

    let elsewhere = StatusList::new("https://other.example/status/9", MIN_STATUS_LIST_BITS)?;
    let report = verify_credential(&json, &DidKeyResolver, Some(&elsewhere), at);
    assert!(
        matches!(report.outcome, Outcome::Invalid(ref p) if matches!(p[..], [Problem::Status(_)]))
    );
    Ok(())
}

#[test]
fn tampering_is_detected() -> TestResult {
    let (_, json) = issued()?;
    let at = instant("2026-06-01T00:00:00Z")?;
    let original: Value = serde_json::from_str(&json)?;
    let check = |edit: &dyn Fn(&mut Value)| -> Result<Outcome, serde_json::Error> {
        let mut v = original.clone();
        edit(&mut v);
        Ok(verify_credential(&serde_json::to_string(&v)?, &DidKeyResolver, None, at).outcome)
    };
    let bad_sig = Outcome::Invalid(vec![Problem::Proof(ProofError::Signature)]);
    assert_eq!(
        check(
            &|v| v["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else".into()
        )?,
        bad_sig
    );
    assert_eq!(
        check(
            &|v| v["credentialSubject"]["achievement"]["alignment"][5]["targetCode"] = "X".into()
        )?,
        bad_sig
    );
    assert_eq!(
        check(&|v| v["proof"]["created"] = "2026-03-02T08:30:01Z".into())?,
        bad_sig
    );
    assert_eq!(
        check(&|v| v["issuer"]["id"] =
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2".into())?,
        Outcome::Invalid(vec![
            Problem::IssuerMismatch,
            Problem::Proof(ProofError::Signature)
        ])
    );
    assert!(
        matches!(check(&|v| { v.as_object_mut().map(|m| m.remove("proof")); })?, Outcome::Invalid(ref p) if p == &[Problem::MissingProof])
    );
    assert!(matches!(
        check(&|v| v["proof"]["proofValue"] = "z111".into())?,
        Outcome::Invalid(_)
    ));
    assert!(matches!(
        check(&|v| v["proof"]["cryptosuite"] = "eddsa-rdfc-2022".into())?,
        Outcome::Invalid(_)
    ));
    assert!(matches!(
        check(&|v| v["@context"][1] = "https://example.org/ctx".into())?,
        Outcome::Invalid(_)
    ));
    // Re-formatting (whitespace, key order) does not matter: JCS.
    assert_eq!(check(&|_| ())?, Outcome::Valid);
    let report = verify_credential("{not json", &DidKeyResolver, None, at);
    assert!(
        matches!(report.outcome, Outcome::Invalid(ref p) if matches!(p[..], [Problem::Malformed(_)]))
    );
    Ok(())
}

#[test]
fn key_ring_only_trusts_its_keys() -> TestResult {
    let (_, json) = issued()?;
    let mut ring = KeyRing::new();
    ring.add_signing_key(IssuerKey::from_seed_did_key(&[1; 32]));
    let report = verify_credential(&json, &ring, None, instant("2026-06-01T00:00:00Z")?);
    assert!(
        matches!(report.outcome, Outcome::Invalid(ref p) if matches!(p[..], [Problem::UnknownKey(_)]))
    );
    Ok(())
}

#[test]
fn did_web_issuer_with_rotated_keys() -> TestResult {
    let did = bekal_credentials::did_web("sertifikat.blk-pekalongan.example")?;
    let old = IssuerKey::from_seed_did_web(&[4; 32], &did, "key-1")?;
    let new = IssuerKey::from_seed_did_web(&[5; 32], &did, "key-2")?;
    let t = instant("2026-03-02T08:30:00Z")?;
    let old_cert = issue_certificate(&certificate_data(&old, 1)?, &old, t)?;
    let mut ring = KeyRing::new();
    ring.add_signing_key(old.clone());
    ring.add_signing_key(new);
    ring.retire(old.verification_method());
    let active = ring.active_key(&did).ok_or("no active key")?;
    let new_cert = issue_certificate(&certificate_data(active, 2)?, active, t)?;
    let at = instant("2026-06-01T00:00:00Z")?;
    assert!(verify_credential(&old_cert, &ring, None, at).is_valid());
    assert!(verify_credential(&new_cert, &ring, None, at).is_valid());
    assert!(!verify_credential(&new_cert, &DidKeyResolver, None, at).is_valid());
    Ok(())
}

#[test]
fn qr_payload_of_six_unit_certificate() -> TestResult {
    let (_, json) = issued()?;
    let payload = encode_qr_payload(&json)?;
    eprintln!(
        "6-unit certificate: pretty JSON {} bytes, compact {} bytes, QR payload {} chars",
        json.len(),
        serde_json::to_string(&serde_json::from_str::<Value>(&json)?)?.len(),
        payload.len()
    );
    // QR version 40-L holds 4,296 alphanumeric characters; with the preset dictionary a
    // 6-unit certificate takes about 700 (version 15-L / 17-M).
    assert!(payload.len() < 1_000, "payload {} chars", payload.len());
    assert!(
        payload
            .bytes()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase() || b" $%*+-./:".contains(&c))
    );
    let decoded = decode_qr_payload(&payload)?;
    let report = verify_credential(
        &decoded,
        &DidKeyResolver,
        None,
        instant("2026-06-01T00:00:00Z")?,
    );
    assert!(report.is_valid());
    Ok(())
}
