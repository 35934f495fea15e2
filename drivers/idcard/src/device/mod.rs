//! The device side: a reader (SAM + antenna) that answers request frames the way the fact
//! sheet describes, for a scripted card — what the simulator and the in-memory tests use,
//! so the real host code runs against real bytes (DESIGN.md principle 2).
//!
//! [`SimulatedReader::receive`] takes wire bytes and returns wire bytes: it decodes with the
//! same [`FrameDecoder`] as the host, answers `10`/`11` to frames it received damaged, and
//! models the card's RF session (found → selected → read/halted) including the `80`/`81`
//! answers a card left on the reader gives (§10). Faults are inputs: a persistent SAM
//! fault (`60`/`66`), one-shot status injection per command, card removal.

mod encoder;
pub mod samples;

use std::collections::VecDeque;

use kiosk_core::personal::PersonalText;

pub use encoder::{EncodeError, encode_text_block};

use crate::card::CardText;
use crate::command::{BaudRate, Command};
use crate::frame::{self, FrameDecoder, FrameError};
use crate::photo::{Fingerprint, WltPhoto};
use crate::response::{ReadPayload, Reply, SamId};
use crate::status::Status;

/// A card to put on the simulated reader: its chip content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptedCard {
    /// The text block (normally 256 bytes; any bytes may be scripted to test parsers).
    pub text: Vec<u8>,
    /// The photo block.
    pub photo: WltPhoto,
    /// Fingerprint templates, if the card holds them.
    pub fingerprint: Option<Fingerprint>,
    /// The newest appended address, if any.
    pub appended_address: Option<PersonalText>,
}

impl ScriptedCard {
    /// A card with these fields, the synthetic sample photo, no fingerprint and no
    /// appended address.
    pub fn new(text: &CardText) -> Result<Self, EncodeError> {
        Ok(Self::from_raw_text(encode_text_block(text)?.to_vec()))
    }

    /// A card whose text block is exactly `text` (e.g. a malformed or unknown-type block).
    pub fn from_raw_text(text: Vec<u8>) -> Self {
        Self {
            text,
            photo: samples::photo(),
            fingerprint: None,
            appended_address: None,
        }
    }

    /// Adds fingerprint templates.
    pub fn with_fingerprint(mut self, fingerprint: Fingerprint) -> Self {
        self.fingerprint = Some(fingerprint);
        self
    }

    /// Adds an appended address.
    pub fn with_appended_address(mut self, address: PersonalText) -> Self {
        self.appended_address = Some(address);
        self
    }

    /// Replaces the photo block.
    pub fn with_photo(mut self, photo: WltPhoto) -> Self {
        self.photo = photo;
        self
    }

    fn read_payload(&self, with_fingerprint: bool) -> ReadPayload {
        ReadPayload {
            text: self.text.clone(),
            photo: self.photo.clone(),
            fingerprint: if with_fingerprint {
                self.fingerprint.clone()
            } else {
                None
            },
        }
    }
}

/// How a card that was read and left on the antenna answers the next cycle (§10, a single-source fact:
/// "expect 80/81 for a card that was just read").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LeftCardBehaviour {
    /// Find answers `80` until the card is taken away and placed again.
    #[default]
    FindFails,
    /// Find answers `9F` but select answers `81`.
    SelectFails,
}

/// Where the card's RF session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CardState {
    /// On the antenna, not yet found.
    Present,
    /// Found (`20 01` answered `9F`).
    Found,
    /// Selected (`20 02` answered `90`).
    Selected,
    /// Read and halted: find/select fail, a direct read still works.
    Halted,
}

/// A simulated ID-card reader: SAM, antenna and maybe a card.
#[derive(Debug, Clone)]
pub struct SimulatedReader {
    sam_id: SamId,
    card: Option<(ScriptedCard, CardState)>,
    sam_fault: Option<Status>,
    injected: VecDeque<(Command, Status)>,
    left_card: LeftCardBehaviour,
    baud: BaudRate,
    max_rf_frame: Option<u8>,
    decoder: FrameDecoder,
    answered: u64,
}

impl Default for SimulatedReader {
    fn default() -> Self {
        Self::new()
    }
}

impl SimulatedReader {
    /// An empty reader with the sample SAM ID at 115200 bit/s.
    pub fn new() -> Self {
        Self {
            sam_id: samples::sam_id(),
            card: None,
            sam_fault: None,
            injected: VecDeque::new(),
            left_card: LeftCardBehaviour::default(),
            baud: BaudRate::B115200,
            max_rf_frame: None,
            decoder: FrameDecoder::new(),
            answered: 0,
        }
    }

    /// Uses another SAM ID.
    pub fn with_sam_id(mut self, sam_id: SamId) -> Self {
        self.sam_id = sam_id;
        self
    }

    /// Chooses how a card left on the reader answers.
    pub fn with_left_card_behaviour(mut self, behaviour: LeftCardBehaviour) -> Self {
        self.left_card = behaviour;
        self
    }

    /// Places a card on the antenna (replacing any other).
    pub fn place_card(&mut self, card: ScriptedCard) {
        self.card = Some((card, CardState::Present));
    }

    /// Takes the card away.
    pub fn remove_card(&mut self) -> Option<ScriptedCard> {
        self.card.take().map(|(card, _)| card)
    }

    /// Whether a card lies on the antenna.
    pub fn card_present(&self) -> bool {
        self.card.is_some()
    }

    /// Makes the SAM answer every command with `fault` (e.g. `60` self-test failed, `66`
    /// not authorised) until cleared with `None`.
    pub fn set_sam_fault(&mut self, fault: Option<Status>) {
        self.sam_fault = fault;
    }

    /// Makes the next `command` (in queue order) fail with `status`, e.g. `41` for a card
    /// pulled mid-read or `40` for a bank card.
    pub fn fail_next(&mut self, command: Command, status: Status) {
        self.injected.push_back((command, status));
    }

    /// The UART rate the SAM was last told to use.
    pub fn baud_rate(&self) -> BaudRate {
        self.baud
    }

    /// The RF frame size last set with `61 FF`.
    pub fn max_rf_frame(&self) -> Option<u8> {
        self.max_rf_frame
    }

    /// Requests answered so far (damaged ones included).
    pub fn answered(&self) -> u64 {
        self.answered
    }

    /// Wire in, wire out: decodes whatever complete request frames `bytes` finish and
    /// returns the response frames. A request received with a bad checksum gets `10`, one
    /// with an impossible length `11`; partial frames wait for the next call.
    pub fn receive(&mut self, bytes: &[u8]) -> Vec<u8> {
        self.decoder.push(bytes);
        let mut out = Vec::new();
        while let Some(event) = self.decoder.next_frame() {
            let answer = match event {
                Ok(frame) => self.respond(&Command::from_frame(&frame)),
                Err(FrameError::BadChecksum { .. }) => {
                    self.answered += 1;
                    status_frame(Status::HostChecksumError)
                }
                Err(_) => {
                    self.answered += 1;
                    status_frame(Status::HostLengthError)
                }
            };
            out.extend_from_slice(&answer);
        }
        out
    }

    /// The response frame bytes for one command.
    pub fn respond(&mut self, command: &Command) -> Vec<u8> {
        let reply = self.reply(command);
        // a scripted card too large for a frame cannot be sent; a SAM would fail the read
        reply
            .to_frame(command)
            .unwrap_or_else(|_| status_frame(Status::ReadFailed))
    }

    /// The typed reply to one command, advancing the card's session.
    pub fn reply(&mut self, command: &Command) -> Reply {
        self.answered += 1;
        if let Some(fault) = self.sam_fault {
            return Reply::Failed(fault);
        }
        if let Some(at) = self.injected.iter().position(|(c, _)| c == command)
            && let Some((_, status)) = self.injected.remove(at)
        {
            return Reply::Failed(status);
        }
        match command {
            Command::ResetSam => {
                if let Some((_, state)) = &mut self.card {
                    *state = CardState::Present;
                }
                Reply::Done
            }
            Command::SamStatus => Reply::Done,
            Command::ReadSamId => Reply::SamId(self.sam_id),
            Command::SetBaudRate(rate) => {
                self.baud = *rate;
                Reply::Done
            }
            Command::SetMaxRfFrameSize(size) => {
                self.max_rf_frame = Some(*size);
                Reply::Done
            }
            Command::FindCard => self.find(),
            Command::SelectCard => self.select(),
            Command::ReadTextPhoto => self.read(false),
            Command::ReadTextPhotoFingerprint => self.read(true),
            Command::ReadAppendedAddress => {
                self.with_read_access(|card| match &card.appended_address {
                    Some(address) => Reply::AppendedAddress(address.clone()),
                    None => Reply::NoContent,
                })
            }
            // the MID payload format is unknown (§4): the simulated card has none
            Command::ReadCardBodyNumber => self.with_read_access(|_| Reply::NoContent),
            Command::Other { .. } => Reply::Failed(Status::CommandError),
        }
    }

    fn find(&mut self) -> Reply {
        let left_card = self.left_card;
        match &mut self.card {
            None => Reply::Failed(Status::FindFailed),
            Some((_, CardState::Halted)) => match left_card {
                LeftCardBehaviour::FindFails => Reply::Failed(Status::FindFailed),
                LeftCardBehaviour::SelectFails => Reply::CardFound { iin: [0; 4] },
            },
            Some((_, state)) => {
                *state = CardState::Found;
                Reply::CardFound { iin: [0; 4] }
            }
        }
    }

    fn select(&mut self) -> Reply {
        match &mut self.card {
            Some((_, state @ (CardState::Found | CardState::Selected))) => {
                *state = CardState::Selected;
                Reply::CardSelected { sn: [0; 8] }
            }
            _ => Reply::Failed(Status::SelectFailed),
        }
    }

    fn read(&mut self, with_fingerprint: bool) -> Reply {
        let reply = self.with_read_access(|card| Reply::Read(card.read_payload(with_fingerprint)));
        if let (Reply::Read(_), Some((_, state))) = (&reply, &mut self.card) {
            *state = CardState::Halted;
        }
        reply
    }

    /// Runs `f` when the card may be read (selected, or halted after a read), else the
    /// failure a SAM gives: `41` without a card, `23` before select (unverified in the sheet).
    fn with_read_access(&self, f: impl FnOnce(&ScriptedCard) -> Reply) -> Reply {
        match &self.card {
            None => Reply::Failed(Status::ReadFailed),
            Some((card, CardState::Selected | CardState::Halted)) => f(card),
            Some(_) => Reply::Failed(Status::NotPermitted),
        }
    }
}

/// A response frame with no payload and SW `00 00 sw3`.
pub fn status_frame(status: Status) -> Vec<u8> {
    // an empty payload always fits in a frame
    frame::encode_response(0, 0, status.to_byte(), &[]).unwrap_or_default()
}
