//! YUYV (YUY2): 4:2:2 packed, four bytes `Y0 U Y1 V` for each two pixels, which share `U` and
//! `V`. V4L2's default colorimetry for it is BT.601 with limited ("studio") range: Y 16–235,
//! U and V 16–240 around 128.
//!
//! The conversions use the usual 8-bit fixed-point form of the BT.601 equations (coefficients
//! × 256, rounded; `FORMATS.md` §1 has the derivation and hand-computed vectors):
//!
//! ```text
//! C = Y − 16, D = U − 128, E = V − 128
//! R = clamp((298·C + 409·E + 128) >> 8)
//! G = clamp((298·C − 100·D − 208·E + 128) >> 8)
//! B = clamp((298·C + 516·D + 128) >> 8)
//! ```
//!
//! and back (the simulator's side, the camera's job):
//!
//! ```text
//! Y = ((66·R + 129·G + 25·B + 128) >> 8) + 16
//! U = ((−38·R − 74·G + 112·B + 128) >> 8) + 128
//! V = ((112·R − 94·G − 18·B + 128) >> 8) + 128
//! ```
//!
//! `>>` is an arithmetic shift (rounds toward −∞), as in the reference C code.

use super::{FrameError, PixelFormat, check_dimensions};

fn clamp(v: i32) -> u8 {
    v.clamp(0, 255) as u8
}

/// One pixel's Y with its pair's U and V to RGB.
pub fn yuv_to_rgb(y: u8, u: u8, v: u8) -> [u8; 3] {
    let c = i32::from(y) - 16;
    let d = i32::from(u) - 128;
    let e = i32::from(v) - 128;
    [
        clamp((298 * c + 409 * e + 128) >> 8),
        clamp((298 * c - 100 * d - 208 * e + 128) >> 8),
        clamp((298 * c + 516 * d + 128) >> 8),
    ]
}

/// One RGB pixel to limited-range Y, U, V.
pub fn rgb_to_yuv(r: u8, g: u8, b: u8) -> [u8; 3] {
    let (r, g, b) = (i32::from(r), i32::from(g), i32::from(b));
    [
        clamp(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16),
        clamp(((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128),
        clamp(((112 * r - 94 * g - 18 * b + 128) >> 8) + 128),
    ]
}

/// Bytes of a YUYV frame: `width × height × 2` (checked: even width, sane size).
pub fn len(width: u32, height: u32) -> Result<usize, FrameError> {
    check_dimensions(PixelFormat::Yuyv, width, height)?;
    usize::try_from(u64::from(width) * u64::from(height) * 2)
        .map_err(|_| FrameError::BadDimensions { width, height })
}

/// Checks that `got` bytes are a whole YUYV frame of this size.
pub fn check_len(width: u32, height: u32, got: usize) -> Result<(), FrameError> {
    let expected = len(width, height)?;
    if got == expected {
        Ok(())
    } else {
        Err(FrameError::YuyvLength {
            width,
            height,
            expected,
            got,
        })
    }
}

/// A YUYV frame to packed RGB8 (`width × height × 3` bytes).
pub fn to_rgb8(width: u32, height: u32, data: &[u8]) -> Result<Vec<u8>, FrameError> {
    check_len(width, height, data.len())?;
    let mut out = Vec::with_capacity(data.len() / 2 * 3);
    for quad in data.chunks_exact(4) {
        let [y0, u, y1, v] = [quad[0], quad[1], quad[2], quad[3]];
        out.extend_from_slice(&yuv_to_rgb(y0, u, v));
        out.extend_from_slice(&yuv_to_rgb(y1, u, v));
    }
    Ok(out)
}

/// The luma plane of a YUYV frame (`width × height` bytes, still limited range): a cheap
/// grey preview.
pub fn to_luma(width: u32, height: u32, data: &[u8]) -> Result<Vec<u8>, FrameError> {
    check_len(width, height, data.len())?;
    Ok(data.iter().step_by(2).copied().collect())
}

/// Packed RGB8 to YUYV: each pair of pixels gets the mean of their U and V (rounded half up).
pub fn from_rgb8(width: u32, height: u32, rgb: &[u8]) -> Result<Vec<u8>, FrameError> {
    let pixels = len(width, height)? / 2;
    if rgb.len() != pixels * 3 {
        return Err(FrameError::RgbLength {
            width,
            height,
            expected: pixels * 3,
            got: rgb.len(),
        });
    }
    let mut out = Vec::with_capacity(pixels * 2);
    for pair in rgb.chunks_exact(6) {
        let [y0, u0, v0] = rgb_to_yuv(pair[0], pair[1], pair[2]);
        let [y1, u1, v1] = rgb_to_yuv(pair[3], pair[4], pair[5]);
        let mean = |a: u8, b: u8| (u16::from(a) + u16::from(b)).div_ceil(2) as u8;
        out.extend_from_slice(&[y0, mean(u0, u1), y1, mean(v0, v1)]);
    }
    Ok(out)
}
