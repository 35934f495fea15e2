//! The printer side of the codec, sans-IO: parses the ESC/POS stream we (and others) send, keeps
//! the printer's state (paper ok / near end / out, cover open, cutter error), answers
//! `DLE EOT` with the right bytes, and builds the [`Paper`] it would print.
//!
//! This is our reference decoder (`escpos.md` §4.3 item 1) and the core of the simulator. Bytes
//! go in with [`Device::receive`]; whatever the printer would send back comes out of it.

use crate::document::{QrLevel, Size};
use crate::raster::Raster;
use crate::status::{ErrorCause, OfflineCause, PaperStatus, PrinterStatus, StatusRequest};
use crate::text::{Align, decode_gb18030};

/// The paper roll as the sensors see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PaperSensor {
    /// Enough paper.
    #[default]
    Ok,
    /// Near-end sensor triggered: still prints.
    NearEnd,
    /// No paper: printing stops, received data waits in the buffer (`escpos.md` §5 item 10).
    Out,
}

/// One decoded text line.
#[derive(Clone, PartialEq, Eq)]
pub struct TextLine {
    /// The text, decoded from GB18030 in Chinese mode (ASCII otherwise; other bytes U+FFFD).
    pub text: String,
    /// Justification in force at the line's first character.
    pub align: Align,
    /// `GS !` / `ESC !` size at the line's first character.
    pub size: Size,
    /// Emphasis at the line's first character.
    pub bold: bool,
}

impl std::fmt::Debug for TextLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "TextLine({} chars, {:?}, {}x{}, bold {})",
            self.text.chars().count(),
            self.align,
            self.size.width,
            self.size.height,
            self.bold
        )
    }
}

/// What came out of the printer, top to bottom.
#[derive(Clone, PartialEq, Eq)]
pub enum PaperItem {
    /// A line of text (an empty line is a blank line feed).
    Text(TextLine),
    /// A QR code printed with `GS ( k` fn 181.
    Qr {
        /// The stored payload bytes (fn 180).
        payload: Vec<u8>,
        /// Model (49 = 1, 50 = 2).
        model: u8,
        /// Dots per module.
        module: u8,
        /// Error correction.
        level: QrLevel,
        /// Justification.
        align: Align,
    },
    /// A `GS v 0` raster band.
    Raster {
        /// The image.
        raster: Raster,
        /// Justification.
        align: Align,
    },
    /// Paper fed by `ESC d` (lines) or `ESC J` (dots, converted to whole dots).
    Feed {
        /// Dots fed.
        dots: u32,
    },
    /// A cut.
    Cut {
        /// Partial (one point left) rather than full.
        partial: bool,
    },
}

impl std::fmt::Debug for PaperItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PaperItem::Text(t) => t.fmt(f),
            PaperItem::Qr {
                payload, module, ..
            } => write!(f, "Qr({} bytes, module {module})", payload.len()),
            PaperItem::Raster { raster, align } => write!(f, "Raster({raster:?}, {align:?})"),
            PaperItem::Feed { dots } => write!(f, "Feed({dots})"),
            PaperItem::Cut { partial } => write!(f, "Cut(partial {partial})"),
        }
    }
}

/// The printed paper.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Paper {
    /// Items in print order.
    pub items: Vec<PaperItem>,
}

impl Paper {
    /// The text lines, in order.
    pub fn lines(&self) -> Vec<&TextLine> {
        self.items
            .iter()
            .filter_map(|i| match i {
                PaperItem::Text(t) => Some(t),
                _ => None,
            })
            .collect()
    }

    /// All text joined with `\n` (for "does the receipt say X" assertions).
    pub fn text(&self) -> String {
        self.lines()
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The QR payloads, in order.
    pub fn qr_payloads(&self) -> Vec<&[u8]> {
        self.items
            .iter()
            .filter_map(|i| match i {
                PaperItem::Qr { payload, .. } => Some(payload.as_slice()),
                _ => None,
            })
            .collect()
    }

    /// Number of cuts.
    pub fn cuts(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(i, PaperItem::Cut { .. }))
            .count()
    }

    /// Number of raster bands.
    pub fn rasters(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(i, PaperItem::Raster { .. }))
            .count()
    }
}

/// Counters the simulator exposes (issue 4 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeviceCounters {
    /// Bytes received.
    pub bytes: u64,
    /// Text lines printed.
    pub lines: u64,
    /// Cuts.
    pub cuts: u64,
    /// `DLE EOT` answers sent.
    pub status_answers: u64,
    /// Commands skipped because this decoder does not know them.
    pub unknown_commands: u64,
}

/// Height in dots of one `ESC d` line (default line spacing, 1/6 inch at 203 dpi).
pub const LINE_FEED_DOTS: u32 = 34;

#[derive(Debug, Clone, Copy)]
struct Mode {
    align: Align,
    size: Size,
    bold: bool,
    chinese: bool,
}

/// The simulated printer.
pub struct Device {
    chinese_default: bool,
    paper_sensor: PaperSensor,
    cover_open: bool,
    cutter_error: bool,
    pending: Vec<u8>,
    rt_tail: Vec<u8>,
    line: Vec<u8>,
    line_mode: Option<Mode>,
    mode: Mode,
    qr: QrState,
    paper: Paper,
    counters: DeviceCounters,
}

impl std::fmt::Debug for Device {
    // buffered bytes can hold a citizen's name: show states and sizes only
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("paper_sensor", &self.paper_sensor)
            .field("cover_open", &self.cover_open)
            .field("cutter_error", &self.cutter_error)
            .field("buffered", &self.pending.len())
            .field("paper", &self.paper)
            .field("counters", &self.counters)
            .finish()
    }
}

#[derive(Clone, Default)]
struct QrState {
    model: u8,
    module: u8,
    level: u8,
    data: Vec<u8>,
}

enum Step {
    /// Consumed this many bytes.
    Done(usize),
    /// Need more bytes.
    More,
}

impl Default for Device {
    fn default() -> Self {
        Device::new(true)
    }
}

impl Device {
    /// A printer with paper, cover closed. `chinese_default`: whether Chinese mode is on after
    /// power-up / `ESC @` (Chinese models: on; Japanese: off — `escpos.md` §2.3).
    pub fn new(chinese_default: bool) -> Device {
        let mode = Mode {
            align: Align::Left,
            size: Size::NORMAL,
            bold: false,
            chinese: chinese_default,
        };
        Device {
            chinese_default,
            paper_sensor: PaperSensor::Ok,
            cover_open: false,
            cutter_error: false,
            pending: Vec::new(),
            rt_tail: Vec::new(),
            line: Vec::new(),
            line_mode: None,
            mode,
            qr: QrState {
                model: 50,
                module: 3,
                level: 48,
                data: Vec::new(),
            },
            paper: Paper::default(),
            counters: DeviceCounters::default(),
        }
    }

    /// Set the paper sensor (dev dock, fault tests). Reloading paper resumes buffered data.
    pub fn set_paper(&mut self, sensor: PaperSensor) {
        self.paper_sensor = sensor;
        self.process();
    }

    /// Open or close the cover. Closing resumes buffered data.
    pub fn set_cover_open(&mut self, open: bool) {
        self.cover_open = open;
        self.process();
    }

    /// Raise or clear an autocutter error.
    pub fn set_cutter_error(&mut self, error: bool) {
        self.cutter_error = error;
    }

    /// The paper sensor state.
    pub fn paper_sensor(&self) -> PaperSensor {
        self.paper_sensor
    }

    /// Whether the cover is open.
    pub fn cover_open(&self) -> bool {
        self.cover_open
    }

    /// Whether the printer is stopped (paper out, cover open, cutter error).
    pub fn stopped(&self) -> bool {
        self.cover_open || self.paper_sensor == PaperSensor::Out || self.cutter_error
    }

    /// Bytes received but not yet printed (held while stopped, or an incomplete command).
    pub fn buffered(&self) -> usize {
        self.pending.len()
    }

    /// What has been printed so far.
    pub fn paper(&self) -> &Paper {
        &self.paper
    }

    /// Take the printed paper, leaving an empty roll.
    pub fn take_paper(&mut self) -> Paper {
        std::mem::take(&mut self.paper)
    }

    /// Counters.
    pub fn counters(&self) -> DeviceCounters {
        self.counters
    }

    /// The byte this printer answers to `DLE EOT n` right now.
    pub fn status_byte(&self, request: StatusRequest) -> u8 {
        let out = self.paper_sensor == PaperSensor::Out;
        let near = self.paper_sensor != PaperSensor::Ok;
        let error = self.cutter_error;
        match request {
            StatusRequest::Printer => PrinterStatus {
                drawer_pin3_high: false,
                offline: self.stopped(),
                waiting_recovery: false,
                feed_button: false,
            }
            .encode(),
            StatusRequest::Offline => OfflineCause {
                cover_open: self.cover_open,
                feeding: false,
                paper_end_stop: out,
                error,
            }
            .encode(),
            StatusRequest::Error => ErrorCause {
                recoverable: false,
                autocutter: self.cutter_error,
                unrecoverable: false,
                auto_recoverable: false,
            }
            .encode(),
            // the near-end sensor also sees no paper when the roll is out: 7E (escpos.md §3.3)
            StatusRequest::Paper => PaperStatus::from_sensors(near, out).encode(),
        }
    }

    /// Feed received bytes; returns the bytes the printer sends back (status answers).
    ///
    /// Real-time commands (`DLE EOT n`, `DLE ENQ 2`) are executed on receipt, even while the
    /// printer is stopped and even inside another command's data (`escpos.md` §3.3); the rest
    /// is buffered and printed only while the printer is not stopped.
    pub fn receive(&mut self, bytes: &[u8]) -> Vec<u8> {
        self.counters.bytes += bytes.len() as u64;
        let mut replies = Vec::new();
        let tail_len = self.rt_tail.len();
        let mut scan = std::mem::take(&mut self.rt_tail);
        scan.extend_from_slice(bytes);
        // index in `bytes` just after the last DLE ENQ 2, when one was seen
        let mut clear_from: Option<usize> = None;
        for i in 0..scan.len().saturating_sub(2) {
            if i + 2 < tail_len {
                continue; // already seen
            }
            if scan[i] == 0x10 {
                let n = scan[i + 2];
                match scan[i + 1] {
                    0x04 => {
                        if let Some(req) = StatusRequest::from_n(n) {
                            replies.push(self.status_byte(req));
                            self.counters.status_answers += 1;
                        }
                    }
                    0x05 if n == 2 => clear_from = Some((i + 3).saturating_sub(tail_len)),
                    _ => {}
                }
            }
        }
        let keep = scan.len().min(2);
        self.rt_tail = scan[scan.len() - keep..].to_vec();
        match clear_from {
            Some(from) => {
                // DLE ENQ 2: clear the buffers, then recover (escpos.md §3.4); what follows
                // the command in this chunk is new data
                self.pending.clear();
                self.line.clear();
                self.line_mode = None;
                self.pending
                    .extend_from_slice(bytes.get(from..).unwrap_or_default());
            }
            None => self.pending.extend_from_slice(bytes),
        }
        self.process();
        replies
    }

    /// Print a line still in the line buffer (end of job without a final LF).
    pub fn flush_line(&mut self) {
        if !self.line.is_empty() {
            self.print_line();
        }
    }

    fn process(&mut self) {
        let mut pos = 0;
        while pos < self.pending.len() && !self.stopped() {
            let buf = std::mem::take(&mut self.pending);
            let step = self.step(&buf[pos..]);
            self.pending = buf;
            match step {
                Step::Done(n) => pos += n.max(1),
                Step::More => break,
            }
        }
        self.pending.drain(..pos.min(self.pending.len()));
    }

    fn mode(&self) -> Mode {
        self.mode
    }

    fn set_mode(&mut self, f: impl FnOnce(&mut Mode)) {
        f(&mut self.mode);
    }

    fn print_line(&mut self) {
        let m = self.line_mode.unwrap_or(self.mode);
        let text = if m.chinese {
            decode_gb18030(&self.line)
        } else {
            self.line
                .iter()
                .map(|&b| if b < 0x80 { b as char } else { '\u{FFFD}' })
                .collect()
        };
        self.paper.items.push(PaperItem::Text(TextLine {
            text,
            align: m.align,
            size: m.size,
            bold: m.bold,
        }));
        self.counters.lines += 1;
        self.line.clear();
        self.line_mode = None;
    }

    fn step(&mut self, b: &[u8]) -> Step {
        let Some(&first) = b.first() else {
            return Step::More;
        };
        let at = |i: usize| b.get(i).copied();
        let need = |n: usize| if b.len() >= n { Some(n) } else { None };
        match first {
            0x0A => {
                self.print_line();
                Step::Done(1)
            }
            0x0D | 0x00 => Step::Done(1),
            0x09 => {
                self.push_text(b' ');
                Step::Done(1)
            }
            0x10 => match at(1) {
                None => Step::More,
                Some(0x04) | Some(0x05) => need(3).map_or(Step::More, Step::Done),
                Some(0x14) => need(5).map_or(Step::More, Step::Done),
                Some(_) => {
                    self.counters.unknown_commands += 1;
                    Step::Done(1)
                }
            },
            0x1B => self.esc(b),
            0x1C => self.fs(b),
            0x1D => self.gs(b),
            c if c < 0x20 => Step::Done(1),
            c => {
                self.push_text(c);
                Step::Done(1)
            }
        }
    }

    fn push_text(&mut self, c: u8) {
        if self.line.is_empty() {
            self.line_mode = Some(self.mode);
        }
        self.line.push(c);
    }

    fn esc(&mut self, b: &[u8]) -> Step {
        let Some(&c) = b.get(1) else {
            return Step::More;
        };
        let arg = b.get(2).copied();
        let one = |s: &mut Self, f: &dyn Fn(&mut Self, u8)| match arg {
            Some(n) => {
                f(s, n);
                Step::Done(3)
            }
            None => Step::More,
        };
        match c {
            b'@' => {
                self.line.clear();
                self.line_mode = None;
                let chinese = self.chinese_default;
                self.set_mode(|m| {
                    *m = Mode {
                        align: Align::Left,
                        size: Size::NORMAL,
                        bold: false,
                        chinese,
                    }
                });
                Step::Done(2)
            }
            b'a' => one(self, &|s, n| s.set_mode(|m| m.align = Align::from_code(n))),
            b'E' => one(self, &|s, n| s.set_mode(|m| m.bold = n & 1 == 1)),
            b'!' => one(self, &|s, n| {
                s.set_mode(|m| {
                    m.bold = n & 0x08 != 0;
                    m.size = Size {
                        width: if n & 0x20 != 0 { 2 } else { 1 },
                        height: if n & 0x10 != 0 { 2 } else { 1 },
                    };
                })
            }),
            b'd' => one(self, &|s, n| {
                s.flush_line();
                s.paper.items.push(PaperItem::Feed {
                    dots: u32::from(n) * LINE_FEED_DOTS,
                });
            }),
            b'J' => one(self, &|s, n| {
                s.flush_line();
                s.paper.items.push(PaperItem::Feed { dots: u32::from(n) });
            }),
            b'2' => Step::Done(2),
            b'3' | b'-' | b't' | b'R' | b'G' | b'M' | b'V' | b'{' | b'e' | b'U' | b' ' | b'c'
            | b'r' | b'S' | b'T' | b'L' => {
                if c == b'c' {
                    // ESC c 3 n / ESC c 4 n / ESC c 5 n
                    return if b.len() >= 4 {
                        Step::Done(4)
                    } else {
                        Step::More
                    };
                }
                if c == b'S' || c == b'L' {
                    return Step::Done(2);
                }
                if b.len() >= 3 {
                    Step::Done(3)
                } else {
                    Step::More
                }
            }
            b'p' => {
                if b.len() >= 5 {
                    Step::Done(5)
                } else {
                    Step::More
                }
            }
            b'$' | b'\\' => {
                if b.len() >= 4 {
                    Step::Done(4)
                } else {
                    Step::More
                }
            }
            b'*' => {
                // ESC * m nL nH d…: 8-dot modes 1 byte per column, 24-dot modes 3
                let (Some(m), Some(nl), Some(nh)) = (b.get(2), b.get(3), b.get(4)) else {
                    return Step::More;
                };
                let cols = usize::from(*nl) + 256 * usize::from(*nh);
                let k = if *m >= 32 { cols * 3 } else { cols };
                if b.len() >= 5 + k {
                    self.counters.unknown_commands += 1;
                    Step::Done(5 + k)
                } else {
                    Step::More
                }
            }
            b'D' | b'B' => match b[2..].iter().position(|&x| x == 0) {
                Some(p) => Step::Done(3 + p),
                None => Step::More,
            },
            _ => {
                self.counters.unknown_commands += 1;
                Step::Done(2)
            }
        }
    }

    fn fs(&mut self, b: &[u8]) -> Step {
        let Some(&c) = b.get(1) else {
            return Step::More;
        };
        match c {
            b'&' => {
                self.set_mode(|m| m.chinese = true);
                Step::Done(2)
            }
            b'.' => {
                self.set_mode(|m| m.chinese = false);
                Step::Done(2)
            }
            b'!' => match b.get(2) {
                Some(&n) => {
                    // FS ! n: bit 2 double width, bit 3 double height (escpos.md §3.1)
                    self.set_mode(|m| {
                        m.size = Size {
                            width: if n & 0x04 != 0 { 2 } else { 1 },
                            height: if n & 0x08 != 0 { 2 } else { 1 },
                        }
                    });
                    Step::Done(3)
                }
                None => Step::More,
            },
            b'W' => match b.get(2) {
                Some(&n) => {
                    let k = if n & 1 == 1 { 2 } else { 1 };
                    self.set_mode(|m| {
                        m.size = Size {
                            width: k,
                            height: k,
                        }
                    });
                    Step::Done(3)
                }
                None => Step::More,
            },
            b'-' | b'C' | b'2' => {
                if b.len() >= 3 {
                    Step::Done(3)
                } else {
                    Step::More
                }
            }
            b'S' | b'p' => {
                if b.len() >= 4 {
                    Step::Done(4)
                } else {
                    Step::More
                }
            }
            b'(' => paren(b).map_or(Step::More, |(_, _, len)| Step::Done(5 + len)),
            _ => {
                self.counters.unknown_commands += 1;
                Step::Done(2)
            }
        }
    }

    fn gs(&mut self, b: &[u8]) -> Step {
        let Some(&c) = b.get(1) else {
            return Step::More;
        };
        match c {
            b'!' => match b.get(2) {
                Some(&n) => {
                    self.set_mode(|m| m.size = Size::from_gs_bang(n));
                    Step::Done(3)
                }
                None => Step::More,
            },
            b'V' => {
                let Some(&m) = b.get(2) else {
                    return Step::More;
                };
                let len = if matches!(m, 65 | 66 | 97 | 98 | 103 | 104) {
                    4
                } else {
                    3
                };
                if b.len() < len {
                    return Step::More;
                }
                self.flush_line();
                let partial = matches!(m, 1 | 49 | 66 | 98 | 104);
                self.paper.items.push(PaperItem::Cut { partial });
                self.counters.cuts += 1;
                Step::Done(len)
            }
            b'v' => {
                if b.len() < 8 {
                    return Step::More;
                }
                let xb = usize::from(b[4]) + 256 * usize::from(b[5]);
                let h = usize::from(b[6]) + 256 * usize::from(b[7]);
                let len = xb * h;
                if b.len() < 8 + len {
                    return Step::More;
                }
                if b[2] != b'0' {
                    self.counters.unknown_commands += 1;
                    return Step::Done(2);
                }
                self.flush_line();
                let bits = b[8..8 + len].to_vec();
                if let Some(raster) = Raster::from_bits((xb * 8) as u32, h as u32, bits) {
                    let align = self.mode().align;
                    self.paper.items.push(PaperItem::Raster { raster, align });
                }
                Step::Done(8 + len)
            }
            b'(' => {
                let Some((fc, params, len)) = paren(b) else {
                    return Step::More;
                };
                if fc == b'k' {
                    self.qr_fn(params);
                } else {
                    self.counters.unknown_commands += 1;
                }
                Step::Done(5 + len)
            }
            b'8' => {
                // GS 8 L p1 p2 p3 p4 m fn …: 4-byte length
                if b.len() < 7 {
                    return Step::More;
                }
                let len = b[3..7].iter().rev().fold(0usize, |acc, &x| {
                    acc.saturating_mul(256).saturating_add(x.into())
                });
                self.counters.unknown_commands += 1;
                match 7usize.checked_add(len) {
                    Some(total) if b.len() >= total => Step::Done(total),
                    _ => Step::More,
                }
            }
            b'k' => {
                // barcodes: m 0–6 NUL-terminated, m 65–73 with a length byte
                let Some(&m) = b.get(2) else {
                    return Step::More;
                };
                self.counters.unknown_commands += 1;
                if m <= 6 {
                    match b[3..].iter().position(|&x| x == 0) {
                        Some(p) => Step::Done(4 + p),
                        None => Step::More,
                    }
                } else {
                    match b.get(3) {
                        Some(&n) if b.len() >= 4 + usize::from(n) => Step::Done(4 + usize::from(n)),
                        _ => Step::More,
                    }
                }
            }
            b'L' | b'W' | b'P' | b'$' | b'\\' => {
                if b.len() >= 4 {
                    Step::Done(4)
                } else {
                    Step::More
                }
            }
            b'B' | b'a' | b'r' | b'H' | b'h' | b'w' | b'f' | b'b' | b'I' | b'E' | b'/' | b'^' => {
                if b.len() >= 3 {
                    Step::Done(3)
                } else {
                    Step::More
                }
            }
            _ => {
                self.counters.unknown_commands += 1;
                Step::Done(2)
            }
        }
    }

    fn qr_fn(&mut self, params: &[u8]) {
        // params = cn fn data…; cn 49 is QR
        let (Some(&cn), Some(&f)) = (params.first(), params.get(1)) else {
            return;
        };
        if cn != 49 {
            self.counters.unknown_commands += 1;
            return;
        }
        let data = &params[2..];
        match f {
            65 => {
                if let Some(&n) = data.first() {
                    self.qr.model = n;
                }
            }
            67 => {
                if let Some(&n) = data.first() {
                    self.qr.module = n;
                }
            }
            69 => {
                if let Some(&n) = data.first() {
                    self.qr.level = n;
                }
            }
            80 => self.qr.data = data.get(1..).unwrap_or_default().to_vec(),
            81 => {
                self.flush_line();
                let align = self.mode().align;
                self.paper.items.push(PaperItem::Qr {
                    payload: self.qr.data.clone(),
                    model: self.qr.model,
                    module: self.qr.module,
                    level: QrLevel::from_code(self.qr.level),
                    align,
                });
            }
            _ => {}
        }
    }
}

/// `X ( c pL pH …`: returns (c, parameter bytes, parameter length) when complete.
fn paren(b: &[u8]) -> Option<(u8, &[u8], usize)> {
    if b.len() < 5 {
        return None;
    }
    let len = usize::from(b[3]) + 256 * usize::from(b[4]);
    let params = b.get(5..5 + len)?;
    Some((b[2], params, len))
}
