//! Sealing of record bodies at rest with XChaCha20-Poly1305 (random 24-byte nonces, the
//! idempotency key as associated data so a body cannot be moved to another record). The
//! 32-byte key lives in a file readable by the kiosk's user only (0600), created on first use.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::OutboxError;

const NONCE: usize = 24;

/// Seals and opens record bodies.
pub struct Sealer {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(<key>)")
    }
}

impl Sealer {
    /// The sealer of the key in `path`, creating a random key (mode 0600) when the file does
    /// not exist. A key file that group or others may read, or of the wrong size, is refused.
    pub fn from_key_file(path: &Path) -> Result<Sealer, OutboxError> {
        if !path.exists() {
            let mut key = [0u8; 32];
            getrandom::fill(&mut key)
                .map_err(|e| OutboxError::Key(format!("no randomness: {e}")))?;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)?;
            f.write_all(&key)?;
            f.sync_all()?;
            if let Some(dir) = path.parent() {
                std::fs::File::open(dir)?.sync_all()?;
            }
        }
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(OutboxError::Key(format!(
                "{} is readable by others (mode {:o}); it must be 0600",
                path.display(),
                mode & 0o777
            )));
        }
        let key = std::fs::read(path)?;
        Sealer::from_key(&key)
    }

    /// The sealer of a 32-byte key.
    pub fn from_key(key: &[u8]) -> Result<Sealer, OutboxError> {
        let cipher = XChaCha20Poly1305::new_from_slice(key)
            .map_err(|_| OutboxError::Key("the key must be 32 bytes".into()))?;
        Ok(Sealer { cipher })
    }

    /// `nonce || ciphertext` of `plain`, bound to `aad`.
    pub fn seal(&self, plain: &[u8], aad: &[u8]) -> Result<Vec<u8>, OutboxError> {
        let mut nonce = [0u8; NONCE];
        getrandom::fill(&mut nonce).map_err(|e| OutboxError::Key(format!("no randomness: {e}")))?;
        let sealed = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad })
            .map_err(|_| OutboxError::Key("sealing failed".into()))?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(out)
    }

    /// Opens what [`Sealer::seal`] made with the same `aad`.
    pub fn open(&self, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, OutboxError> {
        if sealed.len() < NONCE {
            return Err(OutboxError::Corrupt("sealed record too short".into()));
        }
        let (nonce, body) = sealed.split_at(NONCE);
        self.cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad })
            .map_err(|_| {
                OutboxError::Key(
                    "a record does not open with this key (wrong key or damaged record)".into(),
                )
            })
    }
}
