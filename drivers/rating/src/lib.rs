//! The 好差评 rating pad: a five-key 评价器 (非常满意 … 非常不满意) with a LED per key and a
//! speaker with stored voice prompts, on a serial line.
//!
//! The wire protocol is our own design, documented in `PROTOCOL.md` next to this crate's
//! `Cargo.toml` (section numbers below refer to it): length-framed, CRC-8 checked, with
//! press numbers so a repeated KEY frame counts once. Nothing in the codec does I/O: the
//! driver and the simulator are thin loops around the two sides of it.
//!
//! | module | job |
//! |---|---|
//! | [`frame`] | `A5 LEN CMD payload CRC 5A` frames: encode, CRC-8, streaming decoder that resyncs |
//! | [`message`] | typed messages of both directions ([`ToPad`], [`FromPad`]), levels, LEDs, prompts, fault bits, typed decoders |
//! | [`host`] | the host side as a state machine: pings, health, press dedup, ACK/resend, NAK |
//! | [`device`] | the pad side as a state machine: keys with resend, LEDs, prompts, faults |
//! | [`link`] | the byte link: serial port / pty, in-memory duplex |
//! | [`driver`] | the driver thread over a link: events, commands, reconnects, counters |
//! | [`sim`] | the simulated pad served over a link, with faults |
//! | [`keymap`] | USB-keyboard pads: which key is which level, names and Slint key texts |

pub mod device;
pub mod driver;
pub mod frame;
pub mod host;
pub mod keymap;
pub mod link;
pub mod message;
pub mod sim;

pub use driver::{Driver, DriverConfig};
pub use frame::{Frame, FrameDecoder, FrameError};
pub use host::{Command, Health, HostSession, PadEvent, SessionConfig};
pub use keymap::{KeyMap, KeyMapError};
pub use message::{
    DecodeError, Faults, FromPad, LedState, Leds, Level, MessageError, NakReason, Prompt, ToPad,
    Version,
};
