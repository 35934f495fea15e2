//! The reader simulator on a real byte link: the device side of the codec
//! ([`SimulatedReader`]) served over a pseudo-terminal or an in-memory duplex, with scripted
//! cards and faults.
//!
//! The demo and the tests run the real driver against it, so what they prove is the wire
//! protocol, not a mock. A [`SimHandle`] is the control panel (the dev dock's buttons):
//! place or remove a card, and inject faults — a card pulled mid-read, a corrupted checksum,
//! garbage bytes, a silent or slow device, a SAM failure, an unknown card type.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use crate::device::{ScriptedCard, SimulatedReader};
use crate::link::Link;
use crate::status::Status;

/// Bytes that look nothing like a frame, sent before a reply by the garbage fault.
const GARBAGE: [u8; 7] = [0x00, 0xFF, 0xAA, 0x13, 0xAA, 0xAA, 0x42];

/// Replies longer than this carry card data; the pull-mid-read fault cuts one in half.
const CARD_DATA_REPLY: usize = 300;

#[derive(Debug, Default)]
struct Faults {
    corrupt_next: bool,
    garbage_next: bool,
    pull_mid_read: bool,
    silent: bool,
    delay: Duration,
}

#[derive(Debug, Default)]
struct SimState {
    reader: SimulatedReader,
    faults: Faults,
}

/// Shared control of a simulated reader; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct SimHandle(Arc<Mutex<SimState>>);

impl SimHandle {
    /// An empty reader (no card, healthy SAM).
    pub fn new() -> Self {
        Self::default()
    }

    fn state(&self) -> MutexGuard<'_, SimState> {
        // a panic while holding the lock leaves plain data behind; keep serving it
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Places a card on the antenna.
    pub fn place_card(&self, card: ScriptedCard) {
        self.state().reader.place_card(card);
    }

    /// Takes the card away.
    pub fn remove_card(&self) {
        self.state().reader.remove_card();
    }

    /// Whether a card lies on the antenna.
    pub fn card_present(&self) -> bool {
        self.state().reader.card_present()
    }

    /// The next reply goes out with a wrong checksum byte.
    pub fn corrupt_next_reply(&self) {
        self.state().faults.corrupt_next = true;
    }

    /// Garbage bytes go out before the next reply.
    pub fn garbage_before_next_reply(&self) {
        self.state().faults.garbage_next = true;
    }

    /// The next card-data reply stops halfway and the card is gone (pulled mid-read).
    pub fn pull_card_mid_read(&self) {
        self.state().faults.pull_mid_read = true;
    }

    /// The device stops answering (or answers again).
    pub fn set_silent(&self, silent: bool) {
        self.state().faults.silent = silent;
    }

    /// Every reply waits this long before it goes out.
    pub fn set_delay(&self, delay: Duration) {
        self.state().faults.delay = delay;
    }

    /// The SAM answers everything with `status` (e.g. `60`, `66`) until cleared with `None`.
    pub fn set_sam_fault(&self, status: Option<Status>) {
        self.state().reader.set_sam_fault(status);
    }

    /// Requests answered so far.
    pub fn answered(&self) -> u64 {
        self.state().reader.answered()
    }

    /// The bytes to send for `request`, after faults, and how long to wait before sending.
    fn answer(&self, request: &[u8]) -> (Vec<u8>, Duration) {
        let mut state = self.state();
        let mut reply = state.reader.receive(request);
        if reply.is_empty() {
            return (reply, Duration::ZERO);
        }
        let faults = &mut state.faults;
        if faults.silent {
            return (Vec::new(), Duration::ZERO);
        }
        let delay = faults.delay;
        if faults.corrupt_next {
            faults.corrupt_next = false;
            if let Some(last) = reply.last_mut() {
                *last ^= 0x5A;
            }
        }
        if faults.garbage_next {
            faults.garbage_next = false;
            let mut with_garbage = GARBAGE.to_vec();
            with_garbage.extend_from_slice(&reply);
            reply = with_garbage;
        }
        if faults.pull_mid_read && reply.len() > CARD_DATA_REPLY {
            faults.pull_mid_read = false;
            reply.truncate(reply.len() / 2);
            state.reader.remove_card();
        }
        (reply, delay)
    }
}

/// Answers requests on `link` until `stop` is set or the link fails.
pub fn serve(link: &mut dyn Link, handle: &SimHandle, stop: &AtomicBool) -> io::Result<()> {
    let mut buf = [0u8; 4096];
    while !stop.load(Ordering::Relaxed) {
        let n = link.receive(&mut buf, Duration::from_millis(50))?;
        if n == 0 {
            continue;
        }
        let (reply, delay) = handle.answer(&buf[..n]);
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        if !reply.is_empty() {
            link.send(&reply)?;
        }
    }
    Ok(())
}

/// The pieces that serve a simulator on a link, a pty or an in-memory cable, shared with the
/// other serial drivers.
pub use serial_link::{Pty, SimThread, open_pty};

/// An in-memory cable from a driver to the simulated reader.
pub type DuplexPlug = serial_link::DuplexPlug<SimHandle>;

impl serial_link::Serve for SimHandle {
    const THREAD_NAME: &'static str = "idcard-sim";

    fn serve(&self, link: &mut dyn Link, stop: &AtomicBool) -> io::Result<()> {
        serve(link, self, stop)
    }
}
