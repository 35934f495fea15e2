//! Attachments (scans) as files beside the store, named by the SHA-256 of their bytes:
//! written to a temporary name, fsynced, renamed, and the directory fsynced, so a file that
//! a queued item refers to survives a power cut.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::OutboxError;

/// The attachment directory.
#[derive(Debug, Clone)]
pub struct AttachmentStore {
    dir: PathBuf,
}

impl AttachmentStore {
    /// Opens (creating) `dir`.
    pub fn open(dir: &Path) -> Result<AttachmentStore, OutboxError> {
        std::fs::create_dir_all(dir)?;
        Ok(AttachmentStore {
            dir: dir.to_path_buf(),
        })
    }

    /// Stores `bytes` durably; returns their SHA-256 (lowercase hex).
    pub fn put(&self, bytes: &[u8]) -> Result<String, OutboxError> {
        let hash: String = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let path = self.dir.join(&hash);
        if path.exists() {
            return Ok(hash);
        }
        let tmp = self.dir.join(format!("{hash}.tmp"));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &path)?;
        std::fs::File::open(&self.dir)?.sync_all()?;
        Ok(hash)
    }

    /// The bytes of `sha256`.
    pub fn get(&self, sha256: &str) -> Result<Vec<u8>, OutboxError> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(OutboxError::Corrupt("attachment name".into()));
        }
        Ok(std::fs::read(self.dir.join(sha256))?)
    }

    /// Removes `sha256` (after acknowledgement, when nothing else refers to it).
    pub fn remove(&self, sha256: &str) -> Result<(), OutboxError> {
        match std::fs::remove_file(self.dir.join(sha256)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
