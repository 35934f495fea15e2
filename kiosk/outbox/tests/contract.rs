//! The [`Outbox`] contract, run against every implementation: SQLite always, sled when the
//! `sled` feature is on (`cargo test --workspace` turns it on through kiosk-e2e).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use outbox::files::AttachmentStore;
use outbox::{Attachment, NewItem, Outbox, OutboxError, SqliteOutbox, backoff_secs};

const MARKER: &str = "张桂兰-370000195603120241";

struct Dir(PathBuf);

impl Dir {
    fn new(tag: &str) -> Dir {
        static N: AtomicU64 = AtomicU64::new(0);
        let p = std::env::temp_dir().join(format!(
            "outbox-contract-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        Dir(p)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn item(key: &str) -> NewItem {
    NewItem {
        key: key.into(),
        kind: "/v1/submissions".into(),
        body: format!(r#"{{"applicant":"{MARKER}","key":"{key}"}}"#).into_bytes(),
        attachments: Vec::new(),
    }
}

fn all_bytes_under(dir: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_bytes_under(&p));
        } else {
            out.extend(std::fs::read(&p).unwrap());
        }
    }
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

macro_rules! contract {
    ($module:ident, $open:expr) => {
        mod $module {
            use super::*;

            fn open(dir: &Path) -> Box<dyn Outbox> {
                Box::new($open(dir).unwrap())
            }

            #[test]
            fn enqueue_then_next_due_gives_it_back_opened() {
                let d = Dir::new(stringify!($module));
                let mut o = open(&d.0);
                let id = o.enqueue(item("key-0000000000000001"), 100).unwrap();
                assert_eq!(o.depth().unwrap(), 1);
                let got = o.next_due(100).unwrap().unwrap();
                assert_eq!(got.id, id);
                assert_eq!(got.item, item("key-0000000000000001"));
                assert_eq!((got.created, got.attempts), (100, 0));
            }

            #[test]
            fn oldest_created_is_the_oldest_waiting_item_and_none_when_empty() {
                let d = Dir::new(stringify!($module));
                let mut o = open(&d.0);
                assert_eq!(o.oldest_created().unwrap(), None);
                let a = o.enqueue(item("key-00000000000000c1"), 100).unwrap();
                let b = o.enqueue(item("key-00000000000000c2"), 130).unwrap();
                o.failed(a, 140).unwrap();
                assert_eq!(
                    o.oldest_created().unwrap(),
                    Some(100),
                    "a retrying item counts"
                );
                o.acknowledge(a, "SL20261123000011", 150).unwrap();
                assert_eq!(o.oldest_created().unwrap(), Some(130));
                o.acknowledge(b, "SL20261123000012", 160).unwrap();
                assert_eq!(o.oldest_created().unwrap(), None);
            }

            #[test]
            fn items_go_in_order_and_a_retrying_item_is_not_overtaken() {
                let d = Dir::new(stringify!($module));
                let mut o = open(&d.0);
                let a = o.enqueue(item("key-000000000000000a"), 100).unwrap();
                let b = o.enqueue(item("key-000000000000000b"), 101).unwrap();
                assert!(a < b);
                o.failed(a, 110).unwrap();
                assert!(o.next_due(110).unwrap().is_none(), "b waits for a");
                let again = o.next_due(110 + backoff_secs(0)).unwrap().unwrap();
                assert_eq!((again.id, again.attempts), (a, 1));
                o.failed(a, 200).unwrap();
                assert!(o.next_due(200 + backoff_secs(1) - 1).unwrap().is_none());
                o.acknowledge(a, "SL20261123000001", 300).unwrap();
                assert_eq!(o.next_due(300).unwrap().unwrap().id, b);
            }

            #[test]
            fn acknowledged_items_leave_only_an_audit_row_and_a_key_is_used_once() {
                let d = Dir::new(stringify!($module));
                let mut o = open(&d.0);
                let id = o.enqueue(item("key-0000000000000002"), 100).unwrap();
                assert!(o.is_pending("key-0000000000000002").unwrap());
                assert!(!o.is_pending("key-0000000000000099").unwrap());
                assert!(matches!(
                    o.enqueue(item("key-0000000000000002"), 101),
                    Err(OutboxError::Duplicate)
                ));
                o.acknowledge(id, "SL20261123000007", 150).unwrap();
                o.acknowledge(id, "SL20261123000007", 151).unwrap(); // twice is harmless
                assert_eq!(o.depth().unwrap(), 0);
                assert!(!o.is_pending("key-0000000000000002").unwrap());
                assert!(o.next_due(1_000).unwrap().is_none());
                let audit = o.audit("key-0000000000000002").unwrap().unwrap();
                assert_eq!(
                    (audit.receipt_no.as_str(), audit.acknowledged),
                    ("SL20261123000007", 150)
                );
                assert!(matches!(
                    o.enqueue(item("key-0000000000000002"), 160),
                    Err(OutboxError::Duplicate)
                ));
                assert_eq!(o.purge_audit(150).unwrap(), 0);
                assert_eq!(o.purge_audit(151).unwrap(), 1);
                assert!(o.audit("key-0000000000000002").unwrap().is_none());
            }

            #[test]
            fn what_was_enqueued_survives_reopening_sealed_at_rest() {
                let d = Dir::new(stringify!($module));
                {
                    let mut o = open(&d.0);
                    o.enqueue(item("key-0000000000000003"), 100).unwrap();
                }
                let bytes = all_bytes_under(&d.0);
                assert!(
                    !contains(&bytes, MARKER.as_bytes()),
                    "the body is sealed at rest"
                );
                let mut o = open(&d.0);
                assert_eq!(
                    o.next_due(100).unwrap().unwrap().item,
                    item("key-0000000000000003")
                );
                let mode = std::fs::metadata(d.0.join("outbox.key"))
                    .unwrap()
                    .permissions()
                    .mode();
                assert_eq!(mode & 0o777, 0o600);
            }

            #[test]
            fn a_key_file_others_can_read_or_another_key_is_refused() {
                let d = Dir::new(stringify!($module));
                {
                    let mut o = open(&d.0);
                    o.enqueue(item("key-0000000000000004"), 100).unwrap();
                }
                let key = d.0.join("outbox.key");
                std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
                assert!(matches!($open(&d.0), Err(OutboxError::Key(_))));
                std::fs::write(&key, [7u8; 32]).unwrap();
                std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
                let mut o = open(&d.0);
                assert!(
                    matches!(o.next_due(100), Err(OutboxError::Key(_))),
                    "nothing opens with a wrong key"
                );
                assert_eq!(o.depth().unwrap(), 1, "and nothing is lost by trying");
            }

            #[test]
            fn attachments_are_removed_when_no_queued_item_needs_them() {
                let d = Dir::new(stringify!($module));
                let files = AttachmentStore::open(&d.0.join("attachments")).unwrap();
                let shared = files.put(b"scan shared by two").unwrap();
                let own = files.put(b"scan of one").unwrap();
                let mut o = open(&d.0);
                let with = |key: &str, hashes: &[&str]| NewItem {
                    attachments: hashes
                        .iter()
                        .map(|h| Attachment {
                            sha256: (*h).into(),
                            media_type: "image/jpeg".into(),
                        })
                        .collect(),
                    ..item(key)
                };
                let a = o
                    .enqueue(with("key-000000000000005a", &[&shared, &own]), 100)
                    .unwrap();
                o.enqueue(with("key-000000000000005b", &[&shared]), 100)
                    .unwrap();
                o.acknowledge(a, "SL1", 120).unwrap();
                assert!(files.get(&own).is_err(), "no longer needed");
                assert_eq!(files.get(&shared).unwrap(), b"scan shared by two");
            }
        }
    };
}

contract!(sqlite, SqliteOutbox::open);
#[cfg(feature = "sled")]
contract!(sled, outbox::sled_store::SledOutbox::open);

#[test]
fn backoff_doubles_from_two_seconds_up_to_five_minutes() {
    let v: Vec<i64> = (0..10).map(backoff_secs).collect();
    assert_eq!(v, [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
    assert_eq!(backoff_secs(u32::MAX), 300);
}

/// A page of a citizen's 户口簿 is personal data at rest: the sealed store writes no byte of
/// it in the clear, opens only with its key, refuses a file swapped or damaged, and still reads
/// a file an earlier version wrote unsealed.
#[test]
fn sealed_attachments_are_unreadable_without_the_key() {
    let d = Dir::new("sealed-attachments");
    let dir = d.0.join("attachments");
    let key = d.0.join("outbox.key");
    let files = AttachmentStore::open_sealed(&dir, &key).unwrap();
    let page = format!("户口簿 本人页 {MARKER} ").repeat(40).into_bytes();
    let hash = files.put(&page).unwrap();
    assert_eq!(files.put(&page).unwrap(), hash, "the same page is one file");
    let raw = std::fs::read(dir.join(&hash)).unwrap();
    assert!(
        !raw.windows(MARKER.len()).any(|w| w == MARKER.as_bytes()),
        "nothing of the page in the clear"
    );
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(files.get(&hash).unwrap(), page);
    assert_eq!(
        AttachmentStore::open_sealed(&dir, &key)
            .unwrap()
            .get(&hash)
            .unwrap(),
        page,
        "another store on the same key reads it"
    );

    // another key, a damaged file, a file moved to another page's name
    let other_key = d.0.join("other.key");
    let other = AttachmentStore::open_sealed(&dir, &other_key).unwrap();
    assert!(matches!(other.get(&hash), Err(OutboxError::Key(_))));
    let second = files.put(b"a second page").unwrap();
    std::fs::copy(dir.join(&hash), dir.join(&second)).unwrap();
    assert!(files.get(&second).is_err(), "a file under another's name");
    let mut damaged = raw.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    std::fs::write(dir.join(&hash), &damaged).unwrap();
    assert!(files.get(&hash).is_err(), "a damaged file");

    // an unsealed file of an earlier version: read when it is what its name says
    let plain = AttachmentStore::open(&dir).unwrap();
    let legacy = plain.put(b"written before sealing").unwrap();
    assert_eq!(files.get(&legacy).unwrap(), b"written before sealing");
}
