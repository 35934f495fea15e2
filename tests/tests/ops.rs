//! The management endpoint of `kiosk run --headless` (issue 8 §1), as a monitoring system or a
//! technician meets it: over loopback, from another process.
//!
//! Each test runs the demo terminal with its storage in a scratch directory and `[ops] listen`
//! on port 0; the kiosk prints the address it bound. The generated token is read from
//! `storage.dir/ops.token`, as a technician would. The counters are kept in
//! `storage.dir/metrics.json` across restarts (issue 8: counters persisted).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kiosk_e2e::{kiosk_binary, repo, scratch};

/// A running headless kiosk with its endpoint; killed when dropped.
struct Kiosk {
    child: Child,
    addr: SocketAddr,
    dir: PathBuf,
    /// Whether dropping it removes `dir` (not while another run of the same terminal follows).
    owns_dir: bool,
}

/// The demo terminal's kiosk.toml in `dir` (storage in `dir/var`, endpoint on a free port),
/// with `edits` (text, replacement) applied; returns its path.
fn write_config(dir: &std::path::Path, edits: &[(&str, &str)]) -> PathBuf {
    let demo = std::fs::read_to_string(repo().join("config/kiosk.toml")).unwrap();
    let catalog = repo().join("config/matters.toml").canonicalize().unwrap();
    let mut text = demo;
    let mut all = vec![
        (
            "catalog = \"matters.toml\"".to_string(),
            format!("catalog = \"{}\"", catalog.display()),
        ),
        ("dir = \"../var\"".to_string(), "dir = \"var\"".to_string()),
        (
            "listen = \"127.0.0.1:9100\"".to_string(),
            "listen = \"127.0.0.1:0\"".to_string(),
        ),
    ];
    all.extend(edits.iter().map(|(a, b)| (a.to_string(), b.to_string())));
    for (from, to) in all {
        assert_eq!(text.matches(&from).count(), 1, "config/kiosk.toml: {from}");
        text = text.replace(&from, &to);
    }
    let config = dir.join("kiosk.toml");
    std::fs::write(&config, text).unwrap();
    config
}

impl Kiosk {
    fn start(name: &str, env: &[(&str, String)]) -> Kiosk {
        let dir = scratch(&format!("ops-{name}"));
        let mut k = Kiosk::start_in(&dir, &[], 300, env);
        k.owns_dir = true;
        k
    }

    /// Runs the demo terminal with `edits` to its config in `dir` (kept when dropped), for
    /// `exit_after` seconds.
    fn start_in(
        dir: &std::path::Path,
        edits: &[(&str, &str)],
        exit_after: u64,
        env: &[(&str, String)],
    ) -> Kiosk {
        let config = write_config(dir, edits);
        let mut cmd = Command::new(kiosk_binary());
        cmd.args(["run", "--headless", "--exit-after"])
            .arg(exit_after.to_string())
            .arg("--config")
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start kiosk");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut seen = Vec::new();
        let addr = loop {
            let Some(Ok(line)) = lines.next() else {
                let _ = child.kill();
                panic!(
                    "kiosk ended before its endpoint listened:\n{}",
                    seen.join("\n")
                );
            };
            if let Some(a) = line.strip_prefix("kiosk: ops endpoint listening on ") {
                break a.parse().unwrap();
            }
            seen.push(line);
        };
        // keep draining stderr so the kiosk never blocks on a full pipe
        std::thread::spawn(move || lines.for_each(drop));
        Kiosk {
            child,
            addr,
            dir: dir.to_path_buf(),
            owns_dir: false,
        }
    }

    /// `/metrics` as `series value` pairs (with the token).
    fn metrics(&self) -> Vec<(String, f64)> {
        let r = self.get("/metrics", Some(&self.token()));
        assert_eq!(r.status, 200, "{}", r.body);
        r.body
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.rsplit_once(' '))
            .map(|(s, v)| (s.to_string(), v.parse().unwrap()))
            .collect()
    }

    /// The value of one series in `/metrics` (`None`: not exposed).
    fn metric(&self, series: &str) -> Option<f64> {
        self.metrics()
            .into_iter()
            .find(|(s, _)| s == series)
            .map(|(_, v)| v)
    }

    /// Polls `/metrics` until `series` satisfies `ok`; returns its value.
    fn metric_until(&self, series: &str, ok: impl Fn(f64) -> bool) -> f64 {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let v = self.metric(series);
            if let Some(v) = v.filter(|v| ok(*v)) {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "{series} never reached the expected value; last {v:?}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    fn token(&self) -> String {
        std::fs::read_to_string(self.dir.join("var/ops.token"))
            .unwrap()
            .trim()
            .to_string()
    }

    /// Sends `raw` on a new connection and reads the answer to the end.
    fn raw(&self, raw: &[u8]) -> Reply {
        let mut s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        // the server may answer and close before reading everything: a failed write is fine
        let _ = s.write_all(raw);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        Reply::parse(&out)
    }

    fn get(&self, path: &str, token: Option<&str>) -> Reply {
        let auth = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        self.raw(
            format!("GET {path} HTTP/1.1\r\nHost: kiosk\r\n{auth}Connection: close\r\n\r\n")
                .as_bytes(),
        )
    }

    /// Polls `path` until it answers `status` (the limit only turns a hang into a failure).
    fn until(&self, path: &str, status: u16) -> Reply {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let r = self.get(path, None);
            if r.status == status {
                return r;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never answered {status}; last {} {}",
                r.status,
                r.body
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Kiosk {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if self.owns_dir && !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(bytes);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

#[test]
fn status_and_metrics_need_the_token_and_answer_with_it() {
    let k = Kiosk::start("token", &[]);
    let token = k.token();
    assert!(token.len() >= 16);
    for path in ["/status", "/metrics"] {
        let r = k.get(path, None);
        assert_eq!(r.status, 401, "{path} without a token: {}", r.body);
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        let r = k.get(path, Some("not-the-token-at-all"));
        assert_eq!(r.status, 401, "{path} with a wrong token");
        let r = k.get(path, Some(&token[..token.len() - 1]));
        assert_eq!(r.status, 401, "{path} with a prefix of the token");
    }
    // liveness and readiness are open to the local health checker
    assert_eq!(k.until("/healthz", 200).json()["alive"], true);
    let ready = k.until("/readyz", 200).json();
    assert_eq!(ready["ready"], true, "{ready}");
    assert_eq!(ready["reasons"], serde_json::json!([]));

    let r = k.get("/status", Some(&token));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let s = r.json();
    assert_eq!(s["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(s["terminal_id"], "MD-MDJD-001");
    assert!(s["uptime_secs"].is_u64());
    // (not asserted true: three debug kiosks on two cores may miss a beat at any moment)
    assert!(s["ui"]["alive"].is_boolean());
    assert_eq!(s["devices"]["card_reader"]["state"], "ready");
    assert!(s["devices"]["card_reader"]["counters"]["reads_ok"].is_u64());
    assert!(s["devices"]["printer"]["state"].is_string());
    assert!(
        ["ok", "near_end", "out", "unknown"]
            .contains(&s["devices"]["printer"]["paper"].as_str().unwrap()),
        "{s}"
    );
    assert!(s["devices"]["printer"]["counters"]["jobs"].is_u64());
    assert_eq!(s["devices"]["rating_pad"]["fitted"], true);
    assert!(s["devices"]["rating_pad"]["counters"]["frames"].is_u64());
    assert_eq!(s["devices"]["scanner"]["fitted"], true);
    assert!(s["devices"]["scanner"]["state"].is_string(), "{s}");
    assert!(s["devices"]["scanner"]["counters"]["captures"].is_u64());
    assert!(s["outbox"].get("depth").is_some());
    assert!(s["outbox"].get("oldest_age_secs").is_some());
    assert_eq!(s["backend"]["mode"], "embedded");
    assert_eq!(s["backend"]["started"], true);
    assert!(s["backend"].get("last_contact_unix").is_some());
    assert!(s["storage"].get("free_bytes").is_some());

    let r = k.get("/metrics", Some(&token));
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let families = check_exposition(&r.body);
    for name in [
        "kiosk_sessions_total",
        "kiosk_matters_opened_total",
        "kiosk_submissions_total",
        "kiosk_device_errors_total",
        "kiosk_prints_total",
        "kiosk_ratings_total",
        "kiosk_ui_frame_seconds",
        "kiosk_ui_heartbeat_age_seconds",
        "kiosk_process_start_time_seconds",
        "kiosk_build_info",
        "kiosk_ready",
        "kiosk_not_ready_reason",
        "kiosk_device_state",
        "kiosk_printer_paper",
    ] {
        assert!(families.iter().any(|f| f == name), "{name} in\n{}", r.body);
    }
    promtool_check(&r.body);

    // the alert rules' series: each device and the paper as state sets, one state set to 1
    let m = k.metrics();
    let ones = |prefix: &str| {
        m.iter()
            .filter(|(s, v)| s.starts_with(prefix) && *v == 1.0)
            .map(|(s, _)| s.clone())
            .collect::<Vec<_>>()
    };
    for device in ["card_reader", "printer", "rating_pad", "scanner"] {
        let on = ones(&format!("kiosk_device_state{{device=\"{device}\","));
        assert_eq!(on.len(), 1, "{device}: {on:?}");
    }
    assert_eq!(
        ones("kiosk_device_state{device=\"card_reader\","),
        ["kiosk_device_state{device=\"card_reader\",state=\"ready\"}"],
        "/status says ready"
    );
    let paper = ones("kiosk_printer_paper{");
    assert_eq!(paper.len(), 1, "{paper:?}");
    let word = s["devices"]["printer"]["paper"].as_str().unwrap();
    // the paper as /status words it, unless it changed between the two reads
    if word != "unknown" {
        assert_eq!(paper[0], format!("kiosk_printer_paper{{state=\"{word}\"}}"));
    }
    // ready, as /readyz said, with no reason set
    assert_eq!(k.metric("kiosk_ready"), Some(1.0));
    assert!(ones("kiosk_not_ready_reason{").is_empty());
    let started = k.metric("kiosk_process_start_time_seconds").unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(
        started <= now && started > now - 600.0,
        "{started} vs {now}"
    );
}

/// Issue 8: the counters survive a restart. A kiosk with real devices at paths that do not
/// exist counts its card reader going into fault; it is killed (SIGKILL, no clean exit) once
/// the sampling thread saved; a second run on the same storage starts from the saved count
/// (with simulated devices, which do not fault), and with a new start time; a third run counts
/// on and exits cleanly, and its count is in the file afterwards.
#[test]
fn counters_survive_a_kill_and_a_clean_exit_on_the_same_storage() {
    let dir = scratch("ops-persist");
    let reader = dir.join("no-reader").display().to_string();
    let printer = dir.join("no-printer").display().to_string();
    let broken_port = format!("idcard_port = \"{reader}\"");
    let broken_printer = format!("printer = \"lp:{printer}\"");
    let broken: [(&str, &str); 3] = [
        ("simulated = true", "simulated = false"),
        ("idcard_port = \"/dev/ttyUSB0\"", &broken_port),
        ("printer = \"lp:/dev/usb/lp0\"", &broken_printer),
    ];
    let faults = "kiosk_device_errors_total{device=\"card_reader\"}";
    let file = dir.join("var/metrics.json");
    let saved = |file: &std::path::Path| -> Option<u64> {
        let text = std::fs::read_to_string(file).ok()?;
        let v: serde_json::Value = serde_json::from_str(&text).ok()?;
        v["kiosk_device_errors_total"]["card_reader"].as_u64()
    };

    let first = Kiosk::start_in(&dir, &broken, 300, &[]);
    assert!(!file.exists(), "a new terminal has no counters file yet");
    first.metric_until(faults, |v| v >= 1.0);
    let started_first = first.metric("kiosk_process_start_time_seconds").unwrap();
    // the sampling thread saves within SAVE_EVERY (10 s) of the count
    let deadline = Instant::now() + Duration::from_secs(60);
    let counted = loop {
        let now = first.metric(faults).unwrap();
        if saved(&file) == Some(now as u64) {
            break now;
        }
        assert!(Instant::now() < deadline, "never saved: {:?}", saved(&file));
        std::thread::sleep(Duration::from_millis(200));
    };
    drop(first); // SIGKILL

    let second = Kiosk::start_in(&dir, &[], 300, &[]);
    assert_eq!(second.metric(faults), Some(counted), "restored at start");
    assert!(
        second.metric("kiosk_process_start_time_seconds").unwrap() > started_first,
        "a restart shows as a new start time"
    );
    drop(second);

    // a third run counts on, and exits by itself after 30 s (a clean exit)
    let mut third = Kiosk::start_in(&dir, &broken, 30, &[]);
    let more = third.metric_until(faults, |v| v > counted);
    let status = third.child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert_eq!(
        saved(&file),
        Some(more as u64),
        "saved at the latest on exit"
    );
    drop(third);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A corrupt counters file never stops the kiosk: it starts from zero, says so, and keeps
/// the file aside.
#[test]
fn a_corrupt_counters_file_starts_from_zero() {
    let dir = scratch("ops-corrupt");
    std::fs::create_dir_all(dir.join("var")).unwrap();
    std::fs::write(dir.join("var/metrics.json"), "{\"format\": \"kiosk-coun").unwrap();
    let k = Kiosk::start_in(&dir, &[], 300, &[]);
    assert_eq!(k.until("/healthz", 200).status, 200);
    assert_eq!(k.metric("kiosk_sessions_total"), Some(0.0));
    assert!(dir.join("var/metrics.json.corrupt").exists());
    drop(k);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn garbage_oversized_and_surplus_requests_get_4xx_and_the_server_keeps_serving() {
    let k = Kiosk::start("garbage", &[]);
    k.until("/healthz", 200);
    let garbage = k.raw(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 hello\r\n\r\n");
    assert_eq!(garbage.status, 400, "{garbage:?}");
    let huge_head = format!(
        "GET /healthz HTTP/1.1\r\nHost: kiosk\r\nX-Filler: {}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let r = k.raw(huge_head.as_bytes());
    assert!((400..500).contains(&r.status), "a 64 KiB head: {r:?}");
    let mut big_body =
        b"GET /healthz HTTP/1.1\r\nHost: kiosk\r\nContent-Length: 1048576\r\n\r\n".to_vec();
    big_body.extend(std::iter::repeat_n(b'x', 1 << 20));
    assert_eq!(k.raw(&big_body).status, 413);
    let post = k.raw(b"POST /status HTTP/1.1\r\nHost: kiosk\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(post.status, 405);
    assert_eq!(k.get("/nowhere", None).status, 404);
    assert_eq!(k.get("/healthz", None).status, 200, "still serving");

    // connections beyond the bound are closed at once, without an answer
    let idle: Vec<TcpStream> = (0..32)
        .map(|_| TcpStream::connect(k.addr).unwrap())
        .collect();
    let surplus = k.raw(b"GET /healthz HTTP/1.1\r\nHost: kiosk\r\nConnection: close\r\n\r\n");
    assert_eq!(surplus.status, 0, "no answer over the bound: {surplus:?}");
    drop(idle);
    k.until("/healthz", 200);
}

#[test]
fn a_stalled_ui_loop_fails_healthz_while_status_still_answers() {
    let dir = scratch("ops-stall-flag");
    let flag = dir.join("stall");
    let k = Kiosk::start(
        "stall",
        &[("KIOSK_DEBUG_STALL_FILE", flag.display().to_string())],
    );
    k.until("/healthz", 200);
    std::fs::write(&flag, b"").unwrap();
    let failed = k.until("/healthz", 503).json();
    assert_eq!(failed["alive"], false);
    let ready = k.get("/readyz", None);
    assert_eq!(ready.status, 503);
    assert!(
        ready.json()["reasons"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("ui_not_responding")),
        "{}",
        ready.body
    );
    // the endpoint does not depend on the UI thread
    let s = k.get("/status", Some(&k.token()));
    assert_eq!(s.status, 200);
    assert_eq!(s.json()["ui"]["alive"], false);
    std::fs::remove_file(&flag).unwrap();
    k.until("/healthz", 200);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Checks `text` against the Prometheus text format 0.0.4 strictly (what promtool's parser
/// and linter insist on); returns the family names.
fn check_exposition(text: &str) -> Vec<String> {
    assert!(text.ends_with('\n'), "the exposition ends with a newline");
    let name_ok = |n: &str| {
        let mut c = n.chars();
        c.next()
            .is_some_and(|f| f.is_ascii_alphabetic() || f == '_' || f == ':')
            && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == ':')
    };
    let mut families: Vec<(String, String)> = Vec::new(); // (name, type)
    let mut helped: Vec<String> = Vec::new();
    let mut current: Option<(String, String)> = None;
    let mut buckets: Vec<(f64, f64)> = Vec::new();
    let mut inf_bucket = None;
    for line in text.lines() {
        assert!(!line.is_empty(), "no empty lines");
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let (name, help) = rest.split_once(' ').expect("HELP name text");
            assert!(name_ok(name) && !help.is_empty(), "{line}");
            assert!(!helped.contains(&name.to_string()), "HELP twice: {line}");
            helped.push(name.into());
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("TYPE name kind");
            assert!(name_ok(name), "{line}");
            assert!(
                ["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind),
                "{line}"
            );
            assert!(
                !families.iter().any(|(n, _)| n == name),
                "TYPE twice: {line}"
            );
            if kind == "counter" {
                assert!(name.ends_with("_total"), "counters end in _total: {line}");
            }
            families.push((name.into(), kind.into()));
            current = Some((name.into(), kind.into()));
            buckets.clear();
            inf_bucket = None;
            continue;
        }
        assert!(
            !line.starts_with('#'),
            "only HELP and TYPE comments: {line}"
        );
        let (series, value) = line.rsplit_once(' ').expect("sample: series value");
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v.parse().unwrap_or_else(|_| panic!("value of {line}")),
        };
        let (name, labels) = match series.split_once('{') {
            Some((n, rest)) => (n, rest.strip_suffix('}').expect("labels close")),
            None => (series, ""),
        };
        assert!(name_ok(name), "{line}");
        let mut le = None;
        for pair in labels.split(',').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').expect("label=value");
            assert!(name_ok(k) && !k.contains(':'), "label name {line}");
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .expect("quoted label value");
            assert!(!v.contains('"') && !v.contains('\n'), "{line}");
            if k == "le" {
                le = Some(if v == "+Inf" {
                    f64::INFINITY
                } else {
                    v.parse::<f64>().expect("le is a number")
                });
            }
        }
        let (family, kind) = current.clone().expect("a sample after its TYPE");
        match kind.as_str() {
            "histogram" => {
                let suffix = name.strip_prefix(&family).expect("histogram sample name");
                match suffix {
                    "_bucket" => {
                        let le = le.expect("bucket has le");
                        if let Some((last_le, last_n)) = buckets.last() {
                            assert!(le > *last_le && value >= *last_n, "cumulative: {line}");
                        }
                        buckets.push((le, value));
                        if le.is_infinite() {
                            inf_bucket = Some(value);
                        }
                    }
                    "_sum" => {}
                    "_count" => assert_eq!(Some(value), inf_bucket, "+Inf bucket = count"),
                    other => panic!("histogram suffix {other}: {line}"),
                }
            }
            _ => {
                assert_eq!(name, family, "sample of its family: {line}");
                if kind == "counter" {
                    assert!(value >= 0.0, "{line}");
                }
            }
        }
    }
    families.into_iter().map(|(n, _)| n).collect()
}

/// `promtool check metrics` on the exposition, when promtool is installed (Debian's
/// `prometheus` package ships it; `deploy/install-build-deps.sh` fetches it for CI); says so
/// and returns when it is not, or fails when `KIOSK_REQUIRE_PROMTOOL=1` (as `.ci/run` sets).
fn promtool_check(text: &str) {
    let child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        assert!(
            std::env::var("KIOSK_REQUIRE_PROMTOOL").as_deref() != Ok("1"),
            "promtool is not on the PATH and KIOSK_REQUIRE_PROMTOOL=1: run deploy/install-build-deps.sh and put target/tools/bin on the PATH"
        );
        eprintln!(
            "SKIP promtool check metrics: promtool is not installed; only the built-in format check ran"
        );
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
