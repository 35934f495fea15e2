//! Code tables held on the chip (fact sheet §8): gender (GB/T 2261.1) and 民族
//! (GB/T 3304-1991) with today's official names — not the old names and typos that circulate
//! in public tables (崩龙, 毛难, 德昴, 基洛, 傈傈).

use std::fmt;

/// Gender code (GB/T 2261.1). Cards carry `1` or `2`; `2` is mapped explicitly, never as
/// "not 1".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    /// `0` 未知的性别.
    Unknown,
    /// `1` 男.
    Male,
    /// `2` 女.
    Female,
    /// `9` 未说明的性别.
    Unspecified,
}

impl Gender {
    /// The code character, or `None` for anything outside the table.
    pub fn from_code(code: char) -> Option<Self> {
        match code {
            '0' => Some(Self::Unknown),
            '1' => Some(Self::Male),
            '2' => Some(Self::Female),
            '9' => Some(Self::Unspecified),
            _ => None,
        }
    }

    /// The code character.
    pub fn code(self) -> char {
        match self {
            Self::Unknown => '0',
            Self::Male => '1',
            Self::Female => '2',
            Self::Unspecified => '9',
        }
    }

    /// 男 / 女 / 未知的性别 / 未说明的性别.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Unknown => "未知的性别",
            Self::Male => "男",
            Self::Female => "女",
            Self::Unspecified => "未说明的性别",
        }
    }

    /// `male` / `female` / `unknown` / `unspecified` (the JSON form).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Male => "male",
            Self::Female => "female",
            Self::Unspecified => "unspecified",
        }
    }

    /// The kiosk-core gender, which knows only 男 and 女.
    pub fn to_core(self) -> Option<kiosk_core::identity::Gender> {
        match self {
            Self::Male => Some(kiosk_core::identity::Gender::Male),
            Self::Female => Some(kiosk_core::identity::Gender::Female),
            Self::Unknown | Self::Unspecified => None,
        }
    }
}

impl fmt::Display for Gender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_zh())
    }
}

/// Names of codes 01–56, in code order, as the card prints them (without 族).
const NATION_NAMES: [&str; 56] = [
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// A 民族 code (two digits on the chip). Unassigned codes (00, 57–96, 99) are kept raw so
/// they can be shown, never a crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Nation(u8);

impl Nation {
    /// 01 汉.
    pub const HAN: Nation = Nation(1);

    /// A code 0–99.
    pub fn from_code(code: u8) -> Option<Self> {
        (code <= 99).then_some(Self(code))
    }

    /// The numeric code.
    pub fn code(self) -> u8 {
        self.0
    }

    /// The official name (e.g. 汉, 其他, 外国血统中国籍人士), or `None` for an unassigned code.
    pub fn name(self) -> Option<&'static str> {
        match self.0 {
            1..=56 => NATION_NAMES.get(usize::from(self.0) - 1).copied(),
            97 => Some("其他"),
            98 => Some("外国血统中国籍人士"),
            _ => None,
        }
    }

    /// The name, or the raw two-digit code when the code is unassigned.
    pub fn label(self) -> String {
        match self.name() {
            Some(name) => name.to_string(),
            None => format!("{:02}", self.0),
        }
    }
}

impl fmt::Display for Nation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_spot_checks() {
        let name = |c| Nation::from_code(c).and_then(Nation::name);
        assert_eq!(name(1), Some("汉"));
        assert_eq!(name(20), Some("傈僳"));
        assert_eq!(name(36), Some("毛南"));
        assert_eq!(name(46), Some("德昂"));
        assert_eq!(name(56), Some("基诺"));
        assert_eq!(name(57), None);
        assert_eq!(Nation::from_code(99).map(Nation::label), Some("99".into()));
        assert_eq!(Nation::from_code(100), None);
    }
}
