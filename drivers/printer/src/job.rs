//! A print job and the sans-IO policy that sends it (issue 4 §3, `escpos.md` §5 items 8, 10,
//! 11): status before, the buffer in bounded chunks with a status check after each, status
//! after; paper near end → printed but degraded; paper out / cover open / error → failed;
//! no answer → unknown, never ok. A reprint keeps its job id and is marked 补打.
//!
//! The driver loop is: call [`JobRun::next_action`]; on [`Action::Send`] write the bytes; on
//! [`Action::Query`] write the request, read one byte with a timeout and pass it (or `None`)
//! to [`JobRun::on_status`]; stop at [`Action::Done`].

use crate::document::{Block, Document, Size, Style};
use crate::encode::{EncodeError, Encoder};
use crate::status::{Fault, Health, Reply, Snapshot, StatusRequest};
use crate::text::Align;

/// A job's identity; a reprint carries the same id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JobId(pub String);

/// One encoded job.
#[derive(Clone, PartialEq, Eq)]
pub struct Job {
    /// Id (receipt record id); the same for every attempt.
    pub id: JobId,
    /// 0 for the first print, n for the n-th 补打.
    pub reprint: u32,
    /// The whole ESC/POS buffer.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Job {
    // the bytes carry the receipt's text: show the size only
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Job({:?}, reprint {}, {} bytes)",
            self.id.0,
            self.reprint,
            self.bytes.len()
        )
    }
}

impl Job {
    /// Encode `doc` as attempt `reprint` of job `id`. A reprint gets a 补打 banner with the id
    /// at the top, so a duplicate is never silent (DESIGN.md principle 4).
    pub fn build(
        id: JobId,
        reprint: u32,
        doc: &Document,
        encoder: &Encoder<'_>,
    ) -> Result<Job, EncodeError> {
        let bytes = if reprint == 0 {
            encoder.encode(doc)?
        } else {
            let mut marked = Document::new()
                .text(
                    format!("【补打 第{reprint}次】"),
                    Style {
                        align: Align::Center,
                        size: Size::TALL,
                        bold: true,
                    },
                )
                .key_value("原任务号", id.0.clone());
            marked.blocks.push(Block::Separator('*'));
            marked.blocks.extend(doc.blocks.iter().cloned());
            encoder.encode(&marked)?
        };
        Ok(Job { id, reprint, bytes })
    }
}

/// What the driver must do next.
#[derive(Clone, PartialEq, Eq)]
pub enum Action {
    /// Write these bytes (one bounded chunk of the job).
    Send(Vec<u8>),
    /// Write `request.bytes()`, read one byte, pass it to [`JobRun::on_status`].
    Query(StatusRequest),
    /// Finished.
    Done(Outcome),
}

impl std::fmt::Debug for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Action::Send(b) => write!(f, "Send({} bytes)", b.len()),
            Action::Query(r) => write!(f, "Query({r:?})"),
            Action::Done(o) => write!(f, "Done({o:?})"),
        }
    }
}

/// How a job ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Printed and the printer reports no fault afterwards.
    Printed {
        /// Paper near end: the device is degraded, raise an alert.
        paper_near_end: bool,
    },
    /// Not printed, or not completely.
    Failed {
        /// Bytes of the job already written (0: nothing reached the printer).
        sent: usize,
        /// The faults seen (empty when the status was unknown).
        faults: Vec<Fault>,
        /// True when the status could not be read: the state is unknown.
        unknown: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Before,
    Sending,
    After,
    Finished,
}

/// The job-sending state machine.
#[derive(Debug)]
pub struct JobRun {
    job: Job,
    chunk: usize,
    sent: usize,
    phase: Phase,
    asked: usize,
    snapshot: Snapshot,
    outcome: Option<Outcome>,
}

impl JobRun {
    /// Send `job` in chunks of at most `chunk` bytes (e.g. 4096 on USB, the receive buffer
    /// size on serial).
    pub fn new(job: Job, chunk: usize) -> JobRun {
        JobRun {
            job,
            chunk: chunk.max(1),
            sent: 0,
            phase: Phase::Before,
            asked: 0,
            snapshot: Snapshot::default(),
            outcome: None,
        }
    }

    /// The job.
    pub fn job(&self) -> &Job {
        &self.job
    }

    /// Bytes written so far.
    pub fn sent(&self) -> usize {
        self.sent
    }

    /// The next action.
    pub fn next_action(&mut self) -> Action {
        if let Some(o) = &self.outcome {
            return Action::Done(o.clone());
        }
        match self.phase {
            Phase::Before | Phase::After => self.query_or_judge(),
            Phase::Sending => {
                let end = (self.sent + self.chunk).min(self.job.bytes.len());
                let bytes = self.job.bytes[self.sent..end].to_vec();
                self.sent = end;
                // check the printer after every chunk; the last check is the "after" check
                self.phase = Phase::After;
                self.asked = 0;
                self.snapshot = Snapshot::default();
                Action::Send(bytes)
            }
            Phase::Finished => Action::Done(self.outcome.clone().unwrap_or(Outcome::Failed {
                sent: self.sent,
                faults: Vec::new(),
                unknown: true,
            })),
        }
    }

    /// The answer (or `None` on timeout) to the last [`Action::Query`]. A byte that breaks
    /// the status pattern counts as no answer.
    pub fn on_status(&mut self, byte: Option<u8>) {
        let Some(req) = StatusRequest::ALL
            .get(self.asked.saturating_sub(1))
            .copied()
        else {
            return;
        };
        let reply = Reply::decode(req, byte).unwrap_or(Reply::Unknown(req));
        self.snapshot.record(reply);
    }

    fn query_or_judge(&mut self) -> Action {
        if let Some(req) = StatusRequest::ALL.get(self.asked).copied() {
            self.asked += 1;
            return Action::Query(req);
        }
        let health = self.snapshot.health();
        let done = self.sent >= self.job.bytes.len();
        let outcome = match health {
            Health::Fault(faults) => Some(Outcome::Failed {
                sent: self.sent,
                faults,
                unknown: false,
            }),
            Health::Unknown => Some(Outcome::Failed {
                sent: self.sent,
                faults: Vec::new(),
                unknown: true,
            }),
            Health::Ready | Health::PaperNearEnd if done => Some(Outcome::Printed {
                paper_near_end: health == Health::PaperNearEnd,
            }),
            Health::Ready | Health::PaperNearEnd => None,
        };
        match outcome {
            Some(o) => {
                self.phase = Phase::Finished;
                self.outcome = Some(o.clone());
                Action::Done(o)
            }
            None => {
                self.phase = Phase::Sending;
                self.next_action()
            }
        }
    }
}
