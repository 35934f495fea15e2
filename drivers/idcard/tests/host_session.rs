//! The host read cycle against the device side, in memory, over real frame bytes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use idcard::card::{AppendedAddress, CardError, CardText, CardType};
use idcard::device::{LeftCardBehaviour, ScriptedCard, SimulatedReader, samples};
use idcard::frame::Frame;
use idcard::host::{CycleOptions, Outcome, ReadCycle, Step, Unparseable, run_cycle};
use idcard::{Command, Status};
use kiosk_core::personal::PersonalText;

/// Runs one cycle against `reader`, returning the outcome and the commands sent.
fn cycle(reader: &mut SimulatedReader, options: CycleOptions) -> (Outcome, Vec<Command>) {
    let mut sent = Vec::new();
    let outcome = run_cycle(&mut ReadCycle::new(options), |bytes| {
        sent.push(Command::from_frame(&Frame::parse(bytes).unwrap()));
        reader.receive(bytes)
    });
    (outcome, sent)
}

fn read(outcome: Outcome) -> idcard::CardData {
    match outcome {
        Outcome::CardRead(card) => *card,
        other => panic!("expected a card, got {other:?}"),
    }
}

fn reader_with(text: &CardText) -> SimulatedReader {
    let mut reader = SimulatedReader::new();
    reader.place_card(ScriptedCard::new(text).unwrap());
    reader
}

#[test]
fn normal_read_of_every_layout() {
    for sample in samples::all() {
        let mut reader = reader_with(&sample);
        let (outcome, sent) = cycle(&mut reader, CycleOptions::default());
        let card = read(outcome);
        assert_eq!(card.text, sample);
        assert!(card.photo.has_wlt_magic());
        assert_eq!(card.fingerprint, None);
        assert_eq!(card.appended_address, AppendedAddress::Absent);
        assert_eq!(
            sent,
            vec![
                Command::FindCard,
                Command::SelectCard,
                Command::ReadTextPhoto,
                Command::ReadAppendedAddress
            ]
        );
    }
}

#[test]
fn appended_address_and_fingerprint() {
    let address = PersonalText::new("北京市东城区示例街道新址路9号");
    let mut reader = SimulatedReader::new();
    reader.place_card(
        ScriptedCard::new(&samples::resident())
            .unwrap()
            .with_appended_address(address.clone())
            .with_fingerprint(samples::fingerprint()),
    );
    let options = CycleOptions {
        with_fingerprint: true,
        ..CycleOptions::default()
    };
    let (outcome, sent) = cycle(&mut reader, options);
    let card = read(outcome);
    assert_eq!(
        card.appended_address,
        AppendedAddress::Present(address.clone())
    );
    assert_eq!(card.current_address(), Some(&address));
    assert_eq!(card.fingerprint, Some(samples::fingerprint()));
    assert!(card.fingerprint.unwrap().templates().is_some());
    assert_eq!(sent[2], Command::ReadTextPhotoFingerprint);

    // no appended-address step when not asked for
    let mut reader = reader_with(&samples::resident());
    let options = CycleOptions {
        appended_address: false,
        ..CycleOptions::default()
    };
    let (outcome, sent) = cycle(&mut reader, options);
    assert_eq!(read(outcome).appended_address, AppendedAddress::NotRead);
    assert_eq!(sent.len(), 3);

    // a card without fingerprints answers 30 10 with length 0
    let mut reader = reader_with(&samples::foreign_2023());
    let (outcome, _) = cycle(
        &mut reader,
        CycleOptions {
            with_fingerprint: true,
            ..CycleOptions::default()
        },
    );
    assert_eq!(read(outcome).fingerprint, None);
}

#[test]
fn no_card() {
    let mut reader = SimulatedReader::new();
    let (outcome, sent) = cycle(&mut reader, CycleOptions::default());
    assert_eq!(outcome, Outcome::NoCard);
    assert_eq!(sent, vec![Command::FindCard]);
    // forcing a read on an empty reader is still "no card"
    let (outcome, sent) = cycle(
        &mut reader,
        CycleOptions {
            read_card_left_on_reader: true,
            ..CycleOptions::default()
        },
    );
    assert_eq!(outcome, Outcome::NoCard);
    assert_eq!(sent, vec![Command::FindCard, Command::ReadTextPhoto]);
}

#[test]
fn card_left_on_the_reader_answers_80() {
    let mut reader = reader_with(&samples::resident());
    read(cycle(&mut reader, CycleOptions::default()).0);
    // the card stays: find answers 80, which is not an error
    let (outcome, sent) = cycle(&mut reader, CycleOptions::default());
    assert_eq!(outcome, Outcome::NoCard);
    assert_eq!(sent, vec![Command::FindCard]);
    // re-reading on purpose works, as several implementations do
    let forced = CycleOptions {
        read_card_left_on_reader: true,
        ..CycleOptions::default()
    };
    let (outcome, sent) = cycle(&mut reader, forced);
    assert_eq!(read(outcome).text, samples::resident());
    assert_eq!(
        sent,
        vec![
            Command::FindCard,
            Command::ReadTextPhoto,
            Command::ReadAppendedAddress
        ]
    );
    // taken away and placed again: a normal read
    let card = reader.remove_card().unwrap();
    assert_eq!(
        cycle(&mut reader, CycleOptions::default()).0,
        Outcome::NoCard
    );
    reader.place_card(card);
    read(cycle(&mut reader, CycleOptions::default()).0);
}

#[test]
fn card_left_on_the_reader_answers_81() {
    let mut reader =
        SimulatedReader::new().with_left_card_behaviour(LeftCardBehaviour::SelectFails);
    reader.place_card(ScriptedCard::new(&samples::hmt_permit()).unwrap());
    read(cycle(&mut reader, CycleOptions::default()).0);
    // find 9F, select 81 → restart once → same again → no (new) card
    let (outcome, sent) = cycle(&mut reader, CycleOptions::default());
    assert_eq!(outcome, Outcome::NoCard);
    assert_eq!(
        sent,
        vec![
            Command::FindCard,
            Command::SelectCard,
            Command::FindCard,
            Command::SelectCard
        ]
    );
    let no_restart = CycleOptions {
        max_restarts: 0,
        ..CycleOptions::default()
    };
    assert_eq!(cycle(&mut reader, no_restart).1.len(), 2);
    // with a forced read the card left on the reader is read again
    let forced = CycleOptions {
        read_card_left_on_reader: true,
        ..CycleOptions::default()
    };
    let (outcome, _) = cycle(&mut reader, forced);
    assert_eq!(read(outcome).card_type(), CardType::HmtResidencePermit);
}

#[test]
fn a_single_select_81_is_retried() {
    let mut reader = reader_with(&samples::resident());
    reader.fail_next(Command::SelectCard, Status::SelectFailed);
    let (outcome, sent) = cycle(&mut reader, CycleOptions::default());
    read(outcome);
    assert_eq!(sent.len(), 6);
}

#[test]
fn card_pulled_mid_read_is_retried_once() {
    let mut reader = reader_with(&samples::resident());
    reader.fail_next(Command::ReadTextPhoto, Status::ReadFailed);
    let (outcome, sent) = cycle(&mut reader, CycleOptions::default());
    read(outcome);
    assert_eq!(
        sent[..4],
        [
            Command::FindCard,
            Command::SelectCard,
            Command::ReadTextPhoto,
            Command::FindCard
        ]
    );
    // failing twice exceeds the one restart
    let mut reader = reader_with(&samples::resident());
    reader.fail_next(Command::ReadTextPhoto, Status::ReadFailed);
    reader.fail_next(Command::ReadTextPhoto, Status::ReadFailed);
    assert_eq!(
        cycle(&mut reader, CycleOptions::default()).0,
        Outcome::DeviceError(Status::ReadFailed)
    );
}

#[test]
fn sam_failure_is_a_device_error() {
    for fault in [Status::SamSelfTestFailed, Status::SamNotAuthorised] {
        let mut reader = reader_with(&samples::resident());
        reader.set_sam_fault(Some(fault));
        let (outcome, sent) = cycle(&mut reader, CycleOptions::default());
        assert_eq!(outcome, Outcome::DeviceError(fault));
        assert_eq!(sent, vec![Command::FindCard]);
        // a forced read does not hide a SAM fault as "no card"
        let forced = CycleOptions {
            read_card_left_on_reader: true,
            ..CycleOptions::default()
        };
        assert_eq!(cycle(&mut reader, forced).0, Outcome::DeviceError(fault));
        reader.set_sam_fault(None);
        read(cycle(&mut reader, CycleOptions::default()).0);
    }
}

#[test]
fn unknown_card_type() {
    // a chip whose marker is none of space/J/I/Y
    let mut block = samples::resident().encode().unwrap();
    block[248..250].copy_from_slice(&[b'Z', 0]);
    let mut reader = SimulatedReader::new();
    reader.place_card(ScriptedCard::from_raw_text(block.to_vec()));
    assert_eq!(
        cycle(&mut reader, CycleOptions::default()).0,
        Outcome::Unparseable(Unparseable::Card(CardError::UnknownCardType {
            marker: 0x5A
        }))
    );
    // the SAM itself refusing the card (a bank card on the antenna)
    let mut reader = reader_with(&samples::resident());
    reader.fail_next(Command::SelectCard, Status::UnknownCardType);
    assert_eq!(
        cycle(&mut reader, CycleOptions::default()).0,
        Outcome::DeviceError(Status::UnknownCardType)
    );
    // a truncated text block
    let mut reader = SimulatedReader::new();
    reader.place_card(ScriptedCard::from_raw_text(vec![0x20, 0x00, 0x20]));
    assert_eq!(
        cycle(&mut reader, CycleOptions::default()).0,
        Outcome::Unparseable(Unparseable::Card(CardError::OddLength { len: 3 }))
    );
}

#[test]
fn damaged_frames_are_resent() {
    // the SAM receives our select damaged and answers 10; we resend
    let mut reader = reader_with(&samples::resident());
    let mut sent = Vec::new();
    let mut damaged = false;
    let outcome = run_cycle(&mut ReadCycle::new(CycleOptions::default()), |bytes| {
        let mut bytes = bytes.to_vec();
        sent.push(bytes.clone());
        if !damaged && bytes[7] == 0x20 && bytes[8] == 0x02 {
            damaged = true;
            bytes[8] ^= 0x40;
        }
        reader.receive(&bytes)
    });
    read(outcome);
    assert_eq!(sent[1], sent[2], "select resent unchanged");

    // the read answer arrives damaged; we resend the read
    let mut reader = reader_with(&samples::resident());
    let mut reads = 0;
    let outcome = run_cycle(&mut ReadCycle::new(CycleOptions::default()), |bytes| {
        let mut answer = reader.receive(bytes);
        if bytes[7..9] == [0x30, 0x01] {
            reads += 1;
            if reads == 1 {
                answer[300] ^= 0xFF;
            }
        }
        answer
    });
    read(outcome);
    assert_eq!(reads, 2);

    // a line that always corrupts gives up after one resend
    let mut reader = reader_with(&samples::resident());
    let outcome = run_cycle(&mut ReadCycle::new(CycleOptions::default()), |bytes| {
        let mut answer = reader.receive(bytes);
        if let Some(last) = answer.last_mut() {
            *last ^= 1;
        }
        answer
    });
    assert!(matches!(
        outcome,
        Outcome::Unparseable(Unparseable::Frame(_))
    ));
}

#[test]
fn appended_address_failure_keeps_the_card() {
    let mut reader = reader_with(&samples::resident());
    reader.fail_next(Command::ReadAppendedAddress, Status::UnrecognisedError);
    let card = read(cycle(&mut reader, CycleOptions::default()).0);
    assert_eq!(
        card.appended_address,
        AppendedAddress::Failed(Status::UnrecognisedError)
    );
}

#[test]
fn silence_is_no_response() {
    let outcome = run_cycle(&mut ReadCycle::new(CycleOptions::default()), |_| Vec::new());
    assert_eq!(outcome, Outcome::NoResponse(Command::FindCard));
}

#[test]
fn step_api_tells_the_driver_what_to_wait_for() {
    let mut reader = reader_with(&samples::resident());
    let mut cycle = ReadCycle::new(CycleOptions::default());
    assert_eq!(cycle.awaiting(), None);
    let Step::Send(out) = cycle.start() else {
        panic!()
    };
    assert_eq!(out.bytes, Command::FindCard.encode().unwrap());
    assert_eq!(out.timeout(), Duration::from_millis(100));
    assert_eq!(out.max_response_len(), 15);
    assert_eq!(cycle.awaiting(), Some(&Command::FindCard));
    let answer = Frame::parse(&reader.receive(&out.bytes)).unwrap();
    let Step::Send(out) = cycle.on_frame(&answer) else {
        panic!()
    };
    assert_eq!(out.command, Command::SelectCard);
    let answer = Frame::parse(&reader.receive(&out.bytes)).unwrap();
    let Step::Send(out) = cycle.on_frame(&answer) else {
        panic!()
    };
    assert_eq!(out.command, Command::ReadTextPhoto);
    assert_eq!(out.timeout(), Duration::from_millis(2000));
    assert_eq!(out.max_response_len(), 1295);
    // the driver's timer runs out
    assert_eq!(
        cycle.on_timeout(),
        Step::Finished(Outcome::NoResponse(Command::ReadTextPhoto))
    );
    assert!(cycle.is_finished());
    assert_eq!(cycle.on_frame(&answer), Step::Ignored);
    assert_eq!(cycle.on_timeout(), Step::Ignored);
}

#[test]
fn simulator_housekeeping_commands() {
    let mut reader = SimulatedReader::new();
    let answer = reader.receive(&Command::ReadSamId.encode().unwrap());
    let reply = idcard::Reply::parse(&Command::ReadSamId, &Frame::parse(&answer).unwrap()).unwrap();
    assert_eq!(reply, idcard::Reply::SamId(samples::sam_id()));
    assert_eq!(
        samples::sam_id().to_string(),
        "05.01-20240101-0000000001-0000000002"
    );
    let baud = Command::SetBaudRate(idcard::command::BaudRate::B9600);
    reader.receive(&baud.encode().unwrap());
    assert_eq!(reader.baud_rate().bits_per_second(), 9600);
    reader.receive(&Command::SetMaxRfFrameSize(0x50).encode().unwrap());
    assert_eq!(reader.max_rf_frame(), Some(0x50));
    // reading before select is refused (23), as is a read with no card (41)
    reader.place_card(ScriptedCard::new(&samples::resident()).unwrap());
    let answer = reader.respond(&Command::ReadTextPhoto);
    assert_eq!(
        Frame::parse(&answer).unwrap().response().unwrap().status,
        Status::NotPermitted
    );
    reader.remove_card();
    let answer = reader.respond(&Command::ReadTextPhoto);
    assert_eq!(
        Frame::parse(&answer).unwrap().response().unwrap().status,
        Status::ReadFailed
    );
}
