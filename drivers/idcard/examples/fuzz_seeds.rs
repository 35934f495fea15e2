//! Writes seed inputs for the fuzz targets in `fuzz/` from the crate's own encoder: every
//! request frame, the answers of the simulated reader for each sample card, and the raw
//! text blocks and read payloads.
//!
//! Run with `cargo run -p idcard --example fuzz_seeds -- fuzz/seeds` from the repository
//! root; it writes `<dir>/idcard_frame_decoder/*` and `<dir>/idcard_card_parser/*`.

use std::fs;
use std::path::PathBuf;

use idcard::command::BaudRate;
use idcard::device::{ScriptedCard, SimulatedReader, samples};
use idcard::photo::WltPhoto;
use idcard::response::ReadPayload;
use idcard::{Command, Reply};
use kiosk_core::personal::PersonalText;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = PathBuf::from(std::env::args().nth(1).ok_or("usage: fuzz_seeds <dir>")?);
    let frames_dir = root.join("idcard_frame_decoder");
    let cards_dir = root.join("idcard_card_parser");
    fs::create_dir_all(&frames_dir)?;
    fs::create_dir_all(&cards_dir)?;

    // frame decoder seeds: chunk-seed byte + a stream of frames
    let mut commands: Vec<Command> = Command::STANDARD.to_vec();
    commands.extend(BaudRate::ALL.map(Command::SetBaudRate));
    let requests: Vec<u8> = commands
        .iter()
        .map(Command::encode)
        .collect::<Result<Vec<_>, _>>()?
        .concat();
    fs::write(
        frames_dir.join("requests"),
        [&[7u8][..], &requests].concat(),
    )?;

    for (i, text) in samples::all().iter().enumerate() {
        let mut reader = SimulatedReader::new();
        reader.place_card(
            ScriptedCard::new(text)?
                .with_fingerprint(samples::fingerprint())
                .with_appended_address(PersonalText::new("北京市东城区示例街道新址路9号")),
        );
        let mut cycle = vec![(i * 37 % 256) as u8];
        for c in [
            Command::ReadSamId,
            Command::FindCard,
            Command::SelectCard,
            Command::ReadTextPhoto,
            Command::ReadAppendedAddress,
            Command::FindCard,
        ] {
            cycle.extend(reader.respond(&c));
        }
        fs::write(frames_dir.join(format!("cycle_{i}")), &cycle)?;
        let fp = reader.respond(&Command::ReadTextPhotoFingerprint);
        fs::write(
            frames_dir.join(format!("fingerprint_{i}")),
            [&[3u8][..], &fp].concat(),
        )?;
        // a damaged copy followed by the good one
        let mut damaged = fp.clone();
        if let Some(b) = damaged.get_mut(700) {
            *b ^= 0x20;
        }
        fs::write(
            frames_dir.join(format!("damaged_{i}")),
            [&[11u8][..], &damaged, &fp].concat(),
        )?;

        // card parser seeds: the text block, both read payload forms, and the address
        let block = text.encode()?;
        fs::write(cards_dir.join(format!("block_{i}")), block)?;
        let payload = ReadPayload {
            text: block.to_vec(),
            photo: samples::photo(),
            fingerprint: Some(samples::fingerprint()),
        };
        let with_fp = Reply::Read(payload.clone()).to_frame(&Command::ReadTextPhotoFingerprint)?;
        let plain = Reply::Read(ReadPayload {
            fingerprint: None,
            photo: WltPhoto::new(vec![0; 1024]),
            ..payload
        })
        .to_frame(&Command::ReadTextPhoto)?;
        // payload = frame minus header (7), SW (3) and checksum (1)
        let strip = |f: &[u8]| f.get(10..f.len().saturating_sub(1)).map(<[u8]>::to_vec);
        fs::write(
            cards_dir.join(format!("read_{i}")),
            strip(&plain).ok_or("short")?,
        )?;
        fs::write(
            cards_dir.join(format!("read_fp_{i}")),
            strip(&with_fp).ok_or("short")?,
        )?;
    }
    let address = Reply::AppendedAddress(PersonalText::new("北京市东城区示例街道新址路9号"))
        .to_frame(&Command::ReadAppendedAddress)?;
    fs::write(
        cards_dir.join("address"),
        address.get(10..80).ok_or("short")?,
    )?;
    println!("seeds written under {}", root.display());
    Ok(())
}
