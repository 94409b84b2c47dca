//! Signature patterns of the failure catalogue, compiled only when first needed and guarded by a literal that
//! every match must contain, so that a short input does not pay for compiling ~200 regexes and a long one tries
//! a regex only where its literal occurs.

use std::sync::OnceLock;

use regex::Regex;

/// A regex compiled on first use, with the literal (if any) that every match contains.
#[derive(Debug)]
pub struct Pattern {
    source: String,
    literal: Option<String>,
    compiled: OnceLock<Regex>,
}

impl Clone for Pattern {
    fn clone(&self) -> Self {
        let p = Pattern { source: self.source.clone(), literal: self.literal.clone(), compiled: OnceLock::new() };
        if let Some(re) = self.compiled.get() {
            let _ = p.compiled.set(re.clone());
        }
        p
    }
}

impl Pattern {
    /// A pattern compiled now (for user files: a bad regex is an error at load).
    pub fn eager(source: &str) -> Result<Pattern, regex::Error> {
        let p = Pattern::lazy(source);
        let _ = p.compiled.set(compile_ascii(source)?);
        Ok(p)
    }

    /// A pattern compiled on first use (the built-in catalogue, whose patterns a test compiles).
    pub fn lazy(source: &str) -> Pattern {
        Pattern { source: source.to_string(), literal: required_literal(source), compiled: OnceLock::new() }
    }

    /// The regex as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The compiled regex (compiling it now if needed; a pattern that does not compile matches nothing).
    pub fn regex(&self) -> Option<&Regex> {
        if let Some(re) = self.compiled.get() {
            return Some(re);
        }
        let re = compile_ascii(&self.source).ok()?;
        Some(self.compiled.get_or_init(|| re))
    }

    /// Whether the pattern matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        if let Some(lit) = &self.literal
            && !text.contains(lit.as_str())
        {
            return false;
        }
        self.regex().is_some_and(|re| re.is_match(text))
    }
}

/// `pattern` with its Perl classes made ASCII (`\s` → `[\t\n\x0B\x0C\r ]`, `\d`, `\w`, `\S`, `\b` → `(?-u:\b)`):
/// traces are ASCII where it matters, and Unicode classes make compiling a regex many times slower.
pub fn ascii_classes(pattern: &str) -> String {
    const SPACE: &str = r"\t\n\x0B\x0C\r ";
    const WORD: &str = "0-9A-Za-z_";
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push(c);
                    break;
                };
                let replacement = match (next, in_class) {
                    ('s', false) => format!("[{SPACE}]"),
                    ('s', true) => SPACE.to_string(),
                    ('d', false) => "[0-9]".to_string(),
                    ('d', true) => "0-9".to_string(),
                    ('w', false) => format!("[{WORD}]"),
                    ('w', true) => WORD.to_string(),
                    ('S', false) => format!("[^{SPACE}]"),
                    ('D', false) => "[^0-9]".to_string(),
                    ('W', false) => format!("[^{WORD}]"),
                    ('b', false) => r"(?-u:\b)".to_string(),
                    ('B', false) => r"(?-u:\B)".to_string(),
                    _ => format!("\\{next}"),
                };
                out.push_str(&replacement);
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` right after `[` or `[^` is a literal.
                let rest = chars.as_str();
                if let Some(r) = rest.strip_prefix('^') {
                    out.push('^');
                    chars = r.chars();
                }
                if chars.as_str().starts_with(']') {
                    out.push(']');
                    chars.next();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Compiles `pattern` with ASCII classes.
pub fn compile_ascii(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&ascii_classes(pattern))
}

/// The longest run of plain characters (at least 4) that every match of `pattern` contains, found without
/// parsing the regex: only runs at the top level (outside groups and classes), not followed by a quantifier that
/// allows zero, in a pattern without top-level alternation or inline flags. `None` when no such run is certain.
pub fn required_literal(pattern: &str) -> Option<String> {
    if pattern.starts_with("(?") {
        return None;
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut depth = 0usize;
    let mut in_class = false;
    let mut runs: Vec<String> = Vec::new();
    let mut run = String::new();
    let mut i = 0;
    let flush = |run: &mut String, runs: &mut Vec<String>| {
        if !run.is_empty() {
            runs.push(std::mem::take(run));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if in_class {
            if c == '\\' {
                i += 1;
            } else if c == ']' {
                in_class = false;
            }
            i += 1;
            continue;
        }
        match c {
            '\\' => {
                let &next = chars.get(i + 1)?;
                if next.is_ascii_alphanumeric() {
                    // \s, \d, \b, \w …: a class or an assertion, not a literal.
                    flush(&mut run, &mut runs);
                } else if depth == 0 {
                    run.push(next);
                }
                i += 2;
                continue;
            }
            '[' => {
                flush(&mut run, &mut runs);
                in_class = true;
            }
            '(' => {
                flush(&mut run, &mut runs);
                depth += 1;
            }
            ')' => {
                depth = depth.saturating_sub(1);
            }
            '|' if depth == 0 => return None,
            '?' | '*' | '{' => {
                // The character before may be absent: drop it from the run.
                run.pop();
                flush(&mut run, &mut runs);
                if c == '{' {
                    while i < chars.len() && chars[i] != '}' {
                        i += 1;
                    }
                }
            }
            '+' => {
                flush(&mut run, &mut runs);
            }
            '.' | '^' | '$' => flush(&mut run, &mut runs),
            _ if depth == 0 => run.push(c),
            _ => {}
        }
        i += 1;
    }
    flush(&mut run, &mut runs);
    runs.into_iter().filter(|r| r.chars().count() >= 4).max_by_key(|r| r.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_every_match_contains() {
        assert_eq!(
            required_literal(r"Timeout waiting for connection from pool").as_deref(),
            Some("Timeout waiting for connection from pool")
        );
        assert_eq!(
            required_literal(r"No FileSystem for scheme:? ?(?P<scheme>s3[an]?)\b").as_deref(),
            Some("No FileSystem for scheme")
        );
        assert_eq!(required_literal(r"Access Denied\s*\(Service: (Amazon )?S3[;,]").as_deref(), Some("Access Denied"));
        assert_eq!(
            required_literal(r"From option fs\.s3a\.(aws\.)?credentials\.provider").as_deref(),
            Some("credentials.provider")
        );
        assert_eq!(required_literal(r"a|b"), None);
        assert_eq!(required_literal(r"(?i)access denied"), None);
        assert_eq!(required_literal(r"Unable\s+to\s+find"), Some("Unable".to_string()));
        assert_eq!(required_literal(r"abcde?"), Some("abcd".to_string()));
    }

    #[test]
    fn ascii_classes_keep_the_meaning_on_ascii_text() {
        assert_eq!(ascii_classes(r"a\s+b"), r"a[\t\n\x0B\x0C\r ]+b");
        assert_eq!(ascii_classes(r"[^\s/]\b"), r"[^\t\n\x0B\x0C\r /](?-u:\b)");
        assert_eq!(ascii_classes(r"\S+\.x"), r"[^\t\n\x0B\x0C\r ]+\.x");
        let re = compile_ascii(r"Status Code: (\d{3})\b").unwrap();
        assert_eq!(&re.captures("(Status Code: 403;").unwrap()[1], "403");
    }

    #[test]
    fn the_literal_never_rejects_a_match() {
        for (pattern, text) in [
            (r"No FileSystem for scheme:? ?(?P<scheme>s3[an]?)\b", "No FileSystem for scheme: s3"),
            (r"Status Code: 403.*\):\s*AccessDenied\b", "Status Code: 403, x):AccessDenied"),
            (r"is not authorized to perform:\s*s3:", "is not authorized to perform: s3:GetObject"),
        ] {
            let p = Pattern::lazy(pattern);
            assert!(p.is_match(text), "{pattern}: {:?}", required_literal(pattern));
        }
    }
}
