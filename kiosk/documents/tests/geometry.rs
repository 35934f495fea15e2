//! Crop and skew on generated captures with known corners.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{SMALL, capture, corner_errors, edge_skew_deg, run, table_rule_skew};
use documents::synthetic::PageSpec;
use documents::{ColourMode, Config, MaterialKind, PageTop, process};

/// Largest corner error allowed, pixels of the capture.
const CORNER_TOLERANCE: f32 = 2.0;
/// Largest skew of the output, degrees.
const SKEW_TOLERANCE: f64 = 0.5;

fn check_a4(spec: PageSpec) {
    let (cap, jpeg) = capture(&spec);
    let truth = cap.corners.unwrap();
    let page =
        run(&jpeg, MaterialKind::A4Document).unwrap_or_else(|e| panic!("{spec:?}: rejected: {e}"));
    let err = corner_errors(&page.corners, &truth);
    assert!(
        err.iter().all(|&e| e <= CORNER_TOLERANCE),
        "rotation {} tilt {:?}: corner errors {err:?}",
        spec.rotation_deg,
        spec.tilt
    );
    let (top, left) = edge_skew_deg(&page, &truth);
    assert!(
        top.abs() <= SKEW_TOLERANCE && left.abs() <= SKEW_TOLERANCE,
        "rotation {}: edge skew {top:.3}° / {left:.3}°",
        spec.rotation_deg
    );
    let (angle, offset) = table_rule_skew(&page);
    assert!(
        f64::from(angle.abs()) <= SKEW_TOLERANCE,
        "rotation {}: table rule at {angle:.3}°",
        spec.rotation_deg
    );
    // the crop puts the content where it is on the sheet (8 px at 200 dpi = 1 mm)
    assert!(offset.abs() <= 8.0, "table rule {offset:.1} px off");
    assert_eq!((page.width, page.height), (1654, 2339));
    println!(
        "rotation {:5.1} tilt {:?}: corner errors {:?}, edge skew {top:.3}°/{left:.3}°, rule {angle:.3}° {offset:.2} px",
        spec.rotation_deg, spec.tilt, err
    );
}

#[test]
fn crop_and_skew_on_known_rotations() {
    for rot in [0.0, 3.0, -3.0, 8.0, -8.0] {
        check_a4(
            PageSpec::a4()
                .frame(SMALL.0, SMALL.1)
                .rotated(rot)
                .seeded(rot as u64 + 10),
        );
    }
}

#[test]
fn crop_and_skew_under_perspective() {
    for (i, tilt) in [(0.05, 0.0), (0.0, -0.05), (0.04, 0.04), (-0.03, 0.02)]
        .into_iter()
        .enumerate()
    {
        check_a4(
            PageSpec::a4()
                .frame(SMALL.0, SMALL.1)
                .rotated(2.0 - i as f32)
                .tilted(tilt.0, tilt.1)
                .seeded(20 + i as u64),
        );
    }
}

#[test]
fn five_megapixel_frame_dim_and_shadowed() {
    check_a4(
        PageSpec::a4()
            .rotated(-5.0)
            .tilted(0.03, -0.02)
            .shadowed(0.45, 20.0)
            .exposed(0.55)
            .noisy(4.0)
            .seeded(5),
    );
}

#[test]
fn id_card_corners_are_where_the_straight_edges_meet() {
    for rot in [0.0f32, -6.0, 11.0] {
        let spec = PageSpec::id_card()
            .frame(SMALL.0, SMALL.1)
            .scaled(11.0)
            .rotated(rot)
            .tilted(0.02, 0.0)
            .seeded(30);
        let (cap, jpeg) = capture(&spec);
        let page = run(&jpeg, MaterialKind::IdCard).unwrap();
        let err = corner_errors(&page.corners, &cap.corners.unwrap());
        assert!(
            err.iter().all(|&e| e <= CORNER_TOLERANCE),
            "rotation {rot}: {err:?}"
        );
        let (top, left) = edge_skew_deg(&page, &cap.corners.unwrap());
        assert!(top.abs() <= SKEW_TOLERANCE && left.abs() <= SKEW_TOLERANCE);
        assert_eq!((page.width, page.height, page.dpi), (1011, 638, 300));
        assert_eq!(page.colour, ColourMode::Colour);
    }
}

#[test]
fn sideways_sheet_follows_the_camera_mounting() {
    // an A4 sheet turned a quarter clockwise: its top is at the frame's right edge
    let spec = PageSpec::a4()
        .frame(SMALL.0, SMALL.1)
        .scaled(3.9)
        .rotated(92.0)
        .seeded(40);
    let (cap, jpeg) = capture(&spec);
    let truth = cap.corners.unwrap();

    // mounted as assumed by default: the page comes out landscape, as seen
    let page = run(&jpeg, MaterialKind::A4Document).unwrap();
    assert_eq!((page.width, page.height), (2339, 1654));

    // told that the page's top is at the frame's right: upright, corners in page order
    let config = Config {
        page_top: PageTop::Right,
        ..Config::default()
    };
    let page = process(&jpeg, MaterialKind::A4Document, &config).unwrap();
    assert_eq!((page.width, page.height), (1654, 2339));
    let err = corner_errors(&page.corners, &truth);
    assert!(err.iter().all(|&e| e <= CORNER_TOLERANCE), "{err:?}");
    let (angle, offset) = table_rule_skew(&page);
    assert!(
        angle.abs() <= 0.5 && offset.abs() <= 8.0,
        "{angle} {offset}"
    );
}

#[test]
fn crooked_print_is_deskewed_by_its_lines() {
    let spec = PageSpec::a4()
        .frame(SMALL.0, SMALL.1)
        .rotated(2.0)
        .print_skewed(1.5)
        .seeded(50);
    let (_, jpeg) = capture(&spec);
    let page = run(&jpeg, MaterialKind::A4Document).unwrap();
    let skew = page.measures.content_skew_deg.unwrap();
    assert!((skew - 1.5).abs() < 0.15, "measured {skew}");
    assert!((page.measures.deskew_deg + 1.5).abs() < 0.15);
    let (angle, _) = table_rule_skew(&page);
    assert!(angle.abs() <= 0.2, "table rule at {angle}° after deskew");

    // a straight print is left alone
    let (_, jpeg) = capture(
        &PageSpec::a4()
            .frame(SMALL.0, SMALL.1)
            .rotated(2.0)
            .seeded(50),
    );
    let page = run(&jpeg, MaterialKind::A4Document).unwrap();
    assert_eq!(page.measures.deskew_deg, 0.0);
}
