//! The real camera: V4L2 through `linuxvideo` (pure Rust ioctls, no `unsafe` here).
//!
//! **Not exercised on the development machine**: it has no camera and no `v4l2loopback`, so
//! nothing in this file has run against a device. It is kept small, written against
//! linuxvideo 0.3.5's source (read in the cargo registry, not guessed), and everything around
//! it — mode choice, frame checks, the driver's reconnects — is tested with the simulator.
//!
//! How it uses the library:
//! - one `Device` handle stays open for queries and controls; streaming uses a second handle
//!   (`Device::video_capture` consumes its `Device`, and V4L2 allows several opens);
//! - `next_frame` polls the stream's fd with a timeout (`rustix::event::poll`) before
//!   `ReadStream::dequeue`, which would otherwise block forever on a stalled camera;
//! - linuxvideo panics on some driver answers (`byte_array_to_str` unwraps UTF-8 — and the
//!   kernel cuts a card name to 31 bytes, possibly inside a Chinese character; frame-size
//!   asserts; `Format::from_raw` `todo!`s). Every call runs under [`guarded`], which turns a
//!   panic into [`CameraError::Library`], and names come from sysfs instead;
//! - dropping the `ReadStream` turns streaming off and unmaps the buffers (its `Drop`).

use std::any::Any;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use linuxvideo::controls::Cid;
use linuxvideo::format::{
    FormatFlags, FrameIntervals, FrameSizes, PixFormat, PixelFormat as Fourcc,
};
use linuxvideo::stream::ReadStream;
use linuxvideo::{BufType, CapabilityFlags, Device, Fract};
use rustix::event::{PollFd, PollFlags, Timespec, poll};

use crate::camera::{
    Camera, CameraError, ControlCaps, Controls, Focus, Interval, Mode, ModeInfo, Size,
    stepwise_sizes,
};
use crate::frame::{Frame, FrameError, PixelFormat, check_dimensions};

/// A vendor's own way to switch the light (HID report, serial command, an XU control set by
/// a vendor tool), supplied by the app.
pub trait Light: Send {
    /// Switches the light.
    fn set_light(&mut self, on: bool) -> Result<(), CameraError>;
}

/// How the V4L2 camera reaches the document light.
///
/// There is no standard V4L2 or UVC control for it. 高拍仪 put it behind a vendor UVC
/// extension unit (XU); linuxvideo 0.3.5 can only ask an XU control's info (`GET_INFO`), not
/// set it, and a raw `UVCIOC_CTRL_QUERY` would need `unsafe`. The way without either: map the
/// XU control to a V4L2 control with `uvcdynctrl` (an XML mapping, applied by a udev rule when
/// the camera appears — `UVCIOC_CTRL_MAP`), then name it here. Cameras whose light is on a
/// separate channel get [`LightControl::External`].
#[derive(Default)]
pub enum LightControl {
    /// No switchable light (or it is always on).
    #[default]
    None,
    /// A V4L2 control found by its name (case, spaces and `_` ignored: `LED1 Mode` =
    /// `led1_mode` as `v4l2-ctl -l` prints it), written with `on` or `off`.
    V4l2 {
        /// The control's name.
        name: String,
        /// Value that switches the light on.
        on: i32,
        /// Value that switches it off.
        off: i32,
    },
    /// The vendor's own channel.
    External(Box<dyn Light>),
}

impl std::fmt::Debug for LightControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LightControl::None => f.write_str("None"),
            LightControl::V4l2 { name, on, off } => f
                .debug_struct("V4l2")
                .field("name", name)
                .field("on", on)
                .field("off", off)
                .finish(),
            LightControl::External(_) => f.write_str("External"),
        }
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_owned()
    }
}

/// Runs a library call, turning a panic inside it into [`CameraError::Library`].
pub fn guarded<T>(
    what: &str,
    f: impl FnOnce() -> Result<T, CameraError>,
) -> Result<T, CameraError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => Err(CameraError::Library(format!(
            "{what}: {}",
            panic_message(payload.as_ref())
        ))),
    }
}

fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

fn unsupported(what: &'static str) -> impl Fn(std::io::Error) -> CameraError {
    move |e| {
        // EINVAL: no such control or value; ENOTTY: no controls at all; EACCES: read-only
        const EACCES: i32 = 13;
        const EINVAL: i32 = 22;
        const ENOTTY: i32 = 25;
        match e.raw_os_error() {
            Some(EINVAL | ENOTTY | EACCES) => CameraError::Unsupported(what),
            _ => CameraError::from(e),
        }
    }
}

struct Stream {
    stream: ReadStream,
    mode: Mode,
    bytes_per_line: usize,
}

/// A UVC document camera through V4L2.
pub struct V4l2Camera {
    path: PathBuf,
    light: LightControl,
    device: Option<Device>,
    /// The V4L2 code the camera used for each format (`MJPG` or `JPEG`).
    fourccs: BTreeMap<PixelFormat, [u8; 4]>,
    stream: Option<Stream>,
    sequence: u64,
}

impl V4l2Camera {
    /// A camera at `path` (`/dev/video0`), not opened yet.
    pub fn new(path: impl Into<PathBuf>, light: LightControl) -> Self {
        V4l2Camera {
            path: path.into(),
            light,
            device: None,
            fourccs: BTreeMap::new(),
            stream: None,
            sequence: 0,
        }
    }

    /// The device file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn device(&self) -> Result<&Device, CameraError> {
        self.device.as_ref().ok_or(CameraError::NotStreaming)
    }

    fn find_control(
        &self,
        want: impl Fn(Cid, &str) -> bool,
    ) -> Result<Option<(Cid, i32, i32)>, CameraError> {
        let device = self.device()?;
        guarded("controls", || {
            for desc in device.controls() {
                let desc = desc?;
                // name() unwraps UTF-8: a vendor control with a GBK name would panic in it
                let name =
                    catch_unwind(AssertUnwindSafe(|| desc.name().to_owned())).unwrap_or_default();
                if want(desc.id(), &name) {
                    return Ok(Some((desc.id(), desc.minimum(), desc.maximum())));
                }
            }
            Ok(None)
        })
    }

    fn write_control(
        &mut self,
        cid: Cid,
        value: i32,
        what: &'static str,
    ) -> Result<(), CameraError> {
        let device = self.device.as_mut().ok_or(CameraError::NotStreaming)?;
        guarded(what, || {
            device
                .write_control_raw(cid, value)
                .map_err(unsupported(what))
        })
    }
}

fn intervals_of(intervals: &FrameIntervals) -> Vec<Interval> {
    let to = |f: &Fract| Interval {
        numerator: f.numerator(),
        denominator: f.denominator(),
    };
    let list: Vec<Interval> = match intervals {
        FrameIntervals::Discrete(list) => list.iter().map(|i| to(i.fract())).collect(),
        FrameIntervals::Stepwise(s) | FrameIntervals::Continuous(s) => {
            vec![to(s.min()), to(s.max())]
        }
    };
    list.into_iter()
        .filter(|i| i.numerator > 0 && i.denominator > 0)
        .collect()
}

fn sizes_of(sizes: &FrameSizes) -> Vec<Size> {
    match sizes {
        FrameSizes::Discrete(list) => list
            .iter()
            .map(|s| Size::new(s.width(), s.height()))
            .collect(),
        FrameSizes::Stepwise(s) | FrameSizes::Continuous(s) => stepwise_sizes(
            Size::new(s.min_width(), s.min_height()),
            Size::new(s.max_width(), s.max_height()),
            Size::new(s.step_width(), s.step_height()),
        ),
    }
}

impl Controls for V4l2Camera {
    fn control_caps(&mut self) -> ControlCaps {
        let mut caps = ControlCaps::default();
        let Ok(device) = self.device() else {
            return caps;
        };
        let light_name = match &self.light {
            LightControl::V4l2 { name, .. } => Some(normalise(name)),
            _ => None,
        };
        let _ = guarded("controls", || {
            for desc in device.controls() {
                let desc = desc?;
                let id = desc.id();
                if id == Cid::FOCUS_AUTO {
                    caps.autofocus = true;
                } else if id == Cid::FOCUS_ABSOLUTE {
                    caps.focus_range = Some((desc.minimum(), desc.maximum()));
                } else if id == Cid::AUTO_FOCUS_START {
                    caps.focus_trigger = true;
                }
                if let Some(want) = &light_name {
                    let name = catch_unwind(AssertUnwindSafe(|| desc.name().to_owned()))
                        .unwrap_or_default();
                    if normalise(&name) == *want {
                        caps.light = true;
                    }
                }
            }
            Ok(())
        });
        if matches!(self.light, LightControl::External(_)) {
            caps.light = true;
        }
        caps
    }

    fn set_light(&mut self, on: bool) -> Result<(), CameraError> {
        match &mut self.light {
            LightControl::None => Err(CameraError::Unsupported("light")),
            LightControl::External(light) => light.set_light(on),
            LightControl::V4l2 {
                name,
                on: v_on,
                off,
            } => {
                let (want, value) = (normalise(name), if on { *v_on } else { *off });
                let found = self.find_control(|_, n| normalise(n) == want)?;
                let (cid, _, _) = found.ok_or(CameraError::Unsupported("light"))?;
                self.write_control(cid, value, "light")
            }
        }
    }

    fn set_focus(&mut self, focus: Focus) -> Result<(), CameraError> {
        match focus {
            Focus::Auto => self.write_control(Cid::FOCUS_AUTO, 1, "autofocus"),
            Focus::Manual(position) => {
                // cameras without FOCUS_AUTO have only manual focus: not an error
                match self.write_control(Cid::FOCUS_AUTO, 0, "autofocus") {
                    Ok(()) | Err(CameraError::Unsupported(_)) => {}
                    Err(e) => return Err(e),
                }
                self.write_control(Cid::FOCUS_ABSOLUTE, position, "focus")
            }
            Focus::Once => self.write_control(Cid::AUTO_FOCUS_START, 1, "autofocus trigger"),
        }
    }
}

impl Camera for V4l2Camera {
    fn open(&mut self) -> Result<(), CameraError> {
        self.close();
        let path = self.path.clone();
        let device = guarded("open", || Ok(Device::open(&path)?))?;
        let caps = guarded("capabilities", || {
            Ok(device.capabilities()?.device_capabilities())
        })?;
        if !caps.contains(CapabilityFlags::VIDEO_CAPTURE)
            || !caps.contains(CapabilityFlags::STREAMING)
        {
            return Err(CameraError::NotCapture);
        }
        self.device = Some(device);
        Ok(())
    }

    fn formats(&mut self) -> Result<Vec<ModeInfo>, CameraError> {
        let device = self.device()?;
        let (modes, fourccs) = guarded("formats", || {
            let mut modes: Vec<ModeInfo> = Vec::new();
            let mut fourccs = BTreeMap::new();
            for desc in device.formats(BufType::VIDEO_CAPTURE) {
                let desc = desc?;
                let code = desc.pixel_format().as_fourcc();
                let Some(format) = PixelFormat::from_fourcc(code) else {
                    continue;
                };
                // formats converted in user space by libv4l are not the camera's
                if desc.flags().contains(FormatFlags::EMULATED) || fourccs.contains_key(&format) {
                    continue;
                }
                fourccs.insert(format, code);
                let Ok(sizes) = device.frame_sizes(desc.pixel_format()) else {
                    continue;
                };
                for size in sizes_of(&sizes) {
                    if check_dimensions(format, size.width, size.height).is_err() {
                        continue;
                    }
                    let intervals = device
                        .frame_intervals(desc.pixel_format(), size.width, size.height)
                        .map(|i| intervals_of(&i))
                        .unwrap_or_default();
                    modes.push(ModeInfo {
                        format,
                        size,
                        intervals,
                    });
                }
            }
            Ok((modes, fourccs))
        })?;
        self.fourccs = fourccs;
        if modes.is_empty() {
            return Err(CameraError::NoUsableMode);
        }
        Ok(modes)
    }

    fn start(&mut self, mode: Mode) -> Result<Mode, CameraError> {
        self.stop()?;
        self.device()?;
        check_dimensions(mode.format, mode.size.width, mode.size.height)?;
        let code = self
            .fourccs
            .get(&mode.format)
            .copied()
            .unwrap_or(mode.format.fourcc());
        let path = self.path.clone();
        let stream = guarded("start", || {
            let device = Device::open(&path)?;
            let capture = device.video_capture(PixFormat::new(
                mode.size.width,
                mode.size.height,
                Fourcc::from_fourcc(code),
            ))?;
            let got = capture.format();
            let format = PixelFormat::from_fourcc(got.pixel_format().as_fourcc())
                .filter(|f| *f == mode.format)
                .ok_or(CameraError::NoUsableMode)?;
            let size = Size::new(got.width(), got.height());
            check_dimensions(format, size.width, size.height)?;
            let bytes_per_line = got.bytes_per_line() as usize;
            let interval = match mode.interval {
                Some(i) if i.numerator > 0 && i.denominator > 0 => capture
                    .set_frame_interval(Fract::new(i.numerator, i.denominator))
                    .ok()
                    .map(|f| Interval {
                        numerator: f.numerator(),
                        denominator: f.denominator(),
                    }),
                _ => None,
            };
            let stream = capture.into_stream()?;
            Ok(Stream {
                stream,
                mode: Mode {
                    format,
                    size,
                    interval,
                },
                bytes_per_line,
            })
        })?;
        let mode = stream.mode;
        self.stream = Some(stream);
        self.sequence = 0;
        Ok(mode)
    }

    fn next_frame(&mut self, timeout: Duration) -> Result<Frame, CameraError> {
        let stream = self.stream.as_mut().ok_or(CameraError::NotStreaming)?;
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let wait = Timespec::try_from(left).unwrap_or(Timespec {
                tv_sec: 1,
                tv_nsec: 0,
            });
            let mut fds = [PollFd::new(&stream.stream, PollFlags::IN)];
            match poll(&mut fds, Some(&wait)) {
                Ok(0) if left.is_zero() => return Err(CameraError::Timeout(timeout)),
                Ok(0) => continue,
                Ok(_) => {}
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(std::io::Error::from(e).into()),
            }
            let revents = fds[0].revents();
            if !revents.contains(PollFlags::IN)
                && revents.intersects(PollFlags::ERR | PollFlags::HUP | PollFlags::NVAL)
            {
                return Err(CameraError::Disconnected);
            }
            break;
        }
        let (mut data, flagged) = guarded("dequeue", || {
            Ok(stream
                .stream
                .dequeue(|buf| Ok((buf.to_vec(), buf.is_error())))?)
        })?;
        if flagged {
            return Err(FrameError::Flagged.into());
        }
        let mode = stream.mode;
        let row = mode.size.width as usize * 2;
        if mode.format == PixelFormat::Yuyv
            && stream.bytes_per_line > row
            && data.len() >= stream.bytes_per_line * mode.size.height as usize
        {
            // rows padded to bytes_per_line: keep each row's pixels only
            data = data
                .chunks(stream.bytes_per_line)
                .take(mode.size.height as usize)
                .flat_map(|r| r.iter().take(row).copied())
                .collect();
        }
        let frame = Frame::new(
            mode.format,
            mode.size.width,
            mode.size.height,
            data,
            self.sequence,
        );
        self.sequence += 1;
        Ok(frame)
    }

    fn stop(&mut self) -> Result<(), CameraError> {
        if let Some(stream) = self.stream.take() {
            // ReadStream's Drop: VIDIOC_STREAMOFF, then munmap of every buffer
            guarded("stop", || {
                drop(stream);
                Ok(())
            })?;
        }
        Ok(())
    }

    fn close(&mut self) {
        let _ = self.stop();
        self.device = None;
    }
}

impl Drop for V4l2Camera {
    fn drop(&mut self) {
        self.close();
    }
}
