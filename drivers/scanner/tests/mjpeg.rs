//! MJPEG frames from a real encoder: the marker walk accepts them, the standard DHT equals the
//! tables the image crate's encoder writes (ITU-T T.81 Annex K.3), a frame stripped of its DHT
//! (what many UVC cameras send) is repaired to decode exactly as the original, padding is cut,
//! and every damaged variant — each truncation, each single-byte change in the header — is an
//! error or a frame that still walks, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{jpeg, quadrants};
use scanner::frame::mjpeg::{self, DHT, STANDARD_DHT};
use scanner::{Frame, FrameError, PixelFormat};

/// The Huffman tables of every DHT segment before the first scan: (class/id, counts, values).
fn tables(data: &[u8]) -> Vec<(u8, Vec<u8>, Vec<u8>)> {
    let info = mjpeg::parse(data).unwrap();
    let mut out = Vec::new();
    let mut i = 2;
    while i < info.first_sos {
        let marker = data[i + 1];
        let len = usize::from(data[i + 2]) << 8 | usize::from(data[i + 3]);
        if marker == DHT {
            let mut body = &data[i + 4..i + 2 + len];
            while !body.is_empty() {
                let counts = body[1..17].to_vec();
                let n: usize = counts.iter().map(|&c| usize::from(c)).sum();
                out.push((body[0], counts, body[17..17 + n].to_vec()));
                body = &body[17 + n..];
            }
        }
        i += 2 + len;
    }
    out.sort();
    out
}

#[test]
fn the_standard_dht_is_the_encoders_table_set() {
    let encoded = jpeg(&quadrants(64, 48), 85);
    let ours = {
        let mut frame = mjpeg::strip_dht(&encoded).unwrap();
        let sos = mjpeg::parse(&frame).unwrap().first_sos;
        frame.splice(sos..sos, STANDARD_DHT.iter().copied());
        tables(&frame)
    };
    let theirs = tables(&encoded);
    assert_eq!(theirs.len(), 4);
    assert_eq!(ours, theirs);
}

#[test]
fn an_encoded_frame_walks_and_needs_no_repair() {
    let encoded = jpeg(&quadrants(64, 48), 85);
    let info = mjpeg::parse(&encoded).unwrap();
    assert_eq!((info.width, info.height), (64, 48));
    assert_eq!(info.sof_marker, 0xC0);
    assert!(info.has_dht);
    assert_eq!(info.end, encoded.len());
    let frame = Frame::new(PixelFormat::Mjpeg, 64, 48, encoded.clone(), 0);
    let (repaired, repairs) = frame.repair().unwrap();
    assert_eq!(repairs, scanner::Repairs::default());
    assert_eq!(repaired.data, encoded);
}

#[test]
fn a_frame_without_dht_is_repaired_and_decodes_as_the_original() {
    let image = quadrants(96, 64);
    let encoded = jpeg(&image, 90);
    let stripped = mjpeg::strip_dht(&encoded).unwrap();
    assert_eq!(stripped.len(), encoded.len() - tables_len(&encoded));
    assert!(!mjpeg::parse(&stripped).unwrap().has_dht);

    let frame = Frame::new(PixelFormat::Mjpeg, 96, 64, stripped, 7);
    let (repaired, repairs) = frame.repair().unwrap();
    assert!(repairs.dht_inserted);
    assert_eq!(repaired.sequence, 7);
    assert!(mjpeg::parse(&repaired.data).unwrap().has_dht);
    let original = Frame::new(PixelFormat::Mjpeg, 96, 64, encoded, 0)
        .to_rgb8()
        .unwrap();
    assert_eq!(repaired.to_rgb8().unwrap(), original);
}

/// Bytes of the DHT segments in an encoded frame.
fn tables_len(data: &[u8]) -> usize {
    let info = mjpeg::parse(data).unwrap();
    let mut i = 2;
    let mut total = 0;
    while i < info.first_sos {
        let len = usize::from(data[i + 2]) << 8 | usize::from(data[i + 3]);
        if data[i + 1] == DHT {
            total += 2 + len;
        }
        i += 2 + len;
    }
    total
}

#[test]
fn padding_after_eoi_is_cut() {
    let encoded = jpeg(&quadrants(32, 32), 80);
    let mut padded = encoded.clone();
    padded.extend_from_slice(&[0; 100]);
    let (repaired, repairs) = Frame::new(PixelFormat::Mjpeg, 32, 32, padded, 0)
        .repair()
        .unwrap();
    assert_eq!(repairs.trimmed, 100);
    assert_eq!(repaired.data, encoded);
}

#[test]
fn a_header_of_another_size_is_refused() {
    let encoded = jpeg(&quadrants(32, 32), 80);
    let frame = Frame::new(PixelFormat::Mjpeg, 64, 32, encoded, 0);
    assert_eq!(
        frame.check(),
        Err(FrameError::SizeMismatch {
            width: 64,
            height: 32,
            found_width: 32,
            found_height: 32
        })
    );
    assert!(frame.to_rgb8().is_err());
    assert!(frame.repair().is_err());
}

#[test]
fn every_truncation_is_an_error() {
    let encoded = jpeg(&quadrants(40, 24), 75);
    for len in 0..encoded.len() {
        let result = mjpeg::parse(&encoded[..len]);
        assert!(result.is_err(), "a frame cut at {len} passed");
        let frame = Frame::new(PixelFormat::Mjpeg, 40, 24, encoded[..len].to_vec(), 0);
        assert!(frame.clone().repair().is_err());
        assert!(frame.to_rgb8().is_err());
    }
}

#[test]
fn damage_in_the_header_never_panics() {
    let encoded = jpeg(&quadrants(40, 24), 75);
    let sos = mjpeg::parse(&encoded).unwrap().first_sos;
    for at in 0..sos + 12 {
        for value in [0x00, 0xFF, 0xD9, 0xDA, 0xC4, 0x7F, encoded[at] ^ 0x01] {
            let mut damaged = encoded.clone();
            damaged[at] = value;
            let frame = Frame::new(PixelFormat::Mjpeg, 40, 24, damaged, 0);
            // either refused or still a well-formed file: never a panic
            if let Ok((repaired, _)) = frame.repair() {
                assert!(mjpeg::parse(&repaired.data).is_ok());
                let _ = repaired.to_rgb8();
            }
        }
    }
}

#[test]
fn damage_in_the_scan_decodes_or_fails_without_panic() {
    let encoded = jpeg(&quadrants(64, 64), 75);
    let sos = mjpeg::parse(&encoded).unwrap().first_sos;
    for at in (sos + 14..encoded.len() - 2).step_by(7) {
        let mut damaged = encoded.clone();
        damaged[at] = damaged[at].wrapping_add(0x55);
        let frame = Frame::new(PixelFormat::Mjpeg, 64, 64, damaged, 0);
        if let Ok((repaired, _)) = frame.repair() {
            let _ = repaired.to_rgb8();
        }
    }
}

#[test]
fn strip_on_a_frame_without_tables_changes_nothing() {
    let stripped = mjpeg::strip_dht(&jpeg(&quadrants(16, 16), 70)).unwrap();
    assert_eq!(mjpeg::strip_dht(&stripped).unwrap(), stripped);
}
