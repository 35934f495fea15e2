//! Small raster helpers on single-channel planes: area downscaling, box and near-Gaussian blur,
//! max filter, bilinear sampling. Single-threaded and allocation-light on purpose: the
//! pipeline runs on one core of the kiosk's SoC.

use image::GrayImage;

/// A single-channel f32 plane.
#[derive(Debug, Clone, PartialEq)]
pub struct Plane {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Row-major samples.
    pub data: Vec<f32>,
}

impl Plane {
    /// A plane filled with `value`.
    pub fn filled(width: usize, height: usize, value: f32) -> Plane {
        Plane {
            width,
            height,
            data: vec![value; width * height],
        }
    }

    /// From an 8-bit grey image.
    pub fn from_gray(img: &GrayImage) -> Plane {
        Plane {
            width: img.width() as usize,
            height: img.height() as usize,
            data: img.as_raw().iter().map(|&v| f32::from(v)).collect(),
        }
    }

    /// Sample at integer coordinates, clamped to the edges.
    #[inline]
    pub fn at_clamped(&self, x: isize, y: isize) -> f32 {
        let x = x.clamp(0, self.width as isize - 1) as usize;
        let y = y.clamp(0, self.height as isize - 1) as usize;
        self.data[y * self.width + x]
    }

    /// Bilinear sample at *continuous* coordinates (pixel centres at `i + 0.5`), clamped.
    #[inline]
    pub fn sample(&self, x: f32, y: f32) -> f32 {
        let fx = x - 0.5;
        let fy = y - 0.5;
        let x0 = ffloor(fx);
        let y0 = ffloor(fy);
        let ax = fx - x0;
        let ay = fy - y0;
        let (x0, y0) = (x0 as isize, y0 as isize);
        let a = self.at_clamped(x0, y0);
        let b = self.at_clamped(x0 + 1, y0);
        let c = self.at_clamped(x0, y0 + 1);
        let d = self.at_clamped(x0 + 1, y0 + 1);
        let top = a + (b - a) * ax;
        let bottom = c + (d - c) * ax;
        top + (bottom - top) * ay
    }
}

/// `floor` without a libm call (x86-64's baseline has no SSE4.1 `roundss`, so `f32::floor`
/// is a function call in the hot loops). Exact for |v| < 2³¹; NaN gives 0.
#[inline(always)]
pub fn ffloor(v: f32) -> f32 {
    let t = v as i32 as f32;
    if t > v { t - 1.0 } else { t }
}

/// Bilinear sample of an 8-bit grey image at continuous coordinates, clamped to the edges.
#[inline]
pub fn sample_gray(img: &GrayImage, x: f32, y: f32) -> f32 {
    let w = img.width() as isize;
    let h = img.height() as isize;
    let raw = img.as_raw();
    let at = |xi: isize, yi: isize| -> f32 {
        let xi = xi.clamp(0, w - 1) as usize;
        let yi = yi.clamp(0, h - 1) as usize;
        f32::from(raw[yi * w as usize + xi])
    };
    let fx = x - 0.5;
    let fy = y - 0.5;
    let x0 = ffloor(fx);
    let y0 = ffloor(fy);
    let ax = fx - x0;
    let ay = fy - y0;
    let (x0, y0) = (x0 as isize, y0 as isize);
    let top = at(x0, y0) + (at(x0 + 1, y0) - at(x0, y0)) * ax;
    let bottom = at(x0, y0 + 1) + (at(x0 + 1, y0 + 1) - at(x0, y0 + 1)) * ax;
    top + (bottom - top) * ay
}

/// Area-average downscale by an integer factor `k` (the partial blocks at the right and bottom
/// edges are dropped). Small pixel `(i, j)` covers full-resolution `[i·k, (i+1)·k)`.
pub fn downscale_box(img: &GrayImage, k: u32) -> GrayImage {
    let k = k.max(1);
    let (w, h) = img.dimensions();
    if w < k || h < k {
        return img.clone();
    }
    let (sw, sh) = (w / k, h / k);
    let (kk, wu, swu) = (k as usize, w as usize, sw as usize);
    let src = img.as_raw();
    let mut sums = vec![0u32; swu];
    let mut out = Vec::with_capacity(swu * sh as usize);
    let n = (kk * kk) as u32;
    for sy in 0..sh as usize {
        sums.iter_mut().for_each(|s| *s = 0);
        for dy in 0..kk {
            let y = sy * kk + dy;
            let row = &src[y * wu..y * wu + swu * kk];
            if kk == 2 {
                for (s, pair) in sums.iter_mut().zip(row.chunks_exact(2)) {
                    *s += u32::from(pair[0]) + u32::from(pair[1]);
                }
            } else {
                for (s, block) in sums.iter_mut().zip(row.chunks_exact(kk)) {
                    *s += block.iter().map(|&v| u32::from(v)).sum::<u32>();
                }
            }
        }
        out.extend(sums.iter().map(|&s| ((s + n / 2) / n) as u8));
    }
    GrayImage::from_raw(sw, sh, out).unwrap_or_else(|| GrayImage::new(sw, sh))
}

/// Box blur of radius `r` (window `2r+1`) along rows then columns, edges clamped.
pub fn box_blur(p: &mut Plane, r: usize) {
    if r == 0 || p.width == 0 || p.height == 0 {
        return;
    }
    let (w, h) = (p.width, p.height);
    let mut line = Vec::with_capacity(w.max(h));
    let mut out = Vec::with_capacity(w.max(h));
    for y in 0..h {
        line.clear();
        line.extend_from_slice(&p.data[y * w..(y + 1) * w]);
        blur_line(&line, r, &mut out);
        p.data[y * w..(y + 1) * w].copy_from_slice(&out);
    }
    for x in 0..w {
        line.clear();
        line.extend((0..h).map(|y| p.data[y * w + x]));
        blur_line(&line, r, &mut out);
        for (y, v) in out.iter().enumerate() {
            p.data[y * w + x] = *v;
        }
    }
}

fn blur_line(src: &[f32], r: usize, out: &mut Vec<f32>) {
    let n = src.len();
    out.clear();
    let at = |i: isize| src[i.clamp(0, n as isize - 1) as usize];
    let ri = r as isize;
    let mut sum: f32 = (-ri..=ri).map(at).sum();
    let norm = 1.0 / (2 * r + 1) as f32;
    for i in 0..n as isize {
        out.push(sum * norm);
        sum += at(i + ri + 1) - at(i - ri);
    }
}

/// Approximate Gaussian blur of standard deviation `sigma` by three box passes
/// (Kovesi's "boxes for Gauss"); a single [¼ ½ ¼] pass for sigma below about 0.8.
pub fn gaussian_blur(p: &mut Plane, sigma: f32) {
    if sigma <= 0.05 {
        return;
    }
    if sigma < 0.8 {
        // binomial [1 2 1]/4 has variance 0.5; mix with identity for smaller sigmas
        let a = (sigma * sigma).min(0.5);
        kernel3(p, a / 2.0);
        return;
    }
    for r in boxes_for_gauss(sigma) {
        box_blur(p, r);
    }
}

fn kernel3(p: &mut Plane, side: f32) {
    let (w, h) = (p.width, p.height);
    let centre = 1.0 - 2.0 * side;
    let mut tmp = p.data.clone();
    for y in 0..h {
        for x in 0..w {
            let l = p.data[y * w + x.saturating_sub(1)];
            let c = p.data[y * w + x];
            let r = p.data[y * w + (x + 1).min(w - 1)];
            tmp[y * w + x] = side * (l + r) + centre * c;
        }
    }
    for y in 0..h {
        for x in 0..w {
            let u = tmp[y.saturating_sub(1) * w + x];
            let c = tmp[y * w + x];
            let d = tmp[(y + 1).min(h - 1) * w + x];
            p.data[y * w + x] = side * (u + d) + centre * c;
        }
    }
}

/// Radii of three box filters whose convolution approximates a Gaussian of `sigma`.
fn boxes_for_gauss(sigma: f32) -> [usize; 3] {
    let n = 3.0f32;
    let w_ideal = (12.0 * sigma * sigma / n + 1.0).sqrt();
    let mut wl = w_ideal.floor() as i32;
    if wl % 2 == 0 {
        wl -= 1;
    }
    let wl = wl.max(1);
    let wu = wl + 2;
    let m_ideal = (12.0 * sigma * sigma - n * (wl * wl) as f32 - 4.0 * n * wl as f32 - 3.0 * n)
        / (-4.0 * wl as f32 - 4.0);
    let m = m_ideal.round() as i32;
    let mut out = [0usize; 3];
    for (i, o) in out.iter_mut().enumerate() {
        let width = if (i as i32) < m { wl } else { wu };
        *o = ((width - 1) / 2).max(0) as usize;
    }
    out
}

/// Separable max filter (grey dilation with a square of side `2r+1`).
pub fn max_filter(p: &mut Plane, r: usize) {
    if r == 0 || p.width == 0 || p.height == 0 {
        return;
    }
    let (w, h) = (p.width, p.height);
    let mut tmp = vec![0.0f32; w * h];
    for y in 0..h {
        let row = &p.data[y * w..(y + 1) * w];
        for x in 0..w {
            let lo = x.saturating_sub(r);
            let hi = (x + r).min(w - 1);
            tmp[y * w + x] = row[lo..=hi].iter().copied().fold(f32::MIN, f32::max);
        }
    }
    for x in 0..w {
        for y in 0..h {
            let lo = y.saturating_sub(r);
            let hi = (y + r).min(h - 1);
            let mut m = f32::MIN;
            for yy in lo..=hi {
                m = m.max(tmp[yy * w + x]);
            }
            p.data[y * w + x] = m;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn box_blur_keeps_the_mean_of_a_constant() {
        let mut p = Plane::filled(17, 9, 42.0);
        box_blur(&mut p, 3);
        assert!(p.data.iter().all(|v| (v - 42.0).abs() < 1e-4));
    }

    #[test]
    fn gaussian_blur_variance_is_close() {
        // blur a delta and measure the spread
        for sigma in [0.5f32, 1.0, 2.0, 4.0] {
            let n = 81;
            let mut p = Plane::filled(n, 1, 0.0);
            p.data[40] = 1.0;
            // rows only: a 1-pixel-high plane blurs vertically into itself
            gaussian_blur(&mut p, sigma);
            let total: f32 = p.data.iter().sum();
            let var: f32 = p
                .data
                .iter()
                .enumerate()
                .map(|(i, v)| v * (i as f32 - 40.0).powi(2))
                .sum::<f32>()
                / total;
            assert!(
                (var.sqrt() - sigma).abs() < 0.2 * sigma + 0.1,
                "sigma {sigma}: {}",
                var.sqrt()
            );
        }
    }

    #[test]
    fn downscale_averages_blocks() {
        let img = GrayImage::from_fn(8, 4, |x, _| image::Luma([if x < 4 { 0 } else { 200 }]));
        let s = downscale_box(&img, 4);
        assert_eq!(s.dimensions(), (2, 1));
        assert_eq!(s.as_raw(), &vec![0, 200]);
    }

    #[test]
    fn sample_is_exact_at_centres() {
        let img = GrayImage::from_fn(4, 4, |x, y| image::Luma([(x * 10 + y) as u8]));
        assert_eq!(sample_gray(&img, 2.5, 1.5), 21.0);
        assert!((sample_gray(&img, 2.0, 1.5) - 16.0).abs() < 1e-4);
    }
}
