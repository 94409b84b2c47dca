//! Secrets in a Hadoop XML file beyond the values Hadoop reads: inside a `<property>` whose name holds a
//! credential — or that has no name Hadoop sees (`<nmae>`, none at all) — every other text is secret too: a
//! misspelt `<vaule>`, a `<description>`, a comment, the attributes (`vaule="…"`).
//!
//! The file was already read (and validated) by [`crate::deployment::hadoop_xml`]; this is a lenient second walk
//! over the same text with the same XML library, that only collects where each text of a property is.

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::redact::SecretName;
use crate::source::Span;

/// A text inside a `<property>`: which element (or attribute) holds it, and where.
struct Piece {
    holder: String,
    span: Span,
}

/// What is written inside one `<property>` element.
#[derive(Default)]
struct Property {
    /// The `name` attribute's value, the `<name>` texts, and texts of elements misspelt for `<name>`.
    names: Vec<Piece>,
    /// Everything else: other elements' texts, other attributes' values, comments.
    others: Vec<Piece>,
}

/// The spans of `text` (a Hadoop XML file) that are secret because of the property they are written in.
pub(super) fn property_secrets(text: &str, judge: &mut dyn FnMut(&str) -> Option<SecretName>) -> Vec<Span> {
    let mut reader = Reader::from_str(text);
    {
        let config = reader.config_mut();
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.allow_dangling_amp = true;
        config.trim_text(false);
    }
    let mut out = Vec::new();
    let mut property: Option<Property> = None;
    let mut stack: Vec<String> = Vec::new();
    loop {
        let before = offset(reader.buffer_position());
        let Ok(event) = reader.read_event() else { break };
        let after = offset(reader.buffer_position());
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => {
                let local = e.local_name().as_ref().to_string();
                if local == "property" {
                    if let Some(p) = property.take() {
                        finish(text, p, judge, &mut out);
                    }
                    property = Some(Property::default());
                }
                if let Some(p) = property.as_mut() {
                    attributes(text, &e, &local, p);
                }
                if empty {
                    if local == "property"
                        && let Some(p) = property.take()
                    {
                        finish(text, p, judge, &mut out);
                    }
                } else {
                    stack.push(local);
                }
            }
            Event::End(_) => {
                if stack.pop().as_deref() == Some("property")
                    && let Some(p) = property.take()
                {
                    finish(text, p, judge, &mut out);
                }
            }
            Event::Text(_) | Event::GeneralRef(_) => {
                if let Some(p) = property.as_mut() {
                    add(p, stack.last().map_or("", String::as_str), Span::new(before, after));
                }
            }
            Event::CData(_) => {
                if let Some(p) = property.as_mut() {
                    let span = Span::new((before + "<![CDATA[".len()).min(after), after.saturating_sub(3));
                    add(p, stack.last().map_or("", String::as_str), span);
                }
            }
            Event::Comment(_) => {
                if let Some(p) = property.as_mut() {
                    let span = Span::new((before + 4).min(after), after.saturating_sub(3));
                    p.others.push(Piece { holder: "!--".into(), span });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(p) = property.take() {
        finish(text, p, judge, &mut out);
    }
    out
}

/// True for `name` and the elements Hadoop's reader would take for a misspelt `<name>` (`<nmae>`, `<Name>`).
fn is_name_element(local: &str) -> bool {
    local == "name" || super::super::hadoop_xml::suggest_element(local) == Some("name")
}

fn add(p: &mut Property, holder: &str, span: Span) {
    let piece = Piece { holder: holder.to_string(), span };
    if is_name_element(holder) { p.names.push(piece) } else { p.others.push(piece) }
}

fn attributes(text: &str, e: &BytesStart<'_>, local: &str, p: &mut Property) {
    for attr in e.attributes().flatten() {
        if attr.key.as_namespace_binding().is_some() {
            continue;
        }
        let Some(start) = offset_in(text, &attr.value) else { continue };
        let span = Span::new(start, start + attr.value.len());
        let holder = attr.key.local_name().as_ref().to_string();
        if local == "property" && is_name_element(&holder) {
            p.names.push(Piece { holder, span });
        } else {
            p.others.push(Piece { holder, span });
        }
    }
}

/// Marks the other texts of a property whose name holds a credential, or that has no name.
fn finish(text: &str, p: Property, judge: &mut dyn FnMut(&str) -> Option<SecretName>, out: &mut Vec<Span>) {
    // A blank `<name>   </name>` is a name (Hadoop trims it to the key ""); no name text at all is none.
    let secret = p.names.is_empty() || p.names.iter().any(|n| judge(text[n.span.start..n.span.end].trim()).is_some());
    if !secret {
        return;
    }
    for piece in p.others.iter().filter(|o| o.holder != "final") {
        let t = &text[piece.span.start..piece.span.end];
        let lead = t.len() - t.trim_start().len();
        let span = Span::new(piece.span.start + lead, piece.span.start + t.trim_end().len());
        if span.end > span.start {
            out.push(span);
        }
    }
}

/// The byte offset of `part` inside `whole`, when `part` is a slice of it.
fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (start + part.len() <= whole.len()).then_some(start)
}

fn offset(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret_texts(xml: &str) -> Vec<&str> {
        let mut judge = crate::redact::classify;
        property_secrets(xml, &mut judge).into_iter().map(|s| &xml[s.start..s.end]).collect()
    }

    #[test]
    fn texts_beside_a_secret_name_are_secret() {
        let xml = "<configuration><property><name>fs.s3a.secret.key</name>\n<vaule>Zr8/jKq2abcdefgh</vaule>\
                   <!-- was Zr8/jKq2old -->\n<description>the old one: Zr8/jKq2older</description>\
                   <final>true</final></property>\
                   <property name=\"fs.s3a.access.key\" vaule=\"ABCDEFGHIJKLMNOP\"/>\
                   <property><name>fs.s3a.endpoint</name><value>s3.amazonaws.com</value>\
                   <description>public</description></property></configuration>";
        assert_eq!(
            secret_texts(xml),
            ["Zr8/jKq2abcdefgh", "was Zr8/jKq2old", "the old one: Zr8/jKq2older", "ABCDEFGHIJKLMNOP"]
        );
    }

    #[test]
    fn a_property_without_a_name_hides_its_texts() {
        let xml = "<configuration><property><value>Zr8/jKq2abcdefgh</value></property>\
                   <property><nmae>fs.s3a.secret.key</nmae><value><![CDATA[Zr8/jKq2cdata]]></value></property>\
                   <property><nmae>fs.s3a.endpoint</nmae><value>s3.amazonaws.com</value></property></configuration>";
        assert_eq!(secret_texts(xml), ["Zr8/jKq2abcdefgh", "Zr8/jKq2cdata"]);
    }
}
