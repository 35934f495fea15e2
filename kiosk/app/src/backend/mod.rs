//! The county backend from the kiosk's side: the signed API client, the outbox sender, the
//! service the controller talks to, and the 进度查询 answers.

pub mod client;
pub mod progress;
pub mod sender;
pub mod service;
