//! Writes seed inputs for the `documents_decode` fuzz target in `fuzz/`: small generated
//! captures (an A4 sheet, an ID card, a blank sheet, the empty base) as JPEG and PNG, a grey
//! JPEG, a truncated one. Without them the fuzzer rarely gets past the JPEG marker walk.
//!
//! Run with `cargo run -p documents --example documents_fuzz_seeds -- fuzz/seeds` from the
//! repository root; it writes `<dir>/documents_decode/*`. Each seed is a selector byte (the
//! target takes `(b & 0x7f) % 3` as the material: A4 grey, A4 colour, ID card; bit 7 also runs the
//! decoders on their own), then the capture.
//! PNG seeds carry no `.png` suffix (the repository ignores `*.png`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::PathBuf;

use documents::synthetic::{self, PageSpec};
use documents::{Config, MaterialKind, OutputSpec, process};

fn main() {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "fuzz/seeds".into()),
    )
    .join("documents_decode");
    fs::create_dir_all(&dir).unwrap();
    let frame = (200, 150);
    let a4 = synthetic::page(
        &PageSpec::a4()
            .frame(frame.0, frame.1)
            .rotated(4.0)
            .seeded(1),
    );
    let card = synthetic::page(
        &PageSpec::id_card()
            .frame(frame.0, frame.1)
            .scaled(1.6)
            .rotated(-5.0)
            .seeded(2),
    );
    let small_png = synthetic::page(&PageSpec::a4().frame(160, 120).rotated(4.0).seeded(3));
    let blank = synthetic::page(&PageSpec::blank_paper().frame(frame.0, frame.1));
    let desk = synthetic::page(&PageSpec::empty_desk().frame(frame.0, frame.1));
    let a4_jpeg = synthetic::to_jpeg(&a4.image, 85).unwrap();
    let grey = {
        let g = image::DynamicImage::ImageRgb8(a4.image.clone()).into_luma8();
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
            .encode_image(&g)
            .unwrap();
        out
    };
    let seeds: Vec<(&str, u8, Vec<u8>)> = vec![
        ("a4_jpeg", 0, a4_jpeg.clone()),
        ("a4_colour_jpeg", 1, a4_jpeg.clone()),
        ("a4_png", 0x80, synthetic::to_png(&small_png.image).unwrap()),
        ("a4_grey_jpeg", 0x80, grey),
        ("card_jpeg", 2, synthetic::to_jpeg(&card.image, 85).unwrap()),
        (
            "blank_jpeg",
            0,
            synthetic::to_jpeg(&blank.image, 85).unwrap(),
        ),
        ("desk_jpeg", 0, synthetic::to_jpeg(&desk.image, 85).unwrap()),
        (
            "a4_truncated_jpeg",
            0,
            a4_jpeg[..a4_jpeg.len() / 2].to_vec(),
        ),
    ];
    for (name, selector, bytes) in seeds {
        // the fuzz target's own configuration: what it makes of each seed
        let kind = [
            MaterialKind::A4Document,
            MaterialKind::A4Colour,
            MaterialKind::IdCard,
        ][usize::from((selector & 0x7f) % 3)];
        let config = Config {
            output: Some(OutputSpec {
                dpi: 40,
                ..kind.spec()
            }),
            ..Config::default()
        };
        let outcome = match process(&bytes, kind, &config) {
            Ok(p) => format!("page {}x{}", p.width, p.height),
            Err(e) => format!("{e}"),
        };
        let mut seed = vec![selector];
        seed.extend_from_slice(&bytes);
        fs::write(dir.join(name), &seed).unwrap();
        println!("{name}: {} bytes, {outcome}", seed.len());
    }
}
