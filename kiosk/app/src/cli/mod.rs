//! Command-line tools beside the kiosk itself, for technicians and tests.

pub mod county_sim;
pub mod follow_ups;
pub mod idcard_read;
pub mod print;
pub mod scan;
pub mod sim_idcard;
pub mod sim_printer;
pub mod sim_rating;
pub mod submit;
