//! Fault class: damaged frames (corrupt, truncated): dropped and counted while the preview
//! goes on; a run of them is a fault, the camera is reopened, and a good frame clears it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use scanner::driver::ScannerEvent;
use scanner::sim::FrameFault;
use scanner::{FaultKind, Health};

#[test]
fn a_few_damaged_frames_are_dropped_and_counted() {
    let mut bench = Bench::new();
    bench.driver.preview(true);
    bench.next_preview();
    bench.sim.inject(FrameFault::Corrupt);
    bench.sim.inject(FrameFault::MissingDht);
    bench.sim.inject(FrameFault::Truncated);
    wait_until("two damaged frames counted", || {
        bench.driver.counters().errors >= 2
    });
    for _ in 0..3 {
        bench.next_preview().check().unwrap();
    }
    let counters = bench.driver.counters();
    assert_eq!(counters.errors, 2, "{counters:?}");
    assert!(counters.dht_inserted >= 1, "{counters:?}");
    assert_eq!(bench.driver.health(), Health::Ready);
    assert!(
        !bench
            .seen
            .iter()
            .any(|e| matches!(e, ScannerEvent::Health(Health::Fault(_))))
    );
}

#[test]
fn a_run_of_damaged_frames_is_a_fault_until_a_good_frame() {
    let mut bench = Bench::new();
    bench.driver.preview(true);
    bench.next_preview();
    // more than bad_frames_fault (3) in a row, and more after the reopen
    for _ in 0..5 {
        bench.sim.inject(FrameFault::Truncated);
    }
    bench.wait_for("the fault", is_health(Health::Fault(FaultKind::BadFrames)));
    bench.wait_for("reopened", is_connected);
    bench.wait_for("Ready after a good frame", is_health(Health::Ready));
    let counters = bench.driver.counters();
    assert!(counters.errors >= 5, "{counters:?}");
    assert_eq!(counters.reconnects, 1, "{counters:?}");
    bench.next_preview().check().unwrap();
}

#[test]
fn a_still_skips_damaged_frames() {
    let mut bench = Bench::new();
    bench.sim.inject(FrameFault::Corrupt);
    bench.sim.inject(FrameFault::Truncated);
    let ScannerEvent::Captured { frame, .. } = bench.capture() else {
        panic!("no still: {:?}", bench.seen);
    };
    frame.to_rgb8().unwrap();
    assert_eq!(bench.driver.counters().errors, 2);
}
