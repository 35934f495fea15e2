//! The technician's maintenance menu (issue 8 §2), headless through the UI: the hidden
//! corner, the PIN and its lock, each page, each self-test against the simulated devices, and
//! the audit log they leave — with nothing of a citizen in it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use kiosk_app::ui::{AppState, AppWindow, DevDock, MaintenanceAdapter, ScreenId};
use slint::ComponentHandle;
use slint::platform::{PointerEventButton, WindowEvent};
use std::time::Duration;

fn press_corner(app: &AppWindow, hold: Duration) {
    let position = slint::LogicalPosition::new(20.0, 20.0);
    app.window().dispatch_event(WindowEvent::PointerPressed {
        position,
        button: PointerEventButton::Left,
    });
    i_slint_backend_testing::mock_elapsed_time(hold);
    app.window().dispatch_event(WindowEvent::PointerReleased {
        position,
        button: PointerEventButton::Left,
    });
    settle();
}

fn menu(app: &AppWindow) -> MaintenanceAdapter<'_> {
    app.global::<MaintenanceAdapter>()
}

fn type_pin(app: &AppWindow, pin: &str) {
    for c in pin.chars() {
        click(app, &c.to_string());
    }
    click(app, "确认");
}

fn open_menu(app: &AppWindow) {
    press_corner(app, Duration::from_millis(5_100));
    assert!(menu(app).get_open());
    type_pin(app, "246810");
    assert_eq!(menu(app).get_page(), "main");
}

fn audit_log(setup: &kiosk_core::setup::Setup) -> String {
    std::fs::read_to_string(std::path::Path::new(&setup.terminal.storage_dir).join("audit.log"))
        .unwrap()
}

#[test]
fn a_touch_on_the_corner_shorter_than_five_seconds_starts_a_session() {
    let (app, _c, _setup) = start();
    press_corner(&app, Duration::from_millis(4_000));
    assert!(!menu(&app).get_open(), "four seconds are not enough");
    assert_eq!(
        screen(&app),
        ScreenId::Home,
        "a short touch starts like anywhere else"
    );
}

#[test]
fn a_five_second_hold_on_the_corner_opens_the_pin_pad() {
    let (app, _c, _setup) = start();
    press_corner(&app, Duration::from_millis(5_100));
    assert!(menu(&app).get_open());
    assert_eq!(menu(&app).get_page(), "pin");
    assert_eq!(
        screen(&app),
        ScreenId::Attract,
        "releasing the held corner does not start a session"
    );
    assert!(!shown(&app, "已输入密码 ").is_empty());
    click(&app, "退出维护");
    assert!(!menu(&app).get_open());
}

#[test]
fn five_wrong_pins_lock_the_pad_and_the_right_one_is_refused_while_locked() {
    let (app, _c, setup) = start();
    press_corner(&app, Duration::from_millis(5_100));
    type_pin(&app, "111111");
    assert!(
        menu(&app).get_message().contains("还可尝试 4 次"),
        "{}",
        menu(&app).get_message()
    );
    for _ in 0..4 {
        type_pin(&app, "111111");
    }
    assert!(menu(&app).get_message().contains("已锁定"));
    type_pin(&app, "246810");
    assert_eq!(
        menu(&app).get_page(),
        "pin",
        "locked: not even the right PIN"
    );
    let log = audit_log(&setup);
    assert_eq!(log.matches("pin.rejected").count(), 4, "{log}");
    assert!(log.contains("pin.locked") && log.contains("pin.while_locked"));
    assert!(
        !log.contains("246810") && !log.contains("111111"),
        "no PIN in the log"
    );
}

#[test]
fn every_page_and_self_test_works_and_leaves_an_audit_line_without_personal_data() {
    let (app, controller, setup) = start();
    open_menu(&app);

    // devices: printer test page, a card read, a pad key
    click(&app, "设备状态与自检");
    assert_eq!(menu(&app).get_page(), "devices");
    click(&app, "拍摄测试");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while labels_containing(&app, "通过：拍摄成功：2592×1944").is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "no still: {:?}",
            labels_containing(&app, "拍摄")
        );
        let_real_time_pass(Duration::from_millis(100));
    }
    click(&app, "打印测试页");
    wait_until("the test page", || {
        !labels_containing(&app, "通过：测试页已打印").is_empty()
    });
    click(&app, "读卡测试");
    app.global::<AppState>().set_dev_dock_open(true);
    settle();
    let person = kiosk_core::samples::SAMPLE_PEOPLE[1];
    click(
        &app,
        &format!("放置身份证 {}（{}）", person.name, person.gender.label()),
    );
    wait_until("the card test", || {
        !labels_containing(&app, "通过：读卡成功").is_empty()
    });
    assert!(
        labels_containing(&app, person.name)
            .iter()
            .all(|l| l.starts_with("放置身份证")),
        "the card's holder is not shown in the menu"
    );
    app.global::<AppState>().set_dev_dock_open(false);
    settle();
    click(&app, "评价器测试");
    let sim = controller.sim_pad().unwrap();
    wait_until("the pad lit", || {
        sim.leds() == kiosk_app::devices::rating_pad::Leds::ALL_ON
    });
    app.global::<DevDock>().invoke_press_pad(4);
    wait_until("the pad test", || {
        !labels_containing(&app, "收到评价器按键：满意").is_empty()
    });
    app.global::<AppState>().set_dev_dock_open(false);
    settle();
    assert_eq!(
        screen(&app),
        ScreenId::Attract,
        "the session never saw the tests"
    );
    assert!(
        controller.records().is_empty(),
        "no citizen print, no rating recorded"
    );

    // paper
    click(&app, "返回维护菜单");
    click(&app, "打印纸");
    assert!(!labels_containing(&app, "本卷已打印").is_empty());
    click(&app, "已更换纸卷");
    assert!(menu(&app).get_message().contains("已记录更换纸卷"));
    assert!(!labels_containing(&app, "0 行，切纸 0 次").is_empty());

    // outbox
    click(&app, "返回维护菜单");
    click(&app, "待上传队列");
    wait_until("an outbox reading", || {
        !labels_containing(&app, "待上传件数").is_empty()
    });
    click(&app, "立即重试");
    assert!(menu(&app).get_message().contains("已开始重新上传"));

    // network: the embedded county answers over loopback
    click(&app, "返回维护菜单");
    click(&app, "网络与县级后台");
    click(&app, "检测连接");
    wait_until("the probe", || {
        menu(&app).get_message().contains("县级后台可达")
    });

    // info and events
    click(&app, "返回维护菜单");
    click(&app, "终端信息");
    assert!(!labels_containing(&app, &setup.terminal.id).is_empty());
    click(&app, "返回维护菜单");
    click(&app, "最近事件");
    assert!(!labels_containing(&app, "维护密码正确，进入维护菜单").is_empty());
    assert!(!labels_containing(&app, "凭条打印机自检通过").is_empty());
    assert!(!labels_containing(&app, "高拍仪自检通过").is_empty());

    click(&app, "退出维护");
    assert!(!menu(&app).get_open());
    let log = audit_log(&setup);
    for code in [
        "program.started",
        "menu.entry_requested",
        "pin.accepted",
        "selftest.finished",
        "paper.replaced",
        "outbox.retry",
        "backend.probed",
        "menu.left",
    ] {
        assert!(
            log.contains(&format!("\"event\":\"{code}\"")),
            "{code} in {log}"
        );
    }
    for line in log.lines() {
        let event = serde_json::from_str::<serde_json::Value>(line).unwrap()["event"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            kiosk_core::maintenance::AuditEvent::CODES.contains(&event.as_str()),
            "{event} is in the catalogue"
        );
    }
    assert!(
        !log.contains(person.name)
            && !log.contains(person.sequence)
            && !log.contains(person.address)
    );
}

#[test]
fn restart_asks_for_confirmation_then_stops_the_event_loop_for_systemd() {
    let (app, _c, setup) = start();
    open_menu(&app);
    click(&app, "重启程序");
    assert!(!labels_containing(&app, "由系统服务自动重新启动").is_empty());
    assert!(!kiosk_app::controller::RESTART_REQUESTED.load(std::sync::atomic::Ordering::SeqCst));
    click(&app, "确认重启");
    assert!(kiosk_app::controller::RESTART_REQUESTED.load(std::sync::atomic::Ordering::SeqCst));
    assert!(audit_log(&setup).contains("program.restart_requested"));
}
