//! Configuration errors that name the file, the line and the field.

use std::fmt;
use std::ops::Range;

/// One problem in a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, as the caller named it.
    pub file: String,
    /// 1-based line of the offending value (0 when the file as a whole is at fault).
    pub line: usize,
    /// Dotted path of the field, e.g. `matter[3].category`.
    pub field: String,
    /// What is wrong, in words a technician can act on.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.field, self.message
        )
    }
}

/// Every problem found in one load, so a technician fixes them all in one pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// A file's text with its name, to turn byte spans into line numbers.
pub(crate) struct SourceText<'a> {
    file: &'a str,
    text: &'a str,
}

impl<'a> SourceText<'a> {
    pub(crate) fn new(file: &'a str, text: &'a str) -> Self {
        Self { file, text }
    }

    /// 1-based line of a byte offset.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    pub(crate) fn at(
        &self,
        span: Range<usize>,
        field: String,
        message: impl Into<String>,
    ) -> ConfigError {
        ConfigError {
            file: self.file.to_string(),
            line: if span.is_empty() && span.start == 0 {
                0
            } else {
                self.line_of(span.start)
            },
            field,
            message: message.into(),
        }
    }

    /// A TOML syntax or shape error. The field is taken from the message where it names one.
    pub(crate) fn toml_error(&self, e: &toml::de::Error) -> ConfigErrors {
        // an empty span at the start is the file as a whole (a missing top-level table)
        let line = e
            .span()
            .filter(|s| !(s.is_empty() && s.start == 0))
            .map_or(0, |s| self.line_of(s.start));
        let message = e.message().trim().to_string();
        let missing = message.contains("missing field");
        let key = e
            .span()
            .map(|s| key_on_line(self.text, s.start))
            .unwrap_or_default();
        let key = if missing || key.is_empty() {
            backtick_word(&message).unwrap_or_default()
        } else {
            key
        };
        // A missing field is reported on the table that lacks it: its `[header]` (the path
        // must include that header, so read up to the span's end) or its `{ inline }` value.
        let prefix = e
            .span()
            .map(|s| {
                let path = table_path(self.text, if missing { s.end } else { s.start });
                let inline =
                    missing && self.text.get(s.clone()).is_some_and(|t| t.starts_with('{'));
                match (inline, key_on_line(self.text, s.start)) {
                    (true, k) if !k.is_empty() && path.is_empty() => k,
                    (true, k) if !k.is_empty() => format!("{path}.{k}"),
                    _ => path,
                }
            })
            .unwrap_or_default();
        let field = match (prefix.is_empty(), key.is_empty()) {
            (_, true) if prefix.is_empty() => "(语法)".to_string(),
            (_, true) => prefix,
            (true, false) => key,
            (false, false) => format!("{prefix}.{key}"),
        };
        ConfigErrors(vec![ConfigError {
            file: self.file.to_string(),
            line,
            field,
            message,
        }])
    }
}

/// The first word quoted in backticks: serde names unknown and missing fields that way.
fn backtick_word(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_string())
}

/// The key of the `key = value` line that holds `offset`.
fn key_on_line(text: &str, offset: usize) -> String {
    let start = text[..offset.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("");
    line.split_once('=')
        .map(|(k, _)| k.trim().to_string())
        .unwrap_or_default()
}

/// The dotted path of the table that holds `offset`, with array-of-tables indices:
/// `matter[3]`, `matter[3].guide`, `terminal`.
fn table_path(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let mut path = String::new();
    let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for line in before.lines() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix("[[").and_then(|l| l.split("]]").next()) {
            let name = name.trim().to_string();
            let n = counts.entry(name.clone()).or_insert(0);
            path = format!("{name}[{n}]");
            *n += 1;
        } else if let Some(name) = line.strip_prefix('[').and_then(|l| l.split(']').next()) {
            let name = name.trim();
            // `[matter.guide]` continues the current `[[matter]]` element.
            match name.split_once('.') {
                Some((parent, child)) if counts.contains_key(parent) => {
                    let n = counts[parent].saturating_sub(1);
                    path = format!("{parent}[{n}].{child}");
                }
                _ => path = name.to_string(),
            }
        }
    }
    path
}
