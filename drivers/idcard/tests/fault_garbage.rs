//! Fault class: garbage bytes on the line before a reply.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use idcard::driver::{DeviceState, ReaderEvent};

#[test]
fn garbage_before_replies_is_skipped() {
    let mut bench = Bench::new();
    bench.wait_for("Ready", |e| *e == ReaderEvent::State(DeviceState::Ready));
    bench.sim.place_card(resident_card());
    for _ in 0..3 {
        bench.sim.garbage_before_next_reply();
    }
    bench.wait_for("the card", is_presented);
    assert_eq!(bench.driver.counters().checksum_errors, 0);
}
