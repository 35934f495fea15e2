//! The byte link between host and reader: the serial drivers' shared [`serial_link`] crate (a
//! serial port or pty, an in-memory duplex), re-exported under this crate's name.

pub use serial_link::link::{DuplexEnd, Link, SerialLink, duplex};
