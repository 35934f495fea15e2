//! Key maps of USB-keyboard pads: the configuration's names, Slint's key texts, the order
//! (first entry = 非常满意), and the errors for a wrong count, an unknown name and a duplicate.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rating::keymap::{Key, KeyMap, KeyMapError, NamedKey};
use rating::message::Level;

#[test]
fn function_keys_best_first() {
    let map = KeyMap::parse(&["F1", "F2", "F3", "F4", "F5"]).unwrap();
    assert_eq!(map.level_for_name("F1"), Some(Level::VerySatisfied));
    assert_eq!(map.level_for_name("f2"), Some(Level::Satisfied));
    assert_eq!(map.level_for_name("F3"), Some(Level::Acceptable));
    assert_eq!(map.level_for_name("F4"), Some(Level::Dissatisfied));
    assert_eq!(map.level_for_name("F5"), Some(Level::VeryDissatisfied));
    assert_eq!(map.level_for_name("F6"), None);
    assert_eq!(map.key(Level::VeryDissatisfied), Key::Function(5));
}

#[test]
fn slint_sends_function_keys_as_private_use_characters() {
    // Slint 1.18 `Key` namespace: F1 = U+F704 … F24 = U+F71B
    let map = KeyMap::parse(&["F1", "F2", "F3", "F4", "F12"]).unwrap();
    assert_eq!(map.level_for_text("\u{F704}"), Some(Level::VerySatisfied));
    assert_eq!(map.level_for_text("\u{F705}"), Some(Level::Satisfied));
    assert_eq!(
        map.level_for_text("\u{F70F}"),
        Some(Level::VeryDissatisfied)
    );
    assert_eq!(map.level_for_text("\u{F708}"), None, "F5 is not mapped");
    assert_eq!(
        map.level_for_text("F1"),
        None,
        "the name is not the key text"
    );
    assert_eq!(Key::from_slint_text("\u{F71B}"), Some(Key::Function(24)));
    assert_eq!(Key::from_slint_text("\u{F71C}"), None);
    for n in 1..=24 {
        let key = Key::Function(n);
        assert_eq!(Key::from_slint_text(&key.slint_text()), Some(key));
        assert_eq!(Key::from_name(&format!("F{n}")), Some(key));
    }
}

#[test]
fn digits_and_letters() {
    let map = KeyMap::parse(&["1", "2", "3", "4", "5"]).unwrap();
    assert_eq!(map.level_for_text("1"), Some(Level::VerySatisfied));
    assert_eq!(map.level_for_text("5"), Some(Level::VeryDissatisfied));
    assert_eq!(map.level_for_text("6"), None);
    assert_eq!(map.level_for_text(""), None);
    assert_eq!(map.level_for_text("12"), None);

    let map = KeyMap::parse(&["a", "B", "c", "d", "+"]).unwrap();
    // a pad may send letters with or without shift
    assert_eq!(map.level_for_text("A"), Some(Level::VerySatisfied));
    assert_eq!(map.level_for_text("b"), Some(Level::Satisfied));
    assert_eq!(map.level_for_text("+"), Some(Level::VeryDissatisfied));
}

#[test]
fn named_keys_by_name_and_by_slint_text() {
    let map = KeyMap::parse(&["PageUp", "PageDown", "Enter", "space", "UpArrow"]).unwrap();
    assert_eq!(map.level_for_text("\u{F72C}"), Some(Level::VerySatisfied));
    assert_eq!(map.level_for_text("\u{F72D}"), Some(Level::Satisfied));
    assert_eq!(map.level_for_text("\n"), Some(Level::Acceptable));
    assert_eq!(map.level_for_name("Return"), Some(Level::Acceptable));
    assert_eq!(map.level_for_text(" "), Some(Level::Dissatisfied));
    assert_eq!(
        map.level_for_text("\u{F700}"),
        Some(Level::VeryDissatisfied)
    );
    assert_eq!(map.level_for_name("up"), Some(Level::VeryDissatisfied));
    assert_eq!(Key::from_name("Esc"), Some(Key::Named(NamedKey::Escape)));
    assert_eq!(
        Key::from_slint_text("\u{1b}"),
        Some(Key::Named(NamedKey::Escape))
    );
    assert_eq!(Key::Named(NamedKey::Tab).slint_text(), "\t");
}

#[test]
fn the_list_must_have_five_keys() {
    assert_eq!(
        KeyMap::parse(&["1", "2", "3", "4"]),
        Err(KeyMapError::WrongCount { found: 4 })
    );
    assert_eq!(
        KeyMap::parse::<&str>(&[]),
        Err(KeyMapError::WrongCount { found: 0 })
    );
    assert_eq!(
        KeyMap::parse(&["1", "2", "3", "4", "5", "6"]),
        Err(KeyMapError::WrongCount { found: 6 })
    );
}

#[test]
fn unknown_names_are_refused_with_their_position() {
    for bad in [
        "F0", "F25", "F01", "Foo", "ab", "", "１", "é", "\u{F704}", "Shift",
    ] {
        let names = ["F1", "F2", bad, "F4", "F5"];
        assert_eq!(
            KeyMap::parse(&names),
            Err(KeyMapError::UnknownKey {
                position: 3,
                name: bad.to_string()
            }),
            "{bad:?}"
        );
    }
    let e = KeyMap::parse(&["F1", "F2", "Foo", "F4", "F5"]).unwrap_err();
    assert!(e.to_string().contains("第 3 个按键 “Foo” 无法识别"), "{e}");
}

#[test]
fn duplicates_are_refused_even_when_spelt_differently() {
    assert_eq!(
        KeyMap::parse(&["F1", "F2", "F3", "F2", "F5"]),
        Err(KeyMapError::Duplicate {
            first: 2,
            second: 4,
            name: "F2".into()
        })
    );
    assert_eq!(
        KeyMap::parse(&["a", "b", "c", "d", "A"]),
        Err(KeyMapError::Duplicate {
            first: 1,
            second: 5,
            name: "A".into()
        })
    );
    assert!(matches!(
        KeyMap::parse(&["Enter", "Return", "1", "2", "3"]),
        Err(KeyMapError::Duplicate {
            first: 1,
            second: 2,
            ..
        })
    ));
    let e = KeyMap::parse(&["1", "1", "3", "4", "5"]).unwrap_err();
    assert_eq!(e.to_string(), "第 1 个和第 2 个按键都是 “1”");
}

#[test]
fn owned_strings_from_a_config_file_work_too() {
    let from_toml: Vec<String> = ["F1", "F2", "F3", "F4", "F5"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(KeyMap::parse(&from_toml).is_ok());
}
