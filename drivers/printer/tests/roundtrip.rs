//! Encode → device parse round trip: the Chinese text, sizes, alignment, QR payloads, rasters
//! and cuts come back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use printer::device::{Device, PaperItem};
use printer::{Align, Block, Document, Encoder, FontSet, Profile, QrLevel, Raster, Size};

fn receipt() -> Document {
    Document::new()
        .title("办件回执")
        .line("终端：县政务服务中心 01 号机")
        .key_value("受理编号", "A20261123001")
        .key_value("姓名", "张*三")
        .key_value("身份证号", "3201********1234")
        .separator('=')
        .line("下一步：请于 5 个工作日内凭本回执到 3 号窗口领取结果。")
        .qr("https://g.example/q/A20261123001")
        .feed(2)
        .cut()
}

fn roundtrip(p: &Profile, doc: &Document) -> printer::device::Paper {
    let bytes = Encoder::new(p).encode(doc).unwrap();
    let mut dev = Device::new(true);
    assert!(dev.receive(&bytes).is_empty(), "no status answers expected");
    assert_eq!(dev.buffered(), 0, "everything consumed");
    assert_eq!(dev.counters().unknown_commands, 0);
    dev.take_paper()
}

#[test]
fn chinese_text_sizes_qr_and_cut_come_back() {
    let paper = roundtrip(&Profile::GENERIC_80MM, &receipt());
    let lines = paper.lines();
    assert_eq!(lines[0].text, "办件回执");
    assert_eq!(lines[0].size, Size::DOUBLE);
    assert_eq!(lines[0].align, Align::Center);
    assert!(lines[0].bold);
    assert_eq!(lines[1].text, "终端：县政务服务中心 01 号机");
    assert_eq!(lines[1].size, Size::NORMAL);
    assert_eq!(lines[1].align, Align::Left);
    assert!(!lines[1].bold);
    let text = paper.text();
    assert!(text.contains("受理编号"));
    assert!(text.contains("A20261123001"));
    assert!(text.contains("张*三"));
    assert!(text.contains("3201********1234"));
    assert!(text.contains(&"=".repeat(48)));
    // the wrapped sentence comes back whole when the lines are joined
    let joined: String = text.split('\n').collect();
    assert!(joined.contains("下一步：请于 5 个工作日内凭本回执到 3 号窗口领取结果。"));
    assert!(!text.contains('?') && !text.contains('\u{FFFD}'));
    assert_eq!(
        paper.qr_payloads(),
        vec![b"https://g.example/q/A20261123001".as_slice()]
    );
    let qr = paper
        .items
        .iter()
        .find(|i| matches!(i, PaperItem::Qr { .. }))
        .unwrap();
    assert!(matches!(
        qr,
        PaperItem::Qr {
            model: 50,
            module: 6,
            level: QrLevel::M,
            align: Align::Center,
            ..
        }
    ));
    assert_eq!(paper.cuts(), 1);
    assert!(matches!(
        paper.items.last(),
        Some(PaperItem::Cut { partial: false })
    ));
}

#[test]
fn every_line_fits_the_profile() {
    for p in Profile::PRESETS {
        let paper = roundtrip(&p, &receipt());
        for l in paper.lines() {
            let cols = usize::from(p.columns) / usize::from(l.size.width);
            assert!(
                printer::text::display_width(&l.text) <= cols,
                "{}: line too wide",
                p.name
            );
        }
    }
}

#[test]
fn fifty_eight_mm_qr_is_a_raster() {
    let paper = roundtrip(&Profile::GENERIC_58MM, &receipt());
    assert!(paper.qr_payloads().is_empty());
    assert_eq!(paper.rasters(), 1);
    assert!(matches!(
        paper.items.last(),
        Some(PaperItem::Cut { partial: true })
    ));
}

#[test]
fn too_long_qr_payload_falls_back_to_raster() {
    let long = format!("https://g.example/q/{}", "A".repeat(300));
    let doc = Document::new().qr(long);
    let paper = roundtrip(&Profile::GENERIC_80MM, &doc);
    assert!(paper.qr_payloads().is_empty());
    assert!(paper.rasters() >= 1);
}

#[test]
fn non_ascii_qr_payload_falls_back_to_raster() {
    // escpos.md §3.5: keep native QR payloads ASCII
    let paper = roundtrip(&Profile::GENERIC_80MM, &Document::new().qr("进度查询"));
    assert!(paper.qr_payloads().is_empty());
    assert_eq!(paper.rasters(), 1);
}

#[test]
fn tall_image_is_split_into_bands() {
    let mut r = Raster::new(100, 600);
    for y in 0..600 {
        r.set(y % 100, y, true);
    }
    let doc = Document::new().image(r.clone(), Align::Center);
    let paper = roundtrip(&Profile::GENERIC_80MM, &doc);
    assert_eq!(paper.rasters(), 3, "600 rows in bands of 256");
    let mut y = 0;
    for item in &paper.items {
        if let PaperItem::Raster { raster, align } = item {
            assert_eq!(*align, Align::Center);
            for yy in 0..raster.height() {
                for x in 0..100 {
                    assert_eq!(raster.get(x, yy), r.get(x, y + yy));
                }
            }
            y += raster.height();
        }
    }
    assert_eq!(y, 600);
}

#[test]
fn unprintable_without_fonts_is_an_error_not_a_question_mark() {
    let doc = Document::new().key_value("姓名", "张𠮷");
    let err = Encoder::new(&Profile::GENERIC_80MM)
        .encode(&doc)
        .unwrap_err();
    assert!(matches!(err, printer::EncodeError::NeedsFont('𠮷')));
}

#[test]
fn rare_name_line_becomes_a_raster_with_fonts() {
    let fonts = FontSet::workspace_assets().unwrap();
    assert!(fonts.has_glyph('𠮷'), "HanaMinB covers Ext-B");
    let doc = Document::new()
        .key_value("姓名", "张𠮷")
        .line("其余文字照常打印");
    let p = Profile::GENERIC_80MM;
    let bytes = Encoder::with_fonts(&p, &fonts).encode(&doc).unwrap();
    let mut dev = Device::new(true);
    dev.receive(&bytes);
    let paper = dev.take_paper();
    assert_eq!(paper.rasters(), 1);
    assert_eq!(paper.text(), "其余文字照常打印", "no `?` line for the name");
    let Some(PaperItem::Raster { raster, .. }) = paper.items.first() else {
        panic!("first item is the raster line");
    };
    assert_eq!(raster.width(), 576);
    assert_eq!(raster.height(), 24);
    assert!(raster.ink() > 100, "the name is drawn");
}

#[test]
fn chunked_delivery_gives_the_same_paper() {
    let p = Profile::GENERIC_80MM;
    let bytes = Encoder::new(&p).encode(&receipt()).unwrap();
    let whole = roundtrip(&p, &receipt());
    for chunk in [1, 2, 3, 7, 64] {
        let mut dev = Device::new(true);
        for c in bytes.chunks(chunk) {
            dev.receive(c);
        }
        assert_eq!(dev.take_paper(), whole, "chunk size {chunk}");
    }
}

#[test]
fn chinese_mode_off_decodes_ascii_only() {
    let mut dev = Device::new(false);
    dev.receive(&[0xB0, 0xEC, b'A', 0x0A, 0x1C, 0x26, 0xB0, 0xEC, 0x0A]);
    let paper = dev.take_paper();
    assert_eq!(paper.lines()[0].text, "\u{FFFD}\u{FFFD}A");
    assert_eq!(paper.lines()[1].text, "办");
}

#[test]
fn debug_does_not_leak_text() {
    let doc = Document::new().key_value("姓名", "张*三");
    let dbg = format!("{doc:?}");
    assert!(!dbg.contains("张"), "{dbg}");
    let paper = roundtrip(&Profile::GENERIC_80MM, &doc);
    assert!(!format!("{paper:?}").contains("张"));
    let _ = Block::Feed(1);
}
