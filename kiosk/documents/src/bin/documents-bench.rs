//! Times the document pipeline on one 5 MP capture, single-threaded, and reports peak memory.
//!
//! ```sh
//! # make the input once (a dim, shadowed, tilted A4 sheet, 2592×1944, JPEG q92)
//! documents-bench --write-input /tmp/a4-5mp.jpg
//! # time it on one core: 20 runs after 2 warm-up runs
//! taskset -c 0 documents-bench --input /tmp/a4-5mp.jpg --runs 20 --out-dir /tmp/bench-out
//! ```
//!
//! Prints min and median of each stage and of the whole `process` call, the page produced,
//! and VmHWM / VmRSS from /proc/self/status (with `--input`, nothing but the pipeline has run
//! in the process, so VmHWM is the pipeline's peak plus the program's baseline, which is
//! printed before the first run). `kiosk/documents/bench/run.sh` runs this and the OpenCV
//! script on the same input.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use documents::synthetic::{self, PageSpec};
use documents::{Config, MaterialKind, Timings, process};

struct Args {
    input: Option<String>,
    write_input: Option<String>,
    out_dir: Option<String>,
    runs: usize,
    warmup: usize,
    material: MaterialKind,
}

fn parse() -> Result<Args, String> {
    let mut a = Args {
        input: None,
        write_input: None,
        out_dir: None,
        runs: 20,
        warmup: 2,
        material: MaterialKind::A4Document,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--input" => a.input = Some(value()?),
            "--write-input" => a.write_input = Some(value()?),
            "--out-dir" => a.out_dir = Some(value()?),
            "--runs" => a.runs = value()?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--warmup" => a.warmup = value()?.parse().map_err(|e| format!("--warmup: {e}"))?,
            "--material" => {
                a.material = match value()?.as_str() {
                    "a4" => MaterialKind::A4Document,
                    "a4colour" => MaterialKind::A4Colour,
                    "card" => MaterialKind::IdCard,
                    other => return Err(format!("--material: unknown {other}")),
                }
            }
            "-h" | "--help" => {
                return Err(
                    "documents-bench [--input FILE | --write-input FILE] [--runs N] \
                            [--warmup N] [--material a4|a4colour|card] [--out-dir DIR]"
                        .into(),
                );
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(a)
}

/// The benchmark capture: a 5 MP frame, A4 rotated 4°, keystone, shadow, dim, noise.
fn bench_capture(material: MaterialKind) -> Result<Vec<u8>, String> {
    let spec = match material {
        MaterialKind::IdCard => PageSpec::id_card().scaled(12.0),
        _ => PageSpec::a4(),
    }
    .rotated(4.0)
    .tilted(0.03, -0.02)
    .shadowed(0.35, 30.0)
    .exposed(0.7)
    .noisy(3.0)
    .seeded(7);
    let cap = synthetic::page(&spec);
    synthetic::to_jpeg(&cap.image, 92).map_err(|e| e.to_string())
}

fn status_kib(field: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn stats(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return (0.0, 0.0);
    }
    let mid = if v.len() % 2 == 1 {
        v[v.len() / 2]
    } else {
        (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0
    };
    (v[0], mid)
}

fn main() {
    let args = match parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let bytes = match &args.input {
        Some(path) => match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        },
        None => match bench_capture(args.material) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("generating the capture: {e}");
                std::process::exit(1);
            }
        },
    };
    if let Some(path) = &args.write_input {
        if let Err(e) = std::fs::write(path, &bytes) {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
        println!("wrote {path} ({} bytes)", bytes.len());
    }
    if args.runs == 0 {
        return;
    }
    let baseline = status_kib("VmHWM:");
    let config = Config::default();
    println!(
        "input: {} bytes; material {:?}; {} warm-up + {} timed runs, one thread",
        bytes.len(),
        args.material,
        args.warmup,
        args.runs
    );
    let mut totals = Vec::new();
    let mut stages: Vec<Timings> = Vec::new();
    let mut last = None;
    for i in 0..args.warmup + args.runs {
        let t = Instant::now();
        let r = process(&bytes, args.material, &config);
        let el = t.elapsed();
        match r {
            Ok(page) => {
                if i >= args.warmup {
                    totals.push(ms(el));
                    stages.push(page.timings);
                }
                last = Some(page);
            }
            Err(e) => {
                eprintln!("rejected: {e} ({})", e.prompt());
                std::process::exit(1);
            }
        }
    }
    let Some(page) = last else {
        return;
    };
    let (min, p50) = stats(totals);
    println!("process() total: p50 {p50:.1} ms, min {min:.1} ms");
    let stage = |name: &str, f: fn(&Timings) -> Duration| {
        let (min, p50) = stats(stages.iter().map(|t| ms(f(t))).collect());
        println!("  {name:8} p50 {p50:7.1} ms  min {min:7.1} ms");
    };
    stage("decode", |t| t.decode);
    stage("detect", |t| t.detect);
    stage("warp", |t| t.warp);
    stage("measure", |t| t.measure);
    stage("enhance", |t| t.enhance);
    stage("encode", |t| t.encode);
    println!(
        "page: {}x{} at {} dpi, {:?}, JPEG q{} ({} encodes), {} bytes, sha256 {}",
        page.width,
        page.height,
        page.dpi,
        page.colour,
        page.measures.quality,
        page.measures.encodes,
        page.jpeg.len(),
        page.sha256_hex()
    );
    println!(
        "measures: edge spread {:.2} px, ink {:.4}, content skew {:?}, deskew {:.2}°, corners {:?}",
        page.measures.blur,
        page.measures.ink_fraction,
        page.measures.content_skew_deg,
        page.measures.deskew_deg,
        page.corners
    );
    println!(
        "memory: VmHWM {} KiB (baseline before the first run {} KiB), VmRSS {} KiB",
        status_kib("VmHWM:").unwrap_or(0),
        baseline.unwrap_or(0),
        status_kib("VmRSS:").unwrap_or(0)
    );
    if let Some(dir) = &args.out_dir {
        let path = format!("{dir}/page-rust.jpg");
        match std::fs::create_dir_all(dir).and_then(|_| std::fs::write(&path, &page.jpeg)) {
            Ok(()) => println!("wrote {path}"),
            Err(e) => eprintln!("{path}: {e}"),
        }
    }
}
