//! The receipt printer for the app: the `printer` driver on its own thread, against the
//! configured transport or the simulated printer behind the dev dock. The session's print
//! jobs are laid out ([`crate::receipts`]), encoded, and sent; the thread reports each job's
//! end and the printer's health, which the controller takes into the session.

use std::io;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kiosk_core::clock::BeijingTime;
use kiosk_core::session::{DeviceHealth, PrintFailure, PrintJob, PrintReport, PrintResult};
use kiosk_core::setup::Setup;
use kiosk_core::terminal::PrinterAddress;
use printer::device::{Device, PaperSensor};
use printer::driver::{Counters, Driver};
use printer::job::{Job, JobId, Outcome};
use printer::link::{FileLink, Flow, Link, SerialLink, TcpLink, usblp_path};
use printer::sim::{SharedDevice, SharedLink};
use printer::status::{Fault, Health};
use printer::{Encoder, FontSet, Profile};

/// How often the idle printer's status is read (DLE EOT 1–4, 12 bytes out, 4 back).
pub const STATUS_POLL: Duration = Duration::from_millis(1000);
/// Bytes per chunk: a status check between chunks (`escpos.md` §5 item 11).
pub const CHUNK: usize = 1024;
/// How long one status answer is awaited.
pub const STATUS_TIMEOUT: Duration = Duration::from_millis(500);

/// What the printer thread reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterEvent {
    /// The printer's health changed.
    Health(DeviceHealth),
    /// A job ended.
    Finished(PrintReport),
}

enum Command {
    Print(Job),
}

/// The printer profile for a `devices.printer_model` name (see `kiosk_core::terminal::PRINTER_MODELS`).
pub fn profile_for(model: &str) -> Option<Profile> {
    match model {
        "80mm" => Some(Profile::GENERIC_80MM),
        "tm-t88" => Some(Profile::EPSON_TM_T88),
        "58mm" => Some(Profile::GENERIC_58MM),
        _ => None,
    }
}

type Connector = Box<dyn FnMut() -> io::Result<Box<dyn Link>> + Send>;

/// Opens the link named by `address` (each call opens it afresh: the driver reconnects
/// through it after an unplug).
pub fn connector(address: &PrinterAddress, baud: u32) -> Connector {
    let address = address.clone();
    Box::new(move || -> io::Result<Box<dyn Link>> {
        Ok(match &address {
            PrinterAddress::DeviceFile(path) => Box::new(FileLink::open(Path::new(path))?),
            PrinterAddress::Usb { vendor, product } => {
                let path = usblp_path(Path::new("/sys"), *vendor, *product)?;
                Box::new(FileLink::open(&path)?)
            }
            PrinterAddress::Serial(path) => Box::new(SerialLink::open(path, baud, Flow::Hardware)?),
            PrinterAddress::Tcp(addr) => Box::new(TcpLink::connect(addr.as_str(), STATUS_TIMEOUT)?),
        })
    })
}

/// The printer: a channel to its thread, and the simulated device when simulated.
pub struct ReceiptPrinter {
    commands: Sender<Command>,
    events: Receiver<PrinterEvent>,
    // a second sender into `events`, for jobs that fail before they reach the thread
    report: Sender<PrinterEvent>,
    counters: Arc<Mutex<Counters>>,
    /// The last status read (paper, cover, faults), for the health endpoint.
    status: Arc<Mutex<Health>>,
    profile: Profile,
    fonts: Option<FontSet>,
    sim: Option<SharedDevice>,
}

impl ReceiptPrinter {
    /// The real printer behind `connect`.
    pub fn spawn(connect: Connector, profile: Profile, poll: Duration) -> ReceiptPrinter {
        let (commands, command_rx) = mpsc::channel();
        let (event_tx, events) = mpsc::channel();
        let counters = Arc::new(Mutex::new(Counters::default()));
        let shared = counters.clone();
        let status = Arc::new(Mutex::new(Health::Unknown));
        let shared_status = status.clone();
        let driver = Driver::new(connect, CHUNK, STATUS_TIMEOUT);
        let report = event_tx.clone();
        std::thread::spawn(move || {
            work(driver, command_rx, event_tx, (shared, shared_status), poll)
        });
        let fonts = match crate::fonts::printer_fonts() {
            Ok(f) => Some(f),
            Err(e) => {
                // without them, a rare character prints as a gap marker instead of a raster line
                eprintln!("kiosk: 打印字体不可用：{e}");
                None
            }
        };
        ReceiptPrinter {
            commands,
            events,
            report,
            counters,
            status,
            profile,
            fonts,
            sim: None,
        }
    }

    /// The simulated printer (paper loaded, cover closed), driven by the same driver.
    pub fn simulated(profile: Profile, poll: Duration) -> ReceiptPrinter {
        let device: SharedDevice = Arc::new(Mutex::new(Device::new(true)));
        let link_device = device.clone();
        let connect: Connector = Box::new(move || -> io::Result<Box<dyn Link>> {
            Ok(Box::new(SharedLink::new(link_device.clone())))
        });
        let mut p = ReceiptPrinter::spawn(connect, profile, poll);
        p.sim = Some(device);
        p
    }

    /// The simulated device (dev dock, tests), when simulated.
    pub fn sim(&self) -> Option<&SharedDevice> {
        self.sim.as_ref()
    }

    /// The driver's counters.
    pub fn counters(&self) -> Counters {
        self.counters.lock().map(|c| *c).unwrap_or_default()
    }

    /// The printer's last status in full (paper near end, out, cover, faults); `Unknown`
    /// before the first answer or while the link is down.
    pub fn status(&self) -> Health {
        self.status
            .lock()
            .map(|s| s.clone())
            .unwrap_or(Health::Unknown)
    }

    /// Lays out, encodes and queues `job`. A job that cannot be built is reported failed at
    /// once through [`ReceiptPrinter::try_next`], so the session never waits for it.
    pub fn print(&self, job: &PrintJob, setup: &Setup, now: BeijingTime) {
        let doc =
            crate::receipts::document(job, setup, now).ok_or_else(|| "事项不在目录中".to_string());
        self.send(&job.id, job.reprint, doc);
    }

    /// Prints the maintenance test page (profile facts, rulers, a QR, a cut) as job `id`; its
    /// end is reported through [`ReceiptPrinter::try_next`] like any job's.
    pub fn print_test_page(&self, id: &str) {
        self.send(id, 0, Ok(printer::samples::test_page(&self.profile)));
    }

    fn send(&self, id: &str, reprint: u32, doc: Result<printer::Document, String>) {
        let built = doc.and_then(|doc| {
            let encoder = match &self.fonts {
                Some(f) => Encoder::with_fonts(&self.profile, f),
                None => Encoder::new(&self.profile),
            };
            Job::build(JobId(id.to_string()), reprint, &doc, &encoder).map_err(|e| e.to_string())
        });
        let sent = match built {
            Ok(j) => self.commands.send(Command::Print(j)).is_ok(),
            Err(e) => {
                eprintln!("kiosk: 无法生成打印内容：{e}");
                false
            }
        };
        if !sent {
            // reported failed here, so the session does not wait for a job that never runs
            let _ = self.report.send(PrinterEvent::Finished(PrintReport {
                id: id.to_string(),
                reprint,
                result: PrintResult::Failed(PrintFailure::PrinterError),
            }));
        }
    }

    /// The next report, if one is waiting.
    pub fn try_next(&self) -> Option<PrinterEvent> {
        self.events.try_recv().ok()
    }

    /// Dev dock: paper ok → near end → out → ok.
    pub fn cycle_sim_paper(&self) {
        if let Some(Ok(mut d)) = self.sim.as_ref().map(|s| s.lock()) {
            let next = match d.paper_sensor() {
                PaperSensor::Ok => PaperSensor::NearEnd,
                PaperSensor::NearEnd => PaperSensor::Out,
                PaperSensor::Out => PaperSensor::Ok,
            };
            d.set_paper(next);
        }
    }

    /// Dev dock: opens or closes the cover.
    pub fn toggle_sim_cover(&self) {
        if let Some(Ok(mut d)) = self.sim.as_ref().map(|s| s.lock()) {
            let open = !d.cover_open();
            d.set_cover_open(open);
        }
    }

    /// The simulated paper and cover as the dev dock shows them.
    pub fn sim_label(&self) -> Option<String> {
        let d = self.sim.as_ref()?.lock().ok()?;
        let paper = match d.paper_sensor() {
            PaperSensor::Ok => "纸充足",
            PaperSensor::NearEnd => "纸将尽",
            PaperSensor::Out => "缺纸",
        };
        Some(format!(
            "{paper}，{}",
            if d.cover_open() {
                "盖已打开"
            } else {
                "盖已关"
            }
        ))
    }
}

/// The session's view of the printer's health: unknown is not ok (issue 4 §3).
pub fn device_health(health: &Health) -> DeviceHealth {
    match health {
        Health::Ready => DeviceHealth::Ready,
        Health::PaperNearEnd => DeviceHealth::Degraded,
        Health::Fault(_) | Health::Unknown => DeviceHealth::Fault,
    }
}

/// A job's end in the session's words.
pub fn print_result(outcome: &Outcome) -> PrintResult {
    match outcome {
        Outcome::Printed {
            paper_near_end: true,
        } => PrintResult::PrintedPaperLow,
        Outcome::Printed { .. } => PrintResult::Printed,
        Outcome::Failed {
            faults, unknown, ..
        } => PrintResult::Failed(if faults.contains(&Fault::PaperOut) {
            PrintFailure::PaperOut
        } else if faults.contains(&Fault::CoverOpen) {
            PrintFailure::CoverOpen
        } else if *unknown || faults.is_empty() {
            PrintFailure::NoAnswer
        } else {
            PrintFailure::PrinterError
        }),
    }
}

fn work(
    mut driver: Driver<Box<dyn Link>>,
    commands: Receiver<Command>,
    events: Sender<PrinterEvent>,
    (counters, status): (Arc<Mutex<Counters>>, Arc<Mutex<Health>>),
    poll: Duration,
) {
    let mut last: Option<DeviceHealth> = None;
    loop {
        let command = commands.recv_timeout(poll);
        if let Ok(Command::Print(job)) = &command {
            let (id, reprint) = (job.id.0.clone(), job.reprint);
            let result = match driver.print(job.clone()) {
                Ok(outcome) => print_result(&outcome),
                // the link broke mid-job: the job's fate is unknown
                Err(_) => PrintResult::Failed(PrintFailure::NoAnswer),
            };
            let report = PrintReport {
                id,
                reprint,
                result,
            };
            if events.send(PrinterEvent::Finished(report)).is_err() {
                return;
            }
        }
        if matches!(command, Err(RecvTimeoutError::Disconnected)) {
            return;
        }
        let raw = match driver.status() {
            Ok(snapshot) => snapshot.health(),
            Err(_) => Health::Unknown,
        };
        let health = device_health(&raw);
        if let Ok(mut s) = status.lock() {
            *s = raw;
        }
        if let Ok(mut c) = counters.lock() {
            *c = driver.counters();
        }
        if last != Some(health) {
            last = Some(health);
            if events.send(PrinterEvent::Health(health)).is_err() {
                return;
            }
        }
    }
}
