//! `--format json`: the stable JSON contract (schema version 1) of DESIGN.md.

use serde_json::{Value, json};

use super::{Summary, place};
use crate::deployment::Deployment;
use crate::lint::{Finding, Target};
use crate::source::LoadError;

/// The JSON document for `check`.
pub fn render(d: &Deployment, findings: &[Finding]) -> String {
    let items: Vec<Value> = findings.iter().map(|f| finding_value(d, f)).collect();
    let doc = json!({
        "version": 1,
        "tool": { "name": "s3lint", "version": env!("CARGO_PKG_VERSION") },
        "findings": items,
        "summary": Summary::of(d, findings),
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON document of a check that could not run (exit 2): no findings, and the error in `errors` with its
/// file, 1-based line and column (`null` when the error is about the file as a whole) and message.
pub fn render_error(e: &LoadError) -> String {
    let doc = json!({
        "version": 1,
        "tool": { "name": "s3lint", "version": env!("CARGO_PKG_VERSION") },
        "findings": [],
        "summary": Summary::default(),
        "errors": [{
            "file": e.file,
            "line": e.position.map(|p| p.line),
            "column": e.position.map(|p| p.column),
            "message": crate::redact::mask_text(&e.message),
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// `s` as it appears inside a JSON string written by serde_json (`"` → `\"`, `\` → `\\`, control characters
/// → `\n` or `\u001b`).
pub(crate) fn escaped(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or("").to_string()
}

/// [`escaped`], with `/` written `\/` as some JSON writers do.
pub(crate) fn escaped_slash(s: &str) -> String {
    escaped(s).replace('/', "\\/")
}

/// [`escaped`], with every non-ASCII character written `\uXXXX` (UTF-16, as ASCII-only JSON writers do).
pub(crate) fn escaped_ascii(s: &str) -> String {
    let mut out = String::new();
    for c in escaped(s).chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

/// One finding as a JSON object of the contract.
pub fn finding_value(d: &Deployment, f: &Finding) -> Value {
    let p = place(d, &f.target);
    let mut v = json!({
        "rule": f.rule,
        "severity": f.severity.as_str(),
        "message": f.message,
        "help": f.help,
        "file": p.file,
        "range": { "start": p.start, "end": p.end },
    });
    if let Some(k) = &f.key {
        v["key"] = json!(k);
    }
    if !f.related.is_empty() {
        v["related"] = f
            .related
            .iter()
            .map(|r| {
                let p = place(d, &Target::Source(r.at));
                json!({ "file": p.file, "range": { "start": p.start, "end": p.end }, "message": r.message })
            })
            .collect();
    }
    v
}
