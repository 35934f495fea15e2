//! Sample cards, one per layout, for tests, the simulator and the demo.
//!
//! The identities are **generated and fictional**: names contain 示例 ("example") or are
//! placeholder English names, addresses are 示例 streets, and every number gets its check
//! character computed here (GB 11643 via kiosk-core), so they pass validation without being
//! anyone's number. The photo is a synthetic block that passes the `WLf` sanity check but
//! is no real WLT image.

use kiosk_core::identity::check_character;
use kiosk_core::personal::{PersonName, PersonalText};

use crate::card::{
    CardDate, CardText, DocumentNumber, Foreign2017Card, Foreign2023Card, Gender, HmtPermitCard,
    Nation, ResidentCard, ValidUntil,
};
use crate::photo::{FINGERPRINT_LEN, Fingerprint, WLT_LEN, WltPhoto};
use crate::response::SamId;

/// 17 digits plus their GB 11643 check character (a body that is not 17 digits is returned
/// unchanged, which would show up as a malformed number in tests).
pub fn with_check_character(body17: &str) -> String {
    match check_character(body17) {
        Some(c) => format!("{body17}{c}"),
        None => body17.to_string(),
    }
}

/// A sample date, checked when the constants below are compiled.
const fn date(y: u16, m: u8, d: u8) -> CardDate {
    match CardDate::new(y, m, d) {
        Some(date) => date,
        None => panic!("sample date does not exist"),
    }
}

const D1962_04_15: CardDate = date(1962, 4, 15);
const D2012_05_20: CardDate = date(2012, 5, 20);
const D1995_06_15: CardDate = date(1995, 6, 15);
const D2024_03_01: CardDate = date(2024, 3, 1);
const D2029_03_01: CardDate = date(2029, 3, 1);
const D2018_03_01: CardDate = date(2018, 3, 1);
const D2028_03_01: CardDate = date(2028, 3, 1);
const D1985_07_12: CardDate = date(1985, 7, 12);
const D1981_08_03: CardDate = date(1981, 8, 3);
const D2024_01_02: CardDate = date(2024, 1, 2);
const D2034_01_02: CardDate = date(2034, 1, 2);

/// 居民身份证: 王示例, 男, 汉, born 1962-04-15, long-term validity (长期).
pub fn resident() -> CardText {
    CardText::Resident(ResidentCard {
        name: PersonName::new("王示例"),
        gender: Gender::Male,
        nation: Nation::HAN,
        birth_date: D1962_04_15,
        address: PersonalText::new("北京市东城区示例街道测试胡同8号"),
        id_number: DocumentNumber::new(with_check_character("11010119620415003")),
        issuer: PersonalText::new("北京市公安局东城分局"),
        valid_from: D2012_05_20,
        valid_until: ValidUntil::LongTerm,
    })
}

/// 港澳台居民居住证: 陈示例, 女, Hong Kong resident (810000 prefix).
pub fn hmt_permit() -> CardText {
    CardText::HmtPermit(HmtPermitCard {
        name: PersonName::new("陈示例"),
        gender: Gender::Female,
        birth_date: D1995_06_15,
        address: PersonalText::new("广东省深圳市福田区示例路100号"),
        id_number: DocumentNumber::new(with_check_character("81000019950615002")),
        issuer: PersonalText::new("深圳市公安局"),
        valid_from: D2024_03_01,
        valid_until: ValidUntil::Date(D2029_03_01),
        pass_number: DocumentNumber::new("H00000001"),
        issue_count: Some(1),
    })
}

/// 2017 外国人永久居留身份证: EXAMPLE, JOHN SAMPLE (USA).
pub fn foreign_2017() -> CardText {
    CardText::Foreign2017(Foreign2017Card {
        english_name: PersonName::new("EXAMPLE, JOHN SAMPLE"),
        gender: Gender::Male,
        permit_number: DocumentNumber::new("USA110085071200"),
        nationality: "USA".to_string(),
        chinese_name: PersonName::new("约翰示例"),
        valid_from: D2018_03_01,
        valid_until: ValidUntil::Date(D2028_03_01),
        birth_date: D1985_07_12,
        card_version: "01".to_string(),
        issuing_office: "1100".to_string(),
    })
}

/// 2023 外国人永久居留身份证: 玛丽亚示例, a 41-character English name that runs into the
/// second name field (Germany, 276).
pub fn foreign_2023() -> CardText {
    CardText::Foreign2023(Foreign2023Card {
        chinese_name: PersonName::new("玛丽亚示例"),
        gender: Gender::Female,
        renewal_count: Some(0),
        birth_date: D1981_08_03,
        english_name: PersonName::new("MUSTERFRAU-BEISPIEL, MARIA ANNA KATHARINA"),
        permit_number: DocumentNumber::new(with_check_character("93227619810803002")),
        valid_from: D2024_01_02,
        valid_until: ValidUntil::Date(D2034_01_02),
        nationality: "DEU".to_string(),
        previous_number_link: String::new(),
    })
}

/// One sample per layout, in the order of [`crate::card::CardType::ALL`].
pub fn all() -> [CardText; 4] {
    [resident(), hmt_permit(), foreign_2017(), foreign_2023()]
}

/// A synthetic 1024-byte photo block: `WLf` magic, byte 6 = `32`, then a fixed pattern.
pub fn photo() -> WltPhoto {
    let mut bytes: Vec<u8> = (0..WLT_LEN).map(|i| (i * 7 % 251) as u8).collect();
    bytes[..3].copy_from_slice(b"WLf");
    bytes[6] = 0x32;
    WltPhoto::new(bytes)
}

/// A synthetic fingerprint block (two 512-byte templates of a fixed pattern).
pub fn fingerprint() -> Fingerprint {
    Fingerprint::new((0..FINGERPRINT_LEN).map(|i| (i * 13 % 256) as u8).collect())
}

/// A fictional SAM ID: `05.01-20240101-0000000001-0000000002`.
pub fn sam_id() -> SamId {
    let mut raw = [0u8; 16];
    raw[0..2].copy_from_slice(&5u16.to_le_bytes());
    raw[2..4].copy_from_slice(&1u16.to_le_bytes());
    raw[4..8].copy_from_slice(&20_240_101u32.to_le_bytes());
    raw[8..12].copy_from_slice(&1u32.to_le_bytes());
    raw[12..16].copy_from_slice(&2u32.to_le_bytes());
    SamId::new(raw)
}
