//! The SAM wire frame (fact sheet §3): preamble, big-endian length, body, XOR checksum.
//!
//! ```text
//! AA AA AA 96 69 | Len1 Len2 | body … | CHK
//! ```
//!
//! `Len` counts every byte after the two length bytes *including* the checksum, so a frame
//! is `Len + 7` bytes long. The checksum is the XOR of every byte from `Len1` up to the byte
//! before the checksum (the preamble is not covered). The rule is the same in both
//! directions; only the body differs: a request body is `CMD Para Data…`, a response body is
//! `SW1 SW2 SW3 Data…`.
//!
//! This module encodes both kinds of frame and decodes a byte stream with [`FrameDecoder`],
//! which needs no knowledge of the direction: the typed views [`Frame::request`] and
//! [`Frame::response`] interpret the body afterwards.

use crate::status::Status;

/// The five fixed bytes that open every frame.
pub const PREAMBLE: [u8; 5] = [0xAA, 0xAA, 0xAA, 0x96, 0x69];
/// Preamble plus the two length bytes.
pub const HEADER_LEN: usize = 7;
/// The largest frame of the protocol: read with fingerprint, `Len` = `09 0A` (2314).
pub const MAX_FRAME_LEN: usize = 2321;
/// The largest value the length field may hold (`MAX_FRAME_LEN − 7`).
pub const MAX_LEN_FIELD: u16 = 2314;
/// The smallest legal length field: a plain request (`CMD Para CHK`).
pub const MIN_LEN_FIELD: u16 = 3;
/// The most request data bytes a frame can carry after `CMD Para`.
pub const MAX_REQUEST_DATA: usize = MAX_LEN_FIELD as usize - 3;
/// The most response payload bytes a frame can carry after `SW1 SW2 SW3`.
pub const MAX_RESPONSE_PAYLOAD: usize = MAX_LEN_FIELD as usize - 4;

/// Why bytes are not (or not yet) a good frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// The length field is below 3 or above the protocol maximum (2314); the decoder
    /// resynchronises on the next preamble.
    #[error("frame length field {len} outside 3..=2314")]
    BadLength {
        /// The length field as received.
        len: u16,
    },
    /// The XOR over `Len1..body` does not match the checksum byte; the decoder
    /// resynchronises just after this frame's first preamble byte, so a good frame that
    /// follows (or hides inside) is not lost.
    #[error("frame checksum {found:02X}, computed {computed:02X}")]
    BadChecksum {
        /// What the bytes XOR to.
        computed: u8,
        /// The checksum byte received.
        found: u8,
    },
    /// The driver gave up waiting for the rest of a frame ([`FrameDecoder::abandon_partial`]).
    #[error("frame truncated: {received} of {expected} bytes")]
    Truncated {
        /// Total bytes the header announced.
        expected: usize,
        /// Bytes that arrived.
        received: usize,
    },
    /// A single frame passed to [`Frame::parse`] does not start with the preamble.
    #[error("frame does not start with AA AA AA 96 69")]
    BadPreamble,
    /// A single frame passed to [`Frame::parse`] is shorter than its header says.
    #[error("frame incomplete: {received} of {expected} bytes")]
    Incomplete {
        /// Total bytes the header announced (or 7 when the header itself is cut).
        expected: usize,
        /// Bytes given.
        received: usize,
    },
    /// A single frame passed to [`Frame::parse`] has bytes after its checksum.
    #[error("{extra} bytes after the frame")]
    TrailingBytes {
        /// How many.
        extra: usize,
    },
    /// The body is too short to be read as a response (`SW1 SW2 SW3` needed).
    #[error("frame body of {len} bytes is too short for a response")]
    NotAResponse {
        /// Body length.
        len: usize,
    },
    /// An encoder was asked for a frame above the protocol maximum.
    #[error("frame body of {body} bytes exceeds the protocol maximum")]
    TooLong {
        /// Body bytes requested.
        body: usize,
    },
}

/// XOR of `bytes`: the protocol's checksum when given `Len1..last body byte`.
pub fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0, |acc, b| acc ^ b)
}

/// Builds one frame whose body is the concatenation of `parts` (no intermediate copy of
/// large payloads). Both directions go through here so the length and checksum rules live
/// in one place.
pub fn encode_parts(parts: &[&[u8]]) -> Result<Vec<u8>, FrameError> {
    let body: usize = parts.iter().map(|p| p.len()).sum();
    let len = body + 1;
    if len > usize::from(MAX_LEN_FIELD) || len < usize::from(MIN_LEN_FIELD) {
        return Err(FrameError::TooLong { body });
    }
    let mut out = Vec::with_capacity(HEADER_LEN + len);
    out.extend_from_slice(&PREAMBLE);
    // `len` ≤ 2314 was checked above, so both bytes fit
    out.push((len >> 8) as u8);
    out.push((len & 0xFF) as u8);
    for part in parts {
        out.extend_from_slice(part);
    }
    let chk = checksum(&out[PREAMBLE.len()..]);
    out.push(chk);
    Ok(out)
}

/// Encodes a host→SAM request: `CMD Para Data…`.
pub fn encode_request(cmd: u8, para: u8, data: &[u8]) -> Result<Vec<u8>, FrameError> {
    encode_parts(&[&[cmd, para], data])
}

/// Encodes a SAM→host response: `SW1 SW2 SW3 Payload…`.
pub fn encode_response(sw1: u8, sw2: u8, sw3: u8, payload: &[u8]) -> Result<Vec<u8>, FrameError> {
    encode_parts(&[&[sw1, sw2, sw3], payload])
}

/// One complete, checksum-verified frame (either direction), holding its wire bytes so a
/// licence-bound photo decoder that wants the whole frame can have it.
#[derive(Clone, PartialEq, Eq)]
pub struct Frame {
    bytes: Vec<u8>,
}

impl std::fmt::Debug for Frame {
    // The body may be a card's text block: print its size and first bytes only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let head: Vec<String> = self
            .body()
            .iter()
            .take(3)
            .map(|b| format!("{b:02X}"))
            .collect();
        write!(
            f,
            "Frame({} bytes, body starts {})",
            self.bytes.len(),
            head.join(" ")
        )
    }
}

impl Frame {
    /// Parses exactly one frame from `bytes` (no leading or trailing bytes), checking
    /// preamble, length range and checksum. For streams use [`FrameDecoder`].
    pub fn parse(bytes: &[u8]) -> Result<Self, FrameError> {
        if bytes.len() < HEADER_LEN {
            return Err(if bytes.starts_with(&PREAMBLE[..bytes.len().min(5)]) {
                FrameError::Incomplete {
                    expected: HEADER_LEN,
                    received: bytes.len(),
                }
            } else {
                FrameError::BadPreamble
            });
        }
        if bytes[..5] != PREAMBLE {
            return Err(FrameError::BadPreamble);
        }
        let len = u16::from_be_bytes([bytes[5], bytes[6]]);
        if !(MIN_LEN_FIELD..=MAX_LEN_FIELD).contains(&len) {
            return Err(FrameError::BadLength { len });
        }
        let total = HEADER_LEN + usize::from(len);
        if bytes.len() < total {
            return Err(FrameError::Incomplete {
                expected: total,
                received: bytes.len(),
            });
        }
        if bytes.len() > total {
            return Err(FrameError::TrailingBytes {
                extra: bytes.len() - total,
            });
        }
        verify_checksum(bytes)?;
        Ok(Self {
            bytes: bytes.to_vec(),
        })
    }

    /// The whole frame as on the wire.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Consumes the frame, returning its wire bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The body: everything between the length field and the checksum.
    pub fn body(&self) -> &[u8] {
        // a Frame is only built from ≥ 10 verified bytes
        self.bytes
            .get(HEADER_LEN..self.bytes.len().saturating_sub(1))
            .unwrap_or_default()
    }

    /// The length field (`Len1 Len2`, big-endian).
    pub fn len_field(&self) -> u16 {
        (self.bytes.len() - HEADER_LEN) as u16
    }

    /// The checksum byte.
    pub fn checksum(&self) -> u8 {
        self.bytes.last().copied().unwrap_or_default()
    }

    /// Reads the body as a host→SAM request (`CMD Para Data…`). Always possible, because
    /// the smallest legal body has two bytes.
    pub fn request(&self) -> RequestView<'_> {
        let body = self.body();
        RequestView {
            cmd: body.first().copied().unwrap_or_default(),
            para: body.get(1).copied().unwrap_or_default(),
            data: body.get(2..).unwrap_or_default(),
        }
    }

    /// Reads the body as a SAM→host response (`SW1 SW2 SW3 Payload…`).
    pub fn response(&self) -> Result<ResponseView<'_>, FrameError> {
        match self.body() {
            [sw1, sw2, sw3, payload @ ..] => Ok(ResponseView {
                sw1: *sw1,
                sw2: *sw2,
                status: Status::from_byte(*sw3),
                payload,
            }),
            body => Err(FrameError::NotAResponse { len: body.len() }),
        }
    }
}

fn verify_checksum(frame: &[u8]) -> Result<(), FrameError> {
    match frame.split_last() {
        Some((&found, rest)) if rest.len() >= PREAMBLE.len() => {
            let computed = checksum(&rest[PREAMBLE.len()..]);
            if computed == found {
                Ok(())
            } else {
                Err(FrameError::BadChecksum { computed, found })
            }
        }
        _ => Err(FrameError::Incomplete {
            expected: HEADER_LEN,
            received: frame.len(),
        }),
    }
}

/// A request body, borrowed from a [`Frame`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestView<'a> {
    /// Command byte.
    pub cmd: u8,
    /// Parameter byte.
    pub para: u8,
    /// Optional data after the parameter (only `61 FF` uses it).
    pub data: &'a [u8],
}

/// A response body, borrowed from a [`Frame`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ResponseView<'a> {
    /// Card status byte 1 (always `00` in captured frames).
    pub sw1: u8,
    /// Card status byte 2 (always `00` in captured frames).
    pub sw2: u8,
    /// The SAM status that matters (SW3).
    pub status: Status,
    /// Command-specific payload.
    pub payload: &'a [u8],
}

impl std::fmt::Debug for ResponseView<'_> {
    // The payload may hold personal data: print its length only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseView")
            .field("sw1", &self.sw1)
            .field("sw2", &self.sw2)
            .field("status", &self.status)
            .field("payload_len", &self.payload.len())
            .finish()
    }
}

/// Counters a driver can export for its health page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecoderStats {
    /// Good frames delivered.
    pub frames: u64,
    /// Bytes dropped while looking for a preamble (line noise, remains of bad frames).
    pub discarded_bytes: u64,
    /// Frames dropped for a bad checksum.
    pub bad_checksums: u64,
    /// Headers dropped for an impossible length.
    pub bad_lengths: u64,
    /// Partial frames abandoned by the driver.
    pub truncated: u64,
}

/// A streaming frame decoder: push bytes as they arrive in any pieces, pull frames and
/// typed errors.
///
/// It drops garbage before a preamble, waits for split frames, refuses lengths outside
/// `3..=2314` without waiting for 64 KiB that will never come, and after a bad checksum or
/// length resumes the search one byte after the failed preamble, so a good frame that
/// follows is still delivered. The buffer grows per push, not per byte, and is compacted
/// after frames are taken; memory stays bounded by what the caller pushes between pulls.
#[derive(Debug, Clone)]
pub struct FrameDecoder {
    buf: Vec<u8>,
    start: usize,
    stats: DecoderStats,
}

impl Default for FrameDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameDecoder {
    /// A decoder with room for two maximum frames.
    pub fn new() -> Self {
        Self {
            buf: Vec::with_capacity(2 * MAX_FRAME_LEN),
            start: 0,
            stats: DecoderStats::default(),
        }
    }

    /// Appends received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 {
            // keep the unconsumed tail only; it is at most a partial frame plus what the
            // caller pushed without pulling
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The next frame or frame error, or `None` until more bytes arrive.
    pub fn next_frame(&mut self) -> Option<Result<Frame, FrameError>> {
        if !self.seek_preamble() {
            return None;
        }
        let pending = &self.buf[self.start..];
        if pending.len() < HEADER_LEN {
            return None;
        }
        let len = u16::from_be_bytes([pending[5], pending[6]]);
        if !(MIN_LEN_FIELD..=MAX_LEN_FIELD).contains(&len) {
            // resume one byte after this preamble: the next search skips the rest
            self.start += 1;
            self.stats.bad_lengths += 1;
            return Some(Err(FrameError::BadLength { len }));
        }
        let total = HEADER_LEN + usize::from(len);
        let candidate = pending.get(..total)?;
        Some(match verify_checksum(candidate) {
            Ok(()) => {
                let frame = Frame {
                    bytes: candidate.to_vec(),
                };
                self.start += total;
                self.stats.frames += 1;
                self.compact_if_empty();
                Ok(frame)
            }
            Err(e) => {
                self.start += 1;
                self.stats.bad_checksums += 1;
                Err(e)
            }
        })
    }

    /// The driver's response timer ran out: give up the frame being assembled (if any) and
    /// look for a preamble after its start, in case a short frame hides behind a cut one.
    /// Returns the [`FrameError::Truncated`] event when a partial frame was dropped; a
    /// dangling piece of preamble (1–4 bytes) is dropped silently as noise.
    pub fn abandon_partial(&mut self) -> Option<FrameError> {
        if !self.seek_preamble() {
            self.stats.discarded_bytes += self.buffered() as u64;
            self.clear();
            return None;
        }
        let pending = &self.buf[self.start..];
        let expected = match pending.get(5..7) {
            Some(&[hi, lo]) => HEADER_LEN + usize::from(u16::from_be_bytes([hi, lo])),
            _ => HEADER_LEN,
        };
        let received = pending.len();
        self.start += 1;
        self.stats.truncated += 1;
        Some(FrameError::Truncated { expected, received })
    }

    /// Bytes held that are not yet part of a delivered frame.
    pub fn buffered(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Drops everything buffered (e.g. after reopening the port at another baud rate).
    pub fn clear(&mut self) {
        self.buf.clear();
        self.start = 0;
    }

    /// Counters since creation.
    pub fn stats(&self) -> DecoderStats {
        self.stats
    }

    /// Moves `start` to the next preamble. Returns false (keeping only a possible preamble
    /// prefix at the end) when none is buffered.
    fn seek_preamble(&mut self) -> bool {
        let pending = &self.buf[self.start..];
        if let Some(at) = find_preamble(pending) {
            self.stats.discarded_bytes += at as u64;
            self.start += at;
            return true;
        }
        // keep the longest tail that could still grow into a preamble
        let keep = (1..PREAMBLE.len())
            .rev()
            .find(|&k| pending.len() >= k && pending[pending.len() - k..] == PREAMBLE[..k])
            .unwrap_or(0);
        let drop = pending.len() - keep;
        self.stats.discarded_bytes += drop as u64;
        self.start += drop;
        self.compact_if_empty();
        false
    }

    fn compact_if_empty(&mut self) {
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        }
    }
}

/// Offset of the first full preamble in `bytes`.
fn find_preamble(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(rel) = bytes.get(from..)?.iter().position(|&b| b == PREAMBLE[0]) {
        let at = from + rel;
        match bytes.get(at..at + PREAMBLE.len()) {
            Some(window) if window == PREAMBLE => return Some(at),
            Some(_) => from = at + 1,
            None => return None,
        }
    }
    None
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn find_request_matches_the_sheet() {
        assert_eq!(
            encode_request(0x20, 0x01, &[]).unwrap(),
            [0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22]
        );
    }

    #[test]
    fn preamble_prefix_at_the_end_is_kept() {
        let frame = encode_response(0, 0, 0x90, &[]).unwrap();
        let mut d = FrameDecoder::new();
        d.push(&[0x01, 0x02, 0xAA, 0xAA]);
        assert!(d.next_frame().is_none());
        assert_eq!(d.buffered(), 2);
        d.push(&frame[2..]);
        assert_eq!(d.next_frame().unwrap().unwrap().as_bytes(), frame);
        assert_eq!(d.stats().discarded_bytes, 2);
    }
}
