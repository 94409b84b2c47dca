//! Source files, byte spans and their line/column positions; shared by every reader.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::input::Budget;

/// Bytes per block of [`SourceFile`]'s character index.
const CHAR_BLOCK: usize = 256;

/// A half-open byte range `start..end` in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    /// First byte (0-based).
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// Identifies a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub usize);

/// A span in a particular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Location {
    /// The file.
    pub file: FileId,
    /// The bytes in it.
    pub span: Span,
}

impl Location {
    /// A location in `file` covering `span`.
    pub fn new(file: FileId, span: Span) -> Self {
        Location { file, span }
    }
}

/// A 1-based line, 1-based column (in characters) and 0-based byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// 0-based byte offset.
    pub offset: usize,
}

/// One file's text with a line index, and the spans that hold secrets.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as it should be shown to the user (as given on the command line, joined).
    pub display: String,
    /// The path used to open the file.
    pub path: PathBuf,
    /// The whole text.
    pub text: String,
    line_starts: Vec<usize>,
    chars: CharIndex,
    secret_spans: Vec<Span>,
}

impl SourceFile {
    /// Wraps `text` read from `path`, shown to the user as `display`.
    pub fn new(display: impl Into<String>, path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        let text: String = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let chars = CharIndex::new(&text);
        SourceFile { display: display.into(), path: path.into(), text, line_starts, chars, secret_spans: Vec::new() }
    }

    /// The line/column position of byte `offset` (clamped to the text, moved back to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_idx];
        let column = self.chars.chars_before(&self.text, offset) - self.chars.chars_before(&self.text, line_start) + 1;
        Position { line: line_idx + 1, column, offset }
    }

    /// The text of 1-based line `line`, without its line terminator.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else { return "" };
        let end = self.line_starts.get(line).map(|e| e - 1).unwrap_or(self.text.len());
        self.text[start..end.max(start)].trim_end_matches('\r')
    }

    /// The span of 1-based line `line` (without terminator).
    pub fn line_span(&self, line: usize) -> Span {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return Span::new(self.text.len(), self.text.len());
        };
        Span::new(start, start + self.line_text(line).len())
    }

    /// Number of lines.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Marks `span` as holding a secret: [`SourceFile::redacted_text`] masks it. Spans are kept sorted and
    /// merged, so marking and looking up stay cheap however many secrets a file holds.
    pub fn mark_secret(&mut self, span: Span) {
        if span.end <= span.start || span.end > self.text.len() {
            return;
        }
        let i = self.secret_spans.partition_point(|s| s.end < span.start);
        let mut merged = span;
        let mut j = i;
        while j < self.secret_spans.len() && self.secret_spans[j].start <= span.end {
            merged.start = merged.start.min(self.secret_spans[j].start);
            merged.end = merged.end.max(self.secret_spans[j].end);
            j += 1;
        }
        self.secret_spans.splice(i..j, [merged]);
    }

    /// The spans marked as secret, sorted and not overlapping.
    pub fn secret_spans(&self) -> &[Span] {
        &self.secret_spans
    }

    /// True when the whole of `span` (not empty) lies in one marked secret.
    pub fn is_secret(&self, span: Span) -> bool {
        let i = self.secret_spans.partition_point(|s| s.end < span.end);
        span.end > span.start && self.secret_spans.get(i).is_some_and(|s| s.start <= span.start && span.end <= s.end)
    }

    /// The text with every secret span masked (a 4-character prefix kept, the rest `*`), byte offsets and line
    /// breaks unchanged so spans and line numbers stay valid.
    pub fn redacted_text(&self) -> String {
        let mut bytes = self.text.clone().into_bytes();
        for span in &self.secret_spans {
            // White space around a secret (a `<value>` on its own lines) is not part of it.
            let piece = self.text[span.start..span.end].trim_end();
            let lead = piece.len() - piece.trim_start().len();
            let piece = &piece[lead..];
            let keep: usize =
                piece.char_indices().nth(crate::redact::KEEP_CHARS).map(|(i, _)| i).unwrap_or(piece.len());
            for b in &mut bytes[span.start + lead + keep..span.start + lead + piece.len()] {
                // Replacing whole UTF-8 sequences byte by byte with '*' keeps valid UTF-8.
                if !matches!(*b, b'\n' | b'\r') {
                    *b = b'*';
                }
            }
        }
        String::from_utf8(bytes).unwrap_or_default()
    }
}

/// Every file read for one invocation, and the [`Budget`] every read and expansion of the run is charged to.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    budget: Budget,
}

impl SourceMap {
    /// An empty map with a budget of its own.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty map charging `budget`.
    pub fn with_budget(budget: Budget) -> Self {
        SourceMap { files: Vec::new(), budget }
    }

    /// The run's budget.
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() - 1)
    }

    /// The file with `id`.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    /// The file with `id`, mutably.
    pub fn get_mut(&mut self, id: FileId) -> &mut SourceFile {
        &mut self.files[id.0]
    }

    /// The id of an already-read file with this path, if any.
    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files.iter().position(|f| f.path == path).map(FileId)
    }

    /// All files, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i), f))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when no file was read.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Why a file could not be read or parsed ("could not check": exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file, as shown to the user.
    pub file: String,
    /// Where in the file, when known.
    pub position: Option<Position>,
    /// What went wrong (never contains a secret value).
    pub message: String,
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some(p) => write!(f, "{}:{}:{}: {}", self.file, p.line, p.column, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    /// An error about `file` as a whole. Anything shaped like a secret in the message is masked.
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        LoadError { file: file.into(), position: None, message: crate::redact::mask_text(&message.into()) }
    }

    /// An error at byte `offset` of `source`. Anything shaped like a secret in the message is masked.
    pub fn at(source: &SourceFile, offset: usize, message: impl Into<String>) -> Self {
        let message = crate::redact::mask_text(&message.into());
        LoadError { file: source.display.clone(), position: Some(source.position(offset)), message }
    }
}

/// A short, user-facing reason for an I/O error.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Character counts at fixed byte intervals of a text, so that converting between byte offsets and character
/// offsets takes constant time however long the line (columns are counted in characters).
#[derive(Debug, Clone, Default)]
pub struct CharIndex {
    /// The number of characters before each [`CHAR_BLOCK`]-byte block (and after the last); empty for ASCII.
    blocks: Vec<usize>,
}

impl CharIndex {
    /// The index of `text`.
    pub fn new(text: &str) -> Self {
        let mut blocks = Vec::new();
        if !text.is_ascii() {
            let mut chars = 0;
            for block in text.as_bytes().chunks(CHAR_BLOCK) {
                blocks.push(chars);
                chars += block.iter().filter(|b| !is_continuation(**b)).count();
            }
            blocks.push(chars);
        }
        CharIndex { blocks }
    }

    /// The number of characters of `text` (the indexed one) before byte `offset` (a char boundary).
    pub fn chars_before(&self, text: &str, offset: usize) -> usize {
        if self.blocks.is_empty() {
            return offset;
        }
        let block = offset / CHAR_BLOCK;
        self.blocks[block]
            + text.as_bytes()[block * CHAR_BLOCK..offset].iter().filter(|b| !is_continuation(**b)).count()
    }

    /// The byte offset of character number `n` (0-based) of `text` (the indexed one), or its length.
    pub fn byte_of_char(&self, text: &str, n: usize) -> usize {
        if self.blocks.is_empty() {
            return n.min(text.len());
        }
        // The last block starting at or before character n.
        let block = self.blocks.partition_point(|c| *c <= n).saturating_sub(1);
        let start = (block * CHAR_BLOCK).min(text.len());
        let mut count = self.blocks[block];
        for (i, b) in text.as_bytes()[start..].iter().enumerate() {
            if !is_continuation(*b) {
                if count == n {
                    return start + i;
                }
                count += 1;
            }
        }
        text.len()
    }
}

/// A UTF-8 continuation byte (not the start of a character).
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let f = SourceFile::new("f", "f", "ab\nçd=é\nlast");
        assert_eq!(f.position(0), Position { line: 1, column: 1, offset: 0 });
        assert_eq!(f.position(3), Position { line: 2, column: 1, offset: 3 });
        // 'ç' is two bytes: the 'd' at byte 5 is the 2nd character of line 2.
        assert_eq!(f.position(5), Position { line: 2, column: 2, offset: 5 });
        assert_eq!(f.line_text(2), "çd=é");
        assert_eq!(f.line_text(3), "last");
        assert_eq!(f.position(1000).line, 3);
    }

    #[test]
    fn columns_of_long_non_ascii_lines_count_characters() {
        let line = format!("{}=x", "é".repeat(1000));
        let f = SourceFile::new("f", "f", format!("a\n{line}\n"));
        let eq = 2 + line.find('=').expect("=");
        assert_eq!(f.position(eq), Position { line: 2, column: 1001, offset: eq });
        assert_eq!(f.position(eq + 1).column, 1002);
        assert_eq!(f.position(f.text.len()).line, 3);
        let index = CharIndex::new(&f.text);
        for (n, (i, _)) in f.text.char_indices().enumerate() {
            assert_eq!(index.byte_of_char(&f.text, n), i);
            assert_eq!(index.chars_before(&f.text, i), n);
        }
        assert_eq!(index.byte_of_char(&f.text, 1_000_000), f.text.len());
    }

    #[test]
    fn redaction_keeps_offsets_and_a_four_character_prefix() {
        let mut f = SourceFile::new("f", "f", "key: AKIAIOSFODNN7EXAMPLE\nnext");
        f.mark_secret(Span::new(5, 25));
        let r = f.redacted_text();
        assert_eq!(r.len(), f.text.len());
        assert!(r.contains("AKIA****************\nnext"), "{r}");
        assert!(!r.contains("IOSFODNN7"));
    }

    #[test]
    fn secret_spans_merge_and_keep_line_breaks() {
        let mut f = SourceFile::new("f", "f", "k: abcdefgh\nijklmnop\nrest\n<v>\n  AKIAQQQQ\n</v>");
        f.mark_secret(Span::new(3, 8));
        f.mark_secret(Span::new(6, 20));
        f.mark_secret(Span::new(1, 2));
        assert_eq!(f.secret_spans(), [Span::new(1, 2), Span::new(3, 20)]);
        assert!(f.is_secret(Span::new(4, 11)) && !f.is_secret(Span::new(0, 4)) && !f.is_secret(Span::new(5, 5)));
        f.mark_secret(Span::new(29, 41));
        assert_eq!(f.redacted_text(), "k: abcd****\n********\nrest\n<v>\n  AKIA****\n</v>");
    }

    #[test]
    fn crlf_lines_drop_the_carriage_return() {
        let f = SourceFile::new("f", "f", "a: 1\r\nb: 2\r\n");
        assert_eq!(f.line_text(1), "a: 1");
        assert_eq!(f.line_span(2), Span::new(6, 10));
    }
}
