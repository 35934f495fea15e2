//! Fault class: a card whose text block names no known card type.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use idcard::device::ScriptedCard;
use idcard::driver::{ReadFailure, ReaderEvent};

#[test]
fn an_unknown_card_type_is_reported_not_presented() {
    let mut bench = Bench::new();
    let mut text = resident_card().text;
    // the type marker lives at byte 248 (fact sheet §7); `Z` is no known type
    text[248] = b'Z';
    text[249] = 0;
    bench.sim.place_card(ScriptedCard::from_raw_text(text));
    match bench.wait_for("a read failure", |e| {
        matches!(e, ReaderEvent::ReadFailed(_))
    }) {
        ReaderEvent::ReadFailed(ReadFailure::Unparseable(why)) => {
            assert!(why.contains("card"), "{why}");
        }
        other => panic!("{other:?}"),
    }
    assert!(bench.driver.counters().reads_failed >= 1);
    assert_eq!(bench.driver.counters().reads_ok, 0);
}
