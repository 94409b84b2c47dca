//! The source excerpt of one human-readable finding: only the lines around the span (one before, one after),
//! cut from the masked text, long lines shortened around the span. miette then works on a few hundred bytes per
//! finding instead of scanning the whole file from its start (which made output quadratic in findings), and never
//! sees a line long enough to overflow its renderer's column arithmetic (a span past column 65,535 panicked).

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::{SourceFile, Span};

/// Lines shown before and after the span's lines.
pub const CONTEXT_LINES: usize = 1;
/// Most lines of a span that are shown; a longer span is shown up to there.
const MAX_SPAN_LINES: usize = 12;
/// Lines longer than this (in characters) are shortened.
const MAX_LINE_CHARS: usize = 160;
/// Characters kept on each side of the span in a shortened line.
const SIDE_CHARS: usize = 50;
/// Most characters of the span itself kept on a shortened line.
const MAX_SPAN_CHARS: usize = 60;
/// Marks where a line was shortened.
const CUT: &str = "…";

/// The excerpt miette renders: a few lines of the file, numbered as in the file.
#[derive(Debug)]
pub struct Snippet {
    name: String,
    text: String,
    /// 0-based line number in the file of the excerpt's first line.
    first_line: usize,
    /// The span's start in the excerpt, and its 0-based column (in characters) in the file.
    primary: (usize, usize),
    /// The span, in the excerpt.
    label: Span,
}

impl Snippet {
    /// The excerpt of `masked` (the file's text with secrets masked, same byte offsets as `file.text`) around
    /// `span`.
    pub fn new(file: &SourceFile, masked: &str, span: Span) -> Self {
        let start = file.position(span.start);
        let end_line = file.position(span.end.max(span.start)).line.min(start.line + MAX_SPAN_LINES - 1);
        let first = start.line.saturating_sub(CONTEXT_LINES).max(1);
        let last = (end_line + CONTEXT_LINES).min(file.line_count());
        let mut text = String::new();
        let (mut label_start, mut label_end) = (None, None);
        for line in first..=last {
            let line_span = file.line_span(line);
            let content = masked.get(line_span.start..line_span.end).unwrap_or("");
            let (from, to) = kept_range(content, line_span.start, span);
            if from > line_span.start {
                text.push_str(CUT);
            }
            let kept_at = text.len();
            text.push_str(&masked[from..to]);
            if to < line_span.end {
                text.push_str(CUT);
            }
            let map = |offset: usize| kept_at + offset.clamp(from, to) - from;
            if line == start.line {
                label_start = Some(map(span.start));
            }
            if line >= start.line && line <= end_line {
                label_end = Some(map(span.end.min(line_span.end)));
            }
            // Line ends as in the file (miette shows a blank line only when its own end is there).
            if line < file.line_count() {
                text.push('\n');
            }
        }
        let label_start = label_start.unwrap_or(0);
        let label = Span::new(label_start, label_end.unwrap_or(label_start).max(label_start));
        Snippet {
            name: file.display.clone(),
            text,
            first_line: first - 1,
            primary: (label_start, start.column - 1),
            label,
        }
    }

    /// The span to label, in the excerpt.
    pub fn label(&self) -> Span {
        self.label
    }
}

/// The byte range of a line (starting at `line_start` in the file, content `content`) that is shown: all of it
/// when it is short, else a window around the part of `span` on it (or its start).
fn kept_range(content: &str, line_start: usize, span: Span) -> (usize, usize) {
    let line_end = line_start + content.len();
    if content.len() <= MAX_LINE_CHARS || content.chars().nth(MAX_LINE_CHARS).is_none() {
        return (line_start, line_end);
    }
    let on_line = span.start <= line_end && span.end >= line_start;
    if !on_line {
        return (line_start, line_start + char_offset(content, 0, MAX_LINE_CHARS - SIDE_CHARS));
    }
    let s = span.start.clamp(line_start, line_end) - line_start;
    let e = span.end.clamp(line_start, line_end) - line_start;
    let from = back_chars(content, s, SIDE_CHARS);
    let span_end = char_offset(content, s, MAX_SPAN_CHARS).min(e.max(s));
    let to = char_offset(content, span_end, SIDE_CHARS);
    (line_start + from, line_start + to)
}

/// The byte offset `n` characters after byte `at` of `s` (or its end).
fn char_offset(s: &str, at: usize, n: usize) -> usize {
    s[at..].char_indices().nth(n).map_or(s.len(), |(i, _)| at + i)
}

/// The byte offset `n` characters before byte `at` of `s` (or its start).
fn back_chars(s: &str, at: usize, n: usize) -> usize {
    s[..at].char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i)
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, context_lines_before, context_lines_after)?;
        // miette takes the header's `file:line:column` from the primary label read without context.
        let column =
            if context_lines_before == 0 && span.offset() == self.primary.0 { self.primary.1 } else { inner.column() };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            column,
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snippet(text: &str, span: Span) -> Snippet {
        let f = SourceFile::new("f.xml", "f.xml", text);
        Snippet::new(&f, text, span)
    }

    #[test]
    fn only_the_lines_around_the_span_are_kept() {
        let text = "l1\nl2\nkey: value\nl4\nl5\n";
        let s = snippet(text, Span::new(11, 16));
        assert_eq!(s.text, "l2\nkey: value\nl4\n");
        assert_eq!(s.first_line, 1);
        assert_eq!(&s.text[s.label.start..s.label.end], "value");
        assert_eq!(s.primary, (8, 5));
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!("{}KEY{}", "a".repeat(100_000), "b".repeat(100_000));
        let text = format!("first\n{line}\n{}\n", "c".repeat(1000));
        let at = 6 + 100_000;
        let s = snippet(&text, Span::new(at, at + 3));
        assert!(s.text.len() < 600, "{}", s.text.len());
        assert_eq!(&s.text[s.label.start..s.label.end], "KEY");
        assert_eq!(s.primary.1, 100_000);
        assert!(s.text.contains("…aaaa") && s.text.contains("bbb…"), "{}", s.text);
        // A span longer than the window is shown from its start.
        let s = snippet(&text, Span::new(6, 6 + 200_003));
        assert!(s.label.end - s.label.start <= MAX_SPAN_CHARS * 3);
    }

    #[test]
    fn spans_at_the_end_and_empty_files_work() {
        let s = snippet("", Span::new(0, 0));
        assert_eq!((s.text.as_str(), s.label), ("", Span::new(0, 0)));
        let s = snippet("a\nb", Span::new(3, 3));
        assert_eq!(s.label, Span::new(3, 3));
    }
}
