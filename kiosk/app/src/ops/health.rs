//! The management HTTP server: HTTP/1.1 (hyper) on a one-thread tokio runtime of its own.
//!
//! | path | token | answers |
//! |---|---|---|
//! | `/healthz` | no | 200 when the UI event loop ticked within [`LIVENESS_LIMIT`], else 503 |
//! | `/readyz` | no | 200 or 503, JSON with each check and the reasons it is not ready |
//! | `/status` | yes | JSON: version, terminal, uptime, devices, outbox, backend, storage |
//! | `/metrics` | yes | Prometheus text format 0.0.4 ([`super::metrics::render`]) |
//!
//! Bounds: at most [`MAX_CONNECTIONS`] connections at once (more are closed at accept),
//! request heads of at most [`MAX_HEAD`] bytes (hyper answers 431 beyond), no request body
//! (413), request heads within [`HEAD_TIMEOUT`], a connection lives at most
//! [`CONNECTION_LIFETIME`]. Only GET and HEAD (405 otherwise). Unparseable requests get
//! hyper's 400.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};

use super::metrics::{self, Gauges};
use super::{CONTACT_FRESH, LIVENESS_LIMIT, OUTBOX_READY_MAX, STORAGE_MIN_FREE, Sample, Shared};

/// Connections served at once; further ones are closed as they arrive.
pub const MAX_CONNECTIONS: usize = 32;
/// Largest request head (request line and headers) read.
pub const MAX_HEAD: usize = 16 * 1024;
/// A request head must arrive within this time.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// A connection is closed after this long, however busy (a slow client cannot hold a slot).
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(60);

/// The endpoint serving in its own thread; stops when dropped, and then saves the counters
/// (`kiosk run` drops it at a clean exit).
#[derive(Debug)]
pub struct Running {
    /// Where it listens (the real port when the configured one was 0).
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    shared: Arc<Shared>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.shared.save_counters();
    }
}

/// Binds `listen` and serves `shared` on a thread of its own. `token`: the bearer token for
/// `/status` and `/metrics`; `None` refuses them to everyone.
pub fn start(
    listen: SocketAddr,
    token: Option<String>,
    shared: Arc<Shared>,
) -> std::io::Result<Running> {
    let std_listener = std::net::TcpListener::bind(listen)?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let token: Option<Arc<str>> = token.map(Into::into);
    let served = shared.clone();
    let thread = std::thread::Builder::new()
        .name("ops-http".into())
        .spawn(move || {
            runtime.block_on(serve(std_listener, token, served, stopped));
        })?;
    Ok(Running {
        addr,
        stop: Some(stop),
        thread: Some(thread),
        shared,
    })
}

async fn serve(
    std_listener: std::net::TcpListener,
    token: Option<Arc<str>>,
    shared: Arc<Shared>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let listener = match tokio::net::TcpListener::from_std(std_listener) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("kiosk: 运维接口无法监听：{e}");
            return;
        }
    };
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let accepted = tokio::select! {
            _ = &mut stopped => return,
            a = listener.accept() => a,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(_) => {
                // out of file descriptors and the like: wait instead of spinning
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            drop(stream); // over the bound: closed at once
            continue;
        };
        let (shared, token) = (shared.clone(), token.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let answer = respond(&shared, token.as_deref(), &req);
                async move { Ok::<_, Infallible>(answer) }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT)
                .max_buf_size(MAX_HEAD)
                .serve_connection(TokioIo::new(stream), service);
            let _ = tokio::time::timeout(CONNECTION_LIFETIME, connection).await;
            drop(slot);
        });
    }
}

type Answer = Response<Full<Bytes>>;

fn answer(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Answer {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn json(status: StatusCode, value: &serde_json::Value) -> Answer {
    answer(status, "application/json", value.to_string())
}

fn error(status: StatusCode, message: &str) -> Answer {
    json(status, &serde_json::json!({ "error": message }))
}

/// Equal in time whatever the first differing byte (the token is a secret).
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn authorised(req: &Request<Incoming>, token: Option<&str>) -> bool {
    let Some(token) = token else {
        return false;
    };
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|given| same(given.trim().as_bytes(), token.as_bytes()))
}

fn respond(shared: &Shared, token: Option<&str>, req: &Request<Incoming>) -> Answer {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = error(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let has_body = req.headers().contains_key(header::TRANSFER_ENCODING)
        || req
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    if has_body {
        return error(StatusCode::PAYLOAD_TOO_LARGE, "no request body is accepted");
    }
    match req.uri().path() {
        "/healthz" => healthz(shared),
        "/readyz" => readyz(shared),
        "/status" | "/metrics" if !authorised(req, token) => {
            let mut r = error(StatusCode::UNAUTHORIZED, "bearer token required");
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            r
        }
        "/status" => json(StatusCode::OK, &status(shared)),
        "/metrics" => answer(
            StatusCode::OK,
            "text/plain; version=0.0.4; charset=utf-8",
            metrics::render(&shared.metrics, &metrics::FRAMES, &gauges(shared)),
        ),
        _ => error(StatusCode::NOT_FOUND, "no such path"),
    }
}

fn healthz(shared: &Shared) -> Answer {
    let age = shared.heartbeat.age();
    let alive = age <= LIVENESS_LIMIT;
    let body = serde_json::json!({
        "alive": alive,
        "ui_heartbeat_age_ms": u64::try_from(age.as_millis()).unwrap_or(u64::MAX),
    });
    json(
        if alive {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        },
        &body,
    )
}

fn unix_now() -> i64 {
    county::signing::unix_now()
}

fn health_word(h: kiosk_core::session::DeviceHealth) -> &'static str {
    match h {
        kiosk_core::session::DeviceHealth::Ready => "ready",
        kiosk_core::session::DeviceHealth::Degraded => "degraded",
        kiosk_core::session::DeviceHealth::Fault => "fault",
    }
}

/// Why the kiosk cannot serve citizens now; empty when it can.
fn not_ready(shared: &Shared, sample: &Sample) -> Vec<&'static str> {
    let mut reasons = Vec::new();
    if shared.heartbeat.age() > LIVENESS_LIMIT {
        reasons.push("ui_not_responding");
    }
    if shared.matters_offered == 0 {
        reasons.push("catalog_not_loaded");
    }
    if shared.devices().reader == kiosk_core::session::DeviceHealth::Fault {
        reasons.push("card_reader_fault");
    }
    match (&shared.probe, sample.outbox) {
        (None, _) => reasons.push("backend_not_started"),
        (Some(_), None) => reasons.push("outbox_not_sampled_yet"),
        (Some(probe), Some(outbox)) => {
            // the outbox takes every submission first, so it must be writable either way
            if sample.read_only == Some(true) {
                reasons.push("storage_read_only");
            }
            if sample.free_bytes.is_some_and(|f| f < STORAGE_MIN_FREE) {
                reasons.push("storage_full");
            }
            let reachable = probe.last_contact().is_some_and(|t| {
                unix_now().saturating_sub(t) <= CONTACT_FRESH.as_secs().cast_signed()
            });
            let outbox_ok = outbox.depth.is_some_and(|d| d < OUTBOX_READY_MAX);
            if outbox.depth.is_none() {
                reasons.push("outbox_unreadable");
            } else if !reachable && !outbox_ok {
                reasons.push("backend_unreachable_and_outbox_backlog");
            }
        }
    }
    reasons
}

fn readyz(shared: &Shared) -> Answer {
    let sample = shared.sample();
    let reasons = not_ready(shared, &sample);
    let ready = reasons.is_empty();
    let body = serde_json::json!({
        "ready": ready,
        "reasons": reasons,
        "checks": {
            "ui_heartbeat_age_ms": u64::try_from(shared.heartbeat.age().as_millis()).unwrap_or(u64::MAX),
            "matters_offered": shared.matters_offered,
            "card_reader": health_word(shared.devices().reader),
            "outbox_depth": sample.outbox.and_then(|o| o.depth),
            "outbox_depth_limit": OUTBOX_READY_MAX,
            "backend_last_contact_secs_ago": last_contact_ago(shared),
            "storage_free_bytes": sample.free_bytes,
        },
    });
    json(
        if ready {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        },
        &body,
    )
}

fn last_contact_ago(shared: &Shared) -> Option<i64> {
    shared
        .probe
        .as_ref()
        .and_then(|p| p.last_contact())
        .map(|t| unix_now().saturating_sub(t).max(0))
}

fn oldest_age(sample: &Sample) -> Option<u64> {
    sample
        .outbox
        .and_then(|o| o.oldest_created)
        .map(|t| u64::try_from(unix_now().saturating_sub(t)).unwrap_or(0))
}

fn gauges(shared: &Shared) -> Gauges {
    let sample = shared.sample();
    let d = shared.devices();
    Gauges {
        outbox_depth: sample.outbox.and_then(|o| o.depth),
        outbox_oldest_age_secs: oldest_age(&sample),
        ui_heartbeat_age_ms: u64::try_from(shared.heartbeat.age().as_millis()).unwrap_or(u64::MAX),
        uptime_secs: shared.started.elapsed().as_secs(),
        storage_free_bytes: sample.free_bytes,
        process_start_unix: Some(shared.started_unix),
        devices: [Some(d.reader), Some(d.printer), d.pad, d.scanner],
        paper: Some(d.paper),
        printer_cover_open: d.cover_open,
        not_ready: Some(not_ready(shared, &sample)),
    }
}

fn status(shared: &Shared) -> serde_json::Value {
    let d = shared.devices();
    let sample = shared.sample();
    let r = d.reader_counters;
    let p = d.printer_counters;
    serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "terminal_id": shared.terminal,
        "uptime_secs": shared.started.elapsed().as_secs(),
        "ui": {
            "alive": shared.heartbeat.age() <= LIVENESS_LIMIT,
            "heartbeat_age_ms": u64::try_from(shared.heartbeat.age().as_millis()).unwrap_or(u64::MAX),
        },
        "devices": {
            "card_reader": {
                "state": health_word(d.reader),
                "counters": {
                    "reads_ok": r.reads_ok,
                    "reads_failed": r.reads_failed,
                    "checksum_errors": r.checksum_errors,
                    "timeouts": r.timeouts,
                    "reconnects": r.reconnects,
                },
            },
            "printer": {
                "state": health_word(d.printer),
                "paper": d.paper,
                "cover_open": d.cover_open,
                "faults": d.printer_faults,
                "counters": {
                    "jobs": p.jobs,
                    "jobs_failed": p.jobs_failed,
                    "lines": p.lines,
                    "cuts": p.cuts,
                    "paper_low_events": p.paper_low_events,
                    "paper_out_events": p.paper_out_events,
                    "errors": p.errors,
                    "reconnects": p.reconnects,
                },
            },
            "rating_pad": {
                "fitted": d.pad.is_some(),
                "state": d.pad.map(health_word),
                "counters": d.pad_counters.map(|c| serde_json::json!({
                    "frames": c.frames,
                    "bad_frames": c.bad_frames,
                    "keys": c.keys,
                    "duplicate_keys": c.duplicate_keys,
                    "reconnects": c.reconnects,
                    "naks_sent": c.naks_sent,
                    "commands_failed": c.commands_failed,
                })),
            },
            "scanner": {
                "fitted": d.scanner.is_some(),
                "state": d.scanner.map(health_word),
                "counters": d.scanner_counters.map(|c| serde_json::json!({
                    "frames": c.frames,
                    "errors": c.errors,
                    "captures": c.captures,
                    "capture_failures": c.capture_failures,
                    "reconnects": c.reconnects,
                    "stalls": c.stalls,
                })),
            },
        },
        "outbox": {
            "depth": sample.outbox.and_then(|o| o.depth),
            "oldest_age_secs": oldest_age(&sample),
            "sampled_ms_ago": sample.at.map(|t| u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX)),
        },
        "backend": {
            "mode": match shared.backend_mode {
                kiosk_core::terminal::BackendMode::Embedded => "embedded",
                kiosk_core::terminal::BackendMode::Remote => "remote",
            },
            "started": shared.probe.is_some(),
            "last_contact_unix": shared.probe.as_ref().and_then(|p| p.last_contact()),
            "last_contact_secs_ago": last_contact_ago(shared),
        },
        "storage": {
            "dir": shared.storage_dir.display().to_string(),
            "free_bytes": sample.free_bytes,
            "read_only": sample.read_only,
        },
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::metrics::NOT_READY_REASONS;

    /// Every reason `/readyz` can give is a label value of `kiosk_not_ready_reason`, so an
    /// alert on it sees each one.
    #[test]
    fn every_readiness_reason_is_in_the_metrics_list() {
        let source = include_str!("health.rs");
        let pushed: Vec<&str> = source
            .split("reasons.push(\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap())
            .collect();
        assert!(pushed.len() >= 9, "{pushed:?}");
        for reason in &pushed {
            assert!(NOT_READY_REASONS.contains(reason), "{reason}");
        }
        for reason in NOT_READY_REASONS {
            assert!(pushed.contains(&reason), "{reason} is never given");
        }
    }
}
