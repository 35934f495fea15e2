//! Arbitrary bytes into the text-block parser and the full read-payload parser.
//!
//! Checks, besides "no panic": a block that parses re-encodes to a block that parses to
//! the same card; the same bytes as a `30 01`/`30 10` payload (length fields and all) and
//! as an appended address go through their parsers too; and a frame built around the
//! bytes decodes back to them.
#![no_main]

use idcard::card::CardText;
use idcard::frame::{self, Frame};
use idcard::response::{ReadPayload, parse_appended_address};
use idcard::{CardData, Command, Reply};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // the text block on its own (any length: wrong lengths must be typed errors)
    if let Ok(card) = CardText::parse(data) {
        let block = card.encode().expect("a parsed card re-encodes");
        assert_eq!(CardText::parse(&block).as_ref(), Ok(&card));
    }
    // the first 256 bytes as a block, whatever follows
    if let Some(block) = data.get(..256) {
        let _ = CardText::parse(block);
    }

    // the bytes as a read payload (text_len photo_len [fp_len] + blocks)
    for with_fingerprint in [false, true] {
        if let Ok(payload) = ReadPayload::parse(data, with_fingerprint) {
            let _ = CardData::from_read(payload);
        }
    }
    let _ = parse_appended_address(data);

    // and wrapped in a success frame, through the decoder's single-frame parser
    if let Ok(bytes) = frame::encode_response(0, 0, 0x90, data) {
        let frame = Frame::parse(&bytes).expect("an encoded frame parses");
        assert_eq!(frame.response().map(|v| v.payload), Ok(data));
        for command in [
            Command::ReadTextPhoto,
            Command::ReadTextPhotoFingerprint,
            Command::ReadAppendedAddress,
        ] {
            if let Ok(Reply::Read(payload)) = Reply::parse(&command, &frame) {
                let _ = CardData::from_read(payload);
            }
        }
    }
});
