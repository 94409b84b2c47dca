//! The documents the client has open: their text as the editor holds it (unsaved changes applied), the file
//! each stands for, and what the last check of it found.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::diagnostics::Fix;
use super::position::{Encoding, span};

/// One open document.
#[derive(Debug)]
pub struct Document {
    /// The client's URI for it.
    pub uri: Uri,
    /// The local file it stands for (`None` for a URI that is not `file:`).
    pub path: Option<PathBuf>,
    /// The editor's text.
    pub text: String,
    /// The safe fixes of the last check, for code actions.
    pub fixes: Vec<Fix>,
}

/// Every open document, by URI.
#[derive(Debug, Default)]
pub struct Documents {
    open: BTreeMap<String, Document>,
}

impl Documents {
    /// Records an opened document.
    pub fn open(&mut self, uri: Uri, text: String) {
        let path = file_path(&uri);
        self.open.insert(uri.as_str().to_string(), Document { uri, path, text, fixes: Vec::new() });
    }

    /// Applies the client's changes, in order (a change without a range replaces the whole text).
    pub fn change(&mut self, uri: &Uri, changes: Vec<TextDocumentContentChangeEvent>, encoding: Encoding) {
        let Some(doc) = self.open.get_mut(uri.as_str()) else { return };
        for change in changes {
            match change.range {
                None => doc.text = change.text,
                Some(range) => {
                    let at = span(&doc.text, range, encoding);
                    doc.text.replace_range(at.start..at.end, &change.text);
                }
            }
        }
    }

    /// Forgets a closed document.
    pub fn close(&mut self, uri: &Uri) {
        self.open.remove(uri.as_str());
    }

    /// The open document at `uri`.
    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.open.get(uri.as_str())
    }

    /// The open document at `uri`, to update.
    pub fn get_mut(&mut self, uri: &Uri) -> Option<&mut Document> {
        self.open.get_mut(uri.as_str())
    }

    /// The URIs of every open document.
    pub fn uris(&self) -> Vec<Uri> {
        self.open.values().map(|d| d.uri.clone()).collect()
    }
}

/// The local path of a `file:` URI, percent-decoded (`file:///opt/my%20flink/conf/config.yaml`).
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    // `file://localhost/...` and `file:///...`; a path after the authority.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = percent_decode(rest)?;
    let text = String::from_utf8(bytes).ok()?;
    // A Windows drive path arrives as `/C:/...`.
    let text = match text.as_bytes() {
        [b'/', d, b':', ..] if d.is_ascii_alphabetic() && cfg!(windows) => text[1..].to_string(),
        _ => text,
    };
    Some(PathBuf::from(text))
}

/// The `file:` URI of a local path, percent-encoding everything but unreserved characters and `/`.
pub fn file_uri(path: &Path) -> Option<Uri> {
    let absolute = std::path::absolute(path).ok()?;
    let text = absolute.to_str()?.replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.parse().ok()
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_with_spaces_and_non_ascii() {
        let uri: Uri = "file:///opt/my%20flink/conf/caf%C3%A9.yaml".parse().unwrap();
        assert_eq!(file_path(&uri), Some(PathBuf::from("/opt/my flink/conf/café.yaml")));
        let back = file_uri(Path::new("/opt/my flink/conf/café.yaml")).unwrap();
        assert_eq!(back.as_str(), uri.as_str());
        assert_eq!(file_path(&"untitled:Untitled-1".parse().unwrap()), None);
    }

    #[test]
    fn incremental_changes_apply_in_utf16_units() {
        let mut docs = Documents::default();
        let uri: Uri = "file:///tmp/core-site.xml".parse().unwrap();
        docs.open(uri.clone(), "é<name>fs.s3a.x</name>".to_string());
        let range = lsp_types::Range::new(lsp_types::Position::new(0, 14), lsp_types::Position::new(0, 15));
        let change = TextDocumentContentChangeEvent { range: Some(range), range_length: None, text: "endpoint".into() };
        docs.change(&uri, vec![change], Encoding::Utf16);
        assert_eq!(docs.get(&uri).unwrap().text, "é<name>fs.s3a.endpoint</name>");
    }
}
