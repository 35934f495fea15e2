//! Personal data that masks itself.
//!
//! Names, ID numbers, addresses and phone numbers are toxic (DESIGN.md principle 5): they
//! live in types whose `Debug` and `Display` print only a masked form, so a stray `{:?}` in a
//! log line cannot leak them. The clear text is reachable only through an explicit
//! `reveal()` call, which is easy to find in review.

use std::fmt;

/// A person's name. Displays as `张*三` (first and last character kept).
#[derive(Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    /// Wraps a name read from an ID card or typed by the citizen.
    pub fn new(name: impl Into<String>) -> Self {
        Self(name.into())
    }

    /// The clear text, for the citizen's own screen confirmation and the backend only.
    pub fn reveal(&self) -> &str {
        &self.0
    }

    /// The masked form used on screens, receipts and anywhere else: 张*三, 李*, *.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        match chars.len() {
            0 => String::new(),
            1 => "*".to_string(),
            2 => format!("{}*", chars[0]),
            n => {
                let mut out = String::new();
                out.push(chars[0]);
                out.extend(std::iter::repeat_n('*', n - 2));
                out.push(chars[n - 1]);
                out
            }
        }
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonName({})", self.masked())
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

/// A free-text personal field (address, issuing authority). Displays only its length.
#[derive(Clone, PartialEq, Eq)]
pub struct PersonalText(String);

impl PersonalText {
    /// Wraps a personal text field.
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    /// The clear text, for the backend only.
    pub fn reveal(&self) -> &str {
        &self.0
    }

    /// A masked form for screens: the first `keep` characters, then `****`.
    pub fn masked(&self, keep: usize) -> String {
        let head: String = self.0.chars().take(keep).collect();
        if self.0.chars().count() > keep {
            format!("{head}****")
        } else {
            head
        }
    }
}

impl fmt::Debug for PersonalText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PersonalText(<{} chars>)", self.0.chars().count())
    }
}

impl fmt::Display for PersonalText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("****")
    }
}

/// A mainland mobile phone number entered on the keypad: 11 digits starting with 1.
#[derive(Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

/// Why a typed phone number was refused (shown to the citizen in plain words).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Not 11 digits.
    #[error("手机号码应为11位数字")]
    WrongLength,
    /// Does not start with 1.
    #[error("手机号码应以1开头")]
    WrongPrefix,
}

impl PhoneNumber {
    /// Validates an 11-digit mainland mobile number.
    pub fn parse(digits: &str) -> Result<Self, PhoneError> {
        if digits.len() != 11 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PhoneError::WrongLength);
        }
        if !digits.starts_with('1') {
            return Err(PhoneError::WrongPrefix);
        }
        Ok(Self(digits.to_string()))
    }

    /// The clear digits, for the backend only.
    pub fn reveal(&self) -> &str {
        &self.0
    }

    /// 138****5678
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumber({})", self.masked())
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names_mask_inner_characters() {
        assert_eq!(PersonName::new("张三").masked(), "张*");
        assert_eq!(PersonName::new("张小三").masked(), "张*三");
        assert_eq!(PersonName::new("欧阳小明").masked(), "欧**明");
        assert_eq!(
            format!("{:?}", PersonName::new("张小三")),
            "PersonName(张*三)"
        );
        assert_eq!(format!("{}", PersonName::new("王")), "*");
    }

    #[test]
    fn phone_numbers_validate_and_mask() {
        let p = PhoneNumber::parse("13812345678").unwrap();
        assert_eq!(p.masked(), "138****5678");
        assert_eq!(format!("{p:?}"), "PhoneNumber(138****5678)");
        assert_eq!(
            PhoneNumber::parse("1381234567"),
            Err(PhoneError::WrongLength)
        );
        assert_eq!(
            PhoneNumber::parse("23812345678"),
            Err(PhoneError::WrongPrefix)
        );
        assert_eq!(
            PhoneNumber::parse("1381234567x"),
            Err(PhoneError::WrongLength)
        );
    }

    #[test]
    fn personal_text_never_displays() {
        let a = PersonalText::new("山东省菏泽市牡丹区某街道1号");
        assert_eq!(a.to_string(), "****");
        assert!(!format!("{a:?}").contains("菏泽"));
        assert_eq!(a.masked(3), "山东省****");
    }
}
