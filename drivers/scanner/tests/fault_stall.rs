//! Fault class: the stream stalls (a hung camera firmware): a fault, a reopen, and Ready again
//! once frames flow; a still that gets no frame fails with a timeout.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use scanner::driver::ScannerEvent;
use scanner::{CameraError, FaultKind, Health};

#[test]
fn a_stalled_preview_is_a_fault_until_frames_come_back() {
    let mut bench = Bench::new();
    bench.driver.preview(true);
    bench.next_preview();
    bench.sim.set_stalled(true);
    bench.wait_for("the stall", is_health(Health::Fault(FaultKind::Stalled)));
    assert!(bench.driver.counters().stalls >= 1);
    // reopened while still stalled: stays a fault
    bench.wait_for("reopened", is_connected);
    assert_eq!(bench.driver.health(), Health::Fault(FaultKind::Stalled));
    bench.sim.set_stalled(false);
    bench.wait_for("Ready", is_health(Health::Ready));
    bench.next_preview();
}

#[test]
fn a_still_without_frames_times_out() {
    let mut config = fast_config();
    config.capture_timeout = Duration::from_millis(300);
    let mut bench = Bench::with(small_sim(), config);
    bench.sim.set_stalled(true);
    let ScannerEvent::CaptureFailed { error, .. } = bench.capture() else {
        panic!("a still from a stalled camera");
    };
    assert_eq!(error, CameraError::Timeout(Duration::from_millis(300)));
    bench.wait_for("the stall", is_health(Health::Fault(FaultKind::Stalled)));
    bench.sim.set_stalled(false);
    bench.wait_for("Ready", is_health(Health::Ready));
    let ScannerEvent::Captured { .. } = bench.capture() else {
        panic!("no still after the stall");
    };
}
