//! The county catalog (`matters.toml`): every matter the county lists, with its 办事指南.
//!
//! The county decides, the code follows (DESIGN.md principle 7): which flow a matter uses,
//! which self-service it maps to, and its 八公开 text are configuration. Parsing is pure: the
//! caller reads the file and passes its text and name, and every error names the file, the
//! line and the field.

use crate::capture::{CaptureKind, CaptureSlot, MAX_PAGES_PER_SLOT, MAX_PAGES_PER_SUBMISSION};
use crate::config_error::{ConfigError, ConfigErrors, SourceText};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use toml::Spanned;

/// The marker every sample (示例) guide text starts with.
pub const SAMPLE_MARKER: &str = "【示例】";

/// The ten UI categories of the home screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Category {
    /// 社会保障卡
    #[serde(rename = "社保卡")]
    SocialSecurityCard,
    /// 养老保险
    #[serde(rename = "养老保险")]
    Pension,
    /// 医疗保险
    #[serde(rename = "医疗保险")]
    Medical,
    /// 就业创业
    #[serde(rename = "就业创业")]
    Employment,
    /// 社会救助
    #[serde(rename = "社会救助")]
    SocialAssistance,
    /// 退役军人
    #[serde(rename = "退役军人")]
    Veterans,
    /// 卫生健康
    #[serde(rename = "卫生健康")]
    Health,
    /// 市场主体
    #[serde(rename = "市场主体")]
    Business,
    /// 农业农村
    #[serde(rename = "农业农村")]
    Agriculture,
    /// 其他
    #[serde(rename = "其他")]
    Other,
}

impl Category {
    /// All categories in home-screen order.
    pub const ALL: [Category; 10] = [
        Category::SocialSecurityCard,
        Category::Pension,
        Category::Medical,
        Category::Employment,
        Category::SocialAssistance,
        Category::Veterans,
        Category::Health,
        Category::Business,
        Category::Agriculture,
        Category::Other,
    ];

    /// The Chinese label shown on the tile (and used in the TOML).
    pub fn label(self) -> &'static str {
        match self {
            Category::SocialSecurityCard => "社保卡",
            Category::Pension => "养老保险",
            Category::Medical => "医疗保险",
            Category::Employment => "就业创业",
            Category::SocialAssistance => "社会救助",
            Category::Veterans => "退役军人",
            Category::Health => "卫生健康",
            Category::Business => "市场主体",
            Category::Agriculture => "农业农村",
            Category::Other => "其他",
        }
    }

    /// A stable ASCII id for the UI contract.
    pub fn id(self) -> &'static str {
        match self {
            Category::SocialSecurityCard => "card",
            Category::Pension => "pension",
            Category::Medical => "medical",
            Category::Employment => "employment",
            Category::SocialAssistance => "assistance",
            Category::Veterans => "veterans",
            Category::Health => "health",
            Category::Business => "business",
            Category::Agriculture => "agriculture",
            Category::Other => "other",
        }
    }

    /// The category whose [`Category::id`] is `id`.
    pub fn from_id(id: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.id() == id)
    }
}

/// How the township centre handles the matter (受理 / 办理 / 初审 / 帮办代办).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Handling {
    /// 受理: accepted here, decided by the county department.
    #[serde(rename = "受理")]
    Accept,
    /// 办理: handled to the end here.
    #[serde(rename = "办理")]
    Handle,
    /// 初审: first review here, then forwarded.
    #[serde(rename = "初审")]
    PreReview,
    /// 帮办代办: staff help or act on the citizen's behalf.
    #[serde(rename = "帮办代办")]
    Assisted,
}

impl Handling {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Handling::Accept => "受理",
            Handling::Handle => "办理",
            Handling::PreReview => "初审",
            Handling::Assisted => "帮办代办",
        }
    }
}

/// Which flow the terminal runs for a matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlowKind {
    /// A lookup answered by the backend (identify → result).
    Query,
    /// A submission (identify → form → review → receipt).
    Apply,
    /// Guide only: the terminal shows the 办事指南 and prints the 一次性告知单.
    Guide,
}

impl FlowKind {
    /// The badge shown on list tiles.
    pub fn label(self) -> &'static str {
        match self {
            FlowKind::Query => "自助查询",
            FlowKind::Apply => "可自助办理",
            FlowKind::Guide => "办事指南",
        }
    }
}

/// The self-services this firmware implements; a query or apply matter names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Service {
    /// 城乡居民养老缴费及待遇查询
    PensionSummary,
    /// 个人权益记录查询打印
    RightsRecord,
    /// 参保证明查询打印
    InsuranceCertificate,
    /// 参保信息查询
    InsuranceInfo,
    /// 社会保障卡申领（成年人）
    CardApplyAdult,
    /// 社会保障卡申领（未成年人）
    CardApplyMinor,
    /// 社会保障卡补换
    CardReplace,
    /// 社会保障卡临时挂失
    CardSuspend,
    /// 城乡居民基本养老保险参保登记
    PensionEnrolment,
    /// 城乡居民医疗保险参保登记
    MedicalEnrolment,
    /// 办件进度查询: a terminal function, by ID card or by 受理编号 (see
    /// [`Catalog::with_terminal_functions`]).
    ProgressLookup,
}

impl Service {
    /// The flow this service runs.
    pub fn flow(self) -> FlowKind {
        match self {
            Service::PensionSummary
            | Service::RightsRecord
            | Service::InsuranceCertificate
            | Service::InsuranceInfo
            | Service::ProgressLookup => FlowKind::Query,
            _ => FlowKind::Apply,
        }
    }

    /// What the printer means to this service, so a printer fault is explained before the
    /// citizen starts rather than at the end (issue 4 §6).
    pub fn print_need(self) -> PrintNeed {
        match self {
            Service::RightsRecord | Service::InsuranceCertificate => PrintNeed::Essential,
            Service::PensionSummary | Service::InsuranceInfo | Service::ProgressLookup => {
                PrintNeed::Optional
            }
            _ => PrintNeed::Receipt,
        }
    }
}

/// How much a service depends on the receipt printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintNeed {
    /// The paper is the service (个人权益记录打印, 参保证明): without a printer it cannot be done.
    Essential,
    /// The service ends in a 办件回执; without a printer the 受理编号 is shown on screen only.
    Receipt,
    /// The result shows on screen; printing it is a choice.
    Optional,
}

/// The 八公开 办事指南 of a matter, with defaults already applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guide {
    /// The text is sample (示例) text, not the county's published guide.
    pub sample: bool,
    /// 法定依据
    pub legal_basis: String,
    /// 申请条件
    pub conditions: String,
    /// 申请材料
    pub materials: Vec<String>,
    /// 办理流程
    pub process: Vec<String>,
    /// 办理时限
    pub time_limit: String,
    /// 收费依据和标准
    pub fees: String,
    /// 联系方式
    pub contact: String,
    /// 办理地点
    pub location: String,
}

impl Guide {
    /// The eight sections as (title, body) in the order the 八公开 list them.
    pub fn sections(&self) -> Vec<(&'static str, String)> {
        let numbered = |items: &[String]| {
            items
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{}. {s}", i + 1))
                .collect::<Vec<_>>()
                .join("\n")
        };
        vec![
            ("法定依据", self.legal_basis.clone()),
            ("申请条件", self.conditions.clone()),
            ("申请材料", numbered(&self.materials)),
            ("办理流程", numbered(&self.process)),
            ("办理时限", self.time_limit.clone()),
            ("收费依据和标准", self.fees.clone()),
            ("联系方式", self.contact.clone()),
            ("办理地点", self.location.clone()),
        ]
    }
}

/// The stable id of a matter (`[a-z0-9-]`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MatterId(pub String);

impl MatterId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One matter of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matter {
    /// Stable id used by kiosk.toml and the UI.
    pub id: MatterId,
    /// 事项编码, where the county list gives one.
    pub code: Option<String>,
    /// 事项名称
    pub name: String,
    /// 事项类型 (行政许可, 公共服务, …)
    pub kind: String,
    /// The competent department.
    pub department: String,
    /// Home-screen category.
    pub category: Category,
    /// How the township centre handles it.
    pub handling: Handling,
    /// Which flow the terminal runs.
    pub flow: FlowKind,
    /// For query and apply matters: the self-service that runs it.
    pub service: Option<Service>,
    /// Extra search words.
    pub aliases: Vec<String>,
    /// Where the county lists name it (`勉县#22`).
    pub sources: Vec<String>,
    /// The 八公开 guide.
    pub guide: Guide,
    /// The 申请材料 captured on the 高拍仪 for an apply matter, in the order the citizen is
    /// led through them (`[[matter.capture]]`); empty when nothing is captured.
    pub capture: Vec<CaptureSlot>,
}

/// The whole county catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// Catalog name.
    pub name: String,
    /// Catalog version, shown in maintenance and printed on the 告知单.
    pub version: String,
    matters: Vec<Matter>,
    by_id: HashMap<MatterId, usize>,
}

/// 事项类型 values the lists use.
pub const MATTER_KINDS: [&str; 9] = [
    "行政许可",
    "行政确认",
    "行政给付",
    "行政征收",
    "行政裁决",
    "行政奖励",
    "公共服务",
    "便民服务",
    "其他行政权力",
];

impl Catalog {
    /// Parses and validates `matters.toml`. `file` names the file in errors.
    pub fn parse(text: &str, file: &str) -> Result<Catalog, ConfigErrors> {
        let src = SourceText::new(file, text);
        let raw: RawCatalog = toml::from_str(text).map_err(|e| src.toml_error(&e))?;
        let mut errors = Vec::new();
        let mut matters = Vec::new();
        let mut by_id = HashMap::new();
        let mut seen_sources = HashSet::new();
        for (index, raw_matter) in raw.matter.into_iter().enumerate() {
            let span = raw_matter.span();
            let m = raw_matter.into_inner();
            let field = |name: &str| format!("matter[{index}].{name}");
            let id = m.id.get_ref().clone();
            if !valid_id(&id) {
                errors.push(src.at(
                    m.id.span(),
                    field("id"),
                    "应为 3–48 个小写字母、数字或连字符",
                ));
            }
            if by_id.insert(MatterId(id.clone()), matters.len()).is_some() {
                errors.push(src.at(m.id.span(), field("id"), format!("重复的事项 id “{id}”")));
            }
            if let Some(code) = &m.code
                && !valid_code(code.get_ref())
            {
                errors.push(src.at(
                    code.span(),
                    field("code"),
                    "事项编码应为 12 位数字（末位可为 Y）",
                ));
            }
            if m.name.get_ref().trim().is_empty() {
                errors.push(src.at(m.name.span(), field("name"), "事项名称不能为空"));
            }
            if !MATTER_KINDS.contains(&m.kind.get_ref().as_str()) {
                errors.push(src.at(
                    m.kind.span(),
                    field("kind"),
                    format!(
                        "未知的事项类型 “{}”，应为 {}",
                        m.kind.get_ref(),
                        MATTER_KINDS.join("、")
                    ),
                ));
            }
            if m.department.get_ref().trim().is_empty() {
                errors.push(src.at(m.department.span(), field("department"), "实施部门不能为空"));
            }
            let flow = *m.flow.get_ref();
            let service = m.service.as_ref().map(|s| *s.get_ref());
            match (flow, &m.service) {
                (FlowKind::Guide, Some(s)) => errors.push(src.at(
                    s.span(),
                    field("service"),
                    "flow = \"guide\" 的事项不应指定 service",
                )),
                (FlowKind::Query | FlowKind::Apply, None) => errors.push(src.at(
                    m.flow.span(),
                    field("service"),
                    "flow 为 query 或 apply 的事项必须指定 service（终端实现的自助业务）",
                )),
                (_, Some(s)) if s.get_ref().flow() != flow => errors.push(src.at(
                    s.span(),
                    field("service"),
                    format!("service 与 flow = \"{}\" 不符", flow_name(flow)),
                )),
                _ => {}
            }
            // the `sources` line when given (even empty), else the matter's header
            let sources_span = m.sources.as_ref().map_or(span.clone(), Spanned::span);
            let sources = m.sources.map(Spanned::into_inner).unwrap_or_default();
            if sources.is_empty() {
                errors.push(src.at(sources_span, field("sources"), "至少应注明一个来源清单"));
            }
            for s in &sources {
                if !valid_source(s.get_ref()) {
                    errors.push(src.at(
                        s.span(),
                        field("sources"),
                        format!("来源 “{}” 应写作 “清单#序号”", s.get_ref()),
                    ));
                } else if !seen_sources.insert(s.get_ref().clone()) {
                    errors.push(src.at(
                        s.span(),
                        field("sources"),
                        format!("来源 “{}” 已被另一事项引用", s.get_ref()),
                    ));
                }
            }
            let guide = resolve_guide(&m.guide, &raw.guide_defaults, &src, index, &mut errors);
            let capture = resolve_capture(&m.capture, flow, &guide, &src, index, &mut errors);
            matters.push(Matter {
                id: MatterId(id),
                code: m.code.map(Spanned::into_inner),
                name: m.name.into_inner(),
                kind: m.kind.into_inner(),
                department: m.department.into_inner(),
                category: m.category,
                handling: m.handling,
                flow,
                service,
                aliases: m.aliases,
                sources: sources.into_iter().map(Spanned::into_inner).collect(),
                guide,
                capture,
            });
        }
        if matters.is_empty() {
            errors.push(src.at(0..0, "matter".into(), "目录中没有任何事项"));
        }
        if !errors.is_empty() {
            return Err(ConfigErrors(errors));
        }
        Ok(Catalog {
            name: raw.catalog.name,
            version: raw.catalog.version,
            matters,
            by_id,
        })
    }

    /// Adds the terminal's own functions that no county list names (办件进度查询) unless the
    /// county catalog already defines a matter with their service. They have no sources:
    /// [`Matter::sources`] empty marks a terminal function.
    pub fn with_terminal_functions(mut self, hotline: &str, location: &str) -> Catalog {
        let has_progress = self
            .matters
            .iter()
            .any(|m| m.service == Some(Service::ProgressLookup));
        if !has_progress && !self.by_id.contains_key(&MatterId(PROGRESS_MATTER.into())) {
            self.by_id
                .insert(MatterId(PROGRESS_MATTER.into()), self.matters.len());
            self.matters.push(progress_matter(hotline, location));
        }
        self
    }

    /// The id of the 办件进度查询 matter, whether built in or from the county catalog.
    pub fn progress_matter_id(&self) -> Option<&MatterId> {
        self.matters
            .iter()
            .find(|m| m.service == Some(Service::ProgressLookup))
            .map(|m| &m.id)
    }

    /// All matters in file order.
    pub fn matters(&self) -> &[Matter] {
        &self.matters
    }

    /// The matter with this id.
    pub fn get(&self, id: &MatterId) -> Option<&Matter> {
        self.by_id.get(id).and_then(|&i| self.matters.get(i))
    }

    /// Matters whose guide is only sample (示例) text, for `check-config` to report.
    pub fn sample_guides(&self) -> Vec<&Matter> {
        self.matters.iter().filter(|m| m.guide.sample).collect()
    }
}

/// The id of the built-in 办件进度查询 matter.
pub const PROGRESS_MATTER: &str = "banjian-jindu-chaxun";

fn progress_matter(hotline: &str, location: &str) -> Matter {
    Matter {
        id: MatterId(PROGRESS_MATTER.into()),
        code: None,
        name: "办件进度查询".into(),
        kind: "便民服务".into(),
        department: "本自助终端".into(),
        category: Category::Other,
        handling: Handling::Handle,
        flow: FlowKind::Query,
        service: Some(Service::ProgressLookup),
        aliases: vec!["进度查询".into(), "办理进度".into(), "受理编号".into()],
        sources: Vec::new(),
        capture: Vec::new(),
        guide: Guide {
            sample: false,
            legal_basis: "本终端提供的便民功能，查询在县级政务服务系统登记的办件进度。".into(),
            conditions: "持本人二代身份证，或持办件回执上的受理编号。".into(),
            materials: vec![
                "本人二代身份证（刷卡查询本人的全部办件）".into(),
                "或办件回执（输入回执上的受理编号）".into(),
            ],
            process: vec![
                "选择“刷身份证查询”或“输入受理编号查询”".into(),
                "查看办理进度".into(),
                "需要时打印查询结果".into(),
            ],
            time_limit: "即时查询".into(),
            fees: "不收费".into(),
            contact: format!("咨询电话 {hotline}"),
            location: location.into(),
        },
    }
}

fn flow_name(flow: FlowKind) -> &'static str {
    match flow {
        FlowKind::Query => "query",
        FlowKind::Apply => "apply",
        FlowKind::Guide => "guide",
    }
}

fn valid_id(id: &str) -> bool {
    (3..=48).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn valid_code(code: &str) -> bool {
    code.len() == 12
        && code
            .bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_digit() || (i == 11 && b == b'Y'))
}

fn valid_source(s: &str) -> bool {
    match s.split_once('#') {
        Some((list, n)) => !list.is_empty() && n.parse::<u32>().is_ok_and(|n| n > 0),
        None => false,
    }
}

/// Checks the `[[matter.capture]]` slots: only on apply matters, each naming one of the
/// guide's 申请材料 once, 1–8 pages each and at most [`MAX_PAGES_PER_SUBMISSION`] in all.
fn resolve_capture(
    raw: &[Spanned<RawCapture>],
    flow: FlowKind,
    guide: &Guide,
    src: &SourceText<'_>,
    index: usize,
    errors: &mut Vec<ConfigError>,
) -> Vec<CaptureSlot> {
    let mut slots = Vec::new();
    let mut total = 0usize;
    for (i, c) in raw.iter().enumerate() {
        let field = |name: &str| format!("matter[{index}].capture[{i}].{name}");
        let r = c.get_ref();
        if flow != FlowKind::Apply {
            errors.push(src.at(
                c.span(),
                field("material"),
                "只有 flow = \"apply\" 的事项可以拍摄材料",
            ));
        }
        let material = r.material.get_ref();
        if !guide.materials.contains(material) {
            errors.push(src.at(
                r.material.span(),
                field("material"),
                format!(
                    "“{material}” 不在本事项指南的申请材料（materials）中，须与其中一项完全相同"
                ),
            ));
        } else if slots.iter().any(|s: &CaptureSlot| &s.material == material) {
            errors.push(src.at(
                r.material.span(),
                field("material"),
                format!("“{material}” 已有拍摄项"),
            ));
        }
        let pages = *r.max_pages.get_ref();
        if !(1..=MAX_PAGES_PER_SLOT).contains(&pages) {
            let span = if r.max_pages.span().is_empty() {
                c.span()
            } else {
                r.max_pages.span()
            };
            errors.push(src.at(
                span,
                field("max_pages"),
                format!("应为 1–{MAX_PAGES_PER_SLOT} 页"),
            ));
        }
        total += usize::from(pages);
        if total > MAX_PAGES_PER_SUBMISSION
            && total - usize::from(pages) <= MAX_PAGES_PER_SUBMISSION
        {
            errors.push(src.at(
                c.span(),
                field("max_pages"),
                format!("一个事项的拍摄页数合计不能超过 {MAX_PAGES_PER_SUBMISSION} 页"),
            ));
        }
        slots.push(CaptureSlot {
            material: material.clone(),
            kind: r.kind,
            required: r.required,
            max_pages: pages,
        });
    }
    slots
}

fn resolve_guide(
    g: &Spanned<RawGuide>,
    defaults: &RawGuideDefaults,
    src: &SourceText<'_>,
    index: usize,
    errors: &mut Vec<ConfigError>,
) -> Guide {
    let field = |name: &str| format!("matter[{index}].guide.{name}");
    let r = g.get_ref();
    for (name, text) in [
        ("legal_basis", &r.legal_basis),
        ("conditions", &r.conditions),
        ("time_limit", &r.time_limit),
    ] {
        let t = text.get_ref();
        if t.trim().is_empty() {
            errors.push(src.at(text.span(), field(name), "不能为空"));
        } else if r.sample && !t.starts_with(SAMPLE_MARKER) {
            errors.push(src.at(
                text.span(),
                field(name),
                format!("sample = true 的指南文字必须以 {SAMPLE_MARKER} 开头"),
            ));
        } else if !r.sample && t.contains(SAMPLE_MARKER) {
            errors.push(src.at(
                text.span(),
                field(name),
                format!("含有 {SAMPLE_MARKER} 的文字须标注 sample = true"),
            ));
        }
    }
    for (name, list) in [("materials", &r.materials), ("process", &r.process)] {
        if list.get_ref().is_empty() || list.get_ref().iter().any(|s| s.trim().is_empty()) {
            errors.push(src.at(list.span(), field(name), "至少一项，且每项不能为空"));
        }
    }
    let pick = |own: &Option<String>,
                default: &Option<String>,
                name: &str,
                errors: &mut Vec<ConfigError>| {
        match own.as_ref().or(default.as_ref()) {
            Some(v) => v.clone(),
            None => {
                errors.push(src.at(
                    g.span(),
                    field(name),
                    "未填写，且 [guide_defaults] 中也没有默认值",
                ));
                String::new()
            }
        }
    };
    Guide {
        sample: r.sample,
        legal_basis: r.legal_basis.get_ref().clone(),
        conditions: r.conditions.get_ref().clone(),
        materials: r.materials.get_ref().clone(),
        process: r.process.get_ref().clone(),
        time_limit: r.time_limit.get_ref().clone(),
        fees: pick(&r.fees, &defaults.fees, "fees", errors),
        contact: pick(&r.contact, &defaults.contact, "contact", errors),
        location: pick(&r.location, &defaults.location, "location", errors),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    catalog: RawCatalogHeader,
    #[serde(default)]
    guide_defaults: RawGuideDefaults,
    #[serde(default)]
    matter: Vec<Spanned<RawMatter>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogHeader {
    name: String,
    version: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawGuideDefaults {
    fees: Option<String>,
    contact: Option<String>,
    location: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatter {
    id: Spanned<String>,
    code: Option<Spanned<String>>,
    name: Spanned<String>,
    kind: Spanned<String>,
    department: Spanned<String>,
    category: Category,
    handling: Handling,
    flow: Spanned<FlowKind>,
    service: Option<Spanned<Service>>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    sources: Option<Spanned<Vec<Spanned<String>>>>,
    guide: Spanned<RawGuide>,
    #[serde(default)]
    capture: Vec<Spanned<RawCapture>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCapture {
    material: Spanned<String>,
    kind: CaptureKind,
    #[serde(default = "yes")]
    required: bool,
    #[serde(default = "one_page")]
    max_pages: Spanned<u8>,
}

fn yes() -> bool {
    true
}

fn one_page() -> Spanned<u8> {
    Spanned::new(0..0, 1)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGuide {
    #[serde(default)]
    sample: bool,
    legal_basis: Spanned<String>,
    conditions: Spanned<String>,
    materials: Spanned<Vec<String>>,
    process: Spanned<Vec<String>>,
    time_limit: Spanned<String>,
    fees: Option<String>,
    contact: Option<String>,
    location: Option<String>,
}
