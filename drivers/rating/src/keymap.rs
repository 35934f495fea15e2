//! USB-keyboard pads: many cheap 评价器 present themselves as a HID keyboard and send one key
//! per button. There is no protocol to speak; the kiosk sees key presses in its window, and a
//! [`KeyMap`] from the configuration says which key is which level.
//!
//! The configuration is a list of five key names, **best first**: the first entry is the key
//! of level 5 非常满意, the last the key of level 1 非常不满意 (the order of the keys on most
//! pads, left to right). For example `["F1","F2","F3","F4","F5"]` or
//! `["1","2","3","4","5"]`.
//!
//! Key names (case-insensitive):
//!
//! - `F1` … `F24`;
//! - one printable ASCII character: a digit, a letter (`a` and `A` are the same key) or a
//!   symbol such as `+`, `-`, `*`, `/`, `.`;
//! - `Space`, `Enter` (or `Return`), `Tab`, `Escape` (or `Esc`), `Backspace`, `Delete`,
//!   `Insert`, `Home`, `End`, `PageUp`, `PageDown`, `Up`, `Down`, `Left`, `Right`.
//!
//! The app gets key presses from Slint as the key event's `text`: the character itself for
//! printable keys and, for special keys, the character of Slint's `Key` namespace (a
//! private-use code point from Apple's function-key range, e.g. `F1` is `U+F704`, `F12`
//! `U+F70F`, `UpArrow` `U+F700`; `Return` is `"\n"`, `Escape` `"\u{1b}"`). [`KeyMap::level_for_text`]
//! takes that text; [`KeyMap::level_for_name`] takes the names above.
//!
//! F12 opens the kiosk's dev dock when devices are simulated; with a keyboard pad the dev
//! dock is not shown, so a pad that sends F12 is fine on a real terminal.

use crate::message::Level;

/// One key of a keyboard, normalised (so `a`/`A` and `Enter`/`Return` compare equal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// A printable ASCII character other than space (letters in lower case).
    Char(char),
    /// `F1` … `F24`.
    Function(u8),
    /// A named non-printable key.
    Named(NamedKey),
}

/// The non-printable keys a pad may send, besides function keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NamedKey {
    /// Space bar.
    Space,
    /// Enter / Return.
    Enter,
    /// Tab.
    Tab,
    /// Escape.
    Escape,
    /// Backspace.
    Backspace,
    /// Delete.
    Delete,
    /// Insert.
    Insert,
    /// Home.
    Home,
    /// End.
    End,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// Arrow left.
    Left,
    /// Arrow right.
    Right,
}

/// Names accepted in the configuration, with the key and Slint's key text (`Key` namespace
/// of Slint 1.18, `i-slint-common/key_codes.rs`).
const NAMED: [(&str, NamedKey, char); 17] = [
    ("space", NamedKey::Space, ' '),
    ("enter", NamedKey::Enter, '\n'),
    ("return", NamedKey::Enter, '\n'),
    ("tab", NamedKey::Tab, '\t'),
    ("escape", NamedKey::Escape, '\u{1b}'),
    ("esc", NamedKey::Escape, '\u{1b}'),
    ("backspace", NamedKey::Backspace, '\u{8}'),
    ("delete", NamedKey::Delete, '\u{7f}'),
    ("insert", NamedKey::Insert, '\u{F727}'),
    ("home", NamedKey::Home, '\u{F729}'),
    ("end", NamedKey::End, '\u{F72B}'),
    ("pageup", NamedKey::PageUp, '\u{F72C}'),
    ("pagedown", NamedKey::PageDown, '\u{F72D}'),
    ("up", NamedKey::Up, '\u{F700}'),
    ("down", NamedKey::Down, '\u{F701}'),
    ("left", NamedKey::Left, '\u{F702}'),
    ("right", NamedKey::Right, '\u{F703}'),
];

/// Slint's text for `F1`; `F2` … `F24` follow one by one.
const SLINT_F1: u32 = 0xF704;
/// The highest function key Slint names.
const MAX_FUNCTION: u8 = 24;

impl Key {
    /// The key a configuration name means, if any.
    pub fn from_name(name: &str) -> Option<Key> {
        let mut chars = name.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return Key::printable(c);
        }
        let lower = name.to_ascii_lowercase();
        if let Some(n) = lower.strip_prefix('f')
            && !n.starts_with('0')
            && let Ok(n) = n.parse::<u8>()
            && (1..=MAX_FUNCTION).contains(&n)
        {
            return Some(Key::Function(n));
        }
        // Slint's own names for the arrows
        let lower = lower.strip_suffix("arrow").unwrap_or(&lower);
        NAMED
            .iter()
            .find(|(n, _, _)| *n == lower)
            .map(|(_, key, _)| Key::Named(*key))
    }

    /// The key behind a Slint key event's `text`, if it is one a pad may send.
    pub fn from_slint_text(text: &str) -> Option<Key> {
        let mut chars = text.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return None;
        };
        if let Some(n) = u32::from(c).checked_sub(SLINT_F1)
            && n < u32::from(MAX_FUNCTION)
        {
            // n < 24, so n + 1 fits a byte
            return Some(Key::Function(n as u8 + 1));
        }
        if let Some((_, key, _)) = NAMED.iter().find(|(_, _, t)| *t == c) {
            return Some(Key::Named(*key));
        }
        Key::printable(c)
    }

    /// Slint's key text for this key (what [`Key::from_slint_text`] reads back).
    pub fn slint_text(self) -> String {
        match self {
            Key::Char(c) => c.to_string(),
            Key::Function(n @ 1..=MAX_FUNCTION) => char::from_u32(SLINT_F1 + u32::from(n - 1))
                .map(String::from)
                .unwrap_or_default(),
            Key::Function(_) => String::new(),
            Key::Named(named) => NAMED
                .iter()
                .find(|(_, key, _)| *key == named)
                .map(|(_, _, c)| c.to_string())
                .unwrap_or_default(),
        }
    }

    fn printable(c: char) -> Option<Key> {
        if c == ' ' {
            Some(Key::Named(NamedKey::Space))
        } else if c.is_ascii_graphic() {
            Some(Key::Char(c.to_ascii_lowercase()))
        } else {
            None
        }
    }
}

impl std::fmt::Display for Key {
    /// The configuration name (`F1`, `1`, `a`, `PageUp`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Char(c) => write!(f, "{c}"),
            Key::Function(n) => write!(f, "F{n}"),
            Key::Named(named) => write!(f, "{named:?}"),
        }
    }
}

/// Why a key list is not a key map.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyMapError {
    /// Not exactly five names.
    #[error("需要 5 个按键（非常满意 … 非常不满意），实际 {found} 个")]
    WrongCount {
        /// How many were given.
        found: usize,
    },
    /// A name that is no key.
    #[error(
        "第 {position} 个按键 “{name}” 无法识别（可用 F1–F24、单个字母/数字/符号、Space、Enter、Tab、Esc、方向键等）"
    )]
    UnknownKey {
        /// 1-based position in the list.
        position: usize,
        /// The name as given.
        name: String,
    },
    /// The same key twice.
    #[error("第 {first} 个和第 {second} 个按键都是 “{name}”")]
    Duplicate {
        /// 1-based position of the first occurrence.
        first: usize,
        /// 1-based position of the repeat.
        second: usize,
        /// The name of the repeat as given.
        name: String,
    },
}

/// Which keyboard key is which level, for a pad that is a USB keyboard (see the module
/// docs for the configuration format).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMap {
    /// Keys best first: index 0 is level 5.
    keys: [Key; 5],
}

impl KeyMap {
    /// Parses five key names, best first.
    pub fn parse<S: AsRef<str>>(names: &[S]) -> Result<KeyMap, KeyMapError> {
        if names.len() != Level::BEST_FIRST.len() {
            return Err(KeyMapError::WrongCount { found: names.len() });
        }
        let mut keys = [Key::Function(1); 5];
        for (i, name) in names.iter().enumerate() {
            let name = name.as_ref();
            let key = Key::from_name(name).ok_or_else(|| KeyMapError::UnknownKey {
                position: i + 1,
                name: name.to_string(),
            })?;
            if let Some(first) = keys[..i].iter().position(|k| *k == key) {
                return Err(KeyMapError::Duplicate {
                    first: first + 1,
                    second: i + 1,
                    name: name.to_string(),
                });
            }
            keys[i] = key;
        }
        Ok(KeyMap { keys })
    }

    /// The level of a key given by name (`"F1"`, `"1"`), if it is one of the five.
    pub fn level_for_name(&self, name: &str) -> Option<Level> {
        self.level_for_key(Key::from_name(name)?)
    }

    /// The level of a Slint key event's `text`, if it is one of the five keys.
    pub fn level_for_text(&self, text: &str) -> Option<Level> {
        self.level_for_key(Key::from_slint_text(text)?)
    }

    /// The level of `key`, if it is one of the five.
    pub fn level_for_key(&self, key: Key) -> Option<Level> {
        let i = self.keys.iter().position(|k| *k == key)?;
        Level::BEST_FIRST.get(i).copied()
    }

    /// The key of `level`.
    pub fn key(&self, level: Level) -> Key {
        // BEST_FIRST holds all five levels and `keys` has five entries
        let i = Level::BEST_FIRST
            .iter()
            .position(|l| *l == level)
            .unwrap_or_default();
        self.keys[i]
    }
}
