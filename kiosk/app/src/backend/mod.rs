//! The county backend from the kiosk's side: the signed API client and the outbox sender.
//! (Wiring them into the controller in place of the skeleton's simulated backend is the next
//! step of issue 5.)

pub mod client;
pub mod sender;
pub mod service;
