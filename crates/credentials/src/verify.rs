//! Offline verification of a signed credential: structure, `eddsa-jcs-2022` proof, key
//! resolution (`did:key` embeds its key; other DIDs through a [`KeyResolver`] such as the
//! [`crate::KeyRing`]), issuer = key controller, validity period at a given instant, and the
//! revocation bit in a [`StatusList`]. One JSON parse per credential, no re-serialization.

use std::fmt;

use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use serde_json::Value;

use crate::did::parse_did_key;
use crate::proof::{ProofError, verify_proof};
use crate::status_list::StatusList;
use crate::{OB_V3_CONTEXT, VC_V2_CONTEXT};

/// Finds the public key of a verification method (`did:...#fragment`).
pub trait KeyResolver {
    /// The key for `verification_method`, or `None` if unknown / untrusted.
    fn resolve(&self, verification_method: &str) -> Option<VerifyingKey>;
}

/// Resolves any Ed25519 `did:key` verification method from the key inside the DID. It says
/// nothing about whether the issuer is trusted: compare the report's `issuer_id` with the
/// known issuers, or use a [`crate::KeyRing`] of trusted keys instead.
#[derive(Debug, Clone, Copy, Default)]
pub struct DidKeyResolver;

impl KeyResolver for DidKeyResolver {
    fn resolve(&self, verification_method: &str) -> Option<VerifyingKey> {
        if !verification_method.contains('#') {
            return None;
        }
        parse_did_key(verification_method).ok()
    }
}

impl<A: KeyResolver, B: KeyResolver> KeyResolver for (A, B) {
    fn resolve(&self, verification_method: &str) -> Option<VerifyingKey> {
        self.0
            .resolve(verification_method)
            .or_else(|| self.1.resolve(verification_method))
    }
}

/// One reason a credential is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not JSON, or not a JSON object.
    Malformed(String),
    /// `@context` is not VC 2.0 + Open Badges 3.0.
    Context,
    /// `type` lacks `VerifiableCredential` / `OpenBadgeCredential`.
    Type,
    /// No `proof`, or more than one.
    MissingProof,
    /// The proof is malformed or its signature does not verify.
    Proof(ProofError),
    /// The verification method cannot be resolved to a (trusted) key.
    UnknownKey(String),
    /// `issuer` (or its `id`) is not the DID controlling the signing key.
    IssuerMismatch,
    /// A date field is missing or not an RFC 3339 date-time.
    BadDate(&'static str),
    /// The verification instant is before `validFrom`.
    NotYetValid,
    /// The verification instant is after `validUntil`.
    Expired,
    /// `credentialStatus` is malformed or points at another list than the one given.
    Status(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed(m) => write!(f, "malformed credential: {m}"),
            Self::Context => f.write_str("unexpected @context"),
            Self::Type => f.write_str("unexpected type"),
            Self::MissingProof => f.write_str("missing or multiple proofs"),
            Self::Proof(e) => write!(f, "proof: {e}"),
            Self::UnknownKey(vm) => write!(f, "unknown or untrusted key {vm:.120}"),
            Self::IssuerMismatch => f.write_str("issuer is not the controller of the signing key"),
            Self::BadDate(field) => write!(f, "{field} is not a valid date-time"),
            Self::NotYetValid => f.write_str("not yet valid"),
            Self::Expired => f.write_str("expired"),
            Self::Status(m) => write!(f, "credentialStatus: {m}"),
        }
    }
}

/// The verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Genuine, in its validity period, and not revoked (or status not checked).
    Valid,
    /// Not genuine or not currently valid; every reason found.
    Invalid(Vec<Problem>),
    /// Genuine but revoked by its issuer.
    Revoked,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Valid => f.write_str("valid"),
            Self::Revoked => f.write_str("revoked"),
            Self::Invalid(problems) => {
                f.write_str("invalid: ")?;
                for (i, p) in problems.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{p}")?;
                }
                Ok(())
            }
        }
    }
}

/// Whether revocation was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusCheck {
    /// No status list was given.
    Unchecked,
    /// The credential has no `credentialStatus`.
    NotRevocable,
    /// Checked: the bit is clear.
    NotRevoked,
    /// Checked: the bit is set.
    Revoked,
}

/// The result of [`verify_credential`], with what a verify page shows. The displayed fields
/// are read from the credential as given; trust them only when `outcome` is `Valid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerificationReport {
    /// The verdict.
    pub outcome: Outcome,
    /// Revocation check result.
    pub status: StatusCheck,
    /// Credential `id`.
    pub credential_id: Option<String>,
    /// Issuer DID.
    pub issuer_id: Option<String>,
    /// Issuer display name.
    pub issuer_name: Option<String>,
    /// Holder name (unhashed `identifier` with `identityType` `name`).
    pub holder_name: Option<String>,
    /// Achievement (training package) name.
    pub achievement_name: Option<String>,
    /// `validFrom` as written.
    pub valid_from: Option<String>,
    /// `validUntil` as written.
    pub valid_until: Option<String>,
    /// The proof's verification method.
    pub verification_method: Option<String>,
}

impl VerificationReport {
    /// True when the outcome is [`Outcome::Valid`].
    pub fn is_valid(&self) -> bool {
        self.outcome == Outcome::Valid
    }
}

fn string_at(value: &Value, field: &str) -> Option<String> {
    value.get(field).and_then(Value::as_str).map(str::to_owned)
}

fn parse_instant(value: &Value, field: &'static str) -> Result<Option<DateTime<Utc>>, Problem> {
    match value.get(field) {
        None => Ok(None),
        Some(Value::String(text)) => DateTime::parse_from_rfc3339(text)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|_| Problem::BadDate(field)),
        Some(_) => Err(Problem::BadDate(field)),
    }
}

fn issuer_id(document: &Value) -> Option<&str> {
    match document.get("issuer")? {
        Value::String(id) => Some(id),
        Value::Object(issuer) => issuer.get("id").and_then(Value::as_str),
        _ => None,
    }
}

/// Verifies proof, issuer/controller and validity period of any signed JSON credential.
/// Returns the problems found, the document without its proof and the verification method.
fn check_signed(
    value: Value,
    resolver: &dyn KeyResolver,
    at: DateTime<Utc>,
    problems: &mut Vec<Problem>,
) -> (Value, Option<String>) {
    let Value::Object(mut map) = value else {
        problems.push(Problem::Malformed("not a JSON object".into()));
        return (Value::Null, None);
    };
    let proof = map.remove("proof");
    let document = Value::Object(map);
    let mut method = None;
    match proof {
        Some(Value::Object(proof)) => {
            match proof.get("verificationMethod").and_then(Value::as_str) {
                None => problems.push(Problem::Proof(ProofError::Field("verificationMethod"))),
                Some(vm) => {
                    let controller = vm.split_once('#').map(|(did, _)| did);
                    if controller.is_none() || controller != issuer_id(&document) {
                        problems.push(Problem::IssuerMismatch);
                    }
                    method = Some(vm.to_owned());
                }
            }
            match method.as_deref().map(|vm| (vm, resolver.resolve(vm))) {
                Some((_, Some(key))) => {
                    if let Err(e) = verify_proof(&document, proof, &key) {
                        problems.push(Problem::Proof(e));
                    }
                }
                Some((vm, None)) => problems.push(Problem::UnknownKey(vm.to_owned())),
                None => {}
            }
        }
        _ => problems.push(Problem::MissingProof),
    }
    match parse_instant(&document, "validFrom") {
        Ok(Some(from)) if at < from => problems.push(Problem::NotYetValid),
        Ok(_) => {}
        Err(p) => problems.push(p),
    }
    match parse_instant(&document, "validUntil") {
        Ok(Some(until)) if at > until => problems.push(Problem::Expired),
        Ok(_) => {}
        Err(p) => problems.push(p),
    }
    (document, method)
}

/// Proof + issuer + validity check for any signed credential (used for status lists).
pub(crate) fn verify_signed_value(
    value: Value,
    resolver: &dyn KeyResolver,
    at: DateTime<Utc>,
) -> (Outcome, Value) {
    let mut problems = Vec::new();
    let (document, _) = check_signed(value, resolver, at, &mut problems);
    if problems.is_empty() {
        (Outcome::Valid, document)
    } else {
        (Outcome::Invalid(problems), document)
    }
}

fn check_shape(document: &Value, problems: &mut Vec<Problem>) {
    let context_ok = document
        .get("@context")
        .and_then(Value::as_array)
        .is_some_and(|c| {
            c.first().and_then(Value::as_str) == Some(VC_V2_CONTEXT)
                && c.iter().any(|c| c.as_str() == Some(OB_V3_CONTEXT))
        });
    if !context_ok {
        problems.push(Problem::Context);
    }
    let type_ok = document
        .get("type")
        .and_then(Value::as_array)
        .is_some_and(|t| {
            t.iter().any(|t| t == "VerifiableCredential")
                && t.iter()
                    .any(|t| t == "OpenBadgeCredential" || t == "AchievementCredential")
        });
    if !type_ok {
        problems.push(Problem::Type);
    }
}

fn check_status(
    document: &Value,
    list: Option<&StatusList>,
    problems: &mut Vec<Problem>,
) -> StatusCheck {
    let Some(list) = list else {
        return StatusCheck::Unchecked;
    };
    let Some(entry) = document.get("credentialStatus") else {
        return StatusCheck::NotRevocable;
    };
    let mut fail = |m: &str| {
        problems.push(Problem::Status(m.to_owned()));
        StatusCheck::Unchecked
    };
    if entry.get("type").and_then(Value::as_str) != Some("BitstringStatusListEntry") {
        return fail("not a BitstringStatusListEntry");
    }
    if entry.get("statusPurpose").and_then(Value::as_str) != Some("revocation") {
        return fail("statusPurpose is not revocation");
    }
    if entry.get("statusListCredential").and_then(Value::as_str) != Some(list.url()) {
        return fail("points at another status list");
    }
    if list
        .issuer()
        .is_some_and(|issuer| Some(issuer) != issuer_id(document))
    {
        return fail("status list issued by another issuer");
    }
    let index = entry
        .get("statusListIndex")
        .and_then(Value::as_str)
        .and_then(|i| i.parse::<u64>().ok());
    match index.map(|i| list.get(i)) {
        Some(Ok(true)) => StatusCheck::Revoked,
        Some(Ok(false)) => StatusCheck::NotRevoked,
        Some(Err(_)) => fail("statusListIndex outside the list"),
        None => fail("statusListIndex is not a decimal string"),
    }
}

fn holder_name(document: &Value) -> Option<String> {
    document
        .get("credentialSubject")?
        .get("identifier")?
        .as_array()?
        .iter()
        .find(|id| {
            id.get("identityType") == Some(&Value::from("name"))
                && id.get("hashed") == Some(&Value::Bool(false))
        })
        .and_then(|id| string_at(id, "identityHash"))
}

/// Verifies a certificate (an `OpenBadgeCredential` JSON text) offline at instant `at`.
///
/// `resolver` supplies keys: [`DidKeyResolver`] accepts any `did:key` issuer (check
/// `issuer_id` yourself), a [`crate::KeyRing`] only the keys it holds. With `status`, the
/// revocation bit is checked; the list must be the one the credential points at.
pub fn verify_credential(
    credential_json: &str,
    resolver: &dyn KeyResolver,
    status: Option<&StatusList>,
    at: DateTime<Utc>,
) -> VerificationReport {
    let mut problems = Vec::new();
    let value = match serde_json::from_str::<Value>(credential_json) {
        Ok(value) => value,
        Err(e) => {
            problems.push(Problem::Malformed(e.to_string()));
            Value::Null
        }
    };
    let (document, method) = if value.is_null() {
        (Value::Null, None)
    } else {
        check_signed(value, resolver, at, &mut problems)
    };
    if !document.is_null() {
        check_shape(&document, &mut problems);
    }
    let status_check = check_status(&document, status, &mut problems);
    let outcome = if !problems.is_empty() {
        Outcome::Invalid(problems)
    } else if status_check == StatusCheck::Revoked {
        Outcome::Revoked
    } else {
        Outcome::Valid
    };
    let subject = document.get("credentialSubject");
    VerificationReport {
        outcome,
        status: status_check,
        credential_id: string_at(&document, "id"),
        issuer_id: issuer_id(&document).map(str::to_owned),
        issuer_name: document.get("issuer").and_then(|i| string_at(i, "name")),
        holder_name: holder_name(&document),
        achievement_name: subject
            .and_then(|s| s.get("achievement"))
            .and_then(|a| string_at(a, "name")),
        valid_from: string_at(&document, "validFrom"),
        valid_until: string_at(&document, "validUntil"),
        verification_method: method,
    }
}
