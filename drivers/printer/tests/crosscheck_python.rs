//! Cross-check against python-escpos 3.x (`escpos.md` §4.3 item 2), an independent encoder:
//! its bytes for the same commands appear verbatim in ours, and its whole 办件回执 decodes on
//! our simulated device (the reference decoder) to the same text, QR payload and cut.
//!
//! `scripts/crosscheck.py --json` installs python-escpos into a venv under $TMPDIR from PyPI
//! the first time (needs `python3-venv`, which `deploy/install-build-deps.sh` installs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::process::Command;

use printer::device::Device;
use printer::{Document, Encoder, Profile, Size, Style, text::Align};

fn python_bytes() -> HashMap<String, Vec<u8>> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/crosscheck.py");
    let out = Command::new("python3")
        .args([script, "--json"])
        .output()
        .expect("python3 runs (deploy/install-build-deps.sh installs it)");
    assert!(
        out.status.success(),
        "crosscheck.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    // a flat JSON object of name → hex string; parsed by hand to keep serde out of this crate
    let mut map = HashMap::new();
    for pair in text.trim().trim_matches(['{', '}']).split(", \"") {
        let (k, v) = pair.split_once("\": \"").unwrap();
        let v = v.trim_end_matches('"');
        let bytes = (0..v.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&v[i..i + 2], 16).unwrap())
            .collect();
        map.insert(k.trim_matches('"').to_string(), bytes);
    }
    map
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn python_escpos_bytes_match_ours_and_its_receipt_decodes_on_our_device() {
    let theirs = python_bytes();
    let p = Profile::GENERIC_80MM;
    let enc = Encoder::new(&p);
    let ours_qr = enc
        .encode(&Document::new().qr("https://g.cn/q?A1"))
        .unwrap();
    let ours_text = enc.encode(&Document::new().line("办件回执 ABC")).unwrap();
    let ours_styled = enc
        .encode(&Document::new().text(
            "办件回执",
            Style {
                align: Align::Center,
                size: Size::NORMAL,
                bold: true,
            },
        ))
        .unwrap();
    for (name, ours) in [
        ("qr", &ours_qr),
        ("text", &ours_text),
        ("center", &ours_styled),
        ("bold", &ours_styled),
    ] {
        assert!(
            contains(ours, &theirs[name]),
            "{name}: python-escpos {:02x?} not in ours {:02x?}",
            theirs[name],
            ours
        );
    }

    // python-escpos's whole receipt, through our device. python-escpos sends no FS &: it
    // relies on the Chinese mode a Chinese printer powers up in, so the device starts in it
    let mut device = Device::new(true);
    device.receive(&theirs["receipt"]);
    device.flush_line();
    let paper = device.take_paper();
    let text = paper.text();
    for expected in [
        "办件回执",
        "某某县政务服务中心",
        "受理编号  A20261123001",
        "吉*明",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert_eq!(
        paper.qr_payloads(),
        vec![b"https://zw.example.gov.cn/q/A20261123001".as_slice()]
    );
    assert_eq!(paper.cuts(), 1);
}
