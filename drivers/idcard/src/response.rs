//! Typed response payloads (fact sheet §6), parsed and built for a known command.
//!
//! A response can only be read knowing the command it answers (§6.2: "know which command
//! you sent"): [`Reply::parse`] takes both. [`Reply::to_frame`] is the inverse, used by the
//! device side. Read payloads are split by their big-endian length fields, never by fixed
//! offsets, so a `30 10` answer with no fingerprint (length 0) parses too.

use std::fmt;

use kiosk_core::personal::PersonalText;

use crate::card::{CardError, Field, ucs2};
use crate::command::Command;
use crate::frame::{self, Frame, FrameError, ResponseView};
use crate::photo::{Fingerprint, WltPhoto};
use crate::status::Status;

/// Size of the appended-address payload of `30 03` (35 UCS-2 characters).
pub const APPENDED_ADDRESS_LEN: usize = 70;

/// Why a response frame does not fit the command it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    /// The frame is not a response at all.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// SW3 reports success but SW1/SW2 are not `00 00`.
    #[error("card status SW1 SW2 = {sw1:02X} {sw2:02X}")]
    CardStatus {
        /// SW1.
        sw1: u8,
        /// SW2.
        sw2: u8,
    },
    /// The wrong success code for this command (`90` to find, `9F` to anything else).
    #[error("success code {found} where {expected} was due")]
    UnexpectedSuccess {
        /// The command's success code.
        expected: Status,
        /// What came.
        found: Status,
    },
    /// A fixed-size payload has the wrong size.
    #[error("payload of {found} bytes, expected {expected}")]
    PayloadLength {
        /// Bytes the command's answer has.
        expected: usize,
        /// Bytes received.
        found: usize,
    },
    /// The length fields of a read payload do not add up to the payload.
    #[error("read payload length fields say {declared} bytes, payload has {found}")]
    LengthFields {
        /// Header plus the lengths it declares.
        declared: usize,
        /// Bytes received.
        found: usize,
    },
    /// The appended address is not UCS-2 text.
    #[error("appended address: {0}")]
    Address(CardError),
    /// An appended address to encode needs more than 35 UCS-2 characters.
    #[error("appended address needs {units} UCS-2 characters, 35 fit")]
    AddressTooLong {
        /// Code units needed.
        units: usize,
    },
}

/// The SAM module's 16-byte ID (§6.3), printed `AA.BB-CCCCCCCC-DDDDDDDDDD-EEEEEEEEEE`
/// with groups 4 and 5 as **unsigned** 10-digit numbers (sources disagree; §14.2).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SamId([u8; 16]);

impl SamId {
    /// Wraps the raw bytes.
    pub fn new(raw: [u8; 16]) -> Self {
        Self(raw)
    }

    /// The raw bytes (stored as read; licence-bound photo decoders take the first 12).
    pub fn raw(&self) -> &[u8; 16] {
        &self.0
    }

    /// The five little-endian groups: 16-bit, 16-bit, 32-bit (a date), 32-bit, 32-bit.
    pub fn groups(&self) -> (u16, u16, u32, u32, u32) {
        let b = &self.0;
        (
            u16::from_le_bytes([b[0], b[1]]),
            u16::from_le_bytes([b[2], b[3]]),
            u32::from_le_bytes([b[4], b[5], b[6], b[7]]),
            u32::from_le_bytes([b[8], b[9], b[10], b[11]]),
            u32::from_le_bytes([b[12], b[13], b[14], b[15]]),
        )
    }
}

impl fmt::Display for SamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b, c, d, e) = self.groups();
        write!(f, "{a:02}.{b:02}-{c:08}-{d:010}-{e:010}")
    }
}

impl fmt::Debug for SamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SamId({self})")
    }
}

/// The payload of `30 01` / `30 10`: text block, photo, optional fingerprint, raw.
#[derive(Clone, PartialEq, Eq)]
pub struct ReadPayload {
    /// The text block (256 bytes on every known card; parse with
    /// [`crate::card::CardText::parse`]).
    pub text: Vec<u8>,
    /// The WLT photo (1024 bytes).
    pub photo: WltPhoto,
    /// The fingerprint block; `None` for `30 01` or a `30 10` answer with length 0.
    pub fingerprint: Option<Fingerprint>,
}

impl fmt::Debug for ReadPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadPayload")
            .field("text_len", &self.text.len())
            .field("photo", &self.photo)
            .field("fingerprint", &self.fingerprint)
            .finish()
    }
}

fn be16(bytes: &[u8], at: usize) -> usize {
    match bytes.get(at..at + 2) {
        Some(&[hi, lo]) => usize::from(u16::from_be_bytes([hi, lo])),
        _ => 0,
    }
}

impl ReadPayload {
    /// Splits a read payload by its length fields: `text_len photo_len [fp_len]` (each
    /// 16-bit big-endian), then the blocks. `with_fingerprint` is whether `30 10` was sent.
    pub fn parse(payload: &[u8], with_fingerprint: bool) -> Result<Self, ResponseError> {
        let header = if with_fingerprint { 6 } else { 4 };
        if payload.len() < header {
            return Err(ResponseError::LengthFields {
                declared: header,
                found: payload.len(),
            });
        }
        let text_len = be16(payload, 0);
        let photo_len = be16(payload, 2);
        let fp_len = if with_fingerprint {
            be16(payload, 4)
        } else {
            0
        };
        let declared = header + text_len + photo_len + fp_len;
        if declared != payload.len() {
            return Err(ResponseError::LengthFields {
                declared,
                found: payload.len(),
            });
        }
        let (text, rest) = payload[header..].split_at(text_len);
        let (photo, fingerprint) = rest.split_at(photo_len);
        Ok(Self {
            text: text.to_vec(),
            photo: WltPhoto::new(photo.to_vec()),
            fingerprint: (!fingerprint.is_empty()).then(|| Fingerprint::new(fingerprint.to_vec())),
        })
    }

    /// The response frame carrying this payload with SW `00 00 90`. `with_fingerprint`
    /// selects the 6-byte header of `30 10` (a missing fingerprint is sent as length 0).
    pub fn to_frame(&self, with_fingerprint: bool) -> Result<Vec<u8>, FrameError> {
        let fp: &[u8] = self.fingerprint.as_ref().map_or(&[], Fingerprint::as_bytes);
        let too_long = |n: usize| u16::try_from(n).map_err(|_| FrameError::TooLong { body: n });
        let mut header = Vec::with_capacity(6);
        header.extend_from_slice(&too_long(self.text.len())?.to_be_bytes());
        header.extend_from_slice(&too_long(self.photo.len())?.to_be_bytes());
        if with_fingerprint {
            header.extend_from_slice(&too_long(fp.len())?.to_be_bytes());
        }
        let sw = [0, 0, Status::Success.to_byte()];
        let mut parts: Vec<&[u8]> = vec![&sw, &header, &self.text, self.photo.as_bytes()];
        if with_fingerprint {
            parts.push(fp);
        }
        frame::encode_parts(&parts)
    }
}

/// A response, typed by the command it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// `90` with no payload (reset, status, baud rate, RF frame size).
    Done,
    /// `9F` to find card, with the 4 "IIN" bytes (zero in practice).
    CardFound {
        /// The IIN bytes.
        iin: [u8; 4],
    },
    /// `90` to select card, with the 8 "SN" bytes (zero in practice).
    CardSelected {
        /// The SN bytes.
        sn: [u8; 8],
    },
    /// The SAM ID.
    SamId(SamId),
    /// Text, photo and maybe fingerprint.
    Read(ReadPayload),
    /// The newest appended address (trimmed).
    AppendedAddress(PersonalText),
    /// `91`: the card holds no such item.
    NoContent,
    /// A success whose payload format is unknown (`30 05`, vendor commands).
    Raw(Vec<u8>),
    /// Any other status: the command failed.
    Failed(Status),
}

fn fixed<const N: usize>(payload: &[u8]) -> Result<[u8; N], ResponseError> {
    <[u8; N]>::try_from(payload).map_err(|_| ResponseError::PayloadLength {
        expected: N,
        found: payload.len(),
    })
}

impl Reply {
    /// Reads `frame` as the answer to `command`.
    pub fn parse(command: &Command, frame: &Frame) -> Result<Self, ResponseError> {
        Self::from_view(command, &frame.response()?)
    }

    /// Reads an already split response as the answer to `command`.
    pub fn from_view(command: &Command, view: &ResponseView<'_>) -> Result<Self, ResponseError> {
        let status = view.status;
        if !status.is_success() {
            return Ok(match status {
                Status::NoContent => Self::NoContent,
                other => Self::Failed(other),
            });
        }
        let expected = command.success_status();
        if status != expected && !matches!(command, Command::Other { .. }) {
            return Err(ResponseError::UnexpectedSuccess {
                expected,
                found: status,
            });
        }
        if view.sw1 != 0 || view.sw2 != 0 {
            return Err(ResponseError::CardStatus {
                sw1: view.sw1,
                sw2: view.sw2,
            });
        }
        let p = view.payload;
        Ok(match command {
            Command::ResetSam
            | Command::SamStatus
            | Command::SetBaudRate(_)
            | Command::SetMaxRfFrameSize(_) => {
                fixed::<0>(p)?;
                Self::Done
            }
            Command::ReadSamId => Self::SamId(SamId::new(fixed(p)?)),
            Command::FindCard => Self::CardFound { iin: fixed(p)? },
            Command::SelectCard => Self::CardSelected { sn: fixed(p)? },
            Command::ReadTextPhoto => Self::Read(ReadPayload::parse(p, false)?),
            Command::ReadTextPhotoFingerprint => Self::Read(ReadPayload::parse(p, true)?),
            Command::ReadAppendedAddress => Self::AppendedAddress(parse_appended_address(p)?),
            Command::ReadCardBodyNumber | Command::Other { .. } => Self::Raw(p.to_vec()),
        })
    }

    /// The SW3 this reply is sent with.
    pub fn status(&self) -> Status {
        match self {
            Self::CardFound { .. } => Status::FindSuccess,
            Self::NoContent => Status::NoContent,
            Self::Failed(status) => *status,
            _ => Status::Success,
        }
    }

    /// The response frame for this reply to `command` (device side). SW1/SW2 are `00 00`.
    pub fn to_frame(&self, command: &Command) -> Result<Vec<u8>, ResponseError> {
        let sw3 = self.status().to_byte();
        let plain = |payload: &[u8]| frame::encode_response(0, 0, sw3, payload);
        Ok(match self {
            Self::Done | Self::NoContent | Self::Failed(_) => plain(&[])?,
            Self::CardFound { iin } => plain(iin)?,
            Self::CardSelected { sn } => plain(sn)?,
            Self::SamId(id) => plain(id.raw())?,
            Self::Raw(bytes) => plain(bytes)?,
            Self::Read(read) => {
                read.to_frame(matches!(command, Command::ReadTextPhotoFingerprint))?
            }
            Self::AppendedAddress(address) => {
                let mut payload = [0u8; APPENDED_ADDRESS_LEN];
                ucs2::write_padded(&mut payload, address.reveal())
                    .map_err(|units| ResponseError::AddressTooLong { units })?;
                plain(&payload)?
            }
        })
    }
}

/// Decodes the `30 03` payload: UCS-2LE, space padded. Any even length is accepted (the
/// sheet's 70 bytes come from one source).
pub fn parse_appended_address(payload: &[u8]) -> Result<PersonalText, ResponseError> {
    if !payload.len().is_multiple_of(2) {
        return Err(ResponseError::Address(CardError::OddLength {
            len: payload.len(),
        }));
    }
    ucs2::decode_bytes_trimmed(payload)
        .map(PersonalText::new)
        .ok_or(ResponseError::Address(CardError::InvalidUtf16 {
            field: Field::AppendedAddress,
        }))
}
