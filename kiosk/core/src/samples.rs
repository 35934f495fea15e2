//! Sample people for the simulated card reader and the demo: generated identities with
//! valid GB 11643 check digits. They are not real people; the region codes are real
//! county codes of the seed counties so addresses look plausible.

use crate::identity::{Gender, IdNumber, Identity, check_character};
use crate::personal::{PersonName, PersonalText};

/// A sample card holder.
#[derive(Debug, Clone, Copy)]
pub struct SamplePerson {
    /// Name on the card (one has a CJK Extension B character, as real cards may).
    pub name: &'static str,
    /// Gender.
    pub gender: Gender,
    /// 6-digit region code.
    pub region: &'static str,
    /// YYYYMMDD.
    pub birth: &'static str,
    /// 3-digit sequence (odd for men, even for women).
    pub sequence: &'static str,
    /// Address on the card.
    pub address: &'static str,
    /// Issuing authority.
    pub issuer: &'static str,
}

/// The sample people of the dev dock.
pub const SAMPLE_PEOPLE: [SamplePerson; 5] = [
    SamplePerson {
        name: "张桂兰",
        gender: Gender::Female,
        region: "371702",
        birth: "19560312",
        sequence: "024",
        address: "山东省菏泽市牡丹区牡丹街道示例村12号",
        issuer: "菏泽市公安局牡丹分局",
    },
    SamplePerson {
        name: "李建国",
        gender: Gender::Male,
        region: "610725",
        birth: "19620808",
        sequence: "013",
        address: "陕西省汉中市勉县勉阳街道示例社区3组",
        issuer: "勉县公安局",
    },
    SamplePerson {
        name: "王建𪚥",
        gender: Gender::Male,
        region: "140423",
        birth: "19790125",
        sequence: "057",
        address: "山西省长治市襄垣县古韩镇示例路8号",
        issuer: "襄垣县公安局",
    },
    SamplePerson {
        name: "阿依古丽·买买提",
        gender: Gender::Female,
        region: "652323",
        birth: "19881120",
        sequence: "046",
        address: "新疆维吾尔自治区昌吉回族自治州呼图壁县示例乡示例村",
        issuer: "呼图壁县公安局",
    },
    // a minor (for 社保卡申领（未成年人）, with 张桂兰 as the guardian)
    SamplePerson {
        name: "张小雨",
        gender: Gender::Female,
        region: "371702",
        birth: "20150601",
        sequence: "026",
        address: "山东省菏泽市牡丹区牡丹街道示例村12号",
        issuer: "菏泽市公安局牡丹分局",
    },
];

impl SamplePerson {
    /// The ID number with its computed check character.
    pub fn id_number(&self) -> String {
        let body = format!("{}{}{}", self.region, self.birth, self.sequence);
        let check = check_character(&body).unwrap_or('0');
        format!("{body}{check}")
    }

    /// The identity as the card reader would deliver it.
    pub fn identity(&self) -> Identity {
        let date = |d: &str| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8]);
        Identity {
            name: PersonName::new(self.name),
            gender: self.gender,
            nation: if self.name.contains('·') {
                "维吾尔".into()
            } else {
                "汉".into()
            },
            birth_date: date(self.birth),
            address: PersonalText::new(self.address),
            // built from 17 digits and their check character; the test below parses every one
            id_number: IdNumber::from_trusted(self.id_number()),
            issuer: PersonalText::new(self.issuer),
            valid_from: "2016-05-01".into(),
            valid_until: if self.birth < "19700101" {
                "长期".into()
            } else {
                "2036-05-01".into()
            },
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sample_numbers_carry_valid_check_digits() {
        for p in SAMPLE_PEOPLE {
            let identity = p.identity();
            assert!(identity.id_number.check_digit_ok(), "{}", p.id_number());
            assert_eq!(IdNumber::parse(&p.id_number()).unwrap(), identity.id_number);
            assert_eq!(identity.birth_date.replace('-', ""), p.birth);
        }
    }
}
