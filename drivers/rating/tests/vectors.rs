//! PROTOCOL.md's byte vectors, byte for byte: every row of §7 is encoded by the crate and
//! decoded back, the table in the document is read and compared with the same list, every
//! frame of the §7.1 session decodes in its direction, the §2.2 CRC example and the §7.2
//! damage examples behave as described.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rating::frame::{self, Frame, FrameDecoder, FrameError};
use rating::message::{
    FLAG_FRESH, Faults, FromPad, HostDecoder, Leds, Level, NakReason, PadDecoder, Prompt, ToPad,
    Version, cmd,
};
use rating::{DecodeError, SessionConfig};

const DOC: &str = include_str!("../PROTOCOL.md");

fn hex(text: &str) -> Vec<u8> {
    text.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}

fn show(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

enum Msg {
    Host(ToPad),
    Pad(FromPad),
}

/// The §7 table as the code sees it: id, message, the bytes written in the document.
fn vectors() -> Vec<(&'static str, Msg, &'static str)> {
    use Msg::{Host, Pad};
    vec![
        ("V1", Host(ToPad::Ping), "A5 01 01 12 5A"),
        ("V2", Host(ToPad::VersionRequest), "A5 01 02 1B 5A"),
        (
            "V3",
            Host(ToPad::Leds {
                seq: 1,
                leds: Leds::ALL_ON,
            }),
            "A5 04 03 01 1F 00 4A 5A",
        ),
        (
            "V4",
            Host(ToPad::Leds {
                seq: 2,
                leds: Leds::blinking(Level::VerySatisfied),
            }),
            "A5 04 03 02 00 10 13 5A",
        ),
        (
            "V5",
            Host(ToPad::Leds {
                seq: 3,
                leds: Leds::OFF,
            }),
            "A5 04 03 03 00 00 08 5A",
        ),
        (
            "V6",
            Host(ToPad::Prompt {
                seq: 4,
                prompt: Prompt::PleaseRate,
            }),
            "A5 03 04 04 01 C2 5A",
        ),
        (
            "V7",
            Host(ToPad::Prompt {
                seq: 5,
                prompt: Prompt::Thanks,
            }),
            "A5 03 04 05 02 DE 5A",
        ),
        (
            "V8",
            Host(ToPad::Ack {
                cmd: cmd::KEY,
                seq: 7,
            }),
            "A5 03 05 81 07 4C 5A",
        ),
        (
            "V9",
            Host(ToPad::Nak(NakReason::BadChecksum)),
            "A5 02 06 01 AF 5A",
        ),
        (
            "V10",
            Pad(FromPad::Key {
                level: Level::VerySatisfied,
                seq: 7,
            }),
            "A5 03 81 05 07 0E 5A",
        ),
        (
            "V11",
            Pad(FromPad::Key {
                level: Level::VeryDissatisfied,
                seq: 8,
            }),
            "A5 03 81 01 08 77 5A",
        ),
        (
            "V12",
            Pad(FromPad::Status {
                faults: Faults::NONE,
                flags: 0,
            }),
            "A5 03 82 00 00 E7 5A",
        ),
        (
            "V13",
            Pad(FromPad::Status {
                faults: Faults::NONE,
                flags: FLAG_FRESH,
            }),
            "A5 03 82 00 01 E0 5A",
        ),
        (
            "V14",
            Pad(FromPad::Status {
                faults: Faults::SPEAKER,
                flags: 0,
            }),
            "A5 03 82 02 00 CD 5A",
        ),
        (
            "V15",
            Pad(FromPad::Version(
                Version::new(1, [1, 0, 0], "PJQ-5 SIM").unwrap(),
            )),
            "A5 0E 83 01 01 00 00 50 4A 51 2D 35 20 53 49 4D 9F 5A",
        ),
        (
            "V16",
            Pad(FromPad::Ack {
                cmd: cmd::LEDS,
                seq: 1,
            }),
            "A5 03 85 03 01 C9 5A",
        ),
        (
            "V17",
            Pad(FromPad::Nak(NakReason::BadFraming)),
            "A5 02 86 02 10 5A",
        ),
    ]
}

/// `| V3 | host → pad | … | `A5 …` |` rows of §7: id → bytes.
fn doc_rows() -> Vec<(String, Vec<u8>)> {
    DOC.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            match cells.as_slice() {
                ["", id, _, _, bytes, ""] if id.starts_with('V') => {
                    Some((id.to_string(), hex(bytes.trim_matches('`'))))
                }
                _ => None,
            }
        })
        .collect()
}

fn decode_host(bytes: &[u8]) -> ToPad {
    let mut d = PadDecoder::new();
    d.push(bytes);
    let m = d.next_message().unwrap().unwrap();
    assert!(d.next_message().is_none());
    m
}

fn decode_pad(bytes: &[u8]) -> FromPad {
    let mut d = HostDecoder::new();
    d.push(bytes);
    let m = d.next_message().unwrap().unwrap();
    assert!(d.next_message().is_none());
    m
}

#[test]
fn every_vector_encodes_and_decodes_byte_for_byte() {
    for (id, message, text) in vectors() {
        let bytes = hex(text);
        let frame = Frame::parse(&bytes).unwrap();
        assert_eq!(frame.encode(), bytes, "{id}");
        match message {
            Msg::Host(m) => {
                assert_eq!(m.encode(), bytes, "{id}: {}", show(&m.encode()));
                assert_eq!(decode_host(&bytes), m, "{id}");
                assert_eq!(ToPad::from_frame(&frame).unwrap(), m, "{id}");
            }
            Msg::Pad(m) => {
                assert_eq!(m.encode(), bytes, "{id}: {}", show(&m.encode()));
                assert_eq!(decode_pad(&bytes), m, "{id}");
                assert_eq!(FromPad::from_frame(&frame).unwrap(), m, "{id}");
            }
        }
    }
}

#[test]
fn the_document_table_is_the_same_list() {
    let rows = doc_rows();
    let ours: Vec<(String, Vec<u8>)> = vectors()
        .into_iter()
        .map(|(id, _, text)| (id.to_string(), hex(text)))
        .collect();
    for (id, bytes) in &ours {
        let doc = rows.iter().find(|(d, _)| d == id);
        assert_eq!(
            doc.map(|(_, b)| b),
            Some(bytes),
            "PROTOCOL.md §7 row {id} should read `{}`",
            show(bytes)
        );
    }
    assert_eq!(rows.len(), ours.len(), "rows in PROTOCOL.md §7: {rows:?}");
}

#[test]
fn every_frame_of_the_session_decodes_in_its_direction() {
    let start = DOC.find("### 7.1").unwrap();
    let block = &DOC[start..];
    let block = &block[block.find("```text").unwrap() + 7..];
    let block = &block[..block.find("```").unwrap()];
    let mut frames = 0;
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let (direction, rest) = line.split_at(line.find("  ").unwrap());
        // the bytes are the leading two-digit hex words
        let bytes: Vec<u8> = rest
            .split_whitespace()
            .map_while(|w| {
                (w.len() == 2)
                    .then(|| u8::from_str_radix(w, 16).ok())
                    .flatten()
            })
            .collect();
        match direction.trim() {
            "host → pad" => assert_eq!(decode_host(&bytes).encode(), bytes, "{line}"),
            "pad → host" => assert_eq!(decode_pad(&bytes).encode(), bytes, "{line}"),
            other => panic!("direction {other:?} in {line}"),
        }
        frames += 1;
    }
    assert_eq!(frames, 15);
}

#[test]
fn the_crc_example_and_check_value() {
    assert_eq!(frame::crc8(b"123456789"), 0xF4);
    assert_eq!(frame::crc8(&hex("03 81 05 07")), 0x0E);
    // the step table of §2.2, recomputed bit by bit
    let mut crc = 0u8;
    for (byte, after_xor, steps) in [
        (0x03, "03", "06 0C 18 30 60 C0 87 09"),
        (0x81, "88", "17 2E 5C B8 77 EE DB B1"),
        (0x05, "B4", "6F DE BB 71 E2 C3 81 05"),
        (0x07, "02", "04 08 10 20 40 80 07 0E"),
    ] {
        crc ^= byte;
        assert_eq!(format!("{crc:02X}"), after_xor);
        let mut seen = Vec::new();
        for _ in 0..8 {
            crc = if crc & 0x80 != 0 {
                (crc << 1) ^ 0x07
            } else {
                crc << 1
            };
            seen.push(crc);
        }
        assert_eq!(show(&seen), steps);
        let row = format!("| `{byte:02X}` | `{after_xor}` | `{steps}` |");
        assert!(DOC.contains(&row), "PROTOCOL.md §2.2 should have {row}");
    }
}

#[test]
fn damage_example_garbage_and_a_false_start() {
    let mut d = FrameDecoder::new();
    d.push(&hex("00 FF A5 40 13 A5 03 81 05 07 0E 5A"));
    assert_eq!(
        d.next_frame().unwrap(),
        Err(FrameError::BadLength { len: 0x40 })
    );
    let frame = d.next_frame().unwrap().unwrap();
    assert_eq!(
        FromPad::from_frame(&frame).unwrap(),
        FromPad::Key {
            level: Level::VerySatisfied,
            seq: 7
        }
    );
    assert!(d.next_frame().is_none());
    assert_eq!(d.stats().discarded_bytes, 4);
}

#[test]
fn damage_example_bad_crc_is_answered_with_nak_01() {
    let mut session = rating::HostSession::new(SessionConfig::default());
    let now = std::time::Instant::now();
    session.link_up(now);
    while session.poll_transmit().is_some() {}
    session.push_bytes(&hex("A5 03 81 05 07 0F 5A"), now);
    assert_eq!(session.poll_transmit().unwrap(), hex("A5 02 06 01 AF 5A"));
    assert_eq!(session.stats().bad_frames, 1);
    let mut d = HostDecoder::new();
    d.push(&hex("A5 03 81 05 07 0F 5A"));
    assert_eq!(
        d.next_message().unwrap(),
        Err(DecodeError::Frame(FrameError::BadChecksum {
            computed: 0x0E,
            found: 0x0F
        }))
    );
}

#[test]
fn damage_example_a_cut_frame_is_answered_with_nak_02() {
    let mut session = rating::HostSession::new(SessionConfig::default());
    let now = std::time::Instant::now();
    session.link_up(now);
    while session.poll_transmit().is_some() {}
    session.push_bytes(&hex("A5 03 81 05"), now);
    assert!(session.poll_transmit().is_none());
    session.abandon_partial(now);
    assert_eq!(session.poll_transmit().unwrap(), hex("A5 02 06 02 A6 5A"));
    assert_eq!(
        ToPad::Nak(NakReason::BadFraming).encode(),
        hex("A5 02 06 02 A6 5A")
    );
}
