//! The rendered PNG has the paper's width, a plausible height and ink where text and QR are.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use printer::device::Device;
use printer::render::Renderer;
use printer::{Document, Encoder, FontSet, Profile};

#[test]
fn rendered_png_has_size_and_ink() {
    let fonts = FontSet::workspace_assets().unwrap();
    let p = Profile::GENERIC_80MM;
    let doc = Document::new()
        .title("办件回执")
        .key_value("姓名", "张𠮷")
        .key_value("受理编号", "A20261123001")
        .qr("https://g.example/q/A20261123001")
        .cut();
    let bytes = Encoder::with_fonts(&p, &fonts).encode(&doc).unwrap();
    let mut dev = Device::default();
    dev.receive(&bytes);
    let paper = dev.take_paper();
    let renderer = Renderer::new(&p, &fonts);
    let image = renderer.render(&paper);
    assert_eq!(image.width(), 576);
    assert!(
        image.height() > 200,
        "title + rows + QR: {}",
        image.height()
    );
    let ink = image.ink();
    let total = (image.width() * image.height()) as usize;
    assert!(ink > 2000, "ink {ink}");
    assert!(ink < total / 2, "not all black");
    // the title band (top margin + 48-dot double-height line) has ink
    let title = image.rows(16, 48);
    assert!(title.ink() > 200);

    let png_bytes = renderer.render_png(&paper).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let reader = decoder.read_info().unwrap();
    let info = reader.info();
    assert_eq!(info.width, 576);
    assert_eq!(info.height, image.height());
    if let Ok(dir) = std::env::var("PRINTER_RENDER_OUT") {
        std::fs::write(
            std::path::Path::new(&dir).join("receipt.png"),
            renderer.render_png(&paper).unwrap(),
        )
        .unwrap();
    }
}

#[test]
fn empty_paper_renders_blank() {
    let fonts = FontSet::workspace_assets().unwrap();
    let p = Profile::GENERIC_58MM;
    let r = Renderer::new(&p, &fonts).render(&Default::default());
    assert_eq!(r.width(), 384);
    assert_eq!(r.ink(), 0);
}

fn read_qr(image: &printer::Raster) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(
        image.width() as usize,
        image.height() as usize,
        |x, y| {
            if image.get(x as u32, y as u32) {
                0
            } else {
                255
            }
        },
    );
    img.detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, s)| s))
        .collect()
}

#[test]
fn qr_payload_reads_back_from_the_render() {
    let fonts = FontSet::workspace_assets().unwrap();
    let url = "https://g.example/q/A20261123001";
    for p in Profile::PRESETS {
        // native GS ( k on 80 mm, raster fallback on 58 mm: both must scan
        let doc = Document::new().title("进度查询").qr(url).cut();
        let bytes = Encoder::with_fonts(&p, &fonts).encode(&doc).unwrap();
        let mut dev = Device::default();
        dev.receive(&bytes);
        let image = Renderer::new(&p, &fonts).render(dev.paper());
        assert_eq!(read_qr(&image), vec![url.to_string()], "{}", p.name);
    }
}
