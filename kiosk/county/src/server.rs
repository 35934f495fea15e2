//! The HTTP side: one axum fallback handler that reads the body within its limit, checks the
//! signature and nonce before anything else, checks the media type and the idempotency key,
//! and dispatches to [`crate::service`]. Every refusal is a JSON [`ApiError`]. Storage work
//! runs on the blocking pool.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;

use crate::api::{ApiError, MAX_ATTACHMENT, MAX_JSON_BODY};
use crate::service::{self, CountyConfig, Refusal, Reply};
use crate::signing::{self, SignatureError, header as h};
use crate::store::{Store, StoreError};

/// Seconds since the Unix epoch; injectable so tests can move the clock.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(signing::unix_now)
}

/// A running reference backend's state.
pub struct County {
    store: Mutex<Store>,
    config: CountyConfig,
    clock: Clock,
}

impl std::fmt::Debug for County {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("County")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl County {
    /// Opens the store in `data` (seeding it if new) for `config`, with `clock`.
    pub fn open(
        data: &Path,
        config: CountyConfig,
        clock: Clock,
    ) -> Result<Arc<County>, StoreError> {
        Ok(Arc::new(County {
            store: Mutex::new(Store::open(data)?),
            config,
            clock,
        }))
    }

    /// Runs `f` with the store (tests and tools: count what was stored).
    pub fn with_store<T>(&self, f: impl FnOnce(&Store) -> T) -> Option<T> {
        self.store.lock().ok().map(|s| f(&s))
    }
}

/// The router: everything goes through [`handle`].
pub fn router(county: Arc<County>) -> Router {
    Router::new().fallback(handle).with_state(county)
}

/// Serves `county` on `listener` until the task is dropped.
pub async fn serve(listener: tokio::net::TcpListener, county: Arc<County>) -> std::io::Result<()> {
    axum::serve(listener, router(county)).await
}

/// A backend serving in its own thread and runtime (the kiosk's embedded backend, tests).
#[derive(Debug)]
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The backend (to inspect its store).
    pub county: Arc<County>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts `county` on `addr` (e.g. `127.0.0.1:0`) in a background thread, plain HTTP.
pub fn spawn(addr: &str, county: Arc<County>) -> std::io::Result<Running> {
    start(addr, county, None)
}

/// Starts `county` on `addr` in a background thread, over TLS with `tls`.
pub fn spawn_tls(
    addr: &str,
    county: Arc<County>,
    tls: Arc<rustls::ServerConfig>,
) -> std::io::Result<Running> {
    start(addr, county, Some(tls))
}

fn start(
    addr: &str,
    county: Arc<County>,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> std::io::Result<Running> {
    let std_listener = std::net::TcpListener::bind(addr)?;
    std_listener.set_nonblocking(true)?;
    let local = std_listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_io()
        .enable_time()
        .thread_name("county")
        .build()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = county.clone();
    let thread = std::thread::Builder::new()
        .name("county".into())
        .spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(std_listener) else {
                    return;
                };
                let stop = async {
                    let _ = stopped.await;
                };
                let result = match tls {
                    Some(config) => {
                        let listener = crate::tls::TlsListener::new(listener, config);
                        axum::serve(listener, router(served))
                            .with_graceful_shutdown(stop)
                            .await
                    }
                    None => {
                        axum::serve(listener, router(served))
                            .with_graceful_shutdown(stop)
                            .await
                    }
                };
                if let Err(e) = result {
                    eprintln!("county: server stopped: {e}");
                }
            });
        })?;
    Ok(Running {
        addr: local,
        county,
        stop: Some(stop),
        thread: Some(thread),
    })
}

fn error_response(status: u16, err: &ApiError) -> Response {
    let body = serde_json::to_string(err).unwrap_or_else(|_| "{}".into());
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn error(status: u16, code: &str, message: impl Into<String>) -> Response {
    error_response(
        status,
        &ApiError {
            code: code.into(),
            message: message.into(),
            field: None,
        },
    )
}

fn reply_response(reply: Reply) -> Response {
    let mut r = Response::new(Body::from(reply.body));
    *r.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if reply.replayed {
        r.headers_mut()
            .insert(h::REPLAYED, HeaderValue::from_static("true"));
    }
    r
}

fn refusal_response(refusal: &Refusal) -> Response {
    if let Refusal::Store(e) = refusal {
        // the only place a server-side cause is logged; it carries no request data
        eprintln!("county: storage error: {e}");
    }
    error_response(refusal.status(), &refusal.body())
}

/// The one handler (see the module doc).
pub async fn handle(State(county): State<Arc<County>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let path_and_query = parts
        .uri
        .path_and_query()
        .map_or_else(|| path.clone(), |p| p.as_str().to_string());
    let is_attachment = parts.method == Method::PUT && path.starts_with("/v1/attachments/");
    let limit = if is_attachment {
        MAX_ATTACHMENT
    } else {
        MAX_JSON_BODY
    };
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return error(413, "too_large", format!("body over {limit} bytes"));
    }
    let Ok(body) = axum::body::to_bytes(body, limit).await else {
        return error(
            413,
            "too_large",
            format!("body over {limit} bytes or unreadable"),
        );
    };
    let header_str = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let signed = match signing::parse_headers(|n| header_str(n)) {
        Ok(s) => s,
        Err(e) => return error(401, e.code(), e.to_string()),
    };
    let Some(secret) = county.config.terminals.get(&signed.terminal) else {
        let e = SignatureError::UnknownTerminal;
        return error(401, e.code(), e.to_string());
    };
    let now = (county.clock)();
    if let Err(e) = signing::verify(
        secret,
        &signed,
        parts.method.as_str(),
        &path_and_query,
        &body,
        now,
    ) {
        return error(401, e.code(), e.to_string());
    }
    let content_type = header_str(header::CONTENT_TYPE.as_str())
        .map(|c| {
            c.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let idempotency_key = header_str(h::IDEMPOTENCY_KEY).map(str::to_string);
    let method = parts.method.clone();
    let worker = county.clone();
    let result = tokio::task::spawn_blocking(move || {
        let Ok(store) = worker.store.lock() else {
            return error(500, "storage_failed", "store unavailable");
        };
        // the nonce is remembered once the signature is good, whatever the body turns out to be
        match store.remember_nonce(
            &signed.terminal,
            &signed.nonce,
            now,
            signing::NONCE_TTL_SECS,
        ) {
            Ok(true) => {}
            Ok(false) => {
                let e = SignatureError::NonceReused;
                return error(401, e.code(), e.to_string());
            }
            Err(e) => return refusal_response(&Refusal::Store(e)),
        }
        dispatch(
            &worker,
            &store,
            &method,
            &path,
            &content_type,
            idempotency_key.as_deref(),
            &signed.terminal,
            &body,
            now,
        )
    })
    .await;
    result.unwrap_or_else(|_| error(500, "internal", "handler failed"))
}

#[allow(clippy::too_many_arguments)]
fn dispatch(
    county: &County,
    store: &Store,
    method: &Method,
    path: &str,
    content_type: &str,
    key: Option<&str>,
    terminal: &str,
    body: &[u8],
    now: i64,
) -> Response {
    let cfg = &county.config;
    let json_post = |f: &dyn Fn() -> Result<Reply, Refusal>| -> Response {
        if content_type != "application/json" {
            return error(
                415,
                "unsupported_media_type",
                "Content-Type must be application/json",
            );
        }
        match f() {
            Ok(r) => reply_response(r),
            Err(e) => refusal_response(&e),
        }
    };
    let keyed = |f: &dyn Fn(&Store) -> Result<Reply, Refusal>| -> Response {
        let Some(key) = key.filter(|k| {
            (16..=64).contains(&k.len())
                && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        }) else {
            return error(
                400,
                "bad_idempotency_key",
                "Idempotency-Key: 16 to 64 of [A-Za-z0-9-]",
            );
        };
        json_post(&|| service::idempotent(store, terminal, key, body, now, |s| f(s)))
    };
    match (method.as_str(), path) {
        ("GET", "/v1/catalog") => match service::catalog(cfg) {
            Ok(r) => reply_response(r),
            Err(e) => refusal_response(&e),
        },
        ("POST", "/v1/identity/check") => json_post(&|| service::identity_check(store, body)),
        ("POST", "/v1/pension/summary") => json_post(&|| service::pension_summary(store, body)),
        ("POST", "/v1/pension/rights-record") => json_post(&|| service::rights_record(store, body)),
        ("POST", "/v1/insurance/certificate") => {
            json_post(&|| service::insurance(store, body, true, cfg, now))
        }
        ("POST", "/v1/insurance/info") => {
            json_post(&|| service::insurance(store, body, false, cfg, now))
        }
        ("POST", "/v1/social-card/suspend") => keyed(&|s| service::suspend(s, terminal, body, now)),
        ("POST", "/v1/submissions") => keyed(&|s| service::submit(s, cfg, terminal, body, now)),
        ("POST", "/v1/ratings") => keyed(&|s| service::rate(s, cfg, terminal, body, now)),
        ("POST", "/v1/progress/lookup") => json_post(&|| service::progress_lookup(store, body)),
        ("POST", "/v1/heartbeat") => {
            json_post(&|| service::heartbeat(store, cfg, terminal, body, now))
        }
        ("GET", p) if p.starts_with("/v1/progress/") => {
            match service::progress(store, &p["/v1/progress/".len()..]) {
                Ok(r) => reply_response(r),
                Err(e) => refusal_response(&e),
            }
        }
        ("PUT", p) if p.starts_with("/v1/attachments/") => {
            if !["image/jpeg", "image/png", "application/pdf"].contains(&content_type) {
                return error(
                    415,
                    "unsupported_media_type",
                    "image/jpeg, image/png or application/pdf",
                );
            }
            match service::put_attachment(
                store,
                terminal,
                &p["/v1/attachments/".len()..],
                content_type,
                body,
                now,
            ) {
                Ok(r) => reply_response(r),
                Err(e) => refusal_response(&e),
            }
        }
        _ => error(404, "not_found", "no such operation"),
    }
}
