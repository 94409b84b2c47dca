//! Flink's legacy `flink-conf.yaml` reader: the line rules of `GlobalConfiguration.loadLegacyYAMLResource`
//! (Flink 1.x), reproduced byte for byte, with spans and notes where the user's intent and Flink's reading differ.
//!
//! Flink reads the file line by line (`BufferedReader.readLine`: `\n`, `\r\n` and a lone `\r` end a line), and
//! for each line:
//! 1. drops everything from the first `#` on (no quoting awareness), then `trim()`s (Java's `trim`: every
//!    character up to U+0020, so tabs, CR and other control characters too);
//! 2. skips an empty result;
//! 3. splits at the first `": "` (colon *followed by a space*); no split: WARN
//!    `Line is not a key-value pair (missing space after ':'?)`, line dropped;
//! 4. trims key and value; either empty: WARN `Key or value was empty`, line dropped;
//! 5. `setString(key, value)`: a later definition of a key replaces an earlier one.
//!
//! Values are taken literally: quotes stay, no escapes, no lists, no nesting. This reader never fails.

use super::config::{ConfigFile, ConfigKind, Entry, NoteKind, ReaderNote};
use crate::source::{FileId, Location, SourceMap, Span};

/// Flink's warning text for a line without a `": "` separator.
pub const NOT_A_KEY_VALUE_PAIR: &str = "Line is not a key-value pair (missing space after ':'?)";
/// Flink's warning text for a line whose key or value is empty after splitting.
pub const KEY_OR_VALUE_EMPTY: &str = "Key or value was empty";

/// Reads a legacy `flink-conf.yaml` with Flink's own line rules.
pub fn read(sources: &SourceMap, file: FileId) -> ConfigFile {
    let text = sources.get(file).text.as_str();
    let lines = java_lines(text);
    let mut reader = Reader { file, text, definitions: Vec::new(), notes: Vec::new(), parents: Vec::new() };
    for (index, line) in lines.iter().enumerate() {
        reader.line(*line, &lines[index + 1..]);
    }
    let Reader { definitions, mut notes, .. } = reader;
    let entries = effective_entries(&definitions, &mut notes, false);
    ConfigFile { file, kind: ConfigKind::FlinkConf, entries, definitions, notes }
}

/// The byte spans of the lines as Java's `BufferedReader.readLine` returns them (without terminators).
fn java_lines(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(Span::new(start, i));
                start = i + 1;
            }
            b'\r' => {
                lines.push(Span::new(start, i));
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        lines.push(Span::new(start, bytes.len()));
    }
    lines
}

/// Java's `String.trim()` on a byte span: strips every character `<= U+0020` at both ends. (Multi-byte
/// UTF-8 sequences never contain such bytes, so working on bytes is exact.)
fn java_trim(text: &str, span: Span) -> Span {
    let bytes = text.as_bytes();
    let (mut start, mut end) = (span.start, span.end);
    while start < end && bytes[start] <= b' ' {
        start += 1;
    }
    while end > start && bytes[end - 1] <= b' ' {
        end -= 1;
    }
    Span::new(start, end)
}

/// A `key:` line with nothing after it, remembered while the lines below it are indented deeper.
struct Parent {
    indent: usize,
    key: String,
}

struct Reader<'a> {
    file: FileId,
    text: &'a str,
    definitions: Vec<Entry>,
    notes: Vec<ReaderNote>,
    /// Open `key:` lines (nested YAML blocks the legacy reader does not understand), outermost first.
    parents: Vec<Parent>,
}

impl Reader<'_> {
    fn at(&self, span: Span) -> Location {
        Location::new(self.file, span)
    }

    fn note(&mut self, kind: NoteKind, key: Option<&str>, span: Span, message: String) {
        let at = self.at(span);
        self.notes.push(ReaderNote { kind, key: key.map(str::to_string), at, related: None, message });
    }

    /// Reads one line; `rest` are the lines after it (to tell a nested block from an empty value).
    fn line(&mut self, line: Span, rest: &[Span]) {
        let text = self.text;
        let raw = &text[line.start..line.end];
        // 1. Everything from the first '#' on is a comment.
        let hash = raw.find('#').map(|i| line.start + i);
        let before_hash = Span::new(line.start, hash.unwrap_or(line.end));
        let conf = java_trim(text, before_hash);
        // 2. Empty lines (and comment-only lines) are skipped.
        if conf.start == conf.end {
            return;
        }
        let indent = indentation(text, line);
        self.parents.retain(|p| p.indent < indent);

        // 3. Split at the first ": ".
        let conf_text = &text[conf.start..conf.end];
        let Some(sep) = conf_text.find(": ") else {
            self.unsplittable(conf, indent, rest);
            return;
        };
        // 4. Key and value, each trimmed.
        let key = java_trim(text, Span::new(conf.start, conf.start + sep));
        let value = java_trim(text, Span::new(conf.start + sep + 2, conf.end));
        if key.start == key.end || value.start == value.end {
            let (key_text, what) = if key.start == key.end {
                (None, "the key before ': ' is empty".to_string())
            } else {
                let k = &text[key.start..key.end];
                (Some(k), format!("`{k}` has an empty value"))
            };
            let message = format!(
                "{what}: Flink's legacy reader skips this line (\"{KEY_OR_VALUE_EMPTY}\"){}",
                cut_hint(hash.is_some())
            );
            self.note(NoteKind::UnparsedLine, key_text, conf, message);
            return;
        }
        let key_text = text[key.start..key.end].to_string();
        let value_text = &text[value.start..value.end];

        if let Some(hash) = hash
            && (!preceded_by_whitespace(text, line.start, hash) || unterminated_quote(value_text))
        {
            let message = format!(
                "the value of `{key_text}` is cut at a `#`: Flink's legacy reader treats everything from the first \
                 `#` on as a comment, even inside a value or quotes"
            );
            self.note(NoteKind::ValueCutAtHash, Some(&key_text), Span::new(value.start, hash + 1), message);
        }
        if is_quoted(value_text) {
            let message = format!(
                "the value of `{key_text}` is written in quotes: Flink's legacy reader keeps the quotes as part of \
                 the value"
            );
            self.note(NoteKind::QuotedValue, Some(&key_text), value, message);
        }
        if !self.parents.is_empty() {
            let mut meant: Vec<&str> = self.parents.iter().map(|p| p.key.as_str()).collect();
            meant.push(&key_text);
            let meant = meant.join(".");
            let parent = self.parents.iter().map(|p| p.key.as_str()).collect::<Vec<_>>().join(".");
            let message = format!(
                "`{key_text}` is indented under `{parent}:`, but Flink's legacy reader does not understand nested \
                 YAML: it reads the key as `{key_text}`, not `{meant}` (probably meant `{meant}: …` on one line)"
            );
            self.note(NoteKind::NestedKeyAsTopLevel, Some(&key_text), key, message);
        }
        self.definitions.push(Entry {
            key: key_text,
            value: value_text.to_string(),
            raw: value_text.to_string(),
            key_at: self.at(key),
            value_at: self.at(value),
            is_final: false,
            machine_dependent: false,
        });
    }

    /// A non-empty line without `": "`: Flink drops it with "Line is not a key-value pair".
    fn unsplittable(&mut self, conf: Span, indent: usize, rest: &[Span]) {
        let text = self.text;
        let conf_text = &text[conf.start..conf.end];
        let flink = format!("Flink's legacy reader skips this line (\"{NOT_A_KEY_VALUE_PAIR}\")");
        if conf_text == "-" || conf_text.starts_with("- ") || conf_text.starts_with("-\t") {
            let message = format!("a YAML list item: {flink}; the legacy flink-conf.yaml format has no lists");
            self.note(NoteKind::UnparsedLine, None, conf, message);
            return;
        }
        if let Some(key) = conf_text.strip_suffix(':') {
            let key = key.trim_end_matches(|c: char| c <= ' ');
            let key_span = Span::new(conf.start, conf.start + key.len());
            if key.is_empty() {
                self.note(NoteKind::UnparsedLine, None, conf, format!("a lone ':': {flink}"));
                return;
            }
            if self.opens_block(indent, rest) {
                let message = format!(
                    "`{key}:` starts a nested YAML block, which the legacy flink-conf.yaml reader does not \
                     understand: {flink}, and reads each indented `name: value` line below it as a top-level key \
                     `name` (write `{key}.name: value` instead)"
                );
                self.note(NoteKind::UnparsedLine, Some(key), key_span, message);
                self.parents.push(Parent { indent, key: key.to_string() });
            } else {
                let message = format!("`{key}` has no value: {flink}");
                self.note(NoteKind::UnparsedLine, Some(key), conf, message);
                self.definitions.push(Entry {
                    key: key.to_string(),
                    value: String::new(),
                    raw: String::new(),
                    key_at: self.at(key_span),
                    value_at: self.at(Span::new(conf.end, conf.end)),
                    is_final: false,
                    machine_dependent: false,
                });
            }
            return;
        }
        if let Some(colon) = conf_text.find(':') {
            let key = conf_text[..colon].trim_end_matches(|c: char| c <= ' ');
            let after = conf_text.as_bytes().get(colon + 1).copied();
            let reason = match after {
                Some(b'\t') => "the ':' is followed by a tab, not a space",
                _ => "there is no space after the ':'",
            };
            let key = (!key.is_empty()).then_some(key);
            let about = key.map(|k| format!(" (`{k}`)")).unwrap_or_default();
            let message = format!("{reason}{about}: {flink}");
            self.note(NoteKind::UnparsedLine, key, conf, message);
            return;
        }
        let message = format!("no ': ' separator: {flink}");
        self.note(NoteKind::UnparsedLine, None, conf, message);
    }

    /// True when the next line with content (not blank, not a comment) is indented deeper than `indent`.
    fn opens_block(&self, indent: usize, rest: &[Span]) -> bool {
        for line in rest {
            let raw = &self.text[line.start..line.end];
            let content = raw.split('#').next().unwrap_or("");
            if content.trim_matches(|c: char| c <= ' ').is_empty() {
                continue;
            }
            return indentation(self.text, *line) > indent;
        }
        false
    }
}

/// The number of leading whitespace characters (`<= U+0020`) of a line.
fn indentation(text: &str, line: Span) -> usize {
    text.as_bytes()[line.start..line.end].iter().take_while(|b| **b <= b' ').count()
}

fn preceded_by_whitespace(text: &str, line_start: usize, hash: usize) -> bool {
    hash == line_start || text.as_bytes()[hash - 1] <= b' '
}

/// A value that opens a quote and does not close it (the closing quote was after a `#`).
fn unterminated_quote(value: &str) -> bool {
    let Some(q) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else { return false };
    value.len() == 1 || !value.ends_with(q)
}

/// A value written in matching quotes.
fn is_quoted(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0]
}

fn cut_hint(has_hash: bool) -> &'static str {
    if has_hash { "; note that everything from the first `#` on is a comment" } else { "" }
}

/// The effective entries (last definition of each key wins, ordered by first definition), adding a
/// [`NoteKind::Duplicate`] note at every redefinition. Definitions with an empty value are entries only
/// with `keep_empty` (Flink's YAML reader returns `key: ""` as an empty string; the legacy reader never
/// has one, its `key:` lines are dropped).
pub(crate) fn effective_entries(definitions: &[Entry], notes: &mut Vec<ReaderNote>, keep_empty: bool) -> Vec<Entry> {
    effective_entries_of("Flink", definitions, notes, keep_empty)
}

/// [`effective_entries`], with the program named in the duplicate notes (`Flink`, `Spark`).
pub(crate) fn effective_entries_of(
    program: &str,
    definitions: &[Entry],
    notes: &mut Vec<ReaderNote>,
    keep_empty: bool,
) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut last_seen: std::collections::HashMap<&str, Location> = std::collections::HashMap::new();
    for def in definitions {
        if let Some(earlier) = last_seen.insert(&def.key, def.key_at) {
            notes.push(ReaderNote {
                kind: NoteKind::Duplicate,
                key: Some(def.key.clone()),
                at: def.key_at,
                related: Some(earlier),
                message: format!("`{}` is defined again here; {program} uses this later definition", def.key),
            });
        }
        if def.value.is_empty() && !keep_empty {
            continue;
        }
        match index.get(def.key.as_str()) {
            Some(&i) => entries[i] = def.clone(),
            None => {
                index.insert(&def.key, entries.len());
                entries.push(def.clone());
            }
        }
    }
    notes.sort_by_key(|n| n.at.span.start);
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn load(text: &str) -> (SourceMap, ConfigFile) {
        let mut sources = SourceMap::new();
        let id = sources.add(SourceFile::new("flink-conf.yaml", "flink-conf.yaml", text));
        let config = read(&sources, id);
        (sources, config)
    }

    fn pairs(config: &ConfigFile) -> Vec<(&str, &str)> {
        config.entries.iter().map(|e| (e.key.as_str(), e.value.as_str())).collect()
    }

    fn kinds(config: &ConfigFile) -> Vec<NoteKind> {
        config.notes.iter().map(|n| n.kind).collect()
    }

    #[test]
    fn key_and_value_spans_are_the_trimmed_bytes() {
        let (sources, config) = load("# comment\n  s3.endpoint :   http://minio:9000   # local\n");
        let e = config.get("s3.endpoint").expect("entry");
        assert_eq!(e.value, "http://minio:9000");
        assert_eq!(e.raw, e.value);
        let f = sources.get(config.file);
        let (k, v) = (f.position(e.key_at.span.start), f.position(e.value_at.span.start));
        assert_eq!((k.line, k.column), (2, 3));
        assert_eq!((v.line, v.column), (2, 19));
        assert_eq!(&f.text[e.key_at.span.start..e.key_at.span.end], "s3.endpoint");
        assert_eq!(&f.text[e.value_at.span.start..e.value_at.span.end], "http://minio:9000");
        assert!(config.notes.is_empty(), "{:?}", config.notes);
    }

    #[test]
    fn colon_without_space_or_with_tab_does_not_split() {
        let (_, config) = load("a:b\nc:\td\ne: f\n");
        assert_eq!(pairs(&config), vec![("e", "f")]);
        assert_eq!(kinds(&config), vec![NoteKind::UnparsedLine, NoteKind::UnparsedLine]);
        assert!(config.notes[0].message.contains(NOT_A_KEY_VALUE_PAIR));
        assert_eq!(config.notes[0].key.as_deref(), Some("a"));
        assert!(config.notes[1].message.contains("tab"), "{}", config.notes[1].message);
        assert!(!config.notes[0].message.contains('b') || !config.notes[0].message.contains(":b"));
    }

    #[test]
    fn only_the_first_separator_splits() {
        let (_, config) = load("s3.path: a: b\n");
        assert_eq!(pairs(&config), vec![("s3.path", "a: b")]);
    }

    #[test]
    fn hash_cuts_values_and_is_noted_when_not_after_whitespace() {
        let (sources, config) = load("s3.secret-key: ab#cd\nx: y # fine\nq: \"a # b\"\n");
        assert_eq!(pairs(&config), vec![("s3.secret-key", "ab"), ("x", "y"), ("q", "\"a")]);
        assert_eq!(kinds(&config), vec![NoteKind::ValueCutAtHash, NoteKind::ValueCutAtHash]);
        let n = &config.notes[0];
        assert_eq!(n.key.as_deref(), Some("s3.secret-key"));
        assert!(!n.message.contains("ab") && !n.message.contains("cd"), "{}", n.message);
        assert_eq!(sources.get(config.file).position(n.at.span.start).column, 16);
    }

    #[test]
    fn quoted_values_keep_their_quotes() {
        let (_, config) = load("a: \"x\"\nb: 'y'\nc: \"z'\n");
        assert_eq!(pairs(&config), vec![("a", "\"x\""), ("b", "'y'"), ("c", "\"z'")]);
        assert_eq!(kinds(&config), vec![NoteKind::QuotedValue, NoteKind::QuotedValue]);
    }

    #[test]
    fn nested_block_lines_become_top_level_keys() {
        let text = "s3:\n  # creds\n  access-key: AKIAIOSFODNN7EXAMPLE\n  secret-key: x\nnext: 1\n";
        let (sources, config) = load(text);
        assert_eq!(pairs(&config), vec![("access-key", "AKIAIOSFODNN7EXAMPLE"), ("secret-key", "x"), ("next", "1")]);
        assert_eq!(
            kinds(&config),
            vec![NoteKind::UnparsedLine, NoteKind::NestedKeyAsTopLevel, NoteKind::NestedKeyAsTopLevel]
        );
        assert!(config.notes[0].message.contains("nested YAML block"));
        assert!(config.notes[1].message.contains("`s3.access-key"), "{}", config.notes[1].message);
        assert!(!config.notes[1].message.contains("AKIA"));
        let at = sources.get(config.file).position(config.notes[1].at.span.start);
        assert_eq!((at.line, at.column), (3, 3));
    }

    #[test]
    fn deeper_nesting_names_the_whole_path() {
        let (_, config) = load("fs:\n  s3a:\n    access.key: k\n");
        assert_eq!(pairs(&config), vec![("access.key", "k")]);
        assert!(config.notes[2].message.contains("`fs.s3a.access.key"), "{}", config.notes[2].message);
    }

    #[test]
    fn empty_value_is_a_definition_but_not_an_entry() {
        let (_, config) = load("s3.access-key:\ns3.secret-key:   # nothing\n: v\n");
        assert!(config.entries.is_empty());
        assert_eq!(config.definitions.len(), 2);
        assert_eq!(config.definitions[0].key, "s3.access-key");
        assert_eq!(kinds(&config), vec![NoteKind::UnparsedLine; 3]);
        assert!(config.notes[0].message.contains("has no value"));
        assert!(config.notes[2].message.contains(KEY_OR_VALUE_EMPTY));
    }

    #[test]
    fn list_items_are_skipped() {
        let (_, config) = load("pipeline.jars:\n- a.jar\n- b.jar\n");
        assert!(config.entries.is_empty());
        assert_eq!(kinds(&config), vec![NoteKind::UnparsedLine; 3]);
        assert!(config.notes[1].message.contains("list item"));
    }

    #[test]
    fn last_duplicate_wins_in_first_position() {
        let (sources, config) = load("a: 1\nb: 2\na: 3\n");
        assert_eq!(pairs(&config), vec![("a", "3"), ("b", "2")]);
        assert_eq!(kinds(&config), vec![NoteKind::Duplicate]);
        let n = &config.notes[0];
        let f = sources.get(config.file);
        assert_eq!(f.position(n.at.span.start).line, 3);
        assert_eq!(f.position(n.related.expect("related").span.start).line, 1);
        assert_eq!(f.position(config.entries[0].value_at.span.start).line, 3);
    }

    #[test]
    fn crlf_lone_cr_trailing_spaces_and_unicode() {
        let (sources, config) = load("a: 1 \r\nb: ü é\rc:\t 2\t\r\n");
        assert_eq!(pairs(&config), vec![("a", "1"), ("b", "ü é")]);
        let e = config.get("b").expect("b");
        let p = sources.get(config.file).position(e.value_at.span.end);
        assert_eq!(p.offset, 15);
        assert_eq!(kinds(&config), vec![NoteKind::UnparsedLine]);
    }

    #[test]
    fn java_trim_strips_control_characters_but_not_unicode_spaces() {
        let (_, config) = load("\u{b}k: v\u{c}\nn: \u{a0}x\u{a0}\n");
        assert_eq!(pairs(&config), vec![("k", "v"), ("n", "\u{a0}x\u{a0}")]);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in ["", "#", ":", ": ", "::", "- ", "\r\r\n", "a: #", "a:b:c: d", "é: é#", "\"", "k: '"] {
            let _ = load(text);
        }
    }
}
