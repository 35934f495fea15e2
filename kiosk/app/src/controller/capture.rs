//! The 高拍仪 in the citizen's session: stills asked for by the session go through the
//! document pipeline on a worker thread and come back as pages; the live preview runs only
//! while the capture screen shows; the pages' bytes stay here (never in the session) until
//! the submission takes them or the session is wiped.

use super::*;
use crate::backend::service::SubmittedPage;
use crate::devices::scanner::{DeskItem, preview_pixels};
use kiosk_core::capture::{CaptureFailure, CaptureKind, CapturedMaterial, PageRef};
use scanner::driver::ScannerEvent;

/// How often the screen takes a new preview frame (the camera streams at
/// [`crate::devices::scanner::PREVIEW`]; this keeps the UI thread's share small).
pub const PREVIEW_EVERY: Duration = Duration::from_millis(200);

/// A page taken in this session.
pub(super) struct StoredPage {
    jpeg: Arc<Vec<u8>>,
    thumbnail: Option<slint::SharedPixelBuffer<slint::Rgb8Pixel>>,
}

/// A still the session asked for.
pub(super) struct PendingCapture {
    id: u64,
    request: RequestId,
    kind: CaptureKind,
}

/// The capture side of the controller's state.
#[derive(Default)]
pub(super) struct CaptureState {
    pending: Option<PendingCapture>,
    pages: HashMap<String, StoredPage>,
    preview_on: bool,
    last_preview: Option<Instant>,
    health: Option<DeviceHealth>,
    desk: usize,
    unplugged: bool,
}

impl CaptureState {
    /// Forgets every page and the capture under way (the session was wiped).
    pub(super) fn wipe(&mut self) {
        self.pages.clear();
        self.pending = None;
    }
}

fn session_health(h: scanner::Health) -> DeviceHealth {
    match h {
        scanner::Health::Ready | scanner::Health::Busy => DeviceHealth::Ready,
        scanner::Health::Disconnected | scanner::Health::Fault(_) => DeviceHealth::Fault,
    }
}

impl Controller {
    /// The capture screen's buttons, and the dev dock's desk and plug.
    pub(super) fn connect_capture(&self, app: &AppWindow) {
        let c = app.global::<CaptureAdapter>();
        let index_action = |make: fn(usize) -> Action| {
            let w = self.this.clone();
            move |i: i32| {
                if let (Some(c), Ok(i)) = (w.upgrade(), usize::try_from(i)) {
                    c.touch(make(i));
                }
            }
        };
        let plain = |action: Action| {
            let w = self.this.clone();
            move || {
                if let Some(c) = w.upgrade() {
                    c.touch(action.clone());
                }
            }
        };
        c.on_select(index_action(Action::CaptureSelect));
        c.on_remove(index_action(Action::CaptureRemove));
        c.on_take(plain(Action::CaptureTake));
        c.on_retake(plain(Action::CaptureRetake));
        c.on_next(plain(Action::CaptureDone));
        let dock = app.global::<DevDock>();
        let w = self.this.clone();
        dock.on_place_on_desk(move |i| {
            if let (Some(c), Ok(i)) = (w.upgrade(), usize::try_from(i)) {
                c.place_on_desk(i);
            }
        });
        let w = self.this.clone();
        dock.on_toggle_scanner(move || {
            if let Some(c) = w.upgrade() {
                c.toggle_scanner_plug();
            }
        });
    }

    /// Tells the session the 高拍仪's state at start: none fitted is a fault for the matters
    /// that must capture.
    pub(super) fn report_scanner_at_start(&self) {
        if self.state.borrow().camera.is_none() {
            self.dispatch(Event::DeviceStatus(Device::Scanner, DeviceHealth::Fault));
        }
        if let Some(app) = self.app.upgrade() {
            let dock = app.global::<DevDock>();
            dock.set_desk_items(slint::ModelRc::new(slint::VecModel::from(
                DeskItem::ALL
                    .iter()
                    .map(|d| slint::SharedString::from(d.label()))
                    .collect::<Vec<_>>(),
            )));
        }
    }

    /// `Effect::Capture`: one still, its outcome later as `Event::Captured`.
    pub(super) fn start_capture(&self, request: RequestId, kind: CaptureKind) {
        let mut state = self.state.borrow_mut();
        match state.camera.as_ref().map(|c| c.capture()) {
            Some(id) => {
                state.capture.pending = Some(PendingCapture { id, request, kind });
            }
            None => {
                drop(state);
                self.later(Duration::ZERO, move |c| {
                    c.dispatch(Event::Captured(request, Err(CaptureFailure::Camera)))
                });
            }
        }
    }

    /// Takes the 高拍仪's events, finished pages and preview frames.
    pub(super) fn poll_camera(&self) {
        loop {
            let Some(event) = self
                .state
                .borrow_mut()
                .camera
                .as_mut()
                .and_then(|c| c.try_next())
            else {
                break;
            };
            self.camera_event(event);
        }
        loop {
            let Some(done) = self
                .state
                .borrow()
                .camera
                .as_ref()
                .and_then(|c| c.try_processed())
            else {
                break;
            };
            let request = {
                let mut state = self.state.borrow_mut();
                match state.capture.pending.take() {
                    Some(p) if p.id == done.id => p.request,
                    other => {
                        state.capture.pending = other;
                        continue; // a capture given up on
                    }
                }
            };
            let outcome = match done.page {
                Ok(page) => {
                    let reference = PageRef {
                        sha256: page.sha256_hex(),
                        bytes: page.jpeg.len() as u64,
                    };
                    let thumbnail = done.thumbnail.map(|t| {
                        slint::SharedPixelBuffer::clone_from_slice(
                            t.as_raw(),
                            t.width(),
                            t.height(),
                        )
                    });
                    self.state.borrow_mut().capture.pages.insert(
                        reference.sha256.clone(),
                        StoredPage {
                            jpeg: Arc::new(page.jpeg),
                            thumbnail,
                        },
                    );
                    self.log(|| format!("page captured, {} bytes", reference.bytes));
                    Ok(reference)
                }
                Err(documents::Rejection::Corrupt(_)) => Err(CaptureFailure::Camera),
                Err(r) => {
                    self.log(|| format!("capture rejected: {r}"));
                    Err(CaptureFailure::Rejected(r.prompt().to_string()))
                }
            };
            self.dispatch(Event::Captured(request, outcome));
        }
        self.show_preview();
    }

    fn camera_event(&self, event: ScannerEvent) {
        match event {
            ScannerEvent::Health(h) => {
                let health = session_health(h);
                let changed = {
                    let mut state = self.state.borrow_mut();
                    let changed = state.capture.health != Some(health);
                    state.capture.health = Some(health);
                    changed
                };
                if changed {
                    self.log(|| format!("scanner {health:?}"));
                    self.dispatch(Event::DeviceStatus(Device::Scanner, health));
                }
            }
            ScannerEvent::Captured { id, frame, .. } => {
                if self.maintenance_still(id, Ok(&frame)) {
                    return;
                }
                let state = self.state.borrow();
                if let (Some(p), Some(camera)) = (&state.capture.pending, &state.camera)
                    && p.id == id
                {
                    camera.process(id, frame, p.kind);
                }
            }
            ScannerEvent::CaptureFailed { id, error } => {
                if self.maintenance_still(id, Err(&error.to_string())) {
                    return;
                }
                let request = {
                    let mut state = self.state.borrow_mut();
                    match state.capture.pending.take() {
                        Some(p) if p.id == id => Some(p.request),
                        other => {
                            state.capture.pending = other;
                            None
                        }
                    }
                };
                if let Some(request) = request {
                    self.log(|| format!("capture failed: {error}"));
                    self.dispatch(Event::Captured(request, Err(CaptureFailure::Camera)));
                }
            }
            _ => {}
        }
    }

    /// Streams the preview exactly while the capture screen shows (and the menu is closed).
    pub(super) fn sync_preview(&self) {
        let mut state = self.state.borrow_mut();
        let want = !state.menu.is_open()
            && matches!(state.session.screen(), Screen::Capture(_))
            && state.camera.is_some();
        if want != state.capture.preview_on {
            state.capture.preview_on = want;
            state.capture.last_preview = None;
            if let Some(camera) = state.camera.as_mut() {
                camera.set_preview(want);
                camera.reset_preview();
            }
        }
    }

    fn show_preview(&self) {
        let frame = {
            let mut state = self.state.borrow_mut();
            if !state.capture.preview_on
                || state
                    .capture
                    .last_preview
                    .is_some_and(|t| t.elapsed() < PREVIEW_EVERY)
            {
                return;
            }
            let Some(frame) = state.camera.as_mut().and_then(|c| c.new_preview()) else {
                return;
            };
            state.capture.last_preview = Some(Instant::now());
            frame
        };
        let Some(pixels) = preview_pixels(&frame) else {
            return;
        };
        if let Some(app) = self.app.upgrade() {
            let c = app.global::<CaptureAdapter>();
            c.set_preview(slint::Image::from_rgb8(
                slint::SharedPixelBuffer::clone_from_slice(
                    pixels.as_raw(),
                    pixels.width(),
                    pixels.height(),
                ),
            ));
            c.set_has_preview(true);
        }
    }

    /// The selected material's pages on the capture screen; pages no longer referenced (a
    /// 重拍 replaced them, or they were deleted) are dropped here.
    pub(super) fn project_capture_pages(&self, app: &AppWindow) {
        let mut state = self.state.borrow_mut();
        let state = &mut *state;
        let captures = state.session.captures();
        let referenced: HashSet<String> = (0..state.session.capture_slots().len())
            .flat_map(|i| captures.pages(i).iter().map(|p| p.sha256.clone()))
            .collect();
        state
            .capture
            .pages
            .retain(|sha, _| referenced.contains(sha));
        if !matches!(state.session.screen(), Screen::Capture(_)) {
            return;
        }
        let images: Vec<slint::Image> = captures
            .pages(captures.selected())
            .iter()
            .map(|p| {
                state
                    .capture
                    .pages
                    .get(&p.sha256)
                    .and_then(|s| s.thumbnail.clone())
                    .map(slint::Image::from_rgb8)
                    .unwrap_or_default()
            })
            .collect();
        app.global::<CaptureAdapter>()
            .set_pages(slint::ModelRc::new(slint::VecModel::from(images)));
        let dock = app.global::<DevDock>();
        dock.set_desk(
            DeskItem::ALL
                .get(state.capture.desk)
                .map_or("", |d| d.label())
                .into(),
        );
        dock.set_scanner_unplugged(state.capture.unplugged);
    }

    /// The submission's pages, with their bytes, in the order of the materials.
    pub(super) fn submitted_pages(&self, materials: &[CapturedMaterial]) -> Vec<SubmittedPage> {
        let state = self.state.borrow();
        materials
            .iter()
            .flat_map(|m| {
                m.pages.iter().enumerate().filter_map(|(i, p)| {
                    state
                        .capture
                        .pages
                        .get(&p.sha256)
                        .map(|stored| SubmittedPage {
                            material: m.material.clone(),
                            page: i as u32 + 1,
                            jpeg: stored.jpeg.clone(),
                        })
                })
            })
            .collect()
    }

    /// The dev dock lays something under the simulated camera.
    pub fn place_on_desk(&self, index: usize) {
        let Some(item) = DeskItem::ALL.get(index).copied() else {
            return;
        };
        let mut state = self.state.borrow_mut();
        state.capture.desk = index;
        if let Some(camera) = &state.camera {
            camera.place(item);
        }
        drop(state);
        self.project();
    }

    /// The dev dock unplugs the simulated camera, or plugs it back.
    pub fn toggle_scanner_plug(&self) {
        let mut state = self.state.borrow_mut();
        let Some(sim) = state.camera.as_ref().and_then(|c| c.sim()).cloned() else {
            return;
        };
        state.capture.unplugged = !state.capture.unplugged;
        if state.capture.unplugged {
            sim.unplug();
        } else {
            sim.plug();
        }
        drop(state);
        self.project();
    }
}
