//! A headless Slint platform: windows are `MinimalSoftwareWindow`s rendered in memory by
//! the software renderer. It serves `kiosk screenshot` (render and encode a PNG) and
//! `kiosk run --headless` (the whole application with no display, for soak tests, CI and
//! health checks).

use slint::platform::software_renderer::{
    MinimalSoftwareWindow, PremultipliedRgbaColor, RepaintBufferType,
};
use slint::platform::{EventLoopProxy, Platform, WindowAdapter};
use slint::{EventLoopError, PlatformError};
use std::rc::Rc;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

type Job = Box<dyn FnOnce() + Send>;

enum LoopMessage {
    Run(Job),
    Quit,
}

/// The headless platform. Install it with [`install`] before creating any component.
pub struct HeadlessPlatform {
    window: Rc<MinimalSoftwareWindow>,
    sender: Sender<LoopMessage>,
    receiver: Mutex<Receiver<LoopMessage>>,
    start: Instant,
}

struct Proxy(Sender<LoopMessage>);

impl EventLoopProxy for Proxy {
    fn quit_event_loop(&self) -> Result<(), EventLoopError> {
        self.0
            .send(LoopMessage::Quit)
            .map_err(|_| EventLoopError::EventLoopTerminated)
    }

    fn invoke_from_event_loop(&self, event: Job) -> Result<(), EventLoopError> {
        self.0
            .send(LoopMessage::Run(event))
            .map_err(|_| EventLoopError::EventLoopTerminated)
    }
}

impl Platform for HeadlessPlatform {
    fn create_window_adapter(&self) -> Result<Rc<dyn WindowAdapter>, PlatformError> {
        Ok(self.window.clone())
    }

    fn duration_since_start(&self) -> Duration {
        self.start.elapsed()
    }

    fn new_event_loop_proxy(&self) -> Option<Box<dyn EventLoopProxy>> {
        Some(Box::new(Proxy(self.sender.clone())))
    }

    fn run_event_loop(&self) -> Result<(), PlatformError> {
        let receiver = self
            .receiver
            .lock()
            .map_err(|_| PlatformError::Other("headless event loop already poisoned".into()))?;
        let mut buffer: Vec<PremultipliedRgbaColor> = Vec::new();
        loop {
            slint::platform::update_timers_and_animations();
            let size = self.window.size();
            let needed = (size.width * size.height) as usize;
            if buffer.len() != needed {
                buffer = vec![PremultipliedRgbaColor::default(); needed];
            }
            self.window.draw_if_needed(|renderer| {
                let started = Instant::now();
                renderer.render(&mut buffer, size.width as usize);
                // the frame time the management endpoint's histogram reports
                crate::ops::metrics::FRAMES.observe(started.elapsed());
            });
            let wait = if self.window.has_active_animations() {
                Duration::from_millis(16)
            } else {
                slint::platform::duration_until_next_timer_update()
                    .unwrap_or(Duration::from_millis(500))
                    .min(Duration::from_millis(500))
            };
            match receiver.recv_timeout(wait) {
                Ok(LoopMessage::Run(job)) => {
                    job();
                    while let Ok(message) = receiver.try_recv() {
                        match message {
                            LoopMessage::Run(job) => job(),
                            LoopMessage::Quit => return Ok(()),
                        }
                    }
                }
                Ok(LoopMessage::Quit) => return Ok(()),
                Err(_) => {}
            }
        }
    }
}

/// Installs the headless platform with a window of `width`×`height` physical pixels and
/// returns the window so callers can size or snapshot it.
pub fn install(width: u32, height: u32) -> Result<Rc<MinimalSoftwareWindow>, PlatformError> {
    let window = MinimalSoftwareWindow::new(RepaintBufferType::NewBuffer);
    window.set_size(slint::PhysicalSize::new(width, height));
    let (sender, receiver) = channel();
    slint::platform::set_platform(Box::new(HeadlessPlatform {
        window: window.clone(),
        sender,
        receiver: Mutex::new(receiver),
        start: Instant::now(),
    }))
    .map_err(|e| PlatformError::Other(format!("cannot install the headless platform: {e}")))?;
    Ok(window)
}

/// Encodes an RGBA snapshot as PNG.
pub fn write_png(
    shot: &slint::SharedPixelBuffer<slint::Rgba8Pixel>,
    path: &std::path::Path,
) -> Result<(), String> {
    let file = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), shot.width(), shot.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    let bytes: Vec<u8> = shot
        .as_slice()
        .iter()
        .flat_map(|p| [p.r, p.g, p.b, p.a])
        .collect();
    writer.write_image_data(&bytes).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())
}
