//! Why a capture was not accepted, with the prompt the citizen hears and reads.

use thiserror::Error;

/// The phrase every retake prompt ends with.
pub const RETAKE: &str = "请将材料放平后重新拍摄";

/// A limit that a capture or its output exceeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    /// The encoded input is larger than `max` bytes.
    InputBytes {
        /// Bytes received.
        len: usize,
        /// The configured maximum.
        max: usize,
    },
    /// The decoded image would have more than `max` pixels (a decompression bomb, or a camera
    /// far larger than configured).
    Pixels {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
        /// The configured maximum pixel count.
        max: u64,
    },
    /// Even at the lowest allowed JPEG quality the page is larger than `max` bytes.
    OutputBytes {
        /// Smallest size reached.
        len: usize,
        /// The configured maximum.
        max: usize,
    },
}

/// A capture the pipeline does not turn into a page. Each carries [`Rejection::prompt`], the
/// Chinese text the kiosk shows and speaks; `Display` is the technical reason for the log.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Rejection {
    /// Nothing on the desk, or a page with nothing on it (the back of a sheet).
    #[error(
        "blank capture ({}, ink {ink_fraction:.5})",
        if *empty_frame { "empty frame" } else { "blank page" }
    )]
    Blank {
        /// No page at all: the frame is (almost) uniform.
        empty_frame: bool,
        /// Share of the page that is ink (0 for an empty frame).
        ink_fraction: f32,
    },
    /// The page is out of focus or moved.
    #[error("blurred capture (edge spread {blur:.2} px > {threshold:.2})")]
    Blurred {
        /// Width of the ink edges, Gaussian sigma in pixels at about 6 px/mm
        /// (`quality::edge_spread`; infinite when no edge could be measured).
        blur: f32,
        /// The configured threshold it exceeded.
        threshold: f32,
    },
    /// No page-shaped bright quadrilateral was found, or it runs off the frame.
    #[error("no page found{}", if *cut_off { " (page runs off the frame)" } else { "" })]
    NoPage {
        /// The page touches or crosses the frame border.
        cut_off: bool,
    },
    /// A size limit was exceeded.
    #[error("too large: {0:?}")]
    TooLarge(Limit),
    /// The bytes are not a decodable JPEG or PNG (unknown format, damaged or truncated).
    #[error("corrupt image: {0}")]
    Corrupt(String),
}

impl Rejection {
    /// What the citizen is told (Simplified Chinese, one or two short sentences).
    pub fn prompt(&self) -> &'static str {
        match self {
            Rejection::Blank { .. } => "没有拍到材料内容，有字的一面请朝上。请将材料放平后重新拍摄",
            Rejection::Blurred { .. } => "照片不够清晰。请将材料放平后重新拍摄",
            Rejection::NoPage { cut_off: false } => "没有找到材料的边缘。请将材料放平后重新拍摄",
            Rejection::NoPage { cut_off: true } => {
                "材料超出了拍摄区域，请放在拍摄区域中间。请将材料放平后重新拍摄"
            }
            Rejection::TooLarge(_) => "图像过大，无法处理，请重新拍摄",
            Rejection::Corrupt(_) => "图像数据损坏，请重新拍摄",
        }
    }

    /// Whether retaking the photo is the remedy (the capture itself was fine as data).
    pub fn is_retake(&self) -> bool {
        matches!(
            self,
            Rejection::Blank { .. } | Rejection::Blurred { .. } | Rejection::NoPage { .. }
        )
    }
}
