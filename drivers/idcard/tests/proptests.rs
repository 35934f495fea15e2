//! Properties: frame/command/reply round trips, chunking independence, card round trips per
//! layout, and no panics on arbitrary bytes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use idcard::card::{
    CardDate, CardText, DocumentNumber, Foreign2017Card, Foreign2023Card, Gender, HmtPermitCard,
    Nation, ResidentCard, ValidUntil,
};
use idcard::command::BaudRate;
use idcard::frame::{self, Frame, FrameDecoder, FrameError};
use idcard::photo::{Fingerprint, WltPhoto};
use idcard::response::{ReadPayload, SamId};
use idcard::{Command, Reply, Status};
use kiosk_core::personal::{PersonName, PersonalText};
use proptest::prelude::*;

// ---------- frames, commands, replies ----------

fn any_command() -> impl Strategy<Value = Command> {
    prop_oneof![
        Just(Command::ResetSam),
        Just(Command::SamStatus),
        Just(Command::ReadSamId),
        Just(Command::FindCard),
        Just(Command::SelectCard),
        Just(Command::ReadTextPhoto),
        Just(Command::ReadAppendedAddress),
        Just(Command::ReadCardBodyNumber),
        Just(Command::ReadTextPhotoFingerprint),
        proptest::sample::select(BaudRate::ALL.to_vec()).prop_map(Command::SetBaudRate),
        any::<u8>().prop_map(Command::SetMaxRfFrameSize),
        (
            any::<u8>(),
            any::<u8>(),
            proptest::collection::vec(any::<u8>(), 0..40)
        )
            .prop_map(|(c, p, d)| Command::from_parts(c, p, &d)),
    ]
}

fn any_frame_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        (
            any::<u8>(),
            any::<u8>(),
            proptest::collection::vec(any::<u8>(), 0..64)
        )
            .prop_map(|(c, p, d)| frame::encode_request(c, p, &d).unwrap()),
        (
            any::<u8>(),
            any::<u8>(),
            any::<u8>(),
            proptest::collection::vec(any::<u8>(), 0..64)
        )
            .prop_map(|(a, b, c, d)| frame::encode_response(a, b, c, &d).unwrap()),
        (0usize..=frame::MAX_RESPONSE_PAYLOAD).prop_map(|n| frame::encode_response(
            0,
            0,
            0x90,
            &vec![0x5A; n]
        )
        .unwrap()),
    ]
}

proptest! {
    #[test]
    fn request_frames_round_trip(
        cmd in any::<u8>(),
        para in any::<u8>(),
        data in proptest::collection::vec(any::<u8>(), 0..=frame::MAX_REQUEST_DATA),
    ) {
        let bytes = frame::encode_request(cmd, para, &data).unwrap();
        prop_assert_eq!(bytes.len(), data.len() + 10);
        let f = Frame::parse(&bytes).unwrap();
        let r = f.request();
        prop_assert_eq!((r.cmd, r.para, r.data), (cmd, para, &data[..]));
        prop_assert_eq!(usize::from(f.len_field()), bytes.len() - 7);
    }

    #[test]
    fn response_frames_round_trip(
        sw in any::<[u8; 3]>(),
        payload in proptest::collection::vec(any::<u8>(), 0..=frame::MAX_RESPONSE_PAYLOAD),
    ) {
        let bytes = frame::encode_response(sw[0], sw[1], sw[2], &payload).unwrap();
        let f = Frame::parse(&bytes).unwrap();
        let v = f.response().unwrap();
        prop_assert_eq!((v.sw1, v.sw2, v.status.to_byte()), (sw[0], sw[1], sw[2]));
        prop_assert_eq!(v.payload, &payload[..]);
    }

    #[test]
    fn commands_round_trip(command in any_command()) {
        let bytes = command.encode().unwrap();
        let decoded = Command::from_frame(&Frame::parse(&bytes).unwrap());
        prop_assert_eq!(&decoded, &command);
        prop_assert_eq!(
            bytes,
            frame::encode_request(command.cmd(), command.para(), command.data()).unwrap()
        );
    }

    #[test]
    fn replies_round_trip(
        iin in any::<[u8; 4]>(),
        sn in any::<[u8; 8]>(),
        sam in any::<[u8; 16]>(),
        text in proptest::collection::vec(any::<u8>(), 0..300),
        // 6 + 300 + 1002 + 1002 ≤ 2310, the largest payload a frame holds
        photo in proptest::collection::vec(any::<u8>(), 0..1002),
        fp in proptest::option::of(proptest::collection::vec(any::<u8>(), 1..1002)),
        address in field(35),
        status in any::<u8>(),
    ) {
        let read = ReadPayload {
            text,
            photo: WltPhoto::new(photo),
            fingerprint: fp.map(Fingerprint::new),
        };
        let failed = Status::from_byte(status);
        let mut cases = vec![
            (Command::FindCard, Reply::CardFound { iin }),
            (Command::SelectCard, Reply::CardSelected { sn }),
            (Command::ReadSamId, Reply::SamId(SamId::new(sam))),
            (Command::ReadTextPhotoFingerprint, Reply::Read(read.clone())),
            (Command::ReadAppendedAddress, Reply::AppendedAddress(PersonalText::new(address))),
            (Command::SamStatus, Reply::Done),
        ];
        if read.fingerprint.is_none() {
            cases.push((Command::ReadTextPhoto, Reply::Read(read)));
        }
        if !failed.is_success() {
            let expected = if failed == Status::NoContent { Reply::NoContent } else { Reply::Failed(failed) };
            cases.push((Command::ReadTextPhoto, expected));
        }
        for (command, reply) in cases {
            let bytes = reply.to_frame(&command).unwrap();
            let parsed = Reply::parse(&command, &Frame::parse(&bytes).unwrap()).unwrap();
            prop_assert_eq!(parsed, reply);
        }
    }

    #[test]
    fn chunking_does_not_change_the_events(
        frames in proptest::collection::vec(any_frame_bytes(), 1..6),
        garbage in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..12), 6),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..40),
    ) {
        // clean stream: exactly the frames, whatever the chunking
        let clean: Vec<u8> = frames.concat();
        let whole = events(&[&clean]);
        let expected: Vec<Result<Frame, FrameError>> =
            frames.iter().map(|f| Ok(Frame::parse(f).unwrap())).collect();
        prop_assert_eq!(&whole, &expected);
        prop_assert_eq!(events(&chunks(&clean, &cuts)), whole);

        // with garbage between frames: same events for any chunking
        let mut dirty = Vec::new();
        for (f, g) in frames.iter().zip(&garbage) {
            dirty.extend(g);
            dirty.extend(f);
        }
        let whole = events(&[&dirty]);
        prop_assert_eq!(events(&chunks(&dirty, &cuts)), whole.clone());
        // garbage that holds no 0xAA cannot hide a frame
        if garbage.iter().flatten().all(|&b| b != 0xAA) {
            let got: Vec<_> = whole.into_iter().filter_map(Result::ok).collect();
            let want: Vec<_> = expected.into_iter().filter_map(Result::ok).collect();
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn decoder_never_panics(
        bytes in proptest::collection::vec(any::<u8>(), 0..3000),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..20),
    ) {
        let mut d = FrameDecoder::new();
        for chunk in chunks(&bytes, &cuts) {
            d.push(chunk);
            while let Some(event) = d.next_frame() {
                if let Ok(frame) = event {
                    exercise(&frame);
                }
            }
        }
        while d.abandon_partial().is_some() {
            while let Some(event) = d.next_frame() {
                if let Ok(frame) = event {
                    exercise(&frame);
                }
            }
        }
        prop_assert_eq!(d.buffered(), 0);
    }

    #[test]
    fn replies_to_any_frame_never_panic(
        sw in any::<[u8; 3]>(),
        payload in proptest::collection::vec(any::<u8>(), 0..1400),
    ) {
        let bytes = frame::encode_response(sw[0], sw[1], sw[2], &payload).unwrap();
        exercise(&Frame::parse(&bytes).unwrap());
    }

    #[test]
    fn text_block_parser_never_panics_and_is_stable(block in proptest::collection::vec(any::<u8>(), 256)) {
        // any block that parses re-encodes to a block that parses to the same card
        if let Ok(card) = CardText::parse(&block) {
            let again = CardText::parse(&card.encode().unwrap()).unwrap();
            prop_assert_eq!(again, card);
        }
    }

    #[test]
    fn text_block_parser_handles_any_length(block in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = CardText::parse(&block);
    }
}

/// Splits `bytes` at the given cut points.
fn chunks<'a>(bytes: &'a [u8], cuts: &[prop::sample::Index]) -> Vec<&'a [u8]> {
    let mut at: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
    at.sort_unstable();
    let mut out = Vec::new();
    let mut from = 0;
    for cut in at {
        out.push(&bytes[from..cut]);
        from = cut;
    }
    out.push(&bytes[from..]);
    out
}

fn events(chunks: &[&[u8]]) -> Vec<Result<Frame, FrameError>> {
    let mut d = FrameDecoder::new();
    let mut out = Vec::new();
    for c in chunks {
        d.push(c);
        out.extend(std::iter::from_fn(|| d.next_frame()));
    }
    out
}

/// Reads a frame every way the crate can.
fn exercise(frame: &Frame) {
    let _ = Command::from_frame(frame);
    for command in Command::STANDARD {
        if let Ok(Reply::Read(payload)) = Reply::parse(&command, frame) {
            let _ = idcard::CardData::from_read(payload);
        }
    }
}

// ---------- cards ----------

/// A field value of at most `max_units` UTF-16 units, without trailing spaces (the chip
/// pads with spaces, so trailing ones cannot round-trip).
fn field(max_units: usize) -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        4 => proptest::char::range('\u{4E00}', '\u{9FA5}'),
        3 => proptest::char::range('A', 'Z'),
        2 => proptest::char::range('0', '9'),
        2 => Just(' '),
        1 => proptest::sample::select(vec![',', '-', '.', '·', '(', ')']),
        1 => proptest::char::range('\u{20000}', '\u{2A6DF}'),
    ];
    proptest::collection::vec(ch, 0..=max_units).prop_map(move |chars| {
        let mut out = String::new();
        let mut units = 0;
        for c in chars {
            units += c.len_utf16();
            if units > max_units {
                break;
            }
            out.push(c);
        }
        out.trim_end_matches(' ').to_string()
    })
}

fn date() -> impl Strategy<Value = CardDate> {
    (1u16..=9999, 1u8..=12, 1u8..=31)
        .prop_filter_map("no such day", |(y, m, d)| CardDate::new(y, m, d))
}

fn until() -> impl Strategy<Value = ValidUntil> {
    prop_oneof![
        date().prop_map(ValidUntil::Date),
        Just(ValidUntil::LongTerm)
    ]
}

fn gender() -> impl Strategy<Value = Gender> {
    proptest::sample::select(vec![
        Gender::Unknown,
        Gender::Male,
        Gender::Female,
        Gender::Unspecified,
    ])
}

fn count() -> impl Strategy<Value = Option<u8>> {
    proptest::option::of(0u8..=99)
}

fn resident() -> impl Strategy<Value = CardText> {
    (
        (field(15), gender(), 0u8..=99, date(), field(35)),
        (field(18), field(15), date(), until()),
    )
        .prop_map(
            |((name, gender, nation, birth, address), (number, issuer, from, until))| {
                CardText::Resident(ResidentCard {
                    name: PersonName::new(name),
                    gender,
                    nation: Nation::from_code(nation).unwrap(),
                    birth_date: birth,
                    address: PersonalText::new(address),
                    id_number: DocumentNumber::new(number),
                    issuer: PersonalText::new(issuer),
                    valid_from: from,
                    valid_until: until,
                })
            },
        )
}

fn hmt() -> impl Strategy<Value = CardText> {
    (
        (field(15), gender(), date(), field(35), field(18)),
        (field(15), date(), until(), field(9), count()),
    )
        .prop_map(
            |((name, gender, birth, address, number), (issuer, from, until, pass, issues))| {
                CardText::HmtPermit(HmtPermitCard {
                    name: PersonName::new(name),
                    gender,
                    birth_date: birth,
                    address: PersonalText::new(address),
                    id_number: DocumentNumber::new(number),
                    issuer: PersonalText::new(issuer),
                    valid_from: from,
                    valid_until: until,
                    pass_number: DocumentNumber::new(pass),
                    issue_count: issues,
                })
            },
        )
}

fn foreign2017() -> impl Strategy<Value = CardText> {
    (
        (field(60), gender(), field(15), field(3), field(15)),
        (date(), until(), date(), field(2), field(4)),
    )
        .prop_map(
            |(
                (english, gender, number, nationality, chinese),
                (from, until, birth, version, office),
            )| {
                CardText::Foreign2017(Foreign2017Card {
                    english_name: PersonName::new(english),
                    gender,
                    permit_number: DocumentNumber::new(number),
                    nationality,
                    chinese_name: PersonName::new(chinese),
                    valid_from: from,
                    valid_until: until,
                    birth_date: birth,
                    card_version: version,
                    issuing_office: office,
                })
            },
        )
}

fn foreign2023() -> impl Strategy<Value = CardText> {
    (
        (field(15), gender(), count(), date(), field(46)),
        (field(18), date(), until(), field(3), field(3)),
    )
        .prop_map(
            |(
                (chinese, gender, renewals, birth, english),
                (number, from, until, nationality, link),
            )| {
                CardText::Foreign2023(Foreign2023Card {
                    chinese_name: PersonName::new(chinese),
                    gender,
                    renewal_count: renewals,
                    birth_date: birth,
                    english_name: PersonName::new(english),
                    permit_number: DocumentNumber::new(number),
                    valid_from: from,
                    valid_until: until,
                    nationality,
                    previous_number_link: link,
                })
            },
        )
}

proptest! {
    #[test]
    fn cards_round_trip(card in prop_oneof![resident(), hmt(), foreign2017(), foreign2023()]) {
        let block = card.encode().unwrap();
        prop_assert_eq!(block.len(), 256);
        let parsed = CardText::parse(&block).unwrap();
        prop_assert_eq!(&parsed, &card);
        // and through a whole read response on the wire
        let payload = ReadPayload { text: block.to_vec(), photo: WltPhoto::new(vec![0; 1024]), fingerprint: None };
        let bytes = Reply::Read(payload).to_frame(&Command::ReadTextPhoto).unwrap();
        let Reply::Read(back) = Reply::parse(&Command::ReadTextPhoto, &Frame::parse(&bytes).unwrap()).unwrap() else {
            panic!("not a read");
        };
        prop_assert_eq!(idcard::CardData::from_read(back).unwrap().text, card);
    }
}
