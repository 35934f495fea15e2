//! 材料拍摄 in the citizen session, on the shipped catalog: the capture screen between the
//! form and the review, 拍摄 / 重拍 / 删除, required materials, the pages in the submission,
//! the 高拍仪 failing and coming back, and the catalog's checks of `[[matter.capture]]`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kiosk_core::capture::{CaptureFailure, CaptureKind, CaptureStatus, PageRef};
use kiosk_core::catalog::MatterId;
use kiosk_core::samples::SAMPLE_PEOPLE;
use kiosk_core::session::{
    Action, Device, DeviceHealth, Effect, Event, Millis, Prompt, RequestId, Screen, ScreenKind,
    Session,
};
use kiosk_core::setup::Setup;
use std::sync::Arc;

const KIOSK: &str = include_str!("../../../config/kiosk.toml");
const MATTERS: &str = include_str!("../../../config/matters.toml");

/// 城乡居民基本养老保险参保登记: 户口簿 required, two pages at most.
const PENSION: &str = "yanglao-cxjm-canbao-dengji";
/// 社会保障卡申领（成年人）: nothing captured.
const CARD: &str = "shebaoka-shenling-chengnianren";

fn mid(s: &str) -> MatterId {
    MatterId(s.to_string())
}

fn page(n: u8) -> PageRef {
    PageRef {
        sha256: format!("{n:064x}"),
        bytes: 180_000,
    }
}

struct Kiosk {
    s: Session,
}

impl Kiosk {
    fn new() -> Kiosk {
        let setup = Setup::parse(KIOSK, "kiosk.toml", MATTERS, "matters.toml")
            .unwrap_or_else(|e| panic!("{e}"));
        let mut s = Session::new(Arc::new(setup));
        s.step_event(Event::Tick(Millis(5_000_000)));
        Kiosk { s }
    }

    fn touch(&mut self, a: Action) -> Vec<Effect> {
        self.s.step_event(Event::Touch(a))
    }

    fn ev(&mut self, e: Event) -> Vec<Effect> {
        self.s.step_event(e)
    }

    fn screen(&self) -> &Screen {
        self.s.screen()
    }

    /// Through the guide, the card and a filled form of `matter`, pressing 下一步.
    fn past_form(matter: &str) -> (Kiosk, Vec<Effect>) {
        let mut k = Kiosk::new();
        k.touch(Action::Start);
        k.touch(Action::OpenMatter(mid(matter)));
        k.touch(Action::StartMatter);
        k.ev(Event::CardPresented(SAMPLE_PEOPLE[0].identity()));
        assert_eq!(k.screen(), &Screen::Form(mid(matter)));
        for d in "13912345678".chars() {
            k.touch(Action::FormDigit(d));
        }
        k.touch(Action::FormChoose(0));
        let fx = k.touch(Action::FormNext);
        (k, fx)
    }

    fn capture() -> Kiosk {
        let (k, fx) = Kiosk::past_form(PENSION);
        assert_eq!(k.screen(), &Screen::Capture(mid(PENSION)));
        assert!(fx.contains(&Effect::Speak(Prompt::PlaceMaterial)));
        k
    }

    /// 拍摄 (or 重拍): the capture the session asks the 高拍仪 for.
    fn take(&mut self, retake: bool) -> (RequestId, CaptureKind) {
        let fx = self.touch(if retake {
            Action::CaptureRetake
        } else {
            Action::CaptureTake
        });
        fx.iter()
            .find_map(|e| match e {
                Effect::Capture { request, kind } => Some((*request, *kind)),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no capture asked for: {fx:?}"))
    }

    fn took(
        &mut self,
        request: RequestId,
        outcome: Result<PageRef, CaptureFailure>,
    ) -> Vec<Effect> {
        self.ev(Event::Captured(request, outcome))
    }
}

#[test]
fn a_matter_without_materials_to_capture_goes_from_the_form_to_the_review() {
    let (k, _) = Kiosk::past_form(CARD);
    assert_eq!(k.screen(), &Screen::Review(mid(CARD)));
    assert_eq!(k.s.step(), Some((4, 6)));
}

#[test]
fn the_capture_screen_comes_after_the_form_and_counts_as_a_step() {
    let k = Kiosk::capture();
    assert_eq!(k.s.step(), Some((4, 7)));
    let slots = k.s.capture_slots();
    assert_eq!(slots.len(), 1);
    assert_eq!(slots[0].material, "户口簿");
    assert!(slots[0].required);
    assert_eq!(slots[0].max_pages, 2);
    assert_eq!(k.s.captures().status(), CaptureStatus::Ready);
}

#[test]
fn next_waits_for_a_required_material_and_says_which() {
    let mut k = Kiosk::capture();
    k.touch(Action::CaptureDone);
    assert_eq!(k.screen(), &Screen::Capture(mid(PENSION)));
    assert_eq!(
        k.s.captures().status(),
        CaptureStatus::Rejected("请先拍摄“户口簿”".into())
    );
}

#[test]
fn a_page_taken_travels_with_the_submission() {
    let mut k = Kiosk::capture();
    let (request, kind) = k.take(false);
    assert_eq!(kind, CaptureKind::A4);
    assert!(k.s.captures().taking());
    assert!(
        !k.touch(Action::CaptureTake)
            .iter()
            .any(|e| matches!(e, Effect::Capture { .. })),
        "a second press while one is under way is not a second picture"
    );
    k.took(request, Ok(page(1)));
    assert_eq!(k.s.captures().status(), CaptureStatus::Taken);
    assert_eq!(k.s.captures().pages(0), &[page(1)]);

    let (second, _) = k.take(false);
    k.took(second, Ok(page(2)));
    assert!(
        !k.touch(Action::CaptureTake)
            .iter()
            .any(|e| matches!(e, Effect::Capture { .. })),
        "户口簿 takes two pages at most"
    );

    k.touch(Action::CaptureDone);
    assert_eq!(k.screen(), &Screen::Review(mid(PENSION)));
    assert_eq!(k.s.step(), Some((5, 7)));
    let fx = k.touch(Action::Confirm);
    let materials = fx
        .iter()
        .find_map(|e| match e {
            Effect::Submit { materials, .. } => Some(materials.clone()),
            _ => None,
        })
        .expect("a submission");
    assert_eq!(materials.len(), 1);
    assert_eq!(materials[0].material, "户口簿");
    assert_eq!(materials[0].pages, vec![page(1), page(2)]);
}

#[test]
fn a_rejected_capture_asks_for_a_retake_and_keeps_nothing() {
    let mut k = Kiosk::capture();
    let (request, _) = k.take(false);
    let fx = k.took(
        request,
        Err(CaptureFailure::Rejected("请将材料放平后重新拍摄".into())),
    );
    assert!(fx.contains(&Effect::Speak(Prompt::RetakeMaterial)));
    assert_eq!(
        k.s.captures().status(),
        CaptureStatus::Rejected("请将材料放平后重新拍摄".into())
    );
    assert!(k.s.captures().is_empty());
    let (request, _) = k.take(false);
    k.took(request, Err(CaptureFailure::Camera));
    assert_eq!(k.s.captures().status(), CaptureStatus::CameraFailed);
    assert!(k.s.captures().is_empty());
}

#[test]
fn retake_replaces_the_last_page_and_remove_drops_one() {
    let mut k = Kiosk::capture();
    assert!(
        !k.touch(Action::CaptureRetake)
            .iter()
            .any(|e| matches!(e, Effect::Capture { .. })),
        "nothing to retake yet"
    );
    let (r, _) = k.take(false);
    k.took(r, Ok(page(1)));
    let (r, _) = k.take(true);
    k.took(r, Ok(page(9)));
    assert_eq!(k.s.captures().pages(0), &[page(9)]);
    k.touch(Action::CaptureRemove(0));
    assert!(k.s.captures().is_empty());
    k.touch(Action::CaptureRemove(5));
    assert_eq!(k.screen(), &Screen::Capture(mid(PENSION)));
}

#[test]
fn a_late_or_foreign_capture_is_dropped() {
    let mut k = Kiosk::capture();
    let (r, _) = k.take(false);
    let stranger = RequestId {
        session: r.session + 7,
        seq: r.seq,
    };
    k.took(stranger, Ok(page(3)));
    assert!(k.s.captures().taking(), "still waiting on its own capture");
    assert!(k.s.captures().is_empty());
    // the citizen walks away: the page that arrives after belongs to nobody
    k.touch(Action::GoHome);
    k.took(r, Ok(page(4)));
    assert!(k.s.captures().is_empty());
}

#[test]
fn back_walks_review_capture_form_and_pages_survive_the_review() {
    let mut k = Kiosk::capture();
    let (r, _) = k.take(false);
    k.took(r, Ok(page(1)));
    k.touch(Action::CaptureDone);
    k.touch(Action::Back);
    assert_eq!(k.screen(), &Screen::Capture(mid(PENSION)));
    assert_eq!(
        k.s.captures().pages(0),
        &[page(1)],
        "the review's 返回 keeps the pages"
    );
    k.touch(Action::Back);
    assert_eq!(k.screen(), &Screen::Form(mid(PENSION)));
    // 下一步 again: the pages are still there
    k.touch(Action::FormNext);
    assert_eq!(k.s.captures().pages(0), &[page(1)]);
    k.touch(Action::Back);
    let fx = k.touch(Action::Back);
    assert_eq!(k.screen(), &Screen::Guide(mid(PENSION)));
    assert!(fx.contains(&Effect::WipeSession));
    assert!(
        k.s.captures().is_empty(),
        "leaving the form drops the pages"
    );
}

#[test]
fn the_scanner_failing_on_the_capture_screen_says_so_and_its_return_goes_on() {
    let mut k = Kiosk::capture();
    let (r, _) = k.take(false);
    k.took(r, Ok(page(1)));
    let (_pending, _) = k.take(false);
    k.ev(Event::DeviceStatus(Device::Scanner, DeviceHealth::Fault));
    assert_eq!(
        k.screen(),
        &Screen::DeviceUnavailable(Device::Scanner, Some(mid(PENSION)))
    );
    assert!(!k.s.captures().taking(), "the capture under way ended");
    let fx = k.ev(Event::DeviceStatus(Device::Scanner, DeviceHealth::Ready));
    assert_eq!(k.screen(), &Screen::Capture(mid(PENSION)));
    assert!(fx.contains(&Effect::Show(ScreenKind::Capture)));
    assert_eq!(k.s.captures().pages(0), &[page(1)], "the pages were kept");
}

#[test]
fn back_from_the_scanner_notice_drops_the_application() {
    let mut k = Kiosk::capture();
    k.ev(Event::DeviceStatus(Device::Scanner, DeviceHealth::Fault));
    let fx = k.touch(Action::Back);
    assert_eq!(k.screen(), &Screen::Guide(mid(PENSION)));
    assert!(fx.contains(&Effect::WipeSession));
    assert!(k.s.identity().is_none());
}

#[test]
fn with_the_scanner_down_a_matter_that_must_capture_is_stopped_before_the_card() {
    let mut k = Kiosk::new();
    k.ev(Event::DeviceStatus(Device::Scanner, DeviceHealth::Fault));
    k.touch(Action::Start);
    k.touch(Action::OpenMatter(mid(PENSION)));
    let fx = k.touch(Action::StartMatter);
    assert_eq!(
        k.screen(),
        &Screen::DeviceUnavailable(Device::Scanner, Some(mid(PENSION)))
    );
    assert!(!fx.contains(&Effect::EnableCardReader));
    // a matter without a required capture is not held up
    let mut k = Kiosk::new();
    k.ev(Event::DeviceStatus(Device::Scanner, DeviceHealth::Fault));
    k.touch(Action::Start);
    k.touch(Action::OpenMatter(mid(CARD)));
    k.touch(Action::StartMatter);
    assert_eq!(k.screen().kind(), ScreenKind::Identify);
    // the camera comes back while the notice shows: the matter starts
    let mut k = Kiosk::new();
    k.ev(Event::DeviceStatus(Device::Scanner, DeviceHealth::Fault));
    k.touch(Action::Start);
    k.touch(Action::OpenMatter(mid(PENSION)));
    k.touch(Action::StartMatter);
    let fx = k.ev(Event::DeviceStatus(Device::Scanner, DeviceHealth::Ready));
    assert_eq!(k.screen().kind(), ScreenKind::Identify);
    assert!(fx.contains(&Effect::EnableCardReader));
}

#[test]
fn going_home_wipes_the_pages() {
    let mut k = Kiosk::capture();
    let (r, _) = k.take(false);
    k.took(r, Ok(page(1)));
    let fx = k.touch(Action::GoHome);
    assert!(fx.contains(&Effect::WipeSession));
    assert!(k.s.captures().is_empty());
}

// ---------------------------------------------------------------------------------------
// the catalog's checks of [[matter.capture]]
// ---------------------------------------------------------------------------------------

fn with_capture(capture: &str) -> Result<Setup, String> {
    let at = MATTERS
        .find("[[matter]]\nid = \"yanglao-cxjm-biangeng-changgui\"")
        .expect("the matter after the pension enrolment");
    // drop the shipped capture of the pension enrolment and put `capture` in its place
    let before = &MATTERS[..at];
    let cut = before
        .rfind("[[matter.capture]]")
        .expect("the pension enrolment's capture");
    let matters = format!("{}{capture}\n\n{}", &before[..cut], &MATTERS[at..]);
    Setup::parse(KIOSK, "kiosk.toml", &matters, "matters.toml").map_err(|e| e.to_string())
}

#[test]
fn the_catalog_refuses_bad_capture_slots_naming_the_field() {
    assert!(with_capture("[[matter.capture]]\nmaterial = \"户口簿\"\nkind = \"a4\"").is_ok());
    let unknown =
        with_capture("[[matter.capture]]\nmaterial = \"结婚证\"\nkind = \"a4\"").unwrap_err();
    assert!(unknown.contains("capture[0].material"), "{unknown}");
    assert!(unknown.contains("结婚证"), "{unknown}");
    let twice = with_capture(
        "[[matter.capture]]\nmaterial = \"户口簿\"\nkind = \"a4\"\n\n[[matter.capture]]\nmaterial = \"户口簿\"\nkind = \"a4\"",
    )
    .unwrap_err();
    assert!(twice.contains("capture[1].material"), "{twice}");
    for pages in ["0", "9"] {
        let e = with_capture(&format!(
            "[[matter.capture]]\nmaterial = \"户口簿\"\nkind = \"a4\"\nmax_pages = {pages}"
        ))
        .unwrap_err();
        assert!(e.contains("capture[0].max_pages"), "{e}");
    }
    let total = with_capture(
        "[[matter.capture]]\nmaterial = \"户口簿\"\nkind = \"a4\"\nmax_pages = 8\n\n[[matter.capture]]\nmaterial = \"本人居民身份证\"\nkind = \"id-card\"\nmax_pages = 8\n\n",
    );
    assert!(total.is_ok(), "16 pages in all is the limit: {total:?}");
    let kind =
        with_capture("[[matter.capture]]\nmaterial = \"户口簿\"\nkind = \"photo\"").unwrap_err();
    assert!(kind.contains("kind") || kind.contains("photo"), "{kind}");
}

#[test]
fn only_an_apply_matter_may_capture() {
    let at = MATTERS
        .find("id = \"yanglao-cxjm-jiaofei-daiyu-chaxun\"")
        .expect("a query matter");
    let next = at + MATTERS[at..].find("\n[[matter]]").expect("the next matter");
    let matters = format!(
        "{}\n[[matter.capture]]\nmaterial = \"本人居民身份证\"\nkind = \"id-card\"\n{}",
        &MATTERS[..next],
        &MATTERS[next..]
    );
    let e = Setup::parse(KIOSK, "kiosk.toml", &matters, "matters.toml")
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("flow = \\\"apply\\\"") || e.contains("apply"),
        "{e}"
    );
}

#[test]
fn the_scanner_notice_prints_the_notice_for_a_window() {
    let mut k = Kiosk::capture();
    k.ev(Event::DeviceStatus(Device::Scanner, DeviceHealth::Fault));
    let fx = k.touch(Action::PrintNotice);
    let job = fx
        .iter()
        .find_map(|e| match e {
            Effect::Print(job) => Some(job.clone()),
            _ => None,
        })
        .expect("the 告知单 is printed");
    assert_eq!(
        job.content,
        kiosk_core::session::PrintContent::Notice(mid(PENSION))
    );
    assert_eq!(k.s.print_status(), Some("正在打印，请稍候……"));
    assert!(
        !k.touch(Action::PrintNotice)
            .iter()
            .any(|e| matches!(e, Effect::Print(_))),
        "a second tap while it prints is not a second copy"
    );
}
