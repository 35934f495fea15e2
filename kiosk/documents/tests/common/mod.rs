//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use documents::synthetic::{self, A4_TABLE_MM, Capture, PageSpec};
use documents::{Config, MaterialKind, Page, Rejection, process};
use image::GrayImage;

/// The smaller frame most tests use (a quarter of 5 MP, four times faster to make and run).
pub const SMALL: (u32, u32) = (1296, 972);

/// A capture and its JPEG (quality 92, like a camera's MJPEG frame).
pub fn capture(spec: &PageSpec) -> (Capture, Vec<u8>) {
    let cap = synthetic::page(spec);
    let jpeg = synthetic::to_jpeg(&cap.image, 92).unwrap();
    (cap, jpeg)
}

/// Runs the pipeline with the default configuration.
pub fn run(jpeg: &[u8], kind: MaterialKind) -> Result<Page, Rejection> {
    process(jpeg, kind, &Config::default())
}

/// Distance of each found corner from the true corner in the same position.
pub fn corner_errors(found: &[(f32, f32); 4], truth: &[(f32, f32); 4]) -> [f32; 4] {
    let mut e = [0.0; 4];
    for i in 0..4 {
        e[i] = (found[i].0 - truth[i].0).hypot(found[i].1 - truth[i].1);
    }
    e
}

/// Angles (degrees) of the true page's top and left edges in the output, measured by mapping
/// the true corners through the page's capture → output transform: 0 when the output is
/// square to the sheet.
pub fn edge_skew_deg(page: &Page, truth: &[(f32, f32); 4]) -> (f64, f64) {
    let m = |p: (f32, f32)| page.capture_to_page.apply(f64::from(p.0), f64::from(p.1));
    let (tl, tr, bl) = (m(truth[0]), m(truth[1]), m(truth[3]));
    let top = (tr.1 - tl.1).atan2(tr.0 - tl.0).to_degrees();
    let left = -(bl.0 - tl.0).atan2(bl.1 - tl.1).to_degrees();
    (top, left)
}

/// Where the table's rule at `y_mm` is in the output at `x_mm` (pixels, darkness centroid of
/// a 6-px-wide strip within ±20 px of where it should be).
pub fn rule_y(page: &GrayImage, dpi: f32, x_mm: f32, y_mm: f32) -> f32 {
    let px = |mm: f32| mm / 25.4 * dpi;
    let (x, y) = (px(x_mm) as i64, px(y_mm));
    let mut sum = 0.0;
    let mut weight = 0.0;
    for yy in (y as i64 - 20)..=(y as i64 + 20) {
        let mut dark = 0.0;
        for xx in x - 3..=x + 3 {
            let v = f32::from(page.get_pixel(xx as u32, yy as u32)[0]);
            dark += (255.0 - v).max(0.0);
        }
        // only the rule itself, not the text's faint shadows
        let dark = (dark / 7.0 - 100.0).max(0.0);
        sum += dark * (yy as f32 + 0.5);
        weight += dark;
    }
    assert!(weight > 0.0, "no rule near ({x_mm}, {y_mm}) mm");
    sum / weight
}

/// The table's top rule's angle in the output (degrees) and its offset from where it belongs
/// (pixels), from its position near the table's left and right ends.
pub fn table_rule_skew(page: &Page) -> (f32, f32) {
    let img = image::load_from_memory(&page.jpeg).unwrap().to_luma8();
    let dpi = f32::from(page.dpi);
    let (x0, y0, x1, _) = A4_TABLE_MM;
    let (xa, xb) = (x0 + 8.0, x1 - 8.0);
    let (ya, yb) = (rule_y(&img, dpi, xa, y0), rule_y(&img, dpi, xb, y0));
    let px = |mm: f32| mm / 25.4 * dpi;
    let angle = ((yb - ya) / (px(xb) - px(xa))).atan().to_degrees();
    let offset = (ya + yb) / 2.0 - px(y0);
    (angle, offset)
}
