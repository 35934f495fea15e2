//! The printed [`Paper`] to a PNG, for people and for tests: text drawn with the app's fonts
//! in the printer's cell grid, QR codes redrawn from their payload with the `qrcode` crate,
//! rasters copied bit for bit, cuts as a dashed line.

use crate::device::{Paper, PaperItem};
use crate::document::QrLevel;
use crate::encode::{LINE_DOTS, qr_raster};
use crate::font::{Cell, FontSet};
use crate::profile::Profile;
use crate::raster::Raster;
use crate::text::{Align, display_width};

/// Dots between text lines (printer default spacing 30 dots minus the 24-dot cell).
pub const LINE_GAP: u32 = 6;
/// Blank margin at top and bottom of the rendered paper.
pub const MARGIN: u32 = 16;

/// Errors while writing the PNG.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The PNG encoder failed.
    #[error("PNG encoding failed: {0}")]
    Png(#[from] png::EncodingError),
}

/// Draws paper for one printer profile (paper width and column grid).
#[derive(Debug, Clone, Copy)]
pub struct Renderer<'a> {
    profile: &'a Profile,
    fonts: &'a FontSet,
}

impl<'a> Renderer<'a> {
    /// A renderer for `profile`'s paper using `fonts`.
    pub fn new(profile: &'a Profile, fonts: &'a FontSet) -> Renderer<'a> {
        Renderer { profile, fonts }
    }

    fn item_height(&self, item: &PaperItem) -> u32 {
        match item {
            PaperItem::Text(t) => LINE_DOTS * u32::from(t.size.height) + LINE_GAP,
            PaperItem::Qr { .. } => self.qr(item).map_or(0, |r| r.height()),
            PaperItem::Raster { raster, .. } => raster.height(),
            PaperItem::Feed { dots } => *dots,
            PaperItem::Cut { .. } => 12,
        }
    }

    fn qr(&self, item: &PaperItem) -> Option<Raster> {
        let PaperItem::Qr {
            payload,
            module,
            level,
            ..
        } = item
        else {
            return None;
        };
        let ec = match level {
            QrLevel::L => qrcode::EcLevel::L,
            QrLevel::M => qrcode::EcLevel::M,
            QrLevel::Q => qrcode::EcLevel::Q,
            QrLevel::H => qrcode::EcLevel::H,
        };
        let code = qrcode::QrCode::with_error_correction_level(payload, ec).ok()?;
        Some(qr_raster(&code, u32::from((*module).clamp(1, 16))))
    }

    fn x_for(&self, width: u32, align: Align) -> u32 {
        let paper = u32::from(self.profile.dots_per_line);
        match align {
            Align::Left => 0,
            Align::Center => paper.saturating_sub(width) / 2,
            Align::Right => paper.saturating_sub(width),
        }
    }

    /// The paper as a 1-bit image, `dots_per_line` wide.
    pub fn render(&self, paper: &Paper) -> Raster {
        let height = paper
            .items
            .iter()
            .map(|i| self.item_height(i))
            .fold(2 * MARGIN, u32::saturating_add)
            .min(1 << 16);
        let width = u32::from(self.profile.dots_per_line);
        let mut out = Raster::new(width, height);
        let cell = u32::from(self.profile.dots_per_column());
        let mut y = MARGIN;
        for item in &paper.items {
            match item {
                PaperItem::Text(t) => {
                    let cw = cell * u32::from(t.size.width);
                    let ch = LINE_DOTS * u32::from(t.size.height);
                    let w = display_width(&t.text) as u32 * cw;
                    let x = self.x_for(w, t.align);
                    self.fonts.draw_line(
                        &mut out,
                        &t.text,
                        (x, y),
                        Cell {
                            width: cw,
                            height: ch,
                        },
                        t.bold,
                    );
                }
                PaperItem::Qr { align, .. } => {
                    if let Some(r) = self.qr(item) {
                        out.blit(&r, self.x_for(r.width(), *align), y);
                    }
                }
                PaperItem::Raster { raster, align } => {
                    out.blit(raster, self.x_for(raster.width(), *align), y);
                }
                PaperItem::Feed { .. } => {}
                PaperItem::Cut { .. } => {
                    for x in (0..width).filter(|x| x % 12 < 6) {
                        out.set(x, y + 6, true);
                    }
                }
            }
            y = y.saturating_add(self.item_height(item));
        }
        out
    }

    /// The paper as PNG bytes (8-bit grey, black ink on white).
    pub fn render_png(&self, paper: &Paper) -> Result<Vec<u8>, RenderError> {
        to_png(&self.render(paper))
    }
}

/// Encode a raster as an 8-bit greyscale PNG.
pub fn to_png(r: &Raster) -> Result<Vec<u8>, RenderError> {
    let mut data = Vec::with_capacity(r.width() as usize * r.height() as usize);
    for y in 0..r.height() {
        for x in 0..r.width() {
            data.push(if r.get(x, y) { 0 } else { 255 });
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, r.width(), r.height());
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header()?;
        w.write_image_data(&data)?;
        w.finish()?;
    }
    Ok(out)
}
