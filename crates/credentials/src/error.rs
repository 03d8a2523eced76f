//! The crate's error type: every fallible operation reports one of these variants.

/// What went wrong while issuing, encoding or decoding.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input is not valid JSON, or JSON of the wrong shape.
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A multibase string could not be decoded.
    #[error("invalid multibase value: {0}")]
    Multibase(String),
    /// A DID or verification method is malformed or unsupported.
    #[error("invalid DID: {0}")]
    Did(String),
    /// Key material is malformed or inconsistent.
    #[error("invalid key: {0}")]
    Key(String),
    /// The randomness source failed.
    #[error("random number generator failed: {0}")]
    Random(String),
    /// Certificate input data was rejected.
    #[error("invalid certificate data: {0}")]
    Certificate(String),
    /// A proof could not be created.
    #[error("cannot create proof: {0}")]
    Proof(String),
    /// A status list operation failed.
    #[error("status list: {0}")]
    StatusList(String),
    /// A QR payload could not be decoded.
    #[error("QR payload: {0}")]
    Qr(String),
}

/// Short alias used throughout the crate.
pub type Result<T> = std::result::Result<T, Error>;
