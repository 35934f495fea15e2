//! Fault class: unplug and replug seen through sysfs. The driver finds its camera by VID:PID
//! in a fake sysfs tree (the real discovery and hotplug code) and opens the simulated camera
//! for it; removing the device directories disconnects it at once, adding them back (a new
//! USB device number) reopens it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use scanner::discovery::{DiscoveryConfig, FakeCamera, FakeSysfs, Sysfs};
use scanner::driver::{FnConnector, ScannerEvent};
use scanner::{Camera, Driver, Health};

#[test]
fn the_driver_follows_the_camera_in_and_out_of_sysfs() {
    let dir = tempfile::tempdir().unwrap();
    let tree = FakeSysfs::new(dir.path()).unwrap();
    let mut fake = FakeCamera {
        id: "0c45:6366".parse().unwrap(),
        usb_path: "1-1.4".into(),
        devnum: 7,
        node: 2,
        product: "高拍仪".into(),
    };
    let sysfs = Sysfs {
        sys: tree.root().to_path_buf(),
        dev: "/dev".into(),
        config: DiscoveryConfig::ids([fake.id]),
    };
    let sim = small_sim();
    let cameras = sim.clone();
    let connector = FnConnector {
        scan: move || sysfs.find(),
        camera: move |_: &scanner::VideoDevice| -> Box<dyn Camera> { Box::new(cameras.camera()) },
    };
    let (driver, mut events, _preview) = Driver::spawn(Box::new(connector), fast_config());
    wait_for(&mut events, "Disconnected", is_health(Health::Disconnected));

    tree.add(&fake).unwrap();
    let (event, _) = wait_for(&mut events, "the camera", is_connected);
    let ScannerEvent::Connected(desc) = event else {
        unreachable!()
    };
    assert_eq!(desc.device.sys_name, "video2");
    assert_eq!(desc.device.node, std::path::Path::new("/dev/video2"));
    wait_for(&mut events, "Ready", is_health(Health::Ready));

    // gone from sysfs: closed at once, even though the simulator itself is still "plugged"
    tree.remove(&fake).unwrap();
    wait_for(&mut events, "Disconnected", is_health(Health::Disconnected));

    fake.devnum = 8;
    tree.add(&fake).unwrap();
    let (event, _) = wait_for(&mut events, "the camera again", is_connected);
    let ScannerEvent::Connected(desc) = event else {
        unreachable!()
    };
    assert_eq!(desc.device.devnum, 8);
    wait_for(&mut events, "Ready", is_health(Health::Ready));
    assert_eq!(driver.counters().reconnects, 1);
    assert_eq!(sim.stats().opens, 2);
}
