//! `kiosk.toml`: this terminal's identity, the matters it offers (一镇街一清单) and its
//! session, display and device settings.

use crate::catalog::{Catalog, MatterId};
use crate::config_error::{ConfigError, ConfigErrors, SourceText};
use serde::Deserialize;
use std::collections::HashSet;
use toml::Spanned;

/// Screen orientation of the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    /// 1080x1920, the default.
    #[default]
    Portrait,
    /// 1920x1080.
    Landscape,
}

impl Orientation {
    /// The physical window size for this orientation.
    pub fn size(self) -> (u32, u32) {
        match self {
            Orientation::Portrait => (1080, 1920),
            Orientation::Landscape => (1920, 1080),
        }
    }
}

/// Validated terminal settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminalConfig {
    /// Terminal id, carried by every record it sends.
    pub id: String,
    /// Name shown on the attract screen.
    pub name: String,
    /// County (区县) the terminal belongs to.
    pub county: String,
    /// Path of the catalog, relative to kiosk.toml.
    pub catalog_path: String,
    /// Matters offered here, in display order.
    pub offered: Vec<MatterId>,
    /// Hot matters for the attract and home screens.
    pub hot: Vec<MatterId>,
    /// Seconds without touch before the countdown shows.
    pub idle_timeout_secs: u32,
    /// Length of the countdown.
    pub countdown_secs: u32,
    /// Panel orientation.
    pub orientation: Orientation,
    /// Use simulated devices (and show the dev dock).
    pub simulated_devices: bool,
    /// Serial port of the ID-card reader when devices are real (`/dev/ttyUSB0`).
    pub idcard_port: String,
    /// Its baud rate; readers ship at 115200 and should be left there.
    pub idcard_baud: u32,
    /// The vendor's WLT photo decoder library (`libwlt2bmp.so`), if one is installed.
    pub idcard_photo_decoder: Option<String>,
    /// Where the receipt printer is (`devices.printer`).
    pub printer: PrinterAddress,
    /// Which printer profile (`devices.printer_model`, one of [`PRINTER_MODELS`]).
    pub printer_model: String,
    /// Baud rate of a serial printer.
    pub printer_baud: u32,
    /// Phone number shown on the help screen.
    pub hotline: String,
    /// URL template for the 在线办理 QR code; `{id}` and `{code}` are replaced.
    pub online_url: String,
    /// URL template for the 进度查询 QR code on a receipt; `{no}` is the 受理编号.
    pub progress_url: String,
    /// Embedded reference backend or the county's.
    pub backend_mode: BackendMode,
    /// The county's base URL (remote).
    pub backend_url: Option<String>,
    /// File with this terminal's HMAC secret (hex); embedded: created in the storage dir.
    pub backend_secret_file: Option<String>,
    /// PEM file of the county CA to trust.
    pub backend_ca_file: Option<String>,
    /// Directory of the outbox (and the embedded backend's data). Relative paths are relative
    /// to kiosk.toml; the app resolves them.
    pub storage_dir: String,
    /// Days an acknowledged submission's audit row (no personal data) is kept.
    pub audit_days: u32,
    /// The 好差评 rules of this county (`[rating]`).
    pub rating: RatingRules,
    /// Where the rating pad is (`devices.rating_pad`).
    pub rating_pad: RatingPadAddress,
    /// The 高拍仪 (`devices.scanner`, `scanner_ids`, `scanner_exclude`, `scanner_page_top`).
    pub scanner: ScannerAddress,
    /// For a pad that types like a USB keyboard: the key of each level, 非常满意 first
    /// (`devices.rating_keys`; the app checks the key names).
    pub rating_keys: Vec<String>,
    /// The management endpoint (`[ops]`): health, readiness, status and metrics.
    pub ops: OpsConfig,
    /// The technician's maintenance menu (`[maintenance]`).
    pub maintenance: MaintenanceConfig,
}

/// The maintenance menu's settings (`[maintenance]`).
///
/// Exists so the menu's PIN is set per county in the terminal's file, as an argon2id hash
/// (`kiosk hash-pin` makes one), never as the PIN itself.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MaintenanceConfig {
    /// The PIN's argon2id hash in PHC form (`maintenance.pin_hash`). `None`: the menu
    /// cannot be opened on this terminal.
    pub pin_hash: Option<String>,
}

/// The management endpoint's settings (`[ops]`).
///
/// Exists so the technician's monitoring (Prometheus, a systemd health check) has one
/// address per terminal, chosen in the same file as everything else, and so `/status` and
/// `/metrics` are only served to whoever holds the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpsConfig {
    /// Whether `kiosk run` starts the endpoint (`ops.enabled`, default true).
    pub enabled: bool,
    /// Address to listen on (`ops.listen`, default [`DEFAULT_OPS_LISTEN`]); port 0 picks a free
    /// port, which the kiosk prints.
    pub listen: std::net::SocketAddr,
    /// File holding the bearer token for `/status` and `/metrics` (`ops.token_file`). `None`:
    /// the kiosk creates `ops.token` (random, 0600) in `storage.dir` and uses that.
    pub token_file: Option<String>,
}

/// The management address when `ops.listen` is not set: loopback only.
pub const DEFAULT_OPS_LISTEN: &str = "127.0.0.1:9100";

/// The county's 好差评 settings: what a 差评 may name and how soon it is followed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingRules {
    /// Working days within which the county calls back and answers a 差评 (counties use 5 or 15).
    pub follow_up_days: u32,
    /// The standard 差评 reasons offered as buttons.
    pub reasons: Vec<String>,
    /// URL template of the online-rating QR for one 办件: `{no}` is its number, `{code}` the
    /// matter's 事项编码 (or id).
    pub online_url: String,
}

/// The 差评 reasons offered when `[rating] reasons` is not set.
pub const DEFAULT_RATING_REASONS: [&str; 8] = [
    "办事指南不清楚",
    "要求的材料太多",
    "操作太复杂",
    "等待时间太长",
    "设备出了故障",
    "办理结果不满意",
    "收费不合理",
    "其他问题",
];

/// Where the 好差评 rating pad is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RatingPadAddress {
    /// The simulated pad (with `devices.simulated`), or none configured: screen only.
    Simulated,
    /// A serial pad speaking drivers/rating/PROTOCOL.md on this port.
    Serial(String),
    /// A pad that types keys like a USB keyboard (`devices.rating_keys`).
    Keyboard,
    /// No pad: the on-screen faces alone.
    None,
}

/// Where the 高拍仪 (document camera) is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScannerAddress {
    /// The simulated 5 Mpx camera (with `devices.simulated`, or `scanner = "sim"`).
    Simulated,
    /// A UVC camera found in sysfs: these `vvvv:pppp` ids first, then the driver's table of
    /// known models; never one of `exclude` (a face camera).
    Usb {
        /// USB ids of this terminal's camera, lower-case hex `vvvv:pppp`.
        ids: Vec<String>,
        /// USB ids never to take (the face camera many 一体机 also have).
        exclude: Vec<String>,
        /// Which edge of the camera frame is the top of a page lying the right way up for
        /// the citizen: `top`, `right`, `bottom` or `left`.
        page_top: String,
    },
    /// No 高拍仪: matters that must capture a material are sent to a window.
    None,
}

/// `scanner_page_top` values.
pub const PAGE_TOPS: [&str; 4] = ["top", "right", "bottom", "left"];

fn valid_usb_id(id: &str) -> bool {
    id.len() == 9
        && id.split_once(':').is_some_and(|(v, p)| {
            [v, p]
                .iter()
                .all(|h| h.len() == 4 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        })
}

/// Where the county backend is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum BackendMode {
    /// The reference backend inside the kiosk process, on loopback (demo, development).
    #[default]
    Embedded,
    /// The county's backend at `backend.url`.
    Remote,
}

/// The printer models `devices.printer_model` accepts; the app maps each to a printer profile.
pub const PRINTER_MODELS: [&str; 3] = ["80mm", "tm-t88", "58mm"];

/// Where the receipt printer is attached, from `devices.printer`.
///
/// Exists so a typo in the address is a config error at start, not a silent failure at the
/// first receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrinterAddress {
    /// `lp:/dev/usb/lp0`: the kernel's usblp device file.
    DeviceFile(String),
    /// `usb:0416:5011`: the usblp device file of the USB printer with this vendor and product.
    Usb {
        /// USB vendor id.
        vendor: u16,
        /// USB product id.
        product: u16,
    },
    /// `serial:/dev/ttyS1`: a serial port (hardware flow control).
    Serial(String),
    /// `tcp:192.168.1.50:9100`: a network printer's raw port.
    Tcp(String),
}

impl PrinterAddress {
    /// Parses `lp:PATH`, `usb:VID:PID` (hex), `serial:PATH` or `tcp:HOST:PORT`.
    pub fn parse(text: &str) -> Result<PrinterAddress, String> {
        let (scheme, rest) = text
            .split_once(':')
            .ok_or("应写成 lp:/dev/usb/lp0、usb:VID:PID、serial:/dev/ttyS1 或 tcp:主机:端口")?;
        if rest.is_empty() {
            return Err(format!("“{scheme}:” 后面缺少地址"));
        }
        match scheme {
            "lp" => Ok(PrinterAddress::DeviceFile(rest.into())),
            "serial" => Ok(PrinterAddress::Serial(rest.into())),
            "tcp" => match rest.rsplit_once(':') {
                Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => {
                    Ok(PrinterAddress::Tcp(rest.into()))
                }
                _ => Err("tcp: 地址应写成 主机:端口，例如 tcp:192.168.1.50:9100".into()),
            },
            "usb" => {
                let (v, p) = parse_usb_id(rest)
                    .ok_or("usb: 应写成四位十六进制的 厂商:产品，例如 usb:0416:5011")?;
                Ok(PrinterAddress::Usb {
                    vendor: v,
                    product: p,
                })
            }
            other => Err(format!(
                "不认识的打印机连接方式 “{other}”，应为 lp、usb、serial 或 tcp"
            )),
        }
    }
}

/// Parses `VVVV:PPPP` in hex, as `lsusb` prints it.
pub fn parse_usb_id(text: &str) -> Option<(u16, u16)> {
    let (v, p) = text.split_once(':')?;
    let hex = |s: &str| {
        (s.len() == 4)
            .then(|| u16::from_str_radix(s, 16).ok())
            .flatten()
    };
    Some((hex(v)?, hex(p)?))
}

/// A parsed but not yet cross-checked `kiosk.toml`.
pub struct ParsedTerminal {
    config: TerminalConfig,
    offered_spans: Vec<(MatterId, std::ops::Range<usize>, String)>,
    hot_spans: Vec<(MatterId, std::ops::Range<usize>, String)>,
    all_offered: bool,
    offer_span: std::ops::Range<usize>,
    file: String,
    text: String,
}

impl TerminalConfig {
    /// Parses `kiosk.toml`. Matter ids are checked later against the catalog with
    /// [`ParsedTerminal::resolve`].
    pub fn parse(text: &str, file: &str) -> Result<ParsedTerminal, ConfigErrors> {
        let src = SourceText::new(file, text);
        let raw: RawKiosk = toml::from_str(text).map_err(|e| src.toml_error(&e))?;
        let mut errors = Vec::new();
        for (name, value) in [
            ("terminal.id", &raw.terminal.id),
            ("terminal.name", &raw.terminal.name),
            ("terminal.county", &raw.terminal.county),
        ] {
            if value.get_ref().trim().is_empty() {
                errors.push(src.at(value.span(), name.into(), "不能为空"));
            }
        }
        let idle = raw
            .session
            .idle_timeout_secs
            .as_ref()
            .map_or(60, |v| *v.get_ref());
        if let Some(v) = &raw.session.idle_timeout_secs
            && !(15..=600).contains(v.get_ref())
        {
            errors.push(src.at(
                v.span(),
                "session.idle_timeout_secs".into(),
                "应在 15 到 600 秒之间",
            ));
        }
        let countdown = raw
            .session
            .countdown_secs
            .as_ref()
            .map_or(15, |v| *v.get_ref());
        if let Some(v) = &raw.session.countdown_secs
            && !(5..=60).contains(v.get_ref())
        {
            errors.push(src.at(
                v.span(),
                "session.countdown_secs".into(),
                "应在 5 到 60 秒之间",
            ));
        }
        let url = raw
            .guide
            .online_url
            .clone()
            .unwrap_or_else(|| "https://zwfw.example.gov.cn/guide/{id}".into());
        let mut offered_spans = Vec::new();
        let mut all_offered = false;
        let offer_span = raw.offer.matters.span();
        for (i, m) in raw.offer.matters.get_ref().iter().enumerate() {
            if m.get_ref() == "*" {
                all_offered = true;
            } else {
                offered_spans.push((
                    MatterId(m.get_ref().clone()),
                    m.span(),
                    format!("offer.matters[{i}]"),
                ));
            }
        }
        let mut hot_spans = Vec::new();
        for (i, m) in raw.offer.hot.iter().enumerate() {
            hot_spans.push((
                MatterId(m.get_ref().clone()),
                m.span(),
                format!("offer.hot[{i}]"),
            ));
        }
        let printer = match &raw.devices.printer {
            None => PrinterAddress::DeviceFile("/dev/usb/lp0".into()),
            Some(v) => match PrinterAddress::parse(v.get_ref()) {
                Ok(a) => a,
                Err(why) => {
                    errors.push(src.at(v.span(), "devices.printer".into(), why));
                    PrinterAddress::DeviceFile(String::new())
                }
            },
        };
        let printer_model = match &raw.devices.printer_model {
            None => PRINTER_MODELS[0].to_string(),
            Some(v) => {
                if !PRINTER_MODELS.contains(&v.get_ref().as_str()) {
                    errors.push(src.at(
                        v.span(),
                        "devices.printer_model".into(),
                        format!("应为 {} 之一", PRINTER_MODELS.join("、")),
                    ));
                }
                v.get_ref().clone()
            }
        };
        if raw.backend.mode == BackendMode::Remote {
            match &raw.backend.url {
                None => errors.push(src.at(
                    0..0,
                    "backend.url".into(),
                    "mode = \"remote\" 时必须填写县级后台地址",
                )),
                Some(u)
                    if !(u.get_ref().starts_with("https://")
                        || u.get_ref().starts_with("http://127.0.0.1")) =>
                {
                    errors.push(src.at(
                        u.span(),
                        "backend.url".into(),
                        "应以 https:// 开头（只有本机测试可用 http://127.0.0.1）",
                    ));
                }
                Some(_) => {}
            }
            if raw.backend.secret_file.is_none() {
                errors.push(src.at(
                    0..0,
                    "backend.secret_file".into(),
                    "mode = \"remote\" 时必须填写终端密钥文件",
                ));
            }
            // the terminal trusts the county CA it is given, not a public root store
            // (government CAs are often missing from it; deps.md §1 HTTPS row)
            if raw.backend.ca_file.is_none() {
                errors.push(src.at(
                    0..0,
                    "backend.ca_file".into(),
                    "mode = \"remote\" 时必须填写县级后台的 CA 证书文件",
                ));
            }
        }
        if let Some(v) = &raw.storage.audit_days
            && !(1..=3650).contains(v.get_ref())
        {
            errors.push(src.at(
                v.span(),
                "storage.audit_days".into(),
                "应在 1 到 3650 天之间",
            ));
        }
        let rating = rating_rules(&raw.rating, &src, &mut errors);
        let rating_pad = match raw
            .devices
            .rating_pad
            .as_ref()
            .map(|v| (v, v.get_ref().as_str()))
        {
            None if raw.devices.simulated => RatingPadAddress::Simulated,
            None | Some((_, "none")) => RatingPadAddress::None,
            Some((_, "keyboard")) => RatingPadAddress::Keyboard,
            Some((_, "sim")) => RatingPadAddress::Simulated,
            Some((_, port)) if port.starts_with("/dev/") => RatingPadAddress::Serial(port.into()),
            Some((v, _)) => {
                errors.push(src.at(
                    v.span(),
                    "devices.rating_pad".into(),
                    "应为串口（/dev/ttyUSB1 等）、\"keyboard\"、\"sim\" 或 \"none\"",
                ));
                RatingPadAddress::None
            }
        };
        let scanner = scanner_address(&raw.devices, &src, &mut errors);
        let rating_keys = match &raw.devices.rating_keys {
            None => ["F1", "F2", "F3", "F4", "F5"].map(String::from).to_vec(),
            Some(keys) => {
                let list = keys.get_ref();
                let unique: std::collections::HashSet<&String> = list.iter().collect();
                if list.len() != 5 || unique.len() != 5 {
                    errors.push(src.at(
                        keys.span(),
                        "devices.rating_keys".into(),
                        "应为 5 个互不相同的按键名，依次对应 非常满意 到 非常不满意",
                    ));
                }
                list.clone()
            }
        };
        let ops = ops_config(&raw.ops, &src, &mut errors);
        let maintenance = maintenance_config(&raw.maintenance, &src, &mut errors);
        if !errors.is_empty() {
            return Err(ConfigErrors(errors));
        }
        let config = TerminalConfig {
            id: raw.terminal.id.into_inner(),
            name: raw.terminal.name.into_inner(),
            county: raw.terminal.county.into_inner(),
            catalog_path: raw
                .terminal
                .catalog
                .unwrap_or_else(|| "matters.toml".into()),
            offered: Vec::new(),
            hot: hot_spans.iter().map(|(id, _, _)| id.clone()).collect(),
            idle_timeout_secs: idle,
            countdown_secs: countdown,
            orientation: raw.display.orientation,
            simulated_devices: raw.devices.simulated,
            idcard_port: raw.devices.idcard_port,
            idcard_baud: raw.devices.idcard_baud,
            idcard_photo_decoder: raw.devices.idcard_photo_decoder,
            printer,
            printer_model,
            printer_baud: raw.devices.printer_baud,
            hotline: raw.help.hotline.unwrap_or_else(|| "12345".into()),
            online_url: url,
            progress_url: raw
                .guide
                .progress_url
                .unwrap_or_else(|| "https://zwfw.example.gov.cn/progress?no={no}".into()),
            backend_mode: raw.backend.mode,
            backend_url: raw.backend.url.map(Spanned::into_inner),
            backend_secret_file: raw.backend.secret_file,
            backend_ca_file: raw.backend.ca_file,
            storage_dir: raw.storage.dir.unwrap_or_else(|| "/var/lib/kiosk".into()),
            audit_days: raw.storage.audit_days.map_or(90, Spanned::into_inner),
            rating,
            rating_pad,
            scanner,
            rating_keys,
            ops,
            maintenance,
        };
        Ok(ParsedTerminal {
            config,
            offered_spans,
            hot_spans,
            all_offered,
            offer_span,
            file: file.to_string(),
            text: text.to_string(),
        })
    }
}

impl ParsedTerminal {
    /// The catalog path named in the file.
    pub fn catalog_path(&self) -> &str {
        &self.config.catalog_path
    }

    /// Checks every offered and hot id against the catalog and fixes the offered list.
    pub fn resolve(self, catalog: &Catalog) -> Result<TerminalConfig, ConfigErrors> {
        let src = SourceText::new(&self.file, &self.text);
        let mut errors: Vec<ConfigError> = Vec::new();
        let mut offered = Vec::new();
        let mut seen = HashSet::new();
        for (id, span, field) in &self.offered_spans {
            if catalog.get(id).is_none() {
                errors.push(src.at(
                    span.clone(),
                    field.clone(),
                    format!("目录中没有事项 “{}”", id.as_str()),
                ));
            } else if !seen.insert(id.clone()) {
                errors.push(src.at(
                    span.clone(),
                    field.clone(),
                    format!("事项 “{}” 重复", id.as_str()),
                ));
            } else {
                offered.push(id.clone());
            }
        }
        if self.all_offered {
            for m in catalog.matters() {
                if seen.insert(m.id.clone()) {
                    offered.push(m.id.clone());
                }
            }
        }
        if offered.is_empty() && errors.is_empty() {
            errors.push(src.at(
                self.offer_span.clone(),
                "offer.matters".into(),
                "本终端没有提供任何事项",
            ));
        }
        let mut hot_seen = HashSet::new();
        for (id, span, field) in &self.hot_spans {
            if !hot_seen.insert(id) {
                errors.push(src.at(
                    span.clone(),
                    field.clone(),
                    format!("热门事项 “{}” 重复", id.as_str()),
                ));
            } else if catalog.get(id).is_none() {
                errors.push(src.at(
                    span.clone(),
                    field.clone(),
                    format!("目录中没有事项 “{}”", id.as_str()),
                ));
            } else if !seen.contains(id) {
                errors.push(src.at(
                    span.clone(),
                    field.clone(),
                    format!("热门事项 “{}” 不在本终端的事项清单中", id.as_str()),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(ConfigErrors(errors));
        }
        let mut config = self.config;
        config.offered = offered;
        Ok(config)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKiosk {
    terminal: RawTerminal,
    offer: RawOffer,
    #[serde(default)]
    session: RawSession,
    #[serde(default)]
    display: RawDisplay,
    #[serde(default)]
    devices: RawDevices,
    #[serde(default)]
    help: RawHelp,
    #[serde(default)]
    guide: RawGuideLinks,
    #[serde(default)]
    backend: RawBackend,
    #[serde(default)]
    storage: RawStorage,
    #[serde(default)]
    rating: RawRating,
    #[serde(default)]
    ops: RawOps,
    #[serde(default)]
    maintenance: RawMaintenance,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMaintenance {
    pin_hash: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOps {
    #[serde(default = "yes")]
    enabled: bool,
    listen: Option<Spanned<String>>,
    token_file: Option<Spanned<String>>,
}

impl Default for RawOps {
    fn default() -> Self {
        Self {
            enabled: true,
            listen: None,
            token_file: None,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRating {
    follow_up_days: Option<Spanned<u32>>,
    reasons: Option<Spanned<Vec<String>>>,
    online_url: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBackend {
    #[serde(default)]
    mode: BackendMode,
    url: Option<Spanned<String>>,
    secret_file: Option<String>,
    ca_file: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawStorage {
    dir: Option<String>,
    audit_days: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerminal {
    id: Spanned<String>,
    name: Spanned<String>,
    county: Spanned<String>,
    catalog: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffer {
    matters: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    hot: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSession {
    idle_timeout_secs: Option<Spanned<u32>>,
    countdown_secs: Option<Spanned<u32>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDisplay {
    #[serde(default)]
    orientation: Orientation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDevices {
    #[serde(default = "yes")]
    simulated: bool,
    #[serde(default = "default_idcard_port")]
    idcard_port: String,
    #[serde(default = "default_idcard_baud")]
    idcard_baud: u32,
    idcard_photo_decoder: Option<String>,
    printer: Option<Spanned<String>>,
    printer_model: Option<Spanned<String>>,
    #[serde(default = "default_printer_baud")]
    printer_baud: u32,
    rating_pad: Option<Spanned<String>>,
    rating_keys: Option<Spanned<Vec<String>>>,
    scanner: Option<Spanned<String>>,
    #[serde(default)]
    scanner_ids: Vec<Spanned<String>>,
    #[serde(default)]
    scanner_exclude: Vec<Spanned<String>>,
    scanner_page_top: Option<Spanned<String>>,
}

/// `devices.scanner`: `auto` (a UVC camera by id), `sim`, or `none`; by default the simulated
/// camera with simulated devices, else `auto`.
fn scanner_address(
    d: &RawDevices,
    src: &SourceText<'_>,
    errors: &mut Vec<ConfigError>,
) -> ScannerAddress {
    let mut ids = Vec::new();
    for (field, list) in [
        ("devices.scanner_ids", &d.scanner_ids),
        ("devices.scanner_exclude", &d.scanner_exclude),
    ] {
        let mut out = Vec::new();
        for id in list {
            if valid_usb_id(id.get_ref()) {
                out.push(id.get_ref().to_ascii_lowercase());
            } else {
                errors.push(src.at(
                    id.span(),
                    field.into(),
                    format!(
                        "“{}” 应写作 USB 厂商号:产品号，如 \"0c45:6366\"（lsusb 可查）",
                        id.get_ref()
                    ),
                ));
            }
        }
        ids.push(out);
    }
    let exclude = ids.pop().unwrap_or_default();
    let ids = ids.pop().unwrap_or_default();
    let page_top = match &d.scanner_page_top {
        None => "top".to_string(),
        Some(v) if PAGE_TOPS.contains(&v.get_ref().as_str()) => v.get_ref().clone(),
        Some(v) => {
            errors.push(src.at(
                v.span(),
                "devices.scanner_page_top".into(),
                "应为 \"top\"、\"right\"、\"bottom\" 或 \"left\"（画面哪一边是材料的上边）",
            ));
            "top".to_string()
        }
    };
    match d.scanner.as_ref().map(|v| (v, v.get_ref().as_str())) {
        None if d.simulated => ScannerAddress::Simulated,
        Some((_, "sim")) => ScannerAddress::Simulated,
        None | Some((_, "auto")) => ScannerAddress::Usb {
            ids,
            exclude,
            page_top,
        },
        Some((_, "none")) => ScannerAddress::None,
        Some((v, _)) => {
            errors.push(src.at(
                v.span(),
                "devices.scanner".into(),
                "应为 \"auto\"（按 USB 号查找高拍仪）、\"sim\" 或 \"none\"",
            ));
            ScannerAddress::None
        }
    }
}

fn default_printer_baud() -> u32 {
    9600
}

impl Default for RawDevices {
    fn default() -> Self {
        Self {
            simulated: true,
            idcard_port: default_idcard_port(),
            idcard_baud: default_idcard_baud(),
            idcard_photo_decoder: None,
            printer: None,
            printer_model: None,
            printer_baud: default_printer_baud(),
            rating_pad: None,
            rating_keys: None,
            scanner: None,
            scanner_ids: Vec::new(),
            scanner_exclude: Vec::new(),
            scanner_page_top: None,
        }
    }
}

fn default_idcard_port() -> String {
    "/dev/ttyUSB0".into()
}

fn default_idcard_baud() -> u32 {
    115_200
}

fn yes() -> bool {
    true
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHelp {
    hotline: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawGuideLinks {
    online_url: Option<String>,
    progress_url: Option<String>,
}

fn rating_rules(
    raw: &RawRating,
    src: &SourceText<'_>,
    errors: &mut Vec<ConfigError>,
) -> RatingRules {
    let follow_up_days = match &raw.follow_up_days {
        None => 5,
        Some(d) => {
            if !(1..=60).contains(d.get_ref()) {
                errors.push(src.at(
                    d.span(),
                    "rating.follow_up_days".into(),
                    "应在 1 到 60 个工作日之间（常见为 5 或 15）",
                ));
            }
            *d.get_ref()
        }
    };
    let reasons = match &raw.reasons {
        None => DEFAULT_RATING_REASONS.map(String::from).to_vec(),
        Some(r) => {
            let list = r.get_ref();
            if list.is_empty()
                || list.len() > 12
                || list
                    .iter()
                    .any(|x| x.trim().is_empty() || x.chars().count() > 16)
            {
                errors.push(src.at(
                    r.span(),
                    "rating.reasons".into(),
                    "应为 1 到 12 条原因，每条 1 到 16 个字",
                ));
            }
            list.clone()
        }
    };
    RatingRules {
        follow_up_days,
        reasons,
        online_url: raw
            .online_url
            .clone()
            .unwrap_or_else(|| "https://zwfw.example.gov.cn/rate?no={no}&code={code}".into()),
    }
}

fn maintenance_config(
    raw: &RawMaintenance,
    src: &SourceText<'_>,
    errors: &mut Vec<ConfigError>,
) -> MaintenanceConfig {
    let pin_hash = raw.pin_hash.as_ref().and_then(|v| {
        let hash = v.get_ref().trim();
        // the PHC string's shape only; the app parses it fully when the PIN is checked
        if hash.starts_with("$argon2id$") && hash.split('$').count() == 6 {
            Some(hash.to_string())
        } else {
            errors.push(src.at(
                v.span(),
                "maintenance.pin_hash".into(),
                "应是 argon2id 哈希（$argon2id$v=19$m=…,t=…,p=…$盐$哈希），用 kiosk hash-pin 生成；不要写密码本身",
            ));
            None
        }
    });
    MaintenanceConfig { pin_hash }
}

fn ops_config(raw: &RawOps, src: &SourceText<'_>, errors: &mut Vec<ConfigError>) -> OpsConfig {
    let default = std::net::SocketAddr::from(([127, 0, 0, 1], 9100));
    let listen = match &raw.listen {
        None => default,
        Some(v) => match v.get_ref().parse::<std::net::SocketAddr>() {
            Ok(a) => a,
            Err(_) => {
                errors.push(src.at(
                    v.span(),
                    "ops.listen".into(),
                    "应写成 IP:端口，例如 127.0.0.1:9100（只在本机可访问）",
                ));
                default
            }
        },
    };
    let token_file = raw.token_file.as_ref().map(|v| {
        if v.get_ref().trim().is_empty() {
            errors.push(src.at(
                v.span(),
                "ops.token_file".into(),
                "不能为空；不写时终端在 storage.dir 下自动生成 ops.token",
            ));
        }
        v.get_ref().clone()
    });
    OpsConfig {
        enabled: raw.enabled,
        listen,
        token_file,
    }
}
