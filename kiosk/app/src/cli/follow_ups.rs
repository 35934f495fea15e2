//! `kiosk county-follow-ups --data DIR [--reveal]`: the reference county backend's list of 差评
//! awaiting 回访 and 整改, oldest deadline first, for the county's staff. Callback numbers are
//! masked unless `--reveal` (the member of staff making the call needs them; nothing here is
//! logged).

use std::path::Path;
use std::process::ExitCode;

use county::api::FollowUp;
use kiosk_core::personal::PhoneNumber;

/// One line per 差评: deadline, rating id, level, matter, 办件, reasons, callback number.
pub fn line(f: &FollowUp, reveal: bool) -> String {
    let phone = match (&f.callback_phone, reveal) {
        (None, _) => "不回访".to_string(),
        (Some(p), true) => p.clone(),
        (Some(p), false) => PhoneNumber::parse(p).map_or_else(|_| "***".into(), |p| p.masked()),
    };
    format!(
        "回访期限 {}  {}  {}星  {}  办件 {}  原因：{}  回访电话：{}",
        f.due,
        f.rating_id,
        f.level,
        f.matter_id,
        f.receipt_no.as_deref().unwrap_or("—"),
        if f.reasons.is_empty() {
            "未选".to_string()
        } else {
            f.reasons.join("、")
        },
        phone
    )
}

/// Prints the list; exit 0, 1 when the database cannot be read, 2 when there is none.
pub fn run(data: &Path, reveal: bool) -> ExitCode {
    // a listing never creates a database where there was none
    if !data.join("county.sqlite3").is_file() {
        eprintln!(
            "kiosk: {}: 没有参考后台的数据库（county.sqlite3）",
            data.display()
        );
        return ExitCode::from(2);
    }
    match county::store::Store::open(data).and_then(|s| s.follow_ups()) {
        Ok(list) => {
            if list.is_empty() {
                println!("没有待回访的差评");
            }
            for f in &list {
                println!("{}", line(f, reveal));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kiosk: {}: {e}", data.display());
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_number_is_masked_unless_revealed() {
        let f = FollowUp {
            rating_id: "R7".into(),
            terminal: "MD-MDJD-001".into(),
            matter_id: "shebaoka-buhuan".into(),
            receipt_no: Some("SL20261123000001".into()),
            level: 1,
            reasons: vec!["操作太复杂".into()],
            comment: None,
            callback_phone: Some("13912345678".into()),
            rated_at: 1_795_397_400,
            due: "2026-11-30".into(),
        };
        let masked = line(&f, false);
        assert!(
            masked.contains("139****5678") && !masked.contains("13912345678"),
            "{masked}"
        );
        assert!(masked.starts_with("回访期限 2026-11-30"));
        assert!(line(&f, true).contains("13912345678"));
    }
}
