//! The citizen's identity as read from a second-generation ID card, and the GB 11643
//! citizen identification number with its check digit.

use crate::personal::{PersonName, PersonalText};
use std::fmt;

/// An 18-character citizen identification number (GB 11643-1999).
///
/// Parsing never fails on a bad check digit: the reader hands us what the card holds, and
/// the digit is reported through [`IdNumber::check_digit_ok`] so the caller can flag it
/// rather than reject a real card with a misprinted number.
#[derive(Clone, PartialEq, Eq)]
pub struct IdNumber(String);

/// Why a string is not shaped like an ID number at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    /// Not 18 characters.
    #[error("身份证号码应为18位")]
    WrongLength,
    /// The first 17 are not digits or the last is not a digit or X.
    #[error("身份证号码含有无效字符")]
    BadCharacter,
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The GB 11643 check character for the first 17 digits (ISO 7064 MOD 11-2).
/// Returns `None` if `body` is not 17 ASCII digits.
pub fn check_character(body: &str) -> Option<char> {
    if body.len() != 17 || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = body
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK_CHARS.get((sum % 11) as usize).copied()
}

impl IdNumber {
    /// Parses the shape (17 digits + digit or X); a lowercase x is normalised.
    pub fn parse(text: &str) -> Result<Self, IdNumberError> {
        let text = text.trim().to_ascii_uppercase();
        if text.chars().count() != 18 {
            return Err(IdNumberError::WrongLength);
        }
        // multi-byte characters (garbage from a reader, full-width digits) would make the
        // byte split below land inside a character
        if !text.is_ascii() {
            return Err(IdNumberError::BadCharacter);
        }
        let (body, last) = text.split_at(17);
        if !body.bytes().all(|b| b.is_ascii_digit())
            || !last.bytes().all(|b| b.is_ascii_digit() || b == b'X')
        {
            return Err(IdNumberError::BadCharacter);
        }
        Ok(Self(text))
    }

    /// Wraps a number the crate built itself from 17 digits and their check character.
    pub(crate) fn from_trusted(number: String) -> Self {
        Self(number)
    }

    /// True when the 18th character matches the check character of the first 17.
    pub fn check_digit_ok(&self) -> bool {
        let (body, last) = self.0.split_at(17);
        check_character(body).map(String::from).as_deref() == Some(last)
    }

    /// The clear number, for the backend only.
    pub fn reveal(&self) -> &str {
        &self.0
    }

    /// The masked form for screens and receipts: first 4 and last 4 kept, `3201**********1234`.
    pub fn masked(&self) -> String {
        format!("{}{}{}", &self.0[..4], "*".repeat(10), &self.0[14..])
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Gender as printed on the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    /// 男
    Male,
    /// 女
    Female,
}

impl Gender {
    /// 男 / 女
    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

/// What a resident ID card says about its holder. Personal fields mask themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// 姓名
    pub name: PersonName,
    /// 性别
    pub gender: Gender,
    /// 民族 (e.g. 汉)
    pub nation: String,
    /// 出生日期, `YYYY-MM-DD`
    pub birth_date: String,
    /// 住址
    pub address: PersonalText,
    /// 公民身份号码
    pub id_number: IdNumber,
    /// 签发机关
    pub issuer: PersonalText,
    /// 有效期限起始日期, `YYYY-MM-DD`
    pub valid_from: String,
    /// 有效期限截止日期, `YYYY-MM-DD` or 长期
    pub valid_until: String,
}

/// What a receipt may say of its holder: the masked name and ID number, nothing else.
///
/// Exists so print jobs leaving the core can only carry masked text (DESIGN.md principle 5):
/// the printer adapter never sees the full identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskedIdentity {
    /// Masked name, e.g. `张*`.
    pub name: String,
    /// Masked ID number, e.g. `3201**********1234`.
    pub id_number: String,
}

impl Identity {
    /// The masked name and number for a receipt.
    pub fn masked(&self) -> MaskedIdentity {
        MaskedIdentity {
            name: self.name.masked(),
            id_number: self.id_number.masked(),
        }
    }

    /// Age in whole years on `today` (`YYYY-MM-DD`), or `None` if a date is malformed.
    pub fn age_on(&self, today: &str) -> Option<u32> {
        let parse = |d: &str| -> Option<(u32, u32, u32)> {
            let mut it = d.split('-').map(|p| p.parse::<u32>().ok());
            Some((it.next()??, it.next()??, it.next()??))
        };
        let (by, bm, bd) = parse(&self.birth_date)?;
        let (ty, tm, td) = parse(today)?;
        let mut age = ty.checked_sub(by)?;
        if (tm, td) < (bm, bd) {
            age = age.checked_sub(1)?;
        }
        Some(age)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_of_the_standard_example() {
        // The worked example of GB 11643-1999: 11010519491231002X.
        assert_eq!(check_character("11010519491231002"), Some('X'));
        let id = IdNumber::parse("11010519491231002x").unwrap();
        assert!(id.check_digit_ok());
        assert_eq!(id.reveal(), "11010519491231002X");
    }

    #[test]
    fn a_wrong_check_digit_is_flagged_not_rejected() {
        let id = IdNumber::parse("110105194912310021").unwrap();
        assert!(!id.check_digit_ok());
    }

    #[test]
    fn shapes_are_checked() {
        assert_eq!(IdNumber::parse("1234"), Err(IdNumberError::WrongLength));
        assert_eq!(
            IdNumber::parse("1101051949123100AX"),
            Err(IdNumberError::BadCharacter)
        );
        assert_eq!(check_character("123"), None);
    }

    #[test]
    fn numbers_mask_themselves() {
        let id = IdNumber::parse("11010519491231002X").unwrap();
        assert_eq!(id.masked(), "1101**********002X");
        assert_eq!(format!("{id:?}"), "IdNumber(1101**********002X)");
        assert_eq!(id.to_string(), "1101**********002X");
    }
}
