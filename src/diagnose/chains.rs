//! Lines -> exception chains: the line-by-line state machine that recognises headers, messages over several
//! lines, frames (also run together on one line), elisions, `Caused by` / `Suppressed` links and Py4J wrappers.
//!
//!
//! Reads Java stack traces the way users paste them: bare, inside a whole log (log4j/logback prefixes on the
//! header line, ordinary log lines around), with container prefixes on every line (`kubectl logs --prefix`,
//! `--timestamps`, YARN `container_…:`, docker compose `name-1  | `), tab- or space-indented frames, `... 25 more`,
//! `[...]` elisions, abbreviated packages (`o.a.h.fs.s3a.S3AFileSystem`), frames run together with ` at` at line
//! ends, messages over several lines, CRLF, traces JSON-escaped inside a JSON log line, and PyFlink's
//! `Py4JJavaError` wrapping a Java trace.

use super::chain::*;
use super::header::*;
use super::lines::*;
use super::repeats::{Relocate, Repeats};
use super::unwrap::*;

/// Words every line that can start a chain contains; lines without any are skipped unread. (`ThreadDeath` ends a
/// throwable name too, but its prefix `Thread` is in every other log line: it is left to the header reader.)
pub(super) const CANDIDATES: [&str; 4] = ["Exception", "Error", "Throwable", "Caused by"];
/// Endings of a class name that make it an exception class.
pub(super) const THROWABLE_SUFFIXES: [&str; 4] = ["Exception", "Error", "Throwable", "ThreadDeath"];

/// The line-by-line state machine: idle, or building one chain.
pub(super) struct Parser {
    /// Reading the decoded text of a JSON string: no JSON inside it is looked into.
    nested: bool,
    chain: Option<Building>,
    /// Chains read before, to read their repeats fast (top level only).
    repeats: Repeats<Building>,
    /// Whether [`Parser::repeats`] is kept.
    remember: bool,
}

/// What a line did to the open chain.
enum Step {
    /// The line belongs to the chain.
    Consumed,
    /// The chain ended before this line; the line is to be read again with no chain open.
    End,
}

impl Parser {
    /// A parser; `remember`: keep the chains read (at the top level) to read their repeats fast.
    pub(super) fn new(nested: bool, remember: bool) -> Self {
        Parser { nested, chain: None, repeats: Repeats::new(), remember: remember && !nested }
    }

    pub(super) fn is_idle(&self) -> bool {
        self.chain.is_none()
    }

    /// Reads one line; `context` gives the lines before it, asked for only when a chain starts here.
    pub(super) fn line(&mut self, raw: &str, no: usize, context: &dyn Fn() -> String, emit: &mut dyn FnMut(Chain)) {
        loop {
            match &mut self.chain {
                None => {
                    self.idle_line(raw, no, context, emit);
                    return;
                }
                Some(building) => match building.line(raw, no) {
                    Step::Consumed => {
                        self.repeats.consumed(raw);
                        return;
                    }
                    Step::End => {
                        self.repeats.ended(building);
                        self.close(emit);
                    }
                },
            }
        }
    }

    pub(super) fn finish(&mut self, emit: &mut dyn FnMut(Chain)) {
        self.repeats.abandon();
        self.close(emit);
    }

    /// Right after the line that opened a chain: if `ahead` (the input after that line) starts with the lines that
    /// followed the same header last time, takes the state they led to and returns how many bytes and lines of
    /// `ahead` are thereby read. See [`super::repeats`].
    pub(super) fn skip_repeat(&mut self, ahead: &[u8]) -> Option<(usize, usize)> {
        let building = self.chain.as_mut()?;
        let hit = self.repeats.repeat(ahead)?;
        let context = building.chain.context.take();
        *building = hit.state;
        building.chain.context = context;
        Some((hit.bytes, hit.lines))
    }

    fn close(&mut self, emit: &mut dyn FnMut(Chain)) {
        let Some(building) = self.chain.take() else { return };
        let mention = if building.tentative { building.mention.clone() } else { None };
        match building.finish() {
            Some(chain) => emit(chain),
            // A class only mentioned in a log line, with no trace after it: the line is still evidence.
            None => {
                if let Some((content, no)) = mention
                    && let Some(chain) = lone_line(&content, no)
                {
                    emit(chain);
                }
            }
        }
    }

    /// A line read with no chain open: does a chain start here? If not, is the line evidence on its own?
    fn idle_line(&mut self, raw: &str, no: usize, context: &dyn Fn() -> String, emit: &mut dyn FnMut(Chain)) {
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
            let Some(found) = find_header(rest).filter(|found| found.at_start) else {
                emit_lone(trimmed, no, emit);
                return;
            };
            building.push_exception(found.class, found.rest, trimmed, no, Link::Head, None, indent);
            building.tentative = found.tentative;
        } else if starts_with_at(trimmed).is_some() {
            return;
        } else if let Some(class) = clojure_header(trimmed) {
            // Clojure: `Execution error (AmazonS3Exception) at pkg.Class/method (File.java:1).`, message below.
            building.push_exception(class, "", trimmed, no, Link::Head, None, indent);
            building.message_next = true;
        } else if let Some(found) = find_header(content) {
            let indent = if found.at_start { indent } else { 0 };
            building.push_exception(found.class, found.rest, trimmed, no, Link::Head, None, indent);
            building.tentative = found.tentative;
            if found.tentative {
                building.mention = Some((trimmed.to_string(), no));
            }
        } else {
            emit_lone(trimmed, no, emit);
            return;
        }
        building.chain.level = level_of(trimmed);
        building.chain.context = Some(context()).filter(|c| !c.is_empty());
        self.chain = Some(building);
        if self.remember {
            // What the chain becomes depends on this text and the lines after it alone (indentation included).
            self.repeats.opened(content, no);
        }
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
            let mut inner = Parser::new(true, false);
            let mut collect = |chain: Chain| found.push(chain);
            for line in text.split('\n') {
                inner.line(line, no, &String::new, &mut collect);
            }
            inner.finish(&mut collect);
        }
        // A JSON log line often repeats the exception's first line in its "message": keep the traces only.
        let has_frames = |chain: &Chain| chain.exceptions.iter().any(|e| !e.frames.is_empty() || e.omitted > 0);
        if found.iter().any(has_frames) {
            found.retain(has_frames);
        }
        let level = level_of(content);
        for mut chain in found {
            chain.level = chain.level.or(level);
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
#[derive(Default, Clone)]
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
    /// The header gave no message (`Foo:` at the end of the line, Clojure's form): the next line is the message.
    message_next: bool,
    /// The line a tentative head was mentioned on, kept as lone-line evidence should no trace follow.
    mention: Option<(String, usize)>,
}

impl Relocate for Building {
    fn relocate(&mut self, from: usize, to: usize) {
        let at = |line: &mut usize| *line = line.saturating_sub(from) + to;
        at(&mut self.chain.end_line);
        for e in &mut self.chain.exceptions {
            at(&mut e.line);
            e.message_lines.iter_mut().for_each(at);
            e.frames.iter_mut().for_each(|f| at(&mut f.line));
        }
        self.pending.iter_mut().for_each(|(_, line, _)| at(line));
        if let Some((_, line)) = &mut self.mention {
            at(line);
        }
    }
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

        if self.message_next {
            self.message_next = false;
            if starts_with_at(trimmed).is_none()
                && elision(trimmed).is_none()
                && linked_header(trimmed).is_none()
                && !is_new_record(content, had_timestamp)
            {
                let text = self.keep(cut(trimmed, MAX_MESSAGE_BYTES));
                self.append_message_lines(vec![(text, no, true)]);
                self.tentative = false;
                self.blank_run = 0;
                return Step::Consumed;
            }
        }
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
        if rest == ":" {
            self.message_next = true;
        }
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
            quoted: false,
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
        let frame = Frame { text: text.into(), packaging: packaging.map(Into::into), line: no };
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
        expand_quoted(&mut self.chain);
        Some(self.chain)
    }
}

#[cfg(test)]
#[path = "chains_tests.rs"]
mod tests;
