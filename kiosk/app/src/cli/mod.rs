//! Command-line tools beside the kiosk itself, for technicians and tests.

pub mod idcard_read;
pub mod sim_idcard;
