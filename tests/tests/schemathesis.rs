//! schemathesis (PyPI) against `kiosk county-sim`, from `kiosk/county/openapi.yaml`: every
//! operation with generated valid, signed requests; no 5xx, and status codes, content types,
//! headers and bodies as the schema says. `ST_EXAMPLES` sets the examples per operation (25
//! here; the issue note records a run of 200).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use kiosk_e2e::{kiosk_binary, repo, scratch};

const SECRET_HEX: &str = "00112233445566778899aabbccddeeff";

#[test]
fn schemathesis_finds_nothing_against_the_reference_backend() {
    let data = scratch("schemathesis");
    let mut server = Command::new(kiosk_binary())
        .args(["county-sim", "--listen", "127.0.0.1:0", "--data"])
        .arg(&data)
        .args(["--terminal", &format!("T1:{SECRET_HEX}")])
        .current_dir(repo())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start county-sim: {e}"));
    let mut line = String::new();
    if let Some(out) = server.stdout.take() {
        let _ = BufReader::new(out).read_line(&mut line);
    }
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .map(str::to_string);
    let examples = std::env::var("ST_EXAMPLES").unwrap_or_else(|_| "25".into());
    let result = addr.map(|addr| {
        Command::new("bash")
            .arg(repo().join("kiosk/county/schemathesis/run.sh"))
            .args([&format!("http://{addr}"), "T1", SECRET_HEX, &examples])
            .output()
    });
    let _ = server.kill();
    let _ = server.wait();
    let out = match result {
        Some(Ok(out)) => out,
        Some(Err(e)) => panic!("cannot run schemathesis: {e}"),
        None => panic!("county-sim did not start: {line}"),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("13 passed"), "{stdout}");
}
