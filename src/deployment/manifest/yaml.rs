//! Multi-document YAML as a tree whose every scalar keeps its byte span (yaml-rust2's event parser, markers
//! turned into byte offsets), with the limits that keep a hostile file linear: nesting depth, and the nodes
//! that aliases may copy.

use yaml_rust2::Event;
use yaml_rust2::parser::Parser;
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::source::{CharIndex, Span};

/// Deepest nesting accepted (Kubernetes manifests nest a dozen levels).
const MAX_DEPTH: usize = 128;
/// Most nodes in one file, aliases' copies included.
const MAX_NODES: usize = 1_000_000;

/// A scalar and where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// The value after YAML unquoting and folding.
    pub value: String,
    /// From its first character (a quote for a quoted scalar) to its end on its first line.
    pub at: Span,
    /// True for a plain (unquoted) scalar: `null`, `~` or nothing there is no value.
    pub plain: bool,
}

/// A YAML node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A mapping: keys (as scalars; a collection key is kept as an empty scalar) and values, in order.
    Map(Vec<(Scalar, Node)>, Span),
    /// A sequence.
    Seq(Vec<Node>, Span),
    /// A scalar.
    Scalar(Scalar),
}

impl Node {
    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries, _) => entries.iter().rev().find(|(k, _)| k.value == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The node at a `.`-free path of keys.
    pub fn at(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |n, k| n.get(k))
    }

    /// The scalar, if this is one that holds a value (not `null`).
    pub fn scalar(&self) -> Option<&Scalar> {
        match self {
            Node::Scalar(s) if !(s.plain && matches!(s.value.as_str(), "" | "~" | "null" | "Null" | "NULL")) => Some(s),
            _ => None,
        }
    }

    /// The items of a sequence (none for anything else).
    pub fn items(&self) -> &[Node] {
        match self {
            Node::Seq(items, _) => items,
            _ => &[],
        }
    }

    /// The entries of a mapping (none for anything else).
    pub fn entries(&self) -> &[(Scalar, Node)] {
        match self {
            Node::Map(entries, _) => entries,
            _ => &[],
        }
    }

    /// Where the node starts.
    pub fn span(&self) -> Span {
        match self {
            Node::Map(_, s) | Node::Seq(_, s) => *s,
            Node::Scalar(s) => s.at,
        }
    }
}

/// A document of the stream and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The root node (`None` for an empty document).
    pub root: Option<Node>,
    /// Where the document starts.
    pub at: Span,
}

/// Byte offsets of parser markers (1-based line, 0-based column in characters).
struct Offsets<'t> {
    text: &'t str,
    starts: Vec<usize>,
    chars: CharIndex,
}

impl<'t> Offsets<'t> {
    fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        let b = text.as_bytes();
        for (i, c) in b.iter().enumerate() {
            if *c == b'\n' || (*c == b'\r' && b.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        Offsets { text, starts, chars: CharIndex::new(text) }
    }

    fn of(&self, m: &Marker) -> usize {
        let Some(&start) = self.starts.get(m.line().saturating_sub(1)) else { return self.text.len() };
        let end = self.starts.get(m.line()).copied().unwrap_or(self.text.len());
        let first = self.chars.chars_before(self.text, start);
        self.chars.byte_of_char(self.text, first + m.col()).min(end)
    }

    /// The span of a scalar starting at `at`: to its closing quote, or its value's length for a plain scalar
    /// written as read, else to the end of its line.
    fn scalar_span(&self, at: usize, value: &str, style: TScalarStyle) -> Span {
        let rest = &self.text[at..];
        let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let end = match style {
            TScalarStyle::Plain if rest.starts_with(value) && !value.is_empty() => value.len(),
            TScalarStyle::SingleQuoted => rest[1..line_end.max(1)].find('\'').map_or(line_end, |i| i + 2),
            TScalarStyle::DoubleQuoted => {
                let b = rest.as_bytes();
                let mut i = 1;
                while i < line_end && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                (i + 1).min(line_end)
            }
            _ => line_end,
        };
        let mut end = end.min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        Span::new(at, at + end)
    }
}

/// One open collection while building.
enum Open {
    Map(Vec<(Scalar, Node)>, Span, Option<Scalar>, Option<usize>),
    Seq(Vec<Node>, Span, Option<usize>),
}

/// Parses every document of a YAML stream; an error is `(byte offset, message)`.
pub fn parse(text: &str) -> Result<Vec<Document>, (usize, String)> {
    let offsets = Offsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut docs = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: std::collections::HashMap<usize, Node> = std::collections::HashMap::new();
    let mut root: Option<Node> = None;
    let mut doc_at = 0;
    let mut nodes = 0usize;
    loop {
        let (event, marker) = parser.next_token().map_err(|e| (offsets.of(e.marker()), e.info().to_string()))?;
        let at = offsets.of(&marker);
        let mut done: Option<(Node, Option<usize>)> = None;
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                doc_at = at;
                root = None;
            }
            Event::DocumentEnd => docs.push(Document { root: root.take(), at: Span::new(doc_at, doc_at) }),
            Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err((at, format!("nested deeper than {MAX_DEPTH} levels")));
                }
                stack.push(Open::Map(Vec::new(), Span::new(at, at), None, (anchor > 0).then_some(anchor)));
            }
            Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err((at, format!("nested deeper than {MAX_DEPTH} levels")));
                }
                stack.push(Open::Seq(Vec::new(), Span::new(at, at), (anchor > 0).then_some(anchor)));
            }
            Event::MappingEnd => match stack.pop() {
                Some(Open::Map(entries, span, _, anchor)) => done = Some((Node::Map(entries, span), anchor)),
                _ => return Err((at, "unbalanced mapping".into())),
            },
            Event::SequenceEnd => match stack.pop() {
                Some(Open::Seq(items, span, anchor)) => done = Some((Node::Seq(items, span), anchor)),
                _ => return Err((at, "unbalanced sequence".into())),
            },
            Event::Scalar(value, style, anchor, _) => {
                let span = offsets.scalar_span(at, &value, style);
                let plain = style == TScalarStyle::Plain;
                done = Some((Node::Scalar(Scalar { value, at: span, plain }), (anchor > 0).then_some(anchor)));
            }
            Event::Alias(id) => {
                let Some(node) = anchors.get(&id) else { return Err((at, "alias of an unknown anchor".into())) };
                nodes += count(node);
                if nodes > MAX_NODES {
                    return Err((at, format!("aliases expand to more than {MAX_NODES} nodes")));
                }
                done = Some((node.clone(), None));
            }
            _ => {}
        }
        let Some((node, anchor)) = done else { continue };
        nodes += 1;
        if let Some(a) = anchor {
            anchors.insert(a, node.clone());
        }
        match stack.last_mut() {
            Some(Open::Seq(items, ..)) => items.push(node),
            Some(Open::Map(entries, _, key, _)) => match key.take() {
                Some(k) => entries.push((k, node)),
                None => {
                    *key = Some(match node {
                        Node::Scalar(s) => s,
                        other => Scalar { value: String::new(), at: other.span(), plain: false },
                    })
                }
            },
            None => root = Some(node),
        }
    }
    Ok(docs)
}

fn count(node: &Node) -> usize {
    match node {
        Node::Scalar(_) => 1,
        Node::Seq(items, _) => 1 + items.iter().map(count).sum::<usize>(),
        Node::Map(entries, _) => 1 + entries.iter().map(|(_, v)| 1 + count(v)).sum::<usize>(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_with_scalar_spans() {
        let text = "a: 1\n---\nkind: FlinkDeployment\nspec:\n  flinkConfiguration:\n    s3.endpoint: \"http://minio:9000\"\n    k: 'x'\n---\n";
        let docs = parse(text).unwrap();
        assert_eq!(docs.len(), 3);
        let d = docs[1].root.as_ref().unwrap();
        let e = d.at(&["spec", "flinkConfiguration", "s3.endpoint"]).unwrap().scalar().unwrap();
        assert_eq!(e.value, "http://minio:9000");
        assert_eq!(&text[e.at.start..e.at.end], "\"http://minio:9000\"");
        let k = d.at(&["spec", "flinkConfiguration", "k"]).unwrap().scalar().unwrap();
        assert_eq!(&text[k.at.start..k.at.end], "'x'");
        assert_eq!(d.get("kind").unwrap().scalar().unwrap().value, "FlinkDeployment");
        assert!(docs[2].root.as_ref().and_then(Node::scalar).is_none(), "an empty document is null");
    }

    #[test]
    fn hostile_input_is_an_error_not_a_crash() {
        let deep = format!("{}1{}", "[".repeat(500), "]".repeat(500));
        let e = parse(&deep).unwrap_err();
        assert!(e.1.contains("deeper") || e.1.contains("recursion"), "{e:?}");
        let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..8 {
            let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
            laughs.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(parse(&laughs).unwrap_err().1.contains("aliases"));
        assert!(parse("a: [1, 2\n").is_err());
    }
}
