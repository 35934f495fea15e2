//! `kiosk sim idcard --pty`: the ID-card reader simulator on a pseudo-terminal, for a
//! driver, `kiosk idcard read` or a vendor tool to talk to.
//!
//! It prints the pty path on the first line of stdout, then reads control lines on stdin
//! (the dev dock's buttons, for scripts and tests):
//!
//! | line | effect |
//! |---|---|
//! | `place resident\|hmt\|foreign2017\|foreign2023\|unknown` | a sample card on the antenna (`unknown`: a card type no reader knows) |
//! | `remove` | takes the card away |
//! | `corrupt` | the next reply gets a wrong checksum |
//! | `garbage` | garbage bytes before the next reply |
//! | `pull` | the next card-data reply stops halfway and the card is gone |
//! | `silent on\|off` | stops / resumes answering |
//! | `delay MS` | waits MS milliseconds before every reply |
//! | `sam 60\|66\|off` | the SAM fails (self-test / not authorised) or recovers |
//!
//! End of input (or `quit`) stops the simulator.

use idcard::Status;
use idcard::device::{ScriptedCard, samples};
use idcard::sim::{SimHandle, SimThread, open_pty};
use std::io::{BufRead, Write};
use std::time::Duration;

/// A sample card by name.
pub fn sample(name: &str) -> Option<ScriptedCard> {
    let text = match name {
        "resident" => samples::resident(),
        "hmt" => samples::hmt_permit(),
        "foreign2017" => samples::foreign_2017(),
        "foreign2023" => samples::foreign_2023(),
        "unknown" => {
            let mut card = ScriptedCard::new(&samples::resident()).ok()?;
            // byte 248 holds the card-type marker (fact sheet §7); `Z` is no known type
            *card.text.get_mut(248)? = b'Z';
            return Some(card);
        }
        _ => return None,
    };
    ScriptedCard::new(&text).ok()
}

/// Applies one control line; returns a complaint for a line it does not understand.
pub fn control(sim: &SimHandle, line: &str) -> Result<(), String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        [] => {}
        ["place", kind] => sim.place_card(sample(kind).ok_or(format!("未知的样例证件 “{kind}”"))?),
        ["remove"] => sim.remove_card(),
        ["corrupt"] => sim.corrupt_next_reply(),
        ["garbage"] => sim.garbage_before_next_reply(),
        ["pull"] => sim.pull_card_mid_read(),
        ["silent", "on"] => sim.set_silent(true),
        ["silent", "off"] => sim.set_silent(false),
        ["delay", ms] => sim.set_delay(Duration::from_millis(
            ms.parse().map_err(|_| format!("“{ms}” 不是毫秒数"))?,
        )),
        ["sam", "60"] => sim.set_sam_fault(Some(Status::SamSelfTestFailed)),
        ["sam", "66"] => sim.set_sam_fault(Some(Status::SamNotAuthorised)),
        ["sam", "off"] => sim.set_sam_fault(None),
        _ => return Err(format!("无法理解的指令 “{line}”")),
    }
    Ok(())
}

/// Serves the simulator on a new pty until stdin ends.
pub fn run(card: Option<&str>) -> Result<(), String> {
    let sim = SimHandle::new();
    if let Some(kind) = card {
        control(&sim, &format!("place {kind}"))?;
    }
    let pty = open_pty().map_err(|e| format!("无法创建伪终端：{e}"))?;
    let path = pty.path.clone();
    let serving = SimThread::spawn(Box::new(pty.master), sim.clone())
        .map_err(|e| format!("无法启动模拟器：{e}"))?;
    let mut out = std::io::stdout();
    writeln!(out, "{path}").map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())?;
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| e.to_string())?;
        if line.trim() == "quit" {
            break;
        }
        if let Err(complaint) = control(&sim, &line) {
            eprintln!("{complaint}");
        }
    }
    drop(serving);
    Ok(())
}
