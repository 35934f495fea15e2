//! Golden bytes for every sample receipt on every profile, and their decoded content.
//!
//! Regenerate after an intended change: `UPDATE_GOLDEN=1 cargo test -p printer --test samples`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use printer::device::Device;
use printer::samples::{NAMES, sample};
use printer::{Encoder, FontSet, Profile};

fn profiles() -> [(&'static str, Profile); 3] {
    [
        ("80", Profile::GENERIC_80MM),
        ("t88", Profile::EPSON_TM_T88),
        ("58", Profile::GENERIC_58MM),
    ]
}

fn golden(name: &str, key: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/{name}-{key}.bin"))
}

#[test]
fn golden_bytes_for_each_receipt() {
    let fonts = FontSet::workspace_assets().unwrap();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for (key, p) in profiles() {
        for name in NAMES {
            let doc = sample(name, &p).unwrap();
            let bytes = Encoder::with_fonts(&p, &fonts).encode(&doc).unwrap();
            let path = golden(name, key);
            if update {
                std::fs::write(&path, &bytes).unwrap();
                continue;
            }
            let want = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
            assert!(
                bytes == want,
                "{name} on {key} differs from {}",
                path.display()
            );
        }
    }
}

#[test]
fn receipts_decode_back() {
    let fonts = FontSet::workspace_assets().unwrap();
    for (key, p) in profiles() {
        for name in NAMES {
            let doc = sample(name, &p).unwrap();
            let bytes = Encoder::with_fonts(&p, &fonts).encode(&doc).unwrap();
            let mut dev = Device::default();
            assert!(dev.receive(&bytes).is_empty());
            assert_eq!(dev.counters().unknown_commands, 0, "{name}/{key}");
            let paper = dev.take_paper();
            assert_eq!(paper.cuts(), 1, "{name}/{key}");
            let text: String = paper.text().split('\n').collect();
            assert!(!text.contains('\u{FFFD}'), "{name}/{key}");
            match name {
                "banjian" => {
                    assert!(text.contains("办件回执"));
                    assert!(text.contains("A20261123001"));
                    assert!(text.contains("3201********1234"));
                    // the 𠮷 line is a raster, never text with '?'
                    assert!(!text.contains("*明") && !text.contains('?'));
                    assert!(paper.rasters() >= 1);
                }
                "chaxun" => assert!(text.contains("￥18,352.60")),
                "gaozhi" => assert!(text.contains("户口簿原件及复印件一份")),
                "canbao" => assert!(text.contains("二〇二六年十一月二十三日")),
                _ => assert!(text.contains("打印机测试页")),
            }
            let native = matches!(p.qr, printer::QrSupport::Native { .. });
            let has_qr = name != "chaxun";
            assert_eq!(
                paper.qr_payloads().len(),
                usize::from(native && has_qr),
                "{name}/{key}"
            );
        }
    }
}

#[test]
fn unknown_sample_is_none() {
    assert!(sample("nope", &Profile::GENERIC_80MM).is_none());
}
