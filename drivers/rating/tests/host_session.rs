//! The host session against the pad's side of the codec, in memory with a mock clock: the
//! PROTOCOL.md §5/§6 rules step by step (pings, the 3 s fault, recovery, press dedup with a
//! lost ACK, resends, NAKs, a pad restart, a refused command, echoes). No threads, no sleeps:
//! time is a value the test moves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use rating::device::{PadChange, PadConfig, PadDevice};
use rating::message::{
    FLAG_FRESH, Faults, FromPad, Leds, Level, NakReason, Prompt, ToPad, Version, cmd,
};
use rating::{Command, Health, HostSession, PadEvent, SessionConfig};

/// Decides whether a frame is lost on the wire.
type Loss = Box<dyn FnMut(&[u8]) -> bool>;

/// Host and pad joined by a wire the test can cut in either direction.
struct Wire {
    host: HostSession,
    pad: PadDevice,
    now: Instant,
    /// Frames to the pad are lost while this returns true.
    lose_to_pad: Loss,
    /// Frames to the host are lost while this returns true.
    lose_to_host: Loss,
    /// Every frame the host sent, in order.
    sent_by_host: Vec<Vec<u8>>,
    events: Vec<PadEvent>,
}

impl Wire {
    fn new() -> Self {
        let now = Instant::now();
        let mut host = HostSession::new(SessionConfig::default());
        host.link_up(now);
        let mut wire = Wire {
            host,
            pad: PadDevice::new(Version::simulated(), PadConfig::default()),
            now,
            lose_to_pad: Box::new(|_| false),
            lose_to_host: Box::new(|_| false),
            sent_by_host: Vec::new(),
            events: Vec::new(),
        };
        wire.shuttle();
        wire
    }

    /// Carries frames both ways until neither side has anything to send.
    fn shuttle(&mut self) {
        loop {
            let mut moved = false;
            while let Some(frame) = self.host.poll_transmit() {
                moved = true;
                self.sent_by_host.push(frame.clone());
                if !(self.lose_to_pad)(&frame) {
                    self.pad.receive(&frame, self.now);
                }
            }
            while let Some(frame) = self.pad.poll_transmit() {
                moved = true;
                if !(self.lose_to_host)(&frame) {
                    self.host.push_bytes(&frame, self.now);
                }
            }
            if !moved {
                break;
            }
        }
        self.events
            .extend(std::iter::from_fn(|| self.host.poll_event()));
    }

    /// Moves the clock on in 10 ms steps, ticking both sides.
    fn advance(&mut self, by: Duration) {
        let until = self.now + by;
        while self.now < until {
            self.now += Duration::from_millis(10).min(until - self.now);
            self.host.tick(self.now);
            self.pad.poll(self.now);
            self.shuttle();
        }
    }

    fn command(&mut self, command: Command) {
        self.host.command(command, self.now);
        self.shuttle();
    }

    fn take_events(&mut self) -> Vec<PadEvent> {
        std::mem::take(&mut self.events)
    }

    fn keys(&mut self) -> Vec<Level> {
        self.take_events()
            .into_iter()
            .filter_map(|e| match e {
                PadEvent::Key { level } => Some(level),
                _ => None,
            })
            .collect()
    }

    fn health(&self) -> Option<Health> {
        self.host.health()
    }
}

fn is_cmd(frame: &[u8], code: u8) -> bool {
    frame.get(2) == Some(&code)
}

#[test]
fn on_connect_the_host_learns_the_version_and_the_pad_is_ready() {
    let mut wire = Wire::new();
    let events = wire.take_events();
    // the pad's power-up STATUS comes first, then the answers (PROTOCOL.md §7.1)
    assert_eq!(
        events,
        vec![
            PadEvent::Health(Health::Ready),
            PadEvent::Version(Version::simulated()),
        ]
    );
    // VERSION request, PING, LEDS dark: §5.1
    assert_eq!(
        &wire.sent_by_host[..3],
        &[
            ToPad::VersionRequest.encode(),
            ToPad::Ping.encode(),
            ToPad::Leds {
                seq: 1,
                leds: Leds::OFF
            }
            .encode()
        ]
    );
    assert_eq!(wire.pad.leds(), Leds::OFF);
}

#[test]
fn the_host_pings_every_second() {
    let mut wire = Wire::new();
    assert_eq!(wire.pad.stats().pings, 1);
    wire.advance(Duration::from_secs(5));
    assert_eq!(wire.pad.stats().pings, 6);
    assert_eq!(wire.host.stats().pings, 6);
}

#[test]
fn a_silent_pad_is_a_fault_after_three_seconds_and_ready_when_it_answers() {
    let mut wire = Wire::new();
    wire.take_events();
    wire.lose_to_host = Box::new(|_| true);
    // the last frame was heard at t = 0; at 2.99 s the pad is still Ready
    wire.advance(Duration::from_millis(2990));
    assert_eq!(wire.health(), Some(Health::Ready));
    wire.advance(Duration::from_millis(10));
    assert_eq!(wire.health(), Some(Health::Fault));
    assert_eq!(wire.take_events(), vec![PadEvent::Health(Health::Fault)]);
    wire.advance(Duration::from_secs(5));
    assert!(wire.take_events().is_empty(), "Fault is reported once");
    wire.lose_to_host = Box::new(|_| false);
    // the next ping's STATUS brings it back
    wire.advance(Duration::from_secs(1));
    assert_eq!(wire.take_events(), vec![PadEvent::Health(Health::Ready)]);
}

#[test]
fn fault_bits_make_the_pad_degraded_and_clearing_them_ready() {
    let mut wire = Wire::new();
    wire.take_events();
    wire.pad.set_faults(Faults::SPEAKER | Faults::LED);
    wire.shuttle();
    let degraded = Health::Degraded(Faults(0x06));
    assert_eq!(wire.take_events(), vec![PadEvent::Health(degraded)]);
    assert_eq!(
        Faults(0x06).names(),
        vec!["扬声器故障".to_string(), "指示灯故障".to_string()]
    );
    wire.pad.set_faults(Faults::NONE);
    wire.shuttle();
    assert_eq!(wire.take_events(), vec![PadEvent::Health(Health::Ready)]);
}

#[test]
fn a_press_whose_ack_is_lost_is_resent_and_reported_once() {
    let mut wire = Wire::new();
    wire.take_events();
    // the host's ACKs of KEY frames never reach the pad
    wire.lose_to_pad = Box::new(|f| is_cmd(f, cmd::ACK));
    wire.pad.press(Level::Satisfied, wire.now);
    wire.shuttle();
    wire.advance(Duration::from_secs(2));
    // 4 sends in all (§6.3), one press
    assert_eq!(wire.pad.stats().key_frames, 4);
    assert_eq!(wire.keys(), vec![Level::Satisfied]);
    assert_eq!(wire.host.stats().keys, 1);
    assert_eq!(wire.host.stats().duplicate_keys, 3);
    // with ACKs through again, the next press is sent once
    wire.lose_to_pad = Box::new(|_| false);
    wire.pad.press(Level::VeryDissatisfied, wire.now);
    wire.advance(Duration::from_secs(1));
    assert_eq!(wire.keys(), vec![Level::VeryDissatisfied]);
    assert_eq!(wire.pad.stats().key_frames, 5);
    assert_eq!(wire.pad.unacknowledged(), 0);
}

#[test]
fn two_quick_presses_are_two_presses() {
    let mut wire = Wire::new();
    wire.take_events();
    wire.pad.press(Level::Acceptable, wire.now);
    wire.pad.press(Level::Acceptable, wire.now);
    wire.shuttle();
    assert_eq!(wire.keys(), vec![Level::Acceptable, Level::Acceptable]);
}

#[test]
fn the_same_press_number_after_the_window_is_a_new_press() {
    let mut host = HostSession::new(SessionConfig::default());
    let t0 = Instant::now();
    host.link_up(t0);
    let key = FromPad::Key {
        level: Level::VerySatisfied,
        seq: 9,
    }
    .encode();
    host.push_bytes(&key, t0);
    host.push_bytes(&key, t0 + Duration::from_millis(1999));
    host.push_bytes(&key, t0 + Duration::from_millis(4000));
    let keys = std::iter::from_fn(|| host.poll_event())
        .filter(|e| matches!(e, PadEvent::Key { .. }))
        .count();
    assert_eq!(keys, 2);
    assert_eq!(host.stats().duplicate_keys, 1);
}

#[test]
fn a_garbled_key_is_nakked_resent_and_reported_once() {
    let mut wire = Wire::new();
    wire.take_events();
    wire.pad.press(Level::Dissatisfied, wire.now);
    // garble the KEY on its way: deliver it damaged by hand
    let mut frame = wire.pad.poll_transmit().unwrap();
    let at = frame.len() - 2;
    frame[at] ^= 0x5A;
    wire.host.push_bytes(&frame, wire.now);
    assert_eq!(wire.host.stats().bad_frames, 1);
    // the host answers NAK 01; the pad sends the KEY again at once
    wire.shuttle();
    assert!(
        wire.sent_by_host
            .contains(&ToPad::Nak(NakReason::BadChecksum).encode())
    );
    assert_eq!(wire.keys(), vec![Level::Dissatisfied]);
    assert_eq!(wire.host.stats().naks_sent, 1);
    assert_eq!(wire.pad.unacknowledged(), 0);
}

#[test]
fn leds_and_prompts_reach_the_pad_in_order() {
    let mut wire = Wire::new();
    wire.pad.take_changes();
    wire.command(Command::SetLeds(Leds::ALL_ON));
    wire.command(Command::Play(Prompt::PleaseRate));
    wire.command(Command::SetLeds(Leds::blinking(Level::VerySatisfied)));
    wire.command(Command::Play(Prompt::Thanks));
    assert_eq!(
        wire.pad.take_changes(),
        vec![
            PadChange::Leds(Leds::ALL_ON),
            PadChange::Prompt(Prompt::PleaseRate),
            PadChange::Leds(Leds::blinking(Level::VerySatisfied)),
            PadChange::Prompt(Prompt::Thanks),
        ]
    );
    assert_eq!(wire.pad.played(), &[Prompt::PleaseRate, Prompt::Thanks]);
}

#[test]
fn a_prompt_whose_ack_is_lost_is_resent_but_played_once() {
    let mut wire = Wire::new();
    wire.lose_to_host = Box::new(|f| is_cmd(f, cmd::PAD_ACK));
    wire.command(Command::Play(Prompt::PleaseRate));
    wire.advance(Duration::from_secs(2));
    let prompts = wire
        .sent_by_host
        .iter()
        .filter(|f| is_cmd(f, cmd::PROMPT))
        .count();
    assert_eq!(prompts, 3, "3 sends in all (§5.5)");
    assert_eq!(wire.pad.played(), &[Prompt::PleaseRate]);
    assert_eq!(wire.host.stats().commands_failed, 1);
}

#[test]
fn commands_wait_for_each_other() {
    let mut wire = Wire::new();
    // nothing reaches the pad: the second command is not sent while the first waits
    wire.lose_to_pad = Box::new(|_| true);
    let before = wire.sent_by_host.len();
    wire.command(Command::Play(Prompt::PleaseRate));
    wire.command(Command::Play(Prompt::Thanks));
    let sent: Vec<&Vec<u8>> = wire.sent_by_host[before..].iter().collect();
    assert_eq!(sent.len(), 1);
    // after three sends of the first, the second goes
    wire.advance(Duration::from_millis(900));
    let thanks = wire
        .sent_by_host
        .iter()
        .any(|f| is_cmd(f, cmd::PROMPT) && f.get(4) == Some(&Prompt::Thanks.id()));
    assert!(thanks);
}

#[test]
fn a_refused_command_is_given_up_at_once() {
    let mut host = HostSession::new(SessionConfig::default());
    let now = Instant::now();
    host.link_up(now);
    while host.poll_transmit().is_some() {}
    host.push_bytes(
        &FromPad::Ack {
            cmd: cmd::LEDS,
            seq: 1,
        }
        .encode(),
        now,
    );
    host.command(Command::Play(Prompt::Beep), now);
    assert!(host.poll_transmit().is_some());
    host.push_bytes(&FromPad::Nak(NakReason::BadPayload).encode(), now);
    assert_eq!(host.stats().commands_refused, 1);
    host.tick(now + Duration::from_secs(1));
    let resent = std::iter::from_fn(|| host.poll_transmit()).any(|f| is_cmd(&f, cmd::PROMPT));
    assert!(!resent);
}

#[test]
fn a_restarted_pad_gets_its_leds_back() {
    let mut wire = Wire::new();
    wire.command(Command::SetLeds(Leds::ALL_ON));
    assert_eq!(wire.pad.leds(), Leds::ALL_ON);
    // power cycle: a new pad, dark, with FRESH set, numbering presses from 1
    wire.pad = PadDevice::new(Version::simulated(), PadConfig::default());
    wire.pad.press(Level::Satisfied, wire.now);
    wire.shuttle();
    assert_eq!(wire.pad.leds(), Leds::ALL_ON);
    wire.take_events();
    // press number 1 again right away: after FRESH it is a new press, not a repeat
    wire.pad.press(Level::Acceptable, wire.now);
    wire.shuttle();
    assert_eq!(wire.keys(), vec![Level::Acceptable]);
}

#[test]
fn after_a_reconnect_the_wanted_leds_are_sent_and_prompts_dropped() {
    let mut host = HostSession::new(SessionConfig::default());
    let now = Instant::now();
    host.link_up(now);
    while host.poll_transmit().is_some() {}
    host.link_down();
    assert_eq!(host.poll_event(), Some(PadEvent::Health(Health::Fault)));
    host.command(Command::SetLeds(Leds::ALL_ON), now);
    host.command(Command::Play(Prompt::PleaseRate), now);
    assert!(
        host.poll_transmit().is_none(),
        "nothing is sent without a link"
    );
    host.link_up(now);
    let sent: Vec<Vec<u8>> = std::iter::from_fn(|| host.poll_transmit()).collect();
    assert!(
        sent.contains(
            &ToPad::Leds {
                seq: 2,
                leds: Leds::ALL_ON
            }
            .encode()
        )
    );
    assert!(!sent.iter().any(|f| is_cmd(f, cmd::PROMPT)));
}

#[test]
fn echoes_are_counted_not_answered() {
    let mut host = HostSession::new(SessionConfig::default());
    let now = Instant::now();
    host.link_up(now);
    let ours: Vec<Vec<u8>> = std::iter::from_fn(|| host.poll_transmit()).collect();
    for frame in &ours {
        host.push_bytes(frame, now);
    }
    assert_eq!(host.stats().bad_frames, ours.len() as u64);
    assert!(host.poll_transmit().is_none());
}

#[test]
fn a_burst_of_garbage_gets_one_nak() {
    let mut host = HostSession::new(SessionConfig::default());
    let now = Instant::now();
    host.link_up(now);
    while host.poll_transmit().is_some() {}
    host.push_bytes(&[0xA5; 200], now);
    let naks = std::iter::from_fn(|| host.poll_transmit())
        .filter(|f| is_cmd(f, cmd::NAK))
        .count();
    assert_eq!(naks, 1);
    assert!(host.stats().bad_frames >= 100);
    // a later damaged frame, after the quiet interval, gets its own NAK
    host.push_bytes(&[0xA5, 0x00], now + Duration::from_millis(100));
    assert!(host.poll_transmit().is_some());
}

#[test]
fn status_fresh_alone_clears_nothing_it_should_not() {
    // a FRESH status while the host's LEDS is on its way does not queue a second LEDS
    let mut host = HostSession::new(SessionConfig::default());
    let now = Instant::now();
    host.link_up(now);
    let first: Vec<Vec<u8>> = std::iter::from_fn(|| host.poll_transmit()).collect();
    assert_eq!(first.iter().filter(|f| is_cmd(f, cmd::LEDS)).count(), 1);
    host.push_bytes(
        &FromPad::Status {
            faults: Faults::NONE,
            flags: FLAG_FRESH,
        }
        .encode(),
        now,
    );
    assert!(
        !std::iter::from_fn(|| host.poll_transmit()).any(|f| is_cmd(&f, cmd::LEDS)),
        "the LEDS in flight will clear FRESH"
    );
}

#[test]
fn the_next_wakeup_is_the_next_thing_to_do() {
    let mut host = HostSession::new(SessionConfig::default());
    let now = Instant::now();
    assert_eq!(host.next_wakeup(), None);
    host.link_up(now);
    // the LEDS waits for its ACK for 300 ms: that comes before the next ping
    assert_eq!(host.next_wakeup(), Some(now + Duration::from_millis(300)));
}
