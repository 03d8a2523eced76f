//! Base45 (RFC 9285): binary to text in the QR alphanumeric character set, so a QR code can
//! use alphanumeric mode (5.5 bits per character) instead of byte mode.

const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Encodes bytes as Base45.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(2) * 3);
    let mut push = |i: usize| out.push(char::from(ALPHABET[i % 45]));
    for pair in bytes.chunks(2) {
        if let [a, b] = pair {
            let n = usize::from(*a) * 256 + usize::from(*b);
            push(n);
            push(n / 45);
            push(n / 2025);
        } else if let [a] = pair {
            let n = usize::from(*a);
            push(n);
            push(n / 45);
        }
    }
    out
}

fn value(c: u8) -> Option<u32> {
    ALPHABET
        .iter()
        .position(|&a| a == c)
        .and_then(|p| u32::try_from(p).ok())
}

/// Decodes Base45; `None` on a character outside the alphabet or an impossible group.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 3 * 2 + 1);
    for group in bytes.chunks(3) {
        match group {
            [c, d, e] => {
                let n = value(*c)? + value(*d)? * 45 + value(*e)? * 2025;
                let n = u16::try_from(n).ok()?;
                out.extend_from_slice(&n.to_be_bytes());
            }
            [c, d] => {
                let n = value(*c)? + value(*d)? * 45;
                out.push(u8::try_from(n).ok()?);
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9285_examples() {
        assert_eq!(encode(b"AB"), "BB8");
        assert_eq!(encode(b"Hello!!"), "%69 VD92EX0");
        assert_eq!(encode(b"base-45"), "UJCLQE7W581");
        assert_eq!(decode("QED8WEX0").as_deref(), Some(&b"ietf!"[..]));
        assert_eq!(decode("GGW"), None); // 65536 + ... overflows 16 bits
        assert_eq!(decode("A"), None);
        assert_eq!(decode("aa"), None);
        assert_eq!(decode(""), Some(vec![]));
    }

    #[test]
    fn round_trip_all_bytes() {
        let data: Vec<u8> = (0..=255).chain((0..=255).rev()).collect();
        assert_eq!(decode(&encode(&data)), Some(data.clone()));
        assert_eq!(decode(&encode(&data[..5])), Some(data[..5].to_vec()));
    }
}
