//! 材料拍摄 through the headless UI, by accessible labels, with the simulated 5 Mpx 高拍仪 and
//! the embedded county backend: the live preview, 拍摄 through the real document pipeline, a
//! blurred page and an empty desk refused with their prompts, 重拍 and 删除, 下一步 waiting for
//! the required material, the pages in the submission (uploaded once per distinct page), and
//! the camera unplugged and plugged back mid-capture.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use kiosk_app::ui::{AppState, AppWindow, CaptureAdapter, ScreenId};
use kiosk_core::catalog::Service;
use slint::{ComponentHandle, Model};

/// From attract to the capture screen of the pension enrolment (户口簿, required, 2 pages).
fn to_capture(app: &AppWindow, setup: &kiosk_core::setup::Setup) {
    to_capture_of(app, setup, Service::PensionEnrolment);
}

/// From attract to the capture screen of the matter that runs `service`.
fn to_capture_of(app: &AppWindow, setup: &kiosk_core::setup::Setup, service: Service) {
    let matter = setup
        .terminal
        .offered
        .iter()
        .filter_map(|id| setup.catalog.get(id))
        .find(|m| m.service == Some(service))
        .expect("the demo terminal offers the matter");
    click(app, "开始");
    click(app, matter.category.label());
    click(app, &matter.name);
    click(app, "开始办理");
    let p = kiosk_core::samples::SAMPLE_PEOPLE[1];
    app.global::<AppState>().set_dev_dock_open(true);
    click(
        app,
        &format!("放置身份证 {}（{}）", p.name, p.gender.label()),
    );
    app.global::<AppState>().set_dev_dock_open(false);
    wait_until("the form", || screen(app) == ScreenId::Form);
    for d in "13912345678".chars() {
        click(app, &d.to_string());
    }
    let choice = app
        .global::<kiosk_app::ui::FormAdapter>()
        .get_choices()
        .iter()
        .next()
        .expect("a choice")
        .to_string();
    click(app, &choice);
    click(app, "下一步");
    assert_eq!(screen(app), ScreenId::Capture, "{:?}", all_labels(app));
}

/// Lays `item` (a dev-dock label: 放文件, 放卡片, 放模糊文件, 拿走材料) under the camera.
fn place(app: &AppWindow, item: &str) {
    app.global::<AppState>().set_dev_dock_open(true);
    click(app, item);
    app.global::<AppState>().set_dev_dock_open(false);
    // the simulated camera serves the new desk from its next frame on
    let_real_time_pass(std::time::Duration::from_millis(300));
}

fn status(app: &AppWindow) -> String {
    app.global::<CaptureAdapter>().get_status().to_string()
}

/// 拍摄, then waits for the pipeline's verdict on the capture screen.
fn take(app: &AppWindow, button: &str) -> String {
    click(app, button);
    assert!(
        app.global::<CaptureAdapter>().get_taking(),
        "{}",
        status(app)
    );
    wait_long("the capture's outcome", || {
        !app.global::<CaptureAdapter>().get_taking()
    });
    status(app)
}

/// As `wait_until`, with room for a 5 Mpx pipeline in a debug build on a loaded CI machine.
fn wait_long(what: &str, done: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        i_slint_backend_testing::mock_elapsed_time(std::time::Duration::from_millis(50));
    }
}

#[test]
fn pages_are_captured_checked_and_travel_with_the_submission() {
    let (app, controller, setup) = start();
    to_capture(&app, &setup);
    for label in ["户口簿", "拍摄", "重拍", "下一步", "已拍 0 页"] {
        assert!(
            !shown(&app, label).is_empty() || !labels_containing(&app, label).is_empty(),
            "{label} on the capture screen: {:?}",
            all_labels(&app)
        );
    }
    wait_until("the live preview", || {
        !shown(&app, "拍摄区实时画面").is_empty()
    });

    // 下一步 before the required 户口簿
    click(&app, "下一步");
    assert_eq!(screen(&app), ScreenId::Capture);
    assert_eq!(status(&app), "请先拍摄“户口簿”");

    // an empty desk, then a blurred page: refused with what to do
    place(&app, "拿走材料");
    let said = take(&app, "拍摄");
    assert!(said.contains("请将材料"), "empty desk: {said}");
    place(&app, "放模糊文件");
    let said = take(&app, "拍摄");
    assert!(said.contains("请将材料放平后重新拍摄"), "blurred: {said}");
    assert!(shown(&app, "第 1 页").is_empty(), "nothing kept");

    // a good page, then the same page again (the same bytes: one upload)
    place(&app, "放文件");
    let said = take(&app, "拍摄");
    assert!(said.starts_with("已拍好第 1 页"), "{said}");
    assert!(!shown(&app, "第 1 页").is_empty());
    let said = take(&app, "拍摄");
    assert!(said.starts_with("已拍好第 2 页"), "{said}");
    assert!(!labels_containing(&app, "已拍 2 页").is_empty());
    // 删除 the second, 重拍 the first, take the second again
    click(&app, "删除第 2 页");
    assert!(shown(&app, "第 2 页").is_empty());
    let said = take(&app, "重拍");
    assert!(said.starts_with("已拍好第 1 页"), "{said}");
    take(&app, "拍摄");

    click(&app, "下一步");
    assert_eq!(screen(&app), ScreenId::Review);
    assert!(
        !labels_containing(&app, "户口簿：2 页").is_empty(),
        "the review lists the pages: {:?}",
        all_labels(&app)
    );
    click(&app, "确认提交");
    wait_until("the receipt", || screen(&app) == ScreenId::Receipt);
    assert_eq!(controller.outbox_depth(), 0, "delivered and purged");

    // the county has the case with both pages under 户口簿, and the page's file once
    let storage = std::path::Path::new(&setup.terminal.storage_dir);
    let store = county::store::Store::open(&storage.join("county")).unwrap();
    let cases = store.cases_with_bodies().unwrap();
    assert_eq!(cases.len(), 1);
    let body: serde_json::Value = serde_json::from_str(&cases[0].1).unwrap();
    let attachments = body["attachments"].as_array().expect("attachments");
    assert_eq!(attachments.len(), 2, "{body}");
    for (i, a) in attachments.iter().enumerate() {
        assert_eq!(a["material"], "户口簿");
        assert_eq!(a["page"], i as u64 + 1);
        assert_eq!(a["media_type"], "image/jpeg");
        let size = a["size"].as_u64().unwrap();
        assert!(size > 20_000 && size <= 500 * 1024, "page of {size} bytes");
        assert!(store.has_attachment(a["sha256"].as_str().unwrap()).unwrap());
    }
    assert_eq!(
        attachments[0]["sha256"], attachments[1]["sha256"],
        "the same desk twice gives the same page"
    );
    let files = std::fs::read_dir(storage.join("county/attachments"))
        .unwrap()
        .count();
    assert_eq!(files, 1, "one distinct page, one upload");
    let left = std::fs::read_dir(storage.join("outbox/attachments"))
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| e.path().is_file())
                .count()
        })
        .unwrap_or(0);
    assert_eq!(left, 0, "the terminal's copy is gone once delivered");
}

#[test]
fn an_optional_card_slot_may_be_skipped_or_filled_and_going_home_forgets_it() {
    let (app, _controller, setup) = start();
    // 社会保障卡补换: the old card, optional, filmed as an ID-1 card in colour
    to_capture_of(&app, &setup, Service::CardReplace);
    let slot = app
        .global::<CaptureAdapter>()
        .get_slots()
        .row_data(0)
        .expect("a slot");
    assert!(slot.material.contains("社会保障卡") && !slot.required);
    click(&app, "下一步");
    assert_eq!(
        screen(&app),
        ScreenId::Review,
        "an optional material may be skipped"
    );
    click(&app, "返回");
    assert_eq!(screen(&app), ScreenId::Capture);
    place(&app, "放卡片");
    let said = take(&app, "拍摄");
    assert!(said.starts_with("已拍好第 1 页"), "{said}");
    assert!(!shown(&app, "第 1 页").is_empty());
    click(&app, "返回首页");
    assert_eq!(screen(&app), ScreenId::Home);
    assert_eq!(app.global::<CaptureAdapter>().get_pages().row_count(), 0);
    assert!(!app.global::<CaptureAdapter>().get_has_preview());
}

#[test]
fn unplugging_the_camera_mid_capture_says_so_and_plugging_it_back_goes_on() {
    let (app, _controller, setup) = start();
    to_capture(&app, &setup);
    let said = take(&app, "拍摄");
    assert!(said.starts_with("已拍好第 1 页"), "{said}");
    app.global::<AppState>().set_dev_dock_open(true);
    click(&app, "拔出高拍仪");
    app.global::<AppState>().set_dev_dock_open(false);
    wait_until("the scanner notice", || {
        screen(&app) == ScreenId::DeviceUnavailable
    });
    assert!(!labels_containing(&app, "高拍仪暂时无法使用").is_empty());
    assert!(!shown(&app, "打印一次性告知单").is_empty());
    app.global::<AppState>().set_dev_dock_open(true);
    click(&app, "拔出高拍仪");
    app.global::<AppState>().set_dev_dock_open(false);
    wait_long("the capture screen again", || {
        screen(&app) == ScreenId::Capture
    });
    assert!(
        !labels_containing(&app, "已拍 1 页").is_empty(),
        "the page was kept: {:?}",
        all_labels(&app)
    );
}
