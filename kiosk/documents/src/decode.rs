//! Decoding a capture (JPEG or PNG bytes) under limits.
//!
//! `image` decodes JPEG with zune-jpeg in its lenient mode, which fills a truncated scan with
//! grey instead of failing; a half-grey page must not reach the citizen's submission, so JPEG
//! input first passes [`check_jpeg_structure`] (every segment complete, a scan, and the end
//! marker). The pixel count is read from the header before any pixel memory is allocated, so a
//! decompression bomb is [`Limit::Pixels`], not an allocation failure.

use std::io::Cursor;

use image::{DynamicImage, GrayImage, ImageFormat, ImageReader, Limits};
use zune_jpeg::JpegDecoder;
use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;

use crate::rejection::{Limit, Rejection};

/// Limits on what [`decode`] accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest encoded input accepted, in bytes.
    pub max_input_bytes: usize,
    /// Largest decoded image, in pixels (width × height).
    pub max_pixels: u64,
}

impl Default for DecodeLimits {
    /// 64 MiB of input and 40 MP (a 16 MP 高拍仪 with room to spare).
    fn default() -> Self {
        DecodeLimits {
            max_input_bytes: 64 << 20,
            max_pixels: 40_000_000,
        }
    }
}

/// The two formats a capture may arrive in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JPEG (what UVC cameras send as MJPEG frames).
    Jpeg,
    /// PNG (uploads, test fixtures).
    Png,
}

/// The format and dimensions from the header, without decoding pixels.
pub fn probe(bytes: &[u8], limits: &DecodeLimits) -> Result<(Format, u32, u32), Rejection> {
    if bytes.len() > limits.max_input_bytes {
        return Err(Rejection::TooLarge(Limit::InputBytes {
            len: bytes.len(),
            max: limits.max_input_bytes,
        }));
    }
    let format = match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Format::Jpeg,
        Ok(ImageFormat::Png) => Format::Png,
        Ok(other) => {
            return Err(Rejection::Corrupt(format!(
                "unsupported format {other:?} (JPEG or PNG expected)"
            )));
        }
        Err(_) => return Err(Rejection::Corrupt("not a JPEG or PNG".into())),
    };
    match format {
        Format::Jpeg => check_jpeg_structure(bytes).map_err(Rejection::Corrupt)?,
        Format::Png => check_png_structure(bytes).map_err(Rejection::Corrupt)?,
    }
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), image_format(format))
        .into_dimensions()
        .map_err(|e| Rejection::Corrupt(e.to_string()))?;
    if width == 0 || height == 0 {
        return Err(Rejection::Corrupt("zero-sized image".into()));
    }
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(Rejection::TooLarge(Limit::Pixels {
            width,
            height,
            max: limits.max_pixels,
        }));
    }
    Ok((format, width, height))
}

/// Decodes JPEG or PNG bytes. Errors are [`Rejection::Corrupt`] or [`Rejection::TooLarge`];
/// no input panics (see the `documents_decode` fuzz target).
pub fn decode(bytes: &[u8], limits: &DecodeLimits) -> Result<DynamicImage, Rejection> {
    let (format, width, height) = probe(bytes, limits)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format(format));
    let mut l = Limits::default();
    l.max_image_width = Some(width);
    l.max_image_height = Some(height);
    // 16-bit RGBA is the widest layout either decoder produces, plus the decoder's own buffers
    l.max_alloc =
        Some(u64::from(width) * u64::from(height) * 8 + (bytes.len() as u64) * 2 + (16 << 20));
    reader.limits(l);
    let img = reader
        .decode()
        .map_err(|e| Rejection::Corrupt(e.to_string()))?;
    if img.width() != width || img.height() != height {
        return Err(Rejection::Corrupt(
            "decoded size differs from the header".into(),
        ));
    }
    Ok(img)
}

/// Decodes straight to 8-bit grey. A JPEG's luma is taken as coded (zune-jpeg, lenient like
/// `image`'s own JPEG path, after the same structure check); PNG goes through [`decode`].
pub fn decode_gray(bytes: &[u8], limits: &DecodeLimits) -> Result<GrayImage, Rejection> {
    let (format, width, height) = probe(bytes, limits)?;
    if format == Format::Png {
        return decode(bytes, limits).map(DynamicImage::into_luma8);
    }
    let options = DecoderOptions::default()
        .set_strict_mode(false)
        .set_max_width(width as usize)
        .set_max_height(height as usize)
        .jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    let pixels = decoder
        .decode()
        .map_err(|e| Rejection::Corrupt(format!("{e:?}")))?;
    if decoder.dimensions() != Some((width as usize, height as usize)) {
        return Err(Rejection::Corrupt(
            "decoded size differs from the header".into(),
        ));
    }
    GrayImage::from_raw(width, height, pixels)
        .ok_or_else(|| Rejection::Corrupt("decoded buffer has the wrong length".into()))
}

fn image_format(f: Format) -> ImageFormat {
    match f {
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Png => ImageFormat::Png,
    }
}

/// Walks the PNG chunk structure: the signature, complete chunks, and `IEND`. (The png
/// decoder stops once it has the pixels, so a file cut inside its last checksum or before
/// `IEND` would otherwise pass; the checksums themselves are the decoder's.)
pub fn check_png_structure(bytes: &[u8]) -> Result<(), String> {
    const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";
    if !bytes.starts_with(SIGNATURE) {
        return Err("no PNG signature".into());
    }
    let mut i = SIGNATURE.len();
    loop {
        if i + 8 > bytes.len() {
            return Err("truncated: no IEND chunk".into());
        }
        let len = u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize;
        let kind = &bytes[i + 4..i + 8];
        let end = i
            .checked_add(12)
            .and_then(|v| v.checked_add(len))
            .ok_or("chunk length overflows")?;
        if end > bytes.len() {
            return Err(format!("truncated chunk {}", String::from_utf8_lossy(kind)));
        }
        if kind == b"IEND" {
            return Ok(());
        }
        i = end;
    }
}

/// Walks the JPEG marker structure: SOI, complete marker segments, a frame header before the
/// first scan, entropy-coded data that ends in a marker, and EOI. Bytes after EOI (padding some
/// UVC cameras add to MJPEG frames) are ignored. Returns the reason on failure.
pub fn check_jpeg_structure(bytes: &[u8]) -> Result<(), String> {
    let len = bytes.len();
    if len < 4 || bytes[0] != 0xFF || bytes[1] != 0xD8 {
        return Err("no JPEG start-of-image marker".into());
    }
    let mut i = 2usize;
    let mut seen_frame = false;
    let mut seen_scan = false;
    loop {
        if i >= len {
            return Err("truncated: no end-of-image marker".into());
        }
        if bytes[i] != 0xFF {
            return Err(format!("expected a marker at byte {i}"));
        }
        while i < len && bytes[i] == 0xFF {
            i += 1;
        }
        if i >= len {
            return Err("truncated inside a marker".into());
        }
        let marker = bytes[i];
        i += 1;
        match marker {
            0xD9 => {
                return if seen_scan {
                    Ok(())
                } else {
                    Err("end of image before any scan".into())
                };
            }
            0xD8 => return Err("second start-of-image marker".into()),
            0x00 => return Err(format!("stuffed zero outside a scan at byte {}", i - 1)),
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        if i + 2 > len {
            return Err("truncated segment length".into());
        }
        let seg = usize::from(u16::from_be_bytes([bytes[i], bytes[i + 1]]));
        if seg < 2 {
            return Err(format!("segment length {seg} at byte {i}"));
        }
        if i + seg > len {
            return Err(format!("truncated segment {marker:#04x}"));
        }
        let is_frame = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        seen_frame |= is_frame;
        i += seg;
        if marker == 0xDA {
            if !seen_frame {
                return Err("scan before frame header".into());
            }
            // entropy-coded data: 0xFF is followed by 0x00 (stuffing), RSTn or fill 0xFF;
            // anything else is the next marker
            loop {
                if i >= len {
                    return Err("truncated inside the scan data".into());
                }
                if bytes[i] != 0xFF {
                    i += 1;
                    continue;
                }
                if i + 1 >= len {
                    return Err("truncated inside the scan data".into());
                }
                match bytes[i + 1] {
                    0x00 | 0xD0..=0xD7 => i += 2,
                    0xFF => i += 1,
                    _ => break,
                }
            }
            seen_scan = true;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn tiny_jpeg() -> Vec<u8> {
        let img =
            image::RgbImage::from_fn(16, 8, |x, y| image::Rgb([x as u8 * 10, y as u8 * 20, 90]));
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
            .encode_image(&img)
            .unwrap();
        out
    }

    #[test]
    fn a_whole_jpeg_passes_and_every_truncation_fails() {
        let j = tiny_jpeg();
        check_jpeg_structure(&j).unwrap();
        for cut in 0..j.len() {
            assert!(check_jpeg_structure(&j[..cut]).is_err(), "cut at {cut}");
        }
        // padding after EOI is fine
        let mut padded = j.clone();
        padded.extend_from_slice(&[0; 100]);
        check_jpeg_structure(&padded).unwrap();
    }

    #[test]
    fn a_whole_png_passes_and_every_truncation_fails() {
        let img = image::GrayImage::from_fn(9, 5, |x, y| image::Luma([(x * 20 + y) as u8]));
        let mut png = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        check_png_structure(&png).unwrap();
        for cut in 0..png.len() {
            assert!(check_png_structure(&png[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn pixel_limit_is_checked_before_decoding() {
        let j = tiny_jpeg();
        let limits = DecodeLimits {
            max_input_bytes: 1 << 20,
            max_pixels: 100,
        };
        assert!(matches!(
            decode(&j, &limits),
            Err(Rejection::TooLarge(Limit::Pixels {
                width: 16,
                height: 8,
                max: 100
            }))
        ));
        assert_eq!(decode(&j, &DecodeLimits::default()).unwrap().width(), 16);
    }

    #[test]
    fn grey_decoding_matches_the_luma_of_the_colour_decoding() {
        let j = tiny_jpeg();
        let g = decode_gray(&j, &DecodeLimits::default()).unwrap();
        let c = decode(&j, &DecodeLimits::default()).unwrap().to_rgb8();
        assert_eq!(g.dimensions(), c.dimensions());
        for (a, p) in g.pixels().zip(c.pixels()) {
            let y = 0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2]);
            assert!((f32::from(a[0]) - y).abs() <= 3.0, "{a:?} {p:?}");
        }
    }
}
