//! Fault class: a slow device — slower than the wire, but within the command timeouts, and
//! then slower than them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use idcard::driver::{DeviceState, ReaderEvent};
use std::time::Duration;

#[test]
fn a_slow_device_within_the_timeouts_still_reads() {
    let mut bench = Bench::new();
    bench.sim.set_delay(Duration::from_millis(60));
    bench.sim.place_card(resident_card());
    bench.wait_for("the card", is_presented);
    assert_eq!(bench.driver.counters().timeouts, 0);
}

#[test]
fn a_device_slower_than_the_timeouts_is_dropped_and_counted() {
    let mut bench = Bench::new();
    bench.wait_for("Ready", |e| *e == ReaderEvent::State(DeviceState::Ready));
    bench.sim.set_delay(Duration::from_millis(400));
    bench.wait_for("Disconnected", |e| {
        *e == ReaderEvent::State(DeviceState::Disconnected)
    });
    assert!(bench.driver.counters().timeouts >= 3);
}
