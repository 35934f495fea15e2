//! UCS-2 little-endian field text (fact sheet §7): decode a field's code units, trim the
//! trailing space padding (`20 00`), keep inner and leading spaces (English names contain
//! spaces; never cut at the first one).

/// Little-endian code units of `bytes` (an odd trailing byte is ignored; callers check
/// lengths first).
pub(crate) fn units(bytes: &[u8]) -> impl Iterator<Item = u16> + '_ {
    bytes
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
}

/// Decodes code units as UTF-16 after dropping trailing spaces. `None` when the units are
/// not valid UTF-16 (a lone surrogate).
pub(crate) fn decode_trimmed(units: &[u16]) -> Option<String> {
    let end = units
        .iter()
        .rposition(|&u| u != u16::from(b' '))
        .map_or(0, |i| i + 1);
    String::from_utf16(&units[..end]).ok()
}

/// Decodes a whole little-endian byte slice (e.g. the 70-byte appended address).
pub(crate) fn decode_bytes_trimmed(bytes: &[u8]) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units: Vec<u16> = units(bytes).collect();
    decode_trimmed(&units)
}

/// Writes `value` as UTF-16LE into `out`, padding with spaces. Returns the number of code
/// units `value` needs when it does not fit.
pub(crate) fn write_padded(out: &mut [u8], value: &str) -> Result<(), usize> {
    let capacity = out.len() / 2;
    let needed = value.encode_utf16().count();
    if needed > capacity {
        return Err(needed);
    }
    let padding = std::iter::repeat_n(u16::from(b' '), capacity - needed);
    for (slot, unit) in out
        .chunks_exact_mut(2)
        .zip(value.encode_utf16().chain(padding))
    {
        slot.copy_from_slice(&unit.to_le_bytes());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_only_trailing_spaces() {
        let u: Vec<u16> = " A B  ".encode_utf16().collect();
        assert_eq!(decode_trimmed(&u).as_deref(), Some(" A B"));
        assert_eq!(decode_trimmed(&[0xD800, 0x20]), None);
        let mut out = [0u8; 6];
        assert_eq!(write_padded(&mut out, "张"), Ok(()));
        assert_eq!(out, [0x20, 0x5F, 0x20, 0, 0x20, 0]);
        assert_eq!(write_padded(&mut out, "abcd"), Err(4));
    }
}
