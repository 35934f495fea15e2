//! Helpers for the end-to-end tests: find the `kiosk` binary and the repository's config,
//! make scratch directories.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A binary cargo built next to this test executable (`target/<profile>/NAME`).
/// `cargo test --workspace` builds the binaries of every package with integration tests.
pub fn target_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let bin = profile_dir.join(name);
    assert!(
        bin.exists(),
        "{} is missing: run the tests with `cargo test --workspace` so it is built",
        bin.display()
    );
    bin
}

/// The `kiosk` binary.
pub fn kiosk_binary() -> PathBuf {
    target_binary("kiosk")
}

/// Runs `kiosk` with arguments from the repository root.
pub fn kiosk(args: &[&str]) -> Output {
    match Command::new(kiosk_binary())
        .args(args)
        .current_dir(repo())
        .output()
    {
        Ok(out) => out,
        Err(e) => panic!("cannot start kiosk: {e}"),
    }
}

/// A fresh, empty scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kiosk-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("cannot create {}: {e}", dir.display());
    }
    dir
}

/// Width and height from a PNG's IHDR chunk, or None if `bytes` is not a PNG.
pub fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    Some((be(&bytes[16..20]), be(&bytes[20..24])))
}

/// A `kiosk sim … --pty` simulator in its own process: the pty path it prints first, its
/// control lines on stdin, its answers on stdout. Killed when dropped.
pub struct PtySimulator {
    child: std::process::Child,
    control: std::process::ChildStdin,
    output: std::io::BufReader<std::process::ChildStdout>,
    /// The pty the tools open.
    pub path: String,
}

impl PtySimulator {
    /// Starts `kiosk` with `args` (e.g. `sim printer --pty`) and waits for the pty path.
    pub fn start(args: &[&str]) -> PtySimulator {
        use std::io::BufRead;
        use std::process::Stdio;
        let mut child = match Command::new(kiosk_binary())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
        {
            Ok(c) => c,
            Err(e) => panic!("cannot start the simulator: {e}"),
        };
        let (Some(stdout), Some(control)) = (child.stdout.take(), child.stdin.take()) else {
            panic!("the simulator has no pipes");
        };
        let mut output = std::io::BufReader::new(stdout);
        let mut first = String::new();
        if output.read_line(&mut first).unwrap_or(0) == 0 {
            panic!("the simulator printed no pty path");
        }
        PtySimulator {
            child,
            control,
            output,
            path: first.trim().to_string(),
        }
    }

    /// Sends one control line.
    pub fn send(&mut self, line: &str) {
        use std::io::Write;
        if writeln!(self.control, "{line}")
            .and_then(|()| self.control.flush())
            .is_err()
        {
            panic!("the simulator stopped reading control lines");
        }
    }

    /// The simulator's next line of output (without the newline).
    pub fn read_line(&mut self) -> String {
        use std::io::BufRead;
        let mut line = String::new();
        if self.output.read_line(&mut line).unwrap_or(0) == 0 {
            panic!("the simulator ended");
        }
        line.trim_end().to_string()
    }

    /// Runs `kiosk ARGS --port PTY`: (exit code, stdout, stderr).
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--port", &self.path]);
        let out = kiosk(&all);
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

impl Drop for PtySimulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
