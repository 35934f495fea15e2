//! Hotplug: which document cameras came and went, by comparing successive scans.
//!
//! [`HotplugTracker`] is the pure part: it takes the list of devices found now and returns
//! `Added` / `Removed` events against the previous list. A device is the same device while its
//! node, port and USB device number stay the same; the kernel gives a replugged camera a new
//! device number, so a replug between two scans still shows as removed + added.
//!
//! [`Watcher`] polls sysfs on its own thread (every 500 ms by default) and sends the events on
//! a channel. Polling is portable, needs no libudev, no netlink socket and no `unsafe`, and a
//! few `readdir`s twice a second cost nothing next to a camera stream. The driver runs the same
//! tracker inline ([`crate::driver`]).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::discovery::{Sysfs, VideoDevice};

/// A change in the set of document cameras.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HotplugEvent {
    /// A camera appeared (or was there at the first scan).
    Added(VideoDevice),
    /// A camera went away.
    Removed(VideoDevice),
}

type Key = (String, String, u32, u32);

fn key(d: &VideoDevice) -> Key {
    (d.sys_name.clone(), d.usb_path.clone(), d.bus, d.devnum)
}

/// Turns successive scans into events.
#[derive(Debug, Default, Clone)]
pub struct HotplugTracker {
    known: BTreeMap<Key, VideoDevice>,
}

impl HotplugTracker {
    /// A tracker that has seen nothing yet (the first update reports every device as added).
    pub fn new() -> Self {
        Self::default()
    }

    /// The devices as of the last update.
    pub fn devices(&self) -> impl Iterator<Item = &VideoDevice> {
        self.known.values()
    }

    /// Whether `device` is present as of the last update.
    pub fn contains(&self, device: &VideoDevice) -> bool {
        self.known.contains_key(&key(device))
    }

    /// Takes the devices found now; returns what was removed (first) and added since the last
    /// update, each in node order.
    pub fn update(&mut self, now: Vec<VideoDevice>) -> Vec<HotplugEvent> {
        let mut next: BTreeMap<Key, VideoDevice> = now.into_iter().map(|d| (key(&d), d)).collect();
        let mut events = Vec::new();
        for (k, d) in &self.known {
            if !next.contains_key(k) {
                events.push(HotplugEvent::Removed(d.clone()));
            }
        }
        for (k, d) in &next {
            if !self.known.contains_key(k) {
                events.push(HotplugEvent::Added(d.clone()));
            }
        }
        std::mem::swap(&mut self.known, &mut next);
        events
    }
}

/// A thread that polls sysfs and reports cameras plugged in and out; stops when dropped.
pub struct Watcher {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Default time between scans.
pub const DEFAULT_POLL: Duration = Duration::from_millis(500);

impl Watcher {
    /// Starts watching; the first scan reports the cameras already present as `Added`. A scan
    /// that fails (sysfs unreadable) is skipped, not reported as everything removed.
    pub fn spawn(sysfs: Sysfs, interval: Duration) -> (Watcher, Receiver<HotplugEvent>) {
        let (tx, rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::Builder::new()
            .name("scanner-hotplug".into())
            .spawn(move || {
                let mut tracker = HotplugTracker::new();
                while !stopped.load(Ordering::Relaxed) {
                    if let Ok(found) = sysfs.find() {
                        for event in tracker.update(found) {
                            if tx.send(event).is_err() {
                                return;
                            }
                        }
                    }
                    let until = Instant::now() + interval;
                    while !stopped.load(Ordering::Relaxed) && Instant::now() < until {
                        std::thread::sleep(
                            until
                                .saturating_duration_since(Instant::now())
                                .min(Duration::from_millis(20)),
                        );
                    }
                }
            })
            .ok();
        (Watcher { stop, thread }, rx)
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
