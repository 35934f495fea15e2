//! Fault class: the pad stops answering (hung firmware), then answers again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use rating::message::Level;
use rating::{Health, PadEvent};

#[test]
fn a_silent_pad_is_a_fault_then_ready_again() {
    let mut bench = Bench::new();
    bench.sim.set_silent(true);
    bench.wait_for("Fault", is_health(Health::Fault));
    bench.sim.set_silent(false);
    bench.wait_for("Ready again", is_health(Health::Ready));
    // silence is not a lost link: the port stays open
    assert_eq!(bench.driver.counters().reconnects, 0);
    bench.sim.press(Level::Acceptable);
    let (event, _) = bench.wait_for("a press after the silence", is_key);
    assert_eq!(
        event,
        PadEvent::Key {
            level: Level::Acceptable
        }
    );
}
