//! The multi-page PDF, parsed back structurally.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{SMALL, capture, run};
use documents::pdf::{self, PdfError};
use documents::synthetic::PageSpec;
use documents::{MaterialKind, Page};

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// The dictionary text of indirect object `n` and, if it has one, its stream bytes.
fn object(pdf: &[u8], n: usize) -> (String, Option<Vec<u8>>) {
    let head = format!("\n{n} 0 obj\n");
    let start = find(pdf, head.as_bytes(), 0).unwrap_or_else(|| panic!("object {n}")) + head.len();
    let end = find(pdf, b"endobj", start).unwrap();
    let body = &pdf[start..end];
    match find(body, b"stream\n", 0) {
        None => (String::from_utf8_lossy(body).into_owned(), None),
        Some(s) => {
            let dict = String::from_utf8_lossy(&body[..s]).into_owned();
            let len: usize = dict
                .split("/Length ")
                .nth(1)
                .unwrap()
                .split(|c: char| !c.is_ascii_digit())
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let data = body[s + 7..s + 7 + len].to_vec();
            assert_eq!(&body[s + 7 + len..s + 7 + len + 10], b"\nendstream");
            (dict, Some(data))
        }
    }
}

fn pages() -> Vec<Page> {
    let a4 = capture(&PageSpec::a4().frame(SMALL.0, SMALL.1).rotated(2.0)).1;
    let card = capture(&PageSpec::id_card().frame(SMALL.0, SMALL.1).scaled(11.0)).1;
    vec![
        run(&a4, MaterialKind::A4Document).unwrap(),
        run(&a4, MaterialKind::A4Colour).unwrap(),
        run(&card, MaterialKind::IdCard).unwrap(),
    ]
}

#[test]
fn three_pages_parse_back_with_the_jpegs_unchanged() {
    let pages = pages();
    let bytes = pdf::from_pages(&pages).unwrap();

    assert!(bytes.starts_with(b"%PDF-1."));
    assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"));
    // page tree: three kids, three page objects
    let (tree, _) = object(&bytes, 2);
    assert!(
        tree.contains("/Type /Pages") && tree.contains("/Count 3"),
        "{tree}"
    );
    assert_eq!(
        count(&bytes, b"/Type /Page") - count(&bytes, b"/Type /Pages"),
        3
    );

    for (i, page) in pages.iter().enumerate() {
        let (page_dict, _) = object(&bytes, 4 + 3 * i);
        // media box from pixels and dpi: A4 at 200 dpi is 595.44 × 842.04 pt
        let w_pt = page.width as f32 / f32::from(page.dpi) * 72.0;
        let h_pt = page.height as f32 / f32::from(page.dpi) * 72.0;
        let mb = page_dict
            .split("/MediaBox [")
            .nth(1)
            .unwrap()
            .split(']')
            .next()
            .unwrap();
        let nums: Vec<f32> = mb.split_whitespace().map(|v| v.parse().unwrap()).collect();
        assert_eq!(nums.len(), 4);
        assert!(
            (nums[2] - w_pt).abs() < 0.01 && (nums[3] - h_pt).abs() < 0.01,
            "{mb}"
        );
        if page.material != MaterialKind::IdCard {
            assert!((nums[2] - 595.44).abs() < 0.05 && (nums[3] - 842.04).abs() < 0.05);
        }
        // the image: DCTDecode, the page's size, its JPEG byte for byte
        let (image_dict, data) = object(&bytes, 5 + 3 * i);
        assert!(image_dict.contains("/Subtype /Image"), "{image_dict}");
        assert!(image_dict.contains("/Filter /DCTDecode"));
        assert!(image_dict.contains(&format!("/Width {}", page.width)));
        assert!(image_dict.contains(&format!("/Height {}", page.height)));
        let space = if page.material == MaterialKind::A4Document {
            "/DeviceGray"
        } else {
            "/DeviceRGB"
        };
        assert!(image_dict.contains(space), "{image_dict}");
        assert_eq!(
            data.unwrap(),
            page.jpeg,
            "page {i}: the JPEG was not embedded unchanged"
        );
        // the content stream draws it over the whole page
        let (_, content) = object(&bytes, 6 + 3 * i);
        let content = String::from_utf8(content.unwrap()).unwrap();
        assert!(content.contains("/Im0 Do"), "{content}");
    }

    // the cross-reference table points at every object
    let sx = find(&bytes, b"startxref", 0).unwrap();
    let xref_at: usize = String::from_utf8_lossy(&bytes[sx + 10..])
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(bytes[xref_at..].starts_with(b"xref"));
    let table = String::from_utf8_lossy(&bytes[xref_at..sx]).into_owned();
    let mut lines = table.lines().skip(1);
    let header: Vec<usize> = lines
        .next()
        .unwrap()
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(header, vec![0, 4 + 3 * pages.len()]);
    for (n, line) in lines.take(header[1]).enumerate().skip(1) {
        let off: usize = line[..10].parse().unwrap();
        assert!(
            bytes[off..].starts_with(format!("{n} 0 obj").as_bytes()),
            "object {n}"
        );
    }
    // same pages, same bytes
    assert_eq!(pdf::from_pages(&pages).unwrap(), bytes);
}

#[test]
fn no_pages_is_an_error() {
    assert_eq!(pdf::from_pages(&[]), Err(PdfError::NoPages));
}
