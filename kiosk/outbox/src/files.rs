//! Attachments (scans) as files beside the store, named by the SHA-256 of their bytes:
//! written to a temporary name, fsynced, renamed, and the directory fsynced, so a file that
//! a queued item refers to survives a power cut. A store opened with the outbox's key seals
//! each file (a citizen's 户口簿 page is personal data at rest like a record body).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::OutboxError;
use crate::seal::Sealer;

/// The attachment directory.
#[derive(Debug, Clone)]
pub struct AttachmentStore {
    dir: PathBuf,
    sealer: Option<Arc<Sealer>>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl AttachmentStore {
    /// Opens (creating) `dir`; files are written as they are given (the outbox itself only
    /// removes files, and tools read them).
    pub fn open(dir: &Path) -> Result<AttachmentStore, OutboxError> {
        std::fs::create_dir_all(dir)?;
        Ok(AttachmentStore {
            dir: dir.to_path_buf(),
            sealer: None,
        })
    }

    /// Opens (creating) `dir`, sealing what it writes with the key in `key_file` (the
    /// outbox's `outbox.key`, created 0600 when missing). It still reads a file written
    /// unsealed by an earlier version, when the file's hash matches its name.
    pub fn open_sealed(dir: &Path, key_file: &Path) -> Result<AttachmentStore, OutboxError> {
        let mut store = AttachmentStore::open(dir)?;
        if let Some(parent) = key_file.parent() {
            std::fs::create_dir_all(parent)?;
        }
        store.sealer = Some(Arc::new(Sealer::from_key_file(key_file)?));
        Ok(store)
    }

    /// Stores `bytes` durably; returns their SHA-256 (lowercase hex).
    pub fn put(&self, bytes: &[u8]) -> Result<String, OutboxError> {
        let hash = sha256_hex(bytes);
        let path = self.dir.join(&hash);
        if path.exists() {
            return Ok(hash);
        }
        let on_disk = match &self.sealer {
            // the name binds the sealed file: it cannot be swapped for another page
            Some(sealer) => sealer.seal(bytes, hash.as_bytes())?,
            None => bytes.to_vec(),
        };
        let tmp = self.dir.join(format!("{hash}.tmp"));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&on_disk)?;
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
        let raw = std::fs::read(self.dir.join(sha256))?;
        let Some(sealer) = &self.sealer else {
            return Ok(raw);
        };
        match sealer.open(&raw, sha256.to_ascii_lowercase().as_bytes()) {
            Ok(plain) => Ok(plain),
            // written unsealed by an earlier version: good if it is what its name says
            Err(_) if sha256_hex(&raw).eq_ignore_ascii_case(sha256) => Ok(raw),
            Err(e) => Err(e),
        }
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
