//! A full read cycle (find → select → `30 01` → `30 03`) by the real driver code over a
//! pseudo-terminal against the simulator, against the time the same bytes take on a
//! 115200-baud wire. A pty has no baud rate, so what it measures is our own overhead:
//! codec, driver loop, simulator and the kernel's pty.
//!
//! `cargo run --release -p idcard --example pty_read_bench`

use idcard::device::{ScriptedCard, samples};
use idcard::driver::{Counters, exchange};
use idcard::host::{CycleOptions, Outcome, ReadCycle};
use idcard::link::SerialLink;
use idcard::sim::{SimHandle, SimThread, open_pty};
use std::time::{Duration, Instant};

const RUNS: usize = 200;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pty = open_pty()?;
    let sim = SimHandle::new();
    sim.place_card(ScriptedCard::new(&samples::resident())?);
    let path = pty.path.clone();
    let _serving = SimThread::spawn(Box::new(pty.master), sim)?;
    let mut link = SerialLink::open(&path, 115_200)?;
    let counters = Counters::default();
    let options = CycleOptions {
        read_card_left_on_reader: true,
        ..CycleOptions::default()
    };
    // after the first cycle the card stays on the reader and each cycle re-reads it
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let mut cycle = ReadCycle::new(options);
        let start = Instant::now();
        let outcome = exchange(&mut link, &mut cycle, &counters, &mut |_| {})?;
        times.push(start.elapsed());
        if !matches!(outcome, Outcome::CardRead(_)) {
            return Err(format!("unexpected outcome {outcome:?}").into());
        }
    }
    times.sort();
    let median = times[RUNS / 2];
    // bytes on the wire for find(10→15) select(10→19) read(10→1295) address(10→11) when the
    // card is found fresh; the re-read of a card left on the reader is find(10→11)
    // read(10→1295) address(10→11)
    let reread_bytes = 10 + 11 + 10 + 1295 + 10 + 11;
    let wire = Duration::from_secs_f64(reread_bytes as f64 * 10.0 / 115_200.0);
    println!("full read cycle over a pty, real driver against the simulator, {RUNS} runs");
    println!(
        "  median {:.2} ms, p90 {:.2} ms, max {:.2} ms",
        ms(median),
        ms(times[RUNS * 9 / 10]),
        ms(times[RUNS - 1])
    );
    println!(
        "  wire time of the same {reread_bytes} bytes at 115200 8N1: {:.1} ms",
        ms(wire)
    );
    println!(
        "  our overhead: {:.2}% of the wire time",
        100.0 * median.as_secs_f64() / wire.as_secs_f64()
    );
    println!(
        "  checksum errors {}, timeouts {}",
        counters.snapshot().checksum_errors,
        counters.snapshot().timeouts
    );
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
