//! Fault class: the SAM fails its self-test (`60`) or is not authorised (`66`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use idcard::Status;
use idcard::driver::{DeviceState, ReaderEvent};

#[test]
fn sam_failures_put_the_reader_in_fault_and_it_recovers() {
    let mut bench = Bench::new();
    bench.wait_for("Ready", |e| *e == ReaderEvent::State(DeviceState::Ready));
    for status in [Status::SamSelfTestFailed, Status::SamNotAuthorised] {
        bench.sim.set_sam_fault(Some(status));
        bench.wait_for("the fault", |e| {
            *e == ReaderEvent::State(DeviceState::Fault(status))
        });
        bench.sim.set_sam_fault(None);
        bench.wait_for("Ready again", |e| {
            *e == ReaderEvent::State(DeviceState::Ready)
        });
    }
    bench.sim.place_card(resident_card());
    bench.wait_for("the card", is_presented);
}
