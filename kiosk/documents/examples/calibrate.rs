//! Prints the pipeline's measures (blur, ink, corner error) over generated captures, to
//! calibrate the thresholds in `quality.rs`. Writes a few captures and pages to the directory
//! given as the first argument (default: none written).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use documents::synthetic::{self, PageSpec};
use documents::{Config, MaterialKind, Rejection, process};

fn corner_error(found: &[(f32, f32); 4], truth: &[(f32, f32); 4]) -> f32 {
    truth
        .iter()
        .map(|t| {
            found
                .iter()
                .map(|f| (f.0 - t.0).hypot(f.1 - t.1))
                .fold(f32::MAX, f32::min)
        })
        .fold(0.0, f32::max)
}

fn main() {
    let out = std::env::args().nth(1);
    // never reject while measuring
    let config = Config {
        max_blur: f32::INFINITY,
        min_ink_fraction: 0.0,
        ..Config::default()
    };
    let frames = [(2592u32, 1944u32), (1296, 972)];
    // (blur sigma → min, max edge spread) and (subject → min, max ink)
    let mut spread: std::collections::BTreeMap<String, (f32, f32)> = Default::default();
    let mut inks: std::collections::BTreeMap<String, (f32, f32)> = Default::default();
    let widen = |m: &mut std::collections::BTreeMap<String, (f32, f32)>, k: String, v: f32| {
        let e = m.entry(k).or_insert((f32::MAX, f32::MIN));
        e.0 = e.0.min(v);
        e.1 = e.1.max(v);
    };
    println!(
        "frame      subject     blur  noise expo  shadow  rot   -> edge_spread ink      corner_err  q  bytes"
    );
    for &(fw, fh) in &frames {
        for subject in ["a4", "card", "blank"] {
            for &blur in &[0.7f32, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0] {
                for &(noise, exposure, shadow) in &[(2.0f32, 1.0f32, 0.0f32), (4.0, 0.55, 0.45)] {
                    let base = match subject {
                        "a4" => PageSpec::a4(),
                        "card" => PageSpec::id_card(),
                        _ => PageSpec::blank_paper(),
                    };
                    let spec = base
                        .frame(fw, fh)
                        .rotated(3.0)
                        .tilted(0.03, -0.02)
                        .blurred(blur)
                        .noisy(noise)
                        .exposed(exposure)
                        .shadowed(shadow, 30.0);
                    let cap = synthetic::page(&spec);
                    let jpeg = synthetic::to_jpeg(&cap.image, 90).unwrap();
                    let kind = if subject == "card" {
                        MaterialKind::IdCard
                    } else {
                        MaterialKind::A4Document
                    };
                    let r = process(&jpeg, kind, &config);
                    match &r {
                        Ok(p) => {
                            if subject != "blank" {
                                widen(&mut spread, format!("{blur:.1}"), p.measures.blur);
                            }
                            widen(&mut inks, subject.to_string(), p.measures.ink_fraction);
                        }
                        Err(Rejection::Blank { ink_fraction, .. }) => {
                            widen(&mut inks, subject.to_string(), *ink_fraction);
                        }
                        Err(_) => {}
                    }
                    let line = match &r {
                        Ok(p) => format!(
                            "{:.3} {:.5}  {:8.2}  {:3} {}",
                            p.measures.blur,
                            p.measures.ink_fraction,
                            corner_error(&p.corners, &cap.corners.unwrap()),
                            p.measures.quality,
                            p.jpeg.len()
                        ),
                        Err(Rejection::Blank { ink_fraction, .. }) => {
                            format!("blank ink {ink_fraction:.5}")
                        }
                        Err(e) => format!("{e}"),
                    };
                    println!(
                        "{fw}x{fh} {subject:6} {blur:5.1} {noise:5.1} {exposure:5.2} {shadow:5.2} {:5.1} -> {line}",
                        spec.rotation_deg
                    );
                    if let (Some(dir), Ok(p)) = (&out, &r)
                        && fw == 2592
                        && (blur == 0.7 || blur == 2.5)
                    {
                        let name = format!("{dir}/{subject}-b{blur}-e{exposure}");
                        cap.image.save(format!("{name}-capture.jpg")).unwrap();
                        std::fs::write(format!("{name}-page.jpg"), &p.jpeg).unwrap();
                        // previews for a PNG-only viewer
                        let thumb = |img: &image::DynamicImage, w: u32| {
                            img.resize(w, w * 2, image::imageops::FilterType::Triangle)
                        };
                        thumb(&image::DynamicImage::ImageRgb8(cap.image.clone()), 864)
                            .save(format!("{name}-capture.png"))
                            .unwrap();
                        let page = image::load_from_memory(&p.jpeg).unwrap();
                        thumb(&page, 827).save(format!("{name}-page.png")).unwrap();
                        page.crop_imm(300, 300, 600, 600)
                            .save(format!("{name}-page-crop.png"))
                            .unwrap();
                    }
                }
            }
        }
    }
    println!("\nedge spread by lens blur sigma (px), min–max over frames, subjects and light:");
    for (k, (lo, hi)) in &spread {
        println!("  sigma {k}: {lo:.2}–{hi:.2}");
    }
    println!("ink share by subject, min–max:");
    for (k, (lo, hi)) in &inks {
        println!("  {k}: {lo:.5}–{hi:.5}");
    }
    let empty = synthetic::page(&PageSpec::empty_desk().shadowed(0.45, 30.0).exposed(0.55));
    let jpeg = synthetic::to_jpeg(&empty.image, 90).unwrap();
    println!(
        "empty desk -> {:?}",
        process(&jpeg, MaterialKind::A4Document, &config).err()
    );
}
