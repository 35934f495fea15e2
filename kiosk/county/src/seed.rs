//! Seeded sample citizens: generated identities (valid GB 11643 check digits, real region
//! codes of the seed counties, invented names) with pension histories, insurance and card
//! states. Deterministic, so tests and demos see the same people. The kiosk's dev-dock
//! people (`kiosk_core::samples::SAMPLE_PEOPLE`) come first, so a simulated card finds a
//! record.

use kiosk_core::identity::check_character;
use kiosk_core::samples::SAMPLE_PEOPLE;
use serde::{Deserialize, Serialize};

/// One year of 城乡居民养老 contributions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionYear {
    /// Year.
    pub year: u32,
    /// Yuan paid by the person (the 缴费档次).
    pub paid: u32,
    /// Yuan of government subsidy credited.
    pub subsidy: u32,
}

/// What the county knows of one person.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citizen {
    /// 公民身份号码.
    pub id_number: String,
    /// 姓名.
    pub name: String,
    /// 城乡居民养老 contributions, oldest first; empty when not enrolled.
    pub pension: Vec<ContributionYear>,
    /// Monthly pension being paid, in yuan (0: not yet receiving).
    pub monthly_pension: u32,
    /// Enrolled in 城乡居民医保 for the current year.
    pub medical: bool,
    /// Social security card state: `none`, `active`, `suspended`, `replacing`.
    pub card: String,
}

impl std::fmt::Debug for Citizen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Citizen(<personal>, {} pension years)",
            self.pension.len()
        )
    }
}

/// How many citizens are generated besides the dev-dock people.
pub const GENERATED: usize = 200;

const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
];
const GIVEN: [&str; 24] = [
    "秀英", "桂英", "建华", "玉兰", "国强", "志刚", "海燕", "春梅", "明", "伟", "芳", "军", "丽娟",
    "德福", "长生", "淑珍", "红霞", "永康", "金凤", "小平", "庆余", "兰芝", "守田", "满仓",
];
const REGIONS: [&str; 5] = ["371702", "610725", "140423", "652323", "140525"];

/// A small deterministic generator (xorshift64*), so the seed needs no randomness crate.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

fn id_number(region: &str, birth: &str, sequence: &str) -> Option<String> {
    let body = format!("{region}{birth}{sequence}");
    Some(format!("{body}{}", check_character(&body)?))
}

fn history(rng: &mut Lcg, birth_year: u32) -> (Vec<ContributionYear>, u32) {
    const LEVELS: [u32; 6] = [200, 300, 500, 1000, 2000, 3000];
    let first = 2011 + rng.next(10) as u32;
    let age_2026 = 2026u32.saturating_sub(birth_year);
    // people over 60 when the scheme started paid little or nothing and receive a pension
    let last = if age_2026 >= 60 {
        (birth_year + 60).clamp(first, 2025)
    } else {
        2025
    };
    let level = LEVELS[rng.next(LEVELS.len() as u64) as usize];
    let years = (first..=last)
        .map(|year| ContributionYear {
            year,
            paid: level,
            subsidy: 30 + level / 20,
        })
        .collect();
    let monthly = if age_2026 >= 60 {
        180 + rng.next(120) as u32
    } else {
        0
    };
    (years, monthly)
}

/// The sample citizens: the dev-dock people, then [`GENERATED`] more.
pub fn citizens() -> Vec<Citizen> {
    let mut rng = Lcg(0x5EED_C0DE_2026_1123);
    let mut out = Vec::new();
    for p in SAMPLE_PEOPLE {
        let Some(id) = id_number(p.region, p.birth, p.sequence) else {
            continue;
        };
        let birth_year = p
            .birth
            .get(..4)
            .and_then(|y| y.parse().ok())
            .unwrap_or(1970);
        let (pension, monthly_pension) = history(&mut rng, birth_year);
        out.push(Citizen {
            id_number: id,
            name: p.name.to_string(),
            pension,
            monthly_pension,
            medical: true,
            card: "active".into(),
        });
    }
    for i in 0..GENERATED {
        let region = REGIONS[i % REGIONS.len()];
        let birth_year = 1940 + rng.next(66) as u32;
        let birth = format!("{birth_year}{:02}{:02}", 1 + rng.next(12), 1 + rng.next(28));
        let sequence = format!("{:03}", 100 + i);
        let Some(id) = id_number(region, &birth, &sequence) else {
            continue;
        };
        let name = format!(
            "{}{}",
            SURNAMES[rng.next(SURNAMES.len() as u64) as usize],
            GIVEN[rng.next(GIVEN.len() as u64) as usize]
        );
        let enrolled = rng.next(10) < 8;
        let (pension, monthly_pension) = if enrolled {
            history(&mut rng, birth_year)
        } else {
            (Vec::new(), 0)
        };
        let card = match rng.next(10) {
            0 => "none",
            1 => "suspended",
            _ => "active",
        };
        out.push(Citizen {
            id_number: id,
            name,
            pension,
            monthly_pension,
            medical: rng.next(10) < 9,
            card: card.into(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use kiosk_core::identity::IdNumber;

    #[test]
    fn every_citizen_has_a_valid_unique_number_and_the_dock_people_come_first() {
        let all = citizens();
        assert_eq!(all.len(), SAMPLE_PEOPLE.len() + GENERATED);
        let mut seen = std::collections::HashSet::new();
        for c in &all {
            assert!(IdNumber::parse(&c.id_number).unwrap().check_digit_ok());
            assert!(seen.insert(c.id_number.clone()));
        }
        assert_eq!(all[0].name, SAMPLE_PEOPLE[0].name);
        assert_eq!(citizens(), all, "deterministic");
    }
}
