//! A citizen's walk through the headless UI, by accessible labels: attract → home → search →
//! guide → identify (simulated card) → result → rating, and the idle timeout that wipes the
//! person from the UI tree.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use kiosk_app::controller::{Controller, Record};
use kiosk_app::ui::{AppState, AppWindow, ScreenId};
use kiosk_core::catalog::Service;
use slint::ComponentHandle;
use std::time::Duration;

/// The demo catalog's pension-summary query, the matter the walks use.
fn pension_query(setup: &kiosk_core::setup::Setup) -> &kiosk_core::catalog::Matter {
    setup
        .catalog
        .matters()
        .iter()
        .find(|m| m.service == Some(Service::PensionSummary))
        .expect("the demo catalog has the pension summary query")
}

/// Walks to the pension-summary result and returns the masked name shown.
fn walk_to_result(app: &AppWindow, setup: &kiosk_core::setup::Setup) -> String {
    let matter = pension_query(setup);
    assert_eq!(screen(app), ScreenId::Attract);
    click(app, "开始");
    assert_eq!(screen(app), ScreenId::Home);
    click(app, "搜索事项");
    assert_eq!(screen(app), ScreenId::MatterList);
    for key in ["Y", "L", "B", "X"] {
        click(app, key);
    }
    assert!(
        !shown(app, &matter.name).is_empty(),
        "ylbx finds {}",
        matter.name
    );
    click(app, &matter.name);
    assert_eq!(screen(app), ScreenId::Guide);
    assert!(!shown(app, "法定依据").is_empty() || !labels_containing(app, "法定依据").is_empty());
    click(app, "开始查询");
    assert_eq!(screen(app), ScreenId::Identify);
    let person = kiosk_core::samples::SAMPLE_PEOPLE[0];
    click(
        app,
        &format!("放置身份证 {}（{}）", person.name, person.gender.label()),
    );
    // the dock is a developer tool that names the sample people; close it so only the
    // citizen-facing UI remains in the tree
    app.global::<AppState>().set_dev_dock_open(false);
    // the real driver reads the simulated card on its own thread, then the backend answers
    wait_until("the result", || screen(app) == ScreenId::Result);
    kiosk_core::personal::PersonName::new(person.name).masked()
}

#[test]
fn a_citizen_walks_from_attract_to_result_and_rates() {
    let (app, controller, setup) = start();
    app.global::<AppState>().set_dev_dock_open(true);
    let masked = walk_to_result(&app, &setup);
    assert!(
        !labels_containing(&app, &masked).is_empty(),
        "the result shows {masked}"
    );
    let person = kiosk_core::samples::SAMPLE_PEOPLE[0];
    assert!(
        labels_containing(&app, person.name).is_empty(),
        "the full name never reaches the UI"
    );
    assert!(labels_containing(&app, &kiosk_core::samples::SAMPLE_PEOPLE[0].id_number()).is_empty());
    click(&app, "打印");
    click(&app, "完成");
    assert_eq!(screen(&app), ScreenId::Rating);
    click(&app, "满意");
    click(&app, "非常满意"); // a second press is not a second rating
    let ratings: Vec<_> = controller
        .records()
        .into_iter()
        .filter(|r| matches!(r, Record::Rated(..)))
        .collect();
    assert_eq!(ratings.len(), 1);
    assert!(
        controller
            .records()
            .iter()
            .any(|r| matches!(r, Record::Printed("查询结果", _)))
    );
    advance_secs(4);
    assert_eq!(screen(&app), ScreenId::Attract);
}

#[test]
fn the_idle_timeout_returns_to_attract_and_forgets_the_person() {
    let (app, _controller, setup) = start();
    app.global::<AppState>().set_dev_dock_open(true);
    let masked = walk_to_result(&app, &setup);
    let idle = u64::from(setup.terminal.idle_timeout_secs);
    // a touch now, so the idle time is counted from here
    click(&app, "帮助");
    click(&app, "关闭帮助");
    assert_eq!(screen(&app), ScreenId::Result);
    advance_secs(idle - 1);
    assert!(
        !app.global::<AppState>().get_countdown_visible(),
        "no countdown before the idle time"
    );
    advance_secs(1);
    assert!(app.global::<AppState>().get_countdown_visible());
    assert!(!shown(&app, "继续办理").is_empty());
    let countdown = u64::from(setup.terminal.countdown_secs);
    advance_secs(countdown + 1);
    assert_eq!(screen(&app), ScreenId::Attract);
    assert!(!app.global::<AppState>().get_countdown_visible());
    assert!(
        labels_containing(&app, &masked).is_empty(),
        "{masked} is gone from the UI tree"
    );
}

#[test]
fn continue_on_the_countdown_keeps_the_session() {
    let (app, _controller, setup) = start();
    click(&app, "开始");
    advance_secs(u64::from(setup.terminal.idle_timeout_secs) + 1);
    assert!(app.global::<AppState>().get_countdown_visible());
    click(&app, "继续办理");
    assert!(!app.global::<AppState>().get_countdown_visible());
    assert_eq!(screen(&app), ScreenId::Home);
}

#[test]
fn every_screen_offers_home_and_help() {
    let (app, _controller, _setup) = start();
    click(&app, "开始");
    for category in ["养老保险", "社保卡"] {
        click(&app, category);
        assert_eq!(screen(&app), ScreenId::MatterList);
        assert!(!shown(&app, "返回首页").is_empty());
        assert!(!shown(&app, "帮助").is_empty());
        click(&app, "返回首页");
        assert_eq!(screen(&app), ScreenId::Home);
    }
    click(&app, "帮助");
    assert_eq!(screen(&app), ScreenId::Help);
    click(&app, "呼叫工作人员");
    click(&app, "关闭帮助");
    assert_eq!(screen(&app), ScreenId::Home);
}

#[test]
fn a_reader_fault_shows_the_device_screen_and_recovery_resumes() {
    let (app, controller, setup) = start();
    let matter = pension_query(&setup);
    click(&app, "开始");
    click(&app, "养老保险");
    click(&app, &matter.name);
    click(&app, "开始查询");
    assert_eq!(screen(&app), ScreenId::Identify);
    // the simulated SAM fails its self-test; the real driver reports it
    app.global::<AppState>().set_dev_dock_open(true);
    click(&app, "读卡器故障");
    wait_until("the device screen", || {
        screen(&app) == ScreenId::DeviceUnavailable
    });
    assert!(!shown(&app, "返回首页").is_empty());
    click(&app, "读卡器故障");
    wait_until("identify again", || screen(&app) == ScreenId::Identify);
    assert!(
        metrics_text(&controller)
            .lines()
            .any(|l| l == "kiosk_device_errors_total{device=\"card_reader\"} 1"),
        "the fault is counted once for the management endpoint"
    );
}

/// The controller's counters in the management endpoint's exposition (issue 8).
fn metrics_text(controller: &Controller) -> String {
    use kiosk_app::ops::metrics::{Gauges, Histogram, render};
    render(
        &controller.ops().metrics,
        &Histogram::new(),
        &Gauges::default(),
    )
}

#[test]
fn a_card_placed_before_the_identify_step_is_used_there() {
    let (app, controller, setup) = start();
    let matter = pension_query(&setup);
    app.global::<AppState>().set_dev_dock_open(true);
    let person = kiosk_core::samples::SAMPLE_PEOPLE[1];
    click(
        &app,
        &format!("放置身份证 {}（{}）", person.name, person.gender.label()),
    );
    app.global::<AppState>().set_dev_dock_open(false);
    // the driver reads it while the citizen is still choosing
    click(&app, "开始");
    let_real_time_pass(Duration::from_secs(1));
    assert!(
        controller.with_session(|s| s.identity().is_none()),
        "not used before the identify step"
    );
    click(&app, "养老保险");
    click(&app, &matter.name);
    click(&app, "开始查询");
    wait_until("the result", || screen(&app) == ScreenId::Result);
}

/// The printer thread reads status every second; wait until the session has heard of a fault.
fn wait_for_printer_fault(controller: &Controller) {
    wait_until("the printer fault", || {
        controller.with_session(|s| {
            s.device(kiosk_core::session::Device::Printer)
                == kiosk_core::session::DeviceHealth::Fault
        })
    });
}

#[test]
fn printing_the_result_puts_it_on_the_simulated_paper_masked() {
    let (app, controller, setup) = start();
    app.global::<AppState>().set_dev_dock_open(true);
    let masked = walk_to_result(&app, &setup);
    click(&app, "打印");
    // the driver prints on its own thread and reports back
    wait_until("the print report", || {
        !labels_containing(&app, "已打印").is_empty()
    });
    let sim = controller.sim_printer().expect("simulated printer");
    let paper = sim.lock().unwrap().paper().clone();
    let text = paper.text();
    assert!(text.contains("查询结果"), "{text}");
    assert!(
        text.contains(&masked),
        "the masked name {masked} is printed"
    );
    let person = kiosk_core::samples::SAMPLE_PEOPLE[0];
    assert!(!text.contains(person.name), "never the full name");
    assert!(!text.contains(&person.id_number()), "never the full number");
    assert_eq!(paper.cuts(), 1);
}

#[test]
fn paper_out_is_told_before_an_apply_matter_and_the_citizen_may_go_on() {
    let (app, controller, _setup) = start();
    app.global::<AppState>().set_dev_dock_open(true);
    // paper: ok → near end → out
    click(&app, "切换纸张（足→将尽→缺）");
    click(&app, "切换纸张（足→将尽→缺）");
    wait_for_printer_fault(&controller);
    app.global::<AppState>().set_dev_dock_open(false);
    click(&app, "社会保障卡申领（成年人）");
    assert_eq!(screen(&app), ScreenId::Guide);
    click(&app, "开始办理");
    assert_eq!(screen(&app), ScreenId::DeviceUnavailable);
    assert!(!labels_containing(&app, "办件回执").is_empty());
    click(&app, "继续办理（不打印回执）");
    assert_eq!(screen(&app), ScreenId::Identify);
}

#[test]
fn paper_loaded_while_the_printer_screen_shows_lets_the_citizen_go_on() {
    let (app, controller, _setup) = start();
    app.global::<AppState>().set_dev_dock_open(true);
    click(&app, "打印机开/关盖");
    wait_for_printer_fault(&controller);
    app.global::<AppState>().set_dev_dock_open(false);
    click(&app, "城乡居民养老保险个人权益记录查询打印");
    click(&app, "开始查询");
    assert_eq!(screen(&app), ScreenId::DeviceUnavailable);
    // a print-only matter cannot go on without paper
    assert!(shown(&app, "继续办理（不打印回执）").is_empty());
    app.global::<AppState>().set_dev_dock_open(true);
    click(&app, "打印机开/关盖");
    wait_until("identify", || screen(&app) == ScreenId::Identify);
}

/// 临时挂失 through the embedded county backend: card → form → review → 确认提交 → a receipt
/// with the county's 受理编号 (已提交), printed on the simulated paper; then the same walk with
/// the network down ends 已受理（网络恢复后自动上传） with the submission queued.
#[test]
fn a_card_suspension_goes_to_the_county_and_is_queued_when_the_network_is_down() {
    let (app, controller, _setup) = start();
    let suspend = |app: &AppWindow| {
        if screen(app) == ScreenId::Attract {
            click(app, "开始");
        }
        click(app, "社保卡");
        click(app, "社会保障卡临时挂失");
        click(app, "开始办理");
        assert_eq!(screen(app), ScreenId::Identify);
        app.global::<AppState>().set_dev_dock_open(true);
        let person = kiosk_core::samples::SAMPLE_PEOPLE[1];
        click(
            app,
            &format!("放置身份证 {}（{}）", person.name, person.gender.label()),
        );
        app.global::<AppState>().set_dev_dock_open(false);
        wait_until("the form", || screen(app) == ScreenId::Form);
        for d in "13912345678".chars() {
            click(app, &d.to_string());
        }
        click(app, "丢失");
        click(app, "下一步");
        assert_eq!(screen(app), ScreenId::Review);
        click(app, "确认提交");
        wait_until("the receipt", || screen(app) == ScreenId::Receipt);
    };
    suspend(&app);
    assert!(!labels_containing(&app, "已提交").is_empty());
    assert!(
        !labels_containing(&app, "GS").is_empty(),
        "the county's 受理编号"
    );
    assert_eq!(controller.outbox_depth(), 0, "delivered and purged");
    wait_until("the receipt printed", || {
        !labels_containing(&app, "已打印").is_empty()
    });
    let paper = controller
        .sim_printer()
        .unwrap()
        .lock()
        .unwrap()
        .paper()
        .text();
    assert!(
        paper.contains("办件回执") && paper.contains("GS"),
        "{paper}"
    );

    click(&app, "返回首页");
    app.global::<AppState>().set_dev_dock_open(true);
    click(&app, "取走身份证");
    app.global::<AppState>().set_dev_dock_open(false);
    // the driver polls every 300 ms: let it see the card go before it comes back
    let_real_time_pass(Duration::from_secs(1));
    controller.set_backend_online(false);
    suspend(&app);
    assert!(!labels_containing(&app, "网络恢复后自动上传").is_empty());
    assert_eq!(controller.outbox_depth(), 1, "kept for later");
    let counted = metrics_text(&controller);
    for line in [
        "kiosk_submissions_total{outcome=\"submitted\"} 1",
        "kiosk_submissions_total{outcome=\"queued\"} 1",
        "kiosk_prints_total{kind=\"receipt\"} 2",
    ] {
        assert!(counted.lines().any(|l| l == line), "{line} in\n{counted}");
    }
}

fn place_card(app: &AppWindow, person: usize) {
    let p = kiosk_core::samples::SAMPLE_PEOPLE[person];
    app.global::<AppState>().set_dev_dock_open(true);
    click(
        app,
        &format!("放置身份证 {}（{}）", p.name, p.gender.label()),
    );
    app.global::<AppState>().set_dev_dock_open(false);
}

fn take_card(app: &AppWindow) {
    app.global::<AppState>().set_dev_dock_open(true);
    click(app, "取走身份证");
    app.global::<AppState>().set_dev_dock_open(false);
    // the driver polls every 300 ms: let it see the card go before the next one comes
    let_real_time_pass(Duration::from_secs(1));
}

/// 进度查询 of a receipt printed while the network was down: by its number the terminal
/// answers from its outbox; once delivered, the same number finds the county's case, and the
/// ID card lists it.
#[test]
fn progress_is_found_by_the_receipts_number_before_and_after_delivery_and_by_card() {
    let (app, controller, _setup) = start();
    controller.set_backend_online(false);
    click(&app, "开始");
    click(&app, "社保卡");
    click(&app, "社会保障卡临时挂失");
    click(&app, "开始办理");
    place_card(&app, 1);
    wait_until("the form", || screen(&app) == ScreenId::Form);
    for d in "13912345678".chars() {
        click(&app, &d.to_string());
    }
    click(&app, "丢失");
    click(&app, "下一步");
    click(&app, "确认提交");
    wait_until("the receipt", || screen(&app) == ScreenId::Receipt);
    let number = app
        .global::<kiosk_app::ui::ReceiptAdapter>()
        .get_receipt_no()
        .to_string();
    assert!(
        number.starts_with("MD-MDJD-001-"),
        "the terminal's own number: {number}"
    );
    click(&app, "返回首页");
    take_card(&app);

    let by_number = |app: &AppWindow| {
        click(app, "办件进度查询");
        assert_eq!(screen(app), ScreenId::Guide);
        click(app, "输入受理编号查询");
        assert_eq!(screen(app), ScreenId::ReceiptEntry);
        for c in number.chars() {
            click(app, &c.to_string());
        }
        click(app, "查询");
        wait_until("the progress", || screen(app) == ScreenId::Result);
    };
    by_number(&app);
    assert!(!labels_containing(&app, "本终端已受理，等待上传").is_empty());
    click(&app, "返回首页");

    controller.set_backend_online(true);
    for _ in 0..30 {
        if controller.outbox_depth() == 0 {
            break;
        }
        let_real_time_pass(Duration::from_millis(500));
    }
    assert_eq!(
        controller.outbox_depth(),
        0,
        "the background sender delivered it"
    );
    by_number(&app);
    assert!(!labels_containing(&app, "已办结").is_empty());
    assert!(
        !labels_containing(&app, "GS").is_empty(),
        "the county's 受理编号 of the same case"
    );
    click(&app, "返回首页");

    click(&app, "办件进度查询");
    click(&app, "刷身份证查询");
    place_card(&app, 1);
    wait_until("the person's cases", || screen(&app) == ScreenId::Result);
    assert!(!labels_containing(&app, "社会保障卡临时挂失").is_empty());
    assert!(!labels_containing(&app, "GS").is_empty());
}

/// 社保卡申领（未成年人）: the guardian's card, then the minor's, through the embedded county
/// (which checks the ages) to a receipt with the county's 受理编号.
#[test]
fn a_guardian_applies_for_a_minors_card() {
    let (app, controller, _setup) = start();
    click(&app, "开始");
    click(&app, "社保卡");
    click(&app, "社会保障卡申领（未成年人）");
    click(&app, "开始办理");
    assert!(!labels_containing(&app, "请监护人").is_empty());
    place_card(&app, 0);
    wait_until("the minor's step", || {
        !labels_containing(&app, "放上未成年人的身份证").is_empty()
    });
    assert_eq!(screen(&app), ScreenId::Identify);
    take_card(&app);
    place_card(&app, 4);
    wait_until("the form", || screen(&app) == ScreenId::Form);
    for d in "13912345678".chars() {
        click(&app, &d.to_string());
    }
    click(&app, "到便民服务中心领取");
    click(&app, "下一步");
    // the minor's 身份证 or 户口簿 may be filmed; the card was read, so it is skipped
    assert_eq!(screen(&app), ScreenId::Capture);
    click(&app, "下一步");
    assert_eq!(screen(&app), ScreenId::Review);
    assert!(!labels_containing(&app, "监护人").is_empty());
    click(&app, "确认提交");
    wait_until("the receipt", || screen(&app) == ScreenId::Receipt);
    assert!(
        !labels_containing(&app, "已提交").is_empty(),
        "{:?}",
        all_labels(&app)
    );
    assert!(!labels_containing(&app, "SL").is_empty());
    assert_eq!(controller.outbox_depth(), 0);
}
