//! `--format json`: the stable JSON contract (schema version 1) of DESIGN.md.

use serde_json::{Value, json};

use super::{Summary, place};
use crate::deployment::Deployment;
use crate::lint::{Finding, Target};

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
