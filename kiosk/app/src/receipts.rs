//! What the kiosk prints: the session's [`PrintContent`] laid out as a printer
//! [`Document`] (办件回执, 查询结果, 一次性告知单). Personal data arrives masked from the core
//! ([`kiosk_core::identity::MaskedIdentity`]); nothing here sees a full name or number.

use kiosk_core::catalog::{Matter, PrintNeed, Service};
use kiosk_core::clock::BeijingTime;
use kiosk_core::session::{PrintContent, PrintJob};
use kiosk_core::setup::Setup;
use printer::{Block, Document, Size, Style};

/// The receipt for `job`, printed at `now` on this terminal; `None` when its matter is not in
/// the catalog (a job from an older catalog).
pub fn document(job: &PrintJob, setup: &Setup, now: BeijingTime) -> Option<Document> {
    let matter = setup.catalog.get(job.content.matter())?;
    let t = &setup.terminal;
    let header = |title: &str| {
        Document::new()
            .title(title)
            .push(Block::centred(t.name.as_str()))
            .separator('-')
            .key_value("终端", t.id.as_str())
            .key_value(
                "时间",
                format!("{} {:02}:{:02}", now.iso_date(), now.hour, now.minute),
            )
    };
    let doc = match &job.content {
        PrintContent::Receipt {
            acceptance,
            applicant,
            ..
        } => {
            let mut d = header("办件回执")
                .key_value("事项", matter.name.as_str())
                .push(Block::KeyValue {
                    key: "受理编号".into(),
                    value: acceptance.receipt_no.clone(),
                    bold: true,
                });
            if let Some(a) = applicant {
                d = d
                    .key_value("申请人", a.name.as_str())
                    .key_value("身份证号", a.id_number.as_str());
            }
            d.key_value(
                "状态",
                if acceptance.queued {
                    "已受理（网络恢复后自动上传）"
                } else {
                    "已提交"
                },
            )
            .separator('-')
            .line(format!(
                "下一步：审核结果将以短信通知。可凭受理编号在本终端“进度查询”，或拨打 {} 查询。",
                t.hotline
            ))
            .push(Block::centred("扫码查询办理进度"))
            .qr(progress_url(setup, &acceptance.receipt_no))
            .push(Block::centred("扫码评价本次服务"))
            .qr(rating_url(setup, matter, &acceptance.receipt_no))
        }
        PrintContent::QueryResult {
            outcome, applicant, ..
        } => {
            // the paper is the service for 参保证明 and 个人权益记录: it carries their own title
            let essential = matter.service.map(Service::print_need) == Some(PrintNeed::Essential);
            let title = if essential || outcome.certificate.is_some() {
                outcome.title.as_str()
            } else {
                "查询结果"
            };
            let mut d = header(title).key_value("事项", matter.name.as_str());
            if let Some(a) = applicant {
                d = d
                    .key_value("姓名", a.name.as_str())
                    .key_value("身份证号", a.id_number.as_str());
            }
            d = d.separator('-').push(Block::Text {
                text: outcome.title.clone(),
                style: Style {
                    bold: true,
                    ..Style::default()
                },
            });
            for (k, v) in &outcome.rows {
                d = d.key_value(k.as_str(), v.as_str());
            }
            if !outcome.note.is_empty() {
                d = d.separator('-').line(outcome.note.as_str());
            }
            match &outcome.certificate {
                Some(c) => d
                    .separator('-')
                    .push(Block::KeyValue {
                        key: "证明编号".into(),
                        value: c.number.clone(),
                        bold: true,
                    })
                    .push(Block::KeyValue {
                        key: "验证码".into(),
                        value: c.code.clone(),
                        bold: true,
                    })
                    .line("凭证明编号和验证码，可在县人社部门网站或窗口核验本证明真伪。")
                    .push(Block::centred("扫码核验"))
                    .qr(c.verify_url.as_str()),
                None => d,
            }
        }
        PrintContent::Notice(_) => notice(header("一次性告知单"), matter, setup),
    };
    Some(
        doc.feed(1)
            .push(Block::centred(format!("咨询电话 {}", t.hotline)))
            .cut(),
    )
}

/// 一次性告知单: everything the citizen must bring and where to go, in one slip.
fn notice(d: Document, matter: &Matter, setup: &Setup) -> Document {
    let g = &matter.guide;
    let mut d = d
        .push(Block::Text {
            text: matter.name.clone(),
            style: Style {
                size: Size::TALL,
                bold: true,
                ..Style::default()
            },
        })
        .key_value("实施部门", matter.department.as_str())
        .separator('-')
        .push(Block::heading("申请材料"));
    for (i, m) in g.materials.iter().enumerate() {
        d = d.line(format!("{}. {m}", i + 1));
    }
    d = d
        .push(Block::heading("办理地点"))
        .line(g.location.as_str())
        .key_value("办理时限", g.time_limit.as_str())
        .key_value("收费", g.fees.as_str())
        .key_value("咨询电话", g.contact.as_str());
    if g.sample {
        d = d.push(Block::centred("【示例】本告知单内容为示例，以窗口公布为准"));
    }
    let url = setup
        .terminal
        .online_url
        .replace("{id}", matter.id.as_str())
        .replace(
            "{code}",
            matter.code.as_deref().unwrap_or(matter.id.as_str()),
        );
    d.separator('-')
        .push(Block::centred("扫码查看网上办事指南"))
        .qr(url)
}

/// The online-rating link of one 办件 (`rating.online_url`: `{no}` its number, `{code}` the
/// matter's 事项编码 or id), on the result and receipt screens and the printed receipt.
pub fn rating_url(setup: &Setup, matter: &Matter, case_ref: &str) -> String {
    setup
        .terminal
        .rating
        .online_url
        .replace("{no}", case_ref)
        .replace(
            "{code}",
            matter.code.as_deref().unwrap_or(matter.id.as_str()),
        )
}

/// The 进度查询 link printed on a receipt (`guide.progress_url`, `{no}` = 受理编号).
pub fn progress_url(setup: &Setup, receipt_no: &str) -> String {
    setup.terminal.progress_url.replace("{no}", receipt_no)
}
