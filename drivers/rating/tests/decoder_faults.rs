//! Every way a frame or message can be wrong, with the error each gives, and the decoder
//! finding the good frame after it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rating::DecodeError;
use rating::frame::{self, Frame, FrameDecoder, FrameError, MAX_PAYLOAD};
use rating::message::{
    FromPad, HostDecoder, Leds, Level, MessageError, NakReason, PadDecoder, Prompt, ToPad, cmd,
};

fn key(level: Level, seq: u8) -> Vec<u8> {
    FromPad::Key { level, seq }.encode()
}

/// A raw frame of any command and payload, valid CRC.
fn raw(cmd: u8, payload: &[u8]) -> Vec<u8> {
    Frame::new(cmd, payload).unwrap().encode()
}

fn host_decode(bytes: &[u8]) -> Vec<Result<FromPad, DecodeError>> {
    let mut d = HostDecoder::new();
    d.push(bytes);
    std::iter::from_fn(|| d.next_message()).collect()
}

fn pad_decode(bytes: &[u8]) -> Vec<Result<ToPad, DecodeError>> {
    let mut d = PadDecoder::new();
    d.push(bytes);
    std::iter::from_fn(|| d.next_message()).collect()
}

#[test]
fn a_bad_crc_is_reported_and_the_next_frame_delivered() {
    let mut bad = key(Level::Satisfied, 1);
    let at = bad.len() - 2;
    bad[at] ^= 0xFF;
    let good = key(Level::Acceptable, 2);
    let out = host_decode(&[bad, good].concat());
    assert!(matches!(
        out[0],
        Err(DecodeError::Frame(FrameError::BadChecksum { .. }))
    ));
    assert_eq!(
        out[1],
        Ok(FromPad::Key {
            level: Level::Acceptable,
            seq: 2
        })
    );
    assert_eq!(out.len(), 2);
}

#[test]
fn a_flipped_payload_bit_fails_the_crc() {
    let good = key(Level::Satisfied, 9);
    for byte in 1..good.len() - 2 {
        for bit in 0..8 {
            let mut bad = good.clone();
            bad[byte] ^= 1 << bit;
            let out = host_decode(&bad);
            assert!(
                out.iter().all(|r| r.is_err()),
                "byte {byte} bit {bit}: {out:?}"
            );
        }
    }
}

#[test]
fn a_length_of_zero_or_above_32_is_refused_at_once() {
    for len in [0u8, 33, 0xFF] {
        let mut d = FrameDecoder::new();
        d.push(&[frame::START, len]);
        assert_eq!(d.next_frame(), Some(Err(FrameError::BadLength { len })));
        assert!(d.next_frame().is_none());
        assert_eq!(d.buffered(), 0);
    }
}

#[test]
fn a_missing_end_byte_resyncs_one_byte_later() {
    // a false start: A5 02 makes a 6-byte frame whose last byte is not 5A; the real frame
    // starts inside it
    let good = key(Level::VerySatisfied, 3);
    let stream = [&[0xA5, 0x02][..], &good].concat();
    let out = host_decode(&stream);
    assert_eq!(
        out[0],
        Err(DecodeError::Frame(FrameError::BadEnd { found: good[3] }))
    );
    assert_eq!(
        out[1],
        Ok(FromPad::Key {
            level: Level::VerySatisfied,
            seq: 3
        })
    );
}

#[test]
fn a_false_start_waits_until_abandoned_then_the_frame_behind_it_arrives() {
    let good = key(Level::Dissatisfied, 4);
    let mut d = FrameDecoder::new();
    // A5 20: a 36-byte frame that will never come, with a real frame inside it
    d.push(&[&[0xA5, 0x20][..], &good].concat());
    assert!(d.next_frame().is_none());
    assert_eq!(
        d.abandon_partial(),
        Some(FrameError::Truncated {
            expected: 36,
            received: 2 + good.len()
        })
    );
    assert_eq!(d.next_frame().unwrap().unwrap().encode(), good);
    assert_eq!(d.buffered(), 0);
    assert_eq!(d.abandon_partial(), None);
}

#[test]
fn garbage_alone_leaves_nothing_buffered() {
    let mut d = FrameDecoder::new();
    d.push(&[0x00, 0x5A, 0xFF, 0x13, 0x37]);
    assert!(d.next_frame().is_none());
    assert_eq!(d.buffered(), 0);
    assert_eq!(d.stats().discarded_bytes, 5);
}

#[test]
fn single_frame_parse_errors() {
    let good = key(Level::Acceptable, 1);
    assert_eq!(
        Frame::parse(&[]),
        Err(FrameError::Incomplete {
            expected: 2,
            received: 0
        })
    );
    assert_eq!(Frame::parse(&good[1..]), Err(FrameError::BadStart));
    assert_eq!(
        Frame::parse(&good[..4]),
        Err(FrameError::Incomplete {
            expected: 7,
            received: 4
        })
    );
    assert_eq!(
        Frame::parse(&[&good[..], &[0]].concat()),
        Err(FrameError::TrailingBytes { extra: 1 })
    );
    assert_eq!(
        Frame::new(0x01, &[0; MAX_PAYLOAD + 1]),
        Err(FrameError::TooLong {
            payload: MAX_PAYLOAD + 1
        })
    );
    assert!(Frame::new(0x01, &[0; MAX_PAYLOAD]).is_ok());
}

#[test]
fn wrong_direction_and_unknown_commands() {
    // the host hears its own PING echoed
    assert_eq!(
        host_decode(&ToPad::Ping.encode()),
        vec![Err(DecodeError::Message(MessageError::WrongDirection {
            cmd: cmd::PING
        }))]
    );
    // the pad hears its own KEY echoed
    assert_eq!(
        pad_decode(&key(Level::Satisfied, 1)),
        vec![Err(DecodeError::Message(MessageError::WrongDirection {
            cmd: cmd::KEY
        }))]
    );
    for code in [0x00, 0x07, 0x80, 0x84, 0x87, 0xFF] {
        let expected = DecodeError::Message(MessageError::UnknownCommand { cmd: code });
        assert_eq!(host_decode(&raw(code, &[])), vec![Err(expected)]);
        assert_eq!(pad_decode(&raw(code, &[])), vec![Err(expected)]);
    }
}

#[test]
fn payload_faults_on_the_host_side() {
    let bad = |cmd, payload: &[u8]| {
        host_decode(&raw(cmd, payload))
            .remove(0)
            .expect_err("refused")
    };
    assert!(matches!(
        bad(cmd::KEY, &[5]),
        DecodeError::Message(MessageError::BadPayloadLength {
            cmd: 0x81,
            len: 1,
            ..
        })
    ));
    assert_eq!(
        bad(cmd::KEY, &[0, 1]),
        DecodeError::Message(MessageError::BadLevel(0))
    );
    assert_eq!(
        bad(cmd::KEY, &[6, 1]),
        DecodeError::Message(MessageError::BadLevel(6))
    );
    assert_eq!(
        bad(cmd::KEY, &[3, 0]),
        DecodeError::Message(MessageError::ZeroSequence)
    );
    assert!(matches!(
        bad(cmd::STATUS, &[0]),
        DecodeError::Message(MessageError::BadPayloadLength { .. })
    ));
    assert!(matches!(
        bad(cmd::VERSION, &[1, 1, 0]),
        DecodeError::Message(MessageError::BadPayloadLength { .. })
    ));
    assert!(matches!(
        bad(
            cmd::VERSION,
            &[1, 1, 0, 0, b'A']
                .iter()
                .chain(&[b'x'; 16])
                .copied()
                .collect::<Vec<_>>()
        ),
        DecodeError::Message(MessageError::BadPayloadLength { .. })
    ));
    assert_eq!(
        bad(cmd::VERSION, &[1, 1, 0, 0, 0xE4, 0xB8, 0xAD]),
        DecodeError::Message(MessageError::BadModel)
    );
    assert_eq!(
        bad(cmd::VERSION, &[1, 1, 0, 0, b'\n']),
        DecodeError::Message(MessageError::BadModel)
    );
    assert!(matches!(
        bad(cmd::PAD_NAK, &[]),
        DecodeError::Message(MessageError::BadPayloadLength { .. })
    ));
    // an unknown NAK reason is still a NAK
    assert_eq!(
        host_decode(&raw(cmd::PAD_NAK, &[9])),
        vec![Ok(FromPad::Nak(NakReason::Other(9)))]
    );
}

#[test]
fn payload_faults_on_the_pad_side() {
    let bad = |cmd, payload: &[u8]| {
        pad_decode(&raw(cmd, payload))
            .remove(0)
            .expect_err("refused")
    };
    assert!(matches!(
        bad(cmd::PING, &[0]),
        DecodeError::Message(MessageError::BadPayloadLength { .. })
    ));
    assert_eq!(
        bad(cmd::LEDS, &[1, 0x20, 0]),
        DecodeError::Message(MessageError::BadLeds { on: 0x20, blink: 0 })
    );
    assert_eq!(
        bad(cmd::LEDS, &[1, 0, 0x80]),
        DecodeError::Message(MessageError::BadLeds { on: 0, blink: 0x80 })
    );
    assert_eq!(
        bad(cmd::LEDS, &[0, 0, 0]),
        DecodeError::Message(MessageError::ZeroSequence)
    );
    assert_eq!(
        bad(cmd::PROMPT, &[1, 5]),
        DecodeError::Message(MessageError::UnknownPrompt(5))
    );
    assert_eq!(
        pad_decode(&raw(cmd::PROMPT, &[1, 4])),
        vec![Ok(ToPad::Prompt {
            seq: 1,
            prompt: Prompt::Beep
        })]
    );
    assert_eq!(
        pad_decode(&raw(cmd::LEDS, &[9, 0x1F, 0x1F])),
        vec![Ok(ToPad::Leds {
            seq: 9,
            leds: Leds::from_masks(0x1F, 0x1F).unwrap()
        })]
    );
}

#[test]
fn nak_reasons_follow_the_error() {
    use rating::message::NakReason as R;
    let frame = |e| DecodeError::Frame(e);
    let msg = |e| DecodeError::Message(e);
    assert_eq!(
        R::for_error(&frame(FrameError::BadChecksum {
            computed: 1,
            found: 2
        })),
        R::BadChecksum
    );
    assert_eq!(
        R::for_error(&frame(FrameError::BadEnd { found: 0 })),
        R::BadFraming
    );
    assert_eq!(
        R::for_error(&frame(FrameError::BadLength { len: 0 })),
        R::BadFraming
    );
    assert_eq!(
        R::for_error(&frame(FrameError::Truncated {
            expected: 5,
            received: 3
        })),
        R::BadFraming
    );
    assert_eq!(
        R::for_error(&msg(MessageError::UnknownCommand { cmd: 7 })),
        R::UnknownCommand
    );
    assert_eq!(R::for_error(&msg(MessageError::BadLevel(9))), R::BadPayload);
    assert!(R::BadChecksum.worth_resending() && R::BadFraming.worth_resending());
    assert!(!R::UnknownCommand.worth_resending() && !R::BadPayload.worth_resending());
    for code in 0..=255u8 {
        assert_eq!(R::from_code(code).code(), code);
    }
}

#[test]
fn error_messages_say_what_is_wrong() {
    assert_eq!(
        FrameError::BadChecksum {
            computed: 0x0E,
            found: 0x0F
        }
        .to_string(),
        "frame CRC 0F, computed 0E"
    );
    assert_eq!(
        FrameError::BadLength { len: 64 }.to_string(),
        "frame length field 64 outside 1..=32"
    );
    assert_eq!(
        MessageError::BadLevel(6).to_string(),
        "key level 6 outside 1..=5"
    );
    assert_eq!(
        DecodeError::Message(MessageError::WrongDirection { cmd: 0x01 }).to_string(),
        "command 01 goes the other way"
    );
}
