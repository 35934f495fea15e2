//! Blank, blurred and missing pages are rejected with a prompt; sharp pages are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{SMALL, capture, run};
use documents::synthetic::PageSpec;
use documents::{MaterialKind, RETAKE, Rejection};

fn small(spec: PageSpec) -> PageSpec {
    spec.frame(SMALL.0, SMALL.1)
}

#[test]
fn blank_sheet_is_rejected_as_blank() {
    for spec in [
        small(PageSpec::blank_paper()).rotated(4.0),
        small(PageSpec::blank_paper())
            .shadowed(0.45, 60.0)
            .exposed(0.55)
            .noisy(4.0),
    ] {
        let (_, jpeg) = capture(&spec);
        let r = run(&jpeg, MaterialKind::A4Document).unwrap_err();
        assert!(
            matches!(r, Rejection::Blank { empty_frame: false, ink_fraction } if ink_fraction < 1e-4),
            "{r:?}"
        );
        assert!(r.prompt().ends_with(RETAKE));
        assert!(r.is_retake());
    }
}

#[test]
fn empty_base_is_rejected_as_blank() {
    for spec in [
        small(PageSpec::empty_desk()),
        small(PageSpec::empty_desk())
            .shadowed(0.5, 0.0)
            .exposed(0.55)
            .noisy(4.0),
        PageSpec::empty_desk().seeded(9),
    ] {
        let (_, jpeg) = capture(&spec);
        let r = run(&jpeg, MaterialKind::A4Document).unwrap_err();
        assert_eq!(
            r,
            Rejection::Blank {
                empty_frame: true,
                ink_fraction: 0.0
            }
        );
    }
}

#[test]
fn blurred_capture_is_rejected_and_sharp_ones_pass() {
    // rejected: sigma 2.5 px and more (0.43 mm at 5.76 px/mm)
    for (blur, noise, exposure) in [(2.5, 2.0, 1.0), (3.0, 4.0, 0.55), (4.0, 2.0, 1.0)] {
        let spec = small(PageSpec::a4())
            .rotated(2.0)
            .blurred(blur)
            .noisy(noise)
            .exposed(exposure);
        let (_, jpeg) = capture(&spec);
        let r = run(&jpeg, MaterialKind::A4Document).unwrap_err();
        assert!(matches!(r, Rejection::Blurred { .. }), "blur {blur}: {r:?}");
        assert_eq!(r.prompt(), "照片不够清晰。请将材料放平后重新拍摄");
    }
    // accepted: a focused lens and a slightly soft one, clean and dim/noisy
    for (blur, noise, exposure) in [
        (0.7, 2.0, 1.0),
        (0.7, 4.0, 0.55),
        (1.0, 4.0, 0.55),
        (1.5, 2.0, 1.0),
    ] {
        let spec = small(PageSpec::a4())
            .rotated(-2.0)
            .blurred(blur)
            .noisy(noise)
            .exposed(exposure)
            .shadowed(0.3, 45.0);
        let (_, jpeg) = capture(&spec);
        let page = run(&jpeg, MaterialKind::A4Document)
            .unwrap_or_else(|e| panic!("blur {blur} noise {noise}: {e}"));
        assert!(page.measures.blur < documents::quality::MAX_BLUR);
    }
}

#[test]
fn blurred_id_card_is_rejected() {
    let spec = small(PageSpec::id_card()).scaled(11.0).blurred(5.0);
    let (_, jpeg) = capture(&spec);
    let r = run(&jpeg, MaterialKind::IdCard).unwrap_err();
    assert!(matches!(r, Rejection::Blurred { .. }), "{r:?}");
    let spec = small(PageSpec::id_card()).scaled(11.0).rotated(3.0);
    let (_, jpeg) = capture(&spec);
    run(&jpeg, MaterialKind::IdCard).unwrap();
}

#[test]
fn sheet_running_off_the_frame_is_cut_off() {
    let spec = small(PageSpec::a4()).at(0.9, 0.5).rotated(3.0);
    let (_, jpeg) = capture(&spec);
    let r = run(&jpeg, MaterialKind::A4Document).unwrap_err();
    assert_eq!(r, Rejection::NoPage { cut_off: true });
    assert!(r.prompt().contains("拍摄区域"));
    assert!(r.prompt().ends_with(RETAKE));
}

#[test]
fn every_prompt_is_chinese_and_retakes_end_alike() {
    use documents::Limit;
    let all = [
        Rejection::Blank {
            empty_frame: true,
            ink_fraction: 0.0,
        },
        Rejection::Blurred {
            blur: 3.0,
            threshold: 1.7,
        },
        Rejection::NoPage { cut_off: false },
        Rejection::NoPage { cut_off: true },
        Rejection::TooLarge(Limit::InputBytes { len: 2, max: 1 }),
        Rejection::Corrupt("x".into()),
    ];
    for r in &all {
        let p = r.prompt();
        assert!(
            p.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{p}"
        );
        assert_eq!(r.is_retake(), p.ends_with(RETAKE), "{r:?}");
        assert!(!r.to_string().is_empty());
    }
}
