//! Fault class: the card is pulled while its data is on the wire.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use idcard::driver::{DeviceState, ReaderEvent};
use std::time::Duration;

#[test]
fn a_card_pulled_mid_read_is_never_presented_and_the_next_placement_reads() {
    let mut bench = Bench::new();
    bench.wait_for("Ready", |e| *e == ReaderEvent::State(DeviceState::Ready));
    bench.sim.pull_card_mid_read();
    bench.sim.place_card(resident_card());
    // the read waits its full timeout (2 s for `30 01`, fact sheet §10) for the rest
    let seen = bench.drain(Duration::from_millis(2500));
    assert!(
        !seen.iter().any(is_presented),
        "half a card is no card: {seen:?}"
    );
    assert!(!bench.sim.card_present());
    assert!(
        bench.driver.counters().timeouts >= 1,
        "the half frame timed out"
    );
    bench.sim.place_card(resident_card());
    bench.wait_for("the card placed again", is_presented);
}
