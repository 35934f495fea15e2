//! Fault class: a reply arrives with a corrupted checksum.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use idcard::driver::{DeviceState, ReaderEvent};

#[test]
fn a_corrupted_reply_is_counted_and_the_card_still_read() {
    let mut bench = Bench::new();
    bench.wait_for("Ready", |e| *e == ReaderEvent::State(DeviceState::Ready));
    bench.sim.place_card(resident_card());
    bench.sim.corrupt_next_reply();
    bench.wait_for("the card", is_presented);
    assert!(bench.driver.counters().checksum_errors >= 1);
}
