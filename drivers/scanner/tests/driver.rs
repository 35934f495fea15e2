//! The real driver against the simulated camera: Ready with the camera described, a preview
//! in the preview mode, stills at full resolution (MJPEG and YUYV-only cameras), frames
//! without DHT repaired and counted, light and focus reaching the camera, a capture while no
//! camera is there failing at once, and the driver found through a fake sysfs tree.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use scanner::driver::{CameraDescription, ScannerEvent};
use scanner::frame::mjpeg;
use scanner::sim::{SimConfig, SimHandle, Still, test_page};
use scanner::{Focus, Health, PixelFormat, Size};

fn description(bench: &Bench) -> CameraDescription {
    bench
        .seen
        .iter()
        .find_map(|e| match e {
            ScannerEvent::Connected(d) => Some((**d).clone()),
            _ => None,
        })
        .unwrap()
}

#[test]
fn connecting_describes_the_camera_before_ready() {
    let bench = Bench::new();
    assert!(matches!(
        bench.seen[0],
        ScannerEvent::Health(Health::Disconnected)
    ));
    assert!(is_connected(&bench.seen[1]), "{:?}", bench.seen);
    assert_eq!(bench.seen[2], ScannerEvent::Health(Health::Ready));
    let d = description(&bench);
    assert_eq!(d.modes, SimConfig::small().modes);
    assert_eq!(
        (d.capture.format, d.capture.size),
        (PixelFormat::Mjpeg, Size::new(320, 240))
    );
    assert_eq!(
        (d.preview.format, d.preview.size),
        (PixelFormat::Mjpeg, Size::new(160, 120))
    );
    assert!(d.controls.light);
    assert_eq!(d.device.id, scanner::sim::SIM_ID);
    assert_eq!(bench.driver.health(), Health::Ready);
    assert_eq!(bench.driver.counters().reconnects, 0);
}

#[test]
fn the_preview_streams_small_frames_and_stops() {
    let mut bench = Bench::new();
    bench.driver.preview(true);
    let first = bench.next_preview();
    let second = bench.next_preview();
    assert_eq!((first.width, first.height), (160, 120));
    assert!(second.sequence > first.sequence);
    second.check().unwrap();
    bench.driver.preview(false);
    // stopped: no frame served for 150 ms (the stream ran at 25 fps)
    wait_until("the stream stopped", || {
        let before = bench.sim.stats().frames;
        std::thread::sleep(std::time::Duration::from_millis(150));
        bench.sim.stats().frames == before
    });
    assert!(bench.driver.counters().frames >= 2);
}

#[test]
fn a_still_is_full_resolution_even_during_the_preview() {
    let mut bench = Bench::new();
    bench.driver.preview(true);
    bench.next_preview();
    let ScannerEvent::Captured { frame, repairs, .. } = bench.capture() else {
        panic!("no still: {:?}", bench.seen);
    };
    assert_eq!(
        (frame.format, frame.width, frame.height),
        (PixelFormat::Mjpeg, 320, 240)
    );
    assert!(!repairs.dht_inserted);
    frame.to_rgb8().unwrap();
    // Busy while taking it, Ready after, and the preview comes back in its own mode
    assert!(bench.seen.contains(&ScannerEvent::Health(Health::Busy)));
    bench.wait_for("Ready", is_health(Health::Ready));
    let preview = bench.next_preview();
    assert_eq!(preview.width, 160);
    assert_eq!(bench.driver.counters().captures, 1);
}

#[test]
fn stills_without_preview_and_with_increasing_ids() {
    let mut bench = Bench::new();
    let a = bench.capture();
    let b = bench.capture();
    match (a, b) {
        (ScannerEvent::Captured { id: x, .. }, ScannerEvent::Captured { id: y, .. }) => {
            assert!(y > x)
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(bench.driver.counters().captures, 2);
}

#[test]
fn frames_without_dht_are_repaired_and_counted() {
    let mut bench = Bench::new();
    bench.sim.set_missing_dht(true);
    let ScannerEvent::Captured { frame, repairs, .. } = bench.capture() else {
        panic!("no still");
    };
    assert!(repairs.dht_inserted);
    let info = mjpeg::parse(&frame.data).unwrap();
    assert!(info.has_dht);
    frame.to_rgb8().unwrap();
    bench.driver.preview(true);
    let preview = bench.next_preview();
    assert!(mjpeg::parse(&preview.data).unwrap().has_dht);
    assert!(bench.driver.counters().dht_inserted >= 2);
}

#[test]
fn a_yuyv_only_camera_captures_in_yuyv() {
    let config = SimConfig {
        modes: vec![
            scanner::ModeInfo {
                format: PixelFormat::Yuyv,
                size: Size::new(320, 240),
                intervals: vec![scanner::Interval::fps(50)],
            },
            scanner::ModeInfo {
                format: PixelFormat::Yuyv,
                size: Size::new(160, 120),
                intervals: vec![scanner::Interval::fps(50)],
            },
        ],
        ..SimConfig::small()
    };
    let sim = SimHandle::with_config(Box::new(Still::new(test_page(320, 240))), config);
    let mut bench = Bench::with(sim, fast_config());
    let ScannerEvent::Captured { frame, .. } = bench.capture() else {
        panic!("no still");
    };
    assert_eq!((frame.format, frame.width), (PixelFormat::Yuyv, 320));
    assert_eq!(frame.data.len(), 320 * 240 * 2);
    bench.driver.preview(true);
    assert_eq!(bench.next_preview().width, 160);
}

#[test]
fn light_and_focus_reach_the_camera() {
    let mut bench = Bench::new();
    bench.driver.set_light(true);
    bench.driver.set_focus(Focus::Manual(400));
    wait_until("light on, focus set", || {
        bench.sim.light() && bench.sim.focus() == Focus::Manual(400)
    });
    bench.driver.set_light(false);
    wait_until("light off", || !bench.sim.light());
    // out of range: refused by the camera, reported, nothing else happens
    bench.driver.set_focus(Focus::Manual(99_999));
    bench.wait_for("the refusal", |e| {
        matches!(e, ScannerEvent::ControlFailed(_))
    });
    assert_eq!(bench.driver.health(), Health::Ready);
}

#[test]
fn a_capture_without_a_camera_fails_at_once() {
    let sim = small_sim();
    sim.unplug();
    let (driver, mut events, _preview) =
        scanner::Driver::spawn(Box::new(sim.connector()), fast_config());
    wait_for(&mut events, "Disconnected", is_health(Health::Disconnected));
    let id = driver.capture();
    let (event, _) = wait_for(&mut events, "the failure", |e| {
        matches!(e, ScannerEvent::CaptureFailed { .. })
    });
    assert_eq!(
        event,
        ScannerEvent::CaptureFailed {
            id,
            error: scanner::CameraError::NotFound
        }
    );
    assert_eq!(driver.counters().capture_failures, 1);
    // plugged in later: found without being asked
    sim.plug();
    wait_for(&mut events, "Ready", is_health(Health::Ready));
}

#[test]
fn dropping_the_driver_closes_the_camera() {
    let mut bench = Bench::new();
    bench.driver.preview(true);
    bench.next_preview();
    let Bench { sim, driver, .. } = bench;
    drop(driver);
    let served = sim.stats().frames;
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert_eq!(sim.stats().frames, served);
}
