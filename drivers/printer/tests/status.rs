//! DLE EOT: every bit of every answer, unknown on silence, the device's answers to each fault.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use printer::device::{Device, PaperSensor};
use printer::status::{
    ErrorCause, Fault, Health, OfflineCause, PaperStatus, PrinterStatus, Reply, Snapshot,
    StatusRequest, is_status_byte, last_status_byte,
};

#[test]
fn request_bytes_have_no_trailing_zero() {
    assert_eq!(StatusRequest::Printer.bytes(), [0x10, 0x04, 0x01]);
    assert_eq!(StatusRequest::Offline.bytes(), [0x10, 0x04, 0x02]);
    assert_eq!(StatusRequest::Error.bytes(), [0x10, 0x04, 0x03]);
    assert_eq!(StatusRequest::Paper.bytes(), [0x10, 0x04, 0x04]);
    for r in StatusRequest::ALL {
        assert_eq!(StatusRequest::from_n(r.n()), Some(r));
    }
    assert_eq!(StatusRequest::from_n(5), None);
}

#[test]
fn fixed_pattern() {
    assert!(is_status_byte(0x12));
    assert!(is_status_byte(0x7E));
    assert!(!is_status_byte(0x00));
    assert!(!is_status_byte(0x13)); // XOFF
    assert!(!is_status_byte(0x92));
    assert!(!is_status_byte(0x02));
    assert!(PrinterStatus::decode(0x00).is_err());
    assert_eq!(PaperStatus::decode(0xFF).unwrap_err().byte, 0xFF);
    assert_eq!(last_status_byte(&[0x11, 0x12, 0x13]), Some(0x12));
}

#[test]
fn printer_status_every_bit() {
    let s = PrinterStatus::decode(0x12).unwrap();
    assert_eq!(s, PrinterStatus::default());
    assert!(
        PrinterStatus::decode(0x12 | 1 << 2)
            .unwrap()
            .drawer_pin3_high
    );
    assert!(PrinterStatus::decode(0x12 | 1 << 3).unwrap().offline);
    assert!(
        PrinterStatus::decode(0x12 | 1 << 5)
            .unwrap()
            .waiting_recovery
    );
    assert!(PrinterStatus::decode(0x12 | 1 << 6).unwrap().feed_button);
    for b in (0..=255u8).filter(|b| is_status_byte(*b)) {
        assert_eq!(PrinterStatus::decode(b).unwrap().encode(), b);
    }
}

#[test]
fn offline_cause_every_bit() {
    assert_eq!(OfflineCause::decode(0x12).unwrap(), OfflineCause::default());
    assert!(OfflineCause::decode(0x12 | 1 << 2).unwrap().cover_open);
    assert!(OfflineCause::decode(0x12 | 1 << 3).unwrap().feeding);
    assert!(OfflineCause::decode(0x12 | 1 << 5).unwrap().paper_end_stop);
    assert!(OfflineCause::decode(0x12 | 1 << 6).unwrap().error);
    for b in (0..=255u8).filter(|b| is_status_byte(*b)) {
        assert_eq!(OfflineCause::decode(b).unwrap().encode(), b);
    }
}

#[test]
fn error_cause_every_bit() {
    assert_eq!(ErrorCause::decode(0x12).unwrap(), ErrorCause::default());
    assert!(ErrorCause::decode(0x12 | 1 << 2).unwrap().recoverable);
    assert!(ErrorCause::decode(0x12 | 1 << 3).unwrap().autocutter);
    assert!(ErrorCause::decode(0x12 | 1 << 5).unwrap().unrecoverable);
    assert!(ErrorCause::decode(0x12 | 1 << 6).unwrap().auto_recoverable);
    for b in (0..=255u8).filter(|b| is_status_byte(*b)) {
        assert_eq!(ErrorCause::decode(b).unwrap().encode(), b);
    }
}

#[test]
fn paper_status_every_bit_and_sheet_examples() {
    // escpos.md §3.3: all clear 12, near end 1E, paper out 72 (usually 7E)
    let clear = PaperStatus::decode(0x12).unwrap();
    assert!(!clear.near_end() && !clear.out());
    let near = PaperStatus::decode(0x1E).unwrap();
    assert!(near.near_end() && !near.out());
    let out = PaperStatus::decode(0x72).unwrap();
    assert!(out.out() && !out.near_end());
    let out2 = PaperStatus::decode(0x7E).unwrap();
    assert!(out2.out() && out2.near_end());
    assert!(PaperStatus::decode(0x12 | 1 << 2).unwrap().near_end_bit2);
    assert!(PaperStatus::decode(0x12 | 1 << 3).unwrap().near_end_bit3);
    assert!(PaperStatus::decode(0x12 | 1 << 5).unwrap().end_bit5);
    assert!(PaperStatus::decode(0x12 | 1 << 6).unwrap().end_bit6);
    assert_eq!(PaperStatus::from_sensors(true, false).encode(), 0x1E);
    assert_eq!(PaperStatus::from_sensors(true, true).encode(), 0x7E);
    for b in (0..=255u8).filter(|b| is_status_byte(*b)) {
        assert_eq!(PaperStatus::decode(b).unwrap().encode(), b);
    }
}

#[test]
fn no_answer_is_unknown_never_ok() {
    for r in StatusRequest::ALL {
        assert_eq!(Reply::decode(r, None).unwrap(), Reply::Unknown(r));
    }
    let mut snap = Snapshot::default();
    assert_eq!(snap.health(), Health::Unknown);
    for r in [
        StatusRequest::Printer,
        StatusRequest::Offline,
        StatusRequest::Error,
    ] {
        snap.record(Reply::decode(r, Some(0x12)).unwrap());
    }
    snap.record(Reply::decode(StatusRequest::Paper, None).unwrap());
    assert_eq!(snap.health(), Health::Unknown, "three of four is not ok");
    snap.record(Reply::decode(StatusRequest::Paper, Some(0x12)).unwrap());
    assert_eq!(snap.health(), Health::Ready);
}

#[test]
fn a_known_fault_wins_over_missing_answers() {
    let mut snap = Snapshot::default();
    snap.record(Reply::decode(StatusRequest::Paper, Some(0x72)).unwrap());
    assert_eq!(snap.health(), Health::Fault(vec![Fault::PaperOut]));
}

fn health_of(dev: &mut Device) -> Health {
    let mut snap = Snapshot::default();
    for r in StatusRequest::ALL {
        let answer = dev.receive(&r.bytes());
        assert_eq!(answer.len(), 1);
        snap.record(Reply::decode(r, answer.first().copied()).unwrap());
    }
    snap.health()
}

#[test]
fn device_answers_each_state() {
    let mut dev = Device::default();
    assert_eq!(dev.receive(&StatusRequest::Paper.bytes()), [0x12]);
    assert_eq!(health_of(&mut dev), Health::Ready);

    dev.set_paper(PaperSensor::NearEnd);
    assert_eq!(dev.receive(&StatusRequest::Paper.bytes()), [0x1E]);
    assert_eq!(health_of(&mut dev), Health::PaperNearEnd);

    dev.set_paper(PaperSensor::Out);
    assert_eq!(dev.receive(&StatusRequest::Paper.bytes()), [0x7E]);
    assert_eq!(dev.receive(&StatusRequest::Printer.bytes()), [0x1A]);
    assert_eq!(health_of(&mut dev), Health::Fault(vec![Fault::PaperOut]));

    dev.set_paper(PaperSensor::Ok);
    dev.set_cover_open(true);
    assert_eq!(dev.receive(&StatusRequest::Offline.bytes()), [0x16]);
    assert_eq!(health_of(&mut dev), Health::Fault(vec![Fault::CoverOpen]));

    dev.set_cover_open(false);
    dev.set_cutter_error(true);
    assert_eq!(dev.receive(&StatusRequest::Error.bytes()), [0x1A]);
    assert_eq!(health_of(&mut dev), Health::Fault(vec![Fault::Cutter]));
}

#[test]
fn dle_eot_inside_image_data_is_answered() {
    // escpos.md §3.3 / §5 item 9: the printer answers 10 04 n even inside another command
    let mut dev = Device::default();
    let mut job = vec![0x1D, 0x76, 0x30, 0x00, 0x03, 0x00, 0x01, 0x00];
    job.extend([0x10, 0x04, 0x04]);
    let answer = dev.receive(&job);
    assert_eq!(answer, [0x12]);
    assert_eq!(dev.paper().rasters(), 1);
}

#[test]
fn split_request_across_chunks_is_answered_once() {
    let mut dev = Device::default();
    assert!(dev.receive(&[0x10]).is_empty());
    assert!(dev.receive(&[0x04]).is_empty());
    assert_eq!(dev.receive(&[0x04]), [0x12]);
    assert!(dev.receive(b"A").is_empty());
    assert_eq!(dev.counters().status_answers, 1);
}

#[test]
fn paper_out_mid_job_holds_the_rest_until_reload() {
    let mut dev = Device::default();
    dev.receive(b"\x1b@\x1c&line one\n");
    dev.set_paper(PaperSensor::Out);
    let answer = dev.receive(b"line two\n\x10\x04\x04line three\n");
    assert_eq!(answer, [0x7E], "answered while stopped");
    assert_eq!(dev.paper().text(), "line one");
    assert!(dev.buffered() > 0);
    dev.set_paper(PaperSensor::Ok);
    assert_eq!(dev.paper().text(), "line one\nline two\nline three");
}

#[test]
fn dle_enq_2_clears_held_data() {
    let mut dev = Device::default();
    dev.set_cover_open(true);
    dev.receive(b"stale job\n");
    dev.receive(&[0x10, 0x05, 0x02]);
    dev.set_cover_open(false);
    assert_eq!(dev.paper().text(), "");
    assert_eq!(dev.buffered(), 0);
}

#[test]
fn data_after_dle_enq_2_in_the_same_chunk_is_kept() {
    let mut dev = Device::default();
    dev.set_cover_open(true);
    dev.receive(b"stale\n");
    dev.receive(b"more stale\x10\x05\x02fresh\n");
    dev.set_cover_open(false);
    assert_eq!(dev.paper().text(), "fresh");
    let dbg = format!("{dev:?}");
    assert!(!dbg.contains("fresh") && !dbg.contains("102, 114"), "{dbg}");
}
