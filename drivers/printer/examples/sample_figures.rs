//! Bytes and build time of each sample receipt per profile; with a directory argument, also
//! writes `NAME-PROFILE.bin` and the rendered `NAME-PROFILE.png` there.
//!
//! `cargo run --release -p printer --example sample_figures -- /tmp/receipts`

use std::time::Instant;

use printer::device::Device;
use printer::render::Renderer;
use printer::samples::{NAMES, sample};
use printer::{Encoder, FontSet, Profile};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args().nth(1).map(std::path::PathBuf::from);
    let fonts = FontSet::workspace_assets()?;
    println!("| receipt | profile | bytes | build µs (median of 51) |");
    println!("|---|---|---|---|");
    for (key, p) in [
        ("80", Profile::GENERIC_80MM),
        ("t88", Profile::EPSON_TM_T88),
        ("58", Profile::GENERIC_58MM),
    ] {
        for name in NAMES {
            let doc = sample(name, &p).ok_or("unknown sample")?;
            let enc = Encoder::with_fonts(&p, &fonts);
            let mut times = Vec::new();
            let mut bytes = Vec::new();
            for _ in 0..51 {
                let t = Instant::now();
                bytes = enc.encode(&doc)?;
                times.push(t.elapsed().as_micros());
            }
            times.sort_unstable();
            println!("| {name} | {key} | {} | {} |", bytes.len(), times[25]);
            if let Some(dir) = &out {
                std::fs::create_dir_all(dir)?;
                std::fs::write(dir.join(format!("{name}-{key}.bin")), &bytes)?;
                let mut dev = Device::default();
                dev.receive(&bytes);
                let png = Renderer::new(&p, &fonts).render_png(dev.paper())?;
                std::fs::write(dir.join(format!("{name}-{key}.png")), png)?;
            }
        }
    }
    Ok(())
}
