//! Card numbers: a self-masking wrapper and the check-digit verdict.
//!
//! Resident cards, 港澳台居民居住证 and 2023 permanent-residence cards carry an 18-character
//! number with a GB 11643 (ISO 7064 MOD 11-2) check character (fact sheet §9); the check is
//! computed with kiosk-core's [`kiosk_core::identity::check_character`]. A wrong check
//! character is *reported*, never fatal: the card says what it says, and the caller flags it.
//! 2017 permanent-residence numbers (3 letters + 12 digits) have no GB 11643 check digit.

use std::fmt;

use kiosk_core::identity::{IdNumber, check_character};

/// A number read from a card (ID number, permit number, pass number). Masks itself in
/// `Debug`/`Display` (`1101**********002X`); [`DocumentNumber::reveal`] gives the clear text.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DocumentNumber(String);

impl DocumentNumber {
    /// Wraps a number as read (or as a test builds it).
    pub fn new(number: impl Into<String>) -> Self {
        Self(number.into())
    }

    /// The clear number, for the backend and the explicit `--reveal` path only.
    pub fn reveal(&self) -> &str {
        &self.0
    }

    /// Masked form: 15+ characters keep 4 at each end (`1101**********002X`), 8–14 keep
    /// 2 at each end (`H1*****78`), shorter ones are all stars.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        let n = chars.len();
        let keep = match n {
            15.. => 4,
            8..=14 => 2,
            _ => 0,
        };
        chars
            .iter()
            .enumerate()
            .map(|(i, c)| if i < keep || i >= n - keep { *c } else { '*' })
            .collect()
    }

    /// The kiosk-core ID number, when the text is shaped like one (17 digits + digit/X).
    pub fn to_id_number(&self) -> Option<IdNumber> {
        IdNumber::parse(&self.0).ok()
    }
}

impl fmt::Debug for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentNumber({})", self.masked())
    }
}

impl fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// The verdict on a card's number: reported with the card, never a reason to drop it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberCheck {
    /// The GB 11643 check character matches.
    Valid,
    /// Shaped right, but the check character is not the one the first 17 digits give.
    Mismatch {
        /// The check character the first 17 digits give.
        expected: char,
    },
    /// Not shaped like this card type's number (length, characters, or prefix).
    Malformed,
    /// The card type's number has no check character that this crate verifies (2017
    /// permanent-residence card); its shape was fine.
    NotApplicable,
}

impl NumberCheck {
    /// True only for [`NumberCheck::Valid`].
    pub fn is_valid(self) -> bool {
        self == Self::Valid
    }

    /// True for the verdicts a screen or log should flag (mismatch, malformed).
    pub fn is_flagged(self) -> bool {
        matches!(self, Self::Mismatch { .. } | Self::Malformed)
    }

    /// `valid` / `mismatch` / `malformed` / `not_applicable` (the JSON form).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Mismatch { .. } => "mismatch",
            Self::Malformed => "malformed",
            Self::NotApplicable => "not_applicable",
        }
    }
}

/// GB 11643 verdict for an 18-character number: 17 ASCII digits then a digit or upper-case
/// `X` (the chip holds `X`, fact sheet §9; a lower-case `x` on a card is malformed).
pub fn gb11643_check(number: &str) -> NumberCheck {
    let b = number.as_bytes();
    if b.len() != 18 {
        return NumberCheck::Malformed;
    }
    let (body, last) = b.split_at(17);
    let last = char::from(last[0]);
    if !(last.is_ascii_digit() || last == 'X') {
        return NumberCheck::Malformed;
    }
    // `body` is ASCII when `check_character` accepts it
    match std::str::from_utf8(body).ok().and_then(check_character) {
        None => NumberCheck::Malformed,
        Some(expected) if expected == last => NumberCheck::Valid,
        Some(expected) => NumberCheck::Mismatch { expected },
    }
}

/// Verdict for a 港澳台居民居住证 number: prefix `810000` (HK), `820000` (Macao) or
/// `830000` (Taiwan), then GB 11643.
pub fn hmt_check(number: &str) -> NumberCheck {
    if ["810000", "820000", "830000"]
        .iter()
        .any(|p| number.starts_with(p))
    {
        gb11643_check(number)
    } else {
        NumberCheck::Malformed
    }
}

/// Verdict for a 2023 permanent-residence number: 18 characters, first digit `9`, then
/// GB 11643.
pub fn foreign2023_check(number: &str) -> NumberCheck {
    if number.starts_with('9') {
        gb11643_check(number)
    } else {
        NumberCheck::Malformed
    }
}

/// Verdict for a 2017 permanent-residence number: 3 upper-case letters + 12 digits is
/// [`NumberCheck::NotApplicable`] (no GB 11643 digit), anything else is malformed.
pub fn foreign2017_check(number: &str) -> NumberCheck {
    let b = number.as_bytes();
    let shaped = b.len() == 15
        && b[..3].iter().all(u8::is_ascii_uppercase)
        && b[3..].iter().all(u8::is_ascii_digit);
    if shaped {
        NumberCheck::NotApplicable
    } else {
        NumberCheck::Malformed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_examples() {
        assert_eq!(gb11643_check("11010519491231002X"), NumberCheck::Valid);
        assert_eq!(foreign2023_check("932682198501010017"), NumberCheck::Valid);
        assert_eq!(foreign2023_check("911124198108030024"), NumberCheck::Valid);
        assert_eq!(
            gb11643_check("110101197608056896"),
            NumberCheck::Mismatch { expected: '7' }
        );
        assert_eq!(gb11643_check("11010519491231002x"), NumberCheck::Malformed);
        assert_eq!(gb11643_check("1101051949123100２X"), NumberCheck::Malformed);
        assert_eq!(
            foreign2017_check("USA110085071234"),
            NumberCheck::NotApplicable
        );
        assert_eq!(foreign2017_check("US1110085071234"), NumberCheck::Malformed);
    }

    #[test]
    fn masks() {
        assert_eq!(
            DocumentNumber::new("11010519491231002X").masked(),
            "1101**********002X"
        );
        assert_eq!(DocumentNumber::new("H12345678").masked(), "H1*****78");
        assert_eq!(DocumentNumber::new("1234").masked(), "****");
    }
}
