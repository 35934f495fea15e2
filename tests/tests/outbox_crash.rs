//! kill -9 against the outbox (issue 5 §5): `outbox-torture` enqueues and prints `ack KEY`
//! after each enqueue returns; it is killed with SIGKILL at a random moment; every key it
//! printed must be in the reopened store, once. Runs against SQLite and sled.
//!
//! `OUTBOX_CRASH_RUNS=50 cargo test -p kiosk-e2e --test outbox_crash -- --nocapture` runs
//! 50 kills per store and prints what each lost; CI runs 5.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use kiosk_e2e::scratch;
use outbox::{Outbox, SqliteOutbox};

fn torture_binary() -> PathBuf {
    kiosk_e2e::target_binary("outbox-torture")
}

fn runs() -> u32 {
    std::env::var("OUTBOX_CRASH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
}

/// One kill: returns (acknowledged, lost).
fn one_run(store: &str, dir: &Path, start: u64, kill_after_ms: u64) -> (usize, usize) {
    let mut child = Command::new(torture_binary())
        .args(["--store", store, "--dir"])
        .arg(dir)
        .args(["--start", &start.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start outbox-torture: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let reader = std::thread::spawn(move || {
        let mut acked = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(k) = line.strip_prefix("ack ") {
                acked.push(k.to_string());
            }
        }
        acked
    });
    std::thread::sleep(Duration::from_millis(kill_after_ms));
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    let acked = reader.join().unwrap_or_default();
    let mut o: Box<dyn Outbox> = match store {
        "sqlite" => Box::new(SqliteOutbox::open(dir).unwrap_or_else(|e| panic!("{e}"))),
        _ => Box::new(outbox::sled_store::SledOutbox::open(dir).unwrap_or_else(|e| panic!("{e}"))),
    };
    let mut present = HashSet::new();
    let mut now = i64::MAX / 2;
    // drain by acknowledging in order: every stored item comes out exactly once
    while let Some(item) = o.next_due(now).unwrap_or_else(|e| panic!("{e}")) {
        assert!(
            present.insert(item.item.key.clone()),
            "duplicate {}",
            item.item.key
        );
        o.acknowledge(item.id, "R", now)
            .unwrap_or_else(|e| panic!("{e}"));
        now += 1;
    }
    let lost = acked.iter().filter(|k| !present.contains(*k)).count();
    (acked.len(), lost)
}

fn torture(store: &str) {
    let dir = scratch(&format!("outbox-crash-{store}"));
    let mut total_acked = 0;
    let mut total_lost = 0;
    let mut seed = 0x2026_1123_u64 ^ u64::from(std::process::id());
    for run in 0..runs() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let (acked, lost) = one_run(store, &dir, u64::from(run) * 1_000_000, 150 + seed % 400);
        total_acked += acked;
        total_lost += lost;
    }
    println!(
        "{store}: {} kill -9 runs, {total_acked} acknowledged enqueues, {total_lost} lost",
        runs()
    );
    assert!(total_acked > 0, "the torture binary acknowledged nothing");
    assert_eq!(total_lost, 0, "{store} lost acknowledged submissions");
}

#[test]
fn sqlite_loses_nothing_acknowledged_under_kill_9() {
    torture("sqlite");
}

#[test]
fn sled_with_flush_and_fsync_loses_nothing_acknowledged_under_kill_9() {
    torture("sled");
}
