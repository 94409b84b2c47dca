//! Hover on a key: what rules/keys.yaml knows of it (type, default, the versions that read it, deprecation and
//! replacement, per-bucket form, sources), for Hadoop keys, Spark's `spark.hadoop.` spellings of them, Flink's
//! `s3.` / `s3a.` forwarding of them and Flink's own keys.

use crate::knowledge::keys::{FlinkKeyInfo, KeyCatalogue, KeyInfo, ValueType, catalogue};

/// The key-like word at byte `offset` of `text` (letters, digits, `.`, `-`, `_`), with where it starts.
pub fn word_at(text: &str, offset: usize) -> Option<(usize, &str)> {
    let is_key = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    let offset = offset.min(text.len());
    let start = text[..offset]
        .rfind(|c: char| !is_key(c))
        .map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
    let end = text[offset..].find(|c: char| !is_key(c)).map_or(text.len(), |i| offset + i);
    (start < end).then(|| (start, &text[start..end]))
}

/// The hover text (Markdown) of a written key, `None` when the catalogue does not know it.
pub fn describe(written: &str) -> Option<String> {
    let cat = catalogue();
    let (key, via) = match written.strip_prefix("spark.hadoop.") {
        Some(rest) => (rest, Some(format!("Spark passes `{written}` to Hadoop as `{rest}`."))),
        None => (written, None),
    };
    if let Some((info, bucket)) = cat.resolve(key) {
        return Some(hadoop(cat, info, bucket.as_deref(), via.as_deref()));
    }
    if let Some(info) = cat.flink(key) {
        return Some(flink(cat, info));
    }
    let rest = key.strip_prefix("s3.").or_else(|| key.strip_prefix("s3a."))?;
    let (info, bucket) = cat.resolve(&format!("fs.s3a.{rest}"))?;
    let via = format!("Flink's S3 plugin (flink-s3-fs-hadoop) passes `{key}` to Hadoop as `fs.s3a.{rest}`.");
    Some(hadoop(cat, info, bucket.as_deref(), Some(&via)))
}

fn hadoop(cat: &KeyCatalogue, k: &KeyInfo, bucket: Option<&str>, via: Option<&str>) -> String {
    let mut out = format!("**`{}`** — Hadoop S3A configuration key\n\n", k.key);
    if let Some(via) = via {
        out.push_str(&format!("{via}\n\n"));
    }
    if let Some(b) = bucket {
        out.push_str(&format!("Per-bucket setting for bucket `{b}`: overrides `{}` for `s3a://{b}/`.\n\n", k.key));
    }
    out.push_str(&format!("- **type**: {}\n", type_text(k.value_type, k.unit.as_deref())));
    if let Some(d) = &k.default {
        out.push_str(&format!("- **default**: `{d}`\n"));
    }
    if !k.values.is_empty() {
        out.push_str(&format!("- **values**: {}\n", code_list(&k.values)));
    }
    out.push_str(&format!("- **versions**: {}\n", versions("Hadoop", k.since.as_deref(), k.removed_in.as_deref())));
    for o in &k.older {
        let mut what = Vec::new();
        if let Some(t) = o.value_type {
            what.push(format!("type {}", type_text(t, o.unit.as_deref())));
        }
        if let Some(d) = &o.default {
            what.push(format!("default `{d}`"));
        }
        if let Some(u) = o.unit.as_ref().filter(|_| o.value_type.is_none()) {
            what.push(format!("a bare number means `{u}`"));
        }
        let from = o.from.as_deref().map(|f| format!(" (checked from {f})")).unwrap_or_default();
        out.push_str(&format!("- **before Hadoop {}**{from}: {}\n", o.before, what.join(", ")));
    }
    if let Some(d) = &k.deprecated {
        let since = k.deprecated_in.as_deref().map(|v| format!(" since Hadoop {v}")).unwrap_or_default();
        out.push_str(&format!("- **deprecated**{since}: {d}\n"));
    }
    if bucket.is_none()
        && k.per_bucket.unwrap_or(true)
        && let Some(suffix) = k.key.strip_prefix("fs.s3a.").filter(|s| !s.starts_with("bucket."))
    {
        out.push_str(&format!("- **per bucket**: `fs.s3a.bucket.<bucket>.{suffix}`\n"));
    }
    out.push_str(&sources(cat, &k.source));
    crate::redact::mask_text(&out)
}

fn flink(cat: &KeyCatalogue, k: &FlinkKeyInfo) -> String {
    let plugin = match k.plugin.as_str() {
        "core" => "Flink configuration key".to_string(),
        "both" => "Flink S3 filesystem key (flink-s3-fs-hadoop and flink-s3-fs-presto)".to_string(),
        p => format!("Flink S3 filesystem key (flink-s3-fs-{p})"),
    };
    let mut out = format!("**`{}`** — {plugin}\n\n", k.key);
    out.push_str(&format!("- **type**: {}\n", type_text(k.value_type, None)));
    if let Some(d) = &k.default {
        out.push_str(&format!("- **default**: `{d}`\n"));
    }
    if !k.values.is_empty() {
        out.push_str(&format!("- **values**: {}\n", code_list(&k.values)));
    }
    if let Some(f) = &k.fallback_of {
        out.push_str(&format!("- **fallback of**: `{f}` (read only when `{f}` is not set)\n"));
    }
    out.push_str(&format!("- **versions**: {}\n", versions("Flink", k.since.as_deref(), k.removed_in.as_deref())));
    if let Some(d) = &k.deprecated {
        out.push_str(&format!("- **deprecated**: {d}\n"));
    }
    out.push_str(&sources(cat, &k.source));
    crate::redact::mask_text(&out)
}

/// `int`, `duration (a bare number means ms)`, ...
fn type_text(t: ValueType, unit: Option<&str>) -> String {
    let name = format!("{t:?}").to_lowercase();
    match unit {
        Some(u) => format!("`{name}` (a bare number means `{u}`)"),
        None => format!("`{name}`"),
    }
}

fn versions(product: &str, since: Option<&str>, removed: Option<&str>) -> String {
    match (since, removed) {
        (Some(s), Some(r)) => format!("{product} {s} up to (not including) {r}"),
        (Some(s), None) => format!("{product} {s} and later"),
        (None, Some(r)) => format!("no effect from {product} {r} on"),
        (None, None) => format!("every {product} release s3lint knows"),
    }
}

fn code_list(values: &[String]) -> String {
    values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
}

/// The cited sources, one line each.
fn sources(cat: &KeyCatalogue, tags: &str) -> String {
    let mut out = String::from("\n**Sources** (rules/keys.yaml):\n");
    for tag in tags.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let citation = cat.sources.get(tag).map(String::as_str).unwrap_or("");
        out.push_str(&format!("- {tag}: {citation}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_stop_at_markup_and_separators() {
        let text = "<name>fs.s3a.endpoint</name>";
        assert_eq!(word_at(text, 10), Some((6, "fs.s3a.endpoint")));
        assert_eq!(word_at("s3.endpoint: x", 0), Some((0, "s3.endpoint")));
        assert_eq!(word_at("a: ", 2), None);
    }

    #[test]
    fn spellings_resolve_to_the_catalogued_key() {
        let bucket = describe("fs.s3a.bucket.logs.connection.maximum").unwrap();
        assert!(bucket.contains("bucket `logs`") && bucket.contains("`500`"), "{bucket}");
        let spark = describe("spark.hadoop.fs.s3a.connection.maximum").unwrap();
        assert!(spark.contains("Spark passes"), "{spark}");
        let flink = describe("s3.connection.maximum").unwrap();
        assert!(flink.contains("as `fs.s3a.connection.maximum`"), "{flink}");
        assert!(describe("fs.s3a.no.such.key").is_none());
    }
}
