//! The V4L2 camera without a camera: what can be checked on a machine with no video device.
//! Opening a missing node is `NotFound`; opening something that is not a V4L2 device is an
//! error, not a panic; calls before `open` are refused; a panic inside the library is caught.
//! Streaming from a real camera is not tested here (README, "What is not tested").
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use scanner::capture::{LightControl, V4l2Camera, guarded};
use scanner::{Camera, CameraError, Controls, Focus, Mode, PixelFormat, Size};

#[test]
fn a_missing_node_is_not_found() {
    let mut cam = V4l2Camera::new("/dev/video-does-not-exist", LightControl::None);
    assert_eq!(cam.open(), Err(CameraError::NotFound));
}

#[test]
fn a_file_that_is_not_a_video_device_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("video0");
    std::fs::write(&file, b"not a device").unwrap();
    let mut cam = V4l2Camera::new(&file, LightControl::None);
    let err = cam.open().unwrap_err();
    assert!(matches!(err, CameraError::Io(_)), "{err:?}");
    let mut null = V4l2Camera::new("/dev/null", LightControl::None);
    assert!(null.open().is_err());
}

#[test]
fn calls_before_open_are_refused() {
    let mut cam = V4l2Camera::new("/dev/null", LightControl::None);
    assert_eq!(cam.formats(), Err(CameraError::NotStreaming));
    let mode = Mode {
        format: PixelFormat::Mjpeg,
        size: Size::new(640, 480),
        interval: None,
    };
    assert_eq!(cam.start(mode), Err(CameraError::NotStreaming));
    assert_eq!(
        cam.next_frame(Duration::from_millis(1)),
        Err(CameraError::NotStreaming)
    );
    assert_eq!(cam.stop(), Ok(()));
    assert_eq!(cam.control_caps(), scanner::ControlCaps::default());
    assert_eq!(cam.set_light(true), Err(CameraError::Unsupported("light")));
    assert_eq!(cam.set_focus(Focus::Auto), Err(CameraError::NotStreaming));
    cam.close();
}

#[test]
fn a_panic_in_the_library_is_an_error() {
    let result: Result<(), CameraError> = guarded("test", || panic!("byte_array_to_str"));
    assert_eq!(
        result,
        Err(CameraError::Library("test: byte_array_to_str".into()))
    );
}

#[test]
fn the_system_sysfs_scans_without_error() {
    // on a machine with no camera: an empty list, not an error
    let found = scanner::Sysfs::system(scanner::DiscoveryConfig::default())
        .find()
        .unwrap();
    for d in found {
        assert!(d.node.starts_with("/dev"));
    }
}
