//! 好差评 after a matter (国办发〔2019〕51号, GB/T 39734): what a rating carries and the 差评
//! details a citizen may add. The session decides when a rating may be given; this module
//! holds the record and the draft of a 差评 (reasons, consent to a 回访, the phone for it).

use crate::catalog::MatterId;
use crate::personal::PhoneNumber;
use crate::session::RatingLevel;

/// One rating, tied to the 办件 it rates. It goes to the county through the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingRecord {
    /// The matter rated.
    pub matter: MatterId,
    /// The 办件: its 受理编号 for an application, the terminal's query id for a lookup.
    pub case_ref: Option<String>,
    /// The level chosen.
    pub level: RatingLevel,
    /// The 差评 reasons chosen (their texts, from the county's list).
    pub reasons: Vec<String>,
    /// For a 差评 whose rater agreed to a 回访: the number to call back (masked in `Debug`).
    pub callback_phone: Option<PhoneNumber>,
}

impl RatingLevel {
    /// 不满意 and 非常不满意 are 差评: they may carry reasons and a 回访.
    pub fn is_poor(self) -> bool {
        self <= RatingLevel::Dissatisfied
    }
}

/// What the citizen has chosen on the 差评 screen so far.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PoorRatingDraft {
    /// Indexes of the chosen reasons in the county's list.
    pub reasons: Vec<usize>,
    /// 同意回访
    pub callback: bool,
    /// Digits typed for the callback.
    pub phone: String,
    /// Why 提交评价 was refused (a missing phone number).
    pub error: Option<String>,
}

impl std::fmt::Debug for PoorRatingDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PoorRatingDraft")
            .field("reasons", &self.reasons)
            .field("callback", &self.callback)
            .field("phone", &format_args!("<{} digits>", self.phone.len()))
            .field("error", &self.error)
            .finish()
    }
}

impl PoorRatingDraft {
    /// Chooses reason `i` or takes it back.
    pub fn toggle_reason(&mut self, i: usize, available: usize) {
        if i >= available {
            return;
        }
        match self.reasons.iter().position(|&r| r == i) {
            Some(at) => {
                self.reasons.remove(at);
            }
            None => {
                self.reasons.push(i);
                self.reasons.sort_unstable();
            }
        }
    }

    /// Agrees to a 回访 or withdraws; withdrawing forgets the number typed.
    pub fn toggle_callback(&mut self) {
        self.callback = !self.callback;
        self.error = None;
        if !self.callback {
            self.phone.clear();
        }
    }

    /// A keypad digit for the callback number.
    pub fn digit(&mut self, d: char) {
        if self.callback && d.is_ascii_digit() && self.phone.len() < 11 {
            self.phone.push(d);
            self.error = None;
        }
    }

    /// 删除 on the keypad.
    pub fn backspace(&mut self) {
        self.phone.pop();
    }

    /// The record, or the reason it cannot be sent yet (consent without a valid number).
    pub fn finish(
        &mut self,
        matter: MatterId,
        case_ref: Option<String>,
        level: RatingLevel,
        reason_texts: &[String],
    ) -> Option<RatingRecord> {
        let callback_phone = if self.callback {
            match PhoneNumber::parse(&self.phone) {
                Ok(p) => Some(p),
                Err(e) => {
                    self.error = Some(if self.phone.is_empty() {
                        "同意回访请输入手机号码，或取消“同意回访”".into()
                    } else {
                        e.to_string()
                    });
                    return None;
                }
            }
        } else {
            None
        };
        Some(RatingRecord {
            matter,
            case_ref,
            level,
            reasons: self
                .reasons
                .iter()
                .filter_map(|&i| reason_texts.get(i).cloned())
                .collect(),
            callback_phone,
        })
    }
}

/// What the rating pad should show and say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PadSignal {
    /// The rating screen shows: light the keys and say 请对本次服务进行评价.
    Invite,
    /// A rating was taken: say 谢谢评价, keys off.
    Thanks,
    /// The rating screen left without a rating: keys off.
    Off,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn reasons() -> Vec<String> {
        vec!["办事指南不清楚".into(), "操作太复杂".into()]
    }

    #[test]
    fn reasons_toggle_and_stay_in_list_order() {
        let mut d = PoorRatingDraft::default();
        d.toggle_reason(1, 2);
        d.toggle_reason(0, 2);
        d.toggle_reason(7, 2); // not offered
        assert_eq!(d.reasons, vec![0, 1]);
        d.toggle_reason(1, 2);
        let r = d
            .finish(
                MatterId("m".into()),
                None,
                RatingLevel::Dissatisfied,
                &reasons(),
            )
            .unwrap();
        assert_eq!(r.reasons, vec!["办事指南不清楚".to_string()]);
        assert!(r.callback_phone.is_none());
    }

    #[test]
    fn a_callback_needs_a_valid_number_and_withdrawing_forgets_it() {
        let mut d = PoorRatingDraft::default();
        d.digit('1'); // no consent yet: no digits
        assert!(d.phone.is_empty());
        d.toggle_callback();
        assert!(
            d.finish(
                MatterId("m".into()),
                None,
                RatingLevel::VeryDissatisfied,
                &reasons()
            )
            .is_none()
        );
        assert!(d.error.as_deref().unwrap().contains("手机号码"));
        for c in "139123456789".chars() {
            d.digit(c);
        }
        assert_eq!(d.phone, "13912345678");
        let r = d
            .finish(
                MatterId("m".into()),
                Some("SL1".into()),
                RatingLevel::VeryDissatisfied,
                &reasons(),
            )
            .unwrap();
        assert_eq!(r.callback_phone.unwrap().reveal(), "13912345678");
        assert!(
            !format!("{d:?}").contains("13912345678"),
            "Debug masks the number"
        );
        d.toggle_callback();
        assert!(d.phone.is_empty());
    }

    #[test]
    fn the_bottom_two_levels_are_poor() {
        assert!(RatingLevel::VeryDissatisfied.is_poor());
        assert!(RatingLevel::Dissatisfied.is_poor());
        assert!(!RatingLevel::Acceptable.is_poor());
    }
}
