//! Pure domain of the kiosk: personal data types, the ID-card identity, the county
//! catalog and terminal configuration, matter search, application forms and the citizen
//! session state machine.
//!
//! Nothing here touches Slint, tokio, serial ports, HTTP or the file system: the app crate
//! reads files and drives devices, and feeds what happens into [`session::Session`].

pub mod capture;
pub mod catalog;
pub mod clock;
pub mod config_error;
pub mod forms;
pub mod identity;
pub mod maintenance;
pub mod personal;
pub mod rating;
pub mod samples;
pub mod search;
pub mod session;
pub mod setup;
pub mod terminal;
