//! The backend as the controller sees it: queries answered on a thread, submissions
//! committed to the outbox first (durable) and then delivered in order, ratings queued the
//! same way, and a background sender that keeps draining the outbox. Answers come back as
//! [`BackendReply`] events through [`BackendService::try_next`].
//!
//! With `backend.mode = "embedded"` the reference county backend runs in-process on
//! loopback, with a terminal secret generated in the storage directory, so the kiosk runs
//! with no network.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use county::api::{ApplyService, Person, Submission, SuspendRequest};
use kiosk_core::catalog::{Catalog, MatterId, Service};
use kiosk_core::clock::BeijingTime;
use kiosk_core::forms::{FormData, FormSpec};
use kiosk_core::identity::Identity;
use kiosk_core::rating::RatingRecord;
use kiosk_core::session::{Acceptance, BackendFailure, BackendReply, RequestId};
use kiosk_core::setup::Setup;
use kiosk_core::terminal::BackendMode;
use outbox::files::AttachmentStore;
use outbox::{Attachment, NewItem, Outbox, SqliteOutbox};

use super::client::{CountyClient, fresh_nonce};
use super::progress;
use super::sender::{Delivery, REJECTED_PREFIX, send_next};

/// How long a submission waits for the county before the citizen is told
/// 已受理（网络恢复后自动上传）.
pub const DELIVERY_WAIT: Duration = Duration::from_secs(3);
/// How often the background sender looks at the outbox.
pub const SEND_INTERVAL: Duration = Duration::from_secs(5);
/// Timeout of one HTTP call.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(5);

type SharedOutbox = Arc<Mutex<Box<dyn Outbox>>>;

/// The running backend side of the kiosk.
pub struct BackendService {
    terminal: String,
    catalog: Arc<Catalog>,
    client: Arc<CountyClient>,
    outbox: SharedOutbox,
    files: AttachmentStore,
    replies: Receiver<BackendReply>,
    reply_tx: Sender<BackendReply>,
    offline: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    /// Unix seconds the background sender last began a round (the watchdog reads it).
    sender_beat: Arc<std::sync::atomic::AtomicI64>,
    embedded: Option<county::Running>,
}

impl std::fmt::Debug for BackendService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackendService")
            .field("terminal", &self.terminal)
            .field("embedded", &self.embedded.as_ref().map(|r| r.addr))
            .finish_non_exhaustive()
    }
}

impl Drop for BackendService {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// This terminal's secret in `path` (hex), created (random, 0600) when missing.
fn secret_in(path: &Path, create: bool) -> Result<Vec<u8>, String> {
    if create && !path.exists() {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| format!("no randomness: {e}"))?;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        f.write_all(county::signing::hex(&key).as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    county::signing::decode_hex(text.trim())
        .filter(|k| k.len() >= 16)
        .ok_or_else(|| {
            format!(
                "{}: the secret must be at least 32 hex digits",
                path.display()
            )
        })
}

impl BackendService {
    /// Opens the outbox in the storage directory, starts the embedded backend when
    /// configured, and starts the background sender.
    pub fn start(setup: &Setup) -> Result<BackendService, String> {
        let t = &setup.terminal;
        let storage = Path::new(&t.storage_dir);
        std::fs::create_dir_all(storage).map_err(|e| format!("{}: {e}", storage.display()))?;
        let outbox_dir = storage.join("outbox");
        let opened = SqliteOutbox::open(&outbox_dir).map_err(|e| e.to_string())?;
        let files = AttachmentStore::open_sealed(
            &outbox_dir.join("attachments"),
            &outbox_dir.join("outbox.key"),
        )
        .map_err(|e| e.to_string())?;
        let (client, embedded) = match t.backend_mode {
            BackendMode::Embedded => {
                let secret = secret_in(&storage.join("terminal.secret"), true)?;
                let mut config = county::CountyConfig::from_catalog(
                    &setup.catalog,
                    std::collections::HashMap::from([(t.id.clone(), secret.clone())]),
                );
                config.follow_up_days = t.rating.follow_up_days;
                let county =
                    county::County::open(&storage.join("county"), config, county::system_clock())
                        .map_err(|e| format!("embedded backend: {e}"))?;
                let running = county::spawn("127.0.0.1:0", county)
                    .map_err(|e| format!("embedded backend: {e}"))?;
                let client = CountyClient::new(
                    &format!("http://{}", running.addr),
                    &t.id,
                    &secret,
                    None,
                    CALL_TIMEOUT,
                )?;
                (client, Some(running))
            }
            BackendMode::Remote => {
                let url = t.backend_url.as_deref().ok_or("backend.url is missing")?;
                let secret_file = t
                    .backend_secret_file
                    .as_deref()
                    .ok_or("backend.secret_file is missing")?;
                let secret = secret_in(Path::new(secret_file), false)?;
                let ca = match &t.backend_ca_file {
                    Some(p) => Some(std::fs::read(p).map_err(|e| format!("{p}: {e}"))?),
                    None => None,
                };
                (
                    CountyClient::new(url, &t.id, &secret, ca.as_deref(), CALL_TIMEOUT)?,
                    None,
                )
            }
        };
        let (reply_tx, replies) = channel();
        let service = BackendService {
            terminal: t.id.clone(),
            catalog: Arc::new(setup.catalog.clone()),
            client: Arc::new(client),
            outbox: Arc::new(Mutex::new(Box::new(opened))),
            files,
            replies,
            reply_tx,
            offline: Arc::new(AtomicBool::new(false)),
            stop: Arc::new(AtomicBool::new(false)),
            embedded,
            sender_beat: Arc::new(std::sync::atomic::AtomicI64::new(
                county::signing::unix_now(),
            )),
        };
        service.start_sender(i64::from(t.audit_days) * 86_400);
        Ok(service)
    }

    fn start_sender(&self, audit_secs: i64) {
        let (outbox, files, client, offline, stop) = (
            self.outbox.clone(),
            self.files.clone(),
            self.client.clone(),
            self.offline.clone(),
            self.stop.clone(),
        );
        let beat = self.sender_beat.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                beat.store(county::signing::unix_now(), Ordering::Relaxed);
                if !offline.load(Ordering::Relaxed) {
                    drain(&outbox, &files, &client, None);
                    if let Ok(mut o) = outbox.lock() {
                        let _ = o.purge_audit(county::signing::unix_now() - audit_secs);
                    }
                }
                std::thread::sleep(SEND_INTERVAL);
            }
        });
    }

    /// Pretends the network is down (tests, the dev dock): queries fail as unreachable,
    /// submissions stay queued.
    pub fn set_offline(&self, offline: bool) {
        self.offline.store(offline, Ordering::Relaxed);
    }

    /// Seconds since the background sender last began a round: a few seconds normally
    /// ([`SEND_INTERVAL`] plus one round's calls), growing if it hangs.
    pub fn sender_idle_secs(&self) -> i64 {
        county::signing::unix_now() - self.sender_beat.load(Ordering::Relaxed)
    }

    /// Submissions waiting to be delivered.
    pub fn depth(&self) -> u64 {
        self.outbox
            .lock()
            .ok()
            .and_then(|mut o| o.depth().ok())
            .unwrap_or(0)
    }

    /// A handle on the outbox and the client for the health endpoint, which reads them from
    /// its own thread, never from the UI thread.
    pub fn probe(&self) -> BackendProbe {
        BackendProbe {
            outbox: self.outbox.clone(),
            client: self.client.clone(),
        }
    }

    /// 立即重试 (maintenance menu): on a thread of its own, sends every waiting item now,
    /// even those whose retry is not due, until the outbox is empty or the county stops
    /// answering. A failure is counted and rescheduled as any other.
    pub fn retry_now(&self) {
        let (outbox, files, client) =
            (self.outbox.clone(), self.files.clone(), self.client.clone());
        std::thread::spawn(move || {
            loop {
                let step = {
                    let Ok(mut o) = outbox.lock() else {
                        return;
                    };
                    send_next(
                        o.as_mut(),
                        &files,
                        &client,
                        county::signing::unix_now(),
                        true,
                    )
                };
                match step {
                    Ok(Some(Delivery::Deferred { .. })) | Ok(None) => return,
                    Ok(Some(_)) => {}
                    Err(e) => {
                        eprintln!("kiosk: outbox: {e}");
                        return;
                    }
                }
            }
        });
    }

    /// 检测连接 (maintenance menu): on a thread of its own, sends the county a heartbeat and
    /// reports how long the answer took, or why none came.
    pub fn probe_county(
        &self,
        heartbeat: county::api::Heartbeat,
    ) -> Receiver<Result<ProbeAnswer, String>> {
        let (tx, rx) = channel();
        let client = self.client.clone();
        std::thread::spawn(move || {
            let started = Instant::now();
            let answer = serde_json::to_vec(&heartbeat)
                .map_err(|e| e.to_string())
                .and_then(|body| {
                    client
                        .call("POST", "/v1/heartbeat", "application/json", &body, None)
                        .map_err(|e| e.to_string())
                })
                .and_then(|a| {
                    if a.status == 200 {
                        serde_json::from_str::<county::api::HeartbeatAck>(&a.body)
                            .map_err(|e| format!("答复无法解析：{e}"))
                    } else {
                        Err(format!("县级后台答复 HTTP {}", a.status))
                    }
                })
                .map(|ack| ProbeAnswer {
                    millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
                    catalog_version: ack.catalog_version,
                    server_time: ack.server_time,
                });
            let _ = tx.send(answer);
        });
        rx
    }

    /// The next answer for the session, if one is waiting.
    pub fn try_next(&self) -> Option<BackendReply> {
        self.replies.try_recv().ok()
    }

    /// Runs a query on a thread; the answer comes through [`BackendService::try_next`].
    pub fn query(&self, request: RequestId, service: Service, identity: Identity) {
        let (client, tx, offline, catalog) = (
            self.client.clone(),
            self.reply_tx.clone(),
            self.offline.clone(),
            self.catalog.clone(),
        );
        std::thread::spawn(move || {
            let answer = if offline.load(Ordering::Relaxed) {
                Err(BackendFailure::Unreachable)
            } else if service == Service::ProgressLookup {
                client
                    .progress_of(&identity)
                    .map(|cases| progress::outcome(&cases, &catalog))
            } else {
                client.query(service, &identity)
            };
            let _ = tx.send(match answer {
                Ok(outcome) => BackendReply::QueryResult(request, outcome),
                Err(f) => BackendReply::Failed(request, f),
            });
        });
    }

    /// 进度查询 by 受理编号 on a thread. A number still waiting in this terminal's outbox is
    /// answered from here, with or without the network.
    pub fn progress(&self, request: RequestId, receipt_no: String) {
        let (client, tx, offline, catalog, outbox) = (
            self.client.clone(),
            self.reply_tx.clone(),
            self.offline.clone(),
            self.catalog.clone(),
            self.outbox.clone(),
        );
        std::thread::spawn(move || {
            let pending = outbox
                .lock()
                .ok()
                .and_then(|mut o| o.is_pending(&receipt_no).ok())
                .unwrap_or(false);
            let answer = if pending {
                Ok(Some(progress::waiting_in_outbox(&receipt_no)))
            } else if offline.load(Ordering::Relaxed) {
                Err(BackendFailure::Unreachable)
            } else {
                client
                    .progress(&receipt_no)
                    .map(|p| p.map(|p| progress::outcome(&[p], &catalog)))
            };
            let _ = tx.send(match answer {
                Ok(Some(outcome)) => BackendReply::QueryResult(request, outcome),
                Ok(None) => BackendReply::Failed(
                    request,
                    BackendFailure::Rejected(format!(
                        "没有查到受理编号为 {receipt_no} 的办件。请核对回执上的编号，或到人工窗口咨询。"
                    )),
                ),
                Err(f) => BackendReply::Failed(request, f),
            });
        });
    }

    /// Commits a submission to the outbox, then tries to deliver it for up to
    /// [`DELIVERY_WAIT`]. The answer says 已提交 with the county's 受理编号, or
    /// 已受理（网络恢复后自动上传） with this terminal's number when the county did not answer.
    pub fn submit(&self, request: RequestId, application: &Application<'_>) {
        let tx = self.reply_tx.clone();
        let service = application.service;
        let key = match self.enqueue_submission(application) {
            Ok(k) => k,
            Err(why) => {
                eprintln!("kiosk: outbox: {why}");
                let _ = tx.send(BackendReply::Failed(
                    request,
                    BackendFailure::Rejected("本终端暂时无法保存办件，请到人工窗口办理。".into()),
                ));
                return;
            }
        };
        let (outbox, files, client, offline) = (
            self.outbox.clone(),
            self.files.clone(),
            self.client.clone(),
            self.offline.clone(),
        );
        std::thread::spawn(move || {
            let queued = BackendReply::Accepted(
                request,
                Acceptance {
                    receipt_no: key.clone(),
                    queued: true,
                },
            );
            if offline.load(Ordering::Relaxed) {
                let _ = tx.send(queued);
                return;
            }
            let reply = match drain(
                &outbox,
                &files,
                &client,
                Some((&key, Instant::now() + DELIVERY_WAIT)),
            ) {
                Some(Delivery::Delivered { receipt_no, .. }) => BackendReply::Accepted(
                    request,
                    Acceptance {
                        receipt_no,
                        queued: false,
                    },
                ),
                Some(Delivery::Rejected { code, .. }) => BackendReply::Failed(
                    request,
                    BackendFailure::Rejected(rejection_text(service, &code)),
                ),
                _ => queued,
            };
            let _ = tx.send(reply);
        });
    }

    fn enqueue_submission(&self, application: &Application<'_>) -> Result<String, String> {
        let Application {
            service,
            matter,
            identity,
            guardian,
            form,
            pages,
        } = *application;
        // the pages' files first, durably: a queued item never names a file that is not there
        let (references, attachments) = self.store_pages(pages)?;
        let person_of = |i: &Identity| Person {
            id_number: i.id_number.reveal().to_string(),
            name: i.name.reveal().to_string(),
        };
        let person = person_of(identity);
        let choice = FormSpec::for_service(service)
            .and_then(|spec| form.choice.and_then(|i| spec.choices.get(i).copied()))
            .unwrap_or_default()
            .to_string();
        let now = county::signing::unix_now();
        let (kind, body) = match service {
            Service::CardSuspend => (
                "/v1/social-card/suspend",
                serde_json::to_vec(&SuspendRequest {
                    person,
                    reason: choice,
                }),
            ),
            _ => {
                let service = match service {
                    Service::CardApplyAdult => ApplyService::CardApplyAdult,
                    Service::CardApplyMinor => ApplyService::CardApplyMinor,
                    Service::CardReplace => ApplyService::CardReplace,
                    Service::PensionEnrolment => ApplyService::PensionEnrolment,
                    Service::MedicalEnrolment => ApplyService::MedicalEnrolment,
                    _ => return Err("not an application".into()),
                };
                (
                    "/v1/submissions",
                    serde_json::to_vec(&Submission {
                        service,
                        matter_id: matter.as_str().to_string(),
                        applicant: person,
                        guardian: guardian.map(person_of),
                        phone: form.phone.clone(),
                        choice,
                        attachments: references,
                        submitted_at: Some(now),
                    }),
                )
            }
        };
        let body = body.map_err(|e| e.to_string())?;
        // the terminal's own number: printed on a receipt while the county cannot be reached
        let date = BeijingTime::from_unix(now).iso_date().replace('-', "");
        let nonce = fresh_nonce().map_err(|e| e.to_string())?;
        let key = format!("{}-{date}-{}", self.terminal, &nonce[..8]).to_uppercase();
        let mut o = self
            .outbox
            .lock()
            .map_err(|_| "outbox lock poisoned".to_string())?;
        o.enqueue(
            NewItem {
                key: key.clone(),
                kind: kind.into(),
                body,
                attachments,
            },
            now,
        )
        .map_err(|e| e.to_string())?;
        Ok(key)
    }

    /// Writes each distinct page once to the attachment store; returns the submission's
    /// references (one per page, with its material and number) and the outbox item's
    /// attachments (one per distinct file, so each is uploaded once).
    fn store_pages(
        &self,
        pages: &[SubmittedPage],
    ) -> Result<(Vec<county::api::AttachmentRef>, Vec<Attachment>), String> {
        let mut references = Vec::new();
        let mut files: Vec<Attachment> = Vec::new();
        for p in pages {
            let sha256 = self.files.put(&p.jpeg).map_err(|e| e.to_string())?;
            references.push(county::api::AttachmentRef {
                sha256: sha256.clone(),
                media_type: JPEG.into(),
                size: p.jpeg.len() as u64,
                material: Some(p.material.clone()),
                page: Some(p.page),
            });
            if !files.iter().any(|f| f.sha256 == sha256) {
                files.push(Attachment {
                    sha256,
                    media_type: JPEG.into(),
                });
            }
        }
        Ok((references, files))
    }

    /// Queues a 好差评 rating, tied to its 办件, for delivery. Only a 差评 whose rater agreed to a
    /// 回访 carries personal data (the callback number); the outbox seals it like a submission.
    pub fn rate(&self, record: &RatingRecord) {
        let body = serde_json::to_vec(&county::api::Rating {
            matter_id: record.matter.as_str().to_string(),
            receipt_no: record.case_ref.clone(),
            level: record.level as u8,
            reasons: record.reasons.clone(),
            channel: county::api::SELF_SERVICE_CHANNEL.into(),
            rated_at: Some(county::signing::unix_now()),
            comment: None,
            callback_phone: record
                .callback_phone
                .as_ref()
                .map(|p| p.reveal().to_string()),
        });
        let (Ok(body), Ok(nonce)) = (body, fresh_nonce()) else {
            return;
        };
        if let Ok(mut o) = self.outbox.lock() {
            let item = NewItem {
                key: format!("{}-RATING-{nonce}", self.terminal),
                kind: "/v1/ratings".into(),
                body,
                attachments: Vec::new(),
            };
            if let Err(e) = o.enqueue(item, county::signing::unix_now()) {
                eprintln!("kiosk: outbox: rating not queued: {e}");
                return;
            }
        }
        // send it now rather than at the next round of the background sender
        if !self.offline.load(Ordering::Relaxed) {
            let (outbox, files, client) =
                (self.outbox.clone(), self.files.clone(), self.client.clone());
            std::thread::spawn(move || drain(&outbox, &files, &client, None));
        }
    }
}

/// One application as the citizen confirmed it: what [`BackendService::submit`] commits.
#[derive(Debug, Clone, Copy)]
pub struct Application<'a> {
    /// The self-service application.
    pub service: Service,
    /// The catalog matter it was made under.
    pub matter: &'a MatterId,
    /// The applicant (the minor, for a minor's card).
    pub identity: &'a Identity,
    /// The guardian, for a minor's card.
    pub guardian: Option<&'a Identity>,
    /// The form's phone and choice.
    pub form: &'a FormData,
    /// The captured pages of the 申请材料, in the order of the materials.
    pub pages: &'a [SubmittedPage],
}

/// The media type of a captured page.
const JPEG: &str = "image/jpeg";

/// A captured page as a submission carries it.
#[derive(Clone)]
pub struct SubmittedPage {
    /// The 申请材料 it is a page of.
    pub material: String,
    /// Its number within the material, from 1.
    pub page: u32,
    /// The page's JPEG.
    pub jpeg: Arc<Vec<u8>>,
}

impl std::fmt::Debug for SubmittedPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // never the picture: it is a citizen's document
        write!(
            f,
            "SubmittedPage({} p{}, {} bytes)",
            self.material,
            self.page,
            self.jpeg.len()
        )
    }
}

/// What 检测连接 learned from the county.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeAnswer {
    /// Round trip, milliseconds.
    pub millis: u64,
    /// The catalog version the county says the terminal should have.
    pub catalog_version: String,
    /// The county's clock (Unix seconds), to spot a terminal clock that drifted.
    pub server_time: i64,
}

/// What the health endpoint may read of the backend side: the outbox's depth and age and
/// when the county last answered. Nothing personal is reachable through it.
#[derive(Clone)]
pub struct BackendProbe {
    outbox: SharedOutbox,
    client: Arc<CountyClient>,
}

impl std::fmt::Debug for BackendProbe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BackendProbe")
    }
}

/// One reading of the outbox (`None` fields: it could not be read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutboxReading {
    /// Items waiting.
    pub depth: Option<u64>,
    /// Unix seconds the oldest waiting item was enqueued; `None` when empty or unreadable.
    pub oldest_created: Option<i64>,
}

impl BackendProbe {
    /// Reads the outbox. Blocks while the sender holds it (up to one HTTP call), so the
    /// endpoint calls it from a sampling thread, not from a request.
    pub fn read_outbox(&self) -> OutboxReading {
        let Ok(mut o) = self.outbox.lock() else {
            return OutboxReading::default();
        };
        OutboxReading {
            depth: o.depth().ok(),
            oldest_created: o.oldest_created().ok().flatten(),
        }
    }

    /// When the county last answered (Unix seconds), if ever since start.
    pub fn last_contact(&self) -> Option<i64> {
        self.client.last_contact()
    }
}

fn rejection_text(service: Service, code: &str) -> String {
    match (service, code) {
        (_, "not_found") => "没有查到您的参保或持卡记录，请到人工窗口咨询。".into(),
        (Service::CardApplyMinor, "invalid_field") => {
            "未成年人申领社保卡，申领人应未满16周岁，并由年满18周岁的监护人办理。请核对后重试，或到人工窗口办理。"
                .into()
        }
        (Service::CardApplyAdult, "invalid_field") => {
            "未满16周岁的，请选择“社会保障卡申领（未成年人）”，由监护人陪同办理。".into()
        }
        _ => "县级系统未能受理本次申请，请到人工窗口咨询。".into(),
    }
}

/// Sends due items oldest first. With a target `(key, deadline)`: stops when that key is
/// delivered or rejected, when a send is deferred (the county is unreachable), or at the
/// deadline; returns what happened to the target. Without: until nothing is due.
fn drain(
    outbox: &SharedOutbox,
    files: &AttachmentStore,
    client: &CountyClient,
    target: Option<(&str, Instant)>,
) -> Option<Delivery> {
    loop {
        if target.is_some_and(|(_, deadline)| Instant::now() >= deadline) {
            return None;
        }
        let step = {
            let Ok(mut o) = outbox.lock() else {
                return None;
            };
            // the background sender may have sent the target already: its audit row says how
            if let Some((key, _)) = target
                && let Ok(Some(row)) = o.audit(key)
            {
                return Some(match row.receipt_no.strip_prefix(REJECTED_PREFIX) {
                    Some(code) => Delivery::Rejected {
                        key: row.key,
                        code: code.to_string(),
                    },
                    None => Delivery::Delivered {
                        key: row.key,
                        receipt_no: row.receipt_no,
                    },
                });
            }
            send_next(
                o.as_mut(),
                files,
                client,
                county::signing::unix_now(),
                target.is_some(),
            )
        };
        match step {
            Ok(Some(d @ Delivery::Deferred { .. })) => return target.map(|_| d),
            Ok(Some(d)) => {
                let key = match &d {
                    Delivery::Delivered { key, .. } | Delivery::Rejected { key, .. } => key.clone(),
                    Delivery::Deferred { key, .. } => key.clone(),
                };
                if target.is_some_and(|(k, _)| k == key) {
                    return Some(d);
                }
            }
            Ok(None) => return None,
            Err(e) => {
                eprintln!("kiosk: outbox: {e}");
                return None;
            }
        }
    }
}
