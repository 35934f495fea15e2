//! Shared set-up for the driver tests: the real driver against the simulated pad over an
//! in-memory duplex, and waits that end as soon as what they wait for happens (the 10 s
//! limit only turns a hang into a failure; no test asserts how long anything took).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use rating::driver::{Driver, DriverConfig};
use rating::sim::{DuplexPlug, SimHandle};
use rating::{Health, PadEvent, SessionConfig};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedReceiver;

/// Faster timing so the tests run quickly: ping 100 ms, fault after 300 ms.
pub fn fast_config() -> DriverConfig {
    DriverConfig {
        session: SessionConfig {
            ping_interval: Duration::from_millis(100),
            fault_after: Duration::from_millis(300),
            ack_timeout: Duration::from_millis(100),
            ..SessionConfig::default()
        },
        reconnect_interval: Duration::from_millis(50),
        ..DriverConfig::default()
    }
}

/// The real driver against a simulated pad that can be unplugged and plugged back in.
pub struct Bench {
    pub sim: SimHandle,
    plug: DuplexPlug,
    pub driver: Driver,
    pub events: UnboundedReceiver<PadEvent>,
}

impl Bench {
    /// The real driver against a fresh simulated pad, connected; waits until it is Ready.
    pub fn new() -> Self {
        let sim = SimHandle::new();
        let plug = DuplexPlug::new(sim.clone());
        let (driver, events) = Driver::spawn(plug.opener(), fast_config());
        let mut bench = Bench {
            sim,
            plug,
            driver,
            events,
        };
        bench.wait_for("Ready", is_health(Health::Ready));
        bench
    }

    pub fn unplug(&self) {
        self.plug.unplug();
    }

    pub fn plug(&self) {
        self.plug.plug();
    }

    /// Waits for an event matching `want`; returns it and the events before it.
    pub fn wait_for(
        &mut self,
        what: &str,
        want: impl Fn(&PadEvent) -> bool,
    ) -> (PadEvent, Vec<PadEvent>) {
        wait_for(&mut self.events, what, want)
    }
}

/// Waits on `events` for one matching `want`; returns it and the events that came before.
pub fn wait_for(
    events: &mut UnboundedReceiver<PadEvent>,
    what: &str,
    want: impl Fn(&PadEvent) -> bool,
) -> (PadEvent, Vec<PadEvent>) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        match events.try_recv() {
            Ok(e) if want(&e) => return (e, seen),
            Ok(e) => seen.push(e),
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    panic!("no {what}; saw {seen:?}");
}

/// Waits until `cond` holds (a state the simulator records), polling.
pub fn wait_until(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if cond() {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("never: {what}");
}

pub fn is_health(h: Health) -> impl Fn(&PadEvent) -> bool {
    move |e| *e == PadEvent::Health(h)
}

pub fn is_key(e: &PadEvent) -> bool {
    matches!(e, PadEvent::Key { .. })
}
