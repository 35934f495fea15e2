//! Helpers for the end-to-end tests: find the `kiosk` binary and the repository's config,
//! make scratch directories.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The `kiosk` binary cargo built next to this test executable (target/<profile>/kiosk).
/// `cargo test --workspace` builds it because the app crate has integration tests.
pub fn kiosk_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let bin = profile_dir.join("kiosk");
    assert!(
        bin.exists(),
        "{} is missing: run the tests with `cargo test --workspace` so the kiosk binary is built",
        bin.display()
    );
    bin
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
