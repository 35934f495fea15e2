//! The kiosk's counters and the UI frame-time histogram, and their Prometheus text exposition
//! (format 0.0.4), written by hand: a dozen families do not need a registry crate.
//!
//! Every label value comes from a fixed list in this file, never from a citizen's input, so
//! nothing personal can reach the exposition.
//!
//! The counters survive a restart: [`Counts`] is their value at one moment, written to
//! `storage.dir/metrics.json` by the operations module ([`super::COUNTERS_FILE`]) and added
//! back at start, so `kiosk_sessions_total` and the rest count since the terminal was
//! installed, not since the last restart. `kiosk_process_start_time_seconds` tells monitoring
//! when the process started.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use kiosk_core::catalog::FlowKind;
use kiosk_core::session::{DeviceHealth, RatingLevel};

/// The `kind` label of matters opened, by [`FlowKind`].
pub const MATTER_KINDS: [&str; 3] = ["query", "apply", "guide"];
/// The `outcome` label of submissions.
pub const SUBMISSION_OUTCOMES: [&str; 4] = ["submitted", "queued", "refused", "unreachable"];
/// The `device` label of device errors and device states.
pub const DEVICES: [&str; 4] = ["card_reader", "printer", "rating_pad", "scanner"];
/// The `kind` label of print jobs.
pub const PRINT_KINDS: [&str; 3] = ["notice", "query_result", "receipt"];
/// The `level` label of ratings (5 = 非常满意).
pub const RATING_LEVELS: [&str; 5] = ["1", "2", "3", "4", "5"];
/// The `state` label of `kiosk_device_state`, by [`DeviceHealth`].
pub const DEVICE_STATES: [&str; 3] = ["ready", "degraded", "fault"];
/// The `state` label of `kiosk_printer_paper`: the words `/status` uses for the paper.
pub const PAPER_STATES: [&str; 4] = ["ok", "near_end", "out", "unknown"];
/// The `reason` label of `kiosk_not_ready_reason`: every reason `/readyz` can give.
pub const NOT_READY_REASONS: [&str; 9] = [
    "ui_not_responding",
    "catalog_not_loaded",
    "card_reader_fault",
    "backend_not_started",
    "outbox_not_sampled_yet",
    "storage_read_only",
    "storage_full",
    "outbox_unreadable",
    "backend_unreachable_and_outbox_backlog",
];
/// Upper bounds (seconds) of the frame-time histogram's buckets; `+Inf` follows.
pub const FRAME_BUCKETS: [f64; 12] = [
    0.001, 0.002, 0.004, 0.008, 0.016, 0.033, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// A submission's outcome as counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmissionOutcome {
    /// 已提交: the county answered with its 受理编号.
    Submitted,
    /// 已受理: committed to the outbox, the county did not answer in time.
    Queued,
    /// The county (or the terminal, storage unusable) refused it.
    Refused,
    /// The backend could not be reached and nothing was queued.
    Unreachable,
}

/// A kind of print job as counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintKind {
    /// 一次性告知单.
    Notice,
    /// 查询结果.
    QueryResult,
    /// 办件回执.
    Receipt,
}

/// A device whose faults are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountedDevice {
    /// The ID-card reader.
    CardReader,
    /// The receipt printer.
    Printer,
    /// The 好差评 pad.
    RatingPad,
    /// The 高拍仪.
    Scanner,
}

/// Counters of what the kiosk did since it started. Exists so the controller can count with
/// one atomic add per event, and the endpoint's thread can read them without the UI thread.
#[derive(Debug, Default)]
pub struct Metrics {
    sessions: AtomicU64,
    matters: [AtomicU64; 3],
    submissions: [AtomicU64; 4],
    device_errors: [AtomicU64; 4],
    prints: [AtomicU64; 3],
    ratings: [AtomicU64; 5],
}

impl Metrics {
    /// A citizen left the attract screen: a session began.
    pub fn session_started(&self) {
        self.sessions.fetch_add(1, Ordering::Relaxed);
    }

    /// A matter's guide was opened.
    pub fn matter_opened(&self, kind: FlowKind) {
        let i = match kind {
            FlowKind::Query => 0,
            FlowKind::Apply => 1,
            FlowKind::Guide => 2,
        };
        self.matters[i].fetch_add(1, Ordering::Relaxed);
    }

    /// A submission ended so.
    pub fn submission(&self, outcome: SubmissionOutcome) {
        self.submissions[outcome as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// A device went into fault.
    pub fn device_error(&self, device: CountedDevice) {
        self.device_errors[device as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// A print job was sent to the printer.
    pub fn printed(&self, kind: PrintKind) {
        self.prints[kind as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// A 好差评 rating was recorded.
    pub fn rated(&self, level: RatingLevel) {
        let i = usize::from((level as u8).clamp(1, 5)) - 1;
        self.ratings[i].fetch_add(1, Ordering::Relaxed);
    }

    /// Sessions begun so far.
    pub fn sessions(&self) -> u64 {
        self.sessions.load(Ordering::Relaxed)
    }

    /// Every counter's value now, to be saved.
    pub fn counts(&self) -> Counts {
        fn read<const N: usize>(a: &[AtomicU64; N]) -> [u64; N] {
            std::array::from_fn(|i| a[i].load(Ordering::Relaxed))
        }
        Counts {
            sessions: self.sessions(),
            matters: read(&self.matters),
            submissions: read(&self.submissions),
            device_errors: read(&self.device_errors),
            prints: read(&self.prints),
            ratings: read(&self.ratings),
        }
    }

    /// Adds `saved` (what an earlier run counted) to every counter.
    pub fn add(&self, saved: &Counts) {
        fn add<const N: usize>(a: &[AtomicU64; N], b: &[u64; N]) {
            for (x, y) in a.iter().zip(b) {
                x.fetch_add(*y, Ordering::Relaxed);
            }
        }
        self.sessions.fetch_add(saved.sessions, Ordering::Relaxed);
        add(&self.matters, &saved.matters);
        add(&self.submissions, &saved.submissions);
        add(&self.device_errors, &saved.device_errors);
        add(&self.prints, &saved.prints);
        add(&self.ratings, &saved.ratings);
    }
}

/// The version written into `metrics.json`; another version is refused as unreadable.
pub const COUNTS_FORMAT: &str = "kiosk-counters/1";

/// The counters' values at one moment: what is saved across restarts. Exists so the counts
/// of a terminal's whole service life survive restarts, crashes and updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    sessions: u64,
    matters: [u64; 3],
    submissions: [u64; 4],
    device_errors: [u64; 4],
    prints: [u64; 3],
    ratings: [u64; 5],
}

impl Counts {
    /// Sessions counted.
    pub fn sessions(&self) -> u64 {
        self.sessions
    }

    /// The JSON saved in `metrics.json`: the families by their exposition names, labelled
    /// ones as objects by label value, and when it was saved (unix seconds).
    pub fn to_json(&self, saved_unix: i64) -> String {
        fn by_label(labels: &[&str], values: &[u64]) -> serde_json::Value {
            serde_json::Value::Object(
                labels
                    .iter()
                    .zip(values)
                    .map(|(l, v)| ((*l).to_string(), serde_json::Value::from(*v)))
                    .collect(),
            )
        }
        let value = serde_json::json!({
            "format": COUNTS_FORMAT,
            "saved_unix": saved_unix,
            "kiosk_sessions_total": self.sessions,
            "kiosk_matters_opened_total": by_label(&MATTER_KINDS, &self.matters),
            "kiosk_submissions_total": by_label(&SUBMISSION_OUTCOMES, &self.submissions),
            "kiosk_device_errors_total": by_label(&DEVICES, &self.device_errors),
            "kiosk_prints_total": by_label(&PRINT_KINDS, &self.prints),
            "kiosk_ratings_total": by_label(&RATING_LEVELS, &self.ratings),
        });
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads what [`Counts::to_json`] wrote. A family or label value missing from the file
    /// counts from zero (the file of an older version); one the file has and this version does
    /// not know is ignored. `Err` says why the text is not such a file: not JSON, another
    /// format, a count that is not a whole number from 0 up.
    pub fn from_json(text: &str) -> Result<Counts, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let object = value.as_object().ok_or("not a JSON object")?;
        match object.get("format").and_then(serde_json::Value::as_str) {
            Some(COUNTS_FORMAT) => {}
            other => return Err(format!("format {other:?}, expected {COUNTS_FORMAT:?}")),
        }
        let count = |name: &str, v: &serde_json::Value| {
            v.as_u64()
                .ok_or_else(|| format!("{name}: {v} is not a count"))
        };
        fn family<const N: usize>(
            object: &serde_json::Map<String, serde_json::Value>,
            name: &str,
            labels: &[&str; N],
        ) -> Result<[u64; N], String> {
            let mut out = [0; N];
            let Some(v) = object.get(name) else {
                return Ok(out);
            };
            let by_label = v
                .as_object()
                .ok_or_else(|| format!("{name}: not an object of counts by label"))?;
            for (i, label) in labels.iter().enumerate() {
                if let Some(v) = by_label.get(*label) {
                    out[i] = v
                        .as_u64()
                        .ok_or_else(|| format!("{name}.{label}: {v} is not a count"))?;
                }
            }
            Ok(out)
        }
        Ok(Counts {
            sessions: match object.get("kiosk_sessions_total") {
                Some(v) => count("kiosk_sessions_total", v)?,
                None => 0,
            },
            matters: family(object, "kiosk_matters_opened_total", &MATTER_KINDS)?,
            submissions: family(object, "kiosk_submissions_total", &SUBMISSION_OUTCOMES)?,
            device_errors: family(object, "kiosk_device_errors_total", &DEVICES)?,
            prints: family(object, "kiosk_prints_total", &PRINT_KINDS)?,
            ratings: family(object, "kiosk_ratings_total", &RATING_LEVELS)?,
        })
    }
}

/// A latency histogram with fixed buckets, lock-free. Exists for the UI frame time, which the
/// render loop observes on the UI thread and the endpoint reads on its own.
#[derive(Debug)]
pub struct Histogram {
    buckets: [AtomicU64; FRAME_BUCKETS.len()],
    count: AtomicU64,
    sum_nanos: AtomicU64,
}

impl Histogram {
    /// An empty histogram (const, so it can be a static).
    pub const fn new() -> Histogram {
        Histogram {
            buckets: [const { AtomicU64::new(0) }; FRAME_BUCKETS.len()],
            count: AtomicU64::new(0),
            sum_nanos: AtomicU64::new(0),
        }
    }

    /// Counts one observation.
    pub fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        if let Some(i) = FRAME_BUCKETS.iter().position(|le| secs <= *le) {
            self.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        self.sum_nanos.fetch_add(
            u64::try_from(d.as_nanos()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    /// Observations so far and their total time.
    pub fn totals(&self) -> (u64, Duration) {
        (
            self.count.load(Ordering::Relaxed),
            Duration::from_nanos(self.sum_nanos.load(Ordering::Relaxed)),
        )
    }

    /// Cumulative bucket counts (the last is `+Inf`, equal to the count).
    fn cumulative(&self) -> Vec<u64> {
        let mut acc = 0;
        let mut out: Vec<u64> = self
            .buckets
            .iter()
            .map(|b| {
                acc += b.load(Ordering::Relaxed);
                acc
            })
            .collect();
        out.push(self.count.load(Ordering::Relaxed).max(acc));
        out
    }
}

impl Default for Histogram {
    fn default() -> Self {
        Histogram::new()
    }
}

/// Time to render one UI frame, for the whole process (one window, one platform). The
/// headless platform observes every `draw_if_needed` that drew; under winit with a renderer
/// that supports Slint's rendering notifier, `kiosk run` observes BeforeRendering →
/// AfterRendering.
pub static FRAMES: Histogram = Histogram::new();

/// Values read elsewhere (the outbox, the UI heartbeat, the devices) at the moment of a
/// scrape. A `None` leaves its family out of the exposition.
#[derive(Debug, Clone, Default)]
pub struct Gauges {
    /// Items waiting in the outbox (`None`: not readable).
    pub outbox_depth: Option<u64>,
    /// Age of its oldest item, seconds.
    pub outbox_oldest_age_secs: Option<u64>,
    /// Milliseconds since the UI thread last ticked.
    pub ui_heartbeat_age_ms: u64,
    /// Seconds since start.
    pub uptime_secs: u64,
    /// Free bytes in `storage.dir`.
    pub storage_free_bytes: Option<u64>,
    /// When the process started, unix seconds (`kiosk_process_start_time_seconds`): the
    /// counters survive restarts, so this is how monitoring sees one.
    pub process_start_unix: Option<i64>,
    /// Each device's state, in [`DEVICES`] order (`None`: not fitted, e.g. no rating pad).
    pub devices: [Option<DeviceHealth>; 4],
    /// The printer's paper, one of [`PAPER_STATES`].
    pub paper: Option<&'static str>,
    /// Whether the printer's cover is open (`None`: not known).
    pub printer_cover_open: Option<bool>,
    /// What `/readyz` answers now: `Some(reasons)`, empty when ready.
    pub not_ready: Option<Vec<&'static str>>,
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A state set: one series per state, 1 for the current one and 0 for the others.
fn state_set(out: &mut String, name: &str, labels: &str, states: &[&str], current: &str) {
    for state in states {
        let _ = writeln!(
            out,
            "{name}{{{labels}state=\"{state}\"}} {}",
            u8::from(*state == current)
        );
    }
}

fn labelled(out: &mut String, name: &str, label: &str, values: &[&str], counts: &[AtomicU64]) {
    for (v, c) in values.iter().zip(counts) {
        let _ = writeln!(
            out,
            "{name}{{{label}=\"{v}\"}} {}",
            c.load(Ordering::Relaxed)
        );
    }
}

/// The exposition of `m`, `frames` and `g` in the Prometheus text format 0.0.4.
pub fn render(m: &Metrics, frames: &Histogram, g: &Gauges) -> String {
    let mut out = String::with_capacity(4096);
    family(
        &mut out,
        "kiosk_sessions_total",
        "counter",
        "Sessions begun (a citizen left the attract screen).",
    );
    let _ = writeln!(out, "kiosk_sessions_total {}", m.sessions());
    family(
        &mut out,
        "kiosk_matters_opened_total",
        "counter",
        "Matter guides opened, by the matter's flow.",
    );
    labelled(
        &mut out,
        "kiosk_matters_opened_total",
        "kind",
        &MATTER_KINDS,
        &m.matters,
    );
    family(
        &mut out,
        "kiosk_submissions_total",
        "counter",
        "Applications submitted, by outcome.",
    );
    labelled(
        &mut out,
        "kiosk_submissions_total",
        "outcome",
        &SUBMISSION_OUTCOMES,
        &m.submissions,
    );
    family(
        &mut out,
        "kiosk_device_errors_total",
        "counter",
        "Times a device went into fault.",
    );
    labelled(
        &mut out,
        "kiosk_device_errors_total",
        "device",
        &DEVICES,
        &m.device_errors,
    );
    family(
        &mut out,
        "kiosk_prints_total",
        "counter",
        "Print jobs sent to the receipt printer, by kind.",
    );
    labelled(
        &mut out,
        "kiosk_prints_total",
        "kind",
        &PRINT_KINDS,
        &m.prints,
    );
    family(
        &mut out,
        "kiosk_ratings_total",
        "counter",
        "Ratings recorded, by level (5 = very satisfied).",
    );
    labelled(
        &mut out,
        "kiosk_ratings_total",
        "level",
        &RATING_LEVELS,
        &m.ratings,
    );
    let gauge = |out: &mut String, name: &str, help: &str, v: Option<u64>| {
        if let Some(v) = v {
            family(out, name, "gauge", help);
            let _ = writeln!(out, "{name} {v}");
        }
    };
    gauge(
        &mut out,
        "kiosk_outbox_depth",
        "Submissions and ratings waiting in the outbox.",
        g.outbox_depth,
    );
    gauge(
        &mut out,
        "kiosk_outbox_oldest_age_seconds",
        "Age of the oldest item waiting in the outbox (0 when empty).",
        g.outbox_depth
            .map(|_| g.outbox_oldest_age_secs.unwrap_or(0)),
    );
    gauge(
        &mut out,
        "kiosk_storage_free_bytes",
        "Free bytes on the file system of storage.dir.",
        g.storage_free_bytes,
    );
    family(
        &mut out,
        "kiosk_ui_heartbeat_age_seconds",
        "gauge",
        "Seconds since the UI event loop last ticked.",
    );
    let _ = writeln!(
        out,
        "kiosk_ui_heartbeat_age_seconds {}",
        g.ui_heartbeat_age_ms as f64 / 1000.0
    );
    gauge(
        &mut out,
        "kiosk_uptime_seconds",
        "Seconds since the kiosk started.",
        Some(g.uptime_secs),
    );
    if let Some(start) = g.process_start_unix {
        family(
            &mut out,
            "kiosk_process_start_time_seconds",
            "gauge",
            "When the kiosk process started, unix seconds (the counters survive restarts).",
        );
        let _ = writeln!(out, "kiosk_process_start_time_seconds {start}");
    }
    family(
        &mut out,
        "kiosk_build_info",
        "gauge",
        "Always 1; the kiosk's version as a label.",
    );
    let _ = writeln!(
        out,
        "kiosk_build_info{{version=\"{}\"}} 1",
        env!("CARGO_PKG_VERSION")
    );
    if let Some(reasons) = &g.not_ready {
        family(
            &mut out,
            "kiosk_ready",
            "gauge",
            "1 when /readyz answers 200 (the kiosk can serve citizens), else 0.",
        );
        let _ = writeln!(out, "kiosk_ready {}", u8::from(reasons.is_empty()));
        family(
            &mut out,
            "kiosk_not_ready_reason",
            "gauge",
            "1 for each reason /readyz gives now, else 0.",
        );
        for reason in NOT_READY_REASONS {
            let _ = writeln!(
                out,
                "kiosk_not_ready_reason{{reason=\"{reason}\"}} {}",
                u8::from(reasons.contains(&reason))
            );
        }
    }
    if g.devices.iter().any(Option::is_some) {
        family(
            &mut out,
            "kiosk_device_state",
            "gauge",
            "State of each fitted device: 1 for its current state, 0 for the others.",
        );
        for (device, health) in DEVICES.iter().zip(&g.devices) {
            if let Some(h) = health {
                state_set(
                    &mut out,
                    "kiosk_device_state",
                    &format!("device=\"{device}\","),
                    &DEVICE_STATES,
                    DEVICE_STATES[device_state_index(*h)],
                );
            }
        }
    }
    if let Some(paper) = g.paper {
        family(
            &mut out,
            "kiosk_printer_paper",
            "gauge",
            "The receipt printer's paper at its last status: 1 for the current state.",
        );
        let paper = if PAPER_STATES.contains(&paper) {
            paper
        } else {
            "unknown"
        };
        state_set(&mut out, "kiosk_printer_paper", "", &PAPER_STATES, paper);
    }
    gauge(
        &mut out,
        "kiosk_printer_cover_open",
        "1 when the receipt printer's cover is open at its last status, else 0.",
        g.printer_cover_open.map(u64::from),
    );
    family(
        &mut out,
        "kiosk_ui_frame_seconds",
        "histogram",
        "Time to render one UI frame.",
    );
    let cumulative = frames.cumulative();
    for (le, n) in FRAME_BUCKETS.iter().zip(&cumulative) {
        let _ = writeln!(out, "kiosk_ui_frame_seconds_bucket{{le=\"{le}\"}} {n}");
    }
    let (count, sum) = frames.totals();
    let _ = writeln!(
        out,
        "kiosk_ui_frame_seconds_bucket{{le=\"+Inf\"}} {}",
        cumulative.last().copied().unwrap_or(count)
    );
    let _ = writeln!(out, "kiosk_ui_frame_seconds_sum {}", sum.as_secs_f64());
    let _ = writeln!(out, "kiosk_ui_frame_seconds_count {count}");
    out
}

fn device_state_index(h: DeviceHealth) -> usize {
    match h {
        DeviceHealth::Ready => 0,
        DeviceHealth::Degraded => 1,
        DeviceHealth::Fault => 2,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn the_histogram_is_cumulative_and_inf_equals_the_count() {
        let h = Histogram::new();
        h.observe(Duration::from_micros(500));
        h.observe(Duration::from_millis(3));
        h.observe(Duration::from_secs(10));
        let c = h.cumulative();
        assert_eq!(c[0], 1);
        assert_eq!(c[2], 2);
        assert_eq!(c[FRAME_BUCKETS.len() - 1], 2);
        assert_eq!(*c.last().unwrap(), 3);
        assert!(c.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn counts_land_under_their_labels() {
        let m = Metrics::default();
        m.session_started();
        m.matter_opened(FlowKind::Apply);
        m.submission(SubmissionOutcome::Queued);
        m.device_error(CountedDevice::Printer);
        m.printed(PrintKind::Receipt);
        m.rated(RatingLevel::VerySatisfied);
        let text = render(&m, &Histogram::new(), &Gauges::default());
        for line in [
            "kiosk_sessions_total 1",
            "kiosk_matters_opened_total{kind=\"apply\"} 1",
            "kiosk_matters_opened_total{kind=\"query\"} 0",
            "kiosk_submissions_total{outcome=\"queued\"} 1",
            "kiosk_device_errors_total{device=\"printer\"} 1",
            "kiosk_prints_total{kind=\"receipt\"} 1",
            "kiosk_ratings_total{level=\"5\"} 1",
            "kiosk_ui_frame_seconds_count 0",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
        }
    }

    fn some_counts() -> Metrics {
        let m = Metrics::default();
        m.session_started();
        m.session_started();
        m.matter_opened(FlowKind::Guide);
        m.submission(SubmissionOutcome::Refused);
        m.device_error(CountedDevice::RatingPad);
        m.printed(PrintKind::Notice);
        m.rated(RatingLevel::VeryDissatisfied);
        m
    }

    #[test]
    fn counts_round_trip_through_json_and_add_up() {
        let m = some_counts();
        let counts = m.counts();
        let text = counts.to_json(1_790_000_000);
        assert!(text.contains("\"kiosk_sessions_total\": 2"), "{text}");
        assert!(text.contains("\"saved_unix\": 1790000000"), "{text}");
        let back = Counts::from_json(&text).unwrap();
        assert_eq!(back, counts);
        // a restarted kiosk that counted one session before the file was read
        let restarted = Metrics::default();
        restarted.session_started();
        restarted.add(&back);
        assert_eq!(restarted.sessions(), 3);
        let out = render(&restarted, &Histogram::new(), &Gauges::default());
        for line in [
            "kiosk_sessions_total 3",
            "kiosk_matters_opened_total{kind=\"guide\"} 1",
            "kiosk_submissions_total{outcome=\"refused\"} 1",
            "kiosk_device_errors_total{device=\"rating_pad\"} 1",
            "kiosk_prints_total{kind=\"notice\"} 1",
            "kiosk_ratings_total{level=\"1\"} 1",
        ] {
            assert!(out.lines().any(|l| l == line), "{line} in\n{out}");
        }
    }

    #[test]
    fn a_file_of_another_version_counts_what_it_has_and_ignores_the_rest() {
        let older = r#"{"format": "kiosk-counters/1", "kiosk_sessions_total": 7,
            "kiosk_ratings_total": {"5": 4, "6": 9}, "kiosk_future_total": 1}"#;
        let c = Counts::from_json(older).unwrap();
        assert_eq!(c.sessions(), 7);
        let m = Metrics::default();
        m.add(&c);
        let out = render(&m, &Histogram::new(), &Gauges::default());
        assert!(
            out.contains("kiosk_ratings_total{level=\"5\"} 4\n"),
            "{out}"
        );
        assert!(
            out.contains("kiosk_prints_total{kind=\"receipt\"} 0\n"),
            "{out}"
        );
    }

    #[test]
    fn corrupt_counts_are_refused_with_the_reason() {
        for (text, why) in [
            ("", "not JSON"),
            (
                "{\"format\": \"kiosk-counters/1\", \"kiosk_sess",
                "not JSON",
            ),
            ("[1, 2]", "not a JSON object"),
            ("{\"kiosk_sessions_total\": 1}", "format"),
            ("{\"format\": \"kiosk-counters/9\"}", "format"),
            (
                "{\"format\": \"kiosk-counters/1\", \"kiosk_sessions_total\": -1}",
                "kiosk_sessions_total",
            ),
            (
                "{\"format\": \"kiosk-counters/1\", \"kiosk_prints_total\": 3}",
                "kiosk_prints_total",
            ),
            (
                "{\"format\": \"kiosk-counters/1\", \"kiosk_prints_total\": {\"receipt\": 1.5}}",
                "kiosk_prints_total.receipt",
            ),
        ] {
            let e = Counts::from_json(text).unwrap_err();
            assert!(e.contains(why), "{text:?}: {e}");
        }
    }

    #[test]
    fn device_paper_and_readiness_are_state_sets_from_fixed_lists() {
        let g = Gauges {
            process_start_unix: Some(1_790_000_000),
            devices: [
                Some(DeviceHealth::Ready),
                Some(DeviceHealth::Fault),
                None,
                None,
            ],
            paper: Some("out"),
            printer_cover_open: Some(false),
            not_ready: Some(vec!["card_reader_fault"]),
            ..Gauges::default()
        };
        let text = render(&Metrics::default(), &Histogram::new(), &g);
        for line in [
            "kiosk_process_start_time_seconds 1790000000",
            "kiosk_device_state{device=\"card_reader\",state=\"ready\"} 1",
            "kiosk_device_state{device=\"card_reader\",state=\"fault\"} 0",
            "kiosk_device_state{device=\"printer\",state=\"fault\"} 1",
            "kiosk_device_state{device=\"printer\",state=\"ready\"} 0",
            "kiosk_printer_paper{state=\"out\"} 1",
            "kiosk_printer_paper{state=\"ok\"} 0",
            "kiosk_printer_paper{state=\"near_end\"} 0",
            "kiosk_printer_cover_open 0",
            "kiosk_ready 0",
            "kiosk_not_ready_reason{reason=\"card_reader_fault\"} 1",
            "kiosk_not_ready_reason{reason=\"storage_full\"} 0",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
        }
        // a pad that is not fitted has no series; exactly one state of each device is 1
        assert!(
            !text.contains("kiosk_device_state{device=\"rating_pad\""),
            "{text}"
        );
        let ones = |prefix: &str| {
            text.lines()
                .filter(|l| l.starts_with(prefix) && l.ends_with(" 1"))
                .count()
        };
        assert_eq!(ones("kiosk_device_state{device=\"card_reader\""), 1);
        assert_eq!(ones("kiosk_device_state{device=\"printer\""), 1);
        assert_eq!(ones("kiosk_printer_paper{"), 1);
        // a paper word outside the list is served as unknown
        let odd = Gauges {
            paper: Some("soggy"),
            ..Gauges::default()
        };
        let text = render(&Metrics::default(), &Histogram::new(), &odd);
        assert!(
            text.contains("kiosk_printer_paper{state=\"unknown\"} 1\n"),
            "{text}"
        );
        assert!(!text.contains("soggy"));
    }
}
