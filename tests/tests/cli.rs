//! The `kiosk` binary as an operator and CI use it: check-config, screenshot, run --headless.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kiosk_e2e::{kiosk, png_size, repo, scratch};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_config_accepts_the_demo_terminal_and_reports_sample_guides() {
    let out = kiosk(&["check-config", "--config", "config/kiosk.toml"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("配置有效"), "{stdout}");
    assert!(
        stdout.contains("只有示例文字"),
        "sample guides are reported: {stdout}"
    );
}

/// Copies the demo config into a scratch dir, applies `edit` to one file, and returns the
/// check-config output with the line number the edit landed on.
fn check_broken(
    name: &str,
    file: &str,
    edit: impl Fn(&str) -> (String, usize),
) -> (std::process::Output, usize) {
    let dir = scratch(name);
    for f in ["kiosk.toml", "matters.toml"] {
        std::fs::copy(repo().join("config").join(f), dir.join(f)).unwrap();
    }
    let original = std::fs::read_to_string(dir.join(file)).unwrap();
    let (changed, line) = edit(&original);
    std::fs::write(dir.join(file), changed).unwrap();
    let config = dir.join("kiosk.toml");
    (
        kiosk(&["check-config", "--config", config.to_str().unwrap()]),
        line,
    )
}

/// Replaces the first line starting with `prefix` by `replacement`; returns the text and
/// the 1-based line number.
fn replace_first_line(text: &str, prefix: &str, replacement: &str) -> (String, usize) {
    let mut line_no = 0;
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if line_no == 0 && l.starts_with(prefix) {
                line_no = i + 1;
                replacement.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(line_no > 0, "no line starts with {prefix}");
    (lines.join("\n") + "\n", line_no)
}

#[test]
fn check_config_names_file_line_and_field_of_a_bad_category() {
    let (out, line) = check_broken("bad-category", "matters.toml", |t| {
        replace_first_line(t, "category = ", "category = \"社保\"")
    });
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("matters.toml:{line}: matter[0].category")),
        "{stderr}"
    );
}

#[test]
fn check_config_names_file_line_and_field_of_an_unknown_offered_matter() {
    let (out, _) = check_broken("bad-offer", "kiosk.toml", |t| {
        let changed = t.replacen("matters = [", "matters = [\n  \"no-such-matter\",", 1);
        let line = changed
            .lines()
            .position(|l| l.contains("no-such-matter"))
            .unwrap()
            + 1;
        (changed, line)
    });
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("kiosk.toml:"), "{stderr}");
    assert!(
        stderr.contains("offer.matters[0]") && stderr.contains("no-such-matter"),
        "{stderr}"
    );
}

#[test]
fn check_config_reports_a_syntax_error_with_its_line() {
    let (out, line) = check_broken("syntax", "matters.toml", |t| {
        replace_first_line(t, "name = ", "name = \"unterminated")
    });
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("matters.toml:{line}:")),
        "{stderr}"
    );
}

#[test]
fn check_config_reports_a_missing_file() {
    let out = kiosk(&["check-config", "--config", "/nonexistent/kiosk.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/nonexistent/kiosk.toml"));
}

#[test]
fn screenshot_renders_a_png_of_the_requested_size() {
    let dir = scratch("shot");
    let out_file = dir.join("guide.png");
    let out = kiosk(&[
        "screenshot",
        "--screen",
        "guide",
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        png_size(&std::fs::read(&out_file).unwrap()),
        Some((1080, 1920))
    );

    let wide = dir.join("home-wide.png");
    let out = kiosk(&[
        "screenshot",
        "--screen",
        "home",
        "--size",
        "1920x1080",
        "--out",
        wide.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(png_size(&std::fs::read(&wide).unwrap()), Some((1920, 1080)));
}

#[test]
fn screenshot_refuses_an_unknown_screen() {
    let dir = scratch("unknown");
    let out = kiosk(&[
        "screenshot",
        "--screen",
        "nope",
        "--out",
        dir.join("x.png").to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("nope"));
}

#[test]
fn headless_run_starts_and_stops_cleanly() {
    let out = kiosk(&["run", "--headless", "--exit-after", "2"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("ready in"));
}
