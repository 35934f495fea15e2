//! Property tests: random placements are cropped and squared; mutated captures never panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::OnceLock;

use common::{SMALL, capture, corner_errors, edge_skew_deg, run};
use documents::synthetic::PageSpec;
use documents::{Config, MaterialKind, OutputSpec, process};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_placements_are_cropped_and_squared(
        rot in -10.0f32..10.0,
        tilt_x in -0.04f32..0.04,
        tilt_y in -0.04f32..0.04,
        cx in 0.47f32..0.53,
        cy in 0.48f32..0.52,
        shadow in 0.0f32..0.45,
        exposure in 0.55f32..1.0,
        noise in 1.0f32..4.0,
        seed in 0u64..1000,
    ) {
        let spec = PageSpec::a4()
            .frame(SMALL.0, SMALL.1)
            .scaled(2.6)
            .rotated(rot)
            .tilted(tilt_x, tilt_y)
            .at(cx, cy)
            .shadowed(shadow, rot * 20.0)
            .exposed(exposure)
            .noisy(noise)
            .seeded(seed);
        let (cap, jpeg) = capture(&spec);
        let truth = cap.corners.unwrap();
        let page = run(&jpeg, MaterialKind::A4Document)
            .map_err(|e| TestCaseError::fail(format!("{spec:?}: {e}")))?;
        let err = corner_errors(&page.corners, &truth);
        prop_assert!(err.iter().all(|&e| e <= 2.0), "corner errors {:?}", err);
        let (top, left) = edge_skew_deg(&page, &truth);
        prop_assert!(top.abs() <= 0.5 && left.abs() <= 0.5, "skew {} / {}", top, left);
        prop_assert_eq!((page.width, page.height), (1654, 2339));
        prop_assert!(page.jpeg.len() <= 500_000);
    }
}

fn small_jpeg() -> &'static [u8] {
    static J: OnceLock<Vec<u8>> = OnceLock::new();
    J.get_or_init(|| capture(&PageSpec::a4().frame(648, 486).rotated(3.0)).1)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_captures_never_panic(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
        kind in prop::sample::select(vec![MaterialKind::A4Document, MaterialKind::A4Colour, MaterialKind::IdCard]),
    ) {
        let mut bytes = small_jpeg().to_vec();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len()));
        }
        // a page or a rejection, whichever; never a panic (a 50 dpi page keeps this quick)
        let config = Config {
            output: Some(OutputSpec { dpi: 50, ..kind.spec() }),
            ..Config::default()
        };
        let _ = process(&bytes, kind, &config);
    }

    #[test]
    fn arbitrary_bytes_are_errors(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        prop_assert!(process(&bytes, MaterialKind::A4Document, &Config::default()).is_err());
    }
}
