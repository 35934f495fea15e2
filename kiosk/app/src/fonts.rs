//! The embedded CJK fonts, registered with Slint at start.
//!
//! Noto Sans CJK SC covers the BMP ideographs (GB18030 levels 1–2); HanaMinB covers CJK
//! Extensions B–F, where rare characters of ID-card names live (GB18030-2022 level 3).
//! Both are compiled into the binary, so the kiosk relies on no system font. Slint does not
//! fall back from one imported font to another by itself, so we register both and make them
//! the whole sans-serif chain (checked by the `rare_characters_render` UI test).

use slint::fontique_011::fontique;
use std::sync::Arc;

/// The primary family name, as `default-font-family` in `app.slint` names it.
pub const PRIMARY_FAMILY: &str = "Noto Sans CJK SC";

static NOTO_SANS_SC: &[u8] = include_bytes!("../../../assets/fonts/NotoSansCJKsc-Regular.otf");
static HANAMIN_B: &[u8] = include_bytes!("../../../assets/fonts/HanaMinB.ttf");

/// The same two fonts for the printer: raster lines for characters the printer's font lacks
/// (a rare character in a name is never printed as `?`) and the simulator's renderer.
pub fn printer_fonts() -> Result<printer::FontSet, printer::FontError> {
    printer::FontSet::from_static(&[
        ("NotoSansCJKsc-Regular.otf", NOTO_SANS_SC),
        ("HanaMinB.ttf", HANAMIN_B),
    ])
}

/// Registers both fonts as the sans-serif chain and as the fallback for Han script.
/// Call once, after the Slint platform is chosen and before the first window renders.
pub fn register() {
    let mut collection = slint::fontique_011::shared_collection();
    let mut families = Vec::new();
    for data in [NOTO_SANS_SC, HANAMIN_B] {
        let blob = fontique::Blob::new(Arc::new(data));
        families.extend(
            collection
                .register_fonts(blob, None)
                .into_iter()
                .map(|(id, _)| id),
        );
    }
    for generic in [
        fontique::GenericFamily::SansSerif,
        fontique::GenericFamily::SystemUi,
        fontique::GenericFamily::UiSansSerif,
    ] {
        collection.set_generic_families(generic, families.iter().copied());
    }
    let han = fontique::Script::from_bytes(*b"Hani");
    collection.append_fallbacks(
        fontique::FallbackKey::new(han, None),
        families.iter().copied(),
    );
}
