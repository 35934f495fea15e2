//! The audit log of the maintenance menu: one JSON line per [`AuditEvent`] in
//! `storage.dir/audit.log`, the newest [`RECENT`] kept in memory for the 最近事件 page.
//!
//! Lines come only from the catalogue in [`kiosk_core::maintenance`], so nothing personal can
//! be written. Each line is flushed and synced as it is written (the menu writes a few lines
//! a day). At [`ROTATE_AT`] bytes the file moves to `audit.log.1`, so a stuck button cannot
//! fill the disk. A log that cannot be opened does not stop the kiosk: the events are still
//! kept in memory and sent to the journal, and the failure is said once on stderr.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use kiosk_core::maintenance::AuditEvent;

/// Events kept in memory for the 最近事件 page.
pub const RECENT: usize = 100;
/// Size at which the log is rotated.
pub const ROTATE_AT: u64 = 1 << 20;
/// The log's file name in `storage.dir`.
pub const FILE_NAME: &str = "audit.log";

/// One line of the log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AuditLine {
    /// Unix seconds.
    pub at: i64,
    /// The event's code ([`AuditEvent::code`]).
    pub event: String,
    /// What it said ([`AuditEvent::text`]).
    pub text: String,
}

/// The append-only audit log. Exists so every maintenance action leaves a line a county's
/// auditor can read, in one place, with the same words the technician saw.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    file: Option<File>,
    recent: VecDeque<AuditLine>,
}

impl AuditLog {
    /// Opens (or creates) the log in `dir` and reads its newest lines; lines that do not
    /// parse are skipped.
    pub fn open(dir: &Path) -> AuditLog {
        let path = dir.join(FILE_NAME);
        let mut recent = VecDeque::with_capacity(RECENT);
        if let Ok(f) = File::open(&path) {
            for line in BufReader::new(f).lines().map_while(Result::ok) {
                if let Ok(l) = serde_json::from_str::<AuditLine>(&line) {
                    if recent.len() == RECENT {
                        recent.pop_front();
                    }
                    recent.push_back(l);
                }
            }
        }
        let file = match OpenOptions::new().create(true).append(true).open(&path) {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!(
                    "kiosk: 审计日志 {} 无法打开，维护事件只记在内存和系统日志里：{e}",
                    path.display()
                );
                None
            }
        };
        AuditLog { path, file, recent }
    }

    /// Writes `event` at `now` (Unix seconds).
    pub fn record(&mut self, event: &AuditEvent, now: i64) {
        let line = AuditLine {
            at: now,
            event: event.code().to_string(),
            text: event.text(),
        };
        tracing::info!(target: "audit", event = event.code(), "{}", line.text);
        self.rotate_if_full();
        if let Some(f) = &mut self.file
            && let Ok(json) = serde_json::to_string(&line)
        {
            let written = writeln!(f, "{json}").and_then(|()| f.sync_data());
            if let Err(e) = written {
                eprintln!("kiosk: 审计日志写入失败：{e}");
            }
        }
        if self.recent.len() == RECENT {
            self.recent.pop_front();
        }
        self.recent.push_back(line);
    }

    /// The newest lines, newest first.
    pub fn recent(&self) -> impl Iterator<Item = &AuditLine> {
        self.recent.iter().rev()
    }

    fn rotate_if_full(&mut self) {
        let full = self
            .file
            .as_ref()
            .and_then(|f| f.metadata().ok())
            .is_some_and(|m| m.len() >= ROTATE_AT);
        if !full {
            return;
        }
        let old = self.path.with_extension("log.1");
        if let Err(e) = std::fs::rename(&self.path, &old) {
            eprintln!("kiosk: 审计日志无法轮转：{e}");
            return;
        }
        self.file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .ok();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use kiosk_core::maintenance::MenuPage;

    #[test]
    fn lines_survive_a_reopen_newest_first() {
        let dir = tempfile::tempdir().unwrap();
        let mut log = AuditLog::open(dir.path());
        log.record(&AuditEvent::PinAccepted, 10);
        log.record(&AuditEvent::PageOpened(MenuPage::Paper), 11);
        drop(log);
        let text = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.contains(r#""event":"pin.accepted""#), "{text}");
        let log = AuditLog::open(dir.path());
        let codes: Vec<_> = log.recent().map(|l| l.event.as_str()).collect();
        assert_eq!(codes, ["menu.page_opened", "pin.accepted"]);
        assert_eq!(log.recent().next().unwrap().text, "打开“打印纸”");
    }

    #[test]
    fn garbage_lines_are_skipped_and_memory_keeps_the_newest_hundred() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), "not json\n{\"at\":1}\n").unwrap();
        let mut log = AuditLog::open(dir.path());
        assert_eq!(log.recent().count(), 0);
        for i in 0..150 {
            log.record(&AuditEvent::OutboxRetry { depth: i }, i as i64);
        }
        assert_eq!(log.recent().count(), RECENT);
        assert_eq!(log.recent().next().unwrap().at, 149);
    }

    #[test]
    fn a_full_log_moves_aside() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), vec![b'x'; ROTATE_AT as usize]).unwrap();
        let mut log = AuditLog::open(dir.path());
        log.record(&AuditEvent::Left, 5);
        let old = std::fs::metadata(dir.path().join("audit.log.1")).unwrap();
        assert_eq!(old.len(), ROTATE_AT);
        let now = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert_eq!(now.lines().count(), 1);
    }

    #[test]
    fn an_unwritable_dir_keeps_events_in_memory() {
        let log_dir = Path::new("/proc/definitely/not/here");
        let mut log = AuditLog::open(log_dir);
        log.record(&AuditEvent::Left, 1);
        assert_eq!(log.recent().count(), 1);
    }
}
