//! The technician's maintenance menu, as rules without I/O: the PIN's attempt limit and
//! lockout ([`PinGuard`]), the menu's pages ([`MenuPage`]), and the one catalogue of events the
//! audit log may contain ([`AuditEvent`]).
//!
//! The app checks the PIN against its argon2 hash, keeps the audit log file and draws the
//! pages; what counts as a wrong try, how long a lock lasts and what an audit line says are
//! decided here, so they are unit tests rather than UI walks.
//!
//! Nothing in an [`AuditEvent`] can carry personal data: every variant's fields are counts,
//! device names and fixed words, and [`AuditEvent::text`] is built only from them.

/// Wrong PINs in a row that lock the menu.
pub const MAX_TRIES: u32 = 5;
/// How long a lock lasts, seconds.
pub const LOCK_SECS: i64 = 5 * 60;
/// The menu closes itself after this long without a touch, seconds (a technician who walks
/// away must not leave it open to the next citizen).
pub const IDLE_SECS: i64 = 120;
/// The hidden entry: how long the corner must be held, milliseconds.
pub const HOLD_MS: u64 = 5_000;

/// Counts wrong PINs and locks the menu after [`MAX_TRIES`] of them for [`LOCK_SECS`].
/// Exists so that guessing a 4–6 digit PIN on the screen takes years, not minutes; the app
/// stores it across restarts, so pulling the plug does not reset the count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PinGuard {
    /// Wrong PINs since the last right one or the last lock's end.
    pub failures: u32,
    /// Unix seconds until which no PIN is checked.
    pub locked_until: Option<i64>,
}

/// What one PIN attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinVerdict {
    /// The PIN was right: the menu opens.
    Accepted,
    /// Wrong; this many tries are left before the lock.
    Rejected {
        /// Tries left.
        tries_left: u32,
    },
    /// Wrong, or tried while locked: nothing is checked for this many more seconds.
    Locked {
        /// Seconds until the lock ends.
        secs_left: i64,
    },
}

impl PinGuard {
    /// Seconds left of a lock at `now` (unix seconds), or `None` when a PIN may be tried.
    /// A lock whose end has passed is forgotten here, with its failures.
    pub fn locked(&mut self, now: i64) -> Option<i64> {
        match self.locked_until {
            Some(until) if until > now => Some(until - now),
            Some(_) => {
                *self = PinGuard::default();
                None
            }
            None => None,
        }
    }

    /// Records an attempt at `now` whose PIN was `correct` (the caller checks the hash only
    /// when [`PinGuard::locked`] said it may; a call while locked is counted as locked).
    pub fn attempt(&mut self, correct: bool, now: i64) -> PinVerdict {
        if let Some(secs_left) = self.locked(now) {
            return PinVerdict::Locked { secs_left };
        }
        if correct {
            *self = PinGuard::default();
            return PinVerdict::Accepted;
        }
        self.failures += 1;
        if self.failures >= MAX_TRIES {
            self.locked_until = Some(now + LOCK_SECS);
            PinVerdict::Locked {
                secs_left: LOCK_SECS,
            }
        } else {
            PinVerdict::Rejected {
                tries_left: MAX_TRIES - self.failures,
            }
        }
    }
}

/// The menu's pages. Exists so the UI and the audit log name a page the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuPage {
    /// The PIN pad (before the menu opens).
    Pin,
    /// The list of pages.
    Main,
    /// Each device's state, counters and self-test.
    Devices,
    /// Paper: state and 已更换纸卷.
    Paper,
    /// The outbox: depth, oldest, retry now.
    Outbox,
    /// Network and county backend.
    Network,
    /// Recent audit events.
    Events,
    /// Terminal id, version, uptime, storage.
    Info,
    /// Confirm a restart of the program.
    Restart,
}

impl MenuPage {
    /// Every page a technician can go to from [`MenuPage::Main`], in menu order.
    pub const MENU: [MenuPage; 7] = [
        MenuPage::Devices,
        MenuPage::Paper,
        MenuPage::Outbox,
        MenuPage::Network,
        MenuPage::Events,
        MenuPage::Info,
        MenuPage::Restart,
    ];

    /// The page's title on screen and its button on the main page.
    pub fn title(self) -> &'static str {
        match self {
            MenuPage::Pin => "维护菜单",
            MenuPage::Main => "维护菜单",
            MenuPage::Devices => "设备状态与自检",
            MenuPage::Paper => "打印纸",
            MenuPage::Outbox => "待上传队列",
            MenuPage::Network => "网络与县级后台",
            MenuPage::Events => "最近事件",
            MenuPage::Info => "终端信息",
            MenuPage::Restart => "重启程序",
        }
    }

    /// A stable name for the audit log and the UI binding.
    pub fn code(self) -> &'static str {
        match self {
            MenuPage::Pin => "pin",
            MenuPage::Main => "main",
            MenuPage::Devices => "devices",
            MenuPage::Paper => "paper",
            MenuPage::Outbox => "outbox",
            MenuPage::Network => "network",
            MenuPage::Events => "events",
            MenuPage::Info => "info",
            MenuPage::Restart => "restart",
        }
    }

    /// The page named `code` (as [`MenuPage::code`] gives it).
    pub fn from_code(code: &str) -> Option<MenuPage> {
        [MenuPage::Pin, MenuPage::Main]
            .into_iter()
            .chain(MenuPage::MENU)
            .find(|p| p.code() == code)
    }
}

/// A device a self-test can exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestedDevice {
    /// The ID-card reader: read a card.
    CardReader,
    /// The receipt printer: a test page.
    Printer,
    /// The 高拍仪: one capture.
    Scanner,
    /// The 好差评 pad: light it and wait for a key.
    RatingPad,
}

impl TestedDevice {
    /// All of them, in the order the devices page lists them.
    pub const ALL: [TestedDevice; 4] = [
        TestedDevice::CardReader,
        TestedDevice::Printer,
        TestedDevice::Scanner,
        TestedDevice::RatingPad,
    ];

    /// The device's name on screen and in the audit log.
    pub fn label(self) -> &'static str {
        match self {
            TestedDevice::CardReader => "身份证阅读器",
            TestedDevice::Printer => "凭条打印机",
            TestedDevice::Scanner => "高拍仪",
            TestedDevice::RatingPad => "评价器",
        }
    }

    /// A stable name for the audit log and the UI binding.
    pub fn code(self) -> &'static str {
        match self {
            TestedDevice::CardReader => "card_reader",
            TestedDevice::Printer => "printer",
            TestedDevice::Scanner => "scanner",
            TestedDevice::RatingPad => "rating_pad",
        }
    }

    /// The device named `code`.
    pub fn from_code(code: &str) -> Option<TestedDevice> {
        TestedDevice::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// Every event the audit log can hold: the one catalogue in code, so a reader of the log
/// (or a county's auditor) can list what may appear, and nothing else can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditEvent {
    /// The kiosk program started.
    Started {
        /// The program's version.
        version: &'static str,
    },
    /// The hidden corner was held: the PIN pad was shown.
    EntryRequested,
    /// A right PIN: the menu opened.
    PinAccepted,
    /// A wrong PIN.
    PinRejected {
        /// Tries left before the lock.
        tries_left: u32,
    },
    /// The fifth wrong PIN: locked.
    PinLocked {
        /// For how long, seconds.
        secs: i64,
    },
    /// A PIN typed while locked (not checked).
    PinWhileLocked,
    /// No PIN hash is configured: the menu cannot open.
    PinNotConfigured,
    /// A page was opened.
    PageOpened(MenuPage),
    /// A self-test began.
    SelfTestStarted(TestedDevice),
    /// A self-test ended.
    SelfTestFinished {
        /// Which device.
        device: TestedDevice,
        /// Whether it passed.
        passed: bool,
    },
    /// 已更换纸卷: the paper counters start again.
    PaperReplaced,
    /// 立即重试: the outbox was asked to send now.
    OutboxRetry {
        /// Items waiting when asked.
        depth: u64,
    },
    /// 检测连接: the county was probed.
    BackendProbed {
        /// Whether it answered.
        reachable: bool,
    },
    /// 重启程序 was confirmed.
    RestartRequested,
    /// 退出维护.
    Left,
    /// The menu closed itself after [`IDLE_SECS`] without a touch.
    TimedOut,
    /// The nightly catalog refresh read the files again.
    CatalogChecked {
        /// They load.
        valid: bool,
        /// And differ from what runs (the kiosk restarts onto them).
        changed: bool,
    },
}

impl AuditEvent {
    /// The event's stable code (the audit line's `event` field).
    pub fn code(&self) -> &'static str {
        match self {
            AuditEvent::Started { .. } => "program.started",
            AuditEvent::EntryRequested => "menu.entry_requested",
            AuditEvent::PinAccepted => "pin.accepted",
            AuditEvent::PinRejected { .. } => "pin.rejected",
            AuditEvent::PinLocked { .. } => "pin.locked",
            AuditEvent::PinWhileLocked => "pin.while_locked",
            AuditEvent::PinNotConfigured => "pin.not_configured",
            AuditEvent::PageOpened(_) => "menu.page_opened",
            AuditEvent::SelfTestStarted(_) => "selftest.started",
            AuditEvent::SelfTestFinished { .. } => "selftest.finished",
            AuditEvent::PaperReplaced => "paper.replaced",
            AuditEvent::OutboxRetry { .. } => "outbox.retry",
            AuditEvent::BackendProbed { .. } => "backend.probed",
            AuditEvent::RestartRequested => "program.restart_requested",
            AuditEvent::Left => "menu.left",
            AuditEvent::TimedOut => "menu.timed_out",
            AuditEvent::CatalogChecked { .. } => "catalog.checked",
        }
    }

    /// What happened, in the words the technician reads on the 最近事件 page.
    pub fn text(&self) -> String {
        match self {
            AuditEvent::Started { version } => format!("程序启动（版本 {version}）"),
            AuditEvent::EntryRequested => "长按隐藏入口，显示密码键盘".into(),
            AuditEvent::PinAccepted => "维护密码正确，进入维护菜单".into(),
            AuditEvent::PinRejected { tries_left } => {
                format!("维护密码错误，还可尝试 {tries_left} 次")
            }
            AuditEvent::PinLocked { secs } => {
                format!("维护密码连续错误，锁定 {} 分钟", secs / 60)
            }
            AuditEvent::PinWhileLocked => "锁定期间输入密码（未校验）".into(),
            AuditEvent::PinNotConfigured => "未配置维护密码，无法进入".into(),
            AuditEvent::PageOpened(page) => format!("打开“{}”", page.title()),
            AuditEvent::SelfTestStarted(d) => format!("{}自检开始", d.label()),
            AuditEvent::SelfTestFinished { device, passed } => format!(
                "{}自检{}",
                device.label(),
                if *passed { "通过" } else { "未通过" }
            ),
            AuditEvent::PaperReplaced => "已更换纸卷，打印纸计数清零".into(),
            AuditEvent::OutboxRetry { depth } => {
                format!("待上传队列立即重试（{depth} 件待上传）")
            }
            AuditEvent::BackendProbed { reachable } => format!(
                "检测县级后台连接：{}",
                if *reachable { "可达" } else { "不可达" }
            ),
            AuditEvent::RestartRequested => "确认重启程序".into(),
            AuditEvent::Left => "退出维护菜单".into(),
            AuditEvent::TimedOut => "维护菜单无操作，自动退出".into(),
            AuditEvent::CatalogChecked { valid, changed } => match (valid, changed) {
                (false, _) => "夜间目录检查：配置或目录文件有误，继续使用当前目录".into(),
                (true, true) => "夜间目录检查：有新版本，重启程序加载".into(),
                (true, false) => "夜间目录检查：无变化".into(),
            },
        }
    }

    /// Every code the catalogue has, for documentation and the test that lists them.
    pub const CODES: [&'static str; 17] = [
        "program.started",
        "menu.entry_requested",
        "pin.accepted",
        "pin.rejected",
        "pin.locked",
        "pin.while_locked",
        "pin.not_configured",
        "menu.page_opened",
        "selftest.started",
        "selftest.finished",
        "paper.replaced",
        "outbox.retry",
        "backend.probed",
        "program.restart_requested",
        "menu.left",
        "menu.timed_out",
        "catalog.checked",
    ];
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn five_wrong_pins_lock_for_five_minutes_then_tries_start_again() {
        let mut g = PinGuard::default();
        for left in (1..MAX_TRIES).rev() {
            assert_eq!(
                g.attempt(false, 1000),
                PinVerdict::Rejected { tries_left: left }
            );
        }
        assert_eq!(
            g.attempt(false, 1000),
            PinVerdict::Locked { secs_left: 300 }
        );
        // even the right PIN is not taken while locked
        assert_eq!(g.attempt(true, 1100), PinVerdict::Locked { secs_left: 200 });
        assert_eq!(g.locked(1299), Some(1));
        assert_eq!(g.locked(1300), None);
        assert_eq!(g.failures, 0, "the lock's end forgets the failures");
        assert_eq!(
            g.attempt(false, 1300),
            PinVerdict::Rejected { tries_left: 4 }
        );
    }

    #[test]
    fn a_right_pin_forgets_earlier_wrong_ones() {
        let mut g = PinGuard::default();
        g.attempt(false, 0);
        g.attempt(false, 0);
        assert_eq!(g.attempt(true, 0), PinVerdict::Accepted);
        assert_eq!(g, PinGuard::default());
    }

    #[test]
    fn pages_and_devices_round_trip_their_codes() {
        for p in MenuPage::MENU
            .into_iter()
            .chain([MenuPage::Pin, MenuPage::Main])
        {
            assert_eq!(MenuPage::from_code(p.code()), Some(p));
        }
        for d in TestedDevice::ALL {
            assert_eq!(TestedDevice::from_code(d.code()), Some(d));
        }
        assert_eq!(MenuPage::from_code("nope"), None);
    }

    #[test]
    fn the_catalogue_lists_every_event_code_once() {
        let events = [
            AuditEvent::Started { version: "0" },
            AuditEvent::EntryRequested,
            AuditEvent::PinAccepted,
            AuditEvent::PinRejected { tries_left: 1 },
            AuditEvent::PinLocked { secs: 300 },
            AuditEvent::PinWhileLocked,
            AuditEvent::PinNotConfigured,
            AuditEvent::PageOpened(MenuPage::Paper),
            AuditEvent::SelfTestStarted(TestedDevice::Printer),
            AuditEvent::SelfTestFinished {
                device: TestedDevice::Printer,
                passed: true,
            },
            AuditEvent::PaperReplaced,
            AuditEvent::OutboxRetry { depth: 2 },
            AuditEvent::BackendProbed { reachable: false },
            AuditEvent::RestartRequested,
            AuditEvent::Left,
            AuditEvent::TimedOut,
            AuditEvent::CatalogChecked {
                valid: true,
                changed: false,
            },
        ];
        let codes: Vec<_> = events.iter().map(AuditEvent::code).collect();
        assert_eq!(codes, AuditEvent::CODES);
        assert_eq!(
            AuditEvent::PinLocked { secs: 300 }.text(),
            "维护密码连续错误，锁定 5 分钟"
        );
        assert_eq!(
            AuditEvent::SelfTestFinished {
                device: TestedDevice::CardReader,
                passed: false
            }
            .text(),
            "身份证阅读器自检未通过"
        );
    }
}
