//! Discovery on a fake sysfs tree laid out as the kernel does it: capture nodes of USB cameras
//! found with their ids and strings, metadata nodes and non-USB nodes left out, configured ids
//! ranked before the built-in table, excluded and unknown ids skipped; `VID:PID` parsing; the
//! known-model table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use scanner::discovery::{
    self, DiscoveryConfig, FakeCamera, FakeSysfs, KNOWN_MODELS, Role, Sysfs, UsbId,
};

fn cam(id: &str, usb_path: &str, node: u32, product: &str) -> FakeCamera {
    FakeCamera {
        id: id.parse().unwrap(),
        usb_path: usb_path.into(),
        devnum: 5,
        node,
        product: product.into(),
    }
}

#[test]
fn no_video4linux_at_all_is_an_empty_list() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        discovery::scan(dir.path(), Path::new("/dev")).unwrap(),
        vec![]
    );
}

#[test]
fn a_camera_is_found_with_its_ids_and_strings() {
    let dir = tempfile::tempdir().unwrap();
    let sys = FakeSysfs::new(dir.path()).unwrap();
    sys.add(&cam("0c45:6366", "1-1.2", 0, "高拍仪 Document Camera"))
        .unwrap();
    let found = discovery::scan(sys.root(), Path::new("/dev")).unwrap();
    assert_eq!(
        found.len(),
        1,
        "the metadata node video1 is left out: {found:?}"
    );
    let d = &found[0];
    assert_eq!(d.node, Path::new("/dev/video0"));
    assert_eq!(d.sys_name, "video0");
    assert_eq!(d.id, UsbId::new(0x0c45, 0x6366));
    assert_eq!(d.usb_path, "1-1.2");
    assert_eq!((d.bus, d.devnum), (1, 5));
    assert_eq!(d.name, "高拍仪 Document Camera");
    assert_eq!(d.product.as_deref(), Some("高拍仪 Document Camera"));
    assert_eq!(d.manufacturer.as_deref(), Some("Fake"));
    assert_eq!(d.serial, None);
}

#[test]
fn a_node_without_a_usb_device_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let sys = FakeSysfs::new(dir.path()).unwrap();
    // a platform camera: device -> a directory with no idVendor above it
    let platform = dir
        .path()
        .join("devices/platform/vivid.0/video4linux/video4");
    std::fs::create_dir_all(&platform).unwrap();
    std::fs::write(platform.join("name"), "vivid\n").unwrap();
    std::os::unix::fs::symlink("../..", platform.join("device")).unwrap();
    std::os::unix::fs::symlink(&platform, dir.path().join("class/video4linux/video4")).unwrap();
    // a dangling link (a node vanishing during the scan)
    std::os::unix::fs::symlink(
        dir.path().join("nowhere"),
        dir.path().join("class/video4linux/video9"),
    )
    .unwrap();
    sys.add(&cam("1d6b:0102", "2-1", 2, "UVC Camera")).unwrap();
    let found = discovery::scan(sys.root(), Path::new("/dev")).unwrap();
    assert_eq!(
        found
            .iter()
            .map(|d| d.sys_name.as_str())
            .collect::<Vec<_>>(),
        ["video2"]
    );
    assert_eq!(found[0].bus, 2);
}

#[test]
fn configured_ids_come_first_then_the_table_and_others_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let sys = FakeSysfs::new(dir.path()).unwrap();
    sys.add(&cam("1d6b:0102", "1-1", 0, "gadget")).unwrap(); // in the table (test role)
    sys.add(&cam("0c45:6366", "1-2", 2, "高拍仪")).unwrap(); // configured
    sys.add(&cam("046d:0825", "1-3", 4, "webcam")).unwrap(); // neither
    let config = DiscoveryConfig {
        ids: vec!["0c45:6366".parse().unwrap()],
        ..DiscoveryConfig::default()
    };
    let sysfs = Sysfs {
        sys: sys.root().to_path_buf(),
        dev: "/dev".into(),
        config,
    };
    let found = sysfs.find().unwrap();
    assert_eq!(
        found
            .iter()
            .map(|d| d.sys_name.as_str())
            .collect::<Vec<_>>(),
        ["video2", "video0"]
    );
    // only the configured id
    let only = discovery::find_cameras(
        sys.root(),
        Path::new("/dev"),
        &DiscoveryConfig::ids(["0c45:6366".parse().unwrap()]),
    )
    .unwrap();
    assert_eq!(only.len(), 1);
    // any UVC camera, minus an excluded face camera
    let any = DiscoveryConfig {
        any_uvc: true,
        exclude: vec!["046d:0825".parse().unwrap()],
        ..DiscoveryConfig::default()
    };
    let all = discovery::find_cameras(sys.root(), Path::new("/dev"), &any).unwrap();
    assert_eq!(all.len(), 2);
    // nothing configured, no table: nothing
    let none = DiscoveryConfig::ids([]);
    assert!(
        discovery::find_cameras(sys.root(), Path::new("/dev"), &none)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn two_configured_cameras_in_configured_order() {
    let dir = tempfile::tempdir().unwrap();
    let sys = FakeSysfs::new(dir.path()).unwrap();
    sys.add(&cam("aaaa:0001", "1-1", 0, "a")).unwrap();
    sys.add(&cam("bbbb:0002", "1-2", 2, "b")).unwrap();
    let config = DiscoveryConfig::ids(["bbbb:0002".parse().unwrap(), "aaaa:0001".parse().unwrap()]);
    let found = discovery::find_cameras(sys.root(), Path::new("/dev"), &config).unwrap();
    assert_eq!(
        found.iter().map(|d| d.id.to_string()).collect::<Vec<_>>(),
        ["bbbb:0002", "aaaa:0001"]
    );
}

#[test]
fn usb_ids_parse_like_lsusb_prints_them() {
    assert_eq!("0c45:6366".parse(), Ok(UsbId::new(0x0c45, 0x6366)));
    assert_eq!("0x1D6B:0x0102".parse(), Ok(UsbId::new(0x1d6b, 0x0102)));
    assert_eq!(" 1:2 ".parse(), Ok(UsbId::new(1, 2)));
    for bad in [
        "",
        "0c45",
        "0c45:",
        ":6366",
        "0c45:63666",
        "g000:0000",
        "0c45-6366",
    ] {
        assert!(bad.parse::<UsbId>().is_err(), "{bad:?}");
    }
    assert_eq!(UsbId::new(0x0c45, 0x6366).to_string(), "0c45:6366");
}

#[test]
fn the_known_table_has_no_duplicates_and_says_where_each_id_is_from() {
    let mut ids: Vec<UsbId> = KNOWN_MODELS.iter().map(|m| m.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), KNOWN_MODELS.len());
    for m in KNOWN_MODELS {
        assert!(!m.source.is_empty() && !m.name.is_empty(), "{m:?}");
    }
    assert!(KNOWN_MODELS.iter().any(|m| m.verified));
    let gadget = discovery::known_model(UsbId::new(0x1d6b, 0x0102)).unwrap();
    assert_eq!(gadget.role, Role::Test);
    // face cameras are never taken, even from the table
    let config = DiscoveryConfig::default();
    for m in KNOWN_MODELS {
        assert_eq!(config.rank(m.id).is_some(), m.role != Role::Face);
    }
}
