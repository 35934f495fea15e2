//! The byte link to the printer: TCP 9100, a serial port with flow control, the kernel device
//! node (`/dev/usb/lp0`), or the simulated printer in memory. The driver is written against
//! [`Link`], so the same code runs against a real printer and the simulator.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::device::Device;

/// A bidirectional byte link with read timeouts.
pub trait Link: Send {
    /// Writes all of `bytes`.
    fn send(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Reads what arrives within `timeout` into `buf`; `Ok(0)` means nothing arrived.
    /// An error means the link is gone (unplugged, closed).
    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize>;
    /// Drops bytes already received and not read (stale status answers, `escpos.md` §3.3).
    fn discard_input(&mut self) -> io::Result<()>;
}

impl<L: Link + ?Sized> Link for Box<L> {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        (**self).send(bytes)
    }

    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        (**self).receive(buf, timeout)
    }

    fn discard_input(&mut self) -> io::Result<()> {
        (**self).discard_input()
    }
}

/// The kernel device file of the USB printer `vendor:product`, found through sysfs
/// (`{sys}/class/usbmisc/lpN/device/../idVendor`): `--usb VID:PID` and `usb:` addresses use
/// the usblp node rather than claiming the interface with a USB library, which would detach
/// usblp and break `/dev/usb/lp0` for everyone else (`escpos.md` §5 item 12). `sys` is `/sys`
/// on a terminal and a fake tree in tests.
pub fn usblp_path(
    sys: &std::path::Path,
    vendor: u16,
    product: u16,
) -> io::Result<std::path::PathBuf> {
    let class = sys.join("class/usbmisc");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&class)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with("lp") {
            continue;
        }
        // device -> the USB interface; its parent is the USB device with the ids
        let Ok(interface) = std::fs::canonicalize(entry.path().join("device")) else {
            continue;
        };
        let Some(usb_device) = interface.parent() else {
            continue;
        };
        let read_id = |f: &str| {
            std::fs::read_to_string(usb_device.join(f))
                .ok()
                .and_then(|t| u16::from_str_radix(t.trim(), 16).ok())
        };
        if read_id("idVendor") == Some(vendor) && read_id("idProduct") == Some(product) {
            found.push(name);
        }
    }
    found.sort();
    match found.first() {
        Some(name) => Ok(std::path::Path::new("/dev/usb").join(name)),
        None => Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no USB printer {vendor:04x}:{product:04x} bound to usblp"),
        )),
    }
}

/// A network printer on TCP port 9100.
#[derive(Debug)]
pub struct TcpLink {
    stream: TcpStream,
}

impl TcpLink {
    /// Connect with a timeout.
    pub fn connect(addr: impl ToSocketAddrs, timeout: Duration) -> io::Result<TcpLink> {
        let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
        for a in addr.to_socket_addrs()? {
            match TcpStream::connect_timeout(&a, timeout) {
                Ok(stream) => {
                    stream.set_nodelay(true)?;
                    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
                    return Ok(TcpLink { stream });
                }
                Err(e) => last = e,
            }
        }
        Err(last)
    }
}

impl Link for TcpLink {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)?;
        self.stream.flush()
    }

    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        self.stream
            .set_read_timeout(Some(timeout.max(Duration::from_millis(1))))?;
        match self.stream.read(buf) {
            Ok(0) => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "printer closed the connection",
            )),
            Ok(n) => Ok(n),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                Ok(0)
            }
            Err(e) => Err(e),
        }
    }

    fn discard_input(&mut self) -> io::Result<()> {
        let mut buf = [0u8; 256];
        while self.receive(&mut buf, Duration::from_millis(1))? > 0 {}
        Ok(())
    }
}

/// Serial flow control (`escpos.md` §3.9, §5 item 11): without it a fast host overruns the
/// printer's receive buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// DTR/DSR or RTS/CTS hardware handshake.
    Hardware,
    /// XON/XOFF.
    Software,
    /// None (only for printers that have none; keep chunks below the receive buffer).
    None,
}

/// A serial printer (RS-232, USB-CDC, or a pty to the simulator).
pub struct SerialLink {
    port: Box<dyn serialport::SerialPort>,
}

impl std::fmt::Debug for SerialLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SerialLink({:?})", self.port.name())
    }
}

impl SerialLink {
    /// A link over a port opened elsewhere (a pty end, a port with special settings).
    pub fn from_port(port: Box<dyn serialport::SerialPort>) -> SerialLink {
        SerialLink { port }
    }

    /// Open `path` at `baud` 8N1 with `flow` control.
    pub fn open(path: &str, baud: u32, flow: Flow) -> io::Result<SerialLink> {
        let port = serialport::new(path, baud)
            .data_bits(serialport::DataBits::Eight)
            .parity(serialport::Parity::None)
            .stop_bits(serialport::StopBits::One)
            .flow_control(match flow {
                Flow::Hardware => serialport::FlowControl::Hardware,
                Flow::Software => serialport::FlowControl::Software,
                Flow::None => serialport::FlowControl::None,
            })
            .timeout(Duration::from_millis(100))
            .open()
            .map_err(io::Error::from)?;
        Ok(SerialLink { port })
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

/// The simulated printer in memory, with link faults: unplug after n bytes, mute (never
/// answers status), stale bytes waiting in the input.
#[derive(Debug, Default)]
pub struct SimLink {
    /// The printer behind the link (set paper / cover through it).
    pub device: Device,
    inbox: Vec<u8>,
    /// Bytes the link accepts before it fails as if unplugged (`None`: never).
    pub unplug_after: Option<usize>,
    /// When set, status answers are swallowed (a transport that cannot read).
    pub mute: bool,
    /// The paper runs out once this many bytes have been written (`None`: never).
    pub paper_out_after: Option<usize>,
    written: usize,
}

impl SimLink {
    /// A link to `device`.
    pub fn new(device: Device) -> SimLink {
        SimLink {
            device,
            ..SimLink::default()
        }
    }

    /// Put bytes in the input as if the printer had sent them earlier (stale answers).
    pub fn inject_input(&mut self, bytes: &[u8]) {
        self.inbox.extend_from_slice(bytes);
    }

    fn unplugged() -> io::Error {
        io::Error::new(io::ErrorKind::BrokenPipe, "printer unplugged")
    }
}

impl Link for SimLink {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        let allowed = match self.unplug_after {
            Some(limit) => limit.saturating_sub(self.written).min(bytes.len()),
            None => bytes.len(),
        };
        let mut answers = Vec::new();
        let mut rest = &bytes[..allowed];
        if let Some(limit) = self.paper_out_after
            && self.written < limit
        {
            let n = (limit - self.written).min(rest.len());
            answers.extend(self.device.receive(&rest[..n]));
            rest = &rest[n..];
            if self.written + n >= limit {
                self.device.set_paper(crate::device::PaperSensor::Out);
            }
        }
        answers.extend(self.device.receive(rest));
        self.written += allowed;
        if !self.mute {
            self.inbox.extend(answers);
        }
        if allowed < bytes.len() {
            return Err(SimLink::unplugged());
        }
        Ok(())
    }

    fn receive(&mut self, buf: &mut [u8], _timeout: Duration) -> io::Result<usize> {
        if self.unplug_after.is_some_and(|l| self.written >= l) && self.inbox.is_empty() {
            return Err(SimLink::unplugged());
        }
        Ok(take_from(&mut self.inbox, buf))
    }

    fn discard_input(&mut self) -> io::Result<()> {
        self.inbox.clear();
        Ok(())
    }
}

/// Moves as many bytes as fit from the front of `inbox` into `buf`; returns how many. The
/// in-memory links' receive.
pub(crate) fn take_from(inbox: &mut Vec<u8>, buf: &mut [u8]) -> usize {
    let n = buf.len().min(inbox.len());
    buf[..n].copy_from_slice(&inbox[..n]);
    inbox.drain(..n);
    n
}

/// A printer behind a kernel device node, e.g. `/dev/usb/lp0` (Linux `usblp`; no USB library,
/// survives re-plug through a udev symlink — `escpos.md` §3.9, `deps.md` §3.2).
///
/// Reads block in the kernel, so a background thread reads and hands bytes over a channel;
/// [`Link::receive`] waits on the channel with its timeout. A read of 0 bytes means "nothing
/// from the printer yet" on usblp, not end of file.
#[derive(Debug)]
pub struct FileLink {
    file: std::fs::File,
    rx: std::sync::mpsc::Receiver<io::Result<Vec<u8>>>,
    pending: Vec<u8>,
    closed: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Drop for FileLink {
    fn drop(&mut self) {
        // the reader thread stops at its next poll (a blocked kernel read ends on unplug)
        self.closed
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

impl FileLink {
    /// Open `path` for reading and writing.
    pub fn open(path: &std::path::Path) -> io::Result<FileLink> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)?;
        let mut reader = file.try_clone()?;
        let (tx, rx) = std::sync::mpsc::channel();
        let closed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = closed.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 64];
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let msg = match reader.read(&mut buf) {
                    Ok(0) => {
                        std::thread::sleep(Duration::from_millis(10));
                        continue;
                    }
                    Ok(n) => Ok(buf[..n].to_vec()),
                    Err(e) => Err(e),
                };
                let failed = msg.is_err();
                if tx.send(msg).is_err() || failed {
                    return;
                }
            }
        });
        Ok(FileLink {
            file,
            rx,
            pending: Vec::new(),
            closed,
        })
    }
}

impl Link for FileLink {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)?;
        self.file.flush()
    }

    fn receive(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<usize> {
        if self.pending.is_empty() {
            match self.rx.recv_timeout(timeout) {
                Ok(Ok(bytes)) => self.pending = bytes,
                Ok(Err(e)) => return Err(e),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => return Ok(0),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(io::Error::new(
                        io::ErrorKind::BrokenPipe,
                        "printer device closed",
                    ));
                }
            }
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }

    fn discard_input(&mut self) -> io::Result<()> {
        self.pending.clear();
        while let Ok(msg) = self.rx.try_recv() {
            msg?;
        }
        Ok(())
    }
}
