//! The kiosk's counters and the UI frame-time histogram, and their Prometheus text exposition
//! (format 0.0.4), written by hand: a dozen families do not need a registry crate.
//!
//! Every label value comes from a fixed list in this file, never from a citizen's input, so
//! nothing personal can reach the exposition.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use kiosk_core::catalog::FlowKind;
use kiosk_core::session::RatingLevel;

/// The `kind` label of matters opened, by [`FlowKind`].
pub const MATTER_KINDS: [&str; 3] = ["query", "apply", "guide"];
/// The `outcome` label of submissions.
pub const SUBMISSION_OUTCOMES: [&str; 4] = ["submitted", "queued", "refused", "unreachable"];
/// The `device` label of device errors.
pub const DEVICES: [&str; 3] = ["card_reader", "printer", "rating_pad"];
/// The `kind` label of print jobs.
pub const PRINT_KINDS: [&str; 3] = ["notice", "query_result", "receipt"];
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
}

/// Counters of what the kiosk did since it started. Exists so the controller can count with
/// one atomic add per event, and the endpoint's thread can read them without the UI thread.
#[derive(Debug, Default)]
pub struct Metrics {
    sessions: AtomicU64,
    matters: [AtomicU64; 3],
    submissions: [AtomicU64; 4],
    device_errors: [AtomicU64; 3],
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

/// Values read elsewhere (the outbox, the UI heartbeat) at the moment of a scrape.
#[derive(Debug, Clone, Copy, Default)]
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
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
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
        &["1", "2", "3", "4", "5"],
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
}
