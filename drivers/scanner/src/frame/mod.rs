//! Captured frames and the pure work on their bytes: size checks, MJPEG validation and repair
//! (a missing Huffman table inserted, padding after EOI trimmed), YUYV ↔ RGB (BT.601).
//!
//! Nothing here does I/O: the V4L2 camera, the simulator and the fuzz target all feed bytes
//! through the same functions. `FORMATS.md` next to this crate's `Cargo.toml` describes both
//! wire formats with test vectors.

pub mod mjpeg;
pub mod yuyv;

use std::fmt;
use std::time::Instant;

pub use mjpeg::{JpegInfo, Repaired};

/// The widest or tallest frame accepted (no UVC document camera comes near it; a header that
/// claims more is damage).
pub const MAX_DIMENSION: u32 = 16_384;

/// The most pixels a frame may have (64 Mpx; 高拍仪 sensors are 5–16 Mpx).
pub const MAX_PIXELS: u64 = 64 * 1024 * 1024;

/// The pixel formats a document camera delivers that this crate takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PixelFormat {
    /// Motion-JPEG: every frame a JPEG image, often without its Huffman tables (`MJPG`).
    Mjpeg,
    /// YUV 4:2:2 packed as `Y0 U Y1 V`, two bytes a pixel (`YUYV`, also called YUY2).
    Yuyv,
}

impl PixelFormat {
    /// The V4L2 four-character code.
    pub fn fourcc(self) -> [u8; 4] {
        match self {
            PixelFormat::Mjpeg => *b"MJPG",
            PixelFormat::Yuyv => *b"YUYV",
        }
    }

    /// The format of a V4L2 four-character code (`JPEG` counts as MJPEG).
    pub fn from_fourcc(code: [u8; 4]) -> Option<PixelFormat> {
        match &code {
            b"MJPG" | b"JPEG" => Some(PixelFormat::Mjpeg),
            b"YUYV" | b"YUY2" => Some(PixelFormat::Yuyv),
            _ => None,
        }
    }
}

impl fmt::Display for PixelFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PixelFormat::Mjpeg => "MJPEG",
            PixelFormat::Yuyv => "YUYV",
        })
    }
}

/// Why a frame's bytes were refused. Every check returns one of these: damaged input is a
/// value, never a panic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// No bytes at all.
    #[error("empty frame")]
    Empty,
    /// Width or height zero, odd where it must be even, or beyond the limits.
    #[error("unusable frame size {width}x{height}")]
    BadDimensions {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// A YUYV frame whose length is not two bytes a pixel.
    #[error("YUYV {width}x{height} needs {expected} bytes, got {got}")]
    YuyvLength {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// `width × height × 2`.
        expected: usize,
        /// What arrived.
        got: usize,
    },
    /// An RGB buffer whose length is not three bytes a pixel.
    #[error("RGB {width}x{height} needs {expected} bytes, got {got}")]
    RgbLength {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// `width × height × 3`.
        expected: usize,
        /// What arrived.
        got: usize,
    },
    /// The frame does not begin with the JPEG start-of-image marker `FF D8`.
    #[error("MJPEG frame does not start with SOI (FF D8)")]
    NoSoi,
    /// The bytes end before the end-of-image marker `FF D9` (a truncated frame).
    #[error("MJPEG frame truncated: no EOI (FF D9) before byte {at}")]
    Truncated {
        /// Where the bytes ran out (the frame's length).
        at: usize,
    },
    /// Where a marker must be, another byte stands.
    #[error("MJPEG: expected a marker at byte {at}, found {found:02X}")]
    NotAMarker {
        /// Offset of the byte.
        at: usize,
        /// The byte found instead of `FF`.
        found: u8,
    },
    /// A marker that cannot appear where it does (a second SOI or SOF, `FF 00` outside a
    /// scan, SOS before the frame header).
    #[error("MJPEG: marker FF {marker:02X} not allowed at byte {at}")]
    UnexpectedMarker {
        /// The marker's second byte.
        marker: u8,
        /// Offset of its `FF`.
        at: usize,
    },
    /// A segment whose length or contents do not add up.
    #[error("MJPEG: bad FF {marker:02X} segment at byte {at}")]
    BadSegment {
        /// The marker's second byte.
        marker: u8,
        /// Offset of its `FF`.
        at: usize,
    },
    /// EOI without a frame header.
    #[error("MJPEG frame has no frame header (SOF)")]
    NoSof,
    /// EOI without a scan.
    #[error("MJPEG frame has no scan (SOS)")]
    NoScan,
    /// A JPEG process no camera uses and decoders may not have (lossless, arithmetic coding,
    /// hierarchical).
    #[error("MJPEG: unsupported JPEG process (SOF FF {0:02X})")]
    UnsupportedProcess(u8),
    /// The JPEG header's size differs from the size the stream was set up with.
    #[error("MJPEG header says {found_width}x{found_height}, the stream is {width}x{height}")]
    SizeMismatch {
        /// Stream width.
        width: u32,
        /// Stream height.
        height: u32,
        /// Width in the JPEG frame header.
        found_width: u32,
        /// Height in the JPEG frame header.
        found_height: u32,
    },
    /// The device driver marked the buffer as damaged (`V4L2_BUF_FLAG_ERROR`: a frame that
    /// lost packets on the USB bus).
    #[error("the driver flagged the frame as damaged")]
    Flagged,
    /// The image decoder refused the bytes (damage inside the entropy-coded data).
    #[error("image does not decode: {0}")]
    Decode(String),
}

/// One frame as the camera delivered it.
#[derive(Clone, PartialEq, Eq)]
pub struct Frame {
    /// How `data` is encoded.
    pub format: PixelFormat,
    /// Width in pixels (as negotiated with the camera).
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The bytes: a JPEG image, or `width × height × 2` bytes of YUYV.
    pub data: Vec<u8>,
    /// Frame number within the stream, from 0 at each start (counted by the host: linuxvideo
    /// does not pass on the driver's own sequence number).
    pub sequence: u64,
    /// When the frame was taken off the device.
    pub timestamp: Instant,
}

impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // never the bytes: a frame can be megabytes of a citizen's document
        f.debug_struct("Frame")
            .field("format", &self.format)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("bytes", &self.data.len())
            .field("sequence", &self.sequence)
            .finish_non_exhaustive()
    }
}

/// What [`Frame::repair`] had to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Repairs {
    /// The standard Huffman tables were inserted (the camera omitted them).
    pub dht_inserted: bool,
    /// Bytes after EOI that were cut off (buffer padding).
    pub trimmed: usize,
}

impl Frame {
    /// A frame stamped now.
    pub fn new(format: PixelFormat, width: u32, height: u32, data: Vec<u8>, sequence: u64) -> Self {
        Frame {
            format,
            width,
            height,
            data,
            sequence,
            timestamp: Instant::now(),
        }
    }

    /// Checks the bytes against the format and size without changing them.
    pub fn check(&self) -> Result<(), FrameError> {
        check_dimensions(self.format, self.width, self.height)?;
        match self.format {
            PixelFormat::Yuyv => yuyv::check_len(self.width, self.height, self.data.len()),
            PixelFormat::Mjpeg => {
                let info = mjpeg::parse(&self.data)?;
                info.check_size(self.width, self.height)
            }
        }
    }

    /// Checks the frame and makes an MJPEG frame a complete JPEG file: the standard Huffman
    /// tables inserted when the camera left them out, padding after EOI cut off. YUYV frames
    /// are only checked.
    pub fn repair(mut self) -> Result<(Frame, Repairs), FrameError> {
        check_dimensions(self.format, self.width, self.height)?;
        match self.format {
            PixelFormat::Yuyv => {
                yuyv::check_len(self.width, self.height, self.data.len())?;
                Ok((self, Repairs::default()))
            }
            PixelFormat::Mjpeg => {
                let repaired = mjpeg::repair(&self.data)?;
                repaired.info.check_size(self.width, self.height)?;
                let repairs = Repairs {
                    dht_inserted: repaired.dht_inserted,
                    trimmed: repaired.trimmed,
                };
                if let Some(data) = repaired.data {
                    self.data = data;
                }
                Ok((self, repairs))
            }
        }
    }

    /// Decodes the frame to 8-bit RGB, `width × height × 3` bytes. MJPEG goes through the
    /// `image` crate (zune-jpeg), YUYV through [`yuyv::to_rgb8`].
    pub fn to_rgb8(&self) -> Result<Vec<u8>, FrameError> {
        check_dimensions(self.format, self.width, self.height)?;
        match self.format {
            PixelFormat::Yuyv => yuyv::to_rgb8(self.width, self.height, &self.data),
            PixelFormat::Mjpeg => {
                let info = mjpeg::parse(&self.data)?;
                info.check_size(self.width, self.height)?;
                let image =
                    image::load_from_memory_with_format(&self.data, image::ImageFormat::Jpeg)
                        .map_err(|e| FrameError::Decode(e.to_string()))?
                        .into_rgb8();
                if image.width() != self.width || image.height() != self.height {
                    return Err(FrameError::SizeMismatch {
                        width: self.width,
                        height: self.height,
                        found_width: image.width(),
                        found_height: image.height(),
                    });
                }
                Ok(image.into_raw())
            }
        }
    }

    /// Decodes the frame into an [`image::RgbImage`].
    pub fn to_image(&self) -> Result<image::RgbImage, FrameError> {
        let rgb = self.to_rgb8()?;
        image::RgbImage::from_raw(self.width, self.height, rgb).ok_or(FrameError::BadDimensions {
            width: self.width,
            height: self.height,
        })
    }
}

/// Checks a frame size: both sides 1 ..= [`MAX_DIMENSION`], at most [`MAX_PIXELS`], and an
/// even width for YUYV (two pixels share their chroma).
pub fn check_dimensions(format: PixelFormat, width: u32, height: u32) -> Result<(), FrameError> {
    let bad = FrameError::BadDimensions { width, height };
    if width == 0 || height == 0 || width > MAX_DIMENSION || height > MAX_DIMENSION {
        return Err(bad);
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(bad);
    }
    if format == PixelFormat::Yuyv && !width.is_multiple_of(2) {
        return Err(bad);
    }
    Ok(())
}

/// Bytes a frame of this format and size has: exact for YUYV, `None` for MJPEG (variable).
pub fn frame_len(
    format: PixelFormat,
    width: u32,
    height: u32,
) -> Result<Option<usize>, FrameError> {
    check_dimensions(format, width, height)?;
    Ok(match format {
        PixelFormat::Yuyv => Some(yuyv::len(width, height)?),
        PixelFormat::Mjpeg => None,
    })
}
