//! The reference backend's storage: one SQLite file (WAL, `synchronous=FULL`) for citizens,
//! cases, idempotency keys, nonces, ratings and heartbeats, and attachment files beside it,
//! written durably (temporary file, fsync, rename, fsync of the directory).

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use crate::seed::Citizen;

/// Storage errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// A file operation failed.
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
    /// A stored record does not parse. The message gives only the error's category and
    /// position: serde's own message can quote a value, and this one reaches logs.
    #[error("stored record: invalid JSON ({:?}) at line {} column {}", .0.classify(), .0.line(), .0.column())]
    Json(#[from] serde_json::Error),
}

/// What an idempotency key already has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// SHA-256 of the body that was answered.
    pub body_hash: String,
    /// HTTP status given.
    pub status: u16,
    /// The JSON body given.
    pub response: String,
}

/// One stored case (an accepted submission or suspension).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// 受理编号.
    pub receipt_no: String,
    /// Terminal that sent it.
    pub terminal: String,
    /// The person's number.
    pub id_number: String,
    /// The matter.
    pub matter_id: String,
    /// accepted / done / …
    pub status: String,
    /// Unix seconds.
    pub created: i64,
}

/// The open store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    attachments: PathBuf,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS citizens(id_number TEXT PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cases(
    receipt_no TEXT PRIMARY KEY, terminal TEXT NOT NULL, id_number TEXT NOT NULL,
    matter_id TEXT NOT NULL, status TEXT NOT NULL, created INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS cases_by_person ON cases(id_number, created);
CREATE TABLE IF NOT EXISTS idempotency(
    terminal TEXT NOT NULL, key TEXT NOT NULL, body_hash TEXT NOT NULL, status INTEGER NOT NULL,
    response TEXT NOT NULL, created INTEGER NOT NULL, PRIMARY KEY(terminal, key));
CREATE INDEX IF NOT EXISTS idempotency_by_key ON idempotency(key);
CREATE TABLE IF NOT EXISTS nonces(terminal TEXT NOT NULL, nonce TEXT NOT NULL, seen INTEGER NOT NULL,
    PRIMARY KEY(terminal, nonce));
CREATE TABLE IF NOT EXISTS ratings(id INTEGER PRIMARY KEY AUTOINCREMENT, terminal TEXT NOT NULL,
    matter_id TEXT NOT NULL, receipt_no TEXT, level INTEGER NOT NULL, reasons TEXT NOT NULL,
    created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS follow_ups(rating_id INTEGER PRIMARY KEY, phone TEXT, comment TEXT,
    due TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS attachments(sha256 TEXT PRIMARY KEY, media_type TEXT NOT NULL,
    size INTEGER NOT NULL, terminal TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS heartbeats(terminal TEXT PRIMARY KEY, seen INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sequence(name TEXT PRIMARY KEY, value INTEGER NOT NULL);
";

impl Store {
    /// Opens (creating if needed) the store in `dir`, seeding the sample citizens into a new
    /// database.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(dir)?;
        let attachments = dir.join("attachments");
        std::fs::create_dir_all(&attachments)?;
        let conn = Connection::open(dir.join("county.sqlite3"))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        let store = Store { conn, attachments };
        // columns added after the first release: older databases get them on open
        store.add_column_if_missing("ratings", "channel", "TEXT NOT NULL DEFAULT '自助终端'")?;
        store.add_column_if_missing("ratings", "rated_at", "INTEGER")?;
        if store.citizen_count()? == 0 {
            store.seed(&crate::seed::citizens())?;
        }
        Ok(store)
    }

    /// Adds `column` to `table` unless it is there (names are this module's, never input).
    fn add_column_if_missing(
        &self,
        table: &'static str,
        column: &'static str,
        decl: &'static str,
    ) -> Result<(), StoreError> {
        let mut st = self
            .conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?;
        let names = st
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        if !names.iter().any(|n| n == column) {
            self.conn
                .execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {decl}"))?;
        }
        Ok(())
    }

    /// Rows in `table` (one of this module's table names, never user input).
    fn count(&self, table: &'static str) -> Result<u64, StoreError> {
        let n: i64 = self
            .conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    fn seed(&self, citizens: &[Citizen]) -> Result<(), StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        for c in citizens {
            tx.execute(
                "INSERT OR IGNORE INTO citizens(id_number, record) VALUES (?1, ?2)",
                params![c.id_number, serde_json::to_string(c)?],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// How many citizens are stored.
    pub fn citizen_count(&self) -> Result<u64, StoreError> {
        self.count("citizens")
    }

    /// The citizen with this number.
    pub fn citizen(&self, id_number: &str) -> Result<Option<Citizen>, StoreError> {
        let record: Option<String> = self
            .conn
            .query_row(
                "SELECT record FROM citizens WHERE id_number = ?1",
                params![id_number],
                |r| r.get(0),
            )
            .optional()?;
        Ok(match record {
            Some(r) => Some(serde_json::from_str(&r)?),
            None => None,
        })
    }

    /// Replaces a citizen's record (card suspended, enrolment).
    pub fn put_citizen(&self, c: &Citizen) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO citizens(id_number, record) VALUES (?1, ?2)
             ON CONFLICT(id_number) DO UPDATE SET record = excluded.record",
            params![c.id_number, serde_json::to_string(c)?],
        )?;
        Ok(())
    }

    /// Records `nonce` for `terminal` at `now`, forgetting nonces older than `ttl`. Returns
    /// false when it was already there (a replay).
    pub fn remember_nonce(
        &self,
        terminal: &str,
        nonce: &str,
        now: i64,
        ttl: i64,
    ) -> Result<bool, StoreError> {
        self.conn
            .execute("DELETE FROM nonces WHERE seen < ?1", params![now - ttl])?;
        let inserted = self.conn.execute(
            "INSERT OR IGNORE INTO nonces(terminal, nonce, seen) VALUES (?1, ?2, ?3)",
            params![terminal, nonce, now],
        )?;
        Ok(inserted == 1)
    }

    /// The stored answer to `key` from `terminal`, if any.
    pub fn answer(&self, terminal: &str, key: &str) -> Result<Option<StoredAnswer>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT body_hash, status, response FROM idempotency WHERE terminal = ?1 AND key = ?2",
                params![terminal, key],
                Store::answer_from,
            )
            .optional()?)
    }

    fn answer_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredAnswer> {
        Ok(StoredAnswer {
            body_hash: r.get(0)?,
            status: r.get::<_, i64>(1)?.clamp(0, 999) as u16,
            response: r.get(2)?,
        })
    }

    /// The stored answer to the first request made under idempotency key `key` by any
    /// terminal: a receipt printed while the county was unreachable carries the terminal's
    /// key as its number, and 进度查询 finds the case through it.
    pub fn answer_for_key(&self, key: &str) -> Result<Option<StoredAnswer>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT body_hash, status, response FROM idempotency WHERE key = ?1
                 ORDER BY created LIMIT 1",
                params![key],
                Store::answer_from,
            )
            .optional()?)
    }

    /// Runs `f` in one transaction: everything it writes commits together, or nothing does
    /// when it returns an error.
    pub fn transaction<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self
            .conn
            .unchecked_transaction()
            .map_err(StoreError::from)?;
        let out = f(self)?; // an error drops `tx`, which rolls back
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Stores the answer to `key`.
    pub fn put_answer(
        &self,
        terminal: &str,
        key: &str,
        answer: &StoredAnswer,
        now: i64,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO idempotency(terminal, key, body_hash, status, response, created)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                terminal,
                key,
                answer.body_hash,
                answer.status,
                answer.response,
                now
            ],
        )?;
        Ok(())
    }

    /// The next 受理编号 (`{prefix}{yyyymmdd}{seq:06}`), counted in the store.
    pub fn next_receipt_no(&self, prefix: &str, date: &str) -> Result<String, StoreError> {
        let name = format!("{prefix}{date}");
        self.conn.execute(
            "INSERT INTO sequence(name, value) VALUES (?1, 1)
             ON CONFLICT(name) DO UPDATE SET value = value + 1",
            params![name],
        )?;
        let n: i64 = self.conn.query_row(
            "SELECT value FROM sequence WHERE name = ?1",
            params![name],
            |r| r.get(0),
        )?;
        Ok(format!("{name}{n:06}"))
    }

    /// Stores a case.
    pub fn put_case(&self, case: &Case, body: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO cases(receipt_no, terminal, id_number, matter_id, status, created, body)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                case.receipt_no,
                case.terminal,
                case.id_number,
                case.matter_id,
                case.status,
                case.created,
                body
            ],
        )?;
        Ok(())
    }

    fn case_from(r: &rusqlite::Row<'_>) -> rusqlite::Result<Case> {
        Ok(Case {
            receipt_no: r.get(0)?,
            terminal: r.get(1)?,
            id_number: r.get(2)?,
            matter_id: r.get(3)?,
            status: r.get(4)?,
            created: r.get(5)?,
        })
    }

    /// The case with this 受理编号.
    pub fn case(&self, receipt_no: &str) -> Result<Option<Case>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT receipt_no, terminal, id_number, matter_id, status, created FROM cases WHERE receipt_no = ?1",
                params![receipt_no],
                Store::case_from,
            )
            .optional()?)
    }

    /// A person's cases, newest first.
    pub fn cases_of(&self, id_number: &str) -> Result<Vec<Case>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT receipt_no, terminal, id_number, matter_id, status, created FROM cases
             WHERE id_number = ?1 ORDER BY created DESC, receipt_no DESC LIMIT 50",
        )?;
        let rows = st.query_map(params![id_number], Store::case_from)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many cases are stored (tests: "stored nothing").
    pub fn case_count(&self) -> Result<u64, StoreError> {
        self.count("cases")
    }

    /// Every case with the body it was submitted with, oldest first (audits and tests: which
    /// submission made which case). The bodies hold personal data.
    pub fn cases_with_bodies(&self) -> Result<Vec<(Case, String)>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT receipt_no, terminal, id_number, matter_id, status, created, body FROM cases
             ORDER BY created, receipt_no",
        )?;
        let rows = st.query_map([], |r| Ok((Store::case_from(r)?, r.get(6)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Stores a rating; returns its id.
    pub fn put_rating(
        &self,
        terminal: &str,
        r: &crate::api::Rating,
        follow_up_due: Option<&str>,
        now: i64,
    ) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO ratings(terminal, matter_id, receipt_no, level, reasons, created, channel,
                                 rated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                terminal,
                r.matter_id,
                r.receipt_no,
                r.level,
                serde_json::to_string(&r.reasons)?,
                now,
                r.channel,
                r.rated_at.unwrap_or(now)
            ],
        )?;
        let id = self.conn.last_insert_rowid();
        if let Some(due) = follow_up_due {
            self.conn.execute(
                "INSERT INTO follow_ups(rating_id, phone, comment, due) VALUES (?1, ?2, ?3, ?4)",
                params![id, r.callback_phone, r.comment, due],
            )?;
        }
        Ok(id)
    }

    /// The 差评 not yet followed up, oldest deadline first.
    pub fn follow_ups(&self) -> Result<Vec<crate::api::FollowUp>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT r.id, r.terminal, r.matter_id, r.receipt_no, r.level, r.reasons, f.comment,
                    f.phone, COALESCE(r.rated_at, r.created), f.due
             FROM follow_ups f JOIN ratings r ON r.id = f.rating_id
             WHERE f.done = 0 ORDER BY f.due, r.id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, i64>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, i64>(8)?,
                r.get::<_, String>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, terminal, matter_id, receipt_no, level, reasons, comment, phone, at, due) =
                row?;
            out.push(crate::api::FollowUp {
                rating_id: format!("R{id}"),
                terminal,
                matter_id,
                receipt_no,
                level: level.clamp(1, 5) as u8,
                reasons: serde_json::from_str(&reasons)?,
                comment,
                callback_phone: phone,
                rated_at: at,
                due,
            });
        }
        Ok(out)
    }

    /// How many ratings are stored.
    pub fn rating_count(&self) -> Result<u64, StoreError> {
        self.count("ratings")
    }

    /// Records a terminal's heartbeat.
    pub fn put_heartbeat(&self, terminal: &str, body: &str, now: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO heartbeats(terminal, seen, body) VALUES (?1, ?2, ?3)
             ON CONFLICT(terminal) DO UPDATE SET seen = excluded.seen, body = excluded.body",
            params![terminal, now, body],
        )?;
        Ok(())
    }

    /// Whether an attachment with this hash is stored.
    pub fn has_attachment(&self, sha256: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM attachments WHERE sha256 = ?1",
                params![sha256],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Stores an attachment's bytes durably, then its row. `sha256` was checked by the caller.
    pub fn put_attachment(
        &self,
        sha256: &str,
        media_type: &str,
        bytes: &[u8],
        terminal: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        use std::io::Write;
        let final_path = self.attachments.join(sha256);
        let tmp = self.attachments.join(format!("{sha256}.tmp"));
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &final_path)?;
        std::fs::File::open(&self.attachments)?.sync_all()?;
        self.conn.execute(
            "INSERT OR IGNORE INTO attachments(sha256, media_type, size, terminal, created)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![sha256, media_type, bytes.len() as i64, terminal, now],
        )?;
        Ok(())
    }
}
