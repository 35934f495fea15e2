//! The four text-block layouts (fact sheet §7), code tables (§8), check digits (§9) and
//! malformed blocks. Blocks are built here at the sheet's literal offsets, independently of
//! the crate's own layout tables, so a wrong offset there cannot hide.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use idcard::CardData;
use idcard::card::{
    AppendedAddress, CardDate, CardError, CardText, CardType, Field, Gender, Nation, NumberCheck,
    ValidUntil,
};
use idcard::device::samples;
use idcard::photo::{NoPhotoDecoder, PhotoError};
use idcard::response::ReadPayload;
use kiosk_core::personal::PersonalText;

/// A block of spaces.
fn blank() -> Vec<u8> {
    [0x20, 0x00].repeat(128)
}

/// Writes `text` as UTF-16LE at byte `offset`.
fn put(block: &mut [u8], offset: usize, text: &str) {
    for (i, unit) in text.encode_utf16().enumerate() {
        block[offset + 2 * i..offset + 2 * i + 2].copy_from_slice(&unit.to_le_bytes());
    }
}

fn date(y: u16, m: u8, d: u8) -> CardDate {
    CardDate::new(y, m, d).unwrap()
}

fn resident_block() -> Vec<u8> {
    let mut b = blank();
    put(&mut b, 0, "李示例");
    put(&mut b, 30, "2");
    put(&mut b, 32, "03");
    put(&mut b, 36, "19800229");
    put(&mut b, 52, "江苏省南京市玄武区示例路 2 号");
    put(
        &mut b,
        122,
        &samples::with_check_character("32010219800229004"),
    );
    put(&mut b, 158, "南京市公安局玄武分局");
    put(&mut b, 188, "20100101");
    put(&mut b, 204, "20300101");
    b
}

#[test]
fn resident_layout() {
    let CardText::Resident(c) = CardText::parse(&resident_block()).unwrap() else {
        panic!("wrong type");
    };
    assert_eq!(c.name.reveal(), "李示例");
    assert_eq!(c.gender, Gender::Female);
    assert_eq!(c.nation.name(), Some("回"));
    assert_eq!(c.birth_date, date(1980, 2, 29));
    // inner spaces survive, only trailing padding goes
    assert_eq!(c.address.reveal(), "江苏省南京市玄武区示例路 2 号");
    assert_eq!(c.id_number.reveal().len(), 18);
    assert_eq!(c.number_check(), NumberCheck::Valid);
    assert_eq!(c.issuer.reveal(), "南京市公安局玄武分局");
    assert_eq!(c.valid_from, date(2010, 1, 1));
    assert_eq!(c.valid_until, ValidUntil::Date(date(2030, 1, 1)));
    assert_eq!(
        CardText::parse(&resident_block())
            .unwrap()
            .encode()
            .unwrap()
            .to_vec(),
        resident_block()
    );
}

#[test]
fn hmt_layout() {
    let mut b = blank();
    put(&mut b, 0, "陈示例");
    put(&mut b, 30, "1");
    put(&mut b, 36, "19900101");
    put(&mut b, 52, "广东省珠海市香洲区示例路1号");
    put(
        &mut b,
        122,
        &samples::with_check_character("82000019900101001"),
    );
    put(&mut b, 158, "珠海市公安局");
    put(&mut b, 188, "20230101");
    put(&mut b, 204, "20280101");
    put(&mut b, 220, "M00000002");
    put(&mut b, 238, "03");
    put(&mut b, 248, "J");
    let text = CardText::parse(&b).unwrap();
    assert_eq!(text.card_type(), CardType::HmtResidencePermit);
    let CardText::HmtPermit(c) = &text else {
        panic!("wrong type");
    };
    assert_eq!(c.name.reveal(), "陈示例");
    assert_eq!(c.gender, Gender::Male);
    assert_eq!(c.birth_date, date(1990, 1, 1));
    assert_eq!(c.address.reveal(), "广东省珠海市香洲区示例路1号");
    assert!(c.id_number.reveal().starts_with("820000"));
    assert_eq!(c.number_check(), NumberCheck::Valid);
    assert_eq!(c.issuer.reveal(), "珠海市公安局");
    assert_eq!(c.valid_until, ValidUntil::Date(date(2028, 1, 1)));
    assert_eq!(c.pass_number.reveal(), "M00000002");
    assert_eq!(c.issue_count, Some(3));
    assert_eq!(text.encode().unwrap().to_vec(), b);
}

#[test]
fn foreign_2017_layout() {
    let mut b = blank();
    put(&mut b, 0, "SAMPLE, ANNA MARIE");
    put(&mut b, 120, "2");
    put(&mut b, 122, "CAN310088120400");
    put(&mut b, 152, "CAN");
    // 中文姓名 left blank: allowed on this card
    put(&mut b, 188, "20190505");
    put(&mut b, 204, "20290505");
    put(&mut b, 220, "19881204");
    put(&mut b, 236, "02");
    put(&mut b, 240, "3100");
    put(&mut b, 248, "I");
    let text = CardText::parse(&b).unwrap();
    let CardText::Foreign2017(c) = &text else {
        panic!("wrong type");
    };
    assert_eq!(c.english_name.reveal(), "SAMPLE, ANNA MARIE");
    assert_eq!(c.gender, Gender::Female);
    assert_eq!(c.permit_number.reveal(), "CAN310088120400");
    assert_eq!(c.nationality, "CAN");
    assert_eq!(c.chinese_name.reveal(), "");
    assert_eq!(c.valid_from, date(2019, 5, 5));
    assert_eq!(c.valid_until, ValidUntil::Date(date(2029, 5, 5)));
    assert_eq!(c.birth_date, date(1988, 12, 4));
    assert_eq!(c.card_version, "02");
    assert_eq!(c.issuing_office, "3100");
    // no GB 11643 digit on these numbers: the shape is checked, the digit is not
    assert_eq!(text.number_check(), NumberCheck::NotApplicable);
    assert_eq!(text.display_name().reveal(), "SAMPLE, ANNA MARIE");
    assert_eq!(text.encode().unwrap().to_vec(), b);
}

#[test]
fn foreign_2023_layout_joins_the_english_name() {
    // 35 characters end exactly before a space: the space must survive the join (§13.6)
    let first = "ABCDEFGHIJ-KLMNOPQRS, TUVWXYZ ABCDE";
    assert_eq!(first.len(), 35);
    let full = format!("{first} FGHIJKLMN");
    let mut b = blank();
    put(&mut b, 0, "玛丽示例");
    put(&mut b, 30, "2");
    put(&mut b, 32, "01");
    put(&mut b, 36, "19850101");
    put(&mut b, 52, first);
    put(&mut b, 122, "932682198501010017"); // the sheet's §9 sample number
    put(&mut b, 188, "20240101");
    put(&mut b, 204, "20340101");
    put(&mut b, 220, " FGHIJKLMN");
    put(&mut b, 242, "SAU");
    put(&mut b, 248, "Y");
    put(&mut b, 250, "A1B");
    let text = CardText::parse(&b).unwrap();
    let CardText::Foreign2023(c) = &text else {
        panic!("wrong type");
    };
    assert_eq!(c.chinese_name.reveal(), "玛丽示例");
    assert_eq!(c.gender, Gender::Female);
    assert_eq!(c.renewal_count, Some(1));
    assert_eq!(c.birth_date, date(1985, 1, 1));
    assert_eq!(c.english_name.reveal(), full);
    assert_eq!(c.permit_number.reveal(), "932682198501010017");
    assert_eq!(c.number_check(), NumberCheck::Valid);
    assert_eq!(c.valid_until, ValidUntil::Date(date(2034, 1, 1)));
    assert_eq!(c.nationality, "SAU");
    assert_eq!(c.previous_number_link, "A1B");
    assert_eq!(text.encode().unwrap().to_vec(), b);
}

#[test]
fn sample_cards_round_trip_and_validate() {
    for (card, kind) in samples::all().iter().zip(CardType::ALL) {
        assert_eq!(card.card_type(), kind);
        let block = card.encode().unwrap();
        assert_eq!(block[248..250], kind.marker().to_le_bytes());
        assert_eq!(&CardText::parse(&block).unwrap(), card);
        assert!(!card.number_check().is_flagged(), "{kind:?}");
    }
    // the 2023 sample's English name is long enough to use the second field
    let CardText::Foreign2023(c) = samples::foreign_2023() else {
        panic!();
    };
    assert!(c.english_name.reveal().chars().count() > 35);
    let block = samples::foreign_2023().encode().unwrap();
    assert_ne!(block[220..222], [0x20, 0x00]);
    assert!(samples::photo().has_wlt_magic());
}

#[test]
fn long_term_validity() {
    let mut b = resident_block();
    put(&mut b, 204, "长期      ");
    assert_eq!(b[204..208], [0x7F, 0x95, 0x1F, 0x67]);
    let text = CardText::parse(&b).unwrap();
    assert_eq!(text.valid_until(), ValidUntil::LongTerm);
    assert_eq!(text.valid_until().to_string(), "长期");
    assert_eq!(text.valid_until().iso_or_long_term(), "long_term");
    assert!(!text.valid_until().is_expired_on(date(2999, 1, 1)));
    assert!(ValidUntil::Date(date(2020, 1, 1)).is_expired_on(date(2020, 1, 2)));
    assert!(!ValidUntil::Date(date(2020, 1, 1)).is_expired_on(date(2020, 1, 1)));
}

#[test]
fn gender_table() {
    for (code, gender, label) in [
        ("0", Gender::Unknown, "未知的性别"),
        ("1", Gender::Male, "男"),
        ("2", Gender::Female, "女"),
        ("9", Gender::Unspecified, "未说明的性别"),
    ] {
        let mut b = resident_block();
        put(&mut b, 30, code);
        assert_eq!(CardText::parse(&b).unwrap().gender(), gender);
        assert_eq!(gender.label_zh(), label);
    }
    // "2" is not "anything but 1": other codes are errors (§8.1)
    for bad in ["3", "M", " "] {
        let mut b = resident_block();
        put(&mut b, 30, bad);
        assert_eq!(
            CardText::parse(&b),
            Err(CardError::InvalidValue {
                field: Field::Gender
            })
        );
    }
}

#[test]
fn ethnic_table_has_todays_names() {
    let expected = [
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
    for (i, name) in expected.iter().enumerate() {
        let code = i as u8 + 1;
        let mut b = resident_block();
        put(&mut b, 32, &format!("{code:02}"));
        let CardText::Resident(c) = CardText::parse(&b).unwrap() else {
            panic!();
        };
        assert_eq!(c.nation.code(), code);
        assert_eq!(c.nation.name(), Some(*name), "code {code:02}");
    }
    assert_eq!(Nation::from_code(97).unwrap().name(), Some("其他"));
    assert_eq!(
        Nation::from_code(98).unwrap().name(),
        Some("外国血统中国籍人士")
    );
    // unassigned codes are kept raw, never a crash
    let mut b = resident_block();
    put(&mut b, 32, "77");
    let CardText::Resident(c) = CardText::parse(&b).unwrap() else {
        panic!();
    };
    assert_eq!(c.nation.name(), None);
    assert_eq!(c.nation.to_string(), "77");
    // not two digits
    put(&mut b, 32, "汉 ");
    assert_eq!(
        CardText::parse(&b),
        Err(CardError::InvalidValue {
            field: Field::Nation
        })
    );
}

#[test]
fn bad_check_digit_is_flagged_not_fatal() {
    let mut b = resident_block();
    let good = samples::with_check_character("32010219800229004");
    let last = good.chars().last().unwrap();
    let wrong = if last == '0' { '1' } else { '0' };
    put(&mut b, 122 + 34, &wrong.to_string());
    let text = CardText::parse(&b).unwrap();
    assert_eq!(
        text.number_check(),
        NumberCheck::Mismatch { expected: last }
    );
    assert!(text.number_check().is_flagged());
    // malformed numbers are reported too
    put(&mut b, 122, "32010219800229004x");
    assert_eq!(
        CardText::parse(&b).unwrap().number_check(),
        NumberCheck::Malformed
    );
    // 港澳台 numbers must carry 81/82/83 0000
    let CardText::HmtPermit(mut hmt) = samples::hmt_permit() else {
        panic!();
    };
    hmt.id_number =
        idcard::card::DocumentNumber::new(samples::with_check_character("11010119950615002"));
    assert_eq!(hmt.number_check(), NumberCheck::Malformed);
    // 2023 permit numbers start with 9 and carry a GB 11643 digit
    assert_eq!(
        idcard::card::foreign2023_check("932682198501010018"),
        NumberCheck::Mismatch { expected: '7' }
    );
    assert_eq!(
        idcard::card::foreign2023_check("132682198501010017"),
        NumberCheck::Malformed
    );
    assert_eq!(
        idcard::card::foreign2017_check("usa110085071200"),
        NumberCheck::Malformed
    );
}

#[test]
fn malformed_blocks_give_typed_errors() {
    let b = resident_block();
    assert_eq!(
        CardText::parse(&b[..255]),
        Err(CardError::OddLength { len: 255 })
    );
    assert_eq!(
        CardText::parse(&b[..254]),
        Err(CardError::WrongLength { len: 254 })
    );
    assert_eq!(
        CardText::parse(&[b.clone(), vec![0x20, 0]].concat()),
        Err(CardError::WrongLength { len: 258 })
    );
    assert_eq!(CardText::parse(&[]), Err(CardError::WrongLength { len: 0 }));

    let mut unknown = b.clone();
    put(&mut unknown, 248, "Z");
    assert_eq!(
        CardText::parse(&unknown),
        Err(CardError::UnknownCardType { marker: 0x5A })
    );
    let mut nul = b.clone();
    nul[248] = 0;
    assert_eq!(
        CardText::parse(&nul),
        Err(CardError::UnknownCardType { marker: 0 })
    );

    let mut lone = b.clone();
    lone[2..4].copy_from_slice(&0xD800u16.to_le_bytes());
    assert_eq!(
        CardText::parse(&lone),
        Err(CardError::InvalidUtf16 { field: Field::Name })
    );
    // a surrogate pair (CJK Extension B, as in real names) is fine
    let mut ext_b = b.clone();
    put(&mut ext_b, 0, "王建𪚥");
    assert_eq!(
        CardText::parse(&ext_b).unwrap().chinese_name().reveal(),
        "王建𪚥"
    );

    let mut bad_date = b.clone();
    put(&mut bad_date, 36, "19800230");
    assert_eq!(
        CardText::parse(&bad_date),
        Err(CardError::InvalidValue {
            field: Field::BirthDate
        })
    );
    let mut bad_end = b.clone();
    put(&mut bad_end, 204, "长久");
    assert_eq!(
        CardText::parse(&bad_end),
        Err(CardError::InvalidValue {
            field: Field::ValidUntil
        })
    );
    let mut all_zero = vec![0u8; 256];
    all_zero[248] = 0x20;
    assert!(CardText::parse(&all_zero).is_err());
}

#[test]
fn card_data_masks_itself() {
    let text = CardText::parse(&resident_block()).unwrap();
    let mut card = CardData {
        text,
        photo: samples::photo(),
        fingerprint: Some(samples::fingerprint()),
        appended_address: AppendedAddress::Present(PersonalText::new(
            "江苏省南京市鼓楼区新址路5号",
        )),
    };
    let debug = format!("{card:?}");
    let number = card.text.number().reveal().to_string();
    for secret in [
        "李示例",
        "示例路",
        "新址路",
        number.as_str(),
        "1980-02-29",
        "19800229",
        "南京市公安局",
    ] {
        assert!(!debug.contains(secret), "{secret} leaked in {debug}");
    }
    assert!(debug.contains("李*"), "{debug}");
    assert!(!format!("{}", card.text.number()).contains(&number[4..14]));
    assert_eq!(
        card.current_address().unwrap().reveal(),
        "江苏省南京市鼓楼区新址路5号"
    );
    card.appended_address = AppendedAddress::Absent;
    assert_eq!(
        card.current_address().unwrap().reveal(),
        "江苏省南京市玄武区示例路 2 号"
    );
    for sample in samples::all() {
        let debug = format!("{sample:?}");
        assert!(!debug.contains(sample.number().reveal()), "{debug}");
        assert!(!debug.contains(&sample.birth_date().iso()), "{debug}");
        if let Some(en) = sample.english_name() {
            assert!(!debug.contains(en.reveal()), "{debug}");
        }
    }
    // the photo and fingerprint print sizes only
    assert!(debug_len_only(&format!("{:?}", samples::photo())));
}

fn debug_len_only(debug: &str) -> bool {
    debug == "WltPhoto(<1024 bytes>)"
}

#[test]
fn record_is_clear_json() {
    let card = CardData {
        text: samples::resident(),
        photo: samples::photo(),
        fingerprint: None,
        appended_address: AppendedAddress::Absent,
    };
    let record = card.record();
    assert!(!format!("{record:?}").contains("王示例"));
    let json = serde_json::to_value(&record).unwrap();
    assert_eq!(json["card_type"], "resident");
    assert_eq!(json["name"], "王示例");
    assert_eq!(json["gender"], "male");
    assert_eq!(json["nation"], "汉");
    assert_eq!(json["birth_date"], "1962-04-15");
    assert_eq!(json["address"], "北京市东城区示例街道测试胡同8号");
    assert_eq!(json["id_number"], card.text.number().reveal());
    assert_eq!(json["number_check"], "valid");
    assert_eq!(json["issuer"], "北京市公安局东城分局");
    assert_eq!(json["valid_from"], "2012-05-20");
    assert_eq!(json["valid_until"], "long_term");
    assert_eq!(json["permit_number"], serde_json::Value::Null);
    assert_eq!(json["appended_address"], serde_json::Value::Null);

    let foreign = CardData {
        text: samples::foreign_2023(),
        ..card.clone()
    };
    let json = serde_json::to_value(foreign.record()).unwrap();
    assert_eq!(json["card_type"], "foreign_permanent_2023");
    assert_eq!(
        json["english_name"],
        "MUSTERFRAU-BEISPIEL, MARIA ANNA KATHARINA"
    );
    assert_eq!(json["nationality"], "DEU");
    assert_eq!(json["id_number"], serde_json::Value::Null);
    assert_eq!(json["renewal_count"], 0);
    let hmt = CardData {
        text: samples::hmt_permit(),
        ..card
    };
    let json = serde_json::to_value(hmt.record()).unwrap();
    assert_eq!(json["pass_number"], "H00000001");
    assert_eq!(json["issue_count"], 1);
    assert_eq!(json["nation"], serde_json::Value::Null);
}

#[test]
fn resident_card_bridges_to_kiosk_identity() {
    let CardText::Resident(r) = samples::resident() else {
        panic!();
    };
    let identity = r.to_identity().unwrap();
    assert_eq!(identity.name.reveal(), "王示例");
    assert_eq!(identity.nation, "汉");
    assert_eq!(identity.birth_date, "1962-04-15");
    assert_eq!(identity.valid_until, "长期");
    assert!(identity.id_number.check_digit_ok());
}

#[test]
fn read_payload_to_card_and_photo_seam() {
    let payload = ReadPayload {
        text: samples::foreign_2017().encode().unwrap().to_vec(),
        photo: samples::photo(),
        fingerprint: None,
    };
    let card = CardData::from_read(payload).unwrap();
    assert_eq!(card.card_type(), CardType::ForeignPermanent2017);
    assert_eq!(card.appended_address, AppendedAddress::NotRead);
    assert_eq!(
        card.decode_photo(&NoPhotoDecoder),
        Err(PhotoError::Unavailable)
    );
}
