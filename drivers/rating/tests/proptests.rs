//! Properties: encode → decode round trips in both directions, chunking never changes what
//! comes out, random bytes never panic (decoders, host session, pad), and the host session
//! reports each press once however its frames are repeated.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use proptest::prelude::*;
use rating::device::{PadConfig, PadDevice};
use rating::frame::{Frame, FrameDecoder, MAX_PAYLOAD};
use rating::message::{
    FLAG_FRESH, Faults, FromPad, HostDecoder, Leds, Level, NakReason, PadDecoder, Prompt, ToPad,
    Version,
};
use rating::{HostSession, PadEvent, SessionConfig};

fn any_level() -> impl Strategy<Value = Level> {
    proptest::sample::select(Level::BEST_FIRST.to_vec())
}

fn any_leds() -> impl Strategy<Value = Leds> {
    (0u8..32, 0u8..32).prop_map(|(on, blink)| Leds::from_masks(on, blink).unwrap())
}

fn any_nak() -> impl Strategy<Value = NakReason> {
    any::<u8>().prop_map(NakReason::from_code)
}

fn any_to_pad() -> impl Strategy<Value = ToPad> {
    prop_oneof![
        Just(ToPad::Ping),
        Just(ToPad::VersionRequest),
        (1u8..=255, any_leds()).prop_map(|(seq, leds)| ToPad::Leds { seq, leds }),
        (1u8..=255, proptest::sample::select(Prompt::ALL.to_vec()))
            .prop_map(|(seq, prompt)| ToPad::Prompt { seq, prompt }),
        (any::<u8>(), any::<u8>()).prop_map(|(cmd, seq)| ToPad::Ack { cmd, seq }),
        any_nak().prop_map(ToPad::Nak),
    ]
}

fn any_from_pad() -> impl Strategy<Value = FromPad> {
    prop_oneof![
        (any_level(), 1u8..=255).prop_map(|(level, seq)| FromPad::Key { level, seq }),
        (any::<u8>(), any::<u8>()).prop_map(|(f, flags)| FromPad::Status {
            faults: Faults(f),
            flags
        }),
        (any::<u8>(), any::<[u8; 3]>(), "[ -~]{0,16}")
            .prop_map(|(p, fw, model)| { FromPad::Version(Version::new(p, fw, &model).unwrap()) }),
        (any::<u8>(), any::<u8>()).prop_map(|(cmd, seq)| FromPad::Ack { cmd, seq }),
        any_nak().prop_map(FromPad::Nak),
    ]
}

/// Splits `bytes` at the given cut points (any number, any order).
fn chunks(bytes: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut from = 0;
    for c in cuts {
        out.push(bytes[from..c].to_vec());
        from = c;
    }
    out.push(bytes[from..].to_vec());
    out
}

fn frames_whole(bytes: &[u8]) -> Vec<String> {
    let mut d = FrameDecoder::new();
    d.push(bytes);
    std::iter::from_fn(|| d.next_frame())
        .map(|r| format!("{r:?}"))
        .collect()
}

fn frames_chunked(parts: &[Vec<u8>]) -> Vec<String> {
    let mut d = FrameDecoder::new();
    let mut out = Vec::new();
    for p in parts {
        d.push(p);
        out.extend(std::iter::from_fn(|| d.next_frame()).map(|r| format!("{r:?}")));
    }
    out
}

proptest! {
    #[test]
    fn host_messages_round_trip(m in any_to_pad()) {
        let bytes = m.encode();
        let mut d = PadDecoder::new();
        d.push(&bytes);
        prop_assert_eq!(d.next_message(), Some(Ok(m)));
        prop_assert_eq!(d.next_message(), None);
        prop_assert_eq!(d.buffered(), 0);
    }

    #[test]
    fn pad_messages_round_trip(m in any_from_pad()) {
        let bytes = m.encode();
        let mut d = HostDecoder::new();
        d.push(&bytes);
        prop_assert_eq!(d.next_message(), Some(Ok(m)));
        prop_assert_eq!(d.next_message(), None);
    }

    #[test]
    fn frames_round_trip(cmd in any::<u8>(), payload in proptest::collection::vec(any::<u8>(), 0..=MAX_PAYLOAD)) {
        let frame = Frame::new(cmd, &payload).unwrap();
        let bytes = frame.encode();
        prop_assert_eq!(bytes.len(), payload.len() + 5);
        prop_assert_eq!(Frame::parse(&bytes), Ok(frame));
    }

    #[test]
    fn chunking_never_changes_the_frames(
        messages in proptest::collection::vec(any_from_pad(), 1..8),
        noise in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..6), 8),
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
    ) {
        // frames with garbage between them
        let mut stream = Vec::new();
        for (m, junk) in messages.iter().zip(noise.iter().cycle()) {
            stream.extend_from_slice(junk);
            stream.extend(m.encode());
        }
        let whole = frames_whole(&stream);
        prop_assert_eq!(frames_chunked(&chunks(&stream, &cuts)), whole.clone());
        // and byte by byte
        let single: Vec<Vec<u8>> = stream.iter().map(|b| vec![*b]).collect();
        prop_assert_eq!(frames_chunked(&single), whole);
    }

    #[test]
    fn clean_streams_give_every_message_in_any_chunks(
        messages in proptest::collection::vec(any_from_pad(), 1..8),
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
    ) {
        let stream: Vec<u8> = messages.iter().flat_map(FromPad::encode).collect();
        let mut d = HostDecoder::new();
        let mut got = Vec::new();
        for part in chunks(&stream, &cuts) {
            d.push(&part);
            while let Some(m) = d.next_message() {
                got.push(m.unwrap());
            }
        }
        prop_assert_eq!(got, messages);
    }

    #[test]
    fn random_bytes_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        cuts in proptest::collection::vec(any::<usize>(), 0..8),
    ) {
        let now = Instant::now();
        let mut frames = FrameDecoder::new();
        let mut host = HostDecoder::new();
        let mut pad_decoder = PadDecoder::new();
        let mut session = HostSession::new(SessionConfig::default());
        session.link_up(now);
        let mut pad = PadDevice::new(Version::simulated(), PadConfig::default());
        for part in chunks(&bytes, &cuts) {
            frames.push(&part);
            while frames.next_frame().is_some() {}
            host.push(&part);
            while host.next_message().is_some() {}
            pad_decoder.push(&part);
            while pad_decoder.next_message().is_some() {}
            session.push_bytes(&part, now);
            pad.receive(&part, now);
        }
        while frames.abandon_partial().is_some() {
            while frames.next_frame().is_some() {}
        }
        prop_assert_eq!(frames.buffered(), 0);
        session.abandon_partial(now);
        session.tick(now + Duration::from_secs(10));
        pad.abandon_partial(now);
        pad.poll(now + Duration::from_secs(10));
        while session.poll_transmit().is_some() {}
        while pad.poll_transmit().is_some() {}
    }

    #[test]
    fn a_press_is_reported_once_however_often_its_frame_arrives(
        presses in proptest::collection::vec((any_level(), 1usize..5), 1..20),
    ) {
        // distinct press numbers, each frame repeated 1–4 times, all within the window
        let now = Instant::now();
        let mut session = HostSession::new(SessionConfig::default());
        session.link_up(now);
        let mut stream = FromPad::Status { faults: Faults::NONE, flags: FLAG_FRESH }.encode();
        for (i, (level, copies)) in presses.iter().enumerate() {
            let frame = FromPad::Key { level: *level, seq: i as u8 + 1 }.encode();
            for _ in 0..*copies {
                stream.extend_from_slice(&frame);
            }
        }
        session.push_bytes(&stream, now);
        let keys: Vec<Level> = std::iter::from_fn(|| session.poll_event())
            .filter_map(|e| match e {
                PadEvent::Key { level } => Some(level),
                _ => None,
            })
            .collect();
        let expected: Vec<Level> = presses.iter().map(|(l, _)| *l).collect();
        prop_assert_eq!(keys, expected);
        let repeats: usize = presses.iter().map(|(_, c)| c - 1).sum();
        prop_assert_eq!(session.stats().duplicate_keys, repeats as u64);
    }
}
