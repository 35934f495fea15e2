//! The simulated pad on a real byte link: the device side of the codec ([`PadDevice`])
//! served over a pseudo-terminal or an in-memory duplex, with faults.
//!
//! The demo and the tests run the real driver against it, so what they prove is the wire
//! protocol, not a mock. A [`SimHandle`] is the control panel (the dev dock's buttons): press
//! a key, set fault bits, go silent, garble the next frame, repeat a KEY frame; and it
//! records what the host made the pad do (LEDs, prompts) for tests and the `kiosk sim rating`
//! console.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::device::{PadChange, PadConfig, PadDevice};
use crate::link::Link;
use crate::message::{Faults, Leds, Level, Prompt, Version, cmd};

/// A partial frame from the host with no new byte for this long is dropped.
const INTER_BYTE_TIMEOUT: Duration = Duration::from_millis(100);

#[derive(Debug)]
struct SimState {
    pad: PadDevice,
    silent: bool,
    garble_next: bool,
    repeat_next_key: u32,
}

/// Shared control of a simulated pad; cheap to clone.
#[derive(Debug, Clone)]
pub struct SimHandle(Arc<Mutex<SimState>>);

impl Default for SimHandle {
    fn default() -> Self {
        Self::new()
    }
}

impl SimHandle {
    /// A pad just powered up (LEDs dark, no fault).
    pub fn new() -> Self {
        Self::with_config(PadConfig::default())
    }

    /// A pad with its own timing (tests).
    pub fn with_config(config: PadConfig) -> Self {
        Self(Arc::new(Mutex::new(SimState {
            pad: PadDevice::new(Version::simulated(), config),
            silent: false,
            garble_next: false,
            repeat_next_key: 0,
        })))
    }

    fn state(&self) -> MutexGuard<'_, SimState> {
        // a panic while holding the lock leaves plain data behind; keep serving it
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Presses the key of `level` once. Returns the press number.
    pub fn press(&self, level: Level) -> u8 {
        self.state().pad.press(level, Instant::now())
    }

    /// Presses the key of `level` and sends its KEY frame `extra` more times back to back
    /// (a pad that resends before the ACK could arrive). Returns the press number.
    pub fn press_repeated(&self, level: Level, extra: u32) -> u8 {
        let mut state = self.state();
        state.repeat_next_key = extra;
        state.pad.press(level, Instant::now())
    }

    /// Sets the fault bits (reported at once with an unsolicited STATUS).
    pub fn set_faults(&self, faults: Faults) {
        self.state().pad.set_faults(faults);
    }

    /// The pad stops answering and sending (a hung firmware), or starts again.
    pub fn set_silent(&self, silent: bool) {
        self.state().silent = silent;
    }

    /// The next frame the pad sends goes out with a wrong CRC.
    pub fn garble_next_frame(&self) {
        self.state().garble_next = true;
    }

    /// The LEDs as shown.
    pub fn leds(&self) -> Leds {
        self.state().pad.leds()
    }

    /// Every prompt played so far, in order.
    pub fn prompts(&self) -> Vec<Prompt> {
        self.state().pad.played().to_vec()
    }

    /// LED changes and prompts since the last call (the console prints them).
    pub fn take_changes(&self) -> Vec<PadChange> {
        self.state().pad.take_changes()
    }

    /// PINGs answered so far.
    pub fn pings(&self) -> u64 {
        self.state().pad.stats().pings
    }

    /// Presses not yet acknowledged by the host.
    pub fn unacknowledged(&self) -> usize {
        self.state().pad.unacknowledged()
    }

    /// Feeds received bytes (or the passing of time) to the pad and returns what goes out,
    /// after faults.
    fn step(&self, received: &[u8], idle: Duration) -> Vec<u8> {
        let mut state = self.state();
        let now = Instant::now();
        if !state.silent {
            if !received.is_empty() {
                state.pad.receive(received, now);
            } else if state.pad.buffered() > 0 && idle >= INTER_BYTE_TIMEOUT {
                state.pad.abandon_partial(now);
            }
        }
        state.pad.poll(now);
        let mut out = Vec::new();
        while let Some(mut frame) = state.pad.poll_transmit() {
            if state.silent {
                continue;
            }
            if state.garble_next {
                state.garble_next = false;
                // the CRC byte is the second to last
                if let Some(at) = frame.len().checked_sub(2)
                    && let Some(crc) = frame.get_mut(at)
                {
                    *crc ^= 0x5A;
                }
            }
            let copies = if frame.get(2) == Some(&cmd::KEY) {
                1 + std::mem::take(&mut state.repeat_next_key)
            } else {
                1
            };
            for _ in 0..copies {
                out.extend_from_slice(&frame);
            }
        }
        out
    }
}

/// Runs the pad on `link` until `stop` is set or the link fails.
pub fn serve(link: &mut dyn Link, handle: &SimHandle, stop: &AtomicBool) -> io::Result<()> {
    let mut buf = [0u8; 256];
    let mut last_byte = Instant::now();
    while !stop.load(Ordering::Relaxed) {
        let n = link.receive(&mut buf, Duration::from_millis(10))?;
        if n > 0 {
            last_byte = Instant::now();
        }
        let out = handle.step(&buf[..n], last_byte.elapsed());
        if !out.is_empty() {
            link.send(&out)?;
        }
    }
    Ok(())
}

/// The pieces that serve a simulator on a link, a pty or an in-memory cable, shared with the
/// other serial drivers.
pub use serial_link::{Pty, SimThread, open_pty};

/// An in-memory cable from a driver to the simulated pad.
pub type DuplexPlug = serial_link::DuplexPlug<SimHandle>;

impl serial_link::Serve for SimHandle {
    const THREAD_NAME: &'static str = "rating-sim";

    fn serve(&self, link: &mut dyn Link, stop: &AtomicBool) -> io::Result<()> {
        serve(link, self, stop)
    }
}
