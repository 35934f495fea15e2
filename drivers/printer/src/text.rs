//! Chinese text for the printer: GB18030 bytes, display width, wrapping, alignment, and the
//! detection of characters the resident font cannot print (`escpos.md` §3.1, §3.2, §3.8, §5).

use crate::profile::TextEncoding;

/// Horizontal alignment of a line, shared by layout (`ESC a`) and the rendered paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Flush left (`ESC a 0`).
    #[default]
    Left,
    /// Centred (`ESC a 1`).
    Center,
    /// Flush right (`ESC a 2`).
    Right,
}

impl Align {
    /// The `ESC a n` parameter.
    pub fn code(self) -> u8 {
        match self {
            Align::Left => 0,
            Align::Center => 1,
            Align::Right => 2,
        }
    }

    /// Parse an `ESC a n` parameter (0/48 left, 1/49 centre, 2/50 right); unknown → left.
    pub fn from_code(n: u8) -> Align {
        match n {
            1 | 49 => Align::Center,
            2 | 50 => Align::Right,
            _ => Align::Left,
        }
    }
}

/// How one character travels to the printer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CharClass {
    /// Printable ASCII (0x20–0x7E): one half-width byte.
    Ascii(u8),
    /// A two-byte code the resident font has (GB18030 two-byte == GBK for these).
    DoubleByte([u8; 2]),
    /// The font cannot print it (four-byte GB18030, outside GBK, or a control character):
    /// the line must be rasterised (`escpos.md` §5 item 3).
    Unprintable,
}

/// Classify `c` for a printer whose font uses `encoding`.
///
/// Why: a citizen's name with a rare character (𠮷, Ext-B) must never come out as `?`; the
/// encoder rasterises every line that has an [`CharClass::Unprintable`] character.
pub fn classify(c: char, encoding: TextEncoding) -> CharClass {
    if c.is_ascii() {
        return if (' '..='~').contains(&c) {
            CharClass::Ascii(c as u8)
        } else {
            CharClass::Unprintable
        };
    }
    let enc = match encoding {
        TextEncoding::Gb18030 => encoding_rs::GB18030,
        TextEncoding::Gbk => encoding_rs::GBK,
    };
    let mut buf = [0u8; 4];
    let s = c.encode_utf8(&mut buf);
    let (bytes, _, had_errors) = enc.encode(s);
    match (had_errors, bytes.as_ref()) {
        (false, [a, b]) => CharClass::DoubleByte([*a, *b]),
        // four-byte GB18030 sequences, GBK's single-byte 0x80 (€), or unmappable
        _ => CharClass::Unprintable,
    }
}

/// True when the resident font can print every character of `s`.
pub fn is_printable(s: &str, encoding: TextEncoding) -> bool {
    s.chars()
        .all(|c| classify(c, encoding) != CharClass::Unprintable)
}

/// The characters of `s` that need a raster, in order of appearance (duplicates kept out).
pub fn unprintable_chars(s: &str, encoding: TextEncoding) -> Vec<char> {
    let mut out = Vec::new();
    for c in s.chars() {
        if classify(c, encoding) == CharClass::Unprintable && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// Errors from [`encode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// The character cannot be sent as text; rasterise the line instead.
    #[error("U+{:04X} cannot be printed by the resident font; rasterise the line", u32::from(*.0))]
    Unprintable(char),
}

/// Encode `s` for the printer's Chinese mode: ASCII as single bytes, everything else as a
/// two-byte GB code. Fails on the first unprintable character instead of sending `?`.
pub fn encode(s: &str, encoding: TextEncoding) -> Result<Vec<u8>, TextError> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match classify(c, encoding) {
            CharClass::Ascii(b) => out.push(b),
            CharClass::DoubleByte(bb) => out.extend_from_slice(&bb),
            CharClass::Unprintable => return Err(TextError::Unprintable(c)),
        }
    }
    Ok(out)
}

/// Full GB18030 encoding of `s` (four-byte sequences included), for payloads whose bytes are
/// wanted whatever the font has, e.g. the test vectors of `escpos.md` §1.4.
pub fn encode_gb18030(s: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(s).0.into_owned()
}

/// Decode GB18030 bytes (the device side); malformed bytes become U+FFFD.
pub fn decode_gb18030(bytes: &[u8]) -> String {
    encoding_rs::GB18030
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

/// Display width of one character in half-width columns: ASCII 1, everything else 2.
///
/// Why this rule: in Chinese mode a single byte prints half-width (12×24) and every two-byte
/// code full-width (24×24), so width follows the byte class, not Unicode's East Asian Width
/// (`escpos.md` §3.8: "A Hanzi occupies two ASCII columns").
pub fn char_width(c: char) -> usize {
    if c.is_ascii() { 1 } else { 2 }
}

/// Display width of `s` in half-width columns.
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Wrap `s` into lines of at most `columns` display columns.
///
/// Never splits a character; breaks between Hanzi freely; keeps an ASCII word (a run of
/// non-space ASCII such as a URL or a number) whole unless it is longer than a line (then it
/// starts on a fresh line and breaks between characters). Leading
/// spaces of continuation lines are dropped. Explicit `\n` starts a new line.
pub fn wrap(s: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(2);
    let mut lines = Vec::new();
    for para in s.split('\n') {
        wrap_paragraph(para, columns, &mut lines);
    }
    lines
}

fn wrap_paragraph(para: &str, columns: usize, lines: &mut Vec<String>) {
    // tokens: a maximal ASCII non-space run, a single space, or a single non-ASCII char
    let mut tokens: Vec<&str> = Vec::new();
    let mut start = None;
    for (i, c) in para.char_indices() {
        let word_char = c.is_ascii() && c != ' ';
        match (word_char, start) {
            (true, None) => start = Some(i),
            (true, Some(_)) => {}
            (false, s) => {
                if let Some(st) = s {
                    tokens.push(&para[st..i]);
                    start = None;
                }
                tokens.push(&para[i..i + c.len_utf8()]);
            }
        }
    }
    if let Some(st) = start {
        tokens.push(&para[st..]);
    }
    let mut line = String::new();
    let mut width = 0;
    let mut continuation = false;
    for tok in tokens {
        let w = display_width(tok);
        if width + w <= columns {
            if !(continuation && line.is_empty() && tok == " ") {
                line.push_str(tok);
                width += w;
            }
            continue;
        }
        if tok == " " {
            // a space at the break point is dropped
            lines.push(std::mem::take(&mut line).trim_end().to_string());
            width = 0;
            continuation = true;
            continue;
        }
        continuation = true;
        if w > columns {
            // a word longer than a line: start it on a fresh line, then split by character
            if !line.trim_end().is_empty() {
                lines.push(std::mem::take(&mut line).trim_end().to_string());
            }
            line.clear();
            width = 0;
            for c in tok.chars() {
                let cw = char_width(c);
                if width + cw > columns {
                    lines.push(std::mem::take(&mut line));
                    width = 0;
                }
                line.push(c);
                width += cw;
            }
            continue;
        }
        lines.push(std::mem::take(&mut line).trim_end().to_string());
        line.push_str(tok);
        width = w;
    }
    lines.push(line.trim_end().to_string());
}

/// Pad `s` to `columns` display columns with spaces according to `align`.
///
/// Used when a line is laid out by hand (key-value rows); plain lines use `ESC a` instead.
/// A line wider than `columns` is returned unchanged.
pub fn align(s: &str, columns: usize, align: Align) -> String {
    let w = display_width(s);
    if w >= columns {
        return s.to_string();
    }
    let pad = columns - w;
    let (left, right) = match align {
        Align::Left => (0, pad),
        Align::Center => (pad / 2, pad - pad / 2),
        Align::Right => (pad, 0),
    };
    format!("{}{}{}", " ".repeat(left), s, " ".repeat(right))
}

/// Lay a key and a value on one line of `columns`: key flush left, value flush right; if both
/// do not fit, the value goes on following lines, right-aligned.
pub fn key_value(key: &str, value: &str, columns: usize) -> Vec<String> {
    let kw = display_width(key);
    let vw = display_width(value);
    if kw + vw < columns {
        return vec![format!("{}{}{}", key, " ".repeat(columns - kw - vw), value)];
    }
    let mut out = wrap(key, columns);
    for l in wrap(value, columns) {
        out.push(align(&l, columns, Align::Right).trim_end().to_string());
    }
    out
}
