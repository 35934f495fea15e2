//! Capture → page: decode, find the page, rectify, check, even out, encode.

use std::time::{Duration, Instant};

use image::{DynamicImage, GrayImage, RgbImage};

use crate::decode::{DecodeLimits, decode, decode_gray};
use crate::detect::{Detection, find_page};
use crate::encode::{Pixels, encode_within};
use crate::enhance::{
    flatten_gray, flatten_rgb, luma, normalize_card_gray, normalize_card_rgb, whiten_border,
};

/// Pixels of the sheet's outer frame painted white after flattening (see
/// [`crate::enhance::whiten_border`]); 2 px is 0.25 mm at 200 dpi.
pub const PAPER_BORDER: usize = 2;
use crate::homography::Homography;
use crate::quality::{Background, blur_region, edge_spread, estimate_skew, ink};
use crate::rejection::Rejection;
use crate::warp::{warp_gray, warp_rgb};

/// What is being captured; decides the output size, colour and treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MaterialKind {
    /// An A4 sheet of text, forms, certificates: grey, paper flattened to white.
    A4Document,
    /// An A4 sheet where colour matters (a red 公章 that must read as red, a colour print).
    A4Colour,
    /// An ID card (or another ID-1 card: 社保卡, bank card), in colour.
    IdCard,
}

/// Grey or colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColourMode {
    /// 8-bit grey JPEG.
    Grey,
    /// 8-bit YCbCr JPEG.
    Colour,
}

/// How exposure and shadow are evened out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Treatment {
    /// Divide by the paper background and stretch: white paper, black ink.
    Paper,
    /// Remove only the low-frequency light field and stretch per channel (photos, cards).
    Card,
}

/// The output a material is turned into.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutputSpec {
    /// Width of the material upright, in millimetres.
    pub width_mm: f32,
    /// Height of the material upright, in millimetres.
    pub height_mm: f32,
    /// Output resolution.
    pub dpi: u16,
    /// Grey or colour.
    pub colour: ColourMode,
    /// How light is evened out.
    pub treatment: Treatment,
    /// Whether the text lines' residual skew is measured and corrected after the page-edge
    /// rectification (for printed sheets; a card's layout has no long lines).
    pub content_deskew: bool,
}

impl OutputSpec {
    /// Output size in pixels, upright: `round(mm / 25.4 × dpi)`.
    pub fn pixels(&self) -> (u32, u32) {
        let px = |mm: f32| ((mm / 25.4 * f32::from(self.dpi)).round() as u32).max(1);
        (px(self.width_mm), px(self.height_mm))
    }
}

impl MaterialKind {
    /// The default output of each material: A4 (210 × 297 mm) at 200 dpi is 1654 × 2339 px;
    /// an ID-1 card (85.6 × 54 mm) at 300 dpi is 1011 × 638 px.
    pub fn spec(self) -> OutputSpec {
        match self {
            MaterialKind::A4Document => OutputSpec {
                width_mm: 210.0,
                height_mm: 297.0,
                dpi: 200,
                colour: ColourMode::Grey,
                treatment: Treatment::Paper,
                content_deskew: true,
            },
            MaterialKind::A4Colour => OutputSpec {
                width_mm: 210.0,
                height_mm: 297.0,
                dpi: 200,
                colour: ColourMode::Colour,
                treatment: Treatment::Paper,
                content_deskew: true,
            },
            MaterialKind::IdCard => OutputSpec {
                width_mm: 85.6,
                height_mm: 54.0,
                dpi: 300,
                colour: ColourMode::Colour,
                treatment: Treatment::Card,
                content_deskew: false,
            },
        }
    }
}

/// Which edge of the camera frame is the top of a page lying the right way up for the citizen
/// (a camera mounted turned, as many 高拍仪 heads are, to put the sensor's long side along A4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PageTop {
    /// The frame's top edge.
    #[default]
    Top,
    /// The frame's right edge.
    Right,
    /// The frame's bottom edge.
    Bottom,
    /// The frame's left edge.
    Left,
}

/// Pipeline settings. `Default` is what the kiosk runs with.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Input limits (bytes, pixels).
    pub limits: DecodeLimits,
    /// Largest page JPEG, in bytes (500 KB = 500 000).
    pub max_page_bytes: usize,
    /// First JPEG quality tried.
    pub start_quality: u8,
    /// Lowest JPEG quality accepted before [`crate::Limit::OutputBytes`].
    pub min_quality: u8,
    /// A page whose ink edges are wider than this ([`crate::quality::edge_spread`], pixels at
    /// about 6 px/mm) is [`Rejection::Blurred`].
    pub max_blur: f32,
    /// A page with less ink than this share is [`Rejection::Blank`].
    pub min_ink_fraction: f32,
    /// The measured page aspect may differ from the material's by this factor at most
    /// (perspective and a sideways page are allowed for); `None` accepts any shape.
    pub max_aspect_error: Option<f32>,
    /// Largest residual content skew corrected, in degrees; larger estimates are ignored.
    pub max_deskew_deg: f32,
    /// Smallest residual content skew worth a second warp, in degrees.
    pub min_deskew_deg: f32,
    /// How the camera is mounted.
    pub page_top: PageTop,
    /// Overrides of the per-material output (`None`: [`MaterialKind::spec`]).
    pub output: Option<OutputSpec>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            limits: DecodeLimits::default(),
            max_page_bytes: 500_000,
            start_quality: 85,
            min_quality: 25,
            max_blur: crate::quality::MAX_BLUR,
            min_ink_fraction: crate::quality::MIN_INK_FRACTION,
            max_aspect_error: Some(1.3),
            max_deskew_deg: 3.0,
            min_deskew_deg: 0.15,
            page_top: PageTop::Top,
            output: None,
        }
    }
}

/// The measures taken on the way, for logs, tests and calibration.
#[derive(Debug, Clone, PartialEq)]
pub struct Measures {
    /// Width of the ink edges in the capture (Gaussian sigma, pixels at about 6 px/mm).
    pub blur: f32,
    /// Share of the inner page that is ink.
    pub ink_fraction: f32,
    /// Residual skew of the content lines found after rectification, in degrees clockwise.
    pub content_skew_deg: Option<f32>,
    /// Rotation applied to correct it (0 when none).
    pub deskew_deg: f32,
    /// How many page sides were refined at full resolution (of 4).
    pub refined_sides: u8,
    /// JPEG quality used.
    pub quality: u8,
    /// JPEG encodes the size search took.
    pub encodes: u32,
}

/// Time spent per stage.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Decoding the capture.
    pub decode: Duration,
    /// Grey conversion and page detection.
    pub detect: Duration,
    /// Perspective warp(s).
    pub warp: Duration,
    /// Background, ink, blur, skew.
    pub measure: Duration,
    /// Evening out exposure and shadow.
    pub enhance: Duration,
    /// JPEG encoding with the size search.
    pub encode: Duration,
}

impl Timings {
    /// Sum of the stages.
    pub fn total(&self) -> Duration {
        self.decode + self.detect + self.warp + self.measure + self.enhance + self.encode
    }
}

/// A finished page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The JPEG, at most [`Config::max_page_bytes`].
    pub jpeg: Vec<u8>,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Resolution recorded in the JPEG and used for the PDF page size.
    pub dpi: u16,
    /// Grey or colour.
    pub colour: ColourMode,
    /// What was captured.
    pub material: MaterialKind,
    /// The page's corners in the capture (continuous pixel coordinates), in the order of the
    /// output's top-left, top-right, bottom-right, bottom-left.
    pub corners: [(f32, f32); 4],
    /// Capture coordinates → output coordinates (continuous), deskew included.
    pub capture_to_page: Homography,
    /// Measures taken.
    pub measures: Measures,
    /// Stage times.
    pub timings: Timings,
}

impl Page {
    /// SHA-256 of the JPEG bytes.
    pub fn sha256(&self) -> [u8; 32] {
        crate::page_hash(&self.jpeg)
    }

    /// SHA-256 of the JPEG bytes, lowercase hex.
    pub fn sha256_hex(&self) -> String {
        crate::hex(&self.sha256())
    }
}

/// Decodes a capture and turns it into a page. Grey materials decode a JPEG straight to luma.
pub fn process(bytes: &[u8], material: MaterialKind, config: &Config) -> Result<Page, Rejection> {
    let spec = config.output.unwrap_or_else(|| material.spec());
    let t = Instant::now();
    let capture = match spec.colour {
        ColourMode::Grey => Working::Grey(decode_gray(bytes, &config.limits)?),
        ColourMode::Colour => {
            let rgb = decode(bytes, &config.limits)?.into_rgb8();
            let g = luma(&rgb);
            Working::Colour(rgb, g)
        }
    };
    let timings = Timings {
        decode: t.elapsed(),
        ..Timings::default()
    };
    run(capture, material, &spec, config, timings)
}

enum Working {
    Grey(GrayImage),
    Colour(RgbImage, GrayImage),
}

/// Turns a decoded capture into a page (the pixel-count limit is the caller's business here).
pub fn process_image(
    img: DynamicImage,
    material: MaterialKind,
    config: &Config,
) -> Result<Page, Rejection> {
    let spec = config.output.unwrap_or_else(|| material.spec());
    let t = Instant::now();
    let capture = match spec.colour {
        ColourMode::Grey => Working::Grey(img.into_luma8()),
        ColourMode::Colour => {
            let rgb = img.into_rgb8();
            let g = luma(&rgb);
            Working::Colour(rgb, g)
        }
    };
    let timings = Timings {
        decode: t.elapsed(),
        ..Timings::default()
    };
    run(capture, material, &spec, config, timings)
}

fn run(
    capture: Working,
    material: MaterialKind,
    spec: &OutputSpec,
    config: &Config,
    mut timings: Timings,
) -> Result<Page, Rejection> {
    let spec = *spec;
    let t = Instant::now();
    let gray = match &capture {
        Working::Grey(g) | Working::Colour(_, g) => g,
    };
    let detection = find_page(gray)?;
    let (corners, out_w, out_h, px_per_mm) = orient(&detection, &spec, config)?;
    let to_page = Homography::from_points(
        corners.map(|(x, y)| (f64::from(x), f64::from(y))),
        [
            (0.0, 0.0),
            (f64::from(out_w), 0.0),
            (f64::from(out_w), f64::from(out_h)),
            (0.0, f64::from(out_h)),
        ],
    )
    .ok_or(Rejection::NoPage { cut_off: false })?;
    timings.detect = t.elapsed();

    let t = Instant::now();
    let mut page = warp(&capture, &to_page, out_w, out_h)?;
    timings.warp = t.elapsed();

    let t = Instant::now();
    let mut page_gray = match &page {
        Working::Grey(g) => g.clone(),
        Working::Colour(_, g) => g.clone(),
    };
    let mut bg = Background::estimate(&page_gray, 8, 4);
    let found_ink = ink(&page_gray, &bg);
    if found_ink.fraction < config.min_ink_fraction {
        return Err(Rejection::Blank {
            empty_frame: false,
            ink_fraction: found_ink.fraction,
        });
    }
    let blur = edge_spread(&blur_region(gray, &corners, 0.7, px_per_mm)).unwrap_or(f32::INFINITY);
    if blur > config.max_blur {
        return Err(Rejection::Blurred {
            blur,
            threshold: config.max_blur,
        });
    }
    let content_skew = if spec.content_deskew {
        estimate_skew(&found_ink, config.max_deskew_deg)
    } else {
        None
    };
    timings.measure = t.elapsed();

    let mut to_page = to_page;
    let mut deskew_deg = 0.0;
    if let Some(skew) = content_skew
        && skew.abs() >= config.min_deskew_deg
        && skew.abs() <= config.max_deskew_deg
    {
        let t = Instant::now();
        let rot = Homography::rotate_about(
            -f64::from(skew).to_radians(),
            f64::from(out_w) / 2.0,
            f64::from(out_h) / 2.0,
        );
        to_page = rot.then_after(&to_page);
        page = warp(&capture, &to_page, out_w, out_h)?;
        deskew_deg = -skew;
        timings.warp += t.elapsed();
        let t = Instant::now();
        page_gray = match &page {
            Working::Grey(g) | Working::Colour(_, g) => g.clone(),
        };
        bg = Background::estimate(&page_gray, 8, 4);
        timings.measure += t.elapsed();
    }
    drop(capture);

    let t = Instant::now();
    let black = found_ink.ratio_quantile(0.2).unwrap_or(0.0).min(0.45);
    let page = match (page, spec.treatment) {
        (Working::Grey(_), Treatment::Paper) => {
            flatten_gray(&mut page_gray, &bg, black);
            whiten_border(
                &mut page_gray,
                out_w as usize,
                out_h as usize,
                1,
                PAPER_BORDER,
            );
            Working::Grey(page_gray)
        }
        (Working::Grey(_), Treatment::Card) => {
            normalize_card_gray(&mut page_gray);
            Working::Grey(page_gray)
        }
        (Working::Colour(mut rgb, _), Treatment::Paper) => {
            let bgs = Background::estimate_rgb(&rgb, 8, 4);
            flatten_rgb(&mut rgb, &bgs, black);
            whiten_border(&mut rgb, out_w as usize, out_h as usize, 3, PAPER_BORDER);
            Working::Colour(rgb, page_gray)
        }
        (Working::Colour(mut rgb, _), Treatment::Card) => {
            normalize_card_rgb(&mut rgb);
            Working::Colour(rgb, page_gray)
        }
    };
    timings.enhance = t.elapsed();

    let t = Instant::now();
    let px = match &page {
        Working::Grey(g) => Pixels::Gray(g),
        Working::Colour(rgb, _) => Pixels::Rgb(rgb),
    };
    let (jpeg, quality, encodes) = encode_within(
        px,
        spec.dpi,
        config.start_quality,
        config.min_quality,
        config.max_page_bytes,
    )?;
    timings.encode = t.elapsed();

    Ok(Page {
        jpeg,
        width: out_w,
        height: out_h,
        dpi: spec.dpi,
        colour: spec.colour,
        material,
        corners,
        capture_to_page: to_page,
        measures: Measures {
            blur,
            ink_fraction: found_ink.fraction,
            content_skew_deg: content_skew,
            deskew_deg,
            refined_sides: detection.refined_sides,
            quality,
            encodes,
        },
        timings,
    })
}

/// The corners as the output's TL, TR, BR, BL, the output width and height, and the
/// capture's pixels per millimetre on the page.
type Oriented = ([(f32, f32); 4], u32, u32, f32);

/// Orders the corners as the output's TL, TR, BR, BL given how the camera is mounted, and
/// picks the output size: the material upright, or turned a quarter when it lies sideways.
fn orient(d: &Detection, spec: &OutputSpec, config: &Config) -> Result<Oriented, Rejection> {
    // coordinates in which "up the page" is up
    let to_upright = |(x, y): (f32, f32)| -> (f32, f32) {
        match config.page_top {
            PageTop::Top => (x, y),
            PageTop::Right => (y, -x),
            PageTop::Bottom => (-x, -y),
            PageTop::Left => (-y, x),
        }
    };
    let up = d.corners.map(to_upright);
    // the corners are clockwise (rotations keep that); the top edge runs rightwards
    let start = (0..4)
        .max_by(|&i, &j| {
            let dir = |k: usize| {
                let a = up[k];
                let b = up[(k + 1) % 4];
                let (dx, dy) = (b.0 - a.0, b.1 - a.1);
                dx / dx.hypot(dy).max(1e-6)
            };
            dir(i).total_cmp(&dir(j))
        })
        .unwrap_or(0);
    let mut corners = d.corners;
    corners.rotate_left(start);
    let len = |a: (f32, f32), b: (f32, f32)| (b.0 - a.0).hypot(b.1 - a.1);
    let across = (len(corners[0], corners[1]) + len(corners[3], corners[2])) / 2.0;
    let down = (len(corners[0], corners[3]) + len(corners[1], corners[2])) / 2.0;
    let (w, h) = spec.pixels();
    let material_landscape = w > h;
    let seen_landscape = across > down;
    let (out_w, out_h) = if material_landscape == seen_landscape {
        (w, h)
    } else {
        (h, w)
    };
    if let Some(tol) = config.max_aspect_error {
        let seen = across / down.max(1.0);
        let want = out_w as f32 / out_h as f32;
        let err = (seen / want).max(want / seen);
        if err > tol {
            return Err(Rejection::NoPage { cut_off: false });
        }
    }
    let width_mm = if out_w == w {
        spec.width_mm
    } else {
        spec.height_mm
    };
    Ok((corners, out_w, out_h, across / width_mm.max(1.0)))
}

/// Warps the capture to the page, grey (and colour when the capture is colour).
fn warp(capture: &Working, to_page: &Homography, w: u32, h: u32) -> Result<Working, Rejection> {
    let bad = || Rejection::NoPage { cut_off: false };
    Ok(match capture {
        Working::Grey(g) => Working::Grey(warp_gray(g, to_page, w, h).ok_or_else(bad)?),
        Working::Colour(rgb, _) => {
            let out = warp_rgb(rgb, to_page, w, h).ok_or_else(bad)?;
            let g = luma(&out);
            Working::Colour(out, g)
        }
    })
}
