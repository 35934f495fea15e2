//! Receipt printer: Chinese ESC/POS without I/O, host side and device side.
//!
//! Follows `shared/reference/escpos.md` (the fact sheet; § numbers in the docs refer to it).
//! The codec modules do no I/O: [`encode::Encoder`] builds the buffer, [`job::JobRun`] decides
//! what to send and ask, [`status`] decodes the answers, and [`device::Device`] is the printer
//! side that parses the same bytes and builds the paper. Only [`link`], [`driver`] and [`sim`]
//! touch sockets, ports and threads.
//!
//! | module | job |
//! |---|---|
//! | [`profile`] | printer profiles: encoding, dots/columns, cutter, QR limits, raster band; presets |
//! | [`text`] | GB18030/GBK encoding, display width, wrapping, alignment, unprintable detection |
//! | [`raster`] | 1-bit images in `GS v 0` layout |
//! | [`font`] | the app's CJK fonts (read at run time) for raster lines and the renderer |
//! | [`document`] | the receipt model: text, separators, key-value rows, QR, images, feed, cut |
//! | [`encode`] | document → one ESC/POS buffer (FS &, GS !, GS ( k, GS v 0, GS V) |
//! | [`status`] | DLE EOT 1–4 requests and typed answers; no answer is `Unknown` |
//! | [`job`] | a job (id, 补打 attempt, buffer) and the sans-IO send policy: status before, bounded chunks, status after each |
//! | [`link`] | the byte link: TCP 9100, serial with flow control, `/dev/usb/lp0`, the simulator in memory with faults |
//! | [`driver`] | jobs and status over a link: reconnect after unplug, counters |
//! | [`device`] | the printer side: parses ESC/POS, keeps paper/cover state, answers DLE EOT, builds the paper |
//! | [`render`] | the paper → PNG with the same fonts, QR redrawn from its payload |
//! | [`sim`] | the simulated printer served over TCP |
//! | [`samples`] | fictional 办件回执, 查询结果, 一次性告知单, 参保证明 and the test page |
//!
//! Text blocks can hold personal data (already masked by the caller); `Debug` of documents,
//! rasters, jobs, the device and its paper shows sizes and states, never the text.

pub mod device;
pub mod document;
pub mod driver;
pub mod encode;
pub mod font;
pub mod job;
pub mod link;
pub mod profile;
pub mod raster;
pub mod render;
pub mod samples;
pub mod sim;
pub mod status;
pub mod text;

pub use document::{Block, Document, QrLevel, Size, Style};
pub use encode::{EncodeError, Encoder};
pub use font::{FontError, FontSet};
pub use profile::{Cutter, Profile, QrSupport, TextEncoding};
pub use raster::Raster;
pub use text::Align;
