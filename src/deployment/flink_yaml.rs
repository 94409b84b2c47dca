//! Flink 1.19+ `config.yaml` reader: standard YAML (Flink parses it with snakeyaml-engine, YAML 1.2 core
//! schema), nested maps flattened with `.`, every value turned into the string Flink's `Configuration`
//! returns for it.
//!
//! What Flink does with the document (checked against Flink 1.20 with `tests/oracle/flink`):
//! * the root must be a mapping (an empty document is an empty configuration); a second document, a
//!   duplicate key in any mapping, an unknown tag, a key that is not a string (`1:`, `true:`) or a value
//!   that is null (`key:`, `key: ~`) makes Flink refuse the whole file;
//! * nested mappings are flattened (`s3: {access-key: x}` is `s3.access-key`); where two spellings name the
//!   same key, the later one in the document wins; an empty mapping yields nothing; `<<` is an ordinary key;
//! * strings are returned as they are (quoted or block scalars after YAML unescaping/folding); booleans as
//!   `true`/`false`; integers (decimal, `0x`, `0o`) in decimal; floats the way Java's `Double.toString`
//!   prints them (`1e3` is `1000.0`, `.inf`, `.nan`); lists (and `!!set`s, `!!binary`) as snakeyaml-engine
//!   dumps them in flow style (`[a, 'b: c', 1]`);
//! * where snakeyaml-engine 2.6 and this crate's parser (yaml-rust2) disagree, snakeyaml is followed: a tab
//!   where a token may start (`key:\tvalue`, after a quoted value, as indentation, after `|`) is an error; so
//!   are a plain scalar starting with `:` or a lone `?` inside `[ ]`/`{ }`, and a content-less `key: |` that
//!   ends a nested block; a `#` right after a closing quote or bracket (`"x"#c`) starts a comment;
//! * errors are reported at the first problem in the text, as snakeyaml stops there.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::LazyLock;

use regex::Regex;
use yaml_rust2::Event;
use yaml_rust2::parser::{Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::config::{ConfigFile, ConfigKind, Entry};
use super::flink_conf::effective_entries;
use crate::redact::quote_prefix;
use crate::source::{CharIndex, FileId, LoadError, Location, SourceFile, SourceMap, Span};

/// Deepest nesting of collections accepted (Flink itself overflows its stack somewhere above this).
const MAX_DEPTH: usize = 512;
/// snakeyaml-engine's default limit on aliases that point at a collection.
const MAX_COLLECTION_ALIASES: usize = 50;
/// Most keys a document may flatten to (aliases of mappings can multiply them).
const MAX_FLATTENED_KEYS: u64 = 1_000_000;
/// Most digits of a hexadecimal or octal integer converted to decimal (the conversion is quadratic).
const MAX_RADIX_DIGITS: usize = 4096;
/// Most re-parses after blanking a `#` comment written right after a quote or bracket.
const MAX_COMMENT_RETRIES: usize = 64;
/// The YAML core schema's tag prefix (`!!`).
const CORE: &str = "tag:yaml.org,2002:";

/// Reads a standard-YAML `config.yaml`, nested keys flattened with `.`.
pub fn read(sources: &SourceMap, file: FileId) -> Result<ConfigFile, LoadError> {
    let source = sources.get(file);
    let text = source.text.as_str();
    let lines = LineIndex::new(text);
    let (events, parse_error) = parse_events(text, &lines);
    // snakeyaml-engine stops at the first problem in the text: report the earliest of the parse error and
    // the places where snakeyaml is stricter than this crate's parser.
    let scanned_to = parse_error.as_ref().map_or(text.len(), |(at, _)| *at);
    let problems = [
        parse_error,
        tab_problem(text, &event_scalar_spans(text, &lines, &events), scanned_to),
        flow_start_problem(text, &events),
        empty_block_problem(text, &lines, &events),
    ];
    if let Some((at, message)) = problems.into_iter().flatten().min_by_key(|(at, _)| *at) {
        return Err(LoadError::at(source, at, message));
    }
    let mut builder = Builder { text, lines: &lines, source, anchors: HashMap::new(), collection_aliases: 0 };
    let root = builder.document(&events)?;
    let Some(root) = root else {
        return Ok(ConfigFile {
            file,
            kind: ConfigKind::FlinkYaml,
            entries: vec![],
            definitions: vec![],
            notes: vec![],
        });
    };
    construct(source, &root, &mut HashSet::new())?;
    let NodeKind::Map(pairs) = &root.kind else {
        let what = describe(&root);
        return Err(LoadError::at(
            source,
            root.span.start,
            format!(
                "the document is {what}, not a mapping of keys to values: Flink refuses the file \
                 (\"Error parsing YAML configuration.\", ClassCastException)"
            ),
        ));
    };
    if root.weight > MAX_FLATTENED_KEYS {
        return Err(LoadError::at(source, root.span.start, "the document expands to too many keys through aliases"));
    }
    let mut flat = Vec::new();
    flatten(source, pairs, "", &mut flat)?;
    let mut definitions = Vec::with_capacity(flat.len());
    // Flink dumps every list with one snakeyaml `Dump` whose anchor counter runs on across values.
    let mut anchor_counter = 0;
    for (key, key_span, value) in flat {
        let Some(string) = flink_string(&value, &mut anchor_counter) else {
            return Err(LoadError::at(
                source,
                key_span.start,
                format!(
                    "`{key}` has no value (null): Flink refuses the whole file \
                     (\"Error parsing YAML configuration.\", NullPointerException: Value must not be null.)"
                ),
            ));
        };
        if let Err(spent) = sources.budget().charge((key.len() + string.len()) as u64) {
            return Err(LoadError::at(
                source,
                key_span.start,
                format!("the keys of this file are not all read: {spent}"),
            ));
        }
        definitions.push(Entry {
            key,
            raw: string.clone(),
            value: string,
            key_at: Location::new(file, key_span),
            value_at: Location::new(file, value.span),
            is_final: false,
            machine_dependent: false,
        });
    }
    let mut notes = Vec::new();
    let entries = effective_entries(&definitions, &mut notes, true);
    Ok(ConfigFile { file, kind: ConfigKind::FlinkYaml, entries, definitions, notes })
}

// ---------------------------------------------------------------------------------------------------------
// Positions

/// Line starts as the YAML parser counts lines (`\n`, `\r\n` and a lone `\r` end a line).
struct LineIndex {
    starts: Vec<usize>,
    chars: CharIndex,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        LineIndex { starts, chars: CharIndex::new(text) }
    }

    /// The byte offset of a parser marker: 1-based line, 0-based column counted in characters. (The
    /// marker's own `index` is not used: the parser counts it in characters, and in bytes inside block
    /// scalars.)
    fn offset(&self, text: &str, marker: &Marker) -> usize {
        let Some(&start) = self.starts.get(marker.line().saturating_sub(1)) else { return text.len() };
        let end = self.starts.get(marker.line()).copied().unwrap_or(text.len()).min(text.len());
        let at = self.chars.byte_of_char(text, self.chars.chars_before(text, start.min(end)) + marker.col());
        if at < end { at } else { end }
    }
}

/// Where snakeyaml-engine would stop, and why.
type Problem = (usize, String);

/// The parser's events with their byte offsets, up to the first syntax error (offset and message).
///
/// snakeyaml-engine takes a `#` right after a closing quote or bracket (`"x"#c`, `[a]#c`) as a comment,
/// where this crate's parser wants a blank before it: such comments are blanked out of a copy of the text
/// (same length, so positions hold) and the text parsed again.
fn parse_events(text: &str, lines: &LineIndex) -> (Vec<(Event, usize)>, Option<Problem>) {
    let mut parsed = text.to_string();
    let mut retries = 0;
    loop {
        let mut parser = Parser::new_from_str(&parsed);
        let mut events = Vec::new();
        let error = loop {
            match parser.next_token() {
                Ok((Event::StreamEnd, marker)) => {
                    events.push((Event::StreamEnd, lines.offset(text, &marker)));
                    break None;
                }
                Ok((event, marker)) => events.push((event, lines.offset(text, &marker))),
                Err(e) => break Some((lines.offset(text, e.marker()), e.info().to_string())),
            }
        };
        let Some((at, info)) = error else { return (events, None) };
        if info.contains("comments must be separated")
            && retries < MAX_COMMENT_RETRIES
            && at > 0
            && parsed.as_bytes().get(at) == Some(&b'#')
            && matches!(parsed.as_bytes()[at - 1], b'"' | b'\'' | b']' | b'}')
        {
            let end = parsed[at..].find(['\n', '\r']).map_or(parsed.len(), |i| at + i);
            parsed.replace_range(at..end, &" ".repeat(end - at));
            retries += 1;
            continue;
        }
        // This parser may mark the start of a scalar for a tab found later in it; snakeyaml marks the tab.
        let at = if info.contains("tab") { tab_after(&parsed, at) } else { at };
        let message = format!("invalid YAML: {info}; Flink refuses the file (\"Error parsing YAML configuration.\")");
        return (events, Some((at, message)));
    }
}

/// snakeyaml-engine (2.6) refuses a `key: |` (or `>`) without content lines when the next line with
/// content (or the end of the file) is indented less than `key`: "the leading empty lines contain more
/// spaces than the first non-empty line".
fn empty_block_problem(text: &str, lines: &LineIndex, events: &[(Event, usize)]) -> Option<Problem> {
    let mut last_end = 0;
    let mut previous: Option<(Span, TScalarStyle)> = None;
    for (event, at) in events {
        let Event::Scalar(value, style, _, _) = event else {
            last_end = last_end.max(*at);
            previous = None;
            continue;
        };
        let (span, has_content) = scalar_span(text, lines, *at, last_end, value, *style);
        last_end = span.end;
        if let Some((key, _)) = previous
            && matches!(style, TScalarStyle::Literal | TScalarStyle::Folded)
            && !has_content
            && text.get(key.end..span.start).is_some_and(|between| !between.contains(['\n', '\r']))
        {
            let before_key = text.get(..key.start).unwrap_or("");
            let key_line_start = before_key.rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let key_column = before_key.get(key_line_start..).unwrap_or("").chars().count();
            let next_indent = text
                .get(span.end..)
                .unwrap_or("")
                .split(['\n', '\r'])
                .skip(1)
                .find(|l| !l.trim().is_empty())
                .map_or(0, |l| l.len() - l.trim_start_matches(' ').len());
            if next_indent < key_column {
                return Some((
                    span.start,
                    "a block scalar (`|` or `>`) without content at the end of a nested block: Flink's YAML \
                     parser refuses the file (\"the leading empty lines contain more spaces than the first non-empty \
                     line\"); write `\"\"` for an empty value"
                        .to_string(),
                ));
            }
        }
        previous = Some((span, *style));
    }
    None
}

/// The tab a "found a tab" error at `at` is about: the first one indenting a later line, else the first one.
fn tab_after(text: &str, at: usize) -> usize {
    let rest = text.get(at..).unwrap_or("");
    let mut offset = 0;
    for (i, line) in rest.split_inclusive('\n').enumerate() {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if i > 0
            && let Some(t) = line[..indent].find('\t')
        {
            return at + offset + t;
        }
        offset += line.len();
    }
    rest.find('\t').map_or(at, |i| at + i)
}

/// The spans of the scalars among `events` (keys included), sorted, with "is plain".
fn event_scalar_spans(text: &str, lines: &LineIndex, events: &[(Event, usize)]) -> Vec<(Span, bool)> {
    let mut spans = Vec::new();
    let mut last_end = 0;
    for (event, at) in events {
        match event {
            Event::Scalar(value, style, _, _) => {
                let (mut span, _) = scalar_span(text, lines, *at, last_end, value, *style);
                last_end = span.end;
                if matches!(style, TScalarStyle::Literal | TScalarStyle::Folded) {
                    // The header line (`|`, `>-`, ...) is checked: snakeyaml accepts no tab there.
                    let header_end = text[span.start..span.end].find('\n').map_or(span.end, |i| span.start + i);
                    span.start = header_end;
                }
                spans.push((span, *style == TScalarStyle::Plain));
            }
            _ => last_end = last_end.max(*at),
        }
    }
    spans.sort_by_key(|(s, _)| (s.start, s.end));
    spans
}

/// snakeyaml-engine does not start a plain scalar with `:` (or make one of a lone `?`) inside `[ ]` or
/// `{ }`, where this crate's parser does.
fn flow_start_problem(text: &str, events: &[(Event, usize)]) -> Option<Problem> {
    /// An open collection: is it in flow style, is it a mapping, how many nodes it has so far.
    struct Frame {
        flow: bool,
        map: bool,
        count: usize,
    }
    let mut stack: Vec<Frame> = Vec::new();
    for (event, at) in events {
        let here = text.as_bytes().get(*at).copied();
        let (in_flow, key_position) =
            stack.last().map_or((false, false), |f| (f.flow, f.map && f.count.is_multiple_of(2)));
        if let Some(frame) = stack.last_mut()
            && !matches!(event, Event::SequenceEnd | Event::MappingEnd)
        {
            frame.count += 1;
        }
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => stack.push(Frame {
                flow: in_flow || matches!(here, Some(b'[' | b'{')),
                map: matches!(event, Event::MappingStart(..)),
                count: 0,
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                stack.pop();
            }
            Event::Scalar(value, TScalarStyle::Plain, _, None) if in_flow => {
                // `[:x]`, or an empty key in front of a ':' (`[: x]`, `{: v}`).
                if here == Some(b':') && (!value.is_empty() || key_position) {
                    return Some((
                        *at,
                        "a ':' where a value should start inside [ ] or { }: Flink's YAML parser refuses the file \
                         (\"expected the node content, but found ':'\"); quote the value"
                            .to_string(),
                    ));
                }
                if value == "?" {
                    return Some((
                        *at,
                        "a lone '?' inside [ ] or { }: Flink's YAML parser refuses the file (\"found character '?' \
                         that cannot start any token\"); quote it"
                            .to_string(),
                    ));
                }
            }
            // Aliases and other nodes are counted above; nothing else to check.
            _ => {}
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------------------
// The document as a tree

#[derive(Debug)]
enum NodeKind {
    Scalar { value: String, style: TScalarStyle },
    Seq(Vec<Rc<Node>>),
    Map(Vec<(Rc<Node>, Rc<Node>)>),
}

#[derive(Debug)]
struct Node {
    kind: NodeKind,
    /// The full tag (`tag:yaml.org,2002:str`, `!`, `!custom`), if one was written.
    tag: Option<String>,
    span: Span,
    /// Nesting depth, counting through aliases.
    depth: usize,
    /// How many keys this node flattens to at most (saturating), counting through aliases.
    weight: u64,
}

struct Builder<'a> {
    text: &'a str,
    lines: &'a LineIndex,
    source: &'a SourceFile,
    anchors: HashMap<usize, Rc<Node>>,
    collection_aliases: usize,
}

fn full_tag(tag: &Option<Tag>) -> Option<String> {
    tag.as_ref().map(|t| if t.handle.is_empty() { t.suffix.clone() } else { format!("{}{}", t.handle, t.suffix) })
}

impl Builder<'_> {
    fn error(&self, at: usize, message: impl Into<String>) -> LoadError {
        LoadError::at(self.source, at, message)
    }

    /// The root node of the only document, `None` for an empty stream or a null document.
    fn document(&mut self, events: &[(Event, usize)]) -> Result<Option<Rc<Node>>, LoadError> {
        let mut pos = 0;
        let mut root = None;
        let mut documents = 0;
        while pos < events.len() {
            let (event, at) = &events[pos];
            match event {
                Event::DocumentStart => {
                    documents += 1;
                    if documents > 1 {
                        return Err(self.error(
                            *at,
                            "a second YAML document: Flink expects a single document in the stream \
                             (\"expected a single document in the stream but found another document\")",
                        ));
                    }
                    pos += 1;
                    let mut last_end = *at;
                    let node = self.node(events, &mut pos, &mut last_end, 0)?;
                    root = Some(node);
                }
                _ => pos += 1,
            }
        }
        Ok(root.filter(|n| !is_null_document(n)))
    }

    /// Builds the node starting at `events[*pos]`, advancing `pos` past it.
    fn node(
        &mut self,
        events: &[(Event, usize)],
        pos: &mut usize,
        last_end: &mut usize,
        depth: usize,
    ) -> Result<Rc<Node>, LoadError> {
        let Some((event, at)) = events.get(*pos) else {
            return Err(self.error(self.text.len(), "unexpected end of the YAML document"));
        };
        let at = *at;
        *pos += 1;
        if depth > MAX_DEPTH {
            return Err(self.error(at, format!("collections nested deeper than {MAX_DEPTH} levels")));
        }
        let node = match event {
            Event::Alias(id) => {
                let Some(target) = self.anchors.get(id).cloned() else {
                    return Err(self.error(at, "an alias of an anchor that is not complete here (recursive alias)"));
                };
                if !matches!(target.kind, NodeKind::Scalar { .. }) {
                    self.collection_aliases += 1;
                    if self.collection_aliases > MAX_COLLECTION_ALIASES {
                        return Err(self.error(
                            at,
                            format!(
                                "more than {MAX_COLLECTION_ALIASES} aliases of collections: Flink's YAML parser refuses \
                                 the file (\"Number of aliases for non-scalar nodes exceeds the specified max\")"
                            ),
                        ));
                    }
                }
                if depth + target.depth > MAX_DEPTH {
                    return Err(self.error(at, format!("collections nested deeper than {MAX_DEPTH} levels")));
                }
                let end = alias_end(self.text, at);
                *last_end = end;
                // The alias stands for the very same node (Java: the same object).
                return Ok(target);
            }
            Event::Scalar(value, style, anchor, tag) => {
                let (span, has_content) = scalar_span(self.text, self.lines, at, *last_end, value, *style);
                *last_end = span.end;
                // A block scalar without content lines is empty (this crate's parser may give "\n").
                let header = self.text.get(span.start..span.end).and_then(|t| t.lines().next()).unwrap_or("");
                let value = if has_content || header.contains('+') { value.clone() } else { String::new() };
                let node = Rc::new(Node {
                    kind: NodeKind::Scalar { value, style: *style },
                    tag: full_tag(tag),
                    span,
                    depth: 0,
                    weight: 1,
                });
                if *anchor != 0 {
                    self.anchors.insert(*anchor, node.clone());
                }
                return Ok(node);
            }
            Event::SequenceStart(anchor, tag) => {
                let mut items = Vec::new();
                let mut end = at;
                loop {
                    match events.get(*pos) {
                        Some((Event::SequenceEnd, end_at)) => {
                            *pos += 1;
                            end = collection_end(self.text, at, *end_at, b'[', b']', end);
                            break;
                        }
                        Some(_) => {
                            let item = self.node(events, pos, last_end, depth + 1)?;
                            end = end.max(*last_end);
                            items.push(item);
                        }
                        None => return Err(self.error(self.text.len(), "unexpected end of the YAML document")),
                    }
                }
                let start = items.first().map_or(at, |i| i.span.start.min(at));
                let depth_below = items.iter().map(|i| i.depth + 1).max().unwrap_or(1);
                (
                    *anchor,
                    Node {
                        kind: NodeKind::Seq(items),
                        tag: full_tag(tag),
                        span: Span::new(start, end),
                        depth: depth_below,
                        weight: 1,
                    },
                )
            }
            Event::MappingStart(anchor, tag) => {
                let mut pairs: Vec<(Rc<Node>, Rc<Node>)> = Vec::new();
                let mut end = at;
                loop {
                    match events.get(*pos) {
                        Some((Event::MappingEnd, end_at)) => {
                            *pos += 1;
                            end = collection_end(self.text, at, *end_at, b'{', b'}', end);
                            break;
                        }
                        Some(_) => {
                            let key = self.node(events, pos, last_end, depth + 1)?;
                            let value = self.node(events, pos, last_end, depth + 1)?;
                            end = end.max(*last_end);
                            pairs.push((key, value));
                        }
                        None => return Err(self.error(self.text.len(), "unexpected end of the YAML document")),
                    }
                }
                let start = pairs.first().map_or(at, |(k, _)| k.span.start.min(at));
                let depth_below = pairs.iter().map(|(k, v)| k.depth.max(v.depth) + 1).max().unwrap_or(1);
                let weight =
                    pairs.iter().fold(0u64, |w, (_, v)| w.saturating_add(v.weight)).min(MAX_FLATTENED_KEYS + 1);
                (
                    *anchor,
                    Node {
                        kind: NodeKind::Map(pairs),
                        tag: full_tag(tag),
                        span: Span::new(start, end),
                        depth: depth_below,
                        weight,
                    },
                )
            }
            _ => return Err(self.error(at, "unexpected YAML event")),
        };
        let (anchor, node) = node;
        if node.depth > MAX_DEPTH {
            return Err(self.error(at, format!("collections nested deeper than {MAX_DEPTH} levels")));
        }
        let node = Rc::new(node);
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Ok(node)
    }
}

/// A document that is only `~`, `null` or nothing: Flink reads it as an empty configuration.
fn is_null_document(node: &Node) -> bool {
    match &node.kind {
        NodeKind::Scalar { value, style } => {
            (node.tag.is_none() && *style == TScalarStyle::Plain && NULL.is_match(value))
                || node.tag.as_deref() == Some("tag:yaml.org,2002:null")
        }
        _ => false,
    }
}

fn alias_end(text: &str, at: usize) -> usize {
    let rest = text.get(at..).unwrap_or("");
    let len = rest
        .char_indices()
        .find(|(i, c)| *i > 0 && (c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}')))
        .map_or(rest.len(), |(i, _)| i);
    at + len
}

/// The end of a collection: one past its closing bracket for a flow collection, else the end of its
/// last child.
fn collection_end(text: &str, start: usize, end_at: usize, open: u8, close: u8, last_child_end: usize) -> usize {
    let bytes = text.as_bytes();
    if bytes.get(start) == Some(&open) && bytes.get(end_at) == Some(&close) {
        end_at + 1
    } else {
        last_child_end.max(start)
    }
}

/// Where a scalar is written (the parser marks only the start; the end is found in the text), and
/// whether a block scalar has content lines (other scalars: always true).
fn scalar_span(
    text: &str,
    lines: &LineIndex,
    at: usize,
    last_end: usize,
    value: &str,
    style: TScalarStyle,
) -> (Span, bool) {
    if matches!(style, TScalarStyle::Literal | TScalarStyle::Folded) {
        return block_scalar_span(text, lines, at, last_end);
    }
    (other_scalar_span(text, at, value, style), true)
}

fn other_scalar_span(text: &str, at: usize, value: &str, style: TScalarStyle) -> Span {
    let bytes = text.as_bytes();
    match style {
        TScalarStyle::DoubleQuoted => {
            let mut i = at + 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' => i += 2,
                    b'"' => return Span::new(at, i + 1),
                    _ => i += 1,
                }
            }
            Span::new(at, bytes.len())
        }
        TScalarStyle::SingleQuoted => {
            let mut i = at + 1;
            while i < bytes.len() {
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return Span::new(at, i + 1);
                }
                i += 1;
            }
            Span::new(at, bytes.len())
        }
        _ => {
            // Plain: find the words of the (folded) value one after another.
            let mut end = at;
            for word in value.split([' ', '\t', '\n', '\r']).filter(|w| !w.is_empty()) {
                match text.get(end..).and_then(|rest| rest.find(word)) {
                    Some(i) if end == at && i != 0 => return Span::new(at, at), // an empty (null) scalar
                    Some(i) => end += i + word.len(),
                    None => break,
                }
            }
            Span::new(at, end)
        }
    }
}

/// A `|` or `>` block scalar: from its indicator to the end of its last non-blank content line; and
/// whether it has any content line.
fn block_scalar_span(text: &str, lines: &LineIndex, at: usize, last_end: usize) -> (Span, bool) {
    let from = last_end.min(at);
    let start = text.get(from..at).and_then(|s| s.find(['|', '>'])).map_or(at, |i| from + i);
    let line_of = |offset: usize| match lines.starts.binary_search(&offset) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    };
    let line_end = |line: usize| {
        let s = lines.starts[line];
        let e = lines.starts.get(line + 1).copied().unwrap_or(text.len());
        s + text[s..e].trim_end_matches(['\n', '\r']).len()
    };
    let header = line_of(start);
    let indent_of = |line: usize| {
        let s = lines.starts[line];
        text[s..line_end(line)].bytes().take_while(|b| *b == b' ').count()
    };
    let is_blank = |line: usize| text[lines.starts[line]..line_end(line)].trim().is_empty();
    let header_indent = indent_of(header);
    let mut end = line_end(header);
    let mut content_indent = None;
    for line in header + 1..lines.starts.len() {
        if is_blank(line) {
            continue;
        }
        let indent = indent_of(line);
        match content_indent {
            None if indent > header_indent => content_indent = Some(indent),
            Some(ci) if indent >= ci => {}
            _ => break,
        }
        end = line_end(line);
    }
    (Span::new(start, end), content_indent.is_some())
}

// ---------------------------------------------------------------------------------------------------------
// snakeyaml's tab rule

/// snakeyaml-engine accepts a tab only inside a scalar, inside a comment, or in the blanks right after a
/// plain scalar; anywhere else (where a token may start) it fails with "found character '\t(TAB)' that
/// cannot start any token". `scalars` are the scalar spans (with "is plain"), sorted; the text is checked
/// up to `limit`.
fn tab_problem(text: &str, scalars: &[(Span, bool)], limit: usize) -> Option<Problem> {
    let bytes = &text.as_bytes()[..limit.min(text.len())];
    let mut next_scalar = 0;
    let mut after_plain = false;
    let mut i = 0;
    while i < bytes.len() {
        while next_scalar < scalars.len() && scalars[next_scalar].0.end <= i && scalars[next_scalar].0.start < i {
            next_scalar += 1;
        }
        if let Some((span, plain)) = scalars.get(next_scalar)
            && span.start == i
            && span.end > i
        {
            i = span.end;
            after_plain = *plain;
            next_scalar += 1;
            continue;
        }
        match bytes[i] {
            // Outside scalars a '#' starts a comment (snakeyaml also after a closing quote or bracket).
            b'#' => {
                while i < bytes.len() && !matches!(bytes[i], b'\n' | b'\r') {
                    i += 1;
                }
                continue;
            }
            b'\t' if !after_plain => {
                return Some((
                    i,
                    "a tab where Flink's YAML parser expects a space or the start of a value (\"found character \
                     '\\t(TAB)' that cannot start any token\"); Flink refuses the file"
                        .to_string(),
                ));
            }
            b' ' | b'\t' => {}
            b'\n' | b'\r' => after_plain = false,
            _ => after_plain = false,
        }
        i += 1;
    }
    None
}

// ---------------------------------------------------------------------------------------------------------
// Construction: what snakeyaml-engine's core schema makes of each node

/// A scalar's value as snakeyaml-engine constructs it.
#[derive(Debug, Clone, PartialEq)]
enum Scalar {
    Null,
    Bool(bool),
    /// An integer, as its canonical decimal string.
    Int(String),
    Float(f64),
    Str(String),
    Binary(Vec<u8>),
}

static BOOL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:true|True|TRUE|false|False|FALSE)$").expect("valid regex"));
static INT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$").expect("valid regex"));
static FLOAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
    )
    .expect("valid regex")
});
static NULL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:~|null|Null|NULL| |)$").expect("valid regex"));
static ENV: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\$\{\s*(?:\w+(?::?[-?]\w*)?)\s*\}$").expect("valid regex"));

/// The tag the core schema gives a plain scalar (`None`: a string).
fn implicit_tag(value: &str) -> Option<&'static str> {
    let first = value.chars().next();
    match first {
        Some('t' | 'f' | 'T' | 'F') if BOOL.is_match(value) => return Some("bool"),
        Some('-' | '+' | '0'..='9') if INT.is_match(value) => return Some("int"),
        Some('-' | '+' | '.' | '0'..='9') if FLOAT.is_match(value) => return Some("float"),
        Some('$') if ENV.is_match(value) => return Some("env"),
        _ => {}
    }
    NULL.is_match(value).then_some("null")
}

/// Constructs a scalar node, or says why snakeyaml-engine would fail.
fn scalar_value(node: &Node) -> Result<Scalar, String> {
    let NodeKind::Scalar { value, style } = &node.kind else { return Err("not a scalar".into()) };
    let tag = match node.tag.as_deref() {
        None if *style == TScalarStyle::Plain => implicit_tag(value).unwrap_or("str"),
        None | Some("!") => "str",
        Some(t) => match t.strip_prefix(CORE) {
            Some(core) => core,
            None => return Err(format!("could not determine a constructor for the tag {}", shown_tag(t))),
        },
    };
    match tag {
        "str" | "env" => Ok(Scalar::Str(value.clone())),
        "null" => Ok(Scalar::Null),
        "bool" => match value.to_ascii_lowercase().as_str() {
            "true" => Ok(Scalar::Bool(true)),
            "false" => Ok(Scalar::Bool(false)),
            _ => Err("not a boolean".into()),
        },
        "int" => parse_int(value).ok_or_else(|| {
            if value.len() > MAX_RADIX_DIGITS {
                format!("a hexadecimal or octal integer of more than {MAX_RADIX_DIGITS} digits, which s3lint does not convert")
            } else {
                format!("NumberFormatException: not an integer (tag {CORE}int)")
            }
        }),
        "float" => parse_float(value).map(Scalar::Float).ok_or_else(|| "NumberFormatException: not a float".into()),
        "binary" => base64_decode(value).map(Scalar::Binary).ok_or_else(|| "invalid base64 in !!binary".into()),
        other => Err(format!("could not determine a constructor for the tag {}", shown_tag(&format!("{CORE}{other}")))),
    }
}

/// A tag quoted in an error message: YAML's own tags whole, others (user text, which may be a value that starts
/// with `!`) only by their first 4 characters.
fn shown_tag(tag: &str) -> String {
    const KNOWN: &[&str] = &["str", "int", "float", "bool", "null", "binary", "timestamp", "seq", "map", "set", "omap"];
    match tag.strip_prefix(CORE) {
        Some(core) if KNOWN.contains(&core) => tag.to_string(),
        Some(core) => format!("{CORE}{}", quote_prefix(core)),
        None => quote_prefix(tag),
    }
}

/// Checks what snakeyaml-engine checks while constructing: tags, numbers, duplicate keys.
fn construct(source: &SourceFile, node: &Rc<Node>, done: &mut HashSet<*const Node>) -> Result<(), LoadError> {
    if !done.insert(Rc::as_ptr(node)) {
        return Ok(());
    }
    let fail = |at: usize, why: String| {
        Err(LoadError::at(source, at, format!("{why}; Flink refuses the file (\"Error parsing YAML configuration.\")")))
    };
    match &node.kind {
        NodeKind::Scalar { .. } => {
            if let Err(why) = scalar_value(node) {
                return fail(node.span.start, why);
            }
        }
        NodeKind::Seq(items) => {
            if let Some(t) = node.tag.as_deref().filter(|t| *t != "!" && *t != "tag:yaml.org,2002:seq") {
                return fail(
                    node.span.start,
                    format!("could not determine a constructor for the tag {}", shown_tag(t)),
                );
            }
            for item in items {
                construct(source, item, done)?;
            }
        }
        NodeKind::Map(pairs) => {
            let allowed = ["!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:set"];
            if let Some(t) = node.tag.as_deref().filter(|t| !allowed.contains(t)) {
                return fail(
                    node.span.start,
                    format!("could not determine a constructor for the tag {}", shown_tag(t)),
                );
            }
            let mut seen: HashSet<KeyId> = HashSet::with_capacity(pairs.len());
            for (key, value) in pairs {
                construct(source, key, done)?;
                construct(source, value, done)?;
                if matches!(key.kind, NodeKind::Scalar { .. })
                    && let Ok(k) = scalar_value(key)
                    && !seen.insert(KeyId::of(&k))
                {
                    let name = match &k {
                        Scalar::Str(s) => s.clone(),
                        other => scalar_text(other),
                    };
                    return fail(key.span.start, format!("duplicate key `{name}` in one mapping"));
                }
            }
        }
    }
    Ok(())
}

/// A constructed key as Java's `equals` compares it (floats by their bits, every NaN equal), hashable so that a
/// mapping's duplicates are found in linear time.
#[derive(Debug, PartialEq, Eq, Hash)]
enum KeyId {
    Null,
    Bool(bool),
    Int(String),
    Float(u64),
    Str(String),
    Binary(Vec<u8>),
}

impl KeyId {
    fn of(key: &Scalar) -> Self {
        match key {
            Scalar::Null => KeyId::Null,
            Scalar::Bool(b) => KeyId::Bool(*b),
            Scalar::Int(i) => KeyId::Int(i.clone()),
            Scalar::Float(f) if f.is_nan() => KeyId::Float(f64::NAN.to_bits()),
            Scalar::Float(f) => KeyId::Float(f.to_bits()),
            Scalar::Str(s) => KeyId::Str(s.clone()),
            Scalar::Binary(b) => KeyId::Binary(b.clone()),
        }
    }
}

fn describe(node: &Node) -> &'static str {
    match &node.kind {
        NodeKind::Scalar { .. } => "a single value",
        NodeKind::Seq(_) => "a list",
        NodeKind::Map(_) => "a mapping",
    }
}

// ---------------------------------------------------------------------------------------------------------
// Flattening

/// Flattens `pairs` under `prefix` into (key, key span, value node), in document order.
fn flatten(
    source: &SourceFile,
    pairs: &[(Rc<Node>, Rc<Node>)],
    prefix: &str,
    out: &mut Vec<(String, Span, Rc<Node>)>,
) -> Result<(), LoadError> {
    for (key, value) in pairs {
        let name = match scalar_value(key) {
            Ok(Scalar::Str(s)) => s,
            Ok(Scalar::Null) => "null".to_string(),
            _ => {
                let what = match scalar_value(key) {
                    Ok(Scalar::Int(_)) => "an integer",
                    Ok(Scalar::Float(_)) => "a float",
                    Ok(Scalar::Bool(_)) => "a boolean",
                    _ => "not a string",
                };
                return Err(LoadError::at(
                    source,
                    key.span.start,
                    format!(
                        "a key that is {what}: Flink requires string keys and refuses the file \
                         (\"Error parsing YAML configuration.\", ClassCastException); quote the key"
                    ),
                ));
            }
        };
        let full = format!("{prefix}{name}");
        match &value.kind {
            NodeKind::Map(inner) if value.tag.as_deref() != Some("tag:yaml.org,2002:set") => {
                flatten(source, inner, &format!("{full}."), out)?;
            }
            _ => out.push((full, key.span, value.clone())),
        }
    }
    Ok(())
}

/// The string Flink's `Configuration.toMap()` gives a value; `None` for null (which Flink refuses).
/// `anchors` is the number of anchors Flink's dumper has handed out so far.
fn flink_string(node: &Rc<Node>, anchors: &mut usize) -> Option<String> {
    match &node.kind {
        NodeKind::Scalar { .. } => match scalar_value(node).ok()? {
            Scalar::Null => None,
            Scalar::Str(s) => Some(s),
            Scalar::Binary(bytes) => Some(format!("!!binary |-\n  {}", base64_encode(&bytes))),
            other => Some(scalar_text(&other)),
        },
        _ => Some(Emitter::dump(node, anchors)),
    }
}

/// How snakeyaml-engine writes a non-string scalar.
fn scalar_text(value: &Scalar) -> String {
    match value {
        Scalar::Null => "null".into(),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.clone(),
        Scalar::Float(f) => java_double(*f),
        Scalar::Str(s) => s.clone(),
        Scalar::Binary(b) => base64_encode(b),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Numbers

/// snakeyaml-engine's `createIntNumber`, as a canonical decimal string: linear in the number of digits for
/// decimal integers; hexadecimal and octal ones (whose conversion is quadratic) of more than
/// [`MAX_RADIX_DIGITS`] digits are refused.
fn parse_int(text: &str) -> Option<Scalar> {
    let (negative, rest) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(h) = rest.strip_prefix("0x") {
        (16, h)
    } else if let Some(o) = rest.strip_prefix("0o") {
        (8, o)
    } else {
        (10, rest)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let sign = |digits: &str| if negative && digits != "0" { format!("-{digits}") } else { digits.to_string() };
    if radix == 10 {
        let trimmed = digits.trim_start_matches('0');
        return Some(Scalar::Int(sign(if trimmed.is_empty() { "0" } else { trimmed })));
    }
    if digits.len() > MAX_RADIX_DIGITS {
        return None;
    }
    // Little-endian limbs of 10^9.
    let mut limbs: Vec<u64> = vec![0];
    for c in digits.chars() {
        let d = c.to_digit(radix)? as u64;
        let mut carry = d;
        for limb in limbs.iter_mut() {
            let v = *limb * radix as u64 + carry;
            *limb = v % 1_000_000_000;
            carry = v / 1_000_000_000;
        }
        while carry > 0 {
            limbs.push(carry % 1_000_000_000);
            carry /= 1_000_000_000;
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut out = String::new();
    let mut iter = limbs.iter().rev();
    if let Some(first) = iter.next() {
        out.push_str(&first.to_string());
    }
    for limb in iter {
        out.push_str(&format!("{limb:09}"));
    }
    Some(Scalar::Int(sign(&out)))
}

fn parse_float(text: &str) -> Option<f64> {
    let t = text.trim();
    let (sign, rest) = match t.as_bytes().first()? {
        b'-' => (-1.0, &t[1..]),
        b'+' => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    match rest {
        ".inf" | ".Inf" | ".INF" => return Some(sign * f64::INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    if !rest.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+')) {
        return None;
    }
    rest.parse::<f64>().ok().map(|v| sign * v)
}

/// Java's `Double.toString` (shortest digits that round-trip; plain between 10^-3 and 10^7, else
/// computerized scientific notation), with YAML's `.inf`/`.nan`.
fn java_double(v: f64) -> String {
    if v.is_nan() {
        return ".nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { ".inf".into() } else { "-.inf".into() };
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    let sci = format!("{:e}", v.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if v < 0.0 { "-" } else { "" };
    let abs = v.abs();
    if (1e-3..1e7).contains(&abs) {
        let point = exp + 1; // digits before the decimal point
        let (int_part, frac_part) = if point <= 0 {
            ("0".to_string(), format!("{}{}", "0".repeat((-point) as usize), digits))
        } else if (point as usize) >= digits.len() {
            (format!("{}{}", digits, "0".repeat(point as usize - digits.len())), String::new())
        } else {
            (digits[..point as usize].to_string(), digits[point as usize..].to_string())
        };
        let frac = if frac_part.is_empty() { "0".to_string() } else { frac_part };
        format!("{sign}{int_part}.{frac}")
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let rest = if rest.is_empty() { "0" } else { rest };
        format!("{sign}{first}.{rest}E{exp}")
    }
}

// ---------------------------------------------------------------------------------------------------------
// Base64 (for !!binary)

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let body = clean.strip_suffix(b"==").or_else(|| clean.strip_suffix(b"=")).unwrap_or(&clean);
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for b in body {
        let v = B64.iter().position(|c| c == b)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.len();
        let v =
            (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= n {
                out.push(B64[(v >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------------------
// snakeyaml-engine's flow-style dump (Flink's `YamlParserUtils.toYAMLString`)

/// Writes a list (or set) the way Flink's `toYAMLString` does: snakeyaml-engine, flow style, no line
/// splitting; collections that appear more than once get anchors `&id001` and aliases `*id001`.
struct Emitter {
    anchors: HashMap<*const Node, String>,
    written: HashSet<*const Node>,
    out: String,
}

impl Emitter {
    /// Dumps `node`; `next_anchor` is the anchor counter shared by all dumps of one file.
    fn dump(node: &Rc<Node>, next_anchor: &mut usize) -> String {
        let mut anchors = HashMap::new();
        let mut seen = HashSet::new();
        Self::find_anchors(node, &mut seen, &mut anchors, next_anchor);
        let mut emitter = Emitter { anchors, written: HashSet::new(), out: String::new() };
        emitter.node(node, false);
        emitter.out
    }

    fn find_anchors(
        node: &Rc<Node>,
        seen: &mut HashSet<*const Node>,
        anchors: &mut HashMap<*const Node, String>,
        next: &mut usize,
    ) {
        if matches!(node.kind, NodeKind::Scalar { .. }) {
            return;
        }
        let ptr = Rc::as_ptr(node);
        if !seen.insert(ptr) {
            anchors.entry(ptr).or_insert_with(|| {
                *next += 1;
                format!("id{:03}", *next)
            });
            return;
        }
        match &node.kind {
            NodeKind::Seq(items) => items.iter().for_each(|i| Self::find_anchors(i, seen, anchors, next)),
            NodeKind::Map(pairs) => {
                for (k, v) in pairs {
                    Self::find_anchors(k, seen, anchors, next);
                    Self::find_anchors(v, seen, anchors, next);
                }
            }
            NodeKind::Scalar { .. } => {}
        }
    }

    fn node(&mut self, node: &Rc<Node>, simple_key: bool) {
        let ptr = Rc::as_ptr(node);
        if let Some(anchor) = self.anchors.get(&ptr) {
            if !self.written.insert(ptr) {
                self.out.push('*');
                self.out.push_str(anchor);
                return;
            }
            self.out.push('&');
            self.out.push_str(anchor);
            self.out.push(' ');
        }
        match &node.kind {
            NodeKind::Scalar { .. } => match scalar_value(node).unwrap_or(Scalar::Null) {
                Scalar::Str(s) => self.string(&s, simple_key),
                Scalar::Binary(b) => {
                    self.out.push_str("!!binary ");
                    self.double_quoted(&base64_encode(&b));
                }
                other => self.out.push_str(&scalar_text(&other)),
            },
            NodeKind::Seq(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    self.node(item, false);
                }
                self.out.push(']');
            }
            NodeKind::Map(pairs) => {
                let set = node.tag.as_deref() == Some("tag:yaml.org,2002:set");
                if set {
                    self.out.push_str("!!set ");
                }
                self.out.push('{');
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(", ");
                    }
                    if self.is_simple_key(k) {
                        self.node(k, true);
                        self.out.push_str(": ");
                    } else {
                        self.out.push_str("? ");
                        self.node(k, false);
                        self.out.push_str(" : ");
                    }
                    if set {
                        self.out.push_str("null");
                    } else {
                        self.node(v, false);
                    }
                }
                self.out.push('}');
            }
        }
    }

    /// snakeyaml's `checkSimpleKey`: short single-line scalars, aliases and empty collections.
    fn is_simple_key(&self, key: &Rc<Node>) -> bool {
        let ptr = Rc::as_ptr(key);
        if self.written.contains(&ptr) && self.anchors.contains_key(&ptr) {
            return true; // written as an alias
        }
        let anchor_len = self.anchors.get(&ptr).map_or(0, |a| a.len());
        match &key.kind {
            NodeKind::Scalar { .. } => {
                let text = match scalar_value(key) {
                    Ok(Scalar::Str(s)) => s,
                    Ok(other) => scalar_text(&other),
                    Err(_) => return false,
                };
                let len = anchor_len + text.encode_utf16().count();
                len < 128 && !text.is_empty() && !text.contains(['\n', '\u{85}', '\u{2028}', '\u{2029}'])
            }
            NodeKind::Seq(items) => items.is_empty() && anchor_len < 128,
            NodeKind::Map(pairs) => pairs.is_empty() && anchor_len < 128,
        }
    }

    /// A string scalar: plain when snakeyaml allows it, else single-quoted, else double-quoted.
    fn string(&mut self, s: &str, simple_key: bool) {
        let multiline = s.contains(['\n', '\u{85}', '\u{2028}', '\u{2029}']);
        if multiline {
            // The representer asks for a literal block, impossible in flow style: double quotes.
            self.double_quoted(s);
            return;
        }
        let a = analyze(s);
        if implicit_tag(s).is_none() && !(simple_key && a.empty) && a.allow_flow_plain {
            self.out.push_str(s);
        } else if a.allow_single_quoted {
            self.out.push('\'');
            self.out.push_str(&s.replace('\'', "''"));
            self.out.push('\'');
        } else {
            self.double_quoted(s);
        }
    }

    fn double_quoted(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            let escape = match c {
                '\0' => Some("0"),
                '\u{7}' => Some("a"),
                '\u{8}' => Some("b"),
                '\t' => Some("t"),
                '\n' => Some("n"),
                '\u{b}' => Some("v"),
                '\u{c}' => Some("f"),
                '\r' => Some("r"),
                '\u{1b}' => Some("e"),
                '"' => Some("\""),
                '\\' => Some("\\"),
                '\u{85}' => Some("N"),
                '\u{a0}' => Some("_"),
                '\u{2028}' => Some("L"),
                '\u{2029}' => Some("P"),
                _ => None,
            };
            if let Some(e) = escape {
                self.out.push('\\');
                self.out.push_str(e);
            } else if (' '..='~').contains(&c) || is_printable(c) {
                self.out.push(c);
            } else if (c as u32) <= 0xFF {
                self.out.push_str(&format!("\\x{:02x}", c as u32));
            } else if (c as u32) <= 0xFFFF {
                self.out.push_str(&format!("\\u{:04x}", c as u32));
            } else {
                self.out.push_str(&format!("\\U{:08x}", c as u32));
            }
        }
        self.out.push('"');
    }
}

fn is_printable(c: char) -> bool {
    let c = c as u32;
    matches!(c, 0x9 | 0xA | 0xD | 0x20..=0x7E | 0x85 | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF)
}

/// The parts of snakeyaml's scalar analysis that decide flow-context styles.
struct Analysis {
    empty: bool,
    allow_flow_plain: bool,
    allow_single_quoted: bool,
}

fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis { empty: true, allow_flow_plain: false, allow_single_quoted: true };
    }
    let chars: Vec<char> = s.chars().collect();
    let is_break = |c: char| matches!(c, '\n' | '\u{85}' | '\u{2028}' | '\u{2029}');
    let is_blank = |c: char| matches!(c, '\0' | ' ' | '\t');
    let mut flow_indicators = s.starts_with("---") || s.starts_with("...");
    let mut line_breaks = false;
    let mut special = false;
    let (mut leading_space, mut trailing_space, mut leading_break, mut trailing_break) = (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let followed_by_whitespace = chars.len() == 1 || chars.get(1).is_some_and(|c| is_blank(*c) || is_break(*c));
    let last = chars.len() - 1;
    for (i, &c) in chars.iter().enumerate() {
        if i == 0 {
            if "#,[]{}&*!|>'\"%@`".contains(c) || (c == '-' && followed_by_whitespace) || c == '?' || c == ':' {
                flow_indicators = true;
            }
        } else if ",?[]{}:".contains(c) || (c == '#' && preceded_by_whitespace) {
            flow_indicators = true;
        }
        let line_break = is_break(c);
        line_breaks |= line_break;
        if !(c == '\n' || (' '..='~').contains(&c)) {
            let unicode = matches!(c as u32, 0x85 | 0xA0..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF);
            if !unicode {
                special = true;
            }
        }
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= i == last;
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if line_break {
            leading_break |= i == 0;
            trailing_break |= i == last;
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blank(c) || line_break;
    }
    let mut allow_flow_plain = true;
    let mut allow_single_quoted = true;
    if leading_space || leading_break || trailing_space || trailing_break {
        allow_flow_plain = false;
    }
    if break_space {
        allow_flow_plain = false;
        allow_single_quoted = false;
    }
    if space_break || special {
        allow_flow_plain = false;
        allow_single_quoted = false;
    }
    if line_breaks || flow_indicators {
        allow_flow_plain = false;
    }
    Analysis { empty: false, allow_flow_plain, allow_single_quoted }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deployment::config::NoteKind;

    fn load(text: &str) -> (SourceMap, Result<ConfigFile, LoadError>) {
        let mut sources = SourceMap::new();
        let id = sources.add(SourceFile::new("config.yaml", "config.yaml", text));
        let config = read(&sources, id);
        (sources, config)
    }

    fn pairs(text: &str) -> Vec<(String, String)> {
        let (_, config) = load(text);
        let config = config.unwrap_or_else(|e| panic!("{e}"));
        config.entries.iter().map(|e| (e.key.clone(), e.value.clone())).collect()
    }

    fn value(text: &str, key: &str) -> String {
        pairs(text).into_iter().find(|(k, _)| k == key).map(|(_, v)| v).unwrap_or_else(|| panic!("no {key}"))
    }

    fn error_line(text: &str) -> usize {
        match load(text).1 {
            Ok(c) => panic!("expected an error, got {:?}", c.entries),
            Err(e) => e.position.map_or(0, |p| p.line),
        }
    }

    fn span_text(sources: &SourceMap, loc: Location) -> &str {
        &sources.get(loc.file).text[loc.span.start..loc.span.end]
    }

    #[test]
    fn nested_and_flat_keys_flatten_the_same() {
        let p = pairs("s3:\n  access-key: x\n  endpoint: http://h:9000\nstate.backend.type: rocksdb\n");
        let want = [("s3.access-key", "x"), ("s3.endpoint", "http://h:9000"), ("state.backend.type", "rocksdb")];
        assert_eq!(p, want.map(|(k, v)| (k.to_string(), v.to_string())));
    }

    #[test]
    fn spans_point_at_key_and_value_with_unicode() {
        let text = "# é\ns3:\n  \"access-key\": 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'\nnaïve: ünï # c\n";
        let (sources, config) = load(text);
        let config = config.expect("parses");
        let e = config.get("s3.access-key").expect("entry");
        let f = sources.get(config.file);
        let k = f.position(e.key_at.span.start);
        assert_eq!((k.line, k.column), (3, 3));
        assert_eq!(span_text(&sources, e.key_at), "\"access-key\"");
        assert_eq!(span_text(&sources, e.value_at), "'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'");
        let n = config.get("naïve").expect("naïve");
        assert_eq!(span_text(&sources, n.key_at), "naïve");
        assert_eq!(span_text(&sources, n.value_at), "ünï");
        let v = f.position(n.value_at.span.start);
        assert_eq!((v.line, v.column), (4, 8));
    }

    #[test]
    fn collection_and_block_spans() {
        let text = "a: [x, y]\nb:\n  - 1\n  - 2\nc: |\n  l1\n  l2\n\nd: {p: q}\n";
        let (sources, config) = load(text);
        let config = config.expect("parses");
        let get = |k: &str| span_text(&sources, config.get(k).expect(k).value_at).to_string();
        assert_eq!(get("a"), "[x, y]");
        assert_eq!(get("b"), "- 1\n  - 2");
        assert_eq!(get("c"), "|\n  l1\n  l2");
        assert_eq!(get("d.p"), "q");
    }

    #[test]
    fn values_become_flink_strings() {
        let text = "b: true\nB: False\ni: 0x1F\no: 0o17\nd: 0012\nf: 1e3\ng: 1.0e+20\nh: .5\nn: -.Inf\nq: \"1\"\n\
                    s: yes\nl: [a, 'b c', \"1\", ~, 'x: y', '', it's]\nm: [{k: v}, [1, 2]]\nt: ${HOME}\n";
        let p = pairs(text);
        let get = |k: &str| p.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str()).unwrap_or("?");
        assert_eq!(get("b"), "true");
        assert_eq!(get("B"), "false");
        assert_eq!(get("i"), "31");
        assert_eq!(get("o"), "15");
        assert_eq!(get("d"), "12");
        assert_eq!(get("f"), "1000.0");
        assert_eq!(get("g"), "1.0E20");
        assert_eq!(get("h"), "0.5");
        assert_eq!(get("n"), "-.inf");
        assert_eq!(get("q"), "1");
        assert_eq!(get("s"), "yes");
        assert_eq!(get("l"), "[a, b c, '1', null, 'x: y', '', it's]");
        assert_eq!(get("m"), "[{k: v}, [1, 2]]");
        assert_eq!(get("t"), "${HOME}");
    }

    #[test]
    fn java_double_formatting() {
        for (v, s) in [
            (1.0, "1.0"),
            (0.001, "0.001"),
            (0.0001, "1.0E-4"),
            (1e7, "1.0E7"),
            (9999999.0, "9999999.0"),
            (123456.789, "123456.789"),
            (-1.5e-5, "-1.5E-5"),
            (100.0, "100.0"),
            (-0.0, "-0.0"),
        ] {
            assert_eq!(java_double(v), s);
        }
    }

    #[test]
    fn big_and_signed_integers() {
        assert_eq!(
            parse_int("123456789012345678901234567890"),
            Some(Scalar::Int("123456789012345678901234567890".into()))
        );
        assert_eq!(parse_int("-0"), Some(Scalar::Int("0".into())));
        assert_eq!(parse_int("0xFFFFFFFFFFFFFFFFFF"), Some(Scalar::Int("4722366482869645213695".into())));
        assert_eq!(parse_int("abc"), None);
    }

    #[test]
    fn later_spelling_of_a_key_wins() {
        let (sources, config) = load("a.b: 1\na:\n  b: 2\n");
        let config = config.expect("parses");
        assert_eq!(config.entries.len(), 1);
        assert_eq!(config.entries[0].value, "2");
        assert_eq!(config.notes.len(), 1);
        assert_eq!(config.notes[0].kind, NoteKind::Duplicate);
        assert_eq!(sources.get(config.file).position(config.notes[0].at.span.start).line, 3);
    }

    #[test]
    fn anchors_and_aliases() {
        assert_eq!(value("base: &B {x: 1}\nd:\n  <<: *B\n", "d.<<.x"), "1");
        assert_eq!(value("l: [&A [x], *A]\n", "l"), "[&id001 [x], *id001]");
        assert_eq!(value("a: &S s\nb: *S\n", "b"), "s");
    }

    #[test]
    fn errors_where_flink_refuses_the_file() {
        assert_eq!(error_line("a: 1\na: 2\n"), 2);
        assert_eq!(error_line("a: 1\nb:\n"), 2);
        assert_eq!(error_line("a: 1\nb: ~\n"), 2);
        assert_eq!(error_line("a: 1\n1: x\n"), 2);
        assert_eq!(error_line("k:v\nx: 1\n"), 2);
        assert_eq!(error_line("k:v\n"), 1);
        assert_eq!(error_line("a: 1\n---\nb: 2\n"), 2);
        assert_eq!(error_line("a: [1, 2\nb: 1\n"), 2);
        assert_eq!(error_line("a:\tb\n"), 1);
        assert_eq!(error_line("a: 1\nb: \"x\"\t\n"), 2);
        assert_eq!(error_line("a: 1\nc: !custom x\n"), 2);
        assert_eq!(error_line("- a\n- b\n"), 1);
    }

    #[test]
    fn where_snakeyaml_is_stricter_or_looser_than_the_parser() {
        // Refused by snakeyaml-engine, accepted by yaml-rust2: the reader refuses them too.
        assert_eq!(error_line("a: 1\nb: [x, :y]\n"), 2);
        assert_eq!(error_line("a: [x, ?]\n"), 1);
        assert_eq!(error_line("a: {: v}\n"), 1);
        assert_eq!(error_line("s3:\n  b: |\n"), 2);
        assert_eq!(error_line("a: x\n\ty\n"), 2);
        assert_eq!(error_line("a: |\t\n  x\n"), 1);
        // Accepted by snakeyaml-engine, refused by yaml-rust2: the reader accepts them.
        assert_eq!(value("x: \"a\"#c\n", "x"), "a");
        assert_eq!(value("x: [a, b]#c\ny: 1\n", "x"), "[a, b]");
        assert_eq!(error_line("x: {a: }\n"), 1); // parsed, but a null value
        // Empty block scalars are empty, also at the end of the file.
        assert_eq!(value("b: |\n", "b"), "");
        assert_eq!(value("b: >\n\n\n", "b"), "");
        assert_eq!(value("s3:\n  b: |\n  c: 1\n", "s3.b"), "");
    }

    #[test]
    fn error_messages_name_the_position_not_the_value() {
        let (_, result) = load("s3.access-key: AKIAIOSFODNN7EXAMPLE\ns3.secret-key: \"wJalrXUtnFEMI\n");
        let err = result.expect_err("unterminated quote");
        assert!(!err.message.contains("wJalr") && !err.message.contains("AKIA"), "{err}");
        assert_eq!(err.position.map(|p| p.line), Some(2));
    }

    #[test]
    fn tabs_that_snakeyaml_accepts() {
        assert_eq!(value("a: b\t# c\n", "a"), "b");
        assert_eq!(value("a: b\tc\n", "a"), "b\tc");
        assert_eq!(value("a\t: 1\n", "a"), "1");
        assert_eq!(value("a: \"x\ty\"\n", "a"), "x\ty");
    }

    #[test]
    fn empty_documents_are_empty_configurations() {
        for text in ["", "# nothing\n", "---\n", "~\n"] {
            assert!(pairs(text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn never_panics() {
        let deep = format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000));
        let many = format!("a: &a [x]\nb: &b [{}]\nc: [{}]\n", vec!["*a"; 40].join(", "), vec!["*b"; 40].join(", "));
        for text in [
            "\"",
            "'",
            "a: 'x",
            "[",
            "{",
            ": :",
            "? ",
            "&",
            "*x",
            "a: *nope",
            "a: &x [*x]",
            "\t",
            "a: |\n\tx",
            "é: [é",
            "a: !!int 99999999999999999999999999",
            "a: !!binary @@@",
            "a: !!float x",
            deep.as_str(),
            many.as_str(),
        ] {
            let _ = load(text);
        }
    }
}
