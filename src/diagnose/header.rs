//! Recognising the parts of a trace line: exception headers (`pkg.SomeException: message`), `Caused by:` /
//! `Suppressed:` links, `at` frames and their packaging data, `... N more` elisions.

use memchr::memchr;

use super::chain::Link;
use super::chains::THROWABLE_SUFFIXES;

/// How far after a frame's `(` its `)` is looked for (keeps splitting a long line at ` at ` linear).
pub(super) const MAX_FRAME_ARGS: usize = 512;

/// A header found in a line: the exception class and what follows it.
#[derive(Debug)]
pub(super) struct HeaderMatch<'a> {
    /// The class as written.
    pub(super) class: &'a str,
    /// What follows the class (`: message`, frames, ...).
    pub(super) rest: &'a str,
    /// The class is the first thing on the line.
    pub(super) at_start: bool,
    /// Only a mention (class at the end of a log line, or followed by prose): a chain only if a trace follows.
    pub(super) tentative: bool,
}

/// The byte ranges of the dotted names in `text` (`a.b.C`, `$` and `_` allowed, trailing dots left out): where a
/// class name can stand.
pub(super) fn name_tokens(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !is_token_byte(bytes[i]) {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() && is_token_byte(bytes[i]) {
            i += 1;
        }
        let mut end = i;
        while end > start && bytes[end - 1] == b'.' {
            end -= 1;
        }
        Some((start, end))
    })
}

/// The first exception class in a line that reads as an exception header: `pkg.SomeException` followed by `:`,
/// by the end of the line, or — when it starts the line — by anything.
pub(super) fn find_header(content: &str) -> Option<HeaderMatch<'_>> {
    let bytes = content.as_bytes();
    if !has_throwable_word(bytes) {
        // Every name a header can start with ends in one of these words: most log lines have none.
        return None;
    }
    let first = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    for (start, end) in name_tokens(content) {
        let at_start = start == first;
        if !(at_start || may_precede_class(bytes[start - 1])) {
            continue;
        }
        let rest = &content[end..];
        let name = &content[start..end];
        if !(is_throwable_name(name) || (is_bare_throwable_name(name) && rest.starts_with(": "))) {
            continue;
        }
        let after = rest.trim();
        let tentative = if after.is_empty() {
            !at_start
        } else if rest.starts_with(':') {
            false
        } else if at_start && rest.starts_with(|c: char| c.is_whitespace()) {
            !(elision(after).is_some() || after == "at" || starts_with_at(after).is_some_and(looks_like_frame))
        } else {
            continue;
        };
        return Some(HeaderMatch { class: &content[start..end], rest, at_start, tentative });
    }
    None
}

/// Whether `bytes` holds a word a throwable name ends in (`Exception`, `Error`, `Throwable`, `ThreadDeath`).
fn has_throwable_word(bytes: &[u8]) -> bool {
    static WORDS: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> = std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
            .build(THROWABLE_SUFFIXES)
            .ok()
    });
    WORDS.as_ref().is_none_or(|words| words.is_match(bytes))
}

pub(super) fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'.'
}

pub(super) fn may_precede_class(b: u8) -> bool {
    b.is_ascii_whitespace() || b"\"'`([{:=,;>|".contains(&b)
}

/// `pkg.Name` (at least one package segment, starting lower-case; abbreviated `o.a.h.` packages are fine) whose
/// simple name ends in `Exception`, `Error`, `Throwable` or is `ThreadDeath`.
pub(super) fn is_throwable_name(name: &str) -> bool {
    // The suffix first: most tokens of a line are no class names at all.
    if !THROWABLE_SUFFIXES.iter().any(|suffix| name.ends_with(suffix)) {
        return false;
    }
    let mut segments = name.split('.');
    let Some(package) = segments.next() else { return false };
    if !package.starts_with(|c: char| c.is_ascii_lowercase()) {
        return false;
    }
    let mut last = package;
    let mut count = 1;
    for segment in segments {
        if segment.is_empty() || segment.starts_with(|c: char| c.is_ascii_digit()) {
            return false;
        }
        last = segment;
        count += 1;
    }
    count >= 2 && THROWABLE_SUFFIXES.iter().any(|suffix| last.ends_with(suffix))
}

/// A class printed without its package, as some loggers and wrappers do (`AmazonS3Exception`, `IOException`):
/// CamelCase with at least two capitals, ending in `Exception` or `Error` (never the bare word itself).
pub(super) fn is_bare_throwable_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix("Exception").or_else(|| name.strip_suffix("Error")) else { return false };
    stem.len() >= 2
        && stem.starts_with(|c: char| c.is_ascii_uppercase())
        && stem.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'$' || b == b'_')
        && stem.bytes().filter(u8::is_ascii_uppercase).count() + 1 >= 2
}

/// The class after `Caused by:` / `Suppressed:`, where any name is accepted (`MyException`, `a.b.C`), and what
/// follows it; `None` when no name follows.
pub(super) fn lenient_class(rest: &str) -> Option<(&str, &str)> {
    let rest = rest.trim_start();
    let end = rest.bytes().position(|b| !is_token_byte(b)).unwrap_or(rest.len());
    let class = rest[..end].trim_end_matches('.');
    (!class.is_empty()).then(|| (class, &rest[end..]))
}

/// `Caused by: X…` or `Suppressed: X…`: the link, the class and what follows it.
pub(super) fn linked_header(trimmed: &str) -> Option<(Link, (&str, &str))> {
    if let Some(rest) = trimmed.strip_prefix("Caused by:") {
        return Some((Link::CausedBy, lenient_class(rest)?));
    }
    Some((Link::Suppressed, lenient_class(trimmed.strip_prefix("Suppressed:")?)?))
}

/// The frame after a leading `at ` (or `at` and a tab).
pub(super) fn starts_with_at(trimmed: &str) -> Option<&str> {
    let rest = trimmed.strip_prefix("at")?;
    rest.starts_with([' ', '\t']).then(|| rest.trim_start())
}

/// `... 25 more`, `... 25 common frames omitted` (Some(25)), other `...` lines, `[...]`,
/// `[CIRCULAR REFERENCE: ...]` (Some(0)).
pub(super) fn elision(trimmed: &str) -> Option<usize> {
    if let Some(rest) = trimmed.strip_prefix("...").or_else(|| trimmed.strip_prefix('\u{2026}')) {
        let rest = rest.trim_start();
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let tail = rest[digits..].trim();
        if digits > 0 && (tail == "more" || tail.starts_with("common frames omitted")) {
            return Some(rest[..digits].parse().unwrap_or(0));
        }
        return Some(0);
    }
    (trimmed == "[...]" || trimmed.starts_with("[CIRCULAR REFERENCE")).then_some(0)
}

/// Whether `text` starts like a frame: `a.b.C.method(` … `)`, with Java 9 module prefixes, `$` and `<init>`.
pub(super) fn looks_like_frame(text: &str) -> bool {
    let bytes = text.as_bytes();
    let name = bytes.iter().take_while(|&&b| b.is_ascii_alphanumeric() || b"_$.<>/@+-".contains(&b)).count();
    name > 0
        && bytes.get(name) == Some(&b'(')
        && bytes[..name].contains(&b'.')
        && memchr(b')', &bytes[name..bytes.len().min(name + MAX_FRAME_ARGS)]).is_some()
}

/// Splits `text` at ` at ` where a frame follows: (what comes first, the frames, whether it ended with ` at`).
pub(super) fn split_frames(text: &str) -> (&str, Vec<&str>, bool) {
    static AT: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(" at "));
    let mut cuts = Vec::new();
    let mut from = 0;
    while let Some(i) = AT.find(&text.as_bytes()[from..]) {
        let at = from + i;
        let frame = at + 4;
        if looks_like_frame(text[frame..].trim_start()) {
            cuts.push((at, frame));
        }
        from = frame - 1;
    }
    if let Some(rest) = text.strip_prefix("at ")
        && looks_like_frame(rest.trim_start())
    {
        cuts.insert(0, (0, 3));
    }
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut begin = 0;
    for &(at, frame) in &cuts {
        pieces.push(text[begin..at].trim());
        begin = frame;
    }
    pieces.push(text[begin..].trim());
    let mut trailing_at = false;
    if let Some(last) = pieces.last_mut() {
        if *last == "at" {
            *last = "";
            trailing_at = true;
        } else if let Some(stripped) = last.strip_suffix(" at") {
            *last = stripped.trim_end();
            trailing_at = true;
        }
    }
    let first = pieces.remove(0);
    pieces.retain(|piece| !piece.is_empty());
    (first, pieces, trailing_at)
}

/// Splits logback/log4j2 packaging data off a frame: `X(Y.java:1) ~[y.jar:1.0]` -> (`X(Y.java:1)`, `y.jar:1.0`).
pub(super) fn split_packaging(frame: &str) -> (&str, Option<&str>) {
    let frame = frame.trim();
    let Some(open) = memchr(b'(', frame.as_bytes()) else { return (frame, None) };
    let Some(close) = memchr(b')', &frame.as_bytes()[open..]).map(|i| open + i) else { return (frame, None) };
    let after = frame[close + 1..].trim();
    if after.is_empty() {
        return (&frame[..=close], None);
    }
    let bracketed = after.strip_prefix('~').unwrap_or(after).trim_start();
    match bracketed.strip_prefix('[').and_then(|b| b.strip_suffix(']')) {
        Some(inner) => (&frame[..=close], Some(inner)),
        None => (frame, None),
    }
}

/// Width of a line's leading whitespace (a tab counts as 4).
pub(super) fn indent_of(content: &str) -> usize {
    content.chars().take_while(|c| c.is_whitespace()).map(|c| if c == '\t' { 4 } else { 1 }).sum()
}

/// `text` cut to at most `max` bytes, at a character boundary.
pub(super) fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
