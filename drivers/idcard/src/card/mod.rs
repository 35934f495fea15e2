//! The card's 256-byte text block for all four chip card types (fact sheet §7), and the
//! read card as a whole ([`CardData`]: text, raw WLT photo, optional fingerprint, appended
//! address).
//!
//! The type marker at byte 248 is read first (§13.5): a space is a 居民身份证, `J` a
//! 港澳台居民居住证, `I` a 2017 and `Y` a 2023 外国人永久居留身份证; anything else is
//! [`CardError::UnknownCardType`]. Fields are UCS-2LE, space padded and trimmed at the end
//! only. Names, numbers and addresses are held in self-masking types; birth dates are masked
//! in `Debug` too. A number with a bad check character is reported through
//! [`CardText::number_check`], never dropped.

mod codes;
mod date;
pub(crate) mod layout;
mod number;
mod record;
pub(crate) mod ucs2;

use std::fmt;

use kiosk_core::identity::Identity;
use kiosk_core::personal::{PersonName, PersonalText};

pub use codes::{Gender, Nation};
pub use date::{CardDate, ValidUntil};
pub use number::{
    DocumentNumber, NumberCheck, foreign2017_check, foreign2023_check, gb11643_check, hmt_check,
};
pub use record::CardRecord;

use crate::photo::{Fingerprint, PhotoDecoder, PhotoError, RgbImage, WltPhoto};
use crate::response::ReadPayload;
use crate::status::Status;
use layout::{BLOCK_LEN, MARKER, Span};

/// Size of the text block in bytes.
pub const TEXT_BLOCK_LEN: usize = BLOCK_LEN;

/// Which of the four chip cards the block belongs to (marker at byte 248).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardType {
    /// 居民身份证 — marker space.
    Resident,
    /// 港澳台居民居住证 — marker `J`.
    HmtResidencePermit,
    /// 2017 外国人永久居留身份证 — marker `I`.
    ForeignPermanent2017,
    /// 2023 外国人永久居留身份证 — marker `Y`.
    ForeignPermanent2023,
}

impl CardType {
    /// All four, in the order of the fact sheet.
    pub const ALL: [CardType; 4] = [
        Self::Resident,
        Self::HmtResidencePermit,
        Self::ForeignPermanent2017,
        Self::ForeignPermanent2023,
    ];

    /// The type for a marker code unit, or `None` for an unknown marker.
    pub fn from_marker(unit: u16) -> Option<Self> {
        match unit {
            0x0020 => Some(Self::Resident),
            0x004A => Some(Self::HmtResidencePermit),
            0x0049 => Some(Self::ForeignPermanent2017),
            0x0059 => Some(Self::ForeignPermanent2023),
            _ => None,
        }
    }

    /// The marker code unit written at byte 248.
    pub fn marker(self) -> u16 {
        match self {
            Self::Resident => 0x0020,
            Self::HmtResidencePermit => 0x004A,
            Self::ForeignPermanent2017 => 0x0049,
            Self::ForeignPermanent2023 => 0x0059,
        }
    }

    /// The card's Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Resident => "居民身份证",
            Self::HmtResidencePermit => "港澳台居民居住证",
            Self::ForeignPermanent2017 => "外国人永久居留身份证（2017版）",
            Self::ForeignPermanent2023 => "外国人永久居留身份证（2023版）",
        }
    }

    /// `resident` / `hmt_residence_permit` / `foreign_permanent_2017` /
    /// `foreign_permanent_2023` (the JSON form).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Resident => "resident",
            Self::HmtResidencePermit => "hmt_residence_permit",
            Self::ForeignPermanent2017 => "foreign_permanent_2017",
            Self::ForeignPermanent2023 => "foreign_permanent_2023",
        }
    }
}

/// A field of the text block, named in errors (errors never carry the field's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// 姓名 / 中文姓名.
    Name,
    /// 性别.
    Gender,
    /// 民族.
    Nation,
    /// 出生日期.
    BirthDate,
    /// 住址.
    Address,
    /// 公民身份号码.
    IdNumber,
    /// 签发机关.
    Issuer,
    /// 有效期起 / 签发日期.
    ValidFrom,
    /// 有效期止 / 终止日期.
    ValidUntil,
    /// 通行证号码 (港澳台).
    PassNumber,
    /// 签发次数 (港澳台).
    IssueCount,
    /// 英文姓名.
    EnglishName,
    /// 永久居留证号码.
    PermitNumber,
    /// 国籍或所在地区代码.
    Nationality,
    /// 证件版本号 (2017).
    CardVersion,
    /// 当次申请受理机关代码 (2017).
    IssuingOffice,
    /// 换证次数 (2023).
    RenewalCount,
    /// 既往版本证件号码关联项 (2023).
    PreviousNumberLink,
    /// The card-type marker.
    Marker,
    /// The appended address of `30 03`.
    AppendedAddress,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Name => "name",
            Self::Gender => "gender",
            Self::Nation => "nation",
            Self::BirthDate => "birth_date",
            Self::Address => "address",
            Self::IdNumber => "id_number",
            Self::Issuer => "issuer",
            Self::ValidFrom => "valid_from",
            Self::ValidUntil => "valid_until",
            Self::PassNumber => "pass_number",
            Self::IssueCount => "issue_count",
            Self::EnglishName => "english_name",
            Self::PermitNumber => "permit_number",
            Self::Nationality => "nationality",
            Self::CardVersion => "card_version",
            Self::IssuingOffice => "issuing_office",
            Self::RenewalCount => "renewal_count",
            Self::PreviousNumberLink => "previous_number_link",
            Self::Marker => "marker",
            Self::AppendedAddress => "appended_address",
        })
    }
}

/// Why a text block could not be read. Never carries personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    /// UCS-2 text needs an even number of bytes.
    #[error("text of {len} bytes is not whole UCS-2 characters")]
    OddLength {
        /// Bytes given.
        len: usize,
    },
    /// The text block must be exactly 256 bytes.
    #[error("text block of {len} bytes, expected 256")]
    WrongLength {
        /// Bytes given.
        len: usize,
    },
    /// The marker at byte 248 is none of space, `J`, `I`, `Y`.
    #[error("unknown card type (marker U+{marker:04X})")]
    UnknownCardType {
        /// The marker code unit.
        marker: u16,
    },
    /// A field is not valid UTF-16 (a lone surrogate).
    #[error("{field} is not valid UTF-16")]
    InvalidUtf16 {
        /// Which field.
        field: Field,
    },
    /// A coded field holds a value outside its table or format (gender not 0/1/2/9, 民族
    /// not two digits, a date not `YYYYMMDD`, a count not digits).
    #[error("{field} has an invalid value")]
    InvalidValue {
        /// Which field.
        field: Field,
    },
}

/// The text block's code units, decoded once, read field by field.
struct Block([u16; BLOCK_LEN / 2]);

impl Block {
    fn new(bytes: &[u8]) -> Result<Self, CardError> {
        if !bytes.len().is_multiple_of(2) {
            return Err(CardError::OddLength { len: bytes.len() });
        }
        if bytes.len() != BLOCK_LEN {
            return Err(CardError::WrongLength { len: bytes.len() });
        }
        let mut units = [0u16; BLOCK_LEN / 2];
        for (slot, unit) in units.iter_mut().zip(ucs2::units(bytes)) {
            *slot = unit;
        }
        Ok(Self(units))
    }

    fn units(&self, span: Span) -> &[u16] {
        let start = span.offset / 2;
        self.0.get(start..start + span.units).unwrap_or_default()
    }

    fn marker(&self) -> u16 {
        self.units(MARKER).first().copied().unwrap_or_default()
    }

    fn text(&self, span: Span, field: Field) -> Result<String, CardError> {
        ucs2::decode_trimmed(self.units(span)).ok_or(CardError::InvalidUtf16 { field })
    }

    fn name(&self, span: Span, field: Field) -> Result<PersonName, CardError> {
        self.text(span, field).map(PersonName::new)
    }

    fn personal(&self, span: Span, field: Field) -> Result<PersonalText, CardError> {
        self.text(span, field).map(PersonalText::new)
    }

    fn number(&self, span: Span, field: Field) -> Result<DocumentNumber, CardError> {
        self.text(span, field).map(DocumentNumber::new)
    }

    fn date(&self, span: Span, field: Field) -> Result<CardDate, CardError> {
        CardDate::parse_compact(&self.text(span, field)?).ok_or(CardError::InvalidValue { field })
    }

    fn until(&self, span: Span) -> Result<ValidUntil, CardError> {
        let field = Field::ValidUntil;
        ValidUntil::parse_compact(&self.text(span, field)?).ok_or(CardError::InvalidValue { field })
    }

    fn gender(&self, span: Span) -> Result<Gender, CardError> {
        let field = Field::Gender;
        let text = self.text(span, field)?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Gender::from_code(c).ok_or(CardError::InvalidValue { field }),
            _ => Err(CardError::InvalidValue { field }),
        }
    }

    fn nation(&self, span: Span) -> Result<Nation, CardError> {
        let field = Field::Nation;
        let text = self.text(span, field)?;
        match text.as_bytes() {
            [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => {
                Nation::from_code((a - b'0') * 10 + (b - b'0'))
                    .ok_or(CardError::InvalidValue { field })
            }
            _ => Err(CardError::InvalidValue { field }),
        }
    }

    /// A 2-digit count; blank is `None`.
    fn count(&self, span: Span, field: Field) -> Result<Option<u8>, CardError> {
        let text = self.text(span, field)?;
        match text.as_bytes() {
            [] => Ok(None),
            digits if digits.len() <= 2 && digits.iter().all(u8::is_ascii_digit) => Ok(Some(
                digits.iter().fold(0u8, |acc, d| acc * 10 + (d - b'0')),
            )),
            _ => Err(CardError::InvalidValue { field }),
        }
    }
}

/// A 居民身份证 (§7.1).
#[derive(Clone, PartialEq, Eq)]
pub struct ResidentCard {
    /// 姓名.
    pub name: PersonName,
    /// 性别.
    pub gender: Gender,
    /// 民族.
    pub nation: Nation,
    /// 出生.
    pub birth_date: CardDate,
    /// 住址.
    pub address: PersonalText,
    /// 公民身份号码 (GB 11643).
    pub id_number: DocumentNumber,
    /// 签发机关.
    pub issuer: PersonalText,
    /// 有效期起.
    pub valid_from: CardDate,
    /// 有效期止 (date or 长期).
    pub valid_until: ValidUntil,
}

/// A 港澳台居民居住证 (§7.2): like a resident card without 民族, plus the pass number and
/// issue count.
#[derive(Clone, PartialEq, Eq)]
pub struct HmtPermitCard {
    /// 姓名.
    pub name: PersonName,
    /// 性别.
    pub gender: Gender,
    /// 出生日期.
    pub birth_date: CardDate,
    /// 住址 (mainland address).
    pub address: PersonalText,
    /// 公民身份号码 (810000/820000/830000 prefix, GB 11643).
    pub id_number: DocumentNumber,
    /// 签发机关.
    pub issuer: PersonalText,
    /// 有效期起.
    pub valid_from: CardDate,
    /// 有效期止.
    pub valid_until: ValidUntil,
    /// 通行证号码 (return permit / 台胞证), 9 characters.
    pub pass_number: DocumentNumber,
    /// 签发次数 (blank is `None`).
    pub issue_count: Option<u8>,
}

/// A 2017 外国人永久居留身份证 (§7.3).
#[derive(Clone, PartialEq, Eq)]
pub struct Foreign2017Card {
    /// 英文姓名 (upper case, surname first; up to 60 characters).
    pub english_name: PersonName,
    /// 性别.
    pub gender: Gender,
    /// 永久居留证号码: 3 letters + 12 digits, no GB 11643 digit.
    pub permit_number: DocumentNumber,
    /// 国籍或所在地区代码 (GB/T 2659 alpha-3, e.g. `USA`).
    pub nationality: String,
    /// 中文姓名 (may be blank).
    pub chinese_name: PersonName,
    /// 证件签发日期.
    pub valid_from: CardDate,
    /// 证件终止日期.
    pub valid_until: ValidUntil,
    /// 出生日期 (stored *after* the validity dates on this card).
    pub birth_date: CardDate,
    /// 证件版本号 (2 characters).
    pub card_version: String,
    /// 当次申请受理机关代码 (4 characters, a code, not a name).
    pub issuing_office: String,
}

/// A 2023 外国人永久居留身份证 (§7.4), laid out like a resident card.
#[derive(Clone, PartialEq, Eq)]
pub struct Foreign2023Card {
    /// 中文姓名.
    pub chinese_name: PersonName,
    /// 性别.
    pub gender: Gender,
    /// 换证次数 (blank is `None`).
    pub renewal_count: Option<u8>,
    /// 出生日期.
    pub birth_date: CardDate,
    /// 英文姓名, both halves joined (up to 46 characters).
    pub english_name: PersonName,
    /// 永久居留身份证号码: 18 characters, first `9`, GB 11643.
    pub permit_number: DocumentNumber,
    /// 有效期起.
    pub valid_from: CardDate,
    /// 有效期止.
    pub valid_until: ValidUntil,
    /// 所属国家或地区代码 (alpha-3).
    pub nationality: String,
    /// 既往版本证件号码关联项 (3 characters linking to the 2017 number; blank when none).
    pub previous_number_link: String,
}

const MASKED_DATE: &str = "****-**-**";

impl fmt::Debug for ResidentCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResidentCard")
            .field("name", &self.name)
            .field("gender", &self.gender)
            .field("nation", &self.nation)
            .field("birth_date", &MASKED_DATE)
            .field("address", &self.address)
            .field("id_number", &self.id_number)
            .field("issuer", &self.issuer)
            .field("valid_from", &self.valid_from)
            .field("valid_until", &self.valid_until)
            .finish()
    }
}

impl fmt::Debug for HmtPermitCard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmtPermitCard")
            .field("name", &self.name)
            .field("gender", &self.gender)
            .field("birth_date", &MASKED_DATE)
            .field("address", &self.address)
            .field("id_number", &self.id_number)
            .field("issuer", &self.issuer)
            .field("valid_from", &self.valid_from)
            .field("valid_until", &self.valid_until)
            .field("pass_number", &self.pass_number)
            .field("issue_count", &self.issue_count)
            .finish()
    }
}

impl fmt::Debug for Foreign2017Card {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Foreign2017Card")
            .field("english_name", &self.english_name)
            .field("gender", &self.gender)
            .field("permit_number", &self.permit_number)
            .field("nationality", &self.nationality)
            .field("chinese_name", &self.chinese_name)
            .field("valid_from", &self.valid_from)
            .field("valid_until", &self.valid_until)
            .field("birth_date", &MASKED_DATE)
            .field("card_version", &self.card_version)
            .field("issuing_office", &self.issuing_office)
            .finish()
    }
}

impl fmt::Debug for Foreign2023Card {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Foreign2023Card")
            .field("chinese_name", &self.chinese_name)
            .field("gender", &self.gender)
            .field("renewal_count", &self.renewal_count)
            .field("birth_date", &MASKED_DATE)
            .field("english_name", &self.english_name)
            .field("permit_number", &self.permit_number)
            .field("valid_from", &self.valid_from)
            .field("valid_until", &self.valid_until)
            .field("nationality", &self.nationality)
            .field("previous_number_link", &"***")
            .finish()
    }
}

impl ResidentCard {
    /// GB 11643 verdict on [`ResidentCard::id_number`].
    pub fn number_check(&self) -> NumberCheck {
        gb11643_check(self.id_number.reveal())
    }

    /// The kiosk-core identity the citizen session works with. `None` when the gender is
    /// not 男/女 or the number is not shaped like an ID number (the check digit may still be
    /// wrong: see [`kiosk_core::identity::IdNumber::check_digit_ok`]).
    pub fn to_identity(&self) -> Option<Identity> {
        Some(Identity {
            name: self.name.clone(),
            gender: self.gender.to_core()?,
            nation: self.nation.label(),
            birth_date: self.birth_date.iso(),
            address: self.address.clone(),
            id_number: self.id_number.to_id_number()?,
            issuer: self.issuer.clone(),
            valid_from: self.valid_from.iso(),
            valid_until: self.valid_until.to_string(),
        })
    }

    fn parse(b: &Block) -> Result<Self, CardError> {
        use layout::resident as l;
        Ok(Self {
            name: b.name(l::NAME, Field::Name)?,
            gender: b.gender(l::GENDER)?,
            nation: b.nation(l::NATION)?,
            birth_date: b.date(l::BIRTH, Field::BirthDate)?,
            address: b.personal(l::ADDRESS, Field::Address)?,
            id_number: b.number(l::NUMBER, Field::IdNumber)?,
            issuer: b.personal(l::ISSUER, Field::Issuer)?,
            valid_from: b.date(l::VALID_FROM, Field::ValidFrom)?,
            valid_until: b.until(l::VALID_UNTIL)?,
        })
    }
}

impl HmtPermitCard {
    /// Prefix and GB 11643 verdict on [`HmtPermitCard::id_number`].
    pub fn number_check(&self) -> NumberCheck {
        hmt_check(self.id_number.reveal())
    }

    /// The kiosk-core identity: the permit's number is a GB 11643 number, so the session can
    /// serve its holder as it serves a resident card (no 民族 on this card). `None` as for
    /// [`ResidentCard::to_identity`].
    pub fn to_identity(&self) -> Option<Identity> {
        Some(Identity {
            name: self.name.clone(),
            gender: self.gender.to_core()?,
            nation: String::new(),
            birth_date: self.birth_date.iso(),
            address: self.address.clone(),
            id_number: self.id_number.to_id_number()?,
            issuer: self.issuer.clone(),
            valid_from: self.valid_from.iso(),
            valid_until: self.valid_until.to_string(),
        })
    }

    fn parse(b: &Block) -> Result<Self, CardError> {
        use layout::hmt as l;
        Ok(Self {
            name: b.name(l::NAME, Field::Name)?,
            gender: b.gender(l::GENDER)?,
            birth_date: b.date(l::BIRTH, Field::BirthDate)?,
            address: b.personal(l::ADDRESS, Field::Address)?,
            id_number: b.number(l::NUMBER, Field::IdNumber)?,
            issuer: b.personal(l::ISSUER, Field::Issuer)?,
            valid_from: b.date(l::VALID_FROM, Field::ValidFrom)?,
            valid_until: b.until(l::VALID_UNTIL)?,
            pass_number: b.number(l::PASS_NUMBER, Field::PassNumber)?,
            issue_count: b.count(l::ISSUE_COUNT, Field::IssueCount)?,
        })
    }
}

impl Foreign2017Card {
    /// Shape verdict on [`Foreign2017Card::permit_number`] (no check digit to verify).
    pub fn number_check(&self) -> NumberCheck {
        foreign2017_check(self.permit_number.reveal())
    }

    fn parse(b: &Block) -> Result<Self, CardError> {
        use layout::foreign2017 as l;
        Ok(Self {
            english_name: b.name(l::ENGLISH_NAME, Field::EnglishName)?,
            gender: b.gender(l::GENDER)?,
            permit_number: b.number(l::PERMIT_NUMBER, Field::PermitNumber)?,
            nationality: b.text(l::NATIONALITY, Field::Nationality)?,
            chinese_name: b.name(l::CHINESE_NAME, Field::Name)?,
            valid_from: b.date(l::VALID_FROM, Field::ValidFrom)?,
            valid_until: b.until(l::VALID_UNTIL)?,
            birth_date: b.date(l::BIRTH, Field::BirthDate)?,
            card_version: b.text(l::CARD_VERSION, Field::CardVersion)?,
            issuing_office: b.text(l::ISSUING_OFFICE, Field::IssuingOffice)?,
        })
    }
}

impl Foreign2023Card {
    /// Prefix `9` and GB 11643 verdict on [`Foreign2023Card::permit_number`].
    pub fn number_check(&self) -> NumberCheck {
        foreign2023_check(self.permit_number.reveal())
    }

    fn parse(b: &Block) -> Result<Self, CardError> {
        use layout::foreign2023 as l;
        // The English name continues from the first field (35 units, at 52) into the second
        // (11 units, at 220). The halves are joined *before* trimming: a name that breaks at
        // a space after character 35 keeps that space, and a surrogate pair split across
        // the halves still decodes.
        let english: Vec<u16> = b
            .units(l::ENGLISH_NAME_1)
            .iter()
            .chain(b.units(l::ENGLISH_NAME_2))
            .copied()
            .collect();
        let english_name =
            ucs2::decode_trimmed(&english)
                .map(PersonName::new)
                .ok_or(CardError::InvalidUtf16 {
                    field: Field::EnglishName,
                })?;
        Ok(Self {
            chinese_name: b.name(l::CHINESE_NAME, Field::Name)?,
            gender: b.gender(l::GENDER)?,
            renewal_count: b.count(l::RENEWAL_COUNT, Field::RenewalCount)?,
            birth_date: b.date(l::BIRTH, Field::BirthDate)?,
            english_name,
            permit_number: b.number(l::NUMBER, Field::PermitNumber)?,
            valid_from: b.date(l::VALID_FROM, Field::ValidFrom)?,
            valid_until: b.until(l::VALID_UNTIL)?,
            nationality: b.text(l::NATIONALITY, Field::Nationality)?,
            previous_number_link: b.text(l::PREVIOUS_LINK, Field::PreviousNumberLink)?,
        })
    }
}

/// The parsed text block, one variant per layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardText {
    /// 居民身份证.
    Resident(ResidentCard),
    /// 港澳台居民居住证.
    HmtPermit(HmtPermitCard),
    /// 2017 外国人永久居留身份证.
    Foreign2017(Foreign2017Card),
    /// 2023 外国人永久居留身份证.
    Foreign2023(Foreign2023Card),
}

impl CardText {
    /// Parses a 256-byte text block: marker first, then the layout's fields.
    pub fn parse(block: &[u8]) -> Result<Self, CardError> {
        let b = Block::new(block)?;
        let marker = b.marker();
        match CardType::from_marker(marker) {
            Some(CardType::Resident) => ResidentCard::parse(&b).map(Self::Resident),
            Some(CardType::HmtResidencePermit) => HmtPermitCard::parse(&b).map(Self::HmtPermit),
            Some(CardType::ForeignPermanent2017) => {
                Foreign2017Card::parse(&b).map(Self::Foreign2017)
            }
            Some(CardType::ForeignPermanent2023) => {
                Foreign2023Card::parse(&b).map(Self::Foreign2023)
            }
            None => Err(CardError::UnknownCardType { marker }),
        }
    }

    /// The 256-byte block for these fields (see [`crate::device::encode_text_block`]).
    pub fn encode(&self) -> Result<[u8; TEXT_BLOCK_LEN], crate::device::EncodeError> {
        crate::device::encode_text_block(self)
    }

    /// Which card this is.
    pub fn card_type(&self) -> CardType {
        match self {
            Self::Resident(_) => CardType::Resident,
            Self::HmtPermit(_) => CardType::HmtResidencePermit,
            Self::Foreign2017(_) => CardType::ForeignPermanent2017,
            Self::Foreign2023(_) => CardType::ForeignPermanent2023,
        }
    }

    /// The card's main number: 公民身份号码 for resident and 港澳台 cards, the permit number
    /// for permanent-residence cards.
    pub fn number(&self) -> &DocumentNumber {
        match self {
            Self::Resident(c) => &c.id_number,
            Self::HmtPermit(c) => &c.id_number,
            Self::Foreign2017(c) => &c.permit_number,
            Self::Foreign2023(c) => &c.permit_number,
        }
    }

    /// The verdict on [`CardText::number`] by the card type's own rule.
    pub fn number_check(&self) -> NumberCheck {
        match self {
            Self::Resident(c) => c.number_check(),
            Self::HmtPermit(c) => c.number_check(),
            Self::Foreign2017(c) => c.number_check(),
            Self::Foreign2023(c) => c.number_check(),
        }
    }

    /// The Chinese name (blank on some 2017 permanent-residence cards).
    pub fn chinese_name(&self) -> &PersonName {
        match self {
            Self::Resident(c) => &c.name,
            Self::HmtPermit(c) => &c.name,
            Self::Foreign2017(c) => &c.chinese_name,
            Self::Foreign2023(c) => &c.chinese_name,
        }
    }

    /// The English name of a permanent-residence card.
    pub fn english_name(&self) -> Option<&PersonName> {
        match self {
            Self::Resident(_) | Self::HmtPermit(_) => None,
            Self::Foreign2017(c) => Some(&c.english_name),
            Self::Foreign2023(c) => Some(&c.english_name),
        }
    }

    /// The name to greet the holder with: the Chinese name, or the English one when the
    /// Chinese name is blank.
    pub fn display_name(&self) -> &PersonName {
        match self.english_name() {
            Some(en) if self.chinese_name().reveal().is_empty() => en,
            _ => self.chinese_name(),
        }
    }

    /// 性别.
    pub fn gender(&self) -> Gender {
        match self {
            Self::Resident(c) => c.gender,
            Self::HmtPermit(c) => c.gender,
            Self::Foreign2017(c) => c.gender,
            Self::Foreign2023(c) => c.gender,
        }
    }

    /// 出生日期.
    pub fn birth_date(&self) -> CardDate {
        match self {
            Self::Resident(c) => c.birth_date,
            Self::HmtPermit(c) => c.birth_date,
            Self::Foreign2017(c) => c.birth_date,
            Self::Foreign2023(c) => c.birth_date,
        }
    }

    /// Start of validity.
    pub fn valid_from(&self) -> CardDate {
        match self {
            Self::Resident(c) => c.valid_from,
            Self::HmtPermit(c) => c.valid_from,
            Self::Foreign2017(c) => c.valid_from,
            Self::Foreign2023(c) => c.valid_from,
        }
    }

    /// End of validity.
    pub fn valid_until(&self) -> ValidUntil {
        match self {
            Self::Resident(c) => c.valid_until,
            Self::HmtPermit(c) => c.valid_until,
            Self::Foreign2017(c) => c.valid_until,
            Self::Foreign2023(c) => c.valid_until,
        }
    }

    /// The address printed on the card (resident and 港澳台 cards only).
    pub fn address(&self) -> Option<&PersonalText> {
        match self {
            Self::Resident(c) => Some(&c.address),
            Self::HmtPermit(c) => Some(&c.address),
            Self::Foreign2017(_) | Self::Foreign2023(_) => None,
        }
    }
}

/// What became of the `30 03` appended-address read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AppendedAddress {
    /// Not asked for.
    #[default]
    NotRead,
    /// The card holds none (SW3 `91`).
    Absent,
    /// The newest appended address (最新住址).
    Present(PersonalText),
    /// The SAM refused; the rest of the card was still read.
    Failed(Status),
}

impl AppendedAddress {
    /// The address, when present.
    pub fn address(&self) -> Option<&PersonalText> {
        match self {
            Self::Present(a) => Some(a),
            _ => None,
        }
    }
}

/// Everything read from one card. Masks itself in `Debug`; reach clear values through the
/// fields' `reveal()` or, for the explicit `--reveal --json` path, [`CardData::record`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardData {
    /// The text block, parsed.
    pub text: CardText,
    /// The photo as the SAM gives it: compressed WLT bytes (decode with a [`PhotoDecoder`]).
    pub photo: WltPhoto,
    /// Fingerprint templates from `30 10`, when the card holds them.
    pub fingerprint: Option<Fingerprint>,
    /// The `30 03` appended address.
    pub appended_address: AppendedAddress,
}

impl CardData {
    /// Parses the text block of a read payload; photo and fingerprint stay raw.
    pub fn from_read(read: ReadPayload) -> Result<Self, CardError> {
        Ok(Self {
            text: CardText::parse(&read.text)?,
            photo: read.photo,
            fingerprint: read.fingerprint,
            appended_address: AppendedAddress::NotRead,
        })
    }

    /// Which card this is.
    pub fn card_type(&self) -> CardType {
        self.text.card_type()
    }

    /// The verdict on the card's number (see [`CardText::number_check`]).
    pub fn number_check(&self) -> NumberCheck {
        self.text.number_check()
    }

    /// The holder's current address: the newest appended address when the card has one,
    /// else the printed one.
    pub fn current_address(&self) -> Option<&PersonalText> {
        self.appended_address
            .address()
            .or_else(|| self.text.address())
    }

    /// Decodes the photo with a vendor decoder.
    pub fn decode_photo(&self, decoder: &dyn PhotoDecoder) -> Result<RgbImage, PhotoError> {
        decoder.decode(&self.photo)
    }

    /// The clear-text record for `--reveal --json` (see [`CardRecord`]).
    pub fn record(&self) -> CardRecord {
        CardRecord::from_card(self)
    }
}
