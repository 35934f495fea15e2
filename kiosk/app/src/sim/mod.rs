//! The simulated county backend for the demo and tests, behind the same events and effects
//! as the real client will be (the county-backend issue replaces it). Device simulators live
//! in their driver crates and speak the wire protocol (see `devices`).

pub mod backend;
