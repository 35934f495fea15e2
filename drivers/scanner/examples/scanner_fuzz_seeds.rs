//! Writes seed inputs for the `scanner_frame` fuzz target in `fuzz/`: small MJPEG frames from
//! the image crate's encoder (with DHT, without, with padding after EOI), the FORMATS.md §2.3
//! structure vectors, and YUYV frames. Without them the fuzzer rarely builds a frame header
//! that walks.
//!
//! Run with `cargo run -p scanner --example scanner_fuzz_seeds -- fuzz/seeds` from the
//! repository root; it writes `<dir>/scanner_frame/*`. Each seed is a flags byte (bit 0: YUYV),
//! a width byte and a height byte (the fuzz target takes `b % 64 + 1`), then the frame bytes.

use std::fs;
use std::path::PathBuf;

use scanner::frame::{mjpeg, yuyv};

fn picture(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    })
}

fn jpeg(image: &image::RgbImage, quality: u8) -> Result<Vec<u8>, image::ImageError> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality).encode(
        image.as_raw(),
        image.width(),
        image.height(),
        image::ExtendedColorType::Rgb8,
    )?;
    Ok(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: scanner_fuzz_seeds <dir>")?,
    );
    let dir = root.join("scanner_frame");
    fs::create_dir_all(&dir)?;
    // the fuzz target's size is `b % 64 + 1`: store `size - 1`
    let write = |name: &str, yuyv: bool, w: u32, h: u32, data: &[u8]| {
        let head = [u8::from(yuyv), (w - 1) as u8, (h - 1) as u8];
        fs::write(dir.join(name), [&head[..], data].concat())
    };

    for (w, h, q) in [(16, 16, 50), (32, 24, 75), (8, 8, 90), (64, 48, 30)] {
        let full = jpeg(&picture(w, h), q)?;
        write(&format!("mjpeg-{w}x{h}"), false, w, h, &full)?;
        let stripped = mjpeg::strip_dht(&full)?;
        write(&format!("mjpeg-{w}x{h}-no-dht"), false, w, h, &stripped)?;
        let mut padded = stripped.clone();
        padded.extend_from_slice(&[0; 16]);
        write(&format!("mjpeg-{w}x{h}-padded"), false, w, h, &padded)?;
    }
    let structural = "FF D8 FF C0 00 0B 08 00 10 00 10 01 01 11 00 FF DA 00 08 01 01 00 00 3F 00 12 FF 00 FF D0 34 FF FF D9";
    let bytes: Vec<u8> = structural
        .split_whitespace()
        .map(|b| u8::from_str_radix(b, 16))
        .collect::<Result<_, _>>()?;
    write("structure-16x16", false, 16, 16, &bytes)?;
    for (w, h) in [(2, 1), (8, 4), (16, 8)] {
        let rgb = picture(w, h);
        write(
            &format!("yuyv-{w}x{h}"),
            true,
            w,
            h,
            &yuyv::from_rgb8(w, h, rgb.as_raw())?,
        )?;
    }
    println!("seeds written to {}", dir.display());
    Ok(())
}
