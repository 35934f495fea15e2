//! Printer profiles: what one model can print, so layout and encoding are decided per printer
//! and not hard-coded (`escpos.md` §3.2 "which Chinese encoding", §3.8 geometry, §5 items 1, 5,
//! 6, 14).

/// Two-byte character set the printer's resident Chinese font understands.
///
/// Exists because "a Chinese printer isn't always GB18030, sometimes GBK" (`escpos.md` §2.3);
/// the bytes we send for a Hanzi are the same two-byte code in both, but which characters the
/// font has differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// GB18030 resident font (Xprinter, Zywell): every two-byte GB18030 code prints; four-byte
    /// sequences (Ext-A/B rare names) usually do not (`escpos.md` §3.2).
    Gb18030,
    /// GBK font: two-byte GBK codes only; characters outside GBK need a raster.
    Gbk,
}

/// What the cutter can do, so the encoder picks the right `GS V` (`escpos.md` §3.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cutter {
    /// No cutter: the encoder feeds past the tear bar instead of cutting.
    None,
    /// Full cut available (`GS V A n`).
    Full,
    /// Partial cut only (ZJ-58, some Citizen units): `GS V B n`.
    Partial,
}

/// Native QR support (`GS ( k`, `escpos.md` §3.5), or its absence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrSupport {
    /// No `GS ( k`: QR codes are sent as a raster image.
    None,
    /// Native Model 2 QR within these limits; anything bigger falls back to a raster.
    Native {
        /// Largest module size (dots per module) the printer accepts (Epson 16, Metapace 7).
        max_module: u8,
        /// Largest payload in bytes for function 180 (reports of 255 / 310 / 1021 limits).
        max_data: usize,
    },
}

/// One printer model's capabilities.
///
/// Exists so the same receipt renders correctly on an 80 mm 576-dot Chinese printer, a 512-dot
/// Epson and a 58 mm unit: columns, raster width and QR strategy all come from here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Human name for logs and the maintenance menu.
    pub name: &'static str,
    /// Character set of the resident Chinese font.
    pub encoding: TextEncoding,
    /// Printable dots per line (576 / 512 / 384, `escpos.md` §3.8).
    pub dots_per_line: u16,
    /// Resolution in dots per inch (203 or 180); sizes rasters and QR codes.
    pub dpi: u16,
    /// Font A half-width columns per line (48 / 42 / 32); a Hanzi takes two.
    pub columns: u16,
    /// Cutter type.
    pub cutter: Cutter,
    /// QR support and its limits.
    pub qr: QrSupport,
    /// Tallest `GS v 0` band in dots; taller images are split (`escpos.md` §2.3 "Image garbage",
    /// §3.10: Epson 4095, safe choice ≤ 256).
    pub max_raster_band: u16,
    /// Whether the paper near-end sensor exists (some 58 mm units have none, `escpos.md` §3.3).
    pub near_end_sensor: bool,
}

impl Profile {
    /// Generic Chinese 80 mm printer (Xprinter XP-80 class): 576 dots, 203 dpi, 48 columns,
    /// GB18030 font, full cutter, native QR.
    pub const GENERIC_80MM: Profile = Profile {
        name: "generic 80 mm (576 dots, GB18030)",
        encoding: TextEncoding::Gb18030,
        dots_per_line: 576,
        dpi: 203,
        columns: 48,
        cutter: Cutter::Full,
        qr: QrSupport::Native {
            max_module: 16,
            max_data: 255,
        },
        max_raster_band: 256,
        near_end_sensor: true,
    };

    /// Epson TM-T88IV/V Chinese-font SKU: 512 dots, 180 dpi, 42 columns (`escpos.md` §3.8, §5
    /// item 14), GBK font, full cutter, native QR up to 7089 bytes.
    pub const EPSON_TM_T88: Profile = Profile {
        name: "Epson TM-T88 (512 dots, GBK)",
        encoding: TextEncoding::Gbk,
        dots_per_line: 512,
        dpi: 180,
        columns: 42,
        cutter: Cutter::Full,
        qr: QrSupport::Native {
            max_module: 16,
            max_data: 7089,
        },
        max_raster_band: 256,
        near_end_sensor: true,
    };

    /// Generic 58 mm printer (ZJ-5870 / POS-5890 class): 384 dots, 32 columns, GBK font,
    /// partial cut only, no near-end sensor, no native QR (raster instead).
    pub const GENERIC_58MM: Profile = Profile {
        name: "generic 58 mm (384 dots, GBK)",
        encoding: TextEncoding::Gbk,
        dots_per_line: 384,
        dpi: 203,
        columns: 32,
        cutter: Cutter::Partial,
        qr: QrSupport::None,
        max_raster_band: 256,
        near_end_sensor: false,
    };

    /// Every preset, for the maintenance menu and config validation.
    pub const PRESETS: [Profile; 3] = [Self::GENERIC_80MM, Self::EPSON_TM_T88, Self::GENERIC_58MM];

    /// Width in dots of one half-width column (12 on 576/48, about 12 on 512/42 and 384/32).
    pub fn dots_per_column(&self) -> u16 {
        self.dots_per_line / self.columns.max(1)
    }

    /// Width of a raster line in bytes (`GS v 0` xL/xH), rounding dots up to whole bytes.
    pub fn raster_bytes_per_line(&self) -> u16 {
        self.dots_per_line.div_ceil(8)
    }
}
