//! The design card's sled (pinned 0.34.7), as a second implementation of [`Outbox`] for the
//! side-by-side figures. `deps.md` §2: with defaults it lost acknowledged writes under kill -9,
//! and its `flush()` uses `sync_file_range`, which does not flush the device cache. So every
//! write here is followed by `flush()` and an fsync of every file and directory of the
//! database before `enqueue`/`acknowledge` return. Cache 32 MiB (its default is 1 GiB).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::files::AttachmentStore;
use crate::seal::Sealer;
use crate::{Attachment, AuditRow, Item, NewItem, Outbox, OutboxError, backoff_secs};

/// Cache size given to sled.
pub const CACHE_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Serialize, Deserialize)]
struct Stored {
    key: String,
    kind: String,
    sealed: Vec<u8>,
    attachments: Vec<Attachment>,
    created: i64,
    attempts: u32,
    next_attempt: i64,
}

#[derive(Serialize, Deserialize)]
struct StoredAudit {
    kind: String,
    receipt_no: String,
    created: i64,
    acknowledged: i64,
}

/// The sled outbox.
pub struct SledOutbox {
    db: sled::Db,
    queue: sled::Tree,
    audit: sled::Tree,
    dir: PathBuf,
    sealer: Sealer,
    attachments: AttachmentStore,
}

impl std::fmt::Debug for SledOutbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SledOutbox")
    }
}

fn corrupt(e: impl std::fmt::Display) -> OutboxError {
    OutboxError::Corrupt(e.to_string())
}

fn fsync_tree(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            fsync_tree(&path)?;
        } else {
            std::fs::File::open(&path)?.sync_all()?;
        }
    }
    std::fs::File::open(dir)?.sync_all()
}

impl SledOutbox {
    /// Opens (creating) the outbox in `dir`: `sled/`, `outbox.key` and `attachments/`.
    pub fn open(dir: &Path) -> Result<SledOutbox, OutboxError> {
        std::fs::create_dir_all(dir)?;
        let sealer = Sealer::from_key_file(&dir.join("outbox.key"))?;
        let attachments = AttachmentStore::open(&dir.join("attachments"))?;
        let db_dir = dir.join("sled");
        let db = sled::Config::new()
            .path(&db_dir)
            .cache_capacity(CACHE_BYTES)
            .open()?;
        Ok(SledOutbox {
            queue: db.open_tree("outbox")?,
            audit: db.open_tree("audit")?,
            db,
            dir: db_dir,
            sealer,
            attachments,
        })
    }

    /// sled's flush, then fsync of everything it wrote.
    fn durable(&self) -> Result<(), OutboxError> {
        self.db.flush()?;
        fsync_tree(&self.dir)?;
        Ok(())
    }

    fn find_key(&self, key: &str) -> Result<bool, OutboxError> {
        Ok(self.audit.contains_key(key.as_bytes())? || self.queued_key(key)?)
    }

    fn queued_key(&self, key: &str) -> Result<bool, OutboxError> {
        for kv in self.queue.iter() {
            let (_, v) = kv?;
            let s: Stored = serde_json::from_slice(&v).map_err(corrupt)?;
            if s.key == key {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl Outbox for SledOutbox {
    fn enqueue(&mut self, item: NewItem, now: i64) -> Result<u64, OutboxError> {
        if self.find_key(&item.key)? {
            return Err(OutboxError::Duplicate);
        }
        let id = self.db.generate_id()? + 1;
        let stored = Stored {
            sealed: self.sealer.seal(&item.body, item.key.as_bytes())?,
            key: item.key,
            kind: item.kind,
            attachments: item.attachments,
            created: now,
            attempts: 0,
            next_attempt: now,
        };
        self.queue.insert(
            id.to_be_bytes(),
            serde_json::to_vec(&stored).map_err(corrupt)?,
        )?;
        self.durable()?;
        Ok(id)
    }

    fn next_due(&mut self, now: i64) -> Result<Option<Item>, OutboxError> {
        let Some((k, v)) = self.queue.first()? else {
            return Ok(None);
        };
        let s: Stored = serde_json::from_slice(&v).map_err(corrupt)?;
        if s.next_attempt > now {
            return Ok(None);
        }
        let id = u64::from_be_bytes(k.as_ref().try_into().map_err(corrupt)?);
        Ok(Some(Item {
            id,
            item: NewItem {
                body: self.sealer.open(&s.sealed, s.key.as_bytes())?,
                key: s.key,
                kind: s.kind,
                attachments: s.attachments,
            },
            created: s.created,
            attempts: s.attempts,
            next_attempt: s.next_attempt,
        }))
    }

    fn failed(&mut self, id: u64, now: i64) -> Result<(), OutboxError> {
        if let Some(v) = self.queue.get(id.to_be_bytes())? {
            let mut s: Stored = serde_json::from_slice(&v).map_err(corrupt)?;
            s.next_attempt = now + backoff_secs(s.attempts);
            s.attempts += 1;
            self.queue
                .insert(id.to_be_bytes(), serde_json::to_vec(&s).map_err(corrupt)?)?;
            self.db.flush()?;
        }
        Ok(())
    }

    fn acknowledge(&mut self, id: u64, receipt_no: &str, now: i64) -> Result<(), OutboxError> {
        let Some(v) = self.queue.get(id.to_be_bytes())? else {
            return Ok(());
        };
        let s: Stored = serde_json::from_slice(&v).map_err(corrupt)?;
        let audit = StoredAudit {
            kind: s.kind.clone(),
            receipt_no: receipt_no.into(),
            created: s.created,
            acknowledged: now,
        };
        // audit first, then removal: a crash in between re-sends, and the county answers the
        // replayed key with the original 受理编号
        self.audit.insert(
            s.key.as_bytes(),
            serde_json::to_vec(&audit).map_err(corrupt)?,
        )?;
        self.queue.remove(id.to_be_bytes())?;
        self.durable()?;
        for a in &s.attachments {
            let mut used = false;
            for kv in self.queue.iter() {
                let (_, v) = kv?;
                let other: Stored = serde_json::from_slice(&v).map_err(corrupt)?;
                used |= other.attachments.iter().any(|o| o.sha256 == a.sha256);
            }
            if !used {
                self.attachments.remove(&a.sha256)?;
            }
        }
        Ok(())
    }

    fn depth(&mut self) -> Result<u64, OutboxError> {
        Ok(self.queue.len() as u64)
    }

    fn is_pending(&mut self, key: &str) -> Result<bool, OutboxError> {
        self.queued_key(key)
    }

    fn audit(&mut self, key: &str) -> Result<Option<AuditRow>, OutboxError> {
        let Some(v) = self.audit.get(key.as_bytes())? else {
            return Ok(None);
        };
        let a: StoredAudit = serde_json::from_slice(&v).map_err(corrupt)?;
        Ok(Some(AuditRow {
            key: key.into(),
            kind: a.kind,
            receipt_no: a.receipt_no,
            created: a.created,
            acknowledged: a.acknowledged,
        }))
    }

    fn purge_audit(&mut self, before: i64) -> Result<u64, OutboxError> {
        let mut n = 0;
        for kv in self.audit.iter() {
            let (k, v) = kv?;
            let a: StoredAudit = serde_json::from_slice(&v).map_err(corrupt)?;
            if a.acknowledged < before {
                self.audit.remove(k)?;
                n += 1;
            }
        }
        self.durable()?;
        Ok(n)
    }
}
