//! How wide human output is, and how it is wrapped. On a terminal: its width (`COLUMNS` when set, as `ls` and
//! `git` honour it; otherwise the terminal's own); piped with no `COLUMNS`: not wrapped at all, so every line
//! can be searched and copied whole. Wrapping breaks lines only at spaces outside backticks and never splits a
//! word or hyphenates it, so a suggested command (`mv lib/x.jar plugins/s3/`), path or key stays on one line.

use std::io::IsTerminal;

use textwrap::core::Word;
use textwrap::{Options, WordSeparator, WordSplitter};

/// The width to wrap human output at, or `None` for no wrapping: `COLUMNS` (a positive integer) if set, else the
/// width of the terminal standard output is, else none (a pipe or a file).
pub fn output_width() -> Option<usize> {
    width_from(std::env::var("COLUMNS").ok().as_deref(), || {
        std::io::stdout().is_terminal().then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))).flatten()
    })
}

/// [`output_width`] from a `COLUMNS` value and a terminal probe.
fn width_from(columns: Option<&str>, terminal: impl FnOnce() -> Option<usize>) -> Option<usize> {
    match columns.and_then(|c| c.trim().parse::<usize>().ok()).filter(|w| *w > 0) {
        Some(w) => Some(w),
        None => terminal().filter(|w| *w > 0),
    }
}

/// The word separator of all human output: words end at spaces outside backticks.
pub fn separator() -> WordSeparator {
    WordSeparator::Custom(copyable_words)
}

/// Splits a line into words at runs of spaces, except inside a backtick-quoted span (an unclosed backtick
/// keeps the rest of the line together): a `command with spaces` is one word.
fn copyable_words(line: &str) -> Box<dyn Iterator<Item = Word<'_>> + '_> {
    let mut words = Vec::new();
    let (mut start, mut in_code) = (0, false);
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '`' {
            in_code = !in_code;
        } else if c == ' ' && !in_code && chars.peek().is_some_and(|(_, n)| *n != ' ') {
            words.push(Word::from(&line[start..=i]));
            start = i + 1;
        }
    }
    if start < line.len() {
        words.push(Word::from(&line[start..]));
    }
    Box::new(words.into_iter())
}

/// Wraps `text` (paragraphs separated by newlines) at `width` with the given indents; with no width, only
/// indents each line.
pub fn fill(text: &str, width: Option<usize>, first: &str, rest: &str) -> String {
    let Some(width) = width else {
        return text
            .lines()
            .enumerate()
            .map(|(i, l)| format!("{}{l}", if i == 0 { first } else { rest }))
            .collect::<Vec<_>>()
            .join("\n");
    };
    let options = Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false)
        .word_separator(separator())
        .word_splitter(WordSplitter::NoHyphenation);
    textwrap::fill(text, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_wins_then_the_terminal_then_no_wrapping() {
        assert_eq!(width_from(Some("60"), || Some(200)), Some(60));
        assert_eq!(width_from(Some("0"), || Some(120)), Some(120));
        assert_eq!(width_from(Some("wide"), || None), None);
        assert_eq!(width_from(None, || Some(90)), Some(90));
        assert_eq!(width_from(None, || None), None);
    }

    #[test]
    fn commands_paths_and_keys_are_never_broken() {
        let text = "Move it: `mv lib/flink-s3-fs-hadoop-1.18.1.jar plugins/s3-fs-hadoop/` then restart; \
                    see fixtures/check/flink-1.18-plugin-folders/flink-1.18.1/conf/flink-conf.yaml:3:1 for `fs.s3a.endpoint.region`.";
        for width in [20, 40, 60, 80] {
            let out = fill(text, Some(width), "  ", "  ");
            assert!(
                out.lines().any(|l| l.contains("`mv lib/flink-s3-fs-hadoop-1.18.1.jar plugins/s3-fs-hadoop/`")),
                "{width}:\n{out}"
            );
            assert!(
                out.lines()
                    .any(|l| l
                        .contains("fixtures/check/flink-1.18-plugin-folders/flink-1.18.1/conf/flink-conf.yaml:3:1")),
                "{width}:\n{out}"
            );
            assert!(out.lines().any(|l| l.contains("`fs.s3a.endpoint.region`")), "{width}:\n{out}");
            // Short words still wrap at the width.
            assert!(
                out.lines().filter(|l| !l.contains('`') && !l.contains('/')).all(|l| l.chars().count() <= width),
                "{width}:\n{out}"
            );
        }
        assert_eq!(fill(text, None, "  ", "  "), format!("  {text}"));
    }
}
