//! Multibase helpers: base58btc (`z` prefix) for keys and signatures, base64url without
//! padding (`u` prefix) for status lists.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{Error, Result};

/// `z` + base58btc(bytes).
pub fn encode_base58btc(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 + bytes.len() * 138 / 100);
    out.push('z');
    out.push_str(&bs58::encode(bytes).into_string());
    out
}

/// Decodes a `z`-prefixed base58btc string into exactly `N` bytes without allocating.
pub fn decode_base58btc_array<const N: usize>(text: &str) -> Result<[u8; N]> {
    let body = text
        .strip_prefix('z')
        .ok_or_else(|| Error::Multibase("expected base58btc ('z' prefix)".into()))?;
    // Base58 of N bytes is at most ~1.37 N characters; refuse longer input early.
    if body.len() > N * 2 + 2 {
        return Err(Error::Multibase(format!("too long for {N} bytes")));
    }
    let mut buf = [0u8; N];
    let written = bs58::decode(body)
        .onto(&mut buf[..])
        .map_err(|e| Error::Multibase(e.to_string()))?;
    if written != N {
        return Err(Error::Multibase(format!(
            "expected {N} bytes, got {written}"
        )));
    }
    Ok(buf)
}

/// `u` + base64url(bytes), no padding.
pub fn encode_base64url(bytes: &[u8]) -> String {
    let mut out = String::from("u");
    URL_SAFE_NO_PAD.encode_string(bytes, &mut out);
    out
}

/// Decodes a `u`-prefixed base64url (no padding) string.
pub fn decode_base64url(text: &str) -> Result<Vec<u8>> {
    let body = text
        .strip_prefix('u')
        .ok_or_else(|| Error::Multibase("expected base64url ('u' prefix)".into()))?;
    URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|e| Error::Multibase(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base58_round_trip() -> Result<()> {
        let data = [0u8, 0, 1, 2, 3, 255];
        let text = encode_base58btc(&data);
        assert!(text.starts_with("z11"));
        let fixed: [u8; 6] = decode_base58btc_array(&text)?;
        assert_eq!(fixed, data);
        assert!(decode_base58btc_array::<5>(&text).is_err());
        assert!(decode_base58btc_array::<7>(&text).is_err());
        assert!(decode_base58btc_array::<6>("x123").is_err());
        Ok(())
    }

    #[test]
    fn base64url_round_trip() -> Result<()> {
        let data = b"hello?>>";
        let text = encode_base64url(data);
        assert!(text.starts_with('u'));
        assert!(!text.contains('='));
        assert_eq!(decode_base64url(&text)?, data);
        assert!(decode_base64url("zabc").is_err());
        Ok(())
    }
}
