//! Arbitrary bytes in arbitrary chunks into the simulated printer's ESC/POS parser (our
//! reference decoder), and every byte through the DLE EOT status decoders.
//!
//! Input layout: the first byte seeds the chunk sizes, the rest is the byte stream. Checks,
//! besides "no panic": the paper and the status answers do not depend on the chunking (the
//! same stream pushed in one piece gives the same paper and the same answers), and every
//! status byte that decodes re-encodes to itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use printer::device::Device;
use printer::status::{Reply, StatusRequest};

fuzz_target!(|data: &[u8]| {
    let Some((&seed, stream)) = data.split_first() else {
        return;
    };

    let mut whole = Device::new(seed & 1 == 1);
    let expected_answers = whole.receive(stream);
    whole.flush_line();

    let mut chunked = Device::new(seed & 1 == 1);
    let mut answers = Vec::new();
    let mut rest = stream;
    let mut state = u32::from(seed) | 1;
    while !rest.is_empty() {
        // xorshift: chunk sizes 0..=63 derived from the seed
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state as usize % 64).min(rest.len());
        let (chunk, tail) = rest.split_at(n);
        answers.extend(chunked.receive(chunk));
        rest = tail;
    }
    chunked.flush_line();
    assert_eq!(answers, expected_answers, "chunking changed the answers");
    assert!(chunked.paper() == whole.paper(), "chunking changed the paper");

    for &b in stream.iter().take(16) {
        for req in StatusRequest::ALL {
            if let Ok(reply) = Reply::decode(req, Some(b)) {
                let again = match reply {
                    Reply::Printer(s) => s.encode(),
                    Reply::Offline(s) => s.encode(),
                    Reply::Error(s) => s.encode(),
                    Reply::Paper(s) => s.encode(),
                    Reply::Unknown(_) => continue,
                };
                // reserved bits may differ; the decoded fields must survive
                assert_eq!(Reply::decode(req, Some(again)), Ok(reply));
            }
        }
    }
});
