//! `kiosk scan` (issue 7 §4): generated captures through the document pipeline into a PDF or
//! a JPEG; a blank capture and a corrupt file refused with their exit statuses; one still from
//! the simulated 高拍仪 through the camera path.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use documents::synthetic::{PageSpec, page, to_jpeg};
use kiosk_e2e::{kiosk, scratch};

fn capture(dir: &std::path::Path, name: &str, spec: &PageSpec) -> String {
    let path = dir.join(name);
    std::fs::write(&path, to_jpeg(&page(spec).image, 90).unwrap()).unwrap();
    path.display().to_string()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

#[test]
fn two_captures_become_a_two_page_pdf() {
    let dir = scratch("scan-pdf");
    let a = capture(&dir, "a.jpg", &PageSpec::a4());
    let b = capture(&dir, "b.jpg", &PageSpec::a4().rotated(5.0));
    let out = dir.join("out.pdf");
    let o = kiosk(&[
        "scan",
        "--input",
        &a,
        &b,
        "--out",
        &out.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let pdf = std::fs::read(&out).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(text(&pdf).contains("/Count 2"), "a page tree of two pages");
    assert_eq!(text(&o.stdout).matches("page 1654x2339 200 dpi").count(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_blank_capture_is_refused_with_the_prompt_and_a_corrupt_file_with_an_error() {
    let dir = scratch("scan-refused");
    let blank = capture(&dir, "blank.jpg", &PageSpec::blank_paper());
    let out = dir.join("out.jpg").display().to_string();
    let o = kiosk(&["scan", "--input", &blank, "--out", &out]);
    assert_eq!(o.status.code(), Some(4), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("请将材料放平后重新拍摄"),
        "{}",
        text(&o.stderr)
    );

    let corrupt = dir.join("corrupt.jpg");
    let good = std::fs::read(capture(&dir, "good.jpg", &PageSpec::a4())).unwrap();
    std::fs::write(&corrupt, &good[..good.len() / 3]).unwrap();
    let o = kiosk(&[
        "scan",
        "--input",
        &corrupt.display().to_string(),
        "--out",
        &out,
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(!std::path::Path::new(&out).exists(), "nothing written");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn one_still_from_the_simulated_camera_becomes_a_page_under_500_kb() {
    let dir = scratch("scan-sim");
    let out = dir.join("page.jpg");
    let o = kiosk(&[
        "scan",
        "--device",
        "sim",
        "--out",
        &out.display().to_string(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let jpeg = std::fs::read(&out).unwrap();
    assert!(
        jpeg.starts_with(&[0xFF, 0xD8]) && jpeg.len() <= 500_000,
        "{}",
        jpeg.len()
    );
    assert!(
        text(&o.stdout).contains("page 1654x2339 200 dpi"),
        "{}",
        text(&o.stdout)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
