//! The page JPEG: at most 500 KB, at least 200 dpi for A4, grey or colour by material,
//! density recorded, quality searched when needed; the page hash.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{SMALL, capture, run};
use documents::synthetic::{A4_SEAL_MM, PageSpec};
use documents::{Config, Limit, MaterialKind, Rejection, page_hash, process};

/// (components, x density, y density, density unit) from the SOF and JFIF headers.
fn jpeg_header(j: &[u8]) -> (u8, u16, u16, u8) {
    assert_eq!(&j[..2], &[0xFF, 0xD8]);
    let mut i = 2;
    let mut density = (0, 0, 0);
    loop {
        assert_eq!(j[i], 0xFF);
        let marker = j[i + 1];
        let len = usize::from(u16::from_be_bytes([j[i + 2], j[i + 3]]));
        let body = &j[i + 4..i + 2 + len];
        if marker == 0xE0 && body.starts_with(b"JFIF\0") {
            density = (
                u16::from_be_bytes([body[8], body[9]]),
                u16::from_be_bytes([body[10], body[11]]),
                body[7],
            );
        }
        if matches!(marker, 0xC0..=0xC2) {
            return (body[5], density.0, density.1, density.2);
        }
        i += 2 + len;
    }
}

#[test]
fn a4_page_is_at_most_500_kb_at_200_dpi_even_from_a_noisy_dim_capture() {
    for spec in [
        PageSpec::a4()
            .rotated(3.0)
            .noisy(6.0)
            .exposed(0.5)
            .shadowed(0.45, 10.0),
        PageSpec::a4().frame(SMALL.0, SMALL.1).rotated(-4.0),
    ] {
        let (_, jpeg) = capture(&spec);
        let page = run(&jpeg, MaterialKind::A4Document).unwrap();
        assert!(page.jpeg.len() <= 500_000, "{} bytes", page.jpeg.len());
        // A4 at 200 dpi: 210 mm × 297 mm → 1654 × 2339 px
        assert!(page.width >= 1654 && page.height >= 2339);
        assert_eq!(page.dpi, 200);
        assert_eq!(jpeg_header(&page.jpeg), (1, 200, 200, 1));
        let img = image::load_from_memory(&page.jpeg).unwrap();
        assert_eq!((img.width(), img.height()), (1654, 2339));
    }
}

#[test]
fn colour_sheet_keeps_its_red_seal_and_grey_sheet_is_one_channel() {
    let spec = PageSpec::a4()
        .frame(SMALL.0, SMALL.1)
        .rotated(1.0)
        .exposed(0.7)
        .shadowed(0.3, 0.0);
    let (_, jpeg) = capture(&spec);
    let page = run(&jpeg, MaterialKind::A4Colour).unwrap();
    assert_eq!(jpeg_header(&page.jpeg).0, 3);
    assert!(page.jpeg.len() <= 500_000);
    let img = image::load_from_memory(&page.jpeg).unwrap().to_rgb8();
    // the seal's ring, 0.6 mm inside its outer radius, straight above its centre
    let (sx, sy, sr) = A4_SEAL_MM;
    let px = |mm: f32| (mm / 25.4 * 200.0) as u32;
    let mut reddest = 0i32;
    for dy in 0..8 {
        let p = img.get_pixel(px(sx), px(sy - sr + 0.3) + dy);
        reddest = reddest.max(i32::from(p[0]) - (i32::from(p[1]) + i32::from(p[2])) / 2);
    }
    assert!(reddest > 80, "seal not red: {reddest}");
    // paper is white after flattening, despite the shadow and dim light
    let corner = img.get_pixel(px(15.0), px(285.0));
    assert!(corner.0.iter().all(|&c| c > 235), "{corner:?}");

    let grey = run(&jpeg, MaterialKind::A4Document).unwrap();
    assert_eq!(jpeg_header(&grey.jpeg).0, 1);
    assert!(grey.jpeg.len() < page.jpeg.len());
}

#[test]
fn quality_is_lowered_until_the_page_fits() {
    let (_, jpeg) = capture(&PageSpec::a4().frame(SMALL.0, SMALL.1).noisy(4.0));
    let config = Config {
        max_page_bytes: 150_000,
        ..Config::default()
    };
    let page = process(&jpeg, MaterialKind::A4Document, &config).unwrap();
    assert!(page.jpeg.len() <= 150_000);
    assert!(page.measures.quality < 85 && page.measures.encodes > 1);
    // one quality step up would not have fitted (or it is the start quality)
    let tight = Config {
        max_page_bytes: 5_000,
        ..Config::default()
    };
    let r = process(&jpeg, MaterialKind::A4Document, &tight).unwrap_err();
    assert!(
        matches!(r, Rejection::TooLarge(Limit::OutputBytes { len, max: 5_000 }) if len > 5_000)
    );
}

#[test]
fn page_hash_is_sha256_of_the_jpeg_and_stable() {
    assert_eq!(
        documents::hex(&page_hash(b"abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let (_, jpeg) = capture(&PageSpec::a4().frame(SMALL.0, SMALL.1).seeded(3));
    let a = run(&jpeg, MaterialKind::A4Document).unwrap();
    let b = run(&jpeg, MaterialKind::A4Document).unwrap();
    assert_eq!(a.sha256(), b.sha256());
    assert_eq!(a.sha256(), page_hash(&a.jpeg));
    assert_eq!(a.sha256_hex().len(), 64);
    let (_, other) = capture(&PageSpec::a4().frame(SMALL.0, SMALL.1).seeded(4));
    let c = run(&other, MaterialKind::A4Document).unwrap();
    assert_ne!(a.sha256(), c.sha256());
}

#[test]
fn png_capture_works_like_jpeg() {
    let (cap, _) = capture(&PageSpec::a4().frame(SMALL.0, SMALL.1).rotated(3.0));
    let png = documents::synthetic::to_png(&cap.image).unwrap();
    let page = run(&png, MaterialKind::A4Document).unwrap();
    assert_eq!((page.width, page.height), (1654, 2339));
}
