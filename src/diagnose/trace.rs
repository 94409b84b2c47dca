//! Text -> exception chains.
//!
//! Reads Java stack traces the way users paste them: bare, inside a whole log (log4j/logback prefixes on the
//! header line, ordinary log lines around), with container prefixes on every line (`kubectl logs --prefix`,
//! `--timestamps`, YARN `container_…:`, docker compose `name-1  | `), tab- or space-indented frames, `... 25 more`,
//! `[...]` elisions, abbreviated packages (`o.a.h.fs.s3a.S3AFileSystem`), frames run together with ` at` at line
//! ends, messages over several lines, CRLF, traces JSON-escaped inside a JSON log line, and PyFlink's
//! `Py4JJavaError` wrapping a Java trace.
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

use aho_corasick::AhoCorasick;
use memchr::{memchr, memchr_iter, memrchr};

/// The longest line read whole (and the size of [`scan`]'s buffer); longer lines are cut to this many bytes.
pub const MAX_LINE_BYTES: usize = 1 << 20;
/// Frames kept per chain; later ones are read and dropped, and the chain is marked truncated.
pub const MAX_CHAIN_FRAMES: usize = 2000;
/// Exceptions kept per chain; later ones are read and dropped, and the chain is marked truncated.
pub const MAX_CHAIN_EXCEPTIONS: usize = 256;
/// Bytes of text (headers, messages, frames) kept per chain; what is beyond is dropped, and the chain is marked
/// truncated.
pub const MAX_CHAIN_BYTES: usize = 1 << 20;
/// Bytes of one exception's message kept (continuation lines included); what is beyond is dropped, and the chain
/// is marked truncated.
pub const MAX_MESSAGE_BYTES: usize = 64 << 10;
/// Continuation lines one message may have; a longer run of non-frame lines ends the chain.
pub const MAX_MESSAGE_LINES: usize = 100;
/// Blank lines tolerated inside a chain (before a frame, `... N more` or `Caused by:` carries on).
const MAX_BLANK_LINES: usize = 2;
/// How far after a frame's `(` its `)` is looked for (keeps splitting a long line at ` at ` linear).
const MAX_FRAME_ARGS: usize = 512;
/// Bytes kept of an exception's header line ([`Exception::header`]) and of one frame.
const MAX_HEADER_BYTES: usize = 4096;

/// Words every line that can start a chain contains; lines without any are skipped unread.
const CANDIDATES: [&str; 5] = ["Exception", "Error", "Throwable", "Caused by", "ThreadDeath"];
/// Endings of a class name that make it an exception class.
const THROWABLE_SUFFIXES: [&str; 4] = ["Exception", "Error", "Throwable", "ThreadDeath"];

/// One stack frame line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The frame without `at ` and without packaging data, e.g.
    /// `org.apache.hadoop.fs.s3a.S3AFileSystem.create(S3AFileSystem.java:410)`.
    pub text: String,
    /// Packaging data logback and log4j2 append to a frame, without brackets and `~`, e.g.
    /// `hadoop-aws-3.3.4.jar:?` from `... ~[hadoop-aws-3.3.4.jar:?]`.
    pub packaging: Option<String>,
    /// 1-based input line.
    pub line: usize,
}

/// Whether an exception is the head of a chain or linked to the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// The first exception of a chain (also a `Caused by:` pasted without what it caused).
    Head,
    /// `Caused by: X` (or the Java exception a `Py4JJavaError` wraps, written `: X`).
    CausedBy,
    /// `Suppressed: X`.
    Suppressed,
}

/// One exception in a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// The class as written, e.g. `java.io.IOException`, `o.a.h.fs.s3a.AWSBadRequestException`.
    pub class: String,
    /// The full message; continuation lines joined with `'\n'`, each trimmed of the trace's indentation.
    pub message: String,
    /// 1-based input line of the header (`Caused by: X: msg`, or the line the head was found on).
    pub line: usize,
    /// Input lines the message spans, header line first (one entry for a trace inside a JSON line).
    pub message_lines: Vec<usize>,
    /// The frames, in order.
    pub frames: Vec<Frame>,
    /// How this exception is linked to the one before it.
    pub link: Link,
    /// 0 for the head, 1 for its first `Caused by`, ...; a `Suppressed` one is one deeper than the exception it
    /// is attached to.
    pub depth: usize,
    /// Index in [`Chain::exceptions`] of the exception this one is the cause of or is suppressed by.
    pub parent: Option<usize>,
    /// The header line as written (container prefix removed, trimmed, cut to 4 KiB): evidence to show a user.
    pub header: String,
    /// Frames the trace says it left out (`... 25 more`, `... 25 common frames omitted`).
    pub omitted: usize,
}

/// A whole chain: head first, then its `Caused by`s in order (`Suppressed` entries included, marked).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chain {
    /// The exceptions in input order.
    pub exceptions: Vec<Exception>,
    /// 1-based input line of the chain's last line.
    pub end_line: usize,
    /// Whether frames, exceptions or text were dropped because the chain exceeded a cap.
    pub truncated: bool,
}

impl Chain {
    /// The first exception.
    pub fn head(&self) -> Option<&Exception> {
        self.exceptions.first()
    }

    /// The last exception of the head's `Caused by` line (suppressed exceptions and their causes not followed).
    pub fn root_cause(&self) -> Option<&Exception> {
        let mut current = 0;
        let mut found = self.exceptions.first()?;
        while let Some((index, next)) = self
            .exceptions
            .iter()
            .enumerate()
            .skip(current + 1)
            .find(|(_, e)| e.link == Link::CausedBy && e.parent == Some(current))
        {
            current = index;
            found = next;
        }
        Some(found)
    }
}

/// What [`scan`] read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Bytes read.
    pub bytes: u64,
    /// Lines read (a last line without a newline counts).
    pub lines: u64,
    /// Chains reported.
    pub chains: u64,
}

/// Parses a whole text.
pub fn parse(text: &str) -> Vec<Chain> {
    let mut chains = Vec::new();
    // Reading from a byte slice cannot fail.
    let _ = scan(text.as_bytes(), |chain| chains.push(chain));
    chains
}

/// Streams a reader of any size: calls `on_chain` for every chain found; memory bounded regardless of input size.
pub fn scan<R: Read>(mut input: R, mut on_chain: impl FnMut(Chain)) -> io::Result<ScanStats> {
    let finder = AhoCorasick::new(CANDIDATES).ok();
    let mut parser = Parser::new(false);
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
        chains += 1;
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
            match memchr(b'\n', &buf[start..end]) {
                Some(i) => {
                    line_no += 1;
                    parser.line(&String::from_utf8_lossy(&buf[start..start + i]), line_no, &mut emit);
                    start += i + 1;
                }
                None if eof || (start == 0 && end == buf.len()) => {
                    // The last line without a newline, or the first MAX_LINE_BYTES of an over-long line.
                    line_no += 1;
                    parser.line(&String::from_utf8_lossy(&buf[start..end]), line_no, &mut emit);
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
    Ok(ScanStats { bytes, lines: line_no as u64, chains })
}

/// Whether a candidate word found by the search can belong to a header: `Exception`, `Error`, ... must end a class
/// name (`IOException`, `java.lang.Error`), which prose like `Exception occurred` or `ErrorHandler` does not.
/// The region starts at a line start, so a word at its start has nothing before it.
fn plausible_match(region: &[u8], m: &aho_corasick::Match) -> bool {
    if CANDIDATES[m.pattern().as_usize()] == "Caused by" {
        return true;
    }
    let before = m.start().checked_sub(1).map(|i| region[i]);
    let after = region.get(m.end());
    before.is_some_and(is_token_byte) && !after.is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$')
}

fn count_newlines(bytes: &[u8]) -> usize {
    memchr_iter(b'\n', bytes).count()
}

/// The line-by-line state machine: idle, or building one chain.
struct Parser {
    /// Reading the decoded text of a JSON string: no JSON inside it is looked into.
    nested: bool,
    chain: Option<Building>,
}

/// What a line did to the open chain.
enum Step {
    /// The line belongs to the chain.
    Consumed,
    /// The chain ended before this line; the line is to be read again with no chain open.
    End,
}

impl Parser {
    fn new(nested: bool) -> Self {
        Parser { nested, chain: None }
    }

    fn is_idle(&self) -> bool {
        self.chain.is_none()
    }

    fn line(&mut self, raw: &str, no: usize, emit: &mut dyn FnMut(Chain)) {
        loop {
            match &mut self.chain {
                None => {
                    self.idle_line(raw, no, emit);
                    return;
                }
                Some(building) => match building.line(raw, no) {
                    Step::Consumed => return,
                    Step::End => self.close(emit),
                },
            }
        }
    }

    fn finish(&mut self, emit: &mut dyn FnMut(Chain)) {
        self.close(emit);
    }

    fn close(&mut self, emit: &mut dyn FnMut(Chain)) {
        if let Some(chain) = self.chain.take().and_then(Building::finish) {
            emit(chain);
        }
    }

    /// A line read with no chain open: does a chain start here?
    fn idle_line(&mut self, raw: &str, no: usize, emit: &mut dyn FnMut(Chain)) {
        let (content, _) = strip_prefixes(raw);
        let trimmed = content.trim();
        if trimmed.is_empty() {
            return;
        }
        if !self.nested && is_escaped_record(content) {
            self.escaped_line(content, no, emit);
            return;
        }
        let indent = indent_of(content);
        let mut building = Building::default();
        if let Some((_, (class, rest))) = linked_header(trimmed) {
            // A cause pasted without what it caused: the head of its own chain.
            building.push_exception(class, rest, trimmed, no, Link::Head, None, indent);
        } else if let Some(rest) = trimmed.strip_prefix(": ") {
            // Py4J's way of writing the Java exception, pasted without the Py4JJavaError line.
            let Some(found) = find_header(rest).filter(|found| found.at_start) else { return };
            building.push_exception(found.class, found.rest, trimmed, no, Link::Head, None, indent);
            building.tentative = found.tentative;
        } else if starts_with_at(trimmed).is_some() {
            return;
        } else if let Some(found) = find_header(content) {
            let indent = if found.at_start { indent } else { 0 };
            building.push_exception(found.class, found.rest, trimmed, no, Link::Head, None, indent);
            building.tentative = found.tentative;
        } else {
            return;
        }
        self.chain = Some(building);
    }

    /// A JSON log line (or a line with `\n\tat` escapes): the traces in its strings, all on this line.
    fn escaped_line(&mut self, content: &str, no: usize, emit: &mut dyn FnMut(Chain)) {
        let texts: Vec<String> = if content.contains('"') {
            quoted_strings(content).into_iter().filter(|raw| has_candidate(raw)).map(decode_escapes).collect()
        } else if has_candidate(content) {
            vec![decode_escapes(content)]
        } else {
            Vec::new()
        };
        let mut found = Vec::new();
        for text in &texts {
            let mut inner = Parser::new(true);
            let mut collect = |chain: Chain| found.push(chain);
            for line in text.split('\n') {
                inner.line(line, no, &mut collect);
            }
            inner.finish(&mut collect);
        }
        // A JSON log line often repeats the exception's first line in its "message": keep the traces only.
        let has_frames = |chain: &Chain| chain.exceptions.iter().any(|e| !e.frames.is_empty() || e.omitted > 0);
        if found.iter().any(has_frames) {
            found.retain(has_frames);
        }
        for chain in found {
            emit(chain);
        }
    }
}

/// Whether the last line left a dangling ` at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum TrailingAt {
    #[default]
    None,
    /// The current message ended with ` at` (removed): a frame on the next line confirms it was a separator;
    /// `true` when the message had text before it.
    Message(bool),
    /// A frame line ended with ` at`: the next line is a frame written without `at `.
    Frame,
}

/// A chain being read.
#[derive(Default)]
struct Building {
    chain: Chain,
    /// Header indentation of each exception (to attach `Caused by` and `Suppressed` to the right one).
    indents: Vec<usize>,
    bytes: usize,
    frames: usize,
    /// The head was only mentioned (a class name in a log line, nothing after): dropped unless a trace follows.
    tentative: bool,
    /// The exception receiving lines; `None` once an exception was dropped for the cap.
    current: Option<usize>,
    /// The current exception has frames or an elision: no more continuation lines.
    in_frames: bool,
    /// Lines after the current header that are not frames (yet): message continuation once a frame follows.
    pending: Vec<(String, usize, bool)>,
    trailing_at: TrailingAt,
    blank_run: usize,
}

impl Building {
    fn line(&mut self, raw: &str, no: usize) -> Step {
        let (content, had_timestamp) = strip_prefixes(raw);
        let trimmed = content.trim();
        if trimmed.is_empty() {
            if self.blank_run >= MAX_BLANK_LINES {
                return Step::End;
            }
            self.blank_run += 1;
            return Step::Consumed;
        }
        let indent = indent_of(content);

        if let Some(rest) = starts_with_at(trimmed) {
            self.structural(false);
            self.frames_from(rest, no);
        } else if let Some(omitted) = elision(trimmed) {
            self.structural(false);
            if let Some(current) = self.current_mut() {
                current.omitted += omitted;
            }
        } else if let Some((link, (class, rest))) = linked_header(trimmed) {
            self.structural(false);
            let parent = self.parent_for(link, indent);
            self.push_exception(class, rest, trimmed, no, link, parent, indent);
        } else if self.trailing_at != TrailingAt::None && looks_like_frame(trimmed) {
            self.structural(true);
            self.frames_from(trimmed, no);
        } else if self.blank_run > 0 || self.in_frames {
            return Step::End;
        } else if let Some(found) =
            trimmed.strip_prefix(": ").and_then(find_header).filter(|found| found.at_start && !found.tentative)
        {
            // Py4JJavaError: An error occurred while calling o12.execute.
            // : org.apache.flink.runtime.client.JobExecutionException: Job execution failed.
            self.structural(false);
            let parent = self.current.or(self.chain.exceptions.len().checked_sub(1));
            self.push_exception(found.class, found.rest, trimmed, no, Link::CausedBy, parent, indent);
        } else if is_new_record(content, had_timestamp)
            || (indent == 0 && find_header(content).is_some())
            || self.pending.len() >= MAX_MESSAGE_LINES
        {
            return Step::End;
        } else {
            self.resolve_trailing_at(false);
            let text = self.keep(cut(trimmed, MAX_MESSAGE_BYTES));
            self.pending.push((text, no, indent > 0));
            return Step::Consumed;
        }
        self.blank_run = 0;
        self.chain.end_line = no;
        Step::Consumed
    }

    /// A frame, elision or linked exception: the message before it is complete. `separator`: the line is a frame
    /// written without `at `, so a ` at` ending the line before separated frames.
    fn structural(&mut self, separator: bool) {
        self.resolve_trailing_at(separator);
        self.confirm_pending();
        self.tentative = false;
        self.blank_run = 0;
    }

    fn current_mut(&mut self) -> Option<&mut Exception> {
        self.current.and_then(|i| self.chain.exceptions.get_mut(i))
    }

    fn resolve_trailing_at(&mut self, separator: bool) {
        if let TrailingAt::Message(had_text) = self.trailing_at
            && !separator
        {
            // A message that was only "at" was a separator whatever follows.
            if had_text && self.bytes + 3 <= MAX_CHAIN_BYTES {
                self.bytes += 3;
                if let Some(current) = self.current_mut() {
                    current.message.push_str(" at");
                }
            }
        }
        self.trailing_at = TrailingAt::None;
    }

    /// Appends the pending continuation lines to the current message.
    fn confirm_pending(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        self.append_message_lines(pending);
    }

    /// At the end of a chain, pending lines not confirmed by a frame stay part of the message only while they are
    /// indented (as the trace's own continuation lines are), unlike ordinary log output after a one-line error.
    fn settle_pending(&mut self) {
        let mut pending = std::mem::take(&mut self.pending);
        let kept = pending.iter().take_while(|(_, _, indented)| *indented).count();
        pending.truncate(kept);
        self.append_message_lines(pending);
    }

    fn append_message_lines(&mut self, lines: Vec<(String, usize, bool)>) {
        let Some(current) = self.current.and_then(|i| self.chain.exceptions.get_mut(i)) else { return };
        for (text, no, _) in lines {
            self.chain.end_line = self.chain.end_line.max(no);
            let room = MAX_MESSAGE_BYTES.saturating_sub(current.message.len() + 1);
            if text.len() > room {
                self.chain.truncated = true;
            }
            if room == 0 {
                continue;
            }
            if !current.message.is_empty() {
                current.message.push('\n');
            }
            current.message.push_str(cut(&text, room));
            if current.message_lines.last() != Some(&no) {
                current.message_lines.push(no);
            }
        }
    }

    /// `text` cut to what the chain's byte budget still allows.
    fn keep(&mut self, text: &str) -> String {
        let room = MAX_CHAIN_BYTES.saturating_sub(self.bytes);
        let kept = if text.len() > room {
            self.chain.truncated = true;
            cut(text, room)
        } else {
            text
        };
        self.bytes += kept.len();
        kept.to_string()
    }

    fn parent_for(&self, link: Link, indent: usize) -> Option<usize> {
        let last = self.chain.exceptions.len().checked_sub(1)?;
        let fits = |i: &usize| match link {
            Link::Suppressed => self.indents[*i] < indent,
            _ => self.indents[*i] <= indent,
        };
        Some((0..self.indents.len()).rev().find(fits).unwrap_or(last))
    }

    /// Adds an exception whose header is `class` followed by `rest` (`: message`, frames on the same line, ...).
    #[allow(clippy::too_many_arguments)]
    fn push_exception(
        &mut self,
        class: &str,
        rest: &str,
        header: &str,
        no: usize,
        link: Link,
        parent: Option<usize>,
        indent: usize,
    ) {
        self.in_frames = false;
        self.trailing_at = TrailingAt::None;
        self.chain.end_line = no;
        if self.chain.exceptions.len() >= MAX_CHAIN_EXCEPTIONS {
            self.chain.truncated = true;
            self.current = None;
            return;
        }
        let rest = rest.trim();
        let message = rest.strip_prefix(':').map_or(rest, str::trim_start);
        let message = if elision(message).is_some() { "" } else { message };
        let (message, frames, trailing_at) = split_frames(message);
        if message.len() > MAX_MESSAGE_BYTES {
            self.chain.truncated = true;
        }
        let message = cut(message, MAX_MESSAGE_BYTES);
        let depth = parent.and_then(|p| self.chain.exceptions.get(p)).map_or(0, |p| p.depth + 1);
        let exception = Exception {
            class: self.keep(class),
            message: self.keep(message),
            line: no,
            message_lines: vec![no],
            frames: Vec::new(),
            link,
            depth,
            parent,
            header: {
                let header = cut(header, MAX_HEADER_BYTES);
                self.keep(header)
            },
            omitted: 0,
        };
        self.current = Some(self.chain.exceptions.len());
        self.chain.exceptions.push(exception);
        self.indents.push(indent);
        if frames.is_empty() {
            if trailing_at {
                self.trailing_at = TrailingAt::Message(!message.is_empty());
            }
        } else {
            self.tentative = false;
            for frame in frames {
                self.add_frame(frame, no);
            }
            self.in_frames = true;
            if trailing_at {
                self.trailing_at = TrailingAt::Frame;
            }
        }
    }

    /// Adds the frames of a frame line (`at ` removed; perhaps several, separated by ` at `).
    fn frames_from(&mut self, text: &str, no: usize) {
        self.in_frames = true;
        let (first, more, trailing_at) = split_frames(text);
        if !first.is_empty() {
            self.add_frame(first, no);
        }
        for frame in more {
            self.add_frame(frame, no);
        }
        if trailing_at {
            self.trailing_at = TrailingAt::Frame;
        }
    }

    fn add_frame(&mut self, text: &str, no: usize) {
        if self.current.is_none() {
            return;
        }
        let (text, packaging) = split_packaging(text);
        if text.len() > MAX_HEADER_BYTES {
            self.chain.truncated = true;
        }
        let text = cut(text, MAX_HEADER_BYTES);
        let packaging = packaging.map(|p| cut(p, MAX_HEADER_BYTES));
        let size = text.len() + packaging.map_or(0, str::len);
        if self.frames >= MAX_CHAIN_FRAMES || self.bytes + size > MAX_CHAIN_BYTES {
            self.chain.truncated = true;
            return;
        }
        self.frames += 1;
        self.bytes += size;
        let frame = Frame { text: text.to_string(), packaging: packaging.map(str::to_string), line: no };
        if let Some(current) = self.current_mut() {
            current.frames.push(frame);
        }
    }

    fn finish(mut self) -> Option<Chain> {
        self.resolve_trailing_at(false);
        self.settle_pending();
        if self.tentative || self.chain.exceptions.is_empty() {
            return None;
        }
        Some(self.chain)
    }
}

/// A header found in a line: the exception class and what follows it.
#[derive(Debug)]
struct HeaderMatch<'a> {
    class: &'a str,
    rest: &'a str,
    /// The class is the first thing on the line.
    at_start: bool,
    /// Only a mention (class at the end of a log line, or followed by prose): a chain only if a trace follows.
    tentative: bool,
}

/// The first exception class in a line that reads as an exception header: `pkg.SomeException` followed by `:`,
/// by the end of the line, or — when it starts the line — by anything.
fn find_header(content: &str) -> Option<HeaderMatch<'_>> {
    let bytes = content.as_bytes();
    let first = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let mut i = first;
    while i < bytes.len() {
        if !is_token_byte(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_token_byte(bytes[i]) {
            i += 1;
        }
        let mut end = i;
        while end > start && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let at_start = start == first;
        if !(at_start || may_precede_class(bytes[start - 1])) || !is_throwable_name(&content[start..end]) {
            continue;
        }
        let rest = &content[end..];
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

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b == b'.'
}

fn may_precede_class(b: u8) -> bool {
    b.is_ascii_whitespace() || b"\"'`([{:=,;>|".contains(&b)
}

/// `pkg.Name` (at least one package segment, starting lower-case; abbreviated `o.a.h.` packages are fine) whose
/// simple name ends in `Exception`, `Error`, `Throwable` or is `ThreadDeath`.
fn is_throwable_name(name: &str) -> bool {
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

/// The class after `Caused by:` / `Suppressed:`, where any name is accepted (`MyException`, `a.b.C`), and what
/// follows it; `None` when no name follows.
fn lenient_class(rest: &str) -> Option<(&str, &str)> {
    let rest = rest.trim_start();
    let end = rest.bytes().position(|b| !is_token_byte(b)).unwrap_or(rest.len());
    let class = rest[..end].trim_end_matches('.');
    (!class.is_empty()).then(|| (class, &rest[end..]))
}

/// `Caused by: X…` or `Suppressed: X…`: the link, the class and what follows it.
fn linked_header(trimmed: &str) -> Option<(Link, (&str, &str))> {
    if let Some(rest) = trimmed.strip_prefix("Caused by:") {
        return Some((Link::CausedBy, lenient_class(rest)?));
    }
    Some((Link::Suppressed, lenient_class(trimmed.strip_prefix("Suppressed:")?)?))
}

/// The frame after a leading `at ` (or `at` and a tab).
fn starts_with_at(trimmed: &str) -> Option<&str> {
    let rest = trimmed.strip_prefix("at")?;
    rest.starts_with([' ', '\t']).then(|| rest.trim_start())
}

/// `... 25 more`, `... 25 common frames omitted` (Some(25)), other `...` lines, `[...]`,
/// `[CIRCULAR REFERENCE: ...]` (Some(0)).
fn elision(trimmed: &str) -> Option<usize> {
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
fn looks_like_frame(text: &str) -> bool {
    let bytes = text.as_bytes();
    let name = bytes.iter().take_while(|&&b| b.is_ascii_alphanumeric() || b"_$.<>/@+-".contains(&b)).count();
    name > 0
        && bytes.get(name) == Some(&b'(')
        && bytes[..name].contains(&b'.')
        && memchr(b')', &bytes[name..bytes.len().min(name + MAX_FRAME_ARGS)]).is_some()
}

/// Splits `text` at ` at ` where a frame follows: (what comes first, the frames, whether it ended with ` at`).
fn split_frames(text: &str) -> (&str, Vec<&str>, bool) {
    let mut cuts = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(" at ") {
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
fn split_packaging(frame: &str) -> (&str, Option<&str>) {
    let frame = frame.trim();
    let Some(open) = frame.find('(') else { return (frame, None) };
    let Some(close) = frame[open..].find(')').map(|i| open + i) else { return (frame, None) };
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

/// Removes the prefixes tools put on every line: `kubectl logs --prefix` (`[pod/name/container] `), YARN
/// (`container_e08_…_000002: `), docker compose (`flink-jobmanager-1  | `) and RFC 3339 timestamps
/// (`kubectl logs --timestamps`); also a trailing `\r`. Returns whether a timestamp was removed.
fn strip_prefixes(raw: &str) -> (&str, bool) {
    let mut line = raw.strip_suffix('\r').unwrap_or(raw);
    let mut had_timestamp = false;
    for _ in 0..4 {
        if let Some(rest) =
            strip_bracket_prefix(line).or_else(|| strip_container_prefix(line)).or_else(|| strip_compose_prefix(line))
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

fn strip_bracket_prefix(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('[')?;
    let close = inner.find(']')?;
    let name = &inner[..close];
    (name.contains('/') && !name.contains(char::is_whitespace)).then_some(())?;
    inner[close + 1..].strip_prefix(' ')
}

fn strip_container_prefix(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("container_")?;
    let id = rest.bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'_').count();
    let rest = rest[id..].strip_prefix(':')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

fn strip_compose_prefix(line: &str) -> Option<&str> {
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
fn strip_rfc3339(line: &str) -> Option<&str> {
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
fn is_new_record(content: &str, had_timestamp: bool) -> bool {
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
fn is_escaped_record(content: &str) -> bool {
    let t = content.trim_start();
    (t.starts_with('{') && t.contains('"'))
        || t.contains("\\n\\tat ")
        || t.contains("\\n    at ")
        || t.contains("\\nCaused by: ")
}

fn has_candidate(text: &str) -> bool {
    CANDIDATES.iter().any(|word| text.contains(word))
}

/// The raw (still escaped) contents of the double-quoted strings in a line; an unterminated one runs to the end.
fn quoted_strings(line: &str) -> Vec<&str> {
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
fn decode_escapes(raw: &str) -> String {
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

/// Width of a line's leading whitespace (a tab counts as 4).
fn indent_of(content: &str) -> usize {
    content.chars().take_while(|c| c.is_whitespace()).map(|c| if c == '\t' { 4 } else { 1 }).sum()
}

/// `text` cut to at most `max` bytes, at a character boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Chain {
        let mut chains = parse(text);
        assert_eq!(chains.len(), 1, "chains: {chains:#?}");
        chains.remove(0)
    }

    fn classes(chain: &Chain) -> Vec<&str> {
        chain.exceptions.iter().map(|e| e.class.as_str()).collect()
    }

    #[test]
    fn flink_log_prefix_line_then_header_on_next_line() {
        let text = [
            "2024-03-01 12:00:00,900 INFO  org.apache.flink.runtime.taskmanager.Task [] - Sink: s3-sink (1/4)#0 (a1b2) switched from INITIALIZING to RUNNING.",
            "2024-03-01 12:00:01,123 ERROR org.apache.flink.runtime.taskmanager.Task [] - Sink: s3-sink (1/4)#0 (a1b2) switched from RUNNING to FAILED.",
            "java.io.IOException: Could not create output stream for s3://bucket/out/part-0-0",
            "\tat org.apache.flink.fs.s3.common.writer.S3RecoverableWriter.open(S3RecoverableWriter.java:90) ~[?:?]",
            "\tat org.apache.flink.streaming.api.functions.sink.filesystem.Bucket.rollPartFile(Bucket.java:226) ~[flink-dist-1.17.1.jar:1.17.1]",
            "Caused by: org.apache.hadoop.fs.s3a.AWSBadRequestException: PUT 0-byte object  on out/part-0-0: com.amazonaws.services.s3.model.AmazonS3Exception: Bad Request (Service: Amazon S3; Status Code: 400; Error Code: 400 Bad Request; Request ID: 5D2B)",
            "\tat org.apache.hadoop.fs.s3a.S3AUtils.translateException(S3AUtils.java:243) ~[hadoop-aws-3.3.4.jar:?]",
            "\t... 12 more",
            "Caused by: com.amazonaws.services.s3.model.AmazonS3Exception: Bad Request (Service: Amazon S3; Status Code: 400; Error Code: 400 Bad Request; Request ID: 5D2B)",
            "\tat com.amazonaws.http.AmazonHttpClient$RequestExecutor.handleErrorResponseHandling(AmazonHttpClient.java:1819) ~[?:?]",
            "\t... 20 more",
            "2024-03-01 12:00:01,130 INFO  org.apache.flink.runtime.taskmanager.Task [] - Freeing task resources for Sink: s3-sink (1/4)#0 (a1b2).",
        ]
        .join("\n");
        let chain = one(&text);
        assert_eq!(
            classes(&chain),
            [
                "java.io.IOException",
                "org.apache.hadoop.fs.s3a.AWSBadRequestException",
                "com.amazonaws.services.s3.model.AmazonS3Exception"
            ]
        );
        let [head, s3a, sdk] = &chain.exceptions[..] else { panic!() };
        assert_eq!(head.message, "Could not create output stream for s3://bucket/out/part-0-0");
        assert_eq!((head.line, head.link, head.depth, head.parent), (3, Link::Head, 0, None));
        assert_eq!(head.frames.len(), 2);
        assert_eq!(
            head.frames[0].text,
            "org.apache.flink.fs.s3.common.writer.S3RecoverableWriter.open(S3RecoverableWriter.java:90)"
        );
        assert_eq!(head.frames[0].packaging.as_deref(), Some("?:?"));
        assert_eq!(head.frames[1].line, 5);
        assert!(s3a.message.starts_with(
            "PUT 0-byte object  on out/part-0-0: com.amazonaws.services.s3.model.AmazonS3Exception: Bad Request"
        ));
        assert_eq!((s3a.line, s3a.link, s3a.depth, s3a.parent), (6, Link::CausedBy, 1, Some(0)));
        assert_eq!((s3a.frames.len(), s3a.omitted), (1, 12));
        assert_eq!(s3a.frames[0].packaging.as_deref(), Some("hadoop-aws-3.3.4.jar:?"));
        assert_eq!((sdk.line, sdk.depth, sdk.frames.len(), sdk.omitted), (9, 2, 1, 20));
        assert!(sdk.header.starts_with("Caused by: com.amazonaws.services.s3.model.AmazonS3Exception: Bad Request"));
        assert_eq!(chain.end_line, 11);
        assert_eq!(chain.root_cause().map(|e| e.line), Some(9));
        assert!(!chain.truncated);
    }

    #[test]
    fn logback_exception_on_the_log_line_after_dash() {
        let text = [
            "2024-03-01 12:00:01.123 WARN  [main] o.a.f.x - java.io.IOException: Failed to rename s3a://bucket/_temporary",
            "\tat org.apache.hadoop.fs.s3a.S3AFileSystem.rename(S3AFileSystem.java:1432)",
            "\tat org.apache.flink.runtime.fs.hdfs.HadoopFileSystem.rename(HadoopFileSystem.java:167)",
            "2024-03-01 12:00:02,001 INFO  o.a.f.r.e.ExecutionGraph [] - Job x (abc) switched from state RUNNING to FAILING with failure cause: org.apache.flink.util.FlinkRuntimeException: Exceeded checkpoint tolerable failure threshold.",
            "\tat org.apache.flink.runtime.checkpoint.CheckpointFailureManager.checkFailureAgainstCounter(CheckpointFailureManager.java:206)",
            "2024-03-01 12:00:03,000 INFO  o.a.f.r.e.ExecutionGraph [] - Restarting.",
        ]
        .join("\n");
        let chains = parse(&text);
        assert_eq!(chains.len(), 2);
        let first = &chains[0].exceptions[0];
        assert_eq!(first.class, "java.io.IOException");
        assert_eq!(first.message, "Failed to rename s3a://bucket/_temporary");
        assert_eq!((first.line, first.frames.len()), (1, 2));
        assert!(first.header.starts_with("2024-03-01 12:00:01.123 WARN  [main] o.a.f.x - java.io.IOException"));
        let second = &chains[1].exceptions[0];
        assert_eq!(second.class, "org.apache.flink.util.FlinkRuntimeException");
        assert_eq!(second.message, "Exceeded checkpoint tolerable failure threshold.");
        assert_eq!((second.line, second.frames.len()), (4, 1));
        assert_eq!(chains[1].end_line, 5);
    }

    #[test]
    fn kubernetes_prefix_on_every_line() {
        let text = [
            "[pod/flink-taskmanager-1-1/flink-main-container] 2024-03-01 12:00:01,123 INFO  org.apache.flink.runtime.taskmanager.Task [] - Source: kafka (1/1) switched from RUNNING to FAILED.",
            "[pod/flink-taskmanager-1-1/flink-main-container] org.apache.hadoop.fs.s3a.AWSClientIOException: doesBucketExist on bucket: com.amazonaws.AmazonClientException: No AWS Credentials provided by BasicAWSCredentialsProvider EnvironmentVariableCredentialsProvider InstanceProfileCredentialsProvider : com.amazonaws.SdkClientException: Unable to load credentials from service endpoint",
            "[pod/flink-taskmanager-1-1/flink-main-container] \tat org.apache.hadoop.fs.s3a.S3AUtils.translateException(S3AUtils.java:177)",
            "[pod/flink-taskmanager-1-1/flink-main-container] \tat org.apache.hadoop.fs.s3a.Invoker.once(Invoker.java:111)",
            "[pod/flink-taskmanager-1-1/flink-main-container] Caused by: com.amazonaws.AmazonClientException: No AWS Credentials provided by BasicAWSCredentialsProvider",
            "[pod/flink-taskmanager-1-1/flink-main-container] \tat org.apache.hadoop.fs.s3a.AWSCredentialProviderList.getCredentials(AWSCredentialProviderList.java:139)",
            "[pod/flink-taskmanager-1-1/flink-main-container] \t... 31 more",
            "[pod/flink-taskmanager-1-1/flink-main-container] 2024-03-01 12:00:01,200 INFO  org.apache.flink.runtime.taskmanager.Task [] - Freeing task resources.",
        ]
        .join("\n");
        let chain = one(&text);
        assert_eq!(
            classes(&chain),
            ["org.apache.hadoop.fs.s3a.AWSClientIOException", "com.amazonaws.AmazonClientException"]
        );
        assert!(
            chain.exceptions[0].message.starts_with("doesBucketExist on bucket: com.amazonaws.AmazonClientException")
        );
        assert_eq!((chain.exceptions[0].line, chain.exceptions[0].frames.len()), (2, 2));
        assert_eq!(chain.exceptions[0].frames[1].text, "org.apache.hadoop.fs.s3a.Invoker.once(Invoker.java:111)");
        assert_eq!(
            (chain.exceptions[1].line, chain.exceptions[1].frames.len(), chain.exceptions[1].omitted),
            (5, 1, 31)
        );
        assert_eq!(chain.end_line, 7);
    }

    #[test]
    fn yarn_container_prefix_on_every_line() {
        let text = [
            "container_e08_1709280000000_0001_01_000002: 2024-03-01 12:00:01,123 ERROR org.apache.flink.yarn.YarnTaskExecutorRunner - Fatal error.",
            "container_e08_1709280000000_0001_01_000002: java.lang.RuntimeException: java.lang.ClassNotFoundException: Class org.apache.hadoop.fs.s3a.S3AFileSystem not found",
            "container_e08_1709280000000_0001_01_000002: \tat org.apache.hadoop.conf.Configuration.getClass(Configuration.java:2595)",
            "container_e08_1709280000000_0001_01_000002: \tat org.apache.hadoop.fs.FileSystem.getFileSystemClass(FileSystem.java:3269)",
            "container_e08_1709280000000_0001_01_000002: Caused by: java.lang.ClassNotFoundException: Class org.apache.hadoop.fs.s3a.S3AFileSystem not found",
            "container_e08_1709280000000_0001_01_000002: \tat org.apache.hadoop.conf.Configuration.getClassByName(Configuration.java:2499)",
            "container_e08_1709280000000_0001_01_000002: \t... 2 more",
        ]
        .join("\n");
        let chain = one(&text);
        assert_eq!(classes(&chain), ["java.lang.RuntimeException", "java.lang.ClassNotFoundException"]);
        assert_eq!(
            chain.exceptions[0].message,
            "java.lang.ClassNotFoundException: Class org.apache.hadoop.fs.s3a.S3AFileSystem not found"
        );
        assert_eq!(chain.exceptions[0].frames.len(), 2);
        assert_eq!(chain.exceptions[1].line, 5);
        assert_eq!(
            chain.exceptions[1].header,
            "Caused by: java.lang.ClassNotFoundException: Class org.apache.hadoop.fs.s3a.S3AFileSystem not found"
        );
    }

    #[test]
    fn docker_compose_and_kubectl_timestamp_prefixes() {
        let text = [
            "flink-jobmanager-1  | 2024-03-01 12:00:01,123 ERROR org.apache.flink.runtime.entrypoint.ClusterEntrypoint [] - Could not start cluster entrypoint.",
            "flink-jobmanager-1  | org.apache.flink.core.fs.UnsupportedFileSystemSchemeException: Could not find a file system implementation for scheme 's3'.",
            "flink-jobmanager-1  | \tat org.apache.flink.core.fs.FileSystem.getUnguardedFileSystem(FileSystem.java:515)",
            "flink-jobmanager-1  | ",
            "2024-03-01T12:00:05.123456789Z java.lang.IllegalArgumentException: AWS Access Key ID and Secret Access Key must be specified",
            "2024-03-01T12:00:05.123457000Z \tat org.apache.hadoop.fs.s3.S3Credentials.initialize(S3Credentials.java:70)",
            "2024-03-01T12:00:05.123458000Z 2024-03-01 12:00:05,124 INFO  org.apache.flink.runtime.Foo [] - next",
        ]
        .join("\n");
        let chains = parse(&text);
        assert_eq!(chains.len(), 2, "{chains:#?}");
        assert_eq!(chains[0].exceptions[0].class, "org.apache.flink.core.fs.UnsupportedFileSystemSchemeException");
        assert_eq!((chains[0].exceptions[0].line, chains[0].exceptions[0].frames.len(), chains[0].end_line), (2, 1, 3));
        assert_eq!(chains[1].exceptions[0].class, "java.lang.IllegalArgumentException");
        assert_eq!((chains[1].exceptions[0].line, chains[1].exceptions[0].frames.len(), chains[1].end_line), (5, 1, 6));
    }

    #[test]
    fn guide_multiline_message_and_space_indented_frames() {
        let text = [
            "java.io.IOException: No file system found with scheme s3,",
            "  referenced in file URI 's3://<bucket>/<endpoint>'.",
            "  at o.a.f.core.fs.FileSystem.get(FileSystem.java:296)",
            "  at o.a.f.core.fs.Path.getFileSystem(Path.java:311)",
            "  at o.a.f.api.common.io.FileOutputFormat.initializeGlobal(FileOutputFormat.java:450)",
            "  at o.a.f.runtime.jobgraph.OutputFormatVertex.initializeOnMaster(OutputFormatVertex.java:89)",
            "  at o.a.f.runtime.jobmanager.JobManager$$anonfun$org$apache$flink$runtime$jobmanager$JobManager$$submitJob$1.apply(JobManager.scala:1024)",
        ]
        .join("\n");
        let chain = one(&text);
        let e = &chain.exceptions[0];
        assert_eq!(e.class, "java.io.IOException");
        assert_eq!(
            e.message,
            "No file system found with scheme s3,\nreferenced in file URI 's3://<bucket>/<endpoint>'."
        );
        assert_eq!(e.message_lines, [1, 2]);
        assert_eq!(e.frames.len(), 5);
        assert_eq!(e.frames[0].text, "o.a.f.core.fs.FileSystem.get(FileSystem.java:296)");
        assert_eq!(e.frames[0].line, 3);
        assert_eq!(e.frames[4].line, 7);
    }

    #[test]
    fn guide_caused_by_multiline_message() {
        let text = [
            "org.apache.flink.client.program.ProgramInvocationException: The program execution failed",
            "\tat org.apache.flink.client.program.ClusterClient.run(ClusterClient.java:478)",
            "Caused by: java.io.IOException: No file system found with scheme s3,",
            "  referenced in file URI 's3://<bucket>/<endpoint>'.",
            "  at o.a.f.core.fs.FileSystem.get(FileSystem.java:296)",
            "  ... 25 more",
        ]
        .join("\n");
        let chain = one(&text);
        let cause = &chain.exceptions[1];
        assert_eq!((cause.line, cause.depth, cause.link), (3, 1, Link::CausedBy));
        assert_eq!(
            cause.message,
            "No file system found with scheme s3,\nreferenced in file URI 's3://<bucket>/<endpoint>'."
        );
        assert_eq!(cause.message_lines, [3, 4]);
        assert_eq!((cause.frames.len(), cause.omitted), (1, 25));
    }

    #[test]
    fn guide_abbreviated_packages_and_proxy_frames() {
        let text = [
            "java.lang.IllegalArgumentException: AWS Access Key ID and Secret Access Key must be specified as the username or password (respectively) of a s3n URL, or by setting the fs.s3n.awsAccessKeyId or fs.s3n.awsSecretAccessKey properties (respectively).",
            "  at o.a.h.fs.s3.S3Credentials.initialize(S3Credentials.java:70)",
            "  at o.a.h.fs.s3native.Jets3tNativeFileSystemStore.initialize(Jets3tNativeFileSystemStore.java:80)",
            "  at sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
            "  at sun.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:62)",
            "  at sun.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)",
            "  at java.lang.reflect.Method.invoke(Method.java:498)",
            "  at o.a.h.io.retry.RetryInvocationHandler.invokeMethod(RetryInvocationHandler.java:191)",
            "  at o.a.h.io.retry.RetryInvocationHandler.invoke(RetryInvocationHandler.java:102)",
            "  at o.a.h.fs.s3native.$Proxy6.initialize(Unknown Source)",
            "  at o.a.h.fs.s3native.NativeS3FileSystem.initialize(NativeS3FileSystem.java:330)",
            "  at o.a.f.runtime.fs.hdfs.HadoopFileSystem.initialize(HadoopFileSystem.java:321)",
        ]
        .join("\n");
        let chain = one(&text);
        let e = &chain.exceptions[0];
        assert_eq!(e.class, "java.lang.IllegalArgumentException");
        assert!(e.message.ends_with("fs.s3n.awsSecretAccessKey properties (respectively)."));
        assert_eq!(e.frames.len(), 11);
        assert_eq!(e.frames[8].text, "o.a.h.fs.s3native.$Proxy6.initialize(Unknown Source)");
        assert_eq!(e.frames[8].line, 10);
        assert_eq!(e.frames[2].text, "sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)");
    }

    #[test]
    fn guide_npe_frames_separated_by_trailing_at() {
        let text = [
            "java.io.IOException: Failed to write to s3a://bucket/checkpoints",
            "\tat o.a.f.runtime.state.filesystem.FsCheckpointStreamFactory.createStream(FsCheckpointStreamFactory.java:120)",
            "Caused by: java.lang.NullPointerException at",
            "o.a.h.fs.LocalDirAllocator$AllocatorPerContext.confChanged(LocalDirAllocator.java:268) at",
            "o.a.h.fs.LocalDirAllocator$AllocatorPerContext.getLocalPathForWrite(LocalDirAllocator.java:344) at",
            "o.a.h.fs.LocalDirAllocator$AllocatorPerContext.createTmpFileForWrite(LocalDirAllocator.java:416) at",
            "o.a.h.fs.LocalDirAllocator.createTmpFileForWrite(LocalDirAllocator.java:198) at",
            "o.a.h.fs.s3a.S3AOutputStream.<init>(S3AOutputStream.java:87) at",
            "o.a.h.fs.s3a.S3AFileSystem.create(S3AFileSystem.java:410) at",
            "o.a.h.fs.FileSystem.create(FileSystem.java:907) at",
            "o.a.h.fs.FileSystem.create(FileSystem.java:888) at",
            "o.a.h.fs.FileSystem.create(FileSystem.java:785) at",
            "o.a.f.runtime.fs.hdfs.HadoopFileSystem.create(HadoopFileSystem.java:404) at",
            "o.a.f.runtime.fs.hdfs.HadoopFileSystem.create(HadoopFileSystem.java:48) at",
            "... 25 more",
        ]
        .join("\n");
        let chain = one(&text);
        let npe = &chain.exceptions[1];
        assert_eq!(npe.class, "java.lang.NullPointerException");
        assert_eq!(npe.message, "");
        assert_eq!((npe.line, npe.frames.len(), npe.omitted), (3, 11, 25));
        assert_eq!(
            npe.frames[0].text,
            "o.a.h.fs.LocalDirAllocator$AllocatorPerContext.confChanged(LocalDirAllocator.java:268)"
        );
        assert_eq!(npe.frames[0].line, 4);
        assert_eq!(npe.frames[4].text, "o.a.h.fs.s3a.S3AOutputStream.<init>(S3AOutputStream.java:87)");
        assert_eq!(npe.frames[10].line, 14);
        assert_eq!(chain.end_line, 15);
    }

    #[test]
    fn frames_on_the_same_line_as_the_message() {
        let chain = one(
            "Caused by: java.lang.NullPointerException at o.a.h.fs.LocalDirAllocator$AllocatorPerContext.confChanged(LocalDirAllocator.java:268) at o.a.h.fs.s3a.S3AFileSystem.create(S3AFileSystem.java:410) at\no.a.h.fs.FileSystem.create(FileSystem.java:907)",
        );
        let e = &chain.exceptions[0];
        assert_eq!((e.class.as_str(), e.message.as_str(), e.link), ("java.lang.NullPointerException", "", Link::Head));
        assert_eq!(e.frames.iter().map(|f| f.line).collect::<Vec<_>>(), [1, 1, 2]);
        assert_eq!(e.frames[1].text, "o.a.h.fs.s3a.S3AFileSystem.create(S3AFileSystem.java:410)");
    }

    #[test]
    fn message_ending_in_at_keeps_it_when_no_frame_follows() {
        let text = "java.io.IOException: Bucket not reachable at\n\tat o.a.h.fs.s3a.S3AFileSystem.initialize(S3AFileSystem.java:1)";
        let chain = one(text);
        assert_eq!(chain.exceptions[0].message, "Bucket not reachable at");
        assert_eq!(chain.exceptions[0].frames.len(), 1);
    }

    #[test]
    fn guide_elisions_in_header_and_on_their_own_line() {
        let text = [
            "com.amazonaws.AmazonClientException: Unable to load AWS credentials from any provider in the chain",
            "  at com.amazonaws.auth.AWSCredentialsProviderChain.getCredentials(AWSCredentialsProviderChain.java:117)",
            "  [...]",
            "Caused by: org.jets3t.service.impl.rest.HttpException [...]",
        ]
        .join("\n");
        let chain = one(&text);
        assert_eq!(
            classes(&chain),
            ["com.amazonaws.AmazonClientException", "org.jets3t.service.impl.rest.HttpException"]
        );
        assert_eq!(chain.exceptions[0].frames.len(), 1);
        assert_eq!((chain.exceptions[1].message.as_str(), chain.exceptions[1].line), ("", 4));
        assert_eq!(chain.end_line, 4);
    }

    #[test]
    fn crlf_line_endings() {
        let text = "org.apache.hadoop.fs.UnsupportedFileSystemException: No FileSystem for scheme \"s3\"\r\n\tat org.apache.hadoop.fs.FileSystem.getFileSystemClass(FileSystem.java:3443)\r\n\tat org.apache.hadoop.fs.FileSystem.createFileSystem(FileSystem.java:3466)\r\nCaused by: java.lang.ClassNotFoundException: x\r\n\t... 2 more\r\n";
        let chain = one(text);
        assert_eq!(chain.exceptions[0].message, "No FileSystem for scheme \"s3\"");
        assert_eq!(
            chain.exceptions[0].frames[1].text,
            "org.apache.hadoop.fs.FileSystem.createFileSystem(FileSystem.java:3466)"
        );
        assert_eq!(
            (chain.exceptions[1].message.as_str(), chain.exceptions[1].line, chain.exceptions[1].omitted),
            ("x", 4, 2)
        );
    }

    #[test]
    fn json_log_line_with_escaped_trace() {
        let text = [
            r#"{"@timestamp":"2024-03-01T12:00:00.000Z","level":"INFO","message":"Checkpoint 7 started"}"#,
            r#"{"@timestamp":"2024-03-01T12:00:01.123Z","level":"ERROR","logger_name":"org.apache.flink.runtime.taskmanager.Task","message":"Sink failed: java.nio.file.AccessDeniedException: s3a://bucket/out: getFileStatus on s3a://bucket/out","stack_trace":"java.nio.file.AccessDeniedException: s3a://bucket/out: getFileStatus on s3a://bucket/out\n\tat org.apache.hadoop.fs.s3a.S3AUtils.translateException(S3AUtils.java:255)\n\tat org.apache.hadoop.fs.s3a.S3AFileSystem.getFileStatus(S3AFileSystem.java:3286)\nCaused by: com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: \"X1\")\n\tat com.amazonaws.http.AmazonHttpClient.execute(AmazonHttpClient.java:1)\n\t... 30 common frames omitted\n"}"#,
            r#"{"@timestamp":"2024-03-01T12:00:02.000Z","level":"INFO","message":"Restarting"}"#,
        ]
        .join("\n");
        let chain = one(&text);
        assert_eq!(
            classes(&chain),
            ["java.nio.file.AccessDeniedException", "com.amazonaws.services.s3.model.AmazonS3Exception"]
        );
        let cause = &chain.exceptions[1];
        assert_eq!(
            cause.message,
            "Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: \"X1\")"
        );
        assert_eq!((cause.line, cause.frames.len(), cause.omitted, cause.depth), (2, 1, 30, 1));
        assert_eq!(chain.exceptions[0].frames.len(), 2);
        assert!(chain.exceptions.iter().flat_map(|e| &e.frames).all(|f| f.line == 2));
        assert_eq!(chain.exceptions[0].message_lines, [2]);
        assert_eq!(chain.end_line, 2);
    }

    #[test]
    fn json_log_line_with_only_a_message_and_unicode_escapes() {
        let text = "{\"level\":\"WARN\",\"message\":\"Retrying: org.apache.hadoop.fs.s3a.AWSBadRequestException: bad \\u00e9 \\ud83d\\ude00\"}";
        let chain = one(text);
        assert_eq!(chain.exceptions[0].class, "org.apache.hadoop.fs.s3a.AWSBadRequestException");
        assert_eq!(chain.exceptions[0].message, "bad \u{e9} \u{1F600}");
        assert_eq!(chain.exceptions[0].line, 1);
    }

    #[test]
    fn pyflink_py4j_error_wraps_the_java_trace() {
        let text = [
            "Traceback (most recent call last):",
            "  File \"/opt/job/word_count.py\", line 42, in <module>",
            "    t_env.execute_sql(\"INSERT INTO sink SELECT * FROM source\").wait()",
            "  File \"/opt/flink/opt/python/py4j-0.10.9.7-src.zip/py4j/protocol.py\", line 326, in get_return_value",
            "py4j.protocol.Py4JJavaError: An error occurred while calling o12.execute.",
            ": org.apache.flink.runtime.client.JobExecutionException: Job execution failed.",
            "\tat org.apache.flink.runtime.jobmaster.JobResult.toJobExecutionResult(JobResult.java:144)",
            "Caused by: org.apache.flink.core.fs.UnsupportedFileSystemSchemeException: Could not find a file system implementation for scheme 's3'.",
            "\tat org.apache.flink.core.fs.FileSystem.getUnguardedFileSystem(FileSystem.java:515)",
            "\t... 9 more",
            "",
        ]
        .join("\n");
        let chain = one(&text);
        assert_eq!(
            classes(&chain),
            [
                "py4j.protocol.Py4JJavaError",
                "org.apache.flink.runtime.client.JobExecutionException",
                "org.apache.flink.core.fs.UnsupportedFileSystemSchemeException"
            ]
        );
        let [py, job, fs] = &chain.exceptions[..] else { panic!() };
        assert_eq!(
            (py.message.as_str(), py.line, py.frames.len()),
            ("An error occurred while calling o12.execute.", 5, 0)
        );
        assert_eq!(
            (job.message.as_str(), job.line, job.link, job.depth),
            ("Job execution failed.", 6, Link::CausedBy, 1)
        );
        assert_eq!(job.frames.len(), 1);
        assert_eq!((fs.line, fs.depth, fs.parent, fs.omitted), (8, 2, Some(1), 9));
        assert_eq!(chain.root_cause().map(|e| e.line), Some(8));
    }

    #[test]
    fn many_traces_in_one_log() {
        let text = [
            "2024-03-01 12:00:00,000 INFO  org.apache.flink.runtime.jobmaster.JobMaster [] - Starting execution of job x.",
            "2024-03-01 12:00:01,000 WARN  org.apache.flink.runtime.checkpoint.CheckpointCoordinator [] - Checkpoint 1 failed.",
            "org.apache.flink.runtime.checkpoint.CheckpointException: Asynchronous task checkpoint failed.",
            "\tat org.apache.flink.runtime.checkpoint.PendingCheckpoint.abort(PendingCheckpoint.java:1)",
            "2024-03-01 12:00:02,000 INFO  org.apache.flink.runtime.jobmaster.JobMaster [] - Error rate is fine.",
            "2024-03-01 12:00:03,000 WARN  org.apache.flink.runtime.checkpoint.CheckpointCoordinator [] - Checkpoint 2 failed.",
            "org.apache.flink.runtime.checkpoint.CheckpointException: Asynchronous task checkpoint failed.",
            "\tat org.apache.flink.runtime.checkpoint.PendingCheckpoint.abort(PendingCheckpoint.java:1)",
            "Caused by: java.net.SocketTimeoutException: Read timed out",
            "\tat java.base/java.net.SocketInputStream.socketRead0(Native Method)",
            "",
            "2024-03-01 12:00:04,000 INFO  org.apache.flink.runtime.jobmaster.JobMaster [] - Still running.",
            "software.amazon.awssdk.core.exception.SdkClientException: Unable to execute HTTP request: Connect timed out",
            "\tat software.amazon.awssdk.core.exception.SdkClientException$BuilderImpl.build(SdkClientException.java:111)",
        ]
        .join("\n");
        let chains = parse(&text);
        let heads: Vec<(usize, &str)> =
            chains.iter().map(|c| (c.exceptions[0].line, c.exceptions[0].class.as_str())).collect();
        assert_eq!(
            heads,
            [
                (3, "org.apache.flink.runtime.checkpoint.CheckpointException"),
                (7, "org.apache.flink.runtime.checkpoint.CheckpointException"),
                (13, "software.amazon.awssdk.core.exception.SdkClientException"),
            ]
        );
        assert_eq!(chains[1].exceptions.len(), 2);
        assert_eq!(
            chains[1].exceptions[1].frames[0].text,
            "java.base/java.net.SocketInputStream.socketRead0(Native Method)"
        );
        assert_eq!(chains[1].end_line, 10);
    }

    #[test]
    fn prose_and_log_levels_are_not_headers() {
        let text = [
            "Error: disk full",
            "2024-03-01 12:00:00,000 ERROR org.apache.flink.runtime.Foo [] - ERROR while writing",
            "Exception occurred while closing the stream",
            "2024-03-01 12:00:01,000 INFO  org.apache.flink.runtime.Foo [] - Registered class org.apache.flink.MyException",
            "2024-03-01 12:00:02,000 INFO  org.apache.flink.runtime.Foo [] - see https://example.com/java.io.IOException: nothing",
            "2024-03-01 12:00:03,000 INFO  org.apache.flink.runtime.Foo [] - ErrorHandler installed; Throwable handling on",
            "\tat org.apache.flink.Orphan.frame(Orphan.java:1)",
            "Caused by",
            "Caused by: ",
            "Caused by: (nothing)",
        ]
        .join("\n");
        assert_eq!(parse(&text), Vec::<Chain>::new());
    }

    #[test]
    fn known_throwable_names_are_headers() {
        for (line, class) in [
            ("com.amazonaws.SdkClientException: Unable to load credentials", "com.amazonaws.SdkClientException"),
            ("org.jets3t.service.impl.rest.HttpException", "org.jets3t.service.impl.rest.HttpException"),
            ("java.lang.ThreadDeath", "java.lang.ThreadDeath"),
            ("java.lang.Throwable: x", "java.lang.Throwable"),
            (
                "Exception in thread \"main\" java.lang.NoClassDefFoundError: com/amazonaws/AmazonClientException",
                "java.lang.NoClassDefFoundError",
            ),
            ("org.apache.flink.Outer$InnerError: x", "org.apache.flink.Outer$InnerError"),
        ] {
            let chain = one(line);
            assert_eq!(chain.exceptions[0].class, class, "{line}");
        }
    }

    #[test]
    fn mention_without_trace_is_dropped_but_with_trace_kept() {
        let text = "2024-03-01 12:00:00,000 ERROR x [] - Uncaught error in thread main java.lang.OutOfMemoryError\n\tat java.util.Arrays.copyOf(Arrays.java:3236)";
        let chain = one(text);
        assert_eq!(
            (chain.exceptions[0].class.as_str(), chain.exceptions[0].frames.len()),
            ("java.lang.OutOfMemoryError", 1)
        );
        assert!(parse("2024-03-01 12:00:00,000 INFO x [] - Loaded java.lang.OutOfMemoryError\nnext line").is_empty());
    }

    #[test]
    fn suppressed_exceptions_and_their_causes() {
        let text = [
            "java.io.IOException: Failed to close output stream",
            "\tat org.apache.hadoop.fs.s3a.S3ABlockOutputStream.close(S3ABlockOutputStream.java:421)",
            "\tSuppressed: java.io.IOException: Failed to clean up",
            "\t\tat org.apache.hadoop.fs.s3a.S3AFileSystem.delete(S3AFileSystem.java:2999)",
            "\tCaused by: java.net.UnknownHostException: bucket.s3.amazonaws.com",
            "\t\tat java.net.InetAddress.getAllByName0(InetAddress.java:1281)",
            "\t\t... 3 more",
            "Caused by: com.amazonaws.SdkClientException: Unable to execute HTTP request: bucket.s3.amazonaws.com",
            "\tat com.amazonaws.http.AmazonHttpClient.execute(AmazonHttpClient.java:1)",
            "\t... 1 more",
        ]
        .join("\n");
        let chain = one(&text);
        let summary: Vec<(Link, usize, Option<usize>, usize)> =
            chain.exceptions.iter().map(|e| (e.link, e.depth, e.parent, e.line)).collect();
        assert_eq!(
            summary,
            [
                (Link::Head, 0, None, 1),
                (Link::Suppressed, 1, Some(0), 3),
                (Link::CausedBy, 2, Some(1), 5),
                (Link::CausedBy, 1, Some(0), 8),
            ]
        );
        assert_eq!(chain.root_cause().map(|e| e.class.as_str()), Some("com.amazonaws.SdkClientException"));
    }

    #[test]
    fn orphan_caused_by_starts_a_chain() {
        let text = "\t... 3 more\nCaused by: org.apache.hadoop.fs.s3a.auth.NoAuthWithAWSException: No AWS Credentials provided\n\tat org.apache.hadoop.fs.s3a.AWSCredentialProviderList.getCredentials(AWSCredentialProviderList.java:215)";
        let chain = one(text);
        let e = &chain.exceptions[0];
        assert_eq!((e.link, e.depth, e.line, e.frames.len()), (Link::Head, 0, 2, 1));
        assert_eq!(e.message, "No AWS Credentials provided");
    }

    #[test]
    fn unconfirmed_continuation_keeps_only_indented_lines() {
        let text = [
            "java.io.IOException: No file system found with scheme s3,",
            "  referenced in file URI 's3://<bucket>/<endpoint>'.",
            "Some unrelated output",
            "2024-03-01 12:00:00,000 INFO x [] - next",
        ]
        .join("\n");
        let chain = one(&text);
        assert_eq!(
            chain.exceptions[0].message,
            "No file system found with scheme s3,\nreferenced in file URI 's3://<bucket>/<endpoint>'."
        );
        assert_eq!(chain.exceptions[0].message_lines, [1, 2]);
        assert_eq!(chain.end_line, 2);
    }

    #[test]
    fn blank_lines_inside_a_trace_and_after_it() {
        let text = [
            "java.io.IOException: x",
            "\tat a.b.C.d(C.java:1)",
            "",
            "Caused by: java.io.IOException: y",
            "\tat a.b.C.e(C.java:2)",
            "",
            "",
            "",
            "\tat a.b.C.f(C.java:3)",
        ]
        .join("\n");
        let chain = one(&text);
        assert_eq!(chain.exceptions.len(), 2);
        assert_eq!(chain.exceptions[1].frames.len(), 1);
        assert_eq!(chain.end_line, 5);
    }

    #[test]
    fn caps_truncate_a_huge_chain() {
        let mut text = String::from("java.lang.StackOverflowError\n");
        for i in 0..3000 {
            text.push_str(&format!("\tat a.b.C.recurse(C.java:{i})\n"));
        }
        text.push_str("java.io.IOException: after\n\tat a.b.C.d(C.java:1)\n");
        let chains = parse(&text);
        assert_eq!(chains.len(), 2);
        assert_eq!(chains[0].exceptions[0].frames.len(), MAX_CHAIN_FRAMES);
        assert!(chains[0].truncated);
        assert_eq!(chains[0].end_line, 3001);
        assert_eq!(chains[1].exceptions[0].line, 3002);
    }

    #[test]
    fn pathological_lines_stay_linear() {
        let started = std::time::Instant::now();
        let mut text = String::from("java.io.IOException: x");
        text.push_str(&" at a.b(".repeat(100_000));
        text.push('\n');
        text.push_str(&"\tat a.b.C(".repeat(100_000));
        let chain = one(&text);
        assert_eq!(chain.exceptions[0].frames.len(), 1);
        assert_eq!(chain.exceptions[0].frames[0].text.len(), 4096);
        assert!(chain.truncated);
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn scan_reports_stats() {
        let text = "a\nb\njava.io.IOException: x\n\tat a.b.C.d(C.java:1)\nlast";
        let mut seen = Vec::new();
        let stats = scan(text.as_bytes(), |c| seen.push(c)).unwrap_or_default();
        assert_eq!(stats, ScanStats { bytes: text.len() as u64, lines: 5, chains: 1 });
        assert_eq!(seen[0].exceptions[0].line, 3);
    }

    #[test]
    fn helpers() {
        assert_eq!(elision("... 25 more"), Some(25));
        assert_eq!(elision("... 7 common frames omitted"), Some(7));
        assert_eq!(elision("[...]"), Some(0));
        assert_eq!(elision("at x"), None);
        assert!(looks_like_frame("java.base/java.lang.Thread.run(Thread.java:829)"));
        assert!(looks_like_frame("o.a.f.r.JobMaster$$Lambda$1234/0x0000000800d5d840.apply(Unknown Source)"));
        assert!(!looks_like_frame("the host (x)"));
        assert_eq!(split_packaging("a.B.c(B.java:1) ~[b.jar:1.0]"), ("a.B.c(B.java:1)", Some("b.jar:1.0")));
        assert_eq!(split_packaging("a.B.c(B.java:1) [?:?]"), ("a.B.c(B.java:1)", Some("?:?")));
        assert!(is_throwable_name("o.a.h.fs.s3a.AWSBadRequestException"));
        assert!(!is_throwable_name("Error"));
        assert!(!is_throwable_name("Org.Foo.Error"));
        assert!(!is_throwable_name("a.1b.Error"));
        assert_eq!(strip_prefixes("flink-taskmanager-1  | \tat x").0, "\tat x");
        assert_eq!(strip_prefixes("2024-03-01 | INFO x").0, "2024-03-01 | INFO x");
        assert_eq!(strip_prefixes("[main] INFO x").0, "[main] INFO x");
        assert_eq!(decode_escapes(r#"a\"b\\c\/d\n\ud800x\q"#), "a\"b\\c/d\n\u{FFFD}x\\q");
    }
}
