//! Measures on the rectified page: paper background, ink share (blank pages), blur, and the
//! residual skew of the content.
//!
//! Thresholds are constants here and fields of [`crate::Config`]; how they were calibrated is
//! in the crate README (`cargo run --release -p documents --example calibrate`).

use image::GrayImage;

use crate::raster::{Plane, box_blur, downscale_box, ffloor, max_filter};

/// The paper's brightness as a smooth field: the page is cut into `cell`×`cell` blocks
/// (area average), grey-dilated by `radius` blocks (so a block of text takes the brightness of
/// the paper next to it) and box-smoothed. Read back with [`Background::rows`].
#[derive(Debug, Clone)]
pub struct Background {
    plane: Plane,
    cell: f32,
}

impl Background {
    /// Estimates the background of a grey page.
    pub fn estimate(gray: &GrayImage, cell: u32, radius: usize) -> Background {
        let small = downscale_box(gray, cell);
        let mut plane = Plane::from_gray(&small);
        max_filter(&mut plane, radius);
        box_blur(&mut plane, radius);
        for v in plane.data.iter_mut() {
            *v = v.max(1.0);
        }
        Background {
            plane,
            cell: cell as f32,
        }
    }

    /// Estimates one background per channel of an interleaved RGB page.
    pub fn estimate_rgb(rgb: &image::RgbImage, cell: u32, radius: usize) -> [Background; 3] {
        let (w, h) = rgb.dimensions();
        let channel = |c: usize| {
            let data = rgb.as_raw().iter().skip(c).step_by(3).copied().collect();
            let g = GrayImage::from_raw(w, h, data).unwrap_or_else(|| GrayImage::new(w, h));
            Background::estimate(&g, cell, radius)
        };
        [channel(0), channel(1), channel(2)]
    }

    /// A reader of background rows for an image `width` pixels wide that is the page scaled
    /// by `1/scale` (scale 1: the page itself; 2: a half-size copy).
    pub fn rows(&self, width: usize, scale: f32) -> BackgroundRows<'_> {
        let p = &self.plane;
        let step = scale / self.cell;
        let xs = (0..width)
            .map(|x| {
                let cx = ((x as f32 + 0.5) * step - 0.5).max(0.0);
                let x0 = (ffloor(cx) as usize).min(p.width - 1);
                let ax = if x0 + 1 < p.width {
                    cx - x0 as f32
                } else {
                    0.0
                };
                (x0, ax.clamp(0.0, 1.0))
            })
            .collect();
        BackgroundRows {
            bg: self,
            scale,
            xs,
            cells: Vec::with_capacity(p.width),
        }
    }

    /// Fills `out` with the background under row `y` (see [`Background::rows`]).
    pub fn row_into(&self, y: usize, width: usize, scale: f32, out: &mut Vec<f32>) {
        self.rows(width, scale).row_into(y, out);
    }
}

/// Reads background rows at one image size (bilinear from the block grid).
#[derive(Debug, Clone)]
pub struct BackgroundRows<'a> {
    bg: &'a Background,
    scale: f32,
    xs: Vec<(usize, f32)>,
    cells: Vec<f32>,
}

impl BackgroundRows<'_> {
    /// Fills `out` with the background under row `y`.
    pub fn row_into(&mut self, y: usize, out: &mut Vec<f32>) {
        let p = &self.bg.plane;
        let cy = ((y as f32 + 0.5) * self.scale / self.bg.cell - 0.5).max(0.0);
        let y0 = (ffloor(cy) as usize).min(p.height - 1);
        let y1 = (y0 + 1).min(p.height - 1);
        let ay = (cy - y0 as f32).clamp(0.0, 1.0);
        let (r0, r1) = (
            &p.data[y0 * p.width..(y0 + 1) * p.width],
            &p.data[y1 * p.width..(y1 + 1) * p.width],
        );
        self.cells.clear();
        self.cells
            .extend(r0.iter().zip(r1.iter()).map(|(a, b)| a + (b - a) * ay));
        // one guard cell so x0 + 1 is always in range
        if let Some(&last) = self.cells.last() {
            self.cells.push(last);
        }
        out.clear();
        let cells = &self.cells;
        out.extend(self.xs.iter().map(|&(x0, ax)| {
            let a = cells[x0];
            a + (cells[x0 + 1] - a) * ax
        }));
    }
}

/// A pixel is ink when darker than this share of the paper under it …
pub const INK_RATIO: f32 = 0.72;
/// … and at least this many grey levels below it (so noise on a dim page is not ink).
pub const INK_MIN_DROP: f32 = 12.0;
/// Share of each side left out of the page measures (crop margin, page-edge shading).
pub const MARGIN: f32 = 0.04;

/// The ink mask of a page at half resolution, as point coordinates (for [`estimate_skew`])
/// and the ink share of the inner page.
#[derive(Debug, Clone)]
pub struct Ink {
    /// Share of inner-page pixels that are ink, 0 … 1.
    pub fraction: f32,
    /// Ink pixel centres, at half resolution.
    pub points: Vec<(u16, u16)>,
    /// Width and height of the half-resolution page.
    pub size: (u32, u32),
    /// Histogram of ink pixels' share of the paper brightness (`INK_RATIO` split in 64 bins).
    ratios: [u32; 64],
}

impl Ink {
    /// The share of paper brightness that the darkest `quantile` of the ink reaches (for the
    /// black point of the contrast stretch); `None` without ink.
    pub fn ratio_quantile(&self, quantile: f32) -> Option<f32> {
        let total: u32 = self.ratios.iter().sum();
        if total == 0 {
            return None;
        }
        let target = (total as f32 * quantile.clamp(0.0, 1.0)) as u32;
        let mut seen = 0;
        for (i, &c) in self.ratios.iter().enumerate() {
            seen += c;
            if seen > target {
                return Some((i as f32 + 0.5) / 64.0 * INK_RATIO);
            }
        }
        Some(INK_RATIO)
    }
}

/// Finds the ink on a grey page against its background.
pub fn ink(gray: &GrayImage, bg: &Background) -> Ink {
    let half = downscale_box(gray, 2);
    let (w, h) = half.dimensions();
    let (mx, my) = ((w as f32 * MARGIN) as u32, (h as f32 * MARGIN) as u32);
    let mut row = Vec::with_capacity(w as usize);
    let mut rows = bg.rows(w as usize, 2.0);
    let mut points = Vec::new();
    let mut total = 0u64;
    let mut ratios = [0u32; 64];
    for y in my..h.saturating_sub(my) {
        rows.row_into(y as usize, &mut row);
        let src = &half.as_raw()[(y * w) as usize..((y + 1) * w) as usize];
        for x in mx..w.saturating_sub(mx) {
            let b = row[x as usize];
            let v = f32::from(src[x as usize]);
            total += 1;
            if v < INK_RATIO * b && b - v > INK_MIN_DROP {
                points.push((x as u16, y as u16));
                let bin = ((v / b) / INK_RATIO * 64.0) as usize;
                ratios[bin.min(63)] += 1;
            }
        }
    }
    let fraction = if total == 0 {
        0.0
    } else {
        points.len() as f32 / total as f32
    };
    Ink {
        fraction,
        points,
        size: (w, h),
        ratios,
    }
}

/// Pixels per millimetre at which blur is measured (about 150 dpi, a 5 MP 高拍仪 on A4).
pub const BLUR_SCALE_PX_PER_MM: f32 = 6.0;

/// The inner part of the page in the capture (the quadrilateral shrunk to `keep` of its size
/// about its centre, then its bounding box), area-downscaled by an integer factor towards
/// [`BLUR_SCALE_PX_PER_MM`] given the capture's `px_per_mm` on the page.
pub fn blur_region(
    gray: &GrayImage,
    corners: &[(f32, f32); 4],
    keep: f32,
    px_per_mm: f32,
) -> GrayImage {
    let cx = corners.iter().map(|p| p.0).sum::<f32>() / 4.0;
    let cy = corners.iter().map(|p| p.1).sum::<f32>() / 4.0;
    let xs = corners.iter().map(|p| cx + (p.0 - cx) * keep);
    let ys = corners.iter().map(|p| cy + (p.1 - cy) * keep);
    let (w, h) = gray.dimensions();
    let x0 = xs.clone().fold(f32::MAX, f32::min).clamp(0.0, w as f32) as u32;
    let x1 = xs.fold(f32::MIN, f32::max).clamp(0.0, w as f32) as u32;
    let y0 = ys.clone().fold(f32::MAX, f32::min).clamp(0.0, h as f32) as u32;
    let y1 = ys.fold(f32::MIN, f32::max).clamp(0.0, h as f32) as u32;
    let crop =
        image::imageops::crop_imm(gray, x0, y0, x1.saturating_sub(x0), y1.saturating_sub(y0))
            .to_image();
    let f = (px_per_mm / BLUR_SCALE_PX_PER_MM).round().max(1.0) as u32;
    if f > 1 { downscale_box(&crop, f) } else { crop }
}

/// Estimated rotation of the content's lines, in degrees, clockwise on screen, within
/// ±`max_deg`; `None` when there is too little ink or no clear line structure. Projection
/// profiles of up to 12 000 ink points over candidate angles (0.2° steps, then 0.02°); the
/// angle whose rows are most concentrated (largest sum of squared row counts) wins, if it
/// beats the median angle by 15 %.
pub fn estimate_skew(ink: &Ink, max_deg: f32) -> Option<f32> {
    if ink.points.len() < 500 {
        return None;
    }
    // at most 12k points, evenly spread
    let stride = (ink.points.len() / 12_000).max(1);
    let pts: Vec<(f32, f32)> = ink
        .points
        .iter()
        .step_by(stride)
        .map(|&(x, y)| (f32::from(x) + 0.5, f32::from(y) + 0.5))
        .collect();
    let (w, h) = (ink.size.0 as f32, ink.size.1 as f32);
    let cx = w / 2.0;
    let rows = (h + w * (max_deg.to_radians().tan()) * 2.0 + 4.0) as usize;
    let mut hist = vec![0u32; rows];
    let offset = rows as f32 / 2.0;
    let mut score = |deg: f32| -> f64 {
        hist.iter_mut().for_each(|v| *v = 0);
        let t = deg.to_radians().tan();
        for &(x, y) in &pts {
            let r = (y - (x - cx) * t - h / 2.0 + offset) as isize;
            if r >= 0 && (r as usize) < rows {
                hist[r as usize] += 1;
            }
        }
        hist.iter().map(|&c| f64::from(c) * f64::from(c)).sum()
    };
    let steps = (max_deg / 0.2).round() as i32;
    let mut scores = Vec::with_capacity((2 * steps + 1) as usize);
    for i in -steps..=steps {
        let a = i as f32 * 0.2;
        scores.push((a, score(a)));
    }
    let (best_a, best_s) = scores.iter().copied().max_by(|a, b| a.1.total_cmp(&b.1))?;
    let mut sorted: Vec<f64> = scores.iter().map(|s| s.1).collect();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    if median <= 0.0 || best_s < 1.15 * median {
        return None;
    }
    let mut fine = (best_a, best_s);
    for i in -10..=10 {
        let a = best_a + i as f32 * 0.02;
        let s = score(a);
        if s > fine.1 {
            fine = (a, s);
        }
    }
    Some(fine.0)
}

/// Default for [`crate::Config::max_blur`] (calibrated, see the README).
pub const MAX_BLUR: f32 = 1.7;
/// Default for [`crate::Config::min_ink_fraction`] (calibrated, see the README).
pub const MIN_INK_FRACTION: f32 = 0.0005;

/// Fewest edges [`edge_spread`] needs for a measure.
pub const MIN_EDGES: usize = 50;
/// Smallest step (grey levels) that counts as an ink edge in [`edge_spread`].
const SPREAD_MIN_STEP: f32 = 30.0;
/// Smallest gradient (grey levels per pixel) at an edge's steepest point.
const SPREAD_MIN_GRADIENT: f32 = 4.0;
/// Furthest an edge's foot is looked for, pixels.
const SPREAD_REACH: usize = 14;

/// The typical width of the ink edges, as the sigma (pixels) of the Gaussian blur that would
/// turn a sharp step into them: for each edge (steepest point of a row or column profile,
/// after a [1 2 1]/4 smoothing in both directions), the step height `A` between the feet on
/// either side and the steepest gradient `g` give `σ = A / (g √(2π))`; the median over all
/// edges, with the smoothing's own 0.7 px taken out. Noise moves `g` and `A` little, unlike
/// pixel-difference measures (Laplacian variance, Crete's re-blur ratio), which read sensor
/// noise as sharpness. `None` when fewer than [`MIN_EDGES`] edges are found.
pub fn edge_spread(gray: &GrayImage) -> Option<f32> {
    let (w, h) = gray.dimensions();
    let (w, h) = (w as usize, h as usize);
    if w < 8 || h < 8 {
        return None;
    }
    // 3×3 binomial smoothing (sigma 0.71 each way)
    let mut p = Plane::from_gray(gray);
    crate::raster::gaussian_blur(&mut p, std::f32::consts::FRAC_1_SQRT_2);
    let mut spreads: Vec<f32> = Vec::new();
    let mut line = Vec::with_capacity(w.max(h));
    for y in (2..h - 2).step_by(2) {
        line.clear();
        line.extend_from_slice(&p.data[y * w..(y + 1) * w]);
        edges_in_line(&line, &mut spreads);
    }
    for x in (2..w - 2).step_by(2) {
        line.clear();
        line.extend((0..h).map(|y| p.data[y * w + x]));
        edges_in_line(&line, &mut spreads);
    }
    if spreads.len() < MIN_EDGES {
        return None;
    }
    let mid = spreads.len() / 2;
    let (_, m, _) = spreads.select_nth_unstable_by(mid, f32::total_cmp);
    let s = *m;
    Some((s * s - 0.5).max(0.0).sqrt())
}

fn edges_in_line(s: &[f32], out: &mut Vec<f32>) {
    let n = s.len();
    if n < 2 * SPREAD_REACH + 3 {
        return;
    }
    let g = |i: usize| (s[i + 1] - s[i - 1]) / 2.0;
    let sqrt_2pi = (2.0 * std::f32::consts::PI).sqrt();
    let mut i = SPREAD_REACH + 1;
    while i < n - SPREAD_REACH - 1 {
        let gi = g(i);
        let a = gi.abs();
        if a < SPREAD_MIN_GRADIENT || a < g(i - 1).abs() || a < g(i + 1).abs() {
            i += 1;
            continue;
        }
        let sign = gi.signum();
        // walk to the feet: while the profile keeps rising (or falling) noticeably
        let flat = 0.15 * a;
        let mut lo = i;
        let mut steps = 0;
        while steps < SPREAD_REACH && lo > 1 && g(lo - 1) * sign > flat {
            lo -= 1;
            steps += 1;
        }
        let lo_ok = steps < SPREAD_REACH;
        let mut hi = i;
        steps = 0;
        while steps < SPREAD_REACH && hi + 2 < n && g(hi + 1) * sign > flat {
            hi += 1;
            steps += 1;
        }
        let hi_ok = steps < SPREAD_REACH;
        let step = (s[(hi + 1).min(n - 1)] - s[lo - 1]).abs();
        if lo_ok && hi_ok && step >= SPREAD_MIN_STEP {
            out.push(step / (a * sqrt_2pi));
        }
        i = hi + 1;
    }
}
