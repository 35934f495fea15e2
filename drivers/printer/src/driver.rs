//! The printer driver: runs [`JobRun`] over a [`Link`], reads status, reconnects after an
//! unplug, and keeps counters (issue 4 §3–4; DESIGN.md principle 3).

use std::io;
use std::time::Duration;

use crate::job::{Action, Job, JobRun, Outcome};
use crate::link::Link;
use crate::status::{Fault, Health, Reply, Snapshot, StatusRequest};

/// Per-device statistics for the maintenance menu and the health endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counters {
    /// Jobs started.
    pub jobs: u64,
    /// Jobs that ended [`Outcome::Failed`].
    pub jobs_failed: u64,
    /// Lines sent (line feeds in printed jobs).
    pub lines: u64,
    /// Cuts sent in printed jobs.
    pub cuts: u64,
    /// Times paper near end was seen (transitions into the state).
    pub paper_low_events: u64,
    /// Times paper out was seen (transitions into the state).
    pub paper_out_events: u64,
    /// Link errors (unplug, closed connection).
    pub errors: u64,
    /// Successful reconnects.
    pub reconnects: u64,
}

/// Why the driver could not talk to the printer.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// The link failed (and will be reopened on the next call).
    #[error("printer link: {0}")]
    Link(#[from] io::Error),
}

/// `DLE ENQ 2`: real-time "clear the buffers, then recover" (`escpos.md` §3.4). Epson's
/// `DLE DC4 fn 8` is the alternative on models without it (not sent yet).
pub const RECOVER_CLEAR: [u8; 3] = [0x10, 0x05, 0x02];

type Connector<L> = Box<dyn FnMut() -> io::Result<L> + Send>;

/// A printer over a link that it opens, and reopens after a failure, with `connect`.
pub struct Driver<L: Link> {
    connect: Connector<L>,
    link: Option<L>,
    chunk: usize,
    timeout: Duration,
    counters: Counters,
    last_near_end: bool,
    last_out: bool,
}

impl<L: Link> std::fmt::Debug for Driver<L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Driver")
            .field("connected", &self.link.is_some())
            .field("counters", &self.counters)
            .finish()
    }
}

impl<L: Link> Driver<L> {
    /// A driver that connects lazily with `connect`; jobs are sent in `chunk`-byte pieces and
    /// each status byte is awaited for `timeout`.
    pub fn new(
        connect: impl FnMut() -> io::Result<L> + Send + 'static,
        chunk: usize,
        timeout: Duration,
    ) -> Driver<L> {
        Driver {
            connect: Box::new(connect),
            link: None,
            chunk,
            timeout,
            counters: Counters::default(),
            last_near_end: false,
            last_out: false,
        }
    }

    /// Counters so far.
    pub fn counters(&self) -> Counters {
        self.counters
    }

    /// The open link, if any (tests reach the simulator through it).
    pub fn link_mut(&mut self) -> Option<&mut L> {
        self.link.as_mut()
    }

    fn link(&mut self) -> io::Result<&mut L> {
        if self.link.is_none() {
            let l = (self.connect)()?;
            if self.counters.errors > 0 {
                self.counters.reconnects += 1;
            }
            self.link = Some(l);
        }
        self.link
            .as_mut()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotConnected, "no link"))
    }

    fn fail<T>(&mut self, e: io::Error) -> Result<T, DriverError> {
        self.link = None;
        self.counters.errors += 1;
        Err(DriverError::Link(e))
    }

    fn ask(&mut self, req: StatusRequest) -> io::Result<Option<u8>> {
        let timeout = self.timeout;
        let link = self.link()?;
        link.send(&req.bytes())?;
        let mut b = [0u8; 1];
        // skip XON/XOFF and anything else that is not a status byte (escpos.md §5 item 9)
        loop {
            match link.receive(&mut b, timeout)? {
                0 => return Ok(None),
                _ if crate::status::is_status_byte(b[0]) => return Ok(Some(b[0])),
                _ => continue,
            }
        }
    }

    fn note(&mut self, snap: &Snapshot) {
        let near = snap.paper.is_some_and(|p| p.near_end());
        let out = matches!(snap.health(), Health::Fault(ref f) if f.contains(&Fault::PaperOut));
        if near && !self.last_near_end {
            self.counters.paper_low_events += 1;
        }
        if out && !self.last_out {
            self.counters.paper_out_events += 1;
        }
        self.last_near_end = near;
        self.last_out = out;
    }

    /// Ask all four statuses (after dropping stale input).
    pub fn status(&mut self) -> Result<Snapshot, DriverError> {
        let res = (|| -> io::Result<Snapshot> {
            self.link()?.discard_input()?;
            let mut snap = Snapshot::default();
            for req in StatusRequest::ALL {
                let byte = self.ask(req)?;
                snap.record(Reply::decode(req, byte).unwrap_or(Reply::Unknown(req)));
            }
            Ok(snap)
        })();
        match res {
            Ok(s) => {
                self.note(&s);
                Ok(s)
            }
            Err(e) => self.fail(e),
        }
    }

    /// Print `job`: status before, chunks with a status check after each, status after.
    /// A link failure mid-job is an error (the job's fate is unknown; reprint as 补打).
    pub fn print(&mut self, job: Job) -> Result<Outcome, DriverError> {
        self.counters.jobs += 1;
        let lines = job.bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        let cuts = job.bytes.windows(2).filter(|w| w == &[0x1D, 0x56]).count() as u64;
        let mut run = JobRun::new(job, self.chunk);
        let mut snap = Snapshot::default();
        let res = (|| -> io::Result<Outcome> {
            self.link()?.discard_input()?;
            loop {
                match run.next_action() {
                    Action::Send(bytes) => {
                        self.link()?.send(&bytes)?;
                        snap = Snapshot::default();
                    }
                    Action::Query(req) => {
                        let byte = self.ask(req)?;
                        snap.record(Reply::decode(req, byte).unwrap_or(Reply::Unknown(req)));
                        run.on_status(byte);
                    }
                    Action::Done(o) => return Ok(o),
                }
            }
        })();
        self.note(&snap);
        match res {
            Ok(o) => {
                match &o {
                    Outcome::Printed { .. } => {
                        self.counters.lines += lines;
                        self.counters.cuts += cuts;
                    }
                    Outcome::Failed { sent, .. } => {
                        self.counters.jobs_failed += 1;
                        if *sent > 0 {
                            // drop the rest of the receipt waiting in the printer, so reloading
                            // paper does not resume it mid-receipt (escpos.md §5 item 10); the
                            // caller reprints the whole job as 补打
                            if let Err(e) = self.link()?.send(&RECOVER_CLEAR) {
                                return self.fail(e);
                            }
                        }
                    }
                }
                Ok(o)
            }
            Err(e) => {
                self.counters.jobs_failed += 1;
                self.fail(e)
            }
        }
    }
}
