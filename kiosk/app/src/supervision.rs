//! Running under systemd (issue 8 §3): `READY=1` once the kiosk is on screen, `WATCHDOG=1`
//! while it is healthy, `STOPPING=1` on the way out, and logs through `tracing` to journald.
//!
//! The watchdog is fed from a timer on the UI thread, and only when the outbox's sender
//! thread has begun a round recently too (reference/deps.md §3.5: never from a separate timer
//! thread, which would keep a hung kiosk alive). A stuck event loop or a hung sender stops the
//! feed, and systemd kills and restarts the kiosk after `WatchdogSec`.
//!
//! Outside systemd (no `NOTIFY_SOCKET`) every call here does nothing.

use std::time::Duration;

use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The sender is taken as hung when it has not begun a round for this long (a round is at
/// most a few calls of [`crate::backend::service::CALL_TIMEOUT`] after a 5 s sleep).
pub const SENDER_STALL_SECS: i64 = 60;

/// How often the watchdog is fed: half its period, at most every 10 s, at least every 0.5 s.
pub fn feed_interval(watchdog: Duration) -> Duration {
    (watchdog / 2).clamp(Duration::from_millis(500), Duration::from_secs(10))
}

/// Whether the kiosk is healthy enough to feed the watchdog: the caller runs on the UI
/// thread (so the event loop is alive), and the sender has begun a round within
/// [`SENDER_STALL_SECS`] (`None`: no backend started, nothing to hang).
pub fn healthy(sender_idle_secs: Option<i64>) -> bool {
    sender_idle_secs.is_none_or(|idle| idle < SENDER_STALL_SECS)
}

/// The watchdog period systemd asked for (`WatchdogSec=`), if any.
pub fn watchdog() -> Option<Duration> {
    sd_notify::watchdog_enabled()
}

/// Tells systemd the kiosk is up, with a status line `systemctl status` shows.
pub fn ready(status: &str) {
    notify(&[
        sd_notify::NotifyState::Ready,
        sd_notify::NotifyState::Status(status),
    ]);
}

/// One watchdog keep-alive.
pub fn feed() {
    notify(&[sd_notify::NotifyState::Watchdog]);
}

/// Tells systemd the kiosk is stopping on purpose.
pub fn stopping() {
    notify(&[sd_notify::NotifyState::Stopping]);
}

fn notify(states: &[sd_notify::NotifyState]) {
    if let Err(e) = sd_notify::notify(states) {
        tracing::warn!(error = %e, "systemd notify failed");
    }
}

/// Installs the log subscriber: journald when systemd connected stderr to the journal
/// (`JOURNAL_STREAM` set) and the journal socket answers, plain lines on stderr otherwise.
/// `KIOSK_LOG` = error | warn | info (default) | debug | trace.
///
/// What is logged is device states, counts, codes and ids of machines and jobs: the session's
/// personal data never reaches a log call (the flow tests capture every line and check).
pub fn init_logging() {
    let level = std::env::var("KIOSK_LOG")
        .ok()
        .and_then(|v| v.parse::<LevelFilter>().ok())
        .unwrap_or(LevelFilter::INFO);
    let journald = std::env::var_os("JOURNAL_STREAM")
        .is_some()
        .then(tracing_journald::layer)
        .and_then(Result::ok);
    let installed = match journald {
        Some(layer) => tracing_subscriber::registry()
            .with(level)
            .with(layer.with_syslog_identifier("kiosk".into()))
            .try_init(),
        None => tracing_subscriber::registry()
            .with(level)
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_ansi(false)
                    .with_target(false),
            )
            .try_init(),
    };
    if let Err(e) = installed {
        eprintln!("kiosk: 日志无法初始化：{e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feed_runs_at_half_the_period_within_bounds() {
        assert_eq!(
            feed_interval(Duration::from_secs(30)),
            Duration::from_secs(10)
        );
        assert_eq!(
            feed_interval(Duration::from_secs(8)),
            Duration::from_secs(4)
        );
        assert_eq!(
            feed_interval(Duration::from_millis(200)),
            Duration::from_millis(500)
        );
    }

    #[test]
    fn a_hung_sender_stops_the_feed() {
        assert!(healthy(None));
        assert!(healthy(Some(5)));
        assert!(!healthy(Some(SENDER_STALL_SECS)));
    }
}
