//! MJPEG frames: a walk over the JPEG markers that checks the structure a frame must have
//! (SOI, one frame header, tables, a scan, EOI), and the repair UVC frames need.
//!
//! Many UVC cameras send each MJPEG frame without its `DHT` segment: the Motion-JPEG
//! convention (the AVI1 format) is that the decoder uses the standard Huffman tables of ITU-T
//! T.81 Annex K.3 when none are given. Decoders built for photos (and PDF viewers, and whatever
//! the county's backend uses) may refuse such a file, so [`repair`] inserts exactly those
//! tables, as one `DHT` segment ([`STANDARD_DHT`], 420 bytes) right before the first `SOS`.
//!
//! The walk does not decode the entropy-coded data: it only steps over it to the next marker.
//! Damage inside the scan is found by decoding ([`super::Frame::to_rgb8`]).

use super::{FrameError, MAX_DIMENSION};

/// Start of image.
pub const SOI: u8 = 0xD8;
/// End of image.
pub const EOI: u8 = 0xD9;
/// Start of scan.
pub const SOS: u8 = 0xDA;
/// Define Huffman table(s).
pub const DHT: u8 = 0xC4;
/// Define quantisation table(s).
pub const DQT: u8 = 0xDB;
/// Baseline DCT frame header.
pub const SOF0: u8 = 0xC0;

// ITU-T T.81 Annex K.3: the code lengths (count of codes of each length 1..=16) and the values
// of the four standard tables (same as libjpeg's std_huff_tables and the image crate's encoder).
const LUMA_DC_BITS: [u8; 16] = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const CHROMA_DC_BITS: [u8; 16] = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
const DC_VALUES: [u8; 12] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const LUMA_AC_BITS: [u8; 16] = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D];
const LUMA_AC_VALUES: [u8; 162] = [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0,
    0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2A, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
    0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
    0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
    0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5,
    0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE1, 0xE2,
    0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8,
    0xF9, 0xFA,
];
const CHROMA_AC_BITS: [u8; 16] = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];
const CHROMA_AC_VALUES: [u8; 162] = [
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
    0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xA1, 0xB1, 0xC1, 0x09, 0x23, 0x33, 0x52, 0xF0,
    0x15, 0x62, 0x72, 0xD1, 0x0A, 0x16, 0x24, 0x34, 0xE1, 0x25, 0xF1, 0x17, 0x18, 0x19, 0x1A, 0x26,
    0x27, 0x28, 0x29, 0x2A, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
    0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
    0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
    0x88, 0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5,
    0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3,
    0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA,
    0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8,
    0xF9, 0xFA,
];

/// Length of [`STANDARD_DHT`]: marker (2) + length field (2) + 4 × (class/id byte + 16 counts)
/// + 12 + 162 + 12 + 162 values.
pub const STANDARD_DHT_LEN: usize = 4 + 4 * 17 + 12 + 162 + 12 + 162;

/// The whole `DHT` segment inserted into frames that lack one: `FF C4 01 A2`, then the four
/// standard tables in the order DC 0 (luminance), AC 0, DC 1 (chrominance), AC 1.
pub static STANDARD_DHT: [u8; STANDARD_DHT_LEN] = build_standard_dht();

const fn put(out: &mut [u8; STANDARD_DHT_LEN], mut at: usize, bytes: &[u8]) -> usize {
    let mut i = 0;
    while i < bytes.len() {
        out[at] = bytes[i];
        at += 1;
        i += 1;
    }
    at
}

const fn build_standard_dht() -> [u8; STANDARD_DHT_LEN] {
    let mut out = [0u8; STANDARD_DHT_LEN];
    let length = (STANDARD_DHT_LEN - 2) as u16;
    let mut at = put(
        &mut out,
        0,
        &[0xFF, DHT, (length >> 8) as u8, (length & 0xFF) as u8],
    );
    at = put(&mut out, at, &[0x00]);
    at = put(&mut out, at, &LUMA_DC_BITS);
    at = put(&mut out, at, &DC_VALUES);
    at = put(&mut out, at, &[0x10]);
    at = put(&mut out, at, &LUMA_AC_BITS);
    at = put(&mut out, at, &LUMA_AC_VALUES);
    at = put(&mut out, at, &[0x01]);
    at = put(&mut out, at, &CHROMA_DC_BITS);
    at = put(&mut out, at, &DC_VALUES);
    at = put(&mut out, at, &[0x11]);
    at = put(&mut out, at, &CHROMA_AC_BITS);
    at = put(&mut out, at, &CHROMA_AC_VALUES);
    assert!(at == STANDARD_DHT_LEN);
    out
}

/// What the marker walk found in a well-formed frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegInfo {
    /// Width from the frame header.
    pub width: u32,
    /// Height from the frame header.
    pub height: u32,
    /// Colour components (1 grey, 3 YCbCr).
    pub components: u8,
    /// The SOF marker's second byte (`C0` baseline, `C1` extended, `C2` progressive).
    pub sof_marker: u8,
    /// Whether any `DHT` segment comes before the first scan.
    pub has_dht: bool,
    /// Offset of the first `FF DA` (where a missing `DHT` is inserted).
    pub first_sos: usize,
    /// Offset just past `FF D9`.
    pub end: usize,
    /// Bytes after EOI (buffer padding some cameras leave).
    pub trailing: usize,
}

impl JpegInfo {
    /// Checks the header's size against the stream's.
    pub fn check_size(&self, width: u32, height: u32) -> Result<(), FrameError> {
        if self.width == width && self.height == height {
            Ok(())
        } else {
            Err(FrameError::SizeMismatch {
                width,
                height,
                found_width: self.width,
                found_height: self.height,
            })
        }
    }
}

fn be16(data: &[u8], at: usize) -> Option<usize> {
    match data.get(at..at + 2) {
        Some(&[hi, lo]) => Some(usize::from(hi) << 8 | usize::from(lo)),
        _ => None,
    }
}

/// Walks the markers of one JPEG image and checks its structure: `SOI` first; segments whose
/// lengths fit; exactly one frame header (baseline, extended or progressive Huffman DCT) of a
/// sane size before the first scan; `DHT` tables that add up; at least one scan; `EOI`. Bytes
/// after `EOI` are allowed and counted in [`JpegInfo::trailing`].
pub fn parse(data: &[u8]) -> Result<JpegInfo, FrameError> {
    if data.is_empty() {
        return Err(FrameError::Empty);
    }
    if data.len() < 2 || data[0] != 0xFF || data[1] != SOI {
        return Err(FrameError::NoSoi);
    }
    let mut sof: Option<(u32, u32, u8, u8)> = None;
    let mut has_dht = false;
    let mut first_sos: Option<usize> = None;
    let mut i = 2;
    loop {
        // a marker: FF, any number of FF fill bytes, then the code
        match data.get(i) {
            None => return Err(FrameError::Truncated { at: data.len() }),
            Some(0xFF) => {}
            Some(&found) => return Err(FrameError::NotAMarker { at: i, found }),
        }
        while data.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let at = i;
        let Some(&marker) = data.get(i + 1) else {
            return Err(FrameError::Truncated { at: data.len() });
        };
        i += 2;
        match marker {
            EOI => {
                let Some((width, height, components, sof_marker)) = sof else {
                    return Err(FrameError::NoSof);
                };
                let Some(first_sos) = first_sos else {
                    return Err(FrameError::NoScan);
                };
                return Ok(JpegInfo {
                    width,
                    height,
                    components,
                    sof_marker,
                    has_dht,
                    first_sos,
                    end: i,
                    trailing: data.len() - i,
                });
            }
            // standalone markers: restart markers (harmless between segments) and TEM
            0xD0..=0xD7 | 0x01 => continue,
            SOI | 0x00 => return Err(FrameError::UnexpectedMarker { marker, at }),
            _ => {}
        }
        let Some(length) = be16(data, i) else {
            return Err(FrameError::Truncated { at: data.len() });
        };
        if length < 2 {
            return Err(FrameError::BadSegment { marker, at });
        }
        let body_end = i + length;
        let Some(body) = data.get(i + 2..body_end) else {
            return Err(FrameError::Truncated { at: data.len() });
        };
        match marker {
            0xC0..=0xCF if marker != DHT && marker != 0xC8 && marker != 0xCC => {
                if !matches!(marker, 0xC0..=0xC2) {
                    return Err(FrameError::UnsupportedProcess(marker));
                }
                if sof.is_some() || first_sos.is_some() {
                    return Err(FrameError::UnexpectedMarker { marker, at });
                }
                sof = Some(parse_sof(body, marker, at)?);
            }
            DHT => {
                check_dht(body, at)?;
                if first_sos.is_none() {
                    has_dht = true;
                }
            }
            SOS => {
                if sof.is_none() {
                    return Err(FrameError::UnexpectedMarker { marker, at });
                }
                check_sos(body, at)?;
                if first_sos.is_none() {
                    first_sos = Some(at);
                }
                i = skip_entropy(data, body_end)?;
                continue;
            }
            _ => {}
        }
        i = body_end;
    }
}

fn parse_sof(body: &[u8], marker: u8, at: usize) -> Result<(u32, u32, u8, u8), FrameError> {
    let bad = FrameError::BadSegment { marker, at };
    let Some((head, rest)) = body.split_first_chunk::<6>() else {
        return Err(bad);
    };
    let [precision, h1, h0, w1, w0, count] = *head;
    // 8-bit samples only: what cameras send and decoders take
    if precision != 8 {
        return Err(bad);
    }
    if !(1..=4).contains(&count) || rest.len() != 3 * usize::from(count) {
        return Err(bad);
    }
    let height = u32::from(h1) << 8 | u32::from(h0);
    let width = u32::from(w1) << 8 | u32::from(w0);
    if width == 0 || height == 0 || width > MAX_DIMENSION || height > MAX_DIMENSION {
        // height 0 means "given later in a DNL segment": no camera does that
        return Err(FrameError::BadDimensions { width, height });
    }
    for component in rest.chunks_exact(3) {
        let sampling = component[1];
        let (h, v) = (sampling >> 4, sampling & 0x0F);
        if !(1..=4).contains(&h) || !(1..=4).contains(&v) || component[2] > 3 {
            return Err(FrameError::BadSegment { marker, at });
        }
    }
    Ok((width, height, count, marker))
}

fn check_dht(mut body: &[u8], at: usize) -> Result<(), FrameError> {
    let bad = FrameError::BadSegment { marker: DHT, at };
    if body.is_empty() {
        return Err(bad);
    }
    while let Some((&class_id, rest)) = body.split_first() {
        if class_id >> 4 > 1 || class_id & 0x0F > 3 {
            return Err(bad);
        }
        let Some((counts, rest)) = rest.split_first_chunk::<16>() else {
            return Err(bad);
        };
        let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
        if total == 0 || total > 256 || rest.len() < total {
            return Err(bad);
        }
        body = &rest[total..];
    }
    Ok(())
}

fn check_sos(body: &[u8], at: usize) -> Result<(), FrameError> {
    let count = usize::from(body.first().copied().unwrap_or(0));
    if !(1..=4).contains(&count) || body.len() != 1 + 2 * count + 3 {
        return Err(FrameError::BadSegment { marker: SOS, at });
    }
    Ok(())
}

/// Steps over entropy-coded data (where `FF 00` is a stuffed FF and `FF D0`–`FF D7` are
/// restart markers) to the next real marker; returns its offset.
fn skip_entropy(data: &[u8], from: usize) -> Result<usize, FrameError> {
    let mut j = from;
    loop {
        let Some(offset) = data
            .get(j..)
            .and_then(|rest| rest.iter().position(|&b| b == 0xFF))
        else {
            return Err(FrameError::Truncated { at: data.len() });
        };
        j += offset;
        match data.get(j + 1) {
            None => return Err(FrameError::Truncated { at: data.len() }),
            Some(0x00 | 0xD0..=0xD7) => j += 2,
            // fill bytes before a marker
            Some(0xFF) => j += 1,
            Some(_) => return Ok(j),
        }
    }
}

/// A frame after [`repair`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repaired {
    /// The frame's structure (offsets refer to the input).
    pub info: JpegInfo,
    /// The new bytes, when anything changed; `None` when the input was already complete.
    pub data: Option<Vec<u8>>,
    /// Whether [`STANDARD_DHT`] was inserted.
    pub dht_inserted: bool,
    /// Bytes after EOI cut off.
    pub trimmed: usize,
}

/// Checks a frame ([`parse`]) and makes it a complete JPEG file: [`STANDARD_DHT`] inserted
/// before the first scan when no `DHT` precedes it, bytes after `EOI` cut off.
pub fn repair(data: &[u8]) -> Result<Repaired, FrameError> {
    let info = parse(data)?;
    let dht_inserted = !info.has_dht;
    let trimmed = info.trailing;
    let out = if dht_inserted {
        let mut out = Vec::with_capacity(info.end + STANDARD_DHT_LEN);
        out.extend_from_slice(&data[..info.first_sos]);
        out.extend_from_slice(&STANDARD_DHT);
        out.extend_from_slice(&data[info.first_sos..info.end]);
        Some(out)
    } else if trimmed > 0 {
        Some(data[..info.end].to_vec())
    } else {
        None
    };
    Ok(Repaired {
        info,
        data: out,
        dht_inserted,
        trimmed,
    })
}

/// The frame without its `DHT` segments before the first scan: what a camera that omits them
/// sends. The simulator's "missing DHT" fault, and the test input for [`repair`].
pub fn strip_dht(data: &[u8]) -> Result<Vec<u8>, FrameError> {
    let info = parse(data)?;
    let mut out = Vec::with_capacity(data.len());
    out.extend_from_slice(&data[..2]);
    let mut i = 2;
    while i < info.first_sos {
        // parse() accepted the header part, so every step here is a segment or a lone marker
        while data.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let marker = data.get(i + 1).copied().unwrap_or(EOI);
        let seg_end = if matches!(marker, 0xD0..=0xD7 | 0x01) {
            i + 2
        } else {
            i + 2 + be16(data, i + 2).unwrap_or(2)
        };
        if marker != DHT {
            out.extend_from_slice(data.get(i..seg_end).unwrap_or_default());
        }
        i = seg_end;
    }
    out.extend_from_slice(data.get(info.first_sos..).unwrap_or_default());
    Ok(out)
}
