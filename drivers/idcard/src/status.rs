//! SW3, the SAM status byte (fact sheet §5), as a typed value with the SAM's own wording.
//!
//! Success is **not** always `90`: find card answers `9F`. [`Status::is_success`] accepts
//! both; [`crate::command::Command::success_status`] says which one a command expects.

use std::fmt;

/// The SAM status byte (SW3) of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// `90` operation succeeded.
    Success,
    /// `9F` find card succeeded (only `20 01` answers this).
    FindSuccess,
    /// `91` this item has no content on the card (e.g. no appended address).
    NoContent,
    /// `10` the checksum of the host's frame was wrong.
    HostChecksumError,
    /// `11` the length of the host's frame was wrong.
    HostLengthError,
    /// `21` command error (bad value or bad combination).
    CommandError,
    /// `23` operation not permitted (越权操作).
    NotPermitted,
    /// `24` unrecognisable error.
    UnrecognisedError,
    /// `31` the card failed to authenticate the SAM.
    CardAuthenticatesSamFailed,
    /// `32` the SAM failed to authenticate the card.
    SamAuthenticatesCardFailed,
    /// `33` information verification error.
    VerificationError,
    /// `40` unrecognised card type (e.g. a bank card on the antenna).
    UnknownCardType,
    /// `41` read-card operation failed (card moved away mid-read).
    ReadFailed,
    /// `47` getting a random number failed.
    RandomNumberFailed,
    /// `60` SAM self-test failed, cannot accept commands.
    SamSelfTestFailed,
    /// `66` SAM not authorised, cannot be used.
    SamNotAuthorised,
    /// `80` find card failed (no card: the normal idle answer).
    FindFailed,
    /// `81` select card failed.
    SelectFailed,
    /// Any other byte (vendor codes; libsamv's `FF` "communication failure" is a host-side
    /// pseudo code and never on the wire).
    Other(u8),
}

/// How the kiosk should react to a status, so drivers do not re-derive it from bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusClass {
    /// `90` / `9F`.
    Success,
    /// `91`: the item is simply absent.
    NoContent,
    /// `80` / `81`: no (new) card on the reader — normal, restart the cycle.
    NoCard,
    /// `10` / `11`: the SAM did not receive our frame intact — resend.
    HostFrameRejected,
    /// `31 32 33 40 41 47`: the card could not be read — ask to re-place or retry.
    CardProblem,
    /// `21 23 24`: the SAM refused the command — retry, then reset.
    CommandRefused,
    /// `60` / `66`: the SAM itself is unusable — hardware alarm.
    SamFault,
    /// An unknown code.
    Unknown,
}

impl Status {
    /// Maps SW3 to a status.
    pub fn from_byte(byte: u8) -> Self {
        match byte {
            0x90 => Self::Success,
            0x9F => Self::FindSuccess,
            0x91 => Self::NoContent,
            0x10 => Self::HostChecksumError,
            0x11 => Self::HostLengthError,
            0x21 => Self::CommandError,
            0x23 => Self::NotPermitted,
            0x24 => Self::UnrecognisedError,
            0x31 => Self::CardAuthenticatesSamFailed,
            0x32 => Self::SamAuthenticatesCardFailed,
            0x33 => Self::VerificationError,
            0x40 => Self::UnknownCardType,
            0x41 => Self::ReadFailed,
            0x47 => Self::RandomNumberFailed,
            0x60 => Self::SamSelfTestFailed,
            0x66 => Self::SamNotAuthorised,
            0x80 => Self::FindFailed,
            0x81 => Self::SelectFailed,
            other => Self::Other(other),
        }
    }

    /// The SW3 byte.
    pub fn to_byte(self) -> u8 {
        match self {
            Self::Success => 0x90,
            Self::FindSuccess => 0x9F,
            Self::NoContent => 0x91,
            Self::HostChecksumError => 0x10,
            Self::HostLengthError => 0x11,
            Self::CommandError => 0x21,
            Self::NotPermitted => 0x23,
            Self::UnrecognisedError => 0x24,
            Self::CardAuthenticatesSamFailed => 0x31,
            Self::SamAuthenticatesCardFailed => 0x32,
            Self::VerificationError => 0x33,
            Self::UnknownCardType => 0x40,
            Self::ReadFailed => 0x41,
            Self::RandomNumberFailed => 0x47,
            Self::SamSelfTestFailed => 0x60,
            Self::SamNotAuthorised => 0x66,
            Self::FindFailed => 0x80,
            Self::SelectFailed => 0x81,
            Self::Other(b) => b,
        }
    }

    /// `90` or `9F`. Which of the two a command answers is in
    /// [`crate::command::Command::success_status`].
    pub fn is_success(self) -> bool {
        matches!(self, Self::Success | Self::FindSuccess)
    }

    /// The kiosk's reaction class.
    pub fn class(self) -> StatusClass {
        match self {
            Self::Success | Self::FindSuccess => StatusClass::Success,
            Self::NoContent => StatusClass::NoContent,
            Self::FindFailed | Self::SelectFailed => StatusClass::NoCard,
            Self::HostChecksumError | Self::HostLengthError => StatusClass::HostFrameRejected,
            Self::CardAuthenticatesSamFailed
            | Self::SamAuthenticatesCardFailed
            | Self::VerificationError
            | Self::UnknownCardType
            | Self::ReadFailed
            | Self::RandomNumberFailed => StatusClass::CardProblem,
            Self::CommandError | Self::NotPermitted | Self::UnrecognisedError => {
                StatusClass::CommandRefused
            }
            Self::SamSelfTestFailed | Self::SamNotAuthorised => StatusClass::SamFault,
            Self::Other(_) => StatusClass::Unknown,
        }
    }

    /// The SAM's meaning in Chinese (the wording of the SAM interface documents).
    pub fn meaning_zh(self) -> &'static str {
        match self {
            Self::Success => "操作成功",
            Self::FindSuccess => "寻找证/卡成功",
            Self::NoContent => "证/卡中此项无内容",
            Self::HostChecksumError => "接收业务终端数据的校验和错",
            Self::HostLengthError => "接收业务终端数据的长度错",
            Self::CommandError => "接收业务终端的命令错误",
            Self::NotPermitted => "越权操作",
            Self::UnrecognisedError => "无法识别的错误",
            Self::CardAuthenticatesSamFailed => "证/卡认证SAM失败",
            Self::SamAuthenticatesCardFailed => "SAM认证证/卡失败",
            Self::VerificationError => "信息验证错误",
            Self::UnknownCardType => "无法识别的卡类型",
            Self::ReadFailed => "读证/卡操作失败",
            Self::RandomNumberFailed => "取随机数失败",
            Self::SamSelfTestFailed => "SAM自检失败，不能接收命令",
            Self::SamNotAuthorised => "SAM未经授权，无法使用",
            Self::FindFailed => "寻找证/卡失败",
            Self::SelectFailed => "选取证/卡失败",
            Self::Other(_) => "未知状态",
        }
    }

    /// The meaning in English.
    pub fn meaning_en(self) -> &'static str {
        match self {
            Self::Success => "operation succeeded",
            Self::FindSuccess => "find card succeeded",
            Self::NoContent => "this item has no content on the card",
            Self::HostChecksumError => "checksum of the host's frame wrong",
            Self::HostLengthError => "length of the host's frame wrong",
            Self::CommandError => "command error",
            Self::NotPermitted => "operation not permitted",
            Self::UnrecognisedError => "unrecognisable error",
            Self::CardAuthenticatesSamFailed => "card failed to authenticate the SAM",
            Self::SamAuthenticatesCardFailed => "SAM failed to authenticate the card",
            Self::VerificationError => "information verification error",
            Self::UnknownCardType => "unrecognised card type",
            Self::ReadFailed => "read-card operation failed",
            Self::RandomNumberFailed => "getting a random number failed",
            Self::SamSelfTestFailed => "SAM self-test failed, cannot accept commands",
            Self::SamNotAuthorised => "SAM not authorised, cannot be used",
            Self::FindFailed => "find card failed",
            Self::SelectFailed => "select card failed",
            Self::Other(_) => "unknown status",
        }
    }
}

impl From<u8> for Status {
    fn from(byte: u8) -> Self {
        Self::from_byte(byte)
    }
}

impl From<Status> for u8 {
    fn from(status: Status) -> Self {
        status.to_byte()
    }
}

impl fmt::Display for Status {
    /// `SW3 80 寻找证/卡失败 (find card failed)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SW3 {:02X} {} ({})",
            self.to_byte(),
            self.meaning_zh(),
            self.meaning_en()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_round_trips() {
        for b in 0..=u8::MAX {
            assert_eq!(Status::from_byte(b).to_byte(), b);
        }
    }
}
