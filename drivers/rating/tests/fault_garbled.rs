//! Fault class: a frame from the pad arrives damaged (bad CRC).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use rating::PadEvent;
use rating::message::Level;

#[test]
fn a_garbled_key_is_counted_ignored_and_its_press_still_counted_once() {
    let mut bench = Bench::new();
    bench.sim.garble_next_frame();
    bench.sim.press(Level::Dissatisfied);
    // the damaged KEY is NAKed and sent again (or resent after 250 ms without an ACK)
    let (event, _) = bench.wait_for("the press", is_key);
    assert_eq!(
        event,
        PadEvent::Key {
            level: Level::Dissatisfied
        }
    );
    let counters = bench.driver.counters();
    assert!(counters.bad_frames >= 1, "{counters:?}");
    assert!(counters.naks_sent >= 1, "{counters:?}");
    // a second press proves no second report of the first was on its way
    bench.sim.press(Level::Satisfied);
    let (_, before) = bench.wait_for("the next press", |e| {
        *e == PadEvent::Key {
            level: Level::Satisfied,
        }
    });
    assert!(!before.iter().any(is_key), "{before:?}");
    assert_eq!(bench.driver.counters().keys, 2);
}

#[test]
fn a_garbled_status_is_counted_and_the_pad_stays_ready() {
    let mut bench = Bench::new();
    let before = bench.driver.counters().bad_frames;
    // the next frame out is the answer to a ping
    bench.sim.garble_next_frame();
    wait_until("the bad frame counted", || {
        bench.driver.counters().bad_frames > before
    });
    bench.sim.press(Level::VerySatisfied);
    let (_, seen) = bench.wait_for("a press", is_key);
    assert!(
        !seen.iter().any(|e| matches!(e, PadEvent::Health(_))),
        "{seen:?}"
    );
}
