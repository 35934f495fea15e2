//! Document → one ESC/POS byte buffer for one printer profile.
//!
//! Our own encoder rather than the `escpos` crate: the crate has no Chinese-mode commands, sends
//! QR as Model 1 by default, sends one write per instruction and sends images as one unchunked
//! `GS v 0` (`escpos.md` §1.2, §1.4–1.6, §1.10); its `serial_port` feature pulls libudev and
//! `graphics` pulls `image` with AVIF (`deps.md` §3.2). What we emit is a small, fixed command
//! subset that [`crate::device`] decodes back.

use crate::document::{Block, Document, QrLevel, Size, Style};
use crate::font::{Cell, FontSet};
use crate::profile::{Cutter, Profile, QrSupport};
use crate::raster::Raster;
use crate::text::{self, Align};

/// Byte builders for the commands we emit, shared with tests and the device side.
pub mod cmd {
    /// `ESC @`: initialise.
    pub const INIT: [u8; 2] = [0x1B, 0x40];
    /// `FS &`: enter Chinese (two-byte) mode (`escpos.md` §3.1).
    pub const CHINESE_ON: [u8; 2] = [0x1C, 0x26];
    /// `FS .`: leave Chinese mode.
    pub const CHINESE_OFF: [u8; 2] = [0x1C, 0x2E];
    /// Line feed: print the line buffer.
    pub const LF: u8 = 0x0A;

    /// `ESC a n`: justification.
    pub fn align(n: u8) -> [u8; 3] {
        [0x1B, 0x61, n]
    }
    /// `ESC E n`: emphasis.
    pub fn bold(on: bool) -> [u8; 3] {
        [0x1B, 0x45, u8::from(on)]
    }
    /// `GS ! n`: character size for ANK and Chinese (`escpos.md` §3.1, §5 item 4).
    pub fn size(n: u8) -> [u8; 3] {
        [0x1D, 0x21, n]
    }
    /// `ESC d n`: print and feed n lines.
    pub fn feed(n: u8) -> [u8; 3] {
        [0x1B, 0x64, n]
    }
    /// `GS V 65/66 n`: feed to the cutter plus n units, then full/partial cut (`escpos.md` §3.6).
    pub fn cut(partial: bool, n: u8) -> [u8; 4] {
        [0x1D, 0x56, if partial { 66 } else { 65 }, n]
    }
    /// `GS ( k` function `fn_` of the QR symbol (cn 49) with its parameters (`escpos.md` §3.5).
    pub fn qr_fn(fn_: u8, params: &[u8]) -> Vec<u8> {
        let len = params.len() + 2;
        let mut v = vec![
            0x1D,
            0x28,
            0x6B,
            (len & 0xFF) as u8,
            ((len >> 8) & 0xFF) as u8,
            49,
            fn_,
        ];
        v.extend_from_slice(params);
        v
    }
    /// `GS v 0 0 xL xH yL yH d…`: one raster band; `width_bytes × height == data.len()`.
    pub fn raster_header(width_bytes: u16, height: u16) -> [u8; 8] {
        let [xl, xh] = width_bytes.to_le_bytes();
        let [yl, yh] = height.to_le_bytes();
        [0x1D, 0x76, 0x30, 0, xl, xh, yl, yh]
    }
}

/// Height in dots of one normal text line (24-dot Chinese font, `escpos.md` §3.8).
pub const LINE_DOTS: u32 = 24;

/// Why a document could not be encoded.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    /// A line has characters the printer cannot print and no font was given to rasterise it.
    /// The message does not name the character: it may come from a citizen's name, and the
    /// message reaches logs (the variant keeps it for callers that need it).
    #[error("a character is not in the printer font and no font set was given for a raster line")]
    NeedsFont(char),
    /// The QR payload cannot be encoded at all (too long for any QR version).
    #[error("QR payload of {0} bytes cannot be encoded")]
    QrTooLong(usize),
}

/// Encodes documents for one profile; holds the optional font set for raster fallbacks.
#[derive(Debug, Clone, Copy)]
pub struct Encoder<'a> {
    profile: &'a Profile,
    fonts: Option<&'a FontSet>,
}

#[derive(Default)]
struct State {
    align: Option<Align>,
    size: Option<u8>,
    bold: Option<bool>,
}

impl<'a> Encoder<'a> {
    /// An encoder without fonts: fails with [`EncodeError::NeedsFont`] on unprintable text.
    pub fn new(profile: &'a Profile) -> Encoder<'a> {
        Encoder {
            profile,
            fonts: None,
        }
    }

    /// An encoder that rasterises unprintable lines with `fonts`.
    pub fn with_fonts(profile: &'a Profile, fonts: &'a FontSet) -> Encoder<'a> {
        Encoder {
            profile,
            fonts: Some(fonts),
        }
    }

    /// The whole job as one buffer: `ESC @`, `FS &`, then every block.
    pub fn encode(&self, doc: &Document) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(1024);
        out.extend_from_slice(&cmd::INIT);
        // resend FS & after every ESC @ (escpos.md §3.1, §5 item 2)
        out.extend_from_slice(&cmd::CHINESE_ON);
        let mut st = State::default();
        for block in &doc.blocks {
            self.block(block, &mut st, &mut out)?;
        }
        Ok(out)
    }

    fn block(&self, block: &Block, st: &mut State, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let cols = usize::from(self.profile.columns);
        match block {
            Block::Text { text, style } => {
                let per_line = cols / usize::from(style.size.width.clamp(1, 8));
                for line in text::wrap(text, per_line) {
                    self.text_line(&line, *style, st, out)?;
                }
            }
            Block::Separator(c) => {
                let c = if c.is_ascii_graphic() { *c } else { '-' };
                let line: String = std::iter::repeat_n(c, cols).collect();
                self.text_line(&line, Style::default(), st, out)?;
            }
            Block::KeyValue { key, value, bold } => {
                for line in text::key_value(key, value, cols) {
                    let style = Style {
                        bold: *bold,
                        ..Style::default()
                    };
                    self.text_line(&line, style, st, out)?;
                }
            }
            Block::Qr {
                payload,
                module,
                level,
            } => self.qr(payload, *module, *level, st, out)?,
            Block::Image { raster, align } => {
                let r = if raster.width() > u32::from(self.profile.dots_per_line) {
                    crop(raster, u32::from(self.profile.dots_per_line))
                } else {
                    raster.clone()
                };
                self.raster(&r, *align, st, out);
            }
            Block::Feed(n) => out.extend_from_slice(&cmd::feed(*n)),
            Block::Cut => match self.profile.cutter {
                Cutter::Full => out.extend_from_slice(&cmd::cut(false, 3)),
                Cutter::Partial => out.extend_from_slice(&cmd::cut(true, 3)),
                Cutter::None => out.extend_from_slice(&cmd::feed(4)),
            },
        }
        Ok(())
    }

    fn set_align(&self, a: Align, st: &mut State, out: &mut Vec<u8>) {
        if st.align != Some(a) {
            out.extend_from_slice(&cmd::align(a.code()));
            st.align = Some(a);
        }
    }

    fn text_line(
        &self,
        line: &str,
        style: Style,
        st: &mut State,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        match text::encode(line, self.profile.encoding) {
            Ok(bytes) => {
                self.set_align(style.align, st, out);
                let n = style.size.gs_bang();
                if st.size != Some(n) {
                    out.extend_from_slice(&cmd::size(n));
                    st.size = Some(n);
                }
                if st.bold != Some(style.bold) {
                    out.extend_from_slice(&cmd::bold(style.bold));
                    st.bold = Some(style.bold);
                }
                out.extend_from_slice(&bytes);
                out.push(cmd::LF);
                Ok(())
            }
            Err(text::TextError::Unprintable(c)) => {
                let Some(fonts) = self.fonts else {
                    return Err(EncodeError::NeedsFont(c));
                };
                let size = Size {
                    width: style.size.width.clamp(1, 8),
                    height: style.size.height.clamp(1, 8),
                };
                let cell = Cell {
                    width: u32::from(self.profile.dots_per_column()) * u32::from(size.width),
                    height: LINE_DOTS * u32::from(size.height),
                };
                let r = fonts.rasterize_line(
                    line,
                    u32::from(self.profile.dots_per_line),
                    cell,
                    style.align,
                    style.bold,
                );
                // the alignment is baked into the full-width raster
                self.raster(&r, Align::Left, st, out);
                Ok(())
            }
        }
    }

    fn qr(
        &self,
        payload: &str,
        module: u8,
        level: QrLevel,
        st: &mut State,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        let ec = match level {
            QrLevel::L => qrcode::EcLevel::L,
            QrLevel::M => qrcode::EcLevel::M,
            QrLevel::Q => qrcode::EcLevel::Q,
            QrLevel::H => qrcode::EcLevel::H,
        };
        // only the version is needed for the fit check: choosing a mask (the costly part of
        // building the symbol) is left to the printer unless we draw the raster ourselves
        let version = qrcode::bits::encode_auto(payload.as_bytes(), ec)
            .map_err(|_| EncodeError::QrTooLong(payload.len()))?
            .version();
        let modules = u32::try_from(version.width()).unwrap_or(177) + 8; // 4-module quiet zone
        let dots = u32::from(self.profile.dots_per_line);
        // largest module size ≤ the requested one that fits the paper with its quiet zone
        let fit = (dots / modules).clamp(1, 16) as u8;
        let mut module = module.clamp(1, 16).min(fit);
        let native = match self.profile.qr {
            QrSupport::Native {
                max_module,
                max_data,
            } if payload.is_ascii() && payload.len() <= max_data.min(7089) => {
                module = module.min(max_module.max(1));
                true
            }
            _ => false,
        };
        self.set_align(Align::Center, st, out);
        if native {
            out.extend(cmd::qr_fn(65, &[50, 0])); // fn 165: Model 2 (escpos.md §5 item 6)
            out.extend(cmd::qr_fn(67, &[module])); // fn 167: module size
            out.extend(cmd::qr_fn(69, &[level.code()])); // fn 169: error correction
            let mut store = vec![48];
            store.extend_from_slice(payload.as_bytes());
            out.extend(cmd::qr_fn(80, &store)); // fn 180: store
            out.extend(cmd::qr_fn(81, &[48])); // fn 181: print
            out.push(cmd::LF);
        } else {
            let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), ec)
                .map_err(|_| EncodeError::QrTooLong(payload.len()))?;
            let r = qr_raster(&code, u32::from(module));
            self.raster(&r, Align::Center, st, out);
        }
        Ok(())
    }

    fn raster(&self, r: &Raster, align: Align, st: &mut State, out: &mut Vec<u8>) {
        self.set_align(align, st, out);
        let band = u32::from(self.profile.max_raster_band.max(1));
        let mut y = 0;
        while y < r.height() {
            let part = r.rows(y, band);
            let wb = u16::try_from(part.row_bytes()).unwrap_or(u16::MAX);
            let h = u16::try_from(part.height()).unwrap_or(u16::MAX);
            out.extend_from_slice(&cmd::raster_header(wb, h));
            out.extend_from_slice(part.bits());
            y += part.height().max(1);
        }
    }
}

/// A QR code as a raster with `module` dots per module and a 4-module quiet zone.
pub fn qr_raster(code: &qrcode::QrCode, module: u32) -> Raster {
    let w = code.width() as u32;
    let size = (w + 8) * module;
    let mut r = Raster::new(size, size);
    let colors = code.to_colors();
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let mx = i as u32 % w;
            let my = i as u32 / w;
            for dy in 0..module {
                for dx in 0..module {
                    r.set((mx + 4) * module + dx, (my + 4) * module + dy, true);
                }
            }
        }
    }
    r
}

fn crop(r: &Raster, width: u32) -> Raster {
    let mut out = Raster::new(width, r.height());
    for y in 0..r.height() {
        for x in 0..width {
            if r.get(x, y) {
                out.set(x, y, true);
            }
        }
    }
    out
}
