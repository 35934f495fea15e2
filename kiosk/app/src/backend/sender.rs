//! Sends the outbox to the county, oldest first: attachments, then the request with its
//! idempotency key. A 200 acknowledges the item (the personal record is purged, an audit row
//! stays); a refusal the county will never change its mind on (400, 409, 413, 415, 422)
//! ends the item as rejected; anything else (no connection, 401 from a skewed clock, 5xx)
//! is retried with exponential backoff. A crash between the county's answer and the
//! acknowledgement re-sends the same key, and the county answers with the original 受理编号:
//! delivered exactly once.

use outbox::files::AttachmentStore;
use outbox::{Outbox, OutboxError};

use super::client::CountyClient;

/// What the audit row of a refused item holds in place of a 受理编号, before the county's
/// error code.
pub const REJECTED_PREFIX: &str = "REJECTED:";

/// What one step of the sender did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The county accepted it.
    Delivered {
        /// Idempotency key.
        key: String,
        /// The county's 受理编号 (or rating id).
        receipt_no: String,
    },
    /// The county refused it for good; it will not be sent again.
    Rejected {
        /// Idempotency key.
        key: String,
        /// The county's error code.
        code: String,
    },
    /// Not delivered now; retried later.
    Deferred {
        /// Idempotency key.
        key: String,
        /// Failed attempts so far.
        attempts: u32,
    },
}

fn receipt_of(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    v.get("receipt_no")
        .or_else(|| v.get("rating_id"))
        .and_then(|r| r.as_str())
        .map(str::to_string)
}

fn error_code(body: &str) -> String {
    serde_json::from_str::<county::api::ApiError>(body)
        .map(|e| e.code)
        .unwrap_or_else(|_| "unknown".into())
}

/// Sends the oldest due item, if any.
pub fn send_one(
    outbox: &mut dyn Outbox,
    files: &AttachmentStore,
    client: &CountyClient,
    now: i64,
) -> Result<Option<Delivery>, OutboxError> {
    send_next(outbox, files, client, now, false)
}

/// Sends the oldest waiting item; with `ignore_backoff` even if its retry is not due yet.
/// A citizen's fresh submission does that: it queues behind older items (strict order), and
/// one more attempt at them now costs less than a citizen told 已受理 when the county is
/// back. A failure is still counted and rescheduled from `now`.
pub fn send_next(
    outbox: &mut dyn Outbox,
    files: &AttachmentStore,
    client: &CountyClient,
    now: i64,
    ignore_backoff: bool,
) -> Result<Option<Delivery>, OutboxError> {
    let due_at = if ignore_backoff {
        now.saturating_add(outbox::MAX_BACKOFF_SECS)
    } else {
        now
    };
    let Some(item) = outbox.next_due(due_at)? else {
        return Ok(None);
    };
    let key = item.item.key.clone();
    let defer = |outbox: &mut dyn Outbox| -> Result<Option<Delivery>, OutboxError> {
        outbox.failed(item.id, now)?;
        Ok(Some(Delivery::Deferred {
            key: key.clone(),
            attempts: item.attempts + 1,
        }))
    };
    for a in &item.item.attachments {
        let bytes = files.get(&a.sha256)?;
        match client.call(
            "PUT",
            &format!("/v1/attachments/{}", a.sha256),
            &a.media_type,
            &bytes,
            None,
        ) {
            Ok(answer) if answer.status == 200 || answer.status == 201 => {}
            _ => return defer(outbox),
        }
    }
    let answer = match client.call(
        "POST",
        &item.item.kind,
        "application/json",
        &item.item.body,
        Some(&key),
    ) {
        Ok(a) => a,
        Err(_) => return defer(outbox),
    };
    match answer.status {
        200 => {
            let receipt_no = receipt_of(&answer.body).unwrap_or_default();
            outbox.acknowledge(item.id, &receipt_no, now)?;
            Ok(Some(Delivery::Delivered { key, receipt_no }))
        }
        400 | 404 | 409 | 413 | 415 | 422 => {
            let code = error_code(&answer.body);
            outbox.acknowledge(item.id, &format!("{REJECTED_PREFIX}{code}"), now)?;
            Ok(Some(Delivery::Rejected { key, code }))
        }
        _ => defer(outbox),
    }
}
