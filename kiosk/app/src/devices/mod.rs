//! The app's side of the devices: each wraps a driver crate's real driver, pointed at the
//! real port or, with simulated devices, at that driver's simulator over an in-memory link.
//! Either way the same driver code runs.

pub mod card_reader;
pub mod printer;
pub mod rating_pad;
pub mod scanner;
