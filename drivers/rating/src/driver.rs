//! The pad driver: one thread that owns the [`Link`] and runs a [`HostSession`] over it.
//!
//! The thread feeds received bytes and the time into the session, writes what the session
//! sends, and forwards its [`PadEvent`]s on a tokio channel. Commands (LEDs, prompts) come in
//! through [`Driver::set_leds`] / [`Driver::play`]. A link that fails (unplugged adapter,
//! closed pty) is reopened every `reconnect_interval`; the session then asks the pad afresh.
//! A partial frame with no byte for `inter_byte_timeout` is dropped, so a false start in
//! garbage never holds up the next frame. Counters are kept for the health endpoint and the
//! maintenance menu.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::host::{Command, HostSession, PadEvent, SessionConfig, SessionStats};
use crate::link::{Link, SerialLink};
use crate::message::{Leds, Prompt};

/// The pad's serial speed (PROTOCOL.md §1: 9600 8N1).
pub const DEFAULT_BAUD: u32 = 9600;

/// Driver settings.
#[derive(Debug, Clone, Copy)]
pub struct DriverConfig {
    /// The protocol timing (ping, fault, ACK, repeat window).
    pub session: SessionConfig,
    /// Time between attempts to reopen a lost link.
    pub reconnect_interval: Duration,
    /// A partial frame with no new byte for this long is dropped (at 9600 baud a whole
    /// 36-byte frame takes 38 ms).
    pub inter_byte_timeout: Duration,
    /// The longest the thread waits for bytes before it looks at commands and timers.
    pub poll_interval: Duration,
}

impl Default for DriverConfig {
    /// The session defaults, reopen every second, 100 ms inter-byte timeout, 20 ms poll.
    fn default() -> Self {
        Self {
            session: SessionConfig::default(),
            reconnect_interval: Duration::from_secs(1),
            inter_byte_timeout: Duration::from_millis(100),
            poll_interval: Duration::from_millis(20),
        }
    }
}

/// The driver's counters, shared with whoever reports health.
#[derive(Debug, Default)]
pub struct Counters {
    frames: AtomicU64,
    bad_frames: AtomicU64,
    keys: AtomicU64,
    duplicate_keys: AtomicU64,
    reconnects: AtomicU64,
    naks_sent: AtomicU64,
    commands_failed: AtomicU64,
}

/// A snapshot of [`Counters`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CounterValues {
    /// Good frames received.
    pub frames: u64,
    /// Damaged or unusable frames received.
    pub bad_frames: u64,
    /// Presses reported.
    pub keys: u64,
    /// Repeated KEY frames of a press already reported.
    pub duplicate_keys: u64,
    /// Times the link was reopened after being lost.
    pub reconnects: u64,
    /// NAKs sent for damaged frames.
    pub naks_sent: u64,
    /// LEDS / PROMPT never acknowledged or refused.
    pub commands_failed: u64,
}

impl Counters {
    /// The current values.
    pub fn snapshot(&self) -> CounterValues {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        CounterValues {
            frames: get(&self.frames),
            bad_frames: get(&self.bad_frames),
            keys: get(&self.keys),
            duplicate_keys: get(&self.duplicate_keys),
            reconnects: get(&self.reconnects),
            naks_sent: get(&self.naks_sent),
            commands_failed: get(&self.commands_failed),
        }
    }

    fn record(&self, stats: SessionStats) {
        let set = |c: &AtomicU64, v: u64| c.store(v, Ordering::Relaxed);
        set(&self.frames, stats.frames);
        set(&self.bad_frames, stats.bad_frames);
        set(&self.keys, stats.keys);
        set(&self.duplicate_keys, stats.duplicate_keys);
        set(&self.naks_sent, stats.naks_sent);
        set(
            &self.commands_failed,
            stats.commands_failed + stats.commands_refused,
        );
    }
}

/// Where the driver's events arrive (a tokio channel: the app's session task can await it,
/// a thread can poll it with `try_recv`).
pub type PadEvents = UnboundedReceiver<PadEvent>;

/// Opens the link; called again after the link is lost.
pub use serial_link::Opener;

/// An opener for a serial port path at a baud rate.
pub fn serial_opener(path: String, baud: u32) -> Opener {
    Box::new(move || Ok(Box::new(SerialLink::open(&path, baud)?) as Box<dyn Link>))
}

/// A running driver thread; stops when dropped.
pub struct Driver {
    stop: Arc<AtomicBool>,
    counters: Arc<Counters>,
    commands: Sender<Command>,
    thread: Option<JoinHandle<()>>,
}

impl Driver {
    /// Starts the driver on its own thread; events arrive on the returned receiver.
    pub fn spawn(opener: Opener, config: DriverConfig) -> (Driver, PadEvents) {
        let (tx, rx) = unbounded_channel();
        let (commands, command_rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let counters = Arc::new(Counters::default());
        let mut run = Loop {
            opener,
            config,
            session: HostSession::new(config.session),
            tx,
            commands: command_rx,
            stop: stop.clone(),
            counters: counters.clone(),
            ever_connected: false,
        };
        let thread = std::thread::Builder::new()
            .name("rating-driver".into())
            .spawn(move || run.run())
            .ok();
        (
            Driver {
                stop,
                counters,
                commands,
                thread,
            },
            rx,
        )
    }

    /// Asks the pad for something (delivered in order, resent until acknowledged).
    pub fn send(&self, command: Command) {
        // the thread ends only when this handle is dropped; a send to it cannot fail before
        let _ = self.commands.send(command);
    }

    /// Shows `leds` (and keeps them: they are restored after a reconnect or pad restart).
    pub fn set_leds(&self, leds: Leds) {
        self.send(Command::SetLeds(leds));
    }

    /// Plays a stored voice prompt once.
    pub fn play(&self, prompt: Prompt) {
        self.send(Command::Play(prompt));
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

struct Loop {
    opener: Opener,
    config: DriverConfig,
    session: HostSession,
    tx: UnboundedSender<PadEvent>,
    commands: Receiver<Command>,
    stop: Arc<AtomicBool>,
    counters: Arc<Counters>,
    ever_connected: bool,
}

impl Loop {
    fn run(&mut self) {
        while !self.stopped() {
            let mut link = match (self.opener)() {
                Ok(link) => link,
                Err(_) => {
                    self.session.link_down();
                    self.take_commands();
                    self.flush_events();
                    self.sleep(self.config.reconnect_interval);
                    continue;
                }
            };
            if self.ever_connected {
                self.counters.reconnects.fetch_add(1, Ordering::Relaxed);
            }
            self.ever_connected = true;
            self.session.link_up(Instant::now());
            // the link failed (or the driver stops): report it, then reopen
            let _ = self.serve(link.as_mut());
            self.session.link_down();
            self.flush_events();
            drop(link);
            self.sleep(self.config.reconnect_interval);
        }
    }

    /// Runs the session over one open link until it fails or the driver stops.
    fn serve(&mut self, link: &mut dyn Link) -> io::Result<()> {
        let mut buf = [0u8; 256];
        let mut last_byte = Instant::now();
        while !self.stopped() {
            let now = Instant::now();
            self.take_commands();
            self.session.tick(now);
            while let Some(frame) = self.session.poll_transmit() {
                link.send(&frame)?;
            }
            self.flush_events();
            let wait = self
                .session
                .next_wakeup()
                .map_or(self.config.poll_interval, |at| {
                    at.saturating_duration_since(now)
                })
                .min(self.config.poll_interval);
            let n = link.receive(&mut buf, wait)?;
            let now = Instant::now();
            if n > 0 {
                last_byte = now;
                self.session.push_bytes(&buf[..n], now);
            } else if self.session.buffered() > 0
                && now.saturating_duration_since(last_byte) >= self.config.inter_byte_timeout
            {
                self.session.abandon_partial(now);
            }
        }
        Ok(())
    }

    fn take_commands(&mut self) {
        let now = Instant::now();
        while let Ok(command) = self.commands.try_recv() {
            self.session.command(command, now);
        }
    }

    fn flush_events(&mut self) {
        self.counters.record(self.session.stats());
        while let Some(event) = self.session.poll_event() {
            if self.tx.send(event).is_err() {
                // nobody listens any more: stop
                self.stop.store(true, Ordering::Relaxed);
            }
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
