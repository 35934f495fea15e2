//! The typed messages of both directions (PROTOCOL.md §3–4) and the streaming decoders that
//! turn bytes into them.
//!
//! Host→pad command codes are `01`–`06`; pad→host codes have the top bit set (`81`–`86`), so
//! each side can tell its own frames echoed back (some RS-485 adapters echo) from the
//! other side's.

use std::marker::PhantomData;

use crate::frame::{self, Frame, FrameDecoder, FrameError};

/// Host→pad command codes.
pub mod cmd {
    /// Are you there? Answered with STATUS.
    pub const PING: u8 = 0x01;
    /// Which firmware? Answered with VERSION.
    pub const VERSION_REQUEST: u8 = 0x02;
    /// Set the key LEDs. Answered with ACK.
    pub const LEDS: u8 = 0x03;
    /// Play a stored voice prompt. Answered with ACK.
    pub const PROMPT: u8 = 0x04;
    /// Host acknowledges a pad frame (a KEY).
    pub const ACK: u8 = 0x05;
    /// Host could not use the pad's last frame.
    pub const NAK: u8 = 0x06;
    /// Pad→host: a key was pressed.
    pub const KEY: u8 = 0x81;
    /// Pad→host: fault bits and flags (answer to PING, or unsolicited on a change).
    pub const STATUS: u8 = 0x82;
    /// Pad→host: firmware identification (answer to VERSION_REQUEST).
    pub const VERSION: u8 = 0x83;
    /// Pad→host: acknowledges LEDS or PROMPT.
    pub const PAD_ACK: u8 = 0x85;
    /// Pad→host: the pad could not use the host's last frame.
    pub const PAD_NAK: u8 = 0x86;
    /// The direction bit: set on every pad→host code.
    pub const FROM_PAD: u8 = 0x80;
}

/// A 好差评 level, one per key of the pad (国办发〔2019〕51号: five levels; the bottom two are
/// 差评). The number on the wire is the level: 5 非常满意 … 1 非常不满意.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// 非常不满意 (1)
    VeryDissatisfied = 1,
    /// 不满意 (2)
    Dissatisfied = 2,
    /// 基本满意 (3)
    Acceptable = 3,
    /// 满意 (4)
    Satisfied = 4,
    /// 非常满意 (5)
    VerySatisfied = 5,
}

impl Level {
    /// Every level, best first (the order of the pad's keys and of a keyboard pad's key map).
    pub const BEST_FIRST: [Level; 5] = [
        Level::VerySatisfied,
        Level::Satisfied,
        Level::Acceptable,
        Level::Dissatisfied,
        Level::VeryDissatisfied,
    ];

    /// The level with wire number `n` (1..=5).
    pub fn from_number(n: u8) -> Option<Level> {
        Some(match n {
            1 => Level::VeryDissatisfied,
            2 => Level::Dissatisfied,
            3 => Level::Acceptable,
            4 => Level::Satisfied,
            5 => Level::VerySatisfied,
            _ => return None,
        })
    }

    /// The wire number, 1..=5.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The level's name as the citizen reads it.
    pub fn label(self) -> &'static str {
        match self {
            Level::VeryDissatisfied => "非常不满意",
            Level::Dissatisfied => "不满意",
            Level::Acceptable => "基本满意",
            Level::Satisfied => "满意",
            Level::VerySatisfied => "非常满意",
        }
    }

    /// 不满意 and 非常不满意 are 差评.
    pub fn is_poor(self) -> bool {
        self <= Level::Dissatisfied
    }

    /// This level's bit in the LED masks: bit `level − 1`.
    fn bit(self) -> u8 {
        1 << (self.number() - 1)
    }
}

/// One key LED's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedState {
    /// Dark.
    Off,
    /// Lit steadily.
    On,
    /// Blinking (about 2 Hz, the pad's choice).
    Blink,
}

/// The five key LEDs: two masks with bit `level − 1` per key (bits 5–7 are zero). A key in
/// `blink` blinks; a key only in `on` is lit steadily; any other key is dark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Leds {
    on: u8,
    blink: u8,
}

impl Leds {
    /// The mask of the five keys.
    pub const MASK: u8 = 0x1F;
    /// All dark.
    pub const OFF: Leds = Leds { on: 0, blink: 0 };
    /// All five keys lit steadily: the rating screen invites a rating.
    pub const ALL_ON: Leds = Leds {
        on: Self::MASK,
        blink: 0,
    };

    /// LEDs from the two wire masks; `None` when a reserved bit (5–7) is set.
    pub fn from_masks(on: u8, blink: u8) -> Option<Leds> {
        ((on | blink) & !Self::MASK == 0).then_some(Leds { on, blink })
    }

    /// Only `level`'s key, blinking: the pad confirms the key that was taken.
    pub fn blinking(level: Level) -> Leds {
        Leds {
            on: 0,
            blink: level.bit(),
        }
    }

    /// This set with `level`'s key in `state`.
    pub fn with(self, level: Level, state: LedState) -> Leds {
        let bit = level.bit();
        let (on, blink) = match state {
            LedState::Off => (self.on & !bit, self.blink & !bit),
            LedState::On => (self.on | bit, self.blink & !bit),
            LedState::Blink => (self.on & !bit, self.blink | bit),
        };
        Leds { on, blink }
    }

    /// The state of `level`'s key.
    pub fn state(self, level: Level) -> LedState {
        if self.blink & level.bit() != 0 {
            LedState::Blink
        } else if self.on & level.bit() != 0 {
            LedState::On
        } else {
            LedState::Off
        }
    }

    /// The steady mask as sent.
    pub fn on_mask(self) -> u8 {
        self.on
    }

    /// The blink mask as sent.
    pub fn blink_mask(self) -> u8 {
        self.blink
    }

    /// Whether every key is dark.
    pub fn is_off(self) -> bool {
        self.on == 0 && self.blink == 0
    }
}

impl std::fmt::Display for Leds {
    /// `off`, or `on=5,4 blink=3` (levels, best first).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.is_off() {
            return f.write_str("off");
        }
        let list = |state: LedState| {
            let levels: Vec<String> = Level::BEST_FIRST
                .iter()
                .filter(|l| self.state(**l) == state)
                .map(|l| l.number().to_string())
                .collect();
            if levels.is_empty() {
                "-".to_string()
            } else {
                levels.join(",")
            }
        };
        write!(
            f,
            "on={} blink={}",
            list(LedState::On),
            list(LedState::Blink)
        )
    }
}

/// A voice prompt stored in the pad, by id. Ids 5–255 are reserved; a pad refuses them with
/// NAK `04`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prompt {
    /// Stops the prompt being played.
    Stop = 0,
    /// 请对本次服务进行评价 — the rating screen shows.
    PleaseRate = 1,
    /// 感谢您的评价 — a rating was taken.
    Thanks = 2,
    /// 感谢您的意见，我们会尽快改进 — after a 差评.
    WeWillImprove = 3,
    /// A short beep (key feedback).
    Beep = 4,
}

impl Prompt {
    /// Every prompt, by id.
    pub const ALL: [Prompt; 5] = [
        Prompt::Stop,
        Prompt::PleaseRate,
        Prompt::Thanks,
        Prompt::WeWillImprove,
        Prompt::Beep,
    ];

    /// The prompt with wire id `id`.
    pub fn from_id(id: u8) -> Option<Prompt> {
        Prompt::ALL.get(usize::from(id)).copied()
    }

    /// The wire id.
    pub fn id(self) -> u8 {
        self as u8
    }

    /// What the pad says (or does).
    pub fn text(self) -> &'static str {
        match self {
            Prompt::Stop => "（停止播放）",
            Prompt::PleaseRate => "请对本次服务进行评价",
            Prompt::Thanks => "感谢您的评价",
            Prompt::WeWillImprove => "感谢您的意见，我们会尽快改进",
            Prompt::Beep => "（提示音）",
        }
    }

    /// A short English name (control lines, logs).
    pub fn name(self) -> &'static str {
        match self {
            Prompt::Stop => "stop",
            Prompt::PleaseRate => "please-rate",
            Prompt::Thanks => "thanks",
            Prompt::WeWillImprove => "we-will-improve",
            Prompt::Beep => "beep",
        }
    }
}

/// The pad's fault bits (STATUS byte 1). Any bit set makes the pad Degraded: it still takes
/// ratings, but a technician should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Faults(pub u8);

impl Faults {
    /// A key has been held down for more than 10 s (stuck or jammed).
    pub const KEY_STUCK: Faults = Faults(0x01);
    /// The speaker or its amplifier does not respond.
    pub const SPEAKER: Faults = Faults(0x02);
    /// An LED driver reports an open or shorted LED.
    pub const LED: Faults = Faults(0x04);
    /// The voice-prompt flash fails its checksum.
    pub const VOICE_STORE: Faults = Faults(0x08);
    /// The supply voltage is low.
    pub const SUPPLY: Faults = Faults(0x10);
    /// No fault.
    pub const NONE: Faults = Faults(0);

    /// Whether no bit is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether every bit of `other` is set.
    pub fn contains(self, other: Faults) -> bool {
        self.0 & other.0 == other.0
    }

    /// The names of the bits set (reserved bits 5–7 as `bitN`), for the maintenance menu.
    pub fn names(self) -> Vec<String> {
        const NAMES: [&str; 5] = [
            "按键卡住",
            "扬声器故障",
            "指示灯故障",
            "语音存储故障",
            "电压过低",
        ];
        (0..8)
            .filter(|bit| self.0 & (1 << bit) != 0)
            .map(|bit| match NAMES.get(bit) {
                Some(name) => (*name).to_string(),
                None => format!("bit{bit}"),
            })
            .collect()
    }
}

impl std::ops::BitOr for Faults {
    type Output = Faults;
    fn bitor(self, rhs: Faults) -> Faults {
        Faults(self.0 | rhs.0)
    }
}

/// STATUS byte 2: set in every STATUS from power-up until the pad has taken a LEDS command,
/// so the host knows the pad restarted (LEDs dark, key numbering restarted) and restores the
/// LEDs it wants.
pub const FLAG_FRESH: u8 = 0x01;

/// Why a frame was refused (NAK payload). `01`/`02` ask the sender to send again; `03`/`04`
/// say sending the same again will not help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NakReason {
    /// The CRC did not match.
    BadChecksum,
    /// The length, end byte or timing was wrong (a false start or a cut frame).
    BadFraming,
    /// The command code is not one this side knows.
    UnknownCommand,
    /// The command is known but its payload is not acceptable (length, level, prompt id,
    /// reserved bits).
    BadPayload,
    /// A reason code this side does not know.
    Other(u8),
}

impl NakReason {
    /// The wire code.
    pub fn code(self) -> u8 {
        match self {
            NakReason::BadChecksum => 1,
            NakReason::BadFraming => 2,
            NakReason::UnknownCommand => 3,
            NakReason::BadPayload => 4,
            NakReason::Other(code) => code,
        }
    }

    /// The reason for wire code `code`.
    pub fn from_code(code: u8) -> NakReason {
        match code {
            1 => NakReason::BadChecksum,
            2 => NakReason::BadFraming,
            3 => NakReason::UnknownCommand,
            4 => NakReason::BadPayload,
            other => NakReason::Other(other),
        }
    }

    /// Whether the refused frame is worth sending again (it was damaged on the way).
    pub fn worth_resending(self) -> bool {
        matches!(self, NakReason::BadChecksum | NakReason::BadFraming)
    }

    /// The NAK that answers a frame that could not be decoded.
    pub fn for_error(error: &DecodeError) -> NakReason {
        match error {
            DecodeError::Frame(FrameError::BadChecksum { .. }) => NakReason::BadChecksum,
            DecodeError::Frame(_) => NakReason::BadFraming,
            DecodeError::Message(MessageError::UnknownCommand { .. }) => NakReason::UnknownCommand,
            DecodeError::Message(_) => NakReason::BadPayload,
        }
    }
}

/// The longest model name a VERSION answer carries.
pub const MAX_MODEL: usize = 16;

/// The pad's identification (VERSION payload).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
    protocol: u8,
    firmware: [u8; 3],
    model: String,
}

impl Version {
    /// The protocol version this crate speaks.
    pub const PROTOCOL: u8 = 1;

    /// A version; `None` when `model` is longer than 16 bytes or not printable ASCII.
    pub fn new(protocol: u8, firmware: [u8; 3], model: &str) -> Option<Version> {
        (model.len() <= MAX_MODEL && model.bytes().all(|b| b.is_ascii_graphic() || b == b' ')).then(
            || Version {
                protocol,
                firmware,
                model: model.to_string(),
            },
        )
    }

    /// What the simulated pad reports: model `PJQ-5 SIM`, firmware 1.0.0, this protocol.
    pub fn simulated() -> Version {
        Version {
            protocol: Self::PROTOCOL,
            firmware: [1, 0, 0],
            model: "PJQ-5 SIM".to_string(),
        }
    }

    /// The protocol version the pad speaks.
    pub fn protocol(&self) -> u8 {
        self.protocol
    }

    /// Firmware major, minor, patch.
    pub fn firmware(&self) -> [u8; 3] {
        self.firmware
    }

    /// The model name (printable ASCII, at most 16 bytes).
    pub fn model(&self) -> &str {
        &self.model
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let [major, minor, patch] = self.firmware;
        write!(
            f,
            "{} firmware {major}.{minor}.{patch} protocol {}",
            self.model, self.protocol
        )
    }
}

/// Why a good frame is not a message of the expected direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    /// No command of either direction has this code.
    #[error("unknown command {cmd:02X}")]
    UnknownCommand {
        /// The command byte.
        cmd: u8,
    },
    /// A command of the other direction (this side's own frame echoed back, or crossed
    /// wires).
    #[error("command {cmd:02X} goes the other way")]
    WrongDirection {
        /// The command byte.
        cmd: u8,
    },
    /// The payload has the wrong length for the command.
    #[error("command {cmd:02X} with {len} payload bytes, expected {expected}")]
    BadPayloadLength {
        /// The command byte.
        cmd: u8,
        /// Payload bytes received.
        len: usize,
        /// What the command takes (e.g. `2`, `4..=20`).
        expected: &'static str,
    },
    /// A KEY with a level outside 1..=5.
    #[error("key level {0} outside 1..=5")]
    BadLevel(u8),
    /// A sequence number of 0 where 1..=255 is required (KEY, LEDS, PROMPT).
    #[error("sequence number 0 where 1..=255 is required")]
    ZeroSequence,
    /// A PROMPT id that is not in the table.
    #[error("unknown prompt id {0}")]
    UnknownPrompt(u8),
    /// LED masks with a reserved bit (5–7) set.
    #[error("LED masks {on:02X}/{blink:02X} set reserved bits")]
    BadLeds {
        /// The steady mask.
        on: u8,
        /// The blink mask.
        blink: u8,
    },
    /// A VERSION model name that is not printable ASCII.
    #[error("model name is not printable ASCII")]
    BadModel,
}

/// A message from the host to the pad.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ToPad {
    /// PING `01`: answered with STATUS.
    Ping,
    /// VERSION request `02`: answered with VERSION.
    VersionRequest,
    /// LEDS `03 seq on blink`: answered with ACK `03 seq`.
    Leds {
        /// The host's sequence number, 1..=255.
        seq: u8,
        /// What to show.
        leds: Leds,
    },
    /// PROMPT `04 seq id`: answered with ACK `04 seq`; a repeat with the same `seq` is
    /// acknowledged but not played again.
    Prompt {
        /// The host's sequence number, 1..=255.
        seq: u8,
        /// What to play.
        prompt: Prompt,
    },
    /// ACK `05 cmd seq`: the host took the pad's frame `cmd` numbered `seq` (a KEY).
    Ack {
        /// The acknowledged command code.
        cmd: u8,
        /// Its sequence number.
        seq: u8,
    },
    /// NAK `06 reason`.
    Nak(NakReason),
}

/// A message from the pad to the host.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FromPad {
    /// KEY `81 level seq`: a key was pressed. Repeated with the same `seq` until acknowledged.
    Key {
        /// Which key.
        level: Level,
        /// The pad's press number, 1..=255 then 1 again.
        seq: u8,
    },
    /// STATUS `82 faults flags`.
    Status {
        /// Fault bits.
        faults: Faults,
        /// Flags ([`FLAG_FRESH`]; other bits reserved, ignored).
        flags: u8,
    },
    /// VERSION `83 protocol major minor patch model…`.
    Version(Version),
    /// ACK `85 cmd seq`: the pad took LEDS or PROMPT numbered `seq`.
    Ack {
        /// The acknowledged command code.
        cmd: u8,
        /// Its sequence number.
        seq: u8,
    },
    /// NAK `86 reason`.
    Nak(NakReason),
}

fn expect_len(f: &Frame, len: usize, expected: &'static str) -> Result<(), MessageError> {
    if f.payload().len() == len {
        Ok(())
    } else {
        Err(MessageError::BadPayloadLength {
            cmd: f.cmd(),
            len: f.payload().len(),
            expected,
        })
    }
}

fn nonzero(seq: u8) -> Result<u8, MessageError> {
    if seq == 0 {
        Err(MessageError::ZeroSequence)
    } else {
        Ok(seq)
    }
}

impl ToPad {
    /// The command code.
    pub fn cmd(&self) -> u8 {
        match self {
            ToPad::Ping => cmd::PING,
            ToPad::VersionRequest => cmd::VERSION_REQUEST,
            ToPad::Leds { .. } => cmd::LEDS,
            ToPad::Prompt { .. } => cmd::PROMPT,
            ToPad::Ack { .. } => cmd::ACK,
            ToPad::Nak(_) => cmd::NAK,
        }
    }

    /// The message's wire bytes.
    pub fn encode(&self) -> Vec<u8> {
        let payload: Vec<u8> = match self {
            ToPad::Ping | ToPad::VersionRequest => vec![],
            ToPad::Leds { seq, leds } => vec![*seq, leds.on, leds.blink],
            ToPad::Prompt { seq, prompt } => vec![*seq, prompt.id()],
            ToPad::Ack { cmd, seq } => vec![*cmd, *seq],
            ToPad::Nak(reason) => vec![reason.code()],
        };
        frame::encode_parts(self.cmd(), &payload)
    }

    /// Reads a frame as a host→pad message (the pad's side).
    pub fn from_frame(f: &Frame) -> Result<ToPad, MessageError> {
        let p = f.payload();
        Ok(match f.cmd() {
            cmd::PING => {
                expect_len(f, 0, "0")?;
                ToPad::Ping
            }
            cmd::VERSION_REQUEST => {
                expect_len(f, 0, "0")?;
                ToPad::VersionRequest
            }
            cmd::LEDS => {
                expect_len(f, 3, "3")?;
                ToPad::Leds {
                    seq: nonzero(p[0])?,
                    leds: Leds::from_masks(p[1], p[2]).ok_or(MessageError::BadLeds {
                        on: p[1],
                        blink: p[2],
                    })?,
                }
            }
            cmd::PROMPT => {
                expect_len(f, 2, "2")?;
                ToPad::Prompt {
                    seq: nonzero(p[0])?,
                    prompt: Prompt::from_id(p[1]).ok_or(MessageError::UnknownPrompt(p[1]))?,
                }
            }
            cmd::ACK => {
                expect_len(f, 2, "2")?;
                ToPad::Ack {
                    cmd: p[0],
                    seq: p[1],
                }
            }
            cmd::NAK => {
                expect_len(f, 1, "1")?;
                ToPad::Nak(NakReason::from_code(p[0]))
            }
            other => return Err(unknown_or_wrong_way(other, false)),
        })
    }
}

impl FromPad {
    /// The command code.
    pub fn cmd(&self) -> u8 {
        match self {
            FromPad::Key { .. } => cmd::KEY,
            FromPad::Status { .. } => cmd::STATUS,
            FromPad::Version(_) => cmd::VERSION,
            FromPad::Ack { .. } => cmd::PAD_ACK,
            FromPad::Nak(_) => cmd::PAD_NAK,
        }
    }

    /// The message's wire bytes.
    pub fn encode(&self) -> Vec<u8> {
        let payload: Vec<u8> = match self {
            FromPad::Key { level, seq } => vec![level.number(), *seq],
            FromPad::Status { faults, flags } => vec![faults.0, *flags],
            FromPad::Version(v) => {
                let mut p = vec![v.protocol];
                p.extend_from_slice(&v.firmware);
                // ≤ 16 bytes: `Version::new` and `from_frame` check it
                p.extend_from_slice(v.model.as_bytes());
                p
            }
            FromPad::Ack { cmd, seq } => vec![*cmd, *seq],
            FromPad::Nak(reason) => vec![reason.code()],
        };
        frame::encode_parts(self.cmd(), &payload)
    }

    /// Reads a frame as a pad→host message (the host's side).
    pub fn from_frame(f: &Frame) -> Result<FromPad, MessageError> {
        let p = f.payload();
        Ok(match f.cmd() {
            cmd::KEY => {
                expect_len(f, 2, "2")?;
                FromPad::Key {
                    level: Level::from_number(p[0]).ok_or(MessageError::BadLevel(p[0]))?,
                    seq: nonzero(p[1])?,
                }
            }
            cmd::STATUS => {
                expect_len(f, 2, "2")?;
                FromPad::Status {
                    faults: Faults(p[0]),
                    flags: p[1],
                }
            }
            cmd::VERSION => match p {
                [protocol, major, minor, patch, model @ ..] if model.len() <= MAX_MODEL => {
                    let model = std::str::from_utf8(model).map_err(|_| MessageError::BadModel)?;
                    FromPad::Version(
                        Version::new(*protocol, [*major, *minor, *patch], model)
                            .ok_or(MessageError::BadModel)?,
                    )
                }
                _ => {
                    return Err(MessageError::BadPayloadLength {
                        cmd: f.cmd(),
                        len: p.len(),
                        expected: "4..=20",
                    });
                }
            },
            cmd::PAD_ACK => {
                expect_len(f, 2, "2")?;
                FromPad::Ack {
                    cmd: p[0],
                    seq: p[1],
                }
            }
            cmd::PAD_NAK => {
                expect_len(f, 1, "1")?;
                FromPad::Nak(NakReason::from_code(p[0]))
            }
            other => return Err(unknown_or_wrong_way(other, true)),
        })
    }
}

fn unknown_or_wrong_way(code: u8, expecting_from_pad: bool) -> MessageError {
    let host_codes = cmd::PING..=cmd::NAK;
    let pad_codes = [
        cmd::KEY,
        cmd::STATUS,
        cmd::VERSION,
        cmd::PAD_ACK,
        cmd::PAD_NAK,
    ];
    let other_way = if expecting_from_pad {
        host_codes.contains(&code)
    } else {
        pad_codes.contains(&code)
    };
    if other_way {
        MessageError::WrongDirection { cmd: code }
    } else {
        MessageError::UnknownCommand { cmd: code }
    }
}

/// Why bytes did not give a message: a bad frame, or a good frame that is no message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The frame itself was bad.
    #[error(transparent)]
    Frame(#[from] FrameError),
    /// The frame was good but not a message of the expected direction.
    #[error(transparent)]
    Message(#[from] MessageError),
}

/// A message type that can be read from a frame (one per direction).
pub trait Message: Sized {
    /// Reads the frame as this direction's message.
    fn from_frame(frame: &Frame) -> Result<Self, MessageError>;
}

impl Message for ToPad {
    fn from_frame(frame: &Frame) -> Result<Self, MessageError> {
        ToPad::from_frame(frame)
    }
}

impl Message for FromPad {
    fn from_frame(frame: &Frame) -> Result<Self, MessageError> {
        FromPad::from_frame(frame)
    }
}

/// A streaming decoder of one direction's messages: bytes in any chunks → messages and
/// typed errors. It never panics, whatever the bytes.
#[derive(Debug, Clone)]
pub struct Decoder<M> {
    frames: FrameDecoder,
    _message: PhantomData<fn() -> M>,
}

/// What the host decodes: the pad's messages.
pub type HostDecoder = Decoder<FromPad>;
/// What the pad decodes: the host's messages.
pub type PadDecoder = Decoder<ToPad>;

impl<M: Message> Default for Decoder<M> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M: Message> Decoder<M> {
    /// An empty decoder.
    pub fn new() -> Self {
        Self {
            frames: FrameDecoder::new(),
            _message: PhantomData,
        }
    }

    /// Appends received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        self.frames.push(bytes);
    }

    /// The next message or error, or `None` until more bytes arrive.
    pub fn next_message(&mut self) -> Option<Result<M, DecodeError>> {
        let frame = self.frames.next_frame()?;
        Some(
            frame
                .map_err(DecodeError::from)
                .and_then(|f| M::from_frame(&f).map_err(DecodeError::from)),
        )
    }

    /// Gives up a partial frame after the inter-byte timeout (see
    /// [`FrameDecoder::abandon_partial`]).
    pub fn abandon_partial(&mut self) -> Option<DecodeError> {
        self.frames.abandon_partial().map(DecodeError::from)
    }

    /// Bytes held that are not yet part of a delivered frame.
    pub fn buffered(&self) -> usize {
        self.frames.buffered()
    }

    /// Drops everything buffered.
    pub fn clear(&mut self) {
        self.frames.clear();
    }

    /// The frame layer's counters.
    pub fn stats(&self) -> frame::DecoderStats {
        self.frames.stats()
    }
}
