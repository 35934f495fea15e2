//! Shared set-up: a small simulated camera, the real driver against it with fast timing, and
//! waits that end as soon as what they wait for happens (the 20 s limit only turns a hang into a
//! failure; no test asserts how long anything took).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use image::RgbImage;
use scanner::driver::{Driver, DriverConfig, PreviewFrames, ScannerEvent, ScannerEvents};
use scanner::sim::{SimConfig, SimHandle, Still, test_page};
use scanner::{Health, PreviewTarget};

/// A picture with a known colour in each quadrant, to check what comes out.
pub fn quadrants(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        match (x < width / 2, y < height / 2) {
            (true, true) => image::Rgb([240, 240, 240]),
            (false, true) => image::Rgb([200, 30, 30]),
            (true, false) => image::Rgb([30, 160, 40]),
            (false, false) => image::Rgb([20, 20, 20]),
        }
    })
}

/// A JPEG of `image` from the image crate's encoder (with its DHT segments).
pub fn jpeg(image: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

/// Timing for tests: scan every 20 ms, retry every 50 ms, stall after 400 ms, 20 ms poll,
/// preview ≤ 200 px wide at 25 fps, one settling frame, fault after 3 bad frames.
pub fn fast_config() -> DriverConfig {
    DriverConfig {
        preview: PreviewTarget {
            max_width: 200,
            fps: 25,
        },
        hotplug_interval: Duration::from_millis(20),
        reconnect_interval: Duration::from_millis(50),
        frame_timeout: Duration::from_millis(400),
        capture_timeout: Duration::from_secs(3),
        capture_skip: 1,
        bad_frames_fault: 3,
        poll: Duration::from_millis(20),
    }
}

/// A small simulated camera filming the test page.
pub fn small_sim() -> SimHandle {
    SimHandle::with_config(
        Box::new(Still::new(test_page(320, 240))),
        SimConfig::small(),
    )
}

/// The real driver against a simulated camera.
pub struct Bench {
    pub sim: SimHandle,
    pub driver: Driver,
    pub events: ScannerEvents,
    pub preview: PreviewFrames,
    pub seen: Vec<ScannerEvent>,
}

impl Bench {
    /// The driver against `sim`, waiting until it is Ready.
    pub fn with(sim: SimHandle, config: DriverConfig) -> Self {
        let (driver, events, preview) = Driver::spawn(Box::new(sim.connector()), config);
        let mut bench = Bench {
            sim,
            driver,
            events,
            preview,
            seen: Vec::new(),
        };
        bench.wait_for("Ready", is_health(Health::Ready));
        bench
    }

    /// The driver against a small simulated camera.
    pub fn new() -> Self {
        Self::with(small_sim(), fast_config())
    }

    /// Waits for an event matching `want`; returns it and the events before it.
    pub fn wait_for(
        &mut self,
        what: &str,
        want: impl Fn(&ScannerEvent) -> bool,
    ) -> (ScannerEvent, Vec<ScannerEvent>) {
        let (event, before) = wait_for(&mut self.events, what, want);
        self.seen.extend(before.iter().cloned());
        self.seen.push(event.clone());
        (event, before)
    }

    /// Waits for a preview frame newer than the one last looked at.
    pub fn next_preview(&mut self) -> Arc<scanner::Frame> {
        self.preview.mark_unchanged();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.preview.has_changed().unwrap_or(false)
                && let Some(frame) = self.preview.borrow_and_update().clone()
            {
                return frame;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        panic!("no preview frame; health {:?}", self.driver.health());
    }

    /// Takes a still and waits for its result.
    pub fn capture(&mut self) -> ScannerEvent {
        let id = self.driver.capture();
        let (event, _) = self.wait_for("the capture's result", move |e| {
            matches!(e, ScannerEvent::Captured { id: i, .. } | ScannerEvent::CaptureFailed { id: i, .. } if *i == id)
        });
        event
    }
}

/// Waits on `events` for one matching `want`; returns it and the events that came before.
pub fn wait_for(
    events: &mut ScannerEvents,
    what: &str,
    want: impl Fn(&ScannerEvent) -> bool,
) -> (ScannerEvent, Vec<ScannerEvent>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        match events.try_recv() {
            Ok(e) if want(&e) => return (e, seen),
            Ok(e) => seen.push(e),
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    panic!("no {what}; saw {seen:?}");
}

/// Waits until `cond` holds, polling.
pub fn wait_until(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if cond() {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("never: {what}");
}

pub fn is_health(h: Health) -> impl Fn(&ScannerEvent) -> bool {
    move |e| *e == ScannerEvent::Health(h)
}

pub fn is_connected(e: &ScannerEvent) -> bool {
    matches!(e, ScannerEvent::Connected(_))
}

/// Mean RGB of a rectangle of packed RGB8.
pub fn mean(rgb: &[u8], width: u32, x0: u32, y0: u32, x1: u32, y1: u32) -> [f64; 3] {
    let mut sum = [0f64; 3];
    let mut n = 0f64;
    for y in y0..y1 {
        for x in x0..x1 {
            let i = ((y * width + x) * 3) as usize;
            for c in 0..3 {
                sum[c] += f64::from(rgb[i + c]);
            }
            n += 1.0;
        }
    }
    sum.map(|s| s / n)
}
