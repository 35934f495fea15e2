//! Every screen, in both orientations, with the sample data `kiosk screenshot` uses: each has
//! 返回首页 and 帮助 on screen, and every touch target is at least 60×60 px (适老化).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use i_slint_backend_testing::{AccessibleRole, ElementQuery};
use kiosk_app::screenshot::{SCREENS, sample_session};
use kiosk_app::ui::{AppState, AppWindow};
use kiosk_app::{bridge, fonts};
use slint::ComponentHandle;

const SIZES: [(u32, u32); 2] = [(1080, 1920), (1920, 1080)];

/// Shows the sample session for screen `name` at `size`.
fn show(app: &AppWindow, name: &str, size: (u32, u32)) {
    let setup = demo_setup();
    let session = sample_session(setup.clone(), name).unwrap();
    app.window()
        .set_size(slint::PhysicalSize::new(size.0, size.1));
    bridge::project_static(app, &session);
    bridge::project(app, &session);
    app.global::<AppState>()
        .set_dev_dock_available(setup.terminal.simulated_devices);
    app.global::<AppState>()
        .set_dev_dock_open(name == "dev-dock");
    settle();
}

fn app() -> AppWindow {
    i_slint_backend_testing::init_no_event_loop();
    fonts::register();
    AppWindow::new().unwrap()
}

#[test]
fn every_screen_has_home_and_help_in_both_orientations() {
    let app = app();
    for size in SIZES {
        for name in SCREENS {
            show(&app, name, size);
            for label in ["返回首页", "帮助"] {
                let found = shown(&app, label);
                assert!(!found.is_empty(), "{name} at {size:?} has no {label}");
                let e = &found[0];
                let (pos, sz) = (e.absolute_position(), e.size());
                assert!(
                    pos.x >= 0.0
                        && pos.y >= 0.0
                        && pos.x + sz.width <= size.0 as f32
                        && pos.y + sz.height <= size.1 as f32,
                    "{name} at {size:?}: {label} lies outside the window at {pos:?} {sz:?}"
                );
            }
        }
    }
}

#[test]
fn every_touch_target_is_at_least_60_px_square() {
    let app = app();
    for size in SIZES {
        for name in SCREENS {
            show(&app, name, size);
            let buttons = ElementQuery::from_root(&app)
                .match_descendants()
                .match_accessible_role(AccessibleRole::Button)
                .find_all();
            assert!(!buttons.is_empty(), "{name} has buttons");
            for b in buttons {
                let s = b.size();
                if !b.is_valid() || s.width == 0.0 {
                    continue; // not laid out on this screen
                }
                let label = b.accessible_label().unwrap_or_default();
                assert!(
                    s.width >= 60.0 && s.height >= 60.0,
                    "{name} at {size:?}: “{label}” is {}×{} px",
                    s.width,
                    s.height
                );
            }
        }
    }
}
