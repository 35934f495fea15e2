//! Simulated devices and backend for the demo and tests. They sit behind the same
//! events and effects as the real adapters, and are replaced one by one as the driver
//! issues land (ID-card reader, printer, county backend).

pub mod backend;
pub mod card;
