//! The byte link between a host and a serial device: a serial port (or pty), or an in-memory
//! duplex.
//!
//! The driver and the simulator are written against [`Link`], so the same driver code runs
//! against a real device, a simulator on a pseudo-terminal, and a simulator in memory.

use std::io::{self, Read, Write};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// A bidirectional byte link with read timeouts.
pub trait Link: Send {
    /// Writes all of `bytes`.
    fn send(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Reads what arrives within `timeout` into `buf`; `Ok(0)` means nothing arrived.
    /// An error means the link is gone (unplugged, closed).
    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize>;
    /// Drops bytes already received and not read (stale answers after a timeout).
    fn discard_input(&mut self) -> io::Result<()>;
}

/// A serial port (USB-serial adapter, real UART or pty) as a [`Link`].
pub struct SerialLink {
    port: Box<dyn serialport::SerialPort>,
}

impl SerialLink {
    /// Opens `path` at `baud`, 8N1, no flow control (the ID-card fact sheet §2; the rating
    /// pad's PROTOCOL.md §1).
    pub fn open(path: &str, baud: u32) -> io::Result<Self> {
        let port = serialport::new(path, baud)
            .data_bits(serialport::DataBits::Eight)
            .parity(serialport::Parity::None)
            .stop_bits(serialport::StopBits::One)
            .flow_control(serialport::FlowControl::None)
            .timeout(Duration::from_millis(100))
            .open()
            .map_err(io::Error::from)?;
        Ok(Self { port })
    }

    /// Wraps an already open port (e.g. one end of `TTYPort::pair()`).
    pub fn from_port(port: Box<dyn serialport::SerialPort>) -> Self {
        Self { port }
    }
}

impl Link for SerialLink {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.port.write_all(bytes)?;
        self.port.flush()
    }

    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        self.port
            .set_timeout(timeout.max(Duration::from_millis(1)))
            .map_err(io::Error::from)?;
        match self.port.read(buf) {
            Ok(0) => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "serial link closed",
            )),
            Ok(n) => Ok(n),
            Err(e) if e.kind() == io::ErrorKind::TimedOut => Ok(0),
            Err(e) => Err(e),
        }
    }

    fn discard_input(&mut self) -> io::Result<()> {
        self.port
            .clear(serialport::ClearBuffer::Input)
            .map_err(io::Error::from)
    }
}

/// One end of an in-memory duplex (see [`duplex`]). Dropping one end makes the other's
/// reads and writes fail, as an unplugged cable does.
pub struct DuplexEnd {
    tx: Sender<Vec<u8>>,
    rx: Receiver<Vec<u8>>,
    pending: Vec<u8>,
}

/// Two connected in-memory ends: what one sends, the other receives.
pub fn duplex() -> (DuplexEnd, DuplexEnd) {
    let (a_tx, b_rx) = mpsc::channel();
    let (b_tx, a_rx) = mpsc::channel();
    (
        DuplexEnd {
            tx: a_tx,
            rx: a_rx,
            pending: Vec::new(),
        },
        DuplexEnd {
            tx: b_tx,
            rx: b_rx,
            pending: Vec::new(),
        },
    )
}

fn gone() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "the other end is gone")
}

impl Link for DuplexEnd {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.tx.send(bytes.to_vec()).map_err(|_| gone())
    }

    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        if self.pending.is_empty() {
            let deadline = Instant::now() + timeout;
            match self
                .rx
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            {
                Ok(bytes) => self.pending = bytes,
                Err(RecvTimeoutError::Timeout) => return Ok(0),
                Err(RecvTimeoutError::Disconnected) => return Err(gone()),
            }
        }
        let n = self.pending.len().min(buf.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }

    fn discard_input(&mut self) -> io::Result<()> {
        self.pending.clear();
        loop {
            match self.rx.try_recv() {
                Ok(_) => {}
                Err(mpsc::TryRecvError::Empty) => return Ok(()),
                Err(mpsc::TryRecvError::Disconnected) => return Err(gone()),
            }
        }
    }
}
