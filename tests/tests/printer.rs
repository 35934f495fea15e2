//! The receipt-printer tools across processes: `kiosk print receipt` to a file and through
//! `kiosk sim printer --pty`, `kiosk print render` decoding it back, `kiosk printer status`,
//! and the faults a technician meets: paper out, cover open, a printer that never answers, a
//! printer unplugged mid-job.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kiosk_e2e::{PtySimulator, kiosk};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Renders the simulator's paper so far; returns the text it printed (up to the `.` line).
fn paper_text(sim: &mut PtySimulator, png: &Path) -> String {
    sim.send(&format!("render {}", png.display()));
    let mut text = String::new();
    loop {
        let line = sim.read_line();
        if line == "." {
            return text;
        }
        text.push_str(&line);
        text.push('\n');
    }
}

fn file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kiosk-e2e-printer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn every_sample_goes_to_a_file_and_renders_back_with_its_chinese_and_qr() {
    for (sample, title, qr) in [
        (
            "banjian",
            "办件回执",
            Some("https://zw.example.gov.cn/q/A20261123001"),
        ),
        ("chaxun", "查询结果", None),
        ("gaozhi", "一次性告知单", Some("https://")),
        ("canbao", "参保证明", Some("https://")),
        ("test-page", "打印机测试页", None),
    ] {
        let bin = file(&format!("{sample}.bin"));
        let png = file(&format!("{sample}.png"));
        let out = kiosk(&[
            "print",
            "receipt",
            "--sample",
            sample,
            "--out",
            bin.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{out:?}");
        assert!(std::fs::metadata(&bin).unwrap().len() > 100);
        let out = kiosk(&[
            "print",
            "render",
            bin.to_str().unwrap(),
            "--out",
            png.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(title), "{sample}: {text}");
        if let Some(q) = qr {
            assert!(text.contains(&format!("QR: {q}")), "{sample}: {text}");
        }
        assert!(text.contains("1 次切纸"), "{sample}: {text}");
        let head = std::fs::read(&png).unwrap();
        assert_eq!(&head[1..4], b"PNG");
    }
}

#[test]
fn an_unknown_sample_or_a_missing_target_is_a_clear_error() {
    let out = kiosk(&["print", "receipt", "--sample", "nope", "--out", "/dev/null"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("banjian"));
    let out = kiosk(&["print", "receipt", "--sample", "banjian"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out"));
    let out = kiosk(&["print", "render", "/nonexistent.bin", "--out", "/tmp/x.png"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn through_the_pty_simulator_receipts_print_and_faults_stop_them() {
    let mut sim = PtySimulator::start(&["sim", "printer", "--pty"]);
    let (code, stdout, _) = sim.run(&["printer", "status"]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("结论：正常"), "{stdout}");

    let (code, _, stderr) = sim.run(&["print", "receipt", "--sample", "banjian"]);
    assert_eq!(code, 0, "{stderr}");
    let paper = paper_text(&mut sim, &file("sim1.png"));
    assert!(paper.contains("办件回执"), "{paper}");
    assert!(paper.contains("A20261123001"), "{paper}");
    assert!(
        paper.contains("QR: https://zw.example.gov.cn/q/A20261123001"),
        "{paper}"
    );
    assert!(paper.contains("cuts: 1"), "{paper}");

    // paper near end: prints, and says so
    sim.send("paper low");
    let (code, stdout, _) = sim.run(&["printer", "status"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("纸将尽"), "{stdout}");

    // paper out: status is a fault, and the job is refused before a byte is sent
    sim.send("paper out");
    let (code, stdout, _) = sim.run(&["printer", "status"]);
    assert_eq!(code, 5, "{stdout}");
    assert!(stdout.contains("缺纸"), "{stdout}");
    let (code, _, stderr) = sim.run(&["print", "receipt", "--sample", "chaxun"]);
    assert_eq!(code, 5, "{stderr}");
    assert!(stderr.contains("已发送 0 字节"), "{stderr}");

    // cover open
    sim.send("paper ok");
    sim.send("cover open");
    let (code, stdout, _) = sim.run(&["printer", "status"]);
    assert_eq!(code, 5);
    assert!(stdout.contains("纸仓盖打开"), "{stdout}");
    sim.send("cover closed");

    // the reprint is marked 补打 with the original job id
    sim.send("clear");
    let (code, _, _) = sim.run(&["print", "receipt", "--sample", "banjian", "--reprint", "1"]);
    assert_eq!(code, 0);
    let paper = paper_text(&mut sim, &file("sim2.png"));
    assert!(paper.contains("补打 第1次"), "{paper}");
    assert!(paper.contains("SAMPLE-banjian"), "{paper}");
    assert!(
        !paper.contains("查询结果"),
        "the refused job never printed: {paper}"
    );
}

#[test]
fn a_printer_that_never_answers_is_unknown_not_ok() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let peer = std::thread::spawn(move || {
        // accept and read, never answer
        let (mut s, _) = listener.accept().unwrap();
        let mut sink = Vec::new();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = s.read_to_end(&mut sink);
    });
    let out = kiosk(&["printer", "status", "--tcp", &addr]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains("无应答"), "{stdout}");
    assert!(stdout.contains("结论：未知"), "{stdout}");
    peer.join().unwrap();
}

#[test]
fn a_printer_unplugged_mid_job_fails_the_job() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let peer = std::thread::spawn(move || {
        // answer the four status requests "all well", take part of the job, then vanish
        let (mut s, _) = listener.accept().unwrap();
        let mut buf = [0u8; 3];
        for answer in [0x16u8, 0x12, 0x12, 0x12] {
            s.read_exact(&mut buf).unwrap();
            s.write_all(&[answer]).unwrap();
        }
        let mut part = [0u8; 200];
        s.read_exact(&mut part).unwrap();
        drop(s);
        drop(listener);
    });
    let out = kiosk(&["print", "receipt", "--sample", "banjian", "--tcp", &addr]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    peer.join().unwrap();
}

#[test]
fn a_usb_printer_that_is_not_there_is_named() {
    let out = kiosk(&["printer", "status", "--usb", "ffff:fffe"]);
    assert_eq!(out.status.code(), Some(3));
    let out = kiosk(&["printer", "status", "--usb", "nonsense"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("0416:5011"));
}
