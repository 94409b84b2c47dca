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
    let files = files(d);
    let mut s = serde_json::to_string_pretty(&json!({ "version": 1, "files": files })).unwrap_or_default();
    s.push('\n');
    super::finish(d, s)
}

/// [`json`] of several deployments: `files` holds every deployment's files, in order, each with the root of its
/// deployment (`deployment`), and `deployments` lists each deployment's root, kind and files (the contract's
/// fields are kept; these are additions).
pub fn json_each(deployments: &[Deployment]) -> String {
    let mut all = Vec::new();
    let mut list = Vec::new();
    for d in deployments {
        let files = files(d);
        let names: Vec<Value> = files.iter().map(|f| f["file"].clone()).collect();
        list.push(json!({ "root": d.origin.root, "kind": d.origin.kind.as_str(), "files": names }));
        all.extend(files.into_iter().map(|mut f| {
            f["deployment"] = json!(d.origin.root);
            f
        }));
    }
    let doc = json!({ "version": 1, "files": all, "deployments": list });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    scrub_all(deployments, s)
}

/// [`human`] of several deployments: with more than one, a heading names each deployment before its files.
pub fn human_each(deployments: &[Deployment]) -> String {
    if let [d] = deployments {
        return human(d);
    }
    let mut out = String::new();
    for (i, d) in deployments.iter().enumerate() {
        out.push_str(&format!(
            "## deployment {} of {}: {} `{}` ({})\n\n",
            i + 1,
            deployments.len(),
            d.origin.kind.as_str(),
            d.origin.root,
            super::deployments::versions(d)
        ));
        out.push_str(&human(d));
    }
    scrub_all(deployments, out)
}

/// [`super::finish`] with the secrets of every deployment.
fn scrub_all(deployments: &[Deployment], text: String) -> String {
    let secrets: Vec<String> = deployments.iter().flat_map(|d| d.secrets.iter().cloned()).collect();
    crate::redact::Scrubber::new(&secrets, super::ESCAPED_FORMS).scrub(&text)
}

/// Each configuration file of `d` as a JSON object of the contract.
fn files(d: &Deployment) -> Vec<Value> {
    d.configs
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
        .collect()
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
