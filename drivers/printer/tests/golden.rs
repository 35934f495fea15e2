//! Golden bytes for a small document on the generic 80 mm profile.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use printer::encode::cmd;
use printer::{Align, Document, Encoder, Profile, Size, Style};

fn doc() -> Document {
    Document::new()
        .title("办件回执")
        .key_value("受理编号", "A1")
        .separator('-')
        .qr("https://g.cn/q?A1")
        .cut()
}

#[test]
fn small_receipt_golden_bytes() {
    let p = Profile::GENERIC_80MM;
    let bytes = Encoder::new(&p).encode(&doc()).unwrap();
    let mut want: Vec<u8> = vec![
        0x1B, 0x40, // ESC @
        0x1C, 0x26, // FS &
        0x1B, 0x61, 0x01, // ESC a 1
        0x1D, 0x21, 0x11, // GS ! 2x2
        0x1B, 0x45, 0x01, // ESC E 1
        0xB0, 0xEC, 0xBC, 0xFE, 0xBB, 0xD8, 0xD6, 0xB4, 0x0A, // 办件回执 LF
        0x1B, 0x61, 0x00, // ESC a 0
        0x1D, 0x21, 0x00, // GS ! 1x1
        0x1B, 0x45, 0x00, // ESC E 0
    ];
    // 受理编号 + 38 spaces + A1 = 48 columns
    want.extend(printer::text::encode("受理编号", p.encoding).unwrap());
    want.extend(std::iter::repeat_n(b' ', 38));
    want.extend(b"A1\n");
    want.extend(std::iter::repeat_n(b'-', 48));
    want.push(0x0A);
    want.extend([0x1B, 0x61, 0x01]); // centre the QR
    want.extend([0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]); // fn 165 model 2
    want.extend([0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06]); // fn 167 size 6
    want.extend([0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31]); // fn 169 level M
    let payload = b"https://g.cn/q?A1";
    want.extend([
        0x1D,
        0x28,
        0x6B,
        (payload.len() + 3) as u8,
        0x00,
        0x31,
        0x50,
        0x30,
    ]);
    want.extend(payload); // fn 180 store
    want.extend([0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30, 0x0A]); // fn 181 print, LF
    want.extend([0x1D, 0x56, 0x41, 0x03]); // GS V A 3
    assert_eq!(hex(&bytes), hex(&want));
}

#[test]
fn qr_store_matches_python_escpos_shape() {
    // escpos.md §3.5: k = pL + 256·pH − 3
    let store = cmd::qr_fn(80, &[48, b'a', b'b']);
    assert_eq!(
        store,
        [0x1D, 0x28, 0x6B, 0x05, 0x00, 0x31, 0x50, 0x30, b'a', b'b']
    );
}

#[test]
fn fifty_eight_mm_has_no_native_qr_and_partial_cut() {
    let p = Profile::GENERIC_58MM;
    let bytes = Encoder::new(&p).encode(&doc()).unwrap();
    assert!(
        !contains(&bytes, &[0x1D, 0x28, 0x6B]),
        "no GS ( k on this profile"
    );
    assert!(
        contains(&bytes, &[0x1D, 0x76, 0x30, 0x00]),
        "raster QR instead"
    );
    assert!(bytes.ends_with(&[0x1D, 0x56, 0x42, 0x03]));
    // 32 columns of separator
    let sep: Vec<u8> = std::iter::repeat_n(b'-', 32).chain([0x0A]).collect();
    assert!(contains(&bytes, &sep));
}

#[test]
fn size_byte() {
    assert_eq!(Size::DOUBLE.gs_bang(), 0x11);
    assert_eq!(
        Size {
            width: 8,
            height: 8
        }
        .gs_bang(),
        0x77
    );
    assert_eq!(
        Size {
            width: 0,
            height: 9
        }
        .gs_bang(),
        0x07
    );
    assert_eq!(
        Size::from_gs_bang(0x10),
        Size {
            width: 2,
            height: 1
        }
    );
    let _ = Style {
        align: Align::Right,
        ..Style::default()
    };
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X} ")).collect()
}
