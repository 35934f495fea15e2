//! The 高拍仪 document pipeline (issue 7 §2).
//!
//! A capture (the camera's MJPEG frame, or a PNG) goes through [`process`]: decode under
//! limits → find the page's four corners → rectify (perspective and skew) to the material's
//! size at ≥ 200 dpi → reject blank or blurred pages with a prompt for the citizen → even out
//! exposure and shadow → grey or colour JPEG of at most 500 KB. [`pdf::from_pages`] binds
//! pages into one PDF with the JPEGs embedded unchanged; [`page_hash`] names a page for
//! de-duplication. [`synthetic`] makes captures with known corners for tests, the scanner
//! simulator and the dev dock.
//!
//! ```
//! use documents::{process, Config, MaterialKind, synthetic::{self, PageSpec}};
//! let capture = synthetic::page(&PageSpec::a4().frame(1296, 972).rotated(4.0));
//! let jpeg = synthetic::to_jpeg(&capture.image, 90).unwrap();
//! let page = process(&jpeg, MaterialKind::A4Document, &Config::default()).unwrap();
//! assert_eq!((page.width, page.height), (1654, 2339));
//! assert!(page.jpeg.len() <= 500_000);
//! ```

pub mod decode;
pub mod detect;
pub mod encode;
pub mod enhance;
pub mod homography;
pub mod pdf;
pub mod pipeline;
pub mod quality;
mod raster;
mod rejection;
pub mod synthetic;
pub mod warp;

pub use decode::DecodeLimits;
pub use homography::Homography;
pub use pipeline::{
    ColourMode, Config, MaterialKind, Measures, OutputSpec, Page, PageTop, Timings, Treatment,
    process, process_image,
};
pub use rejection::{Limit, RETAKE, Rejection};

use sha2::{Digest, Sha256};

/// SHA-256 of a page's JPEG bytes: the same capture processed twice gives the same page and
/// the same hash, so a submission can drop a page added twice.
pub fn page_hash(jpeg: &[u8]) -> [u8; 32] {
    Sha256::digest(jpeg).into()
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}
