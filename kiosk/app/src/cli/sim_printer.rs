//! `kiosk sim printer --pty`: the receipt-printer simulator on a pseudo-terminal, for
//! `kiosk print receipt --port`, `kiosk printer status --port` or any ESC/POS software.
//!
//! It prints the pty path on the first line of stdout, then reads control lines on stdin
//! (the dev dock's toggles, for scripts and tests):
//!
//! | line | effect |
//! |---|---|
//! | `paper ok\|low\|out` | paper loaded / near end / out |
//! | `cover open\|closed` | the cover |
//! | `render FILE.png` | renders the paper received so far to FILE.png and prints its text and QR payloads, then `.` |
//! | `clear` | tears off the paper received so far |
//!
//! End of input (or `quit`) stops the simulator.

use std::io::{BufRead, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

use printer::device::{Device, PaperSensor};
use printer::render::Renderer;
use printer::sim::{SharedDevice, open_pty, serve_serial};

/// Applies one control line; returns what to print, or a complaint.
pub fn control(device: &SharedDevice, line: &str, model: &str) -> Result<String, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut d = device.lock().map_err(|_| "模拟打印机已损坏".to_string())?;
    match words.as_slice() {
        [] => {}
        ["paper", "ok"] => d.set_paper(PaperSensor::Ok),
        ["paper", "low"] => d.set_paper(PaperSensor::NearEnd),
        ["paper", "out"] => d.set_paper(PaperSensor::Out),
        ["cover", "open"] => d.set_cover_open(true),
        ["cover", "closed"] => d.set_cover_open(false),
        ["clear"] => {
            d.take_paper();
        }
        ["render", path] => {
            d.flush_line();
            let paper = d.paper().clone();
            drop(d);
            let profile = crate::devices::printer::profile_for(model)
                .ok_or_else(|| format!("不认识的打印机型号 “{model}”"))?;
            let fonts = crate::fonts::printer_fonts().map_err(|e| e.to_string())?;
            let png = Renderer::new(&profile, &fonts)
                .render_png(&paper)
                .map_err(|e| e.to_string())?;
            std::fs::write(Path::new(path), png).map_err(|e| format!("无法写入 {path}：{e}"))?;
            let mut out = paper.text();
            for qr in paper.qr_payloads() {
                out.push_str(&format!("\nQR: {}", String::from_utf8_lossy(qr)));
            }
            out.push_str(&format!("\ncuts: {}\n.", paper.cuts()));
            return Ok(out);
        }
        _ => return Err(format!("无法理解的指令 “{line}”")),
    }
    Ok(String::new())
}

/// Serves the simulator on a new pty until stdin ends.
pub fn run(model: &str) -> Result<(), String> {
    let device: SharedDevice = Arc::new(Mutex::new(Device::new(true)));
    let pty = open_pty().map_err(|e| format!("无法创建伪终端：{e}"))?;
    let path = pty.path.clone();
    let master = pty
        .master
        .try_clone()
        .map_err(|e| format!("无法启动模拟器：{e}"))?;
    let _serving = serve_serial(master, device.clone());
    let mut out = std::io::stdout();
    writeln!(out, "{path}").map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())?;
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| e.to_string())?;
        if line.trim() == "quit" {
            break;
        }
        match control(&device, &line, model) {
            Ok(text) if !text.is_empty() => {
                writeln!(out, "{text}").map_err(|e| e.to_string())?;
                out.flush().map_err(|e| e.to_string())?;
            }
            Ok(_) => {}
            Err(e) => eprintln!("kiosk sim printer: {e}"),
        }
    }
    drop(pty);
    Ok(())
}
