//! Where each field sits in the 256-byte text block, per layout (fact sheet §7.1–§7.4).
//!
//! One table per layout, shared by the parser ([`super::CardText::parse`]) and the encoder
//! ([`crate::device::encode_text_block`]) so the two can never disagree. Offsets are in
//! bytes, sizes in UCS-2 code units (two bytes each).

/// A field's place: byte offset and size in UTF-16 code units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    /// Byte offset in the block.
    pub offset: usize,
    /// Size in UTF-16 code units.
    pub units: usize,
}

impl Span {
    const fn new(offset: usize, units: usize) -> Self {
        Self { offset, units }
    }

    /// The byte range of the field.
    pub fn bytes(self) -> std::ops::Range<usize> {
        self.offset..self.offset + 2 * self.units
    }
}

/// Size of the text block.
pub(crate) const BLOCK_LEN: usize = 256;
/// The card-type marker: byte 248, one UCS-2 character.
pub(crate) const MARKER: Span = Span::new(248, 1);

/// 居民身份证 (marker: space).
pub(crate) mod resident {
    use super::Span;
    pub const NAME: Span = Span::new(0, 15);
    pub const GENDER: Span = Span::new(30, 1);
    pub const NATION: Span = Span::new(32, 2);
    pub const BIRTH: Span = Span::new(36, 8);
    pub const ADDRESS: Span = Span::new(52, 35);
    pub const NUMBER: Span = Span::new(122, 18);
    pub const ISSUER: Span = Span::new(158, 15);
    pub const VALID_FROM: Span = Span::new(188, 8);
    pub const VALID_UNTIL: Span = Span::new(204, 8);
    // 220..256 reserved (spaces), holding the marker at 248
}

/// 港澳台居民居住证 (marker `J`).
pub(crate) mod hmt {
    use super::Span;
    pub const NAME: Span = Span::new(0, 15);
    pub const GENDER: Span = Span::new(30, 1);
    // 32..36 reserved (no 民族)
    pub const BIRTH: Span = Span::new(36, 8);
    pub const ADDRESS: Span = Span::new(52, 35);
    pub const NUMBER: Span = Span::new(122, 18);
    pub const ISSUER: Span = Span::new(158, 15);
    pub const VALID_FROM: Span = Span::new(188, 8);
    pub const VALID_UNTIL: Span = Span::new(204, 8);
    pub const PASS_NUMBER: Span = Span::new(220, 9);
    pub const ISSUE_COUNT: Span = Span::new(238, 2);
    // 242..248 reserved, 248 marker, 250..256 reserved
}

/// 2017 外国人永久居留身份证 (marker `I`).
pub(crate) mod foreign2017 {
    use super::Span;
    pub const ENGLISH_NAME: Span = Span::new(0, 60);
    pub const GENDER: Span = Span::new(120, 1);
    pub const PERMIT_NUMBER: Span = Span::new(122, 15);
    pub const NATIONALITY: Span = Span::new(152, 3);
    pub const CHINESE_NAME: Span = Span::new(158, 15);
    pub const VALID_FROM: Span = Span::new(188, 8);
    pub const VALID_UNTIL: Span = Span::new(204, 8);
    pub const BIRTH: Span = Span::new(220, 8);
    pub const CARD_VERSION: Span = Span::new(236, 2);
    pub const ISSUING_OFFICE: Span = Span::new(240, 4);
    // 248 marker, 250..256 reserved
}

/// 2023 外国人永久居留身份证 (marker `Y`).
pub(crate) mod foreign2023 {
    use super::Span;
    pub const CHINESE_NAME: Span = Span::new(0, 15);
    pub const GENDER: Span = Span::new(30, 1);
    pub const RENEWAL_COUNT: Span = Span::new(32, 2);
    pub const BIRTH: Span = Span::new(36, 8);
    /// English name characters 1–35.
    pub const ENGLISH_NAME_1: Span = Span::new(52, 35);
    pub const NUMBER: Span = Span::new(122, 18);
    // 158..188 reserved (no issuing authority)
    pub const VALID_FROM: Span = Span::new(188, 8);
    pub const VALID_UNTIL: Span = Span::new(204, 8);
    /// English name characters 36–46.
    pub const ENGLISH_NAME_2: Span = Span::new(220, 11);
    pub const NATIONALITY: Span = Span::new(242, 3);
    pub const PREVIOUS_LINK: Span = Span::new(250, 3);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn covers(spans: &[Span]) -> usize {
        spans.iter().map(|s| 2 * s.units).sum()
    }

    #[test]
    fn field_tables_fit_the_block() {
        // reserved areas added by hand; every layout must sum to 256 as §7 says
        let res = [
            resident::NAME,
            resident::GENDER,
            resident::NATION,
            resident::BIRTH,
            resident::ADDRESS,
            resident::NUMBER,
            resident::ISSUER,
            resident::VALID_FROM,
            resident::VALID_UNTIL,
        ];
        assert_eq!(covers(&res) + 36, BLOCK_LEN);
        let hmt = [
            hmt::NAME,
            hmt::GENDER,
            hmt::BIRTH,
            hmt::ADDRESS,
            hmt::NUMBER,
            hmt::ISSUER,
            hmt::VALID_FROM,
            hmt::VALID_UNTIL,
            hmt::PASS_NUMBER,
            hmt::ISSUE_COUNT,
            MARKER,
        ];
        assert_eq!(covers(&hmt) + 4 + 6 + 6, BLOCK_LEN);
        let f17 = [
            foreign2017::ENGLISH_NAME,
            foreign2017::GENDER,
            foreign2017::PERMIT_NUMBER,
            foreign2017::NATIONALITY,
            foreign2017::CHINESE_NAME,
            foreign2017::VALID_FROM,
            foreign2017::VALID_UNTIL,
            foreign2017::BIRTH,
            foreign2017::CARD_VERSION,
            foreign2017::ISSUING_OFFICE,
            MARKER,
        ];
        assert_eq!(covers(&f17) + 6, BLOCK_LEN);
        let f23 = [
            foreign2023::CHINESE_NAME,
            foreign2023::GENDER,
            foreign2023::RENEWAL_COUNT,
            foreign2023::BIRTH,
            foreign2023::ENGLISH_NAME_1,
            foreign2023::NUMBER,
            foreign2023::VALID_FROM,
            foreign2023::VALID_UNTIL,
            foreign2023::ENGLISH_NAME_2,
            foreign2023::NATIONALITY,
            MARKER,
            foreign2023::PREVIOUS_LINK,
        ];
        assert_eq!(covers(&f23) + 30, BLOCK_LEN);
    }
}
