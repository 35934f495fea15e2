//! Durable enqueue latency (p50, p99) and throughput of the SQLite and sled outboxes, side by
//! side, on this machine's disk (issue 5 figures). Each enqueue returns only once the item is
//! on stable storage (SQLite: WAL + synchronous=FULL; sled: flush + fsync of its files).
//!
//! `cargo run --release -p outbox --features sled --example outbox_bench [-- N [DIR]]`

use std::time::Instant;

use outbox::{NewItem, Outbox, SqliteOutbox};

fn run(name: &str, mut o: Box<dyn Outbox>, n: usize) -> f64 {
    let mut lat = Vec::with_capacity(n);
    let body = format!(
        r#"{{"service":"card-apply-adult","pad":"{}"}}"#,
        "x".repeat(512)
    );
    let t0 = Instant::now();
    for i in 0..n {
        let item = NewItem {
            key: format!("bench-{name}-{i:016}"),
            kind: "/v1/submissions".into(),
            body: body.clone().into_bytes(),
            attachments: Vec::new(),
        };
        let t = Instant::now();
        if let Err(e) = o.enqueue(item, i as i64) {
            eprintln!("{name}: {e}");
            return 0.0;
        }
        lat.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let total = t0.elapsed().as_secs_f64();
    lat.sort_by(f64::total_cmp);
    let p = |q: f64| lat[((lat.len() as f64 - 1.0) * q) as usize];
    let rate = n as f64 / total;
    println!(
        "{name:6}  n {n}  p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms  {rate:.0} enqueues/s",
        p(0.5),
        p(0.99),
        lat[lat.len() - 1]
    );
    rate
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let base = args
        .get(2)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("outbox-bench-{}", std::process::id()))
        });
    let _ = std::fs::remove_dir_all(&base);
    let sqlite = match SqliteOutbox::open(&base.join("sqlite")) {
        Ok(o) => run("sqlite", Box::new(o), n),
        Err(e) => {
            eprintln!("sqlite: {e}");
            return;
        }
    };
    let sled = match outbox::sled_store::SledOutbox::open(&base.join("sled")) {
        Ok(o) => run("sled", Box::new(o), n),
        Err(e) => {
            eprintln!("sled: {e}");
            return;
        }
    };
    if sled > 0.0 {
        println!("throughput ratio sqlite/sled: {:.2}", sqlite / sled);
    }
    let _ = std::fs::remove_dir_all(&base);
}
