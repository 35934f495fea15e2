//! The kiosk's county client and outbox sender against the reference backend over loopback
//! HTTP: a query for a seeded citizen; backend down → queued → backend up → delivered exactly
//! once; a crash after delivery but before acknowledgement re-sends and still makes one case;
//! a refusal ends the item instead of retrying it forever.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::time::Duration;

use county::{County, CountyConfig};
use kiosk_app::backend::client::CountyClient;
use kiosk_app::backend::sender::{Delivery, send_next, send_one};
use kiosk_core::catalog::Service;
use outbox::files::AttachmentStore;
use outbox::{Attachment, NewItem, Outbox, SqliteOutbox};

const TERMINAL: &str = "MD-MDJD-001";
const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

fn dir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("kiosk-backend-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn county_on(addr: &str, data: &std::path::Path) -> county::Running {
    let setup = common::demo_setup();
    let config = CountyConfig::from_catalog(
        &setup.catalog,
        HashMap::from([(TERMINAL.to_string(), SECRET.to_vec())]),
    );
    let c = County::open(data, config, county::system_clock()).unwrap();
    county::spawn(addr, c).unwrap()
}

fn client(addr: &str) -> CountyClient {
    CountyClient::new(
        &format!("http://{addr}"),
        TERMINAL,
        SECRET,
        None,
        Duration::from_secs(2),
    )
    .unwrap()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn submission(i: usize) -> NewItem {
    let c = &county::seed::citizens()[i];
    NewItem {
        key: format!("MD-MDJD-001-test-{i:08}"),
        kind: "/v1/submissions".into(),
        body: format!(
            r#"{{"service":"medical-enrolment","matter_id":"yibao-cxjm-canbao-dengji","applicant":{{"id_number":"{}","name":"{}"}},"phone":"13912345678","choice":"普通城乡居民","attachments":[]}}"#,
            c.id_number, c.name
        )
        .into_bytes(),
        attachments: Vec::new(),
    }
}

#[test]
fn a_query_for_a_dock_person_comes_back_as_the_session_wants_it() {
    let data = dir("query");
    let running = county_on("127.0.0.1:0", &data);
    let c = client(&running.addr.to_string());
    let person = kiosk_core::samples::SAMPLE_PEOPLE[0].identity();
    let outcome = c.query(Service::PensionSummary, &person).unwrap();
    assert_eq!(outcome.title, "城乡居民养老保险缴费及待遇");
    assert!(outcome.rows.iter().any(|(k, _)| k == "累计缴费年限"));
    let cert = c.query(Service::InsuranceCertificate, &person).unwrap();
    let mark = cert.certificate.unwrap();
    assert_eq!(mark.code.len(), 12);
    assert!(mark.number.starts_with("CB"), "{}", mark.number);
    assert!(
        mark.verify_url.contains(&mark.number) && mark.verify_url.contains(&mark.code),
        "{}",
        mark.verify_url
    );
}

#[test]
fn progress_is_found_by_the_countys_number_by_the_terminals_own_number_and_by_card() {
    let data = dir("progress");
    let running = county_on("127.0.0.1:0", &data);
    let c = client(&running.addr.to_string());
    let item = submission(0);
    let answer = c
        .call(
            "POST",
            "/v1/submissions",
            "application/json",
            &item.body,
            Some(&item.key),
        )
        .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    let accepted: county::api::Acceptance = serde_json::from_str(&answer.body).unwrap();

    let by_no = c.progress(&accepted.receipt_no).unwrap().unwrap();
    assert_eq!(by_no.matter_id, "yibao-cxjm-canbao-dengji");
    // the number a receipt printed while the county was unreachable finds the same case
    let by_key = c.progress(&item.key).unwrap().unwrap();
    assert_eq!(by_key, by_no);
    assert!(c.progress("SL19990101000001").unwrap().is_none());
    assert!(c.progress("no/such").unwrap().is_none(), "never sent");

    let citizen = &county::seed::citizens()[0];
    let person = kiosk_core::samples::SAMPLE_PEOPLE
        .iter()
        .map(|p| p.identity())
        .find(|p| p.id_number.reveal() == citizen.id_number)
        .unwrap();
    let cases = c.progress_of(&person).unwrap();
    assert_eq!(cases, vec![by_no]);
}

#[test]
fn backend_down_then_up_delivers_the_queued_submission_exactly_once() {
    let data = dir("down-up");
    // a port with nobody listening: the backend is down
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let c = client(&addr);
    let mut o = SqliteOutbox::open(&data.join("outbox")).unwrap();
    let files = AttachmentStore::open(&data.join("outbox/attachments")).unwrap();
    let scan = files
        .put(b"\xff\xd8\xff scan of the household register")
        .unwrap();
    let mut item = submission(2);
    item.attachments.push(Attachment {
        sha256: scan.clone(),
        media_type: "image/jpeg".into(),
    });
    let body = String::from_utf8(item.body.clone()).unwrap().replace(
        r#""attachments":[]"#,
        &format!(r#""attachments":[{{"sha256":"{scan}","media_type":"image/jpeg","size":34}}]"#),
    );
    item.body = body.into_bytes();
    let t = now();
    o.enqueue(item, t).unwrap();

    let d = send_one(&mut o, &files, &c, t).unwrap().unwrap();
    assert!(matches!(d, Delivery::Deferred { attempts: 1, .. }), "{d:?}");
    assert_eq!(o.depth().unwrap(), 1, "still queued");
    assert!(
        send_one(&mut o, &files, &c, t + 1).unwrap().is_none(),
        "backing off"
    );

    let running = county_on(&addr, &data.join("county"));
    assert!(
        send_one(&mut o, &files, &c, t + 1).unwrap().is_none(),
        "the background sender waits out the backoff even with the county back"
    );
    // a citizen's fresh submission tries the waiting items at once
    let d = send_next(&mut o, &files, &c, t + 1, true).unwrap().unwrap();
    let Delivery::Delivered { receipt_no, .. } = d else {
        panic!("{d:?}");
    };
    assert!(receipt_no.starts_with("SL"), "{receipt_no}");
    assert_eq!(o.depth().unwrap(), 0);
    assert!(
        files.get(&scan).is_err(),
        "the scan is purged once delivered"
    );
    assert!(send_one(&mut o, &files, &c, t + 3).unwrap().is_none());
    assert_eq!(
        running.county.with_store(|s| s.case_count().unwrap()),
        Some(1)
    );
}

#[test]
fn a_crash_between_delivery_and_acknowledgement_still_makes_one_case() {
    let data = dir("crash-ack");
    let running = county_on("127.0.0.1:0", &data.join("county"));
    let c = client(&running.addr.to_string());
    let item = submission(3);
    // the first delivery reached the county, then the kiosk died before acknowledging it
    let first = c
        .call(
            "POST",
            "/v1/submissions",
            "application/json",
            &item.body,
            Some(&item.key),
        )
        .unwrap();
    assert_eq!(first.status, 200, "{}", first.body);
    let mut o = SqliteOutbox::open(&data.join("outbox")).unwrap();
    let files = AttachmentStore::open(&data.join("outbox/attachments")).unwrap();
    o.enqueue(item, now()).unwrap();
    let d = send_one(&mut o, &files, &c, now()).unwrap().unwrap();
    let Delivery::Delivered { receipt_no, .. } = d else {
        panic!("{d:?}");
    };
    assert!(
        first.body.contains(&receipt_no),
        "the original 受理编号 comes back"
    );
    assert_eq!(
        running.county.with_store(|s| s.case_count().unwrap()),
        Some(1)
    );
}

#[test]
fn a_refused_submission_ends_instead_of_retrying_forever() {
    let data = dir("refused");
    let running = county_on("127.0.0.1:0", &data.join("county"));
    let c = client(&running.addr.to_string());
    let mut o = SqliteOutbox::open(&data.join("outbox")).unwrap();
    let files = AttachmentStore::open(&data.join("outbox/attachments")).unwrap();
    let mut item = submission(4);
    item.body = String::from_utf8(item.body)
        .unwrap()
        .replace("13912345678", "123")
        .into_bytes();
    o.enqueue(item, now()).unwrap();
    let d = send_one(&mut o, &files, &c, now()).unwrap().unwrap();
    assert_eq!(
        d,
        Delivery::Rejected {
            key: "MD-MDJD-001-test-00000004".into(),
            code: "invalid_field".into()
        }
    );
    assert_eq!(o.depth().unwrap(), 0);
    let audit = o.audit("MD-MDJD-001-test-00000004").unwrap().unwrap();
    assert_eq!(audit.receipt_no, "REJECTED:invalid_field");
    // a wrong secret is not a refusal of the submission: it is retried later
    let wrong = CountyClient::new(
        &format!("http://{}", running.addr),
        TERMINAL,
        b"wrong secret, wrong secret!!",
        None,
        Duration::from_secs(2),
    )
    .unwrap();
    o.enqueue(submission(5), now()).unwrap();
    let d = send_one(&mut o, &files, &wrong, now()).unwrap().unwrap();
    assert!(matches!(d, Delivery::Deferred { .. }), "{d:?}");
}

struct Tls {
    ca_pem: String,
    cert_pem: String,
    key_pem: String,
}

fn tls_material(cn: &str) -> Tls {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, cn);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    Tls {
        ca_pem: ca.pem(),
        cert_pem: leaf.pem(),
        key_pem: key.serialize_pem(),
    }
}

#[test]
fn over_tls_the_client_trusts_the_county_ca_it_is_given_and_nothing_else() {
    let data = dir("tls");
    let setup = common::demo_setup();
    let config = CountyConfig::from_catalog(
        &setup.catalog,
        HashMap::from([(TERMINAL.to_string(), SECRET.to_vec())]),
    );
    let county = County::open(&data, config, county::system_clock()).unwrap();
    let material = tls_material("测试县政务 CA");
    let server =
        county::tls::server_config(material.cert_pem.as_bytes(), material.key_pem.as_bytes())
            .unwrap();
    let running = county::spawn_tls("127.0.0.1:0", county, server).unwrap();
    let url = format!("https://127.0.0.1:{}", running.addr.port());
    let person = kiosk_core::samples::SAMPLE_PEOPLE[0].identity();

    let pinned = CountyClient::new(
        &url,
        TERMINAL,
        SECRET,
        Some(material.ca_pem.as_bytes()),
        Duration::from_secs(3),
    )
    .unwrap();
    let outcome = pinned.query(Service::PensionSummary, &person).unwrap();
    assert_eq!(outcome.title, "城乡居民养老保险缴费及待遇");

    // the built-in roots do not know the county CA; another CA is not the county's
    let default_roots =
        CountyClient::new(&url, TERMINAL, SECRET, None, Duration::from_secs(3)).unwrap();
    assert_eq!(
        default_roots.query(Service::PensionSummary, &person),
        Err(kiosk_core::session::BackendFailure::Unreachable)
    );
    let other = tls_material("别的 CA");
    let wrong_ca = CountyClient::new(
        &url,
        TERMINAL,
        SECRET,
        Some(other.ca_pem.as_bytes()),
        Duration::from_secs(3),
    )
    .unwrap();
    assert!(
        wrong_ca
            .call("GET", "/v1/catalog", "application/json", b"", None)
            .is_err()
    );
    // and plain HTTP to the TLS port gets nothing
    let plain = client(&running.addr.to_string());
    assert!(
        plain
            .call("GET", "/v1/catalog", "application/json", b"", None)
            .is_err()
    );
    assert!(
        CountyClient::new(
            &url,
            TERMINAL,
            SECRET,
            Some(b"not a pem"),
            Duration::from_secs(1)
        )
        .is_err()
    );
}
