//! Shared helpers for the headless UI tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use i_slint_backend_testing::{ElementHandle, ElementQuery};
use kiosk_app::ui::AppWindow;
use kiosk_core::setup::Setup;
use slint::ComponentHandle;
use std::sync::Arc;
use std::time::Duration;

/// The kiosk as a citizen meets it: the demo configuration on the headless testing backend,
/// at the portrait panel size (layouts that depend on width need a real size), with the
/// counted clock and simulated devices.
pub fn start() -> (
    AppWindow,
    std::rc::Rc<kiosk_app::controller::Controller>,
    Arc<Setup>,
) {
    start_with(false)
}

/// [`start`], with the controller's log of effects on (`verbose`) as `kiosk run` has it.
pub fn start_with(
    verbose: bool,
) -> (
    AppWindow,
    std::rc::Rc<kiosk_app::controller::Controller>,
    Arc<Setup>,
) {
    i_slint_backend_testing::init_no_event_loop();
    kiosk_app::fonts::register();
    let setup = demo_setup();
    let app = AppWindow::new().unwrap();
    app.window().set_size(slint::PhysicalSize::new(1080, 1920));
    let controller = kiosk_app::controller::Controller::new(
        &app,
        setup.clone(),
        kiosk_app::controller::ClockSource::Counted,
        verbose,
    );
    settle();
    (app, controller, setup)
}

/// The screen on show.
pub fn screen(app: &AppWindow) -> kiosk_app::ui::ScreenId {
    app.global::<kiosk_app::ui::AppState>().get_screen()
}

/// The repository's demo configuration.
pub fn demo_setup() -> Arc<Setup> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../config/kiosk.toml");
    let mut setup = kiosk_app::config::load(&path).unwrap_or_else(|e| panic!("demo config: {e}"));
    // each test gets its own outbox and embedded backend data
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "kiosk-ui-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    remove_dirs_of_finished_runs();
    setup.terminal.storage_dir = dir.display().to_string();
    Arc::new(setup)
}

/// The storage directories of earlier test processes (no longer running) are removed, so
/// repeated runs do not fill the temporary directory.
fn remove_dirs_of_finished_runs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let Some(pid) = name
            .strip_prefix("kiosk-ui-test-")
            .and_then(|rest| rest.split('-').next())
        else {
            continue;
        };
        if !std::path::Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Shown elements whose accessible label is exactly `label` (screens not on show are not
/// instantiated, so everything found is on screen).
pub fn shown(app: &AppWindow, label: &str) -> Vec<ElementHandle> {
    ElementHandle::find_by_accessible_label(app, label)
        .filter(|e| e.is_valid() && e.computed_opacity() > 0.0 && e.size().width > 0.0)
        .collect()
}

/// Clicks (accessible default action) the first shown element labelled `label`.
pub fn click(app: &AppWindow, label: &str) {
    let found = shown(app, label);
    assert!(
        !found.is_empty(),
        "no element labelled “{label}” on screen; labels: {:?}",
        all_labels(app)
    );
    found[0].invoke_accessible_default_action();
    settle();
}

/// Lets Slint run change handlers and short timers.
pub fn settle() {
    i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(20));
}

/// Advances mock time in 1-second steps, so the controller's 1 s clock ticks each second.
pub fn advance_secs(secs: u64) {
    for _ in 0..secs {
        i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(1000));
    }
}

/// Every accessible label in the tree.
pub fn all_labels(app: &AppWindow) -> Vec<String> {
    ElementQuery::from_root(app)
        .match_descendants()
        .find_all()
        .into_iter()
        .filter_map(|e| e.accessible_label().map(|l| l.to_string()))
        .filter(|l| !l.is_empty())
        .collect()
}

/// Every accessible label in the tree that contains `needle`.
pub fn labels_containing(app: &AppWindow, needle: &str) -> Vec<String> {
    all_labels(app)
        .into_iter()
        .filter(|l| l.contains(needle))
        .collect()
}

/// Lets real time pass (for the device driver threads) while mock time follows, until
/// `done` holds; fails after 5 s naming `what`.
pub fn wait_until(what: &str, done: impl Fn() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(10));
        i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(50));
    }
}

/// Lets `real` wall-clock time pass for the driver threads, mock time following in steps.
pub fn let_real_time_pass(real: Duration) {
    let until = std::time::Instant::now() + real;
    while std::time::Instant::now() < until {
        std::thread::sleep(Duration::from_millis(10));
        i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(50));
    }
}
