//! Issuer signing keys: generation, a JSON key-file format, and a [`KeyRing`] holding several
//! keys per issuer so rotated-out keys keep verifying the certificates they signed.

use std::collections::HashMap;
use std::fmt;

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::did::{
    ED25519_PRIV_CODEC, did_key, did_key_verification_method, did_web_document,
    public_key_multibase,
};
use crate::error::{Error, Result};
use crate::multibase::{decode_base58btc_array, encode_base58btc};
use crate::verify::KeyResolver;

/// An issuer's Ed25519 signing key together with the DID that controls it and the
/// verification method id that proofs reference.
#[derive(Clone)]
pub struct IssuerKey {
    signing: SigningKey,
    controller: String,
    verification_method: String,
}

impl fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuerKey")
            .field("verification_method", &self.verification_method)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// On-disk form of a key (JSON, Multikey-style). Contains the secret: store with 0600.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct KeyFile {
    #[serde(rename = "type")]
    kind: String,
    id: String,
    controller: String,
    public_key_multibase: String,
    secret_key_multibase: String,
}

fn random_seed() -> Result<[u8; 32]> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| Error::Random(e.to_string()))?;
    Ok(seed)
}

fn decode_secret(multibase: &str) -> Result<[u8; 32]> {
    let mut secret: [u8; 34] = decode_base58btc_array(multibase)
        .map_err(|e| Error::Key(format!("secretKeyMultibase: {e}")))?;
    if secret[..2] != ED25519_PRIV_CODEC {
        return Err(Error::Key(
            "not an Ed25519 secret key (multicodec 0x1300)".into(),
        ));
    }
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&secret[2..]);
    secret.fill(0);
    Ok(seed)
}

impl IssuerKey {
    /// A fresh random key whose issuer is its own `did:key`.
    pub fn generate_did_key() -> Result<Self> {
        Ok(Self::from_seed_did_key(&random_seed()?))
    }

    /// A `did:key` issuer from a Multikey `secretKeyMultibase` (`z3u2...`, multicodec 0x1300).
    pub fn from_secret_key_multibase(multibase: &str) -> Result<Self> {
        let seed = decode_secret(multibase)?;
        Ok(Self::from_seed_did_key(&seed))
    }

    /// A `did:key` issuer from a 32-byte Ed25519 seed (deterministic; for tests and import).
    pub fn from_seed_did_key(seed: &[u8; 32]) -> Self {
        let signing = SigningKey::from_bytes(seed);
        let verifying = signing.verifying_key();
        Self {
            controller: did_key(&verifying),
            verification_method: did_key_verification_method(&verifying),
            signing,
        }
    }

    /// A fresh random key for a `did:web` issuer, referenced as `DID#fragment`
    /// (e.g. `did:web:blk.example.go.id#key-2`). Publish it with [`KeyRing::did_web_document`].
    pub fn generate_did_web(did: &str, fragment: &str) -> Result<Self> {
        Self::from_seed_did_web(&random_seed()?, did, fragment)
    }

    /// A `did:web` issuer key from a 32-byte seed.
    pub fn from_seed_did_web(seed: &[u8; 32], did: &str, fragment: &str) -> Result<Self> {
        if !did.starts_with("did:web:") || did.contains('#') {
            return Err(Error::Did(format!("not a did:web DID: {did:.80}")));
        }
        if fragment.is_empty()
            || !fragment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Error::Did(format!("bad key fragment: {fragment:.40}")));
        }
        Ok(Self {
            signing: SigningKey::from_bytes(seed),
            controller: did.to_owned(),
            verification_method: format!("{did}#{fragment}"),
        })
    }

    /// The issuer DID (`did:key:z6Mk...` or `did:web:...`).
    pub fn controller(&self) -> &str {
        &self.controller
    }

    /// The verification method id proofs carry (`did:key:z6Mk...#z6Mk...`, `did:web:...#key-1`).
    pub fn verification_method(&self) -> &str {
        &self.verification_method
    }

    /// The public half.
    pub fn verifying_key(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    /// Multikey `publicKeyMultibase` of the public half.
    pub fn public_key_multibase(&self) -> String {
        public_key_multibase(&self.verifying_key())
    }

    pub(crate) fn sign(&self, message: &[u8]) -> Signature {
        self.signing.sign(message)
    }

    /// Serializes the key, secret included, as a JSON key file (Multikey style:
    /// `type`, `id`, `controller`, `publicKeyMultibase`, `secretKeyMultibase`).
    pub fn to_key_file(&self) -> String {
        let mut secret = [0u8; 34];
        secret[..2].copy_from_slice(&ED25519_PRIV_CODEC);
        secret[2..].copy_from_slice(self.signing.as_bytes());
        let file = KeyFile {
            kind: "Multikey".into(),
            id: self.verification_method.clone(),
            controller: self.controller.clone(),
            public_key_multibase: self.public_key_multibase(),
            secret_key_multibase: encode_base58btc(&secret),
        };
        secret.fill(0);
        // Serializing plain strings cannot fail; fall back to an empty object defensively.
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// Reads a key file written by [`IssuerKey::to_key_file`]; checks that the public key and
    /// the identifiers match the secret.
    pub fn from_key_file(text: &str) -> Result<Self> {
        let file: KeyFile = serde_json::from_str(text)?;
        if file.kind != "Multikey" {
            return Err(Error::Key(format!(
                "unsupported key type {:.40}",
                file.kind
            )));
        }
        let mut seed = decode_secret(&file.secret_key_multibase)?;
        let key = if file.controller.starts_with("did:key:") {
            Self::from_seed_did_key(&seed)
        } else {
            let fragment = file
                .id
                .strip_prefix(&file.controller)
                .and_then(|rest| rest.strip_prefix('#'))
                .ok_or_else(|| Error::Key("id is not controller#fragment".into()))?;
            Self::from_seed_did_web(&seed, &file.controller, fragment)?
        };
        seed.fill(0);
        if key.public_key_multibase() != file.public_key_multibase {
            return Err(Error::Key(
                "publicKeyMultibase does not match the secret".into(),
            ));
        }
        if key.controller != file.controller || key.verification_method != file.id {
            return Err(Error::Key("controller/id do not match the secret".into()));
        }
        Ok(key)
    }
}

#[derive(Debug, Clone)]
struct RingEntry {
    verification_method: String,
    controller: String,
    verifying: VerifyingKey,
    signing: Option<IssuerKey>,
    retired: bool,
}

/// Keys known to the application, several per issuer. The newest non-retired signing key of
/// an issuer signs; every key (retired or public-only) still verifies.
#[derive(Debug, Clone, Default)]
pub struct KeyRing {
    entries: Vec<RingEntry>,
    by_method: HashMap<String, usize>,
}

impl KeyRing {
    /// An empty ring.
    pub fn new() -> Self {
        Self::default()
    }

    fn insert(&mut self, entry: RingEntry) {
        match self.by_method.get(&entry.verification_method) {
            Some(&i) => self.entries[i] = entry,
            None => {
                self.by_method
                    .insert(entry.verification_method.clone(), self.entries.len());
                self.entries.push(entry);
            }
        }
    }

    /// Adds a signing key; it becomes the active key of its issuer.
    pub fn add_signing_key(&mut self, key: IssuerKey) {
        self.insert(RingEntry {
            verification_method: key.verification_method.clone(),
            controller: key.controller.clone(),
            verifying: key.verifying_key(),
            signing: Some(key),
            retired: false,
        });
    }

    /// Adds a verification-only key (e.g. from a partner's DID document).
    pub fn add_public_key(&mut self, verification_method: &str, key: VerifyingKey) -> Result<()> {
        let (controller, _) = verification_method
            .split_once('#')
            .ok_or_else(|| Error::Did("verification method needs a #fragment".into()))?;
        self.insert(RingEntry {
            verification_method: verification_method.to_owned(),
            controller: controller.to_owned(),
            verifying: key,
            signing: None,
            retired: false,
        });
        Ok(())
    }

    /// Stops signing with a key; it keeps verifying. Returns false if unknown.
    pub fn retire(&mut self, verification_method: &str) -> bool {
        match self.by_method.get(verification_method) {
            Some(&i) => {
                self.entries[i].retired = true;
                true
            }
            None => false,
        }
    }

    /// The key that signs for `issuer_did` now: the newest non-retired signing key.
    pub fn active_key(&self, issuer_did: &str) -> Option<&IssuerKey> {
        self.entries
            .iter()
            .rev()
            .filter(|e| !e.retired && e.controller == issuer_did)
            .find_map(|e| e.signing.as_ref())
    }

    /// Every verification method known for `issuer_did`, oldest first.
    pub fn verification_methods(&self, issuer_did: &str) -> Vec<&str> {
        self.entries
            .iter()
            .filter(|e| e.controller == issuer_did)
            .map(|e| e.verification_method.as_str())
            .collect()
    }

    /// The `did:web` DID document listing every key of `did` (retired ones included).
    pub fn did_web_document(&self, did: &str) -> serde_json::Value {
        let keys: Vec<(&str, VerifyingKey)> = self
            .entries
            .iter()
            .filter(|e| e.controller == did)
            .filter_map(|e| {
                e.verification_method
                    .strip_prefix(did)
                    .and_then(|rest| rest.strip_prefix('#'))
                    .map(|fragment| (fragment, e.verifying))
            })
            .collect();
        did_web_document(did, &keys)
    }
}

impl KeyResolver for KeyRing {
    fn resolve(&self, verification_method: &str) -> Option<VerifyingKey> {
        self.by_method
            .get(verification_method)
            .map(|&i| self.entries[i].verifying)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_round_trip() -> Result<()> {
        let key = IssuerKey::generate_did_key()?;
        let text = key.to_key_file();
        let back = IssuerKey::from_key_file(&text)?;
        assert_eq!(back.verification_method(), key.verification_method());
        assert_eq!(back.verifying_key(), key.verifying_key());

        let web = IssuerKey::generate_did_web("did:web:blk.example.go.id", "key-2")?;
        let back = IssuerKey::from_key_file(&web.to_key_file())?;
        assert_eq!(
            back.verification_method(),
            "did:web:blk.example.go.id#key-2"
        );
        assert_eq!(back.verifying_key(), web.verifying_key());
        Ok(())
    }

    #[test]
    fn key_file_rejects_mismatch() -> Result<()> {
        let a = IssuerKey::from_seed_did_key(&[1; 32]);
        let b = IssuerKey::from_seed_did_key(&[2; 32]);
        let forged = a
            .to_key_file()
            .replace(&a.public_key_multibase(), &b.public_key_multibase());
        assert!(IssuerKey::from_key_file(&forged).is_err());
        assert!(IssuerKey::from_key_file("{}").is_err());
        assert!(IssuerKey::from_key_file("not json").is_err());
        Ok(())
    }

    #[test]
    fn debug_redacts_secret() {
        let key = IssuerKey::from_seed_did_key(&[7; 32]);
        let debug = format!("{key:?}");
        assert!(debug.contains("redacted"));
        assert!(!debug.contains("z3u2"));
    }

    #[test]
    fn ring_rotation() -> Result<()> {
        let did = "did:web:blk.example.go.id";
        let old = IssuerKey::from_seed_did_web(&[1; 32], did, "key-1")?;
        let new = IssuerKey::from_seed_did_web(&[2; 32], did, "key-2")?;
        let mut ring = KeyRing::new();
        ring.add_signing_key(old.clone());
        assert_eq!(
            ring.active_key(did).map(IssuerKey::verification_method),
            Some("did:web:blk.example.go.id#key-1")
        );
        ring.add_signing_key(new.clone());
        ring.retire(old.verification_method());
        assert_eq!(
            ring.active_key(did).map(IssuerKey::verification_method),
            Some("did:web:blk.example.go.id#key-2")
        );
        assert_eq!(
            ring.resolve(old.verification_method()),
            Some(old.verifying_key())
        );
        assert_eq!(ring.verification_methods(did).len(), 2);
        let doc = ring.did_web_document(did);
        assert_eq!(doc["verificationMethod"].as_array().map(Vec::len), Some(2));
        assert!(ring.resolve("did:web:other#key-1").is_none());
        Ok(())
    }
}
