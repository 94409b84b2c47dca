//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

use serde_json::{Value, json};

use super::place;
use crate::deployment::Deployment;
use crate::lint::rules::all;
use crate::lint::{Finding, Severity};

/// A SARIF log with one run: every rule in `tool.driver.rules`, one result per finding.
pub fn render(d: &Deployment, findings: &[Finding]) -> String {
    let rules: Vec<Value> = all()
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.id,
                "name": m.id,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": m.doc.trim() },
                "help": { "text": m.doc.trim(), "markdown": m.doc.trim() },
                "defaultConfiguration": { "level": level(m.default_severity) },
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let p = place(d, &f.target);
            json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": { "text": format!("{}\n{}", f.message, f.help) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": p.file },
                        "region": {
                            "startLine": p.start.line, "startColumn": p.start.column,
                            "endLine": p.end.line, "endColumn": p.end.column.max(p.start.column),
                        }
                    }
                }],
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": { "name": "s3lint", "version": env!("CARGO_PKG_VERSION"), "rules": rules } },
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}
