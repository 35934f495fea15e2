//! Fault class: the device stops answering, then answers again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use idcard::driver::{DeviceState, ReaderEvent};

#[test]
fn a_silent_device_is_disconnected_and_recovers_by_itself() {
    let mut bench = Bench::new();
    bench.wait_for("Ready", |e| *e == ReaderEvent::State(DeviceState::Ready));
    bench.sim.place_card(resident_card());
    bench.wait_for("the card", is_presented);
    bench.sim.set_silent(true);
    bench.wait_for("Disconnected", |e| {
        *e == ReaderEvent::State(DeviceState::Disconnected)
    });
    assert!(bench.driver.counters().timeouts >= 3);
    bench.sim.set_silent(false);
    bench.wait_for("Ready again", |e| {
        *e == ReaderEvent::State(DeviceState::Ready)
    });
    // the card left on the reader is read afresh after the reconnect
    bench.wait_for("the card again", is_presented);
    assert!(bench.driver.counters().reconnects >= 1);
}
