//! Demonstration answers for `kiosk screenshot`, which drives a session without a backend:
//! queries answered with figures derived from the ID number, submissions numbered in
//! sequence, every answer labelled demonstration data. The running kiosk uses the real client
//! against the embedded or remote county backend (`crate::backend`).

use kiosk_core::catalog::Service;
use kiosk_core::identity::Identity;
use kiosk_core::session::{Acceptance, CertificateMark, QueryOutcome};

/// The stand-in backend.
#[derive(Debug)]
pub struct SimBackend {
    terminal_id: String,
    next_receipt: u32,
    /// When false, every request fails as unreachable (for the dev dock and tests).
    pub online: bool,
}

impl SimBackend {
    /// A backend that numbers receipts for this terminal.
    pub fn new(terminal_id: &str) -> Self {
        Self {
            terminal_id: terminal_id.to_string(),
            next_receipt: 1,
            online: true,
        }
    }

    /// Answers a query.
    pub fn query(&self, service: Service, identity: &Identity) -> QueryOutcome {
        // deterministic demonstration figures from the number's digits
        let digits: u32 = identity
            .id_number
            .reveal()
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| u32::from(b - b'0'))
            .sum();
        let years = 5 + digits % 15;
        let account = 3_000 + digits * 317;
        let mut rows = vec![
            ("姓名".to_string(), identity.name.masked()),
            ("身份证号".to_string(), identity.id_number.masked()),
        ];
        let title = match service {
            Service::PensionSummary => {
                rows.push(("参保状态".into(), "正常参保".into()));
                rows.push(("累计缴费年限".into(), format!("{years} 年")));
                rows.push(("个人账户累计储存额".into(), format!("{account}.00 元")));
                rows.push(("本年度缴费".into(), "已缴费 300 元".into()));
                rows.push(("待遇领取状态".into(), "未到领取年龄".into()));
                "城乡居民养老保险缴费及待遇"
            }
            Service::RightsRecord => {
                rows.push(("参保险种".into(), "城乡居民基本养老保险".into()));
                rows.push(("首次参保年月".into(), format!("{}-01", 2026 - years)));
                rows.push(("累计缴费月数".into(), format!("{} 个月", years * 12)));
                rows.push(("个人账户累计储存额".into(), format!("{account}.00 元")));
                "个人权益记录"
            }
            Service::InsuranceCertificate | Service::InsuranceInfo => {
                rows.push((
                    "参保险种".into(),
                    "城乡居民基本养老保险、城乡居民基本医疗保险".into(),
                ));
                rows.push(("参保状态".into(), "正常参保".into()));
                rows.push(("参保地".into(), "本县".into()));
                "参保信息"
            }
            _ => "查询结果",
        };
        let certificate = (service == Service::InsuranceCertificate).then(|| CertificateMark {
            number: "CB20261123001234".into(),
            code: "7K3M9Q2XWD4P".into(),
            verify_url: "https://zwfw.example.gov.cn/verify?no=CB20261123001234&code=7K3M9Q2XWD4P"
                .into(),
        });
        QueryOutcome {
            title: if certificate.is_some() {
                "社会保险参保证明"
            } else {
                title
            }
            .into(),
            rows,
            note: "演示数据：由终端内置的模拟后台生成，并非真实参保记录。".into(),
            certificate,
        }
    }

    /// Accepts a submission and numbers it.
    pub fn submit(&mut self, _service: Service) -> Acceptance {
        let n = self.next_receipt;
        self.next_receipt += 1;
        Acceptance {
            receipt_no: format!("{}-{:06}", self.terminal_id, n),
            queued: false,
        }
    }
}
