//! Synthetic 高拍仪 captures with known page corners: an A4 sheet (lines of character-like
//! glyphs, a table, a red seal) or an ID card on a dark base, placed with rotation and
//! perspective tilt, lit with a shadow gradient and dim exposure, blurred by the lens and
//! noisy like a sensor; also a blank sheet and an empty base. For tests, benchmarks, the
//! scanner simulator and the dev dock.
//!
//! ```
//! use documents::synthetic::{self, PageSpec};
//! let cap = synthetic::page(&PageSpec::a4().frame(648, 486).rotated(3.0));
//! let corners = cap.corners.expect("an A4 capture has a page");
//! assert_eq!(cap.image.dimensions(), (648, 486));
//! assert!(corners[0].0 < corners[1].0);
//! ```

use image::RgbImage;

use crate::homography::Homography;
use crate::raster::{Plane, ffloor, gaussian_blur};

/// What lies under the camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Subject {
    /// An A4 sheet (210 × 297 mm): a title, paragraphs of glyphs, a 5 × 4 table, a red seal.
    A4Text,
    /// An ID card (85.6 × 54 mm, 3.2 mm corner radius): photo, labelled fields, number.
    IdCard,
    /// A blank A4 sheet.
    BlankPaper,
    /// Nothing: the empty base.
    EmptyDesk,
}

impl Subject {
    /// Width and height in millimetres (the A4 sheet's size for `EmptyDesk`).
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Subject::IdCard => (85.6, 54.0),
            _ => (210.0, 297.0),
        }
    }

    fn corner_radius_mm(self) -> f32 {
        match self {
            Subject::IdCard => 3.2,
            _ => 0.0,
        }
    }
}

/// How to make a capture. Build with [`PageSpec::a4`] and friends, then adjust.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSpec {
    /// What to photograph.
    pub subject: Subject,
    /// Frame size in pixels (5 MP: 2592 × 1944).
    pub frame: (u32, u32),
    /// Page centre as a share of the frame's width and height.
    pub centre: (f32, f32),
    /// Pixels per millimetre on the page; `None`: an upright A4 sheet's height fills 88 % of
    /// the frame's height (5.76 px/mm, 146 dpi, at 5 MP).
    pub scale: Option<f32>,
    /// Rotation of the page, degrees, clockwise on screen.
    pub rotation_deg: f32,
    /// Keystone (camera not square to the base): horizontal and vertical perspective, as the
    /// relative shrink of the far side (0.05 = 5 %); positive shrinks the right / bottom.
    pub tilt: (f32, f32),
    /// Shadow depth: the darkest side gets `1 − shadow` of the light.
    pub shadow: f32,
    /// Direction the shadow deepens towards, degrees (0: to the right, 90: downwards).
    pub shadow_angle_deg: f32,
    /// Global exposure (1 normal, 0.5 dim).
    pub exposure: f32,
    /// Sensor noise, standard deviation in grey levels.
    pub noise: f32,
    /// Optical blur, Gaussian sigma in pixels (0.7 is a focused lens).
    pub blur: f32,
    /// Rotation of the print on the sheet, degrees clockwise (a crooked photocopy): the
    /// sheet's edges stay where they are, the text, table and seal turn about its centre.
    pub print_skew_deg: f32,
    /// Seed for the text, texture and noise.
    pub seed: u64,
}

impl PageSpec {
    /// A sharp, evenly lit, upright A4 sheet in a 5 MP frame.
    pub fn a4() -> PageSpec {
        PageSpec {
            subject: Subject::A4Text,
            frame: (2592, 1944),
            centre: (0.5, 0.5),
            scale: None,
            rotation_deg: 0.0,
            tilt: (0.0, 0.0),
            shadow: 0.0,
            shadow_angle_deg: 30.0,
            exposure: 1.0,
            noise: 2.0,
            blur: 0.7,
            print_skew_deg: 0.0,
            seed: 1,
        }
    }

    /// An ID card, same camera.
    pub fn id_card() -> PageSpec {
        PageSpec {
            subject: Subject::IdCard,
            ..PageSpec::a4()
        }
    }

    /// A blank A4 sheet.
    pub fn blank_paper() -> PageSpec {
        PageSpec {
            subject: Subject::BlankPaper,
            ..PageSpec::a4()
        }
    }

    /// The empty base.
    pub fn empty_desk() -> PageSpec {
        PageSpec {
            subject: Subject::EmptyDesk,
            ..PageSpec::a4()
        }
    }

    /// With this frame size (the scale follows unless set).
    pub fn frame(mut self, w: u32, h: u32) -> PageSpec {
        self.frame = (w, h);
        self
    }

    /// Rotated by `deg`, clockwise.
    pub fn rotated(mut self, deg: f32) -> PageSpec {
        self.rotation_deg = deg;
        self
    }

    /// With keystone tilt.
    pub fn tilted(mut self, horizontal: f32, vertical: f32) -> PageSpec {
        self.tilt = (horizontal, vertical);
        self
    }

    /// Centred at this share of the frame.
    pub fn at(mut self, x: f32, y: f32) -> PageSpec {
        self.centre = (x, y);
        self
    }

    /// With a shadow of this depth, deepening towards `angle_deg`.
    pub fn shadowed(mut self, depth: f32, angle_deg: f32) -> PageSpec {
        self.shadow = depth;
        self.shadow_angle_deg = angle_deg;
        self
    }

    /// With this exposure.
    pub fn exposed(mut self, exposure: f32) -> PageSpec {
        self.exposure = exposure;
        self
    }

    /// With this noise sigma.
    pub fn noisy(mut self, sigma: f32) -> PageSpec {
        self.noise = sigma;
        self
    }

    /// With this optical blur sigma, in pixels.
    pub fn blurred(mut self, sigma: f32) -> PageSpec {
        self.blur = sigma;
        self
    }

    /// With the print turned by `deg` on the sheet.
    pub fn print_skewed(mut self, deg: f32) -> PageSpec {
        self.print_skew_deg = deg;
        self
    }

    /// With this seed.
    pub fn seeded(mut self, seed: u64) -> PageSpec {
        self.seed = seed;
        self
    }

    /// With this many pixels per millimetre.
    pub fn scaled(mut self, px_per_mm: f32) -> PageSpec {
        self.scale = Some(px_per_mm);
        self
    }

    /// The pixels per millimetre this spec renders at.
    pub fn px_per_mm(&self) -> f32 {
        self.scale
            .unwrap_or(0.88 * self.frame.0.min(self.frame.1) as f32 / 297.0)
    }

    /// Page millimetres → frame pixels (continuous coordinates).
    pub fn placement(&self) -> Homography {
        let (w, h) = self.subject.size_mm();
        let s = f64::from(self.px_per_mm());
        let (fw, fh) = (f64::from(self.frame.0), f64::from(self.frame.1));
        let (cx, cy) = (f64::from(self.centre.0) * fw, f64::from(self.centre.1) * fh);
        let centre_page = Homography::translate(-f64::from(w) / 2.0, -f64::from(h) / 2.0);
        let scale = Homography([s, 0.0, 0.0, 0.0, s, 0.0, 0.0, 0.0, 1.0]);
        let rot = Homography::rotate_about(f64::from(self.rotation_deg).to_radians(), 0.0, 0.0);
        let place = Homography::translate(cx, cy);
        let (hw, hh) = (fw / 2.0, fh / 2.0);
        let keystone = Homography::translate(hw, hh)
            .then_after(&Homography([
                1.0,
                0.0,
                0.0,
                0.0,
                1.0,
                0.0,
                f64::from(self.tilt.0) / hw,
                f64::from(self.tilt.1) / hh,
                1.0,
            ]))
            .then_after(&Homography::translate(-hw, -hh));
        keystone
            .then_after(&place)
            .then_after(&rot)
            .then_after(&scale)
            .then_after(&centre_page)
    }
}

/// A synthetic capture.
#[derive(Debug, Clone)]
pub struct Capture {
    /// The frame.
    pub image: RgbImage,
    /// The page's top-left, top-right, bottom-right, bottom-left corners (as printed) in
    /// continuous frame coordinates; `None` for the empty base.
    pub corners: Option<[(f32, f32); 4]>,
    /// Page millimetres → frame pixels.
    pub placement: Homography,
}

/// The table on the A4 sheet: left, top, right, bottom, in millimetres; its rules are 0.5 mm.
pub const A4_TABLE_MM: (f32, f32, f32, f32) = (25.0, 132.0, 185.0, 202.0);
/// Rows of the table (the horizontal rules are at `top + i·(bottom − top)/rows`).
pub const A4_TABLE_ROWS: u32 = 5;
/// Centre and outer radius of the seal, millimetres.
pub const A4_SEAL_MM: (f32, f32, f32) = (148.0, 250.0, 21.0);

/// Renders a capture.
pub fn page(spec: &PageSpec) -> Capture {
    let (fw, fh) = (spec.frame.0.max(1), spec.frame.1.max(1));
    let (pw, ph) = spec.subject.size_mm();
    let s = spec.px_per_mm();
    let placement = spec.placement();
    let inverse = placement.inverse().unwrap_or(Homography::IDENTITY);
    let mut rng = Rng::new(spec.seed);

    // the sheet's print at 1.5 times the capture's resolution
    let tex_scale = (1.5 * s).clamp(4.0, 12.0);
    let texture = match spec.subject {
        Subject::A4Text => Some(render_a4(tex_scale, &mut rng)),
        Subject::IdCard => Some(render_id_card(tex_scale, &mut rng)),
        Subject::BlankPaper => Some(Texture::blank(pw, ph, tex_scale, PAPER)),
        Subject::EmptyDesk => None,
    };

    let n = fw as usize * fh as usize;
    let mut planes = [
        Plane::filled(fw as usize, fh as usize, 0.0),
        Plane::filled(fw as usize, fh as usize, 0.0),
        Plane::filled(fw as usize, fh as usize, 0.0),
    ];
    let radius = spec.subject.corner_radius_mm();
    let desk = Desk::new(&mut rng, fw as usize, fh as usize);
    // the page's bounding box in the frame (pixels outside it are all base)
    let bbox = {
        let pts = [(0.0, 0.0), (pw, 0.0), (pw, ph), (0.0, ph)]
            .map(|(u, v)| placement.apply(f64::from(u), f64::from(v)));
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (x, y) in pts {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        (x0 - 2.0, y0 - 2.0, x1 + 2.0, y1 + 2.0)
    };
    let (sa, ca) = spec.shadow_angle_deg.to_radians().sin_cos();
    let (skew_sin, skew_cos) = spec.print_skew_deg.to_radians().sin_cos();
    let half_diag = (fw as f32).hypot(fh as f32) / 2.0;
    for y in 0..fh as usize {
        for x in 0..fw as usize {
            let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
            let mut colour = desk.at(x, y);
            let inside_box = f64::from(fx) >= bbox.0
                && f64::from(fx) <= bbox.2
                && f64::from(fy) >= bbox.1
                && f64::from(fy) <= bbox.3;
            if let (Some(tex), true) = (&texture, inside_box) {
                let (u, v) = inverse.apply(f64::from(fx), f64::from(fy));
                let (u, v) = (u as f32, v as f32);
                let d = rounded_rect_distance(u, v, pw, ph, radius);
                let cover = (0.5 - d * s).clamp(0.0, 1.0);
                if cover > 0.0 {
                    let (u, v) = (
                        pw / 2.0 + (u - pw / 2.0) * skew_cos + (v - ph / 2.0) * skew_sin,
                        ph / 2.0 - (u - pw / 2.0) * skew_sin + (v - ph / 2.0) * skew_cos,
                    );
                    let p = tex.sample(u, v);
                    for c in 0..3 {
                        colour[c] = colour[c] * (1.0 - cover) + p[c] * cover;
                    }
                }
            }
            // light: shadow gradient, slight vignette, exposure
            let (dx, dy) = (fx - fw as f32 / 2.0, fy - fh as f32 / 2.0);
            let along = ((dx * ca + dy * sa) / half_diag).clamp(-1.0, 1.0);
            let r2 = (dx * dx + dy * dy) / (half_diag * half_diag);
            let light =
                (1.0 - spec.shadow * (along + 1.0) / 2.0) * (1.0 - 0.08 * r2) * spec.exposure;
            let i = y * fw as usize + x;
            for c in 0..3 {
                planes[c].data[i] = colour[c] * light;
            }
        }
    }
    for p in planes.iter_mut() {
        gaussian_blur(p, spec.blur);
    }
    let mut raw = Vec::with_capacity(n * 3);
    for i in 0..n {
        // luminance-correlated and per-channel noise
        let common = rng.normal4() * spec.noise * 0.8;
        for p in &planes {
            let v = p.data[i] + common + rng.normal4() * spec.noise * 0.6 + 0.5;
            raw.push(v.clamp(0.0, 255.0) as u8);
        }
    }
    let image = RgbImage::from_raw(fw, fh, raw).unwrap_or_else(|| RgbImage::new(fw, fh));
    let corners = match spec.subject {
        Subject::EmptyDesk => None,
        _ => Some([(0.0, 0.0), (pw, 0.0), (pw, ph), (0.0, ph)].map(|(u, v)| {
            let (x, y) = placement.apply(f64::from(u), f64::from(v));
            (x as f32, y as f32)
        })),
    };
    Capture {
        image,
        corners,
        placement,
    }
}

/// Encodes a capture as a camera would send it (baseline JPEG, 4:2:0 as `image` writes it).
pub fn to_jpeg(img: &RgbImage, quality: u8) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality.clamp(1, 100))
        .encode_image(img)
        .map_err(std::io::Error::other)?;
    Ok(out)
}

/// Encodes a capture as PNG.
pub fn to_png(img: &RgbImage) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(std::io::Error::other)?;
    Ok(out)
}

/// Signed distance (mm) from `(u, v)` to a `w × h` rectangle at the origin with rounded
/// corners of radius `r`; negative inside.
fn rounded_rect_distance(u: f32, v: f32, w: f32, h: f32, r: f32) -> f32 {
    let (hx, hy) = (w / 2.0, h / 2.0);
    let qx = (u - hx).abs() - (hx - r);
    let qy = (v - hy).abs() - (hy - r);
    let (ox, oy) = (qx.max(0.0), qy.max(0.0));
    let outside = (ox * ox + oy * oy).sqrt();
    outside + qx.max(qy).min(0.0) - r
}

const PAPER: [f32; 3] = [246.0, 244.0, 238.0];
const INK: [f32; 3] = [28.0, 28.0, 34.0];
const SEAL: [f32; 3] = [214.0, 38.0, 44.0];

/// The dark base: grey-brown with slow variation and a faint grain, precomputed per row and
/// column (each wave is `sin(kx·x + ky·y + φ)`, split by the angle-sum identity).
struct Desk {
    base: [f32; 3],
    /// per wave: amplitude, and per column sin/cos of `kx·x + φ`
    cols: Vec<(f32, Vec<(f32, f32)>)>,
    /// per wave: per row sin/cos of `ky·y`
    rows: Vec<Vec<(f32, f32)>>,
    /// grain: per column sin/cos of `6 sin(0.013 x)`, per row sin/cos of `0.9 y`
    grain_cols: Vec<(f32, f32)>,
    grain_rows: Vec<(f32, f32)>,
}

impl Desk {
    fn new(rng: &mut Rng, w: usize, h: usize) -> Desk {
        let mut cols = Vec::new();
        let mut rows = Vec::new();
        for _ in 0..3 {
            let (kx, ky, ph, amp) = (
                rng.range(0.002, 0.01),
                rng.range(0.002, 0.01),
                rng.range(0.0, std::f32::consts::TAU),
                rng.range(2.0, 5.0),
            );
            cols.push((
                amp,
                (0..w)
                    .map(|x| (kx * (x as f32 + 0.5) + ph).sin_cos())
                    .collect(),
            ));
            rows.push((0..h).map(|y| (ky * (y as f32 + 0.5)).sin_cos()).collect());
        }
        Desk {
            base: [58.0, 54.0, 50.0],
            cols,
            rows,
            grain_cols: (0..w)
                .map(|x| (((x as f32 + 0.5) * 0.013).sin() * 6.0).sin_cos())
                .collect(),
            grain_rows: (0..h).map(|y| ((y as f32 + 0.5) * 0.9).sin_cos()).collect(),
        }
    }

    fn at(&self, x: usize, y: usize) -> [f32; 3] {
        let mut d = 0.0;
        for ((amp, col), row) in self.cols.iter().zip(self.rows.iter()) {
            let (sa, ca) = col[x];
            let (sb, cb) = row[y];
            d += amp * (sa * cb + ca * sb);
        }
        let (sg, cg) = self.grain_cols[x];
        let (sy, cy) = self.grain_rows[y];
        d += 2.0 * (sy * cg + cy * sg);
        [self.base[0] + d, self.base[1] + d, self.base[2] + d * 0.8]
    }
}

fn to_u8(c: [f32; 3]) -> [u8; 3] {
    c.map(|v| (v + 0.5).clamp(0.0, 255.0) as u8)
}

/// A raster of the printed sheet, `scale` pixels per millimetre.
struct Texture {
    img: Vec<[u8; 3]>,
    w: usize,
    h: usize,
    scale: f32,
}

impl Texture {
    fn blank(w_mm: f32, h_mm: f32, scale: f32, colour: [f32; 3]) -> Texture {
        let w = (w_mm * scale).ceil() as usize;
        let h = (h_mm * scale).ceil() as usize;
        Texture {
            img: vec![to_u8(colour); w * h],
            w,
            h,
            scale,
        }
    }

    /// Bilinear sample at page millimetres.
    fn sample(&self, u: f32, v: f32) -> [f32; 3] {
        let fx = u * self.scale - 0.5;
        let fy = v * self.scale - 0.5;
        let x0 = ffloor(fx);
        let y0 = ffloor(fy);
        let (ax, ay) = (fx - x0, fy - y0);
        let cl = |i: f32, n: usize| (i as isize).clamp(0, n as isize - 1) as usize;
        let (x0i, y0i) = (cl(x0, self.w), cl(y0, self.h));
        let (x1i, y1i) = (cl(x0 + 1.0, self.w), cl(y0 + 1.0, self.h));
        let p = |x: usize, y: usize| self.img[y * self.w + x].map(f32::from);
        let (a, b, c, d) = (p(x0i, y0i), p(x1i, y0i), p(x0i, y1i), p(x1i, y1i));
        let mut out = [0.0; 3];
        for k in 0..3 {
            let top = a[k] + (b[k] - a[k]) * ax;
            let bottom = c[k] + (d[k] - c[k]) * ax;
            out[k] = top + (bottom - top) * ay;
        }
        out
    }

    /// Paints a rectangle in millimetres (pixel centres inside are painted; strokes are at
    /// least one texture pixel).
    fn rect(&mut self, x0: f32, y0: f32, x1: f32, y1: f32, colour: [f32; 3]) {
        let s = self.scale;
        let px0 = ((x0 * s).round() as isize).max(0) as usize;
        let py0 = ((y0 * s).round() as isize).max(0) as usize;
        let px1 = (((x1 * s).round() as isize).max(px0 as isize + 1) as usize).min(self.w);
        let py1 = (((y1 * s).round() as isize).max(py0 as isize + 1) as usize).min(self.h);
        for y in py0..py1 {
            for x in px0..px1 {
                self.img[y * self.w + x] = to_u8(colour);
            }
        }
    }

    /// Paints where `inside` holds, within a bounding box (mm).
    fn paint_where(
        &mut self,
        bbox: (f32, f32, f32, f32),
        colour: [f32; 3],
        inside: impl Fn(f32, f32) -> bool,
    ) {
        let s = self.scale;
        let x0 = ((bbox.0 * s) as isize).max(0) as usize;
        let y0 = ((bbox.1 * s) as isize).max(0) as usize;
        let x1 = ((bbox.2 * s).ceil() as usize).min(self.w);
        let y1 = ((bbox.3 * s).ceil() as usize).min(self.h);
        for y in y0..y1 {
            for x in x0..x1 {
                let (u, v) = ((x as f32 + 0.5) / s, (y as f32 + 0.5) / s);
                if inside(u, v) {
                    self.img[y * self.w + x] = to_u8(colour);
                }
            }
        }
    }

    /// A character-like glyph in a `size` mm cell at (x, y): 3–6 horizontal and vertical
    /// strokes of width `stroke`.
    fn glyph(&mut self, x: f32, y: f32, size: f32, stroke: f32, colour: [f32; 3], rng: &mut Rng) {
        let strokes = 3 + (rng.next() % 4) as usize;
        for _ in 0..strokes {
            if rng.next().is_multiple_of(2) {
                let yy = y + rng.range(0.05, 0.9) * size;
                let a = x + rng.range(0.0, 0.4) * size;
                let b = x + rng.range(0.6, 1.0) * size;
                self.rect(a, yy, b, yy + stroke, colour);
            } else {
                let xx = x + rng.range(0.05, 0.9) * size;
                let a = y + rng.range(0.0, 0.4) * size;
                let b = y + rng.range(0.6, 1.0) * size;
                self.rect(xx, a, xx + stroke, b, colour);
            }
        }
    }

    /// A run of glyphs from `x0` towards `x1`; returns where it stopped.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        x0: f32,
        x1: f32,
        y: f32,
        size: f32,
        stroke: f32,
        colour: [f32; 3],
        count: usize,
        rng: &mut Rng,
    ) -> f32 {
        let pitch = size * 1.08;
        let mut x = x0;
        for _ in 0..count {
            if x + size > x1 {
                break;
            }
            self.glyph(x, y, size, stroke, colour, rng);
            x += pitch;
            // an occasional punctuation gap
            if rng.next().is_multiple_of(13) {
                x += pitch * 0.6;
            }
        }
        x
    }
}

fn render_a4(scale: f32, rng: &mut Rng) -> Texture {
    let mut t = Texture::blank(210.0, 297.0, scale, PAPER);
    // title
    t.text(61.0, 150.0, 22.0, 7.0, 0.9, INK, 11, rng);
    // paragraphs: 4.2 mm glyphs on a 7 mm pitch
    let mut y = 40.0;
    for para in 0..3 {
        let lines = 3 + para;
        for l in 0..lines {
            let indent = if l == 0 { 2.0 * 4.5 } else { 0.0 };
            let count = if l + 1 == lines {
                12 + (rng.next() % 18) as usize
            } else {
                40
            };
            t.text(25.0 + indent, 185.0, y, 4.2, 0.42, INK, count, rng);
            y += 7.0;
        }
        y += 3.0;
    }
    // the table
    let (tx0, ty0, tx1, ty1) = A4_TABLE_MM;
    let rows = A4_TABLE_ROWS;
    let cols = 4;
    for r in 0..=rows {
        let yy = ty0 + (ty1 - ty0) * r as f32 / rows as f32;
        t.rect(tx0, yy - 0.25, tx1 + 0.25, yy + 0.25, INK);
    }
    for c in 0..=cols {
        let xx = tx0 + (tx1 - tx0) * c as f32 / cols as f32;
        t.rect(xx - 0.25, ty0, xx + 0.25, ty1 + 0.25, INK);
    }
    for r in 0..rows {
        for c in 0..cols {
            let cx = tx0 + (tx1 - tx0) * c as f32 / cols as f32 + 3.0;
            let cy = ty0 + (ty1 - ty0) * r as f32 / rows as f32 + 4.5;
            let n = 2 + (rng.next() % 6) as usize;
            t.text(cx, cx + 34.0, cy, 4.0, 0.4, INK, n, rng);
        }
    }
    // closing lines, signature and date
    let mut y = 212.0;
    for _ in 0..3 {
        t.text(25.0, 185.0, y, 4.2, 0.42, INK, 40, rng);
        y += 7.0;
    }
    t.text(120.0, 185.0, 245.0, 4.2, 0.42, INK, 8, rng);
    t.text(120.0, 185.0, 256.0, 4.2, 0.42, INK, 11, rng);
    // the seal: ring, star, a line of glyphs, translucent red over the text
    let (sx, sy, sr) = A4_SEAL_MM;
    // drawn on its own small sheet (origin at the seal's top-left), multiplied in
    let mut seal = Texture::blank(2.0 * sr, 2.0 * sr, scale, [255.0; 3]);
    seal.paint_where((0.0, 0.0, 2.0 * sr, 2.0 * sr), SEAL, |u, v| {
        let d = (u - sr).hypot(v - sr);
        (sr - 1.3..=sr).contains(&d) || in_star(u - sr, v - sr, 6.0)
    });
    seal.text(sr - 11.0, sr + 12.0, sr + 8.0, 3.8, 0.5, SEAL, 5, rng);
    let ox = ((sx - sr) * scale).round() as usize;
    let oy = ((sy - sr) * scale).round() as usize;
    for y in 0..seal.h {
        for x in 0..seal.w {
            let m = seal.img[y * seal.w + x];
            let (tx, ty) = (ox + x, oy + y);
            if m == [255; 3] || tx >= t.w || ty >= t.h {
                continue;
            }
            let p = &mut t.img[ty * t.w + tx];
            for k in 0..3 {
                p[k] = (u16::from(p[k]) * u16::from(m[k]) / 255) as u8;
            }
        }
    }
    t
}

/// A five-pointed star of outer radius `r` centred at the origin, pointing up.
fn in_star(x: f32, y: f32, r: f32) -> bool {
    let d = x.hypot(y);
    if d > r {
        return false;
    }
    let a = y.atan2(x) + std::f32::consts::FRAC_PI_2;
    let sector = std::f32::consts::TAU / 5.0;
    let t = (a.rem_euclid(sector) / sector - 0.5).abs() * 2.0; // 1 at the points, 0 between
    d <= r * (0.38 + 0.62 * t)
}

fn render_id_card(scale: f32, rng: &mut Rng) -> Texture {
    let (w, h) = (85.6f32, 54.0f32);
    let mut t = Texture::blank(w, h, scale, [226.0, 234.0, 236.0]);
    // pale gradient and guilloche
    for y in 0..t.h {
        for x in 0..t.w {
            let (u, v) = ((x as f32 + 0.5) / scale, (y as f32 + 0.5) / scale);
            let g = u / w;
            let wave = ((u * 0.9 + (v * 0.35).sin() * 3.0).sin() * 0.5 + 0.5).powi(8);
            t.img[y * t.w + x] = to_u8([
                222.0 + 14.0 * g - 18.0 * wave,
                232.0 + 4.0 * g - 10.0 * wave,
                238.0 - 10.0 * g - 2.0 * wave,
            ]);
        }
    }
    // photo: light ground, shoulders, face, hair
    t.rect(57.0, 7.0, 81.0, 38.0, [236.0, 236.0, 238.0]);
    t.paint_where((57.0, 28.0, 81.0, 38.0), [52.0, 60.0, 84.0], |u, v| {
        ((u - 69.0) / 12.0).powi(2) + ((v - 40.0) / 9.0).powi(2) <= 1.0
    });
    t.paint_where((60.0, 10.0, 78.0, 32.0), [206.0, 170.0, 150.0], |u, v| {
        ((u - 69.0) / 6.0).powi(2) + ((v - 21.0) / 8.0).powi(2) <= 1.0
    });
    t.paint_where((60.0, 9.0, 78.0, 20.0), [38.0, 32.0, 30.0], |u, v| {
        ((u - 69.0) / 6.6).powi(2) + ((v - 16.0) / 6.0).powi(2) <= 1.0 && v < 16.5
    });
    // labelled fields
    let label = [70.0, 120.0, 170.0];
    let rows = [(9.0, 3), (15.0, 2), (21.0, 6), (28.0, 9), (33.0, 9)];
    for (y, n) in rows {
        t.text(6.0, 14.0, y, 2.4, 0.3, label, 2, rng);
        t.text(16.0, 55.0, y, 2.8, 0.32, INK, n, rng);
    }
    // the number
    t.text(6.0, 24.0, 45.5, 2.4, 0.3, label, 6, rng);
    let mut x = 28.0;
    for _ in 0..18 {
        t.glyph(x, 45.0, 2.6, 0.35, INK, rng);
        x += 2.85;
    }
    t
}

/// SplitMix64.
struct Rng {
    state: u64,
}

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng {
            state: seed ^ 0x9E37_79B9_7F4A_7C15,
        }
    }

    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }

    /// A standard normal approximated by the sum of four uniforms (Irwin–Hall, variance
    /// matched): one generator call and no transcendental per sample.
    fn normal4(&mut self) -> f32 {
        let r = self.next();
        let sum: u32 = (0..4).map(|i| ((r >> (16 * i)) & 0xFFFF) as u32).sum();
        // mean 2·65535, variance 4/12 of 65535²
        (sum as f32 / 65535.0 - 2.0) * 1.732_050_8
    }
}
