//! `kiosk idcard read`: one read cycle against a reader on a serial port, printing each step
//! and the identity (masked unless `--reveal`).
//!
//! Exit codes: 0 a card was read; 2 no card on the reader; 3 device error (port, timeout,
//! SAM failure); 4 the reader answered with data that cannot be understood.

use idcard::CardData;
use idcard::driver::{Counters, Exchanged, exchange};
use idcard::host::{CycleOptions, Outcome, ReadCycle};
use idcard::link::SerialLink;
use std::process::ExitCode;

/// Exit code: no card on the reader.
pub const EXIT_NO_CARD: u8 = 2;
/// Exit code: the port, the link or the SAM failed.
pub const EXIT_DEVICE_ERROR: u8 = 3;
/// Exit code: the answer could not be understood.
pub const EXIT_UNPARSEABLE: u8 = 4;

/// Runs one read on `port` and prints the result.
pub fn run(port: &str, baud: u32, json: bool, reveal: bool) -> ExitCode {
    let mut link = match SerialLink::open(port, baud) {
        Ok(link) => link,
        Err(e) => {
            eprintln!("无法打开串口 {port}：{e}");
            return ExitCode::from(EXIT_DEVICE_ERROR);
        }
    };
    let mut cycle = ReadCycle::new(CycleOptions {
        read_card_left_on_reader: true,
        ..CycleOptions::default()
    });
    let outcome = match exchange(&mut link, &mut cycle, &Counters::default(), &mut log_step) {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("串口通信失败：{e}");
            return ExitCode::from(EXIT_DEVICE_ERROR);
        }
    };
    match outcome {
        Outcome::CardRead(card) => {
            if json {
                println!("{}", to_json(&card, reveal));
            } else {
                print_card(&card, reveal);
            }
            ExitCode::SUCCESS
        }
        Outcome::NoCard => {
            eprintln!("结果：读卡器上没有证件");
            ExitCode::from(EXIT_NO_CARD)
        }
        Outcome::DeviceError(status) => {
            eprintln!(
                "结果：读卡器报告错误 {:02X}（{}）",
                status.to_byte(),
                status.meaning_zh()
            );
            ExitCode::from(EXIT_DEVICE_ERROR)
        }
        Outcome::NoResponse(command) => {
            eprintln!("结果：读卡器未应答（{}）", command.name());
            ExitCode::from(EXIT_DEVICE_ERROR)
        }
        Outcome::Unparseable(why) => {
            eprintln!("结果：无法解析读卡器返回的数据：{why}");
            ExitCode::from(EXIT_UNPARSEABLE)
        }
    }
}

/// Prints one step of the exchange to stderr (so `--json` output stays clean): statuses,
/// sizes and timings only, never card data.
fn log_step(step: Exchanged<'_>) {
    match step {
        Exchanged::Answered {
            command,
            frame,
            elapsed,
        } => {
            let status = frame
                .response()
                .map(|r| format!("{:02X}", r.status.to_byte()))
                .unwrap_or_else(|_| "??".into());
            eprintln!(
                "{}：应答 {status}，{} 字节，{} ms",
                command.name(),
                frame.as_bytes().len(),
                elapsed.as_millis()
            );
        }
        Exchanged::Damaged {
            command,
            error,
            elapsed,
        } => eprintln!(
            "{}：坏帧（{error}），{} ms",
            command.name(),
            elapsed.as_millis()
        ),
        Exchanged::TimedOut { command } => eprintln!("{}：超时", command.name()),
    }
}

fn print_card(card: &CardData, reveal: bool) {
    let r = card.record();
    let show = |label: &str, clear: Option<&str>, masked: Option<String>| {
        let value = if reveal {
            clear.map(str::to_string)
        } else {
            masked
        };
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            println!("{label}：{v}");
        }
    };
    println!("证件类型：{}", card.card_type().name_zh());
    let t = &card.text;
    show("姓名", r.name.as_deref(), Some(t.chinese_name().masked()));
    show(
        "英文姓名",
        r.english_name.as_deref(),
        t.english_name().map(|n| n.masked()),
    );
    let gender = match r.gender {
        "male" => "男",
        "female" => "女",
        "unspecified" => "未说明",
        _ => "未知",
    };
    println!("性别：{gender}");
    if let Some(n) = &r.nation {
        println!("民族：{n}");
    }
    show("出生日期", Some(&r.birth_date), Some("****-**-**".into()));
    show(
        "住址",
        card.current_address().map(|a| a.reveal()),
        card.current_address().map(|a| a.masked(6)),
    );
    show(
        "证件号码",
        r.id_number.as_deref().or(r.permit_number.as_deref()),
        Some(t.number().masked()),
    );
    println!("号码校验：{}", r.number_check);
    if let Some(issuer) = &r.issuer {
        println!("签发机关：{issuer}");
    }
    println!("有效期限：{} 至 {}", r.valid_from, t.valid_until());
}

/// The card as JSON: clear values with `reveal`, otherwise personal fields masked.
fn to_json(card: &CardData, reveal: bool) -> String {
    let record = card.record();
    let mut value = serde_json::to_value(&record).unwrap_or(serde_json::Value::Null);
    if !reveal && let Some(map) = value.as_object_mut() {
        let t = &card.text;
        let masked = [
            ("name", Some(t.chinese_name().masked())),
            ("english_name", t.english_name().map(|n| n.masked())),
            ("birth_date", Some("****-**-**".to_string())),
            ("address", t.address().map(|a| a.masked(6))),
            (
                "appended_address",
                card.current_address().map(|a| a.masked(6)),
            ),
            (
                "id_number",
                record.id_number.as_ref().map(|_| t.number().masked()),
            ),
            (
                "permit_number",
                record.permit_number.as_ref().map(|_| t.number().masked()),
            ),
            (
                "pass_number",
                record.pass_number.as_ref().map(|_| "*".repeat(9)),
            ),
            (
                "previous_number_link",
                record.previous_number_link.as_ref().map(|_| "***".into()),
            ),
        ];
        for (key, v) in masked {
            if map.get(key).is_some_and(|old| !old.is_null()) {
                map.insert(key.into(), v.map_or(serde_json::Value::Null, Into::into));
            }
        }
    }
    value.to_string()
}
