//! The management endpoint of `kiosk run --headless` (issue 8 §1), as a monitoring system or a
//! technician meets it: over loopback, from another process.
//!
//! Each test runs the demo terminal with its storage in a scratch directory and `[ops] listen`
//! on port 0; the kiosk prints the address it bound. The generated token is read from
//! `storage.dir/ops.token`, as a technician would.
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
}

impl Kiosk {
    fn start(name: &str, env: &[(&str, String)]) -> Kiosk {
        let dir = scratch(&format!("ops-{name}"));
        let demo = std::fs::read_to_string(repo().join("config/kiosk.toml")).unwrap();
        let catalog = repo().join("config/matters.toml").canonicalize().unwrap();
        let mut text = demo;
        for (from, to) in [
            (
                "catalog = \"matters.toml\"".to_string(),
                format!("catalog = \"{}\"", catalog.display()),
            ),
            ("dir = \"../var\"".to_string(), "dir = \"var\"".to_string()),
            (
                "listen = \"127.0.0.1:9100\"".to_string(),
                "listen = \"127.0.0.1:0\"".to_string(),
            ),
        ] {
            assert_eq!(text.matches(&from).count(), 1, "config/kiosk.toml: {from}");
            text = text.replace(&from, &to);
        }
        let config = dir.join("kiosk.toml");
        std::fs::write(&config, text).unwrap();
        let mut cmd = Command::new(kiosk_binary());
        cmd.args(["run", "--headless", "--exit-after", "300", "--config"])
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
        Kiosk { child, addr, dir }
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
        if !std::thread::panicking() {
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
    ] {
        assert!(families.iter().any(|f| f == name), "{name} in\n{}", r.body);
    }
    promtool_check(&r.body);
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
/// `prometheus` package ships it); says so and returns when it is not.
fn promtool_check(text: &str) {
    let child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("promtool is not installed: only the built-in format check ran");
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
