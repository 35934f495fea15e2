//! What the kiosk prints, decoded back by the simulated printer: the 办件回执, 查询结果 and
//! 一次性告知单 built from the session's masked records, a rare character in a name printed
//! as a raster line (never `?`), and a 补打 marked with the original job id.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use kiosk_app::devices::printer::{device_health, print_result, profile_for};
use kiosk_app::receipts;
use kiosk_core::catalog::{MatterId, Service};
use kiosk_core::clock::BeijingTime;
use kiosk_core::identity::MaskedIdentity;
use kiosk_core::session::{
    Acceptance, CertificateMark, DeviceHealth, PrintContent, PrintFailure, PrintJob, PrintResult,
    QueryOutcome,
};
use printer::Encoder;
use printer::device::{Device, Paper};
use printer::job::{Job, JobId, Outcome};
use printer::status::{Fault, Health};

fn printed(job: &PrintJob) -> Paper {
    let setup = common::demo_setup();
    let doc = receipts::document(job, &setup, BeijingTime::from_unix(1_795_397_400)).unwrap();
    let profile = profile_for("80mm").unwrap();
    let fonts = kiosk_app::fonts::printer_fonts().unwrap();
    let bytes = Job::build(
        JobId(job.id.clone()),
        job.reprint,
        &doc,
        &Encoder::with_fonts(&profile, &fonts),
    )
    .unwrap()
    .bytes;
    let mut device = Device::new(true);
    device.receive(&bytes);
    device.flush_line();
    device.take_paper()
}

fn matter(service: Service) -> MatterId {
    let setup = common::demo_setup();
    setup
        .catalog
        .matters()
        .iter()
        .find(|m| m.service == Some(service) && setup.offered(&m.id).is_some())
        .unwrap()
        .id
        .clone()
}

fn applicant(name: &str) -> Option<MaskedIdentity> {
    Some(MaskedIdentity {
        name: name.into(),
        id_number: "3701**********0018".into(),
    })
}

#[test]
fn the_receipt_carries_the_number_the_masked_applicant_and_the_progress_qr() {
    let job = PrintJob {
        id: "MD-20261123-0007".into(),
        reprint: 0,
        content: PrintContent::Receipt {
            matter: matter(Service::CardApplyAdult),
            acceptance: Acceptance {
                receipt_no: "MD-20261123-0007".into(),
                queued: true,
            },
            applicant: applicant("王*"),
        },
    };
    let paper = printed(&job);
    let text = paper.text();
    for expected in [
        "办件回执",
        "MD-MDJD-001",
        "2026-11-23 09:30",
        "社会保障卡申领（成年人）",
        "MD-20261123-0007",
        "王*",
        "3701**********0018",
        "已受理（网络恢复后自动上传）",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    assert_eq!(
        paper.qr_payloads(),
        vec![
            b"https://zwfw.example.gov.cn/mudan/progress?no=MD-20261123-0007".as_slice(),
            // the online rating of the same 办件 (seed 001: 线上评价二维码)
            b"https://zwfw.example.gov.cn/mudan/rate?no=MD-20261123-0007&code=shebaoka-shenling-chengnianren"
                .as_slice(),
        ]
    );
    assert!(text.contains("扫码评价本次服务"), "{text}");
    assert_eq!(paper.cuts(), 1);
    assert!(!text.contains('?'), "{text}");
}

#[test]
fn a_rare_character_in_a_name_prints_as_a_raster_line_never_a_question_mark() {
    let job = PrintJob {
        id: "R1".into(),
        reprint: 0,
        content: PrintContent::Receipt {
            matter: matter(Service::CardApplyAdult),
            acceptance: Acceptance {
                receipt_no: "R1".into(),
                queued: false,
            },
            applicant: applicant("𠮷*"),
        },
    };
    let paper = printed(&job);
    assert_eq!(paper.rasters(), 1, "the applicant line is a raster");
    assert!(!paper.text().contains('?'));
    assert!(
        !paper.text().contains("申请人"),
        "the whole line went as a raster"
    );
}

#[test]
fn the_query_result_prints_its_rows_and_the_notice_its_materials() {
    let outcome = QueryOutcome {
        title: "城乡居民养老保险缴费及待遇".into(),
        rows: vec![("累计缴费年限".into(), "12 年".into())],
        note: "本结果仅供参考。".into(),
        certificate: None,
    };
    let text = printed(&PrintJob {
        id: "Q1".into(),
        reprint: 0,
        content: PrintContent::QueryResult {
            matter: matter(Service::PensionSummary),
            outcome,
            applicant: applicant("李*"),
        },
    })
    .text();
    for expected in [
        "查询结果",
        "累计缴费年限",
        "12 年",
        "李*",
        "本结果仅供参考。",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }

    let setup = common::demo_setup();
    let id = matter(Service::CardApplyAdult);
    let m = setup.catalog.get(&id).unwrap();
    let paper = printed(&PrintJob {
        id: "N1".into(),
        reprint: 0,
        content: PrintContent::Notice(id.clone()),
    });
    let text = paper.text();
    assert!(text.contains("一次性告知单"), "{text}");
    assert!(text.contains("申请材料"), "{text}");
    for material in &m.guide.materials {
        let start: String = material.chars().take(6).collect();
        assert!(text.contains(&start), "{material} in\n{text}");
    }
    assert_eq!(paper.qr_payloads().len(), 1);
}

#[test]
fn a_reprint_is_marked_with_the_original_job_id() {
    let text = printed(&PrintJob {
        id: "MD-20261123-0008".into(),
        reprint: 2,
        content: PrintContent::Notice(matter(Service::CardApplyAdult)),
    })
    .text();
    assert!(text.contains("补打 第2次"), "{text}");
    assert!(text.contains("MD-20261123-0008"), "{text}");
}

#[test]
fn driver_outcomes_and_health_map_to_what_the_session_understands() {
    assert_eq!(device_health(&Health::Ready), DeviceHealth::Ready);
    assert_eq!(device_health(&Health::PaperNearEnd), DeviceHealth::Degraded);
    assert_eq!(device_health(&Health::Unknown), DeviceHealth::Fault);
    assert_eq!(
        device_health(&Health::Fault(vec![Fault::CoverOpen])),
        DeviceHealth::Fault
    );
    let failed = |faults: Vec<Fault>, unknown| Outcome::Failed {
        sent: 10,
        faults,
        unknown,
    };
    assert_eq!(
        print_result(&Outcome::Printed {
            paper_near_end: true
        }),
        PrintResult::PrintedPaperLow
    );
    assert_eq!(
        print_result(&failed(vec![Fault::CoverOpen, Fault::PaperOut], false)),
        PrintResult::Failed(PrintFailure::PaperOut)
    );
    assert_eq!(
        print_result(&failed(vec![Fault::CoverOpen], false)),
        PrintResult::Failed(PrintFailure::CoverOpen)
    );
    assert_eq!(
        print_result(&failed(vec![], true)),
        PrintResult::Failed(PrintFailure::NoAnswer)
    );
    assert_eq!(
        print_result(&failed(vec![Fault::Cutter], false)),
        PrintResult::Failed(PrintFailure::PrinterError)
    );
}

#[test]
fn a_certificate_prints_under_its_own_title_with_number_code_and_verification_qr() {
    let outcome = QueryOutcome {
        title: "社会保险参保证明".into(),
        rows: vec![("参保状态".into(), "正常参保".into())],
        note: String::new(),
        certificate: Some(CertificateMark {
            number: "CB20261123001234".into(),
            code: "7K3M9Q2XWD4P".into(),
            verify_url: "https://zwfw.example.gov.cn/verify?no=CB20261123001234&code=7K3M9Q2XWD4P"
                .into(),
        }),
    };
    let paper = printed(&PrintJob {
        id: "C1".into(),
        reprint: 0,
        content: PrintContent::QueryResult {
            matter: matter(Service::InsuranceCertificate),
            outcome,
            applicant: applicant("李*"),
        },
    });
    let text = paper.text();
    for expected in [
        "社会保险参保证明",
        "证明编号",
        "CB20261123001234",
        "验证码",
        "7K3M9Q2XWD4P",
        "核验",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
    assert!(!text.contains("查询结果"), "{text}");
    assert_eq!(
        paper.qr_payloads(),
        vec![&b"https://zwfw.example.gov.cn/verify?no=CB20261123001234&code=7K3M9Q2XWD4P"[..]]
    );
}
