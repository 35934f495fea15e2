//! kill -9 of the kiosk in the middle of a submission (issue 5): no acknowledged submission
//! is lost and none is duplicated at the county.
//!
//! `kiosk county-sim` runs as its own process over HTTPS (a CA and a server certificate
//! generated here), and the kiosk talks to it in `backend.mode = "remote"` with a scratch
//! storage directory, as a terminal would. Each run starts `kiosk submit` (the kiosk's own
//! `BackendService`: outbox, background sender, client) with a phone number that encodes the
//! run's index, and kills it with SIGKILL after a random delay spread over a whole submission,
//! from 0 ms to a little beyond what an unkilled one takes. In every block of ten runs the
//! fourth also kills county-sim at a random moment, the fifth runs with county-sim down, and
//! the sixth finds it restarted (on another port, so kiosk.toml is rewritten). A run has
//! been acknowledged when it printed `accepted …` before the kill: that is the moment the
//! kiosk tells the citizen 已提交 or 已受理.
//!
//! Then one more `kiosk submit --wait-drained` lets the outbox empty, county-sim is stopped,
//! and its database is read: every acknowledged run has exactly one case (with the printed
//! 受理编号, or, for one queued, the case its idempotency key made), and no run has two.
//!
//! CI runs 5 runs. On demand, with the `kiosk` binary built from the current source (`cargo
//! test --workspace` or `cargo build -p kiosk-app --bin kiosk` first):
//! `KIOSK_CRASH_RUNS=50 cargo test -p kiosk-e2e --test kiosk_crash -- --nocapture`
//! prints the figures (runs, acknowledged, delivered, lost, duplicates).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kiosk_e2e::{kiosk_binary, repo, scratch};

const TERMINAL: &str = "MD-MDJD-001";
const SECRET_HEX: &str = "2b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfe";
/// Unkilled submissions before the runs, to measure how long one takes.
const CALIBRATION: usize = 3;
/// The final drain may wait for an item's backoff (at most 300 s) and the background sender's
/// next look (5 s). It returns as soon as the outbox is empty; running out means the outbox
/// does not drain, not that it drained slowly.
const DRAIN_SECS: u64 = 330;

fn runs() -> usize {
    std::env::var("KIOSK_CRASH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5)
}

/// The scratch directory, removed at the end (kept when the test fails, for a look).
struct Env {
    dir: PathBuf,
}

impl Env {
    fn new() -> Env {
        let dir = scratch("kiosk-crash");
        let tls = tls_material();
        for (name, text) in [
            ("ca.pem", &tls.0),
            ("cert.pem", &tls.1),
            ("key.pem", &tls.2),
            ("terminal.secret", &SECRET_HEX.to_string()),
        ] {
            std::fs::write(dir.join(name), text).unwrap();
        }
        use std::os::unix::fs::PermissionsExt;
        for name in ["key.pem", "terminal.secret"] {
            std::fs::set_permissions(dir.join(name), std::fs::Permissions::from_mode(0o600))
                .unwrap();
        }
        Env { dir }
    }

    fn config(&self) -> PathBuf {
        self.dir.join("kiosk.toml")
    }

    fn county_data(&self) -> PathBuf {
        self.dir.join("county")
    }

    /// kiosk.toml: the demo terminal's, in remote mode against county-sim on `port`, with its
    /// storage in the scratch directory.
    fn write_config(&self, port: u16) {
        let demo = std::fs::read_to_string(repo().join("config/kiosk.toml")).unwrap();
        let catalog = repo().join("config/matters.toml").canonicalize().unwrap();
        let mut text = demo;
        for (from, to) in [
            (
                "catalog = \"matters.toml\"".to_string(),
                format!("catalog = \"{}\"", catalog.display()),
            ),
            (
                "mode = \"embedded\"".to_string(),
                format!(
                    "mode = \"remote\"\nurl = \"https://127.0.0.1:{port}\"\n\
                     secret_file = \"terminal.secret\"\nca_file = \"ca.pem\""
                ),
            ),
            (
                "dir = \"../var\"".to_string(),
                "dir = \"kiosk\"".to_string(),
            ),
        ] {
            assert_eq!(text.matches(&from).count(), 1, "config/kiosk.toml: {from}");
            text = text.replace(&from, &to);
        }
        std::fs::write(self.config(), text).unwrap();
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept {} for a look", self.dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// (CA, server certificate, server key) in PEM: the county CA the kiosk pins.
fn tls_material() -> (String, String, String) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "测试县政务 CA");
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    (ca.pem(), leaf.pem(), key.serialize_pem())
}

/// `kiosk county-sim` over HTTPS on the scratch data directory; SIGKILLed when dropped.
struct CountySim {
    child: Option<Child>,
}

impl CountySim {
    /// Starts it on a free port and rewrites kiosk.toml to point there.
    fn start(env: &Env) -> CountySim {
        let mut child = Command::new(kiosk_binary())
            .args(["county-sim", "--listen", "127.0.0.1:0", "--data"])
            .arg(env.county_data())
            .arg("--config")
            .arg(repo().join("config/kiosk.toml"))
            .args(["--terminal", &format!("{TERMINAL}:{SECRET_HEX}")])
            .arg("--tls-cert")
            .arg(env.dir.join("cert.pem"))
            .arg("--tls-key")
            .arg(env.dir.join("key.pem"))
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
            .unwrap_or_else(|| panic!("county-sim printed {line:?}"));
        let port = addr.rsplit(':').next().unwrap().parse().unwrap();
        env.write_config(port);
        CountySim { child: Some(child) }
    }

    fn running(&self) -> bool {
        self.child.is_some()
    }

    /// SIGKILL: no shutdown, no flush.
    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for CountySim {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The phone number that names run `index`.
fn phone(index: usize) -> String {
    assert!(index < 10_000);
    format!("1390000{index:04}")
}

/// `kiosk submit` for run `index`: a 城乡居民养老保险参保登记 or a 社会保障卡补换 by one of the
/// sample people, alternating.
fn submit(env: &Env, index: usize, wait_drained: Option<u64>) -> Command {
    let (matter, choice) = if index.is_multiple_of(2) {
        ("yanglao-cxjm-canbao-dengji", index % 6)
    } else {
        ("shebaoka-buhuan", index % 2)
    };
    let mut cmd = Command::new(kiosk_binary());
    cmd.arg("submit")
        .arg("--config")
        .arg(env.config())
        .args(["--matter", matter])
        .args(["--person", &(index % 4).to_string()])
        .args(["--phone", &phone(index)])
        .args(["--choice", &choice.to_string()]);
    if let Some(secs) = wait_drained {
        cmd.args(["--wait-drained", &secs.to_string()]);
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd
}

/// What a run printed before it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Printed {
    Nothing,
    Submitted(String),
    Queued(String),
}

struct Run {
    printed: Printed,
    killed: bool,
    stderr: String,
}

/// Runs `cmd`; SIGKILLs it after `kill_after` (and county-sim after `county_kill_after`,
/// when given) if it is still running.
fn run_one(
    mut cmd: Command,
    kill_after: Option<Duration>,
    county: Option<(&mut CountySim, Duration)>,
) -> Run {
    let started = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<_>>()
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    if let Some((sim, at)) = county {
        std::thread::sleep(at.saturating_sub(started.elapsed()));
        sim.kill();
    }
    if let Some(after) = kill_after {
        std::thread::sleep(after.saturating_sub(started.elapsed()));
        let _ = child.kill(); // SIGKILL; nothing if it has already exited
    }
    let status = child.wait().unwrap();
    let lines = out.join().unwrap();
    let stderr = err.join().unwrap();
    let killed = status.signal() == Some(9);
    assert!(
        killed || status.success(),
        "kiosk submit ended with {status}: {lines:?}\n{stderr}"
    );
    let printed = match lines.first().map(|l| l.split(' ').collect::<Vec<_>>()) {
        None => Printed::Nothing,
        Some(words) => match words.as_slice() {
            ["accepted", no, "submitted"] => Printed::Submitted(no.to_string()),
            ["accepted", no, "queued"] => Printed::Queued(no.to_string()),
            _ => panic!("kiosk submit printed {lines:?}\n{stderr}"),
        },
    };
    assert!(
        killed || printed != Printed::Nothing,
        "kiosk submit printed nothing\n{stderr}"
    );
    Run {
        printed,
        killed,
        stderr,
    }
}

#[test]
fn kill_9_of_the_kiosk_mid_submission_loses_no_acknowledged_submission_and_duplicates_none() {
    let env = Env::new();
    let n = runs();
    let mut county = CountySim::start(&env);
    let mut seed = 0x5eed_2026_u64 ^ u64::from(std::process::id());
    println!("kiosk kill -9: seed {seed:#x}");
    let mut random = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below.max(1)
    };

    // unkilled submissions (indices n..n + CALIBRATION): how long a whole one takes here
    let mut outcomes: HashMap<usize, Printed> = HashMap::new();
    let mut whole = Duration::ZERO;
    for index in n..n + CALIBRATION {
        let started = Instant::now();
        let run = run_one(submit(&env, index, None), None, None);
        whole = whole.max(started.elapsed());
        outcomes.insert(index, run.printed);
    }
    let spread = whole.as_millis() as u64 * 5 / 4 + 20;
    let mut killed = Vec::new();
    for index in 0..n {
        let kill_after = Duration::from_millis(random(spread + 1));
        let phase = index % 10;
        if phase == 5 && !county.running() {
            county = CountySim::start(&env);
        }
        if phase == 4 {
            county.kill();
        }
        let county_kill =
            (phase == 3).then(|| Duration::from_millis(random(kill_after.as_millis() as u64 + 1)));
        let run = run_one(
            submit(&env, index, None),
            Some(kill_after),
            county_kill.map(|at| (&mut county, at)),
        );
        if run.killed {
            killed.push(index);
        }
        println!(
            "run {index}: county-sim {}, kiosk {} {} ms: {:?}{}",
            match (phase, county_kill) {
                (3, Some(at)) => format!("killed at {} ms", at.as_millis()),
                _ if county.running() => "up".to_string(),
                _ => "down".to_string(),
            },
            if run.killed {
                "killed at"
            } else {
                "exited before"
            },
            kill_after.as_millis(),
            run.printed,
            if run.stderr.is_empty() {
                String::new()
            } else {
                format!(" ({})", run.stderr.trim())
            }
        );
        outcomes.insert(index, run.printed);
    }

    // let everything still in the outbox go, then read the county's database
    if !county.running() {
        county = CountySim::start(&env);
    }
    let last = run_one(submit(&env, n + CALIBRATION, Some(DRAIN_SECS)), None, None);
    outcomes.insert(n + CALIBRATION, last.printed);
    county.kill();

    let store = county::store::Store::open(&env.county_data()).unwrap();
    let mut cases: HashMap<usize, Vec<String>> = HashMap::new();
    for (case, body) in store.cases_with_bodies().unwrap() {
        let body: serde_json::Value = serde_json::from_str(&body).unwrap();
        let phone = body["phone"].as_str().unwrap_or_default();
        let index = phone
            .strip_prefix("1390000")
            .and_then(|i| i.parse::<usize>().ok())
            .unwrap_or_else(|| panic!("a case not made by this test: {}", case.receipt_no));
        cases.entry(index).or_default().push(case.receipt_no);
    }

    let (mut acknowledged, mut submitted, mut queued, mut delivered) = (0, 0, 0, 0);
    let (mut lost, mut duplicates) = (Vec::new(), Vec::new());
    let mut unacknowledged_delivered = 0;
    let killed_acknowledged = killed
        .iter()
        .filter(|i| outcomes[*i] != Printed::Nothing)
        .count();
    for index in 0..=n + CALIBRATION {
        let made = cases.get(&index).map(Vec::as_slice).unwrap_or_default();
        if made.len() > 1 {
            duplicates.push((index, made.to_vec()));
        }
        let printed = &outcomes[&index];
        if index < n && !made.is_empty() {
            delivered += 1;
            if *printed == Printed::Nothing {
                unacknowledged_delivered += 1;
            }
        }
        if index < n && *printed != Printed::Nothing {
            acknowledged += 1;
        }
        match printed {
            Printed::Nothing => {}
            _ if made.is_empty() => lost.push(index),
            Printed::Submitted(no) => {
                submitted += usize::from(index < n);
                assert!(
                    made.contains(no),
                    "run {index}: printed {no}, made {made:?}"
                );
            }
            Printed::Queued(key) => {
                queued += usize::from(index < n);
                // the terminal's number is the idempotency key: the county answered it with
                // this run's case
                let answer = store
                    .answer(TERMINAL, key)
                    .unwrap()
                    .unwrap_or_else(|| panic!("run {index}: the county never saw {key}"));
                assert_eq!(answer.status, 200, "run {index}: {}", answer.response);
                assert!(
                    made.iter().any(|no| answer.response.contains(no.as_str())),
                    "run {index}: {key} was answered with {}",
                    answer.response
                );
            }
        }
    }
    println!(
        "kiosk kill -9: {n} runs, {} killed ({killed_acknowledged} of them after acknowledging; \
         kill after 0–{spread} ms, an unkilled submission took up to {} ms); {acknowledged} \
         acknowledged ({submitted} 已提交, {queued} 已受理 queued); {delivered} delivered \
         ({unacknowledged_delivered} of them killed before acknowledging, delivered later); {} \
         lost, {} duplicates; plus {CALIBRATION} unkilled submissions and the draining one, \
         each delivered once",
        killed.len(),
        whole.as_millis(),
        lost.len(),
        duplicates.len()
    );
    assert!(
        lost.is_empty(),
        "acknowledged but no case at the county: runs {lost:?}"
    );
    assert!(
        duplicates.is_empty(),
        "more than one case for a submission: {duplicates:?}"
    );
}
