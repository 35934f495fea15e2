//! The files in `deploy/` (issue 8 §3–4) as the tools that consume them see them: the alert
//! rules through `promtool check rules` and their unit tests through `promtool test rules`,
//! the scrape example through `promtool check config`, the dashboard's queries parsed by
//! promtool too, every metric they name exposed by a running kiosk, the systemd unit through
//! `systemd-analyze verify`, the udev rules through a syntax check (and `udevadm verify` where
//! udev has it), the journald drop-in.
//!
//! promtool: a test that needs it fails when it is missing and `KIOSK_REQUIRE_PROMTOOL=1` (as
//! `.ci/run` sets, after `deploy/install-build-deps.sh` fetched it into `target/tools/bin`);
//! otherwise it prints a `SKIP` line and checks what it can without.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use kiosk_e2e::{kiosk_binary, repo, scratch};

fn deploy() -> PathBuf {
    repo().join("deploy")
}

/// A program on the PATH, if there is one.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(name))
            .find(|p| p.is_file())
    })
}

/// promtool, or `None` after a SKIP line; a panic when `KIOSK_REQUIRE_PROMTOOL=1`.
fn promtool(what: &str) -> Option<PathBuf> {
    let found = on_path("promtool");
    if found.is_none() {
        assert!(
            std::env::var("KIOSK_REQUIRE_PROMTOOL").as_deref() != Ok("1"),
            "promtool is not on the PATH and KIOSK_REQUIRE_PROMTOOL=1 ({what}): run \
             deploy/install-build-deps.sh and put target/tools/bin on the PATH"
        );
        eprintln!("SKIP {what}: promtool is not on the PATH");
    }
    found
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    eprintln!(
        "{cmd:?}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn assert_ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn alert_rules_pass_promtool_check_and_their_unit_tests() {
    let dir = deploy().join("prometheus");
    let Some(promtool) = promtool("promtool check rules / test rules") else {
        return;
    };
    let out = run(Command::new(&promtool)
        .args(["check", "rules", "kiosk-alerts.yml"])
        .current_dir(&dir));
    assert_ok(&out, "promtool check rules");
    let out = run(Command::new(&promtool)
        .args(["test", "rules", "kiosk-alerts.test.yml"])
        .current_dir(&dir));
    assert_ok(&out, "promtool test rules");
    // every alert has a unit test that expects it to fire, and one instant where it must not
    let rules = std::fs::read_to_string(dir.join("kiosk-alerts.yml")).unwrap();
    let tests = std::fs::read_to_string(dir.join("kiosk-alerts.test.yml")).unwrap();
    let alerts: Vec<&str> = rules
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- alert: "))
        .collect();
    assert!(alerts.len() >= 12, "{alerts:?}");
    for alert in &alerts {
        let checks: Vec<&str> = tests
            .split("- eval_time: ")
            .skip(1)
            .filter(|c| c.contains(&format!("alertname: {alert}\n")))
            .collect();
        assert!(
            checks.iter().any(|c| c.contains("exp_alerts: []")),
            "{alert}: no check that it does not fire (too early)"
        );
        assert!(
            checks.iter().any(|c| c.contains("exp_labels:")),
            "{alert}: no check that it fires"
        );
    }
    // each has a severity and a summary in Chinese and in English
    for block in rules.split("- alert: ").skip(1) {
        assert!(
            block.contains("severity: critical") || block.contains("severity: warning"),
            "{block}"
        );
        let summary = block
            .lines()
            .find_map(|l| l.trim().strip_prefix("summary: "))
            .unwrap_or_else(|| panic!("no summary: {block}"));
        assert!(
            summary
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                && summary.contains(" / "),
            "{summary}"
        );
    }
}

#[test]
fn the_scrape_example_is_a_valid_prometheus_config() {
    let Some(promtool) = promtool("promtool check config") else {
        return;
    };
    let dir = scratch("deploy-scrape");
    let example = std::fs::read_to_string(deploy().join("prometheus/scrape.example.yml")).unwrap();
    assert!(example.contains("job_name: kiosk"));
    assert!(example.contains("credentials_file:"));
    // the example's absolute paths, moved into the scratch directory
    let config = example
        .replace("/etc/prometheus/kiosk-alerts.yml", "kiosk-alerts.yml")
        .replace("/etc/prometheus/kiosk-ops.token", "kiosk-ops.token");
    std::fs::write(dir.join("prometheus.yml"), config).unwrap();
    std::fs::write(
        dir.join("kiosk-ops.token"),
        "0123456789abcdef0123456789abcdef\n",
    )
    .unwrap();
    std::fs::copy(
        deploy().join("prometheus/kiosk-alerts.yml"),
        dir.join("kiosk-alerts.yml"),
    )
    .unwrap();
    let out = run(Command::new(promtool)
        .args(["check", "config", "prometheus.yml"])
        .current_dir(&dir));
    assert_ok(&out, "promtool check config");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The dashboard's targets: (panel title, expression).
fn dashboard_queries(dashboard: &serde_json::Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().into_iter().flatten() {
            out.push((
                panel["title"].as_str().unwrap_or("").to_string(),
                target["expr"].as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

fn read_dashboard() -> serde_json::Value {
    let text = std::fs::read_to_string(deploy().join("grafana/kiosk-dashboard.json")).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("kiosk-dashboard.json: {e}"))
}

#[test]
fn the_dashboard_is_valid_json_with_unique_panel_ids_and_queries_promtool_parses() {
    let d = read_dashboard();
    let schema = d["schemaVersion"].as_u64().unwrap();
    assert!((36..=41).contains(&schema), "schemaVersion {schema}");
    assert!(d["uid"].as_str().is_some_and(|u| !u.is_empty()));
    let vars = d["templating"]["list"].as_array().unwrap();
    let var = |name: &str| {
        vars.iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("variable {name}"))
    };
    assert_eq!(var("datasource")["type"], "datasource");
    assert_eq!(var("datasource")["query"], "prometheus");
    assert_eq!(var("instance")["type"], "query");
    let mut ids = BTreeSet::new();
    let mut titles = Vec::new();
    for panel in d["panels"].as_array().unwrap() {
        let id = panel["id"].as_u64().unwrap();
        assert!(ids.insert(id), "panel id {id} twice");
        titles.push(panel["title"].as_str().unwrap().to_string());
        for nested in panel["panels"].as_array().into_iter().flatten() {
            assert!(
                ids.insert(nested["id"].as_u64().unwrap()),
                "nested id twice"
            );
        }
        if panel["type"] != "row" {
            // every query goes to the chosen data source
            assert_eq!(panel["datasource"]["uid"], "${datasource}", "{panel}");
            let targets = panel["targets"].as_array().unwrap();
            assert!(!targets.is_empty(), "{}", panel["title"]);
            for t in targets {
                assert_eq!(t["datasource"]["uid"], "${datasource}");
                let expr = t["expr"].as_str().unwrap();
                assert!(
                    expr.contains("$instance"),
                    "{}: every query follows the terminal variable: {expr}",
                    panel["title"]
                );
            }
        }
    }
    // the panels the issue asks for
    for wanted in [
        "Up",
        "Ready",
        "Sessions and matters",
        "Submissions by outcome",
        "Outbox depth",
        "Outbox oldest age",
        "Device states",
        "Paper",
        "Prints",
        "Ratings by level",
        "UI frame time p50 / p99",
        "Free disk",
    ] {
        assert!(
            titles.iter().any(|t| t.contains(wanted)),
            "{wanted} in {titles:?}"
        );
    }

    // each query, with Grafana's variables filled in, parsed by promtool as a recording rule
    let Some(promtool) = promtool("promtool parse of the dashboard's queries") else {
        return;
    };
    let dir = scratch("deploy-dashboard");
    let mut rules = String::from("groups:\n  - name: dashboard\n    rules:\n");
    for (i, (_, expr)) in dashboard_queries(&d).iter().enumerate() {
        let filled = expr
            .replace("$instance", ".+")
            .replace("$__range", "1h")
            .replace("$__rate_interval", "1m");
        let quoted = serde_json::to_string(&filled).unwrap();
        rules.push_str(&format!(
            "      - record: dashboard:query_{i}\n        expr: {quoted}\n"
        ));
    }
    std::fs::write(dir.join("dashboard.yml"), rules).unwrap();
    let out = run(Command::new(promtool)
        .args(["check", "rules", "dashboard.yml"])
        .current_dir(&dir));
    assert_ok(&out, "promtool check rules (the dashboard's queries)");
    let _ = std::fs::remove_dir_all(&dir);
}

/// One label matcher of a selector: label, operator, value.
type Matcher = (String, String, String);

/// `kiosk_…` selectors in `text`: (metric, its label matchers).
fn selectors(text: &str) -> Vec<(String, Vec<Matcher>)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(at) = text[i..].find("kiosk_") {
        let start = i + at;
        // a name starts at a word boundary
        let boundary = start == 0 || {
            let c = bytes[start - 1];
            !(c.is_ascii_alphanumeric() || c == b'_' || c == b':')
        };
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        i = end.max(start + 1);
        let name = &text[start..end];
        if !boundary || name.ends_with('_') {
            continue;
        }
        let mut matchers = Vec::new();
        if text[end..].starts_with('{') {
            let close = text[end..].find('}').unwrap() + end;
            for m in text[end + 1..close].split(',') {
                let m = m.trim();
                if m.is_empty() {
                    continue;
                }
                let op_at = m.find(['=', '!']).unwrap();
                let label = m[..op_at].trim().to_string();
                let rest = &m[op_at..];
                let op_len =
                    if rest.starts_with("=~") || rest.starts_with("!~") || rest.starts_with("!=") {
                        2
                    } else {
                        1
                    };
                let value = rest[op_len..].trim().trim_matches('"').to_string();
                matchers.push((label, rest[..op_len].to_string(), value));
            }
            i = close + 1;
        }
        out.push((name.to_string(), matchers));
    }
    out
}

/// A headless kiosk's `/metrics`, once the outbox has been sampled: series name → label sets.
fn kiosk_exposition() -> BTreeMap<String, Vec<BTreeMap<String, String>>> {
    let dir = scratch("deploy-metrics");
    let demo = std::fs::read_to_string(repo().join("config/kiosk.toml")).unwrap();
    let catalog = repo().join("config/matters.toml").canonicalize().unwrap();
    let config = demo
        .replace(
            "catalog = \"matters.toml\"",
            &format!("catalog = \"{}\"", catalog.display()),
        )
        .replace("dir = \"../var\"", "dir = \"var\"")
        .replace("listen = \"127.0.0.1:9100\"", "listen = \"127.0.0.1:0\"");
    std::fs::write(dir.join("kiosk.toml"), config).unwrap();
    let mut child = Command::new(kiosk_binary())
        .args(["run", "--headless", "--exit-after", "120", "--config"])
        .arg(dir.join("kiosk.toml"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr: SocketAddr = loop {
        let Some(Ok(line)) = lines.next() else {
            let _ = child.kill();
            panic!("kiosk ended before its endpoint listened");
        };
        if let Some(a) = line.strip_prefix("kiosk: ops endpoint listening on ") {
            break a.parse().unwrap();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    let token = std::fs::read_to_string(dir.join("var/ops.token")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let body = loop {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "GET /metrics HTTP/1.1\r\nHost: kiosk\r\nAuthorization: Bearer {}\r\nConnection: close\r\n\r\n",
            token.trim()
        )
        .unwrap();
        let mut reply = String::new();
        s.read_to_string(&mut reply).unwrap();
        let body = reply.split_once("\r\n\r\n").unwrap().1.to_string();
        // the outbox families appear once the sampling thread has run
        if body.contains("\nkiosk_outbox_oldest_age_seconds ") {
            break body;
        }
        assert!(Instant::now() < deadline, "no outbox sample:\n{body}");
        std::thread::sleep(Duration::from_millis(200));
    };
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    let mut series: BTreeMap<String, Vec<BTreeMap<String, String>>> = BTreeMap::new();
    for line in body.lines().filter(|l| !l.starts_with('#')) {
        let (s, _) = line.rsplit_once(' ').unwrap();
        let (name, labels) = match s.split_once('{') {
            Some((n, rest)) => (n, rest.trim_end_matches('}')),
            None => (s, ""),
        };
        let labels = labels
            .split(',')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                (k.to_string(), v.trim_matches('"').to_string())
            })
            .collect();
        series.entry(name.to_string()).or_default().push(labels);
    }
    series
}

#[test]
fn every_metric_the_rules_and_dashboard_use_is_exposed_by_the_kiosk() {
    let exposed = kiosk_exposition();
    let d = read_dashboard();
    let mut sources: Vec<(String, String)> = dashboard_queries(&d)
        .into_iter()
        .map(|(title, expr)| (format!("dashboard panel {title}"), expr))
        .collect();
    for file in ["kiosk-alerts.yml", "kiosk-alerts.test.yml"] {
        sources.push((
            file.to_string(),
            std::fs::read_to_string(deploy().join("prometheus").join(file)).unwrap(),
        ));
    }
    let mut used = BTreeSet::new();
    for (source, text) in &sources {
        for (name, matchers) in selectors(text) {
            let label_sets = exposed
                .get(&name)
                .unwrap_or_else(|| panic!("{source}: {name} is not in the kiosk's /metrics"));
            used.insert(name.clone());
            for (label, op, value) in matchers {
                // job and instance come from the scrape; variables from Grafana
                if ["job", "instance"].contains(&label.as_str()) || value.contains('$') {
                    continue;
                }
                let values: BTreeSet<&str> = label_sets
                    .iter()
                    .filter_map(|l| l.get(&label).map(String::as_str))
                    .collect();
                let wanted: Vec<&str> = match op.as_str() {
                    "=" | "!=" => vec![value.as_str()],
                    _ => value.split('|').collect(),
                };
                for w in wanted {
                    assert!(
                        values.contains(w),
                        "{source}: {name}{{{label}{op}\"{value}\"}}: {w} is not a value of {label} ({values:?})"
                    );
                }
            }
        }
    }
    // the alerts' families are all there
    for name in [
        "kiosk_printer_paper",
        "kiosk_device_state",
        "kiosk_outbox_oldest_age_seconds",
        "kiosk_ready",
        "kiosk_process_start_time_seconds",
        "kiosk_storage_free_bytes",
        "kiosk_ui_heartbeat_age_seconds",
        "kiosk_ui_frame_seconds_bucket",
    ] {
        assert!(used.contains(name), "{name} is used by no rule or panel");
    }
}

#[test]
fn the_systemd_unit_matches_the_kiosk_and_passes_systemd_analyze_verify() {
    let unit = std::fs::read_to_string(deploy().join("systemd/kiosk.service")).unwrap();
    let keys: Vec<(&str, &str)> = unit
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('['))
        .filter_map(|l| l.split_once('='))
        .collect();
    let value = |k: &str| {
        keys.iter()
            .filter(|(key, _)| *key == k)
            .map(|(_, v)| *v)
            .collect::<Vec<_>>()
    };
    for (k, v) in [
        ("Type", "notify"),
        ("NotifyAccess", "main"),
        ("WatchdogSec", "30s"),
        ("Restart", "always"),
        ("RestartSec", "2s"),
        ("User", "kiosk"),
        ("EnvironmentFile", "/etc/kiosk/kiosk-linuxkms.env"),
        ("StateDirectory", "kiosk"),
        ("NoNewPrivileges", "yes"),
    ] {
        assert_eq!(value(k), [v], "{k}");
    }
    // hardening that would cut the kiosk off its devices
    for k in [
        "PrivateDevices",
        "DevicePolicy",
        "DeviceAllow",
        "ProtectClock",
    ] {
        assert!(value(k).is_empty(), "{k} breaks DRM, input, serial or USB");
    }
    // ExecStart runs a subcommand and flag the binary has
    let exec = value("ExecStart");
    assert_eq!(
        exec,
        ["/usr/local/bin/kiosk run --config /etc/kiosk/kiosk.toml"]
    );
    let help = Command::new(kiosk_binary())
        .args(["run", "--help"])
        .output()
        .unwrap();
    assert_ok(&help, "kiosk run --help");
    assert!(String::from_utf8_lossy(&help.stdout).contains("--config"));
    // the env file it names exists in deploy/ and sets the linuxkms backend
    let env = std::fs::read_to_string(deploy().join("kiosk-linuxkms.env")).unwrap();
    assert!(env.lines().any(|l| l.starts_with("SLINT_BACKEND=linuxkms")));

    let Some(analyze) = on_path("systemd-analyze") else {
        eprintln!("SKIP systemd-analyze verify: systemd-analyze is not on the PATH");
        return;
    };
    // verify checks that ExecStart is executable: point it at the kiosk cargo built
    let dir = scratch("deploy-systemd");
    let copy = dir.join("kiosk.service");
    std::fs::write(
        &copy,
        unit.replace(
            "/usr/local/bin/kiosk",
            &kiosk_binary().canonicalize().unwrap().display().to_string(),
        ),
    )
    .unwrap();
    let out = run(Command::new(analyze).arg("verify").arg(&copy));
    assert_ok(&out, "systemd-analyze verify");
    // it exits 0 on unknown keys and bad values, which it reports: any output is a finding
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.trim().is_empty(), "systemd-analyze verify:\n{said}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// One rule's `KEY{attr}OP"value"` pairs, split at the commas outside quotes.
fn rule_pairs(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ',' if !quoted => out.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    assert!(!quoted, "unbalanced quotes: {line}");
    out.push(current);
    out.into_iter().map(|p| p.trim().to_string()).collect()
}

#[test]
fn the_udev_rules_are_well_formed_and_name_every_device() {
    let path = deploy().join("udev/99-kiosk.rules");
    let text = std::fs::read_to_string(&path).unwrap();
    const MATCH: [&str; 14] = [
        "ACTION",
        "SUBSYSTEM",
        "SUBSYSTEMS",
        "KERNEL",
        "KERNELS",
        "DRIVER",
        "DRIVERS",
        "ATTR",
        "ATTRS",
        "ENV",
        "TAG",
        "TEST",
        "DEVPATH",
        "PROGRAM",
    ];
    const ASSIGN: [&str; 10] = [
        "SYMLINK", "GROUP", "MODE", "OWNER", "ATTR", "ENV", "TAG", "RUN", "GOTO", "LABEL",
    ];
    let mut labels = BTreeSet::new();
    let mut gotos = BTreeSet::new();
    let mut symlinks = BTreeSet::new();
    let mut power_on = 0;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = format!("99-kiosk.rules:{}", n + 1);
        let mut assigns = BTreeSet::new();
        for pair in rule_pairs(line) {
            let key_end = pair
                .find(|c: char| !(c.is_ascii_uppercase() || c == '_'))
                .unwrap_or_else(|| panic!("{at}: {pair}"));
            let key = &pair[..key_end];
            let mut rest = &pair[key_end..];
            if let Some(attr) = rest.strip_prefix('{') {
                let close = attr.find('}').unwrap_or_else(|| panic!("{at}: {pair}"));
                assert!(close > 0, "{at}: empty {{}} in {pair}");
                rest = &attr[close + 1..];
            }
            let op = ["==", "!=", "+=", "-=", ":=", "="]
                .into_iter()
                .find(|op| rest.starts_with(op))
                .unwrap_or_else(|| panic!("{at}: no operator in {pair}"));
            let value = &rest[op.len()..];
            assert!(
                value.len() >= 2 && value.starts_with('"') && value.ends_with('"'),
                "{at}: value not quoted in {pair}"
            );
            let value = &value[1..value.len() - 1];
            if op == "==" || op == "!=" {
                assert!(MATCH.contains(&key), "{at}: {key} is not a match key");
            } else {
                assert!(ASSIGN.contains(&key), "{at}: {key} cannot be assigned");
                assigns.insert(key.to_string());
            }
            match key {
                "LABEL" => {
                    labels.insert(value.to_string());
                }
                "GOTO" => {
                    gotos.insert(value.to_string());
                }
                "SYMLINK" => {
                    symlinks.insert(value.to_string());
                }
                "MODE" => assert!(
                    value.len() == 4 && value.chars().all(|c| ('0'..='7').contains(&c)),
                    "{at}: MODE {value}"
                ),
                _ => {}
            }
            if pair == "ATTR{power/control}=\"on\"" {
                power_on += 1;
            }
        }
        if assigns.contains("SYMLINK") {
            assert!(
                assigns.contains("GROUP") && assigns.contains("MODE"),
                "{at}: a named device also gets its group and mode"
            );
        }
    }
    assert_eq!(gotos, labels, "every GOTO has its LABEL");
    for name in [
        "kiosk-idcard",
        "kiosk-printer",
        "kiosk-scanner",
        "kiosk-rating",
    ] {
        assert!(symlinks.contains(name), "/dev/{name}");
    }
    assert!(
        power_on >= 4,
        "USB autosuspend off for each device: {power_on}"
    );
    assert!(
        text.contains("LIBINPUT_CALIBRATION_MATRIX"),
        "touch calibration example"
    );

    // udev's own checker, where this udev has it (systemd 254 and later)
    match on_path("udevadm") {
        Some(udevadm)
            if Command::new(&udevadm)
                .args(["verify", "--help"])
                .output()
                .is_ok_and(|o| o.status.success()) =>
        {
            let out = run(Command::new(udevadm).arg("verify").arg(&path));
            assert_ok(&out, "udevadm verify");
        }
        Some(_) => eprintln!("SKIP udevadm verify: this udevadm predates `verify` (systemd 254)"),
        None => eprintln!("SKIP udevadm verify: udevadm is not installed"),
    }
}

#[test]
fn the_journald_drop_in_bounds_the_journal() {
    let text = std::fs::read_to_string(deploy().join("journald/kiosk.conf")).unwrap();
    let mut section = "";
    let mut keys = BTreeMap::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') {
            section = line;
            continue;
        }
        assert_eq!(section, "[Journal]", "{line}");
        let (k, v) = line.split_once('=').unwrap();
        keys.insert(k.to_string(), v.to_string());
    }
    let max = keys.get("SystemMaxUse").expect("SystemMaxUse=");
    assert!(
        max.ends_with('M') || max.ends_with('G'),
        "SystemMaxUse={max}"
    );
    assert_eq!(keys.get("Storage").map(String::as_str), Some("persistent"));
}

#[test]
fn the_install_script_and_ci_fetch_and_require_promtool() {
    let script = deploy().join("install-build-deps.sh");
    let out = run(Command::new("bash").arg("-n").arg(&script));
    assert_ok(&out, "bash -n install-build-deps.sh");
    let text = std::fs::read_to_string(&script).unwrap();
    // the .deb is taken apart, never installed (its postinst would start a Prometheus)
    assert!(text.contains("apt-get download -qq prometheus"));
    assert!(text.contains("dpkg-deb --fsys-tarfile"));
    assert!(!text.contains("apt-get install -y -qq prometheus"));
    let ci = std::fs::read_to_string(repo().join(".ci/run")).unwrap();
    assert!(ci.contains("KIOSK_REQUIRE_PROMTOOL=1"));
    assert!(ci.contains("target/tools/bin"));
}
