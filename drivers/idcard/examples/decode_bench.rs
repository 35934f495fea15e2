//! Median time to decode and parse one full `30 01` read response (1295 bytes, the sample
//! resident card): streaming frame decode, checksum, reply split by length fields, text
//! block parse into `CardData`.
//!
//! Run with `cargo run --release -p idcard --example decode_bench`.

use std::hint::black_box;
use std::time::Instant;

use idcard::device::{ScriptedCard, SimulatedReader, samples};
use idcard::{CardData, Command, FrameDecoder, Reply};

const BATCHES: usize = 301;
const PER_BATCH: usize = 200;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut reader = SimulatedReader::new();
    reader.place_card(ScriptedCard::new(&samples::resident())?);
    reader.respond(&Command::FindCard);
    reader.respond(&Command::SelectCard);
    let response = reader.respond(&Command::ReadTextPhoto);
    assert_eq!(response.len(), 1295, "sample read response size");

    let mut decoder = FrameDecoder::new();
    let mut once = || -> Result<CardData, Box<dyn std::error::Error>> {
        decoder.push(black_box(&response));
        let frame = decoder.next_frame().ok_or("no frame")??;
        match Reply::parse(&Command::ReadTextPhoto, &frame)? {
            Reply::Read(payload) => Ok(CardData::from_read(payload)?),
            other => Err(format!("unexpected reply {other:?}").into()),
        }
    };
    // warm up and check the result once
    let card = once()?;
    assert_eq!(card.text, samples::resident());

    let mut per_read_ns = Vec::with_capacity(BATCHES);
    for _ in 0..BATCHES {
        let start = Instant::now();
        for _ in 0..PER_BATCH {
            black_box(once()?);
        }
        per_read_ns.push(start.elapsed().as_nanos() as f64 / PER_BATCH as f64);
    }
    per_read_ns.sort_by(f64::total_cmp);
    let median = per_read_ns[BATCHES / 2];
    let (min, max) = (per_read_ns[0], per_read_ns[BATCHES - 1]);
    println!(
        "decode + parse of one 1295-byte 30 01 response: median {:.2} µs \
         (batch min {:.2} µs, max {:.2} µs; {BATCHES} batches × {PER_BATCH} reads)",
        median / 1000.0,
        min / 1000.0,
        max / 1000.0
    );
    println!(
        "for scale: the same response takes ≈ 112 ms on the wire at 115200 bit/s (fact sheet §10)"
    );
    Ok(())
}
