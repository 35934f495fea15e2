//! Finding the page: a bright quadrilateral on the 高拍仪's dark base.
//!
//! 1. **Coarse**, on a copy downscaled to about 640 px on its long side (area average, then a
//!    3×3 box): Otsu threshold, a binary opening, the largest outer contour (imageproc
//!    `find_contours`), its convex hull, and the largest-area quadrilateral with corners on the
//!    hull. Accurate to about one small pixel (4 px of a 5 MP frame).
//! 2. **Refined**, at full resolution: along each side, 48 intensity profiles across the edge
//!    (each averaged over 5 samples along the edge, reaching 3 small pixels plus 2 % of the
//!    side's length either way) locate the outermost strong bright→dark step — at least half
//!    as steep as the steepest, so ink near the edge is passed over — to sub-pixel precision
//!    (parabola through the derivative); a total-least-squares line with two rounds of outlier
//!    rejection is fitted per side, and the corners are the intersections of adjacent lines.
//!    Rounded corners (ID cards) therefore land on the virtual corner where the straight edges
//!    meet, which is what the warp needs.
//!
//! Assumption: the page is brighter than the base, as on 高拍仪 with a dark pad. When the two
//! Otsu classes differ too little ([`MIN_CLASS_RATIO`], [`MIN_CLASS_DIFF`]) the frame counts as
//! empty ([`Rejection::Blank`]); a white page on a white desk is not handled (and not tested).

use image::GrayImage;
use imageproc::contours::{BorderType, find_contours};
use imageproc::contrast::otsu_level;
use imageproc::distance_transform::Norm;
use imageproc::geometry::{contour_area, convex_hull};
use imageproc::morphology::open;

use crate::raster::{Plane, box_blur, downscale_box, sample_gray};
use crate::rejection::Rejection;

/// Long side of the working copy for the coarse search, in pixels.
pub const WORK_SIZE: u32 = 640;
/// Minimum mean-brightness ratio of page class to background class (Otsu classes) for the
/// frame to count as holding something; below it the frame is an empty desk.
pub const MIN_CLASS_RATIO: f32 = 1.45;
/// Minimum difference of the class means, in grey levels.
pub const MIN_CLASS_DIFF: f32 = 25.0;
/// The page must cover at least this share of the frame.
pub const MIN_AREA_FRACTION: f64 = 0.015;

/// A found page.
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// Corners in clockwise order on screen, the first being the one nearest the frame's
    /// top-left, in continuous full-resolution coordinates.
    pub corners: [(f32, f32); 4],
    /// The coarse corners before refinement, same order.
    pub coarse: [(f32, f32); 4],
    /// How many of the four sides were refined (the others kept the coarse line).
    pub refined_sides: u8,
    /// Downscale factor of the coarse search.
    pub factor: u32,
}

/// Finds the page quadrilateral in a grey capture.
pub fn find_page(gray: &GrayImage) -> Result<Detection, Rejection> {
    let (w, h) = gray.dimensions();
    if w < 16 || h < 16 {
        return Err(Rejection::NoPage { cut_off: false });
    }
    let k = (w.max(h) / WORK_SIZE).max(1);
    let small = {
        let s = downscale_box(gray, k);
        let mut p = Plane::from_gray(&s);
        box_blur(&mut p, 1);
        let data = p
            .data
            .iter()
            .map(|v| v.round().clamp(0.0, 255.0) as u8)
            .collect();
        GrayImage::from_raw(p.width as u32, p.height as u32, data)
            .ok_or(Rejection::NoPage { cut_off: false })?
    };
    let (sw, sh) = small.dimensions();

    let t = otsu_level(&small);
    let (dark, bright) = class_means(&small, t);
    if bright < dark * MIN_CLASS_RATIO || bright - dark < MIN_CLASS_DIFF {
        return Err(Rejection::Blank {
            empty_frame: true,
            ink_fraction: 0.0,
        });
    }
    let mut binary = small;
    for v in binary.iter_mut() {
        *v = if *v > t { 255 } else { 0 };
    }
    let binary = open(&binary, Norm::LInf, 1);

    let contours = find_contours::<i32>(&binary);
    let best = contours
        .iter()
        .filter(|c| c.border_type == BorderType::Outer && c.points.len() >= 8)
        .map(|c| (contour_area(&c.points), c))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let Some((area, contour)) = best else {
        return Err(Rejection::NoPage { cut_off: false });
    };
    let frame_area = f64::from(sw) * f64::from(sh);
    if area < MIN_AREA_FRACTION * frame_area {
        return Err(Rejection::NoPage { cut_off: false });
    }
    let hull = convex_hull(contour.points.clone());
    let touches = hull
        .iter()
        .any(|p| p.x <= 0 || p.y <= 0 || p.x >= sw as i32 - 1 || p.y >= sh as i32 - 1);
    if touches {
        return Err(Rejection::NoPage { cut_off: true });
    }
    let hull_f: Vec<(f64, f64)> = hull
        .iter()
        .map(|p| (f64::from(p.x), f64::from(p.y)))
        .collect();
    let hull_area = polygon_area(&hull_f);
    let Some(quad) = max_area_quad(&hull_f) else {
        return Err(Rejection::NoPage { cut_off: false });
    };
    let quad_area = polygon_area(&quad);
    // a page's hull is nearly its quadrilateral, and the blob nearly fills its hull
    if quad_area < 0.88 * hull_area || area < 0.85 * hull_area || !plausible_quad(&quad) {
        return Err(Rejection::NoPage { cut_off: false });
    }

    let kf = k as f32;
    let mut coarse = quad.map(|(x, y)| ((x as f32 + 0.5) * kf, (y as f32 + 0.5) * kf));
    order_clockwise(&mut coarse);
    let (corners, refined_sides) = refine(gray, &coarse, kf);
    Ok(Detection {
        corners,
        coarse,
        refined_sides,
        factor: k,
    })
}

/// Mean grey of the pixels at or below `t` and above it.
fn class_means(img: &GrayImage, t: u8) -> (f32, f32) {
    let mut sum = [0u64; 2];
    let mut n = [0u64; 2];
    for &v in img.iter() {
        let c = usize::from(v > t);
        sum[c] += u64::from(v);
        n[c] += 1;
    }
    let mean = |c: usize| {
        if n[c] == 0 {
            0.0
        } else {
            sum[c] as f32 / n[c] as f32
        }
    };
    (mean(0), mean(1))
}

/// Shoelace area (absolute).
pub(crate) fn polygon_area(p: &[(f64, f64)]) -> f64 {
    if p.len() < 3 {
        return 0.0;
    }
    let mut s = 0.0;
    for i in 0..p.len() {
        let (x0, y0) = p[i];
        let (x1, y1) = p[(i + 1) % p.len()];
        s += x0 * y1 - x1 * y0;
    }
    (s / 2.0).abs()
}

fn tri(a: (f64, f64), b: (f64, f64), c: (f64, f64)) -> f64 {
    ((b.0 - a.0) * (c.1 - a.1) - (c.0 - a.0) * (b.1 - a.1)).abs() / 2.0
}

/// The largest-area quadrilateral with vertices on a convex polygon (in its cyclic order):
/// for each diagonal (a, c) the best b on one side and d on the other, O(n³).
fn max_area_quad(hull: &[(f64, f64)]) -> Option<[(f64, f64); 4]> {
    let mut pts: Vec<(f64, f64)> = hull.to_vec();
    // keep the search cheap on pathological hulls
    while pts.len() > 160 {
        pts = pts.iter().step_by(2).copied().collect();
    }
    let n = pts.len();
    if n < 4 {
        return None;
    }
    let mut best = 0.0;
    let mut out = None;
    for a in 0..n {
        for c in a + 2..n {
            if a == 0 && c == n - 1 {
                continue;
            }
            let (mut bb, mut bi) = (0.0, a + 1);
            for b in a + 1..c {
                let t = tri(pts[a], pts[b], pts[c]);
                if t > bb {
                    bb = t;
                    bi = b;
                }
            }
            let (mut dd, mut di) = (0.0, (c + 1) % n);
            let mut d = c + 1;
            while d % n != a {
                let t = tri(pts[c], pts[d % n], pts[a]);
                if t > dd {
                    dd = t;
                    di = d % n;
                }
                d += 1;
            }
            if bb + dd > best {
                best = bb + dd;
                out = Some([pts[a], pts[bi], pts[c], pts[di]]);
            }
        }
    }
    out
}

/// Convex, no side shorter than a tenth of the longest, no angle sharper than 40°.
fn plausible_quad(q: &[(f64, f64); 4]) -> bool {
    let mut longest: f64 = 0.0;
    let mut shortest = f64::MAX;
    for i in 0..4 {
        let a = q[i];
        let b = q[(i + 1) % 4];
        let l = (b.0 - a.0).hypot(b.1 - a.1);
        longest = longest.max(l);
        shortest = shortest.min(l);
        let p = q[(i + 3) % 4];
        let v1 = (p.0 - a.0, p.1 - a.1);
        let v2 = (b.0 - a.0, b.1 - a.1);
        let cos = (v1.0 * v2.0 + v1.1 * v2.1) / (v1.0.hypot(v1.1) * v2.0.hypot(v2.1)).max(1e-9);
        if cos > 40f64.to_radians().cos() {
            return false;
        }
    }
    shortest > 0.1 * longest
}

/// Sorts four points clockwise on screen (y down), starting with the smallest `x + y`.
pub(crate) fn order_clockwise(c: &mut [(f32, f32); 4]) {
    let cx = c.iter().map(|p| p.0).sum::<f32>() / 4.0;
    let cy = c.iter().map(|p| p.1).sum::<f32>() / 4.0;
    c.sort_by(|a, b| {
        let aa = (a.1 - cy).atan2(a.0 - cx);
        let ab = (b.1 - cy).atan2(b.0 - cx);
        aa.total_cmp(&ab)
    });
    let start = (0..4)
        .min_by(|&i, &j| (c[i].0 + c[i].1).total_cmp(&(c[j].0 + c[j].1)))
        .unwrap_or(0);
    c.rotate_left(start);
}

/// A line `n·p = d` with unit normal `n`.
#[derive(Debug, Clone, Copy)]
struct Line {
    n: (f64, f64),
    d: f64,
}

impl Line {
    fn through(a: (f64, f64), b: (f64, f64)) -> Option<Line> {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let l = dx.hypot(dy);
        if l < 1e-9 {
            return None;
        }
        let n = (dy / l, -dx / l);
        Some(Line {
            n,
            d: n.0 * a.0 + n.1 * a.1,
        })
    }

    fn intersect(&self, o: &Line) -> Option<(f64, f64)> {
        let det = self.n.0 * o.n.1 - self.n.1 * o.n.0;
        if det.abs() < 1e-9 {
            return None;
        }
        Some((
            (self.d * o.n.1 - self.n.1 * o.d) / det,
            (self.n.0 * o.d - self.d * o.n.0) / det,
        ))
    }

    fn distance(&self, p: (f64, f64)) -> f64 {
        self.n.0 * p.0 + self.n.1 * p.1 - self.d
    }
}

/// Total-least-squares line through points.
fn fit_line(pts: &[(f64, f64)]) -> Option<Line> {
    if pts.len() < 2 {
        return None;
    }
    let n = pts.len() as f64;
    let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
    for p in pts {
        let (dx, dy) = (p.0 - mx, p.1 - my);
        sxx += dx * dx;
        sxy += dx * dy;
        syy += dy * dy;
    }
    // direction of largest spread
    let theta = 0.5 * (2.0 * sxy).atan2(sxx - syy);
    let (s, c) = theta.sin_cos();
    Line::through((mx, my), (mx + c, my + s))
}

/// How far beyond the small copy's precision the edge is looked for, per pixel of side length.
const REACH_PER_LENGTH: f32 = 0.02;
/// Number of profiles per side and their span along it.
const PROFILES: usize = 48;
const SPAN: (f32, f32) = (0.1, 0.9);
/// Weakest accepted edge: grey-level drop over two pixels.
const MIN_EDGE_STEP: f32 = 6.0;

fn refine(gray: &GrayImage, coarse: &[(f32, f32); 4], k: f32) -> ([(f32, f32); 4], u8) {
    let cx = coarse.iter().map(|p| p.0).sum::<f32>() / 4.0;
    let cy = coarse.iter().map(|p| p.1).sum::<f32>() / 4.0;
    let mut lines: [Option<Line>; 4] = [None; 4];
    let mut refined = 0u8;
    let mut profile = Vec::new();
    let mut max_reach = 0i32;
    for side in 0..4 {
        let a = coarse[side];
        let b = coarse[(side + 1) % 4];
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = dx.hypot(dy);
        if len < 1.0 {
            continue;
        }
        // the coarse side can lie inside the true edge by a pixel of the small copy, or by
        // 0.29 of a corner radius where the hull cut a rounded corner (ID cards: 1.2 mm)
        let reach = (3.0 * k + 4.0 + REACH_PER_LENGTH * len).round() as i32;
        max_reach = max_reach.max(reach);
        let t = (dx / len, dy / len);
        let mut n = (t.1, -t.0);
        // outward: away from the centre
        let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        if n.0 * (mid.0 - cx) + n.1 * (mid.1 - cy) < 0.0 {
            n = (-n.0, -n.1);
        }
        let mut pts = Vec::with_capacity(PROFILES);
        for i in 0..PROFILES {
            let f = SPAN.0 + (SPAN.1 - SPAN.0) * (i as f32 + 0.5) / PROFILES as f32;
            let base = (a.0 + dx * f, a.1 + dy * f);
            profile.clear();
            for o in -reach..=reach {
                let o = o as f32;
                let mut s = 0.0;
                for j in -2..=2 {
                    let j = j as f32 * 1.5;
                    s += sample_gray(gray, base.0 + o * n.0 + j * t.0, base.1 + o * n.1 + j * t.1);
                }
                profile.push(s / 5.0);
            }
            // the outermost strong bright → dark step going outwards: at least half as steep
            // as the steepest (which may be ink near the edge), then its own steepest point
            let deriv = |i: usize| profile[i + 1] - profile[i - 1];
            let steepest = (1..profile.len() - 1).map(deriv).fold(0.0f32, f32::min);
            if -steepest < MIN_EDGE_STEP {
                continue;
            }
            let Some(mut i) = (1..profile.len() - 1)
                .rev()
                .find(|&i| deriv(i) <= 0.5 * steepest)
            else {
                continue;
            };
            while i > 1 && deriv(i - 1) < deriv(i) {
                i -= 1;
            }
            let d = deriv(i);
            if i < 2 || i + 2 >= profile.len() {
                continue;
            }
            let dm = profile[i] - profile[i - 2];
            let dp = profile[i + 2] - profile[i];
            let denom = dm - 2.0 * d + dp;
            let delta = if denom.abs() > 1e-6 {
                (0.5 * (dm - dp) / denom).clamp(-0.5, 0.5)
            } else {
                0.0
            };
            let o = i as f32 - reach as f32 + delta;
            pts.push((f64::from(base.0 + o * n.0), f64::from(base.1 + o * n.1)));
        }
        if pts.len() < PROFILES / 3 {
            continue;
        }
        let Some(mut line) = fit_line(&pts) else {
            continue;
        };
        // two rounds of outlier rejection (residual beyond 3 robust sigmas, at least 1 px)
        for _ in 0..2 {
            let mut res: Vec<f64> = pts.iter().map(|p| line.distance(*p).abs()).collect();
            res.sort_by(f64::total_cmp);
            let mad = res[res.len() / 2];
            let limit = (3.0 * 1.4826 * mad).max(1.0);
            let kept: Vec<(f64, f64)> = pts
                .iter()
                .copied()
                .filter(|p| line.distance(*p).abs() <= limit)
                .collect();
            if kept.len() < PROFILES / 3 {
                break;
            }
            if let Some(l) = fit_line(&kept) {
                line = l;
            }
            pts = kept;
        }
        lines[side] = Some(line);
        refined += 1;
    }
    let mut out = *coarse;
    let tolerance = f64::from(2 * max_reach.max(1));
    for (i, corner) in out.iter_mut().enumerate() {
        // corner i is where side i-1 (into it) meets side i (out of it)
        let into = lines[(i + 3) % 4].or_else(|| {
            let a = coarse[(i + 3) % 4];
            let b = coarse[i];
            Line::through(
                (f64::from(a.0), f64::from(a.1)),
                (f64::from(b.0), f64::from(b.1)),
            )
        });
        let out_of = lines[i].or_else(|| {
            let a = coarse[i];
            let b = coarse[(i + 1) % 4];
            Line::through(
                (f64::from(a.0), f64::from(a.1)),
                (f64::from(b.0), f64::from(b.1)),
            )
        });
        if let (Some(l1), Some(l2)) = (into, out_of)
            && let Some(p) = l1.intersect(&l2)
        {
            let c = (f64::from(corner.0), f64::from(corner.1));
            if (p.0 - c.0).hypot(p.1 - c.1) <= tolerance {
                *corner = (p.0 as f32, p.1 as f32);
            }
        }
    }
    (out, refined)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn max_area_quad_of_an_octagon_with_cut_corners() {
        let hull = [
            (10.0, 0.0),
            (90.0, 0.0),
            (100.0, 10.0),
            (100.0, 140.0),
            (90.0, 150.0),
            (10.0, 150.0),
            (0.0, 140.0),
            (0.0, 10.0),
        ];
        let q = max_area_quad(&hull).unwrap();
        let a = polygon_area(&q);
        assert!(a > 0.85 * polygon_area(&hull), "{a}");
    }

    #[test]
    fn clockwise_order_starts_top_left() {
        let mut c = [(100.0, 5.0), (0.0, 140.0), (2.0, 3.0), (98.0, 150.0)];
        order_clockwise(&mut c);
        assert_eq!(c, [(2.0, 3.0), (100.0, 5.0), (98.0, 150.0), (0.0, 140.0)]);
    }

    #[test]
    fn line_intersection() {
        let a = Line::through((0.0, 0.0), (10.0, 0.0)).unwrap();
        let b = Line::through((5.0, -3.0), (5.0, 8.0)).unwrap();
        let p = a.intersect(&b).unwrap();
        assert!((p.0 - 5.0).abs() < 1e-9 && p.1.abs() < 1e-9);
        let fit = fit_line(&[(0.0, 1.0), (1.0, 2.0), (2.0, 3.0)]).unwrap();
        assert!(fit.distance((5.0, 6.0)).abs() < 1e-9);
    }
}
