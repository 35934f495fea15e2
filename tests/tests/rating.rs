//! The rating pad across processes: `kiosk sim rating --pty` in one process, driven by its
//! control lines and printing what the host makes it do, and the real `rating` driver in
//! this one, over the pseudo-terminal at 9600 baud.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use kiosk_e2e::PtySimulator;
use rating::driver::{DEFAULT_BAUD, Driver, DriverConfig, PadEvents, serial_opener};
use rating::{Faults, Health, Leds, Level, PadEvent, Prompt, SessionConfig};

/// Waits for an event matching `want`; returns the events before it. The 20 s limit only
/// turns a hang into a failure.
fn wait_for(events: &mut PadEvents, what: &str, want: impl Fn(&PadEvent) -> bool) -> Vec<PadEvent> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        match events.try_recv() {
            Ok(e) if want(&e) => return seen,
            Ok(e) => seen.push(e),
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    panic!("no {what}; saw {seen:?}");
}

fn key(level: Level) -> impl Fn(&PadEvent) -> bool {
    move |e| *e == PadEvent::Key { level }
}

fn health(h: Health) -> impl Fn(&PadEvent) -> bool {
    move |e| *e == PadEvent::Health(h)
}

#[test]
fn the_driver_and_the_simulator_process_talk_over_a_pty() {
    let mut sim = PtySimulator::start(&["sim", "rating", "--pty"]);
    assert!(sim.path.starts_with("/dev/"), "pty path: {}", sim.path);
    let config = DriverConfig {
        session: SessionConfig {
            ping_interval: Duration::from_millis(200),
            fault_after: Duration::from_millis(600),
            ..SessionConfig::default()
        },
        ..DriverConfig::default()
    };
    let (driver, mut events) = Driver::spawn(serial_opener(sim.path.clone(), DEFAULT_BAUD), config);
    wait_for(&mut events, "Ready", health(Health::Ready));

    // what the kiosk asks, the simulator prints
    driver.set_leds(Leds::ALL_ON);
    driver.play(Prompt::PleaseRate);
    assert_eq!(sim.read_line(), "leds on=5,4,3,2,1 blink=-");
    assert_eq!(sim.read_line(), "prompt please-rate 请对本次服务进行评价");

    // a press, and a press whose frame arrives four times, each reported once
    sim.send("press 4");
    wait_for(&mut events, "the press", key(Level::Satisfied));
    sim.send("repeat 5 3");
    sim.send("press 1");
    let before = wait_for(&mut events, "the last press", key(Level::VeryDissatisfied));
    let fives = before
        .iter()
        .filter(|e| key(Level::VerySatisfied)(e))
        .count();
    assert_eq!(fives, 1, "{before:?}");

    // a garbled frame is counted and the pad carries on
    sim.send("garble");
    sim.send("press 3");
    wait_for(
        &mut events,
        "a press after a garbled frame",
        key(Level::Acceptable),
    );

    // a fault bit, then silence
    sim.send("fault on");
    wait_for(
        &mut events,
        "Degraded",
        health(Health::Degraded(Faults::SPEAKER)),
    );
    sim.send("fault off");
    wait_for(&mut events, "Ready", health(Health::Ready));
    sim.send("silent on");
    wait_for(&mut events, "Fault", health(Health::Fault));
    sim.send("silent off");
    wait_for(&mut events, "Ready again", health(Health::Ready));

    driver.set_leds(Leds::OFF);
    assert_eq!(sim.read_line(), "leds off");
    let counters = driver.counters();
    assert_eq!(counters.keys, 4, "{counters:?}");
    assert!(counters.duplicate_keys >= 3, "{counters:?}");
    assert!(counters.bad_frames >= 1, "{counters:?}");
}
