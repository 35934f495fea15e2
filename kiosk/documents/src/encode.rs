//! JPEG encoding under a byte budget, with jpeg-encoder (pure Rust; AVX2 detected at run
//! time). On the A4 page from a 5 MP frame it took 21 ms grey / 29 ms colour where `image`'s
//! own encoder took 31 ms / 100 ms (one core, reference/deps.md's JPEG row has the same
//! picture), at sizes within 1 % (grey) and 12 % smaller (colour, 4:2:0 below quality 90).

use jpeg_encoder::{ColorType, Encoder, PixelDensity};

use crate::rejection::{Limit, Rejection};

/// Pixels to encode.
#[derive(Debug, Clone, Copy)]
pub enum Pixels<'a> {
    /// 8-bit grey.
    Gray(&'a image::GrayImage),
    /// 8-bit RGB.
    Rgb(&'a image::RgbImage),
}

/// One baseline JPEG at `quality` with the density recorded in the JFIF header.
pub fn encode_jpeg(px: Pixels<'_>, quality: u8, dpi: u16) -> Result<Vec<u8>, Rejection> {
    let (data, w, h, colour) = match px {
        Pixels::Gray(g) => (
            g.as_raw().as_slice(),
            g.width(),
            g.height(),
            ColorType::Luma,
        ),
        Pixels::Rgb(c) => (c.as_raw().as_slice(), c.width(), c.height(), ColorType::Rgb),
    };
    let (Ok(w), Ok(h)) = (u16::try_from(w), u16::try_from(h)) else {
        return Err(Rejection::Corrupt(format!("{w}x{h} is too large for JPEG")));
    };
    let mut out = Vec::new();
    let mut enc = Encoder::new(&mut out, quality.clamp(1, 100));
    enc.set_density(PixelDensity::dpi(dpi));
    enc.encode(data, w, h, colour)
        .map_err(|e| Rejection::Corrupt(format!("JPEG encoding failed: {e}")))?;
    Ok(out)
}

/// The highest quality in `min_quality ..= start_quality` whose JPEG fits in `max_bytes`:
/// `start_quality` first (documents usually fit), then a bisection. Returns the bytes, the
/// quality and how many encodes it took.
pub fn encode_within(
    px: Pixels<'_>,
    dpi: u16,
    start_quality: u8,
    min_quality: u8,
    max_bytes: usize,
) -> Result<(Vec<u8>, u8, u32), Rejection> {
    let first = encode_jpeg(px, start_quality, dpi)?;
    if first.len() <= max_bytes {
        return Ok((first, start_quality, 1));
    }
    let mut encodes = 1;
    let mut smallest = first.len();
    let (mut lo, mut hi) = (
        min_quality.min(start_quality),
        start_quality.saturating_sub(1),
    );
    let mut best: Option<(Vec<u8>, u8)> = None;
    while lo <= hi {
        let mid = lo + (hi - lo) / 2;
        let j = encode_jpeg(px, mid, dpi)?;
        encodes += 1;
        smallest = smallest.min(j.len());
        if j.len() <= max_bytes {
            best = Some((j, mid));
            lo = mid + 1;
        } else if mid == 0 {
            break;
        } else {
            hi = mid - 1;
        }
    }
    match best {
        Some((j, q)) => Ok((j, q, encodes)),
        None => Err(Rejection::TooLarge(Limit::OutputBytes {
            len: smallest,
            max: max_bytes,
        })),
    }
}
