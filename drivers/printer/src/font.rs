//! The app's fonts, used twice: to rasterise a line the printer's font cannot print, and to draw
//! decoded text in the rendered paper.
//!
//! Fonts are read from disk at run time (not `include_bytes!`): Noto Sans CJK SC is 16 MB and
//! HanaMinB 30 MB, which would make every binary that links this crate 46 MB larger. The app
//! passes its assets directory; tests use [`FontSet::workspace_assets`].

use std::path::{Path, PathBuf};

use ab_glyph::{Font, FontArc, FontVec, PxScale, ScaleFont, point};

use crate::raster::Raster;
use crate::text::Align;

/// File names looked up by [`FontSet::from_dir`], in fallback order: Noto covers GB18030's
/// two-byte repertoire and Ext-A, HanaMinB adds CJK Ext B–F (rare names such as 𠮷).
pub const FONT_FILES: [&str; 2] = ["NotoSansCJKsc-Regular.otf", "HanaMinB.ttf"];

/// Errors loading fonts.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// A font file could not be read.
    #[error("cannot read font {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A font file is not a font ab_glyph understands.
    #[error("{0} is not a valid TrueType/OpenType font")]
    Invalid(PathBuf),
    /// No font was given.
    #[error("no font loaded")]
    Empty,
}

/// The printer's character cell: one half-width column is `width` dots wide, a line `height`
/// dots tall (12×24 for Font A at normal size; multiplied by `GS !`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// Dots per half-width column.
    pub width: u32,
    /// Dots per line.
    pub height: u32,
}

/// An ordered list of fonts; each character is drawn with the first font that has it.
pub struct FontSet {
    fonts: Vec<FontArc>,
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FontSet({} fonts)", self.fonts.len())
    }
}

impl FontSet {
    /// Load the given font files, in fallback order.
    pub fn load(paths: &[PathBuf]) -> Result<FontSet, FontError> {
        let mut fonts = Vec::new();
        for path in paths {
            let data = std::fs::read(path).map_err(|source| FontError::Io {
                path: path.clone(),
                source,
            })?;
            let font = FontVec::try_from_vec(data).map_err(|_| FontError::Invalid(path.clone()))?;
            fonts.push(FontArc::new(font));
        }
        if fonts.is_empty() {
            return Err(FontError::Empty);
        }
        Ok(FontSet { fonts })
    }

    /// Fonts already in memory for the whole run (the app's embedded fonts), in fallback
    /// order; nothing is copied. `what` names them in errors.
    pub fn from_static(fonts: &[(&str, &'static [u8])]) -> Result<FontSet, FontError> {
        let mut loaded = Vec::new();
        for (what, data) in fonts {
            let font = FontArc::try_from_slice(data)
                .map_err(|_| FontError::Invalid(PathBuf::from(what)))?;
            loaded.push(font);
        }
        if loaded.is_empty() {
            return Err(FontError::Empty);
        }
        Ok(FontSet { fonts: loaded })
    }

    /// Load [`FONT_FILES`] from `dir` (the app's `assets/fonts`).
    pub fn from_dir(dir: &Path) -> Result<FontSet, FontError> {
        let paths: Vec<PathBuf> = FONT_FILES.iter().map(|f| dir.join(f)).collect();
        FontSet::load(&paths)
    }

    /// The workspace's `assets/fonts`, found from this crate's source directory: for tests,
    /// examples and the CLI when run from the source tree.
    pub fn workspace_assets() -> Result<FontSet, FontError> {
        FontSet::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fonts"))
    }

    /// Whether some font has a glyph for `c`.
    pub fn has_glyph(&self, c: char) -> bool {
        self.font_for(c).is_some()
    }

    fn font_for(&self, c: char) -> Option<&FontArc> {
        self.fonts.iter().find(|f| f.glyph_id(c).0 != 0)
    }

    /// Draw `text` onto `target` with its top-left corner at `origin` in the `cell` grid.
    /// ASCII is centred in one column, other characters in two, so the result lines up with
    /// the printer's own font.
    pub fn draw_line(
        &self,
        target: &mut Raster,
        text: &str,
        origin: (u32, u32),
        cell: Cell,
        bold: bool,
    ) {
        let (x, y) = origin;
        let (cell_w, cell_h) = (cell.width, cell.height);
        let mut cx = x as f32;
        for c in text.chars() {
            let cols = crate::text::char_width(c) as f32;
            let box_w = cols * cell_w as f32;
            if let Some(font) = self.font_for(c) {
                // PxScale sizes ascent − descent; convert so the em square is ~92 % of the
                // cell (a 24×24 printer glyph has a little space around it). Width and height
                // scale separately: GS ! 1×2 draws tall narrow glyphs, like the printer.
                let em_y = cell_h as f32 * 0.92;
                let em_x = cell_w as f32 * 2.0 * 0.92;
                let k = font.height_unscaled() / font.units_per_em().unwrap_or(1000.0);
                let mut scale = PxScale {
                    x: em_x * k,
                    y: em_y * k,
                };
                let id = font.glyph_id(c);
                let mut adv = font.as_scaled(scale).h_advance(id);
                if adv > box_w {
                    // proportional Latin (m, W) wider than its cell: squeeze, never overlap
                    scale.x *= box_w / adv;
                    adv = box_w;
                }
                let gx = cx + ((box_w - adv) / 2.0).max(0.0);
                // ideographic em box: 0.88 em above the baseline, 0.12 below
                let baseline = y as f32 + cell_h as f32 * 0.04 + em_y * 0.88;
                let glyph = id.with_scale_and_position(scale, point(gx, baseline));
                if let Some(outline) = font.outline_glyph(glyph) {
                    let b = outline.px_bounds();
                    let offsets: &[f32] = if bold { &[0.0, 1.0] } else { &[0.0] };
                    for dx in offsets {
                        outline.draw(|px, py, cov| {
                            if cov >= 0.5 {
                                let fx = b.min.x + px as f32 + dx;
                                let fy = b.min.y + py as f32;
                                if fx >= 0.0 && fy >= 0.0 {
                                    target.set(fx as u32, fy as u32, true);
                                }
                            }
                        });
                    }
                }
            }
            cx += box_w;
        }
    }

    /// Rasterise one line of text for printing as `GS v 0`: `width_dots` wide (the paper),
    /// aligned like `ESC a` would, in the `cell` grid.
    ///
    /// This is the fallback for a line holding characters the printer cannot print
    /// (`escpos.md` §5 item 3).
    pub fn rasterize_line(
        &self,
        text: &str,
        width_dots: u32,
        cell: Cell,
        align: Align,
        bold: bool,
    ) -> Raster {
        let mut r = Raster::new(width_dots, cell.height);
        let w = crate::text::display_width(text) as u32 * cell.width;
        let x = match align {
            Align::Left => 0,
            Align::Center => width_dots.saturating_sub(w) / 2,
            Align::Right => width_dots.saturating_sub(w),
        };
        self.draw_line(&mut r, text, (x, 0), cell, bold);
        r
    }
}
