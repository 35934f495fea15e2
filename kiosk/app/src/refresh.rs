//! The nightly catalog refresh (issue 8 §3): once a Beijing day, at [`REFRESH_MINUTE`] or the
//! first quiet moment after it, the kiosk reads its configuration and the county catalog
//! again from disk (where the county's deployment tools put new versions).
//!
//! - Unchanged: nothing happens.
//! - Changed and valid: the kiosk exits with the restart status and systemd starts it again
//!   on the new catalog, at an hour when nobody is served. A restart rather than a swap in
//!   place, so every screen, the search index and the devices start from one consistent
//!   configuration, and the night's restart also returns memory to a clean state.
//! - Invalid (a half-copied or broken file): the kiosk keeps serving on the catalog it has,
//!   and says why in the log and on the maintenance menu's 最近事件 page. A bad push never
//!   takes a terminal down.
//!
//! Only on the attract screen with the menu closed, so nobody's matter is cut short.

use std::path::Path;

use kiosk_core::clock::BeijingTime;
use kiosk_core::setup::Setup;

/// When the refresh is due: 03:00 Beijing time, as minutes after midnight.
pub const REFRESH_MINUTE: i64 = 3 * 60;

/// What reading the files again found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refresh {
    /// The same configuration and catalog as running.
    Unchanged,
    /// A valid new configuration or catalog: restart onto it.
    Changed {
        /// The running catalog's version.
        from: String,
        /// The version on disk.
        to: String,
    },
    /// The files on disk do not load; the running catalog stays.
    Invalid(String),
}

/// Once-a-day scheduling of the refresh. Exists so "once per Beijing day, not before 03:00,
/// only when quiet" is a unit test.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    done_day: Option<i64>,
}

impl Schedule {
    /// A schedule that counts the day the kiosk started as done when it started after the
    /// refresh time (it has just loaded the files).
    pub fn starting_at(now_unix: i64) -> Schedule {
        let (day, minute) = day_and_minute(now_unix);
        Schedule {
            done_day: (minute >= REFRESH_MINUTE).then_some(day),
        }
    }

    /// Whether to refresh now: past [`REFRESH_MINUTE`] on a day not yet done, and `quiet`.
    /// Marks the day done when it says yes.
    pub fn due(&mut self, now_unix: i64, quiet: bool) -> bool {
        let (day, minute) = day_and_minute(now_unix);
        if !quiet || minute < REFRESH_MINUTE || self.done_day == Some(day) {
            return false;
        }
        self.done_day = Some(day);
        true
    }
}

fn day_and_minute(now_unix: i64) -> (i64, i64) {
    let local = now_unix + 8 * 3600;
    (local.div_euclid(86_400), local.rem_euclid(86_400) / 60)
}

/// Loads `config` again and compares it with what `running` was built from.
pub fn check(config: &Path, running: &Setup) -> Refresh {
    match crate::config::load(config) {
        Err(e) => Refresh::Invalid(e.to_string()),
        Ok(fresh) if fresh.catalog == running.catalog && fresh.terminal == running.terminal => {
            Refresh::Unchanged
        }
        Ok(fresh) => Refresh::Changed {
            from: running.catalog.version.clone(),
            to: fresh.catalog.version,
        },
    }
}

/// The Beijing date of `now_unix`, for log lines.
pub fn date(now_unix: i64) -> String {
    BeijingTime::from_unix(now_unix).display()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    // 2026-11-23 00:00 Beijing = 2026-11-22 16:00 UTC
    const MIDNIGHT: i64 = 1_795_363_200;

    #[test]
    fn once_a_day_after_three_and_only_when_quiet() {
        let mut s = Schedule::starting_at(MIDNIGHT + 3600); // started at 01:00
        assert!(!s.due(MIDNIGHT + 2 * 3600, true), "not before 03:00");
        assert!(
            !s.due(MIDNIGHT + 3 * 3600, false),
            "not while someone is served"
        );
        assert!(s.due(MIDNIGHT + 3 * 3600 + 60, true));
        assert!(!s.due(MIDNIGHT + 4 * 3600, true), "once a day");
        assert!(s.due(MIDNIGHT + 86_400 + 3 * 3600, true), "the next night");
    }

    #[test]
    fn a_kiosk_started_in_the_day_waits_for_the_next_night() {
        let mut s = Schedule::starting_at(MIDNIGHT + 10 * 3600);
        assert!(!s.due(MIDNIGHT + 11 * 3600, true));
        assert!(s.due(MIDNIGHT + 86_400 + 3 * 3600, true));
    }

    #[test]
    fn the_files_decide_unchanged_changed_or_invalid() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let demo = repo.join("config/kiosk.toml");
        let running = crate::config::load(&demo).unwrap();
        assert_eq!(check(&demo, &running), Refresh::Unchanged);

        let dir = tempfile::tempdir().unwrap();
        let catalog = repo.join("config/matters.toml").canonicalize().unwrap();
        let text = std::fs::read_to_string(&demo)
            .unwrap()
            .replace(
                "catalog = \"matters.toml\"",
                &format!("catalog = \"{}\"", catalog.display()),
            )
            .replace("dir = \"../var\"", "dir = \"../var-other\"");
        let moved = dir.path().join("kiosk.toml");
        std::fs::write(&moved, &text).unwrap();
        assert!(matches!(check(&moved, &running), Refresh::Changed { .. }));

        // a push cut off in the middle of a line
        let cut = text.find("idle_timeout_secs").unwrap() + 12;
        std::fs::write(&moved, &text[..cut]).unwrap();
        assert!(matches!(check(&moved, &running), Refresh::Invalid(_)));
        assert!(matches!(
            check(&dir.path().join("missing.toml"), &running),
            Refresh::Invalid(_)
        ));
    }
}
