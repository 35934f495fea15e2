//! `kiosk screenshot`: renders any screen with sample data through the software renderer.
//!
//! Each screen is reached by driving a real [`Session`] with events (the same path a
//! citizen takes) and projecting it, so a screenshot shows what the state machine shows.

use crate::bridge;
use crate::sim::backend::SimBackend;
use crate::ui::*;
use kiosk_core::catalog::{Category, FlowKind, MatterId, Service};
use kiosk_core::samples::SAMPLE_PEOPLE;
use kiosk_core::session::{
    Action, BackendFailure, BackendReply, CardReadFailure, Device, DeviceHealth, Effect, Event,
    Millis, PrintFailure, PrintReport, PrintResult, RatingLevel, Session,
};
use kiosk_core::setup::Setup;
use slint::ComponentHandle;
use std::sync::Arc;

/// Every screen `--screen` accepts, in walk order.
pub const SCREENS: [&str; 34] = [
    "attract",
    "home",
    "matter-list",
    "search",
    "guide",
    "identify",
    "identify-reading",
    "identify-retry",
    "form",
    "capture",
    "capture-rejected",
    "scanner-unavailable",
    "review",
    "submitting",
    "result",
    "receipt",
    "receipt-print-failed",
    "rating",
    "help",
    "timeout",
    "device-unavailable",
    "printer-unavailable",
    "error",
    "dev-dock",
    "progress-guide",
    "receipt-entry",
    "progress-result",
    "identify-guardian",
    "certificate",
    "rating-detail",
    "maintenance-pin",
    "maintenance-menu",
    "maintenance-devices",
    "maintenance-paper",
];

fn first_with_flow(setup: &Setup, flow: FlowKind, prefer: &str) -> Option<MatterId> {
    let offered = || {
        setup
            .terminal
            .offered
            .iter()
            .filter_map(|id| setup.catalog.get(id))
    };
    offered()
        .find(|m| m.flow == flow && m.id.as_str() == prefer)
        .or_else(|| offered().find(|m| m.flow == flow && m.name.chars().count() >= 12))
        .or_else(|| offered().find(|m| m.flow == flow))
        .map(|m| m.id.clone())
}

fn feed(session: &mut Session, events: impl IntoIterator<Item = Event>) -> Vec<Effect> {
    events
        .into_iter()
        .flat_map(|e| session.step_event(e))
        .collect()
}

fn touch(a: Action) -> Event {
    Event::Touch(a)
}

/// Drives a session to the named screen. Returns `None` for an unknown name.
pub fn sample_session(setup: Arc<Setup>, name: &str) -> Option<Session> {
    if name.starts_with("maintenance-") {
        // the maintenance menu covers the attract screen
        return Some(Session::new(setup));
    }
    let query = first_with_flow(&setup, FlowKind::Query, "yanglao-cxjm-jiaofei-daiyu-chaxun");
    let apply = first_with_flow(&setup, FlowKind::Apply, "shebaoka-shenling-chengnianren");
    let backend = SimBackend::new(&setup.terminal.id);
    let mut s = Session::new(setup);
    let person = SAMPLE_PEOPLE[2].identity();
    let open = |s: &mut Session, m: &Option<MatterId>| {
        feed(
            s,
            [
                touch(Action::Start),
                touch(Action::OpenCategory(Category::Pension)),
            ],
        );
        if let Some(m) = m {
            feed(s, [touch(Action::OpenMatter(m.clone()))]);
        }
    };
    let request_of = |fx: &[Effect]| {
        fx.iter().find_map(|e| match e {
            Effect::Query { request, .. } | Effect::Submit { request, .. } => Some(*request),
            _ => None,
        })
    };
    match name {
        "attract" | "dev-dock" => {}
        "home" => {
            feed(&mut s, [touch(Action::Start)]);
        }
        "matter-list" => {
            feed(
                &mut s,
                [
                    touch(Action::Start),
                    touch(Action::OpenCategory(Category::Pension)),
                ],
            );
        }
        "search" => {
            feed(&mut s, [touch(Action::Start), touch(Action::OpenSearch)]);
            feed(&mut s, "ylbx".chars().map(|c| touch(Action::SearchKey(c))));
        }
        "guide" => open(&mut s, &query),
        "identify" | "identify-reading" | "identify-retry" | "submitting" | "result" | "rating"
        | "rating-detail" | "error" => {
            open(&mut s, &query);
            feed(&mut s, [touch(Action::StartMatter)]);
            if name == "identify-retry" {
                feed(&mut s, [Event::CardReadFailed(CardReadFailure::CardMoved)]);
            } else if name == "identify-reading" {
                feed(&mut s, [Event::CardDetected]);
            } else if name != "identify" {
                let fx = feed(&mut s, [Event::CardPresented(person.clone())]);
                let request = request_of(&fx)?;
                let service = s.setup().catalog.get(s.screen().matter()?)?.service?;
                match name {
                    "submitting" => {}
                    "error" => {
                        feed(
                            &mut s,
                            [Event::Backend(BackendReply::Failed(
                                request,
                                BackendFailure::Unreachable,
                            ))],
                        );
                    }
                    _ => {
                        let outcome = backend.query(service, &person);
                        feed(
                            &mut s,
                            [Event::Backend(BackendReply::QueryResult(request, outcome))],
                        );
                        if name.starts_with("rating") {
                            feed(&mut s, [touch(Action::Done)]);
                        }
                        if name == "rating-detail" {
                            feed(
                                &mut s,
                                [
                                    touch(Action::Rate(RatingLevel::Dissatisfied)),
                                    touch(Action::ToggleReason(3)),
                                    touch(Action::ToggleCallback),
                                ],
                            );
                            feed(
                                &mut s,
                                "1391234".chars().map(|c| touch(Action::RatingDigit(c))),
                            );
                        }
                    }
                }
            }
        }
        "form" | "review" | "receipt" | "receipt-print-failed" => {
            open(&mut s, &apply);
            feed(
                &mut s,
                [
                    touch(Action::StartMatter),
                    Event::CardPresented(person.clone()),
                ],
            );
            feed(
                &mut s,
                "1391234".chars().map(|c| touch(Action::FormDigit(c))),
            );
            if name != "form" {
                feed(&mut s, "5678".chars().map(|c| touch(Action::FormDigit(c))));
                feed(
                    &mut s,
                    [touch(Action::FormChoose(0)), touch(Action::FormNext)],
                );
                if name.starts_with("receipt") {
                    let fx = feed(&mut s, [touch(Action::Confirm)]);
                    let request = request_of(&fx)?;
                    let mut backend = backend;
                    let service = s.setup().catalog.get(s.screen().matter()?)?.service?;
                    let acceptance = backend.submit(service);
                    let fx = feed(
                        &mut s,
                        [Event::Backend(BackendReply::Accepted(request, acceptance))],
                    );
                    if name == "receipt-print-failed" {
                        let job = fx.iter().find_map(|e| match e {
                            Effect::Print(job) => Some(job.clone()),
                            _ => None,
                        })?;
                        feed(
                            &mut s,
                            [Event::PrintFinished(PrintReport {
                                id: job.id,
                                reprint: job.reprint,
                                result: PrintResult::Failed(PrintFailure::PaperOut),
                            })],
                        );
                    }
                }
            } else {
                feed(&mut s, [touch(Action::FormNext)]);
            }
        }
        "capture" | "capture-rejected" | "scanner-unavailable" => {
            let enrol = first_with_service(s.setup(), Service::PensionEnrolment)?;
            open(&mut s, &Some(enrol));
            feed(
                &mut s,
                [
                    touch(Action::StartMatter),
                    Event::CardPresented(person.clone()),
                ],
            );
            feed(
                &mut s,
                "13912345678".chars().map(|c| touch(Action::FormDigit(c))),
            );
            feed(
                &mut s,
                [touch(Action::FormChoose(0)), touch(Action::FormNext)],
            );
            let fx = feed(&mut s, [touch(Action::CaptureTake)]);
            let request = fx.iter().find_map(|e| match e {
                Effect::Capture { request, .. } => Some(*request),
                _ => None,
            })?;
            let page = kiosk_core::capture::PageRef {
                sha256: SAMPLE_PAGE_SHA.into(),
                bytes: 182_000,
            };
            feed(&mut s, [Event::Captured(request, Ok(page))]);
            match name {
                "capture-rejected" => {
                    let fx = feed(&mut s, [touch(Action::CaptureTake)]);
                    let request = fx.iter().find_map(|e| match e {
                        Effect::Capture { request, .. } => Some(*request),
                        _ => None,
                    })?;
                    let why = documents::Rejection::Blurred {
                        blur: 6.0,
                        threshold: 2.5,
                    }
                    .prompt()
                    .to_string();
                    feed(
                        &mut s,
                        [Event::Captured(
                            request,
                            Err(kiosk_core::capture::CaptureFailure::Rejected(why)),
                        )],
                    );
                }
                "scanner-unavailable" => {
                    feed(
                        &mut s,
                        [Event::DeviceStatus(Device::Scanner, DeviceHealth::Fault)],
                    );
                }
                _ => {}
            }
        }
        "help" => {
            open(&mut s, &query);
            feed(&mut s, [touch(Action::Help)]);
        }
        "timeout" => {
            open(&mut s, &query);
            let idle = u64::from(s.setup().terminal.idle_timeout_secs) * 1000;
            feed(
                &mut s,
                [Event::Tick(Millis(idle)), Event::Tick(Millis(idle + 3_000))],
            );
        }
        "device-unavailable" => {
            open(&mut s, &query);
            feed(
                &mut s,
                [
                    Event::DeviceStatus(Device::CardReader, DeviceHealth::Fault),
                    touch(Action::StartMatter),
                ],
            );
        }
        "printer-unavailable" => {
            open(&mut s, &apply);
            feed(
                &mut s,
                [
                    Event::DeviceStatus(Device::Printer, DeviceHealth::Fault),
                    touch(Action::StartMatter),
                ],
            );
        }
        "progress-guide" | "receipt-entry" | "progress-result" => {
            let progress = s.setup().catalog.progress_matter_id()?.clone();
            feed(
                &mut s,
                [touch(Action::Start), touch(Action::OpenMatter(progress))],
            );
            if name != "progress-guide" {
                feed(&mut s, [touch(Action::EnterReceiptNo)]);
                let typed = if name == "receipt-entry" {
                    "SL2026112300000"
                } else {
                    "SL20261123000001"
                };
                feed(&mut s, typed.chars().map(|c| touch(Action::ReceiptKey(c))));
            }
            if name == "progress-result" {
                let fx = feed(&mut s, [touch(Action::QueryReceipt)]);
                let request = fx.iter().find_map(|e| match e {
                    Effect::QueryProgress { request, .. } => Some(*request),
                    _ => None,
                })?;
                let matter = apply.clone()?;
                let case = county::api::Progress {
                    receipt_no: "SL20261123000001".into(),
                    matter_id: matter.as_str().into(),
                    status: "accepted".into(),
                    steps: vec![county::api::ProgressStep {
                        at: 1_795_393_800,
                        text: "终端提交，已受理".into(),
                    }],
                };
                let outcome = crate::backend::progress::outcome(&[case], &s.setup().catalog);
                feed(
                    &mut s,
                    [Event::Backend(BackendReply::QueryResult(request, outcome))],
                );
            }
        }
        "identify-guardian" => {
            let minor = first_with_service(s.setup(), Service::CardApplyMinor)?;
            open(&mut s, &Some(minor));
            feed(
                &mut s,
                [
                    touch(Action::StartMatter),
                    Event::CardPresented(SAMPLE_PEOPLE[0].identity()),
                ],
            );
        }
        "certificate" => {
            let cert = first_with_service(s.setup(), Service::InsuranceCertificate)?;
            open(&mut s, &Some(cert));
            let fx = feed(
                &mut s,
                [
                    touch(Action::StartMatter),
                    Event::CardPresented(person.clone()),
                ],
            );
            let request = request_of(&fx)?;
            let outcome = backend.query(Service::InsuranceCertificate, &person);
            feed(
                &mut s,
                [Event::Backend(BackendReply::QueryResult(request, outcome))],
            );
        }
        _ => return None,
    }
    Some(s)
}

fn first_with_service(setup: &Setup, service: Service) -> Option<MatterId> {
    setup
        .terminal
        .offered
        .iter()
        .find(|id| setup.catalog.get(id).and_then(|m| m.service) == Some(service))
        .cloned()
}

/// Renders one screen to a PNG. The headless platform must be installed.
pub fn render(
    app: &AppWindow,
    window: &slint::platform::software_renderer::MinimalSoftwareWindow,
    setup: &Arc<Setup>,
    name: &str,
    size: (u32, u32),
    out: &std::path::Path,
) -> Result<(), String> {
    let session =
        sample_session(setup.clone(), name).ok_or_else(|| format!("unknown screen “{name}”"))?;
    window.set_size(slint::PhysicalSize::new(size.0, size.1));
    bridge::project_static(app, &session);
    bridge::project(app, &session);
    let state = app.global::<AppState>();
    state.set_clock_text("2026年11月23日 星期一 09:30".into());
    state.set_dev_dock_available(setup.terminal.simulated_devices);
    state.set_dev_dock_open(name == "dev-dock");
    if name == "dev-dock" {
        app.global::<DevDock>()
            .set_people(slint::ModelRc::new(slint::VecModel::from(
                crate::devices::card_reader::dock_labels()
                    .into_iter()
                    .map(Into::into)
                    .collect::<Vec<slint::SharedString>>(),
            )));
    }
    sample_maintenance(app, name);
    if name.starts_with("capture") {
        sample_capture(app);
    }
    slint::platform::update_timers_and_animations();
    let shot = app.window().take_snapshot().map_err(|e| e.to_string())?;
    crate::headless::write_png(&shot, out)
}

/// The name the sample capture's page goes by (the pictures are drawn here, not kept).
const SAMPLE_PAGE_SHA: &str = "5a3f0c7e9b2d4a6f8e1c3b5d7f9a0b2c4d6e8f0a1b3c5d7e9f0a2b4c6d8e0f1a";

/// The capture screen's pictures: what the controller draws from the live camera, here from
/// a generated desk (an A4 page, a little turned) and that page through the pipeline.
fn sample_capture(app: &AppWindow) {
    use crate::devices::scanner::{PREVIEW, thumbnail};
    use documents::synthetic::{PageSpec, page};
    let desk = page(&PageSpec::a4().frame(2592, 1944).rotated(3.0)).image;
    let c = app.global::<CaptureAdapter>();
    let w = PREVIEW.max_width;
    let h = desk.height() * w / desk.width().max(1);
    let preview = image::imageops::resize(&desk, w, h, image::imageops::FilterType::Triangle);
    c.set_preview(slint::Image::from_rgb8(
        slint::SharedPixelBuffer::clone_from_slice(preview.as_raw(), w, h),
    ));
    c.set_has_preview(true);
    let processed = documents::process_image(
        image::DynamicImage::ImageRgb8(desk),
        documents::MaterialKind::A4Document,
        &documents::Config::default(),
    );
    if let Some(t) = processed.ok().as_ref().and_then(thumbnail) {
        c.set_pages(slint::ModelRc::new(slint::VecModel::from(vec![
            slint::Image::from_rgb8(slint::SharedPixelBuffer::clone_from_slice(
                t.as_raw(),
                t.width(),
                t.height(),
            )),
        ])));
    }
}

/// The maintenance menu's pages with sample facts (the menu itself is drawn from live devices
/// by the controller; these show its layout).
fn sample_maintenance(app: &AppWindow, name: &str) {
    use crate::ui::{MaintDevice, MaintEntry, MaintenanceAdapter, Row};
    use kiosk_core::maintenance::{MenuPage, TestedDevice};
    let m = app.global::<MaintenanceAdapter>();
    let page = match name {
        "maintenance-pin" => MenuPage::Pin,
        "maintenance-menu" => MenuPage::Main,
        "maintenance-devices" => MenuPage::Devices,
        "maintenance-paper" => MenuPage::Paper,
        _ => {
            m.set_open(false);
            return;
        }
    };
    let row = |l: &str, v: &str| Row {
        label: l.into(),
        value: v.into(),
    };
    m.set_open(true);
    m.set_page(page.code().into());
    m.set_title(page.title().into());
    m.set_pin_dots("●●●".into());
    m.set_message(match page {
        MenuPage::Pin => "密码错误，还可尝试 4 次。".into(),
        MenuPage::Paper => "已记录更换纸卷，本卷打印计数从零开始。".into(),
        _ => "".into(),
    });
    m.set_menu(sample_model(
        MenuPage::MENU
            .iter()
            .map(|p| MaintEntry {
                code: p.code().into(),
                title: p.title().into(),
            })
            .collect(),
    ));
    m.set_devices(sample_model(
        TestedDevice::ALL
            .iter()
            .map(|d| {
                let (state, detail, test, result) = match d {
                    TestedDevice::CardReader => (
                        "正常",
                        "读卡成功 412，失败 3，校验错 0，超时 1，重连 0",
                        "读卡测试",
                        "通过：读卡成功，证件信息校验通过（不显示、不保存）。",
                    ),
                    TestedDevice::Printer => (
                        "降级",
                        "纸将尽；打印 388 单（失败 2），10240 行，切纸 388 次，通信错误 0，重连 1",
                        "打印测试页",
                        "正在打印测试页……",
                    ),
                    TestedDevice::Scanner => (
                        "正常",
                        "拍摄 12（失败 0），帧 3310（坏帧 0），重连 0（模拟高拍仪）",
                        "拍摄测试",
                        "通过：拍摄成功：2592×1944，Mjpeg，1062 KB。",
                    ),
                    TestedDevice::RatingPad => (
                        "故障",
                        "按键 201（重复 4），帧 9120（坏帧 2），重连 3",
                        "评价器测试",
                        "",
                    ),
                };
                MaintDevice {
                    code: d.code().into(),
                    name: d.label().into(),
                    state: state.into(),
                    detail: detail.into(),
                    test_label: test.into(),
                    result: result.into(),
                }
            })
            .collect(),
    ));
    m.set_rows(sample_model(vec![
        row("纸张状态", "纸将尽"),
        row("上次更换纸卷", "2026年11月20日 星期五 08:12"),
        row("本卷已打印", "0 行，切纸 0 次"),
        row("纸将尽 / 缺纸次数", "1 / 0（本次运行）"),
    ]));
}

fn sample_model<T: Clone + 'static>(items: Vec<T>) -> slint::ModelRc<T> {
    slint::ModelRc::new(slint::VecModel::from(items))
}
