//! Adding a key to a configuration file in that file's own syntax and layout: a Hadoop XML `<property>` after
//! the file's last property, laid out like it (one line, or `<name>` / `<value>` on their own lines with the
//! file's indentation); `key: value` at the end of a Flink `flink-conf.yaml` or `config.yaml` (a flat key is
//! valid in a nested `config.yaml` too: Flink flattens nested keys with `.`); `key value` at the end of
//! `spark-defaults.conf`, separated like the file's last setting. The file's line ending is used.

use crate::deployment::config::{ConfigFile, ConfigKind};
use crate::source::{SourceFile, Span};

use super::edits::{line_end, line_ending, line_start};

/// Where and what to insert into `config` (whose text is `file`) to define `key` as `value` (both plain ASCII
/// names and paths, nothing to escape); `None` when the file gives no safe place.
pub fn add_key(file: &SourceFile, config: &ConfigFile, key: &str, value: &str) -> Option<(Span, String)> {
    let text = file.text.as_str();
    let nl = line_ending(text);
    match config.kind {
        ConfigKind::HadoopXml => xml_property(file, config, key, value),
        ConfigKind::FlinkConf | ConfigKind::FlinkYaml => Some(append(text, &format!("{key}: {value}"), nl)),
        ConfigKind::SparkConf => {
            let sep = last_separator(file, config).unwrap_or_else(|| " ".to_string());
            let sep = if sep.contains(['=', ':']) { sep } else { pad(&sep, last_key_len(config), key.len()) };
            Some(append(text, &format!("{key}{sep}{value}"), nl))
        }
    }
}

/// A new last line `line` (the file's last line gets its line break first, if it has none).
fn append(text: &str, line: &str, nl: &str) -> (Span, String) {
    let lead = if text.is_empty() || text.ends_with('\n') { "" } else { nl };
    (Span::new(text.len(), text.len()), format!("{lead}{line}{nl}"))
}

/// The text between the key and the value of the file's last definition in it, when it is whitespace or a
/// `=`/`:` with spaces (a value continued over lines or with escapes gives nothing to copy).
fn last_separator(file: &SourceFile, config: &ConfigFile) -> Option<String> {
    let last = config.definitions.iter().rev().find(|d| d.key_at.file == config.file)?;
    let sep = file.text.get(last.key_at.span.end..last.value_at.span.start)?;
    let ok = !sep.is_empty() && sep.chars().all(|c| matches!(c, ' ' | '\t' | '=' | ':'));
    ok.then(|| sep.to_string())
}

fn last_key_len(config: &ConfigFile) -> usize {
    config.definitions.iter().rev().find(|d| d.key_at.file == config.file).map(|d| d.key.len()).unwrap_or(0)
}

/// A whitespace separator that aligns the value in the column of the last setting's value (spaces aligned
/// for spaces; a tab or a key that is longer gets one separator character).
fn pad(sep: &str, last_key: usize, key: usize) -> String {
    if sep.chars().all(|c| c == ' ') && last_key + sep.len() > key {
        " ".repeat(last_key + sep.len() - key)
    } else {
        sep.chars().next().unwrap_or(' ').to_string()
    }
}

/// A `<property>` after the last property of the file itself (not of an XInclude), in its layout; before
/// `</configuration>` when the file has none.
fn xml_property(file: &SourceFile, config: &ConfigFile, key: &str, value: &str) -> Option<(Span, String)> {
    let text = file.text.as_str();
    let nl = line_ending(text);
    let Some(last) = config.definitions.iter().rev().find(|d| d.key_at.file == config.file) else {
        let close = text.rfind("</configuration>")?;
        let at = line_start(text, close);
        if !text[at..close].trim().is_empty() {
            return Some((Span::new(close, close), format!("{nl}  {}{nl}", one_line(key, value))));
        }
        return Some((Span::new(at, at), format!("  {}{nl}", one_line(key, value))));
    };
    let after = last.value_at.span.end.max(last.key_at.span.end);
    let close = after + text.get(after..)?.find("</property>")? + "</property>".len();
    let open = text.get(..last.key_at.span.start)?.rfind("<property")?;
    let indent = leading_space(text, open)?;
    let name_line = line_start(text, last.key_at.span.start);
    let block = if name_line <= open {
        format!("{indent}{}", one_line(key, value))
    } else {
        let inner = leading_space(text, text[..last.key_at.span.start].rfind("<name")?)?;
        let value_line = line_start(text, last.value_at.span.start);
        let body = if value_line == name_line {
            format!("{inner}<name>{key}</name><value>{value}</value>{nl}")
        } else {
            format!("{inner}<name>{key}</name>{nl}{inner}<value>{value}</value>{nl}")
        };
        format!("{indent}<property>{nl}{body}{indent}</property>")
    };
    let end = line_end(text, close);
    if text[close..end].trim().is_empty() && end > close && text[..end].ends_with('\n') {
        Some((Span::new(end, end), format!("{block}{nl}")))
    } else {
        // Something follows `</property>` on its line (`</property></configuration>`): a line of its own.
        Some((Span::new(close, close), format!("{nl}{block}")))
    }
}

fn one_line(key: &str, value: &str) -> String {
    format!("<property><name>{key}</name><value>{value}</value></property>")
}

/// The whitespace before `offset` on its line, when only whitespace precedes it there.
fn leading_space(text: &str, offset: usize) -> Option<&str> {
    let start = line_start(text, offset);
    let lead = &text[start..offset];
    lead.chars().all(|c| c == ' ' || c == '\t').then_some(lead)
}
