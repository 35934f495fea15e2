//! The county API client: every request signed (`county::signing`), over HTTPS with the
//! county CA pinned when one is configured (plain HTTP only for the embedded backend on
//! loopback), with a timeout. Blocking: it runs on the outbox sender's and the query threads.

use std::time::Duration;

use county::api::{Cases, PersonRequest, Progress, QueryResult};
use county::signing::{self, header};
use kiosk_core::catalog::Service;
use kiosk_core::identity::Identity;
use kiosk_core::session::{BackendFailure, CertificateMark, QueryOutcome};

/// A county answer: status, body, and whether it is the stored answer to a repeated key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: String,
    /// `Idempotent-Replayed: true`.
    pub replayed: bool,
}

/// Why a call did not get an answer. Messages carry no request data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// No connection, timeout, TLS failure: try again later.
    #[error("county unreachable: {0}")]
    Unreachable(String),
}

/// The JSON body naming the person on the card (the only place the clear name and number go).
fn person_body(identity: &Identity) -> Result<Vec<u8>, BackendFailure> {
    serde_json::to_vec(&PersonRequest {
        person: county::api::Person {
            id_number: identity.id_number.reveal().to_string(),
            name: identity.name.reveal().to_string(),
        },
    })
    .map_err(|_| BackendFailure::Unreachable)
}

/// The client of one terminal.
pub struct CountyClient {
    agent: ureq::Agent,
    base: String,
    terminal: String,
    secret: Vec<u8>,
    /// Unix seconds of the county's last answer of any status (0: none yet), for the health
    /// endpoint's "last backend contact".
    last_contact: std::sync::atomic::AtomicI64,
}

impl std::fmt::Debug for CountyClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CountyClient")
            .field("base", &self.base)
            .field("terminal", &self.terminal)
            .finish_non_exhaustive()
    }
}

/// 16 random bytes as 32 hex digits.
pub fn fresh_nonce() -> Result<String, CallError> {
    let mut n = [0u8; 16];
    getrandom::fill(&mut n).map_err(|e| CallError::Unreachable(format!("no randomness: {e}")))?;
    Ok(signing::hex(&n))
}

impl CountyClient {
    /// A client for the county at `base` (e.g. `https://county.example.gov.cn`), signing as
    /// `terminal` with `secret`. `ca_pem`: the county CA to trust instead of the built-in
    /// roots (Chinese government CAs are often missing from them).
    pub fn new(
        base: &str,
        terminal: &str,
        secret: &[u8],
        ca_pem: Option<&[u8]>,
        timeout: Duration,
    ) -> Result<CountyClient, String> {
        let mut config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false);
        if let Some(pem) = ca_pem {
            let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(pem)
                .filter_map(|item| match item {
                    Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect();
            if certs.is_empty() {
                return Err("the CA file holds no certificate".into());
            }
            config = config.tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(ureq::tls::RootCerts::from(certs))
                    .build(),
            );
        }
        Ok(CountyClient {
            agent: config.build().new_agent(),
            base: base.trim_end_matches('/').to_string(),
            terminal: terminal.to_string(),
            secret: secret.to_vec(),
            last_contact: std::sync::atomic::AtomicI64::new(0),
        })
    }

    /// When the county last answered this client (Unix seconds, any HTTP status), if ever.
    pub fn last_contact(&self) -> Option<i64> {
        Some(self.last_contact.load(std::sync::atomic::Ordering::Relaxed)).filter(|t| *t > 0)
    }

    /// One signed request.
    pub fn call(
        &self,
        method: &str,
        path: &str,
        content_type: &str,
        body: &[u8],
        idempotency_key: Option<&str>,
    ) -> Result<Answer, CallError> {
        let now = county::signing::unix_now();
        let nonce = fresh_nonce()?;
        let sig = signing::sign(&self.secret, method, path, now, &nonce, body);
        let url = format!("{}{path}", self.base);
        let unreachable = |e: ureq::Error| CallError::Unreachable(e.to_string());
        let mut resp = match method {
            "GET" => {
                let mut r = self.agent.get(&url);
                r = r
                    .header(header::TERMINAL, &self.terminal)
                    .header(header::TIMESTAMP, &now.to_string())
                    .header(header::NONCE, &nonce)
                    .header(header::SIGNATURE, &sig);
                r.call().map_err(unreachable)?
            }
            _ => {
                let mut r = match method {
                    "PUT" => self.agent.put(&url),
                    _ => self.agent.post(&url),
                };
                r = r
                    .header(header::TERMINAL, &self.terminal)
                    .header(header::TIMESTAMP, &now.to_string())
                    .header(header::NONCE, &nonce)
                    .header(header::SIGNATURE, &sig)
                    .content_type(content_type);
                if let Some(k) = idempotency_key {
                    r = r.header(header::IDEMPOTENCY_KEY, k);
                }
                r.send(body).map_err(unreachable)?
            }
        };
        let status = resp.status().as_u16();
        self.last_contact
            .store(now, std::sync::atomic::Ordering::Relaxed);
        let replayed = resp
            .headers()
            .get(header::REPLAYED)
            .is_some_and(|v| v.as_bytes() == b"true");
        let body = resp
            .body_mut()
            .with_config()
            .limit(1 << 20)
            .read_to_string()
            .map_err(unreachable)?;
        Ok(Answer {
            status,
            body,
            replayed,
        })
    }

    /// A query for the person on the card, as the session wants it.
    pub fn query(
        &self,
        service: Service,
        identity: &Identity,
    ) -> Result<QueryOutcome, BackendFailure> {
        let path = match service {
            Service::PensionSummary => "/v1/pension/summary",
            Service::RightsRecord => "/v1/pension/rights-record",
            Service::InsuranceCertificate => "/v1/insurance/certificate",
            Service::InsuranceInfo => "/v1/insurance/info",
            _ => return Err(BackendFailure::Rejected("这不是查询事项".into())),
        };
        let body = person_body(identity)?;
        let answer = self
            .call("POST", path, "application/json", &body, None)
            .map_err(|_| BackendFailure::Unreachable)?;
        match answer.status {
            200 => {
                let r: QueryResult =
                    serde_json::from_str(&answer.body).map_err(|_| BackendFailure::Unreachable)?;
                Ok(QueryOutcome {
                    title: r.title,
                    rows: r
                        .rows
                        .into_iter()
                        .map(|row| (row.label, row.value))
                        .collect(),
                    note: r.note,
                    certificate: r.certificate.map(|c| CertificateMark {
                        number: c.certificate_no,
                        code: c.verification_code,
                        verify_url: c.verify_url,
                    }),
                })
            }
            404 => Err(BackendFailure::Rejected(
                "没有查到您的参保记录。请确认是否在本县参保，或到人工窗口咨询。".into(),
            )),
            // 401 (clock or key), 5xx: the county cannot answer now
            _ => Err(BackendFailure::Unreachable),
        }
    }

    /// 进度查询 by 受理编号: `Ok(None)` when the county has no such case.
    pub fn progress(&self, receipt_no: &str) -> Result<Option<Progress>, BackendFailure> {
        // the path carries the number: only the characters the keyboard can type go out
        if receipt_no.is_empty()
            || !receipt_no
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Ok(None);
        }
        let answer = self
            .call(
                "GET",
                &format!("/v1/progress/{receipt_no}"),
                "application/json",
                b"",
                None,
            )
            .map_err(|_| BackendFailure::Unreachable)?;
        match answer.status {
            200 => serde_json::from_str(&answer.body)
                .map(Some)
                .map_err(|_| BackendFailure::Unreachable),
            404 => Ok(None),
            _ => Err(BackendFailure::Unreachable),
        }
    }

    /// 进度查询 by ID card: every case of the person on the card, newest first.
    pub fn progress_of(&self, identity: &Identity) -> Result<Vec<Progress>, BackendFailure> {
        let body = person_body(identity)?;
        let answer = self
            .call(
                "POST",
                "/v1/progress/lookup",
                "application/json",
                &body,
                None,
            )
            .map_err(|_| BackendFailure::Unreachable)?;
        match answer.status {
            200 => serde_json::from_str::<Cases>(&answer.body)
                .map(|c| c.cases)
                .map_err(|_| BackendFailure::Unreachable),
            _ => Err(BackendFailure::Unreachable),
        }
    }
}
