//! The technician's maintenance menu (issue 8 §2), without Slint: whether it is open, which
//! page, the PIN typed so far, the lock, the paper mark and the audit log. The controller
//! feeds it touches and device results and draws it (`controller/maintenance_menu.rs`).
//!
//! What survives a restart, in `storage.dir/maintenance.json`: the PIN lock (so pulling the
//! plug does not give a guesser five more tries) and the paper mark (the printer's line and
//! cut counts when the roll was last replaced). A file that does not parse starts from
//! nothing, with a line on stderr.

pub mod audit;
pub mod pin;

use std::path::{Path, PathBuf};

use kiosk_core::maintenance::{
    AuditEvent, IDLE_SECS, MenuPage, PinGuard, PinVerdict, TestedDevice,
};

use audit::AuditLog;

/// The state file's name in `storage.dir`.
pub const STATE_FILE: &str = "maintenance.json";

/// The printer's counts when the paper roll was last replaced, so the menu can show what
/// was printed on this roll.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PaperMark {
    /// Unix seconds of 已更换纸卷 (0: never).
    pub replaced_at: i64,
    /// Lines printed at that moment (since the program started).
    pub lines: u64,
    /// Cuts at that moment.
    pub cuts: u64,
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
struct Saved {
    failures: u32,
    locked_until: Option<i64>,
    paper: PaperMark,
}

/// A self-test's state as the devices page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestState {
    /// Started; waiting for the device (the text says for what).
    Waiting(String),
    /// Done.
    Finished {
        /// Whether it passed.
        passed: bool,
        /// What came of it.
        text: String,
    },
}

/// The maintenance menu's state. Exists so the PIN rules, the idle close and the audit trail
/// are one testable object, and the controller only carries effects out.
#[derive(Debug)]
pub struct Menu {
    pin_hash: Option<String>,
    state_path: PathBuf,
    guard: PinGuard,
    paper: PaperMark,
    audit: AuditLog,
    open: bool,
    page: MenuPage,
    typed: String,
    message: String,
    last_touch: i64,
    tests: [Option<TestState>; 4],
}

impl Menu {
    /// The menu of a terminal whose storage is `dir` and whose PIN hash is `pin_hash`.
    pub fn new(dir: &Path, pin_hash: Option<String>) -> Menu {
        let state_path = dir.join(STATE_FILE);
        let saved = match std::fs::read(&state_path) {
            Ok(bytes) => serde_json::from_slice::<Saved>(&bytes).unwrap_or_else(|e| {
                eprintln!(
                    "kiosk: {} 无法解析，维护锁定和纸卷记录从头开始：{e}",
                    state_path.display()
                );
                Saved::default()
            }),
            Err(_) => Saved::default(),
        };
        Menu {
            pin_hash,
            state_path,
            guard: PinGuard {
                failures: saved.failures,
                locked_until: saved.locked_until,
            },
            paper: saved.paper,
            audit: AuditLog::open(dir),
            open: false,
            page: MenuPage::Pin,
            typed: String::new(),
            message: String::new(),
            last_touch: 0,
            tests: Default::default(),
        }
    }

    /// Whether the menu (or its PIN pad) covers the kiosk.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Whether a technician got past the PIN.
    pub fn unlocked(&self) -> bool {
        self.open && self.page != MenuPage::Pin
    }

    /// The page shown.
    pub fn page(&self) -> MenuPage {
        self.page
    }

    /// One ● per digit typed.
    pub fn dots(&self) -> String {
        "●".repeat(self.typed.chars().count())
    }

    /// What the pad or the page has to say.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The newest audit lines, newest first.
    pub fn recent_events(&self) -> impl Iterator<Item = &audit::AuditLine> {
        self.audit.recent()
    }

    /// The paper mark.
    pub fn paper(&self) -> PaperMark {
        self.paper
    }

    /// The last self-test of `device`.
    pub fn test(&self, device: TestedDevice) -> Option<&TestState> {
        self.tests[device as usize].as_ref()
    }

    /// Whether the self-test of `device` is waiting for it.
    pub fn waiting(&self, device: TestedDevice) -> bool {
        matches!(self.test(device), Some(TestState::Waiting(_)))
    }

    /// Writes `event` to the audit log.
    pub fn audit(&mut self, event: AuditEvent, now: i64) {
        self.audit.record(&event, now);
    }

    /// The hidden corner was held: shows the PIN pad.
    pub fn request_entry(&mut self, now: i64) {
        if self.open {
            return;
        }
        self.open = true;
        self.page = MenuPage::Pin;
        self.typed.clear();
        self.last_touch = now;
        self.message = match (&self.pin_hash, self.guard.locked(now)) {
            (None, _) => {
                self.audit(AuditEvent::PinNotConfigured, now);
                "本终端未配置维护密码（kiosk.toml 的 [maintenance] pin_hash），无法进入维护菜单。"
                    .into()
            }
            (Some(_), Some(secs)) => locked_text(secs),
            (Some(_), None) => String::new(),
        };
        if self.pin_hash.is_some() {
            self.audit(AuditEvent::EntryRequested, now);
        }
    }

    /// A digit on the PIN pad.
    pub fn key(&mut self, digit: &str, now: i64) {
        self.last_touch = now;
        if self.page == MenuPage::Pin
            && self.typed.chars().count() < pin::MAX_DIGITS
            && digit.len() == 1
            && digit.bytes().all(|b| b.is_ascii_digit())
        {
            self.typed.push_str(digit);
        }
    }

    /// 删除 on the PIN pad.
    pub fn backspace(&mut self, now: i64) {
        self.last_touch = now;
        self.typed.pop();
    }

    /// 确认 on the PIN pad: checks the PIN (unless locked) and opens the menu or says why not.
    pub fn submit(&mut self, now: i64) -> Option<PinVerdict> {
        self.last_touch = now;
        if self.page != MenuPage::Pin {
            return None;
        }
        let typed = std::mem::take(&mut self.typed);
        let hash = self.pin_hash.clone()?;
        if typed.is_empty() {
            return None;
        }
        let verdict = if self.guard.locked(now).is_some() {
            self.audit(AuditEvent::PinWhileLocked, now);
            self.guard.attempt(false, now)
        } else {
            let verdict = self.guard.attempt(pin::verify_pin(&typed, &hash), now);
            self.audit(
                match verdict {
                    PinVerdict::Accepted => AuditEvent::PinAccepted,
                    PinVerdict::Rejected { tries_left } => AuditEvent::PinRejected { tries_left },
                    PinVerdict::Locked { secs_left } => AuditEvent::PinLocked { secs: secs_left },
                },
                now,
            );
            verdict
        };
        self.message = match verdict {
            PinVerdict::Accepted => {
                self.page = MenuPage::Main;
                String::new()
            }
            PinVerdict::Rejected { tries_left } => {
                format!("密码错误，还可尝试 {tries_left} 次。")
            }
            PinVerdict::Locked { secs_left } => locked_text(secs_left),
        };
        self.save();
        Some(verdict)
    }

    /// Goes to `page` (only once the PIN was accepted).
    pub fn go(&mut self, page: MenuPage, now: i64) {
        self.last_touch = now;
        if !self.unlocked() || page == MenuPage::Pin {
            return;
        }
        self.page = page;
        self.message.clear();
        if page != MenuPage::Main {
            self.audit(AuditEvent::PageOpened(page), now);
        }
    }

    /// Sets the page's message (a result the technician should read).
    pub fn say(&mut self, message: impl Into<String>) {
        self.message = message.into();
    }

    /// A touch on a page that is not one of the above (keeps the menu from closing).
    pub fn touched(&mut self, now: i64) {
        self.last_touch = now;
    }

    /// 退出维护 (or 取消 on the PIN pad).
    pub fn leave(&mut self, now: i64) {
        if !self.open {
            return;
        }
        if self.unlocked() {
            self.audit(AuditEvent::Left, now);
        }
        self.close();
    }

    /// Closes the menu after [`IDLE_SECS`] without a touch; returns whether it did.
    pub fn tick(&mut self, now: i64) -> bool {
        if self.open && now - self.last_touch >= IDLE_SECS {
            if self.unlocked() {
                self.audit(AuditEvent::TimedOut, now);
            }
            self.close();
            return true;
        }
        false
    }

    /// A self-test of `device` began; `waiting` says what it waits for.
    pub fn test_started(&mut self, device: TestedDevice, waiting: &str, now: i64) {
        self.last_touch = now;
        self.tests[device as usize] = Some(TestState::Waiting(waiting.into()));
        self.audit(AuditEvent::SelfTestStarted(device), now);
    }

    /// A self-test of `device` ended.
    pub fn test_finished(&mut self, device: TestedDevice, passed: bool, text: &str, now: i64) {
        self.tests[device as usize] = Some(TestState::Finished {
            passed,
            text: text.into(),
        });
        self.audit(AuditEvent::SelfTestFinished { device, passed }, now);
    }

    /// 已更换纸卷 with the printer's counts now.
    pub fn paper_replaced(&mut self, lines: u64, cuts: u64, now: i64) {
        self.last_touch = now;
        self.paper = PaperMark {
            replaced_at: now,
            lines,
            cuts,
        };
        self.audit(AuditEvent::PaperReplaced, now);
        self.save();
    }

    /// The printer's counters restart at zero with the program: a mark above them is from
    /// before the restart, and counts from zero now.
    pub fn paper_since(&self, lines: u64, cuts: u64) -> (u64, u64) {
        if lines < self.paper.lines || cuts < self.paper.cuts {
            (lines, cuts)
        } else {
            (lines - self.paper.lines, cuts - self.paper.cuts)
        }
    }

    fn close(&mut self) {
        self.open = false;
        self.page = MenuPage::Pin;
        self.typed.clear();
        self.message.clear();
        self.tests = Default::default();
    }

    fn save(&self) {
        let saved = Saved {
            failures: self.guard.failures,
            locked_until: self.guard.locked_until,
            paper: self.paper,
        };
        let written = serde_json::to_vec(&saved)
            .map_err(std::io::Error::other)
            .and_then(|bytes| crate::durable::write_file(&self.state_path, &bytes));
        if let Err(e) = written {
            eprintln!(
                "kiosk: 维护状态无法保存到 {}：{e}",
                self.state_path.display()
            );
        }
    }
}

fn locked_text(secs: i64) -> String {
    format!(
        "密码连续错误次数过多，已锁定。请 {} 分 {:02} 秒后再试。",
        secs / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn menu(dir: &Path) -> Menu {
        Menu::new(dir, Some(pin::hash_pin("246810").unwrap()))
    }

    fn type_pin(m: &mut Menu, pin: &str, now: i64) -> Option<PinVerdict> {
        for c in pin.chars() {
            m.key(&c.to_string(), now);
        }
        m.submit(now)
    }

    #[test]
    fn the_right_pin_opens_the_menu_and_pages_are_audited() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = menu(dir.path());
        m.request_entry(100);
        assert!(m.is_open() && !m.unlocked());
        m.go(MenuPage::Paper, 100);
        assert_eq!(m.page(), MenuPage::Pin, "no page before the PIN");
        m.key("2", 100);
        assert_eq!(m.dots(), "●");
        m.backspace(100);
        assert_eq!(type_pin(&mut m, "246810", 101), Some(PinVerdict::Accepted));
        assert_eq!(m.page(), MenuPage::Main);
        m.go(MenuPage::Paper, 102);
        m.leave(103);
        assert!(!m.is_open());
        let codes: Vec<_> = m.recent_events().map(|l| l.event.clone()).collect();
        assert_eq!(
            codes,
            [
                "menu.left",
                "menu.page_opened",
                "pin.accepted",
                "menu.entry_requested"
            ]
        );
    }

    #[test]
    fn five_wrong_pins_lock_across_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = menu(dir.path());
        m.request_entry(0);
        for _ in 0..4 {
            assert!(matches!(
                type_pin(&mut m, "111111", 0),
                Some(PinVerdict::Rejected { .. })
            ));
        }
        assert_eq!(
            type_pin(&mut m, "111111", 0),
            Some(PinVerdict::Locked { secs_left: 300 })
        );
        assert!(m.message().contains("已锁定"), "{}", m.message());
        drop(m);
        // the plug pulled and back: still locked, the right PIN is not even checked
        let mut m = menu(dir.path());
        m.request_entry(60);
        assert!(m.message().contains("4 分 00 秒"), "{}", m.message());
        assert_eq!(
            type_pin(&mut m, "246810", 60),
            Some(PinVerdict::Locked { secs_left: 240 })
        );
        assert_eq!(m.recent_events().next().unwrap().event, "pin.while_locked");
        assert_eq!(type_pin(&mut m, "246810", 300), Some(PinVerdict::Accepted));
    }

    #[test]
    fn without_a_pin_hash_the_menu_says_so_and_never_opens() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Menu::new(dir.path(), None);
        m.request_entry(0);
        assert!(m.message().contains("未配置维护密码"));
        assert_eq!(type_pin(&mut m, "246810", 0), None);
        assert!(!m.unlocked());
    }

    #[test]
    fn the_menu_closes_itself_when_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = menu(dir.path());
        m.request_entry(0);
        type_pin(&mut m, "246810", 0);
        assert!(!m.tick(IDLE_SECS - 1));
        m.touched(IDLE_SECS - 1);
        assert!(!m.tick(IDLE_SECS + 10));
        assert!(m.tick(2 * IDLE_SECS));
        assert!(!m.is_open());
        assert_eq!(m.recent_events().next().unwrap().event, "menu.timed_out");
    }

    #[test]
    fn the_paper_mark_survives_and_counts_from_the_replacement() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = menu(dir.path());
        m.paper_replaced(500, 20, 1000);
        assert_eq!(m.paper_since(620, 25), (120, 5));
        drop(m);
        let m = menu(dir.path());
        assert_eq!(m.paper().replaced_at, 1000);
        // after a restart the printer counts from zero again
        assert_eq!(m.paper_since(30, 2), (30, 2));
    }

    #[test]
    fn a_corrupt_state_file_starts_from_nothing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(STATE_FILE), b"{broken").unwrap();
        let mut m = menu(dir.path());
        m.request_entry(0);
        assert_eq!(m.message(), "");
        assert_eq!(type_pin(&mut m, "246810", 0), Some(PinVerdict::Accepted));
    }

    #[test]
    fn self_tests_wait_then_finish() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = menu(dir.path());
        m.test_started(TestedDevice::Printer, "正在打印测试页…", 0);
        assert!(m.waiting(TestedDevice::Printer));
        assert!(!m.waiting(TestedDevice::CardReader));
        m.test_finished(TestedDevice::Printer, true, "测试页已打印", 1);
        assert!(!m.waiting(TestedDevice::Printer));
        assert_eq!(
            m.test(TestedDevice::Printer),
            Some(&TestState::Finished {
                passed: true,
                text: "测试页已打印".into()
            })
        );
    }
}
