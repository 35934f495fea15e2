//! 办件进度查询 answers as the citizen reads them: the county's cases (by 受理编号 or by ID
//! card) turned into a result table with the matters' names from the catalog, and the
//! answer for a number still waiting in this terminal's outbox.

use county::api::Progress;
use kiosk_core::catalog::{Catalog, MatterId};
use kiosk_core::clock::BeijingTime;
use kiosk_core::session::QueryOutcome;

/// The title of every progress result.
pub const TITLE: &str = "办件进度";

fn status_text(status: &str) -> &'static str {
    match status {
        "done" => "已办结",
        "accepted" => "已受理，正在办理",
        _ => "办理中",
    }
}

fn time_text(unix: i64) -> String {
    let t = BeijingTime::from_unix(unix);
    format!("{} {:02}:{:02}", t.iso_date(), t.hour, t.minute)
}

/// The cases as a result table: for each, its matter, number, state and the time and text of
/// its latest step.
pub fn outcome(cases: &[Progress], catalog: &Catalog) -> QueryOutcome {
    let mut rows = Vec::new();
    let many = cases.len() > 1;
    for (i, case) in cases.iter().enumerate() {
        let name = catalog
            .get(&MatterId(case.matter_id.clone()))
            .map_or_else(|| case.matter_id.clone(), |m| m.name.clone());
        rows.push((
            if many {
                format!("办件{}", i + 1)
            } else {
                "办理事项".to_string()
            },
            name,
        ));
        rows.push(("受理编号".into(), case.receipt_no.clone()));
        rows.push(("办理状态".into(), status_text(&case.status).into()));
        if let Some(first) = case.steps.first() {
            rows.push(("受理时间".into(), time_text(first.at)));
        }
        if let Some(last) = case.steps.last() {
            rows.push(("最新进展".into(), last.text.clone()));
        }
    }
    let note = if cases.is_empty() {
        "没有查到您在县级系统登记的办件。刚在本终端提交、尚未上传的办件，请凭回执上的受理编号查询。"
    } else {
        "办理结果以县级政务服务系统为准；审核结果会以短信通知。"
    };
    QueryOutcome {
        title: TITLE.into(),
        rows,
        note: note.into(),
        certificate: None,
    }
}

/// The answer for a number this terminal accepted but has not yet delivered to the county.
pub fn waiting_in_outbox(receipt_no: &str) -> QueryOutcome {
    QueryOutcome {
        title: TITLE.into(),
        rows: vec![
            ("受理编号".into(), receipt_no.to_string()),
            ("办理状态".into(), "本终端已受理，等待上传".into()),
        ],
        note: "网络恢复后本终端会自动上传，县级系统收到后开始办理，无需重新提交。".into(),
        certificate: None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use county::api::ProgressStep;

    fn catalog() -> Catalog {
        Catalog::parse(
            include_str!("../../../../config/matters.toml"),
            "matters.toml",
        )
        .unwrap()
    }

    fn case(no: &str, matter: &str, status: &str) -> Progress {
        Progress {
            receipt_no: no.into(),
            matter_id: matter.into(),
            status: status.into(),
            steps: vec![ProgressStep {
                at: 1_795_000_000,
                text: "终端提交，已受理".into(),
            }],
        }
    }

    #[test]
    fn one_case_reads_as_a_table_with_the_matter_name() {
        let c = catalog();
        let m = c.matters().iter().find(|m| m.service.is_some()).unwrap();
        let o = outcome(&[case("SL20261123000001", m.id.as_str(), "accepted")], &c);
        assert_eq!(o.title, "办件进度");
        assert_eq!(o.rows[0], ("办理事项".into(), m.name.clone()));
        assert_eq!(o.rows[1].1, "SL20261123000001");
        assert_eq!(o.rows[2].1, "已受理，正在办理");
        assert!(o.rows[3].1.starts_with("2026-"), "{:?}", o.rows[3]);
    }

    #[test]
    fn several_cases_are_numbered_and_none_says_where_to_look() {
        let c = catalog();
        let o = outcome(
            &[
                case("GS20261123000002", "unknown-matter", "done"),
                case("SL20261123000001", "unknown-matter", "accepted"),
            ],
            &c,
        );
        assert_eq!(o.rows[0], ("办件1".into(), "unknown-matter".into()));
        assert!(
            o.rows
                .iter()
                .any(|r| r == &("办理状态".into(), "已办结".into()))
        );
        assert!(o.rows.iter().any(|(l, _)| l == "办件2"));
        assert!(outcome(&[], &c).note.contains("受理编号"));
    }
}
