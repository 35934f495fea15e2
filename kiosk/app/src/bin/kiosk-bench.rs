//! `kiosk-bench`: the skeleton's figures, printed, from a release build
//! (`cargo run --release --bin kiosk-bench`).
//!
//! - cold start to first rendered frame at 1080x1920 with the software renderer (in-process:
//!   from `main` to the first full frame in memory, config and fonts included);
//! - render time of every screen (full repaint, median of N) and which is the busiest;
//! - peak RSS (VmHWM) after a scripted walk through every screen in both orientations.

use kiosk_app::controller::{ClockSource, Controller};
use kiosk_app::ui::AppWindow;
use kiosk_app::{bridge, config, fonts, headless, screenshot};
use slint::ComponentHandle;
use slint::platform::software_renderer::{MinimalSoftwareWindow, PremultipliedRgbaColor};
use std::sync::Arc;
use std::time::{Duration, Instant};

const RUNS: usize = 15;

fn render_once(
    window: &MinimalSoftwareWindow,
    buffer: &mut Vec<PremultipliedRgbaColor>,
) -> Duration {
    let size = window.size();
    buffer.resize(
        (size.width * size.height) as usize,
        PremultipliedRgbaColor::default(),
    );
    slint::platform::update_timers_and_animations();
    window.request_redraw();
    let start = Instant::now();
    window.draw_if_needed(|r| {
        r.render(buffer, size.width as usize);
    });
    start.elapsed()
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> Result<(), String> {
    let t0 = Instant::now();
    let path = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(config::default_path);
    let setup = Arc::new(config::load(&path).map_err(|e| e.to_string())?);
    let window = headless::install(1080, 1920).map_err(|e| e.to_string())?;
    fonts::register();
    let app = AppWindow::new().map_err(|e| e.to_string())?;
    let controller = Controller::new(&app, setup.clone(), ClockSource::Real(t0), false);
    app.show().map_err(|e| e.to_string())?;
    let mut buffer = Vec::new();
    render_once(&window, &mut buffer);
    let cold = t0.elapsed();
    drop(controller);
    println!(
        "cold start to first frame (1080x1920, software renderer): {:.1} ms",
        cold.as_secs_f64() * 1e3
    );
    println!(
        "peak RSS after first frame: {} KiB",
        peak_rss_kib().unwrap_or(0)
    );

    for (orientation, (w, h)) in [
        ("portrait", (1080u32, 1920u32)),
        ("landscape", (1920, 1080)),
    ] {
        window.set_size(slint::PhysicalSize::new(w, h));
        let mut busiest = ("", Duration::ZERO);
        println!(
            "\nrender time per screen, {orientation} {w}x{h}, median of {RUNS} full repaints:"
        );
        for name in screenshot::SCREENS {
            let session =
                screenshot::sample_session(setup.clone(), name).ok_or("sample session")?;
            bridge::project_static(&app, &session);
            bridge::project(&app, &session);
            app.global::<kiosk_app::ui::AppState>()
                .set_dev_dock_open(name == "dev-dock");
            let mut times: Vec<Duration> = (0..RUNS)
                .map(|_| render_once(&window, &mut buffer))
                .collect();
            times.sort();
            let median = times[RUNS / 2];
            println!("  {name:<20} {:>7.2} ms", median.as_secs_f64() * 1e3);
            if median > busiest.1 {
                busiest = (name, median);
            }
        }
        println!(
            "  busiest: {} {:.2} ms",
            busiest.0,
            busiest.1.as_secs_f64() * 1e3
        );
    }
    println!(
        "\npeak RSS over the walk through every screen, both orientations: {} KiB",
        peak_rss_kib().unwrap_or(0)
    );
    Ok(())
}
