//! The controller's side of the maintenance menu: connects `MaintenanceAdapter`'s callbacks to
//! [`crate::maintenance::Menu`] and to the devices (self-tests, paper, outbox, county probe,
//! restart), and draws the menu's pages from the devices' live state.
//!
//! While the menu is open the citizen session stays on the attract screen (the only screen
//! with the hidden entry), card reads and pad keys go to the self-tests, and the printer's
//! test page has a job id of its own, so nothing here reaches the session.

use std::sync::atomic::Ordering;

use kiosk_core::maintenance::{AuditEvent, MenuPage, TestedDevice};
use kiosk_core::session::{Device, DeviceHealth, PrintFailure, PrintReport, PrintResult};
use slint::{ComponentHandle, ModelRc, VecModel};

use super::Controller;
use crate::backend::service::BackendService;
use crate::devices::rating_pad::{Level, RatingPad};
use crate::maintenance::TestState;
use crate::ui::{AppWindow, MaintDevice, MaintEntry, MaintenanceAdapter, Row};

/// Job ids of test pages start with this, so their end goes to the menu, not the session.
pub const TEST_PAGE_PREFIX: &str = "SELFTEST-";

/// Set when 确认重启 was pressed: `kiosk run` exits with [`RESTART_EXIT_CODE`] once the event
/// loop has stopped, and systemd (`Restart=always`) starts it again.
pub static RESTART_REQUESTED: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);
/// The exit status of a restart asked for in the menu (EX_TEMPFAIL), so the journal tells it
/// from a crash.
pub const RESTART_EXIT_CODE: u8 = 75;

fn now() -> i64 {
    county::signing::unix_now()
}

fn health_word(h: DeviceHealth) -> &'static str {
    match h {
        DeviceHealth::Ready => "正常",
        DeviceHealth::Degraded => "降级",
        DeviceHealth::Fault => "故障",
    }
}

fn row(label: &str, value: impl Into<slint::SharedString>) -> Row {
    Row {
        label: label.into(),
        value: value.into(),
    }
}

fn ago(secs: i64) -> String {
    match secs {
        s if s < 60 => format!("{s} 秒前"),
        s if s < 3600 => format!("{} 分钟前", s / 60),
        s => format!("{} 小时 {} 分钟前", s / 3600, (s % 3600) / 60),
    }
}

impl Controller {
    /// Connects the menu's callbacks (from `connect`).
    pub(super) fn connect_maintenance(&self, app: &AppWindow) {
        let m = app.global::<MaintenanceAdapter>();
        let with = |f: fn(&Controller)| {
            let w = self.this.clone();
            move || {
                if let Some(c) = w.upgrade() {
                    f(&c);
                    c.project_maintenance();
                }
            }
        };
        m.on_corner_held(with(|c| {
            // only over the attract screen: a citizen mid-matter is never interrupted
            let on_attract =
                c.with_session(|s| s.screen().kind() == kiosk_core::session::ScreenKind::Attract);
            if on_attract {
                c.state.borrow_mut().menu.request_entry(now());
            }
        }));
        m.on_pin_backspace(with(|c| c.state.borrow_mut().menu.backspace(now())));
        m.on_pin_submit(with(|c| {
            c.state.borrow_mut().menu.submit(now());
        }));
        m.on_paper_replaced(with(Controller::paper_replaced));
        m.on_retry_outbox(with(Controller::retry_outbox));
        m.on_probe_backend(with(Controller::probe_backend));
        m.on_restart(with(Controller::restart));
        m.on_leave(with(|c| c.state.borrow_mut().menu.leave(now())));
        let w = self.this.clone();
        m.on_pin_key(move |digit| {
            if let Some(c) = w.upgrade() {
                c.state.borrow_mut().menu.key(&digit, now());
                c.project_maintenance();
            }
        });
        let w = self.this.clone();
        m.on_go(move |code| {
            if let Some(c) = w.upgrade() {
                if let Some(page) = MenuPage::from_code(&code) {
                    c.state.borrow_mut().menu.go(page, now());
                    if page == MenuPage::Outbox {
                        // a fresh reading, off the UI thread (the sender may hold the outbox)
                        let ops = c.ops.clone();
                        std::thread::spawn(move || ops.take_sample());
                    }
                }
                c.project_maintenance();
            }
        });
        let w = self.this.clone();
        m.on_self_test(move |code| {
            if let Some(c) = w.upgrade() {
                if let Some(device) = TestedDevice::from_code(&code) {
                    c.self_test(device);
                }
                c.project_maintenance();
            }
        });
    }

    fn self_test(&self, device: TestedDevice) {
        let mut state = self.state.borrow_mut();
        if !state.menu.unlocked() {
            return;
        }
        let t = now();
        match device {
            TestedDevice::CardReader => {
                state
                    .menu
                    .test_started(device, "请把一张身份证放在感应区……", t);
            }
            TestedDevice::Printer => {
                state.menu.test_started(device, "正在打印测试页……", t);
                let id = format!("{TEST_PAGE_PREFIX}{t}");
                state.printer.print_test_page(&id);
            }
            TestedDevice::RatingPad => match &state.pad {
                Some(pad) => {
                    pad.invite();
                    state
                        .menu
                        .test_started(device, "评价器已点亮，请按评价器上任意一个键……", t);
                }
                None => state.menu.say("本终端未配置评价器。"),
            },
            TestedDevice::Scanner => match state.camera.as_ref().map(|c| c.capture()) {
                Some(id) => {
                    state.camera_test = Some(id);
                    state.menu.test_started(device, "正在拍摄……", t);
                }
                None => state
                    .menu
                    .say("本终端未配置高拍仪（devices.scanner = \"none\"）。"),
            },
        }
    }

    /// A printer job ended: a test page's end goes to the menu (returns true), any other
    /// job's to the session.
    pub(super) fn maintenance_print_finished(&self, report: &PrintReport) -> bool {
        if !report.id.starts_with(TEST_PAGE_PREFIX) {
            return false;
        }
        let (passed, text) = match &report.result {
            PrintResult::Printed => (true, "测试页已打印，请检查字迹、二维码和切纸。".to_string()),
            PrintResult::PrintedPaperLow => {
                (true, "测试页已打印；纸将用尽，请准备更换纸卷。".to_string())
            }
            PrintResult::Failed(f) => (
                false,
                format!(
                    "测试页未能打印：{}",
                    match f {
                        PrintFailure::PaperOut => "缺纸",
                        PrintFailure::CoverOpen => "纸仓盖未关",
                        PrintFailure::NoAnswer => "打印机无应答",
                        PrintFailure::PrinterError => "打印机故障",
                    }
                ),
            ),
        };
        self.state
            .borrow_mut()
            .menu
            .test_finished(TestedDevice::Printer, passed, &text, now());
        self.project_maintenance();
        true
    }

    /// A card-reader event while the menu is open: the card test's result. Nothing of the
    /// card is shown or kept: only that it read and checked.
    pub(super) fn maintenance_reader_event(&self, event: &idcard::driver::ReaderEvent) {
        use idcard::driver::ReaderEvent;
        let mut state = self.state.borrow_mut();
        if !state.menu.waiting(TestedDevice::CardReader) {
            return;
        }
        let (passed, text) = match event {
            ReaderEvent::CardPresented(card) => (
                true,
                if crate::devices::card_reader::identity_of(card).is_some() {
                    "读卡成功，证件信息校验通过（不显示、不保存）。"
                } else {
                    "读到了卡，但证件信息校验未通过，请换一张卡再试。"
                }
                .to_string(),
            ),
            ReaderEvent::ReadFailed(_) => (false, "有卡但读卡失败，请把卡放平再试。".into()),
            _ => return,
        };
        state
            .menu
            .test_finished(TestedDevice::CardReader, passed, &text, now());
    }

    /// A still (or why it failed) for the menu's 拍摄测试: returns true when it was the
    /// test's, so the citizen's capture never sees it.
    pub(super) fn maintenance_still(&self, id: u64, still: Result<&scanner::Frame, &str>) -> bool {
        let mut state = self.state.borrow_mut();
        if state.camera_test != Some(id) {
            return false;
        }
        state.camera_test = None;
        let (passed, text) = match still {
            Ok(frame) => (
                true,
                format!(
                    "拍摄成功：{}×{}，{:?}，{} KB。",
                    frame.width,
                    frame.height,
                    frame.format,
                    frame.data.len() / 1024
                ),
            ),
            Err(error) => (false, format!("拍摄失败：{error}")),
        };
        state
            .menu
            .test_finished(TestedDevice::Scanner, passed, &text, now());
        true
    }

    /// A pad key while the menu is open: the pad test's result (returns true when taken).
    pub(super) fn maintenance_pad_key(&self, level: Level) -> bool {
        let mut state = self.state.borrow_mut();
        if !state.menu.is_open() {
            return false;
        }
        if state.menu.waiting(TestedDevice::RatingPad) {
            let text = format!("收到评价器按键：{}。", level.label());
            state
                .menu
                .test_finished(TestedDevice::RatingPad, true, &text, now());
            if let Some(pad) = &state.pad {
                pad.thanks(level);
            }
        }
        true
    }

    fn paper_replaced(&self) {
        let mut state = self.state.borrow_mut();
        if !state.menu.unlocked() {
            return;
        }
        let c = state.printer.counters();
        state.menu.paper_replaced(c.lines, c.cuts, now());
        state.menu.say("已记录更换纸卷，本卷打印计数从零开始。");
    }

    fn retry_outbox(&self) {
        let depth = self.ops.sample().outbox.and_then(|o| o.depth).unwrap_or(0);
        let mut state = self.state.borrow_mut();
        if !state.menu.unlocked() {
            return;
        }
        state.menu.audit(AuditEvent::OutboxRetry { depth }, now());
        match &state.backend {
            Some(b) => {
                b.retry_now();
                state.menu.say("已开始重新上传，稍后刷新查看剩余件数。");
            }
            None => state
                .menu
                .say("待上传队列没有启动（存储不可用），无法重试。"),
        }
        let ops = self.ops.clone();
        self.later(std::time::Duration::from_secs(2), move |c| {
            let o = ops.clone();
            std::thread::spawn(move || o.take_sample());
            c.project_maintenance();
        });
    }

    fn probe_backend(&self) {
        let mut state = self.state.borrow_mut();
        if !state.menu.unlocked() {
            return;
        }
        let Some(backend) = &state.backend else {
            state.menu.say("县级后台没有启动（存储不可用）。");
            return;
        };
        let devices = [
            ("card_reader", state.session.device(Device::CardReader)),
            ("printer", state.session.device(Device::Printer)),
        ]
        .into_iter()
        .map(|(k, h)| {
            let word = match h {
                DeviceHealth::Ready => "ready",
                DeviceHealth::Degraded => "degraded",
                DeviceHealth::Fault => "fault",
            };
            (k.to_string(), word.to_string())
        })
        .collect();
        let heartbeat = county::api::Heartbeat {
            version: env!("CARGO_PKG_VERSION").into(),
            uptime_secs: self.ops.started.elapsed().as_secs(),
            devices,
            outbox_depth: self.ops.sample().outbox.and_then(|o| o.depth).unwrap_or(0),
        };
        state.probe = Some(BackendService::probe_county(backend, heartbeat));
        state.menu.say("正在检测县级后台连接……");
    }

    /// Takes the county probe's answer, if it came (from the reader poll).
    pub(super) fn poll_probe(&self) {
        let answer = {
            let state = self.state.borrow();
            match &state.probe {
                Some(rx) => match rx.try_recv() {
                    Ok(a) => a,
                    Err(std::sync::mpsc::TryRecvError::Empty) => return,
                    Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                        Err("检测线程意外结束".into())
                    }
                },
                None => return,
            }
        };
        let mut state = self.state.borrow_mut();
        state.probe = None;
        let t = now();
        state.menu.audit(
            AuditEvent::BackendProbed {
                reachable: answer.is_ok(),
            },
            t,
        );
        let text = match answer {
            Ok(a) => {
                let drift = a.server_time - t;
                format!(
                    "县级后台可达，往返 {} 毫秒；目录版本 {}；时钟差 {} 秒。",
                    a.millis, a.catalog_version, drift
                )
            }
            Err(e) => format!("县级后台不可达：{e}"),
        };
        state.probe_result = Some(text.clone());
        state.menu.say(text);
        drop(state);
        self.project_maintenance();
    }

    fn restart(&self) {
        let mut state = self.state.borrow_mut();
        if !state.menu.unlocked() {
            return;
        }
        state.menu.audit(AuditEvent::RestartRequested, now());
        RESTART_REQUESTED.store(true, Ordering::SeqCst);
        let _ = slint::quit_event_loop();
    }

    /// Closes the menu after its idle time (from the tick).
    pub(super) fn maintenance_tick(&self) {
        let closed = self.state.borrow_mut().menu.tick(now());
        if closed || self.state.borrow().menu.is_open() {
            self.project_maintenance();
        }
    }

    /// Draws the menu into `MaintenanceAdapter`.
    pub(super) fn project_maintenance(&self) {
        let Some(app) = self.app.upgrade() else {
            return;
        };
        let m = app.global::<MaintenanceAdapter>();
        let state = self.state.borrow();
        let menu = &state.menu;
        m.set_open(menu.is_open());
        if !menu.is_open() {
            return;
        }
        let page = menu.page();
        m.set_page(page.code().into());
        m.set_title(page.title().into());
        m.set_pin_dots(menu.dots().into());
        m.set_message(menu.message().into());
        if page == MenuPage::Main {
            let entries = MenuPage::MENU
                .iter()
                .map(|p| MaintEntry {
                    code: p.code().into(),
                    title: p.title().into(),
                })
                .collect();
            update(m.get_menu(), entries, |v| m.set_menu(v));
        }
        let rows: Vec<Row> = match page {
            MenuPage::Paper => self.paper_rows(),
            MenuPage::Outbox => self.outbox_rows(),
            MenuPage::Network => self.network_rows(),
            MenuPage::Info => self.info_rows(),
            MenuPage::Restart => vec![row(
                "说明",
                "程序将退出并由系统服务自动重新启动，约需 10 秒；期间终端不能办理业务。已受理的业务不会丢失。",
            )],
            _ => Vec::new(),
        };
        update(m.get_rows(), rows, |v| m.set_rows(v));
        if page == MenuPage::Devices {
            update(m.get_devices(), self.device_rows(), |v| m.set_devices(v));
        }
        if page == MenuPage::Events {
            update(
                m.get_events(),
                menu.recent_events()
                    .map(|l| {
                        row(
                            &kiosk_core::clock::BeijingTime::from_unix(l.at).display(),
                            l.text.as_str(),
                        )
                    })
                    .collect(),
                |v| m.set_events(v),
            );
        }
    }

    fn device_rows(&self) -> Vec<MaintDevice> {
        let state = self.state.borrow();
        let result = |d: TestedDevice| match state.menu.test(d) {
            Some(TestState::Waiting(t)) => t.clone(),
            Some(TestState::Finished { passed, text }) => {
                format!("{}：{text}", if *passed { "通过" } else { "未通过" })
            }
            None => String::new(),
        };
        let r = state.reader.counters();
        let p = state.printer.counters();
        let pad = state.pad.as_ref().and_then(RatingPad::counters);
        TestedDevice::ALL
            .into_iter()
            .map(|d| {
                let (status, detail, test) = match d {
                    TestedDevice::CardReader => (
                        health_word(state.session.device(Device::CardReader)).to_string(),
                        format!(
                            "读卡成功 {}，失败 {}，校验错 {}，超时 {}，重连 {}",
                            r.reads_ok, r.reads_failed, r.checksum_errors, r.timeouts, r.reconnects
                        ),
                        "读卡测试",
                    ),
                    TestedDevice::Printer => (
                        health_word(state.session.device(Device::Printer)).to_string(),
                        format!(
                            "{}；打印 {} 单（失败 {}），{} 行，切纸 {} 次，通信错误 {}，重连 {}",
                            printer_status_text(&state.printer.status()),
                            p.jobs,
                            p.jobs_failed,
                            p.lines,
                            p.cuts,
                            p.errors,
                            p.reconnects
                        ),
                        "打印测试页",
                    ),
                    TestedDevice::Scanner => match &state.camera {
                        None => (
                            "未配置".to_string(),
                            "本终端未配置高拍仪（devices.scanner = \"none\"）。".to_string(),
                            "",
                        ),
                        Some(camera) => {
                            let c = camera.counters();
                            (
                                match camera.health() {
                                    scanner::Health::Ready | scanner::Health::Busy => "正常",
                                    scanner::Health::Disconnected => "未连接",
                                    scanner::Health::Fault(_) => "故障",
                                }
                                .to_string(),
                                format!(
                                    "拍摄 {}（失败 {}），帧 {}（坏帧 {}），重连 {}{}",
                                    c.captures,
                                    c.capture_failures,
                                    c.frames,
                                    c.errors,
                                    c.reconnects,
                                    if camera.sim().is_some() {
                                        "（模拟高拍仪）"
                                    } else {
                                        ""
                                    }
                                ),
                                "拍摄测试",
                            )
                        }
                    },
                    TestedDevice::RatingPad => match (&state.pad, pad) {
                        (None, _) => (
                            "未配置".to_string(),
                            "本终端未配置评价器，屏幕评价照常。".into(),
                            "",
                        ),
                        (Some(p), c) => (
                            health_word(state.pad_health).to_string(),
                            match c {
                                Some(c) => format!(
                                    "按键 {}（重复 {}），帧 {}（坏帧 {}），重连 {}",
                                    c.keys, c.duplicate_keys, c.frames, c.bad_frames, c.reconnects
                                ),
                                None if p.is_keyboard() => "键盘式评价器（无计数）".into(),
                                None => String::new(),
                            },
                            "评价器测试",
                        ),
                    },
                };
                MaintDevice {
                    code: d.code().into(),
                    name: d.label().into(),
                    state: status.into(),
                    detail: detail.into(),
                    test_label: test.into(),
                    result: result(d).into(),
                }
            })
            .collect()
    }

    fn paper_rows(&self) -> Vec<Row> {
        let state = self.state.borrow();
        let c = state.printer.counters();
        let (lines, cuts) = state.menu.paper_since(c.lines, c.cuts);
        let mark = state.menu.paper();
        vec![
            row("纸张状态", printer_status_text(&state.printer.status())),
            row(
                "上次更换纸卷",
                if mark.replaced_at == 0 {
                    "未记录".to_string()
                } else {
                    kiosk_core::clock::BeijingTime::from_unix(mark.replaced_at).display()
                },
            ),
            row("本卷已打印", format!("{lines} 行，切纸 {cuts} 次")),
            row(
                "纸将尽 / 缺纸次数",
                format!(
                    "{} / {}（本次运行）",
                    c.paper_low_events, c.paper_out_events
                ),
            ),
        ]
    }

    fn outbox_rows(&self) -> Vec<Row> {
        let sample = self.ops.sample();
        let t = now();
        match sample.outbox {
            None if self.state.borrow().backend.is_none() => {
                vec![row("待上传队列", "没有启动（存储不可用）")]
            }
            None => vec![row("待上传队列", "读取中……")],
            Some(o) => vec![
                row(
                    "待上传件数",
                    o.depth.map_or("无法读取".to_string(), |d| d.to_string()),
                ),
                row(
                    "最早一件",
                    o.oldest_created
                        .map_or("无".to_string(), |c| ago((t - c).max(0))),
                ),
                row(
                    "县级后台上次应答",
                    self.ops
                        .probe
                        .as_ref()
                        .and_then(|p| p.last_contact())
                        .map_or("本次运行尚无".to_string(), |c| ago((t - c).max(0))),
                ),
            ],
        }
    }

    fn network_rows(&self) -> Vec<Row> {
        let state = self.state.borrow();
        let setup = state.session.setup();
        let t = &setup.terminal;
        let mut rows = vec![
            row(
                "后台方式",
                match t.backend_mode {
                    kiosk_core::terminal::BackendMode::Embedded => "内置演示后台",
                    kiosk_core::terminal::BackendMode::Remote => "县级后台（远程）",
                },
            ),
            row(
                "后台地址",
                t.backend_url.clone().unwrap_or_else(|| "（内置）".into()),
            ),
            row(
                "上次应答",
                self.ops
                    .probe
                    .as_ref()
                    .and_then(|p| p.last_contact())
                    .map_or("本次运行尚无".to_string(), |c| ago((now() - c).max(0))),
            ),
        ];
        if let Some(r) = &state.probe_result {
            rows.push(row("上次检测", r.as_str()));
        }
        rows
    }

    fn info_rows(&self) -> Vec<Row> {
        let state = self.state.borrow();
        let setup = state.session.setup();
        let t = &setup.terminal;
        let up = self.ops.started.elapsed().as_secs();
        let free = self
            .ops
            .sample()
            .free_bytes
            .map_or("未知".to_string(), |b| format!("{} MB", b / 1_000_000));
        vec![
            row("终端编号", t.id.as_str()),
            row("终端名称", t.name.as_str()),
            row("所属县区", t.county.as_str()),
            row("程序版本", env!("CARGO_PKG_VERSION")),
            row(
                "已运行",
                format!(
                    "{} 天 {} 小时 {} 分",
                    up / 86_400,
                    up % 86_400 / 3600,
                    up % 3600 / 60
                ),
            ),
            row(
                "事项目录",
                format!(
                    "{}（版本 {}），本终端提供 {} 项",
                    setup.catalog.name,
                    setup.catalog.version,
                    t.offered.len()
                ),
            ),
            row("数据目录", t.storage_dir.as_str()),
            row("可用空间", free),
            row("运维接口", format!("{}", t.ops.listen)),
        ]
    }
}

/// Sets a model property to `items` only when they differ from what it shows: the menu is
/// redrawn every reader poll (50 ms), and a fresh model each time would rebuild its elements.
fn update<T: Clone + PartialEq + 'static>(
    current: ModelRc<T>,
    items: Vec<T>,
    set: impl FnOnce(ModelRc<T>),
) {
    use slint::Model;
    if current.row_count() != items.len() || current.iter().zip(&items).any(|(a, b)| a != *b) {
        set(ModelRc::new(VecModel::from(items)));
    }
}

/// The printer's full status in the technician's words.
fn printer_status_text(h: &printer::status::Health) -> String {
    use printer::status::{Fault, Health};
    match h {
        Health::Ready => "纸充足，就绪".into(),
        Health::PaperNearEnd => "纸将尽".into(),
        Health::Unknown => "状态未知（无应答）".into(),
        Health::Fault(faults) => faults
            .iter()
            .map(|f| match f {
                Fault::CoverOpen => "盖未关",
                Fault::PaperOut => "缺纸",
                Fault::Cutter => "切刀故障",
                Fault::Unrecoverable => "不可恢复的故障（需断电重启或维修）",
                Fault::AutoRecoverable => "打印头过热（自动恢复）",
                Fault::Recoverable => "可恢复的故障（如卡纸）",
                Fault::Offline => "脱机",
            })
            .collect::<Vec<_>>()
            .join("，"),
    }
}
