//! The prefilter and the streaming loop: input is read through one buffer; while no chain is open a literal
//! search over the whole buffer jumps from candidate line to candidate line, and only those lines (and the lines of
//! an open chain) are handed to the chain reader.
//!
//! # Streaming design
//!
//! [`scan`] reads its input through one buffer of [`MAX_LINE_BYTES`] (1 MiB); nothing else grows with the input.
//! While no chain is open it does not look at lines one by one: an Aho-Corasick search for the words every header
//! contains (`Exception`, `Error`, `Throwable`, `Caused by`, `ThreadDeath`) jumps from candidate to candidate, and
//! only the skipped newlines are counted (memchr). Inside a chain every line is classified with cheap prefix
//! tests. A chain keeps at most [`MAX_CHAIN_FRAMES`] frames, [`MAX_CHAIN_EXCEPTIONS`] exceptions,
//! [`MAX_MESSAGE_BYTES`] per message and [`MAX_CHAIN_BYTES`] of text; what is beyond is read and dropped, and the
//! chain is marked [`Chain::truncated`]. A line longer than the buffer is cut to its first [`MAX_LINE_BYTES`];
//! invalid UTF-8 is decoded lossily. Peak memory stays a few MiB whatever the input (measured: 3.5 MB RSS on 1 GB).

use std::io::{self, Read};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use memchr::{memchr, memchr_iter, memrchr};

use super::chain::Chain;
use super::chains::{CANDIDATES, Parser};
use super::header::is_token_byte;
use super::lines::SIGNALS;

/// Bytes and lines kept before a trace as its context.
const MAX_CONTEXT_BYTES: usize = 4096;
const MAX_CONTEXT_LINES: usize = 12;

/// The longest line read whole (and the size of [`scan`]'s buffer); longer lines are cut to this many bytes.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// What [`scan`] read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Bytes read.
    pub bytes: u64,
    /// Lines read (a last line without a newline counts).
    pub lines: u64,
    /// Chains reported.
    pub chains: u64,
    /// Chains whose lines repeated an earlier chain's and were compared rather than read (see `repeats`).
    pub repeats: u64,
}

/// Parses a whole text.
pub fn parse(text: &str) -> Vec<Chain> {
    let mut chains = Vec::new();
    // Reading from a byte slice cannot fail.
    let _ = scan(text.as_bytes(), |chain| chains.push(chain));
    chains
}

/// Streams a reader of any size: calls `on_chain` for every chain found; memory bounded regardless of input size.
pub fn scan<R: Read>(input: R, on_chain: impl FnMut(Chain)) -> io::Result<ScanStats> {
    scan_with(input, true, on_chain)
}

/// Parses a whole text without reading repeated traces fast: what [`parse`] gives must be the same.
#[cfg(test)]
pub(super) fn parse_line_by_line(text: &str) -> Vec<Chain> {
    let mut chains = Vec::new();
    let _ = scan_with(text.as_bytes(), false, |chain| chains.push(chain));
    chains
}

fn scan_with<R: Read>(mut input: R, remember: bool, mut on_chain: impl FnMut(Chain)) -> io::Result<ScanStats> {
    let finder = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        // No DFA: it costs more to build (milliseconds) than it saves; the Teddy prefilter does the searching.
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(SIGNALS.iter().chain(CANDIDATES.iter()))
        .ok();
    let mut parser = Parser::new(false, remember);
    let mut repeats = 0u64;
    let mut buf = vec![0u8; MAX_LINE_BYTES];
    let (mut start, mut end) = (0usize, 0usize);
    let mut bytes = 0u64;
    let mut eof = false;
    // Lines begun so far: the number of the line being read once it has begun.
    let mut line_no = 0usize;
    // Inside an over-long line whose beginning was handled already: drop bytes up to its newline.
    let mut skipping = false;
    let mut chains = 0u64;
    let mut emit = |chain: Chain| {
        if !chain.lone {
            chains += 1;
        }
        on_chain(chain);
    };

    loop {
        if start > 0 {
            buf.copy_within(start..end, 0);
            end -= start;
            start = 0;
        }
        if !eof && end < buf.len() {
            match input.read(&mut buf[end..]) {
                Ok(0) => eof = true,
                Ok(n) => {
                    end += n;
                    bytes += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }

        loop {
            if skipping {
                match memchr(b'\n', &buf[start..end]) {
                    Some(i) => {
                        start += i + 1;
                        skipping = false;
                    }
                    None => {
                        start = end;
                        break;
                    }
                }
            }
            if start == end {
                break;
            }
            if parser.is_idle()
                && let Some(finder) = &finder
            {
                let region = &buf[start..end];
                match finder.find_iter(region).find(|m| plausible_match(region, m)) {
                    Some(m) => {
                        let line_start = memrchr(b'\n', &region[..m.start()]).map_or(0, |i| i + 1);
                        line_no += count_newlines(&region[..line_start]);
                        start += line_start;
                    }
                    None => {
                        if let Some(i) = memrchr(b'\n', region) {
                            line_no += count_newlines(&region[..=i]);
                            start += i + 1;
                        }
                        if start < end && (eof || (start == 0 && end == buf.len())) {
                            // A last line, or the beginning of an over-long one, without any candidate.
                            line_no += 1;
                            skipping = !eof;
                            start = end;
                        }
                        break;
                    }
                }
            }
            // The lines just before a trace (the log statement that printed it, the frames of a pasted trace whose
            // header was cut off) say where it happened: its context, decoded only when a chain starts.
            let line_start = start;
            let context = || context_text(context_before(&buf[..end], line_start));
            match memchr(b'\n', &buf[start..end]) {
                Some(i) => {
                    line_no += 1;
                    parser.line(&text_of(&buf[start..start + i]), line_no, &context, &mut emit);
                    start += i + 1;
                    // A trace seen before: its lines are compared, not read again.
                    if !parser.is_idle()
                        && let Some((bytes, lines)) = parser.skip_repeat(&buf[start..end])
                    {
                        start += bytes;
                        line_no += lines;
                        repeats += 1;
                    }
                }
                None if eof || (start == 0 && end == buf.len()) => {
                    // The last line without a newline, or the first MAX_LINE_BYTES of an over-long line.
                    line_no += 1;
                    parser.line(&text_of(&buf[start..end]), line_no, &context, &mut emit);
                    skipping = !eof;
                    start = end;
                    break;
                }
                None => break,
            }
        }

        if eof && start >= end {
            break;
        }
    }
    parser.finish(&mut emit);
    Ok(ScanStats { bytes, lines: line_no as u64, chains, repeats })
}

/// Whether a candidate word found by the search can belong to a header: `Exception`, `Error`, ... must end a class
/// name (`IOException`, `java.lang.Error`), which prose like `Exception occurred` or `ErrorHandler` does not.
/// The region starts at a line start, so a word at its start has nothing before it.
fn plausible_match(region: &[u8], m: &aho_corasick::Match) -> bool {
    // Signals come first, so that leftmost-first prefers `Error Code` to `Error` at the same place.
    let Some(pattern) = m.pattern().as_usize().checked_sub(SIGNALS.len()) else { return true };
    if CANDIDATES[pattern] == "Caused by" {
        return true;
    }
    let before = m.start().checked_sub(1).map(|i| region[i]);
    let after = region.get(m.end());
    if CANDIDATES[pattern] == "Error"
        && (region[m.end()..].starts_with(b" Code") || region[m.end()..].starts_with(b"Response"))
    {
        // `AWS Error Code: …`, MinIO's `ErrorResponse(code = …`: an answer, with or without a class.
        return true;
    }
    before.is_some_and(is_token_byte) && !after.is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
}

/// The context lines as the chain keeps them: as written (only searched for where and what, never shown).
fn context_text(bytes: &[u8]) -> String {
    text_of(bytes).trim().to_string()
}

/// At most [`MAX_CONTEXT_LINES`] lines / [`MAX_CONTEXT_BYTES`] bytes that end right before `line_start`.
fn context_before(region: &[u8], line_start: usize) -> &[u8] {
    let Some(end) = line_start.checked_sub(1) else { return &[] };
    let floor = end.saturating_sub(MAX_CONTEXT_BYTES);
    let mut begin = end;
    for _ in 0..MAX_CONTEXT_LINES {
        match memrchr(b'\n', &region[floor..begin]) {
            Some(i) => begin = floor + i,
            None => {
                begin = floor;
                break;
            }
        }
    }
    let begin = if begin > floor || region.get(begin) == Some(&b'\n') { begin + 1 } else { begin };
    &region[begin.min(end)..end]
}

/// A line as text: borrowed when it is valid UTF-8 (the usual case, checked fast), decoded lossily otherwise.
fn text_of(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

fn count_newlines(bytes: &[u8]) -> usize {
    memchr_iter(b'\n', bytes).count()
}
