//! Card fields → 256-byte UCS-2LE text block, for all four layouts: what a card's chip
//! holds, so tests and the simulator can generate cards. Uses the same field tables as the
//! parser; unused characters are spaces (`20 00`), as on real cards.

use crate::card::layout::{self, BLOCK_LEN, MARKER, Span};
use crate::card::{CardDate, CardText, Field, Gender, Nation, ValidUntil, ucs2};

/// Why fields cannot be written into a text block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The value needs more UTF-16 code units than the field has.
    #[error("{field} needs {units} UCS-2 characters, {max} fit")]
    FieldTooLong {
        /// Which field.
        field: Field,
        /// Code units the value needs.
        units: usize,
        /// Code units the field holds.
        max: usize,
    },
    /// A coded value has no two-digit form (a count above 99).
    #[error("{field} has no two-digit form")]
    InvalidValue {
        /// Which field.
        field: Field,
    },
}

struct Writer([u8; BLOCK_LEN]);

impl Writer {
    fn new() -> Self {
        let mut block = [0u8; BLOCK_LEN];
        for pair in block.chunks_exact_mut(2) {
            pair.copy_from_slice(&[0x20, 0x00]);
        }
        Self(block)
    }

    fn slot(&mut self, span: Span) -> &mut [u8] {
        // spans are compile-time constants inside the block
        self.0.get_mut(span.bytes()).unwrap_or_default()
    }

    fn text(&mut self, span: Span, value: &str, field: Field) -> Result<(), EncodeError> {
        ucs2::write_padded(self.slot(span), value).map_err(|units| EncodeError::FieldTooLong {
            field,
            units,
            max: span.units,
        })
    }

    fn units(&mut self, span: Span, units: &[u16]) {
        for (pair, unit) in self.slot(span).chunks_exact_mut(2).zip(units) {
            pair.copy_from_slice(&unit.to_le_bytes());
        }
    }

    fn date(&mut self, span: Span, date: CardDate, field: Field) -> Result<(), EncodeError> {
        self.text(span, &date.compact(), field)
    }

    fn until(&mut self, span: Span, until: ValidUntil) -> Result<(), EncodeError> {
        self.text(span, &until.compact(), Field::ValidUntil)
    }

    fn gender(&mut self, span: Span, gender: Gender) -> Result<(), EncodeError> {
        self.text(span, gender.code().encode_utf8(&mut [0; 4]), Field::Gender)
    }

    fn nation(&mut self, span: Span, nation: Nation) -> Result<(), EncodeError> {
        self.text(span, &format!("{:02}", nation.code()), Field::Nation)
    }

    fn count(&mut self, span: Span, count: Option<u8>, field: Field) -> Result<(), EncodeError> {
        match count {
            None => Ok(()),
            Some(n) if n <= 99 => self.text(span, &format!("{n:02}"), field),
            Some(_) => Err(EncodeError::InvalidValue { field }),
        }
    }

    fn marker(&mut self, unit: u16) {
        self.units(MARKER, &[unit]);
    }
}

/// Encodes a card's fields into its 256-byte text block.
pub fn encode_text_block(text: &CardText) -> Result<[u8; BLOCK_LEN], EncodeError> {
    let mut w = Writer::new();
    match text {
        CardText::Resident(c) => {
            use layout::resident as l;
            w.text(l::NAME, c.name.reveal(), Field::Name)?;
            w.gender(l::GENDER, c.gender)?;
            w.nation(l::NATION, c.nation)?;
            w.date(l::BIRTH, c.birth_date, Field::BirthDate)?;
            w.text(l::ADDRESS, c.address.reveal(), Field::Address)?;
            w.text(l::NUMBER, c.id_number.reveal(), Field::IdNumber)?;
            w.text(l::ISSUER, c.issuer.reveal(), Field::Issuer)?;
            w.date(l::VALID_FROM, c.valid_from, Field::ValidFrom)?;
            w.until(l::VALID_UNTIL, c.valid_until)?;
        }
        CardText::HmtPermit(c) => {
            use layout::hmt as l;
            w.text(l::NAME, c.name.reveal(), Field::Name)?;
            w.gender(l::GENDER, c.gender)?;
            w.date(l::BIRTH, c.birth_date, Field::BirthDate)?;
            w.text(l::ADDRESS, c.address.reveal(), Field::Address)?;
            w.text(l::NUMBER, c.id_number.reveal(), Field::IdNumber)?;
            w.text(l::ISSUER, c.issuer.reveal(), Field::Issuer)?;
            w.date(l::VALID_FROM, c.valid_from, Field::ValidFrom)?;
            w.until(l::VALID_UNTIL, c.valid_until)?;
            w.text(l::PASS_NUMBER, c.pass_number.reveal(), Field::PassNumber)?;
            w.count(l::ISSUE_COUNT, c.issue_count, Field::IssueCount)?;
        }
        CardText::Foreign2017(c) => {
            use layout::foreign2017 as l;
            w.text(l::ENGLISH_NAME, c.english_name.reveal(), Field::EnglishName)?;
            w.gender(l::GENDER, c.gender)?;
            w.text(
                l::PERMIT_NUMBER,
                c.permit_number.reveal(),
                Field::PermitNumber,
            )?;
            w.text(l::NATIONALITY, &c.nationality, Field::Nationality)?;
            w.text(l::CHINESE_NAME, c.chinese_name.reveal(), Field::Name)?;
            w.date(l::VALID_FROM, c.valid_from, Field::ValidFrom)?;
            w.until(l::VALID_UNTIL, c.valid_until)?;
            w.date(l::BIRTH, c.birth_date, Field::BirthDate)?;
            w.text(l::CARD_VERSION, &c.card_version, Field::CardVersion)?;
            w.text(l::ISSUING_OFFICE, &c.issuing_office, Field::IssuingOffice)?;
        }
        CardText::Foreign2023(c) => {
            use layout::foreign2023 as l;
            w.text(l::CHINESE_NAME, c.chinese_name.reveal(), Field::Name)?;
            w.gender(l::GENDER, c.gender)?;
            w.count(l::RENEWAL_COUNT, c.renewal_count, Field::RenewalCount)?;
            w.date(l::BIRTH, c.birth_date, Field::BirthDate)?;
            // the English name fills 35 units at 52 and continues with 11 at 220
            let english: Vec<u16> = c.english_name.reveal().encode_utf16().collect();
            let max = l::ENGLISH_NAME_1.units + l::ENGLISH_NAME_2.units;
            if english.len() > max {
                return Err(EncodeError::FieldTooLong {
                    field: Field::EnglishName,
                    units: english.len(),
                    max,
                });
            }
            let (first, second) = english.split_at(english.len().min(l::ENGLISH_NAME_1.units));
            w.units(l::ENGLISH_NAME_1, first);
            w.units(l::ENGLISH_NAME_2, second);
            w.text(l::NUMBER, c.permit_number.reveal(), Field::PermitNumber)?;
            w.date(l::VALID_FROM, c.valid_from, Field::ValidFrom)?;
            w.until(l::VALID_UNTIL, c.valid_until)?;
            w.text(l::NATIONALITY, &c.nationality, Field::Nationality)?;
            w.text(
                l::PREVIOUS_LINK,
                &c.previous_number_link,
                Field::PreviousNumberLink,
            )?;
        }
    }
    w.marker(text.card_type().marker());
    Ok(w.0)
}
