//! Finding document cameras: every V4L2 capture node of a USB device, read from sysfs, matched
//! by USB VID:PID against the configured ids and the table of known models.
//!
//! The kernel lists video nodes in `{sys}/class/video4linux/videoN`; each node's `device`
//! link points at the USB interface the uvcvideo driver bound, whose parent directory is the
//! USB device with `idVendor`, `idProduct`, `manufacturer`, `product`, `serial`, `busnum` and
//! `devnum`. The sysfs root is a parameter, so the tests run against a fake tree in a
//! temporary directory ([`FakeSysfs`]).
//!
//! Since Linux 4.16 uvcvideo makes two nodes per camera: `index` 0 captures video, `index` 1
//! carries UVC metadata. Only index-0 nodes are listed. No USB library is involved: the kernel
//! already did the enumeration, and V4L2 is how the frames come anyway (README, "Why no USB
//! library").

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A USB vendor and product id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UsbId {
    /// `idVendor`.
    pub vendor: u16,
    /// `idProduct`.
    pub product: u16,
}

impl UsbId {
    /// An id.
    pub const fn new(vendor: u16, product: u16) -> Self {
        UsbId { vendor, product }
    }
}

impl fmt::Display for UsbId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04x}:{:04x}", self.vendor, self.product)
    }
}

/// A `VID:PID` that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a USB id `VID:PID` in hex (like 0c45:6366): {0:?}")]
pub struct UsbIdError(pub String);

impl FromStr for UsbId {
    type Err = UsbIdError;

    /// `VID:PID` in hex, as `lsusb` prints it (`0c45:6366`; an `0x` prefix is allowed).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || UsbIdError(s.to_owned());
        let (v, p) = s.trim().split_once(':').ok_or_else(err)?;
        let hex = |t: &str| {
            let t = t.trim();
            let t = t
                .strip_prefix("0x")
                .or_else(|| t.strip_prefix("0X"))
                .unwrap_or(t);
            if t.is_empty() || t.len() > 4 {
                return None;
            }
            u16::from_str_radix(t, 16).ok()
        };
        Ok(UsbId {
            vendor: hex(v).ok_or_else(err)?,
            product: hex(p).ok_or_else(err)?,
        })
    }
}

/// What a known device is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A document camera (高拍仪 main camera, visualiser).
    Document,
    /// A face / portrait camera (the second camera of dual-camera 高拍仪 and of many 一体机):
    /// never taken as the document camera.
    Face,
    /// Not a document camera but a stand-in for bring-up: a Linux board running the UVC
    /// gadget.
    Test,
}

/// A row of the table of known cameras.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownModel {
    /// USB id.
    pub id: UsbId,
    /// Maker and model.
    pub name: &'static str,
    /// What it is for.
    pub role: Role,
    /// Whether the id is confirmed from a source we could check; `false` rows are leads only.
    pub verified: bool,
    /// Where the id comes from.
    pub source: &'static str,
}

/// Document cameras known by USB id. Short on purpose: the ids of Chinese 高拍仪 (良田/Eloam,
/// 紫光, 汉王, 方正, 捷宇 …) could not be confirmed from any source reachable while this was
/// written, and a guessed id could select the kiosk's face camera; the terminal's own camera
/// goes into the configuration (`DiscoveryConfig::ids`, from `lsusb` on site). See the README.
pub const KNOWN_MODELS: &[KnownModel] = &[
    KnownModel {
        id: UsbId::new(0x09a1, 0x0028),
        name: "ELMO L-12F document camera",
        role: Role::Document,
        verified: true,
        source: "Linux drivers/usb/core/quirks.c (USB_QUIRK_DELAY_CTRL_MSG entry)",
    },
    KnownModel {
        id: UsbId::new(0x0839, 0x1012),
        name: "Samsung Techwin 6500 Document Camera",
        role: Role::Document,
        verified: false,
        source: "usb.ids 2025.07.26 (name only; UVC support not confirmed)",
    },
    KnownModel {
        id: UsbId::new(0x1d6b, 0x0102),
        name: "Linux UVC webcam gadget (g_webcam / uvc-gadget)",
        role: Role::Test,
        verified: true,
        source: "Linux drivers/usb/gadget/legacy/webcam.c (WEBCAM_VENDOR_ID/PRODUCT_ID)",
    },
];

/// The known model with this id, if any.
pub fn known_model(id: UsbId) -> Option<&'static KnownModel> {
    KNOWN_MODELS.iter().find(|m| m.id == id)
}

/// Which devices count as the document camera.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoveryConfig {
    /// Ids of the terminal's document camera, most wanted first (from the kiosk's
    /// configuration). They come before the built-in table.
    pub ids: Vec<UsbId>,
    /// Also take the [`KNOWN_MODELS`] whose role is document or test.
    pub builtin: bool,
    /// Take any USB video capture device (bring-up only: it may pick the face camera).
    pub any_uvc: bool,
    /// Never take these (a face camera with a known id).
    pub exclude: Vec<UsbId>,
}

impl Default for DiscoveryConfig {
    /// No configured ids, the built-in table, no catch-all.
    fn default() -> Self {
        DiscoveryConfig {
            ids: Vec::new(),
            builtin: true,
            any_uvc: false,
            exclude: Vec::new(),
        }
    }
}

impl DiscoveryConfig {
    /// Only these ids.
    pub fn ids(ids: impl IntoIterator<Item = UsbId>) -> Self {
        DiscoveryConfig {
            ids: ids.into_iter().collect(),
            builtin: false,
            any_uvc: false,
            exclude: Vec::new(),
        }
    }

    /// The rank of a device (lower first), or `None` when it is not taken.
    pub fn rank(&self, id: UsbId) -> Option<usize> {
        if self.exclude.contains(&id) {
            return None;
        }
        if let Some(at) = self.ids.iter().position(|&i| i == id) {
            return Some(at);
        }
        if self.builtin
            && let Some(at) = KNOWN_MODELS
                .iter()
                .position(|m| m.id == id && m.role != Role::Face)
        {
            return Some(self.ids.len() + at);
        }
        if self.any_uvc {
            return Some(self.ids.len() + KNOWN_MODELS.len());
        }
        None
    }
}

/// A V4L2 capture node of a USB device.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VideoDevice {
    /// The device file (`/dev/video0`).
    pub node: PathBuf,
    /// The sysfs name (`video0`).
    pub sys_name: String,
    /// The V4L2 name (sysfs `name`: the USB product string, cut to 31 bytes by the kernel).
    pub name: String,
    /// USB id.
    pub id: UsbId,
    /// The USB port path (`1-1.2`): the same for as long as the camera stays in that port.
    pub usb_path: String,
    /// USB bus number.
    pub bus: u32,
    /// USB device number on the bus: new at every plug-in, so a quick replug is a new device.
    pub devnum: u32,
    /// USB manufacturer string.
    pub manufacturer: Option<String>,
    /// USB product string.
    pub product: Option<String>,
    /// USB serial number string.
    pub serial: Option<String>,
}

impl VideoDevice {
    /// The known model of this device, if its id is in the table.
    pub fn model(&self) -> Option<&'static KnownModel> {
        known_model(self.id)
    }

    /// The number in `videoN` (for ordering; `u32::MAX` if there is none).
    pub fn node_number(&self) -> u32 {
        self.sys_name
            .trim_start_matches("video")
            .parse()
            .unwrap_or(u32::MAX)
    }
}

fn read_text(path: &Path) -> Option<String> {
    let bytes = fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

fn read_hex(path: &Path) -> Option<u16> {
    u16::from_str_radix(&read_text(path)?, 16).ok()
}

fn read_u32(path: &Path) -> Option<u32> {
    read_text(path)?.parse().ok()
}

/// Every capture node (index 0) of a USB device under `sys` (`/sys` on a terminal), with
/// device files under `dev` (`/dev`). No video4linux class at all is an empty list.
pub fn scan(sys: &Path, dev: &Path) -> io::Result<Vec<VideoDevice>> {
    let class = sys.join("class/video4linux");
    let entries = match fs::read_dir(&class) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry?;
        let sys_name = entry.file_name().to_string_lossy().into_owned();
        if !sys_name.starts_with("video") {
            continue;
        }
        let node_dir = entry.path();
        // a node without `index` is an older kernel's only node
        if read_u32(&node_dir.join("index")).unwrap_or(0) != 0 {
            continue;
        }
        // a node may vanish between read_dir and here (unplug): skip it
        let Ok(interface) = fs::canonicalize(node_dir.join("device")) else {
            continue;
        };
        let usb_device = if interface.join("idVendor").exists() {
            interface
        } else {
            match interface.parent() {
                Some(parent) if parent.join("idVendor").exists() => parent.to_path_buf(),
                _ => continue, // not USB (platform camera, vivid, v4l2loopback)
            }
        };
        let (Some(vendor), Some(product)) = (
            read_hex(&usb_device.join("idVendor")),
            read_hex(&usb_device.join("idProduct")),
        ) else {
            continue;
        };
        found.push(VideoDevice {
            node: dev.join(&sys_name),
            name: read_text(&node_dir.join("name")).unwrap_or_default(),
            sys_name,
            id: UsbId { vendor, product },
            usb_path: usb_device
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            bus: read_u32(&usb_device.join("busnum")).unwrap_or(0),
            devnum: read_u32(&usb_device.join("devnum")).unwrap_or(0),
            manufacturer: read_text(&usb_device.join("manufacturer")),
            product: read_text(&usb_device.join("product")),
            serial: read_text(&usb_device.join("serial")),
        });
    }
    found.sort_by_key(|d| (d.node_number(), d.sys_name.clone()));
    Ok(found)
}

/// The document cameras among `devices`, best first (configured ids in their order, then the
/// table's, then any other when `any_uvc`; by node number within a rank).
pub fn select(devices: Vec<VideoDevice>, config: &DiscoveryConfig) -> Vec<VideoDevice> {
    let mut ranked: Vec<(usize, VideoDevice)> = devices
        .into_iter()
        .filter_map(|d| config.rank(d.id).map(|r| (r, d)))
        .collect();
    ranked.sort_by_key(|(rank, d)| (*rank, d.node_number()));
    ranked.into_iter().map(|(_, d)| d).collect()
}

/// Scans and selects: the document cameras plugged in now, best first.
pub fn find_cameras(
    sys: &Path,
    dev: &Path,
    config: &DiscoveryConfig,
) -> io::Result<Vec<VideoDevice>> {
    Ok(select(scan(sys, dev)?, config))
}

/// Where to look, and for what: sysfs and `/dev` roots and the matching rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sysfs {
    /// The sysfs root (`/sys`).
    pub sys: PathBuf,
    /// The device-file root (`/dev`).
    pub dev: PathBuf,
    /// Which devices count.
    pub config: DiscoveryConfig,
}

impl Sysfs {
    /// The real `/sys` and `/dev`.
    pub fn system(config: DiscoveryConfig) -> Self {
        Sysfs {
            sys: PathBuf::from("/sys"),
            dev: PathBuf::from("/dev"),
            config,
        }
    }

    /// The document cameras plugged in now, best first.
    pub fn find(&self) -> io::Result<Vec<VideoDevice>> {
        find_cameras(&self.sys, &self.dev, &self.config)
    }
}

/// A fake sysfs tree in a directory, laid out as the kernel does it (real symlinks from
/// `class/video4linux/videoN` into `devices/…/usbB/B-P/B-P:1.0/video4linux/videoN`), for tests
/// of discovery and hotplug here and in the app.
#[derive(Debug, Clone)]
pub struct FakeSysfs {
    root: PathBuf,
}

/// One camera to put into a [`FakeSysfs`].
#[derive(Debug, Clone)]
pub struct FakeCamera {
    /// USB id.
    pub id: UsbId,
    /// Port path (`1-1`, `1-1.2`); the bus number is its part before the dash.
    pub usb_path: String,
    /// USB device number.
    pub devnum: u32,
    /// The first node number; a second node (metadata, index 1) follows it.
    pub node: u32,
    /// Product string (also the V4L2 name).
    pub product: String,
}

impl FakeSysfs {
    /// An empty tree (with `class/video4linux`) under `root`.
    pub fn new(root: impl Into<PathBuf>) -> io::Result<Self> {
        let root = root.into();
        fs::create_dir_all(root.join("class/video4linux"))?;
        Ok(FakeSysfs { root })
    }

    /// The sysfs root to pass to [`scan`].
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn usb_dir(&self, cam: &FakeCamera) -> PathBuf {
        let bus = cam.usb_path.split('-').next().unwrap_or("1");
        self.root
            .join("devices/pci0000:00/0000:00:14.0")
            .join(format!("usb{bus}"))
            .join(&cam.usb_path)
    }

    /// Plugs a camera in: its USB device, interface, a capture node and a metadata node.
    pub fn add(&self, cam: &FakeCamera) -> io::Result<()> {
        let usb = self.usb_dir(cam);
        let interface = usb.join(format!("{}:1.0", cam.usb_path));
        fs::create_dir_all(&interface)?;
        let bus = cam.usb_path.split('-').next().unwrap_or("1");
        for (file, text) in [
            ("idVendor", format!("{:04x}", cam.id.vendor)),
            ("idProduct", format!("{:04x}", cam.id.product)),
            ("busnum", bus.to_owned()),
            ("devnum", cam.devnum.to_string()),
            ("manufacturer", "Fake".to_owned()),
            ("product", cam.product.clone()),
        ] {
            fs::write(usb.join(file), format!("{text}\n"))?;
        }
        fs::write(interface.join("bInterfaceClass"), "0e\n")?;
        for (n, index) in [(cam.node, 0), (cam.node + 1, 1)] {
            let name = format!("video{n}");
            let node_dir = interface.join("video4linux").join(&name);
            fs::create_dir_all(&node_dir)?;
            fs::write(node_dir.join("name"), format!("{}\n", cam.product))?;
            fs::write(node_dir.join("index"), format!("{index}\n"))?;
            fs::write(node_dir.join("dev"), format!("81:{n}\n"))?;
            let device_link = node_dir.join("device");
            if device_link.symlink_metadata().is_err() {
                std::os::unix::fs::symlink("../..", &device_link)?;
            }
            let class_link = self.root.join("class/video4linux").join(&name);
            let _ = fs::remove_file(&class_link);
            std::os::unix::fs::symlink(&node_dir, &class_link)?;
        }
        Ok(())
    }

    /// Unplugs a camera: its class links and its USB device directory go.
    pub fn remove(&self, cam: &FakeCamera) -> io::Result<()> {
        for n in [cam.node, cam.node + 1] {
            let link = self.root.join(format!("class/video4linux/video{n}"));
            match fs::remove_file(&link) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        match fs::remove_dir_all(self.usb_dir(cam)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}
