//! Arbitrary bytes as a 高拍仪 capture, through the document pipeline's entry point
//! (`documents::process`: structure checks, decode under limits, page detection, warp,
//! measures, evening out, JPEG encoding) and the decoders on their own.
//!
//! Input layout: a selector byte (`(b & 0x7f) % 3`: A4 grey, A4 colour, ID card; bit 7: also
//! run the two decoders on their own and compare), then the capture bytes. Limits are small
//! (1 MiB, 256 kpx) and pages are made at 40 dpi so each run stays quick. Checks, besides "no
//! panic": whatever decodes also passes the header probe and decodes to the same size in
//! grey; a page's JPEG fits the budget, decodes to the page's size and hashes to its
//! `sha256`; every rejection has a prompt.
#![no_main]

use documents::decode::{DecodeLimits, decode, decode_gray, probe};
use documents::{Config, MaterialKind, OutputSpec, page_hash, process};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let kind = [MaterialKind::A4Document, MaterialKind::A4Colour, MaterialKind::IdCard]
        [usize::from((selector & 0x7f) % 3)];
    let limits = DecodeLimits {
        max_input_bytes: 1 << 20,
        max_pixels: 1 << 18,
    };

    if selector & 0x80 != 0 {
        let probed = probe(bytes, &limits);
        let decoded = decode(bytes, &limits);
        let grey = decode_gray(bytes, &limits);
        if let Ok(img) = &decoded {
            let (_, w, h) = probed.clone().expect("decoded but the probe failed");
            assert_eq!((img.width(), img.height()), (w, h));
        }
        if let (Ok(c), Ok(g)) = (&decoded, &grey) {
            assert_eq!((c.width(), c.height()), g.dimensions());
        }
        if probed.is_err() {
            assert!(decoded.is_err() && grey.is_err());
        }
    }

    let config = Config {
        limits,
        output: Some(OutputSpec {
            dpi: 40,
            ..kind.spec()
        }),
        ..Config::default()
    };
    match process(bytes, kind, &config) {
        Ok(page) => {
            assert!(page.jpeg.len() <= config.max_page_bytes);
            let back = decode(&page.jpeg, &DecodeLimits::default()).expect("page JPEG decodes");
            assert_eq!((back.width(), back.height()), (page.width, page.height));
            assert_eq!(page.sha256(), page_hash(&page.jpeg));
        }
        Err(r) => assert!(!r.prompt().is_empty()),
    }
});
