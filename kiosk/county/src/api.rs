//! The API's bodies (`openapi.yaml`, `components/schemas`), shared by the reference backend
//! and the kiosk's client. Requests refuse unknown fields; `Debug` of anything holding a
//! person masks it, because these values pass through logs.

use serde::{Deserialize, Serialize};

/// Largest JSON body, in bytes.
pub const MAX_JSON_BODY: usize = 64 * 1024;
/// Largest attachment, in bytes.
pub const MAX_ATTACHMENT: usize = 8 * 1024 * 1024;

/// A person as the card says: number and name.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// 公民身份号码.
    pub id_number: String,
    /// 姓名.
    pub name: String,
}

impl std::fmt::Debug for Person {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Person(<{} chars>)", self.id_number.len())
    }
}

/// A body that is only a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonRequest {
    /// Who.
    pub person: Person,
}

/// `POST /v1/identity/check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityCheck {
    /// The county has a record of the person.
    pub known: bool,
    /// Enrolled in 城乡居民养老 or 医保 here.
    pub insured: bool,
}

/// One labelled value of a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// Label.
    pub label: String,
    /// Value.
    pub value: String,
}

/// A 参保证明's verification data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// 证明编号.
    pub certificate_no: String,
    /// 12-character verification code.
    pub verification_code: String,
    /// Where a third party checks it.
    pub verify_url: String,
}

/// A query's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryResult {
    /// Title.
    pub title: String,
    /// Labelled values.
    pub rows: Vec<Row>,
    /// A note below the table.
    pub note: String,
    /// For 参保证明.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<Certificate>,
}

/// The apply services (`Service` schema).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApplyService {
    /// 社会保障卡申领（成年人）
    CardApplyAdult,
    /// 社会保障卡申领（未成年人）, through a guardian
    CardApplyMinor,
    /// 社会保障卡补换
    CardReplace,
    /// 城乡居民基本养老保险参保登记
    PensionEnrolment,
    /// 城乡居民医疗保险参保登记
    MedicalEnrolment,
}

/// An attachment reference in a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentRef {
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub media_type: String,
    /// Size in bytes.
    pub size: u64,
    /// The 申请材料 this page is of, as the matter's guide names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub material: Option<String>,
    /// Page number within its material, from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// Most attachments (pages) one submission lists.
pub const MAX_ATTACHMENTS: usize = 16;

/// `POST /v1/submissions`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// Which service.
    pub service: ApplyService,
    /// The catalog matter.
    pub matter_id: String,
    /// The applicant (the minor, for a minor's card).
    pub applicant: Person,
    /// The guardian, for a minor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guardian: Option<Person>,
    /// Contact phone.
    pub phone: String,
    /// The option chosen on the form.
    pub choice: String,
    /// Uploaded attachments.
    #[serde(default)]
    pub attachments: Vec<AttachmentRef>,
    /// When the citizen confirmed (Unix seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<i64>,
}

impl std::fmt::Debug for Submission {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Submission")
            .field("service", &self.service)
            .field("matter_id", &self.matter_id)
            .field("attachments", &self.attachments.len())
            .finish_non_exhaustive()
    }
}

/// `POST /v1/social-card/suspend`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuspendRequest {
    /// The card holder.
    pub person: Person,
    /// 丢失, 被盗 or 其他原因.
    pub reason: String,
}

/// What the county said of a submission or a suspension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    /// 受理编号.
    pub receipt_no: String,
    /// `accepted` (to be handled) or `done` (effective now).
    pub status: String,
    /// Unix seconds.
    pub accepted_at: i64,
}

/// One step of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressStep {
    /// Unix seconds.
    pub at: i64,
    /// What happened.
    pub text: String,
}

/// A case's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// 受理编号.
    pub receipt_no: String,
    /// The matter.
    pub matter_id: String,
    /// accepted, reviewing, approved, rejected, done.
    pub status: String,
    /// Steps so far, oldest first.
    pub steps: Vec<ProgressStep>,
}

/// `POST /v1/progress/lookup` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cases {
    /// Newest first.
    pub cases: Vec<Progress>,
}

/// `POST /v1/ratings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    /// The matter rated.
    pub matter_id: String,
    /// Its receipt, for an apply matter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_no: Option<String>,
    /// 1 (非常不满意) … 5 (非常满意).
    pub level: u8,
    /// Reasons chosen (for levels 1–2).
    #[serde(default)]
    pub reasons: Vec<String>,
    /// Where the rating was given: 自助终端 (this terminal), or another channel.
    #[serde(default = "self_service_channel")]
    pub channel: String,
    /// When the citizen rated (Unix seconds); the county's clock when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rated_at: Option<i64>,
    /// Free text with a 差评 (the online channel; the kiosk has no Chinese input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// For a 差评 whose rater agreed to a 回访: the number to call back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_phone: Option<String>,
}

/// The channel a terminal's ratings come from.
pub const SELF_SERVICE_CHANNEL: &str = "自助终端";

fn self_service_channel() -> String {
    SELF_SERVICE_CHANNEL.into()
}

/// A 差评 awaiting the county's 回访 and 整改 (the reference backend's follow-up list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// The rating's id (`R…`).
    pub rating_id: String,
    /// Which terminal it came from.
    pub terminal: String,
    /// The matter rated.
    pub matter_id: String,
    /// The 办件 number, when the rating named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_no: Option<String>,
    /// 1 or 2.
    pub level: u8,
    /// Reasons chosen.
    pub reasons: Vec<String>,
    /// Free text, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The number to call back, when the rater agreed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_phone: Option<String>,
    /// When it was rated (Unix seconds).
    pub rated_at: i64,
    /// The 回访 deadline (Beijing date), the county's working days after the rating.
    pub due: String,
}

/// `POST /v1/ratings` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingRecorded {
    /// The stored rating's id.
    pub rating_id: String,
}

/// `POST /v1/heartbeat`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heartbeat {
    /// Firmware version.
    pub version: String,
    /// Seconds since start.
    pub uptime_secs: u64,
    /// Device → ready / degraded / fault.
    pub devices: std::collections::BTreeMap<String, String>,
    /// Submissions waiting in the outbox.
    pub outbox_depth: u64,
}

/// `POST /v1/heartbeat` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeartbeatAck {
    /// Unix seconds.
    pub server_time: i64,
    /// The catalog version the terminal should have.
    pub catalog_version: String,
}

/// One catalog entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogEntry {
    /// Matter id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Self-service, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
}

/// `GET /v1/catalog`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// Version string.
    pub version: String,
    /// Matters.
    pub matters: Vec<CatalogEntry>,
}

/// Every error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// Stable code.
    pub code: String,
    /// For technicians; no personal data.
    pub message: String,
    /// The offending field, for `invalid_field`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
