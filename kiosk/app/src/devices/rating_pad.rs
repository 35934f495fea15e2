//! The 好差评 rating pad for the app: the `rating` driver against the configured serial port,
//! against the `rating` simulator (the dev dock's pad), or a USB-keyboard pad read from the
//! window's key events through a [`KeyMap`]. Whatever the pad, the controller sees the same
//! [`PadEvent`]s from [`RatingPad::try_next`] and drives the same three signals
//! ([`RatingPad::invite`], [`RatingPad::thanks`], [`RatingPad::off`]).

use std::collections::VecDeque;

use kiosk_core::session::{DeviceHealth, RatingLevel};
use rating::driver::{CounterValues, Driver, DriverConfig, PadEvents, serial_opener};
use rating::sim::{DuplexPlug, SimHandle};

pub use rating::driver::DEFAULT_BAUD;
pub use rating::{Faults, Health, KeyMap, KeyMapError, Leds, Level, PadEvent, Prompt};

enum Pad {
    /// The serial driver (a real port, or the simulator over an in-memory link).
    Driver {
        driver: Driver,
        events: PadEvents,
        sim: Option<SimHandle>,
        // the simulator's end of the cable; its serving threads stop with us
        _plug: Option<DuplexPlug>,
    },
    /// A USB-keyboard pad: presses come from the window's key events.
    Keyboard {
        map: KeyMap,
        events: VecDeque<PadEvent>,
    },
}

/// The rating pad, whichever kind is fitted.
pub struct RatingPad {
    pad: Pad,
}

impl RatingPad {
    /// The real driver on a serial port (9600 baud for the pads of PROTOCOL.md:
    /// [`DEFAULT_BAUD`]).
    pub fn serial(port: &str, baud: u32) -> Self {
        let (driver, events) =
            Driver::spawn(serial_opener(port.into(), baud), DriverConfig::default());
        Self {
            pad: Pad::Driver {
                driver,
                events,
                sim: None,
                _plug: None,
            },
        }
    }

    /// The real driver against the simulated pad, over an in-memory link (the dev dock
    /// presses its keys through [`RatingPad::sim`]).
    pub fn simulated() -> Self {
        let sim = SimHandle::new();
        let plug = DuplexPlug::new(sim.clone());
        let (driver, events) = Driver::spawn(plug.opener(), DriverConfig::default());
        Self {
            pad: Pad::Driver {
                driver,
                events,
                sim: Some(sim),
                _plug: Some(plug),
            },
        }
    }

    /// A USB-keyboard pad with this key map. It has no LEDs or prompts the kiosk can drive
    /// and cannot report faults, so it is Ready from the start.
    pub fn keyboard(map: KeyMap) -> Self {
        Self {
            pad: Pad::Keyboard {
                map,
                events: VecDeque::from([PadEvent::Health(Health::Ready)]),
            },
        }
    }

    /// The next pad event, if one is waiting: a press (once per press), a health change, the
    /// pad's version.
    pub fn try_next(&mut self) -> Option<PadEvent> {
        match &mut self.pad {
            Pad::Driver { events, .. } => events.try_recv().ok(),
            Pad::Keyboard { events, .. } => events.pop_front(),
        }
    }

    /// Offers a key press of the window (Slint's `KeyEvent.text`) to a keyboard pad. Returns
    /// true when it is one of the pad's five keys: a [`PadEvent::Key`] is queued and the
    /// caller should treat the key as handled. Always false for a serial pad.
    pub fn key_text(&mut self, text: &str) -> bool {
        let Pad::Keyboard { map, events } = &mut self.pad else {
            return false;
        };
        match map.level_for_text(text) {
            Some(level) => {
                events.push_back(PadEvent::Key { level });
                true
            }
            None => false,
        }
    }

    /// The rating screen shows: all keys lit, 请对本次服务进行评价.
    pub fn invite(&self) {
        self.set_leds(Leds::ALL_ON);
        self.play(Prompt::PleaseRate);
    }

    /// A rating was taken: keys dark, 感谢您的评价 (after a 差评, 感谢您的意见，我们会尽快改进).
    pub fn thanks(&self, level: Level) {
        self.set_leds(Leds::OFF);
        self.play(if level.is_poor() {
            Prompt::WeWillImprove
        } else {
            Prompt::Thanks
        });
    }

    /// The rating screen left without a rating: keys dark, any prompt stopped.
    pub fn off(&self) {
        self.set_leds(Leds::OFF);
        self.play(Prompt::Stop);
    }

    /// Shows `leds` (kept and restored by the driver after a reconnect or pad restart). No
    /// effect on a keyboard pad.
    pub fn set_leds(&self, leds: Leds) {
        if let Pad::Driver { driver, .. } = &self.pad {
            driver.set_leds(leds);
        }
    }

    /// Plays a stored prompt once. No effect on a keyboard pad.
    pub fn play(&self, prompt: Prompt) {
        if let Pad::Driver { driver, .. } = &self.pad {
            driver.play(prompt);
        }
    }

    /// The simulator's control panel, when simulated (the dev dock: press a key, fault bits,
    /// silence, a garbled frame; the LEDs and prompts it was sent).
    pub fn sim(&self) -> Option<&SimHandle> {
        match &self.pad {
            Pad::Driver { sim, .. } => sim.as_ref(),
            Pad::Keyboard { .. } => None,
        }
    }

    /// Whether this is a USB-keyboard pad.
    pub fn is_keyboard(&self) -> bool {
        matches!(self.pad, Pad::Keyboard { .. })
    }

    /// The driver's counters (frames, bad frames, keys, repeats, reconnects, NAKs, failed
    /// commands); `None` for a keyboard pad, which has no driver.
    pub fn counters(&self) -> Option<CounterValues> {
        match &self.pad {
            Pad::Driver { driver, .. } => Some(driver.counters()),
            Pad::Keyboard { .. } => None,
        }
    }
}

/// The session's level for a pad key (the same five levels, numbered alike).
pub fn rating_level(level: Level) -> RatingLevel {
    match level {
        Level::VeryDissatisfied => RatingLevel::VeryDissatisfied,
        Level::Dissatisfied => RatingLevel::Dissatisfied,
        Level::Acceptable => RatingLevel::Acceptable,
        Level::Satisfied => RatingLevel::Satisfied,
        Level::VerySatisfied => RatingLevel::VerySatisfied,
    }
}

/// The session's device health for the pad's health: fault bits are a warning (the pad still
/// takes ratings), silence or no port a fault.
pub fn device_health(health: Health) -> DeviceHealth {
    match health {
        Health::Ready => DeviceHealth::Ready,
        Health::Degraded(_) => DeviceHealth::Degraded,
        Health::Fault => DeviceHealth::Fault,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// Waits for an event matching `want` (the limit only turns a hang into a failure).
    fn wait_for(pad: &mut RatingPad, want: impl Fn(&PadEvent) -> bool) -> PadEvent {
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            match pad.try_next() {
                Some(e) if want(&e) => return e,
                Some(e) => seen.push(e),
                None => std::thread::sleep(Duration::from_millis(5)),
            }
        }
        panic!("not seen; saw {seen:?}");
    }

    fn wait_until(cond: impl Fn() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !cond() {
            assert!(Instant::now() < deadline, "never happened");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn the_simulated_pad_reports_presses_and_takes_the_signals() {
        let mut pad = RatingPad::simulated();
        wait_for(&mut pad, |e| *e == PadEvent::Health(Health::Ready));
        let sim = pad.sim().unwrap().clone();
        pad.invite();
        wait_until(|| sim.leds() == Leds::ALL_ON && sim.prompts() == [Prompt::PleaseRate]);
        sim.press(Level::Dissatisfied);
        let event = wait_for(&mut pad, |e| matches!(e, PadEvent::Key { .. }));
        assert_eq!(
            event,
            PadEvent::Key {
                level: Level::Dissatisfied
            }
        );
        pad.thanks(Level::Dissatisfied);
        wait_until(|| sim.leds().is_off() && sim.prompts().last() == Some(&Prompt::WeWillImprove));
        assert_eq!(pad.counters().unwrap().keys, 1);
        assert!(!pad.key_text("\u{F704}"));
    }

    #[test]
    fn a_keyboard_pad_turns_key_texts_into_presses() {
        let map = KeyMap::parse(&["F1", "F2", "F3", "F4", "F5"]).unwrap();
        let mut pad = RatingPad::keyboard(map);
        assert_eq!(pad.try_next(), Some(PadEvent::Health(Health::Ready)));
        assert!(pad.key_text("\u{F704}"));
        assert!(!pad.key_text("a"), "not one of the pad's keys");
        assert!(pad.key_text("\u{F708}"));
        assert_eq!(
            pad.try_next(),
            Some(PadEvent::Key {
                level: Level::VerySatisfied
            })
        );
        assert_eq!(
            pad.try_next(),
            Some(PadEvent::Key {
                level: Level::VeryDissatisfied
            })
        );
        assert_eq!(pad.try_next(), None);
        // the signals are accepted and do nothing
        pad.invite();
        pad.off();
        assert!(pad.sim().is_none() && pad.counters().is_none() && pad.is_keyboard());
    }

    #[test]
    fn levels_and_health_map_onto_the_session() {
        for level in Level::BEST_FIRST {
            assert_eq!(
                rating_level(level),
                RatingLevel::from_number(i32::from(level.number())).unwrap()
            );
        }
        assert_eq!(device_health(Health::Ready), DeviceHealth::Ready);
        assert_eq!(
            device_health(Health::Degraded(Faults::SPEAKER)),
            DeviceHealth::Degraded
        );
        assert_eq!(device_health(Health::Fault), DeviceHealth::Fault);
    }
}
