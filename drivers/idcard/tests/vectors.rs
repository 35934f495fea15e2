//! Byte-for-byte vectors from the fact sheet: every worked example of §12 (encode and
//! decode), every request frame of §4, the literal frames of §6.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use idcard::card::{CardDate, CardText, Gender, Nation, NumberCheck, ValidUntil};
use idcard::command::BaudRate;
use idcard::frame::{self, Frame};
use idcard::response::{ReadPayload, SamId};
use idcard::{CardData, Command, Reply, Status};

fn hex(text: &str) -> Vec<u8> {
    text.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}

fn decode_one(bytes: &[u8]) -> Frame {
    let mut d = idcard::FrameDecoder::new();
    d.push(bytes);
    let frame = d.next_frame().unwrap().unwrap();
    assert!(d.next_frame().is_none());
    assert_eq!(frame, Frame::parse(bytes).unwrap());
    frame
}

/// Encodes `command`, compares with the sheet, and decodes it back on the device side.
fn check_request(command: Command, sheet: &str) {
    let bytes = command.encode().unwrap();
    assert_eq!(bytes, hex(sheet), "{}", command.name());
    let frame = decode_one(&bytes);
    assert_eq!(Command::from_frame(&frame), command);
}

// §12 A
#[test]
fn a_find_card() {
    check_request(Command::FindCard, "AA AA AA 96 69 00 03 20 01 22");
    let ok = hex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97");
    let reply = Reply::CardFound { iin: [0; 4] };
    assert_eq!(reply.to_frame(&Command::FindCard).unwrap(), ok);
    assert_eq!(
        Reply::parse(&Command::FindCard, &decode_one(&ok)).unwrap(),
        reply
    );

    let none = hex("AA AA AA 96 69 00 04 00 00 80 84");
    let reply = Reply::Failed(Status::FindFailed);
    assert_eq!(reply.to_frame(&Command::FindCard).unwrap(), none);
    assert_eq!(
        Reply::parse(&Command::FindCard, &decode_one(&none)).unwrap(),
        reply
    );
    // the checksum rule: XOR of Len1..last body byte
    assert_eq!(frame::checksum(&[0x00, 0x03, 0x20, 0x01]), 0x22);
    assert_eq!(
        frame::checksum(&[0x00, 0x08, 0x00, 0x00, 0x9F, 0, 0, 0, 0]),
        0x97
    );
}

// §12 B
#[test]
fn b_select_card() {
    check_request(Command::SelectCard, "AA AA AA 96 69 00 03 20 02 21");
    let ok = hex("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C");
    assert_eq!(ok.len(), 19);
    let reply = Reply::CardSelected { sn: [0; 8] };
    assert_eq!(reply.to_frame(&Command::SelectCard).unwrap(), ok);
    assert_eq!(
        Reply::parse(&Command::SelectCard, &decode_one(&ok)).unwrap(),
        reply
    );
}

// §12 C
#[test]
fn c_sam_id() {
    check_request(Command::ReadSamId, "AA AA AA 96 69 00 03 12 FF EE");
    let resp = hex("AA AA AA 96 69 00 14 00 00 90 \
         05 00 01 00 70 B6 32 01 12 CF 0F 00 C1 35 34 11 76");
    assert_eq!(resp.len(), 27);
    let Reply::SamId(id) = Reply::parse(&Command::ReadSamId, &decode_one(&resp)).unwrap() else {
        panic!("not a SAM ID");
    };
    assert_eq!(id.groups(), (5, 1, 20_100_720, 1_036_050, 288_634_305));
    assert_eq!(id.to_string(), "05.01-20100720-0001036050-0288634305");
    assert_eq!(
        Reply::SamId(id).to_frame(&Command::ReadSamId).unwrap(),
        resp
    );
    // groups 4 and 5 are unsigned: a value ≥ 2^31 prints positive with 10 digits
    let mut raw = *id.raw();
    raw[12..16].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(SamId::new(raw).to_string().ends_with("-4294967295"));
}

// §12 D
#[test]
fn d_baud_38400() {
    check_request(
        Command::SetBaudRate(BaudRate::B38400),
        "AA AA AA 96 69 00 03 60 02 61",
    );
    let ok = hex("AA AA AA 96 69 00 04 00 00 90 94");
    let cmd = Command::SetBaudRate(BaudRate::B38400);
    assert_eq!(Reply::Done.to_frame(&cmd).unwrap(), ok);
    assert_eq!(Reply::parse(&cmd, &decode_one(&ok)).unwrap(), Reply::Done);
    assert_eq!(BaudRate::B38400.bits_per_second(), 38_400);
}

/// The text block of §12 E, row by row as printed in the sheet.
fn example_e_text() -> Vec<u8> {
    let rows = [
        "20 5F 09 4E 20 00 20 00 20 00 20 00 20 00 20 00",
        "20 00 20 00 20 00 20 00 20 00 20 00 20 00 31 00",
        "30 00 31 00 31 00 39 00 34 00 39 00 31 00 32 00",
        "33 00 31 00 17 53 AC 4E 02 5E 1D 67 33 96 3A 53",
        "4B 6D D5 8B EF 8D 31 00 F7 53 20 00 20 00 20 00",
        "20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00",
        "20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00",
        "20 00 20 00 20 00 20 00 20 00 31 00 31 00 30 00",
        "31 00 30 00 35 00 31 00 39 00 34 00 39 00 31 00",
        "32 00 33 00 31 00 30 00 30 00 32 00 58 00 17 53",
        "AC 4E 02 5E 6C 51 89 5B 40 5C 1D 67 33 96 06 52",
        "40 5C 20 00 20 00 20 00 20 00 20 00 32 00 30 00",
        "31 00 35 00 30 00 31 00 30 00 31 00 7F 95 1F 67",
    ];
    let mut text: Vec<u8> = rows.iter().flat_map(|r| hex(r)).collect();
    while text.len() < 256 {
        text.extend_from_slice(&[0x20, 0x00]);
    }
    text
}

fn example_e_response() -> Vec<u8> {
    let mut bytes = hex("AA AA AA 96 69 05 08 00 00 90 01 00 04 00");
    bytes.extend(example_e_text());
    bytes.extend([0u8; 1024]);
    bytes.push(0x37);
    bytes
}

// §12 E
#[test]
fn e_read_text_photo() {
    check_request(Command::ReadTextPhoto, "AA AA AA 96 69 00 03 30 01 32");
    let resp = example_e_response();
    assert_eq!(resp.len(), 1295);
    let frame = decode_one(&resp);
    assert_eq!(frame.len_field(), 1288);
    assert_eq!(frame.checksum(), 0x37);

    let Reply::Read(payload) = Reply::parse(&Command::ReadTextPhoto, &frame).unwrap() else {
        panic!("not a read");
    };
    assert_eq!(payload.text, example_e_text());
    assert_eq!(payload.photo.as_bytes(), [0u8; 1024]);
    assert!(!payload.photo.has_wlt_magic());
    assert_eq!(payload.fingerprint, None);

    let card = CardData::from_read(payload.clone()).unwrap();
    let CardText::Resident(r) = &card.text else {
        panic!("not a resident card");
    };
    assert_eq!(r.name.reveal(), "张三");
    assert_eq!(r.gender, Gender::Male);
    assert_eq!(r.nation, Nation::HAN);
    assert_eq!(r.nation.name(), Some("汉"));
    assert_eq!(r.birth_date, CardDate::new(1949, 12, 31).unwrap());
    assert_eq!(r.address.reveal(), "北京市朝阳区测试路1号");
    assert_eq!(r.id_number.reveal(), "11010519491231002X");
    assert_eq!(r.number_check(), NumberCheck::Valid);
    assert_eq!(r.issuer.reveal(), "北京市公安局朝阳分局");
    assert_eq!(r.valid_from.iso(), "2015-01-01");
    assert_eq!(r.valid_until, ValidUntil::LongTerm);

    // encode: fields → the same text block → the same frame
    assert_eq!(card.text.encode().unwrap().to_vec(), example_e_text());
    assert_eq!(
        Reply::Read(payload.clone())
            .to_frame(&Command::ReadTextPhoto)
            .unwrap(),
        resp
    );
}

// §12 E, the 30 10 variant
#[test]
fn e_read_with_fingerprint_variant() {
    check_request(
        Command::ReadTextPhotoFingerprint,
        "AA AA AA 96 69 00 03 30 10 23",
    );
    let payload = ReadPayload {
        text: example_e_text(),
        photo: idcard::photo::WltPhoto::new(vec![0; 1024]),
        fingerprint: Some(idcard::photo::Fingerprint::new(vec![0; 1024])),
    };
    let bytes = Reply::Read(payload.clone())
        .to_frame(&Command::ReadTextPhotoFingerprint)
        .unwrap();
    assert_eq!(bytes.len(), 2321);
    assert_eq!(
        bytes[..16],
        hex("AA AA AA 96 69 09 0A 00 00 90 01 00 04 00 04 00")[..]
    );
    assert_eq!(*bytes.last().unwrap(), 0x3D);
    let frame = decode_one(&bytes);
    assert_eq!(
        Reply::parse(&Command::ReadTextPhotoFingerprint, &frame).unwrap(),
        Reply::Read(payload.clone())
    );
    // and the same bytes are *not* a 30 01 answer (the length fields do not add up)
    assert!(Reply::parse(&Command::ReadTextPhoto, &frame).is_err());

    // §6.2: no fingerprint on the card → length 0, frame 1297 bytes, Len 05 0A
    let none = ReadPayload {
        fingerprint: None,
        ..payload
    };
    let bytes = Reply::Read(none.clone())
        .to_frame(&Command::ReadTextPhotoFingerprint)
        .unwrap();
    assert_eq!(bytes.len(), 1297);
    assert_eq!(bytes[5..7], [0x05, 0x0A]);
    assert_eq!(
        Reply::parse(&Command::ReadTextPhotoFingerprint, &decode_one(&bytes)).unwrap(),
        Reply::Read(none)
    );
}

// §12 F
#[test]
fn f_other_frames() {
    check_request(Command::ResetSam, "AA AA AA 96 69 00 03 10 FF EC");
    check_request(Command::SamStatus, "AA AA AA 96 69 00 03 11 FF ED");
    check_request(
        Command::ReadAppendedAddress,
        "AA AA AA 96 69 00 03 30 03 30",
    );
    check_request(
        Command::ReadTextPhotoFingerprint,
        "AA AA AA 96 69 00 03 30 10 23",
    );
    check_request(
        Command::SetMaxRfFrameSize(0x50),
        "AA AA AA 96 69 00 04 61 FF 50 CA",
    );
    let ok = hex("AA AA AA 96 69 00 04 00 00 90 94");
    assert_eq!(Reply::Done.to_frame(&Command::SamStatus).unwrap(), ok);
    assert_eq!(
        Reply::parse(&Command::SamStatus, &decode_one(&ok)).unwrap(),
        Reply::Done
    );
    let none = hex("AA AA AA 96 69 00 04 00 00 91 95");
    assert_eq!(
        Reply::NoContent
            .to_frame(&Command::ReadAppendedAddress)
            .unwrap(),
        none
    );
    assert_eq!(
        Reply::parse(&Command::ReadAppendedAddress, &decode_one(&none)).unwrap(),
        Reply::NoContent
    );
}

// §4: every request frame in the table
#[test]
fn every_command_of_section_4() {
    let table = [
        (Command::ResetSam, "AA AA AA 96 69 00 03 10 FF EC"),
        (Command::SamStatus, "AA AA AA 96 69 00 03 11 FF ED"),
        (Command::ReadSamId, "AA AA AA 96 69 00 03 12 FF EE"),
        (Command::FindCard, "AA AA AA 96 69 00 03 20 01 22"),
        (Command::SelectCard, "AA AA AA 96 69 00 03 20 02 21"),
        (Command::ReadTextPhoto, "AA AA AA 96 69 00 03 30 01 32"),
        (
            Command::ReadAppendedAddress,
            "AA AA AA 96 69 00 03 30 03 30",
        ),
        (Command::ReadCardBodyNumber, "AA AA AA 96 69 00 03 30 05 36"),
        (
            Command::ReadTextPhotoFingerprint,
            "AA AA AA 96 69 00 03 30 10 23",
        ),
        (
            Command::SetBaudRate(BaudRate::B115200),
            "AA AA AA 96 69 00 03 60 00 63",
        ),
        (
            Command::SetBaudRate(BaudRate::B57600),
            "AA AA AA 96 69 00 03 60 01 62",
        ),
        (
            Command::SetBaudRate(BaudRate::B38400),
            "AA AA AA 96 69 00 03 60 02 61",
        ),
        (
            Command::SetBaudRate(BaudRate::B19200),
            "AA AA AA 96 69 00 03 60 03 60",
        ),
        (
            Command::SetBaudRate(BaudRate::B9600),
            "AA AA AA 96 69 00 03 60 04 67",
        ),
        (
            Command::SetMaxRfFrameSize(0x50),
            "AA AA AA 96 69 00 04 61 FF 50 CA",
        ),
    ];
    for (command, sheet) in table {
        check_request(command, sheet);
    }
    // success codes (§13.1): find answers 9F, everything else 90
    assert_eq!(Command::FindCard.success_status(), Status::FindSuccess);
    for c in Command::STANDARD {
        if c != Command::FindCard {
            assert_eq!(c.success_status(), Status::Success, "{}", c.name());
        }
    }
    // a known CMD with an unknown Para and vendor commands stay raw
    assert_eq!(
        Command::from_parts(0x20, 0x00, &[]),
        Command::Other {
            cmd: 0x20,
            para: 0x00,
            data: vec![]
        }
    );
    check_request(
        Command::Other {
            cmd: 0xA0,
            para: 0x03,
            data: vec![],
        },
        "AA AA AA 96 69 00 03 A0 03 A0",
    );
}

// §6.1 literal frames
#[test]
fn literal_frames_of_section_6() {
    let select_failed = hex("AA AA AA 96 69 00 04 00 00 81 85");
    assert_eq!(
        Reply::parse(&Command::SelectCard, &decode_one(&select_failed)).unwrap(),
        Reply::Failed(Status::SelectFailed)
    );
    let read_failed = hex("AA AA AA 96 69 00 04 00 00 41 45");
    assert_eq!(
        Reply::parse(&Command::ReadTextPhoto, &decode_one(&read_failed)).unwrap(),
        Reply::Failed(Status::ReadFailed)
    );
    assert_eq!(
        Reply::Failed(Status::ReadFailed)
            .to_frame(&Command::ReadTextPhoto)
            .unwrap(),
        read_failed
    );
}

// §6.4: the appended address frame is 81 bytes with Len 00 4A
#[test]
fn appended_address_frame() {
    let address = kiosk_core::personal::PersonalText::new("北京市东城区示例街道新址9号");
    let bytes = Reply::AppendedAddress(address.clone())
        .to_frame(&Command::ReadAppendedAddress)
        .unwrap();
    assert_eq!(bytes.len(), 81);
    assert_eq!(bytes[..10], hex("AA AA AA 96 69 00 4A 00 00 90")[..]);
    assert_eq!(
        Reply::parse(&Command::ReadAppendedAddress, &decode_one(&bytes)).unwrap(),
        Reply::AppendedAddress(address)
    );
}

// §13.1: a 90 answer to find, or a 9F answer to select, is not success
#[test]
fn success_codes_are_per_command() {
    let wrong = frame::encode_response(0, 0, 0x90, &[0; 4]).unwrap();
    assert!(Reply::parse(&Command::FindCard, &decode_one(&wrong)).is_err());
    let wrong = frame::encode_response(0, 0, 0x9F, &[0; 8]).unwrap();
    assert!(Reply::parse(&Command::SelectCard, &decode_one(&wrong)).is_err());
    // SW1/SW2 must be 00 00 on success (§5)
    let odd = frame::encode_response(0x6A, 0x82, 0x90, &[]).unwrap();
    assert!(Reply::parse(&Command::SamStatus, &decode_one(&odd)).is_err());
}

// §5: every SW3 code with its meaning
#[test]
fn status_codes() {
    let codes = [
        0x90, 0x9F, 0x91, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x40, 0x41, 0x47, 0x60,
        0x66, 0x80, 0x81,
    ];
    for code in codes {
        let s = Status::from_byte(code);
        assert!(!matches!(s, Status::Other(_)), "{code:02X}");
        assert_eq!(s.to_byte(), code);
        assert!(!s.meaning_zh().is_empty() && !s.meaning_en().is_empty());
        assert_eq!(s.is_success(), code == 0x90 || code == 0x9F);
    }
    assert_eq!(Status::from_byte(0xFF), Status::Other(0xFF));
    assert_eq!(
        Status::FindFailed.to_string(),
        "SW3 80 寻找证/卡失败 (find card failed)"
    );
    assert_eq!(
        Status::SamSelfTestFailed.class(),
        idcard::status::StatusClass::SamFault
    );
    assert_eq!(
        Status::SamNotAuthorised.class(),
        idcard::status::StatusClass::SamFault
    );
}
