//! Sans-IO protocol crate for the second-generation ID-card reader (身份证阅读器, the
//! Ministry of Public Security "SAM" protocol, GA/T 467), host side and device side.
//!
//! Follows `shared/reference/idcard.md` (the fact sheet; section numbers in the docs refer
//! to it). Nothing here does I/O: a driver feeds bytes in and writes bytes out, a simulator
//! answers with the same codec.
//!
//! | module | job |
//! |---|---|
//! | [`frame`] | the `AA AA AA 96 69` frame: encode, streaming decode |
//! | [`command`] | every host command, encoded/decoded on both sides |
//! | [`status`] | SW3 status codes with their meaning |
//! | [`response`] | typed payloads of each command's answer |
//! | [`card`] | the 256-byte text block of all four card types, [`card::CardData`] |
//! | [`photo`] | raw WLT photo and fingerprint, the [`photo::PhotoDecoder`] seam |
//! | [`device`] | the reader side: simulated SAM, text-block encoder, sample cards |
//! | [`host`] | the host's read-cycle state machine |
//! | [`link`] | the byte link: serial port / pty, in-memory duplex |
//! | [`driver`] | the poll loop over a link: card presented/removed, device state, counters |
//! | [`vendor_photo`] | the WLT photo decoder over the vendor's shared library (the only `unsafe`) |
//! | [`sim`] | the simulator served over a link, with scripted cards and faults |
//!
//! Personal data (names, numbers, addresses, birth dates, photo, fingerprints) masks itself
//! in `Debug`/`Display`; clear values need an explicit `reveal()` or
//! [`card::CardData::record`].

pub mod card;
pub mod command;
pub mod device;
pub mod driver;
pub mod frame;
pub mod host;
pub mod link;
pub mod photo;
pub mod response;
pub mod sim;
pub mod status;
pub mod vendor_photo;

pub use card::{CardData, CardError, CardRecord, CardText, CardType};
pub use command::Command;
pub use frame::{Frame, FrameDecoder, FrameError};
pub use host::{CycleOptions, Outcome, ReadCycle, Step};
pub use response::{Reply, ResponseError};
pub use status::Status;
