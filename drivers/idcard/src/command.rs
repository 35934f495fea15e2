//! The host's commands (fact sheet §4) as a typed enum, encoded and decoded the same way on
//! both sides: the host builds frames with [`Command::encode`], the device side reads them
//! back with [`Command::from_request`].
//!
//! Each command also says what the driver needs to wait for its answer: the success status
//! (`9F` for find, `90` otherwise), the longest possible response frame and a timeout taken
//! from working implementations (§10).

use std::time::Duration;

use crate::frame::{self, Frame, FrameError, RequestView};
use crate::status::Status;

/// UART rates the SAM can be switched to with `60 xx`.
///
/// Only `00`, `02` and `04` were seen in code; `01` and `03` follow from the order of the
/// rate list (fact sheet §4, §13.11). Leave the reader at 115200.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BaudRate {
    /// `00` — the default.
    B115200,
    /// `01` (inferred from the list order).
    B57600,
    /// `02`.
    B38400,
    /// `03` (inferred from the list order).
    B19200,
    /// `04`.
    B9600,
}

impl BaudRate {
    /// All rates, in code order.
    pub const ALL: [BaudRate; 5] = [
        Self::B115200,
        Self::B57600,
        Self::B38400,
        Self::B19200,
        Self::B9600,
    ];

    /// The Para byte of `60 xx`.
    pub fn code(self) -> u8 {
        match self {
            Self::B115200 => 0x00,
            Self::B57600 => 0x01,
            Self::B38400 => 0x02,
            Self::B19200 => 0x03,
            Self::B9600 => 0x04,
        }
    }

    /// The rate for a Para byte, if it is one of the five.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Bits per second, for reopening the port after the switch.
    pub fn bits_per_second(self) -> u32 {
        match self {
            Self::B115200 => 115_200,
            Self::B57600 => 57_600,
            Self::B38400 => 38_400,
            Self::B19200 => 19_200,
            Self::B9600 => 9_600,
        }
    }
}

/// A host→SAM command.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Command {
    /// `10 FF` reset the SAM (复位 SAM_A).
    ResetSam,
    /// `11 FF` SAM status check (状态检测), a health check.
    SamStatus,
    /// `12 FF` read the SAM ID (SAM management information).
    ReadSamId,
    /// `20 01` find card; answers `9F` on success.
    FindCard,
    /// `20 02` select card.
    SelectCard,
    /// `30 01` read the text block and the photo.
    ReadTextPhoto,
    /// `30 03` read the newest appended address; `91` when there is none.
    ReadAppendedAddress,
    /// `30 05` read the card-body management number (MID); payload format unknown.
    ReadCardBodyNumber,
    /// `30 10` read text, photo and fingerprint.
    ReadTextPhotoFingerprint,
    /// `60 xx` switch the UART rate (answered at the old rate).
    SetBaudRate(BaudRate),
    /// `61 FF nn` set the maximum bytes per RF frame between SAM and RF module.
    SetMaxRfFrameSize(u8),
    /// Any other CMD/Para/Data (vendor extensions such as `A0 03`, or a known CMD with an
    /// unknown Para); the SAM answers `21` to those it does not know.
    Other {
        /// Command byte.
        cmd: u8,
        /// Parameter byte.
        para: u8,
        /// Data bytes (at most [`frame::MAX_REQUEST_DATA`] encode).
        data: Vec<u8>,
    },
}

impl Command {
    /// Every fixed command of §4 (one baud code and one RF size stand for their families).
    pub const STANDARD: [Command; 11] = [
        Self::ResetSam,
        Self::SamStatus,
        Self::ReadSamId,
        Self::FindCard,
        Self::SelectCard,
        Self::ReadTextPhoto,
        Self::ReadAppendedAddress,
        Self::ReadCardBodyNumber,
        Self::ReadTextPhotoFingerprint,
        Self::SetBaudRate(BaudRate::B115200),
        Self::SetMaxRfFrameSize(0x50),
    ];

    /// Builds the typed command for raw parts; anything not in §4 (or with the wrong data
    /// length) becomes [`Command::Other`]. Never fails: a device must answer every request.
    pub fn from_parts(cmd: u8, para: u8, data: &[u8]) -> Self {
        match (cmd, para, data) {
            (0x10, 0xFF, []) => Self::ResetSam,
            (0x11, 0xFF, []) => Self::SamStatus,
            (0x12, 0xFF, []) => Self::ReadSamId,
            (0x20, 0x01, []) => Self::FindCard,
            (0x20, 0x02, []) => Self::SelectCard,
            (0x30, 0x01, []) => Self::ReadTextPhoto,
            (0x30, 0x03, []) => Self::ReadAppendedAddress,
            (0x30, 0x05, []) => Self::ReadCardBodyNumber,
            (0x30, 0x10, []) => Self::ReadTextPhotoFingerprint,
            (0x60, code, []) => match BaudRate::from_code(code) {
                Some(rate) => Self::SetBaudRate(rate),
                None => Self::other(cmd, para, data),
            },
            (0x61, 0xFF, [size]) => Self::SetMaxRfFrameSize(*size),
            _ => Self::other(cmd, para, data),
        }
    }

    fn other(cmd: u8, para: u8, data: &[u8]) -> Self {
        Self::Other {
            cmd,
            para,
            data: data.to_vec(),
        }
    }

    /// Reads the command of a decoded request.
    pub fn from_request(request: &RequestView<'_>) -> Self {
        Self::from_parts(request.cmd, request.para, request.data)
    }

    /// Reads the command of a decoded frame (device side).
    pub fn from_frame(frame: &Frame) -> Self {
        Self::from_request(&frame.request())
    }

    /// The CMD byte.
    pub fn cmd(&self) -> u8 {
        match self {
            Self::ResetSam => 0x10,
            Self::SamStatus => 0x11,
            Self::ReadSamId => 0x12,
            Self::FindCard | Self::SelectCard => 0x20,
            Self::ReadTextPhoto
            | Self::ReadAppendedAddress
            | Self::ReadCardBodyNumber
            | Self::ReadTextPhotoFingerprint => 0x30,
            Self::SetBaudRate(_) => 0x60,
            Self::SetMaxRfFrameSize(_) => 0x61,
            Self::Other { cmd, .. } => *cmd,
        }
    }

    /// The Para byte.
    pub fn para(&self) -> u8 {
        match self {
            Self::ResetSam | Self::SamStatus | Self::ReadSamId | Self::SetMaxRfFrameSize(_) => 0xFF,
            Self::FindCard | Self::ReadTextPhoto => 0x01,
            Self::SelectCard => 0x02,
            Self::ReadAppendedAddress => 0x03,
            Self::ReadCardBodyNumber => 0x05,
            Self::ReadTextPhotoFingerprint => 0x10,
            Self::SetBaudRate(rate) => rate.code(),
            Self::Other { para, .. } => *para,
        }
    }

    /// Data bytes after Para (only `61 FF` and vendor commands carry any).
    pub fn data(&self) -> &[u8] {
        match self {
            Self::SetMaxRfFrameSize(size) => std::slice::from_ref(size),
            Self::Other { data, .. } => data,
            _ => &[],
        }
    }

    /// The request frame bytes. Fails only for an [`Command::Other`] with more data than a
    /// frame holds.
    pub fn encode(&self) -> Result<Vec<u8>, FrameError> {
        frame::encode_request(self.cmd(), self.para(), self.data())
    }

    /// The SW3 that means success for this command: `9F` for find, `90` for the rest.
    pub fn success_status(&self) -> Status {
        match self {
            Self::FindCard => Status::FindSuccess,
            _ => Status::Success,
        }
    }

    /// The longest response frame this command can get (the largest success answer; error
    /// answers are 11 bytes). Unknown payloads get the protocol maximum.
    pub fn max_response_len(&self) -> usize {
        match self {
            Self::ResetSam
            | Self::SamStatus
            | Self::SetBaudRate(_)
            | Self::SetMaxRfFrameSize(_) => 11,
            Self::ReadSamId => 27,
            Self::FindCard => 15,
            Self::SelectCard => 19,
            Self::ReadTextPhoto => 1295,
            Self::ReadAppendedAddress => 81,
            Self::ReadTextPhotoFingerprint | Self::ReadCardBodyNumber | Self::Other { .. } => {
                frame::MAX_FRAME_LEN
            }
        }
    }

    /// How long a driver should wait for the answer at 115200 bit/s. From working code
    /// (§10): find/select 100 ms, `30 01` 2 s, `30 10` 3 s, `30 03` 1.5 s, SAM ID 300 ms.
    /// The sheet gives nothing for reset, status, baud, RF size and vendor commands; 1 s is
    /// this crate's choice for those.
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(match self {
            Self::FindCard | Self::SelectCard => 100,
            Self::ReadTextPhoto => 2000,
            Self::ReadTextPhotoFingerprint => 3000,
            Self::ReadAppendedAddress => 1500,
            Self::ReadSamId => 300,
            Self::ResetSam
            | Self::SamStatus
            | Self::SetBaudRate(_)
            | Self::SetMaxRfFrameSize(_)
            | Self::ReadCardBodyNumber
            | Self::Other { .. } => 1000,
        })
    }

    /// A short label for logs and counters (no data bytes).
    pub fn name(&self) -> &'static str {
        match self {
            Self::ResetSam => "reset SAM",
            Self::SamStatus => "SAM status",
            Self::ReadSamId => "read SAM ID",
            Self::FindCard => "find card",
            Self::SelectCard => "select card",
            Self::ReadTextPhoto => "read text+photo",
            Self::ReadAppendedAddress => "read appended address",
            Self::ReadCardBodyNumber => "read card-body number",
            Self::ReadTextPhotoFingerprint => "read text+photo+fingerprint",
            Self::SetBaudRate(_) => "set baud rate",
            Self::SetMaxRfFrameSize(_) => "set max RF frame size",
            Self::Other { .. } => "other command",
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn standard_commands_round_trip() {
        for c in Command::STANDARD {
            let frame = Frame::parse(&c.encode().unwrap()).unwrap();
            assert_eq!(Command::from_frame(&frame), c);
        }
    }
}
