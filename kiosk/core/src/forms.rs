//! The application forms of the apply services: what the citizen enters on the keypad and
//! choice buttons, its validation and its summary for the review screen.
//!
//! Everything else an application needs (name, ID number, address) comes from the ID card,
//! so the forms stay short enough for an elderly citizen.

use crate::catalog::Service;
use crate::personal::PhoneNumber;

/// What the citizen entered. `Debug` masks the phone digits (personal data).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FormData {
    /// Digits typed on the keypad (the contact phone).
    pub phone: String,
    /// Index of the chosen option.
    pub choice: Option<usize>,
}

impl std::fmt::Debug for FormData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormData")
            .field(
                "phone",
                &format_args!("<{} digits>", self.phone.chars().count()),
            )
            .field("choice", &self.choice)
            .finish()
    }
}

/// Messages shown under form fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormErrors {
    /// Under the phone field.
    pub phone: Option<String>,
    /// Under the choice group.
    pub choice: Option<String>,
}

/// The fields of one service's form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormSpec {
    /// Title of the choice group.
    pub choice_title: &'static str,
    /// The options.
    pub choices: Vec<&'static str>,
}

impl FormSpec {
    /// The form of an apply service; `None` for queries.
    pub fn for_service(service: Service) -> Option<FormSpec> {
        let (choice_title, choices) = match service {
            Service::CardApplyAdult | Service::CardApplyMinor | Service::CardReplace => {
                ("领卡方式", vec!["到便民服务中心领取", "邮寄到户籍地址"])
            }
            Service::CardSuspend => ("挂失原因", vec!["丢失", "被盗", "其他原因"]),
            Service::PensionEnrolment => (
                "缴费档次（每年）",
                vec!["200元", "300元", "500元", "1000元", "2000元", "3000元"],
            ),
            Service::MedicalEnrolment => (
                "参保人员类别",
                vec!["普通城乡居民", "学生儿童", "困难群众（低保、特困等）"],
            ),
            Service::PensionSummary
            | Service::RightsRecord
            | Service::InsuranceCertificate
            | Service::InsuranceInfo
            | Service::ProgressLookup => return None,
        };
        Some(FormSpec {
            choice_title,
            choices,
        })
    }

    /// Checks the entries; an empty [`FormErrors`] means the form may go on.
    pub fn validate(&self, data: &FormData) -> FormErrors {
        let phone = match PhoneNumber::parse(&data.phone) {
            Ok(_) => None,
            Err(e) => Some(if data.phone.is_empty() {
                "请输入联系电话".to_string()
            } else {
                e.to_string()
            }),
        };
        let choice = match data.choice {
            Some(i) if i < self.choices.len() => None,
            _ => Some(format!("请选择{}", self.choice_title)),
        };
        FormErrors { phone, choice }
    }

    /// Label/value rows for the review screen; the phone number is masked.
    pub fn summary(&self, data: &FormData) -> Vec<(String, String)> {
        let phone = PhoneNumber::parse(&data.phone)
            .map(|p| p.masked())
            .unwrap_or_default();
        let choice = data
            .choice
            .and_then(|i| self.choices.get(i))
            .map(|s| s.to_string())
            .unwrap_or_default();
        vec![
            ("联系电话".to_string(), phone),
            (self.choice_title.to_string(), choice),
        ]
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_complete_form_validates() {
        let spec = FormSpec::for_service(Service::CardApplyAdult).unwrap();
        let data = FormData {
            phone: "13912345678".into(),
            choice: Some(1),
        };
        assert_eq!(spec.validate(&data), FormErrors::default());
        assert_eq!(spec.summary(&data)[0].1, "139****5678");
        assert_eq!(spec.summary(&data)[1].1, "邮寄到户籍地址");
    }

    #[test]
    fn missing_entries_are_named() {
        let spec = FormSpec::for_service(Service::PensionEnrolment).unwrap();
        let e = spec.validate(&FormData {
            phone: "139".into(),
            choice: None,
        });
        assert_eq!(e.phone.as_deref(), Some("手机号码应为11位数字"));
        assert_eq!(e.choice.as_deref(), Some("请选择缴费档次（每年）"));
        let e = spec.validate(&FormData::default());
        assert_eq!(e.phone.as_deref(), Some("请输入联系电话"));
    }

    #[test]
    fn queries_have_no_form() {
        assert!(FormSpec::for_service(Service::PensionSummary).is_none());
    }
}
