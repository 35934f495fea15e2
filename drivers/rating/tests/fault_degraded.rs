//! Fault class: the pad reports fault bits (speaker, LED, …) while it still takes ratings.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use rating::message::{Faults, Level};
use rating::{Health, PadEvent};

#[test]
fn fault_bits_make_the_pad_degraded_and_clearing_them_ready() {
    let mut bench = Bench::new();
    bench.sim.set_faults(Faults::SPEAKER);
    bench.wait_for("Degraded", is_health(Health::Degraded(Faults::SPEAKER)));
    // a degraded pad still takes ratings
    bench.sim.press(Level::Satisfied);
    let (event, _) = bench.wait_for("a press", is_key);
    assert_eq!(
        event,
        PadEvent::Key {
            level: Level::Satisfied
        }
    );
    bench.sim.set_faults(Faults::NONE);
    bench.wait_for("Ready", is_health(Health::Ready));
}
