//! Request signatures (openapi.yaml, "Signing"): HMAC-SHA256, keyed per terminal, over
//! `METHOD \n PATH_AND_QUERY \n TIMESTAMP \n NONCE \n hex(SHA-256(body))`. The client signs
//! with [`sign`]; the server checks with [`Verifier`], which also refuses stale timestamps and
//! nonces it has seen. Used by both sides so they cannot drift apart.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Header names, as the API spells them.
pub mod header {
    /// The terminal id.
    pub const TERMINAL: &str = "x-kiosk-terminal";
    /// Unix seconds.
    pub const TIMESTAMP: &str = "x-kiosk-timestamp";
    /// 32 lowercase hex digits, fresh per request.
    pub const NONCE: &str = "x-kiosk-nonce";
    /// Lowercase hex HMAC-SHA256.
    pub const SIGNATURE: &str = "x-kiosk-signature";
    /// Stable across retries of one submission.
    pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
    /// `true` on a stored answer to a repeated idempotency key.
    pub const REPLAYED: &str = "idempotent-replayed";
}

/// How far a timestamp may be from the server's clock, in seconds.
pub const WINDOW_SECS: i64 = 300;
/// How long a nonce is remembered, in seconds (twice the window: a request outside the
/// window is refused for its timestamp, inside it for its nonce).
pub const NONCE_TTL_SECS: i64 = 2 * WINDOW_SECS;

/// Seconds since the Unix epoch (0 if the clock is before it): the timestamp clients sign
/// and the server's default clock.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Whether `text` is exactly `len` lowercase hex digits (nonces, signatures, SHA-256 names).
pub fn is_lower_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The string that is signed.
pub fn canonical(
    method: &str,
    path_and_query: &str,
    timestamp: i64,
    nonce: &str,
    body: &[u8],
) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}",
        method.to_ascii_uppercase(),
        path_and_query,
        timestamp,
        nonce,
        sha256_hex(body)
    )
}

fn mac(secret: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length: new_from_slice cannot fail for Hmac<Sha256>
    match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC takes keys of any length"),
    }
}

/// The signature of one request, lowercase hex.
pub fn sign(
    secret: &[u8],
    method: &str,
    path_and_query: &str,
    timestamp: i64,
    nonce: &str,
    body: &[u8],
) -> String {
    let mut m = mac(secret);
    m.update(canonical(method, path_and_query, timestamp, nonce, body).as_bytes());
    hex(&m.finalize().into_bytes())
}

/// The four signing headers of a request, as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// `X-Kiosk-Terminal`.
    pub terminal: String,
    /// `X-Kiosk-Timestamp`.
    pub timestamp: i64,
    /// `X-Kiosk-Nonce`.
    pub nonce: String,
    /// `X-Kiosk-Signature`.
    pub signature: String,
}

/// Why a request's signature was refused. The messages name no personal data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// A header is missing or malformed.
    #[error("missing or malformed header {0}")]
    Header(&'static str),
    /// The terminal is not registered.
    #[error("unknown terminal")]
    UnknownTerminal,
    /// The timestamp is outside the window.
    #[error("timestamp more than {WINDOW_SECS} s from the server clock")]
    Stale,
    /// The nonce was used before within its lifetime.
    #[error("nonce already used")]
    NonceReused,
    /// The signature does not match.
    #[error("signature does not match")]
    Mismatch,
}

impl SignatureError {
    /// The API's error code.
    pub fn code(&self) -> &'static str {
        match self {
            SignatureError::Header(_) => "bad_signature_header",
            SignatureError::UnknownTerminal => "unknown_terminal",
            SignatureError::Stale => "stale_timestamp",
            SignatureError::NonceReused => "nonce_reused",
            SignatureError::Mismatch => "bad_signature",
        }
    }
}

/// Parses the headers (looked up with `get`, names lowercase).
pub fn parse_headers<'a>(
    get: impl Fn(&str) -> Option<&'a str>,
) -> Result<SignedHeaders, SignatureError> {
    let terminal = get(header::TERMINAL)
        .filter(|t| {
            !t.is_empty()
                && t.len() <= 32
                && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        .ok_or(SignatureError::Header("X-Kiosk-Terminal"))?;
    let timestamp = get(header::TIMESTAMP)
        .filter(|t| !t.is_empty() && t.len() <= 12 && t.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|t| t.parse::<i64>().ok())
        .ok_or(SignatureError::Header("X-Kiosk-Timestamp"))?;
    let nonce = get(header::NONCE)
        .filter(|n| is_lower_hex(n, 32))
        .ok_or(SignatureError::Header("X-Kiosk-Nonce"))?;
    let signature = get(header::SIGNATURE)
        .filter(|s| is_lower_hex(s, 64))
        .ok_or(SignatureError::Header("X-Kiosk-Signature"))?;
    Ok(SignedHeaders {
        terminal: terminal.to_string(),
        timestamp,
        nonce: nonce.to_string(),
        signature: signature.to_string(),
    })
}

/// Checks a request's signature and timestamp (the nonce is the store's: it must survive a
/// restart). Constant-time comparison of the MAC.
pub fn verify(
    secret: &[u8],
    headers: &SignedHeaders,
    method: &str,
    path_and_query: &str,
    body: &[u8],
    now: i64,
) -> Result<(), SignatureError> {
    if (headers.timestamp - now).abs() > WINDOW_SECS {
        return Err(SignatureError::Stale);
    }
    let expected =
        decode_hex(&headers.signature).ok_or(SignatureError::Header("X-Kiosk-Signature"))?;
    let mut m = mac(secret);
    m.update(
        canonical(
            method,
            path_and_query,
            headers.timestamp,
            &headers.nonce,
            body,
        )
        .as_bytes(),
    );
    m.verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

/// Bytes of a hex string (either case); `None` if it is not hex.
pub fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn known_vector() {
        // RFC 4231 test case 2 through our hex: HMAC-SHA256("Jefe", "what do ya want for nothing?")
        let mut m = mac(b"Jefe");
        m.update(b"what do ya want for nothing?");
        assert_eq!(
            hex(&m.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn sign_then_verify_and_every_tamper_fails() {
        let key = b"terminal secret";
        let nonce = "0123456789abcdef0123456789abcdef";
        let sig = sign(key, "post", "/v1/submissions", 1_000, nonce, b"{}");
        let h = SignedHeaders {
            terminal: "T1".into(),
            timestamp: 1_000,
            nonce: nonce.into(),
            signature: sig,
        };
        assert_eq!(
            verify(key, &h, "POST", "/v1/submissions", b"{}", 1_100),
            Ok(())
        );
        assert_eq!(
            verify(key, &h, "POST", "/v1/submissions", b"{ }", 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(key, &h, "POST", "/v1/ratings", b"{}", 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(key, &h, "PUT", "/v1/submissions", b"{}", 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"other", &h, "POST", "/v1/submissions", b"{}", 1_000),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(key, &h, "POST", "/v1/submissions", b"{}", 1_301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(key, &h, "POST", "/v1/submissions", b"{}", 699),
            Err(SignatureError::Stale)
        );
        let other_nonce = SignedHeaders {
            nonce: "f".repeat(32),
            ..h.clone()
        };
        assert_eq!(
            verify(key, &other_nonce, "POST", "/v1/submissions", b"{}", 1_000),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn malformed_headers_are_named() {
        let ok = |name: &str| -> Option<&'static str> {
            match name {
                header::TERMINAL => Some("MD-MDJD-001"),
                header::TIMESTAMP => Some("1795397400"),
                header::NONCE => Some("0123456789abcdef0123456789abcdef"),
                header::SIGNATURE => Some("ab"),
                _ => None,
            }
        };
        assert_eq!(
            parse_headers(ok),
            Err(SignatureError::Header("X-Kiosk-Signature"))
        );
        assert_eq!(
            parse_headers(|_| None),
            Err(SignatureError::Header("X-Kiosk-Terminal"))
        );
    }
}
