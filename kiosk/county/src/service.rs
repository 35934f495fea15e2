//! What the reference backend does for each operation, without HTTP: validate the body,
//! look the person up, answer, and for operations that create something, store the case and
//! the idempotency answer in one transaction.

use std::collections::HashMap;

use kiosk_core::clock::BeijingTime;
use kiosk_core::identity::IdNumber;
use kiosk_core::personal::PhoneNumber;
use serde::Serialize;

use crate::api::*;
use crate::seed::Citizen;
use crate::signing::sha256_hex;
use crate::store::{Case, Store, StoreError, StoredAnswer};

/// What the county serves: its catalog and the terminals it knows.
#[derive(Clone)]
pub struct CountyConfig {
    /// The catalog terminals sync.
    pub catalog: Catalog,
    /// Terminal id → HMAC secret.
    pub terminals: HashMap<String, Vec<u8>>,
    /// Base of the 参保证明 verification link.
    pub verify_url: String,
    /// Working days within which a 差评 is followed up (counties use 5 or 15).
    pub follow_up_days: u32,
}

impl std::fmt::Debug for CountyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CountyConfig")
            .field("catalog", &self.catalog.version)
            .field("terminals", &self.terminals.len())
            .finish_non_exhaustive()
    }
}

impl CountyConfig {
    /// The catalog of `catalog` (the kiosk's own `matters.toml`), and `terminals`.
    pub fn from_catalog(
        catalog: &kiosk_core::catalog::Catalog,
        terminals: HashMap<String, Vec<u8>>,
    ) -> CountyConfig {
        CountyConfig {
            catalog: Catalog {
                version: catalog.version.clone(),
                matters: catalog
                    .matters()
                    .iter()
                    .map(|m| CatalogEntry {
                        id: m.id.as_str().to_string(),
                        name: m.name.clone(),
                        service: m.service.map(|s| service_name(s).to_string()),
                    })
                    .collect(),
            },
            terminals,
            verify_url: "https://zwfw.example.gov.cn/verify".into(),
            follow_up_days: 5,
        }
    }
}

fn service_name(s: kiosk_core::catalog::Service) -> &'static str {
    use kiosk_core::catalog::Service::*;
    match s {
        PensionSummary => "pension-summary",
        RightsRecord => "rights-record",
        InsuranceCertificate => "insurance-certificate",
        InsuranceInfo => "insurance-info",
        CardApplyAdult => "card-apply-adult",
        CardApplyMinor => "card-apply-minor",
        CardReplace => "card-replace",
        CardSuspend => "card-suspend",
        PensionEnrolment => "pension-enrolment",
        MedicalEnrolment => "medical-enrolment",
        ProgressLookup => "progress-lookup",
    }
}

/// A successful answer: status and JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: String,
    /// The stored answer to a repeated idempotency key.
    pub replayed: bool,
}

/// Why an operation was refused (a 4xx), or failed (a 500).
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// Not JSON, or not the schema's shape.
    #[error("{0}")]
    BadJson(String),
    /// A field is invalid.
    #[error("{field}: {message}")]
    Invalid {
        /// The field.
        field: String,
        /// Why.
        message: String,
    },
    /// No such person, case or receipt.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The idempotency key was used with another body.
    #[error("idempotency key used before with a different body")]
    KeyReused,
    /// The storage failed.
    #[error("storage: {0}")]
    Store(#[from] StoreError),
}

impl Refusal {
    /// HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::BadJson(_) => 400,
            Refusal::Invalid { .. } => 422,
            Refusal::NotFound(_) => 404,
            Refusal::KeyReused => 409,
            Refusal::Store(_) => 500,
        }
    }

    /// The error body.
    pub fn body(&self) -> ApiError {
        let (code, field) = match self {
            Refusal::BadJson(_) => ("bad_json", None),
            Refusal::Invalid { field, .. } => ("invalid_field", Some(field.clone())),
            Refusal::NotFound(_) => ("not_found", None),
            Refusal::KeyReused => ("key_reused", None),
            Refusal::Store(_) => ("storage_failed", None),
        };
        ApiError {
            code: code.into(),
            message: self.to_string(),
            field,
        }
    }
}

fn invalid(field: &str, message: &str) -> Refusal {
    Refusal::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// Parses a JSON body; serde's message names the field and position, not the values.
pub fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Refusal> {
    serde_json::from_slice(body).map_err(|e| {
        // serde_json quotes offending string values in some messages: keep only the category
        // and position so no personal data reaches a log
        Refusal::BadJson(format!(
            "invalid JSON ({:?}) at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        ))
    })
}

fn json<T: Serialize>(status: u16, value: &T) -> Result<Reply, Refusal> {
    Ok(Reply {
        status,
        body: serde_json::to_string(value).map_err(StoreError::from)?,
        replayed: false,
    })
}

fn check_person(p: &Person, field: &str) -> Result<IdNumber, Refusal> {
    let id = IdNumber::parse(&p.id_number).map_err(|_| {
        invalid(
            &format!("{field}.id_number"),
            "not an 18-character ID number",
        )
    })?;
    if !id.check_digit_ok() {
        return Err(invalid(
            &format!("{field}.id_number"),
            "check digit does not match (GB 11643)",
        ));
    }
    let chars = p.name.chars().count();
    if chars == 0 || chars > 64 || p.name.trim() != p.name {
        return Err(invalid(
            &format!("{field}.name"),
            "1 to 64 characters, no surrounding spaces",
        ));
    }
    Ok(id)
}

/// The citizen `p` names, if number and name match a record.
fn find(store: &Store, p: &Person, field: &str) -> Result<Citizen, Refusal> {
    check_person(p, field)?;
    match store.citizen(&p.id_number)? {
        Some(c) if c.name == p.name => Ok(c),
        // a wrong name is "not found" too: the API does not confirm who exists
        _ => Err(Refusal::NotFound("person")),
    }
}

fn row(label: &str, value: impl Into<String>) -> Row {
    Row {
        label: label.into(),
        value: value.into(),
    }
}

fn masked_rows(c: &Citizen) -> Vec<Row> {
    let name = kiosk_core::personal::PersonName::new(c.name.clone()).masked();
    let id = IdNumber::parse(&c.id_number)
        .map(|i| i.masked())
        .unwrap_or_default();
    vec![row("姓名", name), row("身份证号", id)]
}

const SAMPLE_NOTE: &str = "示例数据：由参考后台的生成样本给出，并非真实参保记录。";

/// `POST /v1/identity/check`.
pub fn identity_check(store: &Store, body: &[u8]) -> Result<Reply, Refusal> {
    let req: PersonRequest = parse(body)?;
    check_person(&req.person, "person")?;
    let found = store
        .citizen(&req.person.id_number)?
        .filter(|c| c.name == req.person.name);
    json(
        200,
        &IdentityCheck {
            known: found.is_some(),
            insured: found.is_some_and(|c| !c.pension.is_empty() || c.medical),
        },
    )
}

/// `POST /v1/pension/summary`.
pub fn pension_summary(store: &Store, body: &[u8]) -> Result<Reply, Refusal> {
    let req: PersonRequest = parse(body)?;
    let c = find(store, &req.person, "person")?;
    let mut rows = masked_rows(&c);
    if c.pension.is_empty() {
        rows.push(row("参保状态", "未参加城乡居民基本养老保险"));
    } else {
        let paid: u32 = c.pension.iter().map(|y| y.paid + y.subsidy).sum();
        rows.push(row(
            "参保状态",
            if c.monthly_pension > 0 {
                "领取待遇"
            } else {
                "正常参保"
            },
        ));
        rows.push(row("累计缴费年限", format!("{} 年", c.pension.len())));
        rows.push(row("个人账户累计储存额", format!("{paid}.00 元")));
        if let Some(last) = c.pension.last() {
            rows.push(row(
                "最近缴费",
                format!("{} 年 {} 元", last.year, last.paid),
            ));
        }
        rows.push(row(
            "待遇领取",
            if c.monthly_pension > 0 {
                format!("每月 {} 元", c.monthly_pension)
            } else {
                "未到领取年龄".into()
            },
        ));
    }
    json(
        200,
        &QueryResult {
            title: "城乡居民养老保险缴费及待遇".into(),
            rows,
            note: SAMPLE_NOTE.into(),
            certificate: None,
        },
    )
}

/// `POST /v1/pension/rights-record`.
pub fn rights_record(store: &Store, body: &[u8]) -> Result<Reply, Refusal> {
    let req: PersonRequest = parse(body)?;
    let c = find(store, &req.person, "person")?;
    let mut rows = masked_rows(&c);
    for y in &c.pension {
        rows.push(row(
            &format!("{} 年", y.year),
            format!("个人缴费 {} 元，政府补贴 {} 元", y.paid, y.subsidy),
        ));
    }
    if c.pension.is_empty() {
        rows.push(row("缴费记录", "无"));
    }
    json(
        200,
        &QueryResult {
            title: "城乡居民养老保险个人权益记录".into(),
            rows,
            note: SAMPLE_NOTE.into(),
            certificate: None,
        },
    )
}

/// A 12-character code from the certificate's content: anyone holding the paper can check
/// it online, nobody can make one up.
fn verification_code(id_number: &str, certificate_no: &str) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let digest = sha256_hex(format!("{certificate_no}|{id_number}").as_bytes());
    digest
        .as_bytes()
        .chunks(2)
        .take(12)
        .map(|pair| {
            let v = u8::from_str_radix(std::str::from_utf8(pair).unwrap_or("0"), 16).unwrap_or(0);
            char::from(ALPHABET[usize::from(v) % ALPHABET.len()])
        })
        .collect()
}

/// `POST /v1/insurance/certificate` and `/v1/insurance/info`.
pub fn insurance(
    store: &Store,
    body: &[u8],
    certificate: bool,
    cfg: &CountyConfig,
    now: i64,
) -> Result<Reply, Refusal> {
    let req: PersonRequest = parse(body)?;
    let c = find(store, &req.person, "person")?;
    let mut rows = masked_rows(&c);
    let mut kinds = Vec::new();
    if !c.pension.is_empty() {
        kinds.push("城乡居民基本养老保险");
    }
    if c.medical {
        kinds.push("城乡居民基本医疗保险");
    }
    rows.push(row(
        "参保险种",
        if kinds.is_empty() {
            "无".to_string()
        } else {
            kinds.join("、")
        },
    ));
    rows.push(row(
        "参保状态",
        if kinds.is_empty() {
            "未参保"
        } else {
            "正常参保"
        },
    ));
    let cert = certificate.then(|| {
        let date = BeijingTime::from_unix(now).iso_date().replace('-', "");
        let certificate_no = format!("CB{date}{}", &c.id_number[14..]);
        let code = verification_code(&c.id_number, &certificate_no);
        Certificate {
            verify_url: format!("{}?no={certificate_no}&code={code}", cfg.verify_url),
            certificate_no,
            verification_code: code,
        }
    });
    json(
        200,
        &QueryResult {
            title: if certificate {
                "社会保险参保证明"
            } else {
                "参保信息"
            }
            .into(),
            rows,
            note: SAMPLE_NOTE.into(),
            certificate: cert,
        },
    )
}

/// Runs an operation that creates something under an idempotency key: a repeated key with
/// the same body gets the stored answer, with another body 409; otherwise `create` runs and
/// its answer is stored in the same transaction.
pub fn idempotent(
    store: &Store,
    terminal: &str,
    key: &str,
    body: &[u8],
    now: i64,
    create: impl FnOnce(&Store) -> Result<Reply, Refusal>,
) -> Result<Reply, Refusal> {
    let hash = sha256_hex(body);
    if let Some(stored) = store.answer(terminal, key)? {
        if stored.body_hash != hash {
            return Err(Refusal::KeyReused);
        }
        return Ok(Reply {
            status: stored.status,
            body: stored.response,
            replayed: true,
        });
    }
    // a refusal rolls back whatever `create` wrote: nothing is stored
    store.transaction(|s| {
        let reply = create(s)?;
        s.put_answer(
            terminal,
            key,
            &StoredAnswer {
                body_hash: hash,
                status: reply.status,
                response: reply.body.clone(),
            },
            now,
        )?;
        Ok(reply)
    })
}

fn receipt_no(store: &Store, prefix: &str, now: i64) -> Result<String, Refusal> {
    let date = BeijingTime::from_unix(now).iso_date().replace('-', "");
    Ok(store.next_receipt_no(prefix, &date)?)
}

/// Numbers and stores a case, and answers with its acceptance.
#[allow(clippy::too_many_arguments)]
fn open_case(
    store: &Store,
    prefix: &str,
    terminal: &str,
    id_number: &str,
    matter_id: &str,
    status: &str,
    body: &[u8],
    now: i64,
) -> Result<Reply, Refusal> {
    let no = receipt_no(store, prefix, now)?;
    store.put_case(
        &Case {
            receipt_no: no.clone(),
            terminal: terminal.into(),
            id_number: id_number.into(),
            matter_id: matter_id.into(),
            status: status.into(),
            created: now,
        },
        &String::from_utf8_lossy(body),
    )?;
    json(
        200,
        &Acceptance {
            receipt_no: no,
            status: status.into(),
            accepted_at: now,
        },
    )
}

/// `POST /v1/social-card/suspend` (inside [`idempotent`]).
pub fn suspend(store: &Store, terminal: &str, body: &[u8], now: i64) -> Result<Reply, Refusal> {
    let req: SuspendRequest = parse(body)?;
    if !["丢失", "被盗", "其他原因"].contains(&req.reason.as_str()) {
        return Err(invalid("reason", "one of 丢失, 被盗, 其他原因"));
    }
    let mut c = find(store, &req.person, "person")?;
    if c.card == "none" {
        return Err(invalid("person", "no social security card to suspend"));
    }
    c.card = "suspended".into();
    store.put_citizen(&c)?;
    open_case(
        store,
        "GS",
        terminal,
        &c.id_number,
        "shebaoka-guashi-linshi",
        "done",
        body,
        now,
    )
}

fn age_on(id: &IdNumber, now: i64) -> Option<u32> {
    let birth = id.reveal().get(6..14)?;
    let (y, md) = (
        birth.get(..4)?.parse::<u32>().ok()?,
        birth.get(4..)?.parse::<u32>().ok()?,
    );
    let t = BeijingTime::from_unix(now);
    let today_md = t.month * 100 + t.day;
    let years = (t.year as u32).checked_sub(y)?;
    Some(if today_md < md {
        years.saturating_sub(1)
    } else {
        years
    })
}

/// `POST /v1/submissions` (inside [`idempotent`]).
pub fn submit(
    store: &Store,
    cfg: &CountyConfig,
    terminal: &str,
    body: &[u8],
    now: i64,
) -> Result<Reply, Refusal> {
    let s: Submission = parse(body)?;
    let entry = cfg
        .catalog
        .matters
        .iter()
        .find(|m| m.id == s.matter_id)
        .ok_or_else(|| invalid("matter_id", "not in the catalog"))?;
    let wanted = serde_json::to_value(s.service).map_err(StoreError::from)?;
    if entry.service.as_deref() != wanted.as_str() {
        return Err(invalid("service", "does not match the matter's service"));
    }
    let applicant = check_person(&s.applicant, "applicant")?;
    PhoneNumber::parse(&s.phone)
        .map_err(|_| invalid("phone", "an 11-digit mobile number starting with 1"))?;
    let choice_len = s.choice.chars().count();
    if choice_len == 0 || choice_len > 64 {
        return Err(invalid("choice", "1 to 64 characters"));
    }
    let age =
        age_on(&applicant, now).ok_or_else(|| invalid("applicant.id_number", "birth date"))?;
    match (s.service, &s.guardian) {
        (ApplyService::CardApplyMinor, None) => {
            return Err(invalid("guardian", "a minor applies through a guardian"));
        }
        (ApplyService::CardApplyMinor, Some(g)) => {
            if age >= 16 {
                return Err(invalid("applicant", "16 or older: use card-apply-adult"));
            }
            let gid = check_person(g, "guardian")?;
            if age_on(&gid, now).is_none_or(|a| a < 18) {
                return Err(invalid("guardian", "a guardian must be an adult"));
            }
        }
        (ApplyService::CardApplyAdult, _) if age < 16 => {
            return Err(invalid(
                "applicant",
                "under 16: use card-apply-minor with a guardian",
            ));
        }
        (_, Some(_)) => return Err(invalid("guardian", "only for card-apply-minor")),
        _ => {}
    }
    if s.attachments.len() > crate::api::MAX_ATTACHMENTS {
        return Err(invalid("attachments", "at most 16"));
    }
    for (i, a) in s.attachments.iter().enumerate() {
        let field = format!("attachments[{i}]");
        if !crate::signing::is_lower_hex(&a.sha256, 64) {
            return Err(invalid(&field, "sha256 is 64 lowercase hex digits"));
        }
        if !["image/jpeg", "image/png", "application/pdf"].contains(&a.media_type.as_str()) {
            return Err(invalid(&field, "media_type"));
        }
        if a.material
            .as_ref()
            .is_some_and(|m| m.trim().is_empty() || m.chars().count() > 64)
        {
            return Err(invalid(&field, "material is 1–64 characters"));
        }
        if a.page.is_some_and(|p| !(1..=16).contains(&p)) {
            return Err(invalid(&field, "page is 1–16"));
        }
        if !store.has_attachment(&a.sha256)? {
            return Err(invalid(&field, "not uploaded"));
        }
    }
    open_case(
        store,
        "SL",
        terminal,
        &s.applicant.id_number,
        &s.matter_id,
        "accepted",
        body,
        now,
    )
}

fn progress_of(case: &Case) -> Progress {
    let mut steps = vec![ProgressStep {
        at: case.created,
        text: "终端提交，已受理".into(),
    }];
    if case.status == "done" {
        steps.push(ProgressStep {
            at: case.created,
            text: "已办结".into(),
        });
    }
    Progress {
        receipt_no: case.receipt_no.clone(),
        matter_id: case.matter_id.clone(),
        status: case.status.clone(),
        steps,
    }
}

/// `GET /v1/progress/{receipt_no}`.
pub fn progress(store: &Store, receipt_no: &str) -> Result<Reply, Refusal> {
    if receipt_no.len() < 6
        || receipt_no.len() > 40
        || !receipt_no
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(Refusal::NotFound("case"));
    }
    let case = match store.case(receipt_no)? {
        Some(case) => case,
        // a terminal's own number (its idempotency key), printed while we were unreachable
        None => store
            .answer_for_key(receipt_no)?
            .filter(|a| a.status == 200)
            .and_then(|a| serde_json::from_str::<Acceptance>(&a.response).ok())
            .map(|a| store.case(&a.receipt_no))
            .transpose()?
            .flatten()
            .ok_or(Refusal::NotFound("case"))?,
    };
    json(200, &progress_of(&case))
}

/// `POST /v1/progress/lookup`.
pub fn progress_lookup(store: &Store, body: &[u8]) -> Result<Reply, Refusal> {
    let req: PersonRequest = parse(body)?;
    check_person(&req.person, "person")?;
    let cases = match store.citizen(&req.person.id_number)? {
        Some(c) if c.name == req.person.name => store.cases_of(&c.id_number)?,
        _ => Vec::new(),
    };
    json(
        200,
        &Cases {
            cases: cases.iter().map(progress_of).collect(),
        },
    )
}

/// `POST /v1/ratings` (inside [`idempotent`]).
pub fn rate(
    store: &Store,
    cfg: &CountyConfig,
    terminal: &str,
    body: &[u8],
    now: i64,
) -> Result<Reply, Refusal> {
    let r: Rating = parse(body)?;
    if !(1..=5).contains(&r.level) {
        return Err(invalid("level", "1 to 5"));
    }
    if !cfg.catalog.matters.iter().any(|m| m.id == r.matter_id) {
        return Err(invalid("matter_id", "not in the catalog"));
    }
    if r.reasons.len() > 12 || r.reasons.iter().any(|x| x.chars().count() > 32) {
        return Err(invalid(
            "reasons",
            "at most 12 reasons of at most 32 characters",
        ));
    }
    if r.channel.is_empty() || r.channel.chars().count() > 16 {
        return Err(invalid("channel", "1 to 16 characters"));
    }
    if r.comment.as_ref().is_some_and(|c| c.chars().count() > 200) {
        return Err(invalid("comment", "at most 200 characters"));
    }
    if let Some(no) = &r.receipt_no
        && !(6..=40).contains(&no.len())
    {
        return Err(invalid("receipt_no", "6 to 40 letters, digits or -"));
    }
    let poor = r.level <= 2;
    if let Some(phone) = &r.callback_phone {
        if !poor {
            return Err(invalid("callback_phone", "only with a 差评 (level 1 or 2)"));
        }
        PhoneNumber::parse(phone).map_err(|_| {
            invalid(
                "callback_phone",
                "an 11-digit mobile number starting with 1",
            )
        })?;
    }
    let rated_at = r.rated_at.unwrap_or(now);
    let due =
        poor.then(|| BeijingTime::working_days_after(rated_at, cfg.follow_up_days).iso_date());
    let id = store.put_rating(terminal, &r, due.as_deref(), now)?;
    json(
        200,
        &RatingRecorded {
            rating_id: format!("R{id}"),
        },
    )
}

/// `POST /v1/heartbeat`.
pub fn heartbeat(
    store: &Store,
    cfg: &CountyConfig,
    terminal: &str,
    body: &[u8],
    now: i64,
) -> Result<Reply, Refusal> {
    let h: Heartbeat = parse(body)?;
    if h.devices
        .values()
        .any(|v| !["ready", "degraded", "fault"].contains(&v.as_str()))
    {
        return Err(invalid("devices", "ready, degraded or fault"));
    }
    store.put_heartbeat(terminal, &String::from_utf8_lossy(body), now)?;
    json(
        200,
        &HeartbeatAck {
            server_time: now,
            catalog_version: cfg.catalog.version.clone(),
        },
    )
}

/// `PUT /v1/attachments/{sha256}`.
pub fn put_attachment(
    store: &Store,
    terminal: &str,
    sha256: &str,
    media_type: &str,
    body: &[u8],
    now: i64,
) -> Result<Reply, Refusal> {
    if !crate::signing::is_lower_hex(sha256, 64) {
        return Err(Refusal::NotFound("attachment path"));
    }
    if body.is_empty() {
        return Err(invalid("body", "empty attachment"));
    }
    if sha256_hex(body) != sha256 {
        return Err(invalid(
            "body",
            "SHA-256 of the bytes does not match the path",
        ));
    }
    if store.has_attachment(sha256)? {
        return Ok(Reply {
            status: 200,
            body: "{}".into(),
            replayed: false,
        });
    }
    store.put_attachment(sha256, media_type, body, terminal, now)?;
    Ok(Reply {
        status: 201,
        body: "{}".into(),
        replayed: false,
    })
}

/// `GET /v1/catalog`.
pub fn catalog(cfg: &CountyConfig) -> Result<Reply, Refusal> {
    json(200, &cfg.catalog)
}
