//! Arbitrary bytes in arbitrary chunks into the rating pad's frame decoder, both typed
//! decoders, the host session and the pad side.
//!
//! Input layout: the first byte seeds the chunk sizes, the rest is the byte stream. Checks,
//! besides "no panic": the frames and errors do not depend on the chunking (the same stream
//! pushed in one piece gives the same events), every delivered frame re-parses on its own and
//! re-encodes to the same bytes, every frame that reads as a message of either direction
//! re-encodes to the same bytes, and giving up partial frames empties the buffer. The host
//! session and the simulated pad take the stream too, with time passing between chunks.
#![no_main]

use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use rating::device::{PadConfig, PadDevice};
use rating::frame::{Frame, FrameDecoder, FrameError};
use rating::message::{FromPad, ToPad, Version};
use rating::{HostSession, SessionConfig};

fn exercise(frame: &Frame) {
    let bytes = frame.encode();
    assert_eq!(Frame::parse(&bytes).as_ref(), Ok(frame));
    if let Ok(m) = ToPad::from_frame(frame) {
        assert_eq!(m.encode(), bytes, "{m:?}");
    }
    if let Ok(m) = FromPad::from_frame(frame) {
        assert_eq!(m.encode(), bytes, "{m:?}");
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

    let start = Instant::now();
    let mut now = start;
    let mut host = HostSession::new(SessionConfig::default());
    host.link_up(now);
    let mut pad = PadDevice::new(Version::simulated(), PadConfig::default());

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
        host.push_bytes(chunk, now);
        pad.receive(chunk, now);
        // 0–255 ms pass between chunks
        now += Duration::from_millis(u64::from(state >> 24));
        host.tick(now);
        pad.poll(now);
        if state & 0x10 != 0 {
            host.abandon_partial(now);
            pad.abandon_partial(now);
        }
        while host.poll_transmit().is_some() {}
        while host.poll_event().is_some() {}
        while pad.poll_transmit().is_some() {}
        rest = tail;
    }
    assert_eq!(got, expected, "chunking changed the events");

    while chunked.abandon_partial().is_some() {
        drain(&mut chunked, &mut got);
    }
    assert_eq!(chunked.buffered(), 0);
});
