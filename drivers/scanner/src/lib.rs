//! The 高拍仪: a UVC document camera over V4L2, and its simulator.
//!
//! A 高拍仪 is a USB camera on a stand over the desk, with a light, that films the citizen's
//! papers (ID-card copies, certificates, forms) at 5–16 Mpx. Nearly all of them are UVC
//! devices: the kernel's `uvcvideo` driver makes them V4L2 capture nodes, sending MJPEG (often
//! without Huffman tables) or YUYV. `FORMATS.md` next to this crate's `Cargo.toml` documents
//! both formats, what is checked and repaired, and the sysfs layout discovery reads.
//!
//! | module | job |
//! |---|---|
//! | [`frame`] | the frame type; MJPEG marker walk, checks and DHT repair; YUYV ↔ RGB (BT.601); size checks (pure) |
//! | [`camera`] | the [`Camera`] and [`Controls`] traits, modes, capture/preview mode choice (pure) |
//! | [`discovery`] | document cameras by VID:PID from sysfs (root as a parameter), known models, config; a fake sysfs for tests |
//! | [`hotplug`] | added/removed from successive scans ([`HotplugTracker`], pure) and a polling [`Watcher`] thread |
//! | [`capture`] | the real camera: V4L2 through `linuxvideo` (Linux only; not exercisable without a camera) |
//! | [`driver`] | the driver thread: health, counters, preview, stills, reconnects |
//! | [`sim`] | the simulated camera: image files or any [`FrameSource`], with faults |

pub mod camera;
#[cfg(target_os = "linux")]
pub mod capture;
pub mod discovery;
pub mod driver;
pub mod frame;
pub mod hotplug;
pub mod sim;

pub use camera::{
    Camera, CameraError, ControlCaps, Controls, Focus, Interval, Mode, ModeInfo, PreviewTarget,
    Size, capture_mode, preview_mode,
};
#[cfg(target_os = "linux")]
pub use capture::{Light, LightControl, V4l2Camera};
pub use discovery::{DiscoveryConfig, KNOWN_MODELS, KnownModel, Role, Sysfs, UsbId, VideoDevice};
pub use driver::{
    Command, Connector, CounterValues, Driver, DriverConfig, FaultKind, Health, PreviewFrames,
    ScannerEvent, ScannerEvents,
};
pub use frame::{Frame, FrameError, PixelFormat, Repairs};
pub use hotplug::{HotplugEvent, HotplugTracker, Watcher};
pub use sim::{FrameFault, FrameSource, ImageFiles, SimConfig, SimHandle, Still};
