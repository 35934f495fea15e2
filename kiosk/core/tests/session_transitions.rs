//! Every transition of the citizen session state machine, driven with mock time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kiosk_core::catalog::{Category, MatterId, PROGRESS_MATTER, Service};
use kiosk_core::forms::FormData;
use kiosk_core::identity::Identity;
use kiosk_core::rating::{PadSignal, RatingRecord};
use kiosk_core::samples::SAMPLE_PEOPLE;
use kiosk_core::session::{
    Acceptance, Action, BackendFailure, BackendReply, CardReadFailure, Device, DeviceHealth,
    Effect, ErrorKind, Event, IdentifyRole, IdentifyStatus, ListSource, Millis, PrintContent,
    PrintFailure, PrintJob, PrintReport, PrintResult, Prompt, QueryOutcome, RatingLevel, RequestId,
    Screen, ScreenKind, Session, THANKS_MS,
};
use kiosk_core::setup::Setup;
use std::sync::Arc;

// ---------------------------------------------------------------------------------------
// The test terminal: a small county catalog and a kiosk.toml of its own.
// ---------------------------------------------------------------------------------------

const MATTERS: &str = r#"
[catalog]
name = "测试县政务服务事项目录"
version = "2026.1-test"

[guide_defaults]
fees = "不收费"
contact = "0916-0000000"
location = "测试县政务服务中心"

[[matter]]
id = "pension-summary"
name = "城乡居民养老保险缴费及待遇查询"
kind = "公共服务"
department = "测试县人力资源和社会保障局"
category = "养老保险"
handling = "办理"
flow = "query"
service = "pension-summary"
aliases = ["养老金查询"]
sources = ["测试县#1"]

[matter.guide]
legal_basis = "《中华人民共和国社会保险法》"
conditions = "已参加城乡居民基本养老保险的人员"
materials = ["居民身份证"]
process = ["刷身份证", "查看结果"]
time_limit = "即时办结"

[[matter]]
id = "card-apply-adult"
name = "社会保障卡申领（成年人）"
kind = "公共服务"
department = "测试县人力资源和社会保障局"
category = "社保卡"
handling = "受理"
flow = "apply"
service = "card-apply-adult"
sources = ["测试县#2"]

[matter.guide]
legal_basis = "《社会保障卡管理办法》"
conditions = "年满16周岁的参保人员"
materials = ["居民身份证", "近期免冠照片"]
process = ["刷身份证", "填写联系电话", "确认提交", "领取回执"]
time_limit = "20个工作日"

[[matter]]
id = "pension-funeral-grant"
name = "城乡居民养老保险丧葬补助金申领"
kind = "行政给付"
department = "测试县人力资源和社会保障局"
category = "养老保险"
handling = "初审"
flow = "guide"
sources = ["测试县#3"]

[matter.guide]
legal_basis = "《城乡居民基本养老保险经办规程》"
conditions = "参保人员死亡后，其遗属"
materials = ["死亡证明", "申领人身份证"]
process = ["窗口提交材料", "审核", "发放"]
time_limit = "15个工作日"

[[matter]]
id = "rights-record"
name = "个人权益记录查询打印"
kind = "公共服务"
department = "测试县人力资源和社会保障局"
category = "养老保险"
handling = "办理"
flow = "query"
service = "rights-record"
sources = ["测试县#5"]

[matter.guide]
legal_basis = "《中华人民共和国社会保险法》"
conditions = "参保人员"
materials = ["居民身份证"]
process = ["刷身份证", "打印"]
time_limit = "即时办结"

[[matter]]
id = "medical-enrolment"
name = "城乡居民医疗保险参保登记"
kind = "公共服务"
department = "测试县医疗保障局"
category = "医疗保险"
handling = "办理"
flow = "apply"
service = "medical-enrolment"
sources = ["测试县#4"]

[matter.guide]
legal_basis = "《中华人民共和国社会保险法》"
conditions = "本县户籍城乡居民"
materials = ["居民身份证"]
process = ["刷身份证", "选择类别", "确认提交"]
time_limit = "即时办结"

[[matter]]
id = "card-apply-minor"
name = "社会保障卡申领（未成年人）"
kind = "公共服务"
department = "测试县人力资源和社会保障局"
category = "社保卡"
handling = "受理"
flow = "apply"
service = "card-apply-minor"
sources = ["测试县#6"]

[matter.guide]
legal_basis = "《社会保障卡管理办法》"
conditions = "未满16周岁，由监护人代为申领"
materials = ["监护人身份证", "未成年人身份证"]
process = ["监护人刷身份证", "未成年人刷身份证", "确认提交"]
time_limit = "20个工作日"
"#;

const KIOSK: &str = r#"
[terminal]
id = "test-001"
name = "测试镇便民服务中心1号机"
county = "测试县"

[offer]
matters = ["pension-summary", "card-apply-adult", "pension-funeral-grant"]
hot = ["pension-summary", "card-apply-adult"]
"#;

const QUERY: &str = "pension-summary";
const APPLY: &str = "card-apply-adult";
const GUIDE: &str = "pension-funeral-grant";
const NOT_OFFERED: &str = "medical-enrolment";

/// Mock time starts well after zero, as a real monotonic clock would.
const T0: u64 = 5_000_000;
const IDLE_MS: u64 = 60_000;
const COUNTDOWN_MS: u64 = 15_000;

fn printed(fx: &[Effect]) -> Option<&PrintJob> {
    fx.iter().find_map(|e| match e {
        Effect::Print(j) => Some(j),
        _ => None,
    })
}

fn mid(s: &str) -> MatterId {
    MatterId(s.to_string())
}

fn setup_with(kiosk: &str) -> Arc<Setup> {
    Arc::new(
        Setup::parse(kiosk, "kiosk.toml", MATTERS, "matters.toml")
            .unwrap_or_else(|e| panic!("{e}")),
    )
}

fn person(i: usize) -> Identity {
    SAMPLE_PEOPLE[i].identity()
}

fn outcome() -> QueryOutcome {
    QueryOutcome {
        title: "城乡居民养老保险缴费及待遇".into(),
        rows: vec![
            ("累计缴费年限".into(), "12年".into()),
            ("月养老金".into(), "236.00元".into()),
        ],
        note: "数据截至上月末".into(),
        certificate: None,
    }
}

fn acceptance() -> Acceptance {
    Acceptance {
        receipt_no: "SB20260001".into(),
        queued: false,
    }
}

/// A session plus a mock clock.
struct Kiosk {
    s: Session,
    now: u64,
}

impl Kiosk {
    fn new() -> Kiosk {
        Kiosk::with(KIOSK)
    }

    fn with(kiosk: &str) -> Kiosk {
        let mut k = Kiosk {
            s: Session::new(setup_with(kiosk)),
            now: T0,
        };
        k.s.step_event(Event::Tick(Millis(T0)));
        k
    }

    fn ev(&mut self, e: Event) -> Vec<Effect> {
        self.s.step_event(e)
    }

    fn touch(&mut self, a: Action) -> Vec<Effect> {
        self.ev(Event::Touch(a))
    }

    /// Moves the mock clock on by `ms` and ticks.
    fn wait(&mut self, ms: u64) -> Vec<Effect> {
        self.now += ms;
        let now = self.now;
        self.ev(Event::Tick(Millis(now)))
    }

    fn card(&mut self) -> Vec<Effect> {
        self.ev(Event::CardPresented(person(0)))
    }

    fn screen(&self) -> &Screen {
        self.s.screen()
    }

    fn kind(&self) -> ScreenKind {
        self.s.screen().kind()
    }

    /// The request the session waits on.
    fn waiting(&self) -> RequestId {
        match self.screen() {
            Screen::Submitting(_, r) => *r,
            other => panic!("not submitting: {other:?}"),
        }
    }

    fn reply(&mut self, r: BackendReply) -> Vec<Effect> {
        self.ev(Event::Backend(r))
    }

    // --- getting to each screen ---

    fn home(mut self) -> Kiosk {
        self.touch(Action::Start);
        assert_eq!(self.screen(), &Screen::Home);
        self
    }

    fn list(self) -> Kiosk {
        let mut k = self.home();
        k.touch(Action::OpenCategory(Category::Pension));
        k
    }

    fn guide(self, matter: &str) -> Kiosk {
        let mut k = self.home();
        k.touch(Action::OpenMatter(mid(matter)));
        assert_eq!(k.screen(), &Screen::Guide(mid(matter)));
        k
    }

    fn identify(self, matter: &str) -> Kiosk {
        let mut k = self.guide(matter);
        k.touch(Action::StartMatter);
        assert_eq!(
            k.screen(),
            &Screen::Identify(mid(matter), IdentifyStatus::Waiting)
        );
        k
    }

    fn form(self) -> Kiosk {
        let mut k = self.identify(APPLY);
        k.card();
        assert_eq!(k.screen(), &Screen::Form(mid(APPLY)));
        k
    }

    fn filled_form(self) -> Kiosk {
        let mut k = self.form();
        for d in "13912345678".chars() {
            k.touch(Action::FormDigit(d));
        }
        k.touch(Action::FormChoose(1));
        k
    }

    fn review(self) -> Kiosk {
        let mut k = self.filled_form();
        k.touch(Action::FormNext);
        assert_eq!(k.screen(), &Screen::Review(mid(APPLY)));
        k
    }

    fn submitting_apply(self) -> Kiosk {
        let mut k = self.review();
        k.touch(Action::Confirm);
        assert_eq!(k.kind(), ScreenKind::Submitting);
        k
    }

    fn submitting_query(self) -> Kiosk {
        let mut k = self.identify(QUERY);
        k.card();
        assert_eq!(k.kind(), ScreenKind::Submitting);
        k
    }

    fn result(self) -> Kiosk {
        let mut k = self.submitting_query();
        let r = k.waiting();
        k.reply(BackendReply::QueryResult(r, outcome()));
        assert_eq!(k.screen(), &Screen::Result(mid(QUERY), outcome()));
        k
    }

    fn receipt(self) -> Kiosk {
        let mut k = self.submitting_apply();
        let r = k.waiting();
        k.reply(BackendReply::Accepted(r, acceptance()));
        assert_eq!(k.screen(), &Screen::Receipt(mid(APPLY), acceptance()));
        k
    }

    fn rating(self) -> Kiosk {
        let mut k = self.result();
        k.touch(Action::Done);
        assert_eq!(k.screen(), &Screen::Rating(mid(QUERY)));
        k
    }

    fn receipt_entry(self, typed: &str) -> Kiosk {
        let mut k = self.guide(PROGRESS_MATTER);
        k.touch(Action::EnterReceiptNo);
        for c in typed.chars() {
            k.touch(Action::ReceiptKey(c));
        }
        assert_eq!(
            k.screen(),
            &Screen::ReceiptEntry(mid(PROGRESS_MATTER), typed.to_uppercase())
        );
        k
    }

    fn error(self) -> Kiosk {
        let mut k = self.submitting_query();
        let r = k.waiting();
        k.reply(BackendReply::Failed(r, BackendFailure::Unreachable));
        assert_eq!(
            k.screen(),
            &Screen::Error(ErrorKind::BackendUnreachable, Some(mid(QUERY)))
        );
        k
    }

    fn device_unavailable(self) -> Kiosk {
        let mut k = self.identify(APPLY);
        k.ev(Event::DeviceStatus(Device::CardReader, DeviceHealth::Fault));
        assert_eq!(
            k.screen(),
            &Screen::DeviceUnavailable(Device::CardReader, Some(mid(APPLY)))
        );
        k
    }
}

fn shows(fx: &[Effect], kind: ScreenKind) -> bool {
    fx.contains(&Effect::Show(kind))
}

fn speaks(fx: &[Effect], p: Prompt) -> bool {
    fx.contains(&Effect::Speak(p))
}

fn wipes(fx: &[Effect]) -> bool {
    fx.contains(&Effect::WipeSession)
}

/// Every screen a citizen can stand on (except Attract and the overlays), by name.
fn every_screen() -> Vec<(&'static str, Kiosk)> {
    vec![
        ("home", Kiosk::new().home()),
        ("list", Kiosk::new().list()),
        ("search", {
            let mut k = Kiosk::new().home();
            k.touch(Action::OpenSearch);
            k.touch(Action::SearchKey('y'));
            k
        }),
        ("guide", Kiosk::new().guide(GUIDE)),
        ("identify", Kiosk::new().identify(APPLY)),
        ("form", Kiosk::new().filled_form()),
        ("review", Kiosk::new().review()),
        ("submitting", Kiosk::new().submitting_apply()),
        ("receipt-entry", Kiosk::new().receipt_entry("SL2026")),
        ("result", Kiosk::new().result()),
        ("receipt", Kiosk::new().receipt()),
        ("rating", Kiosk::new().rating()),
        ("error", Kiosk::new().error()),
        ("device-unavailable", Kiosk::new().device_unavailable()),
    ]
}

// ---------------------------------------------------------------------------------------
// Attract
// ---------------------------------------------------------------------------------------

#[test]
fn a_new_session_shows_attract_with_nothing_personal() {
    let k = Kiosk::new();
    assert_eq!(k.screen(), &Screen::Attract);
    assert!(k.s.identity().is_none());
    assert_eq!(k.s.form(), &FormData::default());
    assert_eq!(k.s.countdown_seconds(), None);
}

#[test]
fn attract_touch_goes_home_and_speaks_welcome() {
    let mut k = Kiosk::new();
    let fx = k.touch(Action::Start);
    assert_eq!(k.screen(), &Screen::Home);
    assert!(shows(&fx, ScreenKind::Home));
    assert!(speaks(&fx, Prompt::Welcome));
}

#[test]
fn start_is_ignored_outside_attract() {
    let mut k = Kiosk::new().guide(QUERY);
    let fx = k.touch(Action::Start);
    assert_eq!(k.screen(), &Screen::Guide(mid(QUERY)));
    assert!(fx.is_empty(), "{fx:?}");
}

#[test]
fn attract_category_tile_opens_the_list_directly() {
    let mut k = Kiosk::new();
    let fx = k.touch(Action::OpenCategory(Category::SocialSecurityCard));
    assert_eq!(
        k.screen(),
        &Screen::MatterList(ListSource::Category(Category::SocialSecurityCard))
    );
    assert!(shows(&fx, ScreenKind::MatterList));
}

#[test]
fn attract_hot_matter_opens_its_guide_and_back_goes_home() {
    let mut k = Kiosk::new();
    let hot: Vec<_> = k.s.setup().hot().iter().map(|m| m.id.clone()).collect();
    assert_eq!(hot, vec![mid(QUERY), mid(APPLY)]);
    k.touch(Action::OpenMatter(mid(QUERY)));
    assert_eq!(k.screen(), &Screen::Guide(mid(QUERY)));
    k.touch(Action::Back);
    assert_eq!(
        k.screen(),
        &Screen::Home,
        "no list was seen, so back leads home"
    );
}

#[test]
fn attract_never_times_out() {
    let mut k = Kiosk::new();
    for _ in 0..10 {
        let fx = k.wait(IDLE_MS + COUNTDOWN_MS);
        assert!(fx.is_empty(), "{fx:?}");
        assert_eq!(k.screen(), &Screen::Attract);
    }
    // and a session started much later does not inherit the old idle time
    k.touch(Action::Start);
    let fx = k.wait(1_000);
    assert_eq!(k.screen(), &Screen::Home, "{fx:?}");
}

#[test]
fn a_card_on_the_attract_screen_is_ignored() {
    let mut k = Kiosk::new();
    let fx = k.card();
    assert_eq!(k.screen(), &Screen::Attract);
    assert!(k.s.identity().is_none());
    assert!(fx.is_empty(), "{fx:?}");
}

// ---------------------------------------------------------------------------------------
// Home, lists and search
// ---------------------------------------------------------------------------------------

#[test]
fn home_category_tile_opens_its_list_of_offered_matters() {
    let mut k = Kiosk::new().home();
    let fx = k.touch(Action::OpenCategory(Category::Pension));
    assert_eq!(
        k.screen(),
        &Screen::MatterList(ListSource::Category(Category::Pension))
    );
    assert!(shows(&fx, ScreenKind::MatterList));
    let ids: Vec<_> =
        k.s.setup()
            .in_category(Category::Pension)
            .iter()
            .map(|m| m.id.clone())
            .collect();
    assert_eq!(ids, vec![mid(QUERY), mid(GUIDE)]);
    // the medical matter exists in the catalog but is not offered here
    assert!(k.s.setup().in_category(Category::Medical).is_empty());
}

#[test]
fn home_search_opens_an_empty_search_list() {
    let mut k = Kiosk::new().home();
    let fx = k.touch(Action::OpenSearch);
    assert_eq!(
        k.screen(),
        &Screen::MatterList(ListSource::Search(String::new()))
    );
    assert!(shows(&fx, ScreenKind::MatterList));
}

#[test]
fn search_keys_type_pinyin_initials_that_find_pension_matters() {
    let mut k = Kiosk::new().home();
    k.touch(Action::OpenSearch);
    for c in "YLBX".chars() {
        k.touch(Action::SearchKey(c));
    }
    assert_eq!(
        k.screen(),
        &Screen::MatterList(ListSource::Search("ylbx".into())),
        "letters are lowercased"
    );
    let found: Vec<_> =
        k.s.setup()
            .search("ylbx")
            .iter()
            .map(|m| m.id.clone())
            .collect();
    // self-service first, then the guide-only matter; nothing that is not offered
    assert_eq!(found, vec![mid(QUERY), mid(GUIDE)]);
}

#[test]
fn search_finds_by_full_pinyin_chinese_and_alias_but_only_offered_matters() {
    let k = Kiosk::new();
    let ids = |q: &str| {
        k.s.setup()
            .search(q)
            .iter()
            .map(|m| m.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("shehuibaozhang"), vec![mid(APPLY)]);
    assert_eq!(ids("保障卡"), vec![mid(APPLY)]);
    assert_eq!(ids("yljcx"), vec![mid(QUERY)], "养老金查询 is an alias");
    assert!(
        ids("yiliao").is_empty(),
        "城乡居民医疗保险参保登记 is not offered here"
    );
    assert!(ids("zzz").is_empty());
}

#[test]
fn search_keyboard_edits_the_query() {
    let mut k = Kiosk::new().home();
    k.touch(Action::OpenSearch);
    for c in ['s', 'b', '1', ' ', '保'] {
        k.touch(Action::SearchKey(c));
    }
    assert_eq!(
        k.screen(),
        &Screen::MatterList(ListSource::Search("sb".into())),
        "only letters are typed"
    );
    k.touch(Action::SearchBackspace);
    assert_eq!(
        k.screen(),
        &Screen::MatterList(ListSource::Search("s".into()))
    );
    k.touch(Action::SearchKey('k'));
    k.touch(Action::SearchClear);
    assert_eq!(
        k.screen(),
        &Screen::MatterList(ListSource::Search(String::new()))
    );
    k.touch(Action::SearchBackspace);
    assert_eq!(
        k.screen(),
        &Screen::MatterList(ListSource::Search(String::new()))
    );
    for _ in 0..30 {
        k.touch(Action::SearchKey('a'));
    }
    assert_eq!(
        k.screen(),
        &Screen::MatterList(ListSource::Search("a".repeat(20))),
        "at most 20 letters"
    );
}

#[test]
fn every_search_edit_asks_the_ui_to_reproject_the_list() {
    // The app re-projects only on Show/WipeSession effects; a typed letter changes the list.
    let mut k = Kiosk::new().home();
    k.touch(Action::OpenSearch);
    assert!(shows(
        &k.touch(Action::SearchKey('y')),
        ScreenKind::MatterList
    ));
    assert!(shows(
        &k.touch(Action::SearchBackspace),
        ScreenKind::MatterList
    ));
    k.touch(Action::SearchKey('y'));
    assert!(shows(&k.touch(Action::SearchClear), ScreenKind::MatterList));
}

#[test]
fn search_keys_outside_the_search_list_do_nothing() {
    let mut k = Kiosk::new().list();
    let fx = k.touch(Action::SearchKey('y'));
    assert_eq!(
        k.screen(),
        &Screen::MatterList(ListSource::Category(Category::Pension))
    );
    assert!(fx.is_empty(), "{fx:?}");
    let mut k = Kiosk::new().home();
    k.touch(Action::SearchKey('y'));
    assert_eq!(k.screen(), &Screen::Home);
}

#[test]
fn list_tile_opens_the_guide() {
    let mut k = Kiosk::new().list();
    let fx = k.touch(Action::OpenMatter(mid(GUIDE)));
    assert_eq!(k.screen(), &Screen::Guide(mid(GUIDE)));
    assert!(shows(&fx, ScreenKind::Guide));
    assert_eq!(k.s.step(), None, "guide-only matters have no steps");
}

#[test]
fn search_result_tile_opens_the_guide_and_back_returns_to_the_same_query() {
    let mut k = Kiosk::new().home();
    k.touch(Action::OpenSearch);
    for c in "ylbx".chars() {
        k.touch(Action::SearchKey(c));
    }
    k.touch(Action::OpenMatter(mid(QUERY)));
    assert_eq!(k.screen(), &Screen::Guide(mid(QUERY)));
    assert_eq!(k.s.step(), Some((1, 4)));
    k.touch(Action::Back);
    assert_eq!(
        k.screen(),
        &Screen::MatterList(ListSource::Search("ylbx".into()))
    );
}

#[test]
fn category_category_tiles_and_search_are_ignored_inside_a_matter() {
    let mut k = Kiosk::new().guide(QUERY);
    k.touch(Action::OpenCategory(Category::Pension));
    k.touch(Action::OpenSearch);
    k.touch(Action::OpenMatter(mid(APPLY)));
    assert_eq!(k.screen(), &Screen::Guide(mid(QUERY)));
}

#[test]
fn a_matter_not_offered_here_shows_matter_unavailable_and_retry_goes_home() {
    let mut k = Kiosk::new().home();
    let fx = k.touch(Action::OpenMatter(mid(NOT_OFFERED)));
    assert_eq!(
        k.screen(),
        &Screen::Error(ErrorKind::MatterUnavailable, None)
    );
    assert!(shows(&fx, ScreenKind::Error));
    k.touch(Action::Retry);
    assert_eq!(k.screen(), &Screen::Home);
    // an id the catalog does not know at all
    k.touch(Action::OpenMatter(mid("no-such-matter")));
    assert_eq!(
        k.screen(),
        &Screen::Error(ErrorKind::MatterUnavailable, None)
    );
    k.touch(Action::Back);
    assert_eq!(k.screen(), &Screen::Home);
}

// ---------------------------------------------------------------------------------------
// Guide
// ---------------------------------------------------------------------------------------

#[test]
fn guide_start_of_a_query_matter_goes_to_identify_and_enables_the_reader() {
    let mut k = Kiosk::new().guide(QUERY);
    let fx = k.touch(Action::StartMatter);
    assert_eq!(
        k.screen(),
        &Screen::Identify(mid(QUERY), IdentifyStatus::Waiting)
    );
    assert!(fx.contains(&Effect::EnableCardReader));
    assert!(speaks(&fx, Prompt::PlaceCard));
    assert!(shows(&fx, ScreenKind::Identify));
    assert_eq!(k.s.step(), Some((2, 4)));
}

#[test]
fn guide_start_of_an_apply_matter_goes_to_identify() {
    let mut k = Kiosk::new().guide(APPLY);
    let fx = k.touch(Action::StartMatter);
    assert_eq!(
        k.screen(),
        &Screen::Identify(mid(APPLY), IdentifyStatus::Waiting)
    );
    assert!(fx.contains(&Effect::EnableCardReader));
    assert_eq!(k.s.step(), Some((2, 6)));
}

#[test]
fn guide_only_matter_cannot_be_started() {
    let mut k = Kiosk::new().guide(GUIDE);
    let fx = k.touch(Action::StartMatter);
    assert_eq!(k.screen(), &Screen::Guide(mid(GUIDE)));
    assert!(fx.is_empty(), "{fx:?}");
}

#[test]
fn guide_prints_the_notice_of_a_guide_only_matter() {
    let mut k = Kiosk::new().guide(GUIDE);
    assert_eq!(k.s.notice(), None);
    let fx = k.touch(Action::PrintNotice);
    assert_eq!(
        printed(&fx).map(|j| &j.content),
        Some(&PrintContent::Notice(mid(GUIDE))),
        "{fx:?}"
    );
    assert!(shows(&fx, ScreenKind::Guide));
    assert_eq!(k.screen(), &Screen::Guide(mid(GUIDE)));
    assert!(k.s.notice().unwrap().contains("正在打印"));
    // the notice belongs to that guide only
    k.touch(Action::Back);
    k.touch(Action::OpenMatter(mid(QUERY)));
    assert_eq!(k.s.notice(), None);
}

#[test]
fn guide_notice_with_the_printer_out_explains_instead_of_printing() {
    let mut k = Kiosk::new().guide(GUIDE);
    k.ev(Event::DeviceStatus(Device::Printer, DeviceHealth::Fault));
    assert_eq!(k.s.device(Device::Printer), DeviceHealth::Fault);
    let fx = k.touch(Action::PrintNotice);
    assert!(!fx.iter().any(|e| matches!(e, Effect::Print(_))), "{fx:?}");
    assert!(shows(&fx, ScreenKind::Guide));
    assert!(k.s.notice().unwrap().contains("打印机暂停服务"));
    // a degraded printer (paper low) still prints
    k.ev(Event::DeviceStatus(Device::Printer, DeviceHealth::Degraded));
    let fx = k.touch(Action::PrintNotice);
    assert_eq!(
        printed(&fx).map(|j| &j.content),
        Some(&PrintContent::Notice(mid(GUIDE)))
    );
}

#[test]
fn print_notice_outside_the_guide_does_nothing() {
    let mut k = Kiosk::new().home();
    assert!(k.touch(Action::PrintNotice).is_empty());
    let mut k = Kiosk::new().identify(QUERY);
    assert!(k.touch(Action::PrintNotice).is_empty());
}

// ---------------------------------------------------------------------------------------
// Identify
// ---------------------------------------------------------------------------------------

#[test]
fn identify_card_of_a_query_matter_sends_the_query_and_waits() {
    let mut k = Kiosk::new().identify(QUERY);
    let fx = k.card();
    let Screen::Submitting(m, request) = k.screen().clone() else {
        panic!("{:?}", k.screen())
    };
    assert_eq!(m, mid(QUERY));
    assert!(
        fx.contains(&Effect::Query {
            request,
            service: Service::PensionSummary,
            identity: person(0)
        }),
        "{fx:?}"
    );
    assert!(fx.contains(&Effect::DisableCardReader));
    assert!(speaks(&fx, Prompt::CardRead));
    assert!(shows(&fx, ScreenKind::Submitting));
    assert_eq!(k.s.identity(), Some(&person(0)));
    assert_eq!(k.s.step(), Some((3, 4)));
}

#[test]
fn backend_query_result_shows_the_result() {
    let mut k = Kiosk::new().submitting_query();
    let r = k.waiting();
    let fx = k.reply(BackendReply::QueryResult(r, outcome()));
    assert_eq!(k.screen(), &Screen::Result(mid(QUERY), outcome()));
    assert!(shows(&fx, ScreenKind::Result));
    assert_eq!(k.s.print_status(), None);
    assert_eq!(k.s.step(), Some((3, 4)));
}

#[test]
fn identify_card_of_an_apply_matter_opens_the_form() {
    let mut k = Kiosk::new().identify(APPLY);
    let fx = k.card();
    assert_eq!(k.screen(), &Screen::Form(mid(APPLY)));
    assert!(fx.contains(&Effect::DisableCardReader));
    assert!(speaks(&fx, Prompt::CardRead));
    assert!(
        !fx.iter()
            .any(|e| matches!(e, Effect::Submit { .. } | Effect::Query { .. }))
    );
    assert_eq!(k.s.identity(), Some(&person(0)));
    assert_eq!(k.s.step(), Some((3, 6)));
    assert_eq!(k.s.form_spec().unwrap().choice_title, "领卡方式");
}

#[test]
fn identify_failed_read_asks_to_place_the_card_again_then_a_good_read_goes_on() {
    let mut k = Kiosk::new().identify(APPLY);
    let fx = k.ev(Event::CardReadFailed(CardReadFailure::CardMoved));
    assert_eq!(
        k.screen(),
        &Screen::Identify(
            mid(APPLY),
            IdentifyStatus::Retry(CardReadFailure::CardMoved)
        )
    );
    assert!(speaks(&fx, Prompt::ReplaceCard));
    assert!(shows(&fx, ScreenKind::Identify));
    let fx = k.ev(Event::CardReadFailed(CardReadFailure::Unreadable));
    assert_eq!(
        k.screen(),
        &Screen::Identify(
            mid(APPLY),
            IdentifyStatus::Retry(CardReadFailure::Unreadable)
        )
    );
    assert!(speaks(&fx, Prompt::ReplaceCard));
    k.card();
    assert_eq!(k.screen(), &Screen::Form(mid(APPLY)));
}

#[test]
fn failed_reads_outside_identify_are_ignored() {
    let mut k = Kiosk::new().filled_form();
    let fx = k.ev(Event::CardReadFailed(CardReadFailure::Unreadable));
    assert!(fx.is_empty());
    assert_eq!(k.screen(), &Screen::Form(mid(APPLY)));
}

#[test]
fn identify_back_returns_to_the_guide_and_stops_the_reader() {
    let mut k = Kiosk::new().identify(QUERY);
    let fx = k.touch(Action::Back);
    assert_eq!(k.screen(), &Screen::Guide(mid(QUERY)));
    assert!(fx.contains(&Effect::DisableCardReader));
}

#[test]
fn a_second_card_after_the_read_is_ignored() {
    let mut k = Kiosk::new().filled_form();
    let fx = k.ev(Event::CardPresented(person(1)));
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(
        k.s.identity(),
        Some(&person(0)),
        "the applicant stays the one read at identify"
    );
    assert_eq!(k.screen(), &Screen::Form(mid(APPLY)));
}

// ---------------------------------------------------------------------------------------
// Form and review
// ---------------------------------------------------------------------------------------

#[test]
fn form_keypad_and_choices_edit_the_form() {
    let mut k = Kiosk::new().form();
    let fx = k.touch(Action::FormDigit('1'));
    assert!(shows(&fx, ScreenKind::Form));
    for d in "3912345678999".chars() {
        k.touch(Action::FormDigit(d));
    }
    assert_eq!(k.s.form().phone, "13912345678", "at most 11 digits");
    k.touch(Action::FormDigit('a'));
    assert_eq!(k.s.form().phone, "13912345678");
    let fx = k.touch(Action::FormBackspace);
    assert!(shows(&fx, ScreenKind::Form));
    assert_eq!(k.s.form().phone, "1391234567");
    let fx = k.touch(Action::FormChoose(1));
    assert!(shows(&fx, ScreenKind::Form));
    assert_eq!(k.s.form().choice, Some(1));
    let fx = k.touch(Action::FormChoose(2));
    assert!(fx.is_empty(), "the card form has two choices");
    assert_eq!(k.s.form().choice, Some(1));
}

#[test]
fn form_next_with_missing_entries_stays_and_names_them() {
    let mut k = Kiosk::new().form();
    let fx = k.touch(Action::FormNext);
    assert_eq!(k.screen(), &Screen::Form(mid(APPLY)));
    assert!(shows(&fx, ScreenKind::Form));
    assert_eq!(k.s.form_errors().phone.as_deref(), Some("请输入联系电话"));
    assert_eq!(k.s.form_errors().choice.as_deref(), Some("请选择领卡方式"));
    // typing clears the message of that field
    k.touch(Action::FormDigit('2'));
    assert_eq!(k.s.form_errors().phone, None);
    k.touch(Action::FormChoose(0));
    assert_eq!(k.s.form_errors().choice, None);
    for d in "3912345678".chars() {
        k.touch(Action::FormDigit(d));
    }
    k.touch(Action::FormNext);
    assert_eq!(k.screen(), &Screen::Form(mid(APPLY)));
    assert_eq!(
        k.s.form_errors().phone.as_deref(),
        Some("手机号码应以1开头")
    );
}

#[test]
fn form_next_with_a_complete_form_goes_to_review() {
    let mut k = Kiosk::new().filled_form();
    let fx = k.touch(Action::FormNext);
    assert_eq!(k.screen(), &Screen::Review(mid(APPLY)));
    assert!(shows(&fx, ScreenKind::Review));
    assert_eq!(k.s.step(), Some((4, 6)));
    let summary = k.s.form_spec().unwrap().summary(k.s.form());
    assert_eq!(summary[0].1, "139****5678");
}

#[test]
fn form_keys_outside_the_form_do_nothing() {
    let mut k = Kiosk::new().review();
    assert!(k.touch(Action::FormDigit('5')).is_empty());
    assert!(k.touch(Action::FormBackspace).is_empty());
    assert!(k.touch(Action::FormChoose(0)).is_empty());
    assert!(k.touch(Action::FormNext).is_empty());
    assert_eq!(k.s.form().phone, "13912345678");
    assert_eq!(k.s.form().choice, Some(1));
    assert_eq!(k.screen(), &Screen::Review(mid(APPLY)));
}

#[test]
fn form_back_returns_to_the_guide_and_drops_identity_and_entries() {
    let mut k = Kiosk::new().filled_form();
    let fx = k.touch(Action::Back);
    assert_eq!(k.screen(), &Screen::Guide(mid(APPLY)));
    assert!(wipes(&fx));
    assert!(k.s.identity().is_none());
    assert_eq!(k.s.form(), &FormData::default());
}

#[test]
fn review_edit_returns_to_the_form_with_the_entries_kept() {
    let mut k = Kiosk::new().review();
    let fx = k.touch(Action::Edit);
    assert_eq!(k.screen(), &Screen::Form(mid(APPLY)));
    assert!(shows(&fx, ScreenKind::Form));
    assert_eq!(k.s.form().phone, "13912345678");
    assert_eq!(k.s.identity(), Some(&person(0)));
    k.touch(Action::FormChoose(0));
    k.touch(Action::FormNext);
    assert_eq!(k.screen(), &Screen::Review(mid(APPLY)));
    assert_eq!(k.s.form().choice, Some(0));
}

#[test]
fn review_back_is_the_same_as_edit() {
    let mut k = Kiosk::new().review();
    k.touch(Action::Back);
    assert_eq!(k.screen(), &Screen::Form(mid(APPLY)));
    assert_eq!(k.s.form().phone, "13912345678");
    assert_eq!(k.s.identity(), Some(&person(0)));
}

#[test]
fn edit_outside_review_does_nothing() {
    let mut k = Kiosk::new().filled_form();
    assert!(k.touch(Action::Edit).is_empty());
    assert_eq!(k.screen(), &Screen::Form(mid(APPLY)));
}

#[test]
fn review_confirm_submits_the_application_and_waits() {
    let mut k = Kiosk::new().review();
    let fx = k.touch(Action::Confirm);
    let request = k.waiting();
    let expected = Effect::Submit {
        request,
        service: Service::CardApplyAdult,
        matter: mid(APPLY),
        identity: person(0),
        guardian: None,
        form: FormData {
            phone: "13912345678".into(),
            choice: Some(1),
        },
        materials: Vec::new(),
    };
    assert!(fx.contains(&expected), "{fx:?}");
    assert!(shows(&fx, ScreenKind::Submitting));
    assert_eq!(k.s.step(), Some((4, 6)));
    // confirming twice does not submit twice
    assert!(k.touch(Action::Confirm).is_empty());
}

#[test]
fn backend_acceptance_shows_the_receipt_prints_it_and_asks_to_take_it() {
    let mut k = Kiosk::new().submitting_apply();
    let r = k.waiting();
    let fx = k.reply(BackendReply::Accepted(r, acceptance()));
    assert_eq!(k.screen(), &Screen::Receipt(mid(APPLY), acceptance()));
    let job = printed(&fx).unwrap();
    assert_eq!(
        job.content,
        PrintContent::Receipt {
            matter: mid(APPLY),
            acceptance: acceptance(),
            applicant: Some(person(0).masked()),
        }
    );
    // the receipt's job id is its 受理编号; the applicant leaves the core masked only
    assert_eq!(job.id, acceptance().receipt_no);
    assert_eq!(job.reprint, 0);
    assert!(!format!("{job:?}").contains(person(0).id_number.reveal()));
    assert!(speaks(&fx, Prompt::TakeReceipt));
    assert!(shows(&fx, ScreenKind::Receipt));
    assert!(k.s.print_status().unwrap().contains("正在打印"));
    assert_eq!(k.s.step(), Some((5, 6)));
}

#[test]
fn a_queued_acceptance_also_gives_a_receipt() {
    let mut k = Kiosk::new().submitting_apply();
    let r = k.waiting();
    let queued = Acceptance {
        receipt_no: "LOCAL-0001".into(),
        queued: true,
    };
    k.reply(BackendReply::Accepted(r, queued.clone()));
    assert_eq!(k.screen(), &Screen::Receipt(mid(APPLY), queued));
}

#[test]
fn acceptance_with_the_printer_out_explains_instead_of_printing() {
    let mut k = Kiosk::new().submitting_apply();
    k.ev(Event::DeviceStatus(Device::Printer, DeviceHealth::Fault));
    let r = k.waiting();
    let fx = k.reply(BackendReply::Accepted(r, acceptance()));
    assert_eq!(k.kind(), ScreenKind::Receipt);
    assert!(!fx.iter().any(|e| matches!(e, Effect::Print(_))), "{fx:?}");
    assert!(k.s.print_status().unwrap().contains("打印机暂停服务"));
}

// ---------------------------------------------------------------------------------------
// Backend failures and stale replies
// ---------------------------------------------------------------------------------------

#[test]
fn backend_unreachable_shows_the_error_and_retry_starts_the_matter_again() {
    let mut k = Kiosk::new().submitting_query();
    let r = k.waiting();
    let fx = k.reply(BackendReply::Failed(r, BackendFailure::Unreachable));
    assert_eq!(
        k.screen(),
        &Screen::Error(ErrorKind::BackendUnreachable, Some(mid(QUERY)))
    );
    assert!(shows(&fx, ScreenKind::Error));
    let fx = k.touch(Action::Retry);
    assert_eq!(k.screen(), &Screen::Guide(mid(QUERY)));
    assert!(shows(&fx, ScreenKind::Guide));
    k.touch(Action::StartMatter);
    k.card();
    let second = k.waiting();
    assert_ne!(second, r, "a retry is a new request");
    k.reply(BackendReply::QueryResult(second, outcome()));
    assert_eq!(k.kind(), ScreenKind::Result);
}

#[test]
fn backend_rejection_shows_its_reason_and_back_returns_to_the_guide() {
    let mut k = Kiosk::new().submitting_apply();
    let r = k.waiting();
    k.reply(BackendReply::Failed(
        r,
        BackendFailure::Rejected("已有有效社保卡".into()),
    ));
    assert_eq!(
        k.screen(),
        &Screen::Error(
            ErrorKind::Rejected("已有有效社保卡".into()),
            Some(mid(APPLY))
        )
    );
    k.touch(Action::Back);
    assert_eq!(k.screen(), &Screen::Guide(mid(APPLY)));
}

#[test]
fn retry_outside_the_error_screen_does_nothing() {
    let mut k = Kiosk::new().result();
    assert!(k.touch(Action::Retry).is_empty());
    assert_eq!(k.kind(), ScreenKind::Result);
}

#[test]
fn a_reply_to_another_request_is_ignored_while_waiting() {
    let mut k = Kiosk::new().submitting_query();
    let r = k.waiting();
    let other = RequestId {
        session: r.session,
        seq: r.seq + 7,
    };
    let fx = k.reply(BackendReply::QueryResult(other, outcome()));
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(k.screen(), &Screen::Submitting(mid(QUERY), r));
    let fx = k.reply(BackendReply::Failed(other, BackendFailure::Unreachable));
    assert!(fx.is_empty());
    k.reply(BackendReply::QueryResult(r, outcome()));
    assert_eq!(k.kind(), ScreenKind::Result);
}

#[test]
fn a_stale_reply_after_leaving_and_restarting_the_matter_is_ignored() {
    let mut k = Kiosk::new().submitting_query();
    let old = k.waiting();
    k.touch(Action::GoHome);
    k.touch(Action::OpenMatter(mid(QUERY)));
    k.touch(Action::StartMatter);
    k.ev(Event::CardPresented(person(1)));
    let new = k.waiting();
    assert_ne!(old, new);
    let fx = k.reply(BackendReply::QueryResult(old, outcome()));
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(k.screen(), &Screen::Submitting(mid(QUERY), new));
    k.reply(BackendReply::Failed(new, BackendFailure::Unreachable));
    assert_eq!(k.kind(), ScreenKind::Error);
}

#[test]
fn a_reply_from_a_previous_session_is_ignored() {
    let mut k = Kiosk::new().submitting_query();
    let old = k.waiting();
    k.touch(Action::GoHome);
    // the citizen walks away: countdown, wipe
    k.wait(IDLE_MS);
    k.wait(COUNTDOWN_MS);
    assert_eq!(k.screen(), &Screen::Attract);
    // the next citizen starts the same matter: the first request of a new session
    k.touch(Action::Start);
    k.touch(Action::OpenMatter(mid(QUERY)));
    k.touch(Action::StartMatter);
    k.ev(Event::CardPresented(person(2)));
    let new = k.waiting();
    assert_ne!(old, new, "request ids differ across sessions");
    assert_ne!(old.session, new.session);
    let fx = k.reply(BackendReply::QueryResult(old, outcome()));
    assert!(fx.is_empty());
    assert_eq!(k.kind(), ScreenKind::Submitting);
}

#[test]
fn replies_when_nothing_is_waiting_are_ignored() {
    let mut k = Kiosk::new().result();
    let r = RequestId { session: 1, seq: 1 };
    let fx = k.reply(BackendReply::Accepted(r, acceptance()));
    assert!(fx.is_empty());
    assert_eq!(k.screen(), &Screen::Result(mid(QUERY), outcome()));
    let mut k = Kiosk::new();
    assert!(
        k.reply(BackendReply::Failed(r, BackendFailure::Unreachable))
            .is_empty()
    );
    assert_eq!(k.screen(), &Screen::Attract);
}

// ---------------------------------------------------------------------------------------
// Result, receipt, rating
// ---------------------------------------------------------------------------------------

#[test]
fn result_print_prints_the_outcome() {
    let mut k = Kiosk::new().result();
    let fx = k.touch(Action::PrintResult);
    assert_eq!(
        printed(&fx).map(|j| &j.content),
        Some(&PrintContent::QueryResult {
            matter: mid(QUERY),
            outcome: outcome(),
            applicant: Some(person(0).masked()),
        })
    );
    assert!(shows(&fx, ScreenKind::Result));
    assert!(k.s.print_status().unwrap().contains("正在打印"));
    assert_eq!(k.kind(), ScreenKind::Result);
}

#[test]
fn result_print_with_the_printer_out_explains() {
    let mut k = Kiosk::new().result();
    k.ev(Event::DeviceStatus(Device::Printer, DeviceHealth::Fault));
    let fx = k.touch(Action::PrintResult);
    assert!(!fx.iter().any(|e| matches!(e, Effect::Print(_))));
    assert!(shows(&fx, ScreenKind::Result));
    assert!(k.s.print_status().unwrap().contains("打印机暂停服务"));
    // fixed printer: printing works again
    k.ev(Event::DeviceStatus(Device::Printer, DeviceHealth::Ready));
    assert!(
        k.touch(Action::PrintResult)
            .iter()
            .any(|e| matches!(e, Effect::Print(_)))
    );
}

#[test]
fn print_result_outside_the_result_does_nothing() {
    let mut k = Kiosk::new().receipt();
    assert!(k.touch(Action::PrintResult).is_empty());
}

#[test]
fn result_done_asks_for_a_rating() {
    let mut k = Kiosk::new().result();
    let fx = k.touch(Action::Done);
    assert_eq!(k.screen(), &Screen::Rating(mid(QUERY)));
    assert!(speaks(&fx, Prompt::PleaseRate));
    assert!(shows(&fx, ScreenKind::Rating));
    assert_eq!(k.s.step(), Some((4, 4)));
}

#[test]
fn receipt_done_asks_for_a_rating() {
    let mut k = Kiosk::new().receipt();
    let fx = k.touch(Action::Done);
    assert_eq!(k.screen(), &Screen::Rating(mid(APPLY)));
    assert!(speaks(&fx, Prompt::PleaseRate));
    assert_eq!(k.s.step(), Some((6, 6)));
}

#[test]
fn done_elsewhere_does_nothing() {
    let mut k = Kiosk::new().guide(QUERY);
    assert!(k.touch(Action::Done).is_empty());
    assert_eq!(k.screen(), &Screen::Guide(mid(QUERY)));
}

#[test]
fn rating_records_once_thanks_and_returns_to_attract_after_thanks_ms() {
    let mut k = Kiosk::new().rating();
    let fx = k.touch(Action::Rate(RatingLevel::VerySatisfied));
    assert!(fx.contains(&Effect::RecordRating(RatingRecord {
        matter: mid(QUERY),
        case_ref: Some("test-001-1-1".into()),
        level: RatingLevel::VerySatisfied,
        reasons: Vec::new(),
        callback_phone: None,
    })));
    assert!(fx.contains(&Effect::RatingPad(PadSignal::Thanks)));
    assert!(shows(&fx, ScreenKind::Rating));
    assert_eq!(k.s.rated(), Some(RatingLevel::VerySatisfied));
    assert_eq!(
        k.screen(),
        &Screen::Rating(mid(QUERY)),
        "the thanks show on the rating screen"
    );
    let fx = k.wait(THANKS_MS - 1);
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(k.kind(), ScreenKind::Rating);
    let fx = k.wait(1);
    assert_eq!(k.screen(), &Screen::Attract);
    assert!(wipes(&fx));
    assert!(shows(&fx, ScreenKind::Attract));
    assert!(fx.contains(&Effect::DisableCardReader));
    assert!(k.s.identity().is_none());
    assert_eq!(k.s.rated(), None);
}

#[test]
fn a_matter_is_rated_at_most_once() {
    let mut k = Kiosk::new().rating();
    k.touch(Action::Rate(RatingLevel::Acceptable));
    let fx = k.touch(Action::Rate(RatingLevel::VerySatisfied));
    assert!(fx.is_empty(), "{fx:?}");
    assert!(
        k.ev(Event::RatingKey(RatingLevel::Satisfied)).is_empty(),
        "nor from the pad"
    );
    assert_eq!(k.s.rated(), Some(RatingLevel::Acceptable));
    // touching again does not extend the thanks either
    k.wait(THANKS_MS);
    assert_eq!(k.screen(), &Screen::Attract);
}

#[test]
fn rating_outside_the_rating_screen_records_nothing() {
    let mut k = Kiosk::new().result();
    assert!(k.touch(Action::Rate(RatingLevel::Satisfied)).is_empty());
    assert_eq!(k.s.rated(), None);
}

#[test]
fn skipping_the_rating_wipes_and_returns_to_attract() {
    let mut k = Kiosk::new().rating();
    let fx = k.touch(Action::SkipRating);
    assert_eq!(k.screen(), &Screen::Attract);
    assert!(wipes(&fx));
    assert!(!fx.iter().any(|e| matches!(e, Effect::RecordRating(_))));
    assert!(fx.contains(&Effect::RatingPad(PadSignal::Off)));
    assert!(k.s.identity().is_none());
    // skip elsewhere does nothing
    let mut k = Kiosk::new().result();
    assert!(k.touch(Action::SkipRating).is_empty());
}

#[test]
fn an_apply_matter_runs_end_to_end_and_rates() {
    let mut k = Kiosk::new().receipt();
    k.touch(Action::Done);
    let fx = k.touch(Action::Rate(RatingLevel::Satisfied));
    assert!(fx.contains(&Effect::RecordRating(RatingRecord {
        matter: mid(APPLY),
        case_ref: Some(acceptance().receipt_no),
        level: RatingLevel::Satisfied,
        reasons: Vec::new(),
        callback_phone: None,
    })));
    k.wait(THANKS_MS);
    assert_eq!(k.screen(), &Screen::Attract);
    assert_eq!(k.s.form(), &FormData::default());
}

#[test]
fn rating_level_numbers_and_labels() {
    assert_eq!(
        RatingLevel::from_number(1),
        Some(RatingLevel::VeryDissatisfied)
    );
    assert_eq!(
        RatingLevel::from_number(5),
        Some(RatingLevel::VerySatisfied)
    );
    assert_eq!(RatingLevel::from_number(0), None);
    assert_eq!(RatingLevel::from_number(6), None);
    assert_eq!(RatingLevel::Acceptable.label(), "基本满意");
}

// ---------------------------------------------------------------------------------------
// Help
// ---------------------------------------------------------------------------------------

#[test]
fn help_opens_over_every_screen_and_closes_back_to_it() {
    let mut all = every_screen();
    all.push(("attract", Kiosk::new()));
    for (name, mut k) in all {
        let under = k.screen().clone();
        let fx = k.touch(Action::Help);
        assert_eq!(k.screen(), &Screen::Help(Box::new(under.clone())), "{name}");
        assert!(shows(&fx, ScreenKind::Help), "{name}");
        // the help keeps the matter in view
        assert_eq!(k.screen().matter(), under.matter(), "{name}");
        let fx = k.touch(Action::CloseHelp);
        assert_eq!(k.screen(), &under, "{name}: close help");
        assert!(shows(&fx, under.kind()), "{name}");
        k.touch(Action::Help);
        k.touch(Action::Back);
        assert_eq!(k.screen(), &under, "{name}: back closes help");
    }
}

#[test]
fn help_swallows_other_touches() {
    let mut k = Kiosk::new().review();
    k.touch(Action::Help);
    for a in [
        Action::Confirm,
        Action::Edit,
        Action::Help,
        Action::FormDigit('1'),
        Action::Start,
        Action::Done,
    ] {
        let fx = k.touch(a.clone());
        assert!(fx.is_empty(), "{a:?}: {fx:?}");
        assert_eq!(k.kind(), ScreenKind::Help, "{a:?}");
    }
    k.touch(Action::CloseHelp);
    assert_eq!(k.screen(), &Screen::Review(mid(APPLY)));
}

#[test]
fn help_calls_staff() {
    let mut k = Kiosk::new().identify(APPLY);
    assert!(!k.s.staff_called());
    k.touch(Action::Help);
    let fx = k.touch(Action::CallStaff);
    assert!(fx.contains(&Effect::CallStaff));
    assert!(shows(&fx, ScreenKind::Help));
    assert!(k.s.staff_called());
    assert_eq!(k.kind(), ScreenKind::Help);
    // calling staff is only on the help screen
    k.touch(Action::CloseHelp);
    assert!(k.touch(Action::CallStaff).is_empty());
}

#[test]
fn help_go_home_leaves_the_matter_and_wipes() {
    let mut k = Kiosk::new().filled_form();
    k.touch(Action::Help);
    let fx = k.touch(Action::GoHome);
    assert_eq!(k.screen(), &Screen::Home);
    assert!(wipes(&fx));
    assert!(k.s.identity().is_none());
    assert_eq!(k.s.form(), &FormData::default());
}

#[test]
fn close_help_without_help_does_nothing() {
    let mut k = Kiosk::new().guide(QUERY);
    assert!(k.touch(Action::CloseHelp).is_empty());
    assert!(k.touch(Action::ContinueSession).is_empty());
    assert_eq!(k.screen(), &Screen::Guide(mid(QUERY)));
}

#[test]
fn help_over_a_step_keeps_the_step_number() {
    let mut k = Kiosk::new().review();
    k.touch(Action::Help);
    assert_eq!(k.s.step(), Some((4, 6)));
}

#[test]
fn a_backend_reply_while_help_is_open_over_submitting_is_not_lost() {
    // Submitting never times out, so a reply dropped here would strand the citizen.
    let mut k = Kiosk::new().submitting_apply();
    let r = k.waiting();
    k.touch(Action::Help);
    let fx = k.reply(BackendReply::Accepted(r, acceptance()));
    assert!(
        matches!(printed(&fx).map(|j| &j.content), Some(PrintContent::Receipt { matter, .. }) if *matter == mid(APPLY)),
        "{fx:?}"
    );
    k.touch(Action::CloseHelp);
    assert_eq!(k.screen(), &Screen::Receipt(mid(APPLY), acceptance()));

    let mut k = Kiosk::new().submitting_query();
    let r = k.waiting();
    k.touch(Action::Help);
    k.reply(BackendReply::QueryResult(r, outcome()));
    k.touch(Action::CloseHelp);
    assert_eq!(k.screen(), &Screen::Result(mid(QUERY), outcome()));
}

#[test]
fn a_stale_reply_while_help_is_open_over_submitting_changes_nothing() {
    let mut k = Kiosk::new().submitting_query();
    let r = k.waiting();
    k.touch(Action::Help);
    let stale = RequestId {
        session: r.session,
        seq: r.seq + 1,
    };
    let fx = k.reply(BackendReply::QueryResult(stale, outcome()));
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(
        k.screen(),
        &Screen::Help(Box::new(Screen::Submitting(mid(QUERY), r)))
    );
}

#[test]
fn help_open_over_submitting_does_not_time_out() {
    let mut k = Kiosk::new().submitting_apply();
    let r = k.waiting();
    k.touch(Action::Help);
    assert!(k.wait(IDLE_MS + COUNTDOWN_MS).is_empty());
    assert_eq!(
        k.screen(),
        &Screen::Help(Box::new(Screen::Submitting(mid(APPLY), r)))
    );
    let fx = k.reply(BackendReply::Accepted(r, acceptance()));
    assert!(shows(&fx, ScreenKind::Help));
    assert_eq!(
        k.screen(),
        &Screen::Help(Box::new(Screen::Receipt(mid(APPLY), acceptance())))
    );
    // the receipt under help is idle time again
    k.wait(IDLE_MS);
    assert_eq!(k.kind(), ScreenKind::TimeoutWarning);
}

#[test]
fn a_card_placed_while_help_is_open_over_identify_is_read() {
    // The reader is enabled on identify; a card read while help shows must not be lost.
    let mut k = Kiosk::new().identify(APPLY);
    k.touch(Action::Help);
    k.card();
    assert_eq!(k.s.identity(), Some(&person(0)));
    assert_eq!(k.screen(), &Screen::Form(mid(APPLY)));
}

// ---------------------------------------------------------------------------------------
// Device unavailable
// ---------------------------------------------------------------------------------------

#[test]
fn reader_fault_on_identify_shows_device_unavailable() {
    let mut k = Kiosk::new().identify(QUERY);
    let fx = k.ev(Event::DeviceStatus(Device::CardReader, DeviceHealth::Fault));
    assert_eq!(
        k.screen(),
        &Screen::DeviceUnavailable(Device::CardReader, Some(mid(QUERY)))
    );
    assert!(fx.contains(&Effect::DisableCardReader));
    assert!(shows(&fx, ScreenKind::DeviceUnavailable));
    assert_eq!(k.s.device(Device::CardReader), DeviceHealth::Fault);
}

#[test]
fn a_detected_card_shows_reading_then_the_read_goes_on() {
    let mut k = Kiosk::new().identify(QUERY);
    let fx = k.ev(Event::CardDetected);
    assert_eq!(
        k.screen(),
        &Screen::Identify(mid(QUERY), IdentifyStatus::Reading)
    );
    assert!(shows(&fx, ScreenKind::Identify));
    k.card();
    assert_ne!(k.kind(), ScreenKind::Identify);
    // elsewhere a detection changes nothing
    let mut home = Kiosk::new();
    home.touch(Action::Start);
    let before = home.screen().clone();
    assert!(home.ev(Event::CardDetected).is_empty());
    assert_eq!(home.screen(), &before);
}

#[test]
fn a_reader_fault_while_help_covers_identify_shows_device_unavailable_after_help() {
    let mut k = Kiosk::new().identify(QUERY);
    k.touch(Action::Help);
    let fx = k.ev(Event::DeviceStatus(Device::CardReader, DeviceHealth::Fault));
    assert!(fx.contains(&Effect::DisableCardReader));
    assert_eq!(k.kind(), ScreenKind::Help, "help stays open");
    k.touch(Action::CloseHelp);
    assert_eq!(
        k.screen(),
        &Screen::DeviceUnavailable(Device::CardReader, Some(mid(QUERY)))
    );
}

#[test]
fn starting_a_matter_with_the_reader_out_shows_device_unavailable() {
    let mut k = Kiosk::new().guide(APPLY);
    k.ev(Event::DeviceStatus(Device::CardReader, DeviceHealth::Fault));
    assert_eq!(
        k.screen(),
        &Screen::Guide(mid(APPLY)),
        "a fault elsewhere does not change the screen"
    );
    let fx = k.touch(Action::StartMatter);
    assert_eq!(
        k.screen(),
        &Screen::DeviceUnavailable(Device::CardReader, Some(mid(APPLY)))
    );
    assert!(!fx.contains(&Effect::EnableCardReader));
    // guide-only matters still work, and their notice still prints
    k.touch(Action::GoHome);
    k.touch(Action::OpenMatter(mid(GUIDE)));
    assert!(
        k.touch(Action::PrintNotice)
            .iter()
            .any(|e| matches!(e, Effect::Print(_)))
    );
}

#[test]
fn device_unavailable_back_returns_to_the_guide_and_the_matter_starts_after_recovery() {
    let mut k = Kiosk::new().device_unavailable();
    k.touch(Action::Back);
    assert_eq!(k.screen(), &Screen::Guide(mid(APPLY)));
    k.touch(Action::StartMatter);
    assert_eq!(
        k.kind(),
        ScreenKind::DeviceUnavailable,
        "still out of order"
    );
    k.touch(Action::Back);
    k.ev(Event::DeviceStatus(Device::CardReader, DeviceHealth::Ready));
    let fx = k.touch(Action::StartMatter);
    assert_eq!(
        k.screen(),
        &Screen::Identify(mid(APPLY), IdentifyStatus::Waiting)
    );
    assert!(fx.contains(&Effect::EnableCardReader));
}

#[test]
fn reader_recovery_on_device_unavailable_resumes_identify() {
    let mut k = Kiosk::new().device_unavailable();
    let fx = k.ev(Event::DeviceStatus(Device::CardReader, DeviceHealth::Ready));
    assert_eq!(
        k.screen(),
        &Screen::Identify(mid(APPLY), IdentifyStatus::Waiting)
    );
    assert!(fx.contains(&Effect::EnableCardReader), "{fx:?}");
    assert!(speaks(&fx, Prompt::PlaceCard));
    assert!(shows(&fx, ScreenKind::Identify));
    k.card();
    assert_eq!(k.screen(), &Screen::Form(mid(APPLY)));
}

#[test]
fn a_reader_fault_after_the_read_does_not_interrupt_the_form() {
    let mut k = Kiosk::new().filled_form();
    let fx = k.ev(Event::DeviceStatus(Device::CardReader, DeviceHealth::Fault));
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(k.screen(), &Screen::Form(mid(APPLY)));
    k.touch(Action::FormNext);
    k.touch(Action::Confirm);
    assert_eq!(k.kind(), ScreenKind::Submitting);
}

// ---------------------------------------------------------------------------------------
// Card removed mid-session: an event, never a crash
// ---------------------------------------------------------------------------------------

#[test]
fn card_removed_at_every_screen_changes_nothing() {
    let mut all = every_screen();
    all.push(("attract", Kiosk::new()));
    all.push(("identify-retry", {
        let mut k = Kiosk::new().identify(QUERY);
        k.ev(Event::CardReadFailed(CardReadFailure::CardMoved));
        k
    }));
    for (name, mut k) in all {
        let screen = k.screen().clone();
        let identity = k.s.identity().cloned();
        let form = k.s.form().clone();
        let fx = k.ev(Event::CardRemoved);
        assert!(fx.is_empty(), "{name}: {fx:?}");
        assert_eq!(k.screen(), &screen, "{name}");
        assert_eq!(k.s.identity().cloned(), identity, "{name}");
        assert_eq!(k.s.form(), &form, "{name}");
    }
}

#[test]
fn card_removed_at_submitting_still_gets_the_receipt() {
    let mut k = Kiosk::new().submitting_apply();
    let r = k.waiting();
    k.ev(Event::CardRemoved);
    k.reply(BackendReply::Accepted(r, acceptance()));
    assert_eq!(k.kind(), ScreenKind::Receipt);
}

#[test]
fn card_removed_at_identify_keeps_waiting_for_a_card() {
    let mut k = Kiosk::new().identify(APPLY);
    k.ev(Event::CardRemoved);
    assert_eq!(
        k.screen(),
        &Screen::Identify(mid(APPLY), IdentifyStatus::Waiting)
    );
    k.card();
    assert_eq!(k.kind(), ScreenKind::Form);
}

#[test]
fn card_removed_at_review_still_submits_with_the_identity_read() {
    let mut k = Kiosk::new().review();
    k.ev(Event::CardRemoved);
    let fx = k.touch(Action::Confirm);
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Submit { identity, .. } if *identity == person(0)))
    );
}

// ---------------------------------------------------------------------------------------
// 返回 and 返回首页 from every screen
// ---------------------------------------------------------------------------------------

#[test]
fn back_from_every_screen() {
    let expected: Vec<(&str, Screen)> = vec![
        ("home", Screen::Home),
        ("list", Screen::Home),
        ("search", Screen::Home),
        (
            "guide",
            Screen::MatterList(ListSource::Category(Category::Pension)),
        ),
        ("identify", Screen::Guide(mid(APPLY))),
        ("form", Screen::Guide(mid(APPLY))),
        ("review", Screen::Form(mid(APPLY))),
        // no way back out of a submission or a finished matter
        (
            "submitting",
            Screen::Submitting(mid(APPLY), RequestId { session: 1, seq: 1 }),
        ),
        ("receipt-entry", Screen::Guide(mid(PROGRESS_MATTER))),
        ("result", Screen::Result(mid(QUERY), outcome())),
        ("receipt", Screen::Receipt(mid(APPLY), acceptance())),
        ("rating", Screen::Rating(mid(QUERY))),
        ("error", Screen::Guide(mid(QUERY))),
        ("device-unavailable", Screen::Guide(mid(APPLY))),
    ];
    let mut screens = every_screen();
    // the guide reached from a list, so back has a list to return to
    screens[3] = ("guide", {
        let mut k = Kiosk::new().list();
        k.touch(Action::OpenMatter(mid(GUIDE)));
        k
    });
    for ((name, mut k), (ename, want)) in screens.into_iter().zip(expected) {
        assert_eq!(name, ename);
        k.touch(Action::Back);
        assert_eq!(k.screen(), &want, "back from {name}");
    }
    let mut k = Kiosk::new();
    assert!(k.touch(Action::Back).is_empty());
    assert_eq!(k.screen(), &Screen::Attract);
}

#[test]
fn go_home_from_every_screen_wipes_identity_and_form() {
    for (name, mut k) in every_screen() {
        if name == "submitting" {
            // an application being committed: 返回首页 is not offered, a stale tap is ignored
            let before = k.screen().clone();
            assert!(!k.s.can_go_home());
            assert!(k.touch(Action::GoHome).is_empty(), "{name}");
            assert_eq!(k.screen(), &before);
            continue;
        }
        assert!(k.s.can_go_home(), "{name}");
        let had_personal = k.s.identity().is_some();
        let fx = k.touch(Action::GoHome);
        assert_eq!(k.screen(), &Screen::Home, "{name}");
        assert!(k.s.identity().is_none(), "{name}");
        assert_eq!(k.s.form(), &FormData::default(), "{name}");
        assert!(fx.contains(&Effect::DisableCardReader), "{name}");
        assert_eq!(
            wipes(&fx),
            had_personal,
            "{name}: wipe exactly when something personal was held"
        );
        assert_eq!(k.s.notice(), None, "{name}");
        assert_eq!(k.s.print_status(), None, "{name}");
    }
}

#[test]
fn go_home_from_the_countdown_leaves_the_matter() {
    let mut k = Kiosk::new().filled_form();
    k.wait(IDLE_MS);
    assert_eq!(k.kind(), ScreenKind::TimeoutWarning);
    let fx = k.touch(Action::GoHome);
    assert_eq!(k.screen(), &Screen::Home);
    assert!(wipes(&fx));
    assert!(k.s.identity().is_none());
}

// ---------------------------------------------------------------------------------------
// Idle timeout and countdown (mock time)
// ---------------------------------------------------------------------------------------

#[test]
fn no_countdown_before_the_idle_timeout() {
    let mut k = Kiosk::new().filled_form();
    for _ in 0..59 {
        let fx = k.wait(1_000);
        assert!(fx.is_empty(), "{fx:?}");
    }
    let fx = k.wait(999);
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(k.screen(), &Screen::Form(mid(APPLY)));
    assert_eq!(k.s.countdown_seconds(), None);
}

#[test]
fn countdown_shows_at_exactly_the_idle_timeout() {
    let mut k = Kiosk::new().filled_form();
    let under = k.screen().clone();
    let fx = k.wait(IDLE_MS);
    assert_eq!(
        k.screen(),
        &Screen::TimeoutWarning(Box::new(under), Millis(k.now + COUNTDOWN_MS))
    );
    assert!(speaks(&fx, Prompt::TimeoutWarning));
    assert!(shows(&fx, ScreenKind::TimeoutWarning));
    assert_eq!(k.s.countdown_seconds(), Some(15));
    // the step of the screen under the countdown still shows
    assert_eq!(k.s.step(), Some((3, 6)));
}

#[test]
fn countdown_counts_down_each_tick() {
    let mut k = Kiosk::new().guide(QUERY);
    k.wait(IDLE_MS);
    let fx = k.wait(1);
    assert!(shows(&fx, ScreenKind::TimeoutWarning));
    assert!(!speaks(&fx, Prompt::TimeoutWarning), "spoken once");
    assert_eq!(k.s.countdown_seconds(), Some(15), "14.999 s rounds up");
    k.wait(999);
    assert_eq!(k.s.countdown_seconds(), Some(14));
    k.wait(13_000);
    assert_eq!(k.s.countdown_seconds(), Some(1));
    k.wait(999);
    assert_eq!(k.s.countdown_seconds(), Some(1));
    assert_eq!(k.kind(), ScreenKind::TimeoutWarning);
}

#[test]
fn continue_during_the_countdown_returns_to_the_same_screen_with_data_kept() {
    let mut k = Kiosk::new().review();
    k.wait(IDLE_MS);
    k.wait(10_000);
    let fx = k.touch(Action::ContinueSession);
    assert_eq!(k.screen(), &Screen::Review(mid(APPLY)));
    assert!(shows(&fx, ScreenKind::Review));
    assert_eq!(k.s.identity(), Some(&person(0)));
    assert_eq!(k.s.form().phone, "13912345678");
    assert_eq!(k.s.countdown_seconds(), None);
    // the idle time starts again from the touch
    assert!(k.wait(IDLE_MS - 1).is_empty());
    assert_eq!(k.kind(), ScreenKind::Review);
    k.wait(1);
    assert_eq!(k.kind(), ScreenKind::TimeoutWarning);
    k.touch(Action::ContinueSession);
    k.touch(Action::Confirm);
    assert_eq!(k.kind(), ScreenKind::Submitting);
}

#[test]
fn other_touches_during_the_countdown_are_swallowed() {
    let mut k = Kiosk::new().review();
    k.wait(IDLE_MS);
    for a in [Action::Confirm, Action::Back, Action::Help, Action::Edit] {
        assert!(k.touch(a.clone()).is_empty(), "{a:?}");
        assert_eq!(k.kind(), ScreenKind::TimeoutWarning, "{a:?}");
    }
}

#[test]
fn a_card_placed_during_the_countdown_over_identify_resumes_and_is_read() {
    let mut k = Kiosk::new().identify(APPLY);
    k.wait(IDLE_MS);
    assert_eq!(k.kind(), ScreenKind::TimeoutWarning);
    k.card();
    assert_eq!(k.screen(), &Screen::Form(mid(APPLY)));
    assert_eq!(k.s.identity(), Some(&person(0)));
}

#[test]
fn countdown_zero_wipes_the_session_and_returns_to_attract() {
    let mut k = Kiosk::new().filled_form();
    assert!(k.s.identity().is_some());
    k.wait(IDLE_MS);
    let fx = k.wait(COUNTDOWN_MS - 1);
    assert_eq!(k.kind(), ScreenKind::TimeoutWarning, "{fx:?}");
    let fx = k.wait(1);
    assert_eq!(k.screen(), &Screen::Attract);
    assert!(wipes(&fx));
    assert!(fx.contains(&Effect::DisableCardReader));
    assert!(shows(&fx, ScreenKind::Attract));
    assert!(k.s.identity().is_none());
    assert_eq!(k.s.form(), &FormData::default());
    assert_eq!(k.s.form_errors(), &Default::default());
    assert_eq!(k.s.countdown_seconds(), None);
    // and the attract screen stays put
    assert!(k.wait(IDLE_MS * 3).is_empty());
    assert_eq!(k.screen(), &Screen::Attract);
}

#[test]
fn a_late_tick_past_the_deadline_wipes_at_once() {
    let mut k = Kiosk::new().review();
    k.wait(IDLE_MS);
    k.wait(10 * COUNTDOWN_MS);
    assert_eq!(k.screen(), &Screen::Attract);
    assert!(k.s.identity().is_none());
}

#[test]
fn a_clock_going_backwards_does_not_break_the_countdown() {
    let mut k = Kiosk::new().guide(QUERY);
    k.wait(IDLE_MS);
    let deadline = k.now + COUNTDOWN_MS;
    k.ev(Event::Tick(Millis(T0)));
    assert_eq!(k.s.countdown_seconds(), Some(15));
    k.now = deadline;
    k.ev(Event::Tick(Millis(deadline)));
    assert_eq!(k.screen(), &Screen::Attract);
}

#[test]
fn every_screen_but_attract_and_submitting_times_out() {
    for (name, mut k) in every_screen() {
        let under = k.screen().clone();
        k.wait(IDLE_MS);
        if matches!(under, Screen::Submitting(..)) {
            assert_eq!(
                k.screen(),
                &under,
                "{name}: waiting for the backend is not idleness"
            );
            continue;
        }
        assert_eq!(
            k.screen(),
            &Screen::TimeoutWarning(Box::new(under), Millis(k.now + COUNTDOWN_MS)),
            "{name}"
        );
        k.wait(COUNTDOWN_MS);
        assert_eq!(k.screen(), &Screen::Attract, "{name}");
        assert!(k.s.identity().is_none(), "{name}");
    }
}

#[test]
fn help_left_open_times_out_too() {
    let mut k = Kiosk::new().filled_form();
    k.touch(Action::Help);
    k.wait(IDLE_MS);
    assert_eq!(k.kind(), ScreenKind::TimeoutWarning);
    k.touch(Action::ContinueSession);
    assert_eq!(
        k.screen(),
        &Screen::Help(Box::new(Screen::Form(mid(APPLY))))
    );
    k.wait(IDLE_MS);
    k.wait(COUNTDOWN_MS);
    assert_eq!(k.screen(), &Screen::Attract);
    assert!(k.s.identity().is_none());
    assert!(!k.s.staff_called());
}

#[test]
fn every_touch_restarts_the_idle_time() {
    let mut k = Kiosk::new().form();
    for d in "1391234567".chars() {
        k.wait(IDLE_MS - 1_000);
        k.touch(Action::FormDigit(d));
    }
    k.wait(IDLE_MS - 1);
    assert_eq!(k.kind(), ScreenKind::Form);
}

#[test]
fn custom_idle_timeout_and_countdown_from_kiosk_toml() {
    let kiosk = format!("{KIOSK}\n[session]\nidle_timeout_secs = 30\ncountdown_secs = 5\n");
    let mut k = Kiosk::with(&kiosk).guide(QUERY);
    assert_eq!(k.s.setup().terminal.idle_timeout_secs, 30);
    assert_eq!(k.s.setup().terminal.countdown_secs, 5);
    assert!(k.wait(29_999).is_empty());
    k.wait(1);
    assert_eq!(k.kind(), ScreenKind::TimeoutWarning);
    assert_eq!(k.s.countdown_seconds(), Some(5));
    k.wait(4_999);
    assert_eq!(k.kind(), ScreenKind::TimeoutWarning);
    k.wait(1);
    assert_eq!(k.screen(), &Screen::Attract);
}

#[test]
fn default_idle_timeout_is_60_s_with_a_15_s_countdown() {
    let k = Kiosk::new();
    assert_eq!(k.s.setup().terminal.idle_timeout_secs, 60);
    assert_eq!(k.s.setup().terminal.countdown_secs, 15);
}

#[test]
fn wipe_starts_a_new_session_for_request_ids() {
    let mut k = Kiosk::new().submitting_query();
    let first = k.waiting();
    assert_eq!(first, RequestId { session: 1, seq: 1 });
    let r = k.waiting();
    k.reply(BackendReply::QueryResult(r, outcome()));
    k.touch(Action::Done);
    k.touch(Action::SkipRating);
    k.touch(Action::Start);
    k.touch(Action::OpenMatter(mid(QUERY)));
    k.touch(Action::StartMatter);
    k.card();
    assert_eq!(k.waiting(), RequestId { session: 2, seq: 1 });
}

// ---------------------------------------------------------------------------------------
// Privacy of what the session hands out
// ---------------------------------------------------------------------------------------

#[test]
fn debug_of_the_session_and_its_effects_never_shows_personal_data() {
    let p = SAMPLE_PEOPLE[1];
    let mut k = Kiosk::new().identify(APPLY);
    k.ev(Event::CardPresented(p.identity()));
    for d in "13912345678".chars() {
        k.touch(Action::FormDigit(d));
    }
    k.touch(Action::FormChoose(0));
    k.touch(Action::FormNext);
    let fx = k.touch(Action::Confirm);
    let texts = [format!("{:?}", k.s), format!("{fx:?}")];
    for t in &texts {
        assert!(t.contains("Submit") || t.contains("Session"), "{t}");
        assert!(!t.contains(&p.id_number()), "id number leaked: {t}");
        assert!(!t.contains(p.name), "name leaked: {t}");
        assert!(!t.contains(p.address), "address leaked: {t}");
        assert!(!t.contains("13912345678"), "phone leaked: {t}");
    }
}

// ---------------------------------------------------------------------------------------
// Printing: reports, 补打, and a printer fault told before the matter starts (issue 4 §3, §6)
// ---------------------------------------------------------------------------------------

const KIOSK_WITH_RIGHTS: &str = r#"
[terminal]
id = "test-001"
name = "测试镇便民服务中心1号机"
county = "测试县"

[offer]
matters = ["pension-summary", "card-apply-adult", "rights-record"]
hot = ["pension-summary"]
"#;

fn report(job: &PrintJob, result: PrintResult) -> Event {
    Event::PrintFinished(PrintReport {
        id: job.id.clone(),
        reprint: job.reprint,
        result,
    })
}

#[test]
fn a_printer_fault_is_told_before_an_apply_matter_starts_and_the_citizen_may_go_on() {
    let mut k = Kiosk::new().guide(APPLY);
    k.ev(Event::DeviceStatus(Device::Printer, DeviceHealth::Fault));
    let fx = k.touch(Action::StartMatter);
    assert_eq!(
        k.screen(),
        &Screen::DeviceUnavailable(Device::Printer, Some(mid(APPLY)))
    );
    assert!(!fx.contains(&Effect::EnableCardReader), "{fx:?}");
    assert!(k.s.can_continue_without_print());
    // 继续办理（不打印回执）
    let fx = k.touch(Action::ContinueWithoutPrint);
    assert_eq!(
        k.screen(),
        &Screen::Identify(mid(APPLY), IdentifyStatus::Waiting)
    );
    assert!(fx.contains(&Effect::EnableCardReader));
    // …and at the end the receipt screen says why nothing printed
    k.card();
    for d in "13912345678".chars() {
        k.touch(Action::FormDigit(d));
    }
    k.touch(Action::FormChoose(1));
    k.touch(Action::FormNext);
    k.touch(Action::Confirm);
    let r = k.waiting();
    let fx = k.reply(BackendReply::Accepted(r, acceptance()));
    assert_eq!(k.kind(), ScreenKind::Receipt);
    assert!(printed(&fx).is_none(), "{fx:?}");
    assert!(k.s.print_status().unwrap().contains("打印机暂停服务"));
}

#[test]
fn a_print_only_matter_cannot_start_without_the_printer() {
    let mut k = Kiosk::with(KIOSK_WITH_RIGHTS).guide("rights-record");
    k.ev(Event::DeviceStatus(Device::Printer, DeviceHealth::Fault));
    k.touch(Action::StartMatter);
    assert_eq!(
        k.screen(),
        &Screen::DeviceUnavailable(Device::Printer, Some(mid("rights-record")))
    );
    assert!(!k.s.can_continue_without_print());
    let fx = k.touch(Action::ContinueWithoutPrint);
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(k.kind(), ScreenKind::DeviceUnavailable);
    k.touch(Action::Back);
    assert_eq!(k.screen(), &Screen::Guide(mid("rights-record")));
}

#[test]
fn a_query_whose_print_is_optional_starts_with_the_printer_out() {
    let mut k = Kiosk::new().guide(QUERY);
    k.ev(Event::DeviceStatus(Device::Printer, DeviceHealth::Fault));
    k.touch(Action::StartMatter);
    assert_eq!(
        k.screen(),
        &Screen::Identify(mid(QUERY), IdentifyStatus::Waiting)
    );
    // and continuing without print is not offered where it means nothing
    assert!(!k.s.can_continue_without_print());
}

#[test]
fn paper_loaded_while_the_printer_notice_shows_goes_on_with_the_matter() {
    let mut k = Kiosk::new().guide(APPLY);
    k.ev(Event::DeviceStatus(Device::Printer, DeviceHealth::Fault));
    k.touch(Action::StartMatter);
    let fx = k.ev(Event::DeviceStatus(Device::Printer, DeviceHealth::Degraded));
    assert_eq!(
        k.screen(),
        &Screen::Identify(mid(APPLY), IdentifyStatus::Waiting)
    );
    assert!(fx.contains(&Effect::EnableCardReader));
}

#[test]
fn a_failed_receipt_can_be_reprinted_with_the_same_id_marked_as_a_reprint() {
    let mut k = Kiosk::new().submitting_apply();
    let r = k.waiting();
    let fx = k.reply(BackendReply::Accepted(r, acceptance()));
    let first = printed(&fx).unwrap().clone();
    assert!(k.s.printing());
    // 重新打印 is not offered before anything failed
    assert!(k.touch(Action::ReprintReceipt).is_empty());

    let fx = k.ev(report(&first, PrintResult::Failed(PrintFailure::PaperOut)));
    assert!(shows(&fx, ScreenKind::Receipt));
    assert!(k.s.print_failed());
    assert!(!k.s.printing());
    assert!(k.s.print_status().unwrap().contains("缺纸"));

    let fx = k.touch(Action::ReprintReceipt);
    let second = printed(&fx).unwrap().clone();
    assert_eq!(second.id, first.id);
    assert_eq!(second.reprint, 1);
    assert_eq!(second.content, first.content);
    assert!(!k.s.print_failed());

    k.ev(report(&second, PrintResult::Printed));
    assert!(k.s.print_status().unwrap().contains("已打印"));
    assert!(k.touch(Action::ReprintReceipt).is_empty());
}

#[test]
fn a_second_tap_while_printing_is_not_a_second_job_and_a_later_copy_is_a_reprint() {
    let mut k = Kiosk::new().result();
    let first = printed(&k.touch(Action::PrintResult)).unwrap().clone();
    assert_eq!(first.reprint, 0);
    assert!(first.id.starts_with("test-001-"), "{}", first.id);
    assert!(printed(&k.touch(Action::PrintResult)).is_none());
    k.ev(report(&first, PrintResult::PrintedPaperLow));
    assert!(k.s.print_status().unwrap().contains("已打印"));
    let again = printed(&k.touch(Action::PrintResult)).unwrap().clone();
    assert_eq!((again.id.as_str(), again.reprint), (first.id.as_str(), 1));
}

#[test]
fn a_report_of_another_job_changes_nothing() {
    let mut k = Kiosk::new().result();
    let job = printed(&k.touch(Action::PrintResult)).unwrap().clone();
    let stale = PrintJob {
        id: "elsewhere".into(),
        ..job.clone()
    };
    assert!(
        k.ev(report(&stale, PrintResult::Failed(PrintFailure::CoverOpen)))
            .is_empty()
    );
    assert!(k.s.printing());
    let older = PrintJob {
        reprint: 7,
        ..job.clone()
    };
    assert!(k.ev(report(&older, PrintResult::Printed)).is_empty());
    assert!(k.s.print_status().unwrap().contains("正在打印"));
}

#[test]
fn a_notice_report_updates_the_guide_and_a_failure_says_what_to_do() {
    let mut k = Kiosk::new().guide(GUIDE);
    let job = printed(&k.touch(Action::PrintNotice)).unwrap().clone();
    let fx = k.ev(report(&job, PrintResult::Failed(PrintFailure::CoverOpen)));
    assert!(shows(&fx, ScreenKind::Guide));
    assert!(k.s.notice().unwrap().contains("纸仓盖"));
    let again = printed(&k.touch(Action::PrintNotice)).unwrap().clone();
    assert_eq!(again.reprint, 1);
    k.ev(report(&again, PrintResult::Failed(PrintFailure::NoAnswer)));
    assert!(k.s.notice().unwrap().contains("没有响应"));
}

#[test]
fn going_home_forgets_the_print_state() {
    let mut k = Kiosk::new().result();
    let job = printed(&k.touch(Action::PrintResult)).unwrap().clone();
    k.touch(Action::GoHome);
    assert!(!k.s.printing());
    assert!(k.ev(report(&job, PrintResult::Printed)).is_empty());
}

#[test]
fn with_the_backend_down_a_lookup_offers_the_notice_instead() {
    let mut k = Kiosk::new().submitting_query();
    let r = k.waiting();
    k.reply(BackendReply::Failed(r, BackendFailure::Unreachable));
    let fx = k.touch(Action::PrintNotice);
    assert_eq!(
        printed(&fx).map(|j| &j.content),
        Some(&PrintContent::Notice(mid(QUERY)))
    );
    assert!(shows(&fx, ScreenKind::Error));
    assert!(k.s.print_status().unwrap().contains("正在打印"));
    // a rejection is not an outage: no notice from there
    let mut k = Kiosk::new().submitting_apply();
    let r = k.waiting();
    k.reply(BackendReply::Failed(
        r,
        BackendFailure::Rejected("不符合条件".into()),
    ));
    assert!(printed(&k.touch(Action::PrintNotice)).is_none());
}

// ---------------------------------------------------------------------------------------
// 办件进度查询 (a terminal function every terminal offers)
// ---------------------------------------------------------------------------------------

#[test]
fn progress_lookup_is_offered_without_being_in_the_county_list() {
    let k = Kiosk::new();
    let setup = k.s.setup();
    let id = setup.catalog.progress_matter_id().unwrap().clone();
    assert_eq!(id, mid(PROGRESS_MATTER));
    let m = setup.offered(&id).unwrap();
    assert_eq!(m.service, Some(Service::ProgressLookup));
    assert!(m.sources.is_empty(), "no county list names it");
    assert!(!m.guide.sample);
    assert!(
        setup.search("jdcx").iter().any(|m| m.id == id),
        "进度查询 by initials"
    );
}

#[test]
fn progress_by_number_types_on_the_keyboard_and_queries() {
    let mut k = Kiosk::new().receipt_entry("sl2026");
    assert_eq!(k.s.step(), Some((2, 4)));
    // only digits, letters and '-' are taken; letters are upper case
    let fx = k.touch(Action::ReceiptKey('*'));
    assert!(shows(&fx, ScreenKind::ReceiptEntry));
    k.touch(Action::ReceiptBackspace);
    for c in "1123-000001".chars() {
        k.touch(Action::ReceiptKey(c));
    }
    assert_eq!(
        k.screen(),
        &Screen::ReceiptEntry(mid(PROGRESS_MATTER), "SL2021123-000001".into())
    );
    let fx = k.touch(Action::QueryReceipt);
    let request = k.waiting();
    assert!(
        fx.contains(&Effect::QueryProgress {
            request,
            receipt_no: "SL2021123-000001".into()
        }),
        "{fx:?}"
    );
    assert!(!fx.iter().any(|e| matches!(e, Effect::EnableCardReader)));
    assert!(k.s.can_go_home(), "a lookup may be abandoned");
    k.reply(BackendReply::QueryResult(request, outcome()));
    assert_eq!(k.screen(), &Screen::Result(mid(PROGRESS_MATTER), outcome()));
    // printing the result is a choice; then rating as after any matter
    k.touch(Action::Done);
    assert_eq!(k.screen(), &Screen::Rating(mid(PROGRESS_MATTER)));
}

#[test]
fn progress_number_entry_is_bounded_and_a_short_number_is_not_sent() {
    let mut k = Kiosk::new().receipt_entry("SL12");
    assert!(
        k.touch(Action::QueryReceipt)
            .iter()
            .all(|e| matches!(e, Effect::Show(_)))
    );
    assert_eq!(k.kind(), ScreenKind::ReceiptEntry);
    for _ in 0..60 {
        k.touch(Action::ReceiptKey('9'));
    }
    match k.screen() {
        Screen::ReceiptEntry(_, no) => assert_eq!(no.len(), 40),
        other => panic!("{other:?}"),
    }
    k.touch(Action::ReceiptClear);
    assert_eq!(
        k.screen(),
        &Screen::ReceiptEntry(mid(PROGRESS_MATTER), String::new())
    );
    // keys of this keyboard do nothing elsewhere
    let mut k = Kiosk::new().guide(QUERY);
    assert!(k.touch(Action::ReceiptKey('1')).is_empty());
    assert!(k.touch(Action::EnterReceiptNo).is_empty());
    assert_eq!(k.screen(), &Screen::Guide(mid(QUERY)));
}

#[test]
fn progress_by_card_queries_the_persons_cases() {
    let mut k = Kiosk::new().identify(PROGRESS_MATTER);
    let fx = k.card();
    let request = k.waiting();
    assert!(fx.contains(&Effect::Query {
        request,
        service: Service::ProgressLookup,
        identity: person(0),
    }));
}

#[test]
fn an_unknown_number_shows_the_counties_reason_and_retry_returns_to_the_guide() {
    let mut k = Kiosk::new().receipt_entry("SL20261123000009");
    k.touch(Action::QueryReceipt);
    let r = k.waiting();
    k.reply(BackendReply::Failed(
        r,
        BackendFailure::Rejected("没有查到受理编号".into()),
    ));
    assert_eq!(
        k.screen(),
        &Screen::Error(
            ErrorKind::Rejected("没有查到受理编号".into()),
            Some(mid(PROGRESS_MATTER))
        )
    );
    k.touch(Action::Retry);
    assert_eq!(k.screen(), &Screen::Guide(mid(PROGRESS_MATTER)));
}

// ---------------------------------------------------------------------------------------
// 社保卡申领（未成年人）: the guardian's card, then the minor's
// ---------------------------------------------------------------------------------------

const MINOR_MATTER: &str = "card-apply-minor";
const KIOSK_MINOR: &str = r#"
[terminal]
id = "test-002"
name = "测试镇便民服务中心2号机"
county = "测试县"

[offer]
matters = ["card-apply-minor", "card-apply-adult"]
"#;

fn minor() -> Identity {
    kiosk_core::samples::SamplePerson {
        name: "张小雨",
        gender: kiosk_core::identity::Gender::Female,
        region: "371702",
        birth: "20150601",
        sequence: "026",
        address: "山东省菏泽市牡丹区牡丹街道示例村12号",
        issuer: "菏泽市公安局牡丹分局",
    }
    .identity()
}

#[test]
fn a_minors_card_is_applied_for_with_the_guardians_card_first() {
    let mut k = Kiosk::with(KIOSK_MINOR).identify(MINOR_MATTER);
    assert_eq!(k.s.identify_role(), IdentifyRole::Guardian);
    let fx = k.ev(Event::CardPresented(person(1)));
    // still identifying, reader still on, now for the minor
    assert_eq!(
        k.screen(),
        &Screen::Identify(mid(MINOR_MATTER), IdentifyStatus::Waiting)
    );
    assert!(!fx.contains(&Effect::DisableCardReader));
    assert!(speaks(&fx, Prompt::PlaceMinorCard));
    assert_eq!(k.s.identify_role(), IdentifyRole::Minor);
    assert_eq!(k.s.guardian(), Some(&person(1)));
    // the guardian's card again is not taken as the minor's
    k.ev(Event::CardPresented(person(1)));
    assert_eq!(
        k.screen(),
        &Screen::Identify(mid(MINOR_MATTER), IdentifyStatus::SameCard)
    );
    let fx = k.ev(Event::CardPresented(minor()));
    assert!(fx.contains(&Effect::DisableCardReader));
    assert_eq!(k.screen(), &Screen::Form(mid(MINOR_MATTER)));
    assert_eq!(k.s.identity(), Some(&minor()));
    for d in "13912345678".chars() {
        k.touch(Action::FormDigit(d));
    }
    k.touch(Action::FormChoose(0));
    k.touch(Action::FormNext);
    let fx = k.touch(Action::Confirm);
    let request = k.waiting();
    assert!(
        fx.contains(&Effect::Submit {
            request,
            service: Service::CardApplyMinor,
            matter: mid(MINOR_MATTER),
            identity: minor(),
            guardian: Some(person(1)),
            form: FormData {
                phone: "13912345678".into(),
                choice: Some(0),
            },
            materials: Vec::new(),
        }),
        "{fx:?}"
    );
}

#[test]
fn leaving_after_the_guardians_card_forgets_the_guardian() {
    let mut k = Kiosk::with(KIOSK_MINOR).identify(MINOR_MATTER);
    k.ev(Event::CardPresented(person(1)));
    let fx = k.touch(Action::Back);
    assert_eq!(k.screen(), &Screen::Guide(mid(MINOR_MATTER)));
    assert!(k.s.guardian().is_none());
    assert!(wipes(&fx));
    // starting again asks for the guardian first
    k.touch(Action::StartMatter);
    assert_eq!(k.s.identify_role(), IdentifyRole::Guardian);
    // and the timeout wipes a guardian too
    k.ev(Event::CardPresented(person(1)));
    k.wait(IDLE_MS);
    k.wait(COUNTDOWN_MS);
    assert_eq!(k.screen(), &Screen::Attract);
    assert!(k.s.guardian().is_none());
    // an adult's own application never asks for a guardian
    let k = Kiosk::with(KIOSK_MINOR).identify(APPLY);
    assert_eq!(k.s.identify_role(), IdentifyRole::Applicant);
}

#[test]
fn go_home_is_withheld_only_while_an_application_is_committed() {
    let mut k = Kiosk::new().submitting_apply();
    assert!(!k.s.can_go_home());
    k.touch(Action::Help);
    assert!(
        !k.s.can_go_home(),
        "help over the wait does not open a way out"
    );
    assert!(k.touch(Action::GoHome).is_empty());
    k.touch(Action::CloseHelp);
    let r = k.waiting();
    k.reply(BackendReply::Accepted(r, acceptance()));
    assert!(k.s.can_go_home());
    let k = Kiosk::new().submitting_query();
    assert!(k.s.can_go_home());
}

// ---------------------------------------------------------------------------------------
// 好差评: 差评 details, the pad, the timeout
// ---------------------------------------------------------------------------------------

#[test]
fn the_rating_screen_lights_the_pad_and_preselects_nothing() {
    let mut k = Kiosk::new().result();
    let fx = k.touch(Action::Done);
    assert!(fx.contains(&Effect::RatingPad(PadSignal::Invite)));
    assert_eq!(k.s.rated(), None, "never preselected");
    assert_eq!(k.s.case_ref(), Some("test-001-1-1"), "tied to the query");
}

#[test]
fn a_poor_rating_asks_for_reasons_and_a_callback_before_it_is_recorded() {
    let mut k = Kiosk::new().receipt();
    k.touch(Action::Done);
    let fx = k.touch(Action::Rate(RatingLevel::VeryDissatisfied));
    assert!(!fx.iter().any(|e| matches!(e, Effect::RecordRating(_))));
    assert_eq!(
        k.screen(),
        &Screen::RatingDetail(mid(APPLY), RatingLevel::VeryDissatisfied)
    );
    assert_eq!(k.s.step(), Some((6, 6)));
    k.touch(Action::ToggleReason(2));
    k.touch(Action::ToggleReason(0));
    k.touch(Action::ToggleReason(99));
    k.touch(Action::ToggleCallback);
    // consent without a number: refused with a reason, nothing recorded
    let fx = k.touch(Action::SubmitRating);
    assert!(!fx.iter().any(|e| matches!(e, Effect::RecordRating(_))));
    assert!(k.s.poor_rating().error.is_some());
    for d in "13912345678".chars() {
        k.touch(Action::RatingDigit(d));
    }
    let fx = k.touch(Action::SubmitRating);
    let record = fx
        .iter()
        .find_map(|e| match e {
            Effect::RecordRating(r) => Some(r.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(record.case_ref.as_deref(), Some("SB20260001"));
    assert_eq!(record.level, RatingLevel::VeryDissatisfied);
    let reasons = &k.s.setup().terminal.rating.reasons;
    assert_eq!(record.reasons, vec![reasons[0].clone(), reasons[2].clone()]);
    assert_eq!(record.callback_phone.unwrap().reveal(), "13912345678");
    assert_eq!(
        k.screen(),
        &Screen::Rating(mid(APPLY)),
        "thanks on the rating screen"
    );
    assert!(k.s.poor_rating().phone.is_empty(), "the number is not kept");
    k.wait(THANKS_MS);
    assert_eq!(k.screen(), &Screen::Attract);
}

#[test]
fn back_from_the_poor_rating_details_chooses_again_and_reasons_are_optional() {
    let mut k = Kiosk::new().rating();
    k.touch(Action::Rate(RatingLevel::Dissatisfied));
    k.touch(Action::ToggleReason(1));
    k.touch(Action::Back);
    assert_eq!(k.screen(), &Screen::Rating(mid(QUERY)));
    assert_eq!(k.s.rated(), None);
    k.touch(Action::Rate(RatingLevel::Dissatisfied));
    assert!(k.s.poor_rating().reasons.is_empty(), "a fresh draft");
    let fx = k.touch(Action::SubmitRating);
    assert!(fx.iter().any(|e| matches!(e, Effect::RecordRating(r) if r.reasons.is_empty() && r.callback_phone.is_none())));
}

#[test]
fn pad_keys_count_only_on_the_rating_screen_and_a_double_press_once() {
    let mut k = Kiosk::new().result();
    assert!(
        k.ev(Event::RatingKey(RatingLevel::VerySatisfied))
            .is_empty()
    );
    k.touch(Action::Done);
    let fx = k.ev(Event::RatingKey(RatingLevel::Satisfied));
    assert_eq!(
        fx.iter()
            .filter(|e| matches!(e, Effect::RecordRating(_)))
            .count(),
        1
    );
    assert!(k.ev(Event::RatingKey(RatingLevel::Satisfied)).is_empty());
    assert_eq!(k.s.rated(), Some(RatingLevel::Satisfied));
    // a pad key on the 差评 details does not change the level
    let mut k = Kiosk::new().rating();
    k.touch(Action::Rate(RatingLevel::Dissatisfied));
    assert!(
        k.ev(Event::RatingKey(RatingLevel::VerySatisfied))
            .is_empty()
    );
}

#[test]
fn a_rating_after_the_timeout_is_not_given_to_the_next_person() {
    let mut k = Kiosk::new().rating();
    k.touch(Action::Rate(RatingLevel::Dissatisfied));
    k.touch(Action::ToggleCallback);
    k.touch(Action::RatingDigit('1'));
    k.wait(IDLE_MS);
    let fx = k.wait(COUNTDOWN_MS);
    assert_eq!(k.screen(), &Screen::Attract);
    assert!(fx.contains(&Effect::RatingPad(PadSignal::Off)));
    assert!(k.s.poor_rating().phone.is_empty());
    assert_eq!(k.s.case_ref(), None);
    // the pad pressed now, and by the next person before their matter ends: nothing
    assert!(
        k.ev(Event::RatingKey(RatingLevel::VeryDissatisfied))
            .is_empty()
    );
    k.touch(Action::Start);
    assert!(
        k.ev(Event::RatingKey(RatingLevel::VeryDissatisfied))
            .is_empty()
    );
    assert_eq!(k.s.rated(), None);
}

#[test]
fn a_timeout_over_help_on_the_rating_screen_darkens_the_pad() {
    let mut k = Kiosk::new().rating();
    k.touch(Action::Rate(RatingLevel::Dissatisfied));
    k.touch(Action::Help);
    k.wait(IDLE_MS);
    let fx = k.wait(COUNTDOWN_MS);
    assert_eq!(k.screen(), &Screen::Attract);
    assert!(fx.contains(&Effect::RatingPad(PadSignal::Off)), "{fx:?}");
}
