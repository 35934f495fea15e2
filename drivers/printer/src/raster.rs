//! One-bit raster images: the common currency of `GS v 0`, rasterised text lines, raster QR
//! codes and the rendered paper (`escpos.md` §3.10).

/// A 1-bit image, rows packed MSB-first, each row padded to whole bytes (the `GS v 0` layout).
///
/// Exists so encoder, device parser and renderer agree on one bit layout.
#[derive(Clone, PartialEq, Eq)]
pub struct Raster {
    width: u32,
    height: u32,
    bits: Vec<u8>,
}

impl std::fmt::Debug for Raster {
    // the bits may draw a citizen's name: print only the geometry
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Raster({}x{}, {} ink)",
            self.width,
            self.height,
            self.ink()
        )
    }
}

impl Raster {
    /// A white raster of `width` × `height` dots.
    pub fn new(width: u32, height: u32) -> Raster {
        let bytes = width.div_ceil(8) as usize * height as usize;
        Raster {
            width,
            height,
            bits: vec![0; bytes],
        }
    }

    /// Build from packed rows; `None` when `bits.len()` is not `ceil(width/8) × height` (the
    /// exact-length rule of `escpos.md` §3.10).
    pub fn from_bits(width: u32, height: u32, bits: Vec<u8>) -> Option<Raster> {
        (bits.len() == width.div_ceil(8) as usize * height as usize).then_some(Raster {
            width,
            height,
            bits,
        })
    }

    /// Width in dots.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in dots.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Bytes per row.
    pub fn row_bytes(&self) -> usize {
        self.width.div_ceil(8) as usize
    }

    /// The packed rows.
    pub fn bits(&self) -> &[u8] {
        &self.bits
    }

    /// Whether the dot at (`x`, `y`) is black; outside the image is white.
    pub fn get(&self, x: u32, y: u32) -> bool {
        if x >= self.width || y >= self.height {
            return false;
        }
        let i = y as usize * self.row_bytes() + (x / 8) as usize;
        self.bits.get(i).is_some_and(|b| b & (0x80 >> (x % 8)) != 0)
    }

    /// Set the dot at (`x`, `y`) black or white; outside the image is ignored.
    pub fn set(&mut self, x: u32, y: u32, black: bool) {
        if x >= self.width || y >= self.height {
            return;
        }
        let i = y as usize * self.row_bytes() + (x / 8) as usize;
        if let Some(b) = self.bits.get_mut(i) {
            if black {
                *b |= 0x80 >> (x % 8);
            } else {
                *b &= !(0x80 >> (x % 8));
            }
        }
    }

    /// Number of black dots (tests check a render is not blank).
    pub fn ink(&self) -> usize {
        self.bits.iter().map(|b| b.count_ones() as usize).sum()
    }

    /// Rows `start..start+len` as a new raster (for splitting into bands).
    pub fn rows(&self, start: u32, len: u32) -> Raster {
        let start = start.min(self.height);
        let end = start.saturating_add(len).min(self.height);
        let rb = self.row_bytes();
        let bits = self.bits[start as usize * rb..end as usize * rb].to_vec();
        Raster {
            width: self.width,
            height: end - start,
            bits,
        }
    }

    /// Copy `other` onto this raster with its top-left corner at (`x`, `y`) (black dots only).
    pub fn blit(&mut self, other: &Raster, x: u32, y: u32) {
        for oy in 0..other.height {
            for ox in 0..other.width {
                if other.get(ox, oy) {
                    self.set(x + ox, y + oy, true);
                }
            }
        }
    }
}
