//! Evening out exposure and shadow.
//!
//! * **Paper** (A4 documents, grey or colour): each pixel is divided by the paper background
//!   under it ([`Background`]: block average, grey dilation, smoothing), which removes the
//!   shadow gradient, dim exposure and the light's colour cast at once; then a linear stretch
//!   maps the ink's black point to 0 and [`PAPER_WHITE`] of the background to 255, so bare
//!   paper (and its sensor noise) becomes flat white and compresses well.
//! * **Card** (ID cards, photos): no dilation — a card has large dark areas (the photo) that
//!   must not be brightened — only the very low-frequency light field (blocks of 1/8 of the
//!   card, heavily smoothed) is divided out, scaled to keep the mean, then each channel is
//!   stretched between its 0.5 % and 99.5 % points.

use image::{GrayImage, RgbImage};

use crate::quality::Background;
use crate::raster::{Plane, box_blur, downscale_box};

/// Share of the background brightness that becomes pure white.
pub const PAPER_WHITE: f32 = 0.90;

/// Flattens a grey page in place: `(v / bg − black) / (PAPER_WHITE − black)`.
pub fn flatten_gray(img: &mut GrayImage, bg: &Background, black: f32) {
    let (w, h) = img.dimensions();
    let (w, h) = (w as usize, h as usize);
    let gain = 255.0 / (PAPER_WHITE - black).max(0.05);
    let mut row = Vec::with_capacity(w);
    let mut rows = bg.rows(w, 1.0);
    let raw: &mut [u8] = img;
    let offset = black * gain;
    for y in 0..h {
        rows.row_into(y, &mut row);
        for (v, b) in raw[y * w..(y + 1) * w].iter_mut().zip(row.iter()) {
            *v = (f32::from(*v) * gain / b - offset).clamp(0.0, 255.0) as u8;
        }
    }
}

/// Flattens an RGB page in place with one background per channel (white balance included).
pub fn flatten_rgb(img: &mut RgbImage, bgs: &[Background; 3], black: f32) {
    let (w, h) = img.dimensions();
    let (w, h) = (w as usize, h as usize);
    let gain = 255.0 / (PAPER_WHITE - black).max(0.05);
    let mut rows = [
        Vec::with_capacity(w),
        Vec::with_capacity(w),
        Vec::with_capacity(w),
    ];
    let mut readers = [
        bgs[0].rows(w, 1.0),
        bgs[1].rows(w, 1.0),
        bgs[2].rows(w, 1.0),
    ];
    let raw: &mut [u8] = img;
    let offset = black * gain;
    for y in 0..h {
        for (reader, row) in readers.iter_mut().zip(rows.iter_mut()) {
            reader.row_into(y, row);
        }
        for (x, px) in raw[y * w * 3..(y + 1) * w * 3]
            .chunks_exact_mut(3)
            .enumerate()
        {
            for c in 0..3 {
                px[c] = (f32::from(px[c]) * gain / rows[c][x] - offset).clamp(0.0, 255.0) as u8;
            }
        }
    }
}

/// Luminance (BT.601 weights, integer) of an RGB image.
pub fn luma(rgb: &RgbImage) -> GrayImage {
    let (w, h) = rgb.dimensions();
    let data = rgb
        .as_raw()
        .chunks_exact(3)
        .map(|p| {
            ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) + 128) >> 8) as u8
        })
        .collect();
    GrayImage::from_raw(w, h, data).unwrap_or_else(|| GrayImage::new(w, h))
}

/// The low-frequency light field of a card, normalised to mean 1, at block resolution.
fn light_field(gray: &GrayImage) -> (Plane, f32) {
    let (w, h) = gray.dimensions();
    let cell = (w.min(h) / 8).max(1);
    let small = downscale_box(gray, cell);
    let mut p = Plane::from_gray(&small);
    let r = (p.width.min(p.height) / 2).max(1);
    box_blur(&mut p, r);
    box_blur(&mut p, r);
    let mean = p.data.iter().sum::<f32>() / p.data.len().max(1) as f32;
    for v in p.data.iter_mut() {
        *v = (*v / mean.max(1.0)).max(0.05);
    }
    (p, cell as f32)
}

/// Evens out the light on a card (RGB) and stretches each channel.
pub fn normalize_card_rgb(img: &mut RgbImage) {
    let gray = luma(img);
    let (field, cell) = light_field(&gray);
    let w = img.width() as usize;
    let raw: &mut [u8] = img;
    for (y, row) in raw.chunks_exact_mut(w * 3).enumerate() {
        for (x, px) in row.chunks_exact_mut(3).enumerate() {
            let f = field.sample((x as f32 + 0.5) / cell, (y as f32 + 0.5) / cell);
            for v in px.iter_mut() {
                *v = (f32::from(*v) / f).clamp(0.0, 255.0) as u8;
            }
        }
    }
    stretch_channels(raw, 3);
}

/// Evens out the light on a card (grey) and stretches it.
pub fn normalize_card_gray(img: &mut GrayImage) {
    let (field, cell) = light_field(img);
    let w = img.width() as usize;
    let raw: &mut [u8] = img;
    for (y, row) in raw.chunks_exact_mut(w).enumerate() {
        for (x, v) in row.iter_mut().enumerate() {
            let f = field.sample((x as f32 + 0.5) / cell, (y as f32 + 0.5) / cell);
            *v = (f32::from(*v) / f).clamp(0.0, 255.0) as u8;
        }
    }
    stretch_channels(raw, 1);
}

/// Per-channel linear stretch between the 0.5 % and 99.5 % points.
fn stretch_channels(raw: &mut [u8], channels: usize) {
    for c in 0..channels {
        let mut hist = [0u32; 256];
        for v in raw.iter().skip(c).step_by(channels) {
            hist[usize::from(*v)] += 1;
        }
        let total: u32 = hist.iter().sum();
        let pick = |q: f32| {
            let target = (total as f32 * q) as u32;
            let mut seen = 0;
            for (i, &n) in hist.iter().enumerate() {
                seen += n;
                if seen > target {
                    return i as f32;
                }
            }
            255.0
        };
        let (lo, hi) = (pick(0.005), pick(0.995));
        if hi - lo < 16.0 {
            continue;
        }
        let mut lut = [0u8; 256];
        for (i, l) in lut.iter_mut().enumerate() {
            *l = ((i as f32 - lo) * 255.0 / (hi - lo)).clamp(0.0, 255.0) as u8;
        }
        for v in raw.iter_mut().skip(c).step_by(channels) {
            *v = lut[usize::from(*v)];
        }
    }
}

/// Paints an `n`-pixel frame white: the warp's outermost pixels mix in the base beyond the
/// page edge, which would print as a thin dark line round every sheet.
pub fn whiten_border(raw: &mut [u8], width: usize, height: usize, channels: usize, n: usize) {
    let stride = width * channels;
    for y in 0..height {
        let row = &mut raw[y * stride..(y + 1) * stride];
        if y < n || y + n >= height {
            row.fill(255);
        } else {
            let edge = (n * channels).min(stride);
            row[..edge].fill(255);
            row[stride - edge..].fill(255);
        }
    }
}
