//! `kiosk print receipt`, `kiosk print render` and `kiosk printer status`: the receipt printer
//! from the command line, for technicians and tests.
//!
//! Exit codes: 0 done (printed, ready); 3 the printer could not be reached or did not answer
//! (its state is unknown); 5 the printer reports a fault (paper out, cover open, error);
//! 1 anything else (bad arguments, unreadable file).

use std::path::Path;
use std::process::ExitCode;

use printer::device::Device;
use printer::driver::Driver;
use printer::job::{Job, JobId, Outcome};
use printer::link::{FileLink, Flow, Link, SerialLink, TcpLink, usblp_path};
use printer::render::Renderer;
use printer::status::{Fault, Health, Snapshot};
use printer::{Encoder, Profile, samples};

use crate::devices::printer::{CHUNK, STATUS_TIMEOUT, profile_for};

/// Exit code: no link, or no status answer.
pub const EXIT_DEVICE_ERROR: u8 = 3;
/// Exit code: the printer reports a fault.
pub const EXIT_PRINTER_FAULT: u8 = 5;

/// Where the bytes go.
#[derive(Debug, Clone)]
pub enum Target {
    /// A file (no printer: the bytes only).
    File(String),
    /// A serial port (hardware flow control) at a baud rate.
    Serial(String, u32),
    /// A kernel device file such as `/dev/usb/lp0`.
    DeviceFile(String),
    /// The usblp device file of USB printer `VID:PID`.
    Usb(u16, u16),
    /// A network printer `HOST:PORT`.
    Tcp(String),
}

fn open(target: &Target) -> std::io::Result<Box<dyn Link>> {
    Ok(match target {
        Target::Serial(path, baud) => Box::new(SerialLink::open(path, *baud, Flow::Hardware)?),
        Target::DeviceFile(path) => Box::new(FileLink::open(Path::new(path))?),
        Target::Usb(v, p) => Box::new(FileLink::open(&usblp_path(Path::new("/sys"), *v, *p)?)?),
        Target::Tcp(addr) => Box::new(TcpLink::connect(addr.as_str(), STATUS_TIMEOUT)?),
        Target::File(_) => {
            return Err(std::io::Error::other("a file is not a printer"));
        }
    })
}

fn driver(target: &Target) -> Driver<Box<dyn Link>> {
    let target = target.clone();
    Driver::new(move || open(&target), CHUNK, STATUS_TIMEOUT)
}

fn model(name: &str) -> Result<Profile, String> {
    profile_for(name).ok_or_else(|| {
        format!(
            "不认识的打印机型号 “{name}”，应为 {}",
            kiosk_core::terminal::PRINTER_MODELS.join("、")
        )
    })
}

/// Prints sample receipt `name` (`reprint` > 0 marks it 补打) to `target`.
pub fn receipt(name: &str, model_name: &str, reprint: u32, target: &Target) -> ExitCode {
    let result = (|| -> Result<ExitCode, String> {
        let profile = model(model_name)?;
        let doc = samples::sample(name, &profile)
            .ok_or_else(|| format!("没有样例 “{name}”，可用：{}", samples::NAMES.join("、")))?;
        let fonts = crate::fonts::printer_fonts().map_err(|e| e.to_string())?;
        let encoder = Encoder::with_fonts(&profile, &fonts);
        let job = Job::build(JobId(format!("SAMPLE-{name}")), reprint, &doc, &encoder)
            .map_err(|e| e.to_string())?;
        eprintln!("{name}: {} 字节（{}）", job.bytes.len(), profile.name);
        if let Target::File(path) = target {
            std::fs::write(path, &job.bytes).map_err(|e| format!("无法写入 {path}：{e}"))?;
            return Ok(ExitCode::SUCCESS);
        }
        let mut d = driver(target);
        let code = match d.print(job) {
            Ok(Outcome::Printed { paper_near_end }) => {
                eprintln!(
                    "已打印{}",
                    if paper_near_end {
                        "（纸将尽，请尽快换纸）"
                    } else {
                        ""
                    }
                );
                ExitCode::SUCCESS
            }
            Ok(Outcome::Failed {
                sent,
                faults,
                unknown,
            }) => {
                eprintln!(
                    "打印失败：已发送 {sent} 字节；{}",
                    if unknown {
                        "打印机没有应答，状态未知".to_string()
                    } else {
                        fault_text(&faults)
                    }
                );
                ExitCode::from(if unknown {
                    EXIT_DEVICE_ERROR
                } else {
                    EXIT_PRINTER_FAULT
                })
            }
            Err(e) => {
                eprintln!("打印机连接失败：{e}");
                ExitCode::from(EXIT_DEVICE_ERROR)
            }
        };
        Ok(code)
    })();
    result.unwrap_or_else(|e| {
        eprintln!("kiosk: {e}");
        ExitCode::FAILURE
    })
}

/// Decodes ESC/POS bytes from `input` with the simulator and renders the paper to `out`.
/// Prints the decoded text and QR payloads on stdout.
pub fn render(input: &Path, out: &Path, model_name: &str) -> Result<(), String> {
    let profile = model(model_name)?;
    let bytes = std::fs::read(input).map_err(|e| format!("无法读取 {}：{e}", input.display()))?;
    let mut device = Device::new(true);
    device.receive(&bytes);
    device.flush_line();
    let paper = device.take_paper();
    let fonts = crate::fonts::printer_fonts().map_err(|e| e.to_string())?;
    let png = Renderer::new(&profile, &fonts)
        .render_png(&paper)
        .map_err(|e| e.to_string())?;
    std::fs::write(out, png).map_err(|e| format!("无法写入 {}：{e}", out.display()))?;
    println!("{}", paper.text());
    for qr in paper.qr_payloads() {
        println!("QR: {}", String::from_utf8_lossy(qr));
    }
    println!(
        "{} 行文字，{} 个二维码，{} 幅位图，{} 次切纸",
        paper.lines().len(),
        paper.qr_payloads().len(),
        paper.rasters(),
        paper.cuts()
    );
    Ok(())
}

/// Reads DLE EOT 1–4 from the printer at `target` and prints every field.
pub fn status(target: &Target) -> ExitCode {
    if matches!(target, Target::File(_)) {
        eprintln!("kiosk: 状态查询需要打印机（--port、--lp、--usb 或 --tcp）");
        return ExitCode::FAILURE;
    }
    let mut d = driver(target);
    let snap = match d.status() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("打印机连接失败：{e}");
            return ExitCode::from(EXIT_DEVICE_ERROR);
        }
    };
    print_snapshot(&snap);
    match snap.health() {
        Health::Ready => {
            println!("结论：正常");
            ExitCode::SUCCESS
        }
        Health::PaperNearEnd => {
            println!("结论：可以打印，纸将尽");
            ExitCode::SUCCESS
        }
        Health::Fault(f) => {
            println!("结论：故障（{}）", fault_text(&f));
            ExitCode::from(EXIT_PRINTER_FAULT)
        }
        Health::Unknown => {
            println!("结论：未知（有状态没有应答）");
            ExitCode::from(EXIT_DEVICE_ERROR)
        }
    }
}

fn print_snapshot(s: &Snapshot) {
    let none = "无应答".to_string();
    println!(
        "DLE EOT 1 打印机：{}",
        s.printer.map_or(none.clone(), |p| format!(
            "{}{}{}",
            if p.offline { "脱机" } else { "联机" },
            if p.waiting_recovery {
                "，等待恢复"
            } else {
                ""
            },
            if p.feed_button {
                "，进纸键按下"
            } else {
                ""
            }
        ))
    );
    println!(
        "DLE EOT 2 脱机原因：{}",
        s.offline.map_or(none.clone(), |o| format!(
            "盖{}，进纸中{}，纸尽停机{}，错误{}",
            if o.cover_open { "开" } else { "关" },
            yes(o.feeding),
            yes(o.paper_end_stop),
            yes(o.error)
        ))
    );
    println!(
        "DLE EOT 3 错误：{}",
        s.error.map_or(none.clone(), |e| format!(
            "切刀{}，不可恢复{}，自动恢复{}，可恢复{}",
            yes(e.autocutter),
            yes(e.unrecoverable),
            yes(e.auto_recoverable),
            yes(e.recoverable)
        ))
    );
    println!(
        "DLE EOT 4 纸：{}",
        s.paper.map_or(none, |p| format!(
            "纸将尽{}，纸尽{}",
            yes(p.near_end()),
            yes(p.out())
        ))
    );
}

fn yes(b: bool) -> &'static str {
    if b { "是" } else { "否" }
}

/// Faults in words, most important first.
pub fn fault_text(faults: &[Fault]) -> String {
    if faults.is_empty() {
        return "状态未知".into();
    }
    faults
        .iter()
        .map(|f| match f {
            Fault::CoverOpen => "纸仓盖打开",
            Fault::PaperOut => "缺纸",
            Fault::Cutter => "切刀故障",
            Fault::Unrecoverable => "不可恢复错误",
            Fault::AutoRecoverable => "过热等自动恢复错误",
            Fault::Recoverable => "卡纸等可恢复错误",
            Fault::Offline => "脱机",
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// Parses `VID:PID` in hex.
pub fn parse_usb(text: &str) -> Result<(u16, u16), String> {
    kiosk_core::terminal::parse_usb_id(text)
        .ok_or_else(|| format!("“{text}” 应为四位十六进制的 厂商:产品，例如 0416:5011"))
}
