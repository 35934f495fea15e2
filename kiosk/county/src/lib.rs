//! The reference county backend (issue 5): the terminal ↔ county API of `openapi.yaml`,
//! served with axum over persistent SQLite storage and seeded sample citizens. It runs
//! standalone (`kiosk county-sim --listen ADDR --data DIR`) and inside the kiosk when
//! `backend = "embedded"`, so the kiosk's default run needs no network.
//!
//! | module | job |
//! |---|---|
//! | [`api`] | request and response bodies, shared with the kiosk's client |
//! | [`signing`] | HMAC-SHA256 request signatures, timestamp window (client and server) |
//! | [`seed`] | generated sample citizens with pension histories and card states |
//! | [`store`] | SQLite (WAL, `synchronous=FULL`) and durable attachment files |
//! | [`service`] | each operation: validation, lookups, idempotent creation |
//! | [`server`] | HTTP: body limits, signature and nonce first, media types, dispatch |
//! | [`tls`] | rustls server configuration and the TLS listener for the standalone backend |

pub mod api;
pub mod seed;
pub mod server;
pub mod service;
pub mod signing;
pub mod store;
pub mod tls;

pub use server::{County, Running, spawn, spawn_tls, system_clock};
pub use service::CountyConfig;
