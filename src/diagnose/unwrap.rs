//! Undoing what tools wrap around trace lines: container and timestamp prefixes, log-record starts, JSON strings
//! and their escapes.

use memchr::memchr;

use super::chain::Level;
use super::chains::CANDIDATES;

/// Removes the prefixes tools put on every line: `kubectl logs --prefix` (`[pod/name/container] `), YARN
/// (`container_e08_…_000002: `), docker compose (`flink-jobmanager-1  | `) and RFC 3339 timestamps
/// (`kubectl logs --timestamps`); also a trailing `\r`. Returns whether a timestamp was removed.
pub(super) fn strip_prefixes(raw: &str) -> (&str, bool) {
    let mut line = raw.strip_suffix('\r').unwrap_or(raw);
    let mut had_timestamp = false;
    if line.starts_with([' ', '\t']) || line.is_empty() {
        // Frames and continuation lines: no tool prefix starts with white space.
        return (line, false);
    }
    for _ in 0..4 {
        if let Some(rest) = strip_bracket_prefix(line)
            .or_else(|| strip_container_prefix(line))
            .or_else(|| strip_compose_prefix(line))
            .or_else(|| strip_quote_prefix(line))
            .or_else(|| strip_syslog_prefix(line))
        {
            line = rest;
        } else if let Some(rest) = strip_rfc3339(line) {
            line = rest;
            had_timestamp = true;
        } else {
            break;
        }
    }
    (line, had_timestamp)
}

/// Markdown quotes and fences, table and box-drawing borders around a pasted line: `> `, `│ `, `| `, a leading
/// fence glued to the text (`` ```java.io.IOException``), and the matching right border.
pub(super) fn strip_quote_prefix(line: &str) -> Option<&str> {
    let rest = if let Some(rest) = line.strip_prefix("```") {
        if rest.bytes().all(|b| b.is_ascii_alphanumeric()) { "" } else { rest }
    } else {
        let first = line.chars().next()?;
        if !matches!(first, '>' | '│' | '┃' | '║' | '|') {
            return None;
        }
        let rest = &line[first.len_utf8()..];
        if !(rest.is_empty() || rest.starts_with([' ', '\t', '>'])) {
            return None;
        }
        rest.strip_prefix(' ').unwrap_or(rest)
    };
    let rest = rest.trim_end();
    let rest = match rest.char_indices().next_back() {
        Some((i, '│' | '┃' | '║' | '|')) if rest[..i].ends_with(' ') => rest[..i].trim_end(),
        _ => rest,
    };
    Some(rest)
}

/// A syslog / journald prefix: `Jan 12 11:19:40 host tag[871]: ` (the tag ends in `:`).
pub(super) fn strip_syslog_prefix(line: &str) -> Option<&str> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = line.get(..3)?;
    if !MONTHS.contains(&month) {
        return None;
    }
    let mut parts = line[3..].trim_start().splitn(4, ' ');
    let day = parts.next()?;
    let time = parts.next()?;
    let host = parts.next()?;
    let rest = parts.next()?;
    let time_ok = time.len() == 8
        && time.bytes().enumerate().all(|(i, b)| if i % 3 == 2 { b == b':' } else { b.is_ascii_digit() });
    if day.is_empty() || day.len() > 2 || !day.bytes().all(|b| b.is_ascii_digit()) || !time_ok || host.is_empty() {
        return None;
    }
    let (tag, after) = rest.split_once(' ')?;
    // rsyslog writes control characters as `#ooo`: a frame's tab arrives as `#011at …`.
    let after = after.strip_prefix("#011").unwrap_or(after);
    (tag.ends_with(':') && tag.len() > 1).then_some(after)
}

pub(super) fn strip_bracket_prefix(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('[')?;
    let close = inner.find(']')?;
    let name = &inner[..close];
    (name.contains('/') && !name.contains(char::is_whitespace)).then_some(())?;
    inner[close + 1..].strip_prefix(' ')
}

pub(super) fn strip_container_prefix(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("container_")?;
    let id = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
    let rest = rest[id..].strip_prefix(':')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

pub(super) fn strip_compose_prefix(line: &str) -> Option<&str> {
    let bytes = line.as_bytes();
    let name = bytes.iter().take_while(|b| b.is_ascii_alphanumeric() || b"_.-".contains(b)).count();
    let digits = bytes[..name].iter().rev().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0
        || digits == name
        || !matches!(bytes[name - digits - 1], b'-' | b'_')
        || !bytes[..name].iter().any(u8::is_ascii_alphabetic)
    {
        return None;
    }
    let rest = line[name..].strip_prefix(' ')?.trim_start_matches(' ');
    let rest = rest.strip_prefix('|')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

/// `2024-03-01T12:00:01.123456789Z ` (or with an offset) at the start of a line.
pub(super) fn strip_rfc3339(line: &str) -> Option<&str> {
    let b = line.as_bytes();
    let digits = |range: std::ops::Range<usize>| b.get(range).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let shape = digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10)
        && b.get(10) == Some(&b'T')
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19);
    if !shape {
        return None;
    }
    let space = memchr(b' ', b)?;
    let zone = &line[19..space];
    zone.bytes().all(|c| c.is_ascii_digit() || b".,:+-Z".contains(&c)).then(|| &line[space + 1..])
}

/// Whether a line starts a new log record (a timestamp, a level, a JSON object), which ends a message.
pub(super) fn is_new_record(content: &str, had_timestamp: bool) -> bool {
    if content.starts_with(char::is_whitespace) {
        return false;
    }
    if had_timestamp || content.starts_with('{') || is_escaped_record(content) {
        return true;
    }
    let s = content.strip_prefix('[').unwrap_or(content);
    let b = s.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let date = digit(0) && digit(1) && digit(2) && digit(3) && matches!(b.get(4), Some(b'-' | b'/' | b'.'));
    let short_date = digit(0) && digit(1) && matches!(b.get(2), Some(b'-' | b'/' | b'.')) && digit(3) && digit(4);
    let time = digit(0) && b.get(1..3).is_some_and(|t| t[0].is_ascii_digit() && t[1] == b':') && digit(3);
    if date || short_date || time {
        return true;
    }
    const LEVELS: [&str; 8] = ["TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL", "SEVERE"];
    let word = s.split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("");
    if LEVELS.contains(&word) {
        return true;
    }
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    MONTHS.contains(&word)
        && s[word.len()..].starts_with(' ')
        && s[word.len()..].trim_start().starts_with(|c: char| c.is_ascii_digit())
}

/// A JSON log line, or a line carrying a trace with `\n\tat` escapes.
pub(super) fn is_escaped_record(content: &str) -> bool {
    let t = content.trim_start();
    if !t.starts_with('{') && memchr(b'\\', t.as_bytes()).is_none() {
        // No JSON object and no escape: the usual line, decided without a substring search.
        return false;
    }
    (t.starts_with('{') && t.contains('"'))
        || t.contains("\\n\\tat ")
        || t.contains("\\n    at ")
        || t.contains("\\nCaused by: ")
        || (t.contains("\\n") && t.contains("\\\"") && has_candidate(t))
}

pub(super) fn has_candidate(text: &str) -> bool {
    CANDIDATES.iter().any(|word| text.contains(word))
}

/// The raw (still escaped) contents of the double-quoted strings in a line; an unterminated one runs to the end.
pub(super) fn quoted_strings(line: &str) -> Vec<&str> {
    let bytes = line.as_bytes();
    let mut strings = Vec::new();
    let mut i = 0;
    while let Some(open) = memchr(b'"', &bytes[i..]).map(|o| i + o) {
        let mut j = open + 1;
        while j < bytes.len() && bytes[j] != b'"' {
            j += if bytes[j] == b'\\' { 2 } else { 1 };
        }
        let close = j.min(bytes.len());
        strings.push(&line[open + 1..close]);
        i = close + 1;
        if i >= bytes.len() {
            break;
        }
    }
    strings
}

/// Decodes JSON (and C-like) string escapes; malformed ones are kept as written, lone surrogates become U+FFFD.
pub(super) fn decode_escapes(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let rest = chars.as_str();
                match rest.get(..4).and_then(|h| u32::from_str_radix(h, 16).ok()) {
                    Some(high @ 0xD800..=0xDBFF) => {
                        let low = rest
                            .get(4..6)
                            .filter(|s| *s == "\\u")
                            .and_then(|_| rest.get(6..10))
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                            .filter(|low| (0xDC00..=0xDFFF).contains(low));
                        match low {
                            Some(low) => {
                                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                                chars = rest[10..].chars();
                            }
                            None => {
                                out.push('\u{FFFD}');
                                chars = rest[4..].chars();
                            }
                        }
                    }
                    Some(code) => {
                        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        chars = rest[4..].chars();
                    }
                    None => out.push_str("\\u"),
                }
            }
            Some(other) if "\"\\/'".contains(other) => out.push(other),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The level of a log line: the first level word among its first tokens (upper case, or lower case in quotes as
/// JSON logs write it: `"level":"error"`).
pub fn level_of(line: &str) -> Option<Level> {
    let head = super::header::cut(line, 160);
    let bytes = head.as_bytes();
    let mut seen = 0;
    let mut i = 0;
    while i < bytes.len() && seen < 12 {
        if !bytes[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        seen += 1;
        let word = &head[start..i];
        let quoted = start > 0 && bytes[start - 1] == b'"' && bytes.get(i) == Some(&b'"');
        if (word.bytes().all(|b| b.is_ascii_uppercase()) || quoted)
            && let Some(level) = Level::from_word(word)
        {
            return Some(level);
        }
    }
    None
}
