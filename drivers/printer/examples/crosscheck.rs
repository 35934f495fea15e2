//! Emits our bytes for the cases `scripts/crosscheck.py` compares against python-escpos, one
//! `name hex` pair per line, plus the banjian receipt's size and median build time.

use std::time::Instant;

use printer::{Document, Encoder, FontSet, Profile, samples};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let p = Profile::GENERIC_80MM;
    let enc = Encoder::new(&p);
    let qr = enc.encode(&Document::new().qr("https://g.cn/q?A1"))?;
    println!("qr {}", hex(&qr));
    let text = enc.encode(&Document::new().line("办件回执 ABC"))?;
    println!("text {}", hex(&text));
    let fonts = FontSet::workspace_assets()?;
    let enc = Encoder::with_fonts(&p, &fonts);
    let doc = samples::banjian_huizhi();
    let mut times = Vec::new();
    let mut len = 0;
    for _ in 0..101 {
        let t = Instant::now();
        len = enc.encode(&doc)?.len();
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(f64::total_cmp);
    println!("banjian_bytes {len}");
    println!("banjian_us {:.1}", times[50]);
    // the same receipt with 吉 for 𠮷: no raster line, like python-escpos's version
    let mut plain = doc.clone();
    for b in &mut plain.blocks {
        if let printer::Block::KeyValue { value, .. } = b {
            *value = value.replace('𠮷', "吉");
        }
    }
    let mut times = Vec::new();
    for _ in 0..101 {
        let t = Instant::now();
        len = enc.encode(&plain)?.len();
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(f64::total_cmp);
    println!("banjian_plain_bytes {len}");
    println!("banjian_plain_us {:.1}", times[50]);
    Ok(())
}
