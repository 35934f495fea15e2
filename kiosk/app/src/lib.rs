//! The `kiosk` application: the Slint UI, its projection of the session, the simulated
//! devices of the skeleton, the headless platform and the command-line tools.

pub mod backend;
pub mod bridge;
pub mod cli;
pub mod config;
pub mod controller;
pub mod devices;
pub mod durable;
pub mod fonts;
pub mod headless;
pub mod maintenance;
pub mod ops;
pub mod qr;
pub mod receipts;
pub mod refresh;
pub mod screenshot;
pub mod sim;
pub mod supervision;

/// The generated Slint components and globals (`ui/app.slint`).
#[allow(
    missing_docs,
    clippy::all,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::todo
)]
pub mod ui {
    slint::include_modules!();
}
