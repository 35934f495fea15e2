//! The photo decoder over a vendor's closed library (fact sheet §11): every WLT decoder is a
//! closed binary, so the kiosk loads the one the reader's vendor supplies, by path from
//! `kiosk.toml`, and shows a placeholder when none is configured.
//!
//! The library must export the Linux `libwlt2bmp.so` ABI:
//! `int wlt2Bmp(const unsigned char *wlt1024, unsigned char *bgr38556)`, writing 102 × 126
//! pixels of 24-bit BGR. Public sources do not document its return value, so a negative
//! return counts as failure, and so does an output left all zero.
//!
//! This module holds the project's only `unsafe` code: loading a library and calling one C
//! function through it.
#![allow(unsafe_code)]

use crate::photo::{PhotoDecoder, PhotoError, RgbImage, WltPhoto};
use std::os::raw::c_int;
use std::path::Path;

/// Width of a decoded ID-card photo.
pub const PHOTO_WIDTH: u32 = 102;
/// Height of a decoded ID-card photo.
pub const PHOTO_HEIGHT: u32 = 126;
const BGR_LEN: usize = (PHOTO_WIDTH * PHOTO_HEIGHT * 3) as usize;

type Wlt2Bmp = unsafe extern "C" fn(*const u8, *mut u8) -> c_int;

/// A vendor decoder loaded from a shared library.
pub struct VendorPhotoDecoder {
    // the function pointer below points into this library: keep it loaded as long as `decode`
    _library: libloading::Library,
    decode: Wlt2Bmp,
}

impl std::fmt::Debug for VendorPhotoDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VendorPhotoDecoder")
    }
}

impl VendorPhotoDecoder {
    /// Loads `path` and looks up `symbol` (normally `wlt2Bmp`).
    pub fn load(path: &Path, symbol: &str) -> Result<Self, PhotoError> {
        // SAFETY: loading runs the library's initialisers. The library is the reader
        // vendor's decoder, installed and named by the terminal's administrator in
        // kiosk.toml; trusting its initialisers is the premise of using it at all.
        let library = unsafe { libloading::Library::new(path) }
            .map_err(|e| PhotoError::Failed(format!("{}: {e}", path.display())))?;
        // SAFETY: the symbol is declared with the ABI the module documentation states; a
        // library exporting it with another signature is misconfigured, as with any FFI.
        let decode = unsafe { library.get::<Wlt2Bmp>(symbol.as_bytes()) }
            .map(|f| *f)
            .map_err(|e| PhotoError::Failed(format!("{symbol}: {e}")))?;
        Ok(Self {
            _library: library,
            decode,
        })
    }
}

impl PhotoDecoder for VendorPhotoDecoder {
    fn decode(&self, photo: &WltPhoto) -> Result<RgbImage, PhotoError> {
        if !photo.has_wlt_magic() {
            return Err(PhotoError::NotWlt);
        }
        // has_wlt_magic guarantees exactly 1024 bytes
        let input = photo.as_bytes();
        let mut bgr = vec![0u8; BGR_LEN];
        // SAFETY: `input` holds at least the 1024 bytes the function reads and `bgr` the
        // 38 556 bytes it writes; both outlive the call, and the library stays loaded.
        let status = unsafe { (self.decode)(input.as_ptr(), bgr.as_mut_ptr()) };
        if status < 0 {
            return Err(PhotoError::Failed(format!("decoder returned {status}")));
        }
        if bgr.iter().all(|&b| b == 0) {
            return Err(PhotoError::Failed("decoder wrote no pixels".into()));
        }
        for px in bgr.chunks_exact_mut(3) {
            px.swap(0, 2);
        }
        RgbImage::new(PHOTO_WIDTH, PHOTO_HEIGHT, bgr)
            .ok_or_else(|| PhotoError::Failed("wrong image size".into()))
    }
}
