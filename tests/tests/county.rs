//! `kiosk county-sim` as its own process: signed requests over loopback HTTP are served,
//! unsigned ones refused, and what it accepted survives a kill -9 and a restart on the same
//! data directory (the idempotency answer too).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use county::seed;
use county::signing;
use kiosk_e2e::{kiosk_binary, repo, scratch};

const TERMINAL: &str = "MD-MDJD-001";
const SECRET_HEX: &str = "00112233445566778899aabbccddeeff";

struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(data: &std::path::Path) -> Server {
        let mut child = Command::new(kiosk_binary())
            .args(["county-sim", "--listen", "127.0.0.1:0", "--data"])
            .arg(data)
            .args(["--terminal", &format!("{TERMINAL}:{SECRET_HEX}")])
            .current_dir(repo())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("{line}"))
            .to_string();
        Server { child, addr }
    }

    fn request(
        &self,
        method: &str,
        path: &str,
        body: &str,
        signed: bool,
        key: Option<&str>,
    ) -> (u16, String) {
        let secret = signing::decode_hex(SECRET_HEX).unwrap();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // fresh per request, also across the two server processes sharing the nonce store
        let nonce = format!("{:032x}", (nanos << 16) ^ u128::from(n));
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: county\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        if signed {
            let sig = signing::sign(&secret, method, path, now, &nonce, body.as_bytes());
            head.push_str(&format!("X-Kiosk-Terminal: {TERMINAL}\r\nX-Kiosk-Timestamp: {now}\r\nX-Kiosk-Nonce: {nonce}\r\nX-Kiosk-Signature: {sig}\r\n"));
        }
        if let Some(k) = key {
            head.push_str(&format!("Idempotency-Key: {k}\r\n"));
        }
        head.push_str("\r\n");
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body.as_bytes()).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        let status = out.split_whitespace().nth(1).unwrap().parse().unwrap();
        (
            status,
            out.split_once("\r\n\r\n")
                .map(|(_, b)| b.to_string())
                .unwrap_or_default(),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_reference_backend_serves_signed_requests_and_keeps_what_it_accepted_across_kill_9() {
    let data = scratch("county-sim");
    let c = &seed::citizens()[1];
    let person = format!(
        r#"{{"person":{{"id_number":"{}","name":"{}"}}}}"#,
        c.id_number, c.name
    );
    let submission = format!(
        r#"{{"service":"pension-enrolment","matter_id":"yanglao-cxjm-canbao-dengji","applicant":{{"id_number":"{}","name":"{}"}},"phone":"13912345678","choice":"300元","attachments":[]}}"#,
        c.id_number, c.name
    );
    let receipt;
    {
        let server = Server::start(&data);
        let (status, body) = server.request("POST", "/v1/pension/summary", &person, true, None);
        assert_eq!(status, 200, "{body}");
        assert!(
            body.contains("累计缴费年限") || body.contains("未参加"),
            "{body}"
        );
        let (status, body) = server.request("POST", "/v1/pension/summary", &person, false, None);
        assert_eq!(status, 401, "{body}");
        let (status, body) = server.request(
            "POST",
            "/v1/submissions",
            &submission,
            true,
            Some("e2e-county-sim-0001"),
        );
        assert_eq!(status, 200, "{body}");
        receipt = body
            .split("\"receipt_no\":\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        // Server's Drop kills it with SIGKILL: no shutdown, no flush
    }
    let server = Server::start(&data);
    let (status, body) = server.request("GET", &format!("/v1/progress/{receipt}"), "", true, None);
    assert_eq!(status, 200, "{body}");
    // the retry of the acknowledged submission gets the same 受理编号, not a second case
    let (status, body) = server.request(
        "POST",
        "/v1/submissions",
        &submission,
        true,
        Some("e2e-county-sim-0001"),
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(&receipt), "{body}");
}

/// A 差评 sent to `kiosk county-sim` waits in `kiosk county-follow-ups` with its deadline, the
/// callback number masked unless --reveal; a good rating does not.
#[test]
fn a_poor_rating_is_listed_by_county_follow_ups() {
    let data = scratch("county-follow-ups");
    {
        let server = Server::start(&data);
        let poor = r#"{"matter_id":"shebaoka-buhuan","receipt_no":"SL20261123000001","level":2,"reasons":["操作太复杂"],"callback_phone":"13912345678"}"#;
        let (status, body) = server.request(
            "POST",
            "/v1/ratings",
            poor,
            true,
            Some("e2e-county-rating-0001"),
        );
        assert_eq!(status, 200, "{body}");
        let good = r#"{"matter_id":"shebaoka-buhuan","level":5}"#;
        let (status, body) = server.request(
            "POST",
            "/v1/ratings",
            good,
            true,
            Some("e2e-county-rating-0002"),
        );
        assert_eq!(status, 200, "{body}");
    }
    let list = |reveal: bool| {
        let mut cmd = Command::new(kiosk_binary());
        cmd.arg("county-follow-ups").arg("--data").arg(&data);
        if reveal {
            cmd.arg("--reveal");
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let masked = list(false);
    assert_eq!(masked.lines().count(), 1, "{masked}");
    assert!(
        masked.contains("SL20261123000001") && masked.contains("操作太复杂"),
        "{masked}"
    );
    assert!(
        masked.contains("139****5678") && !masked.contains("13912345678"),
        "{masked}"
    );
    assert!(list(true).contains("13912345678"));
    let none = Command::new(kiosk_binary())
        .args(["county-follow-ups", "--data"])
        .arg(data.join("no-such-dir"))
        .output()
        .unwrap();
    assert_eq!(none.status.code(), Some(2));
    assert!(
        !data.join("no-such-dir").exists(),
        "a listing creates nothing"
    );
}
