//! The byte link the serial device drivers share (the ID-card reader and the 好差评 rating
//! pad): the [`Link`] trait with a serial port and an in-memory duplex behind it, the
//! [`Opener`] a driver reconnects with, and the plumbing that serves a simulated device on a
//! link ([`SimThread`]), a pseudo-terminal ([`open_pty`]) or a pluggable in-memory cable
//! ([`DuplexPlug`]). Each driver keeps only its own device behaviour ([`Serve`]).

pub mod link;
pub mod sim;

pub use link::{DuplexEnd, Link, SerialLink, duplex};
pub use sim::{DuplexPlug, Pty, Serve, SimThread, open_pty};

/// Opens the link; a driver calls it again after the link is lost.
pub type Opener = Box<dyn FnMut() -> std::io::Result<Box<dyn Link>> + Send>;
