//! `s3lint config`: each configuration file as its real reader sees it when loaded alone (secrets redacted).

use serde_json::{Value, json};

use crate::deployment::Deployment;
use crate::deployment::config::Entry;
use crate::redact::{credential_like_ranges, must_redact_key, redact_value};

/// A value as it may be shown: redacted for secret keys, with embedded key ids and URI credentials masked.
pub fn shown(key: &str, value: &str) -> String {
    if must_redact_key(key) && !value.is_empty() {
        return redact_value(value);
    }
    let mut out = value.to_string();
    let mut ranges = credential_like_ranges(value);
    ranges.sort_by_key(|r| std::cmp::Reverse(r.0));
    for (s, e) in ranges {
        out.replace_range(s..e, &redact_value(&value[s..e]));
    }
    out
}

/// The JSON document of DESIGN.md's `config` contract.
pub fn json(d: &Deployment) -> String {
    let files: Vec<Value> = d
        .configs
        .iter()
        .map(|c| {
            let entries: Vec<Value> = c
                .entries
                .iter()
                .map(|e| {
                    let p = d.sources.get(e.key_at.file).position(e.key_at.span.start);
                    let mut v = json!({
                        "key": e.key,
                        "value": shown(&e.key, &e.value),
                        "raw": shown(&e.key, &e.raw),
                        "line": p.line,
                        "final": e.is_final,
                    });
                    if e.key_at.file != c.file {
                        v["file"] = json!(d.sources.get(e.key_at.file).display);
                    }
                    if e.machine_dependent {
                        v["machine_dependent"] = json!(true);
                    }
                    v
                })
                .collect();
            json!({ "file": d.sources.get(c.file).display, "kind": c.kind.as_str(), "entries": entries })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&json!({ "version": 1, "files": files })).unwrap_or_default();
    s.push('\n');
    super::finish(d, s)
}

/// A plain listing: a header per file, then `key = value` with line numbers.
pub fn human(d: &Deployment) -> String {
    let mut out = String::new();
    for c in &d.configs {
        out.push_str(&format!("# {} ({})\n", d.sources.get(c.file).display, c.kind.as_str()));
        for e in &c.entries {
            out.push_str(&line(d, c.file, e));
        }
        out.push('\n');
    }
    super::finish(d, out)
}

fn line(d: &Deployment, file: crate::source::FileId, e: &Entry) -> String {
    let src = d.sources.get(e.key_at.file);
    let p = src.position(e.key_at.span.start);
    let mut notes = Vec::new();
    if e.key_at.file != file {
        notes.push(format!("from {}", src.display));
    }
    if e.is_final {
        notes.push("final".to_string());
    }
    if e.raw != e.value {
        notes.push(format!("raw: {}", shown(&e.key, &e.raw)));
    }
    if e.machine_dependent {
        notes.push("machine-dependent".to_string());
    }
    let tail = if notes.is_empty() { String::new() } else { format!("    # {}", notes.join(", ")) };
    format!("{:>5}  {} = {}{}\n", p.line, e.key, shown(&e.key, &e.value), tail)
}
