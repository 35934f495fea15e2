//! Card dates: 8 ASCII digits `YYYYMMDD` in the chip, or `长期` for a long-term card's end
//! of validity (fact sheet §7, §13.7). Printed as ISO `YYYY-MM-DD`.

use std::fmt;

/// A calendar date from a card (validated: month 1–12, day within the month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CardDate {
    year: u16,
    month: u8,
    day: u8,
}

impl CardDate {
    /// A date, if it exists in the (proleptic Gregorian) calendar; years 1–9999.
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        if year < 1 || year > 9999 || month < 1 || month > 12 {
            return None;
        }
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if day < 1 || day > days {
            return None;
        }
        Some(Self { year, month, day })
    }

    /// Parses the chip form `YYYYMMDD` (exactly 8 ASCII digits).
    pub fn parse_compact(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        if b.len() != 8 || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let num = |r: std::ops::Range<usize>| {
            b[r].iter()
                .fold(0u16, |acc, d| acc * 10 + u16::from(d - b'0'))
        };
        Self::new(
            num(0..4),
            u8::try_from(num(4..6)).ok()?,
            u8::try_from(num(6..8)).ok()?,
        )
    }

    /// Year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// Month, 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// Day of the month.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The chip form `YYYYMMDD`.
    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }

    /// ISO `YYYY-MM-DD` (same as `Display`).
    pub fn iso(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for CardDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The end of validity: a date, or 长期 (long-term, no end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValidUntil {
    /// Valid up to and including this date.
    Date(CardDate),
    /// `长期`.
    LongTerm,
}

impl ValidUntil {
    /// The two characters the chip holds for a long-term card.
    pub const LONG_TERM_TEXT: &'static str = "长期";

    /// Parses the chip form: `YYYYMMDD` or `长期`.
    pub fn parse_compact(text: &str) -> Option<Self> {
        if text == Self::LONG_TERM_TEXT {
            Some(Self::LongTerm)
        } else {
            CardDate::parse_compact(text).map(Self::Date)
        }
    }

    /// The chip form: `YYYYMMDD` or `长期`.
    pub fn compact(self) -> String {
        match self {
            Self::Date(d) => d.compact(),
            Self::LongTerm => Self::LONG_TERM_TEXT.to_string(),
        }
    }

    /// ISO date, or `long_term` — the machine form used by [`super::CardRecord`].
    pub fn iso_or_long_term(self) -> String {
        match self {
            Self::Date(d) => d.iso(),
            Self::LongTerm => "long_term".to_string(),
        }
    }

    /// True when `today` is after the last valid day (a long-term card never expires).
    pub fn is_expired_on(self, today: CardDate) -> bool {
        match self {
            Self::Date(d) => today > d,
            Self::LongTerm => false,
        }
    }
}

impl fmt::Display for ValidUntil {
    /// ISO date or 长期, as a screen shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Date(d) => d.fmt(f),
            Self::LongTerm => f.write_str(Self::LONG_TERM_TEXT),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_rules() {
        assert!(CardDate::new(2000, 2, 29).is_some());
        assert!(CardDate::new(1900, 2, 29).is_none());
        assert!(CardDate::new(2024, 4, 31).is_none());
        assert!(CardDate::parse_compact("1949123").is_none());
        assert!(CardDate::parse_compact("19491331").is_none());
        assert_eq!(
            CardDate::parse_compact("19491231").map(|d| d.iso()),
            Some("1949-12-31".to_string())
        );
        assert_eq!(
            ValidUntil::parse_compact("长期"),
            Some(ValidUntil::LongTerm)
        );
    }
}
