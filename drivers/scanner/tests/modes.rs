//! Mode choice: stills in the largest MJPEG size (YUYV only when there is no MJPEG) at the
//! fastest rate there; the preview in the largest size under the width limit at the slowest
//! rate that still reaches the target; stepwise size ranges; intervals.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use scanner::camera::{COMMON_SIZES, stepwise_sizes};
use scanner::{
    Interval, Mode, ModeInfo, PixelFormat, PreviewTarget, Size, capture_mode, preview_mode,
};

fn m(format: PixelFormat, w: u32, h: u32, fps: &[u32]) -> ModeInfo {
    ModeInfo {
        format,
        size: Size::new(w, h),
        intervals: fps.iter().map(|&f| Interval::fps(f)).collect(),
    }
}

use PixelFormat::{Mjpeg, Yuyv};

fn camera_5mp() -> Vec<ModeInfo> {
    vec![
        m(Yuyv, 640, 480, &[30, 15]),
        m(Yuyv, 2592, 1944, &[2]),
        m(Mjpeg, 640, 480, &[30, 15, 5]),
        m(Mjpeg, 1280, 960, &[15, 10, 5]),
        m(Mjpeg, 2592, 1944, &[5, 3]),
        m(Mjpeg, 1920, 1080, &[15]),
    ]
}

#[test]
fn stills_use_the_largest_mjpeg_size_at_its_fastest_rate() {
    assert_eq!(
        capture_mode(&camera_5mp()),
        Some(Mode {
            format: Mjpeg,
            size: Size::new(2592, 1944),
            interval: Some(Interval::fps(5)),
        })
    );
}

#[test]
fn stills_fall_back_to_yuyv_only_without_mjpeg() {
    let yuyv_only = vec![m(Yuyv, 640, 480, &[30]), m(Yuyv, 1600, 1200, &[])];
    assert_eq!(
        capture_mode(&yuyv_only),
        Some(Mode {
            format: Yuyv,
            size: Size::new(1600, 1200),
            interval: None,
        })
    );
    assert_eq!(capture_mode(&[]), None);
}

#[test]
fn the_preview_is_the_largest_size_under_the_limit_at_the_target_rate() {
    let target = PreviewTarget {
        max_width: 1280,
        fps: 10,
    };
    assert_eq!(
        preview_mode(&camera_5mp(), target),
        Some(Mode {
            format: Mjpeg,
            size: Size::new(1280, 960),
            interval: Some(Interval::fps(10)),
        })
    );
    // a target rate no interval matches: the slowest one above it
    let target = PreviewTarget {
        max_width: 700,
        fps: 12,
    };
    assert_eq!(
        preview_mode(&camera_5mp(), target),
        Some(Mode {
            format: Mjpeg,
            size: Size::new(640, 480),
            interval: Some(Interval::fps(15)),
        })
    );
    // faster than offered: the fastest
    let target = PreviewTarget {
        max_width: 1280,
        fps: 60,
    };
    assert_eq!(
        preview_mode(&camera_5mp(), target).unwrap().interval,
        Some(Interval::fps(15))
    );
}

#[test]
fn a_camera_without_small_sizes_previews_in_its_smallest() {
    let big = vec![m(Mjpeg, 3264, 2448, &[5]), m(Yuyv, 1600, 1200, &[3])];
    let mode = preview_mode(&big, PreviewTarget::default()).unwrap();
    assert_eq!((mode.format, mode.size), (Yuyv, Size::new(1600, 1200)));
    assert_eq!(preview_mode(&[], PreviewTarget::default()), None);
}

#[test]
fn on_a_tie_the_preview_prefers_mjpeg() {
    let tie = vec![m(Yuyv, 640, 480, &[30]), m(Mjpeg, 640, 480, &[30])];
    assert_eq!(
        preview_mode(&tie, PreviewTarget::default()).unwrap().format,
        Mjpeg
    );
}

#[test]
fn stepwise_ranges_offer_the_ends_and_common_sizes_on_the_grid() {
    let sizes = stepwise_sizes(Size::new(160, 120), Size::new(1920, 1080), Size::new(16, 8));
    assert_eq!(sizes.first(), Some(&Size::new(160, 120)));
    assert_eq!(sizes.last(), Some(&Size::new(1920, 1080)));
    assert!(sizes.contains(&Size::new(640, 480)));
    assert!(sizes.contains(&Size::new(1280, 720)));
    assert!(sizes.contains(&Size::new(1280, 960)));
    // 1600x1200 exceeds the height
    assert!(!sizes.contains(&Size::new(1600, 1200)));
    // a coarse grid keeps only sizes on it
    let coarse = stepwise_sizes(
        Size::new(100, 100),
        Size::new(2000, 2000),
        Size::new(300, 300),
    );
    for s in &coarse[1..coarse.len() - 1] {
        assert!(COMMON_SIZES.contains(s));
        assert_eq!((s.width - 100) % 300, 0, "{s}");
    }
}

#[test]
fn intervals() {
    assert_eq!(Interval::fps(10).duration(), Duration::from_millis(100));
    assert_eq!(Interval::fps(10).frames_per_second(), 10.0);
    let odd = Interval {
        numerator: 1001,
        denominator: 30000,
    };
    assert!((odd.frames_per_second() - 29.97).abs() < 0.01);
    let zero = Interval {
        numerator: 1,
        denominator: 0,
    };
    assert_eq!(zero.frames_per_second(), 0.0);
    assert_eq!(zero.duration(), Duration::from_secs(1));
    assert_eq!(
        Mode {
            format: Mjpeg,
            size: Size::new(640, 480),
            interval: Some(Interval::fps(15))
        }
        .to_string(),
        "MJPEG 640x480 @ 15.0 fps"
    );
}
