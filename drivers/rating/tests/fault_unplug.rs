//! Fault class: the pad's cable is pulled and plugged back in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use rating::Health;
use rating::message::{Leds, Level};

#[test]
fn unplugging_is_a_fault_and_replugging_reconnects_with_the_leds_restored() {
    let mut bench = Bench::new();
    bench.unplug();
    bench.wait_for("Fault", is_health(Health::Fault));
    // asked while unplugged: the LEDs are kept and shown once the pad is back (queued
    // prompts are dropped on a reconnect: host_session.rs, without this test's race between
    // the command and the replug)
    bench.driver.set_leds(Leds::ALL_ON);
    bench.plug();
    bench.wait_for("Ready", is_health(Health::Ready));
    wait_until("the LEDs restored", || bench.sim.leds() == Leds::ALL_ON);
    assert_eq!(bench.driver.counters().reconnects, 1);
    bench.sim.press(Level::VerySatisfied);
    bench.wait_for("a press after the reconnect", is_key);
}
