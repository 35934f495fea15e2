//! The wire frame (PROTOCOL.md §2): start byte, length, command, payload, CRC-8, end byte.
//!
//! ```text
//! A5 | LEN | CMD | payload … | CRC | 5A
//! ```
//!
//! `LEN` counts `CMD` and the payload (1..=32), so a frame is `LEN + 4` bytes long. `CRC` is
//! CRC-8 (polynomial `0x07`, initial value `0x00`, no reflection, no final XOR — the
//! "CRC-8/SMBUS" of the CRC catalogue) over `LEN`, `CMD` and the payload. There is no byte
//! stuffing: the length delimits the frame, and the end byte, the length bound and the CRC
//! together reject a false start inside garbage. The rule is the same in both directions;
//! only the command codes differ (pad→host codes have the top bit set, see [`crate::message`]).

/// The byte that opens every frame.
pub const START: u8 = 0xA5;
/// The byte that closes every frame.
pub const END: u8 = 0x5A;
/// The largest length field: `CMD` plus at most 31 payload bytes.
pub const MAX_LEN: u8 = 32;
/// The largest payload a frame can carry.
pub const MAX_PAYLOAD: usize = MAX_LEN as usize - 1;
/// Bytes around `CMD` + payload: start, length, CRC, end.
pub const OVERHEAD: usize = 4;
/// The longest frame on the wire.
pub const MAX_FRAME: usize = MAX_LEN as usize + OVERHEAD;

/// Why bytes are not (or not yet) a good frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// The length field is 0 or above 32; the decoder resynchronises on the next start byte.
    #[error("frame length field {len} outside 1..=32")]
    BadLength {
        /// The length field as received.
        len: u8,
    },
    /// The byte where the end byte `5A` belongs is something else: a false start (a `A5`
    /// in garbage) or a frame whose length byte was damaged. The decoder resynchronises one
    /// byte after the start byte, so a frame that follows is not lost.
    #[error("frame end byte {found:02X}, expected 5A")]
    BadEnd {
        /// The byte found where `5A` belongs.
        found: u8,
    },
    /// The CRC over `LEN CMD payload` does not match; the framing was right (the end byte is
    /// in place), so the decoder skips the whole frame.
    #[error("frame CRC {found:02X}, computed {computed:02X}")]
    BadChecksum {
        /// What the bytes give.
        computed: u8,
        /// The CRC byte received.
        found: u8,
    },
    /// The rest of a frame did not arrive in time ([`FrameDecoder::abandon_partial`]).
    #[error("frame truncated: {received} of {expected} bytes")]
    Truncated {
        /// Total bytes the length field announced (or 2 when the length itself is missing).
        expected: usize,
        /// Bytes that arrived.
        received: usize,
    },
    /// A single frame passed to [`Frame::parse`] does not start with `A5`.
    #[error("frame does not start with A5")]
    BadStart,
    /// A single frame passed to [`Frame::parse`] is shorter than its length field says.
    #[error("frame incomplete: {received} of {expected} bytes")]
    Incomplete {
        /// Total bytes announced (2 when the length field itself is cut off).
        expected: usize,
        /// Bytes given.
        received: usize,
    },
    /// A single frame passed to [`Frame::parse`] has bytes after its end byte.
    #[error("{extra} bytes after the frame")]
    TrailingBytes {
        /// How many.
        extra: usize,
    },
    /// An encoder was asked for a payload above 31 bytes.
    #[error("payload of {payload} bytes exceeds the protocol maximum of 31")]
    TooLong {
        /// Payload bytes requested.
        payload: usize,
    },
}

/// CRC-8/SMBUS (polynomial `x⁸ + x² + x + 1` = `0x07`, init `0x00`, MSB first, no final
/// XOR) of `bytes`: the frame check when given `LEN CMD payload`. Chosen over a plain XOR
/// because XOR misses any two flips of the same bit position, which a noisy RS-232 line
/// produces; a CRC-8 with this polynomial detects every error of up to 3 bits in frames this
/// short. The catalogue check value: `crc8(b"123456789") == 0xF4`.
pub fn crc8(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |mut crc, &b| {
        crc ^= b;
        for _ in 0..8 {
            crc = if crc & 0x80 != 0 {
                (crc << 1) ^ 0x07
            } else {
                crc << 1
            };
        }
        crc
    })
}

/// One checksum-verified frame of either direction: the command byte and its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    cmd: u8,
    payload: Vec<u8>,
}

impl Frame {
    /// A frame of `cmd` with `payload` (at most 31 bytes).
    pub fn new(cmd: u8, payload: &[u8]) -> Result<Self, FrameError> {
        if payload.len() > MAX_PAYLOAD {
            return Err(FrameError::TooLong {
                payload: payload.len(),
            });
        }
        Ok(Self {
            cmd,
            payload: payload.to_vec(),
        })
    }

    /// The command byte.
    pub fn cmd(&self) -> u8 {
        self.cmd
    }

    /// The payload after the command byte.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The frame's wire bytes.
    pub fn encode(&self) -> Vec<u8> {
        encode_parts(self.cmd, &self.payload)
    }

    /// Parses exactly one frame from `bytes` (no leading or trailing bytes). For streams use
    /// [`FrameDecoder`].
    pub fn parse(bytes: &[u8]) -> Result<Self, FrameError> {
        match bytes {
            [] => Err(FrameError::Incomplete {
                expected: 2,
                received: 0,
            }),
            [first, ..] if *first != START => Err(FrameError::BadStart),
            [_] => Err(FrameError::Incomplete {
                expected: 2,
                received: 1,
            }),
            [_, len, ..] => {
                check_len(*len)?;
                let total = usize::from(*len) + OVERHEAD;
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
                verify(bytes)
            }
        }
    }
}

/// Builds a frame's bytes. `payload` must be at most [`MAX_PAYLOAD`] bytes: [`Frame::new`]
/// checks it, and the typed messages of [`crate::message`] are at most 20 bytes by
/// construction.
pub(crate) fn encode_parts(cmd: u8, payload: &[u8]) -> Vec<u8> {
    // ≤ 31 + 1 by the callers' contract, so the length fits a byte
    let len = (payload.len() + 1) as u8;
    let mut out = Vec::with_capacity(payload.len() + 1 + OVERHEAD);
    out.push(START);
    out.push(len);
    out.push(cmd);
    out.extend_from_slice(payload);
    out.push(crc8(&out[1..]));
    out.push(END);
    out
}

fn check_len(len: u8) -> Result<(), FrameError> {
    if (1..=MAX_LEN).contains(&len) {
        Ok(())
    } else {
        Err(FrameError::BadLength { len })
    }
}

/// Checks the end byte and the CRC of a complete candidate (`A5 LEN … CRC 5A`, length
/// already checked and matching `bytes.len()`).
fn verify(bytes: &[u8]) -> Result<Frame, FrameError> {
    let [_, covered @ .., crc, end] = bytes else {
        return Err(FrameError::Incomplete {
            expected: OVERHEAD + 1,
            received: bytes.len(),
        });
    };
    if *end != END {
        return Err(FrameError::BadEnd { found: *end });
    }
    let computed = crc8(covered);
    if computed != *crc {
        return Err(FrameError::BadChecksum {
            computed,
            found: *crc,
        });
    }
    match covered {
        [_, cmd, payload @ ..] => Ok(Frame {
            cmd: *cmd,
            payload: payload.to_vec(),
        }),
        _ => Err(FrameError::Incomplete {
            expected: OVERHEAD + 1,
            received: bytes.len(),
        }),
    }
}

/// Counters a driver can export for its health page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecoderStats {
    /// Good frames delivered.
    pub frames: u64,
    /// Bytes dropped while looking for a start byte (line noise, remains of bad frames).
    pub discarded_bytes: u64,
    /// Frames dropped for a bad CRC.
    pub bad_checksums: u64,
    /// Candidates dropped for an impossible length or a missing end byte.
    pub bad_framing: u64,
    /// Partial frames abandoned by the driver.
    pub truncated: u64,
}

/// A streaming frame decoder: push bytes as they arrive in any pieces, pull frames and
/// typed errors.
///
/// It drops garbage before a start byte, waits for split frames, refuses a length outside
/// `1..=32` at once, and after a bad length or a missing end byte resumes the search one
/// byte after the failed start byte, so a good frame that follows is still delivered. After
/// a bad CRC (end byte in place) it skips the whole frame. Which frames and errors come out
/// depends only on the bytes, never on how they were split. Memory is bounded by what the
/// caller pushes between pulls.
#[derive(Debug, Clone, Default)]
pub struct FrameDecoder {
    buf: Vec<u8>,
    start: usize,
    stats: DecoderStats,
}

impl FrameDecoder {
    /// An empty decoder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends received bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The next frame or frame error, or `None` until more bytes arrive.
    pub fn next_frame(&mut self) -> Option<Result<Frame, FrameError>> {
        if !self.seek_start() {
            return None;
        }
        let pending = &self.buf[self.start..];
        let len = *pending.get(1)?;
        if let Err(e) = check_len(len) {
            self.start += 1;
            self.stats.bad_framing += 1;
            return Some(Err(e));
        }
        let total = usize::from(len) + OVERHEAD;
        let candidate = pending.get(..total)?;
        Some(match verify(candidate) {
            Ok(frame) => {
                self.start += total;
                self.stats.frames += 1;
                self.compact_if_empty();
                Ok(frame)
            }
            Err(e @ FrameError::BadChecksum { .. }) => {
                self.start += total;
                self.stats.bad_checksums += 1;
                self.compact_if_empty();
                Err(e)
            }
            Err(e) => {
                self.start += 1;
                self.stats.bad_framing += 1;
                Err(e)
            }
        })
    }

    /// The inter-byte timeout ran out (PROTOCOL.md §2.3): give up the frame being assembled,
    /// if any, and look for a start byte after its first byte. Returns the
    /// [`FrameError::Truncated`] event when a partial frame was dropped.
    pub fn abandon_partial(&mut self) -> Option<FrameError> {
        if !self.seek_start() {
            return None;
        }
        let pending = &self.buf[self.start..];
        let expected = match pending.get(1) {
            Some(&len) => usize::from(len) + OVERHEAD,
            None => 2,
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

    /// Drops everything buffered (after a reconnect).
    pub fn clear(&mut self) {
        self.buf.clear();
        self.start = 0;
    }

    /// Counters since creation.
    pub fn stats(&self) -> DecoderStats {
        self.stats
    }

    /// Moves `start` to the next start byte; false (with nothing kept) when none is buffered.
    fn seek_start(&mut self) -> bool {
        let pending = &self.buf[self.start..];
        match pending.iter().position(|&b| b == START) {
            Some(at) => {
                self.stats.discarded_bytes += at as u64;
                self.start += at;
                true
            }
            None => {
                self.stats.discarded_bytes += pending.len() as u64;
                self.buf.clear();
                self.start = 0;
                false
            }
        }
    }

    fn compact_if_empty(&mut self) {
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn crc8_catalogue_check_value() {
        assert_eq!(crc8(b"123456789"), 0xF4);
        assert_eq!(crc8(&[]), 0x00);
    }

    #[test]
    fn a_split_frame_waits_for_its_rest() {
        let bytes = Frame::new(0x01, &[]).unwrap().encode();
        let mut d = FrameDecoder::new();
        d.push(&bytes[..2]);
        assert!(d.next_frame().is_none());
        d.push(&bytes[2..]);
        assert_eq!(d.next_frame().unwrap().unwrap().cmd(), 0x01);
        assert_eq!(d.buffered(), 0);
    }
}
