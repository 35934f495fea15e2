//! The host's side of the protocol as a state machine with no I/O and no clock of its own:
//! bytes and the current time go in, bytes to send and [`PadEvent`]s come out (PROTOCOL.md
//! §5). The driver thread is a thin loop around it; tests drive it with a mock clock.
//!
//! What it does: pings every second, turns STATUS into [`Health`] (no good frame for 3 s →
//! [`Health::Fault`]; a fault bit → [`Health::Degraded`]), acknowledges KEY frames and
//! reports each press once (a repeat of the same press number within 2 s is a repeat, not a
//! press), sends LEDS and PROMPT one at a time and resends them until acknowledged, answers
//! damaged frames with NAK, and restores the LEDs when the pad says it restarted.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::message::{
    DecodeError, FLAG_FRESH, Faults, FromPad, HostDecoder, Leds, Level, MessageError, NakReason,
    Prompt, ToPad, Version, cmd,
};

/// Timing of the host side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionConfig {
    /// Time between PINGs.
    pub ping_interval: Duration,
    /// Without a good frame for this long, the pad is [`Health::Fault`].
    pub fault_after: Duration,
    /// How long a LEDS or PROMPT waits for its ACK before it is sent again.
    pub ack_timeout: Duration,
    /// Sends of one LEDS or PROMPT before it is given up.
    pub command_attempts: u32,
    /// A KEY with a press number seen within this window is a repeat of that press.
    pub repeat_window: Duration,
    /// At most one NAK per this interval (a burst of garbage gets one NAK, not hundreds).
    pub nak_interval: Duration,
}

impl Default for SessionConfig {
    /// PROTOCOL.md §5: ping 1 s, fault after 3 s, ACK within 300 ms, 3 attempts, repeats
    /// within 2 s, one NAK per 100 ms.
    fn default() -> Self {
        Self {
            ping_interval: Duration::from_secs(1),
            fault_after: Duration::from_secs(3),
            ack_timeout: Duration::from_millis(300),
            command_attempts: 3,
            repeat_window: Duration::from_secs(2),
            nak_interval: Duration::from_millis(100),
        }
    }
}

/// The pad's health, as the session and the maintenance menu see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Health {
    /// Answering, no fault bit.
    Ready,
    /// Answering, with fault bits set: ratings still work, a technician should look.
    Degraded(Faults),
    /// No link, or no good frame for [`SessionConfig::fault_after`].
    Fault,
}

/// What the host side reports.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PadEvent {
    /// A key was pressed (once per press, however often its frame arrived).
    Key {
        /// Which key.
        level: Level,
    },
    /// The pad's health changed.
    Health(Health),
    /// The pad identified itself (after every connect).
    Version(Version),
}

/// What the kiosk asks of the pad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// Show these LEDs (kept and restored after a reconnect or a pad restart).
    SetLeds(Leds),
    /// Play this stored prompt once.
    Play(Prompt),
}

/// Counts since the session started, across reconnects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SessionStats {
    /// Good frames received.
    pub frames: u64,
    /// Damaged frames (CRC, length, end byte, cut off) and good frames that were no pad
    /// message (unknown command, bad payload), including echoes of our own frames.
    pub bad_frames: u64,
    /// Presses reported.
    pub keys: u64,
    /// KEY frames that repeated a press already reported.
    pub duplicate_keys: u64,
    /// PINGs sent.
    pub pings: u64,
    /// NAKs sent.
    pub naks_sent: u64,
    /// NAKs received.
    pub naks_received: u64,
    /// LEDS / PROMPT given up after every attempt went unacknowledged.
    pub commands_failed: u64,
    /// LEDS / PROMPT the pad refused (NAK `03`/`04`).
    pub commands_refused: u64,
}

#[derive(Debug, Clone)]
struct Outstanding {
    message: ToPad,
    attempts: u32,
    deadline: Instant,
}

/// The host side of one pad, across links (see the module docs).
#[derive(Debug)]
pub struct HostSession {
    config: SessionConfig,
    decoder: HostDecoder,
    /// When the current link came up; `None` while there is no link.
    link_up_at: Option<Instant>,
    last_heard: Option<Instant>,
    next_ping: Option<Instant>,
    health: Option<Health>,
    recent_keys: VecDeque<(u8, Instant)>,
    leds: Leds,
    queue: VecDeque<Command>,
    outstanding: Option<Outstanding>,
    next_seq: u8,
    last_nak: Option<Instant>,
    transmit: VecDeque<Vec<u8>>,
    events: VecDeque<PadEvent>,
    stats: SessionStats,
}

impl HostSession {
    /// A session with no link yet.
    pub fn new(config: SessionConfig) -> Self {
        Self {
            config,
            decoder: HostDecoder::new(),
            link_up_at: None,
            last_heard: None,
            next_ping: None,
            health: None,
            recent_keys: VecDeque::new(),
            leds: Leds::OFF,
            queue: VecDeque::new(),
            outstanding: None,
            next_seq: 1,
            last_nak: None,
            transmit: VecDeque::new(),
            events: VecDeque::new(),
            stats: SessionStats::default(),
        }
    }

    /// A link was opened: nothing is known about the pad, so ask who it is, ping it, and
    /// send the LEDs wanted.
    pub fn link_up(&mut self, now: Instant) {
        self.decoder.clear();
        self.link_up_at = Some(now);
        self.last_heard = None;
        self.outstanding = None;
        self.queue.clear();
        self.recent_keys.clear();
        self.transmit.clear();
        self.send(ToPad::VersionRequest);
        self.ping(now);
        self.queue.push_back(Command::SetLeds(self.leds));
        self.pump(now);
    }

    /// The link failed: the pad is [`Health::Fault`] until a link is up and it answers.
    /// Queued prompts are dropped (a stale 请评价 after a reconnect helps nobody); the LEDs
    /// wanted are kept.
    pub fn link_down(&mut self) {
        self.link_up_at = None;
        self.next_ping = None;
        self.outstanding = None;
        self.queue.clear();
        self.transmit.clear();
        self.decoder.clear();
        self.set_health(Health::Fault);
    }

    /// Whether a link is up.
    pub fn is_linked(&self) -> bool {
        self.link_up_at.is_some()
    }

    /// Asks the pad for something. LEDs replace any LEDs still queued.
    pub fn command(&mut self, command: Command, now: Instant) {
        if let Command::SetLeds(leds) = command {
            self.leds = leds;
            self.queue.retain(|c| !matches!(c, Command::SetLeds(_)));
        }
        if self.is_linked() {
            self.queue.push_back(command);
            self.pump(now);
        }
    }

    /// Bytes received from the pad.
    pub fn push_bytes(&mut self, bytes: &[u8], now: Instant) {
        self.decoder.push(bytes);
        while let Some(item) = self.decoder.next_message() {
            match item {
                Ok(message) => self.on_message(message, now),
                Err(error) => self.on_error(error, now),
            }
        }
    }

    /// The inter-byte timeout ran out with part of a frame buffered: drop it (and NAK).
    pub fn abandon_partial(&mut self, now: Instant) {
        if let Some(error) = self.decoder.abandon_partial() {
            self.on_error(error, now);
            // a good frame may follow the cut one's start byte
            self.push_bytes(&[], now);
        }
    }

    /// Bytes of an incomplete frame held by the decoder.
    pub fn buffered(&self) -> usize {
        self.decoder.buffered()
    }

    /// Time passes: pings, the silence check, resends.
    pub fn tick(&mut self, now: Instant) {
        let Some(up) = self.link_up_at else {
            return;
        };
        if self.next_ping.is_some_and(|at| now >= at) {
            self.ping(now);
        }
        let heard = self.last_heard.unwrap_or(up);
        if now.saturating_duration_since(heard) >= self.config.fault_after {
            self.set_health(Health::Fault);
        }
        if self.outstanding.as_ref().is_some_and(|o| now >= o.deadline) {
            self.resend(now);
        }
        self.pump(now);
    }

    /// The earliest time [`tick`](Self::tick) has something to do.
    pub fn next_wakeup(&self) -> Option<Instant> {
        let up = self.link_up_at?;
        let silence = self.last_heard.unwrap_or(up) + self.config.fault_after;
        [
            self.next_ping,
            self.outstanding.as_ref().map(|o| o.deadline),
            (self.health != Some(Health::Fault)).then_some(silence),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// The next frame to write to the link.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.transmit.pop_front()
    }

    /// The next event to report.
    pub fn poll_event(&mut self) -> Option<PadEvent> {
        self.events.pop_front()
    }

    /// The health last reported, if any.
    pub fn health(&self) -> Option<Health> {
        self.health
    }

    /// The LEDs wanted.
    pub fn leds(&self) -> Leds {
        self.leds
    }

    /// Counters since the session started.
    pub fn stats(&self) -> SessionStats {
        self.stats
    }

    fn on_message(&mut self, message: FromPad, now: Instant) {
        self.stats.frames += 1;
        self.last_heard = Some(now);
        if self.health == Some(Health::Fault) && !matches!(message, FromPad::Status { .. }) {
            // back from silence: ask for its status now rather than at the next ping
            self.ping(now);
        }
        match message {
            FromPad::Key { level, seq } => {
                self.send(ToPad::Ack { cmd: cmd::KEY, seq });
                let window = self.config.repeat_window;
                self.recent_keys
                    .retain(|(_, at)| now.saturating_duration_since(*at) < window);
                if self.recent_keys.iter().any(|(s, _)| *s == seq) {
                    self.stats.duplicate_keys += 1;
                } else {
                    self.recent_keys.push_back((seq, now));
                    self.stats.keys += 1;
                    self.events.push_back(PadEvent::Key { level });
                }
            }
            FromPad::Status { faults, flags } => {
                if flags & FLAG_FRESH != 0 {
                    self.on_restart(now);
                }
                self.set_health(if faults.is_empty() {
                    Health::Ready
                } else {
                    Health::Degraded(faults)
                });
            }
            FromPad::Version(version) => self.events.push_back(PadEvent::Version(version)),
            FromPad::Ack { cmd, seq } => {
                let matches = self.outstanding.as_ref().is_some_and(|o| {
                    o.message.cmd() == cmd && sequence_of(&o.message) == Some(seq)
                });
                if matches {
                    self.outstanding = None;
                    self.pump(now);
                }
            }
            FromPad::Nak(reason) => {
                self.stats.naks_received += 1;
                if self.outstanding.is_some() {
                    if reason.worth_resending() {
                        self.resend(now);
                    } else {
                        self.outstanding = None;
                        self.stats.commands_refused += 1;
                        self.pump(now);
                    }
                }
            }
        }
    }

    /// The pad restarted (STATUS with FRESH): its LEDs are dark and its press numbers
    /// start again, so forget recent presses and send the LEDs wanted, unless a LEDS is
    /// already on its way.
    fn on_restart(&mut self, now: Instant) {
        self.recent_keys.clear();
        let leds_pending = self
            .outstanding
            .as_ref()
            .is_some_and(|o| matches!(o.message, ToPad::Leds { .. }))
            || self.queue.iter().any(|c| matches!(c, Command::SetLeds(_)));
        if !leds_pending {
            self.queue.push_front(Command::SetLeds(self.leds));
            self.pump(now);
        }
    }

    fn on_error(&mut self, error: DecodeError, now: Instant) {
        self.stats.bad_frames += 1;
        if matches!(
            error,
            DecodeError::Message(MessageError::WrongDirection { .. })
        ) {
            // our own frame echoed back: nothing the pad needs to hear about
            return;
        }
        let quiet = self
            .last_nak
            .is_none_or(|at| now.saturating_duration_since(at) >= self.config.nak_interval);
        if quiet {
            self.last_nak = Some(now);
            self.stats.naks_sent += 1;
            self.send(ToPad::Nak(NakReason::for_error(&error)));
        }
    }

    fn ping(&mut self, now: Instant) {
        self.stats.pings += 1;
        self.send(ToPad::Ping);
        self.next_ping = Some(now + self.config.ping_interval);
    }

    /// Sends the next queued command if none is waiting for its ACK.
    fn pump(&mut self, now: Instant) {
        if self.outstanding.is_some() || !self.is_linked() {
            return;
        }
        let Some(command) = self.queue.pop_front() else {
            return;
        };
        let seq = self.next_seq;
        self.next_seq = self.next_seq.checked_add(1).unwrap_or(1);
        let message = match command {
            Command::SetLeds(leds) => ToPad::Leds { seq, leds },
            Command::Play(prompt) => ToPad::Prompt { seq, prompt },
        };
        self.send(message.clone());
        self.outstanding = Some(Outstanding {
            message,
            attempts: 1,
            deadline: now + self.config.ack_timeout,
        });
    }

    /// Sends the outstanding command again, or gives it up after the last attempt.
    fn resend(&mut self, now: Instant) {
        let Some(mut o) = self.outstanding.take() else {
            return;
        };
        if o.attempts >= self.config.command_attempts {
            self.stats.commands_failed += 1;
            self.pump(now);
            return;
        }
        o.attempts += 1;
        o.deadline = now + self.config.ack_timeout;
        self.send(o.message.clone());
        self.outstanding = Some(o);
    }

    fn send(&mut self, message: ToPad) {
        self.transmit.push_back(message.encode());
    }

    fn set_health(&mut self, health: Health) {
        if self.health != Some(health) {
            self.health = Some(health);
            self.events.push_back(PadEvent::Health(health));
        }
    }
}

fn sequence_of(message: &ToPad) -> Option<u8> {
    match message {
        ToPad::Leds { seq, .. } | ToPad::Prompt { seq, .. } => Some(*seq),
        _ => None,
    }
}
