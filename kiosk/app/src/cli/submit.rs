//! `kiosk submit --config KIOSK_TOML --matter MATTER_ID --person N --phone 11DIGITS --choice I
//! [--wait-drained SECS]`: a technician's and developer's tool that submits one sample
//! application through the kiosk's own outbox path.
//!
//! It starts the backend exactly as the kiosk does ([`BackendService::start`]: the outbox in
//! `storage.dir`, the background sender, the embedded or remote county), hands the
//! submission to [`BackendService::submit`] as the touch flow does after 确认提交, and waits
//! for the answer. The applicant is the n-th of the dev dock's sample people
//! ([`kiosk_core::samples::SAMPLE_PEOPLE`]), never a real person, and applies without a
//! guardian (so the county refuses 社会保障卡申领（未成年人）).
//!
//! It prints one line on stdout at the moment the kiosk would show its answer:
//! `accepted RECEIPT_NO submitted` (已提交, the county's 受理编号), `accepted RECEIPT_NO
//! queued` (已受理（网络恢复后自动上传）, the terminal's own number), or `refused REASON`.
//! No personal data is printed or logged; receipt numbers are not personal.
//!
//! Exit codes: 0 accepted (and, with `--wait-drained`, the outbox emptied in time); 3 the
//! outbox was not empty when `--wait-drained` ran out; 4 refused; 1 bad arguments or the
//! backend could not start.

use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use kiosk_core::catalog::{FlowKind, MatterId};
use kiosk_core::forms::{FormData, FormSpec};
use kiosk_core::samples::SAMPLE_PEOPLE;
use kiosk_core::session::{BackendFailure, BackendReply, RequestId};
use kiosk_core::setup::Setup;

use crate::backend::service::{Application, BackendService, CALL_TIMEOUT, DELIVERY_WAIT};

/// Exit code: `--wait-drained` ran out with items still in the outbox.
pub const EXIT_NOT_DRAINED: u8 = 3;
/// Exit code: the submission was refused.
pub const EXIT_REFUSED: u8 = 4;

/// How often the answer and the outbox depth are looked at.
const POLL: Duration = Duration::from_millis(10);

/// What to submit.
#[derive(Debug, Clone)]
pub struct Request {
    /// An apply matter this terminal offers.
    pub matter: String,
    /// Index into [`SAMPLE_PEOPLE`].
    pub person: usize,
    /// The contact phone (11 digits).
    pub phone: String,
    /// Index of the form's choice.
    pub choice: usize,
    /// After the answer, wait up to this long for the outbox to empty.
    pub wait_drained: Option<Duration>,
}

/// Submits `request` with the terminal of `setup`, prints the answer, returns the exit code.
pub fn run(setup: &Setup, request: &Request) -> ExitCode {
    match submit(setup, request) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("kiosk: {message}");
            ExitCode::FAILURE
        }
    }
}

fn submit(setup: &Setup, request: &Request) -> Result<ExitCode, String> {
    let matter_id = MatterId(request.matter.clone());
    let matter = setup
        .catalog
        .get(&matter_id)
        .ok_or_else(|| format!("事项 {} 不在目录中", request.matter))?;
    if !setup.terminal.offered.contains(&matter_id) {
        return Err(format!("本终端不提供事项 {}", request.matter));
    }
    let service = matter
        .service
        .filter(|s| matter.flow == FlowKind::Apply && s.flow() == FlowKind::Apply)
        .ok_or_else(|| format!("事项 {} 不能自助办理", request.matter))?;
    let spec = FormSpec::for_service(service)
        .ok_or_else(|| format!("事项 {} 没有申请表", request.matter))?;
    let person = SAMPLE_PEOPLE.get(request.person).ok_or_else(|| {
        format!(
            "--person 应为 0 到 {} 之间的示例人员序号",
            SAMPLE_PEOPLE.len() - 1
        )
    })?;
    let form = FormData {
        phone: request.phone.clone(),
        choice: Some(request.choice),
    };
    let errors = spec.validate(&form);
    if let Some(e) = errors.phone.or(errors.choice) {
        return Err(format!("申请表有误：{e}"));
    }
    let identity = person.identity();

    let backend = BackendService::start(setup)?;
    let id = RequestId { session: 1, seq: 1 };
    backend.submit(
        id,
        &Application {
            service,
            matter: &matter_id,
            identity: &identity,
            guardian: None,
            form: &form,
            pages: &[],
        },
    );
    let reply = wait_reply(&backend, id)?;
    let mut out = std::io::stdout();
    let line = match reply {
        BackendReply::Accepted(_, a) => {
            let how = if a.queued { "queued" } else { "submitted" };
            format!("accepted {} {how}", a.receipt_no)
        }
        BackendReply::Failed(_, BackendFailure::Rejected(reason)) => format!("refused {reason}"),
        BackendReply::Failed(_, BackendFailure::Unreachable) => "refused unreachable".into(),
        BackendReply::QueryResult(..) => return Err("县级系统的回答不是受理结果".into()),
    };
    let refused = line.starts_with("refused");
    writeln!(out, "{line}")
        .and_then(|()| out.flush())
        .map_err(|e| format!("stdout: {e}"))?;
    if refused {
        return Ok(ExitCode::from(EXIT_REFUSED));
    }
    let Some(wait) = request.wait_drained else {
        return Ok(ExitCode::SUCCESS);
    };
    let deadline = Instant::now() + wait;
    loop {
        let depth = backend.depth();
        if depth == 0 {
            eprintln!("kiosk: outbox drained");
            return Ok(ExitCode::SUCCESS);
        }
        if Instant::now() >= deadline {
            eprintln!("kiosk: {depth} item(s) still in the outbox");
            return Ok(ExitCode::from(EXIT_NOT_DRAINED));
        }
        std::thread::sleep(POLL);
    }
}

/// The answer to `id`. The service always answers, within [`DELIVERY_WAIT`] plus the calls in
/// progress (its own and the background sender's, which holds the outbox); the limit only
/// keeps a script from hanging if it ever does not.
fn wait_reply(backend: &BackendService, id: RequestId) -> Result<BackendReply, String> {
    let limit = Instant::now() + DELIVERY_WAIT + CALL_TIMEOUT * 4;
    loop {
        match backend.try_next() {
            Some(
                reply @ (BackendReply::Accepted(r, _)
                | BackendReply::Failed(r, _)
                | BackendReply::QueryResult(r, _)),
            ) if r == id => return Ok(reply),
            Some(_) => {}
            None if Instant::now() >= limit => return Err("后台服务没有回答".into()),
            None => std::thread::sleep(POLL),
        }
    }
}
