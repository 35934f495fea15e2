//! Shared set-up for the driver tests: the real driver against the simulator over an
//! in-memory duplex (or a pty), and a way to wait for events.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use idcard::device::{ScriptedCard, samples};
use idcard::driver::{Driver, DriverConfig, ReaderEvent};
use idcard::sim::{DuplexPlug, SimHandle};
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
    plug: DuplexPlug,
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
        let plug = DuplexPlug::new(sim.clone());
        let (driver, events) = Driver::spawn(plug.opener(), config);
        Bench {
            sim,
            plug,
            driver,
            events,
        }
    }

    /// Pulls the cable: the simulator stops and the port cannot be reopened.
    pub fn unplug(&self) {
        self.plug.unplug();
    }

    /// Plugs the reader back in.
    pub fn plug(&self) {
        self.plug.plug();
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
