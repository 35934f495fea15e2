//! The reader driver: a poll loop over a [`Link`] that turns read cycles into events.
//!
//! One thread owns the link. Every `poll_interval` it runs a read cycle
//! (find → select → read, re-reading a card left on the reader, fact sheet §10), and reports
//! changes as [`ReaderEvent`]s on a tokio channel: a card arriving, a card leaving, the
//! device's state. A link that fails (unplugged adapter, closed pty) is reopened every
//! `reconnect_interval`; the driver never trusts the old session after a reconnect. Counters
//! are kept for the health endpoint and the maintenance menu.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::card::CardData;
use crate::command::Command;
use crate::frame::{Frame, FrameDecoder, FrameError};
use crate::host::{CycleOptions, Outcome, ReadCycle, Step};
use crate::link::{Link, SerialLink};
use crate::status::{Status, StatusClass};

/// Driver settings.
#[derive(Debug, Clone)]
pub struct DriverConfig {
    /// Time between read cycles while idle.
    pub poll_interval: Duration,
    /// Time between attempts to reopen a lost link.
    pub reconnect_interval: Duration,
    /// Consecutive cycles without any answer before the link is treated as lost.
    pub silent_cycles_before_reconnect: u32,
    /// Read-cycle options; `read_card_left_on_reader` is forced on, since removal is seen
    /// as a re-read that fails.
    pub cycle: CycleOptions,
}

impl Default for DriverConfig {
    /// Polls every 300 ms, reopens every second, gives up on a link after 3 silent cycles.
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_millis(300),
            reconnect_interval: Duration::from_secs(1),
            silent_cycles_before_reconnect: 3,
            cycle: CycleOptions::default(),
        }
    }
}

/// The reader's state, in UnifiedPOS terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceState {
    /// No link: the port cannot be opened or stopped answering.
    Disconnected,
    /// Answering and able to read.
    Ready,
    /// The SAM reports a fault it will not recover from by itself (e.g. `60`, `66`).
    Fault(Status),
}

/// Why a card on the reader could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadFailure {
    /// The card could not be read cleanly (moved, authentication failed): place it again.
    ReplaceCard(Status),
    /// The reader's answers could not be understood (e.g. an unknown card type).
    Unparseable(String),
}

/// What the driver reports.
#[derive(Debug, Clone, PartialEq)]
pub enum ReaderEvent {
    /// A new card was found and is being read (the read takes ~0.1–0.3 s at 115200).
    CardDetected,
    /// A card was placed and read.
    CardPresented(Box<CardData>),
    /// The card that was read has left the reader.
    CardRemoved,
    /// The device state changed.
    State(DeviceState),
    /// A card was on the reader but could not be read.
    ReadFailed(ReadFailure),
}

/// The driver's counters, shared with whoever reports health.
#[derive(Debug, Default)]
pub struct Counters {
    /// Cards read successfully.
    pub reads_ok: AtomicU64,
    /// Read cycles that ended in a failure with a card present.
    pub reads_failed: AtomicU64,
    /// Frames received with a bad checksum.
    pub checksum_errors: AtomicU64,
    /// Commands that got no answer in time.
    pub timeouts: AtomicU64,
    /// Times the link was reopened after being lost.
    pub reconnects: AtomicU64,
}

/// A snapshot of [`Counters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CounterValues {
    /// Cards read successfully.
    pub reads_ok: u64,
    /// Failed reads with a card present.
    pub reads_failed: u64,
    /// Frames with a bad checksum.
    pub checksum_errors: u64,
    /// Commands that timed out.
    pub timeouts: u64,
    /// Link reopenings.
    pub reconnects: u64,
}

impl Counters {
    /// The current values.
    pub fn snapshot(&self) -> CounterValues {
        CounterValues {
            reads_ok: self.reads_ok.load(Ordering::Relaxed),
            reads_failed: self.reads_failed.load(Ordering::Relaxed),
            checksum_errors: self.checksum_errors.load(Ordering::Relaxed),
            timeouts: self.timeouts.load(Ordering::Relaxed),
            reconnects: self.reconnects.load(Ordering::Relaxed),
        }
    }

    fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

/// Opens the link; called again after the link is lost.
pub use serial_link::Opener;

/// An opener for a serial port path at a baud rate.
pub fn serial_opener(path: String, baud: u32) -> Opener {
    Box::new(move || Ok(Box::new(SerialLink::open(&path, baud)?) as Box<dyn Link>))
}

/// One command's fate within a cycle, for callers that watch the exchange (the driver
/// announces a found card; `kiosk idcard read` prints every step).
#[derive(Debug)]
pub enum Exchanged<'a> {
    /// A well-formed answer arrived after `elapsed`.
    Answered {
        /// The command answered.
        command: &'a Command,
        /// The answer.
        frame: &'a Frame,
        /// Time since the command was sent.
        elapsed: Duration,
    },
    /// A damaged answer arrived.
    Damaged {
        /// The command answered.
        command: &'a Command,
        /// What was wrong with it.
        error: &'a FrameError,
        /// Time since the command was sent.
        elapsed: Duration,
    },
    /// No answer within the command's timeout.
    TimedOut {
        /// The command left unanswered.
        command: &'a Command,
    },
}

/// Runs one read cycle over `link`, waiting for each answer as long as its command allows.
/// Damaged frames and silences are counted in `counters`; `watch` sees every command's fate.
pub fn exchange(
    link: &mut dyn Link,
    cycle: &mut ReadCycle,
    counters: &Counters,
    watch: &mut dyn FnMut(Exchanged<'_>),
) -> io::Result<Outcome> {
    let mut decoder = FrameDecoder::new();
    let mut buf = [0u8; 4096];
    let mut step = cycle.start();
    loop {
        let out = match step {
            Step::Finished(outcome) => return Ok(outcome),
            Step::Ignored => return Ok(Outcome::NoResponse(Command::FindCard)),
            Step::Send(out) => out,
        };
        link.discard_input()?;
        decoder.abandon_partial();
        let sent = Instant::now();
        link.send(&out.bytes)?;
        let deadline = sent + out.timeout();
        let command = &out.command;
        step = loop {
            if let Some(event) = decoder.next_frame() {
                let elapsed = sent.elapsed();
                break match event {
                    Ok(frame) => {
                        watch(Exchanged::Answered {
                            command,
                            frame: &frame,
                            elapsed,
                        });
                        cycle.on_frame(&frame)
                    }
                    Err(error) => {
                        if matches!(error, FrameError::BadChecksum { .. }) {
                            Counters::bump(&counters.checksum_errors);
                        }
                        watch(Exchanged::Damaged {
                            command,
                            error: &error,
                            elapsed,
                        });
                        cycle.on_frame_error(error)
                    }
                };
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                Counters::bump(&counters.timeouts);
                watch(Exchanged::TimedOut { command });
                break cycle.on_timeout();
            }
            let n = link.receive(&mut buf, left)?;
            decoder.push(&buf[..n]);
        };
    }
}

/// A running driver thread.
pub struct Driver {
    stop: Arc<AtomicBool>,
    counters: Arc<Counters>,
    thread: Option<JoinHandle<()>>,
}

impl Driver {
    /// Starts the poll loop on its own thread; events arrive on the returned receiver.
    pub fn spawn(opener: Opener, config: DriverConfig) -> (Driver, UnboundedReceiver<ReaderEvent>) {
        let (tx, rx) = unbounded_channel();
        let stop = Arc::new(AtomicBool::new(false));
        let counters = Arc::new(Counters::default());
        let mut poll = PollLoop {
            opener,
            config,
            tx,
            stop: stop.clone(),
            counters: counters.clone(),
            state: None,
            card_present: false,
            ever_connected: false,
        };
        let thread = std::thread::Builder::new()
            .name("idcard-driver".into())
            .spawn(move || poll.run())
            .ok();
        (
            Driver {
                stop,
                counters,
                thread,
            },
            rx,
        )
    }

    /// The driver's counters.
    pub fn counters(&self) -> CounterValues {
        self.counters.snapshot()
    }

    /// The shared counters, for a health endpoint that outlives this handle's borrow.
    pub fn shared_counters(&self) -> Arc<Counters> {
        self.counters.clone()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct PollLoop {
    opener: Opener,
    config: DriverConfig,
    tx: UnboundedSender<ReaderEvent>,
    stop: Arc<AtomicBool>,
    counters: Arc<Counters>,
    state: Option<DeviceState>,
    card_present: bool,
    ever_connected: bool,
}

impl PollLoop {
    fn run(&mut self) {
        while !self.stopped() {
            let mut link = match (self.opener)() {
                Ok(link) => link,
                Err(_) => {
                    self.set_state(DeviceState::Disconnected);
                    self.sleep(self.config.reconnect_interval);
                    continue;
                }
            };
            if self.ever_connected {
                Counters::bump(&self.counters.reconnects);
            }
            self.ever_connected = true;
            self.serve(link.as_mut());
            // the link is gone: whatever card was on it is no longer known
            self.card_gone();
            self.set_state(DeviceState::Disconnected);
            self.sleep(self.config.reconnect_interval);
        }
    }

    /// Polls over one open link until it fails or the driver stops.
    fn serve(&mut self, link: &mut dyn Link) {
        let options = CycleOptions {
            read_card_left_on_reader: true,
            ..self.config.cycle
        };
        let mut silent = 0;
        while !self.stopped() {
            let mut cycle = ReadCycle::new(options);
            let (tx, known) = (self.tx.clone(), self.card_present);
            // a find answered 9F means a new card: say so before the slower read
            let mut found = |step: Exchanged<'_>| {
                if let Exchanged::Answered { command, frame, .. } = step
                    && !known
                    && *command == Command::FindCard
                    && frame
                        .response()
                        .is_ok_and(|r| r.status == Status::FindSuccess)
                {
                    let _ = tx.send(ReaderEvent::CardDetected);
                }
            };
            let outcome = match exchange(link, &mut cycle, &self.counters, &mut found) {
                Ok(outcome) => outcome,
                Err(_) => return,
            };
            if let Outcome::NoResponse(_) = outcome {
                silent += 1;
                if silent >= self.config.silent_cycles_before_reconnect {
                    return;
                }
            } else {
                silent = 0;
            }
            self.on_outcome(outcome);
            self.sleep(self.config.poll_interval);
        }
    }

    fn on_outcome(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::CardRead(card) => {
                self.set_state(DeviceState::Ready);
                Counters::bump(&self.counters.reads_ok);
                if !self.card_present {
                    self.card_present = true;
                    self.emit(ReaderEvent::CardPresented(card));
                }
            }
            Outcome::NoCard => {
                self.set_state(DeviceState::Ready);
                self.card_gone();
            }
            Outcome::DeviceError(status) if is_sam_fault(status) => {
                self.set_state(DeviceState::Fault(status));
                self.card_gone();
            }
            Outcome::DeviceError(status) => {
                self.set_state(DeviceState::Ready);
                Counters::bump(&self.counters.reads_failed);
                if !self.card_present {
                    self.emit(ReaderEvent::ReadFailed(ReadFailure::ReplaceCard(status)));
                }
            }
            Outcome::Unparseable(why) => {
                self.set_state(DeviceState::Ready);
                Counters::bump(&self.counters.reads_failed);
                if !self.card_present {
                    self.emit(ReaderEvent::ReadFailed(ReadFailure::Unparseable(
                        why.to_string(),
                    )));
                }
            }
            Outcome::NoResponse(_) => {}
        }
    }

    fn card_gone(&mut self) {
        if self.card_present {
            self.card_present = false;
            self.emit(ReaderEvent::CardRemoved);
        }
    }

    fn set_state(&mut self, state: DeviceState) {
        if self.state != Some(state) {
            self.state = Some(state);
            self.emit(ReaderEvent::State(state));
        }
    }

    fn emit(&mut self, event: ReaderEvent) {
        if self.tx.send(event).is_err() {
            // nobody listens any more: stop polling
            self.stop.store(true, Ordering::Relaxed);
        }
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Sleeps in short steps so a stop request is seen promptly.
    fn sleep(&self, total: Duration) {
        let until = Instant::now() + total;
        while !self.stopped() {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            std::thread::sleep(left.min(Duration::from_millis(20)));
        }
    }
}

/// SAM faults that need a technician rather than a re-placed card (§5: `60`, `66`).
fn is_sam_fault(status: Status) -> bool {
    status.class() == StatusClass::SamFault
}
