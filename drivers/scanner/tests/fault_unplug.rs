//! Fault class: the camera's cable is pulled and plugged back in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use scanner::driver::ScannerEvent;
use scanner::{CameraError, Health};

#[test]
fn unplugging_disconnects_and_replugging_reopens_with_the_light_restored() {
    let mut bench = Bench::new();
    bench.driver.set_light(true);
    bench.driver.preview(true);
    wait_until("the light on", || bench.sim.light());
    bench.next_preview();

    bench.sim.unplug();
    bench.wait_for("Disconnected", is_health(Health::Disconnected));
    assert!(bench.preview.borrow().is_none(), "no stale preview frame");
    // asked while unplugged: fails at once, not silently later
    let ScannerEvent::CaptureFailed { error, .. } = bench.capture() else {
        panic!("a capture while unplugged succeeded");
    };
    assert!(error.is_disconnect(), "{error:?}");

    bench.sim.plug();
    assert!(!bench.sim.light(), "a replugged camera starts dark");
    bench.wait_for("the camera described again", is_connected);
    bench.wait_for("Ready", is_health(Health::Ready));
    wait_until("the light restored", || bench.sim.light());
    assert_eq!(bench.driver.counters().reconnects, 1);
    let frame = bench.next_preview();
    frame.check().unwrap();
    let ScannerEvent::Captured { .. } = bench.capture() else {
        panic!("no still after the reconnect");
    };
}

#[test]
fn unplugging_during_a_still_fails_that_still() {
    let mut bench = Bench::new();
    // nothing arrives while the still waits: the unplug lands inside it
    bench.sim.set_stalled(true);
    let id = bench.driver.capture();
    bench.wait_for("Busy", is_health(Health::Busy));
    bench.sim.unplug();
    let (event, _) = bench.wait_for("the failure", |e| {
        matches!(e, ScannerEvent::CaptureFailed { .. })
    });
    assert_eq!(
        event,
        ScannerEvent::CaptureFailed {
            id,
            error: CameraError::Disconnected
        }
    );
    bench.wait_for("Disconnected", is_health(Health::Disconnected));
    bench.sim.set_stalled(false);
    bench.sim.plug();
    bench.wait_for("Ready", is_health(Health::Ready));
}

#[test]
fn repeated_unplugs_count_each_reconnect() {
    let mut bench = Bench::new();
    for n in 1..=3 {
        bench.sim.unplug();
        bench.wait_for("Disconnected", is_health(Health::Disconnected));
        bench.sim.plug();
        bench.wait_for("Ready", is_health(Health::Ready));
        assert_eq!(bench.driver.counters().reconnects, n);
    }
    assert_eq!(bench.sim.stats().opens, 4);
}
