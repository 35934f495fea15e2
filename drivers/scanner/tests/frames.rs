//! Frame-level checks: sizes and limits, YUYV lengths, YUYV frames to RGB and luma, RGB back
//! to YUYV, decoding to an image; a damaged frame of either format is an error value.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{jpeg, mean, quadrants};
use scanner::frame::{self, MAX_DIMENSION, check_dimensions, yuyv};
use scanner::{Frame, FrameError, PixelFormat};

#[test]
fn sizes_are_checked() {
    use PixelFormat::{Mjpeg, Yuyv};
    assert!(check_dimensions(Mjpeg, 1, 1).is_ok());
    assert!(check_dimensions(Mjpeg, 4608, 3456).is_ok());
    assert!(check_dimensions(Mjpeg, 3, 3).is_ok());
    let bad = |w, h| FrameError::BadDimensions {
        width: w,
        height: h,
    };
    assert_eq!(check_dimensions(Yuyv, 3, 3), Err(bad(3, 3)));
    assert_eq!(check_dimensions(Mjpeg, 0, 10), Err(bad(0, 10)));
    assert_eq!(check_dimensions(Mjpeg, 10, 0), Err(bad(10, 0)));
    assert_eq!(
        check_dimensions(Mjpeg, MAX_DIMENSION + 1, 8),
        Err(bad(MAX_DIMENSION + 1, 8))
    );
    // each side allowed, the product over 64 Mpx
    assert_eq!(
        check_dimensions(Mjpeg, MAX_DIMENSION, MAX_DIMENSION),
        Err(bad(MAX_DIMENSION, MAX_DIMENSION))
    );
    assert_eq!(frame::frame_len(Yuyv, 640, 480), Ok(Some(614_400)));
    assert_eq!(frame::frame_len(Mjpeg, 640, 480), Ok(None));
}

#[test]
fn yuyv_lengths_are_exact() {
    let frame = |n| Frame::new(PixelFormat::Yuyv, 4, 2, vec![128; n], 0);
    assert_eq!(frame(16).check(), Ok(()));
    for n in [0, 15, 17, 32] {
        assert_eq!(
            frame(n).check(),
            Err(FrameError::YuyvLength {
                width: 4,
                height: 2,
                expected: 16,
                got: n
            })
        );
        assert!(frame(n).to_rgb8().is_err());
        assert!(frame(n).repair().is_err());
    }
}

#[test]
fn a_yuyv_frame_converts_pair_by_pair() {
    // black, white | red-ish pair sharing U/V of document row Y4
    let data = [16, 128, 235, 128, 82, 90, 82, 240];
    let rgb = yuyv::to_rgb8(4, 1, &data).unwrap();
    assert_eq!(rgb, [0, 0, 0, 255, 255, 255, 255, 1, 0, 255, 1, 0]);
    assert_eq!(yuyv::to_luma(4, 1, &data).unwrap(), [16, 235, 82, 82]);
    let frame = Frame::new(PixelFormat::Yuyv, 4, 1, data.to_vec(), 3);
    assert_eq!(frame.to_rgb8().unwrap(), rgb);
    let image = frame.to_image().unwrap();
    assert_eq!(image.get_pixel(2, 0).0, [255, 1, 0]);
}

#[test]
fn rgb_to_yuyv_needs_the_right_length() {
    assert_eq!(
        yuyv::from_rgb8(2, 2, &[0; 11]),
        Err(FrameError::RgbLength {
            width: 2,
            height: 2,
            expected: 12,
            got: 11
        })
    );
    assert!(yuyv::from_rgb8(3, 1, &[0; 9]).is_err());
}

#[test]
fn a_picture_through_yuyv_keeps_its_colours() {
    let image = quadrants(64, 48);
    let yuyv = yuyv::from_rgb8(64, 48, image.as_raw()).unwrap();
    let rgb = yuyv::to_rgb8(64, 48, &yuyv).unwrap();
    // flat quadrants: every channel within 2 of the original
    for (a, b) in rgb.iter().zip(image.as_raw()) {
        assert!(a.abs_diff(*b) <= 2, "{a} vs {b}");
    }
}

#[test]
fn an_mjpeg_frame_decodes_to_its_picture() {
    let image = quadrants(64, 48);
    let frame = Frame::new(PixelFormat::Mjpeg, 64, 48, jpeg(&image, 95), 0);
    let rgb = frame.to_rgb8().unwrap();
    assert_eq!(rgb.len(), 64 * 48 * 3);
    let red = mean(&rgb, 64, 36, 4, 60, 20);
    assert!((red[0] - 200.0).abs() < 8.0 && red[1] < 45.0, "{red:?}");
}

#[test]
fn garbage_is_an_error_for_both_formats() {
    let junk = vec![0x5A; 1000];
    assert_eq!(
        Frame::new(PixelFormat::Mjpeg, 10, 10, junk.clone(), 0).check(),
        Err(FrameError::NoSoi)
    );
    assert_eq!(
        Frame::new(PixelFormat::Mjpeg, 10, 10, Vec::new(), 0).check(),
        Err(FrameError::Empty)
    );
    assert!(
        Frame::new(PixelFormat::Yuyv, 10, 10, junk, 0)
            .check()
            .is_err()
    );
}

#[test]
fn debug_never_shows_the_bytes() {
    let frame = Frame::new(PixelFormat::Yuyv, 2, 1, vec![0x41, 0x42, 0x43, 0x44], 0);
    let text = format!("{frame:?}");
    assert!(text.contains("bytes: 4"), "{text}");
    assert!(!text.contains("65"), "{text}");
}

#[test]
fn fourcc_codes() {
    assert_eq!(PixelFormat::Mjpeg.fourcc(), *b"MJPG");
    assert_eq!(PixelFormat::Yuyv.fourcc(), *b"YUYV");
    assert_eq!(PixelFormat::from_fourcc(*b"JPEG"), Some(PixelFormat::Mjpeg));
    assert_eq!(PixelFormat::from_fourcc(*b"YUY2"), Some(PixelFormat::Yuyv));
    assert_eq!(PixelFormat::from_fourcc(*b"NV12"), None);
}
