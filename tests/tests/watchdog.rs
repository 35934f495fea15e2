//! Running under systemd (issue 8 §3), without systemd: the test binds the notify socket
//! itself and starts `kiosk run --headless` with `NOTIFY_SOCKET` and `WATCHDOG_USEC` set, as
//! systemd would for `Type=notify` and `WatchdogSec=`. The kiosk must say READY=1, keep
//! feeding WATCHDOG=1 while its event loop runs, stop feeding when the loop is stuck (debug
//! builds' `KIOSK_DEBUG_STALL_FILE`), and on SIGTERM leave cleanly with STOPPING=1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::net::UnixDatagram;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kiosk_e2e::{kiosk_binary, repo, scratch};

fn config_in(dir: &std::path::Path) -> std::path::PathBuf {
    let catalog = repo().join("config/matters.toml").canonicalize().unwrap();
    let text = std::fs::read_to_string(repo().join("config/kiosk.toml"))
        .unwrap()
        .replace(
            "catalog = \"matters.toml\"",
            &format!("catalog = \"{}\"", catalog.display()),
        )
        .replace("dir = \"../var\"", "dir = \"var\"")
        .replace("enabled = true", "enabled = false");
    let path = dir.join("kiosk.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Every message that arrives within `window`.
fn messages(socket: &UnixDatagram, window: Duration) -> Vec<String> {
    let until = Instant::now() + window;
    let mut got = Vec::new();
    let mut buf = [0u8; 512];
    while Instant::now() < until {
        if let Ok(n) = socket.recv(&mut buf) {
            got.push(String::from_utf8_lossy(&buf[..n]).to_string());
        }
    }
    got
}

fn count(msgs: &[String], what: &str) -> usize {
    msgs.iter().filter(|m| m.lines().any(|l| l == what)).count()
}

#[test]
fn ready_then_fed_while_alive_unfed_while_stuck_and_stopping_on_sigterm() {
    let dir = scratch("watchdog");
    let socket_path = dir.join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).unwrap();
    socket
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let stall = dir.join("stall");
    let mut child = Command::new(kiosk_binary())
        .args(["run", "--headless", "--exit-after", "120", "--config"])
        .arg(config_in(&dir))
        .env("NOTIFY_SOCKET", &socket_path)
        .env("WATCHDOG_USEC", "1000000") // 1 s: fed every 0.5 s
        .env_remove("WATCHDOG_PID")
        .env("KIOSK_DEBUG_STALL_FILE", &stall)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();

    // READY=1 once the kiosk is on screen (start-up may take a while on a loaded machine)
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut first = Vec::new();
    while count(&first, "READY=1") == 0 {
        assert!(Instant::now() < deadline, "no READY=1: {first:?}");
        first.extend(messages(&socket, Duration::from_millis(200)));
    }
    let alive = messages(&socket, Duration::from_secs(3));
    assert!(
        count(&alive, "WATCHDOG=1") >= 3,
        "fed while alive: {alive:?}"
    );

    // a stuck event loop: no keep-alive for as long as it is stuck
    std::fs::write(&stall, b"").unwrap();
    std::thread::sleep(Duration::from_millis(700)); // a feed already under way may land
    let _ = messages(&socket, Duration::from_millis(100));
    let stuck = messages(&socket, Duration::from_secs(3));
    assert_eq!(count(&stuck, "WATCHDOG=1"), 0, "fed while stuck: {stuck:?}");
    std::fs::remove_file(&stall).unwrap();
    let again = messages(&socket, Duration::from_secs(3));
    assert!(count(&again, "WATCHDOG=1") >= 2, "fed again: {again:?}");

    // systemctl stop: SIGTERM, a clean exit that says so
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "the kiosk did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let last = messages(&socket, Duration::from_millis(300));
    assert_eq!(count(&last, "STOPPING=1"), 1, "{last:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
