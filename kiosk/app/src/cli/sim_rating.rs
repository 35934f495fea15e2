//! `kiosk sim rating --pty`: the simulated 好差评 rating pad on a pseudo-terminal, for the
//! kiosk's driver (`devices.rating_pad` pointing at the pty), a vendor tool, or a script.
//!
//! It prints the pty path on the first line of stdout, then one line for everything the host
//! makes the pad do, as it happens:
//!
//! | line | meaning |
//! |---|---|
//! | `leds off` / `leds on=5,4,3,2,1 blink=-` | the key LEDs changed (levels lit steadily / blinking) |
//! | `prompt please-rate 请对本次服务进行评价` | a voice prompt was played (name, text) |
//!
//! Control lines on stdin (the dev dock's buttons, for scripts and tests):
//!
//! | line | effect |
//! |---|---|
//! | `press N` | presses the key of level N (5 非常满意 … 1 非常不满意) |
//! | `repeat N K` | presses N and sends its KEY frame K more times back to back |
//! | `fault on\|off` | sets / clears the speaker fault bit (the pad becomes Degraded / Ready) |
//! | `fault HEX` | sets the fault bits to HEX (e.g. `06`: speaker and LED) |
//! | `silent on\|off` | the pad stops / resumes answering (a hung firmware) |
//! | `garble` | the next frame the pad sends gets a wrong CRC |
//!
//! End of input (or `quit`) stops the simulator.

use std::io::{BufRead, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rating::device::PadChange;
use rating::sim::{SimHandle, SimThread, open_pty};
use rating::{Faults, Level};

/// How often the pad's changes are looked at and printed.
const WATCH_INTERVAL: Duration = Duration::from_millis(20);

/// The output line for one thing the host made the pad do.
pub fn change_line(change: &PadChange) -> String {
    match change {
        PadChange::Leds(leds) => format!("leds {leds}"),
        PadChange::Prompt(prompt) => format!("prompt {} {}", prompt.name(), prompt.text()),
    }
}

fn level(n: &str) -> Result<Level, String> {
    n.parse()
        .ok()
        .and_then(Level::from_number)
        .ok_or(format!("“{n}” 不是 1–5 的评价等级"))
}

/// Applies one control line; returns a complaint for a line it does not understand.
pub fn control(sim: &SimHandle, line: &str) -> Result<(), String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        [] => {}
        ["press", n] => {
            sim.press(level(n)?);
        }
        ["repeat", n, k] => {
            let extra = k.parse().map_err(|_| format!("“{k}” 不是重复次数"))?;
            sim.press_repeated(level(n)?, extra);
        }
        ["fault", "on"] => sim.set_faults(Faults::SPEAKER),
        ["fault", "off"] => sim.set_faults(Faults::NONE),
        ["fault", bits] => sim.set_faults(Faults(
            u8::from_str_radix(bits, 16).map_err(|_| format!("“{bits}” 不是十六进制故障位"))?,
        )),
        ["silent", "on"] => sim.set_silent(true),
        ["silent", "off"] => sim.set_silent(false),
        ["garble"] => sim.garble_next_frame(),
        _ => return Err(format!("无法理解的指令 “{line}”")),
    }
    Ok(())
}

/// Serves the simulated pad on a new pty until stdin ends.
pub fn run() -> Result<(), String> {
    let sim = SimHandle::new();
    let pty = open_pty().map_err(|e| format!("无法创建伪终端：{e}"))?;
    let path = pty.path.clone();
    let serving = SimThread::spawn(Box::new(pty.master), sim.clone())
        .map_err(|e| format!("无法启动模拟器：{e}"))?;
    let mut out = std::io::stdout();
    writeln!(out, "{path}").map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())?;

    // print what the host makes the pad do, from its own thread, as it happens
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (sim, done) = (sim.clone(), done.clone());
        std::thread::Builder::new()
            .name("rating-sim-watch".into())
            .spawn(move || {
                let mut out = std::io::stdout();
                while !done.load(Ordering::Relaxed) {
                    for change in sim.take_changes() {
                        // stdout gone (the reader quit): nothing left to tell
                        if writeln!(out, "{}", change_line(&change))
                            .and_then(|()| out.flush())
                            .is_err()
                        {
                            return;
                        }
                    }
                    std::thread::sleep(WATCH_INTERVAL);
                }
            })
            .map_err(|e| format!("无法启动模拟器：{e}"))?
    };

    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| e.to_string())?;
        if line.trim() == "quit" {
            break;
        }
        if let Err(complaint) = control(&sim, &line) {
            eprintln!("{complaint}");
        }
    }
    done.store(true, Ordering::Relaxed);
    let _ = watcher.join();
    drop(serving);
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use rating::{Leds, Prompt};

    #[test]
    fn control_lines() {
        let sim = SimHandle::new();
        for line in [
            "press 5",
            "repeat 1 3",
            "fault on",
            "fault 06",
            "fault off",
            "silent on",
            "silent off",
            "garble",
            "",
        ] {
            assert_eq!(control(&sim, line), Ok(()), "{line}");
        }
        assert_eq!(sim.unacknowledged(), 2);
        for bad in [
            "press 0",
            "press 6",
            "press x",
            "fault zz",
            "repeat 1 x",
            "jump",
        ] {
            assert!(control(&sim, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn change_lines() {
        assert_eq!(change_line(&PadChange::Leds(Leds::OFF)), "leds off");
        assert_eq!(
            change_line(&PadChange::Leds(Leds::ALL_ON)),
            "leds on=5,4,3,2,1 blink=-"
        );
        assert_eq!(
            change_line(&PadChange::Leds(Leds::blinking(Level::VerySatisfied))),
            "leds on=- blink=5"
        );
        assert_eq!(
            change_line(&PadChange::Prompt(Prompt::PleaseRate)),
            "prompt please-rate 请对本次服务进行评价"
        );
    }
}
