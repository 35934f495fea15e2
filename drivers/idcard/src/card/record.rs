//! The clear-text, serialisable view of a card for the explicit `--reveal --json` CLI path.
//!
//! Unlike every other type of this crate, [`CardRecord`] holds **clear** names, numbers
//! and addresses: it exists only to be printed when an operator asks for it on purpose.
//! Its `Debug` still prints nothing personal, so a stray `{:?}` cannot leak it; build it
//! at the last moment and drop it right after printing.

use std::fmt;

use serde::Serialize;

use super::{CardData, CardText};

/// A card as flat JSON: English snake_case keys, ISO dates, `long_term` for 长期, `null`
/// for fields the card type does not have. **Holds clear personal data.**
///
/// `id_number` is the 公民身份号码 of resident and 港澳台 cards; permanent-residence cards
/// put their number in `permit_number` instead.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct CardRecord {
    /// `resident`, `hmt_residence_permit`, `foreign_permanent_2017`, `foreign_permanent_2023`.
    pub card_type: &'static str,
    /// Chinese name (`null` when blank on a 2017 permanent-residence card).
    pub name: Option<String>,
    /// English name (permanent-residence cards).
    pub english_name: Option<String>,
    /// `male`, `female`, `unknown`, `unspecified`.
    pub gender: &'static str,
    /// 民族 name (e.g. 汉), or the raw 2-digit code when unassigned (resident cards).
    pub nation: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// Address printed on the card.
    pub address: Option<String>,
    /// Newest appended address (`30 03`), when read and present.
    pub appended_address: Option<String>,
    /// 公民身份号码 (resident and 港澳台 cards).
    pub id_number: Option<String>,
    /// Permanent-residence card number.
    pub permit_number: Option<String>,
    /// `valid`, `mismatch`, `malformed`, `not_applicable`.
    pub number_check: &'static str,
    /// 签发机关 (resident and 港澳台 cards).
    pub issuer: Option<String>,
    /// `YYYY-MM-DD`.
    pub valid_from: String,
    /// `YYYY-MM-DD` or `long_term`.
    pub valid_until: String,
    /// Nationality alpha-3 code (permanent-residence cards).
    pub nationality: Option<String>,
    /// 通行证号码 (港澳台 cards).
    pub pass_number: Option<String>,
    /// 签发次数 (港澳台 cards).
    pub issue_count: Option<u8>,
    /// 换证次数 (2023 permanent-residence cards).
    pub renewal_count: Option<u8>,
    /// 证件版本号 (2017 permanent-residence cards).
    pub card_version: Option<String>,
    /// 受理机关代码 (2017 permanent-residence cards).
    pub issuing_office: Option<String>,
    /// 既往版本证件号码关联项 (2023 permanent-residence cards; `null` when blank).
    pub previous_number_link: Option<String>,
    /// Whether fingerprint templates were read.
    pub has_fingerprint: bool,
}

impl fmt::Debug for CardRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CardRecord({}, <clear values not shown>)",
            self.card_type
        )
    }
}

fn non_blank(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

impl CardRecord {
    /// Builds the record (clear values) from a read card.
    pub fn from_card(card: &CardData) -> Self {
        let t = &card.text;
        let mut r = Self {
            card_type: t.card_type().as_str(),
            name: non_blank(t.chinese_name().reveal()),
            english_name: t.english_name().and_then(|n| non_blank(n.reveal())),
            gender: t.gender().as_str(),
            nation: None,
            birth_date: t.birth_date().iso(),
            address: t.address().map(|a| a.reveal().to_string()),
            appended_address: card
                .appended_address
                .address()
                .map(|a| a.reveal().to_string()),
            id_number: None,
            permit_number: None,
            number_check: t.number_check().as_str(),
            issuer: None,
            valid_from: t.valid_from().iso(),
            valid_until: t.valid_until().iso_or_long_term(),
            nationality: None,
            pass_number: None,
            issue_count: None,
            renewal_count: None,
            card_version: None,
            issuing_office: None,
            previous_number_link: None,
            has_fingerprint: card.fingerprint.is_some(),
        };
        match t {
            CardText::Resident(c) => {
                r.nation = Some(c.nation.label());
                r.id_number = Some(c.id_number.reveal().to_string());
                r.issuer = Some(c.issuer.reveal().to_string());
            }
            CardText::HmtPermit(c) => {
                r.id_number = Some(c.id_number.reveal().to_string());
                r.issuer = Some(c.issuer.reveal().to_string());
                r.pass_number = Some(c.pass_number.reveal().to_string());
                r.issue_count = c.issue_count;
            }
            CardText::Foreign2017(c) => {
                r.permit_number = Some(c.permit_number.reveal().to_string());
                r.nationality = Some(c.nationality.clone());
                r.card_version = Some(c.card_version.clone());
                r.issuing_office = Some(c.issuing_office.clone());
            }
            CardText::Foreign2023(c) => {
                r.permit_number = Some(c.permit_number.reveal().to_string());
                r.nationality = Some(c.nationality.clone());
                r.renewal_count = c.renewal_count;
                r.previous_number_link = non_blank(&c.previous_number_link);
            }
        }
        r
    }
}
