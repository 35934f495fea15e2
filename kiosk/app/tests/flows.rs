//! One headless walk per self-service flow of the demo terminal, through the UI by accessible
//! labels and the embedded reference county backend over loopback HTTP: every query ends in
//! its result (printed where the paper is the service), every application in a receipt with
//! the county's 受理编号 on screen and on the simulated paper. (临时挂失, 进度查询 and the
//! minor's card have their own walks in `walk.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use kiosk_app::controller::{Controller, Record};
use kiosk_app::ui::{AppState, AppWindow, ReceiptAdapter, ScreenId};
use kiosk_core::catalog::Service;
use slint::ComponentHandle;

/// From attract to the identify step of the matter that runs `service`, by its category
/// tile and name; then the sample person's card.
fn open_and_identify(app: &AppWindow, setup: &kiosk_core::setup::Setup, service: Service) {
    let matter = setup
        .terminal
        .offered
        .iter()
        .filter_map(|id| setup.catalog.get(id))
        .find(|m| m.service == Some(service))
        .unwrap_or_else(|| panic!("the demo terminal offers {service:?}"));
    click(app, "开始");
    click(app, matter.category.label());
    assert_eq!(screen(app), ScreenId::MatterList);
    click(app, &matter.name);
    assert_eq!(screen(app), ScreenId::Guide);
    let start = if matter.flow == kiosk_core::catalog::FlowKind::Query {
        "开始查询"
    } else {
        "开始办理"
    };
    click(app, start);
    assert_eq!(screen(app), ScreenId::Identify);
    let p = kiosk_core::samples::SAMPLE_PEOPLE[1];
    app.global::<AppState>().set_dev_dock_open(true);
    click(
        app,
        &format!("放置身份证 {}（{}）", p.name, p.gender.label()),
    );
    app.global::<AppState>().set_dev_dock_open(false);
}

/// The controller's counters as the management endpoint exposes them (issue 8): asserts that
/// each of `lines` is in the exposition.
fn counted(controller: &Controller, lines: &[&str]) {
    use kiosk_app::ops::metrics::{Gauges, Histogram, render};
    let text = render(
        &controller.ops().metrics,
        &Histogram::new(),
        &Gauges::default(),
    );
    for line in lines {
        assert!(text.lines().any(|l| l == *line), "{line} in\n{text}");
    }
}

fn paper(controller: &Controller) -> String {
    controller
        .sim_printer()
        .unwrap()
        .lock()
        .unwrap()
        .paper()
        .text()
}

/// A query: its result on screen, then printed.
fn query_flow(service: Service, expect_on_paper: &[&str]) {
    let (app, controller, setup) = start();
    open_and_identify(&app, &setup, service);
    wait_until("the result", || screen(&app) == ScreenId::Result);
    click(&app, "打印");
    wait_until("the print", || {
        !labels_containing(&app, "已打印").is_empty()
    });
    let text = paper(&controller);
    for expected in expect_on_paper {
        assert!(text.contains(expected), "{expected} on the paper:\n{text}");
    }
    assert!(
        !text.contains(kiosk_core::samples::SAMPLE_PEOPLE[1].name),
        "only the masked name is printed"
    );
    click(&app, "完成");
    assert_eq!(screen(&app), ScreenId::Rating);
    click(&app, "非常满意");
    counted(
        &controller,
        &[
            "kiosk_sessions_total 1",
            "kiosk_matters_opened_total{kind=\"query\"} 1",
            "kiosk_prints_total{kind=\"query_result\"} 1",
            "kiosk_ratings_total{level=\"5\"} 1",
            "kiosk_submissions_total{outcome=\"submitted\"} 0",
        ],
    );
}

/// An application: phone on the keypad, the first choice, review, 确认提交, then a receipt
/// with the county's number, printed with its 进度查询 QR.
fn apply_flow(service: Service, choice: &str) {
    let (app, controller, setup) = start();
    open_and_identify(&app, &setup, service);
    wait_until("the form", || screen(&app) == ScreenId::Form);
    for d in "13912345678".chars() {
        click(&app, &d.to_string());
    }
    click(&app, choice);
    click(&app, "下一步");
    if screen(&app) == ScreenId::Capture {
        // the matter's 申请材料 on the simulated 高拍仪 (capture.rs walks this screen)
        click(&app, "拍摄");
        let capture = app.global::<kiosk_app::ui::CaptureAdapter>();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while capture.get_taking() {
            assert!(
                std::time::Instant::now() < deadline,
                "the capture's outcome"
            );
            let_real_time_pass(std::time::Duration::from_millis(20));
        }
        assert!(
            capture.get_status().starts_with("已拍好"),
            "{}",
            capture.get_status()
        );
        click(&app, "下一步");
    }
    assert_eq!(screen(&app), ScreenId::Review);
    click(&app, "确认提交");
    wait_until("the receipt", || screen(&app) == ScreenId::Receipt);
    assert!(
        !labels_containing(&app, "已提交").is_empty(),
        "{:?}",
        all_labels(&app)
    );
    let number = app.global::<ReceiptAdapter>().get_receipt_no().to_string();
    assert!(number.starts_with("SL"), "the county's 受理编号: {number}");
    assert_eq!(controller.outbox_depth(), 0, "delivered and purged");
    counted(
        &controller,
        &[
            "kiosk_sessions_total 1",
            "kiosk_matters_opened_total{kind=\"apply\"} 1",
            "kiosk_submissions_total{outcome=\"submitted\"} 1",
            "kiosk_submissions_total{outcome=\"queued\"} 0",
        ],
    );
    wait_until("the receipt printed", || {
        !labels_containing(&app, "已打印").is_empty()
    });
    let printer = controller.sim_printer().unwrap();
    let device = printer.lock().unwrap();
    let paper = device.paper();
    assert!(paper.text().contains("办件回执") && paper.text().contains(&number));
    assert!(
        paper
            .qr_payloads()
            .iter()
            .any(|q| String::from_utf8_lossy(q).contains(&number)),
        "the 进度查询 QR carries the number"
    );
}

#[test]
fn pension_summary_is_shown_and_printed() {
    query_flow(Service::PensionSummary, &["查询结果", "累计缴费年限"]);
}

#[test]
fn the_rights_record_is_printed_under_its_own_title() {
    query_flow(Service::RightsRecord, &["个人权益记录"]);
}

#[test]
fn the_insurance_certificate_is_printed_with_its_verification_code() {
    query_flow(
        Service::InsuranceCertificate,
        &["社会保险参保证明", "证明编号", "验证码", "核验"],
    );
}

#[test]
fn an_adult_applies_for_a_social_security_card() {
    apply_flow(Service::CardApplyAdult, "到便民服务中心领取");
}

#[test]
fn a_social_security_card_is_replaced() {
    apply_flow(Service::CardReplace, "邮寄到户籍地址");
}

#[test]
fn a_resident_enrols_in_the_pension_scheme() {
    apply_flow(Service::PensionEnrolment, "300元");
}

#[test]
fn a_resident_enrols_in_medical_insurance() {
    apply_flow(Service::MedicalEnrolment, "普通城乡居民");
}

/// 好差评 end to end: a 差评 with reasons and a 回访 number, given on the screen after a
/// lookup, reaches the county once and waits there in the follow-up list with its deadline.
#[test]
fn a_poor_rating_reaches_the_county_once_for_follow_up() {
    let (app, controller, setup) = start();
    open_and_identify(&app, &setup, Service::PensionSummary);
    wait_until("the result", || screen(&app) == ScreenId::Result);
    assert!(
        !shown(&app, "扫码评价本次服务").is_empty(),
        "the online-rating QR"
    );
    click(&app, "完成");
    assert_eq!(screen(&app), ScreenId::Rating);
    click(&app, "非常不满意");
    assert_eq!(screen(&app), ScreenId::RatingDetail);
    let reason = setup.terminal.rating.reasons[2].clone();
    click(&app, &reason);
    click(&app, "同意工作人员回访");
    click(&app, "提交评价");
    assert_eq!(
        screen(&app),
        ScreenId::RatingDetail,
        "a number is needed for the 回访"
    );
    for d in "13912345678".chars() {
        click(&app, &d.to_string());
    }
    click(&app, "提交评价");
    assert_eq!(screen(&app), ScreenId::Rating);
    assert!(!labels_containing(&app, "个工作日内答复").is_empty());
    click(&app, "满意"); // a second press is not a second rating
    for _ in 0..40 {
        if controller.outbox_depth() == 0 {
            break;
        }
        let_real_time_pass(std::time::Duration::from_millis(250));
    }
    assert_eq!(controller.outbox_depth(), 0, "delivered");
    let store = county::store::Store::open(
        &std::path::Path::new(&setup.terminal.storage_dir).join("county"),
    )
    .unwrap();
    assert_eq!(store.rating_count().unwrap(), 1, "exactly once");
    let follow_ups = store.follow_ups().unwrap();
    assert_eq!(follow_ups.len(), 1);
    let f = &follow_ups[0];
    assert_eq!(f.level, 1);
    assert_eq!(f.reasons, vec![reason]);
    assert_eq!(f.callback_phone.as_deref(), Some("13912345678"));
    assert!(
        f.receipt_no
            .as_deref()
            .is_some_and(|n| n.starts_with("MD-MDJD-001-")),
        "tied to the lookup: {:?}",
        f.receipt_no
    );
}

/// The simulated pad: lit on the rating screen, its key rates once and dark afterwards; a
/// silent pad is reported faulty while the on-screen faces still serve.
#[test]
fn the_pad_rates_once_and_a_faulty_pad_leaves_the_screen_to_serve() {
    let (app, controller, setup) = start();
    let sim = controller.sim_pad().unwrap();
    open_and_identify(&app, &setup, Service::PensionSummary);
    wait_until("the result", || screen(&app) == ScreenId::Result);
    app.global::<AppState>().set_dev_dock_open(true);
    click(&app, "评价器4");
    let_real_time_pass(std::time::Duration::from_millis(300));
    assert!(
        controller
            .records()
            .iter()
            .all(|r| !matches!(r, Record::Rated(..))),
        "not on the result screen"
    );
    click(&app, "完成");
    wait_until("the pad lit", || {
        sim.leds() == kiosk_app::devices::rating_pad::Leds::ALL_ON
    });
    click(&app, "评价器4");
    click(&app, "评价器4");
    wait_until("the rating", || {
        controller
            .records()
            .iter()
            .any(|r| matches!(r, Record::Rated(..)))
    });
    let_real_time_pass(std::time::Duration::from_millis(300));
    let rated: Vec<_> = controller
        .records()
        .into_iter()
        .filter(|r| matches!(r, Record::Rated(..)))
        .collect();
    assert_eq!(rated.len(), 1, "{rated:?}");
    assert!(matches!(
        rated[0],
        Record::Rated(_, kiosk_core::session::RatingLevel::Satisfied)
    ));
    wait_until("the pad dark", || {
        sim.leds() == kiosk_app::devices::rating_pad::Leds::OFF
    });

    click(&app, "评价器故障");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while controller.rating_pad_health() != Some(kiosk_core::session::DeviceHealth::Fault) {
        assert!(
            std::time::Instant::now() < deadline,
            "the silent pad is reported faulty"
        );
        let_real_time_pass(std::time::Duration::from_millis(200));
    }
    click(&app, "取走身份证");
    app.global::<AppState>().set_dev_dock_open(false);
    advance_secs(4);
    assert_eq!(screen(&app), ScreenId::Attract);
    let_real_time_pass(std::time::Duration::from_secs(1));
    open_and_identify(&app, &setup, Service::PensionSummary);
    wait_until("the result", || screen(&app) == ScreenId::Result);
    click(&app, "完成");
    click(&app, "满意");
    assert_eq!(
        controller
            .records()
            .iter()
            .filter(|r| matches!(r, Record::Rated(..)))
            .count(),
        2,
        "the screen serves without the pad"
    );
}

/// A pad that types like a USB keyboard: its keys (F1–F5 by default) reach the session through
/// the window's key events, and only on the rating screen.
#[test]
fn a_keyboard_pad_rates_through_the_windows_key_events() {
    i_slint_backend_testing::init_no_event_loop();
    kiosk_app::fonts::register();
    let mut setup = (*demo_setup()).clone();
    setup.terminal.rating_pad = kiosk_core::terminal::RatingPadAddress::Keyboard;
    let setup = std::sync::Arc::new(setup);
    let app = AppWindow::new().unwrap();
    app.window().set_size(slint::PhysicalSize::new(1080, 1920));
    let controller = Controller::new(
        &app,
        setup.clone(),
        kiosk_app::controller::ClockSource::Counted,
        false,
    );
    settle();
    let press = |key: slint::platform::Key| {
        let text = slint::SharedString::from(key);
        app.window()
            .dispatch_event(slint::platform::WindowEvent::KeyPressed { text: text.clone() });
        app.window()
            .dispatch_event(slint::platform::WindowEvent::KeyReleased { text });
        settle();
    };
    open_and_identify(&app, &setup, Service::PensionSummary);
    wait_until("the result", || screen(&app) == ScreenId::Result);
    press(slint::platform::Key::F1);
    assert!(
        controller
            .records()
            .iter()
            .all(|r| !matches!(r, Record::Rated(..)))
    );
    click(&app, "完成");
    press(slint::platform::Key::F2); // 满意
    let rated: Vec<_> = controller
        .records()
        .into_iter()
        .filter(|r| matches!(r, Record::Rated(..)))
        .collect();
    assert!(
        matches!(
            rated[..],
            [Record::Rated(
                _,
                kiosk_core::session::RatingLevel::Satisfied
            )]
        ),
        "{rated:?}"
    );
}

/// Everything the kiosk logs through `tracing` on the UI thread during an application, with
/// the effect log on as `kiosk run` has it: the effects are there, the citizen is not.
#[test]
fn no_personal_data_reaches_the_log_during_an_application() {
    #[derive(Clone, Default)]
    struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
    impl std::io::Write for Captured {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (app, _controller, setup) = start_with(true);
    open_and_identify(&app, &setup, Service::CardApplyAdult);
    wait_until("the form", || screen(&app) == ScreenId::Form);
    for d in "13912345678".chars() {
        click(&app, &d.to_string());
    }
    click(&app, "邮寄到户籍地址");
    click(&app, "下一步");
    click(&app, "确认提交");
    wait_until("the receipt", || screen(&app) == ScreenId::Receipt);
    let_real_time_pass(std::time::Duration::from_millis(500));

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("submit"), "the effects are logged:\n{log}");
    let p = kiosk_core::samples::SAMPLE_PEOPLE[1];
    for secret in [p.name, p.sequence, p.address, p.birth, "13912345678"] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }
}
