//! Serving a simulated device: on its own thread over any [`Link`], on a pseudo-terminal the
//! host opens like a real port, or behind an in-memory cable that can be pulled and plugged.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use crate::Opener;
use crate::link::{Link, SerialLink, duplex};

/// A simulated device: answers what arrives on a link until told to stop. Cloning shares the
/// device (a handle), so every connection of a [`DuplexPlug`] serves the same one.
pub trait Serve: Clone + Send + 'static {
    /// The name of its serving threads.
    const THREAD_NAME: &'static str;
    /// Serves `link` until `stop` is set or the link fails.
    fn serve(&self, link: &mut dyn Link, stop: &AtomicBool) -> io::Result<()>;
}

/// A simulator serving a link on its own thread; stops when dropped.
pub struct SimThread {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl SimThread {
    /// Serves `link` with `device` until dropped.
    pub fn spawn<S: Serve>(mut link: Box<dyn Link>, device: S) -> io::Result<SimThread> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name(S::THREAD_NAME.into())
            .spawn(move || device.serve(link.as_mut(), &flag))?;
        Ok(SimThread {
            stop,
            thread: Some(thread),
        })
    }

    /// Stops serving and closes the link (to the host, an unplugged device).
    pub fn unplug(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for SimThread {
    fn drop(&mut self) {
        self.halt();
    }
}

/// A pseudo-terminal pair: the simulator keeps the master, the host opens `path`.
pub struct Pty {
    /// The device side, for [`SimThread::spawn`].
    pub master: SerialLink,
    /// The path the host opens (`/dev/pts/N`).
    pub path: String,
    /// The slave end, held open so the pty lives as long as this value.
    _slave: serialport::TTYPort,
}

/// Opens a pseudo-terminal pair for a simulator.
pub fn open_pty() -> io::Result<Pty> {
    let (master, slave) = serialport::TTYPort::pair().map_err(io::Error::from)?;
    let path = serialport::SerialPort::name(&slave)
        .ok_or_else(|| io::Error::other("the pty has no name"))?;
    Ok(Pty {
        master: SerialLink::from_port(Box::new(master)),
        path,
        _slave: slave,
    })
}

/// Connects a driver to a simulator over in-memory links, as a cable would: every time the
/// driver opens its port, a new duplex is served by `sim`. Unplugging stops the serving
/// threads (the driver's link fails) and refuses opens until plugged back in.
#[derive(Clone)]
pub struct DuplexPlug<S: Serve> {
    sim: S,
    servers: Arc<Mutex<Vec<SimThread>>>,
    unplugged: Arc<AtomicBool>,
}

impl<S: Serve> DuplexPlug<S> {
    /// A plugged-in cable to `sim`.
    pub fn new(sim: S) -> Self {
        Self {
            sim,
            servers: Arc::default(),
            unplugged: Arc::default(),
        }
    }

    fn servers(&self) -> MutexGuard<'_, Vec<SimThread>> {
        self.servers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The driver's opener for this cable.
    pub fn opener(&self) -> Opener {
        let plug = self.clone();
        Box::new(move || {
            if plug.unplugged.load(Ordering::Relaxed) {
                return Err(io::Error::new(io::ErrorKind::NotFound, "unplugged"));
            }
            let (host, device) = duplex();
            let serving = SimThread::spawn(Box::new(device), plug.sim.clone())?;
            plug.servers().push(serving);
            Ok(Box::new(host) as Box<dyn Link>)
        })
    }

    /// Pulls the cable: serving stops and the port cannot be reopened.
    pub fn unplug(&self) {
        self.unplugged.store(true, Ordering::Relaxed);
        for server in self.servers().drain(..) {
            server.unplug();
        }
    }

    /// Plugs the cable back in.
    pub fn plug(&self) {
        self.unplugged.store(false, Ordering::Relaxed);
    }
}
