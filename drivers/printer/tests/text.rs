//! Text vectors: GB18030 bytes from `escpos.md` §1.4, §2.2, §3.2; width, wrap, alignment.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use printer::TextEncoding::{Gb18030, Gbk};
use printer::text::{
    self, Align, CharClass, align, classify, display_width, encode, encode_gb18030, is_printable,
    key_value, unprintable_chars, wrap,
};

#[test]
fn banjian_huizhi_bytes() {
    // escpos.md §1.4: "办件回执" became B0 EC BC FE BB D8 D6 B4
    let want = [0xB0, 0xEC, 0xBC, 0xFE, 0xBB, 0xD8, 0xD6, 0xB4];
    assert_eq!(encode("办件回执", Gb18030).unwrap(), want);
    assert_eq!(encode("办件回执", Gbk).unwrap(), want);
}

#[test]
fn python_escpos_line_bytes() {
    // escpos.md §2.2: text("办件回执 ABC\n") → B0 EC BC FE BB D8 D6 B4 20 41 42 43 (0A)
    assert_eq!(
        encode("办件回执 ABC", Gb18030).unwrap(),
        [
            0xB0, 0xEC, 0xBC, 0xFE, 0xBB, 0xD8, 0xD6, 0xB4, 0x20, 0x41, 0x42, 0x43
        ]
    );
}

#[test]
fn mixed_degree_line() {
    // escpos.md §2.2: "°C 办" → A1 E3 43 20 B0 EC
    assert_eq!(
        encode("°C 办", Gb18030).unwrap(),
        [0xA1, 0xE3, 0x43, 0x20, 0xB0, 0xEC]
    );
}

#[test]
fn ling_is_gbk_two_byte() {
    // escpos.md §3.2: "〇" is GBK A9 96
    assert_eq!(classify('〇', Gbk), CharClass::DoubleByte([0xA9, 0x96]));
    assert_eq!(encode("二〇二六年", Gb18030).unwrap().len(), 10);
}

#[test]
fn rare_character_is_four_byte_and_unprintable() {
    // escpos.md §1.4: 𠮷 is GB18030 95 34 B2 35; GBK cannot encode it
    assert_eq!(encode_gb18030("𠮷"), [0x95, 0x34, 0xB2, 0x35]);
    assert_eq!(classify('𠮷', Gb18030), CharClass::Unprintable);
    assert_eq!(classify('𠮷', Gbk), CharClass::Unprintable);
    assert_eq!(
        encode("𠮷明", Gb18030),
        Err(text::TextError::Unprintable('𠮷'))
    );
    assert!(!is_printable("张𠮷", Gb18030));
    assert_eq!(unprintable_chars("𠮷㐀𠮷好", Gb18030), vec!['𠮷', '㐀']);
}

#[test]
fn yen_signs() {
    // escpos.md §3.2: half-width ¥ is four-byte 81 30 84 36; use full-width ￥ A3 A4
    assert_eq!(encode_gb18030("¥"), [0x81, 0x30, 0x84, 0x36]);
    assert_eq!(classify('¥', Gb18030), CharClass::Unprintable);
    assert_eq!(encode("￥", Gb18030).unwrap(), [0xA3, 0xA4]);
}

#[test]
fn full_width_punctuation_is_two_byte() {
    // escpos.md §2.2: "，。" must not become "??"
    assert_eq!(encode("，。", Gb18030).unwrap(), [0xA3, 0xAC, 0xA1, 0xA3]);
}

#[test]
fn controls_are_unprintable() {
    assert_eq!(classify('\u{1b}', Gb18030), CharClass::Unprintable);
    assert_eq!(classify('A', Gbk), CharClass::Ascii(b'A'));
}

#[test]
fn widths() {
    assert_eq!(display_width("ABC"), 3);
    assert_eq!(display_width("办件回执"), 8);
    assert_eq!(display_width("受理编号: A1"), 12);
    assert_eq!(display_width("，"), 2);
}

#[test]
fn wrap_hanzi_never_splits_and_fits() {
    let lines = wrap("一二三四五六七八九十", 7);
    assert_eq!(lines, vec!["一二三", "四五六", "七八九", "十"]);
    for l in &lines {
        assert!(display_width(l) <= 7);
    }
}

#[test]
fn wrap_keeps_ascii_words() {
    let lines = wrap("请扫码查询 https://gov.example/q/A12345 进度", 20);
    assert_eq!(
        lines,
        vec!["请扫码查询", "https://gov.example/", "q/A12345 进度"]
    );
    let lines = wrap("受理编号 A20261123001 请妥善保管", 16);
    assert_eq!(lines, vec!["受理编号", "A20261123001 请", "妥善保管"]);
}

#[test]
fn wrap_explicit_newlines_and_empty() {
    assert_eq!(wrap("甲\n\n乙", 10), vec!["甲", "", "乙"]);
    assert_eq!(wrap("", 10), vec![""]);
}

#[test]
fn alignment_pads_by_width() {
    assert_eq!(align("办件", 8, Align::Left), "办件    ");
    assert_eq!(align("办件", 8, Align::Right), "    办件");
    assert_eq!(align("办件", 9, Align::Center), "  办件   ");
    assert_eq!(align("一二三四五", 8, Align::Center), "一二三四五");
}

#[test]
fn key_value_rows() {
    assert_eq!(key_value("姓名", "张*三", 16), vec!["姓名       张*三"]);
    let rows = key_value("办理事项", "城乡居民基本养老保险参保登记", 20);
    assert_eq!(rows[0], "办理事项");
    for r in &rows {
        assert!(display_width(r) <= 20);
    }
    assert!(rows.last().unwrap().ends_with("登记"));
}
