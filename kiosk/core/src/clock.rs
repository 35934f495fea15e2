//! Wall-clock text for the attract screen and receipts, in Beijing time (UTC+8, no DST),
//! computed from Unix seconds so the core needs no time-zone database.

/// Calendar date and time in Beijing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BeijingTime {
    /// Year.
    pub year: i64,
    /// 1..=12
    pub month: u32,
    /// 1..=31
    pub day: u32,
    /// 0..=23
    pub hour: u32,
    /// 0..=59
    pub minute: u32,
    /// 0 = Sunday .. 6 = Saturday
    pub weekday: u32,
}

impl BeijingTime {
    /// Converts Unix seconds.
    pub fn from_unix(secs: i64) -> BeijingTime {
        let local = secs + 8 * 3600;
        let days = local.div_euclid(86_400);
        let rem = local.rem_euclid(86_400);
        // days since 1970-01-01 to civil date (Howard Hinnant's algorithm)
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        BeijingTime {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: ((rem % 3600) / 60) as u32,
            weekday: (days + 4).rem_euclid(7) as u32,
        }
    }

    /// The day `days` working days (Monday to Friday) after `unix`: the 差评 回访 deadline.
    /// Public holidays and their make-up working days are not known here; the county's own
    /// system applies its calendar.
    pub fn working_days_after(unix: i64, days: u32) -> BeijingTime {
        let mut t = unix;
        let mut left = days;
        while left > 0 {
            t += 86_400;
            if (1..=5).contains(&BeijingTime::from_unix(t).weekday) {
                left -= 1;
            }
        }
        BeijingTime::from_unix(t)
    }

    /// 2026年11月23日 星期一 09:30
    pub fn display(&self) -> String {
        const WEEKDAYS: [&str; 7] = ["日", "一", "二", "三", "四", "五", "六"];
        format!(
            "{}年{}月{}日 星期{} {:02}:{:02}",
            self.year,
            self.month,
            self.day,
            WEEKDAYS[self.weekday as usize % 7],
            self.hour,
            self.minute
        )
    }

    /// 2026-11-23
    pub fn iso_date(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_days_skip_the_weekend() {
        // Monday 2026-11-23 09:30 Beijing
        let monday = 1_795_397_400;
        assert_eq!(BeijingTime::from_unix(monday).weekday, 1);
        assert_eq!(
            BeijingTime::working_days_after(monday, 5).iso_date(),
            "2026-11-30"
        );
        assert_eq!(
            BeijingTime::working_days_after(monday, 15).iso_date(),
            "2026-12-14"
        );
        // from Friday, one working day is Monday
        let friday = monday + 4 * 86_400;
        assert_eq!(
            BeijingTime::working_days_after(friday, 1).iso_date(),
            "2026-11-30"
        );
    }

    #[test]
    fn known_instants() {
        // 2026-11-23 01:30:00 UTC = 09:30 Beijing, a Monday
        let t = BeijingTime::from_unix(1_795_397_400);
        assert_eq!(t.display(), "2026年11月23日 星期一 09:30");
        // 1970-01-01 00:00 UTC = 08:00 Beijing, a Thursday
        assert_eq!(
            BeijingTime::from_unix(0).display(),
            "1970年1月1日 星期四 08:00"
        );
        // leap day, late evening UTC crosses midnight in Beijing
        assert_eq!(
            BeijingTime::from_unix(1_709_236_800).iso_date(),
            "2024-03-01"
        );
    }
}
