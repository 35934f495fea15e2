//! The kiosk's durable outbox (issue 5 §3, DESIGN.md principle 4): a submission is committed
//! to stable storage before the UI says 已受理 and before the receipt prints, sent in order
//! with exponential backoff, and purged once the county acknowledges it; only a non-personal
//! audit row (key, kind, 受理编号, times) stays, for a configurable time.
//!
//! | module | job |
//! |---|---|
//! | [`seal`] | XChaCha20-Poly1305 sealing of record bodies; the key file (0600) |
//! | [`files`] | attachments as files beside the store, fsynced with their directory, by hash |
//! | [`sqlite`] | [`SqliteOutbox`], the store of record (WAL, `synchronous=FULL`) |
//! | `sled_store` | `SledOutbox` behind the `sled` feature, for the side-by-side figures |

pub mod files;
pub mod seal;
#[cfg(feature = "sled")]
pub mod sled_store;
pub mod sqlite;

pub use sqlite::SqliteOutbox;

/// Errors of the outbox. None carries a record's content.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    /// SQLite failed.
    #[error("outbox database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// sled failed.
    #[cfg(feature = "sled")]
    #[error("outbox sled: {0}")]
    Sled(#[from] sled::Error),
    /// A file operation failed (full disk, permissions).
    #[error("outbox file: {0}")]
    Io(#[from] std::io::Error),
    /// The key file is wrong (size, permissions) or a record does not open with it.
    #[error("outbox key: {0}")]
    Key(String),
    /// A stored record does not parse.
    #[error("outbox record: {0}")]
    Corrupt(String),
    /// An item with this idempotency key is already queued or was acknowledged.
    #[error("idempotency key already used")]
    Duplicate,
}

/// An attachment an item refers to, stored by [`files::AttachmentStore`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Attachment {
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub media_type: String,
}

/// What goes in.
#[derive(Clone, PartialEq, Eq)]
pub struct NewItem {
    /// Idempotency key, stable across retries (the county answers a replay with the original).
    pub key: String,
    /// Which request (`/v1/submissions`, `/v1/ratings`, …): not personal.
    pub kind: String,
    /// The request body; personal, sealed at rest.
    pub body: Vec<u8>,
    /// Attachments already in the attachment store.
    pub attachments: Vec<Attachment>,
}

impl std::fmt::Debug for NewItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "NewItem({}, {}, {} bytes)",
            self.key,
            self.kind,
            self.body.len()
        )
    }
}

/// What comes out: a queued item with its sending state.
#[derive(Clone, PartialEq, Eq)]
pub struct Item {
    /// Position in the queue (increasing).
    pub id: u64,
    /// The item as enqueued (body opened).
    pub item: NewItem,
    /// Unix seconds when enqueued.
    pub created: i64,
    /// Failed sends so far.
    pub attempts: u32,
    /// Not before this time (Unix seconds).
    pub next_attempt: i64,
}

impl std::fmt::Debug for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Item(#{}, {:?}, attempts {})",
            self.id, self.item, self.attempts
        )
    }
}

/// What stays after acknowledgement: no personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// Idempotency key.
    pub key: String,
    /// Which request.
    pub kind: String,
    /// The county's 受理编号.
    pub receipt_no: String,
    /// Unix seconds enqueued.
    pub created: i64,
    /// Unix seconds acknowledged.
    pub acknowledged: i64,
}

/// The delay before attempt `attempts + 1`: 2 s doubling per failure, at most 5 minutes.
pub fn backoff_secs(attempts: u32) -> i64 {
    (2i64 << attempts.min(16)).min(MAX_BACKOFF_SECS)
}

/// The longest wait between two attempts at one item (5 minutes).
pub const MAX_BACKOFF_SECS: i64 = 300;

/// A durable, ordered queue of requests to the county.
///
/// Exists so the client, the UI and the crash tests depend on one contract, and SQLite and
/// sled can be compared behind it (`deps.md` §2.5).
pub trait Outbox: Send {
    /// Stores `item`; returns only once it is on stable storage. The caller may then say
    /// 已受理 and print the receipt.
    fn enqueue(&mut self, item: NewItem, now: i64) -> Result<u64, OutboxError>;
    /// The oldest unacknowledged item, if it is due at `now` (strict order: a later item never
    /// overtakes an earlier one that is waiting for its retry).
    fn next_due(&mut self, now: i64) -> Result<Option<Item>, OutboxError>;
    /// A send failed: count it and schedule the retry with [`backoff_secs`].
    fn failed(&mut self, id: u64, now: i64) -> Result<(), OutboxError>;
    /// The county acknowledged `id` with `receipt_no`: remove the personal record durably,
    /// keep an [`AuditRow`].
    fn acknowledge(&mut self, id: u64, receipt_no: &str, now: i64) -> Result<(), OutboxError>;
    /// Items waiting.
    fn depth(&mut self) -> Result<u64, OutboxError>;
    /// Whether the item with `key` is still waiting to be sent (进度查询 of a receipt printed
    /// while the county could not be reached).
    fn is_pending(&mut self, key: &str) -> Result<bool, OutboxError>;
    /// The audit row of `key`, if acknowledged and not yet purged.
    fn audit(&mut self, key: &str) -> Result<Option<AuditRow>, OutboxError>;
    /// Drops audit rows acknowledged before `before`; returns how many.
    fn purge_audit(&mut self, before: i64) -> Result<u64, OutboxError>;
    /// When the oldest waiting item was enqueued (Unix seconds), `None` when empty. Exists for
    /// the health endpoint: an outbox that is not draining shows as a growing age. The default
    /// opens the oldest item; stores override it with a cheaper look-up.
    fn oldest_created(&mut self) -> Result<Option<i64>, OutboxError> {
        Ok(self.next_due(i64::MAX)?.map(|item| item.created))
    }
}
