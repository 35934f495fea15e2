//! `kiosk scan`: the 高拍仪 document pipeline from the command line, for technicians and
//! tests. Pages come from image files (`--input`) or one still from a camera (`--device
//! /dev/videoN`, or `sim` for the simulated camera with a generated A4 page on the desk), go
//! through the same pipeline the kiosk uses, and are written as one JPEG or a multi-page PDF.
//!
//! Exit 0 written, 2 bad arguments or unreadable files, 3 camera error, 4 a capture rejected
//! (blank, blurred, no page: the citizen's prompt is printed).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use documents::{Config, MaterialKind, Page, Rejection};
use scanner::{Camera, Frame, LightControl};

/// Where the pages come from.
pub enum Source {
    /// Image files, one page each.
    Files(Vec<PathBuf>),
    /// One still from a V4L2 camera, or `sim`.
    Device(String),
}

/// The material kind named on the command line.
pub fn material(name: &str) -> Option<MaterialKind> {
    match name {
        "a4" => Some(MaterialKind::A4Document),
        "a4-colour" | "a4-color" => Some(MaterialKind::A4Colour),
        "id-card" => Some(MaterialKind::IdCard),
        _ => None,
    }
}

/// Runs `kiosk scan`.
pub fn run(source: &Source, material: MaterialKind, out: &Path) -> ExitCode {
    let pdf = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    let config = Config::default();
    let pages = match source {
        Source::Files(files) => {
            if files.len() > 1 && !pdf {
                eprintln!("kiosk scan: 多页只能写成 PDF（--out 文件名以 .pdf 结尾）");
                return ExitCode::from(2);
            }
            let mut pages = Vec::new();
            for f in files {
                let bytes = match std::fs::read(f) {
                    Ok(b) => b,
                    Err(e) => {
                        eprintln!("kiosk scan: {}: {e}", f.display());
                        return ExitCode::from(2);
                    }
                };
                match documents::process(&bytes, material, &config) {
                    Ok(p) => pages.push(p),
                    Err(r) => return rejected(&f.display().to_string(), &r),
                }
            }
            pages
        }
        Source::Device(device) => {
            let frame = match still(device) {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("kiosk scan: {device}: {e}");
                    return ExitCode::from(3);
                }
            };
            let page = match frame.to_image() {
                Ok(img) => {
                    documents::process_image(image::DynamicImage::ImageRgb8(img), material, &config)
                }
                Err(e) => Err(Rejection::Corrupt(e.to_string())),
            };
            match page {
                Ok(p) => vec![p],
                Err(r) => return rejected(device, &r),
            }
        }
    };
    write(&pages, pdf, out)
}

fn rejected(what: &str, r: &Rejection) -> ExitCode {
    eprintln!("kiosk scan: {what}: {r}");
    eprintln!("{}", r.prompt());
    ExitCode::from(if matches!(r, Rejection::Corrupt(_)) {
        2
    } else {
        4
    })
}

fn write(pages: &[Page], pdf: bool, out: &Path) -> ExitCode {
    let bytes = if pdf {
        match documents::pdf::from_pages(pages) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("kiosk scan: PDF: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        match pages.first() {
            Some(p) => p.jpeg.clone(),
            None => return ExitCode::from(2),
        }
    };
    if let Err(e) = crate::durable::write_file(out, &bytes) {
        eprintln!("kiosk scan: {}: {e}", out.display());
        return ExitCode::from(2);
    }
    for p in pages {
        println!(
            "page {}x{} {} dpi {} bytes sha256 {}",
            p.width,
            p.height,
            p.dpi,
            p.jpeg.len(),
            p.sha256_hex()
        );
    }
    println!("wrote {} ({} bytes)", out.display(), bytes.len());
    ExitCode::SUCCESS
}

/// One still at the camera's full resolution, settled over two frames.
fn still(device: &str) -> Result<Frame, String> {
    let mut camera: Box<dyn Camera> = if device == "sim" {
        let capture = documents::synthetic::page(&documents::synthetic::PageSpec::a4());
        let sim = scanner::SimHandle::new(Box::new(scanner::Still::new(capture.image)));
        Box::new(sim.camera())
    } else {
        Box::new(scanner::V4l2Camera::new(device, LightControl::None))
    };
    camera.open().map_err(|e| e.to_string())?;
    let modes = camera.formats().map_err(|e| e.to_string())?;
    let mode = scanner::capture_mode(&modes).ok_or("摄像头没有可用的 MJPEG 或 YUYV 格式")?;
    camera.start(mode).map_err(|e| e.to_string())?;
    let mut last = Err("摄像头没有送出画面".to_string());
    for _ in 0..3 {
        last = camera
            .next_frame(Duration::from_secs(10))
            .map_err(|e| e.to_string());
    }
    let _ = camera.stop();
    camera.close();
    let (frame, _repairs) = last?.repair().map_err(|e| e.to_string())?;
    Ok(frame)
}
