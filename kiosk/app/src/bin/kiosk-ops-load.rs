//! `kiosk-ops-load`: the management endpoint under load (issue 8 §5), figures printed.
//!
//! Starts `kiosk run --headless` (the `kiosk` binary beside this one, the demo terminal with
//! its storage in a scratch directory and the endpoint on a free loopback port), measures the
//! UI frame time from the kiosk's own `/metrics` histogram over an idle window, then sends
//! 1,000 requests/s over loopback for 10 s (four keep-alive connections, paced, rotating over
//! `/healthz`, `/readyz`, `/status` and `/metrics`) and measures the frame time again over
//! that window. Prints both, their ratio, the request latencies and what failed.
//!
//! `cargo build --release --bin kiosk --bin kiosk-ops-load && target/release/kiosk-ops-load`
//! (options: `--rate N` requests/s, `--secs S` per window, `--kiosk PATH`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CONNECTIONS: u32 = 4;
const PATHS: [&str; 4] = ["/healthz", "/readyz", "/status", "/metrics"];

struct Kiosk {
    child: Child,
    addr: SocketAddr,
    dir: PathBuf,
}

impl Drop for Kiosk {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn start_kiosk(kiosk: &Path, repo: &Path) -> Result<Kiosk, String> {
    let dir = std::env::temp_dir().join(format!("kiosk-ops-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let demo =
        std::fs::read_to_string(repo.join("config/kiosk.toml")).map_err(|e| e.to_string())?;
    let catalog = repo
        .join("config/matters.toml")
        .canonicalize()
        .map_err(|e| e.to_string())?;
    let text = demo
        .replace(
            "catalog = \"matters.toml\"",
            &format!("catalog = \"{}\"", catalog.display()),
        )
        .replace("dir = \"../var\"", "dir = \"var\"")
        .replace("listen = \"127.0.0.1:9100\"", "listen = \"127.0.0.1:0\"");
    let config = dir.join("kiosk.toml");
    std::fs::write(&config, text).map_err(|e| e.to_string())?;
    let mut child = Command::new(kiosk)
        .args(["run", "--headless", "--exit-after", "120", "--config"])
        .arg(&config)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}", kiosk.display()))?;
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(a) = line.strip_prefix("kiosk: ops endpoint listening on ") {
                    break a.parse::<SocketAddr>().map_err(|e| e.to_string())?;
                }
            }
            _ => {
                let _ = child.kill();
                return Err("the kiosk ended before its endpoint listened".into());
            }
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    Ok(Kiosk { child, addr, dir })
}

/// One keep-alive connection: request, then the answer read by its Content-Length.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn connect(addr: SocketAddr) -> std::io::Result<Client> {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(5)))?;
        Ok(Client {
            writer: s.try_clone()?,
            reader: BufReader::new(s),
        })
    }

    fn get(&mut self, path: &str, token: &str) -> std::io::Result<(u16, String)> {
        write!(
            self.writer,
            "GET {path} HTTP/1.1\r\nHost: kiosk\r\nAuthorization: Bearer {token}\r\n\r\n"
        )?;
        let mut status = 0;
        let mut length = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if status == 0 {
                status = l
                    .split(' ')
                    .nth(1)
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
            } else if let Some((k, v)) = l.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }
}

/// Frames rendered so far and their total time, from the kiosk's `/metrics`.
fn frames(addr: SocketAddr, token: &str) -> Result<(f64, f64), String> {
    let mut c = Client::connect(addr).map_err(|e| e.to_string())?;
    let (_, body) = c.get("/metrics", token).map_err(|e| e.to_string())?;
    let value = |name: &str| {
        body.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .ok_or(format!("{name} missing from /metrics"))
    };
    Ok((
        value("kiosk_ui_frame_seconds_count ")?,
        value("kiosk_ui_frame_seconds_sum ")?,
    ))
}

/// Mean frame time (ms) and frames/s over `window`.
fn frame_window(addr: SocketAddr, token: &str, window: Duration) -> Result<(f64, f64), String> {
    let (n0, s0) = frames(addr, token)?;
    std::thread::sleep(window);
    let (n1, s1) = frames(addr, token)?;
    let n = n1 - n0;
    if n <= 0.0 {
        return Err("no frame rendered in the window".into());
    }
    Ok(((s1 - s0) / n * 1000.0, n / window.as_secs_f64()))
}

struct LoadResult {
    sent: u64,
    ok: u64,
    failed: u64,
    latencies_us: Vec<u64>,
}

fn load(addr: SocketAddr, token: &str, rate: u32, window: Duration) -> LoadResult {
    let per_conn = f64::from(rate) / f64::from(CONNECTIONS);
    let interval = Duration::from_secs_f64(1.0 / per_conn);
    let threads: Vec<_> = (0..CONNECTIONS)
        .map(|t| {
            let token = token.to_string();
            std::thread::spawn(move || {
                let mut r = LoadResult {
                    sent: 0,
                    ok: 0,
                    failed: 0,
                    latencies_us: Vec::new(),
                };
                let mut client = Client::connect(addr).ok();
                let start = Instant::now();
                let mut next = start;
                let mut i = t as usize;
                while start.elapsed() < window {
                    let now = Instant::now();
                    if next > now {
                        std::thread::sleep(next - now);
                    }
                    next += interval;
                    let Some(c) = client.as_mut() else {
                        r.failed += 1;
                        client = Client::connect(addr).ok();
                        continue;
                    };
                    let t0 = Instant::now();
                    r.sent += 1;
                    match c.get(PATHS[i % PATHS.len()], &token) {
                        Ok((200, _)) => {
                            r.ok += 1;
                            r.latencies_us
                                .push(u64::try_from(t0.elapsed().as_micros()).unwrap_or(u64::MAX));
                        }
                        Ok(_) => r.failed += 1,
                        Err(_) => {
                            r.failed += 1;
                            client = Client::connect(addr).ok();
                        }
                    }
                    i += 1;
                }
                r
            })
        })
        .collect();
    let mut total = LoadResult {
        sent: 0,
        ok: 0,
        failed: 0,
        latencies_us: Vec::new(),
    };
    for t in threads {
        if let Ok(r) = t.join() {
            total.sent += r.sent;
            total.ok += r.ok;
            total.failed += r.failed;
            total.latencies_us.extend(r.latencies_us);
        }
    }
    total.latencies_us.sort_unstable();
    total
}

fn cpu_secs(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn main() -> Result<(), String> {
    let rate: u32 = arg("--rate").and_then(|v| v.parse().ok()).unwrap_or(1000);
    let secs: u64 = arg("--secs").and_then(|v| v.parse().ok()).unwrap_or(10);
    let window = Duration::from_secs(secs);
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let kiosk = arg("--kiosk").map(PathBuf::from).unwrap_or_else(|| {
        exe.parent()
            .map(|d| d.join("kiosk"))
            .unwrap_or_else(|| PathBuf::from("kiosk"))
    });
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let k = start_kiosk(&kiosk, &repo)?;
    let token = std::fs::read_to_string(k.dir.join("var/ops.token"))
        .map_err(|e| format!("ops.token: {e}"))?
        .trim()
        .to_string();
    // let start-up settle (fonts, first frames, the embedded county)
    std::thread::sleep(Duration::from_secs(3));
    println!(
        "kiosk run --headless ({}), endpoint {}, {rate} requests/s over {CONNECTIONS} keep-alive connections, {secs} s windows",
        kiosk.display(),
        k.addr
    );
    let cpu0 = cpu_secs(k.child.id());
    let (idle_ms, idle_fps) = frame_window(k.addr, &token, window)?;
    let cpu1 = cpu_secs(k.child.id());
    println!("idle:  mean frame {idle_ms:.2} ms, {idle_fps:.1} frames/s");
    let (n0, s0) = frames(k.addr, &token)?;
    let started = Instant::now();
    let result = load(k.addr, &token, rate, window);
    let took = started.elapsed();
    let (n1, s1) = frames(k.addr, &token)?;
    let cpu2 = cpu_secs(k.child.id());
    let n = n1 - n0;
    let load_ms = if n > 0.0 { (s1 - s0) / n * 1000.0 } else { 0.0 };
    println!(
        "load:  mean frame {load_ms:.2} ms, {:.1} frames/s",
        n / took.as_secs_f64()
    );
    println!(
        "frame time under load / idle: {:.3} ({:+.1} %)",
        load_ms / idle_ms,
        (load_ms / idle_ms - 1.0) * 100.0
    );
    let pct = |p: f64| {
        let l = &result.latencies_us;
        l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    println!(
        "requests: {} sent in {:.2} s ({:.0}/s), {} answered 200, {} failed; latency p50 {} µs, p99 {} µs, max {} µs",
        result.sent,
        took.as_secs_f64(),
        result.sent as f64 / took.as_secs_f64(),
        result.ok,
        result.failed,
        pct(0.5),
        pct(0.99),
        result.latencies_us.last().copied().unwrap_or(0)
    );
    if let (Some(a), Some(b), Some(c)) = (cpu0, cpu1, cpu2) {
        println!(
            "kiosk process CPU: idle {:.0} %, under load {:.0} % (of one core)",
            (b - a) / window.as_secs_f64() * 100.0,
            (c - b) / took.as_secs_f64() * 100.0
        );
    }
    Ok(())
}
