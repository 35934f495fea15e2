//! `outbox-torture --store sqlite|sled --dir DIR [--start N]`: enqueues submissions as fast
//! as it can and prints `ack KEY` after each `enqueue` returns, until killed. The crash test
//! (`tests/tests/outbox_crash.rs`) kills it with SIGKILL at a random moment and checks that
//! every key it printed is in the store.

use std::io::Write;
use std::path::PathBuf;

use outbox::{NewItem, Outbox, SqliteOutbox};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let (Some(store), Some(dir)) = (arg("--store"), arg("--dir")) else {
        eprintln!("usage: outbox-torture --store sqlite|sled --dir DIR [--start N]");
        return std::process::ExitCode::from(2);
    };
    let start: u64 = arg("--start").and_then(|s| s.parse().ok()).unwrap_or(0);
    let dir = PathBuf::from(dir);
    let opened: Result<Box<dyn Outbox>, outbox::OutboxError> = match store.as_str() {
        "sqlite" => SqliteOutbox::open(&dir).map(|o| Box::new(o) as Box<dyn Outbox>),
        #[cfg(feature = "sled")]
        "sled" => {
            outbox::sled_store::SledOutbox::open(&dir).map(|o| Box::new(o) as Box<dyn Outbox>)
        }
        other => {
            eprintln!("outbox-torture: store {other} is not built in");
            return std::process::ExitCode::from(2);
        }
    };
    let mut o = match opened {
        Ok(o) => o,
        Err(e) => {
            eprintln!("outbox-torture: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    for n in start.. {
        let key = format!("torture-{n:016}");
        let body = format!(
            r#"{{"service":"card-apply-adult","n":{n},"pad":"{}"}}"#,
            "x".repeat(512)
        );
        let item = NewItem {
            key: key.clone(),
            kind: "/v1/submissions".into(),
            body: body.into_bytes(),
            attachments: Vec::new(),
        };
        if let Err(e) = o.enqueue(item, 1_795_397_400 + n as i64) {
            eprintln!("outbox-torture: {e}");
            return std::process::ExitCode::FAILURE;
        }
        // only now is it acknowledged, as the kiosk would say 已受理 only now
        if writeln!(out, "ack {key}")
            .and_then(|()| out.flush())
            .is_err()
        {
            return std::process::ExitCode::FAILURE;
        }
    }
    std::process::ExitCode::SUCCESS
}
