//! A backend round trip over loopback: the kiosk's signed client against the reference
//! backend, for a query (pension summary) and a durable idempotent submission, median and p99
//! of N calls each (issue 5 figures).
//!
//! `cargo run --release -p kiosk-app --example county_roundtrip [-- N]`

use std::collections::HashMap;
use std::time::{Duration, Instant};

use kiosk_app::backend::client::CountyClient;
use kiosk_core::catalog::Service;

fn stats(name: &str, mut v: Vec<f64>) {
    v.sort_by(f64::total_cmp);
    let p = |q: f64| v[((v.len() as f64 - 1.0) * q) as usize];
    println!(
        "{name:12} n {}  p50 {:.2} ms  p99 {:.2} ms",
        v.len(),
        p(0.5),
        p(0.99)
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(500);
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let setup =
        kiosk_app::config::load(&repo.join("config/kiosk.toml")).map_err(|e| e.to_string())?;
    let data = std::env::temp_dir().join(format!("county-roundtrip-{}", std::process::id()));
    let secret = b"0123456789abcdef0123456789abcdef".to_vec();
    let config = county::CountyConfig::from_catalog(
        &setup.catalog,
        HashMap::from([(setup.terminal.id.clone(), secret.clone())]),
    );
    let running = county::spawn(
        "127.0.0.1:0",
        county::County::open(&data, config, county::system_clock())?,
    )?;
    let client = CountyClient::new(
        &format!("http://{}", running.addr),
        &setup.terminal.id,
        &secret,
        None,
        Duration::from_secs(5),
    )?;
    let person = kiosk_core::samples::SAMPLE_PEOPLE[0].identity();
    let mut q = Vec::new();
    for _ in 0..n {
        let t = Instant::now();
        client
            .query(Service::PensionSummary, &person)
            .map_err(|e| format!("{e:?}"))?;
        q.push(t.elapsed().as_secs_f64() * 1e3);
    }
    stats("query", q);
    let c = &county::seed::citizens()[1];
    let mut s = Vec::new();
    for i in 0..n {
        let body = format!(
            r#"{{"service":"medical-enrolment","matter_id":"yibao-cxjm-canbao-dengji","applicant":{{"id_number":"{}","name":"{}"}},"phone":"13912345678","choice":"普通城乡居民","attachments":[]}}"#,
            c.id_number, c.name
        );
        let t = Instant::now();
        let a = client.call(
            "POST",
            "/v1/submissions",
            "application/json",
            body.as_bytes(),
            Some(&format!("roundtrip-bench-{i:08}")),
        )?;
        s.push(t.elapsed().as_secs_f64() * 1e3);
        if a.status != 200 {
            return Err(format!("status {}: {}", a.status, a.body).into());
        }
    }
    stats("submission", s);
    drop(running);
    let _ = std::fs::remove_dir_all(&data);
    Ok(())
}
