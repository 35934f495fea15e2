//! FORMATS.md's vectors, byte for byte: every YUV → RGB row (§1.1) and RGB → YUV row (§1.2),
//! the two-pixel frame, every MJPEG row of §2.3 through the marker walk, the repaired layout
//! of M1, M5 and M9, and the first bytes of the standard DHT segment (§2.2).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use scanner::frame::mjpeg::{self, STANDARD_DHT, STANDARD_DHT_LEN};
use scanner::frame::yuyv;
use scanner::frame::{FrameError, JpegInfo};

const DOC: &str = include_str!("../FORMATS.md");

fn hex(text: &str) -> Vec<u8> {
    text.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}

fn numbers(text: &str) -> Vec<u8> {
    text.split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect()
}

/// The table rows whose first cell starts with `prefix` and a digit: the cells, trimmed.
fn rows(prefix: &str) -> Vec<Vec<String>> {
    DOC.lines()
        .filter_map(|line| {
            let cells: Vec<String> = line
                .trim()
                .strip_prefix('|')?
                .split('|')
                .map(|c| c.trim().to_owned())
                .collect();
            let rest = cells.first()?.strip_prefix(prefix)?;
            let numbered = !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit());
            numbered.then_some(cells)
        })
        .collect()
}

#[test]
fn yuv_to_rgb_rows_match_the_code() {
    let rows = rows("Y");
    assert_eq!(rows.len(), 8, "{rows:?}");
    for row in rows {
        let yuv = numbers(&row[1]);
        let rgb = numbers(&row[2]);
        assert_eq!(
            yuyv::yuv_to_rgb(yuv[0], yuv[1], yuv[2]).to_vec(),
            rgb,
            "{}",
            row[0]
        );
    }
}

#[test]
fn rgb_to_yuv_rows_match_the_code_and_invert_the_first_table() {
    let rows = rows("C");
    assert_eq!(rows.len(), 6, "{rows:?}");
    for row in rows {
        let rgb = numbers(&row[1]);
        let yuv = numbers(&row[2]);
        assert_eq!(
            yuyv::rgb_to_yuv(rgb[0], rgb[1], rgb[2]).to_vec(),
            yuv,
            "{}",
            row[0]
        );
    }
}

#[test]
fn the_two_pixel_frame() {
    assert!(DOC.contains("red then blue is `52 A5 29 AF`"));
    let yuyv = yuyv::from_rgb8(2, 1, &[255, 0, 0, 0, 0, 255]).unwrap();
    assert_eq!(yuyv, hex("52 A5 29 AF"));
}

fn describe(result: Result<JpegInfo, FrameError>) -> String {
    match result {
        Ok(i) => format!(
            "ok {}x{} sos={} end={} dht={} trailing={}",
            i.width,
            i.height,
            i.first_sos,
            i.end,
            if i.has_dht { "yes" } else { "no" },
            i.trailing
        ),
        Err(FrameError::Truncated { at }) => format!("Truncated at={at}"),
        Err(FrameError::NoSoi) => "NoSoi".into(),
        Err(FrameError::NoScan) => "NoScan".into(),
        Err(FrameError::NoSof) => "NoSof".into(),
        Err(FrameError::UnexpectedMarker { marker, at }) => {
            format!("UnexpectedMarker {marker:02X} at={at}")
        }
        Err(FrameError::UnsupportedProcess(m)) => format!("UnsupportedProcess {m:02X}"),
        Err(FrameError::BadDimensions { width, height }) => {
            format!("BadDimensions {width}x{height}")
        }
        Err(FrameError::BadSegment { marker, at }) => format!("BadSegment {marker:02X} at={at}"),
        Err(FrameError::NotAMarker { at, found }) => format!("NotAMarker {found:02X} at={at}"),
        Err(e) => format!("{e:?}"),
    }
}

fn mjpeg_row(id: &str) -> Vec<u8> {
    let row = rows("M").into_iter().find(|r| r[0] == id).unwrap();
    hex(&row[1])
}

#[test]
fn every_mjpeg_row_parses_as_documented() {
    let rows = rows("M");
    assert_eq!(rows.len(), 15, "{rows:?}");
    for row in rows {
        let bytes = hex(&row[1]);
        assert_eq!(describe(mjpeg::parse(&bytes)), row[2], "{}", row[0]);
    }
}

#[test]
fn repaired_m1_has_the_standard_table_before_its_scan() {
    let m1 = mjpeg_row("M1");
    let repaired = mjpeg::repair(&m1).unwrap();
    assert!(repaired.dht_inserted);
    let out = repaired.data.unwrap();
    assert_eq!(out.len(), 449);
    assert_eq!(out[..15], m1[..15]);
    assert_eq!(out[15..435], STANDARD_DHT[..]);
    assert_eq!(out[435..], m1[15..]);
    let again = mjpeg::parse(&out).unwrap();
    assert!(again.has_dht);
    assert_eq!(again.first_sos, 435);
    // M5 is M1 with padding: the same file once repaired
    let m5 = mjpeg::repair(&mjpeg_row("M5")).unwrap();
    assert_eq!(m5.trimmed, 3);
    assert_eq!(m5.data.unwrap(), out);
    // M9 has a DHT: nothing to do
    let m9 = mjpeg::repair(&mjpeg_row("M9")).unwrap();
    assert!(!m9.dht_inserted);
    assert_eq!(m9.data, None);
}

#[test]
fn the_standard_dht_segment_is_as_documented() {
    assert_eq!(STANDARD_DHT_LEN, 420);
    let start = "FF C4 01 A2 00 00 01 05 01 01 01 01 01 01 00 00 00 00 00 00 00 00 01 02";
    assert!(DOC.contains(start));
    assert_eq!(STANDARD_DHT[..24], hex(start)[..]);
    // the class/id bytes of the four tables, at their documented places
    assert_eq!(STANDARD_DHT[4], 0x00);
    assert_eq!(STANDARD_DHT[4 + 17 + 12], 0x10);
    assert_eq!(STANDARD_DHT[4 + 17 + 12 + 17 + 162], 0x01);
    assert_eq!(STANDARD_DHT[4 + 2 * (17 + 12) + 17 + 162], 0x11);
    // the segment walks as a DHT inside a frame
    let mut frame = mjpeg_row("M1");
    frame.splice(15..15, STANDARD_DHT.iter().copied());
    assert!(mjpeg::parse(&frame).unwrap().has_dht);
}
