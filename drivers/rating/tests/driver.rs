//! The real driver against the simulated pad: a press reported once (even when its frame
//! arrives four times), LEDs and prompts reaching the pad, the version, and the same over a
//! pseudo-terminal at 9600 baud.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use rating::device::PadChange;
use rating::driver::{DEFAULT_BAUD, Driver, serial_opener};
use rating::message::{Leds, Level, Prompt, Version};
use rating::sim::{SimHandle, SimThread, open_pty};
use rating::{Health, PadEvent};

#[test]
fn a_press_is_reported_once_even_when_its_frame_is_repeated() {
    let mut bench = Bench::new();
    // the KEY frame goes out four times back to back, then another press follows
    bench.sim.press_repeated(Level::VerySatisfied, 3);
    bench.sim.press(Level::Dissatisfied);
    let (_, before) = bench.wait_for("the second press", |e| {
        *e == PadEvent::Key {
            level: Level::Dissatisfied,
        }
    });
    let first = PadEvent::Key {
        level: Level::VerySatisfied,
    };
    assert_eq!(
        before.iter().filter(|e| **e == first).count(),
        1,
        "{before:?}"
    );
    let counters = bench.driver.counters();
    assert_eq!(counters.keys, 2);
    assert!(counters.duplicate_keys >= 3, "{counters:?}");
    wait_until("both presses acknowledged", || {
        bench.sim.unacknowledged() == 0
    });
}

#[test]
fn every_level_arrives_as_pressed() {
    let mut bench = Bench::new();
    for level in Level::BEST_FIRST {
        bench.sim.press(level);
        let (event, before) = bench.wait_for("the press", is_key);
        assert_eq!(event, PadEvent::Key { level });
        assert!(!before.iter().any(is_key), "{before:?}");
    }
}

#[test]
fn leds_and_prompts_reach_the_pad() {
    let mut bench = Bench::new();
    bench.sim.take_changes();
    bench.driver.set_leds(Leds::ALL_ON);
    bench.driver.play(Prompt::PleaseRate);
    wait_until("all lit and 请评价 played", || {
        bench.sim.leds() == Leds::ALL_ON && bench.sim.prompts() == [Prompt::PleaseRate]
    });
    bench.sim.press(Level::VerySatisfied);
    bench.wait_for("the press", is_key);
    bench.driver.set_leds(Leds::blinking(Level::VerySatisfied));
    bench.driver.play(Prompt::Thanks);
    bench.driver.set_leds(Leds::OFF);
    wait_until("thanks played, then dark", || {
        bench.sim.prompts() == [Prompt::PleaseRate, Prompt::Thanks] && bench.sim.leds().is_off()
    });
    assert_eq!(
        bench.sim.take_changes(),
        vec![
            PadChange::Leds(Leds::ALL_ON),
            PadChange::Prompt(Prompt::PleaseRate),
            PadChange::Leds(Leds::blinking(Level::VerySatisfied)),
            PadChange::Prompt(Prompt::Thanks),
            PadChange::Leds(Leds::OFF),
        ]
    );
    assert_eq!(bench.driver.counters().commands_failed, 0);
}

#[test]
fn the_pad_identifies_itself_after_connecting() {
    let sim = SimHandle::new();
    let plug = rating::sim::DuplexPlug::new(sim);
    let (_driver, mut events) = Driver::spawn(plug.opener(), fast_config());
    let (event, _) = wait_for(&mut events, "the version", |e| {
        matches!(e, PadEvent::Version(_))
    });
    assert_eq!(event, PadEvent::Version(Version::simulated()));
}

#[test]
fn host_and_simulated_pad_talk_over_a_pty_at_9600_baud() {
    let pty = open_pty().unwrap();
    let sim = SimHandle::new();
    let _serving = SimThread::spawn(Box::new(pty.master), sim.clone()).unwrap();
    let (driver, mut events) =
        Driver::spawn(serial_opener(pty.path.clone(), DEFAULT_BAUD), fast_config());
    wait_for(&mut events, "Ready", is_health(Health::Ready));
    sim.press(Level::Satisfied);
    let (event, _) = wait_for(&mut events, "the press over the pty", is_key);
    assert_eq!(
        event,
        PadEvent::Key {
            level: Level::Satisfied
        }
    );
    driver.set_leds(Leds::ALL_ON);
    driver.play(Prompt::PleaseRate);
    wait_until("LEDs and prompt over the pty", || {
        sim.leds() == Leds::ALL_ON && sim.prompts() == [Prompt::PleaseRate]
    });
    assert!(driver.counters().frames >= 3);
}
