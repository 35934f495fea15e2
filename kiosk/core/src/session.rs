//! The citizen session: a state machine driven only by events, returning effects.
//!
//! `Session::step(event) -> Vec<Effect>` is the whole interface. Touches, card reads,
//! device status, backend replies and clock ticks come in as [`Event`]s; what the outside
//! must do (show a screen, enable the card reader, query, submit, print, speak, wipe) goes
//! out as [`Effect`]s. Time arrives as [`Event::Tick`], so the idle timeout is a unit test,
//! not a sleep (DESIGN.md principle 1).

use crate::capture::{
    CaptureFailure, CaptureKind, CaptureSlot, CapturedMaterial, Captures, PageRef,
};
use crate::catalog::{Category, FlowKind, Matter, MatterId, PrintNeed, Service};
use crate::forms::{FormData, FormErrors, FormSpec};
use crate::identity::{Identity, MaskedIdentity};
use crate::rating::{PadSignal, PoorRatingDraft, RatingRecord};
use crate::setup::Setup;
use std::sync::Arc;

/// Monotonic milliseconds since some start; only differences matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Millis(pub u64);

/// Identifies one backend request, so a late reply cannot land in another session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestId {
    /// Which session (incremented at every wipe).
    pub session: u64,
    /// Which request within it.
    pub seq: u64,
}

/// What a citizen touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Attract screen touched.
    Start,
    /// 返回首页
    GoHome,
    /// 返回
    Back,
    /// 帮助
    Help,
    /// 关闭帮助
    CloseHelp,
    /// 呼叫工作人员
    CallStaff,
    /// 继续办理 on the idle countdown.
    ContinueSession,
    /// A category tile.
    OpenCategory(Category),
    /// 搜索事项
    OpenSearch,
    /// A letter key of the search keyboard.
    SearchKey(char),
    /// 删除 on the search keyboard.
    SearchBackspace,
    /// 清空 on the search keyboard.
    SearchClear,
    /// A matter tile.
    OpenMatter(MatterId),
    /// 开始办理 / 开始查询 on the guide.
    StartMatter,
    /// 打印告知单
    PrintNotice,
    /// A keypad digit on the form.
    FormDigit(char),
    /// 删除 on the form keypad.
    FormBackspace,
    /// A choice button on the form.
    FormChoose(usize),
    /// 下一步 on the form.
    FormNext,
    /// 确认提交
    Confirm,
    /// 修改
    Edit,
    /// 打印 on the result screen.
    PrintResult,
    /// 完成 on the result or receipt screen.
    Done,
    /// A rating level.
    Rate(RatingLevel),
    /// 跳过 on the rating screen.
    SkipRating,
    /// 重试 on the error screen.
    Retry,
    /// 继续办理（不打印回执） when the printer is out before an apply matter.
    ContinueWithoutPrint,
    /// 重新打印回执 on the receipt screen after a failed print.
    ReprintReceipt,
    /// 输入受理编号查询 on the 进度查询 guide.
    EnterReceiptNo,
    /// A key (digit, letter or `-`) of the 受理编号 keyboard.
    ReceiptKey(char),
    /// 删除 on the 受理编号 keyboard.
    ReceiptBackspace,
    /// 清空 on the 受理编号 keyboard.
    ReceiptClear,
    /// 查询 on the 受理编号 keyboard.
    QueryReceipt,
    /// A 差评 reason button (index in the county's list).
    ToggleReason(usize),
    /// 同意回访
    ToggleCallback,
    /// A keypad digit of the callback number.
    RatingDigit(char),
    /// 删除 on the callback keypad.
    RatingBackspace,
    /// 提交评价 on the 差评 screen.
    SubmitRating,
    /// 材料拍摄: choose the material to capture next.
    CaptureSelect(usize),
    /// 拍摄: add a page of the chosen material.
    CaptureTake,
    /// 重拍: take the chosen material's last page again.
    CaptureRetake,
    /// 删除: drop a page of the chosen material.
    CaptureRemove(usize),
    /// 下一步 from the capture screen.
    CaptureDone,
}

/// The five 好差评 levels (国办发〔2019〕51号).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RatingLevel {
    /// 非常不满意
    VeryDissatisfied = 1,
    /// 不满意
    Dissatisfied = 2,
    /// 基本满意
    Acceptable = 3,
    /// 满意
    Satisfied = 4,
    /// 非常满意
    VerySatisfied = 5,
}

impl RatingLevel {
    /// From 1..=5.
    pub fn from_number(n: i32) -> Option<RatingLevel> {
        Some(match n {
            1 => RatingLevel::VeryDissatisfied,
            2 => RatingLevel::Dissatisfied,
            3 => RatingLevel::Acceptable,
            4 => RatingLevel::Satisfied,
            5 => RatingLevel::VerySatisfied,
            _ => return None,
        })
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            RatingLevel::VeryDissatisfied => "非常不满意",
            RatingLevel::Dissatisfied => "不满意",
            RatingLevel::Acceptable => "基本满意",
            RatingLevel::Satisfied => "满意",
            RatingLevel::VerySatisfied => "非常满意",
        }
    }
}

/// Devices whose state changes what the session may offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    /// The ID-card reader.
    CardReader,
    /// The receipt printer.
    Printer,
    /// The 高拍仪 (document camera).
    Scanner,
}

/// A device's health as the session cares about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeviceHealth {
    /// Working.
    #[default]
    Ready,
    /// Working with a warning (paper low).
    Degraded,
    /// Not usable.
    Fault,
}

/// Why a card could not be read (the reader itself works).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardReadFailure {
    /// Card moved or pulled during the read.
    CardMoved,
    /// The card's data could not be understood.
    Unreadable,
}

/// What the backend answered to a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryOutcome {
    /// Result title, e.g. 城乡居民养老保险缴费及待遇.
    pub title: String,
    /// Labelled values.
    pub rows: Vec<(String, String)>,
    /// A note below the table.
    pub note: String,
    /// For a certificate (参保证明): its number and verification code, printed with a QR.
    pub certificate: Option<CertificateMark>,
}

/// What makes a printed certificate checkable: anyone holding the paper can confirm it at
/// the county with the number and code (or by scanning the QR of `verify_url`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateMark {
    /// 证明编号
    pub number: String,
    /// 验证码
    pub code: String,
    /// The county's verification address for this certificate.
    pub verify_url: String,
}

/// What the backend (or the outbox) said of a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptance {
    /// 受理编号
    pub receipt_no: String,
    /// true: stored in the outbox, to be uploaded when the network returns.
    pub queued: bool,
}

/// Why a backend request failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendFailure {
    /// The county backend could not be reached.
    Unreachable,
    /// The backend refused, with a reason for the citizen.
    Rejected(String),
}

/// A reply from the backend adapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendReply {
    /// A query answered.
    QueryResult(RequestId, QueryOutcome),
    /// A submission accepted (or durably queued).
    Accepted(RequestId, Acceptance),
    /// A request failed.
    Failed(RequestId, BackendFailure),
}

/// Everything that can happen to a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The citizen touched something.
    Touch(Action),
    /// A card was found on the reader and is being read (the read takes a moment).
    CardDetected,
    /// A card was read.
    CardPresented(Identity),
    /// The card left the reader.
    CardRemoved,
    /// A card was on the reader but could not be read.
    CardReadFailed(CardReadFailure),
    /// A device changed state.
    DeviceStatus(Device, DeviceHealth),
    /// The backend answered.
    Backend(BackendReply),
    /// The printer finished (or gave up on) a job.
    PrintFinished(PrintReport),
    /// A capture asked for by [`Effect::Capture`] is done: a page, or why not.
    Captured(RequestId, Result<PageRef, CaptureFailure>),
    /// A key of the rating pad (counts only while the rating screen shows).
    RatingKey(RatingLevel),
    /// The clock moved on.
    Tick(Millis),
}

/// What became of a print job, as the printer adapter saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintReport {
    /// The job's id ([`PrintJob::id`]).
    pub id: String,
    /// Its attempt ([`PrintJob::reprint`]).
    pub reprint: u32,
    /// The result.
    pub result: PrintResult,
}

/// The end of one print job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintResult {
    /// Printed and cut.
    Printed,
    /// Printed, but the paper is nearly out.
    PrintedPaperLow,
    /// Not (completely) printed.
    Failed(PrintFailure),
}

/// Why a job did not print, in words the citizen can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintFailure {
    /// 缺纸
    PaperOut,
    /// 纸仓盖未关
    CoverOpen,
    /// The printer did not answer, or the connection broke: the job's fate is unknown.
    NoAnswer,
    /// Any other printer error (cutter, overheating).
    PrinterError,
}

/// Voice prompts (语音播报); the audio adapter maps them to recorded clips.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// 欢迎使用
    Welcome,
    /// 请将身份证放在感应区
    PlaceCard,
    /// 读卡成功
    CardRead,
    /// 请放置未成年人的身份证
    PlaceMinorCard,
    /// 请重新放置身份证
    ReplaceCard,
    /// 请取走回执
    TakeReceipt,
    /// 请对本次服务进行评价
    PleaseRate,
    /// 长时间未操作，即将返回首页
    TimeoutWarning,
    /// 请将材料平放在拍摄区
    PlaceMaterial,
    /// 请将材料放平后重新拍摄
    RetakeMaterial,
}

/// What the outside must print: content with a stable id, so a second copy of the same
/// content keeps the id and is marked 补打 (never a silent duplicate; DESIGN.md principle 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJob {
    /// The job id: the 受理编号 for a receipt, `terminal-session-seq` otherwise.
    pub id: String,
    /// 0 for the first print, n for the n-th 补打 of the same content.
    pub reprint: u32,
    /// What to print.
    pub content: PrintContent,
}

/// The content of a print job; personal data in it is already masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintContent {
    /// 一次性告知单 of a matter.
    Notice(MatterId),
    /// A query result.
    QueryResult {
        /// The matter.
        matter: MatterId,
        /// What to print.
        outcome: QueryOutcome,
        /// Whose result it is (masked).
        applicant: Option<MaskedIdentity>,
    },
    /// 办件回执
    Receipt {
        /// The matter.
        matter: MatterId,
        /// The acceptance to print.
        acceptance: Acceptance,
        /// The applicant (masked).
        applicant: Option<MaskedIdentity>,
    },
}

impl PrintContent {
    /// The matter the content belongs to.
    pub fn matter(&self) -> &MatterId {
        match self {
            PrintContent::Notice(m)
            | PrintContent::QueryResult { matter: m, .. }
            | PrintContent::Receipt { matter: m, .. } => m,
        }
    }
}

/// What the outside must do.
// Effects live for one dispatch; boxing the two identities of a submission would only add
// noise at every use.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The screen changed: re-project the UI.
    Show(ScreenKind),
    /// Start polling the card reader.
    EnableCardReader,
    /// Stop polling the card reader.
    DisableCardReader,
    /// Run a query at the backend.
    Query {
        /// Reply with this id.
        request: RequestId,
        /// Which query.
        service: Service,
        /// For whom.
        identity: Identity,
    },
    /// Look up the progress of one case by its 受理编号 (进度查询 without a card).
    QueryProgress {
        /// Reply with this id.
        request: RequestId,
        /// The number as typed (upper case, digits, letters and `-`).
        receipt_no: String,
    },
    /// Submit an application (through the outbox).
    Submit {
        /// Reply with this id; also the idempotency seed.
        request: RequestId,
        /// Which application.
        service: Service,
        /// The matter.
        matter: MatterId,
        /// The applicant.
        identity: Identity,
        /// The guardian who applies for a minor (社保卡申领（未成年人）), read from their card.
        guardian: Option<Identity>,
        /// What the citizen entered.
        form: FormData,
        /// The pages captured of each material (only materials with pages).
        materials: Vec<CapturedMaterial>,
    },
    /// Take one picture on the 高拍仪 and turn it into a page of `kind`; the outcome comes back
    /// as [`Event::Captured`] with `request`.
    Capture {
        /// Reply with this id.
        request: RequestId,
        /// How the material is filmed.
        kind: CaptureKind,
    },
    /// Print something.
    Print(PrintJob),
    /// Play a voice prompt.
    Speak(Prompt),
    /// Ring for staff (一键求助).
    CallStaff,
    /// Record a rating of a finished matter (through the outbox to the county).
    RecordRating(RatingRecord),
    /// Light, thank or darken the rating pad.
    RatingPad(PadSignal),
    /// The session's personal data is gone: adapters drop anything they hold.
    WipeSession,
}

/// Where the citizen's list came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListSource {
    /// A home-screen category.
    Category(Category),
    /// The search keyboard, with the letters typed so far.
    Search(String),
}

/// The state of the identify screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentifyStatus {
    /// Waiting for a card.
    Waiting,
    /// A card was found and is being read: the citizen should not move it.
    Reading,
    /// A read failed; the citizen should place the card again.
    Retry(CardReadFailure),
    /// The guardian's card was placed again where the minor's is wanted.
    SameCard,
}

/// Whose card the identify screen waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentifyRole {
    /// The applicant themself (every matter but a minor's card).
    Applicant,
    /// The guardian applying for a minor, first.
    Guardian,
    /// The minor, once the guardian's card was read.
    Minor,
}

/// Why the error screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The backend is unreachable (lookups need it).
    BackendUnreachable,
    /// The backend refused the request.
    Rejected(String),
    /// The matter is not offered at this terminal.
    MatterUnavailable,
}

/// Every screen of the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Screen {
    /// 请触摸屏幕开始
    Attract,
    /// Category tiles and search.
    Home,
    /// A category's matters or search results.
    MatterList(ListSource),
    /// The 办事指南 of a matter.
    Guide(MatterId),
    /// 请将身份证放在感应区
    Identify(MatterId, IdentifyStatus),
    /// 受理编号 typed on the keyboard for 进度查询 (the number so far).
    ReceiptEntry(MatterId, String),
    /// The application form.
    Form(MatterId),
    /// 材料拍摄: the matter's 申请材料 on the 高拍仪, one slot each.
    Capture(MatterId),
    /// Review before submitting.
    Review(MatterId),
    /// Waiting for the backend.
    Submitting(MatterId, RequestId),
    /// A query result.
    Result(MatterId, QueryOutcome),
    /// A submission receipt.
    Receipt(MatterId, Acceptance),
    /// 好差评
    Rating(MatterId),
    /// 差评 details: reasons, consent to a 回访 and the phone for it.
    RatingDetail(MatterId, RatingLevel),
    /// Help over another screen.
    Help(Box<Screen>),
    /// The idle countdown over another screen.
    TimeoutWarning(Box<Screen>, Millis),
    /// A device this matter needs is out of order.
    DeviceUnavailable(Device, Option<MatterId>),
    /// Something failed that the citizen must hear about.
    Error(ErrorKind, Option<MatterId>),
}

/// The screen's kind, without data: what the UI switches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreenKind {
    /// Attract
    Attract,
    /// Home
    Home,
    /// MatterList
    MatterList,
    /// Guide
    Guide,
    /// Identify
    Identify,
    /// ReceiptEntry
    ReceiptEntry,
    /// Form
    Form,
    /// Capture
    Capture,
    /// Review
    Review,
    /// Submitting
    Submitting,
    /// Result
    Result,
    /// Receipt
    Receipt,
    /// Rating
    Rating,
    /// RatingDetail
    RatingDetail,
    /// Help
    Help,
    /// TimeoutWarning
    TimeoutWarning,
    /// DeviceUnavailable
    DeviceUnavailable,
    /// Error
    Error,
}

impl Screen {
    /// The kind of this screen.
    pub fn kind(&self) -> ScreenKind {
        match self {
            Screen::Attract => ScreenKind::Attract,
            Screen::Home => ScreenKind::Home,
            Screen::MatterList(_) => ScreenKind::MatterList,
            Screen::Guide(_) => ScreenKind::Guide,
            Screen::Identify(..) => ScreenKind::Identify,
            Screen::ReceiptEntry(..) => ScreenKind::ReceiptEntry,
            Screen::Form(_) => ScreenKind::Form,
            Screen::Capture(_) => ScreenKind::Capture,
            Screen::Review(_) => ScreenKind::Review,
            Screen::Submitting(..) => ScreenKind::Submitting,
            Screen::Result(..) => ScreenKind::Result,
            Screen::Receipt(..) => ScreenKind::Receipt,
            Screen::Rating(_) => ScreenKind::Rating,
            Screen::RatingDetail(..) => ScreenKind::RatingDetail,
            Screen::Help(_) => ScreenKind::Help,
            Screen::TimeoutWarning(..) => ScreenKind::TimeoutWarning,
            Screen::DeviceUnavailable(..) => ScreenKind::DeviceUnavailable,
            Screen::Error(..) => ScreenKind::Error,
        }
    }

    /// The matter this screen belongs to, if any.
    pub fn matter(&self) -> Option<&MatterId> {
        match self {
            Screen::Guide(m)
            | Screen::Identify(m, _)
            | Screen::ReceiptEntry(m, _)
            | Screen::Form(m)
            | Screen::Capture(m)
            | Screen::Review(m)
            | Screen::Submitting(m, _)
            | Screen::Result(m, _)
            | Screen::Receipt(m, _)
            | Screen::Rating(m)
            | Screen::RatingDetail(m, _) => Some(m),
            Screen::DeviceUnavailable(_, m) | Screen::Error(_, m) => m.as_ref(),
            Screen::Help(s) | Screen::TimeoutWarning(s, _) => s.matter(),
            Screen::Attract | Screen::Home | Screen::MatterList(_) => None,
        }
    }
}

/// The shortest 受理编号 the keyboard submits (the county's are 16 characters).
pub const RECEIPT_NO_MIN: usize = 6;
/// The longest 受理编号 the keyboard takes (a terminal's own number is about 30).
pub const RECEIPT_NO_MAX: usize = 40;

/// How long the rating screen shows its thanks before returning to attract.
pub const THANKS_MS: u64 = 3_000;

/// One citizen session at a time, from attract back to attract.
#[derive(Debug, Clone)]
pub struct Session {
    setup: Arc<Setup>,
    screen: Screen,
    now: Millis,
    last_activity: Millis,
    session_no: u64,
    next_seq: u64,
    identity: Option<Identity>,
    guardian: Option<Identity>,
    form: FormData,
    form_errors: FormErrors,
    last_list: Option<ListSource>,
    reader: DeviceHealth,
    printer: DeviceHealth,
    scanner: DeviceHealth,
    captures: Captures,
    capture_request: Option<RequestId>,
    notice: Option<String>,
    print_status: Option<String>,
    last_print: Option<PrintJob>,
    printing: bool,
    print_failed: bool,
    staff_called: bool,
    rated: Option<RatingLevel>,
    thanks_until: Option<Millis>,
    case_ref: Option<String>,
    poor_rating: PoorRatingDraft,
}

impl Session {
    /// A session on the attract screen.
    pub fn new(setup: Arc<Setup>) -> Session {
        Session {
            setup,
            screen: Screen::Attract,
            now: Millis(0),
            last_activity: Millis(0),
            session_no: 1,
            next_seq: 1,
            identity: None,
            guardian: None,
            form: FormData::default(),
            form_errors: FormErrors::default(),
            last_list: None,
            reader: DeviceHealth::Ready,
            printer: DeviceHealth::Ready,
            scanner: DeviceHealth::Ready,
            captures: Captures::default(),
            capture_request: None,
            notice: None,
            print_status: None,
            last_print: None,
            printing: false,
            print_failed: false,
            staff_called: false,
            rated: None,
            thanks_until: None,
            case_ref: None,
            poor_rating: PoorRatingDraft::default(),
        }
    }

    /// The 办件 the result or receipt on screen belongs to (its 受理编号, or the query id),
    /// which a rating is tied to.
    pub fn case_ref(&self) -> Option<&str> {
        self.case_ref.as_deref()
    }

    /// The 差评 details chosen so far.
    pub fn poor_rating(&self) -> &PoorRatingDraft {
        &self.poor_rating
    }

    /// The current screen.
    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The configuration the session runs with.
    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    /// The identity read in this session, if any.
    pub fn identity(&self) -> Option<&Identity> {
        self.identity.as_ref()
    }

    /// The guardian read for a minor's application, if any.
    pub fn guardian(&self) -> Option<&Identity> {
        self.guardian.as_ref()
    }

    /// Whose card the identify screen waits for.
    pub fn identify_role(&self) -> IdentifyRole {
        let minor = self
            .screen
            .matter()
            .and_then(|m| self.setup.catalog.get(m))
            .is_some_and(|m| m.service == Some(Service::CardApplyMinor));
        match (minor, &self.guardian) {
            (false, _) => IdentifyRole::Applicant,
            (true, None) => IdentifyRole::Guardian,
            (true, Some(_)) => IdentifyRole::Minor,
        }
    }

    /// Whether 返回首页 is offered: not while an application is being committed (the wait is
    /// bounded, and leaving would lose the receipt of a submission already made).
    pub fn can_go_home(&self) -> bool {
        let base = base_screen(&self.screen);
        !matches!(base, Screen::Submitting(m, _)
            if self.setup.catalog.get(m).is_some_and(|m| m.flow == FlowKind::Apply))
    }

    /// The 申请材料 captured for the matter on screen (empty when none are).
    pub fn capture_slots(&self) -> &[CaptureSlot] {
        base_screen(&self.screen)
            .matter()
            .and_then(|m| self.setup.catalog.get(m))
            .map_or(&[], |m| m.capture.as_slice())
    }

    /// The pages taken so far for the matter on screen.
    pub fn captures(&self) -> &Captures {
        &self.captures
    }

    /// What the citizen typed on the form.
    pub fn form(&self) -> &FormData {
        &self.form
    }

    /// Messages for the form fields.
    pub fn form_errors(&self) -> &FormErrors {
        &self.form_errors
    }

    /// A notice for the guide screen (e.g. 告知单已打印).
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// What happened to the last print on a result or receipt screen.
    pub fn print_status(&self) -> Option<&str> {
        self.print_status.as_deref()
    }

    /// Whether the last print on this screen failed (the receipt screen offers 重新打印回执).
    pub fn print_failed(&self) -> bool {
        self.print_failed
    }

    /// Whether a job was sent and its report has not come back yet.
    pub fn printing(&self) -> bool {
        self.printing
    }

    /// Whether the citizen may go on without the printer from the printer-unavailable screen
    /// (apply matters: the 受理编号 is shown on screen).
    pub fn can_continue_without_print(&self) -> bool {
        matches!(&self.screen, Screen::DeviceUnavailable(Device::Printer, Some(m))
            if self.print_need(m) == Some(PrintNeed::Receipt))
    }

    /// What the printer means to matter `m` (`None` for guide-only matters).
    pub fn print_need(&self, m: &MatterId) -> Option<PrintNeed> {
        self.setup.catalog.get(m)?.service.map(Service::print_need)
    }

    /// Whether staff were called from the help screen in this session.
    pub fn staff_called(&self) -> bool {
        self.staff_called
    }

    /// The rating given in this session, if any.
    pub fn rated(&self) -> Option<RatingLevel> {
        self.rated
    }

    /// A device's last reported health.
    pub fn device(&self, device: Device) -> DeviceHealth {
        match device {
            Device::CardReader => self.reader,
            Device::Printer => self.printer,
            Device::Scanner => self.scanner,
        }
    }

    /// Seconds left on the idle countdown, when it shows.
    pub fn countdown_seconds(&self) -> Option<u64> {
        match &self.screen {
            Screen::TimeoutWarning(_, deadline) => {
                Some(deadline.0.saturating_sub(self.now.0).div_ceil(1000))
            }
            _ => None,
        }
    }

    /// The step of a matter flow as (step, total), for 第 2 步，共 5 步.
    pub fn step(&self) -> Option<(u32, u32)> {
        let screen = base_screen(&self.screen);
        let matter = self.setup.catalog.get(screen.matter()?)?;
        let capture = usize::from(!matter.capture.is_empty()) as u32;
        let total = if matter.flow == FlowKind::Query {
            4
        } else {
            6 + capture
        };
        let n = match (matter.flow, screen.kind()) {
            (FlowKind::Guide, _) => return None,
            (_, ScreenKind::Guide) => 1,
            (_, ScreenKind::Identify | ScreenKind::ReceiptEntry) => 2,
            (FlowKind::Query, ScreenKind::Submitting | ScreenKind::Result) => 3,
            (FlowKind::Query, ScreenKind::Rating | ScreenKind::RatingDetail) => 4,
            (FlowKind::Apply, ScreenKind::Form) => 3,
            (FlowKind::Apply, ScreenKind::Capture) => 4,
            (FlowKind::Apply, ScreenKind::Review | ScreenKind::Submitting) => 4 + capture,
            (FlowKind::Apply, ScreenKind::Receipt) => 5 + capture,
            (FlowKind::Apply, ScreenKind::Rating | ScreenKind::RatingDetail) => 6 + capture,
            _ => return None,
        };
        Some((n, total))
    }

    /// The form spec of the matter on screen, for apply matters.
    pub fn form_spec(&self) -> Option<FormSpec> {
        let matter = self.setup.catalog.get(self.screen.matter()?)?;
        matter.service.and_then(FormSpec::for_service)
    }

    /// Feeds one event; returns what the outside must do.
    pub fn step_event(&mut self, event: Event) -> Vec<Effect> {
        let mut fx = Vec::new();
        let before = self.screen.kind();
        match event {
            Event::Tick(now) => self.on_tick(now, &mut fx),
            Event::Touch(action) => {
                self.last_activity = self.now;
                self.on_touch(action, &mut fx);
            }
            Event::CardPresented(identity) => {
                self.last_activity = self.now;
                self.on_card(identity, &mut fx);
            }
            Event::CardRemoved => {
                // Taking the card back is normal once it was read; before that the
                // identify screen simply keeps waiting. Never an error, never a crash.
            }
            Event::CardDetected => {
                if let Screen::Identify(m, _) = &self.screen {
                    self.screen = Screen::Identify(m.clone(), IdentifyStatus::Reading);
                    fx.push(Effect::Show(ScreenKind::Identify));
                }
            }
            Event::CardReadFailed(why) => {
                if let Screen::Identify(m, _) = &self.screen {
                    self.screen = Screen::Identify(m.clone(), IdentifyStatus::Retry(why));
                    fx.push(Effect::Speak(Prompt::ReplaceCard));
                    fx.push(Effect::Show(ScreenKind::Identify));
                }
            }
            Event::DeviceStatus(device, health) => self.on_device(device, health, &mut fx),
            Event::PrintFinished(report) => self.on_print_finished(report, &mut fx),
            Event::Captured(request, outcome) => self.on_captured(request, outcome, &mut fx),
            Event::RatingKey(level) => {
                // a pad key counts only on the rating screen: never for the next person
                if matches!(self.screen, Screen::Rating(_)) {
                    self.last_activity = self.now;
                    self.rate(level, &mut fx);
                }
            }
            Event::Backend(reply) => self.on_backend(reply, &mut fx),
        }
        if self.screen.kind() != before && !fx.iter().any(|e| matches!(e, Effect::Show(_))) {
            fx.push(Effect::Show(self.screen.kind()));
        }
        fx
    }

    fn on_tick(&mut self, now: Millis, fx: &mut Vec<Effect>) {
        self.now = now.max(self.now);
        let idle_ms = u64::from(self.setup.terminal.idle_timeout_secs) * 1000;
        let countdown_ms = u64::from(self.setup.terminal.countdown_secs) * 1000;
        match &self.screen {
            Screen::TimeoutWarning(_, deadline) => {
                if self.now >= *deadline {
                    self.wipe_to_attract(fx);
                } else {
                    fx.push(Effect::Show(ScreenKind::TimeoutWarning));
                }
            }
            Screen::Rating(_) if self.thanks_until.is_some_and(|t| self.now >= t) => {
                self.wipe_to_attract(fx);
            }
            Screen::Attract | Screen::Submitting(..) => {}
            // waiting for the backend is not idleness, with or without help open over it
            Screen::Help(under) if matches!(**under, Screen::Submitting(..)) => {}
            _ => {
                if self.now.0.saturating_sub(self.last_activity.0) >= idle_ms {
                    let resume = Box::new(self.screen.clone());
                    self.screen = Screen::TimeoutWarning(resume, Millis(self.now.0 + countdown_ms));
                    fx.push(Effect::Speak(Prompt::TimeoutWarning));
                }
            }
        }
    }

    fn wipe_to_attract(&mut self, fx: &mut Vec<Effect>) {
        self.leave_rating(fx);
        self.identity = None;
        self.guardian = None;
        self.form = FormData::default();
        self.form_errors = FormErrors::default();
        self.drop_captures();
        self.last_list = None;
        self.notice = None;
        self.clear_print_state();
        self.staff_called = false;
        self.rated = None;
        self.thanks_until = None;
        self.session_no += 1;
        self.next_seq = 1;
        self.screen = Screen::Attract;
        fx.push(Effect::DisableCardReader);
        fx.push(Effect::WipeSession);
        fx.push(Effect::Show(ScreenKind::Attract));
    }

    /// Leaves any matter flow for the home screen, dropping the identity and form.
    fn go_home(&mut self, fx: &mut Vec<Effect>) {
        let had_personal = self.identity.is_some()
            || self.guardian.is_some()
            || self.form != FormData::default()
            || !self.captures.is_empty();
        self.leave_rating(fx);
        self.identity = None;
        self.guardian = None;
        self.form = FormData::default();
        self.form_errors = FormErrors::default();
        self.drop_captures();
        self.notice = None;
        self.clear_print_state();
        self.rated = None;
        self.thanks_until = None;
        fx.push(Effect::DisableCardReader);
        if had_personal {
            fx.push(Effect::WipeSession);
        }
        self.screen = Screen::Home;
    }

    fn on_touch(&mut self, action: Action, fx: &mut Vec<Effect>) {
        // Overlays first: the countdown swallows every touch but 继续办理 (and 返回首页).
        if let Screen::TimeoutWarning(resume, _) = &self.screen {
            match action {
                Action::ContinueSession => self.screen = (**resume).clone(),
                Action::GoHome => self.go_home(fx),
                _ => {}
            }
            return;
        }
        if let Screen::Help(resume) = &self.screen {
            match action {
                Action::CloseHelp | Action::Back => self.screen = (**resume).clone(),
                Action::CallStaff => {
                    self.staff_called = true;
                    fx.push(Effect::CallStaff);
                    fx.push(Effect::Show(ScreenKind::Help));
                }
                Action::GoHome if self.can_go_home() => self.go_home(fx),
                _ => {}
            }
            return;
        }
        match action {
            Action::Help => {
                self.screen = Screen::Help(Box::new(self.screen.clone()));
            }
            Action::GoHome if self.can_go_home() => self.go_home(fx),
            Action::GoHome => {}
            Action::Back => self.back(fx),
            Action::Start if self.screen == Screen::Attract => {
                self.screen = Screen::Home;
                fx.push(Effect::Speak(Prompt::Welcome));
            }
            Action::OpenCategory(c) if matches!(self.screen, Screen::Home | Screen::Attract) => {
                self.open_list(ListSource::Category(c));
            }
            Action::OpenSearch if matches!(self.screen, Screen::Home | Screen::Attract) => {
                self.open_list(ListSource::Search(String::new()));
            }
            Action::SearchKey(c) => self.edit_search(fx, |q| {
                if c.is_ascii_alphabetic() && q.len() < 20 {
                    q.push(c.to_ascii_lowercase());
                }
            }),
            Action::SearchBackspace => self.edit_search(fx, |q| {
                q.pop();
            }),
            Action::SearchClear => self.edit_search(fx, String::clear),
            Action::OpenMatter(id)
                if matches!(
                    self.screen,
                    Screen::Attract | Screen::Home | Screen::MatterList(_)
                ) =>
            {
                if let Screen::MatterList(source) = &self.screen {
                    self.last_list = Some(source.clone());
                }
                self.notice = None;
                self.screen = if self.setup.offered(&id).is_some() {
                    Screen::Guide(id)
                } else {
                    Screen::Error(ErrorKind::MatterUnavailable, None)
                };
            }
            Action::StartMatter => self.start_matter(fx, false),
            Action::ContinueWithoutPrint => {
                if self.can_continue_without_print()
                    && let Screen::DeviceUnavailable(_, Some(m)) = &self.screen
                {
                    self.screen = Screen::Guide(m.clone());
                    self.start_matter(fx, true);
                }
            }
            Action::PrintNotice => {
                if let Screen::Error(ErrorKind::BackendUnreachable, Some(id)) = &self.screen {
                    // the lookup needs the network: the 告知单 lets the citizen go to a window
                    let content = PrintContent::Notice(id.clone());
                    self.print_or_explain(content, fx);
                    fx.push(Effect::Show(ScreenKind::Error));
                } else if let Screen::DeviceUnavailable(Device::Scanner, Some(id)) = &self.screen {
                    // the materials cannot be captured: the 告知单 takes the citizen to a window
                    let content = PrintContent::Notice(id.clone());
                    self.print_or_explain(content, fx);
                    fx.push(Effect::Show(ScreenKind::DeviceUnavailable));
                } else if let Screen::Guide(id) = &self.screen {
                    let id = id.clone();
                    if self.printing {
                        // a second tap while the first copy prints: not a second job
                    } else if self.printer == DeviceHealth::Fault {
                        self.notice = Some(
                            "打印机暂停服务，无法打印告知单。您可拍照保存本页，或到窗口领取。"
                                .into(),
                        );
                    } else {
                        self.notice = Some("告知单正在打印，请稍候。".into());
                        self.issue_print(PrintContent::Notice(id), fx);
                    }
                    fx.push(Effect::Show(ScreenKind::Guide));
                }
            }
            Action::ReprintReceipt => {
                if let Screen::Receipt(..) = &self.screen
                    && self.print_failed
                    && let Some(last) = self.last_print.clone()
                {
                    self.print_or_explain(last.content, fx);
                    fx.push(Effect::Show(ScreenKind::Receipt));
                }
            }
            Action::EnterReceiptNo => {
                if let Screen::Guide(m) = &self.screen
                    && self.current_matter().and_then(|m| m.service)
                        == Some(Service::ProgressLookup)
                {
                    self.screen = Screen::ReceiptEntry(m.clone(), String::new());
                }
            }
            Action::ReceiptKey(c) => self.edit_receipt_no(fx, |no| {
                if (c.is_ascii_alphanumeric() || c == '-') && no.len() < RECEIPT_NO_MAX {
                    no.push(c.to_ascii_uppercase());
                }
            }),
            Action::ReceiptBackspace => self.edit_receipt_no(fx, |no| {
                no.pop();
            }),
            Action::ReceiptClear => self.edit_receipt_no(fx, String::clear),
            Action::QueryReceipt => {
                if let Screen::ReceiptEntry(m, no) = &self.screen
                    && no.len() >= RECEIPT_NO_MIN
                {
                    let (m, receipt_no) = (m.clone(), no.clone());
                    let request = self.next_request();
                    fx.push(Effect::QueryProgress {
                        request,
                        receipt_no,
                    });
                    self.screen = Screen::Submitting(m, request);
                }
            }
            Action::FormDigit(d) => {
                if matches!(self.screen, Screen::Form(_))
                    && d.is_ascii_digit()
                    && self.form.phone.len() < 11
                {
                    self.form.phone.push(d);
                    self.form_errors.phone = None;
                    fx.push(Effect::Show(ScreenKind::Form));
                }
            }
            Action::FormBackspace => {
                if matches!(self.screen, Screen::Form(_)) {
                    self.form.phone.pop();
                    fx.push(Effect::Show(ScreenKind::Form));
                }
            }
            Action::FormChoose(i) => {
                if matches!(self.screen, Screen::Form(_))
                    && self.form_spec().is_some_and(|s| i < s.choices.len())
                {
                    self.form.choice = Some(i);
                    self.form_errors.choice = None;
                    fx.push(Effect::Show(ScreenKind::Form));
                }
            }
            Action::FormNext => self.form_next(fx),
            Action::CaptureSelect(i) => {
                if matches!(self.screen, Screen::Capture(_)) && self.captures.select(i) {
                    fx.push(Effect::Show(ScreenKind::Capture));
                }
            }
            Action::CaptureTake => self.take_page(false, fx),
            Action::CaptureRetake => self.take_page(true, fx),
            Action::CaptureRemove(page) => {
                if matches!(self.screen, Screen::Capture(_)) && self.captures.remove(page) {
                    fx.push(Effect::Show(ScreenKind::Capture));
                }
            }
            Action::CaptureDone => self.capture_done(fx),
            Action::Confirm => self.confirm(fx),
            Action::Edit => {
                if let Screen::Review(m) = &self.screen {
                    self.screen = Screen::Form(m.clone());
                }
            }
            Action::PrintResult => {
                if let Screen::Result(m, outcome) = &self.screen {
                    let job = PrintContent::QueryResult {
                        matter: m.clone(),
                        outcome: outcome.clone(),
                        applicant: self.identity.as_ref().map(Identity::masked),
                    };
                    self.print_or_explain(job, fx);
                    fx.push(Effect::Show(ScreenKind::Result));
                }
            }
            Action::Done => {
                if let Screen::Result(m, _) | Screen::Receipt(m, _) = &self.screen {
                    self.screen = Screen::Rating(m.clone());
                    fx.push(Effect::Speak(Prompt::PleaseRate));
                    fx.push(Effect::RatingPad(PadSignal::Invite));
                }
            }
            Action::Rate(level) => self.rate(level, fx),
            Action::SkipRating => {
                if matches!(self.screen, Screen::Rating(_)) && self.rated.is_none() {
                    self.wipe_to_attract(fx);
                }
            }
            Action::ToggleReason(i) => {
                let n = self.setup.terminal.rating.reasons.len();
                self.edit_poor_rating(fx, |d| d.toggle_reason(i, n));
            }
            Action::ToggleCallback => self.edit_poor_rating(fx, PoorRatingDraft::toggle_callback),
            Action::RatingDigit(d) => self.edit_poor_rating(fx, |draft| draft.digit(d)),
            Action::RatingBackspace => self.edit_poor_rating(fx, PoorRatingDraft::backspace),
            Action::SubmitRating => {
                if let Screen::RatingDetail(m, level) = &self.screen {
                    let (m, level) = (m.clone(), *level);
                    let reasons = self.setup.terminal.rating.reasons.clone();
                    match self
                        .poor_rating
                        .finish(m.clone(), self.case_ref.clone(), level, &reasons)
                    {
                        Some(record) => {
                            self.screen = Screen::Rating(m);
                            self.record_rating(record, fx);
                        }
                        None => fx.push(Effect::Show(ScreenKind::RatingDetail)),
                    }
                }
            }
            Action::Retry => {
                if let Screen::Error(_, Some(m)) = &self.screen {
                    self.screen = Screen::Guide(m.clone());
                } else if matches!(self.screen, Screen::Error(..)) {
                    self.screen = Screen::Home;
                }
            }
            Action::ContinueSession | Action::CloseHelp | Action::CallStaff => {}
            // a touch that does not belong to this screen (stale UI event): ignore
            Action::Start
            | Action::OpenCategory(_)
            | Action::OpenSearch
            | Action::OpenMatter(_) => {}
        }
    }

    /// A level chosen (touch or pad): 满意 and above are recorded at once; a 差评 opens its
    /// details first. Once per matter.
    fn rate(&mut self, level: RatingLevel, fx: &mut Vec<Effect>) {
        let Screen::Rating(m) = &self.screen else {
            return;
        };
        if self.rated.is_some() {
            return;
        }
        let m = m.clone();
        if level.is_poor() {
            self.poor_rating = PoorRatingDraft::default();
            self.screen = Screen::RatingDetail(m, level);
        } else {
            let record = RatingRecord {
                matter: m,
                case_ref: self.case_ref.clone(),
                level,
                reasons: Vec::new(),
                callback_phone: None,
            };
            self.record_rating(record, fx);
        }
    }

    fn record_rating(&mut self, record: RatingRecord, fx: &mut Vec<Effect>) {
        self.rated = Some(record.level);
        self.thanks_until = Some(Millis(self.now.0 + THANKS_MS));
        self.poor_rating = PoorRatingDraft::default();
        fx.push(Effect::RecordRating(record));
        fx.push(Effect::RatingPad(PadSignal::Thanks));
        fx.push(Effect::Show(ScreenKind::Rating));
    }

    fn edit_poor_rating(&mut self, fx: &mut Vec<Effect>, edit: impl FnOnce(&mut PoorRatingDraft)) {
        if matches!(self.screen, Screen::RatingDetail(..)) {
            edit(&mut self.poor_rating);
            fx.push(Effect::Show(ScreenKind::RatingDetail));
        }
    }

    /// Leaving the session from the rating screens without a rating: the pad goes dark and
    /// the draft (which may hold a phone number) is dropped.
    fn leave_rating(&mut self, fx: &mut Vec<Effect>) {
        let base = base_screen(&self.screen);
        if matches!(base, Screen::Rating(_) | Screen::RatingDetail(..)) && self.rated.is_none() {
            fx.push(Effect::RatingPad(PadSignal::Off));
        }
        self.poor_rating = PoorRatingDraft::default();
        self.case_ref = None;
    }

    fn print_or_explain(&mut self, content: PrintContent, fx: &mut Vec<Effect>) {
        if self.printing {
            // a second tap while the first copy prints: not a second job
        } else if self.printer == DeviceHealth::Fault {
            self.print_status =
                Some("打印机暂停服务，未能打印。请记下本页信息，或到窗口办理。".into());
        } else {
            self.print_status = Some("正在打印，请稍候……".into());
            self.issue_print(content, fx);
        }
    }

    /// Sends `content` to the printer: the same content as the last job keeps its id and
    /// counts one more 补打.
    fn issue_print(&mut self, content: PrintContent, fx: &mut Vec<Effect>) {
        let job = match &self.last_print {
            Some(last) if last.content == content => PrintJob {
                id: last.id.clone(),
                reprint: last.reprint + 1,
                content,
            },
            _ => {
                let id = match &content {
                    PrintContent::Receipt { acceptance, .. } => acceptance.receipt_no.clone(),
                    _ => {
                        let r = self.next_request();
                        format!("{}-{}-{}", self.setup.terminal.id, r.session, r.seq)
                    }
                };
                PrintJob {
                    id,
                    reprint: 0,
                    content,
                }
            }
        };
        self.printing = true;
        self.print_failed = false;
        self.last_print = Some(job.clone());
        fx.push(Effect::Print(job));
    }

    fn clear_print_state(&mut self) {
        self.print_status = None;
        self.last_print = None;
        self.printing = false;
        self.print_failed = false;
    }

    fn on_print_finished(&mut self, report: PrintReport, fx: &mut Vec<Effect>) {
        let Some(last) = &self.last_print else {
            return;
        };
        if last.id != report.id || last.reprint != report.reprint {
            return; // a report of an earlier job or session
        }
        self.printing = false;
        let on_guide = matches!(base_screen_mut(&mut self.screen), Screen::Guide(_));
        let text = match report.result {
            PrintResult::Printed | PrintResult::PrintedPaperLow => {
                self.print_failed = false;
                if on_guide {
                    "告知单已打印，请在出纸口取走。"
                } else {
                    "已打印，请在出纸口取走。"
                }
            }
            PrintResult::Failed(why) => {
                self.print_failed = true;
                match why {
                    PrintFailure::PaperOut => {
                        "打印机缺纸，未能打印完整。请记下本页信息，或点击“帮助”呼叫工作人员。"
                    }
                    PrintFailure::CoverOpen => {
                        "打印机纸仓盖未关好，未能打印。请点击“帮助”呼叫工作人员。"
                    }
                    PrintFailure::NoAnswer | PrintFailure::PrinterError => {
                        "打印机没有响应，可能未打印完整。请记下本页信息，或点击“帮助”呼叫工作人员。"
                    }
                }
            }
        };
        if on_guide {
            self.notice = Some(text.into());
        } else {
            self.print_status = Some(text.into());
        }
        fx.push(Effect::Show(self.screen.kind()));
    }

    fn edit_receipt_no(&mut self, fx: &mut Vec<Effect>, edit: impl FnOnce(&mut String)) {
        if let Screen::ReceiptEntry(_, no) = &mut self.screen {
            edit(no);
            fx.push(Effect::Show(ScreenKind::ReceiptEntry));
        }
    }

    fn open_list(&mut self, source: ListSource) {
        self.last_list = Some(source.clone());
        self.screen = Screen::MatterList(source);
    }

    fn edit_search(&mut self, fx: &mut Vec<Effect>, edit: impl FnOnce(&mut String)) {
        if let Screen::MatterList(ListSource::Search(q)) = &mut self.screen {
            edit(q);
            self.last_list = Some(ListSource::Search(q.clone()));
            // the query changed the list: the UI must re-project it
            fx.push(Effect::Show(ScreenKind::MatterList));
        }
    }

    fn back(&mut self, fx: &mut Vec<Effect>) {
        let next = match &self.screen {
            Screen::MatterList(_) => Some(Screen::Home),
            Screen::Guide(_) => Some(match &self.last_list {
                Some(source) => Screen::MatterList(source.clone()),
                None => Screen::Home,
            }),
            Screen::Identify(m, _) => {
                fx.push(Effect::DisableCardReader);
                if self.guardian.take().is_some() {
                    fx.push(Effect::WipeSession);
                }
                Some(Screen::Guide(m.clone()))
            }
            Screen::ReceiptEntry(m, _) => Some(Screen::Guide(m.clone())),
            Screen::Form(m) => {
                // leaving the form drops what was read, typed and captured for this matter
                self.identity = None;
                self.guardian = None;
                self.form = FormData::default();
                self.captures = Captures::default();
                self.capture_request = None;
                fx.push(Effect::WipeSession);
                Some(Screen::Guide(m.clone()))
            }
            Screen::Capture(m) if !self.captures.taking() => Some(Screen::Form(m.clone())),
            Screen::Review(m) if !self.capture_slots().is_empty() => {
                Some(Screen::Capture(m.clone()))
            }
            Screen::Review(m) => Some(Screen::Form(m.clone())),
            Screen::DeviceUnavailable(Device::Scanner, Some(m)) => {
                // the application cannot go on without its materials: drop what it had
                self.identity = None;
                self.guardian = None;
                self.form = FormData::default();
                self.captures = Captures::default();
                self.capture_request = None;
                fx.push(Effect::WipeSession);
                Some(Screen::Guide(m.clone()))
            }
            Screen::RatingDetail(m, _) => {
                // choose another level: nothing was recorded yet
                self.poor_rating = PoorRatingDraft::default();
                Some(Screen::Rating(m.clone()))
            }
            Screen::DeviceUnavailable(_, Some(m)) | Screen::Error(_, Some(m)) => {
                Some(Screen::Guide(m.clone()))
            }
            Screen::DeviceUnavailable(_, None) | Screen::Error(_, None) => Some(Screen::Home),
            // no way back out of a submission or a finished matter: 完成 leads on
            _ => None,
        };
        if let Some(next) = next {
            self.screen = next;
        }
    }

    fn current_matter(&self) -> Option<&Matter> {
        self.setup.catalog.get(self.screen.matter()?)
    }

    /// Starts the matter on the guide; `printer_waived` when the citizen chose to go on
    /// without a receipt.
    fn start_matter(&mut self, fx: &mut Vec<Effect>, printer_waived: bool) {
        let Screen::Guide(id) = &self.screen else {
            return;
        };
        let id = id.clone();
        let Some(matter) = self.current_matter() else {
            return;
        };
        if matter.service.is_none() {
            return;
        }
        let need = matter.service.map(Service::print_need);
        if self.reader == DeviceHealth::Fault {
            self.screen = Screen::DeviceUnavailable(Device::CardReader, Some(id));
            return;
        }
        if self.scanner == DeviceHealth::Fault && matter.capture.iter().any(|c| c.required) {
            // the materials cannot be captured: say so before the card and the form
            self.print_status = None;
            self.screen = Screen::DeviceUnavailable(Device::Scanner, Some(id));
            return;
        }
        if self.printer == DeviceHealth::Fault
            && !printer_waived
            && matches!(need, Some(PrintNeed::Essential | PrintNeed::Receipt))
        {
            // say it now, not after the citizen has done everything (issue 4 §6)
            self.screen = Screen::DeviceUnavailable(Device::Printer, Some(id));
            return;
        }
        self.identity = None;
        self.guardian = None;
        self.form = FormData::default();
        self.form_errors = FormErrors::default();
        self.drop_captures();
        self.screen = Screen::Identify(id, IdentifyStatus::Waiting);
        fx.push(Effect::EnableCardReader);
        fx.push(Effect::Speak(Prompt::PlaceCard));
    }

    fn on_card(&mut self, identity: Identity, fx: &mut Vec<Effect>) {
        if let Screen::TimeoutWarning(resume, _) = &self.screen {
            // a card placed during the countdown is activity: resume, then take it
            self.screen = (**resume).clone();
        }
        if let Screen::Help(under) = &self.screen
            && matches!(**under, Screen::Identify(..))
        {
            // the reader is on while help shows over identify: a card read then is not lost
            self.screen = (**under).clone();
        }
        let Screen::Identify(id, _) = &self.screen else {
            // a card placed anywhere else is not read: the reader is only enabled here
            return;
        };
        let id = id.clone();
        let Some(service) = self.current_matter().and_then(|m| m.service) else {
            return;
        };
        if service == Service::CardApplyMinor {
            match &self.guardian {
                None => {
                    // the guardian first; the reader stays on for the minor's card
                    self.guardian = Some(identity);
                    self.screen = Screen::Identify(id, IdentifyStatus::Waiting);
                    fx.push(Effect::Speak(Prompt::CardRead));
                    fx.push(Effect::Speak(Prompt::PlaceMinorCard));
                    fx.push(Effect::Show(ScreenKind::Identify));
                    return;
                }
                Some(g) if g.id_number == identity.id_number => {
                    self.screen = Screen::Identify(id, IdentifyStatus::SameCard);
                    fx.push(Effect::Speak(Prompt::PlaceMinorCard));
                    fx.push(Effect::Show(ScreenKind::Identify));
                    return;
                }
                Some(_) => {}
            }
        }
        fx.push(Effect::DisableCardReader);
        fx.push(Effect::Speak(Prompt::CardRead));
        match service.flow() {
            FlowKind::Query => {
                let request = self.next_request();
                fx.push(Effect::Query {
                    request,
                    service,
                    identity: identity.clone(),
                });
                self.screen = Screen::Submitting(id, request);
            }
            _ => self.screen = Screen::Form(id),
        }
        self.identity = Some(identity);
    }

    fn next_request(&mut self) -> RequestId {
        let r = RequestId {
            session: self.session_no,
            seq: self.next_seq,
        };
        self.next_seq += 1;
        r
    }

    fn form_next(&mut self, fx: &mut Vec<Effect>) {
        let Screen::Form(id) = &self.screen else {
            return;
        };
        let id = id.clone();
        let Some(spec) = self.form_spec() else { return };
        let errors = spec.validate(&self.form);
        if errors == FormErrors::default() {
            self.form_errors = errors;
            let slots = self.capture_slots().to_vec();
            if slots.is_empty() {
                self.screen = Screen::Review(id);
            } else {
                if self.captures.is_empty() {
                    self.captures = Captures::for_slots(&slots);
                }
                self.screen = Screen::Capture(id);
                fx.push(Effect::Speak(Prompt::PlaceMaterial));
            }
        } else {
            self.form_errors = errors;
            fx.push(Effect::Show(ScreenKind::Form));
        }
    }

    fn confirm(&mut self, fx: &mut Vec<Effect>) {
        let Screen::Review(id) = &self.screen else {
            return;
        };
        let id = id.clone();
        let (Some(identity), Some(service)) = (
            self.identity.clone(),
            self.current_matter().and_then(|m| m.service),
        ) else {
            return;
        };
        let request = self.next_request();
        fx.push(Effect::Submit {
            request,
            service,
            matter: id.clone(),
            identity,
            guardian: self.guardian.clone(),
            form: self.form.clone(),
            materials: self.captures.materials(self.capture_slots()),
        });
        self.screen = Screen::Submitting(id, request);
    }

    fn on_device(&mut self, device: Device, health: DeviceHealth, fx: &mut Vec<Effect>) {
        match device {
            Device::CardReader => self.reader = health,
            Device::Printer => self.printer = health,
            Device::Scanner => self.scanner = health,
        }
        if device == Device::Scanner {
            self.on_scanner(health, fx);
        }
        // a fault while help or the countdown covers Identify lands under the overlay, so the
        // citizen does not come back to a screen waiting on a broken reader
        if device == Device::CardReader && health == DeviceHealth::Fault {
            let base = base_screen_mut(&mut self.screen);
            if let Screen::Identify(m, _) = base {
                *base = Screen::DeviceUnavailable(Device::CardReader, Some(m.clone()));
                fx.push(Effect::DisableCardReader);
            }
        }
        if device == Device::CardReader
            && health != DeviceHealth::Fault
            && let Screen::DeviceUnavailable(Device::CardReader, Some(m)) = &self.screen
        {
            // the reader is back: the citizen who was waiting to identify goes on
            self.screen = Screen::Guide(m.clone());
            self.start_matter(fx, false);
        }
        if device == Device::Printer
            && health != DeviceHealth::Fault
            && let Screen::DeviceUnavailable(Device::Printer, Some(m)) = &self.screen
        {
            // paper loaded while the citizen reads the notice: go on with the matter
            self.screen = Screen::Guide(m.clone());
            self.start_matter(fx, false);
        }
    }

    fn drop_captures(&mut self) {
        self.captures = Captures::default();
        self.capture_request = None;
    }

    /// 拍摄 or 重拍 on the capture screen.
    fn take_page(&mut self, retake: bool, fx: &mut Vec<Effect>) {
        if !matches!(self.screen, Screen::Capture(_)) {
            return;
        }
        let slots = self.capture_slots();
        let allowed = if retake {
            self.captures.can_retake()
        } else {
            self.captures.can_take(slots)
        };
        let Some(kind) = slots.get(self.captures.selected()).map(|s| s.kind) else {
            return;
        };
        if !allowed {
            return;
        }
        let request = self.next_request();
        self.captures.begin(retake);
        self.capture_request = Some(request);
        fx.push(Effect::Capture { request, kind });
        fx.push(Effect::Show(ScreenKind::Capture));
    }

    fn on_captured(
        &mut self,
        request: RequestId,
        outcome: Result<PageRef, CaptureFailure>,
        fx: &mut Vec<Effect>,
    ) {
        // a capture of an earlier session, or one the citizen walked away from, is dropped
        if self.capture_request != Some(request) {
            return;
        }
        self.capture_request = None;
        if matches!(outcome, Err(CaptureFailure::Rejected(_))) {
            fx.push(Effect::Speak(Prompt::RetakeMaterial));
        }
        self.captures.finish(outcome);
        if matches!(base_screen(&self.screen), Screen::Capture(_)) {
            fx.push(Effect::Show(ScreenKind::Capture));
        }
    }

    /// 下一步 on the capture screen: to the review once every required material has a page.
    fn capture_done(&mut self, fx: &mut Vec<Effect>) {
        let Screen::Capture(id) = &self.screen else {
            return;
        };
        if self.captures.taking() {
            return;
        }
        let id = id.clone();
        let slots = self.capture_slots();
        if let Some(missing) = self.captures.missing(slots) {
            let why = format!("请先拍摄“{}”", slots[missing].material);
            self.captures.point_at(missing, why);
            fx.push(Effect::Show(ScreenKind::Capture));
            return;
        }
        self.screen = Screen::Review(id);
    }

    /// The 高拍仪 changed state: a fault on the capture screen ends the capture, since the
    /// materials can no longer be taken; its return brings the citizen back to it.
    fn on_scanner(&mut self, health: DeviceHealth, fx: &mut Vec<Effect>) {
        if health == DeviceHealth::Fault {
            let needed = self.capture_slots().iter().any(|c| c.required);
            let base = base_screen_mut(&mut self.screen);
            if let Screen::Capture(m) = base
                && needed
            {
                *base = Screen::DeviceUnavailable(Device::Scanner, Some(m.clone()));
                self.print_status = None;
                if self.capture_request.take().is_some() {
                    self.captures.finish(Err(CaptureFailure::Camera));
                }
                fx.push(Effect::Show(ScreenKind::DeviceUnavailable));
            }
        } else if let Screen::DeviceUnavailable(Device::Scanner, Some(m)) = &self.screen {
            let m = m.clone();
            if self.identity.is_some() {
                // the camera is back: the citizen goes on where they were, pages kept
                self.screen = Screen::Capture(m);
                fx.push(Effect::Show(ScreenKind::Capture));
            } else {
                self.screen = Screen::Guide(m);
                self.start_matter(fx, false);
            }
        }
    }

    fn on_backend(&mut self, reply: BackendReply, fx: &mut Vec<Effect>) {
        let request = match &reply {
            BackendReply::QueryResult(r, _)
            | BackendReply::Accepted(r, _)
            | BackendReply::Failed(r, _) => *r,
        };
        // help may be open over the waiting screen: the reply lands under it
        let under_help =
            matches!(&self.screen, Screen::Help(s) if matches!(**s, Screen::Submitting(..)));
        if under_help && let Screen::Help(under) = &self.screen {
            self.screen = (**under).clone();
        }
        let waiting = self.screen.clone();
        self.apply_backend(reply, request, fx);
        if under_help {
            if self.screen != waiting {
                fx.push(Effect::Show(ScreenKind::Help));
            }
            self.screen = Screen::Help(Box::new(self.screen.clone()));
        }
    }

    fn apply_backend(&mut self, reply: BackendReply, request: RequestId, fx: &mut Vec<Effect>) {
        // a reply to an earlier session or an abandoned request is dropped
        let Screen::Submitting(id, waiting) = &self.screen else {
            return;
        };
        if *waiting != request {
            return;
        }
        let id = id.clone();
        match reply {
            BackendReply::QueryResult(_, outcome) => {
                self.clear_print_state();
                self.case_ref = Some(format!(
                    "{}-{}-{}",
                    self.setup.terminal.id, request.session, request.seq
                ));
                self.screen = Screen::Result(id, outcome);
            }
            BackendReply::Accepted(_, acceptance) => {
                self.clear_print_state();
                self.case_ref = Some(acceptance.receipt_no.clone());
                let job = PrintContent::Receipt {
                    matter: id.clone(),
                    acceptance: acceptance.clone(),
                    applicant: self.identity.as_ref().map(Identity::masked),
                };
                self.print_or_explain(job, fx);
                fx.push(Effect::Speak(Prompt::TakeReceipt));
                self.screen = Screen::Receipt(id, acceptance);
            }
            BackendReply::Failed(_, failure) => {
                let kind = match failure {
                    BackendFailure::Unreachable => ErrorKind::BackendUnreachable,
                    BackendFailure::Rejected(why) => ErrorKind::Rejected(why),
                };
                self.screen = Screen::Error(kind, Some(id));
            }
        }
    }
}

/// The screen under any help or countdown overlays.
fn base_screen(screen: &Screen) -> &Screen {
    match screen {
        Screen::Help(under) | Screen::TimeoutWarning(under, _) => base_screen(under),
        other => other,
    }
}

/// The screen under any help or countdown overlays, to change it in place.
fn base_screen_mut(screen: &mut Screen) -> &mut Screen {
    match screen {
        Screen::Help(under) | Screen::TimeoutWarning(under, _) => base_screen_mut(under),
        other => other,
    }
}
