//! The ID-card tools across processes: `kiosk sim idcard --pty` in one process, driven by
//! its control lines, and `kiosk idcard read` in another, over the pseudo-terminal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kiosk_e2e::{PtySimulator, kiosk};
use std::time::Duration;

struct Simulator(PtySimulator);

impl Simulator {
    fn start(card: &str) -> Simulator {
        Simulator(PtySimulator::start(&[
            "sim", "idcard", "--pty", "--card", card,
        ]))
    }

    fn send(&mut self, line: &str) {
        self.0.send(line);
        // the simulator applies the line on its own schedule
        std::thread::sleep(Duration::from_millis(200));
    }

    fn read(&self, extra: &[&str]) -> (i32, String, String) {
        let mut args = vec!["idcard", "read"];
        args.extend_from_slice(extra);
        self.0.run(&args)
    }
}

#[test]
fn a_read_over_the_pty_prints_the_masked_identity_and_each_step() {
    let sim = Simulator::start("resident");
    assert!(sim.0.path.starts_with("/dev/"), "pty path: {}", sim.0.path);
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
