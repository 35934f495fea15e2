//! The ID-card tools across processes: `kiosk sim idcard --pty` in one process, driven by
//! its control lines, and `kiosk idcard read` in another, over the pseudo-terminal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kiosk_e2e::{kiosk, kiosk_binary};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::Duration;

struct Simulator {
    child: Child,
    control: ChildStdin,
    path: String,
}

impl Simulator {
    fn start(card: &str) -> Simulator {
        let mut child = Command::new(kiosk_binary())
            .args(["sim", "idcard", "--pty", "--card", card])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        let control = child.stdin.take().unwrap();
        Simulator {
            child,
            control,
            path: first.trim().to_string(),
        }
    }

    fn send(&mut self, line: &str) {
        writeln!(self.control, "{line}").unwrap();
        self.control.flush().unwrap();
        // the simulator applies the line on its own schedule
        std::thread::sleep(Duration::from_millis(200));
    }

    fn read(&self, extra: &[&str]) -> (i32, String, String) {
        let mut args = vec!["idcard", "read", "--port", &self.path];
        args.extend_from_slice(extra);
        let out = kiosk(&args);
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_read_over_the_pty_prints_the_masked_identity_and_each_step() {
    let sim = Simulator::start("resident");
    assert!(sim.path.starts_with("/dev/"), "pty path: {}", sim.path);
    let (code, out, err) = sim.read(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("证件类型：居民身份证"), "{out}");
    assert!(out.contains("王*例"), "{out}");
    assert!(
        !out.contains("110101196204150030"),
        "the number is masked: {out}"
    );
    for step in ["find card", "select card", "read text+photo"] {
        assert!(err.contains(step), "{err}");
    }
}

#[test]
fn json_with_reveal_uses_english_keys_iso_dates_and_long_term() {
    let sim = Simulator::start("resident");
    let (code, out, _) = sim.read(&["--json", "--reveal"]);
    assert_eq!(code, 0);
    for field in [
        r#""card_type":"resident""#,
        r#""name":"王示例""#,
        r#""gender":"male""#,
        r#""nation":"汉""#,
        r#""birth_date":"1962-04-15""#,
        r#""id_number":"110101196204150030""#,
        r#""valid_from":"2012-05-20""#,
        r#""valid_until":"long_term""#,
        r#""number_check":"valid""#,
    ] {
        assert!(out.contains(field), "{field} in {out}");
    }
    let (_, masked, _) = sim.read(&["--json"]);
    assert!(
        !masked.contains("王示例") && !masked.contains("1962-04-15"),
        "{masked}"
    );
}

#[test]
fn foreign_permits_read_with_their_own_fields() {
    let sim = Simulator::start("foreign2023");
    let (code, out, err) = sim.read(&["--json", "--reveal"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(r#""card_type":"foreign_permanent_2023""#),
        "{out}"
    );
    assert!(out.contains(r#""permit_number":"9"#), "{out}");
    assert!(out.contains(r#""nationality":""#), "{out}");
}

#[test]
fn exit_codes_tell_no_card_device_error_and_unparseable_apart() {
    let mut sim = Simulator::start("resident");
    sim.send("remove");
    assert_eq!(sim.read(&[]).0, 2, "no card");
    sim.send("sam 60");
    let (code, _, err) = sim.read(&[]);
    assert_eq!(code, 3, "SAM failure: {err}");
    sim.send("sam off");
    sim.send("place unknown");
    let (code, _, err) = sim.read(&[]);
    assert_eq!(code, 4, "unknown card type: {err}");
    sim.send("silent on");
    let (code, _, err) = sim.read(&[]);
    assert_eq!(code, 3, "silent device: {err}");
    assert!(err.contains("超时"), "{err}");
    let missing = kiosk(&["idcard", "read", "--port", "/dev/no-such-reader"]);
    assert_eq!(missing.status.code(), Some(3));
}
