//! Hotplug: the tracker's added/removed events (a quick replug with a new USB device number is
//! both), and the polling watcher on a fake sysfs tree where cameras are added and removed as
//! directories.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::time::Duration;

use scanner::discovery::{DiscoveryConfig, FakeCamera, FakeSysfs, Sysfs, UsbId, VideoDevice};
use scanner::hotplug::{HotplugEvent, HotplugTracker, Watcher};

fn device(node: u32, devnum: u32) -> VideoDevice {
    VideoDevice {
        node: PathBuf::from(format!("/dev/video{node}")),
        sys_name: format!("video{node}"),
        name: "cam".into(),
        id: UsbId::new(0x1d6b, 0x0102),
        usb_path: "1-1".into(),
        bus: 1,
        devnum,
        manufacturer: None,
        product: None,
        serial: None,
    }
}

#[test]
fn the_tracker_reports_changes_only() {
    let mut t = HotplugTracker::new();
    assert_eq!(t.update(vec![]), vec![]);
    assert_eq!(
        t.update(vec![device(0, 5)]),
        vec![HotplugEvent::Added(device(0, 5))]
    );
    assert_eq!(t.update(vec![device(0, 5)]), vec![]);
    assert!(t.contains(&device(0, 5)));
    // replugged between two scans: new device number
    assert_eq!(
        t.update(vec![device(0, 6)]),
        vec![
            HotplugEvent::Removed(device(0, 5)),
            HotplugEvent::Added(device(0, 6))
        ]
    );
    assert_eq!(t.update(vec![]), vec![HotplugEvent::Removed(device(0, 6))]);
    assert_eq!(t.devices().count(), 0);
}

fn next(rx: &Receiver<HotplugEvent>) -> HotplugEvent {
    rx.recv_timeout(Duration::from_secs(10))
        .expect("a hotplug event")
}

#[test]
fn the_watcher_sees_cameras_come_and_go_in_sysfs() {
    let dir = tempfile::tempdir().unwrap();
    let sys = FakeSysfs::new(dir.path()).unwrap();
    let mut cam = FakeCamera {
        id: UsbId::new(0x1d6b, 0x0102),
        usb_path: "1-1".into(),
        devnum: 3,
        node: 0,
        product: "gadget".into(),
    };
    sys.add(&cam).unwrap();
    let sysfs = Sysfs {
        sys: sys.root().to_path_buf(),
        dev: "/dev".into(),
        config: DiscoveryConfig::default(),
    };
    let (_watcher, rx) = Watcher::spawn(sysfs, Duration::from_millis(10));
    let HotplugEvent::Added(first) = next(&rx) else {
        panic!("the camera present at start is added");
    };
    assert_eq!(first.sys_name, "video0");

    sys.remove(&cam).unwrap();
    assert_eq!(next(&rx), HotplugEvent::Removed(first.clone()));

    cam.devnum = 4;
    sys.add(&cam).unwrap();
    let HotplugEvent::Added(again) = next(&rx) else {
        panic!("replugged");
    };
    assert_eq!(again.devnum, 4);

    // a camera not matching the configuration is never reported
    let other = FakeCamera {
        id: UsbId::new(0x046d, 0x0825),
        usb_path: "1-2".into(),
        devnum: 9,
        node: 2,
        product: "webcam".into(),
    };
    sys.add(&other).unwrap();
    sys.remove(&cam).unwrap();
    assert_eq!(next(&rx), HotplugEvent::Removed(again));
    assert!(rx.recv_timeout(Duration::from_millis(100)).is_err());
}

#[test]
fn dropping_the_watcher_ends_its_channel() {
    let dir = tempfile::tempdir().unwrap();
    FakeSysfs::new(dir.path()).unwrap();
    let sysfs = Sysfs {
        sys: dir.path().to_path_buf(),
        dev: "/dev".into(),
        config: DiscoveryConfig::default(),
    };
    let (watcher, rx) = Watcher::spawn(sysfs, Duration::from_millis(10));
    drop(watcher);
    assert!(rx.recv_timeout(Duration::from_secs(5)).is_err());
}
