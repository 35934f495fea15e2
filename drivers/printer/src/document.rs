//! The receipt document model: what a receipt says, independent of the printer. The encoder
//! ([`crate::encode`]) turns it into ESC/POS for one [`crate::profile::Profile`].

use crate::raster::Raster;
pub use crate::text::Align;

/// Character magnification for `GS !` (1–8 in each direction; out-of-range values clamp).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    /// Width multiplier 1–8.
    pub width: u8,
    /// Height multiplier 1–8.
    pub height: u8,
}

impl Size {
    /// Normal size.
    pub const NORMAL: Size = Size {
        width: 1,
        height: 1,
    };
    /// Double width and height: titles.
    pub const DOUBLE: Size = Size {
        width: 2,
        height: 2,
    };
    /// Double height only: emphasis that keeps the column count.
    pub const TALL: Size = Size {
        width: 1,
        height: 2,
    };

    /// The `GS ! n` byte: bits 4–6 width − 1, bits 0–2 height − 1 (`escpos.md` §3.1).
    pub fn gs_bang(self) -> u8 {
        let w = self.width.clamp(1, 8) - 1;
        let h = self.height.clamp(1, 8) - 1;
        (w << 4) | h
    }

    /// Inverse of [`Size::gs_bang`].
    pub fn from_gs_bang(n: u8) -> Size {
        Size {
            width: ((n >> 4) & 7) + 1,
            height: (n & 7) + 1,
        }
    }
}

impl Default for Size {
    fn default() -> Self {
        Size::NORMAL
    }
}

/// Text style of one block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    /// Alignment (`ESC a`).
    pub align: Align,
    /// Magnification (`GS !`).
    pub size: Size,
    /// Emphasis (`ESC E`).
    pub bold: bool,
}

/// QR error-correction level (`GS ( k` fn 169).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QrLevel {
    /// 7 %.
    L,
    /// 15 %: the default; enough for a short URL on thermal paper.
    #[default]
    M,
    /// 25 %.
    Q,
    /// 30 %.
    H,
}

impl QrLevel {
    /// The fn 169 parameter (48–51).
    pub fn code(self) -> u8 {
        match self {
            QrLevel::L => 48,
            QrLevel::M => 49,
            QrLevel::Q => 50,
            QrLevel::H => 51,
        }
    }

    /// Parse a fn 169 parameter; unknown → M.
    pub fn from_code(n: u8) -> QrLevel {
        match n {
            48 | 0 => QrLevel::L,
            50 | 2 => QrLevel::Q,
            51 | 3 => QrLevel::H,
            _ => QrLevel::M,
        }
    }
}

/// One block of a receipt.
#[derive(Clone, PartialEq, Eq)]
pub enum Block {
    /// Text, wrapped by display width; `\n` forces a break.
    Text {
        /// The text (may hold personal data that is already masked by the caller).
        text: String,
        /// Its style.
        style: Style,
    },
    /// A full-width rule made of one repeated ASCII character (`-`, `=`).
    Separator(char),
    /// Key flush left, value flush right on one line (wrapped when too long).
    KeyValue {
        /// Label, e.g. 受理编号.
        key: String,
        /// Value.
        value: String,
        /// Emphasis for the row.
        bold: bool,
    },
    /// A QR code, Model 2, centred.
    Qr {
        /// Payload; keep it short ASCII (`escpos.md` §3.5).
        payload: String,
        /// Dots per module (clamped to the profile's maximum).
        module: u8,
        /// Error correction.
        level: QrLevel,
    },
    /// A 1-bit image (logo, seal), printed with `GS v 0` in bands.
    Image {
        /// The image; wider than the paper is cropped.
        raster: Raster,
        /// Alignment.
        align: Align,
    },
    /// Feed `n` blank lines.
    Feed(u8),
    /// Feed to the cutter and cut (or feed past the tear bar without cutter).
    Cut,
}

impl std::fmt::Debug for Block {
    // texts and payloads can carry personal data: show the kind and size only
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Block::Text { text, style } => {
                write!(f, "Text({} chars, {:?})", text.chars().count(), style)
            }
            Block::Separator(c) => write!(f, "Separator({c:?})"),
            Block::KeyValue { key, value, .. } => write!(
                f,
                "KeyValue({} + {} chars)",
                key.chars().count(),
                value.chars().count()
            ),
            Block::Qr {
                payload, module, ..
            } => write!(f, "Qr({} bytes, module {module})", payload.len()),
            Block::Image { raster, align } => write!(f, "Image({raster:?}, {align:?})"),
            Block::Feed(n) => write!(f, "Feed({n})"),
            Block::Cut => write!(f, "Cut"),
        }
    }
}

/// A whole receipt: an ordered list of blocks, built with the chaining helpers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    /// The blocks, printed top to bottom.
    pub blocks: Vec<Block>,
}

impl Block {
    /// Normal-size text, centred: the captions under titles and QR codes.
    pub fn centred(text: impl Into<String>) -> Block {
        Block::Text {
            text: text.into(),
            style: Style {
                align: Align::Center,
                ..Style::default()
            },
        }
    }

    /// Normal-size bold text, flush left: section headings.
    pub fn heading(text: impl Into<String>) -> Block {
        Block::Text {
            text: text.into(),
            style: Style {
                bold: true,
                ..Style::default()
            },
        }
    }
}

impl Document {
    /// An empty document.
    pub fn new() -> Document {
        Document::default()
    }

    /// Append any block.
    pub fn push(mut self, block: Block) -> Document {
        self.blocks.push(block);
        self
    }

    /// Append a text block with a style.
    pub fn text(self, text: impl Into<String>, style: Style) -> Document {
        self.push(Block::Text {
            text: text.into(),
            style,
        })
    }

    /// Append plain left-aligned text.
    pub fn line(self, text: impl Into<String>) -> Document {
        self.text(text, Style::default())
    }

    /// Append a centred double-size bold title.
    pub fn title(self, text: impl Into<String>) -> Document {
        self.text(
            text,
            Style {
                align: Align::Center,
                size: Size::DOUBLE,
                bold: true,
            },
        )
    }

    /// Append a separator rule.
    pub fn separator(self, c: char) -> Document {
        self.push(Block::Separator(c))
    }

    /// Append a key-value row.
    pub fn key_value(self, key: impl Into<String>, value: impl Into<String>) -> Document {
        self.push(Block::KeyValue {
            key: key.into(),
            value: value.into(),
            bold: false,
        })
    }

    /// Append a QR code with module size 6 and level M.
    pub fn qr(self, payload: impl Into<String>) -> Document {
        self.push(Block::Qr {
            payload: payload.into(),
            module: 6,
            level: QrLevel::M,
        })
    }

    /// Append an image.
    pub fn image(self, raster: Raster, align: Align) -> Document {
        self.push(Block::Image { raster, align })
    }

    /// Append `n` blank lines.
    pub fn feed(self, n: u8) -> Document {
        self.push(Block::Feed(n))
    }

    /// Append a cut.
    pub fn cut(self) -> Document {
        self.push(Block::Cut)
    }
}
