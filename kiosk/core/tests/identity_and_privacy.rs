//! GB 11643 check digits, the sample people, and personal data that masks itself.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kiosk_core::identity::{Gender, IdNumber, IdNumberError, Identity, check_character};
use kiosk_core::personal::{PersonName, PersonalText, PhoneNumber};
use kiosk_core::samples::SAMPLE_PEOPLE;
use proptest::prelude::*;

/// Vectors computed by hand from the weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 and the
/// mapping 1 0 X 9 8 7 6 5 4 3 2 of the remainder mod 11: one for every remainder 0..=10.
const VALID: [&str; 11] = [
    "320102198506150081", // remainder 0 -> 1
    "320102198506150030", // 1 -> 0
    "32010219850615009X", // 2 -> X
    "320102198506150049", // 3 -> 9
    "320102198506150188", // 4 -> 8
    "320102198506150057", // 5 -> 7
    "320102198506150006", // 6 -> 6
    "320102198506150065", // 7 -> 5
    "320102198506150014", // 8 -> 4
    "320102198506150073", // 9 -> 3
    "320102198506150022", // 10 -> 2
];

/// More valid numbers from other regions (the GB 11643 worked example among them).
const MORE_VALID: [&str; 5] = [
    "11010519491231002X",
    "440304199001010011",
    "610725196208080131",
    "371702195603120246",
    "522428197906255813",
];

const CHECKS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

fn identity_with(name: &str, id: &str) -> Identity {
    Identity {
        name: PersonName::new(name),
        gender: Gender::Female,
        nation: "汉".into(),
        birth_date: "1985-06-15".into(),
        address: PersonalText::new("江苏省南京市玄武区示例路1号"),
        id_number: IdNumber::parse(id).unwrap(),
        issuer: PersonalText::new("南京市公安局玄武分局"),
        valid_from: "2015-01-01".into(),
        valid_until: "2035-01-01".into(),
    }
}

// ---------------------------------------------------------------------------------------
// GB 11643
// ---------------------------------------------------------------------------------------

#[test]
fn check_character_of_every_remainder() {
    for (remainder, id) in VALID.iter().enumerate() {
        let (body, last) = id.split_at(17);
        assert_eq!(check_character(body), Some(CHECKS[remainder]), "{id}");
        assert_eq!(last.chars().next(), Some(CHECKS[remainder]));
        assert!(IdNumber::parse(id).unwrap().check_digit_ok(), "{id}");
    }
    for id in MORE_VALID {
        assert!(IdNumber::parse(id).unwrap().check_digit_ok(), "{id}");
        assert_eq!(
            check_character(&id[..17]).map(String::from).as_deref(),
            Some(&id[17..])
        );
    }
}

#[test]
fn every_wrong_check_character_is_flagged() {
    for id in VALID.iter().chain(MORE_VALID.iter()) {
        let good = id.chars().last().unwrap();
        for c in CHECKS.into_iter().filter(|&c| c != good) {
            let wrong = format!("{}{c}", &id[..17]);
            let parsed = IdNumber::parse(&wrong).unwrap();
            assert!(!parsed.check_digit_ok(), "{wrong} passed");
        }
    }
}

#[test]
fn every_single_digit_error_in_the_body_is_caught() {
    for id in ["11010519491231002X", "320102198506150081"] {
        for pos in 0..17 {
            for d in b'0'..=b'9' {
                let mut bytes = id.as_bytes().to_vec();
                if bytes[pos] == d {
                    continue;
                }
                bytes[pos] = d;
                let wrong = String::from_utf8(bytes).unwrap();
                assert!(
                    !IdNumber::parse(&wrong).unwrap().check_digit_ok(),
                    "{wrong}"
                );
            }
        }
    }
}

#[test]
fn adjacent_transpositions_are_caught() {
    let id = "11010519491231002X";
    for pos in 0..16 {
        let mut bytes = id.as_bytes().to_vec();
        if bytes[pos] == bytes[pos + 1] {
            continue;
        }
        bytes.swap(pos, pos + 1);
        let wrong = String::from_utf8(bytes).unwrap();
        assert!(
            !IdNumber::parse(&wrong).unwrap().check_digit_ok(),
            "{wrong}"
        );
    }
}

#[test]
fn lowercase_x_and_surrounding_blanks_are_normalised() {
    let id = IdNumber::parse(" 32010219850615009x\n").unwrap();
    assert_eq!(id.reveal(), "32010219850615009X");
    assert!(id.check_digit_ok());
}

#[test]
fn check_character_needs_seventeen_digits() {
    assert_eq!(check_character("1101051949123100"), None);
    assert_eq!(check_character("110105194912310021"), None);
    assert_eq!(check_character("1101051949123100A"), None);
    assert_eq!(check_character("１１０１０５１９４９１２３１００"), None);
    assert_eq!(check_character(""), None);
}

#[test]
fn badly_shaped_numbers_are_errors() {
    assert_eq!(IdNumber::parse(""), Err(IdNumberError::WrongLength));
    assert_eq!(
        IdNumber::parse("11010519491231002"),
        Err(IdNumberError::WrongLength)
    );
    assert_eq!(
        IdNumber::parse("11010519491231002XX"),
        Err(IdNumberError::WrongLength)
    );
    assert_eq!(
        IdNumber::parse("X10105194912310021"),
        Err(IdNumberError::BadCharacter)
    );
    assert_eq!(
        IdNumber::parse("1101051949123100-X"),
        Err(IdNumberError::BadCharacter)
    );
    assert_eq!(
        IdNumber::parse("11010519491231002Y"),
        Err(IdNumberError::BadCharacter)
    );
}

#[test]
fn non_ascii_garbage_from_a_reader_is_an_error_not_a_panic() {
    // 18 characters, but multi-byte ones: a reader handing over garbage must not crash us
    for garbage in [
        "1101051949123100中X",
        "１１０１０５１９４９１２３１００２Ｘ",
        "11010519491231002Ⅹ",
        "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
    ] {
        assert_eq!(garbage.chars().count(), 18, "{garbage}");
        assert_eq!(
            IdNumber::parse(garbage),
            Err(IdNumberError::BadCharacter),
            "{garbage}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The sample people
// ---------------------------------------------------------------------------------------

#[test]
fn sample_people_have_valid_numbers_matching_their_card() {
    assert!(!SAMPLE_PEOPLE.is_empty());
    for p in SAMPLE_PEOPLE {
        let number = p.id_number();
        let parsed = IdNumber::parse(&number).unwrap();
        assert!(parsed.check_digit_ok(), "{}", parsed.masked());
        assert_eq!(
            check_character(&number[..17]).map(String::from).as_deref(),
            Some(&number[17..])
        );
        let identity = p.identity();
        assert_eq!(identity.id_number, parsed);
        assert_eq!(&number[..6], p.region);
        assert_eq!(&number[6..14], p.birth);
        assert_eq!(identity.birth_date.replace('-', ""), p.birth);
        assert_eq!(identity.name.reveal(), p.name);
        assert_eq!(identity.address.reveal(), p.address);
        // GB 11643: the 17th digit is odd for men, even for women
        let odd = (number.as_bytes()[16] - b'0') % 2 == 1;
        assert_eq!(odd, p.gender == Gender::Male, "{}", parsed.masked());
        assert_eq!(identity.gender, p.gender);
    }
}

#[test]
fn sample_people_are_distinct() {
    let mut numbers: Vec<_> = SAMPLE_PEOPLE.iter().map(|p| p.id_number()).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), SAMPLE_PEOPLE.len());
}

#[test]
fn age_counts_whole_years_up_to_the_birthday() {
    let id = identity_with("张小三", "320102198506150081");
    assert_eq!(id.age_on("2026-06-14"), Some(40));
    assert_eq!(id.age_on("2026-06-15"), Some(41));
    assert_eq!(id.age_on("1985-06-15"), Some(0));
    assert_eq!(id.age_on("1980-01-01"), None, "before birth");
    assert_eq!(id.age_on("2026/06/15"), None);
}

// ---------------------------------------------------------------------------------------
// Masking
// ---------------------------------------------------------------------------------------

#[test]
fn id_numbers_mask_in_debug_display_and_masked() {
    let id = IdNumber::parse("32010219850615009X").unwrap();
    assert_eq!(id.masked(), "3201**********009X");
    assert_eq!(id.to_string(), "3201**********009X");
    assert_eq!(format!("{id:?}"), "IdNumber(3201**********009X)");
    assert_eq!(format!("{id:#?}"), "IdNumber(3201**********009X)");
    assert_eq!(
        format!("{id:>30}").trim(),
        "3201**********009X".to_string().trim()
    );
    assert_eq!(id.reveal(), "32010219850615009X");
}

#[test]
fn names_mask_in_debug_and_display() {
    for (name, masked) in [
        ("张三", "张*"),
        ("张小三", "张*三"),
        ("欧阳小明", "欧**明"),
        ("王", "*"),
        ("王建𪚥", "王*𪚥"),
    ] {
        let n = PersonName::new(name);
        assert_eq!(n.masked(), masked);
        assert_eq!(n.to_string(), masked);
        assert_eq!(format!("{n:?}"), format!("PersonName({masked})"));
        assert_eq!(n.reveal(), name);
    }
    let long = PersonName::new("阿依古丽·买买提");
    assert_eq!(long.masked(), "阿******提");
}

#[test]
fn identity_debug_never_shows_name_number_address_or_issuer() {
    for p in SAMPLE_PEOPLE {
        let identity = p.identity();
        for shown in [format!("{identity:?}"), format!("{identity:#?}")] {
            assert!(!shown.contains(p.name), "{shown}");
            assert!(!shown.contains(&p.id_number()), "{shown}");
            assert!(!shown.contains(p.address), "{shown}");
            assert!(!shown.contains(p.issuer), "{shown}");
            assert!(shown.contains(&identity.id_number.masked()), "{shown}");
            assert!(shown.contains(&identity.name.masked()), "{shown}");
        }
    }
}

#[test]
fn personal_text_and_phone_numbers_mask() {
    let a = PersonalText::new("江苏省南京市玄武区示例路1号");
    assert_eq!(a.to_string(), "****");
    assert_eq!(format!("{a:?}"), "PersonalText(<14 chars>)");
    assert_eq!(a.masked(6), "江苏省南京市****");
    assert_eq!(a.masked(100), "江苏省南京市玄武区示例路1号");
    let p = PhoneNumber::parse("13912345678").unwrap();
    assert_eq!(p.to_string(), "139****5678");
    assert!(!format!("{p:?}").contains("13912345678"));
}

#[test]
fn form_data_debug_hides_the_phone_number() {
    let form = kiosk_core::forms::FormData {
        phone: "13912345678".into(),
        choice: Some(1),
    };
    let shown = format!("{form:?}");
    assert!(!shown.contains("13912345678"), "{shown}");
    assert!(!shown.contains("12345678"), "{shown}");
    assert!(shown.contains("choice"), "{shown}");
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

fn valid_id() -> impl Strategy<Value = String> {
    "[1-8][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9])[0-9]{3}"
        .prop_map(|body| format!("{body}{}", check_character(&body).unwrap()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn masked_output_never_contains_the_full_id_number(id in valid_id()) {
        let number = IdNumber::parse(&id).unwrap();
        prop_assert!(number.check_digit_ok());
        for shown in [number.masked(), number.to_string(), format!("{number:?}"), format!("{number:#?}")] {
            prop_assert!(!shown.contains(&id), "{}", shown);
            prop_assert!(!shown.contains(&id[4..14]), "{}", shown);
        }
        let masked = number.masked();
        prop_assert_eq!(masked.chars().count(), 18);
        prop_assert_eq!(&masked[..4], &id[..4]);
        prop_assert_eq!(&masked[14..], &id[14..]);
        prop_assert_eq!(&masked[4..14], "**********");
        let identity = identity_with("李建国", &id);
        let shown = format!("{identity:?}");
        prop_assert!(!shown.contains(&id), "{}", shown);
    }

    #[test]
    fn a_changed_check_character_is_always_flagged(id in valid_id(), c in prop::sample::select(CHECKS.to_vec())) {
        prop_assume!(!id.ends_with(c));
        let wrong = format!("{}{c}", &id[..17]);
        prop_assert!(!IdNumber::parse(&wrong).unwrap().check_digit_ok());
    }

    #[test]
    fn a_single_changed_digit_is_always_flagged(id in valid_id(), pos in 0usize..17, d in 0u8..10) {
        let mut bytes = id.clone().into_bytes();
        prop_assume!(bytes[pos] != b'0' + d);
        bytes[pos] = b'0' + d;
        let wrong = String::from_utf8(bytes).unwrap();
        prop_assert!(!IdNumber::parse(&wrong).unwrap().check_digit_ok());
    }

    #[test]
    fn parsing_any_text_never_panics(text in "\\PC{0,24}") {
        let _ = IdNumber::parse(&text);
    }

    #[test]
    fn parsing_any_eighteen_characters_never_panics(text in "[0-9X中Ⅹ１é😀]{18}") {
        if let Ok(id) = IdNumber::parse(&text) {
            prop_assert!(text.is_ascii());
            let _ = id.check_digit_ok();
            let _ = id.masked();
        }
    }

    #[test]
    fn masked_names_never_reveal_the_full_name(name in "[\u{4e00}-\u{9fa5}]{2,6}") {
        let n = PersonName::new(name.clone());
        for shown in [n.masked(), n.to_string(), format!("{n:?}")] {
            prop_assert!(!shown.contains(&name), "{}", shown);
        }
        let masked = n.masked();
        prop_assert_eq!(masked.chars().count(), name.chars().count());
        prop_assert_eq!(masked.chars().next(), name.chars().next());
        prop_assert!(masked.contains('*'));
    }

    #[test]
    fn personal_text_never_displays(text in "\\PC{1,40}") {
        let t = PersonalText::new(text.clone());
        prop_assert_eq!(t.to_string(), "****");
        let debug = format!("{t:?}");
        prop_assert_eq!(debug, format!("PersonalText(<{} chars>)", text.chars().count()));
    }
}
