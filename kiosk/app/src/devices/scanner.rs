//! The 高拍仪 for the app: the `scanner` driver on its own thread, the live preview, stills
//! turned into pages by the document pipeline (on a worker thread, so the UI never waits on
//! a 5 Mpx frame), and, when simulated, what the dev dock lays on the desk.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use documents::synthetic::{self, PageSpec};
use documents::{MaterialKind, PageTop, Rejection};
use kiosk_core::capture::CaptureKind;
use kiosk_core::terminal::ScannerAddress;
use scanner::driver::{
    CounterValues, DriverConfig, PreviewFrames, ScannerEvent, ScannerEvents, V4l2Connector,
};
use scanner::{DiscoveryConfig, Driver, Frame, Health, PreviewTarget, SimConfig, SimHandle, Still};

/// What the dev dock lays under the simulated camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeskItem {
    /// An A4 page of text, a little turned, as a citizen lays it.
    A4Page,
    /// An ID-1 card (身份证, 社保卡).
    Card,
    /// The page, badly out of focus (the pipeline asks for a retake).
    BlurredPage,
    /// Nothing on the desk.
    Empty,
}

impl DeskItem {
    /// The dock's labels, in the order of [`DeskItem::ALL`].
    pub const ALL: [DeskItem; 4] = [
        DeskItem::A4Page,
        DeskItem::Card,
        DeskItem::BlurredPage,
        DeskItem::Empty,
    ];

    /// The dock's label.
    pub fn label(self) -> &'static str {
        match self {
            DeskItem::A4Page => "放文件",
            DeskItem::Card => "放卡片",
            DeskItem::BlurredPage => "放模糊文件",
            DeskItem::Empty => "拿走材料",
        }
    }

    fn spec(self, w: u32, h: u32) -> PageSpec {
        match self {
            DeskItem::A4Page => PageSpec::a4().frame(w, h).rotated(3.0),
            DeskItem::Card => PageSpec::id_card().frame(w, h).rotated(-4.0),
            DeskItem::BlurredPage => PageSpec::a4().frame(w, h).rotated(3.0).blurred(6.0),
            DeskItem::Empty => PageSpec::empty_desk().frame(w, h),
        }
    }
}

/// A still turned into a page, or why not.
pub struct Processed {
    /// The driver's capture id.
    pub id: u64,
    /// The page, or the pipeline's rejection.
    pub page: Result<documents::Page, Rejection>,
    /// A small picture of the page for the screen.
    pub thumbnail: Option<image::RgbImage>,
}

/// Width of a page's picture on the capture screen.
pub const THUMBNAIL_WIDTH: u32 = 180;

/// The document camera and its events.
pub struct DocumentCamera {
    driver: Driver,
    events: ScannerEvents,
    preview: PreviewFrames,
    sim: Option<SimHandle>,
    sim_size: (u32, u32),
    page_top: PageTop,
    processed_tx: Sender<Processed>,
    processed: Receiver<Processed>,
    last_preview: Option<u64>,
}

/// The preview the capture screen shows: small and slow, it only has to show where the page
/// lies (the still is taken at full resolution).
pub const PREVIEW: PreviewTarget = PreviewTarget {
    max_width: 640,
    fps: 5,
};

impl DocumentCamera {
    /// The camera the configuration names; `None` when the terminal has no 高拍仪.
    pub fn for_address(address: &ScannerAddress) -> Option<DocumentCamera> {
        match address {
            ScannerAddress::Simulated => Some(DocumentCamera::simulated()),
            ScannerAddress::None => None,
            ScannerAddress::Usb {
                ids,
                exclude,
                page_top,
            } => {
                // the ids were checked when the configuration loaded
                let parse = |list: &[String]| -> Vec<scanner::UsbId> {
                    list.iter().filter_map(|s| s.parse().ok()).collect()
                };
                let discovery = DiscoveryConfig {
                    ids: parse(ids),
                    exclude: parse(exclude),
                    ..DiscoveryConfig::default()
                };
                let connector = V4l2Connector::system(discovery);
                Some(DocumentCamera::with_driver(
                    Driver::spawn(Box::new(connector), driver_config()),
                    None,
                    (0, 0),
                    page_top_of(page_top),
                ))
            }
        }
    }

    /// The simulated 5 Mpx camera with an A4 page on the desk.
    pub fn simulated() -> DocumentCamera {
        let config = SimConfig::default();
        let (w, h) = config
            .modes
            .first()
            .map_or((2592, 1944), |m| (m.size.width, m.size.height));
        let desk = synthetic::page(&DeskItem::A4Page.spec(w, h)).image;
        let sim = SimHandle::with_config(Box::new(Still::new(desk)), config);
        let driver = Driver::spawn(Box::new(sim.connector()), driver_config());
        DocumentCamera::with_driver(driver, Some(sim), (w, h), PageTop::Top)
    }

    fn with_driver(
        (driver, events, preview): (Driver, ScannerEvents, PreviewFrames),
        sim: Option<SimHandle>,
        sim_size: (u32, u32),
        page_top: PageTop,
    ) -> DocumentCamera {
        let (processed_tx, processed) = channel();
        DocumentCamera {
            driver,
            events,
            preview,
            sim,
            sim_size,
            page_top,
            processed_tx,
            processed,
            last_preview: None,
        }
    }

    /// Asks for one still at full resolution; its id comes back with the result.
    pub fn capture(&self) -> u64 {
        self.driver.capture()
    }

    /// Streams the preview while the capture screen shows, and stops it after.
    pub fn set_preview(&self, on: bool) {
        self.driver.preview(on);
    }

    /// The newest preview frame, once per frame (`None` when there is no new one).
    pub fn new_preview(&mut self) -> Option<Arc<Frame>> {
        let frame = self.preview.borrow().clone()?;
        if self.last_preview == Some(frame.sequence) {
            return None;
        }
        self.last_preview = Some(frame.sequence);
        Some(frame)
    }

    /// Forgets the last preview shown, so the next frame shows even if it has the same
    /// number (a stream restarted after a still counts from 0 again).
    pub fn reset_preview(&mut self) {
        self.last_preview = None;
    }

    /// Runs the document pipeline on a still, on a worker thread; the page comes back
    /// through [`DocumentCamera::try_processed`].
    pub fn process(&self, id: u64, frame: Frame, kind: CaptureKind) {
        let tx = self.processed_tx.clone();
        let config = documents::Config {
            page_top: self.page_top,
            ..documents::Config::default()
        };
        std::thread::spawn(move || {
            let page = page_of(&frame, material_of(kind), &config);
            let thumbnail = page.as_ref().ok().and_then(thumbnail);
            // the receiver lives as long as the camera; a send after it is gone is moot
            let _ = tx.send(Processed {
                id,
                page,
                thumbnail,
            });
        });
    }

    /// A page finished by the worker, if one is waiting.
    pub fn try_processed(&self) -> Option<Processed> {
        self.processed.try_recv().ok()
    }

    /// The next event, if one is waiting.
    pub fn try_next(&mut self) -> Option<ScannerEvent> {
        self.events.try_recv().ok()
    }

    /// The driver's health now.
    pub fn health(&self) -> Health {
        self.driver.health()
    }

    /// The driver's counters.
    pub fn counters(&self) -> CounterValues {
        self.driver.counters()
    }

    /// The simulated camera, when simulated (tests unplug it).
    pub fn sim(&self) -> Option<&SimHandle> {
        self.sim.as_ref()
    }

    /// Lays `item` under the simulated camera (the dev dock); nothing on a real one.
    pub fn place(&self, item: DeskItem) {
        if let Some(sim) = &self.sim {
            let (w, h) = self.sim_size;
            let image = synthetic::page(&item.spec(w, h)).image;
            sim.set_source(Box::new(Still::new(image)));
        }
    }
}

fn driver_config() -> DriverConfig {
    DriverConfig {
        preview: PREVIEW,
        ..DriverConfig::default()
    }
}

fn page_top_of(name: &str) -> PageTop {
    match name {
        "right" => PageTop::Right,
        "bottom" => PageTop::Bottom,
        "left" => PageTop::Left,
        _ => PageTop::Top,
    }
}

/// The pipeline's material for a catalog capture kind.
pub fn material_of(kind: CaptureKind) -> MaterialKind {
    match kind {
        CaptureKind::A4 => MaterialKind::A4Document,
        CaptureKind::A4Colour => MaterialKind::A4Colour,
        CaptureKind::IdCard => MaterialKind::IdCard,
    }
}

/// A still (MJPEG, or YUYV from a camera without MJPEG) through the document pipeline.
pub fn page_of(
    frame: &Frame,
    material: MaterialKind,
    config: &documents::Config,
) -> Result<documents::Page, Rejection> {
    match frame.format {
        scanner::PixelFormat::Mjpeg => documents::process(&frame.data, material, config),
        scanner::PixelFormat::Yuyv => match frame.to_image() {
            Ok(img) => {
                documents::process_image(image::DynamicImage::ImageRgb8(img), material, config)
            }
            Err(e) => Err(Rejection::Corrupt(e.to_string())),
        },
    }
}

/// A preview frame as RGB pixels for the screen (`None` if it cannot be decoded: the screen
/// keeps the last good one).
pub fn preview_pixels(frame: &Frame) -> Option<image::RgbImage> {
    let img = match frame.format {
        scanner::PixelFormat::Mjpeg => {
            image::load_from_memory_with_format(&frame.data, image::ImageFormat::Jpeg)
                .ok()?
                .into_rgb8()
        }
        scanner::PixelFormat::Yuyv => frame.to_image().ok()?,
    };
    if img.width() > PREVIEW.max_width {
        let h = img.height() * PREVIEW.max_width / img.width().max(1);
        Some(image::imageops::resize(
            &img,
            PREVIEW.max_width,
            h.max(1),
            image::imageops::FilterType::Triangle,
        ))
    } else {
        Some(img)
    }
}

/// The page's picture for the screen, [`THUMBNAIL_WIDTH`] wide.
pub fn thumbnail(page: &documents::Page) -> Option<image::RgbImage> {
    let img = image::load_from_memory_with_format(&page.jpeg, image::ImageFormat::Jpeg)
        .ok()?
        .into_rgb8();
    let h = (img.height() * THUMBNAIL_WIDTH / img.width().max(1)).max(1);
    Some(image::imageops::thumbnail(&img, THUMBNAIL_WIDTH, h))
}
