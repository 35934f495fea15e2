//! The simulator served over TCP (port 9100 style): every connection's bytes go to one shared
//! [`Device`], its answers go back. Paper and cover are toggled through the shared handle
//! (the dev dock's job).

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use std::io;
use std::time::Duration;

use crate::device::Device;
use crate::link::Link;

/// A shared simulated printer.
pub type SharedDevice = Arc<Mutex<Device>>;

/// Serve `device` on `listener` in a background thread, one connection at a time, until the
/// listener fails. Returns the thread handle.
pub fn serve_tcp(listener: TcpListener, device: SharedDevice) -> JoinHandle<()> {
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else {
                return;
            };
            let mut buf = [0u8; 4096];
            loop {
                let n = match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let answers = match device.lock() {
                    Ok(mut d) => d.receive(&buf[..n]),
                    Err(_) => return,
                };
                if !answers.is_empty() && stream.write_all(&answers).is_err() {
                    break;
                }
            }
        }
    })
}

/// A link straight to a shared simulated printer, for the app's simulated devices: the dev
/// dock toggles paper and cover on the same [`SharedDevice`].
#[derive(Debug)]
pub struct SharedLink {
    device: SharedDevice,
    inbox: Vec<u8>,
}

impl SharedLink {
    /// A link to `device`.
    pub fn new(device: SharedDevice) -> SharedLink {
        SharedLink {
            device,
            inbox: Vec::new(),
        }
    }
}

fn poisoned() -> io::Error {
    io::Error::other("simulated printer poisoned")
}

impl Link for SharedLink {
    fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        let answers = self.device.lock().map_err(|_| poisoned())?.receive(bytes);
        self.inbox.extend(answers);
        Ok(())
    }

    fn receive(&mut self, buf: &mut [u8], _timeout: Duration) -> io::Result<usize> {
        Ok(crate::link::take_from(&mut self.inbox, buf))
    }

    fn discard_input(&mut self) -> io::Result<()> {
        self.inbox.clear();
        Ok(())
    }
}

/// A pseudo-terminal pair for the simulator: the host opens `path` like a serial printer.
pub struct Pty {
    /// The printer's end.
    pub master: Box<dyn serialport::SerialPort>,
    /// The path the host opens (`/dev/pts/N`).
    pub path: String,
    // the slave end, held open so the pty lives as long as this value
    _slave: serialport::TTYPort,
}

impl std::fmt::Debug for Pty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pty({})", self.path)
    }
}

/// Opens a new pty pair.
pub fn open_pty() -> io::Result<Pty> {
    let (master, slave) = serialport::TTYPort::pair().map_err(io::Error::from)?;
    let path = serialport::SerialPort::name(&slave)
        .ok_or_else(|| io::Error::other("the pty has no name"))?;
    Ok(Pty {
        master: Box::new(master),
        path,
        _slave: slave,
    })
}

/// Serve `device` on a serial port (the master end of a [`Pty`]) in a background thread
/// until the port fails.
pub fn serve_serial(
    mut port: Box<dyn serialport::SerialPort>,
    device: SharedDevice,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        let _ = port.set_timeout(Duration::from_millis(50));
        let mut buf = [0u8; 4096];
        loop {
            let n = match port.read(&mut buf) {
                Ok(0) => continue,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::TimedOut => continue,
                Err(_) => return,
            };
            let answers = match device.lock() {
                Ok(mut d) => d.receive(&buf[..n]),
                Err(_) => return,
            };
            if !answers.is_empty() && (port.write_all(&answers).is_err() || port.flush().is_err()) {
                return;
            }
        }
    })
}
