//! Byte offsets of s3lint's spans <-> LSP positions (line, character), in the encoding negotiated at start-up:
//! UTF-8 code units when the client offers `utf-8`, else LSP's default, UTF-16 code units.

use lsp_types::{Position, Range};

use crate::source::Span;

/// How a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (LSP's default).
    Utf16,
}

/// The LSP position of byte `offset` of `text` (clamped to the text, and back to a character boundary).
pub fn position(text: &str, offset: usize, encoding: Encoding) -> Position {
    let offset = floor_boundary(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = memchr::memchr_iter(b'\n', &text.as_bytes()[..line_start]).count();
    let before = &text[line_start..offset];
    let character = match encoding {
        Encoding::Utf8 => before.len(),
        Encoding::Utf16 => before.encode_utf16().count(),
    };
    Position::new(to_u32(line), to_u32(character))
}

/// The LSP range of a byte span.
pub fn range(text: &str, span: Span, encoding: Encoding) -> Range {
    Range::new(position(text, span.start, encoding), position(text, span.end, encoding))
}

/// The byte offset of an LSP position in `text`: a line past the end is the end of the text, a character past
/// the end of its line is the end of that line (before its line break), a character inside a multi-unit
/// character is that character's start.
pub fn offset(text: &str, at: Position, encoding: Encoding) -> usize {
    let line_start = match at.line {
        0 => 0,
        n => match memchr::memchr_iter(b'\n', text.as_bytes()).nth(n as usize - 1) {
            Some(i) => i + 1,
            None => return text.len(),
        },
    };
    let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
    let line = &text[line_start..line_end];
    let wanted = at.character as usize;
    match encoding {
        Encoding::Utf8 => line_start + floor_boundary(line, wanted.min(line.len())),
        Encoding::Utf16 => {
            let mut units = 0;
            for (i, c) in line.char_indices() {
                if units + c.len_utf16() > wanted {
                    return line_start + i;
                }
                units += c.len_utf16();
            }
            line_end
        }
    }
}

/// The byte span of an LSP range.
pub fn span(text: &str, range: Range, encoding: Encoding) -> Span {
    let start = offset(text, range.start, encoding);
    Span::new(start, offset(text, range.end, encoding).max(start))
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    // `é` is 2 bytes and 1 UTF-16 unit; `𝄞` is 4 bytes and 2 UTF-16 units.
    const TEXT: &str = "a: 1\né𝄞 key: v\nlast";

    #[test]
    fn non_ascii_before_a_key_counts_in_the_negotiated_units() {
        let key = TEXT.find("key").unwrap();
        assert_eq!(position(TEXT, key, Encoding::Utf16), Position::new(1, 4));
        assert_eq!(position(TEXT, key, Encoding::Utf8), Position::new(1, 7));
        assert_eq!(offset(TEXT, Position::new(1, 4), Encoding::Utf16), key);
        assert_eq!(offset(TEXT, Position::new(1, 7), Encoding::Utf8), key);
    }

    #[test]
    fn positions_out_of_range_are_clamped() {
        assert_eq!(offset(TEXT, Position::new(0, 99), Encoding::Utf16), 4);
        assert_eq!(offset(TEXT, Position::new(9, 0), Encoding::Utf16), TEXT.len());
        // Inside the surrogate pair: the character's start.
        let clef = TEXT.find('𝄞').unwrap();
        assert_eq!(offset(TEXT, Position::new(1, 2), Encoding::Utf16), clef);
        assert_eq!(position(TEXT, clef + 1, Encoding::Utf8), Position::new(1, 2));
        assert_eq!(position(TEXT, TEXT.len(), Encoding::Utf16), Position::new(2, 4));
    }
}
