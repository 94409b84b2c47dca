//! Repeated traces: a log that prints the same trace again and again (a retry loop, every task of a job failing
//! the same way, a dense log) reads each repeat at the speed of a memory comparison instead of line by line.
//!
//! The chain reader is deterministic: what it makes of a chain depends only on the header line (without its log
//! prefix) and the lines after it, never on where they are. So the first time a chain is read, the raw bytes of the
//! lines it consumed after its header (its *body*) are recorded together with the reader's state right before the
//! line that ended it. When a later chain opens with the same header and the input ahead of it starts with the
//! same body, the reader takes that state (moved to the new line numbers) and goes on with the line after the
//! body, exactly as if it had read every line again. Bodies that are long, over-long lines and undecodable bytes
//! are simply never recorded or never match: the memo only ever skips work, never changes a result.

use std::collections::HashMap;

/// Longest body recorded (bytes): a trace of a few hundred frames.
const MAX_BODY_BYTES: usize = 64 << 10;
/// Distinct headers remembered; the memo starts afresh when it is full.
const MAX_ENTRIES: usize = 256;

/// A reader state that can be moved to other line numbers.
pub(super) trait Relocate {
    /// Adds `to` and subtracts `from` to every line number it holds.
    fn relocate(&mut self, from: usize, to: usize);
}

/// Remembered bodies by header, and the body being recorded.
pub(super) struct Repeats<S> {
    entries: HashMap<String, Entry<S>>,
    recording: Option<Recording>,
}

struct Entry<S> {
    body: Vec<u8>,
    lines: usize,
    /// The state before the line that ended the chain, with line numbers relative to the header line (0).
    state: S,
}

struct Recording {
    header: String,
    header_line: usize,
    body: Vec<u8>,
    lines: usize,
}

/// A body found again: the state to continue from and how much input it stands for.
pub(super) struct Hit<S> {
    /// The reader's state after the body, at the new line numbers.
    pub state: S,
    /// Bytes of input the body covers (whole lines, newlines included).
    pub bytes: usize,
    /// Lines the body covers.
    pub lines: usize,
}

impl<S: Clone + Relocate> Repeats<S> {
    pub(super) fn new() -> Self {
        Repeats { entries: HashMap::new(), recording: None }
    }

    /// A chain opened on line `no` with this header (the line without its log prefix): record what follows.
    pub(super) fn opened(&mut self, header: &str, no: usize) {
        self.recording = Some(Recording { header: header.to_string(), header_line: no, body: Vec::new(), lines: 0 });
    }

    /// The open chain consumed this raw line (without its newline).
    pub(super) fn consumed(&mut self, raw: &str) {
        let Some(recording) = &mut self.recording else { return };
        if recording.body.len() + raw.len() + 1 > MAX_BODY_BYTES {
            self.recording = None;
            return;
        }
        recording.body.extend_from_slice(raw.as_bytes());
        recording.body.push(b'\n');
        recording.lines += 1;
    }

    /// The open chain ends before the line being read; `state` is the reader's state at that point.
    pub(super) fn ended(&mut self, state: &S) {
        let Some(recording) = self.recording.take() else { return };
        if recording.body.is_empty() {
            return;
        }
        if self.entries.len() >= MAX_ENTRIES && !self.entries.contains_key(&recording.header) {
            self.entries.clear();
        }
        let mut state = state.clone();
        state.relocate(recording.header_line, 0);
        self.entries.insert(recording.header, Entry { body: recording.body, lines: recording.lines, state });
    }

    /// The chain ended without a line after it (end of input) or is read otherwise: nothing to remember.
    pub(super) fn abandon(&mut self) {
        self.recording = None;
    }

    /// Whether the chain just opened (the one being recorded) repeats a remembered one: its body is at the start
    /// of `ahead` (the input after the header line).
    pub(super) fn repeat(&mut self, ahead: &[u8]) -> Option<Hit<S>> {
        let recording = self.recording.as_ref().filter(|r| r.lines == 0)?;
        let entry = self.entries.get(&recording.header)?;
        if !ahead.starts_with(&entry.body) {
            return None;
        }
        let mut state = entry.state.clone();
        state.relocate(0, recording.header_line);
        let hit = Hit { state, bytes: entry.body.len(), lines: entry.lines };
        self.recording = None;
        Some(hit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Lines(Vec<usize>);

    impl Relocate for Lines {
        fn relocate(&mut self, from: usize, to: usize) {
            for l in &mut self.0 {
                *l = *l - from + to;
            }
        }
    }

    #[test]
    fn a_recorded_body_is_found_again_at_new_line_numbers() {
        let mut memo = Repeats::new();
        memo.opened("java.io.IOException: boom", 10);
        memo.consumed("\tat a.B.c(B.java:1)");
        memo.consumed("\tat a.B.d(B.java:2)");
        memo.ended(&Lines(vec![10, 11, 12]));
        memo.opened("java.io.IOException: boom", 100);
        let hit = memo.repeat(b"\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)\n2024-01-01 INFO next").unwrap();
        assert_eq!((hit.state, hit.bytes, hit.lines), (Lines(vec![100, 101, 102]), 40, 2));
    }

    #[test]
    fn another_body_or_header_is_not_a_repeat() {
        let mut memo = Repeats::new();
        memo.opened("java.io.IOException: boom", 1);
        memo.consumed("\tat a.B.c(B.java:1)");
        memo.ended(&Lines(vec![1, 2]));
        memo.opened("java.io.IOException: boom", 5);
        assert!(memo.repeat(b"\tat a.B.c(B.java:9)\n").is_none());
        memo.opened("java.io.IOException: other", 9);
        assert!(memo.repeat(b"\tat a.B.c(B.java:1)\n").is_none());
        // A body cut short by the end of the buffer is not a repeat either (it is read line by line).
        memo.opened("java.io.IOException: boom", 12);
        assert!(memo.repeat(b"\tat a.B.c(B.jav").is_none());
    }

    #[test]
    fn an_abandoned_or_empty_recording_is_not_remembered() {
        let mut memo = Repeats::new();
        memo.opened("java.io.IOException: boom", 1);
        memo.consumed("\tat a.B.c(B.java:1)");
        memo.abandon();
        memo.ended(&Lines(vec![1]));
        memo.opened("java.io.IOException: boom", 5);
        assert!(memo.repeat(b"\tat a.B.c(B.java:1)\n").is_none());
        memo.opened("java.io.IOException: bare", 7);
        memo.ended(&Lines(vec![7]));
        memo.opened("java.io.IOException: bare", 9);
        assert!(memo.repeat(b"anything\n").is_none());
    }
}
