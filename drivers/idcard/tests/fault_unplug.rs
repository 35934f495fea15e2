//! Fault class: the reader is unplugged and plugged back in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use idcard::driver::{DeviceState, ReaderEvent};

#[test]
fn unplugging_removes_the_card_and_replugging_reconnects() {
    let mut bench = Bench::new();
    bench.sim.place_card(resident_card());
    bench.wait_for("the card", is_presented);
    bench.unplug();
    bench.wait_for("the card gone with the reader", is_removed);
    bench.wait_for("Disconnected", |e| {
        *e == ReaderEvent::State(DeviceState::Disconnected)
    });
    bench.plug();
    bench.wait_for("Ready", |e| *e == ReaderEvent::State(DeviceState::Ready));
    bench.wait_for("the card read afresh", is_presented);
    assert_eq!(bench.driver.counters().reconnects, 1);
}
