//! Matter search for an on-screen keyboard: pinyin initials (`ylbx` finds 养老保险),
//! full pinyin (`yanglao`) and plain Chinese text.
//!
//! Every character's possible readings are kept (多音字 such as 行 or 长), so a query
//! matches whichever reading the citizen has in mind.

use pinyin::ToPinyinMulti;

/// A searchable text: per character, the set of letter strings it may be typed as.
#[derive(Debug, Clone)]
pub struct SearchKey {
    text: String,
    /// For each character: its possible initials (one letter each).
    initials: Vec<Vec<char>>,
    /// For each character: its possible plain readings (`yang`, `lao`, …), or the
    /// lowercase character itself for ASCII.
    readings: Vec<Vec<String>>,
}

impl SearchKey {
    /// Builds the key of a matter name or alias.
    pub fn new(text: &str) -> Self {
        let mut initials = Vec::new();
        let mut readings = Vec::new();
        for (ch, multi) in text.chars().zip(text.to_pinyin_multi()) {
            match multi {
                Some(multi) => {
                    let mut first: Vec<char> = Vec::new();
                    let mut plain: Vec<String> = Vec::new();
                    for p in multi {
                        if let Some(c) = p.first_letter().chars().next()
                            && !first.contains(&c)
                        {
                            first.push(c);
                        }
                        let r = p.plain().to_string();
                        if !plain.contains(&r) {
                            plain.push(r);
                        }
                    }
                    initials.push(first);
                    readings.push(plain);
                }
                None => {
                    let lower = ch.to_ascii_lowercase();
                    if lower.is_ascii_alphanumeric() {
                        initials.push(vec![lower]);
                        readings.push(vec![lower.to_string()]);
                    } else {
                        // punctuation and brackets: never matched, but they break no run
                        initials.push(Vec::new());
                        readings.push(Vec::new());
                    }
                }
            }
        }
        Self {
            text: text.to_string(),
            initials,
            readings,
        }
    }

    /// True when `query` matches: as a substring of the text, as consecutive initials,
    /// or as consecutive full readings (the last one may be a prefix).
    pub fn matches(&self, query: &str) -> bool {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return false;
        }
        if !q.is_ascii() {
            return self.text.contains(q.as_str());
        }
        let q: Vec<char> = q.chars().filter(|c| !c.is_whitespace()).collect();
        self.matches_initials(&q) || self.matches_readings(&q)
    }

    fn matches_initials(&self, q: &[char]) -> bool {
        let sets: Vec<&Vec<char>> = self.initials.iter().filter(|s| !s.is_empty()).collect();
        if q.len() > sets.len() {
            return false;
        }
        (0..=sets.len() - q.len()).any(|start| {
            q.iter()
                .enumerate()
                .all(|(i, c)| sets[start + i].contains(c))
        })
    }

    fn matches_readings(&self, q: &[char]) -> bool {
        let sets: Vec<&Vec<String>> = self.readings.iter().filter(|s| !s.is_empty()).collect();
        let q: String = q.iter().collect();
        (0..sets.len()).any(|start| Self::consume(&sets[start..], &q))
    }

    /// Can `q` be spelled by the readings from the start of `sets` on?
    fn consume(sets: &[&Vec<String>], q: &str) -> bool {
        if q.is_empty() {
            return true;
        }
        let Some((first, rest)) = sets.split_first() else {
            return false;
        };
        first.iter().any(|r| {
            if let Some(tail) = q.strip_prefix(r.as_str()) {
                Self::consume(rest, tail)
            } else {
                // the last typed syllable may be incomplete: `yangl` → 养老
                r.starts_with(q)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_find_pension_matters() {
        let k = SearchKey::new("城乡居民基本养老保险参保登记");
        assert!(k.matches("ylbx"));
        assert!(k.matches("YLBX"));
        assert!(k.matches("cxjm"));
        assert!(!k.matches("ylbxx"));
        assert!(!k.matches("yibao"));
    }

    #[test]
    fn full_pinyin_and_chinese_match() {
        let k = SearchKey::new("社会保障卡申领（成年人）");
        assert!(k.matches("shehui"));
        assert!(
            !k.matches("shebao"),
            "readings must be consecutive; 社保 is an alias matter"
        );
        assert!(k.matches("shehuibaozhangka"));
        assert!(k.matches("shehuib"));
        assert!(k.matches("保障卡"));
        assert!(k.matches("cnr"));
        assert!(!k.matches("医保"));
    }

    #[test]
    fn polyphonic_characters_match_any_reading() {
        // 行 reads xing or hang; 银行 is yinhang
        let k = SearchKey::new("银行账户变更");
        assert!(k.matches("yh"));
        assert!(k.matches("yinhang"));
    }

    #[test]
    fn empty_queries_match_nothing() {
        assert!(!SearchKey::new("养老").matches("  "));
    }
}
