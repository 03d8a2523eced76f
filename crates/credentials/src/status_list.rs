//! W3C Bitstring Status List (revocation): the bitstring, its `encodedList` form (GZIP, then
//! multibase base64url) and the signed `BitstringStatusListCredential` that publishes it.

use std::io::{Read as _, Write as _};

use chrono::{DateTime, Utc};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::keys::IssuerKey;
use crate::multibase::{decode_base64url, encode_base64url};
use crate::proof::sign_document;
use crate::verify::{KeyResolver, Outcome, verify_signed_value};
use crate::{VC_V2_CONTEXT, format_instant};

/// Minimum list length required by the spec (16 KiB), for herd privacy.
pub const MIN_STATUS_LIST_BITS: usize = 131_072;
/// Largest list accepted when decoding (16 MiB of bits), against gzip bombs.
const MAX_STATUS_LIST_BYTES: usize = 16 * 1024 * 1024;
/// Largest `encodedList` accepted before decoding.
const MAX_ENCODED_CHARS: usize = 4 * 1024 * 1024;

/// A revocation list: bit `i` set means the credential with `statusListIndex` `i` is revoked.
/// Bit 0 is the most significant bit of the first byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    url: String,
    issuer: Option<String>,
    bits: Vec<u8>,
}

fn err(message: impl Into<String>) -> Error {
    Error::StatusList(message.into())
}

impl StatusList {
    /// An all-clear list published at `url` (the status list credential's id) with
    /// `len_bits` entries (at least [`MIN_STATUS_LIST_BITS`], a multiple of 8).
    pub fn new(url: &str, len_bits: usize) -> Result<Self> {
        if len_bits < MIN_STATUS_LIST_BITS
            || !len_bits.is_multiple_of(8)
            || len_bits / 8 > MAX_STATUS_LIST_BYTES
        {
            return Err(err(format!(
                "length must be a multiple of 8 between {MIN_STATUS_LIST_BITS} and {} bits",
                MAX_STATUS_LIST_BYTES * 8
            )));
        }
        if !url.starts_with("https://") {
            return Err(err("url must be https://"));
        }
        Ok(Self {
            url: url.to_owned(),
            issuer: None,
            bits: vec![0; len_bits / 8],
        })
    }

    /// The status list credential's URL (what `statusListCredential` points at).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The issuer DID of the list credential it was read from (None for a list built here).
    /// [`crate::verify_credential`] refuses a list whose issuer differs from the certificate's.
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// Number of entries.
    pub fn len_bits(&self) -> usize {
        self.bits.len() * 8
    }

    fn position(&self, index: u64) -> Result<(usize, u8)> {
        let i = usize::try_from(index).map_err(|_| err("index out of range"))?;
        if i >= self.len_bits() {
            return Err(err(format!(
                "index {index} out of range ({} entries)",
                self.len_bits()
            )));
        }
        Ok((i / 8, 0x80 >> (i % 8)))
    }

    /// Whether entry `index` is set (revoked).
    pub fn get(&self, index: u64) -> Result<bool> {
        let (byte, mask) = self.position(index)?;
        Ok(self.bits[byte] & mask != 0)
    }

    /// Sets (revokes) or clears entry `index`.
    pub fn set(&mut self, index: u64, value: bool) -> Result<()> {
        let (byte, mask) = self.position(index)?;
        if value {
            self.bits[byte] |= mask;
        } else {
            self.bits[byte] &= !mask;
        }
        Ok(())
    }

    /// The spec's `encodedList`: `u` + base64url(GZIP(bitstring)), no padding.
    pub fn encode(&self) -> Result<String> {
        let mut gz = GzEncoder::new(Vec::new(), Compression::best());
        gz.write_all(&self.bits).map_err(|e| err(e.to_string()))?;
        let compressed = gz.finish().map_err(|e| err(e.to_string()))?;
        Ok(encode_base64url(&compressed))
    }

    /// Decodes an `encodedList` published at `url`, refusing oversized or malformed input.
    pub fn decode(url: &str, encoded: &str) -> Result<Self> {
        if encoded.len() > MAX_ENCODED_CHARS {
            return Err(err("encodedList too long"));
        }
        let compressed = decode_base64url(encoded)?;
        let mut bits = Vec::new();
        GzDecoder::new(compressed.as_slice())
            .take(MAX_STATUS_LIST_BYTES as u64 + 1)
            .read_to_end(&mut bits)
            .map_err(|e| err(format!("encodedList is not GZIP: {e}")))?;
        if bits.len() > MAX_STATUS_LIST_BYTES {
            return Err(err("decoded list too large"));
        }
        if bits.len() * 8 < MIN_STATUS_LIST_BITS {
            return Err(err(format!(
                "decoded list shorter than {MIN_STATUS_LIST_BITS} bits"
            )));
        }
        Ok(Self {
            url: url.to_owned(),
            issuer: None,
            bits,
        })
    }

    /// The unsigned `BitstringStatusListCredential` publishing this list.
    pub fn build_credential(&self, issuer_did: &str, valid_from: DateTime<Utc>) -> Result<Value> {
        Ok(json!({
            "@context": [VC_V2_CONTEXT],
            "id": self.url,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": issuer_did,
            "validFrom": format_instant(valid_from),
            "credentialSubject": {
                "id": format!("{}#list", self.url),
                "type": "BitstringStatusList",
                "statusPurpose": "revocation",
                "encodedList": self.encode()?,
            },
        }))
    }

    /// The signed `BitstringStatusListCredential` (pretty JSON), issued by `key`'s controller.
    pub fn to_credential(
        &self,
        key: &IssuerKey,
        valid_from: DateTime<Utc>,
        created: DateTime<Utc>,
    ) -> Result<String> {
        let unsigned = self.build_credential(key.controller(), valid_from)?;
        Ok(serde_json::to_string_pretty(&sign_document(
            unsigned, key, created,
        )?)?)
    }

    /// Reads a `BitstringStatusListCredential` without checking its proof (for a copy the
    /// caller already trusts). Use [`StatusList::from_verified_credential`] otherwise.
    pub fn from_credential_unverified(json: &str) -> Result<Self> {
        let value: Value = serde_json::from_str(json)?;
        Self::from_value(&value)
    }

    /// Reads a `BitstringStatusListCredential` after verifying its proof, its issuer and its
    /// validity period at `at`.
    pub fn from_verified_credential(
        json: &str,
        resolver: &dyn KeyResolver,
        at: DateTime<Utc>,
    ) -> Result<Self> {
        let value: Value = serde_json::from_str(json)?;
        let list = Self::from_value(&value)?;
        let (outcome, _) = verify_signed_value(value, resolver, at);
        match outcome {
            Outcome::Valid => Ok(list),
            other => Err(err(format!(
                "status list credential does not verify: {other}"
            ))),
        }
    }

    fn from_value(value: &Value) -> Result<Self> {
        let has_type = value["type"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t == "BitstringStatusListCredential"));
        if !has_type {
            return Err(err("not a BitstringStatusListCredential"));
        }
        let url = value["id"].as_str().ok_or_else(|| err("missing id"))?;
        let subject = &value["credentialSubject"];
        if subject["statusPurpose"] != "revocation" {
            return Err(err("statusPurpose is not revocation"));
        }
        let encoded = subject["encodedList"]
            .as_str()
            .ok_or_else(|| err("missing encodedList"))?;
        let mut list = Self::decode(url, encoded)?;
        list.issuer = match &value["issuer"] {
            Value::String(id) => Some(id.clone()),
            issuer => issuer["id"].as_str().map(str::to_owned),
        };
        Ok(list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://blk.example.go.id/status/1";

    #[test]
    fn set_get_encode_decode() -> Result<()> {
        let mut list = StatusList::new(URL, MIN_STATUS_LIST_BITS)?;
        assert_eq!(list.len_bits(), 131_072);
        assert!(!list.get(7)?);
        list.set(7, true)?;
        list.set(131_071, true)?;
        assert!(list.get(7)?);
        assert_eq!(list.bits[0], 0x01);
        assert!(list.set(131_072, true).is_err());
        assert!(list.get(u64::MAX).is_err());
        let encoded = list.encode()?;
        assert!(encoded.starts_with('u'));
        assert!(encoded.len() < 400, "compresses well: {}", encoded.len());
        let back = StatusList::decode(URL, &encoded)?;
        assert_eq!(back, list);
        list.set(7, false)?;
        assert!(!list.get(7)?);
        Ok(())
    }

    #[test]
    fn rejects_bad_lists() {
        assert!(StatusList::new(URL, 8).is_err());
        assert!(StatusList::new("http://x", MIN_STATUS_LIST_BITS).is_err());
        assert!(StatusList::decode(URL, "uAAAA").is_err());
        assert!(StatusList::decode(URL, "zAAAA").is_err());
        assert!(StatusList::decode(URL, "").is_err());
    }

    #[test]
    fn rejects_gzip_bomb() -> Result<()> {
        let mut gz = GzEncoder::new(Vec::new(), Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..17 {
            gz.write_all(&zeros).map_err(|e| err(e.to_string()))?;
        }
        let bomb = encode_base64url(&gz.finish().map_err(|e| err(e.to_string()))?);
        assert!(StatusList::decode(URL, &bomb).is_err());
        Ok(())
    }

    #[test]
    fn signed_list_credential_round_trip() -> Result<()> {
        let key = IssuerKey::from_seed_did_key(&[3; 32]);
        let mut list = StatusList::new(URL, MIN_STATUS_LIST_BITS)?;
        list.set(42, true)?;
        let t = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .map_err(|e| err(e.to_string()))?
            .with_timezone(&Utc);
        let json = list.to_credential(&key, t, t)?;
        let back = StatusList::from_verified_credential(&json, &crate::DidKeyResolver, t)?;
        assert!(back.get(42)?);
        assert_eq!(back.url(), URL);
        assert_eq!(back.issuer(), Some(key.controller()));
        let tampered = json.replace(
            &list.encode()?,
            &StatusList::new(URL, MIN_STATUS_LIST_BITS)?.encode()?,
        );
        assert!(
            StatusList::from_verified_credential(&tampered, &crate::DidKeyResolver, t).is_err()
        );
        assert!(StatusList::from_credential_unverified(&tampered).is_ok());
        Ok(())
    }
}
