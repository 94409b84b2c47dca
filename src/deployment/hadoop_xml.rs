//! Hadoop `*-site.xml` reader: yields exactly what Hadoop 3's `org.apache.hadoop.conf.Configuration` yields for
//! one file loaded alone (`new Configuration(false)`, `addResource(path)`, then `get` of every key), with the
//! byte span of every name and value.
//!
//! Verified against Hadoop 3.5.0 with the oracle in `tests/oracle/hadoop` (goldens in `fixtures/readers/hadoop`).
//! What Hadoop does, and this reader reproduces:
//!
//! * The parser is a streaming (StAX) loop over *local* element names, at any depth and under any root:
//!   `property` starts a definition (attributes `name`, `value`, `final`, `source`, `tag` are read),
//!   `name`/`value`/`final`/`source`/`tag` start collecting text, `include` is an XInclude, `fallback` enters
//!   an XInclude fallback; every other element is ignored, but its text still lands in the text being
//!   collected (and a `<name>` nested in a `<description>` renames the property).
//! * `<name>` text is trimmed (Java `trim`: characters up to U+0020); `<value>` text is not. An empty `<name>`,
//!   `<value>` or a missing one leaves the previous one (attribute or earlier element) in place; a property
//!   without a name is skipped; one without a value is absent (but its `final` still counts).
//!   The attribute form is not trimmed, and `value=""` *is* a value (an empty string).
//! * `final` is final only when its text is exactly `true`. Once a key is final, later definitions of it are
//!   ignored (Hadoop warns only when the ignored value differs from the kept one).
//! * Otherwise the last definition wins. Keys deprecated by `Configuration` itself (`fs.default.name` ->
//!   `fs.defaultFS`, …) are stored under their new name.
//! * `${var}` is expanded at `get` time: `${env.NAME}`, `${env.NAME:-default}`, `${env.NAME-default}`,
//!   otherwise a JVM system property, then a key of this file. The left-most variable is replaced first, at most
//!   20 replacements in all (the 20th makes Hadoop throw `IllegalStateException: Variable substitution depth
//!   too large: 20`, reported here as a [`LoadError`] naming the key); an undefined variable stops expansion
//!   there (the rest stays literal); a variable whose value contains itself returns the whole value unexpanded.
//! * XInclude: `href` relative to the directory of the file *given to Hadoop* (also for includes nested in an
//!   included file), or absolute; a missing target uses `<xi:fallback>` or fails the load.
//!
//! * The XML is checked as strictly as Hadoop's parser (Woodstox) checks it: malformed XML, undeclared entities
//!   or namespace prefixes, illegal characters fail the load ([`LoadError`] on the line Hadoop reports). Entities
//!   declared in the DOCTYPE are expanded. The file's bytes are decoded before parsing the way Hadoop decodes
//!   them (byte-order mark, else the declared `encoding`, ISO-8859-1 byte by byte; see [`xml_encoding`]).
//!
//! What s3lint adds: `key_at`/`value_at` spans (the trimmed name text; the value text, inside CDATA or the
//! attribute's quotes; an empty value points at its `<value>` element, or at the name), every definition in
//! `definitions`, and [`ReaderNote`]s for duplicates, ignored final overrides, unexpanded variables, ignored
//! (misspelt) elements, nameless properties, an unexpected root and XInclude fallbacks. Messages name keys,
//! variables and elements, never values. A key only the attribute form can write (` name ` with spaces) is a
//! definition but not an entry: `get` trims the name it is asked for and never returns it.
//!
//! Not modelled: Hadoop looks an `href` up on the classpath first; `http:` and other URL includes are not
//! fetched (a [`LoadError`] says so); deprecations registered by classes other than `Configuration` (HDFS, S3A)
//! are not applied, as they are not when a `Configuration` is loaded alone.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use quick_xml::errors::{Error as XmlError, IllFormedError, SyntaxError};
use quick_xml::events::attributes::AttrError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use super::config::{ConfigFile, ConfigKind, Entry, NoteKind, ReaderNote};
use super::environment::Environment;
use super::xml_encoding;
use crate::input::{Budget, Spent, read_bytes};
use crate::redact::quote_prefix;
use crate::source::{FileId, LoadError, Location, SourceFile, SourceMap, Span};

/// Hadoop's `Configuration.MAX_SUBST`: the substitution that reaches it makes `get` throw.
const MAX_SUBST: usize = 20;
/// XIncludes nested deeper than this are refused (Hadoop recurses until its stack overflows).
const MAX_INCLUDE_DEPTH: usize = 32;
/// Most XIncludes expanded for one file (an include graph without cycles can still be exponential).
const MAX_INCLUDES: usize = 1024;
/// Nesting limit for entities declared in a DOCTYPE's internal subset.
const MAX_ENTITY_DEPTH: usize = 16;
/// Largest expansion of one declared entity.
const MAX_ENTITY_TEXT: usize = 64 * 1024;
/// Most text all references to declared entities may produce in one file.
const MAX_ENTITY_OUTPUT: usize = 4 * 1024 * 1024;

/// The deprecations `org.apache.hadoop.conf.Configuration` registers itself (Hadoop 3.5.0), applied when a file is
/// parsed: a definition of the old key is stored under the new one. Other classes (HDFS, S3A, …) register more
/// when they are loaded; those are not applied by a `Configuration` loaded alone.
const CONFIGURATION_DEPRECATIONS: &[(&str, &str)] = &[
    ("topology.script.file.name", "net.topology.script.file.name"),
    ("topology.script.number.args", "net.topology.script.number.args"),
    ("hadoop.configured.node.mapping", "net.topology.configured.node.mapping"),
    ("topology.node.switch.mapping.impl", "net.topology.node.switch.mapping.impl"),
    ("dfs.df.interval", "fs.df.interval"),
    ("fs.default.name", "fs.defaultFS"),
    ("dfs.umaskmode", "fs.permissions.umask-mode"),
    ("dfs.nfs.exports.allowed.hosts", "nfs.exports.allowed.hosts"),
];

/// Element names Hadoop's parser acts on, plus `description` (ignored, but expected): used to suggest what a
/// misspelt element was meant to be.
const KNOWN_ELEMENTS: &[&str] =
    &["configuration", "property", "name", "value", "final", "description", "source", "tag", "include", "fallback"];

/// Reads a Hadoop XML configuration file the way Hadoop 3's `Configuration` does.
///
/// `entries` holds one entry per key `Configuration.get` returns, in the order of the key's first definition
/// (keys Hadoop deprecates itself under their new name); `definitions` holds every `<property>` with a name,
/// in document order (XIncluded ones in place), each under the name as written.
pub fn read(sources: &mut SourceMap, file: FileId, env: &Environment) -> Result<ConfigFile, LoadError> {
    let top = sources.get(file);
    let base = IncludeBase {
        dir: top.path.parent().map(Path::to_path_buf).unwrap_or_default(),
        display_dir: Path::new(&top.display).parent().map(Path::to_path_buf).unwrap_or_default(),
        resource_name: top.display.clone(),
    };
    let open = vec![std::fs::canonicalize(&top.path).unwrap_or_else(|_| top.path.clone())];
    let mut loader = Loader { sources, base, notes: Vec::new(), open, includes: 0 };
    let items = loader.parse_file(file, 0)?;
    let notes = loader.notes;
    resolve(loader.sources, file, items, notes, env)
}

/// One `<property>` as Hadoop's parser hands it over (its `ParsedItem`), with where it was written.
#[derive(Debug, Clone)]
struct Item {
    /// The name as written: trimmed `<name>` text, or the `name` attribute as is.
    name: String,
    key_at: Location,
    /// `None` when the value is missing or an empty `<value>` (Hadoop: `null`, the key stays unset).
    value: Option<String>,
    value_at: Location,
    is_final: bool,
}

/// Where relative XInclude targets are resolved: the directory of the file given to Hadoop.
struct IncludeBase {
    /// Directory used to open files.
    dir: PathBuf,
    /// The same directory as shown to the user.
    display_dir: PathBuf,
    /// The resource name Hadoop puts in its messages (the top file as given).
    resource_name: String,
}

struct Loader<'a> {
    sources: &'a mut SourceMap,
    base: IncludeBase,
    notes: Vec<ReaderNote>,
    /// Canonical paths of the files being parsed (the include chain), to refuse cycles.
    open: Vec<PathBuf>,
    /// XIncludes expanded so far.
    includes: usize,
}

/// Text collected since the last `<name>`, `<value>`, `<final>`, `<source>` or `<tag>` start, with where each
/// piece came from.
#[derive(Default)]
struct Token {
    text: String,
    pieces: Vec<Piece>,
}

struct Piece {
    /// Byte range of this piece in `Token::text`.
    start: usize,
    end: usize,
    /// The bytes in the file it was decoded from.
    raw: Span,
    /// Plain text or CDATA: the decoded text differs from the raw one only in line ends; otherwise an entity or
    /// character reference.
    literal: bool,
}

impl Token {
    fn clear(&mut self) {
        self.text.clear();
        self.pieces.clear();
    }

    fn push(&mut self, decoded: &str, raw: Span, literal: bool) {
        let start = self.text.len();
        self.text.push_str(decoded);
        self.pieces.push(Piece { start, end: self.text.len(), raw, literal });
    }

    /// The raw span of the whole token (first piece to last piece).
    fn span(&self) -> Option<Span> {
        Some(Span::new(self.pieces.first()?.raw.start, self.pieces.last()?.raw.end))
    }

    /// The Java-trimmed text, and the raw span of what is left (empty, at the token's start, when nothing is).
    fn trimmed(&self, src: &str) -> (String, Span) {
        let trimmed = java_trim(&self.text).to_string();
        let first = self.pieces.iter().find(|p| has_non_trim(&self.text[p.start..p.end]));
        let last = self.pieces.iter().rev().find(|p| has_non_trim(&self.text[p.start..p.end]));
        let span = match (first, last) {
            (Some(first), Some(last)) => {
                let start = if first.literal {
                    let raw = src.get(first.raw.start..first.raw.end).unwrap_or("");
                    first.raw.start + raw.find(|c: char| c > ' ').unwrap_or(0)
                } else {
                    first.raw.start
                };
                let end = if last.literal {
                    let raw = src.get(last.raw.start..last.raw.end).unwrap_or("");
                    match raw.char_indices().rev().find(|(_, c)| *c > ' ') {
                        Some((i, c)) => last.raw.start + i + c.len_utf8(),
                        None => last.raw.end,
                    }
                } else {
                    last.raw.end
                };
                Span::new(start, end.max(start))
            }
            _ => {
                let at = self.pieces.first().map(|p| p.raw.start).unwrap_or(0);
                Span::new(at, at)
            }
        };
        (trimmed, span)
    }
}

/// Where the parser is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Prolog,
    Root,
    Epilog,
}

/// An entity declared in the DOCTYPE's internal subset.
#[derive(Debug, Clone)]
enum EntityDef {
    /// Replacement text (character references already expanded, as the XML spec does at declaration).
    Internal(String),
    /// `SYSTEM` / `PUBLIC`: not read by s3lint.
    External,
}

/// The state of Hadoop's `Configuration.Parser` for one resource, plus what s3lint tracks for spans and notes.
#[derive(Default)]
struct ParserState {
    token: Token,
    parse_token: bool,
    conf_name: Option<(String, Span)>,
    conf_value: Option<(String, Span)>,
    conf_final: bool,
    fallback_allowed: bool,
    fallback_entered: bool,
    /// `href` and start tag of the XInclude being processed.
    include: Option<(String, Span)>,
    /// Start tag of the current `<property>`.
    property_at: Option<Span>,
    /// Start of the `<value>` element being read, and the whole last `<value>` element of this property.
    value_start: usize,
    last_value_element: Option<Span>,
    items: Vec<Item>,
}

impl Loader<'_> {
    /// Parses one resource (the top file or an XIncluded one) into Hadoop's parsed items.
    fn parse_file(&mut self, file: FileId, depth: usize) -> Result<Vec<Item>, LoadError> {
        let text = self.sources.get(file).text.clone();
        let src = text.as_str();
        let first_illegal = src.char_indices().find(|(_, c)| !is_xml_char(*c));

        let mut reader = NsReader::from_str(src);
        {
            let config = reader.config_mut();
            config.check_comments = true;
            config.check_end_names = true;
            config.expand_empty_elements = false;
            config.allow_dangling_amp = false;
            config.allow_unmatched_ends = false;
            config.trim_text(false);
        }

        let mut st = ParserState::default();
        let mut phase = Phase::Prolog;
        let mut stack: Vec<(String, usize)> = Vec::new();
        // Open <description> and <property> elements (for notes).
        let mut open_descriptions = 0usize;
        let mut open_properties = 0usize;
        let mut entities = Entities::default();
        let mut seen_doctype = false;

        loop {
            let before = offset(reader.buffer_position());
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    let at = offset(reader.error_position());
                    if let Some((ill, c)) = first_illegal
                        && ill <= at
                    {
                        return Err(self.illegal_char(file, ill, c));
                    }
                    return Err(self.xml_error(file, src, at, &e, &stack));
                }
            };
            let after = offset(reader.buffer_position());
            if let Some((ill, c)) = first_illegal
                && ill < after.max(before + 1)
            {
                return Err(self.illegal_char(file, ill, c));
            }
            match event {
                Event::Decl(decl) => {
                    if before != 0 {
                        return Err(self.error(
                            file,
                            before,
                            "malformed XML: the XML declaration `<?xml …?>` must be at the very start of the file \
                             (Hadoop: Illegal processing instruction target (\"xml\"))",
                        ));
                    }
                    if decl.version().is_err() {
                        return Err(self.error(file, before, "malformed XML: the XML declaration has no version"));
                    }
                }
                Event::PI(pi) => {
                    if pi.target().eq_ignore_ascii_case("xml") {
                        return Err(self.error(
                            file,
                            before,
                            "malformed XML: an XML declaration `<?xml …?>` is allowed only at the very start of the \
                             file (Hadoop: Illegal processing instruction target (\"xml\"))",
                        ));
                    }
                }
                Event::DocType(doctype) => {
                    if phase != Phase::Prolog || seen_doctype {
                        return Err(self.error(
                            file,
                            before,
                            "malformed XML: a DOCTYPE declaration is allowed only once, before the root element",
                        ));
                    }
                    seen_doctype = true;
                    entities = Entities::from_doctype(&doctype);
                }
                Event::Comment(_) => {}
                Event::Text(t) => {
                    let raw: &str = &t;
                    if phase != Phase::Root {
                        if let Some(i) = raw.find(|c: char| !matches!(c, ' ' | '\t' | '\r' | '\n')) {
                            let where_ = if phase == Phase::Prolog { "before" } else { "after" };
                            return Err(self.error(
                                file,
                                before + i,
                                format!("malformed XML: text {where_} the root element (only markup may be there)"),
                            ));
                        }
                        continue;
                    }
                    if let Some(i) = raw.find("]]>") {
                        return Err(self.error(
                            file,
                            before + i,
                            "malformed XML: `]]>` is not allowed in text (write `]]&gt;`)",
                        ));
                    }
                    if st.parse_token {
                        let decoded = normalize_eols(raw).into_owned();
                        st.token.push(&decoded, Span::new(before, after), true);
                    }
                }
                Event::CData(c) => {
                    if phase != Phase::Root {
                        return Err(self.error(file, before, "malformed XML: CDATA outside the root element"));
                    }
                    if st.parse_token {
                        let inner: &str = &c;
                        let decoded = normalize_eols(inner).into_owned();
                        let start = (before + "<![CDATA[".len()).min(after);
                        let end = after.saturating_sub("]]>".len()).max(start);
                        st.token.push(&decoded, Span::new(start, end), true);
                    }
                }
                Event::GeneralRef(r) => {
                    if phase != Phase::Root {
                        return Err(self.error(
                            file,
                            before,
                            "malformed XML: an entity reference outside the root element",
                        ));
                    }
                    let decoded = entities.resolve(&r).map_err(|m| self.error(file, before, m))?;
                    if st.parse_token {
                        st.token.push(&decoded, Span::new(before, after), false);
                    }
                }
                Event::Start(_) | Event::Empty(_) if phase == Phase::Epilog => {
                    return Err(self.error(
                        file,
                        before,
                        "malformed XML: a second root element (Hadoop: Illegal to have multiple roots)",
                    ));
                }
                Event::Start(e) => {
                    let local = self.check_start(file, src, &reader, &e, before, &entities)?;
                    if phase == Phase::Prolog {
                        phase = Phase::Root;
                        self.note_root(file, &local, before, after);
                    } else {
                        self.note_unknown(file, &local, open_descriptions, open_properties, before, after);
                    }
                    open_descriptions += usize::from(local == "description");
                    open_properties += usize::from(local == "property");
                    stack.push((local.clone(), before));
                    self.handle_start(file, src, &mut st, &local, &e, before, after, depth, &entities)?;
                }
                Event::Empty(e) => {
                    let local = self.check_start(file, src, &reader, &e, before, &entities)?;
                    if phase == Phase::Prolog {
                        phase = Phase::Epilog;
                        self.note_root(file, &local, before, after);
                    } else {
                        self.note_unknown(file, &local, open_descriptions, open_properties, before, after);
                    }
                    self.handle_start(file, src, &mut st, &local, &e, before, after, depth, &entities)?;
                    self.handle_end(file, src, &mut st, &local, before, after)?;
                }
                Event::End(_) => {
                    let Some((local, _)) = stack.pop() else {
                        return Err(self.error(file, before, "malformed XML: a close tag without an open tag"));
                    };
                    if stack.is_empty() {
                        phase = Phase::Epilog;
                    }
                    open_descriptions -= usize::from(local == "description" && open_descriptions > 0);
                    open_properties -= usize::from(local == "property" && open_properties > 0);
                    self.handle_end(file, src, &mut st, &local, before, after)?;
                }
                Event::Eof => {
                    if let Some((name, at)) = stack.last() {
                        let line = self.sources.get(file).position(*at).line;
                        return Err(self.error(
                            file,
                            src.len(),
                            format!(
                                "malformed XML: unexpected end of file: <{name}> opened at line {line} is not closed"
                            ),
                        ));
                    }
                    if phase == Phase::Prolog {
                        return Err(self.error(
                            file,
                            src.len(),
                            "malformed XML: the file has no root element such as <configuration> (Hadoop: Unexpected EOF \
                             in prolog)",
                        ));
                    }
                    break;
                }
            }
        }
        Ok(st.items)
    }

    /// Checks a start tag the way Hadoop's (namespace-aware) parser does, and returns its local name.
    #[allow(clippy::too_many_arguments)]
    fn check_start(
        &self,
        file: FileId,
        src: &str,
        reader: &NsReader<&[u8]>,
        e: &BytesStart<'_>,
        before: usize,
        entities: &Entities,
    ) -> Result<String, LoadError> {
        let qname = e.name();
        let name: &str = qname.as_ref();
        if !is_xml_name(name) {
            // The "name" is likely text with a stray `<` in it: not repeated in the message.
            return Err(self.error(file, before + 1, "malformed XML: `<` is not followed by a valid element name"));
        }
        if let (ResolveResult::Unknown(prefix), _) = reader.resolver().resolve_element(qname) {
            return Err(self.error(
                file,
                before + 1,
                format!(
                    "malformed XML: undeclared namespace prefix \"{prefix}\" (declare it with xmlns:{prefix}=\"…\")",
                    prefix = quote_prefix(&prefix)
                ),
            ));
        }
        let tag_start = before + 1;
        let content: &str = e;
        if let Some(lt) = unquoted_lt(content) {
            return Err(self.error(
                file,
                offset_in(src, content).map_or(tag_start, |o| o + lt),
                format!("malformed XML: `<` inside the tag <{name}: is its closing `>` missing?"),
            ));
        }
        for attr in e.attributes() {
            let attr = attr.map_err(|err| self.attr_error(file, tag_start, &err))?;
            let key: &str = attr.key.as_ref();
            let key_at = offset_in(src, key).unwrap_or(tag_start);
            if !is_xml_name(key) {
                return Err(self.error(file, key_at, "malformed XML: an invalid attribute name"));
            }
            if attr.key.as_namespace_binding().is_some() {
                continue;
            }
            if let (ResolveResult::Unknown(prefix), _) = reader.resolver().resolve_attribute(attr.key) {
                return Err(self.error(
                    file,
                    key_at,
                    format!(
                        "malformed XML: undeclared namespace prefix \"{}\" (for attribute \"{}\")",
                        quote_prefix(&prefix),
                        quote_prefix(key)
                    ),
                ));
            }
            let value_at = offset_in(src, &attr.value).unwrap_or(tag_start);
            decode_attribute(&attr.value, value_at, entities).map_err(|(at, m)| self.error(file, at, m))?;
        }
        Ok(e.local_name().as_ref().to_string())
    }

    /// Hadoop's `handleStartElement`.
    #[allow(clippy::too_many_arguments)]
    fn handle_start(
        &mut self,
        file: FileId,
        src: &str,
        st: &mut ParserState,
        local: &str,
        e: &BytesStart<'_>,
        before: usize,
        after: usize,
        depth: usize,
        entities: &Entities,
    ) -> Result<(), LoadError> {
        match local {
            "property" => {
                st.conf_name = None;
                st.conf_value = None;
                st.conf_final = false;
                st.property_at = Some(Span::new(before, after));
                st.last_value_element = None;
                for (key, value, at) in plain_attributes(src, e, entities) {
                    match key.as_str() {
                        "name" => st.conf_name = Some((value, at)),
                        "value" => st.conf_value = Some((value, at)),
                        "final" => st.conf_final = value == "true",
                        _ => {}
                    }
                }
            }
            "name" | "value" | "final" | "source" | "tag" => {
                st.parse_token = true;
                st.token.clear();
                if local == "value" {
                    st.value_start = before;
                }
            }
            "include" => {
                let href = plain_attributes(src, e, entities).into_iter().rev().find(|(k, _, _)| k == "href");
                st.include = None;
                if let Some((_, href, _)) = href {
                    st.include = Some((href.clone(), Span::new(before, after)));
                    match self.include(file, &href, Span::new(before, after), depth)? {
                        Some(items) => st.items.extend(items),
                        None => st.fallback_allowed = true,
                    }
                }
            }
            "fallback" => st.fallback_entered = true,
            _ => {}
        }
        Ok(())
    }

    /// Hadoop's `handleEndElement` (and `handleEndProperty`).
    fn handle_end(
        &mut self,
        file: FileId,
        src: &str,
        st: &mut ParserState,
        local: &str,
        before: usize,
        after: usize,
    ) -> Result<(), LoadError> {
        match local {
            "name" if !st.token.text.is_empty() => st.conf_name = Some(st.token.trimmed(src)),
            "value" => {
                st.last_value_element = Some(Span::new(st.value_start, after));
                if !st.token.text.is_empty() {
                    let span = st.token.span().unwrap_or(Span::new(after, after));
                    st.conf_value = Some((st.token.text.clone(), span));
                }
            }
            "final" => st.conf_final = st.token.text == "true",
            "include" => {
                let (href, at) = st.include.take().unwrap_or_else(|| (String::new(), Span::new(before, after)));
                if st.fallback_allowed && !st.fallback_entered {
                    return Err(self.error(
                        file,
                        at.start,
                        format!(
                            "Fetch fail on include for '{href}' with no fallback while loading '{}' \
                             (the XInclude target does not exist and there is no <xi:fallback>)",
                            self.base.resource_name
                        ),
                    ));
                }
                if st.fallback_allowed && st.fallback_entered {
                    self.notes.push(ReaderNote {
                        kind: NoteKind::IncludeFallbackUsed,
                        key: None,
                        at: Location::new(file, at),
                        related: None,
                        message: format!(
                            "the XInclude target '{href}' does not exist, so Hadoop uses the <xi:fallback> content"
                        ),
                    });
                }
                st.fallback_allowed = false;
                st.fallback_entered = false;
            }
            "property" => {
                let property_at = st.property_at.unwrap_or(Span::new(before, after));
                if st.conf_name.is_none() {
                    if st.fallback_allowed || !st.fallback_entered {
                        self.notes.push(ReaderNote {
                            kind: NoteKind::PropertyWithoutName,
                            key: None,
                            at: Location::new(file, property_at),
                            related: None,
                            message: "this <property> has no name (its <name> is missing or empty, and there is no \
                                      name attribute), so Hadoop skips it"
                                .to_string(),
                        });
                    }
                    return Ok(());
                }
                if !st.fallback_allowed && st.fallback_entered {
                    return Ok(());
                }
                let Some((name, key_span)) = st.conf_name.clone() else { return Ok(()) };
                let key_at = Location::new(file, key_span);
                let (value, value_at) = match &st.conf_value {
                    Some((v, span)) => (Some(v.clone()), Location::new(file, *span)),
                    None => (None, st.last_value_element.map(|s| Location::new(file, s)).unwrap_or(key_at)),
                };
                st.items.push(Item { name, key_at, value, value_at, is_final: st.conf_final });
            }
            _ => {}
        }
        Ok(())
    }

    /// Resolves and parses an XInclude target; `None` when it does not exist (Hadoop then allows a fallback).
    fn include(&mut self, file: FileId, href: &str, at: Span, depth: usize) -> Result<Option<Vec<Item>>, LoadError> {
        let (path, display) = match url_scheme(href) {
            Some(scheme) if scheme.eq_ignore_ascii_case("file") => {
                let p = percent_decode(file_url_path(href));
                if Path::new(&p).exists() {
                    (PathBuf::from(&p), p)
                } else {
                    // Hadoop then tries the href as a file name, relative to the resource: never there.
                    return Ok(None);
                }
            }
            Some(_) => {
                return Err(self.error(
                    file,
                    at.start,
                    format!(
                        "s3lint does not fetch the XInclude '{href}' (only local files are read); Hadoop would open \
                         the URL"
                    ),
                ));
            }
            None => {
                let h = Path::new(href);
                if h.is_absolute() {
                    (h.to_path_buf(), href.to_string())
                } else {
                    let display = self.base.display_dir.join(h).to_string_lossy().into_owned();
                    (self.base.dir.join(h), display)
                }
            }
        };
        if !path.exists() {
            return Ok(None);
        }
        if depth + 1 > MAX_INCLUDE_DEPTH {
            return Err(self.error(
                file,
                at.start,
                format!("XIncludes are nested more than {MAX_INCLUDE_DEPTH} deep at '{href}'"),
            ));
        }
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        if self.open.contains(&canonical) {
            return Err(self.error(
                file,
                at.start,
                format!(
                    "XInclude cycle: '{href}' is already being included; Hadoop fails with a StackOverflowError \
                     while loading '{}'",
                    self.base.resource_name
                ),
            ));
        }
        self.includes += 1;
        if self.includes > MAX_INCLUDES {
            return Err(self.error(
                file,
                at.start,
                format!(
                    "more than {MAX_INCLUDES} XIncludes expanded while loading '{}' (files that include the same \
                     files over and over); s3lint stops here",
                    self.base.resource_name
                ),
            ));
        }
        let included = match self.sources.find(&path) {
            Some(id) => id,
            None => {
                let bytes = read_bytes(&path, &display, self.sources.budget()).map_err(|e| {
                    self.error(
                        file,
                        at.start,
                        format!("cannot read the XInclude target '{href}': {}", e.error().message),
                    )
                })?;
                let text = xml_encoding::decode(bytes, &path, &display)?;
                self.sources.add(SourceFile::new(display, path.clone(), text))
            }
        };
        // Each expansion of an included file is charged again: a file included many times costs as much as
        // many files.
        let size = self.sources.get(included).text.len() as u64;
        if let Err(spent) = self.sources.budget().charge(size) {
            return Err(self.error(
                file,
                at.start,
                format!("the XInclude of '{href}' is not expanded: {spent} (the same large file included many times?)"),
            ));
        }
        self.open.push(canonical);
        let items = self.parse_file(included, depth + 1);
        self.open.pop();
        items.map(Some)
    }

    /// Notes a root element other than `<configuration>`.
    fn note_root(&mut self, file: FileId, local: &str, before: usize, after: usize) {
        if local != "configuration" {
            self.notes.push(ReaderNote {
                kind: NoteKind::UnexpectedRoot,
                key: None,
                at: Location::new(file, Span::new(before, after)),
                related: None,
                message: format!(
                    "the root element is <{local}>, not <configuration>; Hadoop reads the <property> elements in it \
                     anyway"
                ),
            });
        }
    }

    /// Notes an element Hadoop ignores (outside `<description>`), with the element it probably meant.
    fn note_unknown(
        &mut self,
        file: FileId,
        local: &str,
        open_descriptions: usize,
        open_properties: usize,
        before: usize,
        after: usize,
    ) {
        if KNOWN_ELEMENTS.contains(&local) || open_descriptions > 0 {
            return;
        }
        let in_property = open_properties > 0;
        let message = match suggest_element(local) {
            Some(meant) => format!("Hadoop ignores the element <{local}> (did you mean <{meant}>?)"),
            None if in_property => {
                format!("Hadoop ignores the element <{local}> (a <property> reads only <name>, <value> and <final>)")
            }
            None => format!("Hadoop ignores the element <{local}>"),
        };
        self.notes.push(ReaderNote {
            kind: NoteKind::IgnoredElement,
            key: None,
            at: Location::new(file, Span::new(before, after)),
            related: None,
            message,
        });
    }

    fn error(&self, file: FileId, offset: usize, message: impl Into<String>) -> LoadError {
        LoadError::at(self.sources.get(file), offset, message)
    }

    fn illegal_char(&self, file: FileId, at: usize, c: char) -> LoadError {
        self.error(file, at, format!("malformed XML: illegal character U+{:04X} (not allowed in XML)", c as u32))
    }

    fn attr_error(&self, file: FileId, tag_start: usize, err: &AttrError) -> LoadError {
        let (at, what) = match err {
            AttrError::ExpectedEq(p) => (*p, "an attribute name must be followed by `=` (or a `>` is missing)"),
            AttrError::ExpectedValue(p) => (*p, "an attribute has no value"),
            AttrError::UnquotedValue(p) => (*p, "an attribute value must be in quotes"),
            AttrError::ExpectedQuote(p, _) => (*p, "an attribute value is not closed by its quote"),
            AttrError::Duplicated(p, _) => (*p, "the same attribute is given twice"),
        };
        self.error(file, tag_start + at, format!("malformed XML: {what}"))
    }

    /// A quick-xml error as a [`LoadError`]; errors about an unexpected end of file point at the end of the file
    /// (where Hadoop's parser reports them) and say where the unclosed construct began.
    fn xml_error(&self, file: FileId, src: &str, at: usize, e: &XmlError, stack: &[(String, usize)]) -> LoadError {
        let source = self.sources.get(file);
        let opened =
            |what: &str| format!("malformed XML: {what} opened at line {} is not closed", source.position(at).line);
        match e {
            XmlError::Syntax(s) => {
                let what = match s {
                    SyntaxError::UnclosedComment => "a comment `<!--`",
                    SyntaxError::UnclosedCData => "a CDATA section",
                    SyntaxError::UnclosedDoctype => "a DOCTYPE",
                    SyntaxError::UnclosedPI | SyntaxError::UnclosedXmlDecl => "a processing instruction `<?`",
                    SyntaxError::UnclosedTag => "a tag",
                    SyntaxError::UnclosedSingleQuotedAttributeValue
                    | SyntaxError::UnclosedDoubleQuotedAttributeValue => "a tag (in an attribute value)",
                    SyntaxError::InvalidBangMarkup => {
                        return LoadError::at(source, at, "malformed XML: unknown markup after `<!`");
                    }
                };
                if matches!(
                    s,
                    SyntaxError::UnclosedSingleQuotedAttributeValue | SyntaxError::UnclosedDoubleQuotedAttributeValue
                ) && let Some(lt) = src.get(at + 1..).and_then(|rest| rest.find('<'))
                {
                    // Hadoop's parser stops at the first `<` inside the runaway attribute value.
                    return LoadError::at(
                        source,
                        at + 1 + lt,
                        format!(
                            "malformed XML: `<` in an attribute value: the value started in the tag at line {} is \
                             missing its closing quote",
                            source.position(at).line
                        ),
                    );
                }
                LoadError::at(source, src.len(), format!("{} before the end of the file", opened(what)))
            }
            XmlError::IllFormed(IllFormedError::MismatchedEndTag { expected, found }) => {
                let line = stack.last().map(|(_, s)| source.position(*s).line).unwrap_or(0);
                LoadError::at(
                    source,
                    at,
                    format!(
                        "malformed XML: close tag </{}> does not match <{}> opened at line {line}",
                        element_shown(found),
                        element_shown(expected)
                    ),
                )
            }
            XmlError::InvalidAttr(a) => self.attr_error(file, at, a),
            XmlError::IllFormed(IllFormedError::DoubleHyphenInComment) => {
                LoadError::at(source, at, "malformed XML: `--` is not allowed inside a comment")
            }
            XmlError::IllFormed(IllFormedError::UnclosedReference) => LoadError::at(
                source,
                at,
                "malformed XML: `&` must start a reference such as `&amp;` (write `&amp;` for a literal `&`)",
            ),
            XmlError::IllFormed(IllFormedError::UnmatchedEndTag(tag)) => LoadError::at(
                source,
                at,
                format!("malformed XML: close tag </{}> without an open tag", element_shown(tag)),
            ),
            XmlError::IllFormed(other) => LoadError::at(source, at, format!("malformed XML: {other}")),
            other => LoadError::at(source, at, format!("malformed XML: {other}")),
        }
    }
}

/// The non-namespace attributes of an element, by local name, decoded (errors were reported by `check_start`).
fn plain_attributes(src: &str, e: &BytesStart<'_>, entities: &Entities) -> Vec<(String, String, Span)> {
    let mut out = Vec::new();
    for attr in e.attributes().flatten() {
        if attr.key.as_namespace_binding().is_some() {
            continue;
        }
        let local = attr.key.local_name().as_ref().to_string();
        let start = offset_in(src, &attr.value).unwrap_or(0);
        let span = Span::new(start, start + attr.value.len());
        if let Ok(value) = decode_attribute(&attr.value, start, entities) {
            out.push((local, value, span));
        }
    }
    out
}

/// The position of a `<` outside quoted attribute values in a tag's content.
fn unquoted_lt(content: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in content.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '<') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Decodes an attribute value as an XML parser does: references resolved, each of tab, CR, LF (and CR LF) becomes
/// a space; `<` is an error. Errors carry the byte offset of the problem.
fn decode_attribute(raw: &str, start: usize, entities: &Entities) -> Result<String, (usize, String)> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '<', '\t', '\r', '\n']) {
        let at = start + (raw.len() - rest.len()) + i;
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match tail.as_bytes()[0] {
            b'<' => return Err((at, "malformed XML: `<` is not allowed in an attribute value (write `&lt;`)".into())),
            b'&' => {
                let Some(semi) = tail.find(';') else {
                    return Err((at, "malformed XML: `&` not followed by a reference (write `&amp;`)".into()));
                };
                let name = &tail[1..semi];
                let text = entities.resolve(name).map_err(|m| (at, m))?;
                // Characters from references are kept as they are (`&#10;` stays a line feed); whitespace coming
                // from an entity's replacement text is normalized.
                if name.starts_with('#') {
                    out.push_str(&text);
                } else {
                    out.extend(text.chars().map(|c| if matches!(c, '\t' | '\r' | '\n') { ' ' } else { c }));
                }
                rest = &tail[semi + 1..];
            }
            b'\r' => {
                out.push(' ');
                rest = tail.strip_prefix("\r\n").unwrap_or(&tail[1..]);
            }
            _ => {
                out.push(' ');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The entities a document may reference: the predefined ones, character references, and the general entities
/// declared in its DOCTYPE's internal subset (expanded once, with limits against runaway expansion).
#[derive(Default)]
struct Entities {
    /// Declared entity -> its expansion, or why it cannot be expanded (reported when it is referenced).
    expanded: HashMap<String, Result<String, String>>,
    /// Bytes produced by declared entities so far in this document.
    used: Cell<usize>,
}

impl Entities {
    /// The entities declared in a `<!DOCTYPE …>`'s internal subset.
    fn from_doctype(doctype: &str) -> Self {
        let declared = parse_internal_subset(doctype);
        let expanded = declared.keys().map(|name| (name.clone(), expand_declared(name, &declared, 0))).collect();
        Entities { expanded, used: Cell::new(0) }
    }

    /// The text of the reference `&name;` (`amp`, `#65`, `#x41`, or a declared entity).
    fn resolve(&self, name: &str) -> Result<String, String> {
        if let Some(text) = builtin_reference(name)? {
            return Ok(text);
        }
        match self.expanded.get(name) {
            None => Err(undeclared(name)),
            Some(Err(why)) => Err(why.clone()),
            Some(Ok(text)) => {
                let used = self.used.get().saturating_add(text.len());
                if used > MAX_ENTITY_OUTPUT {
                    return Err(format!(
                        "entity references in this file expand to more than {MAX_ENTITY_OUTPUT} bytes; s3lint stops \
                         there"
                    ));
                }
                self.used.set(used);
                Ok(text.clone())
            }
        }
    }
}

/// The error for a reference to an entity nobody declared. The name is user text that may be most of a secret
/// (`&` inside a value starts a "reference"): only its first 4 characters are quoted.
fn undeclared(name: &str) -> String {
    let name = quote_prefix(name);
    format!("malformed XML: undeclared entity `&{name};` (Hadoop: Undeclared general entity \"{name}\")")
}

/// An element name quoted in an error message: whole when it is (close to) one Hadoop knows, else only its first
/// 4 characters, since a stray `<` in a value makes a "tag" of the text after it.
fn element_shown(name: &str) -> String {
    let local = name.rsplit(':').next().unwrap_or(name);
    if KNOWN_ELEMENTS.contains(&local) || suggest_element(local).is_some() {
        name.to_string()
    } else {
        quote_prefix(name)
    }
}

/// A character reference or a predefined entity; `Ok(None)` for any other name.
fn builtin_reference(name: &str) -> Result<Option<String>, String> {
    if let Some(num) = name.strip_prefix('#') {
        let digits_ok = |d: &str, hex: bool| {
            !d.is_empty() && d.chars().all(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() })
        };
        let code = match num.strip_prefix('x') {
            Some(hex) if digits_ok(hex, true) => u32::from_str_radix(hex, 16).ok(),
            None if digits_ok(num, false) => num.parse::<u32>().ok(),
            _ => None,
        };
        let c = code
            .and_then(char::from_u32)
            .ok_or_else(|| format!("malformed XML: invalid character reference `&{};`", quote_prefix(name)))?;
        if !is_xml_char(c) {
            return Err(format!(
                "malformed XML: character reference `&{};` is not an allowed XML character",
                quote_prefix(name)
            ));
        }
        return Ok(Some(c.to_string()));
    }
    Ok(match name {
        "amp" => Some("&"),
        "lt" => Some("<"),
        "gt" => Some(">"),
        "quot" => Some("\""),
        "apos" => Some("'"),
        _ => None,
    }
    .map(str::to_string))
}

/// The expansion of a declared entity: its replacement text with the references in it resolved.
fn expand_declared(name: &str, declared: &HashMap<String, EntityDef>, depth: usize) -> Result<String, String> {
    let text = match declared.get(name) {
        None => {
            return Err(undeclared(name));
        }
        Some(EntityDef::External) => return Err(format!("s3lint does not read the external entity `&{name};`")),
        Some(EntityDef::Internal(text)) => text,
    };
    if depth >= MAX_ENTITY_DEPTH {
        return Err(format!("the entity `&{name};` nests other entities too deeply (or refers to itself)"));
    }
    if text.contains('<') {
        return Err(format!("s3lint does not expand the entity `&{name};`: its text contains markup"));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(semi) = tail.find(';') else {
            return Err(format!("malformed XML: the entity `&{name};` contains a bare `&`"));
        };
        let inner = &tail[1..semi];
        match builtin_reference(inner)? {
            Some(t) => out.push_str(&t),
            None => out.push_str(&expand_declared(inner, declared, depth + 1)?),
        }
        if out.len() > MAX_ENTITY_TEXT {
            return Err(format!("the entity `&{name};` expands to more than {MAX_ENTITY_TEXT} bytes"));
        }
        rest = &tail[semi + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The general entities declared in a DOCTYPE's internal subset (`<!ENTITY name "text">`).
fn parse_internal_subset(doctype: &str) -> HashMap<String, EntityDef> {
    let mut entities = HashMap::new();
    let Some(open) = doctype.find('[') else { return entities };
    let mut rest = &doctype[open + 1..];
    while let Some(i) = rest.find("<!") {
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map(|j| &after[j + 3..]).unwrap_or("");
            continue;
        }
        let Some(decl) = rest.strip_prefix("<!ENTITY") else {
            rest = skip_declaration(&rest[2..]);
            continue;
        };
        let body = decl.trim_start();
        if body.starts_with('%') {
            rest = skip_declaration(body);
            continue;
        }
        let name_end = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
        let name = &body[..name_end];
        let after_name = body[name_end..].trim_start();
        let def = match after_name.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let literal = &after_name[1..];
                let end = literal.find(q).unwrap_or(literal.len());
                EntityDef::Internal(expand_char_refs(&literal[..end]))
            }
            _ => EntityDef::External,
        };
        if !name.is_empty() {
            entities.entry(name.to_string()).or_insert(def);
        }
        rest = skip_declaration(after_name);
    }
    entities
}

/// Skips to after the `>` closing a markup declaration, stepping over quoted literals.
fn skip_declaration(s: &str) -> &str {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return &s[i + 1..],
            _ => {}
        }
    }
    ""
}

/// Expands `&#…;` character references (as an entity literal's are at declaration time).
fn expand_char_refs(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("&#") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match tail.find(';').and_then(|semi| builtin_reference(&tail[1..semi]).ok().flatten().map(|t| (t, semi))) {
            Some((text, semi)) => {
                out.push_str(&text);
                rest = &tail[semi + 1..];
            }
            None => {
                out.push_str("&#");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Applies Hadoop's loading rules to the parsed items and expands every value as `Configuration.get` does.
fn resolve(
    sources: &SourceMap,
    file: FileId,
    items: Vec<Item>,
    mut notes: Vec<ReaderNote>,
    env: &Environment,
) -> Result<ConfigFile, LoadError> {
    // key -> index of the item holding its value; key -> index of the item that made it final.
    let mut holder: HashMap<String, usize> = HashMap::new();
    let mut finals: HashMap<String, usize> = HashMap::new();
    let mut last_def: HashMap<String, usize> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();

    for (i, item) in items.iter().enumerate() {
        let key = effective_key(&item.name).to_string();
        if seen.insert(key.clone()) {
            order.push(key.clone());
        }
        let spelled =
            if key == item.name { String::new() } else { format!(" (written as deprecated '{}')", item.name) };
        match &item.value {
            Some(value) => {
                if let Some(&f) = finals.get(&key) {
                    let kept = holder.get(&key).and_then(|&h| items[h].value.as_deref());
                    let (kind, message) = match kept {
                        Some(kept) if kept == value => (
                            NoteKind::Duplicate,
                            format!(
                                "'{key}'{spelled} is defined again with the same value; the earlier definition is final, \
                                 so Hadoop ignores this one (without a warning, as the value is the same)"
                            ),
                        ),
                        Some(_) => (
                            NoteKind::FinalOverrideIgnored,
                            format!(
                                "'{key}'{spelled} is final in an earlier definition, so Hadoop ignores this one and logs \
                                 \"an attempt to override final parameter: {key};  Ignoring.\""
                            ),
                        ),
                        None => (
                            NoteKind::FinalOverrideIgnored,
                            format!(
                                "'{key}'{spelled} is final in an earlier definition that has no value, so Hadoop ignores \
                                 this one silently and the key stays unset"
                            ),
                        ),
                    };
                    notes.push(ReaderNote {
                        kind,
                        key: Some(key.clone()),
                        at: item.key_at,
                        related: Some(items[f].key_at),
                        message,
                    });
                } else {
                    if let Some(&prev) = last_def.get(&key) {
                        let earlier = holder.get(&key).copied().unwrap_or(prev);
                        let message = if items[earlier].value.is_some() {
                            format!("'{key}'{spelled} is defined again; Hadoop uses this later definition")
                        } else {
                            format!(
                                "'{key}'{spelled} is defined again; the earlier definition has an empty value (which \
                                 Hadoop ignores), this one is used"
                            )
                        };
                        notes.push(ReaderNote {
                            kind: NoteKind::Duplicate,
                            key: Some(key.clone()),
                            at: item.key_at,
                            related: Some(items[earlier].key_at),
                            message,
                        });
                    }
                    holder.insert(key.clone(), i);
                }
            }
            None => {
                if let Some(&prev) = last_def.get(&key) {
                    let earlier = holder.get(&key).copied().unwrap_or(prev);
                    notes.push(ReaderNote {
                        kind: NoteKind::Duplicate,
                        key: Some(key.clone()),
                        at: item.key_at,
                        related: Some(items[earlier].key_at),
                        message: format!(
                            "'{key}'{spelled} is defined again with an empty value, which Hadoop ignores: the earlier \
                             definition stays in effect"
                        ),
                    });
                }
            }
        }
        if item.is_final {
            finals.entry(key.clone()).or_insert(i);
        }
        last_def.insert(key, i);
    }

    let props: HashMap<&str, &str> =
        holder.iter().filter_map(|(k, &i)| items[i].value.as_deref().map(|v| (k.as_str(), v))).collect();

    let mut entries = Vec::new();
    for key in &order {
        let Some(&i) = holder.get(key) else { continue };
        if java_trim(key) != key {
            // Only the attribute form can store such a key; `get` trims the name it is asked for, so it never
            // returns this one.
            continue;
        }
        let item = &items[i];
        let raw = item.value.clone().unwrap_or_default();
        let budget = sources.budget();
        let expanded = substitute_vars(&raw, &props, env, budget).map_err(|e| {
            let message = match e {
                SubstError::Depth => format!(
                    "Variable substitution depth too large: {MAX_SUBST} (Hadoop throws IllegalStateException when \
                     '{key}' is read: its value needs {MAX_SUBST} or more ${{…}} substitutions, or variables refer to \
                     each other in a loop)"
                ),
                SubstError::Budget(spent) => {
                    format!("expanding the ${{…}} variables of '{key}' is stopped here: {spent}")
                }
            };
            LoadError::at(sources.get(item.value_at.file), item.value_at.span.start, message)
        })?;
        if let Some(unresolved) = &expanded.unresolved {
            notes.push(ReaderNote {
                kind: NoteKind::UnresolvedVariable,
                key: Some(key.clone()),
                at: item.value_at,
                related: None,
                message: unresolved_message(key, unresolved),
            });
        }
        entries.push(Entry {
            key: key.clone(),
            value: expanded.value,
            raw,
            key_at: item.key_at,
            value_at: item.value_at,
            is_final: finals.contains_key(key),
            machine_dependent: expanded.machine_dependent,
        });
    }

    let mut definitions = Vec::with_capacity(items.len());
    for item in &items {
        let raw = item.value.clone().unwrap_or_default();
        let (value, machine_dependent) = match substitute_vars(&raw, &props, env, sources.budget()) {
            Ok(e) => (e.value, e.machine_dependent),
            Err(SubstError::Depth) => (raw.clone(), false),
            Err(SubstError::Budget(spent)) => {
                return Err(LoadError::at(
                    sources.get(item.value_at.file),
                    item.value_at.span.start,
                    format!("expanding the ${{…}} variables of '{}' is stopped here: {spent}", item.name),
                ));
            }
        };
        definitions.push(Entry {
            key: item.name.clone(),
            value,
            raw,
            key_at: item.key_at,
            value_at: item.value_at,
            is_final: item.is_final,
            machine_dependent,
        });
    }

    Ok(ConfigFile { file, kind: ConfigKind::HadoopXml, entries, definitions, notes })
}

/// The key a definition is stored under (Hadoop's own deprecations applied).
fn effective_key(name: &str) -> &str {
    CONFIGURATION_DEPRECATIONS.iter().find(|(old, _)| *old == name).map(|(_, new)| *new).unwrap_or(name)
}

/// A value after `${var}` expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Expanded {
    value: String,
    machine_dependent: bool,
    unresolved: Option<Unresolved>,
}

/// Why expansion stopped with a `${var}` left in place.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Unresolved {
    /// Nothing defines `var`; `more` when later variables were left unexpanded because of it.
    Undefined { var: String, more: bool },
    /// `var`'s value contains `${var}` itself: Hadoop returns the value unexpanded.
    SelfReference { var: String },
}

/// Why `${var}` expansion failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SubstError {
    /// The substitution limit is reached: Hadoop throws.
    Depth,
    /// The expansion output exceeds the run's budget.
    Budget(Spent),
}

/// Hadoop's `Configuration.substituteVars`; every intermediate result is charged to `budget`.
fn substitute_vars(
    expr: &str,
    props: &HashMap<&str, &str>,
    env: &Environment,
    budget: &Budget,
) -> Result<Expanded, SubstError> {
    let mut eval = expr.to_string();
    let mut machine_dependent = false;
    for _ in 0..MAX_SUBST {
        let Some((start, end)) = find_sub_variable(&eval) else {
            return Ok(Expanded { value: eval, machine_dependent, unresolved: None });
        };
        let var = &eval[start..end];
        let Some(val) = lookup_var(var, props, env, &mut machine_dependent) else {
            let var = var.to_string();
            let more = eval[end..].contains("${");
            return Ok(Expanded {
                value: eval,
                machine_dependent,
                unresolved: Some(Unresolved::Undefined { var, more }),
            });
        };
        let dollar = start - 2;
        let after = end + 1;
        if val.contains(&eval[dollar..after]) {
            return Ok(Expanded {
                value: expr.to_string(),
                machine_dependent: false,
                unresolved: Some(Unresolved::SelfReference { var: var.to_string() }),
            });
        }
        let len = eval.len() - (after - dollar) + val.len();
        budget.charge(len as u64).map_err(SubstError::Budget)?;
        eval = format!("{}{}{}", &eval[..dollar], val, &eval[after..]);
    }
    Err(SubstError::Depth)
}

/// Hadoop's `findSubVariable`: the byte range of the name in the left-most `${name}` (the name is non-empty and
/// holds no `}`, ` ` or `$`), scanning the way Hadoop does.
fn find_sub_variable(eval: &str) -> Option<(usize, usize)> {
    let b = eval.as_bytes();
    let mut match_start = 1;
    loop {
        let left = match_start + b.get(match_start..)?.iter().position(|&c| c == b'{')?;
        if left + 2 >= b.len() {
            return None;
        }
        if b[left - 1] != b'$' {
            match_start = left + 1;
            continue;
        }
        let sub_start = left + 1;
        let mut i = sub_start;
        loop {
            match b.get(i) {
                None => return None,
                Some(b'}') if i > sub_start => return Some((sub_start, i)),
                Some(b'}' | b' ' | b'$') => {
                    match_start = i + 1;
                    break;
                }
                Some(_) => i += 1,
            }
        }
    }
}

/// The value of `${var}`: environment (`env.` names), else a JVM system property, else a configuration key.
fn lookup_var(
    var: &str,
    props: &HashMap<&str, &str>,
    env: &Environment,
    machine_dependent: &mut bool,
) -> Option<String> {
    let mut val: Option<String> = None;
    match var.strip_prefix("env.") {
        Some(v) if !v.is_empty() => {
            *machine_dependent = true;
            let bytes = v.as_bytes();
            let mut decided = false;
            for (i, c) in v.char_indices() {
                if c == ':' && i + 1 < v.len() && bytes[i + 1] == b'-' {
                    val = env
                        .vars
                        .get(&v[..i])
                        .filter(|s| !s.is_empty())
                        .cloned()
                        .or_else(|| Some(v[i + 2..].to_string()));
                    decided = true;
                    break;
                } else if c == '-' {
                    val = env.vars.get(&v[..i]).cloned().or_else(|| Some(v[i + 1..].to_string()));
                    decided = true;
                    break;
                }
            }
            if !decided {
                val = env.vars.get(v).cloned();
            }
        }
        _ => {
            if let Some(p) = env.system_properties.get(var) {
                *machine_dependent = true;
                val = Some(p.clone());
            }
        }
    }
    val.or_else(|| props.get(effective_key(java_trim(var))).map(|s| s.to_string()))
}

/// The note's message for a variable left unexpanded (names the key and the variable, never a value).
fn unresolved_message(key: &str, unresolved: &Unresolved) -> String {
    match unresolved {
        Unresolved::SelfReference { var } if var == key => format!(
            "the value of '{key}' refers to itself through ${{{var}}}, so Hadoop returns it without expanding any \
             variable"
        ),
        Unresolved::SelfReference { var } => format!(
            "expanding '{key}' reaches ${{{var}}}, whose value refers to itself, so Hadoop returns the value of \
             '{key}' without expanding any variable"
        ),
        Unresolved::Undefined { var, more } => {
            let mut m = match var.strip_prefix("env.") {
                Some(name) if !name.is_empty() => format!(
                    "${{{var}}} in '{key}' is left as is: the environment variable {name} is not set (and no key \
                     '{var}' exists); write ${{{var}:-default}} to give a default"
                ),
                _ => format!(
                    "${{{var}}} in '{key}' is left as is: no configuration key or JVM system property '{var}' is defined"
                ),
            };
            if looks_like_env_var(var) {
                m.push_str(&format!("; Hadoop expands environment variables only when written as ${{env.{var}}}"));
            }
            if *more {
                m.push_str(
                    "; Hadoop stops at the first undefined variable, so the variables after it stay unexpanded too",
                );
            }
            m
        }
    }
}

/// An upper-case name such as `HADOOP_HOME` (how environment variables are spelled).
fn looks_like_env_var(var: &str) -> bool {
    var.chars().any(|c| c.is_ascii_uppercase())
        && var.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The known element a misspelt one most likely meant (case-insensitive, at most two edits away).
pub(crate) fn suggest_element(local: &str) -> Option<&'static str> {
    if local.len() > 32 {
        return None;
    }
    let lower: Vec<char> = local.to_ascii_lowercase().chars().collect();
    let max = if lower.len() <= 4 { 1 } else { 2 };
    KNOWN_ELEMENTS
        .iter()
        .filter_map(|k| {
            let known: Vec<char> = k.chars().collect();
            crate::knowledge::near::bounded_distance(&lower, &known, max).map(|d| (d, *k))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Java's `String.trim()`: strips characters up to U+0020 at both ends.
fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

fn has_non_trim(s: &str) -> bool {
    s.chars().any(|c| c > ' ')
}

/// XML 1.0 `Char`.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// An XML name (with at most one `:` separating non-empty parts); non-ASCII letters are accepted as they come.
fn is_xml_name(name: &str) -> bool {
    let start_ok = |c: char| c == '_' || c.is_ascii_alphabetic() || (c as u32) >= 0xC0;
    let char_ok = |c: char| start_ok(c) || c.is_ascii_digit() || matches!(c, '-' | '.' | '\u{B7}');
    let mut parts = name.split(':');
    let first = parts.next().unwrap_or("");
    let second = parts.next();
    if parts.next().is_some() {
        return false;
    }
    let part_ok = |p: &str| {
        let mut chars = p.chars();
        chars.next().is_some_and(start_ok) && chars.all(char_ok)
    };
    part_ok(first) && second.is_none_or(part_ok)
}

/// XML end-of-line handling: CR LF and lone CR become LF.
fn normalize_eols(s: &str) -> Cow<'_, str> {
    if s.contains('\r') { Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n")) } else { Cow::Borrowed(s) }
}

/// The byte offset of `part` inside `whole`, when `part` is a slice of it.
fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (start + part.len() <= whole.len()).then_some(start)
}

fn offset(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

/// The scheme of a URL Java's `new URL(…)` accepts (`file`, `http`, `https`, `ftp`, `jar`), if `href` is one.
fn url_scheme(href: &str) -> Option<&str> {
    let colon = href.find(':')?;
    let scheme = &href[..colon];
    ["file", "http", "https", "ftp", "jar"].iter().any(|s| s.eq_ignore_ascii_case(scheme)).then_some(scheme)
}

/// The path part of a `file:` URL (`file:/x`, `file:///x`, `file://localhost/x`).
fn file_url_path(href: &str) -> &str {
    let rest = &href[href.find(':').map(|i| i + 1).unwrap_or(0)..];
    match rest.strip_prefix("//") {
        Some(authority_and_path) => authority_and_path.find('/').map(|i| &authority_and_path[i..]).unwrap_or(""),
        None => rest,
    }
}

/// Decodes `%XX` escapes (as Java's file URL handler does).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Position;

    fn env() -> Environment {
        let mut env = Environment::with_properties(&[("user.name", "alice"), ("java.io.tmpdir", "/tmp")]);
        env.vars.insert("HOME_DIR".to_string(), "/home/alice".to_string());
        env.vars.insert("EMPTY".to_string(), String::new());
        env
    }

    fn load_in(dir: &Path, name: &str, text: &str) -> (SourceMap, Result<ConfigFile, LoadError>) {
        let mut sources = SourceMap::new();
        let id = sources.add(SourceFile::new(name, dir.join(name), text));
        let result = read(&mut sources, id, &env());
        (sources, result)
    }

    fn load(text: &str) -> (SourceMap, ConfigFile) {
        let (sources, result) = load_in(Path::new("/nonexistent-s3lint-test"), "core-site.xml", text);
        match result {
            Ok(cf) => (sources, cf),
            Err(e) => panic!("unexpected load error: {e}"),
        }
    }

    fn load_err(text: &str) -> LoadError {
        match load_in(Path::new("/nonexistent-s3lint-test"), "core-site.xml", text).1 {
            Ok(cf) => panic!("expected a load error, got {} entries", cf.entries.len()),
            Err(e) => e,
        }
    }

    /// (line, column) of a location, and the text it covers.
    fn at(sources: &SourceMap, loc: Location) -> (usize, usize, String) {
        let f = sources.get(loc.file);
        let Position { line, column, .. } = f.position(loc.span.start);
        (line, column, f.text[loc.span.start..loc.span.end].to_string())
    }

    fn line_col(e: &LoadError) -> (usize, usize) {
        let p = e.position.expect("a position");
        (p.line, p.column)
    }

    fn prop(name: &str, value: &str) -> String {
        format!("  <property>\n    <name>{name}</name>\n    <value>{value}</value>\n  </property>\n")
    }

    fn doc(body: &str) -> String {
        format!("<?xml version=\"1.0\"?>\n<configuration>\n{body}</configuration>\n")
    }

    #[test]
    fn name_and_value_spans_point_at_the_text() {
        let text = doc(&prop("fs.s3a.endpoint", "s3.eu-west-1.amazonaws.com"));
        let (sources, cf) = load(&text);
        let e = cf.get("fs.s3a.endpoint").expect("entry");
        assert_eq!(at(&sources, e.key_at), (4, 11, "fs.s3a.endpoint".to_string()));
        assert_eq!(at(&sources, e.value_at), (5, 12, "s3.eu-west-1.amazonaws.com".to_string()));
        assert_eq!(e.value, "s3.eu-west-1.amazonaws.com");
        assert!(!e.is_final && !e.machine_dependent);
    }

    #[test]
    fn trimmed_names_keep_untrimmed_values_and_exact_spans() {
        let text = doc(
            "  <property>\n    <name>\n      fs.s3a.access.key  </name>\n    <value> key\n </value>\n  </property>\n",
        );
        let (sources, cf) = load(&text);
        let e = cf.get("fs.s3a.access.key").expect("entry");
        assert_eq!(at(&sources, e.key_at), (5, 7, "fs.s3a.access.key".to_string()));
        assert_eq!(at(&sources, e.value_at), (6, 12, " key\n ".to_string()));
        assert_eq!(e.value, " key\n ");
    }

    #[test]
    fn cdata_entities_and_attribute_spans() {
        let text = doc(concat!(
            "  <property><name>a&amp;b</name><value><![CDATA[x<y>]]></value></property>\n",
            "  <property name=\"attr.key\" value=\"v&#65;\" final=\"true\"/>\n",
            "  <property><name> &#32;c </name><value>&lt;v&gt;</value></property>\n",
        ));
        let (sources, cf) = load(&text);
        let a = cf.get("a&b").expect("entity in a name");
        assert_eq!(at(&sources, a.key_at), (3, 19, "a&amp;b".to_string()));
        assert_eq!(at(&sources, a.value_at), (3, 49, "x<y>".to_string()));
        assert_eq!(a.value, "x<y>");
        let attr = cf.get("attr.key").expect("attribute form");
        assert_eq!(at(&sources, attr.key_at), (4, 19, "attr.key".to_string()));
        assert_eq!(at(&sources, attr.value_at), (4, 36, "v&#65;".to_string()));
        assert_eq!(attr.value, "vA");
        assert!(attr.is_final);
        // A space written as a reference is trimmed from the name like any other.
        let c = cf.get("c").expect("trimmed reference");
        assert_eq!(at(&sources, c.key_at), (5, 25, "c".to_string()));
        assert_eq!(c.value, "<v>");
    }

    #[test]
    fn empty_values_are_definitions_but_not_entries() {
        let text = doc(concat!(
            "  <property><name>fs.s3a.access.key</name><value/></property>\n",
            "  <property><name>fs.s3a.secret.key</name></property>\n",
            "  <property name=\"fs.s3a.session.token\" value=\"\"/>\n",
        ));
        let (sources, cf) = load(&text);
        assert!(cf.get("fs.s3a.access.key").is_none());
        assert!(cf.get("fs.s3a.secret.key").is_none());
        // The attribute form stores an empty string: Hadoop returns "".
        assert_eq!(cf.get("fs.s3a.session.token").map(|e| e.value.as_str()), Some(""));
        assert_eq!(cf.definitions.len(), 3);
        assert_eq!(at(&sources, cf.definitions[0].value_at), (3, 43, "<value/>".to_string()));
        assert_eq!(cf.definitions[0].value, "");
        assert_eq!(at(&sources, cf.definitions[1].value_at), (4, 19, "fs.s3a.secret.key".to_string()));
    }

    #[test]
    fn duplicates_and_final_overrides_are_noted_with_the_earlier_location() {
        let text = doc(&format!(
            "{}{}{}{}{}",
            prop("a", "1"),
            prop("a", "2"),
            "  <property><name>b</name><value>x</value><final>true</final></property>\n",
            prop("b", "x"),
            prop("b", "y"),
        ));
        let (sources, cf) = load(&text);
        assert_eq!(cf.get("a").map(|e| e.value.as_str()), Some("2"));
        let b = cf.get("b").expect("final key");
        assert_eq!((b.value.as_str(), b.is_final), ("x", true));
        let kinds: Vec<_> = cf.notes.iter().map(|n| (n.kind, at(&sources, n.at).0)).collect();
        assert_eq!(kinds, [(NoteKind::Duplicate, 8), (NoteKind::Duplicate, 13), (NoteKind::FinalOverrideIgnored, 17)]);
        assert_eq!(cf.notes[0].related.map(|r| at(&sources, r).0), Some(4));
        assert_eq!(cf.notes[2].related.map(|r| at(&sources, r).0), Some(11));
        assert!(cf.notes[2].message.contains("an attempt to override final parameter: b"));
        // Same value: Hadoop does not warn, and neither do we call it an override.
        assert!(cf.notes[1].message.contains("same value"));
    }

    #[test]
    fn final_must_be_exactly_true() {
        for (text, want) in [("true", true), ("True", false), (" true", false), ("yes", false)] {
            let (_, cf) =
                load(&doc(&format!("  <property><name>k</name><value>v</value><final>{text}</final></property>\n")));
            assert_eq!(cf.get("k").map(|e| e.is_final), Some(want), "<final>{text}</final>");
        }
    }

    #[test]
    fn notes_never_contain_values() {
        let secret = "wJalrXUtnFEMI-SECRET";
        let text = doc(&format!(
            "{}{}{}  <property><nmae>x</nmae><value>{secret}</value></property>\n",
            prop("fs.s3a.secret.key", secret),
            prop("fs.s3a.secret.key", &format!("{secret}2")),
            prop("k", &format!("${{NO_SUCH}}{secret}")),
        ));
        let (_, cf) = load(&text);
        assert!(cf.notes.len() >= 3, "{:?}", cf.notes);
        for n in &cf.notes {
            assert!(!n.message.contains("SECRET"), "{}", n.message);
        }
    }

    #[test]
    fn variables_expand_like_hadoop() {
        let text = doc(&format!(
            "{}{}{}{}{}{}{}{}{}",
            prop("tmp", "${java.io.tmpdir}/${user.name}"),
            prop("buffer", "${tmp}/s3a"),
            prop("home", "${env.HOME_DIR:-/x}|${env.EMPTY:-dflt}|[${env.EMPTY-dflt}]|${env.UNSET-u}"),
            prop("undefined", "${a.b}/${user.name}"),
            prop("envlike", "${HOME_DIR}/x"),
            prop("self", "${self}/x"),
            prop("odd", "${x{y}|$${user.name}|${}|${a b}"),
            prop("x{y", "braces"),
            prop("user.name", "shadowed"),
        ));
        let (_, cf) = load(&text);
        let v = |k: &str| cf.get(k).map(|e| e.value.clone()).unwrap_or_default();
        assert_eq!(v("tmp"), "/tmp/alice");
        assert_eq!(v("buffer"), "/tmp/alice/s3a");
        assert!(cf.get("buffer").is_some_and(|e| e.machine_dependent && e.raw == "${tmp}/s3a"));
        assert_eq!(v("home"), "/home/alice|dflt|[]|u");
        assert_eq!(v("undefined"), "${a.b}/${user.name}");
        assert_eq!(v("self"), "${self}/x");
        assert_eq!(v("odd"), "braces|$alice|${}|${a b}");
        let notes: Vec<_> = cf.notes.iter().filter(|n| n.kind == NoteKind::UnresolvedVariable).collect();
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[0].message.contains("${a.b}") && notes[0].message.contains("stops at the first"));
        assert!(notes[1].message.contains("only when written as ${env.HOME_DIR}"), "{}", notes[1].message);
        assert!(notes[2].message.contains("refers to itself"));
    }

    #[test]
    fn the_twentieth_substitution_fails_like_hadoop() {
        let chain = |n: usize| {
            let mut body = String::new();
            for i in 0..n {
                body.push_str(&prop(&format!("k{i}"), &format!("${{k{}}}", i + 1)));
            }
            body.push_str(&prop(&format!("k{n}"), "end"));
            doc(&body)
        };
        let (_, cf) = load(&chain(19));
        assert_eq!(cf.get("k0").map(|e| e.value.as_str()), Some("end"));
        let e = load_err(&chain(20));
        assert!(e.message.contains("Variable substitution depth too large: 20") && e.message.contains("'k0'"), "{e}");
        assert_eq!(line_col(&e), (5, 12));
    }

    #[test]
    fn find_sub_variable_scans_like_hadoop() {
        let var = |s: &str| find_sub_variable(s).map(|(a, b)| s[a..b].to_string());
        assert_eq!(var("${a}"), Some("a".into()));
        assert_eq!(var("x${a b}${c}"), Some("c".into()));
        assert_eq!(var("${a{b}"), Some("a{b".into()));
        assert_eq!(var("${}${d}"), Some("d".into()));
        assert_eq!(var("${$a}"), None);
        assert_eq!(var("{a}"), None);
        assert_eq!(var("${é}"), Some("é".into()));
        assert_eq!(var("${"), None);
        assert_eq!(var("$"), None);
        assert_eq!(var(""), None);
    }

    #[test]
    fn deprecated_keys_are_stored_under_their_new_name() {
        let text = doc(&format!("{}{}", prop("fs.default.name", "s3a://b"), prop("w", "${fs.default.name}/w")));
        let (_, cf) = load(&text);
        assert_eq!(cf.get("fs.defaultFS").map(|e| e.value.as_str()), Some("s3a://b"));
        assert!(cf.get("fs.default.name").is_none());
        assert_eq!(cf.definitions[0].key, "fs.default.name");
        assert_eq!(cf.get("w").map(|e| e.value.as_str()), Some("s3a://b/w"));
    }

    #[test]
    fn ignored_elements_and_nameless_properties_are_noted() {
        let text = "<conf>\n  <property>\n    <nmae>a</nmae>\n    <value>1</value>\n  </property>\n  <propery/>\n  <property><Value>x</Value><name>b</name><description><b>bold</b></description></property>\n</conf>\n";
        let (sources, cf) = load(text);
        let notes: Vec<_> = cf.notes.iter().map(|n| (n.kind, at(&sources, n.at).0, n.message.clone())).collect();
        assert_eq!(notes[0].0, NoteKind::UnexpectedRoot);
        assert_eq!((notes[1].0, notes[1].1), (NoteKind::IgnoredElement, 3));
        assert!(notes[1].2.contains("did you mean <name>?"), "{}", notes[1].2);
        assert_eq!((notes[2].0, notes[2].1), (NoteKind::PropertyWithoutName, 2));
        assert!(notes[3].2.contains("<propery>") && notes[3].2.contains("<property>"));
        assert!(notes[4].2.contains("<Value>") && notes[4].2.contains("<value>"));
        assert_eq!(notes.len(), 5, "nothing inside <description> is noted: {notes:?}");
        assert!(cf.get("b").is_none(), "b has no value");
    }

    #[test]
    fn xinclude_relative_fallback_missing_and_cycle() {
        let dir = std::env::temp_dir().join(format!("s3lint-hadoop-xml-{}", std::process::id()));
        let inc = dir.join("inc");
        std::fs::create_dir_all(&inc).expect("temp dir");
        std::fs::write(inc.join("creds.xml"), doc(&prop("fs.s3a.access.key", "AKIA"))).expect("write");
        std::fs::write(
            inc.join("self.xml"),
            doc("  <xi:include href=\"inc/self.xml\" xmlns:xi=\"http://www.w3.org/2001/XInclude\"/>\n"),
        )
        .expect("write");

        let ns = "xmlns:xi=\"http://www.w3.org/2001/XInclude\"";
        let text = format!(
            "<configuration {ns}>\n  <xi:include href=\"inc/creds.xml\"/>\n  <xi:include href=\"inc/none.xml\"><xi:fallback>\n{}  </xi:fallback></xi:include>\n</configuration>\n",
            prop("fb", "used")
        );
        let (sources, result) = load_in(&dir, "core-site.xml", &text);
        let cf = result.expect("loads");
        let key = cf.get("fs.s3a.access.key").expect("included");
        assert!(sources.get(key.key_at.file).path.ends_with("inc/creds.xml"));
        assert_eq!(at(&sources, key.key_at), (4, 11, "fs.s3a.access.key".to_string()));
        assert_eq!(cf.get("fb").map(|e| e.value.as_str()), Some("used"));
        assert!(cf.notes.iter().any(|n| n.kind == NoteKind::IncludeFallbackUsed));

        let missing = format!("<configuration {ns}>\n  <xi:include href=\"inc/none.xml\"/>\n</configuration>\n");
        let e = load_in(&dir, "core-site.xml", &missing).1.expect_err("missing include");
        assert!(
            e.message
                .starts_with("Fetch fail on include for 'inc/none.xml' with no fallback while loading 'core-site.xml'"),
            "{e}"
        );
        assert_eq!(line_col(&e), (2, 3));

        let cycle = format!("<configuration {ns}>\n  <xi:include href=\"inc/self.xml\"/>\n</configuration>\n");
        let e = load_in(&dir, "core-site.xml", &cycle).1.expect_err("cycle");
        assert!(e.message.contains("XInclude cycle"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn malformed_xml_is_a_load_error_at_the_problem() {
        let cases: &[(&str, (usize, usize))] = &[
            ("<configuration>\n  <property>\n    <name>a</valu>\n", (3, 12)),
            ("<configuration>\n  <property>\n", (3, 1)),
            ("junk\n<configuration/>\n", (1, 1)),
            ("<configuration/>\n<configuration/>\n", (2, 1)),
            ("<configuration>\n <property name=a/>\n</configuration>\n", (2, 17)),
            ("<configuration>\n <value>a\u{1}b</value>\n</configuration>\n", (2, 10)),
            ("<configuration>\n <property\n <name>a</name></property>\n</configuration>\n", (3, 2)),
            ("<configuration>\n <xi:include href=\"x\"/>\n</configuration>\n", (2, 3)),
            ("<configuration>\n <value>&nope;</value>\n</configuration>\n", (2, 9)),
            ("<configuration>\n <value>a & b</value>\n</configuration>\n", (2, 11)),
            ("<configuration>\n<!-- open\n", (3, 1)),
            ("", (1, 1)),
            (" <?xml version=\"1.0\"?><configuration/>", (1, 2)),
        ];
        for (text, want) in cases {
            let e = load_err(text);
            assert_eq!(line_col(&e), *want, "{text:?}: {e}");
            assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn files_are_decoded_as_declared_before_parsing() {
        let decoded = |bytes: &[u8]| super::xml_encoding::decode(bytes.to_vec(), Path::new("c.xml"), "c.xml");
        // A real ISO-8859-1 file (é is the single byte 0xE9), and a UTF-8 one declared ISO-8859-1.
        let latin1 = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<configuration><property><name>k</name><value>caf\xe9</value></property></configuration>\n";
        let (_, cf) = load(&decoded(latin1).expect("latin-1"));
        assert_eq!(cf.get("k").map(|e| e.value.as_str()), Some("café"));
        let utf8 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<configuration><property><name>k</name><value>é</value></property></configuration>\n";
        let (_, cf) = load(&decoded(utf8.as_bytes()).expect("utf-8 declared latin-1"));
        assert_eq!(cf.get("k").map(|e| e.value.as_str()), Some("Ã©"));
        let e = decoded(b"<?xml version=\"1.0\" encoding=\"x-unknown\"?>\n<configuration/>\n").expect_err("unknown");
        assert!(e.message.contains("x-unknown"), "{e}");
    }

    #[test]
    fn dtd_entities_expand_with_limits() {
        let text = "<!DOCTYPE configuration [\n<!ENTITY b \"bucket\">\n<!ENTITY u \"s3a://&b;/\">\n]>\n<configuration><property name=\"k\" value=\"&u;x\"/><property><name>j</name><value>&u;</value></property></configuration>\n";
        let (_, cf) = load(text);
        assert_eq!(cf.get("k").map(|e| e.value.as_str()), Some("s3a://bucket/x"));
        assert_eq!(cf.get("j").map(|e| e.value.as_str()), Some("s3a://bucket/"));
        let mut laughs = String::from("<!DOCTYPE c [\n<!ENTITY l0 \"lol\">\n");
        for i in 1..12 {
            let p = i - 1;
            laughs.push_str(&format!(
                "<!ENTITY l{i} \"&l{p};&l{p};&l{p};&l{p};&l{p};&l{p};&l{p};&l{p};&l{p};&l{p};\">\n"
            ));
        }
        laughs.push_str("]>\n<c><value>&l11;</value></c>\n");
        let e = load_err(&laughs);
        assert!(e.message.contains("expands to more than"), "{e}");
        let e = load_err("<!DOCTYPE c [<!ENTITY a \"&a;\">]>\n<c>&a;</c>");
        assert!(e.message.contains("too deeply"), "{e}");
    }

    #[test]
    fn no_input_makes_the_reader_panic() {
        let sample = concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE configuration [<!ENTITY e \"é&#x20AC;\">]>\n",
            "<configuration xmlns:xi=\"http://www.w3.org/2001/XInclude\">\n",
            "  <property><name> k\u{e9} </name><value>${user.name}&amp;&e;<![CDATA[<c>]]>\r\n</value><final>true</final></property>\n",
            "  <property name=\"a&#10;\" value=\"${env.X:-d}\"/>\n  <xi:include href=\"missing.xml\"><xi:fallback/></xi:include>\n",
            "  <!-- c --><?pi x?><nmae>日本</nmae>\n</configuration>\n",
        );
        let boundaries: Vec<usize> = (0..=sample.len()).filter(|i| sample.is_char_boundary(*i)).collect();
        for &end in &boundaries {
            let _ = load_in(Path::new("/nonexistent-s3lint-test"), "t.xml", &sample[..end]).1;
        }
        // Pseudo-random documents made of XML's special characters.
        let alphabet: Vec<char> = "<>/&;#x!?[]-=\"' \n\r\tabé${}:CDATA".chars().collect();
        let mut seed: u64 = 0x5eed;
        for _ in 0..2000 {
            let mut s = String::from("<c>");
            for _ in 0..40 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                s.push(alphabet[(seed >> 33) as usize % alphabet.len()]);
            }
            let _ = load_in(Path::new("/nonexistent-s3lint-test"), "t.xml", &s).1;
        }
        // Deep nesting does not recurse; beyond quick-xml's limit it is a load error.
        let deep = |n: usize| format!("<c>{}{}</c>", "<tag>".repeat(n), "</tag>".repeat(n));
        let result = load_in(Path::new("/nonexistent-s3lint-test"), "t.xml", &deep(60_000)).1;
        assert!(result.is_ok(), "{result:?}");
        assert!(load_in(Path::new("/nonexistent-s3lint-test"), "t.xml", &deep(70_000)).1.is_err());
    }
}
