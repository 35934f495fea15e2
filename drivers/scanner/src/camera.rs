//! The camera seam: what the driver needs from a document camera ([`Camera`], [`Controls`]),
//! implemented by the real V4L2 camera ([`crate::capture`]) and the simulator
//! ([`crate::sim`]); the modes a camera offers and the pure rules that pick the capture and
//! preview modes among them.

use std::fmt;
use std::io;
use std::time::Duration;

use crate::frame::{Frame, FrameError, PixelFormat};

/// A frame size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Size {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Size {
    /// A size.
    pub const fn new(width: u32, height: u32) -> Self {
        Size { width, height }
    }

    /// Pixels.
    pub fn area(self) -> u64 {
        u64::from(self.width) * u64::from(self.height)
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

/// Time between frames as a fraction of a second (V4L2's `timeperframe`): 1/15 is 15 fps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Interval {
    /// Numerator (seconds).
    pub numerator: u32,
    /// Denominator; never 0 in a value this crate builds.
    pub denominator: u32,
}

impl Interval {
    /// `1/fps`.
    pub const fn fps(fps: u32) -> Self {
        Interval {
            numerator: 1,
            denominator: fps,
        }
    }

    /// Frames per second (0 for a zero denominator).
    pub fn frames_per_second(self) -> f64 {
        if self.numerator == 0 || self.denominator == 0 {
            0.0
        } else {
            f64::from(self.denominator) / f64::from(self.numerator)
        }
    }

    /// The interval as a duration (a second for a zero denominator).
    pub fn duration(self) -> Duration {
        if self.denominator == 0 {
            return Duration::from_secs(1);
        }
        Duration::from_nanos(
            u64::from(self.numerator) * 1_000_000_000 / u64::from(self.denominator),
        )
    }
}

/// One format and size a camera offers, with the frame intervals it offers there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModeInfo {
    /// Pixel format.
    pub format: PixelFormat,
    /// Frame size.
    pub size: Size,
    /// Frame intervals offered at this size (may be empty when the camera does not say).
    pub intervals: Vec<Interval>,
}

/// A mode to stream in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mode {
    /// Pixel format.
    pub format: PixelFormat,
    /// Frame size.
    pub size: Size,
    /// Frame interval to ask for (`None`: the camera's default).
    pub interval: Option<Interval>,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.format, self.size)?;
        if let Some(i) = self.interval {
            write!(f, " @ {:.1} fps", i.frames_per_second())?;
        }
        Ok(())
    }
}

/// What the preview should look like: small and slow enough to cost little, big enough for
/// the citizen to see the page on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreviewTarget {
    /// The widest preview wanted.
    pub max_width: u32,
    /// Frames per second wanted.
    pub fps: u32,
}

impl Default for PreviewTarget {
    /// At most 1280 px wide at 10 fps.
    fn default() -> Self {
        PreviewTarget {
            max_width: 1280,
            fps: 10,
        }
    }
}

fn fastest(intervals: &[Interval]) -> Option<Interval> {
    intervals
        .iter()
        .copied()
        .filter(|i| i.frames_per_second() > 0.0)
        .max_by(|a, b| a.frames_per_second().total_cmp(&b.frames_per_second()))
}

/// The still-capture mode: the largest MJPEG size, else the largest YUYV size (MJPEG first: at
/// full resolution YUYV needs more USB bandwidth than USB 2.0 has for more than 1–2 fps), at
/// the fastest interval offered there.
pub fn capture_mode(modes: &[ModeInfo]) -> Option<Mode> {
    let largest = |format| {
        modes
            .iter()
            .filter(|m| m.format == format)
            .max_by_key(|m| (m.size.area(), m.size.width))
    };
    let best = largest(PixelFormat::Mjpeg).or_else(|| largest(PixelFormat::Yuyv))?;
    Some(Mode {
        format: best.format,
        size: best.size,
        interval: fastest(&best.intervals),
    })
}

/// The preview mode: the largest size no wider than `target.max_width` (MJPEG on a tie), else
/// the smallest size offered; at the slowest interval that still reaches `target.fps`, else the
/// fastest.
pub fn preview_mode(modes: &[ModeInfo], target: PreviewTarget) -> Option<Mode> {
    let rank = |m: &&ModeInfo| (m.size.area(), m.size.width, m.format == PixelFormat::Mjpeg);
    let best = modes
        .iter()
        .filter(|m| m.size.width <= target.max_width)
        .max_by_key(rank)
        .or_else(|| {
            modes
                .iter()
                .min_by_key(|m| (m.size.area(), m.format != PixelFormat::Mjpeg))
        })?;
    let want = f64::from(target.fps.max(1));
    let interval = best
        .intervals
        .iter()
        .copied()
        .filter(|i| i.frames_per_second() >= want)
        .min_by(|a, b| a.frames_per_second().total_cmp(&b.frames_per_second()))
        .or_else(|| fastest(&best.intervals));
    Some(Mode {
        format: best.format,
        size: best.size,
        interval,
    })
}

/// Sizes common on document cameras, tried inside a stepwise or continuous size range.
pub const COMMON_SIZES: &[Size] = &[
    Size::new(640, 480),
    Size::new(1280, 720),
    Size::new(1280, 960),
    Size::new(1600, 1200),
    Size::new(1920, 1080),
    Size::new(2048, 1536),
    Size::new(2592, 1944),
    Size::new(3264, 2448),
    Size::new(4160, 3120),
    Size::new(4608, 3456),
];

/// The sizes to offer from a stepwise range (V4L2 `FRMSIZE_TYPE_STEPWISE`/`CONTINUOUS`, step
/// 1): the largest, the smallest, and the [`COMMON_SIZES`] on the grid in between, ascending.
pub fn stepwise_sizes(min: Size, max: Size, step: Size) -> Vec<Size> {
    let on_grid = |v: u32, lo: u32, hi: u32, step: u32| {
        v >= lo && v <= hi && (step <= 1 || (v - lo).is_multiple_of(step))
    };
    let mut sizes: Vec<Size> = COMMON_SIZES
        .iter()
        .copied()
        .filter(|s| {
            on_grid(s.width, min.width, max.width, step.width)
                && on_grid(s.height, min.height, max.height, step.height)
        })
        .collect();
    for s in [min, max] {
        if s.width > 0 && s.height > 0 && s.width <= max.width && s.height <= max.height {
            sizes.push(s);
        }
    }
    sizes.sort_by_key(|s| (s.area(), s.width));
    sizes.dedup();
    sizes
}

/// What went wrong talking to a camera.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CameraError {
    /// No such device (not plugged in, or the node is gone).
    #[error("camera not found")]
    NotFound,
    /// The device went away while open (unplugged; every later call fails the same way).
    #[error("camera disconnected")]
    Disconnected,
    /// Another program has the camera streaming.
    #[error("camera busy (another program is using it)")]
    Busy,
    /// No frame arrived in time.
    #[error("no frame within {0:?}")]
    Timeout(Duration),
    /// The node is not a video capture device (a UVC metadata node, an output device).
    #[error("not a video capture device")]
    NotCapture,
    /// The camera offers neither MJPEG nor YUYV.
    #[error("the camera offers neither MJPEG nor YUYV")]
    NoUsableMode,
    /// `next_frame` or a stream call without a started stream, or `start` before `open`.
    #[error("camera not open or not streaming")]
    NotStreaming,
    /// The camera has no such control (or no known way to reach it).
    #[error("control not supported: {0}")]
    Unsupported(&'static str),
    /// A frame came but its bytes are unusable.
    #[error("bad frame: {0}")]
    Frame(#[from] FrameError),
    /// Another I/O error (its kind and message).
    #[error("I/O error: {0}")]
    Io(String),
    /// The V4L2 library panicked on what the device returned (it asserts on some driver
    /// answers); caught and reported instead of taking the kiosk down.
    #[error("V4L2 library failed: {0}")]
    Library(String),
}

impl CameraError {
    /// Whether the error means the device is gone (reopen after the next hotplug event).
    pub fn is_disconnect(&self) -> bool {
        matches!(self, CameraError::Disconnected | CameraError::NotFound)
    }
}

impl From<io::Error> for CameraError {
    fn from(e: io::Error) -> Self {
        // errno values of a USB device that has gone (uvcvideo answers ENODEV; a stale node
        // ENOENT/ENXIO), or that someone else streams from
        const ENOENT: i32 = 2;
        const EIO: i32 = 5;
        const ENXIO: i32 = 6;
        const EBUSY: i32 = 16;
        const ENODEV: i32 = 19;
        const ESHUTDOWN: i32 = 108;
        match e.raw_os_error() {
            Some(ENODEV | ENXIO | ESHUTDOWN | EIO) => CameraError::Disconnected,
            Some(ENOENT) => CameraError::NotFound,
            Some(EBUSY) => CameraError::Busy,
            _ => match e.kind() {
                io::ErrorKind::NotFound => CameraError::NotFound,
                io::ErrorKind::TimedOut => CameraError::Timeout(Duration::ZERO),
                _ => CameraError::Io(format!("{:?}: {e}", e.kind())),
            },
        }
    }
}

/// Which controls a camera has (asked afresh after every open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ControlCaps {
    /// The document light can be switched.
    pub light: bool,
    /// Continuous autofocus can be switched on and off (`V4L2_CID_FOCUS_AUTO`).
    pub autofocus: bool,
    /// Manual focus range (`V4L2_CID_FOCUS_ABSOLUTE`: min, max).
    pub focus_range: Option<(i32, i32)>,
    /// A single autofocus run can be triggered (`V4L2_CID_AUTO_FOCUS_START`).
    pub focus_trigger: bool,
}

/// How to focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// Continuous autofocus.
    Auto,
    /// Manual, at this position of the camera's range.
    Manual(i32),
    /// One autofocus run now, then hold (cameras with `AUTO_FOCUS_START`).
    Once,
}

/// The camera's controls that matter for documents: the light over the desk and the focus.
///
/// Focus uses the V4L2 standard controls where the camera has them. The light has no standard
/// control: 高拍仪 switch it through a vendor UVC extension unit (XU) or a separate HID/serial
/// channel, which differs per vendor; see [`crate::capture::LightControl`] for the ways the V4L2
/// camera reaches it.
pub trait Controls {
    /// Which controls exist.
    fn control_caps(&mut self) -> ControlCaps;
    /// Switches the document light.
    fn set_light(&mut self, on: bool) -> Result<(), CameraError>;
    /// Sets the focus.
    fn set_focus(&mut self, focus: Focus) -> Result<(), CameraError>;
}

/// A document camera, UnifiedPOS-style: `open` claims it and learns what it is, `start` enables
/// a stream, `stop` ends it, dropping the camera releases it.
pub trait Camera: Controls + Send {
    /// Opens the device (again, after a reconnect: nothing learnt before is kept).
    fn open(&mut self) -> Result<(), CameraError>;
    /// The formats, sizes and intervals the camera offers (MJPEG and YUYV only).
    fn formats(&mut self) -> Result<Vec<ModeInfo>, CameraError>;
    /// Starts streaming in `mode` (stopping a running stream first); returns the mode the
    /// camera actually set, which may differ in size or interval.
    fn start(&mut self, mode: Mode) -> Result<Mode, CameraError>;
    /// The next frame, waiting at most `timeout`. The frame is as the device sent it:
    /// [`Frame::repair`] checks and completes it.
    fn next_frame(&mut self, timeout: Duration) -> Result<Frame, CameraError>;
    /// Stops streaming (a no-op when not streaming).
    fn stop(&mut self) -> Result<(), CameraError>;
    /// Closes the device (also done on drop).
    fn close(&mut self);
}
