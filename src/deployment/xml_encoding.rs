//! The text of a Hadoop XML file as Hadoop's parser (Woodstox) decodes its bytes: a byte-order mark (UTF-8,
//! UTF-16) decides; else the `encoding="…"` of the XML declaration; else UTF-8. ISO-8859-1 is decoded byte by
//! byte, as Java does (not as windows-1252, which web browsers use for that label); other encodings Java
//! knows (windows-1252, ISO-8859-15, Shift_JIS, EUC-JP, GBK, Big5, KOI8-R, …) through `encoding_rs`. Bytes
//! that are not valid in the file's encoding are refused at their position, as Hadoop refuses them.

use std::path::Path;

use encoding_rs::Encoding;

use crate::input::{binary_at, utf8_text};
use crate::source::{LoadError, SourceFile};

/// Decodes the bytes of an XML file read from `path` (shown as `display`).
pub fn decode(bytes: Vec<u8>, path: &Path, display: &str) -> Result<String, LoadError> {
    for (bom, encoding) in [(&b"\xFF\xFE"[..], encoding_rs::UTF_16LE), (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return decode_with(encoding, rest, path, display);
        }
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return utf8_text(bytes, path, display);
    }
    let Some(label) = declared_encoding(&bytes) else { return utf8_text(bytes, path, display) };
    let name = java_name(&label);
    match name.as_str() {
        "utf-8" | "utf8" => utf8_text(bytes, path, display),
        "iso-8859-1" | "latin1" | "latin-1" | "l1" | "iso-ir-100" | "ibm819" | "cp819" | "csisolatin1" | "8859-1" => {
            if let Some(nul) = memchr::memchr(0, &bytes) {
                return Err(binary_at(&bytes, nul, path, display));
            }
            Ok(bytes.iter().map(|&b| char::from(b)).collect())
        }
        "us-ascii" | "ascii" | "iso646-us" | "ascii7" | "646" => match bytes.iter().position(|b| !b.is_ascii()) {
            Some(bad) => Err(invalid_at(&bytes[..bad], path, display, &label)),
            None => utf8_text(bytes, path, display),
        },
        "utf-16" | "utf-16le" | "utf-16be" | "utf-32" | "utf-32le" | "utf-32be" => {
            let probe = SourceFile::new(display, path, String::from_utf8_lossy(&bytes).into_owned());
            let at = probe.text.find(label.as_str()).unwrap_or(0);
            Err(LoadError::at(
                &probe,
                at,
                format!(
                    "the file declares encoding=\"{label}\" but is written in a single-byte encoding (no byte-order mark)"
                ),
            ))
        }
        _ => match Encoding::for_label(name.as_bytes()) {
            Some(encoding) => decode_with(encoding, &bytes, path, display),
            None => {
                let probe = SourceFile::new(display, path, String::from_utf8_lossy(&bytes).into_owned());
                let at = probe.text.find(label.as_str()).unwrap_or(0);
                Err(LoadError::at(
                    &probe,
                    at,
                    format!("the file declares encoding=\"{label}\", which s3lint cannot decode"),
                ))
            }
        },
    }
}

/// Decodes `bytes` as `encoding`; malformed bytes are refused at their position.
fn decode_with(encoding: &'static Encoding, bytes: &[u8], path: &Path, display: &str) -> Result<String, LoadError> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2 + 16);
    let mut read = 0;
    loop {
        out.reserve(decoder.max_utf8_buffer_length_without_replacement(bytes.len() - read).unwrap_or(1024));
        let (result, n) = decoder.decode_to_string_without_replacement(&bytes[read..], &mut out, true);
        read += n;
        match result {
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::OutputFull => continue,
            encoding_rs::DecoderResult::Malformed(_, _) => {
                let probe = SourceFile::new(display, path, out);
                let at = probe.text.len();
                return Err(LoadError::at(
                    &probe,
                    at,
                    format!("bytes that are not valid {}: the file is not text in its encoding", encoding.name()),
                ));
            }
        }
    }
    if let Some(nul) = out.find('\0') {
        let probe = SourceFile::new(display, path, out[..nul].to_string());
        let at = probe.text.len();
        return Err(LoadError::at(&probe, at, "binary data (a NUL character): this is not a text configuration file"));
    }
    Ok(out)
}

/// The error for a byte that is not valid in the declared encoding.
fn invalid_at(good: &[u8], path: &Path, display: &str, label: &str) -> LoadError {
    let probe = SourceFile::new(display, path, String::from_utf8_lossy(good).into_owned());
    LoadError::at(
        &probe,
        probe.text.len(),
        format!("a byte that is not valid {label}: the file is not text in its encoding"),
    )
}

/// The `encoding` pseudo-attribute of an XML declaration at the very start of the bytes.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].trim().to_string())
}

/// A Java charset name in the spelling `encoding_rs` knows: lower case, `_` as `-`, `Cp1252` as
/// `windows-1252`, `ISO8859-15` as `iso-8859-15`.
fn java_name(label: &str) -> String {
    let l = label.trim().to_ascii_lowercase().replace('_', "-");
    if let Some(n) = l.strip_prefix("cp125") {
        return format!("windows-125{n}");
    }
    if let Some(n) = l.strip_prefix("iso8859-") {
        return format!("iso-8859-{n}");
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> Result<String, LoadError> {
        decode(bytes.to_vec(), Path::new("core-site.xml"), "core-site.xml")
    }

    #[test]
    fn latin1_is_decoded_byte_by_byte_like_java() {
        let doc = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<c>caf\xe9 \x80</c>";
        assert_eq!(text(doc).expect("latin-1"), "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<c>café \u{80}</c>");
        // A UTF-8 file declared ISO-8859-1 is read the way Hadoop reads it: each byte one character.
        let utf8 = "<?xml version='1.0' encoding='latin1'?><c>é</c>";
        assert_eq!(text(utf8.as_bytes()).expect("mojibake"), "<?xml version='1.0' encoding='latin1'?><c>Ã©</c>");
    }

    #[test]
    fn other_declared_encodings_and_byte_order_marks() {
        let cp1252 = b"<?xml version=\"1.0\" encoding=\"Cp1252\"?><c>\x80</c>";
        assert_eq!(text(cp1252).expect("windows-1252"), "<?xml version=\"1.0\" encoding=\"Cp1252\"?><c>€</c>");
        let sjis = b"<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><c>\x93\xfa\x96\x7b</c>";
        assert!(text(sjis).expect("shift_jis").contains("日本"));
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("<c>é</c>".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(text(&utf16).expect("utf-16le"), "<c>é</c>");
        assert_eq!(text(b"\xEF\xBB\xBF<c/>").expect("utf-8 bom"), "<c/>");
    }

    #[test]
    fn bytes_invalid_in_the_encoding_are_refused_at_their_position() {
        let e = text(b"<?xml version=\"1.0\"?>\n<c>caf\xe9</c>").expect_err("not utf-8");
        assert_eq!(e.position.map(|p| (p.line, p.column)), Some((2, 7)));
        let e = text(b"<?xml version=\"1.0\" encoding=\"US-ASCII\"?>\n<c>\xe9</c>").expect_err("not ascii");
        assert_eq!(e.position.map(|p| (p.line, p.column)), Some((2, 4)));
        let e = text(b"<?xml version=\"1.0\" encoding=\"x-no-such\"?><c/>").expect_err("unknown");
        assert!(e.message.contains("x-no-such"), "{e}");
        let e = text(b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><c/>").expect_err("utf-16 without bom");
        assert!(e.message.contains("UTF-16"), "{e}");
        let e = text(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><c>\x00</c>").expect_err("nul");
        assert!(e.message.contains("binary"), "{e}");
    }
}
