//! The simulated 高拍仪: a [`Camera`] that films a picture instead of a desk.
//!
//! It speaks the same "wire" as the real camera — MJPEG frames (JPEG bytes, optionally without
//! their Huffman tables, as many UVC cameras send them) or YUYV bytes — at the modes it
//! offers, paced at the mode's frame rate, so the real [`crate::driver`] runs against it in the
//! tests and in the demo. What it films comes from a [`FrameSource`]: image files
//! ([`ImageFiles`]: generated A4 pages, ID-card copies, tilted, shadowed and dim variants made
//! by the documents crate's `synthetic` generator, or photos), one picture ([`Still`]), a
//! built-in [`test_page`], or any generator the app plugs in.
//!
//! Faults are inputs on the [`SimHandle`] (the dev dock's buttons): unplug / replug (a
//! replugged camera has forgotten its light and focus, and an open handle from before stays
//! dead), corrupt and truncated frames, frames without DHT, a stalled stream. The light
//! switch is visible in the frames: with the light off the page is filmed dim.

use std::collections::VecDeque;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use image::RgbImage;

use crate::camera::{
    Camera, CameraError, ControlCaps, Controls, Focus, Interval, Mode, ModeInfo, Size,
};
use crate::discovery::{UsbId, VideoDevice};
use crate::driver::Connector;
use crate::frame::{Frame, FrameError, PixelFormat, mjpeg, yuyv};

/// A source could not give a picture.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("frame source: {0}")]
pub struct SourceError(pub String);

/// What is under the simulated camera.
pub trait FrameSource: Send {
    /// The picture under the camera now, any size (the simulator scales it to the stream's
    /// size, stretching if the aspect differs). Called for every frame: return the same `Arc`
    /// while nothing changes, so the simulator can reuse the frame it encoded.
    fn scene(&mut self) -> Result<Arc<RgbImage>, SourceError>;

    /// Puts the next document under the camera (the dev dock's "next page"). Sources with one
    /// picture ignore it.
    fn advance(&mut self) {}
}

/// One fixed picture.
#[derive(Debug, Clone)]
pub struct Still(pub Arc<RgbImage>);

impl Still {
    /// A still of `image`.
    pub fn new(image: RgbImage) -> Self {
        Still(Arc::new(image))
    }
}

impl FrameSource for Still {
    fn scene(&mut self) -> Result<Arc<RgbImage>, SourceError> {
        Ok(self.0.clone())
    }
}

/// Image files (JPEG or PNG) shown one at a time, in order, [`FrameSource::advance`] moving to
/// the next and wrapping around. Each file is decoded when it comes up.
#[derive(Debug, Clone)]
pub struct ImageFiles {
    paths: Vec<PathBuf>,
    current: usize,
    decoded: Option<Arc<RgbImage>>,
}

fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "jpg" | "jpeg" | "png"))
}

impl ImageFiles {
    /// These files, in this order.
    pub fn new(paths: Vec<PathBuf>) -> Result<Self, SourceError> {
        if paths.is_empty() {
            return Err(SourceError("no image files".into()));
        }
        Ok(ImageFiles {
            paths,
            current: 0,
            decoded: None,
        })
    }

    /// Every `.jpg`, `.jpeg` and `.png` in `dir`, by name.
    pub fn from_dir(dir: &Path) -> Result<Self, SourceError> {
        let read =
            std::fs::read_dir(dir).map_err(|e| SourceError(format!("{}: {e}", dir.display())))?;
        let mut paths: Vec<PathBuf> = read
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| is_image(p))
            .collect();
        paths.sort();
        if paths.is_empty() {
            return Err(SourceError(format!(
                "{}: no JPEG or PNG files",
                dir.display()
            )));
        }
        Self::new(paths)
    }

    /// The file shown now.
    pub fn current(&self) -> &Path {
        &self.paths[self.current % self.paths.len()]
    }
}

impl FrameSource for ImageFiles {
    fn scene(&mut self) -> Result<Arc<RgbImage>, SourceError> {
        if let Some(image) = &self.decoded {
            return Ok(image.clone());
        }
        let path = self.current().to_path_buf();
        let image = image::open(&path)
            .map_err(|e| SourceError(format!("{}: {e}", path.display())))?
            .into_rgb8();
        let image = Arc::new(image);
        self.decoded = Some(image.clone());
        Ok(image)
    }

    fn advance(&mut self) {
        self.current = (self.current + 1) % self.paths.len();
        self.decoded = None;
    }
}

/// A plain test scene: an A4 page (portrait, white, with dark "text" lines and a heading
/// block) on a grey desk, `width × height`. Enough for the demo and tests to show a page;
/// realistic pages come from the documents crate's generator.
pub fn test_page(width: u32, height: u32) -> RgbImage {
    let desk = image::Rgb([92u8, 96, 104]);
    let paper = image::Rgb([246u8, 244, 238]);
    let ink = image::Rgb([30u8, 30, 36]);
    let mut img = RgbImage::from_pixel(width.max(1), height.max(1), desk);
    // the page: 80 % of the height, A4 aspect 210:297, centred
    let ph = height * 8 / 10;
    let pw = ph * 210 / 297;
    let (px, py) = (width.saturating_sub(pw) / 2, height.saturating_sub(ph) / 2);
    for y in py..(py + ph).min(height) {
        for x in px..(px + pw).min(width) {
            img.put_pixel(x, y, paper);
        }
    }
    let margin = pw / 10;
    let line = (ph / 60).max(1);
    let mut y = py + ph / 10;
    let mut n = 0u32;
    while y + line < py + ph - ph / 10 {
        let heading = n == 0;
        let len = if heading {
            pw / 2
        } else {
            (pw - 2 * margin) * (70 + (n * 37) % 30) / 100
        };
        let x0 = if heading {
            px + (pw - len) / 2
        } else {
            px + margin
        };
        let thick = if heading { line * 2 } else { line };
        for yy in y..(y + thick).min(height) {
            for xx in x0..(x0 + len).min(width) {
                img.put_pixel(xx, yy, ink);
            }
        }
        y += thick + line * 2;
        n += 1;
    }
    img
}

/// A fault for the next frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameFault {
    /// Damaged header bytes (an MJPEG frame whose markers are overwritten; a YUYV frame one
    /// byte short).
    Corrupt,
    /// Only the first half of the frame.
    Truncated,
    /// An MJPEG frame without its DHT segment.
    MissingDht,
}

/// The simulated camera's settings.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The modes it offers.
    pub modes: Vec<ModeInfo>,
    /// JPEG quality of MJPEG frames (1–100).
    pub quality: u8,
    /// Its USB id and name as discovery reports them.
    pub id: UsbId,
    /// Its V4L2 name.
    pub name: String,
}

/// The USB id the simulator reports (the Linux UVC gadget's, like a bring-up board).
pub const SIM_ID: UsbId = UsbId::new(0x1d6b, 0x0102);

impl Default for SimConfig {
    /// A 5 Mpx 高拍仪: MJPEG 2592×1944 at 5 fps, 1280×960 and 640×480 up to 15/30 fps; YUYV
    /// 640×480 at 30 fps and 1280×960 at 5 fps. Quality 85.
    fn default() -> Self {
        let mode = |format, w, h, fps: &[u32]| ModeInfo {
            format,
            size: Size::new(w, h),
            intervals: fps.iter().map(|&f| Interval::fps(f)).collect(),
        };
        SimConfig {
            modes: vec![
                mode(PixelFormat::Mjpeg, 2592, 1944, &[5]),
                mode(PixelFormat::Mjpeg, 1280, 960, &[15, 10, 5]),
                mode(PixelFormat::Mjpeg, 640, 480, &[30, 15]),
                mode(PixelFormat::Yuyv, 640, 480, &[30, 15]),
                mode(PixelFormat::Yuyv, 1280, 960, &[5]),
            ],
            quality: 85,
            id: SIM_ID,
            name: "Simulated 高拍仪".into(),
        }
    }
}

impl SimConfig {
    /// Small modes for fast tests: MJPEG 320×240 and 160×120, YUYV 160×120, all up to 100 fps.
    pub fn small() -> Self {
        let mode = |format, w, h| ModeInfo {
            format,
            size: Size::new(w, h),
            intervals: vec![Interval::fps(100), Interval::fps(25)],
        };
        SimConfig {
            modes: vec![
                mode(PixelFormat::Mjpeg, 320, 240),
                mode(PixelFormat::Mjpeg, 160, 120),
                mode(PixelFormat::Yuyv, 160, 120),
            ],
            ..SimConfig::default()
        }
    }
}

/// What the simulator counted (for tests and the dev dock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SimStats {
    /// Successful opens.
    pub opens: u64,
    /// Streams started.
    pub starts: u64,
    /// Frames handed out (good or damaged).
    pub frames: u64,
    /// Frames damaged on purpose.
    pub faults: u64,
}

struct Cached {
    scene: Arc<RgbImage>,
    format: PixelFormat,
    size: Size,
    light: bool,
    bytes: Arc<Vec<u8>>,
}

struct SimState {
    config: SimConfig,
    source: Box<dyn FrameSource>,
    present: bool,
    generation: u64,
    devnum: u32,
    missing_dht: bool,
    pending: VecDeque<FrameFault>,
    stalled: bool,
    light: bool,
    focus: Focus,
    stats: SimStats,
    cache: Option<Cached>,
}

/// Control of a simulated camera; cheap to clone. Cameras made by [`SimHandle::camera`] share
/// it.
#[derive(Clone)]
pub struct SimHandle(Arc<Mutex<SimState>>);

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.state();
        f.debug_struct("SimHandle")
            .field("present", &s.present)
            .field("stalled", &s.stalled)
            .field("light", &s.light)
            .field("stats", &s.stats)
            .finish_non_exhaustive()
    }
}

impl SimHandle {
    /// A plugged-in camera with the default modes, filming `source`.
    pub fn new(source: Box<dyn FrameSource>) -> Self {
        Self::with_config(source, SimConfig::default())
    }

    /// A plugged-in camera with these settings.
    pub fn with_config(source: Box<dyn FrameSource>, config: SimConfig) -> Self {
        SimHandle(Arc::new(Mutex::new(SimState {
            config,
            source,
            present: true,
            generation: 0,
            devnum: 2,
            missing_dht: false,
            pending: VecDeque::new(),
            stalled: false,
            light: false,
            focus: Focus::Auto,
            stats: SimStats::default(),
            cache: None,
        })))
    }

    fn state(&self) -> MutexGuard<'_, SimState> {
        // a panic while holding the lock leaves plain data behind; keep serving it
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A camera on this simulator (not opened).
    pub fn camera(&self) -> SimCamera {
        SimCamera {
            handle: self.clone(),
            generation: None,
            stream: None,
        }
    }

    /// A [`Connector`] for the driver: the simulated camera is "found" while plugged in.
    pub fn connector(&self) -> SimConnector {
        SimConnector(self.clone())
    }

    /// The device as discovery would report it (its USB device number changes at each plug).
    pub fn device(&self) -> VideoDevice {
        let s = self.state();
        VideoDevice {
            node: PathBuf::from("/dev/video-sim"),
            sys_name: "video-sim".into(),
            name: s.config.name.clone(),
            id: s.config.id,
            usb_path: "sim-1".into(),
            bus: 1,
            devnum: s.devnum,
            manufacturer: Some("Simulator".into()),
            product: Some(s.config.name.clone()),
            serial: None,
        }
    }

    /// Pulls the cable: every open camera fails with `Disconnected` from now on.
    pub fn unplug(&self) {
        let mut s = self.state();
        s.present = false;
        s.generation += 1;
    }

    /// Plugs the cable back in: a new USB device number, the light off and autofocus on
    /// again (a camera keeps nothing across a power cycle).
    pub fn plug(&self) {
        let mut s = self.state();
        if !s.present {
            s.present = true;
            s.devnum += 1;
            s.light = false;
            s.focus = Focus::Auto;
        }
    }

    /// Whether the cable is in.
    pub fn is_plugged(&self) -> bool {
        self.state().present
    }

    /// Every MJPEG frame from now on comes without DHT (a camera model that omits it).
    pub fn set_missing_dht(&self, on: bool) {
        self.state().missing_dht = on;
    }

    /// Damages the next frame handed out (faults queue up, one per frame).
    pub fn inject(&self, fault: FrameFault) {
        self.state().pending.push_back(fault);
    }

    /// The stream stops delivering (a hung camera firmware), or starts again.
    pub fn set_stalled(&self, stalled: bool) {
        self.state().stalled = stalled;
    }

    /// Films another source from now on.
    pub fn set_source(&self, source: Box<dyn FrameSource>) {
        let mut s = self.state();
        s.source = source;
        s.cache = None;
    }

    /// The next document under the camera.
    pub fn advance(&self) {
        let mut s = self.state();
        s.source.advance();
        s.cache = None;
    }

    /// Whether the light is on.
    pub fn light(&self) -> bool {
        self.state().light
    }

    /// The focus as last set.
    pub fn focus(&self) -> Focus {
        self.state().focus
    }

    /// What was counted so far.
    pub fn stats(&self) -> SimStats {
        self.state().stats
    }

    /// The modes offered.
    pub fn modes(&self) -> Vec<ModeInfo> {
        self.state().config.modes.clone()
    }
}

/// The driver's way to the simulator.
#[derive(Debug, Clone)]
pub struct SimConnector(SimHandle);

impl Connector for SimConnector {
    fn scan(&mut self) -> io::Result<Vec<VideoDevice>> {
        Ok(if self.0.is_plugged() {
            vec![self.0.device()]
        } else {
            Vec::new()
        })
    }

    fn camera(&mut self, _device: &VideoDevice) -> Box<dyn Camera> {
        Box::new(self.0.camera())
    }
}

struct SimStream {
    mode: Mode,
    next_due: Instant,
    sequence: u64,
}

/// A simulated camera, made by [`SimHandle::camera`].
pub struct SimCamera {
    handle: SimHandle,
    generation: Option<u64>,
    stream: Option<SimStream>,
}

fn dim(image: &mut RgbImage) {
    for p in image.pixels_mut() {
        for c in p.0.iter_mut() {
            *c = (u16::from(*c) * 115 / 256) as u8;
        }
    }
}

fn encode(image: &RgbImage, format: PixelFormat, quality: u8) -> Result<Vec<u8>, CameraError> {
    match format {
        PixelFormat::Yuyv => Ok(yuyv::from_rgb8(
            image.width(),
            image.height(),
            image.as_raw(),
        )?),
        PixelFormat::Mjpeg => {
            let mut out = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100))
                .encode(
                    image.as_raw(),
                    image.width(),
                    image.height(),
                    image::ExtendedColorType::Rgb8,
                )
                .map_err(|e| CameraError::Io(format!("simulator JPEG encoder: {e}")))?;
            Ok(out)
        }
    }
}

fn damage(
    mut bytes: Vec<u8>,
    format: PixelFormat,
    fault: FrameFault,
) -> Result<Vec<u8>, FrameError> {
    Ok(match (fault, format) {
        (FrameFault::MissingDht, PixelFormat::Mjpeg) => mjpeg::strip_dht(&bytes)?,
        (FrameFault::MissingDht, PixelFormat::Yuyv) => bytes,
        (FrameFault::Corrupt, PixelFormat::Mjpeg) => {
            // overwrite the first segment's marker and length with noise
            for (i, b) in bytes.iter_mut().enumerate().skip(2).take(16) {
                *b = (i as u8).wrapping_mul(37) & 0x7F;
            }
            bytes
        }
        (FrameFault::Corrupt, PixelFormat::Yuyv) => {
            bytes.pop();
            bytes
        }
        (FrameFault::Truncated, _) => {
            bytes.truncate(bytes.len() / 2);
            bytes
        }
    })
}

impl SimCamera {
    fn alive(&self) -> Result<MutexGuard<'_, SimState>, CameraError> {
        let s = self.handle.state();
        match self.generation {
            Some(g) if s.present && g == s.generation => Ok(s),
            Some(_) => Err(CameraError::Disconnected),
            None if s.present => Err(CameraError::NotStreaming),
            None => Err(CameraError::NotFound),
        }
    }

    fn produce(&mut self) -> Result<Frame, CameraError> {
        let Some(stream) = self.stream.as_mut() else {
            return Err(CameraError::NotStreaming);
        };
        let mode = stream.mode;
        let sequence = stream.sequence;
        let mut s = self.handle.state();
        let scene = s
            .source
            .scene()
            .map_err(|e| CameraError::Io(e.to_string()))?;
        let light = s.light;
        let cached = s.cache.as_ref().filter(|c| {
            Arc::ptr_eq(&c.scene, &scene)
                && c.format == mode.format
                && c.size == mode.size
                && c.light == light
        });
        let bytes = match cached {
            Some(c) => c.bytes.clone(),
            None => {
                let mut image = if scene.dimensions() == (mode.size.width, mode.size.height) {
                    (*scene).clone()
                } else {
                    image::imageops::resize(
                        &*scene,
                        mode.size.width,
                        mode.size.height,
                        image::imageops::FilterType::Triangle,
                    )
                };
                if !light {
                    dim(&mut image);
                }
                let bytes = Arc::new(encode(&image, mode.format, s.config.quality)?);
                s.cache = Some(Cached {
                    scene,
                    format: mode.format,
                    size: mode.size,
                    light,
                    bytes: bytes.clone(),
                });
                bytes
            }
        };
        let mut data = (*bytes).clone();
        if s.missing_dht && mode.format == PixelFormat::Mjpeg {
            data = damage(data, mode.format, FrameFault::MissingDht)?;
        }
        if let Some(fault) = s.pending.pop_front() {
            data = damage(data, mode.format, fault)?;
            s.stats.faults += 1;
        }
        s.stats.frames += 1;
        drop(s);
        if let Some(stream) = self.stream.as_mut() {
            stream.sequence += 1;
        }
        Ok(Frame::new(
            mode.format,
            mode.size.width,
            mode.size.height,
            data,
            sequence,
        ))
    }
}

impl Controls for SimCamera {
    fn control_caps(&mut self) -> ControlCaps {
        ControlCaps {
            light: true,
            autofocus: true,
            focus_range: Some((0, 1023)),
            focus_trigger: true,
        }
    }

    fn set_light(&mut self, on: bool) -> Result<(), CameraError> {
        self.alive()?.light = on;
        Ok(())
    }

    fn set_focus(&mut self, focus: Focus) -> Result<(), CameraError> {
        if let Focus::Manual(v) = focus
            && !(0..=1023).contains(&v)
        {
            return Err(CameraError::Unsupported("focus position out of range"));
        }
        self.alive()?.focus = focus;
        Ok(())
    }
}

impl Camera for SimCamera {
    fn open(&mut self) -> Result<(), CameraError> {
        self.stream = None;
        let mut s = self.handle.state();
        if !s.present {
            return Err(CameraError::NotFound);
        }
        self.generation = Some(s.generation);
        s.stats.opens += 1;
        Ok(())
    }

    fn formats(&mut self) -> Result<Vec<ModeInfo>, CameraError> {
        Ok(self.alive()?.config.modes.clone())
    }

    fn start(&mut self, mode: Mode) -> Result<Mode, CameraError> {
        let mut s = self.alive()?;
        // like a V4L2 driver: the nearest size of the format, the interval if offered
        let chosen = s
            .config
            .modes
            .iter()
            .filter(|m| m.format == mode.format)
            .min_by_key(|m| m.size.area().abs_diff(mode.size.area()))
            .ok_or(CameraError::NoUsableMode)?;
        let interval = mode
            .interval
            .filter(|i| chosen.intervals.contains(i))
            .or_else(|| chosen.intervals.first().copied())
            .unwrap_or(Interval::fps(30));
        let actual = Mode {
            format: chosen.format,
            size: chosen.size,
            interval: Some(interval),
        };
        s.stats.starts += 1;
        drop(s);
        self.stream = Some(SimStream {
            mode: actual,
            next_due: Instant::now(),
            sequence: 0,
        });
        Ok(actual)
    }

    fn next_frame(&mut self, timeout: Duration) -> Result<Frame, CameraError> {
        let deadline = Instant::now() + timeout;
        loop {
            let stalled = self.alive()?.stalled;
            let Some(stream) = self.stream.as_mut() else {
                return Err(CameraError::NotStreaming);
            };
            let now = Instant::now();
            if !stalled && now >= stream.next_due {
                let period = stream
                    .mode
                    .interval
                    .map_or(Duration::from_millis(33), |i| i.duration());
                // keep the cadence, but never owe a burst of frames after a pause
                stream.next_due = (stream.next_due + period).max(now);
                return self.produce();
            }
            if now >= deadline {
                return Err(CameraError::Timeout(timeout));
            }
            let until = if stalled {
                deadline
            } else {
                stream.next_due.min(deadline)
            };
            std::thread::sleep(
                until
                    .saturating_duration_since(now)
                    .min(Duration::from_millis(10)),
            );
        }
    }

    fn stop(&mut self) -> Result<(), CameraError> {
        self.stream = None;
        Ok(())
    }

    fn close(&mut self) {
        self.stream = None;
        self.generation = None;
    }
}
