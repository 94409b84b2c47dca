//! Text edits of a fix: a byte range of a file's text and what replaces it, the conflicts between edits of one
//! run (two edits over the same bytes: the first is kept), and applying them so that every byte outside an edit
//! stays as it was.

use crate::source::{FileId, Span};

/// One replacement in one file's text: `span` (byte offsets into the text s3lint read) becomes `replacement`.
/// An empty span inserts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEdit {
    /// The file.
    pub file: FileId,
    /// The bytes replaced (empty: an insertion before `span.start`).
    pub span: Span,
    /// The new text.
    pub replacement: String,
    /// The rule whose finding this edit fixes.
    pub rule: &'static str,
    /// What it does, for the summary (`rename `fs.s3a.endpoint.regoin` to `fs.s3a.endpoint.region``).
    pub what: String,
    /// What the file's reader must see differently afterwards.
    pub effect: Effect,
}

/// The meaning of an edit, as the file's reader sees it: checked by reading the edited text again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The key `from` (as the reader names it) is now `to`, its value unchanged.
    Rename { from: String, to: String },
    /// A new definition of `key` with the value `value`.
    Add { key: String, value: String },
    /// Text that is no configuration definition changes (a jar name of `ENABLE_BUILT_IN_PLUGINS`): the reader
    /// must see exactly the definitions it saw before.
    Other,
}

/// Sorts `edits` by file and position and drops each edit that overlaps an edit kept before it; two insertions
/// at the same place are both kept, in the order given, and an edit planned twice is made once. Returns the
/// edits kept and those dropped.
pub fn resolve(mut edits: Vec<TextEdit>) -> (Vec<TextEdit>, Vec<TextEdit>) {
    // Stable: insertions at one place keep the order in which they were planned.
    edits.sort_by_key(|e| (e.file, e.span.start));
    let mut kept: Vec<TextEdit> = Vec::new();
    let mut dropped = Vec::new();
    for e in edits {
        let same = |k: &TextEdit| k.file == e.file && k.span == e.span && k.replacement == e.replacement;
        if kept.iter().any(same) {
            continue; // planned twice (a key two findings ask for): made once
        }
        if kept.iter().any(|k| k.file == e.file && overlaps(k.span, e.span)) { dropped.push(e) } else { kept.push(e) }
    }
    (kept, dropped)
}

/// True when two spans share a byte, or one is an insertion strictly inside the other.
fn overlaps(a: Span, b: Span) -> bool {
    if a.start == a.end || b.start == b.end {
        let (point, range) = if a.start == a.end { (a.start, b) } else { (b.start, a) };
        return range.start < point && point < range.end;
    }
    a.start < b.end && b.start < a.end
}

/// `text` with `edits` (of this file, sorted and not overlapping, as [`resolve`] leaves them) applied.
pub fn apply(text: &str, edits: &[&TextEdit]) -> String {
    let mut out = String::with_capacity(text.len() + edits.iter().map(|e| e.replacement.len()).sum::<usize>());
    let mut at = 0;
    for e in edits {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.replacement);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The line ending a file uses: `\r\n` when its first line break is one, else `\n`.
pub fn line_ending(text: &str) -> &'static str {
    match memchr::memchr(b'\n', text.as_bytes()) {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The offset of the start of the line holding `offset`.
pub fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

/// The offset just past the line break that ends the line holding `offset` (the end of the text on the last line).
pub fn line_end(text: &str, offset: usize) -> usize {
    text[offset..].find('\n').map(|i| offset + i + 1).unwrap_or(text.len())
}

/// An edit for unit tests: `start..end` of file 0 becomes `r`.
#[cfg(test)]
pub(crate) fn test_edit(start: usize, end: usize, r: &str) -> TextEdit {
    let effect = Effect::Add { key: r.into(), value: String::new() };
    TextEdit { file: FileId(0), span: Span::new(start, end), replacement: r.into(), rule: "x", what: r.into(), effect }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_edit as edit;

    #[test]
    fn overlapping_edits_keep_the_first_and_insertions_at_one_place_keep_both() {
        let (kept, dropped) = resolve(vec![edit(4, 8, "b"), edit(0, 5, "a"), edit(10, 10, "i"), edit(10, 10, "j")]);
        assert_eq!(kept.iter().map(|e| e.replacement.as_str()).collect::<Vec<_>>(), ["a", "i", "j"]);
        assert_eq!(dropped.len(), 1);
        assert_eq!(dropped[0].replacement, "b");
        // An insertion inside a replaced range clashes; one at its edge does not.
        let (_, dropped) = resolve(vec![edit(0, 5, "a"), edit(3, 3, "x"), edit(5, 5, "y")]);
        assert_eq!(dropped.iter().map(|e| e.replacement.as_str()).collect::<Vec<_>>(), ["x"]);
    }

    #[test]
    fn applying_keeps_every_byte_outside_the_edits() {
        let text = "a: 1\r\nbb: 2\r\n# comment\r\n";
        let edits = [edit(6, 8, "cc"), edit(text.len(), text.len(), "d: 4\r\n")];
        let out = apply(text, &edits.iter().collect::<Vec<_>>());
        assert_eq!(out, "a: 1\r\ncc: 2\r\n# comment\r\nd: 4\r\n");
        assert_eq!(line_ending(text), "\r\n");
        assert_eq!(line_ending("a\nb\r\n"), "\n");
        assert_eq!((line_start(text, 8), line_end(text, 8)), (6, 13));
    }
}
