//! Spark's `spark-defaults.conf` reader: what `Utils.getPropertiesFromFile` returns — the file decoded as UTF-8
//! (a byte-order mark is *not* dropped: Java reads it as part of the first key), loaded with
//! `java.util.Properties.load`, and every value trimmed of the characters up to U+0020 except CR and LF
//! (`Utils.trimExceptCRLF`) — with spans, and notes where Spark's reading differs from what the user meant.
//!
//! `Properties.load`, reproduced: a *logical line* is one or more natural lines (`\n`, `\r\n` or a lone `\r`),
//! joined while a line ends with an odd number of backslashes (the backslash is dropped, and so is the leading
//! whitespace — space, tab, form feed — of the next line). Leading whitespace is skipped, blank lines are
//! skipped, and a logical line whose first character is `#` or `!` is a comment (a comment never continues).
//! The key runs to the first unescaped `=`, `:`, space, tab or form feed; whitespace and at most one `=`/`:`
//! after it are skipped, the rest is the value. Escapes in key and value: `\t`, `\n`, `\r`, `\f`, `\uXXXX`
//! (a malformed one makes `load` throw, and spark-submit fails), and `\c` for any other `c` is `c`. A later
//! definition of a key replaces an earlier one. spark-submit then keeps only the keys that start with
//! `spark.` (`Ignoring non-Spark config property`).

use super::config::{ConfigFile, ConfigKind, Entry, NoteKind, ReaderNote};
use crate::source::{FileId, LoadError, Location, SourceMap, Span};

/// The message of Java's exception for a malformed `\uXXXX` escape.
pub const MALFORMED_UNICODE: &str = "Malformed \\uxxxx encoding.";

/// The prefix spark-submit requires of every key it keeps.
pub const SPARK_PREFIX: &str = "spark.";

/// The prefix under which Spark passes a key to Hadoop's `Configuration` (`spark.hadoop.fs.s3a.endpoint`).
pub const SPARK_HADOOP_PREFIX: &str = "spark.hadoop.";

/// The Hadoop key a Spark key becomes (`spark.hadoop.fs.s3a.endpoint` -> `fs.s3a.endpoint`), if it is one.
pub fn hadoop_key(spark_key: &str) -> Option<&str> {
    spark_key.strip_prefix(SPARK_HADOOP_PREFIX).filter(|k| !k.is_empty())
}

/// Decodes the bytes of a `spark-defaults.conf` as Spark does (`InputStreamReader` with UTF-8: a byte-order mark
/// is kept, malformed bytes become U+FFFD). A NUL byte means the file is not text at all.
pub fn decode(bytes: Vec<u8>, path: &std::path::Path, display: &str) -> Result<String, LoadError> {
    if let Some(nul) = memchr::memchr(0, &bytes) {
        return Err(crate::input::binary_at(&bytes, nul, path, display));
    }
    Ok(match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// One character of a logical line and the bytes of the file it was read from.
#[derive(Debug, Clone, Copy)]
struct Unit {
    c: char,
    at: Span,
}

/// Reads a `spark-defaults.conf` as Spark reads it. Fails, like Spark, on a malformed `\uXXXX` escape.
pub fn read(sources: &SourceMap, file: FileId) -> Result<ConfigFile, LoadError> {
    let source = sources.get(file);
    let text = source.text.as_str();
    let mut definitions = Vec::new();
    let mut notes = Vec::new();
    for (line, line_at) in logical_lines(text) {
        let (key, value) = split(&line);
        let key_units = convert(key).map_err(|at| LoadError::at(source, at, MALFORMED_UNICODE))?;
        let value_units = convert(value).map_err(|at| LoadError::at(source, at, MALFORMED_UNICODE))?;
        let key_text = utf16(&key_units);
        let value_units = trim_except_crlf(&value_units);
        let key_at = span_of(key).unwrap_or_else(|| {
            let start = line.first().map_or(line_at, |u| u.at.start);
            Span::new(start, start)
        });
        let line_end = line.last().map_or(key_at.end, |u| u.at.end);
        let value_at = match (value_units.first(), value_units.last()) {
            (Some(first), Some(last)) => Span::new(first.1.start, last.1.end),
            _ => Span::new(line_end, line_end),
        };
        let value_text = utf16(value_units);
        if !key_text.starts_with(SPARK_PREFIX) {
            notes.push(non_spark_note(file, &key_text, key_at));
        }
        definitions.push(Entry {
            key: key_text,
            value: value_text,
            raw: text[value_at.start..value_at.end].to_string(),
            key_at: Location::new(file, key_at),
            value_at: Location::new(file, value_at),
            is_final: false,
            machine_dependent: false,
        });
    }
    let entries = super::flink_conf::effective_entries_of("Spark", &definitions, &mut notes, true);
    Ok(ConfigFile { file, kind: ConfigKind::SparkConf, entries, definitions, notes })
}

/// The note for a key spark-submit drops because it does not start with `spark.`.
fn non_spark_note(file: FileId, key: &str, at: Span) -> ReaderNote {
    let shown = key.trim_start_matches('\u{feff}');
    let message = if key.is_empty() {
        "a line with an empty key (it starts with `=` or `:`): spark-submit ignores it".to_string()
    } else if shown.len() != key.len() && shown.starts_with(SPARK_PREFIX) {
        format!(
            "the file starts with a byte-order mark, which Spark reads as part of the first key: the key is \
             `<BOM>{shown}`, not `{shown}`, and spark-submit ignores it (\"Ignoring non-Spark config property\")"
        )
    } else if hadoop_keyish(shown) {
        format!(
            "`{shown}` does not start with `spark.`: spark-submit ignores it (\"Ignoring non-Spark config \
             property\"); Spark passes a Hadoop key to Hadoop only as `spark.hadoop.{shown}`"
        )
    } else {
        format!(
            "`{shown}` does not start with `spark.`: spark-submit ignores it (\"Ignoring non-Spark config property\")"
        )
    };
    ReaderNote {
        kind: NoteKind::NonSparkKey,
        key: Some(shown.to_string()),
        at: Location::new(file, at),
        related: None,
        message,
    }
}

/// A key shaped like one of Hadoop's (`fs.s3a.endpoint`, `hadoop.security.…`), written without `spark.hadoop.`.
pub fn hadoop_keyish(key: &str) -> bool {
    ["fs.", "hadoop.", "io.", "dfs.", "yarn.", "mapreduce."].iter().any(|p| key.starts_with(p))
}

/// `Properties.LineReader.readLine`: the logical lines of the file, each as its characters and their origins, and
/// the offset where it starts (a file that ends in a lone continuation backslash has an empty last line, which
/// Java still loads: the key `""`).
fn logical_lines(text: &str) -> Vec<(Vec<Unit>, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let unit = |i: usize| {
        let (start, c) = chars[i];
        Unit { c, at: Span::new(start, start + c.len_utf8()) }
    };
    let mut lines = Vec::new();
    let mut i = 0;
    loop {
        let mut buf: Vec<Unit> = Vec::new();
        let mut skip_white = true;
        let mut appended = false;
        let mut backslash = false;
        loop {
            if i >= chars.len() {
                if let Some(start) = buf.first().map(|u| u.at.start) {
                    if backslash {
                        buf.pop();
                    }
                    lines.push((buf, start));
                }
                return lines;
            }
            let u = unit(i);
            i += 1;
            if skip_white {
                if matches!(u.c, ' ' | '\t' | '\u{c}') || (!appended && matches!(u.c, '\r' | '\n')) {
                    continue;
                }
                skip_white = false;
                appended = false;
            }
            if buf.is_empty() && matches!(u.c, '#' | '!') {
                // A comment: the rest of the natural line, its terminator included.
                while i < chars.len() && !matches!(chars[i].1, '\r' | '\n') {
                    i += 1;
                }
                i += 1;
                skip_white = true;
                continue;
            }
            if !matches!(u.c, '\r' | '\n') {
                buf.push(u);
                backslash = u.c == '\\' && !backslash;
                continue;
            }
            if buf.is_empty() {
                skip_white = true;
                continue;
            }
            if !backslash {
                let start = buf[0].at.start;
                lines.push((buf, start));
                break;
            }
            // A continuation: the backslash is not part of the line, nor the next line's leading whitespace.
            let backslash_at = buf.pop().map_or(u.at.start, |b| b.at.start);
            if i >= chars.len() {
                // The line terminator is the file's last character: Java returns the line as it is, even empty.
                let start = buf.first().map_or(backslash_at, |f| f.at.start);
                lines.push((buf, start));
                return lines;
            }
            skip_white = true;
            appended = true;
            backslash = false;
            if u.c == '\r' && chars.get(i).is_some_and(|(_, c)| *c == '\n') {
                i += 1;
            }
        }
    }
}

/// `Properties.load0`: the key (up to the first unescaped separator) and the value (after the whitespace and at
/// most one `=` or `:` that follow the key) of a logical line, both still escaped.
fn split(line: &[Unit]) -> (&[Unit], &[Unit]) {
    let mut key_len = 0;
    let mut value_start = line.len();
    let mut has_sep = false;
    let mut backslash = false;
    while key_len < line.len() {
        let c = line[key_len].c;
        if matches!(c, '=' | ':') && !backslash {
            value_start = key_len + 1;
            has_sep = true;
            break;
        }
        if matches!(c, ' ' | '\t' | '\u{c}') && !backslash {
            value_start = key_len + 1;
            break;
        }
        backslash = c == '\\' && !backslash;
        key_len += 1;
    }
    while value_start < line.len() {
        let c = line[value_start].c;
        if !matches!(c, ' ' | '\t' | '\u{c}') {
            if !has_sep && matches!(c, '=' | ':') {
                has_sep = true;
            } else {
                break;
            }
        }
        value_start += 1;
    }
    (&line[..key_len], &line[value_start..])
}

/// `Properties.loadConvert`: the UTF-16 units of an escaped key or value, each with the bytes it was read from.
/// `Err(offset)` at a malformed `\uXXXX`.
fn convert(units: &[Unit]) -> Result<Vec<(u16, Span)>, usize> {
    let mut out = Vec::with_capacity(units.len());
    let mut i = 0;
    while i < units.len() {
        let u = units[i];
        i += 1;
        if u.c != '\\' {
            let mut buf = [0u16; 2];
            out.extend(u.c.encode_utf16(&mut buf).iter().map(|w| (*w, u.at)));
            continue;
        }
        // readLine never leaves an unescaped backslash at the end, so an escaped character follows.
        let Some(next) = units.get(i) else { break };
        i += 1;
        let from = u.at.start;
        let unit = match next.c {
            'u' => {
                if units.len() < i + 4 {
                    return Err(from);
                }
                let mut value: u16 = 0;
                for d in &units[i..i + 4] {
                    let digit = d.c.to_digit(16).ok_or(from)? as u16;
                    value = (value << 4) + digit;
                }
                i += 4;
                out.push((value, Span::new(from, units[i - 1].at.end)));
                continue;
            }
            't' => '\t' as u16,
            'r' => '\r' as u16,
            'n' => '\n' as u16,
            'f' => '\u{c}' as u16,
            c => {
                let mut buf = [0u16; 2];
                let encoded = c.encode_utf16(&mut buf);
                let span = Span::new(from, next.at.end);
                out.extend(encoded.iter().map(|w| (*w, span)));
                continue;
            }
        };
        out.push((unit, Span::new(from, next.at.end)));
    }
    Ok(out)
}

/// `Utils.trimExceptCRLF`: drops the units up to U+0020 at both ends, except CR and LF.
fn trim_except_crlf(units: &[(u16, Span)]) -> &[(u16, Span)] {
    let keep = |w: u16| w > 0x20 || w == 0x0d || w == 0x0a;
    match (units.iter().position(|u| keep(u.0)), units.iter().rposition(|u| keep(u.0))) {
        (Some(first), Some(last)) => &units[first..=last],
        _ => &[],
    }
}

/// The text of UTF-16 units (a lone surrogate becomes U+FFFD).
fn utf16(units: &[(u16, Span)]) -> String {
    let words: Vec<u16> = units.iter().map(|u| u.0).collect();
    String::from_utf16_lossy(&words)
}

/// The bytes of the file that a run of characters came from.
fn span_of(units: &[Unit]) -> Option<Span> {
    Some(Span::new(units.first()?.at.start, units.last()?.at.end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn load(text: &str) -> (SourceMap, Result<ConfigFile, LoadError>) {
        let mut sources = SourceMap::new();
        let id = sources.add(SourceFile::new("spark-defaults.conf", "spark-defaults.conf", text));
        let config = read(&sources, id);
        (sources, config)
    }

    fn pairs(text: &str) -> Vec<(String, String)> {
        let (_, config) = load(text);
        config.expect("reads").entries.iter().map(|e| (e.key.clone(), e.value.clone())).collect()
    }

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn separators_space_equals_colon() {
        assert_eq!(
            pairs("spark.a 1\nspark.b=2\nspark.c:3\nspark.d \t = 4\nspark.e  :  5\nspark.f = = 6\n"),
            vec![
                p("spark.a", "1"),
                p("spark.b", "2"),
                p("spark.c", "3"),
                p("spark.d", "4"),
                p("spark.e", "5"),
                p("spark.f", "= 6")
            ]
        );
    }

    #[test]
    fn comments_blank_lines_and_continuations() {
        let text = "# c\n  ! c2\n\nspark.jars a.jar,\\\n    b.jar\nspark.x \\\n\nspark.y 1\\\\\n";
        assert_eq!(pairs(text), vec![p("spark.jars", "a.jar,b.jar"), p("spark.x", ""), p("spark.y", "1\\")]);
    }

    #[test]
    fn a_comment_never_continues_but_a_continued_hash_is_text() {
        assert_eq!(pairs("# a \\\nspark.a 1\nspark.b x\\\n#y\n"), vec![p("spark.a", "1"), p("spark.b", "x#y")]);
    }

    #[test]
    fn escapes_and_trimming() {
        assert_eq!(
            pairs("spark.a \\u0041\\t\\n\\q\nspark\\ b c\nspark.c x\\t\t \n"),
            vec![p("spark.a", "A\t\nq"), p("spark b", "c"), p("spark.c", "x")]
        );
    }

    #[test]
    fn malformed_unicode_escape_fails_at_its_position() {
        let (sources, config) = load("spark.a 1\nspark.b x\\u00G1\n");
        let e = config.expect_err("malformed");
        assert_eq!(e.message, MALFORMED_UNICODE);
        let _ = sources;
        let at = e.position.expect("position");
        assert_eq!((at.line, at.column), (2, 10));
    }

    #[test]
    fn spans_point_at_the_key_and_the_trimmed_value() {
        let (sources, config) = load("\n  spark.hadoop.fs.s3a.endpoint   =  http://minio:9000  \n");
        let config = config.expect("reads");
        let e = &config.entries[0];
        let f = sources.get(config.file);
        assert_eq!(&f.text[e.key_at.span.start..e.key_at.span.end], "spark.hadoop.fs.s3a.endpoint");
        assert_eq!(&f.text[e.value_at.span.start..e.value_at.span.end], "http://minio:9000");
        let (k, v) = (f.position(e.key_at.span.start), f.position(e.value_at.span.start));
        assert_eq!((k.line, k.column, v.line, v.column), (2, 3, 2, 37));
    }

    #[test]
    fn later_duplicates_win_and_non_spark_keys_are_noted() {
        let (_, config) = load("spark.a 1\nfs.s3a.access.key AKIA\nspark.a 2\n");
        let config = config.expect("reads");
        let kinds: Vec<NoteKind> = config.notes.iter().map(|n| n.kind).collect();
        assert_eq!(kinds, vec![NoteKind::NonSparkKey, NoteKind::Duplicate]);
        assert!(config.notes[0].message.contains("spark.hadoop.fs.s3a.access.key"), "{}", config.notes[0].message);
        assert_eq!(config.get("spark.a").map(|e| e.value.as_str()), Some("2"));
    }

    #[test]
    fn a_byte_order_mark_is_part_of_the_first_key() {
        let (_, config) = load("\u{feff}spark.master local\n");
        let config = config.expect("reads");
        assert_eq!(config.entries[0].key, "\u{feff}spark.master");
        assert!(config.notes[0].message.contains("byte-order mark"));
    }

    #[test]
    fn hadoop_keys_of_spark_keys() {
        assert_eq!(hadoop_key("spark.hadoop.fs.s3a.endpoint"), Some("fs.s3a.endpoint"));
        assert_eq!(hadoop_key("spark.hadoop."), None);
        assert_eq!(hadoop_key("spark.executor.memory"), None);
    }

    #[test]
    fn random_input_never_panics_and_spans_stay_on_char_boundaries() {
        let alphabet = ['\\', '\n', '\r', 'u', '0', 'a', 'F', '=', ':', '#', '!', ' ', '\t', '\u{c}', 'é', '😀', 's'];
        let mut state: u64 = 0x5eed;
        for _ in 0..5000 {
            let mut text = String::new();
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            for _ in 0..(state >> 58) {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push(alphabet[(state >> 33) as usize % alphabet.len()]);
            }
            let (sources, config) = load(&text);
            let Ok(config) = config else { continue };
            let f = sources.get(config.file);
            for e in &config.definitions {
                for span in [e.key_at.span, e.value_at.span] {
                    assert!(f.text.get(span.start..span.end).is_some(), "{text:?}: {span:?}");
                }
            }
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in ["", "\\", "\\u", "a\\", "=", ":", " \\\n", "\r\r\n", "é\\é", "\\\n#x", "k \\u12"] {
            let _ = load(text);
        }
    }
}
