//! The photo and fingerprint blocks (fact sheet §7.5, §11), kept raw.
//!
//! The SAM hands over the photo as 1024 bytes of proprietary "WLT" compression; no open
//! decoder exists, so decoding is behind the [`PhotoDecoder`] trait. The real
//! implementation will load a vendor library by path (some are licence-bound to the SAM
//! ID); this crate only ships [`NoPhotoDecoder`]. Both blocks are personal data: their
//! `Debug` prints sizes only.

use std::fmt;

/// Size of the WLT photo block a card holds.
pub const WLT_LEN: usize = 1024;
/// Decoded photo width in pixels.
pub const PHOTO_WIDTH: u32 = 102;
/// Decoded photo height in pixels.
pub const PHOTO_HEIGHT: u32 = 126;
/// Size of the fingerprint block (two 512-byte templates).
pub const FINGERPRINT_LEN: usize = 1024;

/// The compressed photo exactly as read.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct WltPhoto(Vec<u8>);

impl WltPhoto {
    /// Wraps raw WLT bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The raw bytes, for a decoder or for audit storage.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Number of bytes (1024 on real cards).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when no photo bytes were read.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The cheap sanity check to run before calling a vendor decoder: 1024 bytes starting
    /// `WLf` (`57 4C 66`) with byte 6 = `32`.
    pub fn has_wlt_magic(&self) -> bool {
        self.0.len() == WLT_LEN && self.0.starts_with(b"WLf") && self.0.get(6) == Some(&0x32)
    }
}

impl fmt::Debug for WltPhoto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WltPhoto(<{} bytes>)", self.0.len())
    }
}

/// Fingerprint templates from `30 10`, in the vendor matcher's format.
#[derive(Clone, PartialEq, Eq)]
pub struct Fingerprint(Vec<u8>);

impl Fingerprint {
    /// Wraps raw fingerprint bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The raw bytes, for the fingerprint matcher.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The two 512-byte templates, when the block has the usual 1024 bytes.
    pub fn templates(&self) -> Option<(&[u8], &[u8])> {
        (self.0.len() == FINGERPRINT_LEN).then(|| self.0.split_at(FINGERPRINT_LEN / 2))
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint(<{} bytes>)", self.0.len())
    }
}

/// A decoded photo: 8-bit RGB, rows top to bottom (decoders that produce BGR or
/// bottom-up BMP rows convert before returning).
#[derive(Clone, PartialEq, Eq)]
pub struct RgbImage {
    width: u32,
    height: u32,
    pixels: Vec<u8>,
}

impl RgbImage {
    /// Wraps pixels; `None` unless `pixels.len() == width × height × 3`.
    pub fn new(width: u32, height: u32, pixels: Vec<u8>) -> Option<Self> {
        let needed = (width as usize)
            .checked_mul(height as usize)?
            .checked_mul(3)?;
        (pixels.len() == needed).then_some(Self {
            width,
            height,
            pixels,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// `R G B` triples, row-major from the top.
    pub fn pixels(&self) -> &[u8] {
        &self.pixels
    }
}

impl fmt::Debug for RgbImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RgbImage({}x{})", self.width, self.height)
    }
}

/// Why a photo could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    /// No decoder is installed (or it could not be loaded).
    #[error("photo decoder unavailable")]
    Unavailable,
    /// The bytes fail the `WLf` sanity check.
    #[error("photo bytes are not WLT data")]
    NotWlt,
    /// The decoder ran and failed; the text is the decoder's own reason.
    #[error("photo decoder failed: {0}")]
    Failed(String),
}

/// Turns WLT bytes into an image. Implemented outside this crate by an adapter over a
/// vendor library; the kiosk treats [`PhotoError::Unavailable`] as "show no photo".
pub trait PhotoDecoder {
    /// Decodes one photo.
    fn decode(&self, photo: &WltPhoto) -> Result<RgbImage, PhotoError>;
}

/// The decoder to use when no vendor library is configured: always
/// [`PhotoError::Unavailable`].
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPhotoDecoder;

impl PhotoDecoder for NoPhotoDecoder {
    fn decode(&self, _photo: &WltPhoto) -> Result<RgbImage, PhotoError> {
        Err(PhotoError::Unavailable)
    }
}
