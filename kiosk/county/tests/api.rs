//! The reference backend over loopback HTTP: every operation, and every refusal the issue
//! names — a tampered signature, a reused nonce, a stale timestamp, an oversized body,
//! malformed JSON — answered with a clear 4xx that stores nothing; an idempotency key
//! replayed gets the original answer, with another body a 409.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use county::api::{Acceptance, ApiError, Cases, Progress, QueryResult};
use county::seed;
use county::signing::{self, sha256_hex};
use county::{County, CountyConfig, Running};

const TERMINAL: &str = "MD-MDJD-001";
const SECRET: &[u8] = b"test secret of the demo terminal";
/// 2026-11-23 09:30 Beijing.
const NOW: i64 = 1_795_397_400;

struct Backend {
    running: Running,
    clock: Arc<AtomicI64>,
    nonce: AtomicU64,
    _dir: TempDir,
}

struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Answer {
    status: u16,
    headers: String,
    body: String,
}

impl Answer {
    fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    fn error(&self) -> ApiError {
        self.json()
    }
}

fn catalog() -> kiosk_core::catalog::Catalog {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/matters.toml");
    kiosk_core::catalog::Catalog::parse(&std::fs::read_to_string(path).unwrap(), "matters.toml")
        .unwrap()
}

impl Backend {
    fn start() -> Backend {
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "county-api-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let clock = Arc::new(AtomicI64::new(NOW));
        let c = clock.clone();
        let config = CountyConfig::from_catalog(
            &catalog(),
            HashMap::from([(TERMINAL.to_string(), SECRET.to_vec())]),
        );
        let county =
            County::open(&dir, config, Arc::new(move || c.load(Ordering::Relaxed))).unwrap();
        Backend {
            running: county::spawn("127.0.0.1:0", county).unwrap(),
            clock,
            nonce: AtomicU64::new(1),
            _dir: TempDir(dir),
        }
    }

    fn addr(&self) -> SocketAddr {
        self.running.addr
    }

    fn next_nonce(&self) -> String {
        format!("{:032x}", self.nonce.fetch_add(1, Ordering::Relaxed))
    }

    /// A signed request; `tweak` may alter the headers after signing.
    #[allow(clippy::too_many_arguments)]
    fn send_with(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: &[u8],
        extra: &[(&str, &str)],
        nonce: &str,
        tweak: impl FnOnce(&mut Vec<(String, String)>),
    ) -> Answer {
        let ts = self.clock.load(Ordering::Relaxed);
        let sig = signing::sign(SECRET, method, path, ts, nonce, body);
        let mut headers = vec![
            ("X-Kiosk-Terminal".to_string(), TERMINAL.to_string()),
            ("X-Kiosk-Timestamp".to_string(), ts.to_string()),
            ("X-Kiosk-Nonce".to_string(), nonce.to_string()),
            ("X-Kiosk-Signature".to_string(), sig),
            ("Content-Type".to_string(), content_type.to_string()),
        ];
        for (k, v) in extra {
            headers.push(((*k).to_string(), (*v).to_string()));
        }
        tweak(&mut headers);
        raw(self.addr(), method, path, &headers, body)
    }

    fn send(&self, method: &str, path: &str, body: &str, extra: &[(&str, &str)]) -> Answer {
        let nonce = self.next_nonce();
        self.send_with(
            method,
            path,
            "application/json",
            body.as_bytes(),
            extra,
            &nonce,
            |_| {},
        )
    }

    fn post(&self, path: &str, body: &str) -> Answer {
        self.send("POST", path, body, &[])
    }

    fn cases(&self) -> u64 {
        self.running
            .county
            .with_store(|s| s.case_count().unwrap())
            .unwrap()
    }
}

fn raw(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Answer {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: county\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let _ = s.write_all(body);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Answer {
        status,
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

fn person(i: usize) -> String {
    let c = &seed::citizens()[i];
    format!(
        r#"{{"person":{{"id_number":"{}","name":"{}"}}}}"#,
        c.id_number, c.name
    )
}

fn submission(i: usize, extra: &str) -> String {
    let c = &seed::citizens()[i];
    format!(
        r#"{{"service":"card-apply-adult","matter_id":"shebaoka-shenling-chengnianren","applicant":{{"id_number":"{}","name":"{}"}},"phone":"13912345678","choice":"到便民服务中心领取","attachments":[]{extra}}}"#,
        c.id_number, c.name
    )
}

#[test]
fn queries_answer_for_a_seeded_citizen_and_not_for_a_stranger() {
    let b = Backend::start();
    let a = b.post("/v1/pension/summary", &person(0));
    assert_eq!(a.status, 200, "{}", a.body);
    let r: QueryResult = a.json();
    assert_eq!(r.title, "城乡居民养老保险缴费及待遇");
    assert!(r.rows.iter().any(|row| row.label == "累计缴费年限"));
    assert!(
        !a.body.contains(&seed::citizens()[0].id_number),
        "numbers come back masked"
    );

    let r: QueryResult = b.post("/v1/pension/rights-record", &person(1)).json();
    assert!(r.rows.iter().any(|row| row.label.ends_with(" 年")));
    let r: QueryResult = b.post("/v1/insurance/certificate", &person(0)).json();
    let cert = r.certificate.unwrap();
    assert_eq!(cert.verification_code.len(), 12);
    assert!(cert.verify_url.contains(&cert.verification_code));
    let r: QueryResult = b.post("/v1/insurance/info", &person(2)).json();
    assert_eq!(r.title, "参保信息");

    // a valid number nobody has, and a known number with the wrong name: both 404
    let stranger = r#"{"person":{"id_number":"11010519491231002X","name":"某人"}}"#;
    assert_eq!(b.post("/v1/pension/summary", stranger).status, 404);
    let c = &seed::citizens()[0];
    let wrong_name = format!(
        r#"{{"person":{{"id_number":"{}","name":"别人"}}}}"#,
        c.id_number
    );
    assert_eq!(b.post("/v1/pension/summary", &wrong_name).status, 404);
    let check: county::api::IdentityCheck = b.post("/v1/identity/check", &person(0)).json();
    assert!(check.known);
}

#[test]
fn a_submission_is_accepted_once_and_its_replay_gets_the_original_answer() {
    let b = Backend::start();
    let key = [("Idempotency-Key", "kiosk-0001-submission-a")];
    let first = b.send("POST", "/v1/submissions", &submission(0, ""), &key);
    assert_eq!(first.status, 200, "{}", first.body);
    let acc: Acceptance = first.json();
    assert!(
        acc.receipt_no.starts_with("SL20261123"),
        "{}",
        acc.receipt_no
    );
    assert_eq!(b.cases(), 1);

    let again = b.send("POST", "/v1/submissions", &submission(0, ""), &key);
    assert_eq!(again.status, 200);
    assert!(
        again.headers.contains("idempotent-replayed: true"),
        "{}",
        again.headers
    );
    assert_eq!(again.json::<Acceptance>(), acc);
    assert_eq!(b.cases(), 1, "a replay creates nothing");

    let other = b.send("POST", "/v1/submissions", &submission(1, ""), &key);
    assert_eq!(other.status, 409);
    assert_eq!(other.error().code, "key_reused");

    // progress by number and by person
    let p: Progress = b
        .send("GET", &format!("/v1/progress/{}", acc.receipt_no), "", &[])
        .json();
    assert_eq!(p.status, "accepted");
    let cases: Cases = b.post("/v1/progress/lookup", &person(0)).json();
    assert_eq!(cases.cases.len(), 1);
    assert_eq!(
        b.send("GET", "/v1/progress/SL20990101000001", "", &[])
            .status,
        404
    );
}

#[test]
fn suspension_is_immediate_and_ratings_and_heartbeats_are_recorded() {
    let b = Backend::start();
    let c = &seed::citizens()[0];
    let body = format!(
        r#"{{"person":{{"id_number":"{}","name":"{}"}},"reason":"丢失"}}"#,
        c.id_number, c.name
    );
    let a = b.send(
        "POST",
        "/v1/social-card/suspend",
        &body,
        &[("Idempotency-Key", "kiosk-0001-suspend-0001")],
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json::<Acceptance>().status, "done");
    let stored = b
        .running
        .county
        .with_store(|s| s.citizen(&c.id_number).unwrap().unwrap())
        .unwrap();
    assert_eq!(stored.card, "suspended");

    let rating = r#"{"matter_id":"shebaoka-guashi-linshi","level":5,"reasons":[]}"#;
    let a = b.send(
        "POST",
        "/v1/ratings",
        rating,
        &[("Idempotency-Key", "kiosk-0001-rating-00001")],
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let bad = r#"{"matter_id":"shebaoka-guashi-linshi","level":6}"#;
    let a = b.send(
        "POST",
        "/v1/ratings",
        bad,
        &[("Idempotency-Key", "kiosk-0001-rating-00002")],
    );
    assert_eq!((a.status, a.error().field.as_deref()), (422, Some("level")));
    assert_eq!(
        b.running.county.with_store(|s| s.rating_count().unwrap()),
        Some(1)
    );

    let hb =
        r#"{"version":"0.1.0","uptime_secs":5,"devices":{"printer":"ready"},"outbox_depth":0}"#;
    let a = b.post("/v1/heartbeat", hb);
    assert_eq!(a.status, 200, "{}", a.body);
    let cat: county::api::Catalog = b.send("GET", "/v1/catalog", "", &[]).json();
    assert_eq!(cat.matters.len(), 168);
}

#[test]
fn attachments_are_stored_by_hash_and_a_submission_must_reference_uploaded_ones() {
    let b = Backend::start();
    let scan = b"\x89PNG\r\n\x1a\nnot really a scan";
    let hash = sha256_hex(scan);
    let put = |path: &str, ct: &str| {
        let nonce = b.next_nonce();
        b.send_with("PUT", path, ct, scan, &[], &nonce, |_| {})
    };
    assert_eq!(
        put(&format!("/v1/attachments/{hash}"), "image/png").status,
        201
    );
    assert_eq!(
        put(&format!("/v1/attachments/{hash}"), "image/png").status,
        200
    );
    assert_eq!(
        put(&format!("/v1/attachments/{}", "0".repeat(64)), "image/png").status,
        422
    );
    assert_eq!(
        put(&format!("/v1/attachments/{hash}"), "text/plain").status,
        415
    );

    let with = format!(
        r#","attachments":[{{"sha256":"{hash}","media_type":"image/png","size":{}}}]"#,
        scan.len()
    );
    let body = submission(0, "").replace(r#","attachments":[]"#, &with);
    let a = b.send(
        "POST",
        "/v1/submissions",
        &body,
        &[("Idempotency-Key", "kiosk-0001-with-scan-01")],
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let missing = body.replace(&hash, &"a".repeat(64));
    let a = b.send(
        "POST",
        "/v1/submissions",
        &missing,
        &[("Idempotency-Key", "kiosk-0001-with-scan-02")],
    );
    assert_eq!(
        (a.status, a.error().field.as_deref()),
        (422, Some("attachments[0]"))
    );

    // pages name their material and number; the same page may be listed twice
    let page = |material: &str, n: u32| {
        format!(
            r#"{{"sha256":"{hash}","media_type":"image/png","size":{},"material":"{material}","page":{n}}}"#,
            scan.len()
        )
    };
    let with_pages = |pages: &[String]| {
        submission(1, "").replace(
            r#","attachments":[]"#,
            &format!(r#","attachments":[{}]"#, pages.join(",")),
        )
    };
    let a = b.send(
        "POST",
        "/v1/submissions",
        &with_pages(&[page("户口簿", 1), page("户口簿", 2)]),
        &[("Idempotency-Key", "kiosk-0001-with-pages-01")],
    );
    assert_eq!(a.status, 200, "{}", a.body);
    for (i, bad) in [
        with_pages(&[page("户口簿", 0)]),
        with_pages(&[page("户口簿", 17)]),
        with_pages(&[page(" ", 1)]),
        with_pages(&[page(&"材".repeat(65), 1)]),
        with_pages(&vec![page("户口簿", 1); 17]),
    ]
    .iter()
    .enumerate()
    {
        let key = format!("kiosk-0001-bad-pages-{i:02}");
        let a = b.send("POST", "/v1/submissions", bad, &[("Idempotency-Key", &key)]);
        assert_eq!(a.status, 422, "case {i}: {}", a.body);
        assert!(
            a.error()
                .field
                .as_deref()
                .is_some_and(|f| f.starts_with("attachments")),
            "case {i}: {}",
            a.body
        );
    }
}

#[test]
fn refusals_are_clear_4xx_and_store_nothing() {
    let b = Backend::start();
    let key = |k: &'static str| [("Idempotency-Key", k)];
    let body = submission(0, "");

    // a tampered signature
    let nonce = b.next_nonce();
    let a = b.send_with(
        "POST",
        "/v1/submissions",
        "application/json",
        body.as_bytes(),
        &key("kiosk-refusal-000001"),
        &nonce,
        |h| {
            h[3].1 = "0".repeat(64);
        },
    );
    assert_eq!((a.status, a.error().code.as_str()), (401, "bad_signature"));
    // a body changed after signing
    let nonce = b.next_nonce();
    let tampered = body.replace("13912345678", "13912345679");
    let sig_for_original = signing::sign(
        SECRET,
        "POST",
        "/v1/submissions",
        NOW,
        &nonce,
        body.as_bytes(),
    );
    let a = b.send_with(
        "POST",
        "/v1/submissions",
        "application/json",
        tampered.as_bytes(),
        &key("kiosk-refusal-000002"),
        &nonce,
        |h| {
            h[3].1 = sig_for_original;
        },
    );
    assert_eq!((a.status, a.error().code.as_str()), (401, "bad_signature"));
    // a missing signature, an unknown terminal
    let nonce = b.next_nonce();
    let a = b.send_with(
        "POST",
        "/v1/submissions",
        "application/json",
        body.as_bytes(),
        &[],
        &nonce,
        |h| {
            h.remove(3);
        },
    );
    assert_eq!(
        (a.status, a.error().code.as_str()),
        (401, "bad_signature_header")
    );
    let nonce = b.next_nonce();
    let a = b.send_with(
        "POST",
        "/v1/pension/summary",
        "application/json",
        person(0).as_bytes(),
        &[],
        &nonce,
        |h| {
            h[0].1 = "ZZ-999".into();
        },
    );
    assert_eq!(
        (a.status, a.error().code.as_str()),
        (401, "unknown_terminal")
    );

    // a reused nonce: the first use works, the second is refused
    let nonce = b.next_nonce();
    let ok = b.send_with(
        "POST",
        "/v1/pension/summary",
        "application/json",
        person(0).as_bytes(),
        &[],
        &nonce,
        |_| {},
    );
    assert_eq!(ok.status, 200);
    let again = b.send_with(
        "POST",
        "/v1/pension/summary",
        "application/json",
        person(0).as_bytes(),
        &[],
        &nonce,
        |_| {},
    );
    assert_eq!(
        (again.status, again.error().code.as_str()),
        (401, "nonce_reused")
    );

    // a stale timestamp: the client's clock is 10 minutes behind the server's
    b.clock.store(NOW + 600, Ordering::Relaxed);
    let nonce = b.next_nonce();
    let a = b.send_with(
        "POST",
        "/v1/pension/summary",
        "application/json",
        person(0).as_bytes(),
        &[],
        &nonce,
        |h| {
            h[1].1 = NOW.to_string();
            h[3].1 = signing::sign(
                SECRET,
                "POST",
                "/v1/pension/summary",
                NOW,
                &h[2].1,
                person(0).as_bytes(),
            );
        },
    );
    assert_eq!(
        (a.status, a.error().code.as_str()),
        (401, "stale_timestamp")
    );
    b.clock.store(NOW, Ordering::Relaxed);

    // an oversized body, malformed JSON, a wrong media type, an unknown field, a bad key
    let big = format!(r#"{{"pad":"{}"}}"#, "x".repeat(70 * 1024));
    let a = b.send(
        "POST",
        "/v1/submissions",
        &big,
        &key("kiosk-refusal-000003"),
    );
    assert_eq!((a.status, a.error().code.as_str()), (413, "too_large"));
    let a = b.send(
        "POST",
        "/v1/submissions",
        "{\"service\": ",
        &key("kiosk-refusal-000004"),
    );
    assert_eq!((a.status, a.error().code.as_str()), (400, "bad_json"));
    let a = b.send(
        "POST",
        "/v1/submissions",
        &submission(0, r#","admin":true"#),
        &key("kiosk-refusal-000005"),
    );
    assert_eq!((a.status, a.error().code.as_str()), (400, "bad_json"));
    let nonce = b.next_nonce();
    let a = b.send_with(
        "POST",
        "/v1/submissions",
        "text/plain",
        body.as_bytes(),
        &key("kiosk-refusal-000006"),
        &nonce,
        |_| {},
    );
    assert_eq!(a.status, 415);
    let a = b.send("POST", "/v1/submissions", &body, &key("short"));
    assert_eq!(
        (a.status, a.error().code.as_str()),
        (400, "bad_idempotency_key")
    );
    let a = b.send(
        "POST",
        "/v1/submissions",
        &body.replace("13912345678", "23912345678"),
        &key("kiosk-refusal-000007"),
    );
    assert_eq!((a.status, a.error().field.as_deref()), (422, Some("phone")));
    // no error message echoes personal data
    let c = &seed::citizens()[0];
    assert!(
        !a.body.contains(&c.name) && !a.body.contains(&c.id_number),
        "{}",
        a.body
    );
    let bad_check = body.replacen(&seed::citizens()[0].id_number[..17], "11010519491231002", 1);
    let a = b.send(
        "POST",
        "/v1/submissions",
        &bad_check,
        &key("kiosk-refusal-000008"),
    );
    assert_eq!(a.status, 422, "{}", a.body);
    let a = b.send("POST", "/v1/nowhere", "{}", &[]);
    assert_eq!(a.status, 404);

    assert_eq!(b.cases(), 0, "nothing was stored");
    // and none of the refused keys was taken: the first valid use of one works
    let a = b.send(
        "POST",
        "/v1/submissions",
        &body,
        &key("kiosk-refusal-000008"),
    );
    assert_eq!(a.status, 200, "{}", a.body);
}

#[test]
fn a_minor_applies_through_an_adult_guardian() {
    let b = Backend::start();
    // a 10-year-old (generated number, valid check digit) and the guardian from the seed
    let body17 = "37170220160101123";
    let minor = format!(
        "{body17}{}",
        kiosk_core::identity::check_character(body17).unwrap()
    );
    let g = &seed::citizens()[0];
    let base = format!(
        r#"{{"service":"card-apply-minor","matter_id":"shebaoka-shenling-weichengnianren","applicant":{{"id_number":"{minor}","name":"小明"}},"phone":"13912345678","choice":"到便民服务中心领取","attachments":[]"#
    );
    let without = format!("{base}}}");
    let a = b.send(
        "POST",
        "/v1/submissions",
        &without,
        &[("Idempotency-Key", "kiosk-minor-0000001")],
    );
    assert_eq!(
        (a.status, a.error().field.as_deref()),
        (422, Some("guardian"))
    );
    let with = format!(
        r#"{base},"guardian":{{"id_number":"{}","name":"{}"}}}}"#,
        g.id_number, g.name
    );
    let a = b.send(
        "POST",
        "/v1/submissions",
        &with,
        &[("Idempotency-Key", "kiosk-minor-0000002")],
    );
    assert_eq!(a.status, 200, "{}", a.body);
}

#[test]
fn a_poor_rating_is_listed_for_follow_up_with_its_deadline_and_a_good_one_is_not() {
    let b = Backend::start();
    let key = |n: u32| format!("kiosk-0001-rating-{n:05}");
    // Monday 2026-11-23 09:30 Beijing
    let poor = r#"{"matter_id":"shebaoka-buhuan","receipt_no":"SL20261123000001","level":1,
        "reasons":["操作太复杂","等待时间太长"],"channel":"自助终端","rated_at":1795397400,
        "callback_phone":"13912345678"}"#;
    let a = b.send("POST", "/v1/ratings", poor, &[("Idempotency-Key", &key(1))]);
    assert_eq!(a.status, 200, "{}", a.body);
    // the same key again: the original answer, not a second rating
    let again = b.send("POST", "/v1/ratings", poor, &[("Idempotency-Key", &key(1))]);
    assert_eq!(again.body, a.body);
    let good = r#"{"matter_id":"shebaoka-buhuan","level":4}"#;
    assert_eq!(
        b.send("POST", "/v1/ratings", good, &[("Idempotency-Key", &key(2))])
            .status,
        200
    );
    let no_consent = r#"{"matter_id":"shebaoka-buhuan","level":2,"reasons":[]}"#;
    assert_eq!(
        b.send(
            "POST",
            "/v1/ratings",
            no_consent,
            &[("Idempotency-Key", &key(3))]
        )
        .status,
        200
    );
    // a callback number only comes with a 差评, and must be a mobile number
    for bad in [
        r#"{"matter_id":"shebaoka-buhuan","level":5,"callback_phone":"13912345678"}"#,
        r#"{"matter_id":"shebaoka-buhuan","level":1,"callback_phone":"12345"}"#,
    ] {
        let a = b.send("POST", "/v1/ratings", bad, &[("Idempotency-Key", &key(9))]);
        assert_eq!(
            (a.status, a.error().field.as_deref()),
            (422, Some("callback_phone")),
            "{bad}"
        );
    }
    let list = b
        .running
        .county
        .with_store(|s| s.follow_ups().unwrap())
        .unwrap();
    assert_eq!(list.len(), 2, "{list:?}");
    let first = list
        .iter()
        .find(|f| f.receipt_no.as_deref() == Some("SL20261123000001"))
        .unwrap();
    assert_eq!(first.level, 1);
    assert_eq!(first.reasons, vec!["操作太复杂", "等待时间太长"]);
    assert_eq!(first.callback_phone.as_deref(), Some("13912345678"));
    assert_eq!(first.due, "2026-11-30", "5 working days from Monday");
    assert!(
        list.iter()
            .any(|f| f.level == 2 && f.callback_phone.is_none())
    );
    assert_eq!(
        b.running.county.with_store(|s| s.rating_count().unwrap()),
        Some(3)
    );
}
