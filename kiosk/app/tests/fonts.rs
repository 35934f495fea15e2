//! The embedded fonts cover rare characters: an ID-card name with a CJK Extension B
//! character renders with ink, through the software renderer, with no system CJK font.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use probe::Probe;
use slint::ComponentHandle;

#[allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::todo)]
mod probe {
    slint::slint! {
    export component Probe inherits Window {
        in property <string> sample;
        width: 400px;
        height: 120px;
        background: white;
        default-font-family: "Noto Sans CJK SC";
        Text { x: 0px; y: 0px; text: root.sample; font-size: 80px; color: black; }
    }
    }
}

/// Dark pixels in the snapshot of `text`.
fn ink(probe: &Probe, text: &str) -> usize {
    probe.set_sample(text.into());
    let shot = probe.window().take_snapshot().unwrap();
    shot.as_slice()
        .iter()
        .filter(|p| p.r < 128 && p.a > 0)
        .count()
}

#[test]
fn bmp_and_extension_b_characters_render() {
    slint::platform::set_platform(Box::new(i_slint_backend_testing::TestingBackend::new(
        i_slint_backend_testing::TestingBackendOptions {
            mock_time: true,
            threading: false,
            renderer_name: Some("software".into()),
        },
    )))
    .unwrap();
    kiosk_app::fonts::register();
    let probe = Probe::new().unwrap();
    probe.window().set_size(slint::PhysicalSize::new(400, 120));
    assert_eq!(ink(&probe, ""), 0);
    let common = ink(&probe, "张");
    assert!(common > 200, "张 renders ({common} dark pixels)");
    // U+2A6A5 𪚥 (CJK Extension B, GB18030 level 3) is not in Noto Sans CJK SC: it must come
    // from the embedded HanaMinB, not vanish.
    let rare = ink(&probe, "\u{2A6A5}");
    assert!(rare > 200, "𪚥 renders ({rare} dark pixels)");
    let name = ink(&probe, "王建\u{2A6A5}");
    assert!(
        name > common + rare / 2,
        "a name mixing both fonts renders every character"
    );
}
