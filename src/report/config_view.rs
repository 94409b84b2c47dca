//! `s3lint config`: each configuration file as its real reader sees it when loaded alone (secrets redacted).

use serde_json::{Value, json};

use crate::deployment::Deployment;
use crate::deployment::config::Entry;
use crate::redact::{mask_text, redact_value};

/// `text` (the value or raw value of `e`) as it may be shown: redacted when the definition's value is a secret
/// (decided by the deployment), otherwise with the secrets inside it (URI user-info, key ids, `-D…secret…=`)
/// masked.
pub fn shown(d: &Deployment, e: &Entry, text: &str) -> String {
    if d.is_secret_value(e) && !text.is_empty() { redact_value(text) } else { mask_text(text) }
}

/// The JSON document of DESIGN.md's `config` contract.
pub fn json(d: &Deployment) -> String {
    let files: Vec<Value> = d
        .configs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let entries: Vec<Value> = c
                .entries
                .iter()
                .map(|e| {
                    let p = d.sources.get(e.key_at.file).position(e.key_at.span.start);
                    let mut v = json!({
                        "key": mask_text(&e.key),
                        "value": shown(d, e, &e.value),
                        "raw": shown(d, e, &e.raw),
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
            let mut file =
                json!({ "file": d.sources.get(c.file).display, "kind": c.kind.as_str(), "entries": entries });
            if d.is_unread(i) {
                // A Flink configuration file this Flink version does not read (`flink-conf-file-ignored`).
                file["ignored"] = json!(true);
            }
            file
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&json!({ "version": 1, "files": files })).unwrap_or_default();
    s.push('\n');
    super::finish(d, s)
}

/// A plain listing: a header per file, then `key = value` with line numbers.
pub fn human(d: &Deployment) -> String {
    let mut out = String::new();
    for (i, c) in d.configs.iter().enumerate() {
        let ignored = match &d.flink_version {
            Some(f) if d.is_unread(i) => format!(" — not read by Flink {}", f.version),
            _ => String::new(),
        };
        out.push_str(&format!("# {} ({}){ignored}\n", d.sources.get(c.file).display, c.kind.as_str()));
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
        notes.push(format!("raw: {}", shown(d, e, &e.raw)));
    }
    if e.machine_dependent {
        notes.push("machine-dependent".to_string());
    }
    let tail = if notes.is_empty() { String::new() } else { format!("    # {}", notes.join(", ")) };
    format!("{:>5}  {} = {}{}\n", p.line, mask_text(&e.key), shown(d, e, &e.value), tail)
}
