//! The maintenance PIN as an argon2id hash: made by `kiosk hash-pin`, checked by the menu.
//!
//! A 4–6 digit PIN has at most a million values, so a stolen hash falls to an offline search
//! whatever the cost parameters (reference/deps.md). The hash keeps the PIN out of the config
//! file and out of backups; the real protection is the attempt limit
//! ([`kiosk_core::maintenance::PinGuard`]), which the terminal keeps across restarts.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

/// The shortest PIN `kiosk hash-pin` accepts.
pub const MIN_DIGITS: usize = 6;
/// The longest PIN the pad takes.
pub const MAX_DIGITS: usize = 12;

/// Why a PIN could not be hashed.
#[derive(Debug, thiserror::Error)]
pub enum PinError {
    /// Not 6–12 digits.
    #[error("维护密码应为 {MIN_DIGITS}–{MAX_DIGITS} 位数字")]
    Shape,
    /// The hasher failed (no randomness for the salt).
    #[error("无法生成哈希：{0}")]
    Hash(String),
}

/// The argon2id PHC string of `pin` with a fresh random salt (default cost: 19 MiB, t=2).
pub fn hash_pin(pin: &str) -> Result<String, PinError> {
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PinError::Shape);
    }
    Argon2::default()
        .hash_password(pin.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| PinError::Hash(e.to_string()))
}

/// Whether `pin` matches the PHC string `hash`. A hash that does not parse matches nothing.
pub fn verify_pin(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(pin.as_bytes(), &parsed)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_hash_verifies_its_pin_only() {
        let h = hash_pin("246810").unwrap();
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        assert!(verify_pin("246810", &h));
        assert!(!verify_pin("246811", &h));
        assert!(!verify_pin("", &h));
        assert_ne!(h, hash_pin("246810").unwrap(), "a fresh salt each time");
    }

    #[test]
    fn short_or_non_digit_pins_are_refused_and_bad_hashes_match_nothing() {
        assert!(matches!(hash_pin("12345"), Err(PinError::Shape)));
        assert!(matches!(hash_pin("12345a"), Err(PinError::Shape)));
        assert!(!verify_pin("246810", "$argon2id$garbage"));
        assert!(!verify_pin("246810", ""));
    }
}
