//! The streaming decoder against line faults: garbage, splits at every byte, bad checksums,
//! absurd lengths, truncation, back-to-back frames — and the device side's answers to
//! damaged requests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use idcard::device::{ScriptedCard, SimulatedReader, samples};
use idcard::frame::{self, Frame, FrameDecoder, FrameError, PREAMBLE};
use idcard::{Command, Reply, Status};

/// The 1295-byte `30 01` answer for the sample resident card.
fn read_response() -> Vec<u8> {
    let card = ScriptedCard::new(&samples::resident()).unwrap();
    let mut reader = SimulatedReader::new();
    reader.place_card(card);
    reader.respond(&Command::FindCard);
    reader.respond(&Command::SelectCard);
    let bytes = reader.respond(&Command::ReadTextPhoto);
    assert_eq!(bytes.len(), 1295);
    bytes
}

fn find_ok() -> Vec<u8> {
    Reply::CardFound { iin: [0; 4] }
        .to_frame(&Command::FindCard)
        .unwrap()
}

fn drain(d: &mut FrameDecoder) -> Vec<Result<Frame, FrameError>> {
    std::iter::from_fn(|| d.next_frame()).collect()
}

fn frames_of(events: &[Result<Frame, FrameError>]) -> Vec<Vec<u8>> {
    events
        .iter()
        .filter_map(|e| e.as_ref().ok().map(|f| f.as_bytes().to_vec()))
        .collect()
}

#[test]
fn garbage_before_the_header_is_skipped() {
    let good = find_ok();
    for garbage in [
        vec![0x00],
        vec![0xAA],
        vec![0xAA, 0xAA],
        vec![0xAA, 0xAA, 0xAA, 0x96],
        vec![0xAA, 0xAA, 0xAA, 0x96, 0x00],
        vec![0x96, 0x69, 0xAA, 0x55, 0xFF, 0x13],
        (0..=255u8).collect(),
    ] {
        let mut d = FrameDecoder::new();
        d.push(&garbage);
        d.push(&good);
        let events = drain(&mut d);
        assert_eq!(
            events,
            vec![Ok(Frame::parse(&good).unwrap())],
            "{garbage:02X?}"
        );
        assert_eq!(d.buffered(), 0);
        assert_eq!(d.stats().discarded_bytes, garbage.len() as u64);
    }
}

#[test]
fn endless_garbage_keeps_memory_bounded() {
    let mut d = FrameDecoder::new();
    let noise: Vec<u8> = (0..4096u32).map(|i| (i * 31 % 253) as u8).collect();
    for _ in 0..256 {
        d.push(&noise);
        assert!(d.next_frame().is_none());
        assert!(d.buffered() < PREAMBLE.len());
    }
    assert_eq!(d.stats().frames, 0);
}

#[test]
fn split_at_every_byte_boundary() {
    let stream = [find_ok(), read_response(), find_ok()].concat();
    let expected = frames_of(&drain(&mut {
        let mut d = FrameDecoder::new();
        d.push(&stream);
        d
    }));
    assert_eq!(expected.len(), 3);
    for split in 0..=stream.len() {
        let mut d = FrameDecoder::new();
        let mut got = Vec::new();
        d.push(&stream[..split]);
        got.extend(drain(&mut d));
        d.push(&stream[split..]);
        got.extend(drain(&mut d));
        assert_eq!(frames_of(&got), expected, "split at {split}");
        assert_eq!(got.len(), 3, "no error events at split {split}");
    }
    // and one byte at a time
    let mut d = FrameDecoder::new();
    let mut got = Vec::new();
    for b in &stream {
        d.push(std::slice::from_ref(b));
        got.extend(drain(&mut d));
    }
    assert_eq!(frames_of(&got), expected);
}

#[test]
fn bad_checksum_then_good_frame() {
    let mut bad = read_response();
    bad[500] ^= 0x01;
    let good = find_ok();
    let mut d = FrameDecoder::new();
    d.push(&bad);
    d.push(&good);
    let events = drain(&mut d);
    assert!(
        matches!(events[0], Err(FrameError::BadChecksum { .. })),
        "{events:?}"
    );
    assert_eq!(events.last(), Some(&Ok(Frame::parse(&good).unwrap())));
    assert_eq!(frames_of(&events).len(), 1);
    assert_eq!(d.stats().bad_checksums, 1);

    // a corrupted checksum byte itself
    let mut bad = find_ok();
    *bad.last_mut().unwrap() ^= 0xFF;
    let mut d = FrameDecoder::new();
    d.push(&[bad, find_ok()].concat());
    let events = drain(&mut d);
    assert_eq!(
        events,
        vec![
            Err(FrameError::BadChecksum {
                computed: 0x97,
                found: 0x68
            }),
            Ok(Frame::parse(&find_ok()).unwrap())
        ]
    );
}

#[test]
fn a_frame_hidden_behind_a_cut_one_is_found() {
    // a read answer cut after 500 bytes, then a complete one: the first candidate spans
    // into the second frame and fails its checksum; the search resumes inside it
    let full = read_response();
    let mut d = FrameDecoder::new();
    d.push(&full[..500]);
    d.push(&full);
    let events = drain(&mut d);
    assert!(matches!(events[0], Err(FrameError::BadChecksum { .. })));
    assert_eq!(frames_of(&events), vec![full]);
}

#[test]
fn absurd_lengths_are_refused_at_once() {
    let good = find_ok();
    for len in [0u16, 1, 2, 2315, 0x1000, 0xFFFF] {
        let mut bytes = PREAMBLE.to_vec();
        bytes.extend(len.to_be_bytes());
        let mut d = FrameDecoder::new();
        d.push(&bytes);
        // no waiting for 64 KiB that will never come
        assert_eq!(d.next_frame(), Some(Err(FrameError::BadLength { len })));
        d.push(&good);
        assert_eq!(d.next_frame(), Some(Ok(Frame::parse(&good).unwrap())));
        assert_eq!(d.next_frame(), None);
        assert_eq!(d.stats().bad_lengths, 1);
    }
    // the largest legal frame (2321 bytes, Len 09 0A) passes
    let biggest = frame::encode_response(0, 0, 0x90, &[0u8; 2310]).unwrap();
    assert_eq!(biggest.len(), frame::MAX_FRAME_LEN);
    let mut d = FrameDecoder::new();
    d.push(&biggest);
    assert!(matches!(d.next_frame(), Some(Ok(_))));
    assert!(frame::encode_response(0, 0, 0x90, &[0u8; 2311]).is_err());
}

#[test]
fn truncated_frame_is_reported_when_the_driver_gives_up() {
    let full = read_response();
    let mut d = FrameDecoder::new();
    d.push(&full[..700]);
    assert_eq!(d.next_frame(), None);
    assert_eq!(d.buffered(), 700);
    assert_eq!(
        d.abandon_partial(),
        Some(FrameError::Truncated {
            expected: 1295,
            received: 700
        })
    );
    assert_eq!(d.next_frame(), None);
    assert_eq!(d.buffered(), 0);
    assert_eq!(d.abandon_partial(), None);

    // a cut frame followed by a short good one: the good one waits behind the cut one
    // until the timeout, then comes out
    let mut d = FrameDecoder::new();
    d.push(&full[..700]);
    d.push(&find_ok());
    assert_eq!(d.next_frame(), None);
    assert!(matches!(
        d.abandon_partial(),
        Some(FrameError::Truncated { .. })
    ));
    assert_eq!(d.next_frame(), Some(Ok(Frame::parse(&find_ok()).unwrap())));
    assert_eq!(d.stats().truncated, 1);

    // a header cut inside the length field
    let mut d = FrameDecoder::new();
    d.push(&full[..6]);
    assert_eq!(d.next_frame(), None);
    assert_eq!(
        d.abandon_partial(),
        Some(FrameError::Truncated {
            expected: 7,
            received: 6
        })
    );
}

#[test]
fn back_to_back_frames() {
    let replies = [
        find_ok(),
        Reply::CardSelected { sn: [0; 8] }
            .to_frame(&Command::SelectCard)
            .unwrap(),
        read_response(),
        Reply::NoContent
            .to_frame(&Command::ReadAppendedAddress)
            .unwrap(),
        Reply::Failed(Status::FindFailed)
            .to_frame(&Command::FindCard)
            .unwrap(),
    ];
    let mut d = FrameDecoder::new();
    d.push(&replies.concat());
    let events = drain(&mut d);
    assert_eq!(frames_of(&events), replies.to_vec());
    assert_eq!(d.stats().frames, 5);
    assert_eq!(d.buffered(), 0);
}

#[test]
fn single_frame_parse_errors() {
    let good = find_ok();
    assert_eq!(Frame::parse(&good[1..]), Err(FrameError::BadPreamble));
    assert_eq!(
        Frame::parse(&good[..10]),
        Err(FrameError::Incomplete {
            expected: 15,
            received: 10
        })
    );
    assert_eq!(
        Frame::parse(&[good.clone(), vec![0]].concat()),
        Err(FrameError::TrailingBytes { extra: 1 })
    );
    // a request frame is not a response
    let request = Frame::parse(&Command::FindCard.encode().unwrap()).unwrap();
    assert_eq!(
        request.response().map(|_| ()),
        Err(FrameError::NotAResponse { len: 2 })
    );
}

#[test]
fn the_device_answers_damaged_requests() {
    let mut reader = SimulatedReader::new();
    // bad checksum → SW3 10
    let mut bad = Command::SamStatus.encode().unwrap();
    *bad.last_mut().unwrap() ^= 0x5A;
    let answer = reader.receive(&bad);
    let frame = Frame::parse(&answer).unwrap();
    assert_eq!(frame.response().unwrap().status, Status::HostChecksumError);
    // impossible length → SW3 11
    let answer = reader.receive(&[0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF]);
    let frame = Frame::parse(&answer).unwrap();
    assert_eq!(frame.response().unwrap().status, Status::HostLengthError);
    // split request with noise in front → one good answer
    let req = Command::SamStatus.encode().unwrap();
    assert!(reader.receive(&[0x00, 0x13]).is_empty());
    assert!(reader.receive(&req[..4]).is_empty());
    let answer = reader.receive(&req[4..]);
    assert_eq!(
        Reply::parse(&Command::SamStatus, &Frame::parse(&answer).unwrap()).unwrap(),
        Reply::Done
    );
    // vendor commands are refused with 21
    let vendor = Command::Other {
        cmd: 0xA0,
        para: 0x03,
        data: vec![],
    };
    let answer = reader.receive(&vendor.encode().unwrap());
    assert_eq!(
        Frame::parse(&answer).unwrap().response().unwrap().status,
        Status::CommandError
    );
}
