//! Damaged, truncated, hostile and random input is an error, never a panic or a page.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{SMALL, capture};
use documents::decode::{DecodeLimits, decode};
use documents::synthetic::{self, PageSpec};
use documents::{Config, Limit, MaterialKind, Rejection, process};

fn kinds() -> [MaterialKind; 2] {
    [MaterialKind::A4Document, MaterialKind::IdCard]
}

fn small_capture() -> (Vec<u8>, Vec<u8>) {
    let (cap, jpeg) = capture(&PageSpec::a4().frame(648, 486).rotated(2.0));
    let png = synthetic::to_png(&cap.image).unwrap();
    (jpeg, png)
}

#[test]
fn truncated_jpeg_is_corrupt_at_every_cut() {
    let (jpeg, _) = small_capture();
    let step = (jpeg.len() / 60).max(1);
    for cut in (0..jpeg.len())
        .step_by(step)
        .chain([jpeg.len() - 1, jpeg.len() - 2])
    {
        for kind in kinds() {
            let r = process(&jpeg[..cut], kind, &Config::default());
            assert!(
                matches!(r, Err(Rejection::Corrupt(_))),
                "cut at {cut}: {r:?}"
            );
        }
    }
}

#[test]
fn truncated_png_is_corrupt_at_every_cut() {
    let (_, png) = small_capture();
    let step = (png.len() / 60).max(1);
    for cut in (0..png.len())
        .step_by(step)
        .chain([png.len() - 1, png.len() - 13])
    {
        let r = decode(&png[..cut], &DecodeLimits::default());
        assert!(
            matches!(r, Err(Rejection::Corrupt(_))),
            "cut at {cut}: {:?}",
            r.map(|i| i.width())
        );
    }
}

#[test]
fn damaged_headers_are_corrupt() {
    let (jpeg, png) = small_capture();
    // JPEG: zero height in the frame header
    let mut j = jpeg.clone();
    let sof = j.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    j[sof + 5] = 0;
    j[sof + 6] = 0;
    assert!(matches!(
        decode(&j, &DecodeLimits::default()),
        Err(Rejection::Corrupt(_))
    ));
    // JPEG: a segment length running past the end
    let mut j = jpeg.clone();
    j[4] = 0xFF;
    j[5] = 0xF0;
    assert!(matches!(
        decode(&j, &DecodeLimits::default()),
        Err(Rejection::Corrupt(_))
    ));
    // PNG: a flipped bit in the image data fails its CRC
    let mut p = png.clone();
    let idat = p.windows(4).position(|w| w == b"IDAT").unwrap();
    p[idat + 20] ^= 0x10;
    assert!(matches!(
        decode(&p, &DecodeLimits::default()),
        Err(Rejection::Corrupt(_))
    ));
    // PNG: a broken signature is not a format we take
    let mut p = png.clone();
    p[1] = b'Q';
    assert!(matches!(
        decode(&p, &DecodeLimits::default()),
        Err(Rejection::Corrupt(_))
    ));
}

#[test]
fn random_bytes_are_errors() {
    let mut state = 0x1234_5678_9abc_def0u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in 0..600 {
        let len = (next() % 3000) as usize;
        let mut bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        // a third look like JPEG, a third like PNG
        match i % 3 {
            0 if len >= 2 => bytes[..2].copy_from_slice(&[0xFF, 0xD8]),
            1 if len >= 8 => bytes[..8].copy_from_slice(b"\x89PNG\r\n\x1a\n"),
            _ => {}
        }
        let r = process(&bytes, MaterialKind::A4Document, &Config::default());
        assert!(r.is_err(), "random input {i} made a page");
        assert!(!r.unwrap_err().is_retake());
    }
    assert!(matches!(
        process(&[], MaterialKind::A4Document, &Config::default()),
        Err(Rejection::Corrupt(_))
    ));
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

#[test]
fn decompression_bombs_are_too_large_before_any_allocation() {
    // PNG claiming 100 000 × 100 000 pixels in a few dozen bytes
    let (_, png) = small_capture();
    let mut p = png.clone();
    p[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    p[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let crc = crc32(&p[12..29]);
    p[29..33].copy_from_slice(&crc.to_be_bytes());
    let r = decode(&p, &DecodeLimits::default());
    assert!(
        matches!(
            r,
            Err(Rejection::TooLarge(Limit::Pixels {
                width: 100_000,
                height: 100_000,
                ..
            }))
        ),
        "{:?}",
        r.map(|i| i.width())
    );
    // JPEG claiming 65 000 × 65 000
    let (jpeg, _) = small_capture();
    let mut j = jpeg.clone();
    let sof = j.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    j[sof + 5..sof + 7].copy_from_slice(&65_000u16.to_be_bytes());
    j[sof + 7..sof + 9].copy_from_slice(&65_000u16.to_be_bytes());
    let r = process(&j, MaterialKind::A4Document, &Config::default());
    assert!(
        matches!(r, Err(Rejection::TooLarge(Limit::Pixels { .. }))),
        "{r:?}"
    );
    // a configured pixel budget below the frame
    let (_, jpeg) = capture(&PageSpec::a4().frame(SMALL.0, SMALL.1));
    let config = Config {
        limits: DecodeLimits {
            max_pixels: 1_000_000,
            ..DecodeLimits::default()
        },
        ..Config::default()
    };
    let r = process(&jpeg, MaterialKind::A4Document, &config);
    assert!(matches!(
        r,
        Err(Rejection::TooLarge(Limit::Pixels {
            width: 1296,
            height: 972,
            max: 1_000_000
        }))
    ));
}

#[test]
fn oversized_input_is_too_large() {
    let config = Config {
        limits: DecodeLimits {
            max_input_bytes: 1_000,
            ..DecodeLimits::default()
        },
        ..Config::default()
    };
    let r = process(&vec![0u8; 1_001], MaterialKind::A4Document, &config);
    assert_eq!(
        r.unwrap_err(),
        Rejection::TooLarge(Limit::InputBytes {
            len: 1_001,
            max: 1_000
        })
    );
}
