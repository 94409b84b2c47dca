//! How a fixed text goes back to the file's bytes in the file's own encoding. s3lint reads every file as text
//! (UTF-8, or for Hadoop XML the encoding its byte-order mark or declaration names); a file is written back
//! only when encoding the text it was read as gives back exactly the bytes on disk, so the bytes outside an edit
//! cannot change.

use encoding_rs::Encoding;

/// The encoding a file's text is written back in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// UTF-8, as read.
    Utf8,
    /// UTF-8 behind a byte-order mark that the reader dropped from the text.
    Utf8Bom,
    /// ISO-8859-1, one byte per character, as Java decodes it.
    Latin1,
    /// UTF-16 with a byte-order mark (little-endian when true).
    Utf16 { little_endian: bool },
    /// Another encoding an XML declaration named (windows-1252, Shift_JIS, ...).
    Other(&'static Encoding),
}

impl Codec {
    /// The codec that turns `text` back into exactly `bytes`, if there is one.
    pub fn detect(text: &str, bytes: &[u8]) -> Option<Codec> {
        if text.as_bytes() == bytes {
            return Some(Codec::Utf8);
        }
        let mut candidates = vec![
            Codec::Utf8Bom,
            Codec::Latin1,
            Codec::Utf16 { little_endian: true },
            Codec::Utf16 { little_endian: false },
        ];
        if let Some(e) = declared(text) {
            candidates.push(Codec::Other(e));
        }
        candidates.into_iter().find(|c| c.encode(text).as_deref() == Some(bytes))
    }

    /// True when a unified diff in this encoding can be applied by `patch` (every encoding but UTF-16).
    pub fn diffable(self) -> bool {
        !matches!(self, Codec::Utf16 { .. })
    }

    /// `text` in this encoding, or `None` when a character has no encoding in it.
    pub fn encode(self, text: &str) -> Option<Vec<u8>> {
        match self {
            Codec::Utf8 => Some(text.as_bytes().to_vec()),
            Codec::Utf8Bom => Some([b"\xEF\xBB\xBF", text.as_bytes()].concat()),
            Codec::Latin1 => text.chars().map(|c| u8::try_from(u32::from(c)).ok()).collect(),
            Codec::Utf16 { little_endian } => {
                let mut out = if little_endian { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
                for unit in text.encode_utf16() {
                    out.extend(if little_endian { unit.to_le_bytes() } else { unit.to_be_bytes() });
                }
                Some(out)
            }
            Codec::Other(e) => {
                let (bytes, _, unmappable) = e.encode(text);
                (!unmappable && e.output_encoding() == e).then(|| bytes.into_owned())
            }
        }
    }
}

/// The encoding an XML declaration at the start of `text` names, when `encoding_rs` knows it.
fn declared(text: &str) -> Option<&'static Encoding> {
    let decl = text.trim_start_matches('\u{feff}').strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let rest = &decl[decl.find("encoding")? + "encoding".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let label = &rest[1..][..rest[1..].find(quote)?];
    Encoding::for_label(label.trim().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codec_is_the_one_that_gives_back_the_bytes() {
        let latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><c>caf\u{e9}</c>";
        let bytes: Vec<u8> = latin1.chars().map(|c| c as u8).collect();
        assert_eq!(Codec::detect(latin1, &bytes), Some(Codec::Latin1));
        assert_eq!(Codec::detect("plain", b"plain"), Some(Codec::Utf8));
        assert_eq!(Codec::detect("a: b", b"\xEF\xBB\xBFa: b"), Some(Codec::Utf8Bom));
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("<c/>".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(Codec::detect("<c/>", &utf16), Some(Codec::Utf16 { little_endian: true }));
        let sjis = "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><c>\u{65e5}</c>";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(sjis);
        assert_eq!(Codec::detect(sjis, &bytes), Some(Codec::Other(encoding_rs::SHIFT_JIS)));
        // Nothing turns this text into these bytes: the file is not written.
        assert_eq!(Codec::detect("abc", b"abd"), None);
    }
}
