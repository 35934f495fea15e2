//! Arbitrary bytes in arbitrary chunks into the streaming frame decoder.
//!
//! Input layout: the first byte seeds the chunk sizes, the rest is the byte stream. Checks,
//! besides "no panic": the events do not depend on the chunking (the same stream pushed in
//! one piece gives the same frames and errors), every delivered frame re-parses on its own,
//! and giving up partial frames empties the buffer. Every frame is also read as a request
//! and as the reply to each command, and read payloads go through the card parser.
#![no_main]

use idcard::frame::{Frame, FrameDecoder, FrameError};
use idcard::{CardData, Command, Reply};
use libfuzzer_sys::fuzz_target;

fn exercise(frame: &Frame) {
    assert_eq!(Frame::parse(frame.as_bytes()).as_ref(), Ok(frame));
    let _ = Command::from_frame(frame);
    for command in Command::STANDARD {
        if let Ok(Reply::Read(payload)) = Reply::parse(&command, frame) {
            let _ = CardData::from_read(payload);
        }
    }
}

fn drain(d: &mut FrameDecoder, out: &mut Vec<Result<Frame, FrameError>>) {
    while let Some(event) = d.next_frame() {
        if let Ok(frame) = &event {
            exercise(frame);
        }
        out.push(event);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, stream)) = data.split_first() else {
        return;
    };

    let mut whole = FrameDecoder::new();
    let mut expected = Vec::new();
    whole.push(stream);
    drain(&mut whole, &mut expected);

    let mut chunked = FrameDecoder::new();
    let mut got = Vec::new();
    let mut rest = stream;
    let mut state = u32::from(seed) | 1;
    while !rest.is_empty() {
        // xorshift: chunk sizes 0..=63 derived from the seed
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state as usize % 64).min(rest.len());
        let (chunk, tail) = rest.split_at(n);
        chunked.push(chunk);
        drain(&mut chunked, &mut got);
        rest = tail;
    }
    assert_eq!(got, expected, "chunking changed the events");

    while chunked.abandon_partial().is_some() {
        drain(&mut chunked, &mut got);
    }
    assert_eq!(chunked.buffered(), 0);
});
