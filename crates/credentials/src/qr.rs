//! QR payload for offline verification: `BKL1:` + Base45(raw DEFLATE(compact JSON)), the
//! DEFLATE stream using a preset dictionary (`qr_dictionary.txt`, frozen for `BKL1`).
//! Every character is in the QR alphanumeric set, so the code can use alphanumeric mode.
//! Decoding is bounded (hostile input) and never panics.
//!
//! The dictionary works without zlib's `set_dictionary`: the encoder first compresses the
//! dictionary and sync-flushes (that output is dropped), so the payload's back-references may
//! reach into it; the decoder prepends the dictionary as stored DEFLATE blocks, inflates, and
//! strips it. Changing the dictionary requires a new prefix (`BKL2:`).

use std::io::{Read as _, Write as _};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use serde_json::Value;

use crate::base45;
use crate::error::{Error, Result};

/// Prefix (and format version) of a Bekal QR payload.
pub const QR_PREFIX: &str = "BKL1:";
/// Largest inflated credential accepted by [`decode_qr_payload`].
pub const MAX_INFLATED_BYTES: usize = 64 * 1024;
/// Largest payload accepted: a version 40 QR holds at most 4,296 alphanumeric characters.
const MAX_PAYLOAD_CHARS: usize = 4_296;
/// Preset dictionary of format `BKL1`: common certificate structure and vocabulary.
const DICTIONARY: &[u8] = include_bytes!("qr_dictionary.txt");

/// The dictionary as non-final stored DEFLATE blocks (each at most 65,535 bytes).
fn dictionary_blocks() -> Vec<u8> {
    let mut out = Vec::with_capacity(DICTIONARY.len() + 16);
    for chunk in DICTIONARY.chunks(usize::from(u16::MAX)) {
        let len = u16::try_from(chunk.len()).unwrap_or(u16::MAX);
        out.push(0x00); // BFINAL = 0, BTYPE = 00 (stored), padded to the byte boundary
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out
}

/// Encodes a signed credential for a QR code. The JSON is re-serialized compactly (the proof
/// covers the canonical form, so whitespace and key order do not matter).
pub fn encode_qr_payload(credential_json: &str) -> Result<String> {
    let value: Value = serde_json::from_str(credential_json)?;
    let compact = serde_json::to_vec(&value)?;
    let failed = |e: std::io::Error| Error::Qr(format!("compression failed: {e}"));
    let mut deflate = DeflateEncoder::new(Vec::new(), Compression::best());
    deflate.write_all(DICTIONARY).map_err(failed)?;
    // Sync flush: byte-aligned block boundary; everything before it is the dictionary.
    deflate.flush().map_err(failed)?;
    let skip = deflate.get_ref().len();
    deflate.write_all(&compact).map_err(failed)?;
    let compressed = deflate.finish().map_err(failed)?;
    let mut payload = String::from(QR_PREFIX);
    payload.push_str(&base45::encode(compressed.get(skip..).unwrap_or_default()));
    if payload.len() > MAX_PAYLOAD_CHARS {
        return Err(Error::Qr(format!(
            "payload of {} characters does not fit a QR code",
            payload.len()
        )));
    }
    Ok(payload)
}

/// Decodes a QR payload back to the credential JSON (compact). Refuses anything that is not
/// `BKL1:` + Base45, does not inflate, inflates beyond [`MAX_INFLATED_BYTES`] or is not JSON.
pub fn decode_qr_payload(payload: &str) -> Result<String> {
    let payload = payload.trim();
    let body = payload.strip_prefix(QR_PREFIX).ok_or_else(|| {
        Error::Qr(format!(
            "not a Bekal certificate code (expected {QR_PREFIX})"
        ))
    })?;
    if body.len() > MAX_PAYLOAD_CHARS {
        return Err(Error::Qr("payload too long".into()));
    }
    let compressed =
        base45::decode(body).ok_or_else(|| Error::Qr("payload is not valid Base45".into()))?;
    let mut stream = dictionary_blocks();
    stream.extend_from_slice(&compressed);
    let mut inflated = Vec::new();
    DeflateDecoder::new(stream.as_slice())
        .take((DICTIONARY.len() + MAX_INFLATED_BYTES) as u64 + 1)
        .read_to_end(&mut inflated)
        .map_err(|e| Error::Qr(format!("payload does not decompress: {e}")))?;
    let inflated = match inflated.get(DICTIONARY.len()..) {
        Some(rest) if inflated.starts_with(DICTIONARY) => rest.to_vec(),
        _ => return Err(Error::Qr("payload does not decompress: truncated".into())),
    };
    if inflated.len() > MAX_INFLATED_BYTES {
        return Err(Error::Qr(format!(
            "payload inflates beyond {MAX_INFLATED_BYTES} bytes"
        )));
    }
    let text =
        String::from_utf8(inflated).map_err(|_| Error::Qr("payload is not UTF-8 text".into()))?;
    serde_json::from_str::<serde::de::IgnoredAny>(&text)
        .map_err(|e| Error::Qr(format!("payload is not JSON: {e}")))?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_charset() -> Result<()> {
        let json = r#"{ "a": [1, 2, 3], "b": "teks Indonesia: sertifikat" }"#;
        let payload = encode_qr_payload(json)?;
        assert!(payload.starts_with(QR_PREFIX));
        assert!(
            payload
                .bytes()
                .all(|c| b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".contains(&c))
        );
        let back: Value = serde_json::from_str(&decode_qr_payload(&payload)?)?;
        assert_eq!(back, serde_json::from_str::<Value>(json)?);
        Ok(())
    }

    #[test]
    fn clear_errors() {
        for (input, needle) in [
            ("", "expected BKL1:"),
            ("https://example.org", "expected BKL1:"),
            ("BKL1:abc", "Base45"),
            ("BKL1:A", "Base45"),
            ("BKL1:000", "decompress"),
        ] {
            match decode_qr_payload(input) {
                Err(e) => assert!(e.to_string().contains(needle), "{input}: {e}"),
                Ok(v) => panic!("{input} decoded to {v}"),
            }
        }
    }

    #[test]
    fn refuses_deflate_bomb() -> Result<()> {
        let mut deflate = DeflateEncoder::new(Vec::new(), Compression::best());
        deflate
            .write_all(&vec![b' '; 1 << 20])
            .map_err(|e| Error::Qr(e.to_string()))?;
        let bomb = deflate.finish().map_err(|e| Error::Qr(e.to_string()))?;
        let payload = format!("{QR_PREFIX}{}", base45::encode(&bomb));
        let err = decode_qr_payload(&payload).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("inflates beyond")));
        Ok(())
    }
}
