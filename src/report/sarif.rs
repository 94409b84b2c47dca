//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF consumers, clean under the SARIF
//! schema and Microsoft's SARIF validator (`tests/sarif.rs`, `tests/sarif/validate.sh`).
//!
//! Paths under the working directory are URI references relative to `%SRCROOT%` (`originalUriBaseIds`), other
//! paths `file://` URIs, both percent-encoded ([`super::uri`]). Columns count Unicode code points, as s3lint's
//! do. A finding about a whole file (a jar) has no text region, only the byte range of the whole file. When the check cannot run, the run has
//! `executionSuccessful: false`, a `toolExecutionNotifications` entry at the error's place, and empty `results`.

use std::path::Path;

use serde_json::{Value, json};

use super::plain::{doc_markdown, plain, section, without_code_marks};
use super::uri::{Located, dir_uri, locate};
use super::{Place, place};
use crate::deployment::Deployment;
use crate::lint::rules::all;
use crate::lint::{Finding, RuleMeta, Severity, Target};
use crate::source::LoadError;

/// The base id of paths relative to the working directory (the name CodeQL uses for the source root).
const ROOT_ID: &str = "%SRCROOT%";

/// A SARIF log with one run: every rule in `tool.driver.rules`, one result per finding.
pub fn render(d: &Deployment, findings: &[Finding]) -> String {
    render_at(d, findings, std::env::current_dir().ok().as_deref())
}

/// [`render`] with paths resolved against `root` (the working directory; `None` when it is unknown).
pub fn render_at(d: &Deployment, findings: &[Finding], root: Option<&Path>) -> String {
    let results: Vec<Value> = findings.iter().map(|f| result(d, f, root)).collect();
    let mut run = run(root);
    run["invocations"] = json!([{ "executionSuccessful": true }]);
    run["results"] = Value::Array(results);
    log(run)
}

/// The SARIF log of a check of several deployments (one run): each result names its deployment in
/// `properties.deployment`, and the run lists the deployments in `properties.deployments`.
pub fn render_each(checked: &[super::deployments::Checked], root: Option<&Path>) -> String {
    let results: Vec<Value> = checked
        .iter()
        .flat_map(|(d, findings)| {
            findings.iter().map(move |f| {
                let mut v = result(d, f, root);
                v["properties"] = json!({ "deployment": d.origin.root });
                v
            })
        })
        .collect();
    let mut run = run(root);
    run["invocations"] = json!([{ "executionSuccessful": true }]);
    run["results"] = Value::Array(results);
    run["properties"] = json!({ "deployments": super::deployments::list(checked) });
    log(run)
}

/// The SARIF log of a check that could not run: exit code 2 and the error, at its file, line and column, as a
/// tool execution notification.
pub fn render_error(e: &LoadError, root: Option<&Path>) -> String {
    let mut location = json!({ "physicalLocation": { "artifactLocation": artifact(&e.file, root) } });
    if let Some(p) = e.position {
        location["physicalLocation"]["region"] = json!({ "startLine": p.line, "startColumn": p.column });
    }
    let message = crate::redact::mask_text(&e.message);
    let mut run = run(root);
    run["invocations"] = json!([{
        "executionSuccessful": false,
        "exitCode": 2,
        "toolExecutionNotifications": [{
            "descriptor": { "id": "could-not-check" },
            "level": "error",
            "message": { "text": sentence(&format!("could not check {}: {}", e.file, without_code_marks(&message))) },
            "locations": [location],
        }],
    }]);
    // Nothing was checked, which SARIF says by an absent `results`; GitHub code scanning refuses a run without
    // one (its rule GH1014), and `executionSuccessful: false` already tells that the run failed.
    run["results"] = json!([]);
    log(run)
}

/// The SARIF form of a finding text that is not scrubbed otherwise: what [`plain`] makes of a secret, escaped
/// for JSON (see [`super::finish`]).
pub(crate) fn plain_escaped(s: &str) -> String {
    super::json::escaped(&without_code_marks(s))
}

fn log(run: Value) -> String {
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// A run with the tool, its rules and the base URI, without invocations and results.
fn run(root: Option<&Path>) -> Value {
    let rules: Vec<Value> = all().iter().map(|r| rule(r.meta())).collect();
    let mut run = json!({
        "tool": { "driver": {
            "name": "s3lint",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": env!("CARGO_PKG_REPOSITORY"),
            "rules": rules,
        } },
        "columnKind": "unicodeCodePoints",
    });
    if let Some(root) = root {
        run["originalUriBaseIds"] = json!({ ROOT_ID: { "uri": dir_uri(root) } });
    }
    run
}

/// A rule's metadata: `name` is the id in PascalCase (SARIF wants a name distinct from the stable id), the
/// full description is the doc's "What it catches", the help the whole doc, each as plain text and Markdown.
fn rule(m: &RuleMeta) -> Value {
    let doc = doc_markdown(m.doc);
    let catches = section(&doc, "What it catches");
    json!({
        "id": m.id,
        "name": pascal_case(m.id),
        "shortDescription": { "text": sentence(m.summary) },
        "fullDescription": { "text": plain(catches), "markdown": catches },
        "help": { "text": plain(&doc), "markdown": doc },
        "helpUri": help_uri(m.id),
        "defaultConfiguration": { "level": level(m.default_severity) },
    })
}

/// Where a rule's documentation is published: `docs/rules/<id>.md` of the repository (generated from the rule's
/// doc comment, kept in step by `tests/rule_docs.rs`).
pub fn help_uri(id: &str) -> String {
    format!("{}/blob/main/docs/rules/{id}.md", env!("CARGO_PKG_REPOSITORY"))
}

fn result(d: &Deployment, f: &Finding, root: Option<&Path>) -> Value {
    let p = place(d, &f.target);
    let whole_file = matches!(f.target, Target::Path(_));
    let markdown = format!("{}\n\n{}", sentence(&f.message), sentence(&f.help));
    let mut v = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": { "text": plain(&markdown), "markdown": markdown },
        "locations": [{ "physicalLocation": physical(&p, root, whole_file) }],
    });
    if let Some(i) = all().iter().position(|r| r.meta().id == f.rule) {
        v["ruleIndex"] = json!(i);
    }
    if !f.related.is_empty() {
        v["relatedLocations"] = f
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let p = place(d, &Target::Source(r.at));
                json!({
                    "id": i + 1,
                    "physicalLocation": physical(&p, root, false),
                    "message": { "text": plain(&r.message), "markdown": r.message },
                })
            })
            .collect();
    }
    v
}

/// A physical location. A whole file (`whole_file`: a jar, an unreadable file) has no text region, only the
/// binary region of all its bytes (SARIF's form for a whole-artifact result; 0 bytes when it cannot be read).
fn physical(p: &Place, root: Option<&Path>, whole_file: bool) -> Value {
    let mut v = json!({ "artifactLocation": artifact(&p.file, root) });
    if whole_file {
        let bytes = std::fs::metadata(&p.file).ok().filter(|m| m.is_file()).map_or(0, |m| m.len());
        v["region"] = json!({ "byteOffset": 0, "byteLength": bytes });
    } else {
        let end = if p.end.line < p.start.line || (p.end.line == p.start.line && p.end.column < p.start.column) {
            p.start
        } else {
            p.end
        };
        v["region"] = json!({
            "startLine": p.start.line, "startColumn": p.start.column,
            "endLine": end.line, "endColumn": end.column,
        });
    }
    v
}

fn artifact(file: &str, root: Option<&Path>) -> Value {
    match locate(file, root) {
        Located::UnderRoot(uri) => json!({ "uri": uri, "uriBaseId": ROOT_ID }),
        Located::Absolute(uri) | Located::Relative(uri) => json!({ "uri": uri }),
    }
}

/// `s3a-buffer-dir-missing` → `S3aBufferDirMissing`.
fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map(|c| c.to_ascii_uppercase().to_string() + cs.as_str()).unwrap_or_default()
        })
        .collect()
}

/// `s` ending with a full stop (or another sentence end), as SARIF messages should.
fn sentence(s: &str) -> String {
    let t = s.trim_end();
    if t.is_empty() || t.ends_with(['.', '!', '?']) { t.to_string() } else { format!("{t}.") }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_are_pascal_case_ids() {
        assert_eq!(pascal_case("s3a-buffer-dir-missing"), "S3aBufferDirMissing");
        assert_eq!(pascal_case("fs-s3-impl-missing"), "FsS3ImplMissing");
    }

    #[test]
    fn messages_end_as_sentences() {
        assert_eq!(sentence("Rename it"), "Rename it.");
        assert_eq!(sentence("Rename it."), "Rename it.");
        assert_eq!(sentence("did you mean `x`?"), "did you mean `x`?");
        assert_eq!(sentence("set `x`"), "set `x`.");
    }
}
