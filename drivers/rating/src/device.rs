//! The pad's side of the protocol (PROTOCOL.md §6), sans-IO like the host side: what a pad's
//! firmware does with the host's frames and its own keys. The simulator serves it over a
//! link; tests drive it directly with a mock clock.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::message::{
    DecodeError, FLAG_FRESH, Faults, FromPad, Leds, Level, MessageError, NakReason, PadDecoder,
    Prompt, ToPad, Version, cmd,
};

/// Timing of the pad side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PadConfig {
    /// A KEY not acknowledged within this time is sent again.
    pub key_retry: Duration,
    /// Sends of one KEY before the pad gives up on it.
    pub key_attempts: u32,
    /// At most one NAK per this interval.
    pub nak_interval: Duration,
}

impl Default for PadConfig {
    /// PROTOCOL.md §6: retry a KEY every 250 ms, 4 sends in all (so every repeat of a press
    /// arrives within 1 s, well inside the host's 2 s window), one NAK per 100 ms.
    fn default() -> Self {
        Self {
            key_retry: Duration::from_millis(250),
            key_attempts: 4,
            nak_interval: Duration::from_millis(100),
        }
    }
}

/// Something the host made the pad do, in order (the simulator prints these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PadChange {
    /// The LEDs changed to this.
    Leds(Leds),
    /// This prompt was played.
    Prompt(Prompt),
}

#[derive(Debug, Clone)]
struct PendingKey {
    frame: Vec<u8>,
    seq: u8,
    sends: u32,
    next_retry: Instant,
}

/// Counts of what the pad received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PadStats {
    /// Good frames from the host.
    pub frames: u64,
    /// Frames that could not be used.
    pub bad_frames: u64,
    /// PINGs answered.
    pub pings: u64,
    /// NAKs sent.
    pub naks_sent: u64,
    /// KEY frames sent, first sends and resends.
    pub key_frames: u64,
}

/// A rating pad's firmware logic: keys, LEDs, prompts, fault bits.
#[derive(Debug)]
pub struct PadDevice {
    config: PadConfig,
    decoder: PadDecoder,
    version: Version,
    faults: Faults,
    fresh: bool,
    leds: Leds,
    played: Vec<Prompt>,
    changes: Vec<PadChange>,
    last_prompt_seq: Option<u8>,
    next_seq: u8,
    pending: Vec<PendingKey>,
    last_sent: Option<Vec<u8>>,
    last_nak: Option<Instant>,
    transmit: VecDeque<Vec<u8>>,
    stats: PadStats,
}

impl PadDevice {
    /// A pad just powered up: LEDs dark, presses numbered from 1, an unsolicited STATUS with
    /// FRESH queued.
    pub fn new(version: Version, config: PadConfig) -> Self {
        let mut pad = Self {
            config,
            decoder: PadDecoder::new(),
            version,
            faults: Faults::NONE,
            fresh: true,
            leds: Leds::OFF,
            played: Vec::new(),
            changes: Vec::new(),
            last_prompt_seq: None,
            next_seq: 1,
            pending: Vec::new(),
            last_sent: None,
            last_nak: None,
            transmit: VecDeque::new(),
            stats: PadStats::default(),
        };
        pad.send_status();
        pad
    }

    /// Bytes from the host.
    pub fn receive(&mut self, bytes: &[u8], now: Instant) {
        self.decoder.push(bytes);
        while let Some(item) = self.decoder.next_message() {
            match item {
                Ok(message) => self.on_message(message),
                Err(error) => self.on_error(error, now),
            }
        }
    }

    /// The inter-byte timeout ran out with part of a frame buffered.
    pub fn abandon_partial(&mut self, now: Instant) {
        if let Some(error) = self.decoder.abandon_partial() {
            self.on_error(error, now);
            self.receive(&[], now);
        }
    }

    /// Bytes of an incomplete frame held by the decoder.
    pub fn buffered(&self) -> usize {
        self.decoder.buffered()
    }

    /// A key was pressed: a KEY frame with the next press number goes out (and again every
    /// [`PadConfig::key_retry`] until acknowledged). Returns the press number.
    pub fn press(&mut self, level: Level, now: Instant) -> u8 {
        let seq = self.next_seq;
        self.next_seq = self.next_seq.checked_add(1).unwrap_or(1);
        let frame = FromPad::Key { level, seq }.encode();
        self.pending.push(PendingKey {
            frame: frame.clone(),
            seq,
            sends: 1,
            next_retry: now + self.config.key_retry,
        });
        self.stats.key_frames += 1;
        self.send_bytes(frame);
        seq
    }

    /// Time passes: unacknowledged KEYs are sent again.
    pub fn poll(&mut self, now: Instant) {
        let (retry, attempts) = (self.config.key_retry, self.config.key_attempts);
        let mut resend = Vec::new();
        self.pending.retain_mut(|key| {
            if now < key.next_retry {
                return true;
            }
            if key.sends >= attempts {
                return false;
            }
            key.sends += 1;
            key.next_retry = now + retry;
            resend.push(key.frame.clone());
            true
        });
        for frame in resend {
            self.stats.key_frames += 1;
            self.send_bytes(frame);
        }
    }

    /// Sets the fault bits; a change is reported at once with an unsolicited STATUS.
    pub fn set_faults(&mut self, faults: Faults) {
        if faults != self.faults {
            self.faults = faults;
            self.send_status();
        }
    }

    /// The fault bits.
    pub fn faults(&self) -> Faults {
        self.faults
    }

    /// The LEDs as shown.
    pub fn leds(&self) -> Leds {
        self.leds
    }

    /// Every prompt played so far, in order.
    pub fn played(&self) -> &[Prompt] {
        &self.played
    }

    /// LED changes and prompts since the last call.
    pub fn take_changes(&mut self) -> Vec<PadChange> {
        std::mem::take(&mut self.changes)
    }

    /// Presses not yet acknowledged.
    pub fn unacknowledged(&self) -> usize {
        self.pending.len()
    }

    /// Counts so far.
    pub fn stats(&self) -> PadStats {
        self.stats
    }

    /// The next frame to write to the link.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.transmit.pop_front()
    }

    fn on_message(&mut self, message: ToPad) {
        self.stats.frames += 1;
        match message {
            ToPad::Ping => {
                self.stats.pings += 1;
                self.send_status();
            }
            ToPad::VersionRequest => self.send(FromPad::Version(self.version.clone())),
            ToPad::Leds { seq, leds } => {
                self.fresh = false;
                if leds != self.leds {
                    self.leds = leds;
                    self.changes.push(PadChange::Leds(leds));
                }
                self.send(FromPad::Ack {
                    cmd: cmd::LEDS,
                    seq,
                });
            }
            ToPad::Prompt { seq, prompt } => {
                if self.last_prompt_seq != Some(seq) {
                    self.last_prompt_seq = Some(seq);
                    self.played.push(prompt);
                    self.changes.push(PadChange::Prompt(prompt));
                }
                self.send(FromPad::Ack {
                    cmd: cmd::PROMPT,
                    seq,
                });
            }
            ToPad::Ack { cmd, seq } => {
                if cmd == cmd::KEY {
                    self.pending.retain(|key| key.seq != seq);
                }
            }
            ToPad::Nak(reason) => {
                if reason.worth_resending() {
                    // every press still waiting for its ACK, then the last frame if it was
                    // something else (the NAK may be about either)
                    let keys: Vec<Vec<u8>> = self.pending.iter().map(|k| k.frame.clone()).collect();
                    let last = self.last_sent.clone().filter(|f| !keys.contains(f));
                    for frame in keys {
                        self.stats.key_frames += 1;
                        self.transmit.push_back(frame);
                    }
                    if let Some(last) = last {
                        self.transmit.push_back(last);
                    }
                }
            }
        }
    }

    fn on_error(&mut self, error: DecodeError, now: Instant) {
        self.stats.bad_frames += 1;
        if matches!(
            error,
            DecodeError::Message(MessageError::WrongDirection { .. })
        ) {
            return;
        }
        let quiet = self
            .last_nak
            .is_none_or(|at| now.saturating_duration_since(at) >= self.config.nak_interval);
        if quiet {
            self.last_nak = Some(now);
            self.stats.naks_sent += 1;
            // a NAK is never resent, so it is not remembered as the last frame
            self.transmit
                .push_back(FromPad::Nak(NakReason::for_error(&error)).encode());
        }
    }

    fn send_status(&mut self) {
        let flags = if self.fresh { FLAG_FRESH } else { 0 };
        self.send(FromPad::Status {
            faults: self.faults,
            flags,
        });
    }

    fn send(&mut self, message: FromPad) {
        self.send_bytes(message.encode());
    }

    fn send_bytes(&mut self, frame: Vec<u8>) {
        self.last_sent = Some(frame.clone());
        self.transmit.push_back(frame);
    }
}
