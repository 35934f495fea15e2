//! Real-time status, `DLE EOT n` (n = 1–4), both sides: request bytes, every bit of each
//! answer decoded into a typed value, the device's encoding of the same answers, and the
//! summary the driver acts on (`escpos.md` §3.3, §5 item 8).
//!
//! A missing answer is [`Health::Unknown`], never "ok".

/// Which status `DLE EOT n` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusRequest {
    /// n = 1: printer status (online/offline, drawer, FEED button).
    Printer,
    /// n = 2: offline cause (cover, FEED feeding, paper-end stop, error).
    Offline,
    /// n = 3: error cause (cutter, unrecoverable, auto-recoverable).
    Error,
    /// n = 4: roll paper sensors (near end, end).
    Paper,
}

impl StatusRequest {
    /// All four, in the order a driver asks them.
    pub const ALL: [StatusRequest; 4] = [
        StatusRequest::Printer,
        StatusRequest::Offline,
        StatusRequest::Error,
        StatusRequest::Paper,
    ];

    /// The `n` of `DLE EOT n`.
    pub fn n(self) -> u8 {
        match self {
            StatusRequest::Printer => 1,
            StatusRequest::Offline => 2,
            StatusRequest::Error => 3,
            StatusRequest::Paper => 4,
        }
    }

    /// Parse `n`; `None` outside 1–4.
    pub fn from_n(n: u8) -> Option<StatusRequest> {
        match n {
            1 => Some(StatusRequest::Printer),
            2 => Some(StatusRequest::Offline),
            3 => Some(StatusRequest::Error),
            4 => Some(StatusRequest::Paper),
            _ => None,
        }
    }

    /// The three request bytes `10 04 n` — without the trailing `00` the `escpos` crate adds
    /// (`escpos.md` §1.7, §5 item 7).
    pub fn bytes(self) -> [u8; 3] {
        [0x10, 0x04, self.n()]
    }
}

/// A status byte that breaks the fixed pattern `0xx1xx10` (a stale ASB byte, garbage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("status byte {byte:#04x} for DLE EOT {n} does not match 0xx1xx10")]
pub struct BadStatusByte {
    /// The request's n.
    pub n: u8,
    /// The byte received.
    pub byte: u8,
}

/// True when `b` has the fixed bits of a `DLE EOT` answer: bits 0, 7 clear; bits 1, 4 set.
pub fn is_status_byte(b: u8) -> bool {
    b & 0b1001_0011 == 0b0001_0010
}

fn bit(b: u8, n: u8) -> bool {
    b & (1 << n) != 0
}

fn check(n: u8, byte: u8) -> Result<u8, BadStatusByte> {
    if is_status_byte(byte) {
        Ok(byte)
    } else {
        Err(BadStatusByte { n, byte })
    }
}

const FIXED: u8 = 0b0001_0010;

/// Answer to `DLE EOT 1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PrinterStatus {
    /// Bit 2: drawer kick-out connector pin 3 is high.
    pub drawer_pin3_high: bool,
    /// Bit 3: the printer is offline.
    pub offline: bool,
    /// Bit 5: waiting for online recovery.
    pub waiting_recovery: bool,
    /// Bit 6: the FEED button is pressed.
    pub feed_button: bool,
}

impl PrinterStatus {
    /// Decode a `DLE EOT 1` answer.
    pub fn decode(byte: u8) -> Result<PrinterStatus, BadStatusByte> {
        let b = check(1, byte)?;
        Ok(PrinterStatus {
            drawer_pin3_high: bit(b, 2),
            offline: bit(b, 3),
            waiting_recovery: bit(b, 5),
            feed_button: bit(b, 6),
        })
    }

    /// The device side: the byte this status is answered with.
    pub fn encode(self) -> u8 {
        FIXED
            | u8::from(self.drawer_pin3_high) << 2
            | u8::from(self.offline) << 3
            | u8::from(self.waiting_recovery) << 5
            | u8::from(self.feed_button) << 6
    }
}

/// Answer to `DLE EOT 2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OfflineCause {
    /// Bit 2: the cover is open.
    pub cover_open: bool,
    /// Bit 3: paper is being fed by the FEED button.
    pub feeding: bool,
    /// Bit 5: printing stopped because the paper ran out.
    pub paper_end_stop: bool,
    /// Bit 6: an error occurred (ask `DLE EOT 3`).
    pub error: bool,
}

impl OfflineCause {
    /// Decode a `DLE EOT 2` answer.
    pub fn decode(byte: u8) -> Result<OfflineCause, BadStatusByte> {
        let b = check(2, byte)?;
        Ok(OfflineCause {
            cover_open: bit(b, 2),
            feeding: bit(b, 3),
            paper_end_stop: bit(b, 5),
            error: bit(b, 6),
        })
    }

    /// The device side: the byte this status is answered with.
    pub fn encode(self) -> u8 {
        FIXED
            | u8::from(self.cover_open) << 2
            | u8::from(self.feeding) << 3
            | u8::from(self.paper_end_stop) << 5
            | u8::from(self.error) << 6
    }
}

/// Answer to `DLE EOT 3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ErrorCause {
    /// Bit 2: recoverable error (model-dependent; SNBC: paper jam).
    pub recoverable: bool,
    /// Bit 3: autocutter error.
    pub autocutter: bool,
    /// Bit 5: unrecoverable error.
    pub unrecoverable: bool,
    /// Bit 6: auto-recoverable error (head too hot, cover opened while printing).
    pub auto_recoverable: bool,
}

impl ErrorCause {
    /// Decode a `DLE EOT 3` answer.
    pub fn decode(byte: u8) -> Result<ErrorCause, BadStatusByte> {
        let b = check(3, byte)?;
        Ok(ErrorCause {
            recoverable: bit(b, 2),
            autocutter: bit(b, 3),
            unrecoverable: bit(b, 5),
            auto_recoverable: bit(b, 6),
        })
    }

    /// The device side: the byte this status is answered with.
    pub fn encode(self) -> u8 {
        FIXED
            | u8::from(self.recoverable) << 2
            | u8::from(self.autocutter) << 3
            | u8::from(self.unrecoverable) << 5
            | u8::from(self.auto_recoverable) << 6
    }
}

/// Answer to `DLE EOT 4`.
///
/// The sheet gives "bits 2+3: near end (`0C`)" and "bits 5+6: paper end (`60`)"; a printer
/// may set only one bit of a pair, so either bit counts (the raw bits are kept too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PaperStatus {
    /// Bit 2: near-end sensor (first bit of the pair).
    pub near_end_bit2: bool,
    /// Bit 3: near-end sensor (second bit of the pair).
    pub near_end_bit3: bool,
    /// Bit 5: paper-end sensor (first bit of the pair).
    pub end_bit5: bool,
    /// Bit 6: paper-end sensor (second bit of the pair).
    pub end_bit6: bool,
}

impl PaperStatus {
    /// Decode a `DLE EOT 4` answer.
    pub fn decode(byte: u8) -> Result<PaperStatus, BadStatusByte> {
        let b = check(4, byte)?;
        Ok(PaperStatus {
            near_end_bit2: bit(b, 2),
            near_end_bit3: bit(b, 3),
            end_bit5: bit(b, 5),
            end_bit6: bit(b, 6),
        })
    }

    /// The status a printer reports for `near_end` / `out` (both bits of each pair set).
    pub fn from_sensors(near_end: bool, out: bool) -> PaperStatus {
        PaperStatus {
            near_end_bit2: near_end,
            near_end_bit3: near_end,
            end_bit5: out,
            end_bit6: out,
        }
    }

    /// Paper is near its end (either bit 2 or 3).
    pub fn near_end(self) -> bool {
        self.near_end_bit2 || self.near_end_bit3
    }

    /// Paper is out (either bit 5 or 6).
    pub fn out(self) -> bool {
        self.end_bit5 || self.end_bit6
    }

    /// The device side: the byte this status is answered with.
    pub fn encode(self) -> u8 {
        FIXED
            | u8::from(self.near_end_bit2) << 2
            | u8::from(self.near_end_bit3) << 3
            | u8::from(self.end_bit5) << 5
            | u8::from(self.end_bit6) << 6
    }
}

/// One decoded answer, or the fact that none came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// `DLE EOT 1`.
    Printer(PrinterStatus),
    /// `DLE EOT 2`.
    Offline(OfflineCause),
    /// `DLE EOT 3`.
    Error(ErrorCause),
    /// `DLE EOT 4`.
    Paper(PaperStatus),
    /// No answer (timeout, transport without read): unknown, never ok.
    Unknown(StatusRequest),
}

impl Reply {
    /// Decode the answer to `request`; `None` (no byte within the timeout) gives
    /// [`Reply::Unknown`].
    pub fn decode(request: StatusRequest, byte: Option<u8>) -> Result<Reply, BadStatusByte> {
        let Some(b) = byte else {
            return Ok(Reply::Unknown(request));
        };
        Ok(match request {
            StatusRequest::Printer => Reply::Printer(PrinterStatus::decode(b)?),
            StatusRequest::Offline => Reply::Offline(OfflineCause::decode(b)?),
            StatusRequest::Error => Reply::Error(ErrorCause::decode(b)?),
            StatusRequest::Paper => Reply::Paper(PaperStatus::decode(b)?),
        })
    }
}

/// The answers to all four requests; `None` where no (valid) answer came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Snapshot {
    /// `DLE EOT 1`.
    pub printer: Option<PrinterStatus>,
    /// `DLE EOT 2`.
    pub offline: Option<OfflineCause>,
    /// `DLE EOT 3`.
    pub error: Option<ErrorCause>,
    /// `DLE EOT 4`.
    pub paper: Option<PaperStatus>,
}

/// Why the printer cannot print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// Cover open.
    CoverOpen,
    /// Paper out (sensor or stop).
    PaperOut,
    /// Autocutter error.
    Cutter,
    /// Unrecoverable error: needs a technician or a power cycle.
    Unrecoverable,
    /// Auto-recoverable error (head temperature): wait.
    AutoRecoverable,
    /// Recoverable error (e.g. paper jam).
    Recoverable,
    /// Offline with no cause reported.
    Offline,
}

/// What the driver and the app act on (issue 4 §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// All four answers came and nothing is wrong.
    Ready,
    /// Prints, but raise an alert: paper near end.
    PaperNearEnd,
    /// Cannot print; every fault seen, most important first.
    Fault(Vec<Fault>),
    /// Some answer is missing and none of the others shows a fault: unknown, not ok.
    Unknown,
}

impl Snapshot {
    /// Store one reply.
    pub fn record(&mut self, reply: Reply) {
        match reply {
            Reply::Printer(s) => self.printer = Some(s),
            Reply::Offline(s) => self.offline = Some(s),
            Reply::Error(s) => self.error = Some(s),
            Reply::Paper(s) => self.paper = Some(s),
            Reply::Unknown(_) => {}
        }
    }

    /// The device's health from the answers that came.
    pub fn health(&self) -> Health {
        let mut faults = Vec::new();
        if self.offline.is_some_and(|o| o.cover_open) {
            faults.push(Fault::CoverOpen);
        }
        if self.paper.is_some_and(|p| p.out()) || self.offline.is_some_and(|o| o.paper_end_stop) {
            faults.push(Fault::PaperOut);
        }
        if let Some(e) = self.error {
            if e.autocutter {
                faults.push(Fault::Cutter);
            }
            if e.unrecoverable {
                faults.push(Fault::Unrecoverable);
            }
            if e.auto_recoverable {
                faults.push(Fault::AutoRecoverable);
            }
            if e.recoverable {
                faults.push(Fault::Recoverable);
            }
        }
        let offline =
            self.printer.is_some_and(|p| p.offline) || self.offline.is_some_and(|o| o.error);
        if offline && faults.is_empty() {
            faults.push(Fault::Offline);
        }
        if !faults.is_empty() {
            return Health::Fault(faults);
        }
        if self.printer.is_none()
            || self.offline.is_none()
            || self.error.is_none()
            || self.paper.is_none()
        {
            return Health::Unknown;
        }
        if self.paper.is_some_and(|p| p.near_end()) {
            return Health::PaperNearEnd;
        }
        Health::Ready
    }
}

/// The last byte of `input` that looks like a status answer, skipping XON/XOFF and anything
/// else (stale bytes, ASB frames are the caller's to drain first; `escpos.md` §3.3, §5 item 9).
pub fn last_status_byte(input: &[u8]) -> Option<u8> {
    input.iter().rev().copied().find(|b| is_status_byte(*b))
}
