//! Wires the UI, the session and the (simulated) devices together on the Slint event loop.
//!
//! UI callbacks become session events; the session's effects are carried out here (card
//! reader on/off, backend requests, prints, prompts) and the UI is re-projected. Devices
//! answer asynchronously through single-shot timers, as real ones would.

use crate::backend::service::{Application, BackendService};
use crate::bridge;
use crate::devices::card_reader::{self, CardReader};
use crate::devices::printer::{self as printer_device, PrinterEvent, ReceiptPrinter};
use crate::devices::rating_pad::{
    self, KeyMap, Level, PadEvent, RatingPad, device_health, rating_level,
};
use crate::maintenance::Menu;
use crate::ops;
use crate::ops::metrics::{CountedDevice, PrintKind, SubmissionOutcome};
use crate::ui::*;
use idcard::driver::ReaderEvent;
use idcard::photo::RgbImage;
use kiosk_core::catalog::{Category, MatterId};
use kiosk_core::clock::BeijingTime;
use kiosk_core::identity::Identity;
use kiosk_core::rating::PadSignal;
use kiosk_core::session::{
    Action, BackendFailure, BackendReply, Device, DeviceHealth, Effect, Event, Millis,
    PrintContent, RatingLevel, RequestId, Screen, ScreenKind, Session,
};
use kiosk_core::setup::Setup;
use kiosk_core::terminal::RatingPadAddress;
use slint::{ComponentHandle, Timer, TimerMode};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::{Rc, Weak};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod capture;
mod maintenance_menu;
pub use maintenance_menu::{RESTART_EXIT_CODE, RESTART_REQUESTED, TEST_PAGE_PREFIX};

/// How often the clock ticks into the session.
pub const TICK: Duration = Duration::from_millis(1000);
/// How often the reader driver's events are taken into the session.
pub const READER_POLL: Duration = Duration::from_millis(50);

/// How long the simulated backend takes to answer.
pub const BACKEND_DELAY: Duration = Duration::from_millis(400);

/// Where session time comes from.
pub enum ClockSource {
    /// Real monotonic time (the kiosk).
    Real(Instant),
    /// Time advanced by exactly one [`TICK`] per timer firing (tests with Slint's mock time).
    Counted,
}

/// What happened that an operator may count (no personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// A print job was sent: its kind and matter.
    Printed(&'static str, MatterId),
    /// A rating was recorded.
    Rated(MatterId, RatingLevel),
    /// Staff were called.
    StaffCalled,
    /// The rating pad was told to light up, thank or go dark.
    Pad(PadSignal),
}

struct State {
    session: Session,
    reader: CardReader,
    /// Whether the session wants cards read (it is on the identify step).
    reader_enabled: bool,
    /// The identity of the card lying on the reader, held only until it is removed or the
    /// session is wiped, so a card placed before the identify step is still used there.
    card_on_reader: Option<Identity>,
    /// The dev dock's simulated reader fault.
    sim_fault: bool,
    /// The photo of the last card read, for the review screen; wiped with the session.
    card_photo: Option<RgbImage>,
    printer: ReceiptPrinter,
    /// The 好差评 pad; `None` when none is fitted (the screen serves alone).
    pad: Option<RatingPad>,
    /// The pad's last reported health (degraded: shown to technicians, the screen serves).
    pad_health: DeviceHealth,
    /// The dev dock's simulated pad fault.
    sim_pad_fault: bool,
    /// The county backend (embedded or remote) with the outbox; `None` when it could not
    /// start (storage unwritable): queries then fail as unreachable, submissions are refused.
    backend: Option<BackendService>,
    records: Vec<Record>,
    /// Submissions waiting for their answer, so the answer is counted by outcome.
    pending_submits: HashSet<RequestId>,
    clock: ClockSource,
    counted_ms: u64,
    verbose: bool,
    /// The 高拍仪 (`None` when the terminal has none).
    camera: Option<crate::devices::scanner::DocumentCamera>,
    /// The session's stills and pages, and the preview.
    capture: capture::CaptureState,
    /// The maintenance menu's capture awaiting its still.
    camera_test: Option<u64>,
    /// The technician's maintenance menu.
    menu: Menu,
    /// 检测连接's answer, while it is awaited.
    probe: Option<std::sync::mpsc::Receiver<Result<crate::backend::service::ProbeAnswer, String>>>,
    /// The last 检测连接 result, for the network page.
    probe_result: Option<String>,
}

/// The running application's controller.
pub struct Controller {
    app: slint::Weak<AppWindow>,
    state: RefCell<State>,
    /// What the management endpoint reads: counters, heartbeat, device report.
    ops: Arc<ops::Shared>,
    tick_timer: Timer,
    reader_timer: Timer,
    this: Weak<Controller>,
}

impl Controller {
    /// Builds the controller, connects every callback and starts the clock.
    pub fn new(
        app: &AppWindow,
        setup: Arc<Setup>,
        clock: ClockSource,
        verbose: bool,
    ) -> Rc<Controller> {
        let simulated = setup.terminal.simulated_devices;
        let mut reader = if simulated {
            CardReader::simulated()
        } else {
            CardReader::serial(&setup.terminal.idcard_port, setup.terminal.idcard_baud)
        };
        if let Some(path) = &setup.terminal.idcard_photo_decoder
            && let Err(e) = reader.use_photo_decoder(path)
        {
            // the kiosk runs on without photos; the technician sees why
            eprintln!("kiosk: 照片解码库不可用，界面将显示占位框：{e}");
        }
        let profile = printer_device::profile_for(&setup.terminal.printer_model)
            .unwrap_or(printer::Profile::GENERIC_80MM);
        let printer = if simulated {
            ReceiptPrinter::simulated(profile, printer_device::STATUS_POLL)
        } else {
            ReceiptPrinter::spawn(
                printer_device::connector(&setup.terminal.printer, setup.terminal.printer_baud),
                profile,
                printer_device::STATUS_POLL,
            )
        };
        let pad = rating_pad_for(&setup.terminal);
        let backend = match BackendService::start(&setup) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("kiosk: 县级后台或待上传队列无法启动：{e}");
                None
            }
        };
        let ops = Arc::new(ops::Shared::new(
            &setup,
            backend.as_ref().map(BackendService::probe),
        ));
        let mut menu = Menu::new(
            std::path::Path::new(&setup.terminal.storage_dir),
            setup.terminal.maintenance.pin_hash.clone(),
        );
        menu.audit(
            kiosk_core::maintenance::AuditEvent::Started {
                version: env!("CARGO_PKG_VERSION"),
            },
            county::signing::unix_now(),
        );
        let camera = crate::devices::scanner::DocumentCamera::for_address(&setup.terminal.scanner);
        let session = Session::new(setup);
        let controller = Rc::new_cyclic(|this| Controller {
            app: app.as_weak(),
            state: RefCell::new(State {
                session,
                reader,
                reader_enabled: false,
                card_on_reader: None,
                sim_fault: false,
                card_photo: None,
                printer,
                pad,
                pad_health: DeviceHealth::Ready,
                sim_pad_fault: false,
                backend,
                records: Vec::new(),
                pending_submits: HashSet::new(),
                clock,
                counted_ms: 0,
                verbose,
                camera,
                capture: capture::CaptureState::default(),
                camera_test: None,
                menu,
                probe: None,
                probe_result: None,
            }),
            ops,
            tick_timer: Timer::default(),
            reader_timer: Timer::default(),
            this: this.clone(),
        });
        bridge::project_static(app, &controller.state.borrow().session);
        let dock = app.global::<DevDock>();
        dock.set_people(slint::ModelRc::new(slint::VecModel::from(
            card_reader::dock_labels()
                .into_iter()
                .map(Into::into)
                .collect::<Vec<slint::SharedString>>(),
        )));
        app.global::<AppState>().set_dev_dock_available(simulated);
        controller.connect(app);
        controller.report_scanner_at_start();
        controller.refresh_clock();
        controller.project();
        controller.report_devices();
        let weak = Rc::downgrade(&controller);
        controller
            .tick_timer
            .start(TimerMode::Repeated, TICK, move || {
                if let Some(c) = weak.upgrade() {
                    c.tick();
                }
            });
        let weak = Rc::downgrade(&controller);
        controller
            .reader_timer
            .start(TimerMode::Repeated, READER_POLL, move || {
                if let Some(c) = weak.upgrade() {
                    c.poll_reader();
                }
            });
        controller
    }

    /// Feeds one event into the session and carries out its effects.
    pub fn dispatch(&self, event: Event) {
        let before = self.count_event(&event);
        let effects = self.state.borrow_mut().session.step_event(event);
        self.count_transition(&before);
        let mut show = false;
        for effect in effects {
            show |= matches!(effect, Effect::Show(_) | Effect::WipeSession);
            self.execute(effect);
        }
        if show {
            self.project();
        }
    }

    /// A touch action, as the UI callbacks deliver it.
    pub fn touch(&self, action: Action) {
        self.dispatch(Event::Touch(action));
    }

    /// The state the management endpoint serves (`kiosk run` starts it with this).
    pub fn ops(&self) -> Arc<ops::Shared> {
        self.ops.clone()
    }

    // --- operations hooks (issue 8): counting only, no effect on the session -----------------

    /// Before `event` is stepped: counts a submission's answer and a device going into fault;
    /// returns the screen it left.
    fn count_event(&self, event: &Event) -> ScreenKind {
        let mut state = self.state.borrow_mut();
        let m = &self.ops.metrics;
        match event {
            Event::Backend(reply) => {
                let (request, outcome) = match reply {
                    BackendReply::Accepted(r, a) if a.queued => (r, SubmissionOutcome::Queued),
                    BackendReply::Accepted(r, _) => (r, SubmissionOutcome::Submitted),
                    BackendReply::Failed(r, BackendFailure::Unreachable) => {
                        (r, SubmissionOutcome::Unreachable)
                    }
                    BackendReply::Failed(r, BackendFailure::Rejected(_)) => {
                        (r, SubmissionOutcome::Refused)
                    }
                    BackendReply::QueryResult(r, _) => {
                        state.pending_submits.remove(r);
                        return state.session.screen().kind();
                    }
                };
                if state.pending_submits.remove(request) {
                    m.submission(outcome);
                }
            }
            Event::DeviceStatus(device, DeviceHealth::Fault)
                if state.session.device(*device) != DeviceHealth::Fault =>
            {
                m.device_error(match device {
                    Device::CardReader => CountedDevice::CardReader,
                    Device::Printer => CountedDevice::Printer,
                    Device::Scanner => CountedDevice::Scanner,
                });
            }
            _ => {}
        }
        state.session.screen().kind()
    }

    /// After a step: a session begins when the attract screen is left; a matter is opened
    /// when its guide is entered from the attract, home or a list.
    fn count_transition(&self, before: &ScreenKind) {
        let state = self.state.borrow();
        let screen = state.session.screen();
        let m = &self.ops.metrics;
        if *before == ScreenKind::Attract && screen.kind() != ScreenKind::Attract {
            m.session_started();
        }
        if let Screen::Guide(id) = screen
            && matches!(
                before,
                ScreenKind::Attract | ScreenKind::Home | ScreenKind::MatterList
            )
            && let Some(matter) = state.session.setup().catalog.get(id)
        {
            m.matter_opened(matter.flow);
        }
    }

    /// Copies the devices' states and counters for `/status` and `/readyz` (once a second).
    fn report_devices(&self) {
        let state = self.state.borrow();
        let Ok(mut d) = self.ops.devices.lock() else {
            return;
        };
        d.reader = state.session.device(Device::CardReader);
        d.reader_counters = state.reader.counters();
        d.printer = state.session.device(Device::Printer);
        d.printer_counters = state.printer.counters();
        d.set_printer_status(&state.printer.status());
        d.pad = state.pad.as_ref().map(|_| state.pad_health);
        d.pad_counters = state.pad.as_ref().and_then(RatingPad::counters);
        d.scanner = state
            .camera
            .as_ref()
            .map(|_| state.session.device(Device::Scanner));
        d.scanner_counters = state.camera.as_ref().map(|c| c.counters());
    }

    /// The UI thread is alive: stamps the heartbeat. In debug builds, stalls while the file
    /// named by `KIOSK_DEBUG_STALL_FILE` exists (the test of a stuck event loop).
    fn heartbeat(&self) {
        self.ops.heartbeat.beat();
        #[cfg(debug_assertions)]
        {
            static STALL: std::sync::OnceLock<Option<std::path::PathBuf>> =
                std::sync::OnceLock::new();
            if let Some(path) =
                STALL.get_or_init(|| std::env::var_os("KIOSK_DEBUG_STALL_FILE").map(Into::into))
            {
                while path.exists() {
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }
    }

    // --- end of operations hooks ---------------------------------------------------------------

    /// What was printed, rated or called for so far.
    pub fn records(&self) -> Vec<Record> {
        self.state.borrow().records.clone()
    }

    /// Runs `f` with the session (read-only), e.g. to inspect it in tests and tools.
    pub fn with_session<R>(&self, f: impl FnOnce(&Session) -> R) -> R {
        f(&self.state.borrow().session)
    }

    /// Sets the simulated backend on- or offline.
    pub fn set_backend_online(&self, online: bool) {
        if let Some(b) = &self.state.borrow().backend {
            b.set_offline(!online);
        }
    }

    /// Seconds since the outbox's sender began a round (`None`: no backend started); the
    /// systemd watchdog is fed only while it is small.
    pub fn sender_idle_secs(&self) -> Option<i64> {
        self.state
            .borrow()
            .backend
            .as_ref()
            .map(BackendService::sender_idle_secs)
    }

    /// Whether nobody is being served: the attract screen, the maintenance menu closed (the
    /// nightly refresh waits for this).
    pub fn quiet(&self) -> bool {
        let state = self.state.borrow();
        !state.menu.is_open()
            && state.session.screen().kind() == kiosk_core::session::ScreenKind::Attract
    }

    /// Writes `event` to the audit log (events from outside the menu: the nightly refresh).
    pub fn audit(&self, event: kiosk_core::maintenance::AuditEvent) {
        self.state
            .borrow_mut()
            .menu
            .audit(event, county::signing::unix_now());
    }

    /// Submissions waiting in the outbox.
    pub fn outbox_depth(&self) -> u64 {
        self.state
            .borrow()
            .backend
            .as_ref()
            .map_or(0, BackendService::depth)
    }

    fn project(&self) {
        if let Some(app) = self.app.upgrade() {
            bridge::project(&app, &self.state.borrow().session);
            let dock = app.global::<DevDock>();
            let state = self.state.borrow();
            dock.set_card_present(state.reader.sim().is_some_and(|sim| sim.card_present()));
            dock.set_reader_fault(state.sim_fault);
            dock.set_printer_state(state.printer.sim_label().unwrap_or_default().into());
            dock.set_pad_fault(state.sim_pad_fault);
            let review = app.global::<ReviewAdapter>();
            review.set_has_photo(state.card_photo.is_some());
            if let Some(photo) = &state.card_photo {
                review.set_photo(slint::Image::from_rgb8(
                    slint::SharedPixelBuffer::clone_from_slice(
                        photo.pixels(),
                        photo.width(),
                        photo.height(),
                    ),
                ));
            }
            drop(state);
            self.project_capture_pages(&app);
        }
        self.project_maintenance();
        self.sync_preview();
    }

    fn refresh_clock(&self) {
        let Some(app) = self.app.upgrade() else {
            return;
        };
        app.global::<AppState>().set_clock_text(
            BeijingTime::from_unix(county::signing::unix_now())
                .display()
                .into(),
        );
    }

    fn tick(&self) {
        let now = {
            let mut state = self.state.borrow_mut();
            match state.clock {
                ClockSource::Real(start) => start.elapsed().as_millis() as u64,
                ClockSource::Counted => {
                    state.counted_ms += TICK.as_millis() as u64;
                    state.counted_ms
                }
            }
        };
        self.refresh_clock();
        self.dispatch(Event::Tick(Millis(now)));
        self.report_devices();
        self.maintenance_tick();
    }

    fn log(&self, what: impl FnOnce() -> String) {
        if self.state.borrow().verbose {
            tracing::info!("{}", what());
        }
    }

    fn later(&self, delay: Duration, f: impl FnOnce(&Controller) + 'static) {
        let weak = self.this.clone();
        Timer::single_shot(delay, move || {
            if let Some(c) = weak.upgrade() {
                f(&c);
            }
        });
    }

    /// Takes what the printer thread reported since the last poll into the session.
    fn poll_printer(&self) {
        loop {
            let Some(event) = self.state.borrow().printer.try_next() else {
                break;
            };
            match event {
                PrinterEvent::Health(h) => self.dispatch(Event::DeviceStatus(Device::Printer, h)),
                PrinterEvent::Finished(report) => {
                    if !self.maintenance_print_finished(&report) {
                        self.dispatch(Event::PrintFinished(report));
                    }
                }
            }
        }
    }

    /// Takes the rating pad's presses and health into the session.
    fn poll_pad(&self) {
        loop {
            let Some(event) = self
                .state
                .borrow_mut()
                .pad
                .as_mut()
                .and_then(RatingPad::try_next)
            else {
                break;
            };
            match event {
                PadEvent::Key { level } => {
                    if !self.maintenance_pad_key(level) {
                        self.dispatch(Event::RatingKey(rating_level(level)));
                    }
                }
                PadEvent::Health(h) => {
                    let health = device_health(h);
                    let mut state = self.state.borrow_mut();
                    if health == DeviceHealth::Fault && state.pad_health != DeviceHealth::Fault {
                        self.ops.metrics.device_error(CountedDevice::RatingPad);
                    }
                    state.pad_health = health;
                }
                PadEvent::Version(v) => self.log(|| format!("rating pad {v:?}")),
            }
        }
    }

    /// The rating pad's last reported health (`None`: no pad fitted).
    pub fn rating_pad_health(&self) -> Option<DeviceHealth> {
        let state = self.state.borrow();
        state.pad.as_ref().map(|_| state.pad_health)
    }

    /// The simulated rating pad, for tests and the dev dock.
    pub fn sim_pad(&self) -> Option<rating::sim::SimHandle> {
        self.state
            .borrow()
            .pad
            .as_ref()
            .and_then(|p| p.sim().cloned())
    }

    /// The simulated printer, for tests and tools (paper, cover, what it printed).
    pub fn sim_printer(&self) -> Option<printer::sim::SharedDevice> {
        self.state.borrow().printer.sim().cloned()
    }

    /// Takes what the reader driver reported since the last poll into the session.
    fn poll_reader(&self) {
        self.heartbeat();
        self.poll_printer();
        self.poll_pad();
        self.poll_probe();
        self.poll_camera();
        loop {
            let Some(reply) = self
                .state
                .borrow()
                .backend
                .as_ref()
                .and_then(BackendService::try_next)
            else {
                break;
            };
            self.dispatch(Event::Backend(reply));
        }
        loop {
            let Some(event) = self.state.borrow_mut().reader.try_next() else {
                break;
            };
            if self.state.borrow().menu.is_open() {
                self.maintenance_reader_event(&event);
                if matches!(event, ReaderEvent::CardPresented(_)) {
                    continue; // a test card is neither kept nor shown
                }
            }
            if let ReaderEvent::CardPresented(card) = &event {
                let mut state = self.state.borrow_mut();
                state.card_photo = state.reader.photo(card);
            }
            let event = card_reader::session_event(event);
            match &event {
                Event::CardPresented(identity) => {
                    let mut state = self.state.borrow_mut();
                    state.card_on_reader = Some(identity.clone());
                    if !state.reader_enabled {
                        continue; // kept for the identify step
                    }
                }
                Event::CardRemoved => self.state.borrow_mut().card_on_reader = None,
                _ => {}
            }
            self.dispatch(event);
        }
        self.project();
    }

    /// Answers `request` with `failure` on the next turn of the event loop (no backend).
    fn fail_later(&self, request: RequestId, failure: BackendFailure) {
        self.later(Duration::ZERO, move |c| {
            c.dispatch(Event::Backend(BackendReply::Failed(request, failure)))
        });
    }

    fn execute(&self, effect: Effect) {
        match effect {
            Effect::Show(_) => {}
            Effect::WipeSession => {
                let mut state = self.state.borrow_mut();
                state.card_on_reader = None;
                state.card_photo = None;
                state.capture.wipe();
                drop(state);
                if let Some(app) = self.app.upgrade() {
                    bridge::clear_personal(&app);
                }
            }
            Effect::EnableCardReader => {
                let waiting = {
                    let mut state = self.state.borrow_mut();
                    state.reader_enabled = true;
                    state.card_on_reader.clone()
                };
                // a card placed before the identify step is read now
                if let Some(identity) = waiting {
                    self.later(Duration::ZERO, move |c| {
                        c.dispatch(Event::CardPresented(identity))
                    });
                }
            }
            Effect::DisableCardReader => self.state.borrow_mut().reader_enabled = false,
            Effect::Query {
                request,
                service,
                identity,
            } => {
                self.log(|| format!("query {service:?}"));
                let state = self.state.borrow();
                match &state.backend {
                    Some(b) => b.query(request, service, identity),
                    None => {
                        drop(state);
                        self.fail_later(request, BackendFailure::Unreachable);
                    }
                }
            }
            Effect::QueryProgress {
                request,
                receipt_no,
            } => {
                self.log(|| "query progress by number".into());
                let state = self.state.borrow();
                match &state.backend {
                    Some(b) => b.progress(request, receipt_no),
                    None => {
                        drop(state);
                        self.fail_later(request, BackendFailure::Unreachable);
                    }
                }
            }
            Effect::Submit {
                request,
                service,
                matter,
                identity,
                guardian,
                form,
                materials,
            } => {
                self.log(|| format!("submit {service:?} for {}", matter.as_str()));
                let pages = self.submitted_pages(&materials);
                self.state.borrow_mut().pending_submits.insert(request);
                let state = self.state.borrow();
                match &state.backend {
                    Some(b) => b.submit(
                        request,
                        &Application {
                            service,
                            matter: &matter,
                            identity: &identity,
                            guardian: guardian.as_ref(),
                            form: &form,
                            pages: &pages,
                        },
                    ),
                    None => {
                        drop(state);
                        self.fail_later(
                            request,
                            BackendFailure::Rejected(
                                "本终端暂时无法保存办件，请到人工窗口办理。".into(),
                            ),
                        );
                    }
                }
            }
            Effect::Print(job) => {
                let (kind, counted) = match &job.content {
                    PrintContent::Notice(_) => ("一次性告知单", PrintKind::Notice),
                    PrintContent::QueryResult { .. } => ("查询结果", PrintKind::QueryResult),
                    PrintContent::Receipt { .. } => ("办件回执", PrintKind::Receipt),
                };
                self.ops.metrics.printed(counted);
                let record = Record::Printed(kind, job.content.matter().clone());
                self.log(|| format!("print {kind} job {} reprint {}", job.id, job.reprint));
                let mut state = self.state.borrow_mut();
                state.records.push(record);
                let now = BeijingTime::from_unix(county::signing::unix_now());
                let state = &*state;
                state.printer.print(&job, state.session.setup(), now);
            }
            Effect::Capture { request, kind } => {
                self.log(|| format!("capture {kind:?}"));
                self.start_capture(request, kind);
            }
            Effect::Speak(prompt) => self.log(|| format!("speak {prompt:?}")),
            Effect::CallStaff => {
                self.log(|| "staff called".into());
                self.state.borrow_mut().records.push(Record::StaffCalled);
            }
            Effect::RecordRating(record) => {
                self.log(|| {
                    format!(
                        "rating {} of {}",
                        record.level as u8,
                        record.matter.as_str()
                    )
                });
                self.ops.metrics.rated(record.level);
                if let Some(b) = &self.state.borrow().backend {
                    b.rate(&record);
                }
                self.state
                    .borrow_mut()
                    .records
                    .push(Record::Rated(record.matter, record.level));
            }
            Effect::RatingPad(signal) => {
                self.log(|| format!("rating pad {signal:?}"));
                let mut state = self.state.borrow_mut();
                let rated = state.session.rated();
                if let Some(pad) = &state.pad {
                    match (signal, rated) {
                        (PadSignal::Invite, _) => pad.invite(),
                        (PadSignal::Thanks, Some(level)) => pad.thanks(pad_level(level)),
                        (PadSignal::Thanks, None) | (PadSignal::Off, _) => pad.off(),
                    }
                }
                state.records.push(Record::Pad(signal));
            }
        }
    }

    fn connect(&self, app: &AppWindow) {
        self.connect_maintenance(app);
        self.connect_capture(app);
        let w = self.this.clone();
        let on = move |action: Action| {
            let w = w.clone();
            move || {
                if let Some(c) = w.upgrade() {
                    c.touch(action.clone());
                }
            }
        };
        let state = app.global::<AppState>();
        state.on_go_home(on(Action::GoHome));
        state.on_help(on(Action::Help));
        state.on_back(on(Action::Back));
        state.on_continue_session(on(Action::ContinueSession));
        let w = self.this.clone();
        state.on_key(move |text| {
            if let Some(c) = w.upgrade() {
                let taken = c
                    .state
                    .borrow_mut()
                    .pad
                    .as_mut()
                    .is_some_and(|p| p.key_text(&text));
                if taken {
                    c.poll_pad();
                    c.project();
                }
            }
        });
        let attract = app.global::<AttractAdapter>();
        attract.on_start(on(Action::Start));
        attract.on_open_matter(self.with_string(|id| Action::OpenMatter(MatterId(id))));
        let home = app.global::<HomeAdapter>();
        home.on_open_search(on(Action::OpenSearch));
        home.on_open_matter(self.with_string(|id| Action::OpenMatter(MatterId(id))));
        let w = self.this.clone();
        home.on_open_category(move |id| {
            if let (Some(c), Some(cat)) = (w.upgrade(), Category::from_id(&id)) {
                c.touch(Action::OpenCategory(cat));
            }
        });
        let list = app.global::<ListAdapter>();
        list.on_open_matter(self.with_string(|id| Action::OpenMatter(MatterId(id))));
        list.on_key(self.with_string(|k| Action::SearchKey(k.chars().next().unwrap_or(' '))));
        list.on_backspace(on(Action::SearchBackspace));
        list.on_clear(on(Action::SearchClear));
        let guide = app.global::<GuideAdapter>();
        guide.on_start(on(Action::StartMatter));
        guide.on_print_notice(on(Action::PrintNotice));
        guide.on_enter_number(on(Action::EnterReceiptNo));
        let entry = app.global::<ReceiptEntryAdapter>();
        entry.on_key(self.with_string(|k| Action::ReceiptKey(k.chars().next().unwrap_or(' '))));
        entry.on_backspace(on(Action::ReceiptBackspace));
        entry.on_clear(on(Action::ReceiptClear));
        entry.on_query(on(Action::QueryReceipt));
        let form = app.global::<FormAdapter>();
        form.on_digit(self.with_string(|d| Action::FormDigit(d.chars().next().unwrap_or(' '))));
        form.on_backspace(on(Action::FormBackspace));
        let w = self.this.clone();
        form.on_choose(move |i| {
            if let (Some(c), Ok(i)) = (w.upgrade(), usize::try_from(i)) {
                c.touch(Action::FormChoose(i));
            }
        });
        form.on_next(on(Action::FormNext));
        let review = app.global::<ReviewAdapter>();
        review.on_confirm(on(Action::Confirm));
        review.on_edit(on(Action::Edit));
        let result = app.global::<ResultAdapter>();
        result.on_print(on(Action::PrintResult));
        result.on_done(on(Action::Done));
        app.global::<ReceiptAdapter>().on_done(on(Action::Done));
        let rating = app.global::<RatingAdapter>();
        let w = self.this.clone();
        rating.on_rate(move |n| {
            if let (Some(c), Some(level)) = (w.upgrade(), RatingLevel::from_number(n)) {
                c.touch(Action::Rate(level));
            }
        });
        rating.on_skip(on(Action::SkipRating));
        let detail = app.global::<RatingDetailAdapter>();
        let w = self.this.clone();
        detail.on_toggle_reason(move |i| {
            if let (Some(c), Ok(i)) = (w.upgrade(), usize::try_from(i)) {
                c.touch(Action::ToggleReason(i));
            }
        });
        detail.on_toggle_callback(on(Action::ToggleCallback));
        detail.on_digit(self.with_string(|d| Action::RatingDigit(d.chars().next().unwrap_or(' '))));
        detail.on_backspace(on(Action::RatingBackspace));
        detail.on_submit(on(Action::SubmitRating));
        let help = app.global::<HelpAdapter>();
        help.on_call_staff(on(Action::CallStaff));
        help.on_close(on(Action::CloseHelp));
        app.global::<ErrorAdapter>().on_retry(on(Action::Retry));
        app.global::<ErrorAdapter>()
            .on_print_notice(on(Action::PrintNotice));
        let device = app.global::<DeviceAdapter>();
        device.on_continue_without_print(on(Action::ContinueWithoutPrint));
        device.on_print_notice(on(Action::PrintNotice));
        app.global::<ReceiptAdapter>()
            .on_reprint(on(Action::ReprintReceipt));
        let dock = app.global::<DevDock>();
        let w = self.this.clone();
        dock.on_press_pad(move |n| {
            let level = u8::try_from(n).ok().and_then(Level::from_number);
            if let (Some(c), Some(level)) = (w.upgrade(), level)
                && let Some(sim) = c.sim_pad()
            {
                sim.press(level);
            }
        });
        let w = self.this.clone();
        dock.on_toggle_pad_fault(move || {
            if let Some(c) = w.upgrade() {
                // a silent pad: the driver's pings go unanswered and it reports a fault
                let fault = !c.state.borrow().sim_pad_fault;
                c.state.borrow_mut().sim_pad_fault = fault;
                if let Some(sim) = c.sim_pad() {
                    sim.set_silent(fault);
                }
                c.project();
            }
        });
        let w = self.this.clone();
        dock.on_cycle_paper(move || {
            if let Some(c) = w.upgrade() {
                c.state.borrow().printer.cycle_sim_paper();
                c.project();
            }
        });
        let w = self.this.clone();
        dock.on_toggle_cover(move || {
            if let Some(c) = w.upgrade() {
                c.state.borrow().printer.toggle_sim_cover();
                c.project();
            }
        });
        let w = self.this.clone();
        dock.on_place_card(move |i| {
            if let (Some(c), Ok(i)) = (w.upgrade(), usize::try_from(i)) {
                if let Some(sim) = c.state.borrow().reader.sim() {
                    card_reader::place_sample(sim, i);
                }
                c.project();
            }
        });
        let w = self.this.clone();
        dock.on_remove_card(move || {
            if let Some(c) = w.upgrade() {
                if let Some(sim) = c.state.borrow().reader.sim() {
                    sim.remove_card();
                }
                c.project();
            }
        });
        let w = self.this.clone();
        dock.on_toggle_reader_fault(move || {
            if let Some(c) = w.upgrade() {
                let faulty = {
                    let mut state = c.state.borrow_mut();
                    state.sim_fault = !state.sim_fault;
                    state.sim_fault
                };
                // the SAM fails its self-test; the driver reports the fault within a poll
                if let Some(sim) = c.state.borrow().reader.sim() {
                    sim.set_sam_fault(faulty.then_some(idcard::Status::SamSelfTestFailed));
                }
                c.project();
            }
        });
    }

    fn with_string(
        &self,
        make: impl Fn(String) -> Action + 'static,
    ) -> impl Fn(slint::SharedString) + 'static {
        let w = self.this.clone();
        move |s| {
            if let Some(c) = w.upgrade() {
                c.touch(make(s.to_string()));
            }
        }
    }
}

impl Drop for Controller {
    fn drop(&mut self) {
        self.tick_timer.stop();
    }
}

/// The rating pad the configuration names (a key map that does not parse leaves the screen
/// to serve alone, and says why).
fn rating_pad_for(t: &kiosk_core::terminal::TerminalConfig) -> Option<RatingPad> {
    match &t.rating_pad {
        RatingPadAddress::Simulated => Some(RatingPad::simulated()),
        RatingPadAddress::Serial(port) => Some(RatingPad::serial(port, rating_pad::DEFAULT_BAUD)),
        RatingPadAddress::Keyboard => match KeyMap::parse(&t.rating_keys) {
            Ok(map) => Some(RatingPad::keyboard(map)),
            Err(e) => {
                eprintln!("kiosk: devices.rating_keys: {e}；评价器不可用，屏幕评价照常");
                None
            }
        },
        RatingPadAddress::None => None,
    }
}

/// The pad's level for a session level (numbered alike, 5 = 非常满意).
fn pad_level(level: RatingLevel) -> Level {
    Level::from_number(level as u8).unwrap_or(Level::Acceptable)
}
