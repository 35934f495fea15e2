//! Render a captured ESC/POS file to PNG with the simulator's decoder (until the app's
//! `kiosk print render FILE.bin --out FILE.png` exists).
//!
//! `cargo run -p printer --example render -- FILE.bin FILE.png [80|t88|58]`

use printer::device::Device;
use printer::render::Renderer;
use printer::{FontSet, Profile};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(input), Some(output)) = (args.first(), args.get(1)) else {
        return Err("usage: render FILE.bin FILE.png [80|t88|58]".into());
    };
    let profile = match args.get(2).map(String::as_str) {
        Some("58") => Profile::GENERIC_58MM,
        Some("t88") => Profile::EPSON_TM_T88,
        _ => Profile::GENERIC_80MM,
    };
    let bytes = std::fs::read(input)?;
    let mut dev = Device::default();
    dev.receive(&bytes);
    dev.flush_line();
    let fonts = FontSet::workspace_assets()?;
    std::fs::write(
        output,
        Renderer::new(&profile, &fonts).render_png(dev.paper())?,
    )?;
    let c = dev.counters();
    println!(
        "{} lines, {} cuts, {} unknown commands, {} bytes held",
        c.lines,
        c.cuts,
        c.unknown_commands,
        dev.buffered()
    );
    Ok(())
}
