//! The host side of one read cycle, without I/O: find → select → read → optional appended
//! address (fact sheet §4 "recommended read cycle").
//!
//! [`ReadCycle`] emits the next command's bytes ([`Step::Send`]) and consumes decoded
//! response frames; the driver owns the port, the [`crate::frame::FrameDecoder`] and the
//! timer ([`Outgoing::timeout`] says how long to wait). Retry rules, from §5, §10 and §13:
//!
//! - `80` to find is the normal "no card" answer → [`Outcome::NoCard`].
//! - `81` to select (a card just read and left on the antenna, or not re-findable) restarts
//!   the cycle, at most [`CycleOptions::max_restarts`] times, then → `NoCard`.
//! - `41` to a read (card moved mid-read) restarts the cycle likewise, then →
//!   [`Outcome::DeviceError`].
//! - `10`/`11` (the SAM received our frame damaged) and replies that arrive damaged are
//!   resent, at most [`CycleOptions::max_resends`] times.
//! - With [`CycleOptions::read_card_left_on_reader`], a find `80` or a final select `81` is
//!   followed by a read anyway, as several implementations do to re-read a card that
//!   stayed on the reader; if that read fails, the answer is `NoCard`.
//! - Any other failure status ends the cycle with `DeviceError` (e.g. `60`/`66`, SAM unusable).
//! - A failed appended-address read does not lose the card: it is recorded in
//!   [`AppendedAddress::Failed`].

use std::time::Duration;

use crate::card::{AppendedAddress, CardData, CardError};
use crate::command::Command;
use crate::frame::{Frame, FrameDecoder, FrameError};
use crate::response::{Reply, ResponseError};
use crate::status::{Status, StatusClass};

/// Knobs of a read cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CycleOptions {
    /// Read with `30 10` (text, photo, fingerprint) instead of `30 01`.
    pub with_fingerprint: bool,
    /// Follow a good read with `30 03` (newest appended address).
    pub appended_address: bool,
    /// Read even after find `80` / select `81`, to re-read a card left on the reader.
    pub read_card_left_on_reader: bool,
    /// Cycle restarts allowed after select `81` or read `41`.
    pub max_restarts: u8,
    /// Resends of one command after `10`/`11` or a damaged reply.
    pub max_resends: u8,
}

impl Default for CycleOptions {
    /// `30 01`, then the appended address; one restart, one resend; no forced re-read.
    fn default() -> Self {
        Self {
            with_fingerprint: false,
            appended_address: true,
            read_card_left_on_reader: false,
            max_restarts: 1,
            max_resends: 1,
        }
    }
}

/// A command for the driver to write, with what it needs to wait for the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The command.
    pub command: Command,
    /// Its frame bytes.
    pub bytes: Vec<u8>,
}

impl Outgoing {
    /// How long to wait for the answer (see [`Command::timeout`]).
    pub fn timeout(&self) -> Duration {
        self.command.timeout()
    }

    /// The longest answer to expect (see [`Command::max_response_len`]).
    pub fn max_response_len(&self) -> usize {
        self.command.max_response_len()
    }
}

/// Why a cycle's data could not be understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unparseable {
    /// Replies kept arriving damaged (or could not be encoded).
    #[error("frame: {0}")]
    Frame(FrameError),
    /// A reply did not fit its command.
    #[error("response: {0}")]
    Response(ResponseError),
    /// The text block could not be parsed (unknown card type, bad field…).
    #[error("card: {0}")]
    Card(CardError),
}

/// How a read cycle ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No (new) card on the reader — the normal idle answer.
    NoCard,
    /// A card was read.
    CardRead(Box<CardData>),
    /// The SAM reported a failure that retrying within the cycle did not cure.
    DeviceError(Status),
    /// The reader answered, but with data that cannot be understood.
    Unparseable(Unparseable),
    /// The driver's timer ran out waiting for the answer to this command.
    NoResponse(Command),
}

/// What the driver should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Write these bytes and wait for one response frame.
    Send(Outgoing),
    /// The cycle is over.
    Finished(Outcome),
    /// The input was not expected (no command outstanding); nothing to do.
    Ignored,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Idle,
    Find,
    Select,
    /// `forced`: reading after find/select failed (card left on the reader).
    Read {
        forced: bool,
    },
    Address,
    Done,
}

/// One read cycle's state machine. Create one per cycle (or call [`ReadCycle::start`]
/// again to reuse it).
#[derive(Debug, Clone)]
pub struct ReadCycle {
    options: CycleOptions,
    stage: Stage,
    pending: Option<Command>,
    restarts: u8,
    resends: u8,
    card: Option<Box<CardData>>,
}

impl ReadCycle {
    /// A cycle with these options; nothing is sent until [`ReadCycle::start`].
    pub fn new(options: CycleOptions) -> Self {
        Self {
            options,
            stage: Stage::Idle,
            pending: None,
            restarts: 0,
            resends: 0,
            card: None,
        }
    }

    /// Starts (or restarts) the cycle: the first step is always find card.
    pub fn start(&mut self) -> Step {
        self.restarts = 0;
        self.card = None;
        self.stage = Stage::Find;
        self.send(Command::FindCard)
    }

    /// The command whose answer is awaited, if any.
    pub fn awaiting(&self) -> Option<&Command> {
        self.pending.as_ref()
    }

    /// True once the cycle has produced its outcome.
    pub fn is_finished(&self) -> bool {
        self.stage == Stage::Done
    }

    /// A decoded response frame arrived.
    pub fn on_frame(&mut self, frame: &Frame) -> Step {
        let Some(command) = self.pending.clone() else {
            return Step::Ignored;
        };
        match Reply::parse(&command, frame) {
            Ok(reply) => self.on_reply(command, reply),
            Err(ResponseError::Frame(e)) => self.resend_or(command, Unparseable::Frame(e)),
            Err(e) => self.finish(Outcome::Unparseable(Unparseable::Response(e))),
        }
    }

    /// The decoder reported a damaged reply (bad checksum or length): resend the command,
    /// or give up when resends are used up.
    pub fn on_frame_error(&mut self, error: FrameError) -> Step {
        let Some(command) = self.pending.clone() else {
            return Step::Ignored;
        };
        self.resend_or(command, Unparseable::Frame(error))
    }

    /// The driver's timer ran out for the outstanding command.
    pub fn on_timeout(&mut self) -> Step {
        match self.pending.clone() {
            Some(command) => self.finish(Outcome::NoResponse(command)),
            None => Step::Ignored,
        }
    }

    fn on_reply(&mut self, command: Command, reply: Reply) -> Step {
        if let Reply::Failed(status) = reply
            && status.class() == StatusClass::HostFrameRejected
        {
            return if self.resends < self.options.max_resends {
                self.resends += 1;
                self.send(command)
            } else {
                self.finish(Outcome::DeviceError(status))
            };
        }
        match (self.stage, reply) {
            (Stage::Find, Reply::CardFound { .. }) => {
                self.stage = Stage::Select;
                self.send(Command::SelectCard)
            }
            (Stage::Find, Reply::Failed(Status::FindFailed)) => self.no_card_or_forced_read(),
            (Stage::Select, Reply::CardSelected { .. }) => self.read(false),
            (Stage::Select, Reply::Failed(Status::SelectFailed)) => {
                if self.restarts < self.options.max_restarts {
                    self.restart()
                } else {
                    self.no_card_or_forced_read()
                }
            }
            (Stage::Read { .. }, Reply::Read(payload)) => match CardData::from_read(payload) {
                Ok(card) => {
                    if self.options.appended_address {
                        self.card = Some(Box::new(card));
                        self.stage = Stage::Address;
                        self.send(Command::ReadAppendedAddress)
                    } else {
                        self.finish(Outcome::CardRead(Box::new(card)))
                    }
                }
                Err(e) => self.finish(Outcome::Unparseable(Unparseable::Card(e))),
            },
            (Stage::Read { forced: true }, failed) => {
                let status = failed.status();
                if status.class() == StatusClass::SamFault {
                    self.finish(Outcome::DeviceError(status))
                } else {
                    self.finish(Outcome::NoCard)
                }
            }
            (Stage::Read { forced: false }, Reply::Failed(Status::ReadFailed))
                if self.restarts < self.options.max_restarts =>
            {
                self.restart()
            }
            (Stage::Address, reply) => {
                let appended = match reply {
                    Reply::AppendedAddress(address) => AppendedAddress::Present(address),
                    Reply::NoContent => AppendedAddress::Absent,
                    other => AppendedAddress::Failed(other.status()),
                };
                match self.card.take() {
                    Some(mut card) => {
                        card.appended_address = appended;
                        self.finish(Outcome::CardRead(card))
                    }
                    // unreachable by construction: Address follows a parsed read
                    None => self.finish(Outcome::DeviceError(Status::UnrecognisedError)),
                }
            }
            (_, other) => self.finish(Outcome::DeviceError(other.status())),
        }
    }

    fn read(&mut self, forced: bool) -> Step {
        self.stage = Stage::Read { forced };
        self.send(if self.options.with_fingerprint {
            Command::ReadTextPhotoFingerprint
        } else {
            Command::ReadTextPhoto
        })
    }

    fn no_card_or_forced_read(&mut self) -> Step {
        if self.options.read_card_left_on_reader {
            self.read(true)
        } else {
            self.finish(Outcome::NoCard)
        }
    }

    fn restart(&mut self) -> Step {
        self.restarts += 1;
        self.stage = Stage::Find;
        self.send(Command::FindCard)
    }

    fn resend_or(&mut self, command: Command, failure: Unparseable) -> Step {
        if self.resends < self.options.max_resends {
            self.resends += 1;
            self.send(command)
        } else {
            self.finish(Outcome::Unparseable(failure))
        }
    }

    fn send(&mut self, command: Command) -> Step {
        if self.pending.as_ref() != Some(&command) {
            self.resends = 0;
        }
        match command.encode() {
            Ok(bytes) => {
                self.pending = Some(command.clone());
                Step::Send(Outgoing { command, bytes })
            }
            Err(e) => self.finish(Outcome::Unparseable(Unparseable::Frame(e))),
        }
    }

    fn finish(&mut self, outcome: Outcome) -> Step {
        self.stage = Stage::Done;
        self.pending = None;
        self.card = None;
        Step::Finished(outcome)
    }
}

/// Runs a whole cycle over an in-memory transport: `exchange` takes request bytes and
/// returns whatever bytes come back (e.g. [`crate::device::SimulatedReader::receive`]).
/// No bytes, or no complete frame, counts as a timeout. For simulators and tests; a real
/// driver does the same loop with a port and a timer.
pub fn run_cycle(cycle: &mut ReadCycle, mut exchange: impl FnMut(&[u8]) -> Vec<u8>) -> Outcome {
    let mut decoder = FrameDecoder::new();
    let mut step = cycle.start();
    // every step sends, finishes or is ignored; the cycle's retry bounds make this finite,
    // the cap only guards against a faulty exchange function
    for _ in 0..64 {
        match step {
            Step::Finished(outcome) => return outcome,
            Step::Ignored => return Outcome::NoResponse(Command::FindCard),
            Step::Send(out) => {
                decoder.push(&exchange(&out.bytes));
                step = match decoder.next_frame() {
                    Some(Ok(frame)) => cycle.on_frame(&frame),
                    Some(Err(e)) => cycle.on_frame_error(e),
                    None => {
                        decoder.abandon_partial();
                        cycle.on_timeout()
                    }
                };
            }
        }
    }
    Outcome::NoResponse(cycle.awaiting().cloned().unwrap_or(Command::FindCard))
}
