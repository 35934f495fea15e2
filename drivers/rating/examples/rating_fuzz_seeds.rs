//! Writes seed inputs for the `rating_frame_decoder` fuzz target in `fuzz/`: every message of
//! both directions, a whole host↔pad conversation as each side receives it, and damaged
//! frames followed by good ones (without seeds the fuzzer rarely gets past the CRC).
//!
//! Run with `cargo run -p rating --example rating_fuzz_seeds -- fuzz/seeds` from the repository
//! root; it writes `<dir>/rating_frame_decoder/*`. Each seed is a chunk-seed byte followed by
//! the stream.

use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rating::device::{PadConfig, PadDevice};
use rating::message::{
    FLAG_FRESH, Faults, FromPad, Leds, Level, NakReason, Prompt, ToPad, Version, cmd,
};
use rating::{Command, HostSession, SessionConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(std::env::args().nth(1).ok_or("usage: fuzz_seeds <dir>")?);
    let dir = root.join("rating_frame_decoder");
    fs::create_dir_all(&dir)?;
    let write = |name: &str, seed: u8, stream: &[u8]| {
        fs::write(dir.join(name), [&[seed][..], stream].concat())
    };

    let to_pad: Vec<ToPad> = vec![
        ToPad::Ping,
        ToPad::VersionRequest,
        ToPad::Leds {
            seq: 1,
            leds: Leds::ALL_ON,
        },
        ToPad::Leds {
            seq: 2,
            leds: Leds::blinking(Level::VerySatisfied),
        },
        ToPad::Prompt {
            seq: 3,
            prompt: Prompt::PleaseRate,
        },
        ToPad::Ack {
            cmd: cmd::KEY,
            seq: 7,
        },
        ToPad::Nak(NakReason::BadChecksum),
    ];
    write(
        "to_pad",
        7,
        &to_pad.iter().flat_map(ToPad::encode).collect::<Vec<u8>>(),
    )?;

    let from_pad: Vec<FromPad> = vec![
        FromPad::Status {
            faults: Faults::NONE,
            flags: FLAG_FRESH,
        },
        FromPad::Version(Version::simulated()),
        FromPad::Key {
            level: Level::VerySatisfied,
            seq: 7,
        },
        FromPad::Key {
            level: Level::VerySatisfied,
            seq: 7,
        },
        FromPad::Status {
            faults: Faults::SPEAKER,
            flags: 0,
        },
        FromPad::Ack {
            cmd: cmd::LEDS,
            seq: 1,
        },
        FromPad::Nak(NakReason::BadFraming),
    ];
    let from_pad_bytes: Vec<u8> = from_pad.iter().flat_map(FromPad::encode).collect();
    write("from_pad", 3, &from_pad_bytes)?;

    // damaged frames, each followed by a good one
    let good = FromPad::Key {
        level: Level::Acceptable,
        seq: 9,
    }
    .encode();
    let mut bad_crc = good.clone();
    let at = bad_crc.len() - 2;
    bad_crc[at] ^= 0x5A;
    let damaged = [
        &[0x00, 0xFF, 0xA5, 0x40, 0x13][..],
        &good,
        &bad_crc,
        &good,
        &[0xA5, 0x02],
        &good,
        &[0xA5, 0x20, 0xA5],
        &good,
    ]
    .concat();
    write("damaged", 11, &damaged)?;

    // a conversation: what each side received, in order
    let start = Instant::now();
    let mut now = start;
    let mut host = HostSession::new(SessionConfig::default());
    let mut pad = PadDevice::new(Version::simulated(), PadConfig::default());
    host.link_up(now);
    let (mut to_host, mut to_pad_stream) = (Vec::new(), Vec::new());
    let mut step = |host: &mut HostSession, pad: &mut PadDevice, now: Instant| loop {
        let mut moved = false;
        while let Some(f) = host.poll_transmit() {
            moved = true;
            pad.receive(&f, now);
            to_pad_stream.extend(f);
        }
        while let Some(f) = pad.poll_transmit() {
            moved = true;
            host.push_bytes(&f, now);
            to_host.extend(f);
        }
        if !moved {
            break;
        }
    };
    step(&mut host, &mut pad, now);
    host.command(Command::SetLeds(Leds::ALL_ON), now);
    host.command(Command::Play(Prompt::PleaseRate), now);
    step(&mut host, &mut pad, now);
    for level in Level::BEST_FIRST {
        now += Duration::from_millis(400);
        pad.press(level, now);
        host.tick(now);
        step(&mut host, &mut pad, now);
    }
    pad.set_faults(Faults::LED);
    host.command(Command::Play(Prompt::Thanks), now);
    step(&mut host, &mut pad, now);
    write("session_to_host", 5, &to_host)?;
    write("session_to_pad", 13, &to_pad_stream)?;
    Ok(())
}
