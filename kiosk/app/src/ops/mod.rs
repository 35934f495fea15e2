//! Operations (issue 8 §1): the management endpoint that monitoring and the technician use —
//! `/healthz`, `/readyz`, `/status` and `/metrics` — served on its own thread ([`health`]),
//! with the counters the controller records ([`metrics`]).
//!
//! The UI thread never serves a request. It only stamps the [`Heartbeat`] (every reader poll,
//! 50 ms), counts events into [`metrics::Metrics`] and, once a second, copies the devices'
//! states into [`DeviceReport`]. A sampling thread reads the outbox (whose lock the sender may
//! hold through an HTTP call) and the free disk every [`SAMPLE_EVERY`]. Requests read only
//! atomics and copies, so a slow outbox or a stalled UI never makes the endpoint slow, and
//! the endpoint under load never takes time from the UI.
//!
//! Nothing personal is held here: device states, counts, ages, the terminal id.
//!
//! The counters outlive the process: [`Shared::start_sampler`] adds what `storage.dir/`
//! [`COUNTERS_FILE`] holds to them, and the sampling thread saves them there (atomically)
//! every [`SAVE_EVERY`] when they changed, as does the endpoint when it stops at a clean exit.
//! A missing or unreadable file starts the counts from zero and says so on stderr; it never
//! stops the kiosk.
//!
//! Test hook (debug builds only): while the file named by `KIOSK_DEBUG_STALL_FILE` exists,
//! the UI thread sleeps inside its reader poll — a deliberately stalled event loop, for the
//! test that `/healthz` then fails. Release builds ignore the variable.

pub mod health;
pub mod metrics;

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kiosk_core::session::DeviceHealth;
use kiosk_core::terminal::BackendMode;

use metrics::Counts;

use crate::backend::service::{BackendProbe, OutboxReading};

/// How often the sampling thread reads the outbox and the disk.
pub const SAMPLE_EVERY: Duration = Duration::from_secs(2);
/// `/healthz` fails when the UI thread has not ticked for this long.
pub const LIVENESS_LIMIT: Duration = Duration::from_secs(1);
/// `/readyz`: more items waiting than this and the outbox is not healthy.
pub const OUTBOX_READY_MAX: u64 = 200;
/// `/readyz`: less free space than this in `storage.dir` and the outbox is not healthy.
pub const STORAGE_MIN_FREE: u64 = 64 * 1024 * 1024;
/// `/readyz`: the county counts as reachable if it answered within this time.
pub const CONTACT_FRESH: Duration = Duration::from_secs(600);
/// The file in `storage.dir` that keeps the counters across restarts.
pub const COUNTERS_FILE: &str = "metrics.json";
/// The sampling thread saves the counters this often, when they changed since the last save
/// (an idle terminal writes nothing; a crash loses at most this much counting).
pub const SAVE_EVERY: Duration = Duration::from_secs(10);

/// When the UI event loop last ran its reader poll. Exists so liveness is a lock-free read
/// from the endpoint's thread, and a stalled loop shows as a growing age.
#[derive(Debug)]
pub struct Heartbeat {
    base: Instant,
    last_ms: AtomicU64,
}

impl Heartbeat {
    /// A heartbeat that has just beaten.
    pub fn new() -> Heartbeat {
        Heartbeat {
            base: Instant::now(),
            last_ms: AtomicU64::new(0),
        }
    }

    /// Called on the UI thread: it is alive now.
    pub fn beat(&self) {
        let ms = u64::try_from(self.base.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    /// How long since the last beat.
    pub fn age(&self) -> Duration {
        let now = self.base.elapsed();
        now.saturating_sub(Duration::from_millis(self.last_ms.load(Ordering::Relaxed)))
    }
}

impl Default for Heartbeat {
    fn default() -> Self {
        Heartbeat::new()
    }
}

/// The devices as the controller last saw them (no personal data: states and counters).
#[derive(Debug, Clone, Default)]
pub struct DeviceReport {
    /// The card reader's health as the session has it.
    pub reader: DeviceHealth,
    /// Its driver's counters.
    pub reader_counters: idcard::driver::CounterValues,
    /// The printer's health as the session has it.
    pub printer: DeviceHealth,
    /// `ok`, `near_end`, `out` or `unknown`, from the printer's last status.
    pub paper: &'static str,
    /// Whether the cover was open at the last status (`None`: not known).
    pub cover_open: Option<bool>,
    /// The printer's faults at the last status (`cover_open`, `paper_out`, …).
    pub printer_faults: Vec<&'static str>,
    /// Its driver's counters.
    pub printer_counters: printer::driver::Counters,
    /// The rating pad's health; `None` when none is fitted.
    pub pad: Option<DeviceHealth>,
    /// Its driver's counters (`None` for a keyboard pad or none).
    pub pad_counters: Option<rating::driver::CounterValues>,
    /// The 高拍仪's health; `None` when none is fitted.
    pub scanner: Option<DeviceHealth>,
    /// Its driver's counters.
    pub scanner_counters: Option<scanner::driver::CounterValues>,
}

impl DeviceReport {
    /// Takes the printer's raw status: paper, cover and faults in words.
    pub fn set_printer_status(&mut self, health: &printer::status::Health) {
        use printer::status::{Fault, Health};
        let faults: &[Fault] = match health {
            Health::Fault(f) => f,
            _ => &[],
        };
        self.paper = match health {
            Health::Ready => "ok",
            Health::PaperNearEnd => "near_end",
            Health::Fault(f) if f.contains(&Fault::PaperOut) => "out",
            _ => "unknown",
        };
        self.cover_open = match health {
            Health::Ready | Health::PaperNearEnd => Some(false),
            Health::Fault(f) if f.contains(&Fault::CoverOpen) => Some(true),
            _ => None,
        };
        self.printer_faults = faults
            .iter()
            .map(|f| match f {
                Fault::CoverOpen => "cover_open",
                Fault::PaperOut => "paper_out",
                Fault::Cutter => "cutter",
                Fault::Unrecoverable => "unrecoverable",
                Fault::AutoRecoverable => "auto_recoverable",
                Fault::Recoverable => "recoverable",
                Fault::Offline => "offline",
            })
            .collect();
    }
}

/// What the sampling thread last read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sample {
    /// The outbox (`None`: no backend service).
    pub outbox: Option<OutboxReading>,
    /// Free bytes in `storage.dir`.
    pub free_bytes: Option<u64>,
    /// Whether `storage.dir` is on a read-only file system.
    pub read_only: Option<bool>,
    /// When it was taken.
    pub at: Option<Instant>,
}

/// Everything the endpoint reads, shared between the UI thread, the sampler and the server.
/// Exists so the controller has one handle to record into and `kiosk run` one to serve.
#[derive(Debug)]
pub struct Shared {
    /// The counters.
    pub metrics: metrics::Metrics,
    /// The UI thread's heartbeat.
    pub heartbeat: Heartbeat,
    /// The devices, copied once a second.
    pub devices: Mutex<DeviceReport>,
    /// The outbox and disk, sampled.
    pub sample: Mutex<Sample>,
    /// The backend side, if it started.
    pub probe: Option<BackendProbe>,
    /// This terminal's id (not personal: it names the machine).
    pub terminal: String,
    /// Embedded or remote backend.
    pub backend_mode: BackendMode,
    /// The storage directory.
    pub storage_dir: PathBuf,
    /// Matters offered (the catalog is loaded when this is not zero).
    pub matters_offered: usize,
    /// When the kiosk started.
    pub started: Instant,
    /// When the kiosk started, unix seconds (`kiosk_process_start_time_seconds`).
    pub started_unix: i64,
    /// Where the counters are saved, once [`Shared::restore_counters`] read them.
    saved: Mutex<Option<SavedCounts>>,
}

/// The counters file and what was last written to it.
#[derive(Debug)]
struct SavedCounts {
    path: PathBuf,
    counts: Counts,
    failing: bool,
}

/// Why the counters file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CountsError {
    /// It exists but could not be read (permissions, I/O error).
    #[error("cannot read it: {0}")]
    Unreadable(std::io::Error),
    /// It was read but is not a counters file (truncated, edited, another format).
    #[error("not a counters file: {0}")]
    Corrupt(String),
}

/// The counters saved in `path`; `Ok(None)` when there is no file (a first start).
pub fn load_counts(path: &Path) -> Result<Option<Counts>, CountsError> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes)
                .map_err(|_| CountsError::Corrupt("not UTF-8 text".into()))?;
            Counts::from_json(&text)
                .map(Some)
                .map_err(CountsError::Corrupt)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CountsError::Unreadable(e)),
    }
}

/// Writes `counts` to `path` atomically: into a temporary file beside it, fsynced, renamed
/// over it, then its directory fsynced. A power cut leaves the old file or the new one,
/// never half of one.
pub fn save_counts(path: &Path, counts: &Counts) -> std::io::Result<()> {
    crate::durable::write_file(path, counts.to_json(county::signing::unix_now()).as_bytes())
}

impl Shared {
    /// The shared state of a kiosk for `setup`, with `probe` when the backend started.
    pub fn new(setup: &kiosk_core::setup::Setup, probe: Option<BackendProbe>) -> Shared {
        Shared {
            metrics: metrics::Metrics::default(),
            heartbeat: Heartbeat::new(),
            devices: Mutex::new(DeviceReport {
                paper: "unknown",
                ..DeviceReport::default()
            }),
            sample: Mutex::new(Sample::default()),
            probe,
            terminal: setup.terminal.id.clone(),
            backend_mode: setup.terminal.backend_mode,
            storage_dir: PathBuf::from(&setup.terminal.storage_dir),
            matters_offered: setup.terminal.offered.len(),
            started: Instant::now(),
            started_unix: county::signing::unix_now(),
            saved: Mutex::new(None),
        }
    }

    /// Adds the counters saved by earlier runs (`storage.dir/`[`COUNTERS_FILE`]) and from now
    /// on saves them there ([`Shared::save_counters`]). A missing file starts from zero; a
    /// corrupt one is renamed `metrics.json.corrupt` and starts from zero; an unreadable one
    /// starts from zero and is left alone (nothing is saved over it). Each case is told on
    /// stderr. Called once; a second call does nothing.
    pub fn restore_counters(&self) {
        let Ok(mut saved) = self.saved.lock() else {
            return;
        };
        if saved.is_some() {
            return;
        }
        let path = self.storage_dir.join(COUNTERS_FILE);
        let counts = match load_counts(&path) {
            Ok(Some(counts)) => {
                self.metrics.add(&counts);
                eprintln!(
                    "kiosk: 运维计数已从 {} 恢复（累计会话 {} 次）",
                    path.display(),
                    counts.sessions()
                );
                counts
            }
            Ok(None) => {
                eprintln!(
                    "kiosk: 没有运维计数文件 {}，计数从零开始（首次启动时如此）",
                    path.display()
                );
                Counts::default()
            }
            Err(CountsError::Corrupt(why)) => {
                let mut aside = path.clone().into_os_string();
                aside.push(".corrupt");
                let aside = PathBuf::from(aside);
                let kept = match std::fs::rename(&path, &aside) {
                    Ok(()) => format!("，原文件已改名为 {}", aside.display()),
                    Err(_) => String::new(),
                };
                eprintln!(
                    "kiosk: 运维计数文件 {} 已损坏，计数从零开始{kept}：{why}",
                    path.display()
                );
                Counts::default()
            }
            Err(e @ CountsError::Unreadable(_)) => {
                eprintln!(
                    "kiosk: 运维计数文件 {} 无法读取，本次运行的计数从零开始且不保存（原文件保留）：{e}",
                    path.display()
                );
                return;
            }
        };
        *saved = Some(SavedCounts {
            path,
            counts,
            failing: false,
        });
    }

    /// Saves the counters if they changed since the last save (the sampling thread every
    /// [`SAVE_EVERY`], and the endpoint at a clean exit). Does nothing before
    /// [`Shared::restore_counters`]. A failure is told on stderr once, and again when saving
    /// works again.
    pub fn save_counters(&self) {
        let Ok(mut saved) = self.saved.lock() else {
            return;
        };
        let Some(s) = saved.as_mut() else {
            return;
        };
        let now = self.metrics.counts();
        if now == s.counts {
            return;
        }
        match save_counts(&s.path, &now) {
            Ok(()) => {
                if s.failing {
                    eprintln!("kiosk: 运维计数又能保存到 {} 了", s.path.display());
                }
                s.counts = now;
                s.failing = false;
            }
            Err(e) => {
                if !s.failing {
                    eprintln!("kiosk: 运维计数无法保存到 {}：{e}", s.path.display());
                }
                s.failing = true;
            }
        }
    }

    /// Reads the outbox and the disk now (the sampling thread; blocks on the outbox lock).
    pub fn take_sample(&self) {
        let outbox = self.probe.as_ref().map(BackendProbe::read_outbox);
        let fs = rustix::fs::statvfs(&self.storage_dir).ok();
        let sample = Sample {
            outbox,
            free_bytes: fs.as_ref().map(|s| s.f_bavail.saturating_mul(s.f_frsize)),
            read_only: fs
                .as_ref()
                .map(|s| s.f_flag.contains(rustix::fs::StatVfsMountFlags::RDONLY)),
            at: Some(Instant::now()),
        };
        if let Ok(mut s) = self.sample.lock() {
            *s = sample;
        }
    }

    /// The last sample.
    pub fn sample(&self) -> Sample {
        self.sample.lock().map(|s| *s).unwrap_or_default()
    }

    /// The last device report.
    pub fn devices(&self) -> DeviceReport {
        self.devices
            .lock()
            .map(|d| d.clone())
            .unwrap_or_else(|_| DeviceReport::default())
    }

    /// Restores the saved counters ([`Shared::restore_counters`]), then starts the sampling
    /// thread: it samples every [`SAMPLE_EVERY`] and saves the counters every [`SAVE_EVERY`],
    /// and stops when `shared` is the last reference left.
    pub fn start_sampler(shared: &Arc<Shared>) -> std::io::Result<()> {
        shared.restore_counters();
        let weak = Arc::downgrade(shared);
        std::thread::Builder::new()
            .name("ops-sampler".into())
            .spawn(move || {
                let mut last_save = Instant::now();
                while let Some(s) = weak.upgrade() {
                    s.take_sample();
                    if last_save.elapsed() >= SAVE_EVERY {
                        s.save_counters();
                        last_save = Instant::now();
                    }
                    drop(s);
                    std::thread::sleep(SAMPLE_EVERY);
                }
            })
            .map(|_| ())
    }
}

impl Drop for Shared {
    /// The last holder gone (the kiosk is exiting): saves what was counted since the last
    /// save, if the counters were restored (never in tests that only build a controller).
    fn drop(&mut self) {
        self.save_counters();
    }
}

/// The bearer token for `/status` and `/metrics`. With `token_file` it is read from there
/// (trimmed, at least 16 characters); without, `ops.token` in `storage` is used, created with
/// 32 random bytes in hex and mode 0600 when missing. `Err` says why there is none: the
/// endpoint then answers 401 to everyone on those paths.
pub fn load_token(token_file: Option<&str>, storage: &Path) -> Result<String, String> {
    let path = match token_file {
        Some(p) => PathBuf::from(p),
        None => {
            let path = storage.join("ops.token");
            if !path.exists() {
                std::fs::create_dir_all(storage)
                    .map_err(|e| format!("{}: {e}", storage.display()))?;
                let mut key = [0u8; 32];
                getrandom::fill(&mut key).map_err(|e| format!("no randomness: {e}"))?;
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                f.write_all(county::signing::hex(&key).as_bytes())
                    .and_then(|()| f.sync_all())
                    .map_err(|e| format!("{}: {e}", path.display()))?;
            }
            path
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let token = text.trim();
    if token.chars().count() < 16 || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "{}: the token must be at least 16 characters without spaces",
            path.display()
        ));
    }
    Ok(token.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_missing_token_is_generated_0600_and_then_reused() {
        let dir = std::env::temp_dir().join(format!("ops-token-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let first = load_token(None, &dir).unwrap();
        assert_eq!(first.len(), 64);
        let mode = std::fs::metadata(dir.join("ops.token"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(load_token(None, &dir).unwrap(), first);
        std::fs::write(dir.join("short"), "abc\n").unwrap();
        let short = dir.join("short").display().to_string();
        assert!(load_token(Some(&short), &dir).is_err());
        let missing = dir.join("missing").display().to_string();
        assert!(load_token(Some(&missing), &dir).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn shared_in(dir: &Path) -> Shared {
        let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/kiosk.toml");
        let mut setup = crate::config::load(&config).unwrap();
        setup.terminal.storage_dir = dir.display().to_string();
        Shared::new(&setup, None)
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ops-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn counters_are_saved_atomically_and_restored_by_the_next_run() {
        let dir = scratch("counts-saved");
        let first = shared_in(&dir);
        first.restore_counters(); // no file: from zero
        assert!(!dir.join(COUNTERS_FILE).exists());
        first.save_counters(); // nothing counted: nothing written
        assert!(!dir.join(COUNTERS_FILE).exists());
        first.metrics.session_started();
        first
            .metrics
            .device_error(metrics::CountedDevice::CardReader);
        first.save_counters();
        let text = std::fs::read_to_string(dir.join(COUNTERS_FILE)).unwrap();
        assert!(text.contains("\"kiosk_sessions_total\": 1"), "{text}");
        assert!(!dir.join("metrics.json.tmp").exists(), "renamed into place");
        first.metrics.session_started();
        drop(first); // a clean exit saves what is left

        let second = shared_in(&dir);
        second.metrics.session_started(); // counted before the file was read
        second.restore_counters();
        second.restore_counters(); // a second call adds nothing
        assert_eq!(second.metrics.sessions(), 3);
        let saved = load_counts(&dir.join(COUNTERS_FILE)).unwrap().unwrap();
        assert_eq!(saved.sessions(), 2);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_corrupt_counters_file_starts_from_zero_and_is_kept_aside() {
        let dir = scratch("counts-corrupt");
        std::fs::write(dir.join(COUNTERS_FILE), "{\"format\": \"kiosk-coun").unwrap();
        assert!(matches!(
            load_counts(&dir.join(COUNTERS_FILE)),
            Err(CountsError::Corrupt(_))
        ));
        let s = shared_in(&dir);
        s.restore_counters();
        assert_eq!(s.metrics.sessions(), 0);
        assert!(dir.join("metrics.json.corrupt").exists());
        assert!(!dir.join(COUNTERS_FILE).exists());
        s.metrics.session_started();
        s.save_counters();
        let back = load_counts(&dir.join(COUNTERS_FILE)).unwrap().unwrap();
        assert_eq!(back.sessions(), 1);
        // binary garbage is corrupt too, not a panic
        std::fs::write(dir.join(COUNTERS_FILE), [0xff, 0xfe, 0x00]).unwrap();
        assert!(matches!(
            load_counts(&dir.join(COUNTERS_FILE)),
            Err(CountsError::Corrupt(_))
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_unreadable_counters_file_is_left_alone() {
        let dir = scratch("counts-unreadable");
        // a directory where the file should be: reading fails, and nothing may replace it
        std::fs::create_dir(dir.join(COUNTERS_FILE)).unwrap();
        assert!(matches!(
            load_counts(&dir.join(COUNTERS_FILE)),
            Err(CountsError::Unreadable(_))
        ));
        let s = shared_in(&dir);
        s.restore_counters();
        s.metrics.session_started();
        s.save_counters();
        assert!(dir.join(COUNTERS_FILE).is_dir());
        // a storage directory that vanished: saving fails, is told, and the kiosk goes on
        let gone = dir.join("gone");
        let s = shared_in(&gone);
        s.restore_counters();
        s.metrics.session_started();
        s.save_counters();
        s.save_counters();
        assert!(!gone.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn printer_status_becomes_paper_cover_and_fault_words() {
        use printer::status::{Fault, Health};
        let mut d = DeviceReport::default();
        d.set_printer_status(&Health::PaperNearEnd);
        assert_eq!((d.paper, d.cover_open), ("near_end", Some(false)));
        d.set_printer_status(&Health::Fault(vec![Fault::CoverOpen, Fault::PaperOut]));
        assert_eq!((d.paper, d.cover_open), ("out", Some(true)));
        assert_eq!(d.printer_faults, vec!["cover_open", "paper_out"]);
        d.set_printer_status(&Health::Unknown);
        assert_eq!((d.paper, d.cover_open), ("unknown", None));
    }
}
