//! The real driver against the simulator: a card placed is presented once, removed once,
//! every layout, and the same over a pseudo-terminal at 115200 baud.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use idcard::device::{ScriptedCard, samples};
use idcard::driver::{DeviceState, Driver, ReaderEvent, serial_opener};
use idcard::sim::{SimHandle, SimThread, open_pty};
use std::time::Duration;

#[test]
fn a_placed_card_is_presented_once_and_its_removal_reported() {
    let mut bench = Bench::new();
    bench.wait_for("Ready", |e| *e == ReaderEvent::State(DeviceState::Ready));
    bench.sim.place_card(resident_card());
    bench.wait_for("the card", is_presented);
    // it stays on the reader: re-reads do not present it again
    let later = bench.drain(Duration::from_millis(300));
    assert!(!later.iter().any(is_presented), "{later:?}");
    bench.sim.remove_card();
    bench.wait_for("the removal", is_removed);
    assert!(bench.driver.counters().reads_ok >= 2);
}

#[test]
fn every_card_layout_is_read_through_the_driver() {
    let mut bench = Bench::new();
    for text in samples::all() {
        bench.sim.place_card(ScriptedCard::new(&text).unwrap());
        match bench.wait_for("the card", is_presented) {
            ReaderEvent::CardPresented(card) => {
                assert_eq!(card.card_type(), text.card_type());
                assert_eq!(card.text.number().reveal(), text.number().reveal());
            }
            other => panic!("{other:?}"),
        }
        bench.sim.remove_card();
        bench.wait_for("the removal", is_removed);
    }
}

#[test]
fn host_and_simulator_talk_over_a_pty() {
    let pty = open_pty().unwrap();
    let sim = SimHandle::new();
    let _serving = SimThread::spawn(Box::new(pty.master), sim.clone()).unwrap();
    let (driver, mut events) =
        Driver::spawn(serial_opener(pty.path.clone(), 115_200), fast_config());
    wait_for(&mut events, "Ready", |e| {
        *e == ReaderEvent::State(DeviceState::Ready)
    });
    sim.place_card(resident_card());
    match wait_for(&mut events, "the card over the pty", is_presented) {
        ReaderEvent::CardPresented(card) => {
            assert_eq!(
                card.text.number().reveal(),
                samples::resident().number().reveal()
            );
        }
        other => panic!("{other:?}"),
    }
    sim.remove_card();
    wait_for(&mut events, "the removal", is_removed);
    assert_eq!(driver.counters().checksum_errors, 0);
}

#[test]
fn a_new_card_is_announced_before_its_read_completes() {
    let mut bench = Bench::new();
    bench.wait_for("Ready", |e| *e == ReaderEvent::State(DeviceState::Ready));
    bench.sim.place_card(resident_card());
    bench.wait_for("the detection", |e| *e == ReaderEvent::CardDetected);
    bench.wait_for("the card", is_presented);
    // a card that stays is not announced again
    let later = bench.drain(Duration::from_millis(300));
    assert!(!later.contains(&ReaderEvent::CardDetected), "{later:?}");
}
