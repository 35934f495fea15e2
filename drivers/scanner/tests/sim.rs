//! The simulated camera on its own: it offers its modes, starts in the nearest one, paces
//! frames, films its source (the light visibly on or off), serves image files from a directory
//! in order, and produces each fault: frames without DHT, corrupt and truncated frames, a
//! stall, an unplug after which the old handle stays dead.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::{mean, quadrants};
use scanner::frame::mjpeg;
use scanner::sim::{FrameFault, ImageFiles, SimConfig, SimHandle, Still, test_page};
use scanner::{Camera, CameraError, Controls, Focus, FrameError, Mode, PixelFormat, Size};

fn sim() -> SimHandle {
    SimHandle::with_config(
        Box::new(Still::new(quadrants(320, 240))),
        SimConfig::small(),
    )
}

fn mode(format: PixelFormat, w: u32, h: u32) -> Mode {
    Mode {
        format,
        size: Size::new(w, h),
        interval: None,
    }
}

const WAIT: Duration = Duration::from_secs(2);

#[test]
fn frames_show_the_picture_with_the_light_on_and_dim_with_it_off() {
    let sim = sim();
    let mut cam = sim.camera();
    cam.open().unwrap();
    assert_eq!(cam.formats().unwrap(), SimConfig::small().modes);
    let actual = cam.start(mode(PixelFormat::Mjpeg, 320, 240)).unwrap();
    assert_eq!(actual.size, Size::new(320, 240));

    cam.set_light(true).unwrap();
    assert!(sim.light());
    let frame = cam.next_frame(WAIT).unwrap();
    assert_eq!(
        (frame.format, frame.width, frame.height),
        (PixelFormat::Mjpeg, 320, 240)
    );
    frame.check().unwrap();
    let rgb = frame.to_rgb8().unwrap();
    let red = mean(&rgb, 320, 200, 20, 300, 100);
    assert!((red[0] - 200.0).abs() < 10.0 && red[1] < 50.0, "{red:?}");

    cam.set_light(false).unwrap();
    let next = cam.next_frame(WAIT).unwrap();
    assert_eq!((frame.sequence, next.sequence), (0, 1));
    let dim = next.to_rgb8().unwrap();
    let white = mean(&dim, 320, 20, 20, 140, 100);
    assert!(white[0] < 120.0, "the light is off: {white:?}");
}

#[test]
fn yuyv_frames_are_exact_length_and_convert_back() {
    let sim = sim();
    let mut cam = sim.camera();
    cam.open().unwrap();
    cam.set_light(true).unwrap();
    let actual = cam.start(mode(PixelFormat::Yuyv, 160, 120)).unwrap();
    assert_eq!(actual.format, PixelFormat::Yuyv);
    let frame = cam.next_frame(WAIT).unwrap();
    assert_eq!(frame.data.len(), 160 * 120 * 2);
    let rgb = frame.to_rgb8().unwrap();
    let green = mean(&rgb, 160, 10, 70, 70, 110);
    assert!(green[1] > 140.0 && green[0] < 50.0, "{green:?}");
}

#[test]
fn start_takes_the_nearest_size_and_refuses_a_missing_format() {
    let sim = SimHandle::with_config(
        Box::new(Still::new(test_page(64, 48))),
        SimConfig {
            modes: vec![scanner::ModeInfo {
                format: PixelFormat::Mjpeg,
                size: Size::new(160, 120),
                intervals: vec![scanner::Interval::fps(50)],
            }],
            ..SimConfig::small()
        },
    );
    let mut cam = sim.camera();
    cam.open().unwrap();
    let actual = cam.start(mode(PixelFormat::Mjpeg, 4000, 3000)).unwrap();
    assert_eq!(actual.size, Size::new(160, 120));
    assert_eq!(actual.interval, Some(scanner::Interval::fps(50)));
    assert_eq!(
        cam.start(mode(PixelFormat::Yuyv, 160, 120)),
        Err(CameraError::NoUsableMode)
    );
}

#[test]
fn frames_are_paced_at_the_interval() {
    let sim = sim();
    let mut cam = sim.camera();
    cam.open().unwrap();
    cam.start(Mode {
        interval: Some(scanner::Interval::fps(25)),
        ..mode(PixelFormat::Mjpeg, 160, 120)
    })
    .unwrap();
    let start = Instant::now();
    for _ in 0..6 {
        cam.next_frame(WAIT).unwrap();
    }
    // six frames at 25 fps: the first at once, five intervals of 40 ms
    assert!(
        start.elapsed() >= Duration::from_millis(190),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn faults_damage_the_next_frames_once_each() {
    let sim = sim();
    let mut cam = sim.camera();
    cam.open().unwrap();
    cam.start(mode(PixelFormat::Mjpeg, 160, 120)).unwrap();
    sim.inject(FrameFault::Corrupt);
    sim.inject(FrameFault::Truncated);
    sim.inject(FrameFault::MissingDht);
    let corrupt = cam.next_frame(WAIT).unwrap();
    assert!(corrupt.check().is_err());
    let truncated = cam.next_frame(WAIT).unwrap();
    assert!(matches!(
        truncated.check(),
        Err(FrameError::Truncated { .. })
    ));
    let no_dht = cam.next_frame(WAIT).unwrap();
    assert!(!mjpeg::parse(&no_dht.data).unwrap().has_dht);
    let good = cam.next_frame(WAIT).unwrap();
    assert!(mjpeg::parse(&good.data).unwrap().has_dht);
    assert_eq!(sim.stats().faults, 3);

    sim.set_missing_dht(true);
    for _ in 0..3 {
        let f = cam.next_frame(WAIT).unwrap();
        assert!(!mjpeg::parse(&f.data).unwrap().has_dht);
        let (repaired, repairs) = f.repair().unwrap();
        assert!(repairs.dht_inserted);
        repaired.to_rgb8().unwrap();
    }
}

#[test]
fn a_stalled_stream_times_out_and_recovers() {
    let sim = sim();
    let mut cam = sim.camera();
    cam.open().unwrap();
    cam.start(mode(PixelFormat::Yuyv, 160, 120)).unwrap();
    sim.set_stalled(true);
    let wait = Duration::from_millis(60);
    assert_eq!(cam.next_frame(wait), Err(CameraError::Timeout(wait)));
    sim.set_stalled(false);
    cam.next_frame(WAIT).unwrap();
}

#[test]
fn an_unplugged_camera_stays_dead_until_reopened_and_forgets_its_settings() {
    let sim = sim();
    let mut cam = sim.camera();
    cam.open().unwrap();
    cam.set_light(true).unwrap();
    cam.set_focus(Focus::Manual(300)).unwrap();
    cam.start(mode(PixelFormat::Mjpeg, 160, 120)).unwrap();
    let before = sim.device();
    sim.unplug();
    assert_eq!(cam.next_frame(WAIT), Err(CameraError::Disconnected));
    assert_eq!(sim.camera().open(), Err(CameraError::NotFound));
    sim.plug();
    // the old handle is from before the unplug
    assert_eq!(cam.formats(), Err(CameraError::Disconnected));
    assert_ne!(sim.device().devnum, before.devnum);
    assert!(!sim.light());
    assert_eq!(sim.focus(), Focus::Auto);
    cam.open().unwrap();
    cam.start(mode(PixelFormat::Mjpeg, 160, 120)).unwrap();
    cam.next_frame(WAIT).unwrap();
    assert_eq!(sim.stats().opens, 2);
}

#[test]
fn controls_and_calls_before_open() {
    let sim = sim();
    let mut cam = sim.camera();
    assert_eq!(cam.next_frame(WAIT), Err(CameraError::NotStreaming));
    assert_eq!(cam.formats(), Err(CameraError::NotStreaming));
    cam.open().unwrap();
    assert_eq!(cam.next_frame(WAIT), Err(CameraError::NotStreaming));
    let caps = cam.control_caps();
    assert!(caps.light && caps.autofocus && caps.focus_trigger);
    assert_eq!(caps.focus_range, Some((0, 1023)));
    assert!(matches!(
        cam.set_focus(Focus::Manual(5000)),
        Err(CameraError::Unsupported(_))
    ));
    cam.set_focus(Focus::Once).unwrap();
    assert_eq!(sim.focus(), Focus::Once);
}

#[test]
fn image_files_are_served_in_order_and_wrap_around() {
    let dir = tempfile::tempdir().unwrap();
    let red = image::RgbImage::from_pixel(80, 60, image::Rgb([220, 20, 20]));
    let blue = image::RgbImage::from_pixel(80, 60, image::Rgb([20, 20, 220]));
    red.save(dir.path().join("a-page.png")).unwrap();
    std::fs::write(dir.path().join("b-card.jpg"), common::jpeg(&blue, 95)).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not an image").unwrap();
    let files = ImageFiles::from_dir(dir.path()).unwrap();
    assert!(files.current().ends_with("a-page.png"));
    let sim = SimHandle::with_config(Box::new(files), SimConfig::small());
    let mut cam = sim.camera();
    cam.open().unwrap();
    cam.set_light(true).unwrap();
    cam.start(mode(PixelFormat::Mjpeg, 160, 120)).unwrap();
    let colour = |cam: &mut scanner::sim::SimCamera| {
        let rgb = cam.next_frame(WAIT).unwrap().to_rgb8().unwrap();
        mean(&rgb, 160, 40, 30, 120, 90)
    };
    assert!(colour(&mut cam)[0] > 180.0);
    sim.advance();
    assert!(colour(&mut cam)[2] > 180.0);
    sim.advance();
    assert!(colour(&mut cam)[0] > 180.0);
}

#[test]
fn bad_sources_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert!(ImageFiles::from_dir(dir.path()).is_err());
    assert!(ImageFiles::from_dir(&dir.path().join("missing")).is_err());
    assert!(ImageFiles::new(vec![]).is_err());
    std::fs::write(dir.path().join("broken.jpg"), [0xFF, 0xD8, 0x00]).unwrap();
    let files = ImageFiles::from_dir(dir.path()).unwrap();
    let sim = SimHandle::with_config(Box::new(files), SimConfig::small());
    let mut cam = sim.camera();
    cam.open().unwrap();
    cam.start(mode(PixelFormat::Mjpeg, 160, 120)).unwrap();
    assert!(matches!(cam.next_frame(WAIT), Err(CameraError::Io(_))));
}

#[test]
fn the_test_page_is_a_light_page_on_a_darker_desk() {
    let page = test_page(400, 300);
    let rgb = page.as_raw();
    let desk = mean(rgb, 400, 0, 0, 20, 20);
    let paper = mean(rgb, 400, 150, 40, 160, 50);
    assert!(paper[0] > desk[0] + 100.0, "{paper:?} {desk:?}");
}
