//! Job policy against the simulated printer: happy path, near end, paper out before and mid
//! job, cover open, no status answer, reprint marked 补打.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use printer::device::{Device, PaperSensor};
use printer::job::{Action, Job, JobId, JobRun, Outcome};
use printer::status::Fault;
use printer::{Encoder, Profile, samples};

fn job(reprint: u32) -> Job {
    let p = Profile::GENERIC_80MM;
    let doc = samples::chaxun_jieguo();
    Job::build(JobId("R-0001".into()), reprint, &doc, &Encoder::new(&p)).unwrap()
}

/// Run the job; `hook` is called after every chunk written, with the chunk index.
fn run(dev: &mut Device, job: Job, mut hook: impl FnMut(&mut Device, usize)) -> Outcome {
    let mut run = JobRun::new(job, 64);
    let mut chunks = 0;
    loop {
        match run.next_action() {
            Action::Send(bytes) => {
                assert!(bytes.len() <= 64);
                assert!(dev.receive(&bytes).is_empty());
                hook(dev, chunks);
                chunks += 1;
            }
            Action::Query(req) => {
                let answer = dev.receive(&req.bytes());
                run.on_status(answer.first().copied());
            }
            Action::Done(outcome) => return outcome,
        }
    }
}

#[test]
fn prints_in_chunks_and_confirms() {
    let mut dev = Device::default();
    let j = job(0);
    let len = j.bytes.len();
    assert!(len > 64 * 3, "several chunks");
    let outcome = run(&mut dev, j, |_, _| {});
    assert_eq!(
        outcome,
        Outcome::Printed {
            paper_near_end: false
        }
    );
    assert!(dev.paper().text().contains("查询结果"));
    assert_eq!(dev.paper().cuts(), 1);
    assert_eq!(
        dev.counters().bytes as usize,
        len + dev.counters().status_answers as usize * 3
    );
}

#[test]
fn near_end_prints_degraded() {
    let mut dev = Device::default();
    dev.set_paper(PaperSensor::NearEnd);
    let outcome = run(&mut dev, job(0), |_, _| {});
    assert_eq!(
        outcome,
        Outcome::Printed {
            paper_near_end: true
        }
    );
    assert_eq!(dev.paper().cuts(), 1);
}

#[test]
fn paper_out_before_sends_nothing() {
    let mut dev = Device::default();
    dev.set_paper(PaperSensor::Out);
    let outcome = run(&mut dev, job(0), |_, _| {});
    assert_eq!(
        outcome,
        Outcome::Failed {
            sent: 0,
            faults: vec![Fault::PaperOut],
            unknown: false
        }
    );
    // only the four status requests wait in the buffer; reloading prints nothing
    assert_eq!(dev.buffered(), 12);
    dev.set_paper(PaperSensor::Ok);
    assert!(dev.paper().items.is_empty());
}

#[test]
fn cover_open_fails_the_job() {
    let mut dev = Device::default();
    dev.set_cover_open(true);
    let outcome = run(&mut dev, job(0), |_, _| {});
    assert!(
        matches!(outcome, Outcome::Failed { sent: 0, ref faults, .. } if faults == &[Fault::CoverOpen])
    );
}

#[test]
fn paper_out_mid_job_stops_sending_and_reports_failed() {
    let mut dev = Device::default();
    let total = job(0).bytes.len();
    let outcome = run(&mut dev, job(0), |d, i| {
        if i == 1 {
            d.set_paper(PaperSensor::Out);
        }
    });
    let Outcome::Failed {
        sent,
        faults,
        unknown,
    } = outcome
    else {
        panic!("must fail");
    };
    assert_eq!(
        sent, 128,
        "stopped after the chunk during which paper ran out"
    );
    assert!(sent < total);
    assert_eq!(faults, vec![Fault::PaperOut]);
    assert!(!unknown);
    assert_eq!(dev.paper().cuts(), 0, "no cut: the receipt is incomplete");
}

#[test]
fn no_status_answer_is_unknown_and_nothing_is_sent() {
    let mut run = JobRun::new(job(0), 64);
    loop {
        match run.next_action() {
            Action::Send(_) => panic!("must not print blind"),
            Action::Query(_) => run.on_status(None),
            Action::Done(o) => {
                assert_eq!(
                    o,
                    Outcome::Failed {
                        sent: 0,
                        faults: vec![],
                        unknown: true
                    }
                );
                break;
            }
        }
    }
}

#[test]
fn garbage_status_byte_counts_as_no_answer() {
    let mut run = JobRun::new(job(0), 64);
    let mut queries = 0;
    loop {
        match run.next_action() {
            Action::Send(_) => panic!("must not print on garbage"),
            Action::Query(_) => {
                queries += 1;
                run.on_status(Some(if queries == 3 { 0xFF } else { 0x12 }));
            }
            Action::Done(o) => {
                assert!(matches!(o, Outcome::Failed { unknown: true, .. }));
                break;
            }
        }
    }
}

#[test]
fn reprint_keeps_id_and_is_marked() {
    let first = job(0);
    let again = job(1);
    assert_eq!(first.id, again.id);
    let mut dev = Device::default();
    let outcome = run(&mut dev, again, |_, _| {});
    assert!(matches!(outcome, Outcome::Printed { .. }));
    let text = dev.paper().text();
    assert!(text.starts_with("【补打 第1次】"), "{text}");
    assert!(text.contains("R-0001"));
    let mut dev = Device::default();
    run(&mut dev, first, |_, _| {});
    assert!(!dev.paper().text().contains("补打"));
}
