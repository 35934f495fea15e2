//! A 3×3 projective transform in f64, solved from four point pairs.
//!
//! Coordinates throughout the crate are *continuous* pixel coordinates: pixel `(i, j)` covers
//! `[i, i+1) × [j, j+1)`, so its centre is `(i + 0.5, j + 0.5)` and an image `w` pixels wide
//! spans `0.0 ..= w`.

/// A projective transform `p' = H p` (row-major, homogeneous).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Homography(pub [f64; 9]);

impl Homography {
    /// The identity.
    pub const IDENTITY: Homography = Homography([1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]);

    /// The transform taking each `from[i]` to `to[i]`, or `None` when three of the points are
    /// (nearly) collinear.
    pub fn from_points(from: [(f64, f64); 4], to: [(f64, f64); 4]) -> Option<Homography> {
        // Unknowns h0..h7 (h8 = 1):
        //   x' (h6 x + h7 y + 1) = h0 x + h1 y + h2
        //   y' (h6 x + h7 y + 1) = h3 x + h4 y + h5
        let mut a = [[0.0f64; 9]; 8];
        for i in 0..4 {
            let (x, y) = from[i];
            let (u, v) = to[i];
            a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
            a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
        }
        let h = solve8(a)?;
        Some(Homography([
            h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7], 1.0,
        ]))
    }

    /// A translation.
    pub fn translate(dx: f64, dy: f64) -> Homography {
        Homography([1.0, 0.0, dx, 0.0, 1.0, dy, 0.0, 0.0, 1.0])
    }

    /// A rotation by `radians` (clockwise on screen, where y grows downwards) about `(cx, cy)`.
    pub fn rotate_about(radians: f64, cx: f64, cy: f64) -> Homography {
        let (s, c) = radians.sin_cos();
        let r = Homography([c, -s, 0.0, s, c, 0.0, 0.0, 0.0, 1.0]);
        Homography::translate(cx, cy)
            .then_after(&r)
            .then_after(&Homography::translate(-cx, -cy))
    }

    /// `self ∘ inner`: apply `inner` first, then `self`.
    pub fn then_after(&self, inner: &Homography) -> Homography {
        let a = &self.0;
        let b = &inner.0;
        let mut m = [0.0; 9];
        for r in 0..3 {
            for c in 0..3 {
                m[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
            }
        }
        Homography(m)
    }

    /// Maps a point. Points on the line at infinity map to non-finite values.
    pub fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let m = &self.0;
        let w = m[6] * x + m[7] * y + m[8];
        (
            (m[0] * x + m[1] * y + m[2]) / w,
            (m[3] * x + m[4] * y + m[5]) / w,
        )
    }

    /// The inverse, or `None` when singular.
    pub fn inverse(&self) -> Option<Homography> {
        let [a, b, c, d, e, f, g, h, i] = self.0;
        let co00 = e * i - f * h;
        let co01 = f * g - d * i;
        let co02 = d * h - e * g;
        let det = a * co00 + b * co01 + c * co02;
        if !det.is_finite() || det.abs() < 1e-12 {
            return None;
        }
        let inv = [
            co00 / det,
            (c * h - b * i) / det,
            (b * f - c * e) / det,
            co01 / det,
            (a * i - c * g) / det,
            (c * d - a * f) / det,
            co02 / det,
            (b * g - a * h) / det,
            (a * e - b * d) / det,
        ];
        Some(Homography(inv))
    }

    /// The matrix scaled so that its last entry is 1, as f32 (what imageproc's `Projection`
    /// takes).
    pub fn to_f32(&self) -> Option<[f32; 9]> {
        let m = &self.0;
        if m[8].abs() < 1e-15 {
            return None;
        }
        let mut out = [0.0f32; 9];
        for (o, v) in out.iter_mut().zip(m.iter()) {
            *o = (v / m[8]) as f32;
        }
        out.iter().all(|v| v.is_finite()).then_some(out)
    }
}

/// Gaussian elimination with partial pivoting on an 8×9 augmented matrix.
fn solve8(mut a: [[f64; 9]; 8]) -> Option<[f64; 8]> {
    for col in 0..8 {
        let mut pivot = col;
        for row in col + 1..8 {
            if a[row][col].abs() > a[pivot][col].abs() {
                pivot = row;
            }
        }
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        let p = a[col][col];
        for row in 0..8 {
            if row == col {
                continue;
            }
            let factor = a[row][col] / p;
            if factor == 0.0 {
                continue;
            }
            let pivot_row = a[col];
            for (dst, src) in a[row][col..].iter_mut().zip(pivot_row[col..].iter()) {
                *dst -= factor * src;
            }
        }
    }
    let mut x = [0.0; 8];
    for (i, xi) in x.iter_mut().enumerate() {
        *xi = a[i][8] / a[i][i];
        if !xi.is_finite() {
            return None;
        }
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn maps_the_control_points_and_inverts() {
        let from = [(10.0, 20.0), (300.0, 25.0), (290.0, 400.0), (5.0, 380.0)];
        let to = [(0.0, 0.0), (100.0, 0.0), (100.0, 141.0), (0.0, 141.0)];
        let h = Homography::from_points(from, to).unwrap();
        for (f, t) in from.iter().zip(to.iter()) {
            let (x, y) = h.apply(f.0, f.1);
            assert!((x - t.0).abs() < 1e-9 && (y - t.1).abs() < 1e-9);
        }
        let inv = h.inverse().unwrap();
        let (x, y) = inv.apply(50.0, 70.0);
        let (u, v) = h.apply(x, y);
        assert!((u - 50.0).abs() < 1e-9 && (v - 70.0).abs() < 1e-9);
    }

    #[test]
    fn collinear_points_have_no_solution() {
        let from = [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (3.0, 3.0)];
        let to = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)];
        assert!(Homography::from_points(from, to).is_none());
    }

    #[test]
    fn rotation_about_a_point_keeps_it() {
        let r = Homography::rotate_about(0.3, 10.0, 20.0);
        let (x, y) = r.apply(10.0, 20.0);
        assert!((x - 10.0).abs() < 1e-12 && (y - 20.0).abs() < 1e-12);
        // clockwise on screen: +x turns towards +y
        let (_, y) = r.apply(11.0, 20.0);
        assert!(y > 20.0);
    }
}
