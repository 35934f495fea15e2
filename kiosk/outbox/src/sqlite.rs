//! The store of record: one SQLite file in WAL mode with `synchronous=FULL`, so a committed
//! enqueue is on stable storage when `enqueue` returns (`deps.md` §1: 0 acknowledged writes
//! lost in 40 kill -9 runs). Bodies are sealed; attachments are files beside it.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

use crate::files::AttachmentStore;
use crate::seal::Sealer;
use crate::{Attachment, AuditRow, Item, NewItem, Outbox, OutboxError, backoff_secs};

/// The SQLite outbox.
pub struct SqliteOutbox {
    conn: Connection,
    sealer: Sealer,
    attachments: AttachmentStore,
}

impl std::fmt::Debug for SqliteOutbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteOutbox")
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS outbox(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    sealed BLOB NOT NULL,
    attachments TEXT NOT NULL,
    created INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit(
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    receipt_no TEXT NOT NULL,
    created INTEGER NOT NULL,
    acknowledged INTEGER NOT NULL);
";

impl SqliteOutbox {
    /// Opens (creating) the outbox in `dir`: `outbox.sqlite3`, `outbox.key` (0600) and
    /// `attachments/`.
    pub fn open(dir: &Path) -> Result<SqliteOutbox, OutboxError> {
        std::fs::create_dir_all(dir)?;
        let sealer = Sealer::from_key_file(&dir.join("outbox.key"))?;
        let attachments = AttachmentStore::open(&dir.join("attachments"))?;
        let conn = Connection::open(dir.join("outbox.sqlite3"))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(SqliteOutbox {
            conn,
            sealer,
            attachments,
        })
    }

    /// The attachment files.
    pub fn attachments(&self) -> &AttachmentStore {
        &self.attachments
    }
}

impl Outbox for SqliteOutbox {
    fn enqueue(&mut self, item: NewItem, now: i64) -> Result<u64, OutboxError> {
        let known: Option<i64> = self
            .conn
            .query_row(
                "SELECT 1 FROM outbox WHERE key = ?1 UNION ALL SELECT 1 FROM audit WHERE key = ?1",
                params![item.key],
                |r| r.get(0),
            )
            .optional()?;
        if known.is_some() {
            return Err(OutboxError::Duplicate);
        }
        let sealed = self.sealer.seal(&item.body, item.key.as_bytes())?;
        let attachments = serde_json::to_string(&item.attachments)
            .map_err(|e| OutboxError::Corrupt(e.to_string()))?;
        // autocommit: with synchronous=FULL the insert is durable when execute returns
        self.conn.execute(
            "INSERT INTO outbox(key, kind, sealed, attachments, created, attempts, next_attempt)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, ?5)",
            params![item.key, item.kind, sealed, attachments, now],
        )?;
        Ok(self.conn.last_insert_rowid().max(0) as u64)
    }

    fn next_due(&mut self, now: i64) -> Result<Option<Item>, OutboxError> {
        let row = self
            .conn
            .query_row(
                "SELECT id, key, kind, sealed, attachments, created, attempts, next_attempt
                 FROM outbox ORDER BY id LIMIT 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Vec<u8>>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, i64>(5)?,
                        r.get::<_, i64>(6)?,
                        r.get::<_, i64>(7)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, key, kind, sealed, attachments, created, attempts, next_attempt)) = row
        else {
            return Ok(None);
        };
        if next_attempt > now {
            return Ok(None);
        }
        let body = self.sealer.open(&sealed, key.as_bytes())?;
        let attachments: Vec<Attachment> =
            serde_json::from_str(&attachments).map_err(|e| OutboxError::Corrupt(e.to_string()))?;
        Ok(Some(Item {
            id: id.max(0) as u64,
            item: NewItem {
                key,
                kind,
                body,
                attachments,
            },
            created,
            attempts: attempts.clamp(0, i64::from(u32::MAX)) as u32,
            next_attempt,
        }))
    }

    fn failed(&mut self, id: u64, now: i64) -> Result<(), OutboxError> {
        let attempts: Option<i64> = self
            .conn
            .query_row(
                "SELECT attempts FROM outbox WHERE id = ?1",
                params![id as i64],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(a) = attempts {
            let a = a.clamp(0, i64::from(u32::MAX)) as u32;
            self.conn.execute(
                "UPDATE outbox SET attempts = ?2, next_attempt = ?3 WHERE id = ?1",
                params![id as i64, a + 1, now + backoff_secs(a)],
            )?;
        }
        Ok(())
    }

    fn acknowledge(&mut self, id: u64, receipt_no: &str, now: i64) -> Result<(), OutboxError> {
        let tx = self.conn.unchecked_transaction()?;
        let row: Option<(String, String, String, i64)> = tx
            .query_row(
                "SELECT key, kind, attachments, created FROM outbox WHERE id = ?1",
                params![id as i64],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((key, kind, attachments, created)) = row else {
            return Ok(()); // acknowledged before (a retry after a crash between the two)
        };
        tx.execute(
            "INSERT OR REPLACE INTO audit(key, kind, receipt_no, created, acknowledged)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key, kind, receipt_no, created, now],
        )?;
        tx.execute("DELETE FROM outbox WHERE id = ?1", params![id as i64])?;
        tx.commit()?;
        // attachment files go after the row: a crash in between leaves a file, never a
        // queued item without its file
        let attachments: Vec<Attachment> = serde_json::from_str(&attachments).unwrap_or_default();
        for a in attachments {
            let still_used: Option<i64> = self
                .conn
                .query_row(
                    "SELECT 1 FROM outbox WHERE attachments LIKE ?1 LIMIT 1",
                    params![format!("%{}%", a.sha256)],
                    |r| r.get(0),
                )
                .optional()?;
            if still_used.is_none() {
                self.attachments.remove(&a.sha256)?;
            }
        }
        Ok(())
    }

    fn depth(&mut self) -> Result<u64, OutboxError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM outbox", [], |r| r.get::<_, i64>(0))?
            .max(0) as u64)
    }

    fn oldest_created(&mut self) -> Result<Option<i64>, OutboxError> {
        Ok(self
            .conn
            .query_row("SELECT MIN(created) FROM outbox", [], |r| {
                r.get::<_, Option<i64>>(0)
            })?)
    }

    fn is_pending(&mut self, key: &str) -> Result<bool, OutboxError> {
        let found: Option<i64> = self
            .conn
            .query_row("SELECT 1 FROM outbox WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(found.is_some())
    }

    fn audit(&mut self, key: &str) -> Result<Option<AuditRow>, OutboxError> {
        Ok(self
            .conn
            .query_row(
                "SELECT key, kind, receipt_no, created, acknowledged FROM audit WHERE key = ?1",
                params![key],
                |r| {
                    Ok(AuditRow {
                        key: r.get(0)?,
                        kind: r.get(1)?,
                        receipt_no: r.get(2)?,
                        created: r.get(3)?,
                        acknowledged: r.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    fn purge_audit(&mut self, before: i64) -> Result<u64, OutboxError> {
        Ok(self
            .conn
            .execute("DELETE FROM audit WHERE acknowledged < ?1", params![before])?
            as u64)
    }
}
