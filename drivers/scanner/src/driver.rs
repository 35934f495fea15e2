//! The scanner driver: one thread that finds the document camera, keeps it open, streams a
//! preview while the app wants one, takes full-resolution stills on request, and reconnects by
//! itself.
//!
//! Lifecycle (UnifiedPOS-like): [`Health::Disconnected`] while no camera is found;
//! [`Health::Ready`] once one is open (idle or previewing); [`Health::Busy`] while a still is
//! taken; [`Health::Fault`] when it is there but unusable (it cannot be opened, offers no
//! usable mode, stalls, or sends only damaged frames). The connector is scanned every
//! `hotplug_interval` through a [`HotplugTracker`]: a camera that disappears is closed at
//! once, one that appears is opened at once. After every (re)connect the driver re-reads the
//! camera's modes and controls and sends them in [`ScannerEvent::Connected`]: nothing learnt
//! before is trusted. The light and focus the app asked for are applied again, since a
//! replugged camera has forgotten them.
//!
//! Every frame goes through [`Frame::repair`]: damaged frames are counted and dropped, MJPEG
//! frames without Huffman tables get the standard ones. Preview frames go to a `watch`
//! channel (the newest replaces the last one not yet looked at, so a slow UI never piles up
//! frames); stills and everything else arrive as [`ScannerEvent`]s.

use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc as tmpsc, watch};

use crate::camera::{
    Camera, CameraError, ControlCaps, Focus, Mode, ModeInfo, PreviewTarget, capture_mode,
    preview_mode,
};
use crate::discovery::VideoDevice;
use crate::frame::{Frame, Repairs};
use crate::hotplug::HotplugTracker;

/// Where the driver finds cameras and how it gets one.
pub trait Connector: Send {
    /// The document cameras present now, best first. Called every hotplug interval: keep it
    /// cheap (a sysfs scan).
    fn scan(&mut self) -> io::Result<Vec<VideoDevice>>;
    /// A camera for `device`, not opened yet.
    fn camera(&mut self, device: &VideoDevice) -> Box<dyn Camera>;
}

/// A connector from two closures (tests: a fake sysfs tree with simulated cameras).
pub struct FnConnector<S, C> {
    /// The scan.
    pub scan: S,
    /// The camera maker.
    pub camera: C,
}

impl<S, C> Connector for FnConnector<S, C>
where
    S: FnMut() -> io::Result<Vec<VideoDevice>> + Send,
    C: FnMut(&VideoDevice) -> Box<dyn Camera> + Send,
{
    fn scan(&mut self) -> io::Result<Vec<VideoDevice>> {
        (self.scan)()
    }

    fn camera(&mut self, device: &VideoDevice) -> Box<dyn Camera> {
        (self.camera)(device)
    }
}

/// The real cameras: found in sysfs, opened through V4L2.
#[cfg(target_os = "linux")]
pub struct V4l2Connector {
    /// Where to look and what to take.
    pub sysfs: crate::discovery::Sysfs,
    /// Makes the light control for each camera opened.
    pub light: Box<dyn FnMut(&VideoDevice) -> crate::capture::LightControl + Send>,
}

#[cfg(target_os = "linux")]
impl V4l2Connector {
    /// Cameras matching `config` in `/sys`, without a light control.
    pub fn system(config: crate::discovery::DiscoveryConfig) -> Self {
        V4l2Connector {
            sysfs: crate::discovery::Sysfs::system(config),
            light: Box::new(|_| crate::capture::LightControl::None),
        }
    }
}

#[cfg(target_os = "linux")]
impl Connector for V4l2Connector {
    fn scan(&mut self) -> io::Result<Vec<VideoDevice>> {
        self.sysfs.find()
    }

    fn camera(&mut self, device: &VideoDevice) -> Box<dyn Camera> {
        Box::new(crate::capture::V4l2Camera::new(
            device.node.clone(),
            (self.light)(device),
        ))
    }
}

/// Why the camera is unusable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// Found, but opening or starting it failed (or another program holds it).
    Open,
    /// It offers neither MJPEG nor YUYV, or is not a capture device.
    NoUsableMode,
    /// The stream delivered nothing for `frame_timeout`.
    Stalled,
    /// `bad_frames_fault` damaged frames in a row.
    BadFrames,
    /// Another I/O error.
    Io,
}

/// The camera's state, for the session and the health endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Health {
    /// No document camera found.
    Disconnected,
    /// Open; idle or streaming the preview.
    Ready,
    /// Taking a still.
    Busy,
    /// Present but unusable (the driver keeps trying to reopen it).
    Fault(FaultKind),
}

/// What the driver learnt about the camera it just opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameraDescription {
    /// The device.
    pub device: VideoDevice,
    /// Every mode it offers.
    pub modes: Vec<ModeInfo>,
    /// The mode stills are taken in.
    pub capture: Mode,
    /// The mode the preview streams in.
    pub preview: Mode,
    /// Its controls.
    pub controls: ControlCaps,
}

/// What the driver reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScannerEvent {
    /// The health changed.
    Health(Health),
    /// A camera was opened (after every reconnect, with everything asked afresh).
    Connected(Box<CameraDescription>),
    /// A still, at full resolution, checked and repaired.
    Captured {
        /// The id [`Driver::capture`] returned.
        id: u64,
        /// The picture.
        frame: Frame,
        /// What the driver fixed in it.
        repairs: Repairs,
    },
    /// A still could not be taken (no camera, unplugged meanwhile, nothing but damaged frames
    /// until the capture timeout).
    CaptureFailed {
        /// The id [`Driver::capture`] returned.
        id: u64,
        /// Why.
        error: CameraError,
    },
    /// A light or focus request failed (the camera lacks the control, or refused it).
    ControlFailed(CameraError),
}

/// What the app asks of the driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Streams the preview, or stops it.
    Preview(bool),
    /// Takes a still.
    Capture(u64),
    /// Switches the light.
    Light(bool),
    /// Sets the focus.
    Focus(Focus),
}

/// Driver settings.
#[derive(Debug, Clone, Copy)]
pub struct DriverConfig {
    /// What the preview should look like.
    pub preview: PreviewTarget,
    /// Time between scans for cameras plugged in and out.
    pub hotplug_interval: Duration,
    /// Time between attempts to open a camera that is present but failed.
    pub reconnect_interval: Duration,
    /// No frame for this long while streaming is a stall: the camera is closed and reopened.
    pub frame_timeout: Duration,
    /// The longest a still may take (mode switch, settling frames, a good frame).
    pub capture_timeout: Duration,
    /// Good frames thrown away after switching to the capture mode, while exposure settles.
    pub capture_skip: u32,
    /// Damaged frames in a row that make a fault (and a reopen).
    pub bad_frames_fault: u32,
    /// The longest the thread waits for a frame before looking at commands and timers.
    pub poll: Duration,
}

impl Default for DriverConfig {
    /// Preview ≤ 1280 px at 10 fps, scan every 500 ms, retry every 2 s, stall after 3 s,
    /// stills within 10 s after 2 settling frames, fault after 10 bad frames, 50 ms poll.
    fn default() -> Self {
        DriverConfig {
            preview: PreviewTarget::default(),
            hotplug_interval: Duration::from_millis(500),
            reconnect_interval: Duration::from_secs(2),
            frame_timeout: Duration::from_secs(3),
            capture_timeout: Duration::from_secs(10),
            capture_skip: 2,
            bad_frames_fault: 10,
            poll: Duration::from_millis(50),
        }
    }
}

/// The driver's counters, shared with whoever reports health.
#[derive(Debug, Default)]
pub struct Counters {
    frames: AtomicU64,
    errors: AtomicU64,
    dht_inserted: AtomicU64,
    captures: AtomicU64,
    capture_failures: AtomicU64,
    reconnects: AtomicU64,
    stalls: AtomicU64,
}

/// A snapshot of [`Counters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CounterValues {
    /// Good frames received (preview and stills, settling frames included).
    pub frames: u64,
    /// Damaged frames and failed camera calls.
    pub errors: u64,
    /// MJPEG frames that needed the standard Huffman tables.
    pub dht_inserted: u64,
    /// Stills delivered.
    pub captures: u64,
    /// Stills that failed.
    pub capture_failures: u64,
    /// Times a camera was opened again after the first time.
    pub reconnects: u64,
    /// Streams that stalled.
    pub stalls: u64,
}

impl Counters {
    /// The current values.
    pub fn snapshot(&self) -> CounterValues {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        CounterValues {
            frames: get(&self.frames),
            errors: get(&self.errors),
            dht_inserted: get(&self.dht_inserted),
            captures: get(&self.captures),
            capture_failures: get(&self.capture_failures),
            reconnects: get(&self.reconnects),
            stalls: get(&self.stalls),
        }
    }
}

fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

/// Where the driver's events arrive (a tokio channel: the session task can await it, a thread
/// can poll it with `try_recv`).
pub type ScannerEvents = tmpsc::UnboundedReceiver<ScannerEvent>;

/// The newest preview frame (`None` before the first and after a disconnect).
pub type PreviewFrames = watch::Receiver<Option<Arc<Frame>>>;

/// A running driver thread; stops (and closes the camera) when dropped.
pub struct Driver {
    stop: Arc<AtomicBool>,
    counters: Arc<Counters>,
    health: Arc<Mutex<Health>>,
    commands: Sender<Command>,
    next_capture: AtomicU64,
    thread: Option<JoinHandle<()>>,
}

impl Driver {
    /// Starts the driver on its own thread.
    pub fn spawn(
        connector: Box<dyn Connector>,
        config: DriverConfig,
    ) -> (Driver, ScannerEvents, PreviewFrames) {
        let (tx, rx) = tmpsc::unbounded_channel();
        let (preview_tx, preview_rx) = watch::channel(None);
        let (commands, command_rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let counters = Arc::new(Counters::default());
        let health = Arc::new(Mutex::new(Health::Disconnected));
        let mut run = Loop {
            connector,
            config,
            tx,
            preview_tx,
            commands: command_rx,
            stop: stop.clone(),
            counters: counters.clone(),
            health: health.clone(),
            reported: None,
            tracker: HotplugTracker::new(),
            active: None,
            want_preview: false,
            want_light: None,
            want_focus: None,
            captures: VecDeque::new(),
            ever_connected: false,
            recovering: None,
            next_scan: Instant::now(),
            next_attempt: Instant::now(),
        };
        let thread = std::thread::Builder::new()
            .name("scanner-driver".into())
            .spawn(move || run.run())
            .ok();
        (
            Driver {
                stop,
                counters,
                health,
                commands,
                next_capture: AtomicU64::new(1),
                thread,
            },
            rx,
            preview_rx,
        )
    }

    /// Sends a command.
    pub fn send(&self, command: Command) {
        // the thread ends only when this handle is dropped; a send to it cannot fail before
        let _ = self.commands.send(command);
    }

    /// Streams the preview (kept across reconnects) or stops it.
    pub fn preview(&self, on: bool) {
        self.send(Command::Preview(on));
    }

    /// Takes a full-resolution still; the result arrives as [`ScannerEvent::Captured`] or
    /// [`ScannerEvent::CaptureFailed`] with the id returned here.
    pub fn capture(&self) -> u64 {
        let id = self.next_capture.fetch_add(1, Ordering::Relaxed);
        self.send(Command::Capture(id));
        id
    }

    /// Switches the light (applied again after every reconnect).
    pub fn set_light(&self, on: bool) {
        self.send(Command::Light(on));
    }

    /// Sets the focus (applied again after every reconnect).
    pub fn set_focus(&self, focus: Focus) {
        self.send(Command::Focus(focus));
    }

    /// The health now.
    pub fn health(&self) -> Health {
        *self
            .health
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The driver's counters.
    pub fn counters(&self) -> CounterValues {
        self.counters.snapshot()
    }

    /// The shared counters, for a health endpoint that outlives this handle's borrow.
    pub fn shared_counters(&self) -> Arc<Counters> {
        self.counters.clone()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Active {
    device: VideoDevice,
    camera: Box<dyn Camera>,
    desc: CameraDescription,
    /// The mode streaming now, if any.
    streaming: Option<Mode>,
    last_frame: Instant,
    bad_run: u32,
}

struct Loop {
    connector: Box<dyn Connector>,
    config: DriverConfig,
    tx: tmpsc::UnboundedSender<ScannerEvent>,
    preview_tx: watch::Sender<Option<Arc<Frame>>>,
    commands: Receiver<Command>,
    stop: Arc<AtomicBool>,
    counters: Arc<Counters>,
    health: Arc<Mutex<Health>>,
    reported: Option<Health>,
    tracker: HotplugTracker,
    active: Option<Active>,
    want_preview: bool,
    want_light: Option<bool>,
    want_focus: Option<Focus>,
    captures: VecDeque<u64>,
    ever_connected: bool,
    /// A fault the camera was reopened for: reported until a good frame proves it gone.
    recovering: Option<FaultKind>,
    next_scan: Instant,
    next_attempt: Instant,
}

fn fault_of(error: &CameraError) -> Health {
    match error {
        CameraError::NotFound | CameraError::Disconnected => Health::Disconnected,
        CameraError::NotCapture | CameraError::NoUsableMode => {
            Health::Fault(FaultKind::NoUsableMode)
        }
        CameraError::Timeout(_) => Health::Fault(FaultKind::Stalled),
        CameraError::Frame(_) => Health::Fault(FaultKind::BadFrames),
        CameraError::Io(_) | CameraError::Library(_) => Health::Fault(FaultKind::Io),
        CameraError::Busy | CameraError::NotStreaming | CameraError::Unsupported(_) => {
            Health::Fault(FaultKind::Open)
        }
    }
}

impl Loop {
    fn run(&mut self) {
        self.set_health(Health::Disconnected);
        while !self.stopped() {
            self.take_commands();
            let now = Instant::now();
            if now >= self.next_scan {
                self.next_scan = now + self.config.hotplug_interval;
                self.scan();
            }
            if self.active.is_none() {
                self.fail_captures(CameraError::NotFound);
                if Instant::now() >= self.next_attempt {
                    self.next_attempt = Instant::now() + self.config.reconnect_interval;
                    self.connect();
                } else {
                    self.sleep(self.config.poll);
                }
                continue;
            }
            if let Some(id) = self.captures.pop_front() {
                self.capture(id);
            } else if self.want_preview {
                self.preview_step();
            } else {
                self.stop_stream();
                self.sleep(self.config.poll);
            }
        }
        if let Some(mut active) = self.active.take() {
            let _ = active.camera.stop();
            active.camera.close();
        }
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    fn emit(&mut self, event: ScannerEvent) {
        if self.tx.send(event).is_err() {
            // nobody listens any more: stop
            self.stop.store(true, Ordering::Relaxed);
        }
    }

    fn set_health(&mut self, health: Health) {
        *self
            .health
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = health;
        if self.reported != Some(health) {
            self.reported = Some(health);
            self.emit(ScannerEvent::Health(health));
        }
    }

    fn take_commands(&mut self) {
        while let Ok(command) = self.commands.try_recv() {
            match command {
                Command::Preview(on) => self.want_preview = on,
                Command::Capture(id) => self.captures.push_back(id),
                Command::Light(on) => {
                    self.want_light = Some(on);
                    if let Some(active) = self.active.as_mut() {
                        let result = active.camera.set_light(on);
                        self.control_result(result);
                    }
                }
                Command::Focus(focus) => {
                    self.want_focus = Some(focus);
                    if let Some(active) = self.active.as_mut() {
                        let result = active.camera.set_focus(focus);
                        self.control_result(result);
                    }
                }
            }
        }
    }

    fn control_result(&mut self, result: Result<(), CameraError>) {
        match result {
            Ok(()) => {}
            Err(e) if e.is_disconnect() => self.lost(),
            Err(e) => self.emit(ScannerEvent::ControlFailed(e)),
        }
    }

    fn fail_captures(&mut self, error: CameraError) {
        while let Some(id) = self.captures.pop_front() {
            bump(&self.counters.capture_failures);
            self.emit(ScannerEvent::CaptureFailed {
                id,
                error: error.clone(),
            });
        }
    }

    /// A scan: a camera gone is closed now; a camera come is opened now.
    fn scan(&mut self) {
        let Ok(found) = self.connector.scan() else {
            return;
        };
        let events = self.tracker.update(found);
        if let Some(active) = &self.active
            && !self.tracker.contains(&active.device)
        {
            self.lost();
        }
        let added = events
            .iter()
            .any(|e| matches!(e, crate::hotplug::HotplugEvent::Added(_)));
        if added && self.active.is_none() {
            self.next_attempt = Instant::now();
        }
    }

    /// The camera went away: close it, tell the app, wait for it to come back.
    fn lost(&mut self) {
        if let Some(mut active) = self.active.take() {
            let _ = active.camera.stop();
            active.camera.close();
        }
        self.recovering = None;
        self.preview_tx.send_replace(None);
        self.set_health(Health::Disconnected);
        self.fail_captures(CameraError::Disconnected);
        self.next_attempt = Instant::now() + self.config.reconnect_interval;
    }

    /// The camera is there but misbehaves: close it and open it again at once.
    fn reopen_for(&mut self, kind: FaultKind) {
        if let Some(mut active) = self.active.take() {
            let _ = active.camera.stop();
            active.camera.close();
        }
        self.recovering = Some(kind);
        self.set_health(Health::Fault(kind));
        self.next_attempt = Instant::now();
    }

    fn connect(&mut self) {
        let found = self.connector.scan().unwrap_or_default();
        if found.is_empty() {
            self.recovering = None;
            self.set_health(Health::Disconnected);
            return;
        }
        let mut last = CameraError::NotFound;
        for device in found {
            let camera = self.connector.camera(&device);
            match self.open(device, camera) {
                Ok(active) => {
                    self.connected(active);
                    return;
                }
                Err(e) => last = e,
            }
        }
        let health = fault_of(&last);
        if health == Health::Disconnected {
            self.recovering = None;
        }
        self.set_health(health);
    }

    fn open(
        &mut self,
        device: VideoDevice,
        mut camera: Box<dyn Camera>,
    ) -> Result<Active, CameraError> {
        camera.open()?;
        let modes = camera.formats()?;
        let capture = capture_mode(&modes).ok_or(CameraError::NoUsableMode)?;
        let preview = preview_mode(&modes, self.config.preview).ok_or(CameraError::NoUsableMode)?;
        let controls = camera.control_caps();
        let desc = CameraDescription {
            device: device.clone(),
            modes,
            capture,
            preview,
            controls,
        };
        Ok(Active {
            device,
            camera,
            desc,
            streaming: None,
            last_frame: Instant::now(),
            bad_run: 0,
        })
    }

    fn connected(&mut self, mut active: Active) {
        if self.ever_connected {
            bump(&self.counters.reconnects);
        }
        self.ever_connected = true;
        // the camera forgot what it was told: tell it again
        let mut failures = Vec::new();
        if let Some(on) = self.want_light
            && let Err(e) = active.camera.set_light(on)
        {
            failures.push(e);
        }
        if let Some(focus) = self.want_focus
            && let Err(e) = active.camera.set_focus(focus)
        {
            failures.push(e);
        }
        let desc = active.desc.clone();
        self.active = Some(active);
        self.emit(ScannerEvent::Connected(Box::new(desc)));
        for e in failures {
            self.emit(ScannerEvent::ControlFailed(e));
        }
        match self.recovering {
            // still faulty until a good frame shows otherwise (only a stream can show it)
            Some(kind) if self.want_preview => self.set_health(Health::Fault(kind)),
            _ => {
                self.recovering = None;
                self.set_health(Health::Ready);
            }
        }
    }

    fn stop_stream(&mut self) {
        if let Some(active) = self.active.as_mut()
            && active.streaming.is_some()
        {
            active.streaming = None;
            if let Err(e) = active.camera.stop()
                && e.is_disconnect()
            {
                self.lost();
            }
        }
    }

    /// Makes the camera stream in `mode` (a no-op when it already does).
    fn ensure_mode(&mut self, mode: Mode) -> Result<(), CameraError> {
        let Some(active) = self.active.as_mut() else {
            return Err(CameraError::NotFound);
        };
        let already = active
            .streaming
            .is_some_and(|m| m.format == mode.format && m.size == mode.size);
        if !already {
            active.streaming = None;
            active.camera.stop()?;
            let actual = active.camera.start(mode)?;
            active.streaming = Some(actual);
            active.last_frame = Instant::now();
        }
        Ok(())
    }

    fn camera_failed(&mut self, error: CameraError) {
        bump(&self.counters.errors);
        if error.is_disconnect() {
            self.lost();
        } else {
            let kind = match fault_of(&error) {
                Health::Fault(kind) => kind,
                _ => FaultKind::Io,
            };
            self.reopen_for(kind);
        }
    }

    fn preview_step(&mut self) {
        let Some(preview) = self.active.as_ref().map(|a| a.desc.preview) else {
            return;
        };
        if let Err(e) = self.ensure_mode(preview) {
            self.camera_failed(e);
            return;
        }
        let poll = self.config.poll;
        let Some(active) = self.active.as_mut() else {
            return;
        };
        let outcome = active.camera.next_frame(poll);
        match outcome {
            Ok(frame) => match frame.repair() {
                Ok((frame, repairs)) => {
                    if let Some(active) = self.active.as_mut() {
                        active.bad_run = 0;
                        active.last_frame = Instant::now();
                    }
                    self.good_frame(repairs);
                    self.preview_tx.send_replace(Some(Arc::new(frame)));
                }
                Err(_) => self.bad_frame(),
            },
            Err(CameraError::Frame(_)) => self.bad_frame(),
            Err(CameraError::Timeout(_)) => {
                let stalled = self
                    .active
                    .as_ref()
                    .is_some_and(|a| a.last_frame.elapsed() >= self.config.frame_timeout);
                if stalled {
                    bump(&self.counters.stalls);
                    self.reopen_for(FaultKind::Stalled);
                }
            }
            Err(e) => self.camera_failed(e),
        }
    }

    fn good_frame(&mut self, repairs: Repairs) {
        bump(&self.counters.frames);
        if repairs.dht_inserted {
            bump(&self.counters.dht_inserted);
        }
        if self.recovering.take().is_some() || self.reported != Some(Health::Ready) {
            self.set_health(Health::Ready);
        }
    }

    fn bad_frame(&mut self) {
        bump(&self.counters.errors);
        let limit = self.config.bad_frames_fault.max(1);
        let over = self.active.as_mut().is_some_and(|active| {
            active.bad_run += 1;
            active.bad_run >= limit
        });
        if over {
            self.reopen_for(FaultKind::BadFrames);
        }
    }

    fn capture(&mut self, id: u64) {
        self.set_health(Health::Busy);
        let result = self.take_still();
        match result {
            Ok((frame, repairs)) => {
                bump(&self.counters.captures);
                self.emit(ScannerEvent::Captured { id, frame, repairs });
                if !self.want_preview {
                    self.stop_stream();
                }
                if self.active.is_some() {
                    self.set_health(Health::Ready);
                }
            }
            Err(error) => {
                bump(&self.counters.capture_failures);
                self.emit(ScannerEvent::CaptureFailed {
                    id,
                    error: error.clone(),
                });
                match error {
                    CameraError::Timeout(_) => {
                        bump(&self.counters.stalls);
                        self.reopen_for(FaultKind::Stalled);
                    }
                    CameraError::Frame(_) => self.reopen_for(FaultKind::BadFrames),
                    e => self.camera_failed(e),
                }
            }
        }
    }

    fn take_still(&mut self) -> Result<(Frame, Repairs), CameraError> {
        let Some(mode) = self.active.as_ref().map(|a| a.desc.capture) else {
            return Err(CameraError::NotFound);
        };
        self.ensure_mode(mode)?;
        let deadline = Instant::now() + self.config.capture_timeout;
        let mut skipped = 0;
        let mut last_bad: Option<CameraError> = None;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || self.stopped() {
                return Err(last_bad.unwrap_or(CameraError::Timeout(self.config.capture_timeout)));
            }
            let Some(active) = self.active.as_mut() else {
                return Err(CameraError::Disconnected);
            };
            match active.camera.next_frame(left.min(self.config.poll)) {
                Ok(frame) => match frame.repair() {
                    Ok((frame, repairs)) => {
                        active.bad_run = 0;
                        active.last_frame = Instant::now();
                        bump(&self.counters.frames);
                        if repairs.dht_inserted {
                            bump(&self.counters.dht_inserted);
                        }
                        if skipped < self.config.capture_skip {
                            skipped += 1;
                            continue;
                        }
                        return Ok((frame, repairs));
                    }
                    Err(e) => {
                        bump(&self.counters.errors);
                        last_bad = Some(CameraError::Frame(e));
                    }
                },
                Err(CameraError::Timeout(_)) => {}
                Err(CameraError::Frame(e)) => {
                    bump(&self.counters.errors);
                    last_bad = Some(CameraError::Frame(e));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Sleeps in short steps so a stop request is seen promptly.
    fn sleep(&self, total: Duration) {
        let until = Instant::now() + total;
        while !self.stopped() {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            std::thread::sleep(left.min(Duration::from_millis(20)));
        }
    }
}
