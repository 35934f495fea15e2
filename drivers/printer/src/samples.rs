//! Sample receipts with fictional data, for golden-byte tests, the simulator and the future
//! `kiosk print receipt --sample NAME`. Layouts follow issue 4 §2; names and ID numbers are
//! already masked, as the app would pass them (DESIGN.md principle 5).

use crate::document::{Block, Document, Size, Style};
use crate::profile::Profile;
use crate::text::Align;

/// The sample names accepted by [`sample`].
pub const NAMES: [&str; 5] = ["banjian", "chaxun", "gaozhi", "canbao", "test-page"];

/// The sample called `name`, laid out for `profile`; `None` for an unknown name.
pub fn sample(name: &str, profile: &Profile) -> Option<Document> {
    Some(match name {
        "banjian" => banjian_huizhi(),
        "chaxun" => chaxun_jieguo(),
        "gaozhi" => yici_gaozhi(),
        "canbao" => canbao_zhengming(),
        "test-page" => test_page(profile),
        _ => return None,
    })
}

/// 办件回执: terminal, time, matter, 受理编号, masked name and ID, next steps, QR for 进度查询.
/// The surname 𠮷 (CJK Ext-B) is outside every printer font: that line goes out as a raster.
pub fn banjian_huizhi() -> Document {
    Document::new()
        .title("办件回执")
        .push(Block::centred("某某县政务服务中心"))
        .separator('-')
        .key_value("终端", "ZW-0001 (大厅东侧)")
        .key_value("时间", "2026-11-23 10:42")
        .key_value("事项", "城乡居民养老保险参保登记")
        .push(Block::KeyValue {
            key: "受理编号".into(),
            value: "A20261123001".into(),
            bold: true,
        })
        .key_value("申请人", "𠮷*明")
        .key_value("身份证号", "3201********1234")
        .separator('-')
        .line("下一步：审核结果将在 5 个工作日内以短信通知；如需补正材料，请携带本回执到 3 号综合窗口办理。")
        .push(Block::centred("扫码查询办理进度"))
        .qr("https://zw.example.gov.cn/q/A20261123001")
        .feed(1)
        .push(Block::centred("咨询电话 12345"))
        .cut()
}

/// 查询结果: pension account summary.
pub fn chaxun_jieguo() -> Document {
    Document::new()
        .title("查询结果")
        .push(Block::centred("城乡居民基本养老保险个人账户"))
        .separator('-')
        .key_value("姓名", "王*芳")
        .key_value("身份证号", "3201********5678")
        .key_value("参保状态", "正常缴费")
        .key_value("累计缴费年限", "12 年 3 个月")
        .key_value("个人账户累计", "￥18,352.60")
        .key_value("2026 年已缴", "￥1,200.00")
        .key_value("查询时间", "2026-11-23 10:45")
        .separator('-')
        .line("本结果仅供参考，以社保经办机构记录为准。")
        .cut()
}

/// 一次性告知单: matter, 申请材料, where to go, time limits, phone, QR to the online guide.
pub fn yici_gaozhi() -> Document {
    Document::new()
        .title("一次性告知单")
        .text(
            "事项：城乡居民养老保险待遇领取资格认证",
            Style {
                bold: true,
                ..Style::default()
            },
        )
        .separator('-')
        .line("申请材料：")
        .line("1. 居民身份证原件（或社会保障卡）")
        .line("2. 户口簿原件及复印件一份")
        .line("3. 银行卡或存折（用于待遇发放）")
        .separator('-')
        .key_value("办理地点", "县政务服务中心 2 楼 3 号窗口")
        .key_value("办理时限", "即办件，当场办结")
        .key_value("收费标准", "不收费")
        .key_value("咨询电话", "0000-12345678")
        .push(Block::centred("扫码查看网上办事指南"))
        .qr("https://zw.example.gov.cn/g/YLBX-RZ")
        .cut()
}

/// 参保证明 layout: title, body, a table of periods, the issuing office.
pub fn canbao_zhengming() -> Document {
    Document::new()
        .title("参保证明")
        .line("兹证明 李*华（身份证号 3201********0012）在本县参加城乡居民基本养老保险，参保情况如下：")
        .separator('-')
        .key_value("险种", "城乡居民基本养老保险")
        .key_value("参保起始", "2014-07")
        .key_value("缴费至", "2026-10")
        .key_value("缴费月数", "148")
        .separator('-')
        .text(
            "某某县社会保险事业管理局",
            Style {
                align: Align::Right,
                ..Style::default()
            },
        )
        .text(
            "二〇二六年十一月二十三日",
            Style {
                align: Align::Right,
                ..Style::default()
            },
        )
        .push(Block::centred("验证码 CB-7F3A-20261123"))
        .qr("https://zw.example.gov.cn/v/CB7F3A")
        .cut()
}

/// The maintenance test page: profile facts, column rulers, sizes, a QR and a cut.
pub fn test_page(profile: &Profile) -> Document {
    let cols = usize::from(profile.columns);
    let ruler: String = (1..=cols)
        .map(|i| char::from(b'0' + (i % 10) as u8))
        .collect();
    let hanzi: String = "一二三四五六七八九十"
        .chars()
        .cycle()
        .take(cols / 2)
        .collect();
    Document::new()
        .title("打印机测试页")
        .line(format!("型号: {}", profile.name))
        .line(format!(
            "{} 点/行, {} dpi, {} 列",
            profile.dots_per_line, profile.dpi, profile.columns
        ))
        .line(ruler)
        .line(hanzi)
        .text(
            "倍高 TALL",
            Style {
                size: Size::TALL,
                ..Style::default()
            },
        )
        .text(
            "倍宽倍高",
            Style {
                size: Size::DOUBLE,
                ..Style::default()
            },
        )
        .text(
            "粗体 BOLD",
            Style {
                bold: true,
                ..Style::default()
            },
        )
        .line("全角标点：，。：；￥〇·—")
        .qr("TEST-PAGE")
        .cut()
}
