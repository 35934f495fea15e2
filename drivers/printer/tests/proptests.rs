//! Properties: the device parser never panics on arbitrary bytes and does not depend on how
//! the stream is chunked; wrapping never exceeds the width nor loses characters.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use printer::device::Device;
use printer::text::{display_width, wrap};
use proptest::prelude::*;

fn cmd_soup() -> impl Strategy<Value = Vec<u8>> {
    // arbitrary bytes mixed with command prefixes, so the parser's branches get exercised
    let atom = prop_oneof![
        any::<u8>().prop_map(|b| vec![b]),
        Just(vec![0x1B]),
        Just(vec![0x1C]),
        Just(vec![0x1D]),
        Just(vec![0x10, 0x04]),
        Just(vec![0x1D, 0x28, 0x6B]),
        Just(vec![0x1D, 0x76, 0x30, 0x00]),
        Just(vec![0xB0, 0xEC]),
        Just(vec![0x0A]),
    ];
    prop::collection::vec(atom, 0..200).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn parser_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let mut dev = Device::default();
        let answers = dev.receive(&bytes);
        dev.flush_line();
        for a in answers {
            prop_assert!(printer::status::is_status_byte(a));
        }
    }

    #[test]
    fn chunking_does_not_change_the_paper(bytes in cmd_soup(), cut in 1usize..64) {
        let mut whole = Device::default();
        let a1 = whole.receive(&bytes);
        let mut parts = Device::default();
        let mut a2 = Vec::new();
        for c in bytes.chunks(cut) {
            a2.extend(parts.receive(c));
        }
        prop_assert_eq!(a1, a2);
        prop_assert_eq!(whole.paper(), parts.paper());
        prop_assert_eq!(whole.buffered(), parts.buffered());
    }

    #[test]
    fn wrap_fits_and_keeps_every_character(s in "[a-z 办件回执，。0-9]{0,80}", cols in 2usize..50) {
        let lines = wrap(&s, cols);
        for l in &lines {
            prop_assert!(display_width(l) <= cols, "{:?} wider than {}", l, cols);
        }
        let kept: String = lines.concat().chars().filter(|c| *c != ' ').collect();
        let orig: String = s.chars().filter(|c| *c != ' ').collect();
        prop_assert_eq!(kept, orig);
    }
}
