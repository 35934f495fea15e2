//! Shared set-up for the driver tests: the real driver against the simulator over an
//! in-memory duplex (or a pty), and a way to wait for events.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use idcard::device::{ScriptedCard, samples};
use idcard::driver::{Driver, DriverConfig, Opener, ReaderEvent};
use idcard::link::{Link, duplex};
use idcard::sim::{SimHandle, SimThread};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedReceiver;

/// Fast polling so tests run quickly.
pub fn fast_config() -> DriverConfig {
    DriverConfig {
        poll_interval: Duration::from_millis(20),
        reconnect_interval: Duration::from_millis(50),
        ..DriverConfig::default()
    }
}

/// A simulated reader that can be unplugged and plugged back in.
pub struct Bench {
    pub sim: SimHandle,
    pub plugged: Arc<Mutex<bool>>,
    threads: Arc<Mutex<Vec<SimThread>>>,
    pub driver: Driver,
    pub events: UnboundedReceiver<ReaderEvent>,
}

impl Bench {
    /// The real driver against a fresh simulator, connected.
    pub fn new() -> Self {
        Self::with_config(fast_config())
    }

    pub fn with_config(config: DriverConfig) -> Self {
        let sim = SimHandle::new();
        let plugged = Arc::new(Mutex::new(true));
        let threads = Arc::new(Mutex::new(Vec::new()));
        let opener: Opener = {
            let (sim, plugged, threads) = (sim.clone(), plugged.clone(), threads.clone());
            Box::new(move || {
                if !*plugged.lock().unwrap() {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        "unplugged",
                    ));
                }
                let (host, device) = duplex();
                let thread = SimThread::spawn(Box::new(device), sim.clone())?;
                threads.lock().unwrap().push(thread);
                Ok(Box::new(host) as Box<dyn Link>)
            })
        };
        let (driver, events) = Driver::spawn(opener, config);
        Bench {
            sim,
            plugged,
            threads,
            driver,
            events,
        }
    }

    /// Pulls the cable: the simulator stops and the port cannot be reopened.
    pub fn unplug(&self) {
        *self.plugged.lock().unwrap() = false;
        for t in self.threads.lock().unwrap().drain(..) {
            t.unplug();
        }
    }

    /// Plugs the reader back in.
    pub fn plug(&self) {
        *self.plugged.lock().unwrap() = true;
    }

    /// Waits up to 5 s for an event matching `want` and returns it.
    pub fn wait_for(&mut self, what: &str, want: impl Fn(&ReaderEvent) -> bool) -> ReaderEvent {
        wait_for(&mut self.events, what, want)
    }

    /// The events that arrive within `window`.
    pub fn drain(&mut self, window: Duration) -> Vec<ReaderEvent> {
        let until = Instant::now() + window;
        let mut seen = Vec::new();
        while Instant::now() < until {
            match self.events.try_recv() {
                Ok(e) => seen.push(e),
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
        seen
    }
}

/// Waits up to 5 s on `events` for one matching `want` and returns it; panics naming
/// `what` (and what came instead) otherwise.
pub fn wait_for(
    events: &mut UnboundedReceiver<ReaderEvent>,
    what: &str,
    want: impl Fn(&ReaderEvent) -> bool,
) -> ReaderEvent {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        match events.try_recv() {
            Ok(e) if want(&e) => return e,
            Ok(e) => seen.push(e),
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    panic!("no {what} within 5 s; saw {seen:?}");
}

/// The sample resident card as the simulator scripts it.
pub fn resident_card() -> ScriptedCard {
    ScriptedCard::new(&samples::resident()).unwrap()
}

pub fn is_presented(e: &ReaderEvent) -> bool {
    matches!(e, ReaderEvent::CardPresented(_))
}

pub fn is_removed(e: &ReaderEvent) -> bool {
    matches!(e, ReaderEvent::CardRemoved)
}
