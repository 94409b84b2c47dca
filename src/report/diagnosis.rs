//! Output of `diagnose`: human text (title, quoted evidence with input line numbers, explanation, numbered fix
//! steps, the lint rules that would have caught it, deployment findings) and the JSON contract of DESIGN.md.
//! Secrets in quoted input are masked in one place per format ([`crate::redact::mask_json`] over the whole JSON
//! document, [`crate::redact::mask_text`] over the whole human report), so every field is, new ones too.

use serde_json::{Value, json};

use crate::deployment::Deployment;
use crate::diagnose::DiagnoseResult;
use crate::diagnose::facts::Facts;
use crate::diagnose::matcher::Diagnosis;
use crate::lint::Finding;

/// A quoted input line with credentials masked.
fn masked(text: &str) -> String {
    crate::redact::mask_text(text)
}

/// The `facts` object of the JSON contract: only the facts found, every string masked.
fn facts_value(f: &Facts) -> Value {
    let mut m = serde_json::Map::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            m.insert(k.to_string(), Value::String(masked(&v)));
        }
    };
    put("service", f.service.clone());
    put("error_code", f.error_code.clone());
    put("operation", f.operation.clone());
    put("path", f.path.clone());
    put("host", f.host.clone());
    put("region", f.region.clone());
    put("sdk", f.sdk.map(str::to_string));
    put("request_id", f.request_id.clone());
    put("level", f.level.map(|l| l.name().to_string()));
    put("missing_class", f.missing_class.clone());
    put("linkage_error", f.linkage_error.clone());
    if let Some(status) = f.status {
        m.insert("status".into(), json!(status));
    }
    if !f.schemes.is_empty() {
        m.insert("schemes".into(), json!(f.schemes));
    }
    Value::Object(m)
}

/// The check findings of `deployment` that explain `diagnosis` (their rule is one of its `lint_rules`).
pub fn related_findings<'f>(diagnosis: &Diagnosis<'_>, findings: &'f [Finding]) -> Vec<&'f Finding> {
    findings.iter().filter(|f| diagnosis.case.lint_rules.iter().any(|r| r == f.rule)).collect()
}

/// The JSON document.
pub fn json(result: &DiagnoseResult<'_>, deployment: Option<(&Deployment, &[Finding])>) -> String {
    let diagnoses: Vec<Value> = result
        .diagnoses
        .iter()
        .map(|d| {
            let mut v = json!({
                "case": d.case.id,
                "category": d.case.category,
                "title": d.case.title,
                "confidence": (d.confidence * 100.0).round() / 100.0,
                "count": d.count,
                "evidence": d.evidence.iter().map(|e| json!({ "line": e.line, "text": masked(&e.text) })).collect::<Vec<_>>(),
                "facts": facts_value(&d.facts),
                "explanation": d.case.explanation,
                "fix": d.case.fix,
                "lint_rules": d.case.lint_rules,
            });
            if let Some((dep, findings)) = deployment {
                let items: Vec<Value> =
                    related_findings(d, findings).into_iter().map(|f| super::json::finding_value(dep, f)).collect();
                v["deployment_findings"] = json!(items);
                v["deployment_facts"] = json!(super::deployment_facts::for_category(dep, &d.case.category));
            }
            v
        })
        .collect();
    let exceptions: Vec<Value> = result
        .exceptions
        .iter()
        .map(|e| json!({ "class": e.class, "message": masked(&e.message), "line": e.line, "caused_by_depth": e.caused_by_depth }))
        .collect();
    let mut doc = json!({
        "version": 1,
        "diagnoses": diagnoses,
        "exceptions": exceptions,
        "stats": {
            "bytes": result.stats.bytes,
            "lines": result.stats.lines,
            "chains": result.stats.chains,
            "repeats": result.stats.repeats,
        },
    });
    // Every string of the document, whatever field it is in (evidence, messages, facts), is masked here.
    crate::redact::mask_json(&mut doc);
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    match deployment {
        Some((dep, _)) => super::finish(dep, s),
        None => s,
    }
}

/// The human report, with every secret in it masked (whatever line of the report it is in), wrapped to
/// [`super::wrap::output_width`] (quoted evidence lines never are).
pub fn human(result: &DiagnoseResult<'_>, deployment: Option<(&Deployment, &[Finding])>, color: bool) -> String {
    human_at(result, deployment, color, super::wrap::output_width())
}

/// [`human`] at `width` columns, or without wrapping (`None`).
pub fn human_at(
    result: &DiagnoseResult<'_>,
    deployment: Option<(&Deployment, &[Finding])>,
    color: bool,
    width: Option<usize>,
) -> String {
    let out = crate::redact::mask_text(&human_text(result, deployment, color, width));
    match deployment {
        Some((dep, _)) => super::finish(dep, out),
        None => out,
    }
}

fn human_text(
    result: &DiagnoseResult<'_>,
    deployment: Option<(&Deployment, &[Finding])>,
    color: bool,
    width: Option<usize>,
) -> String {
    let fill = |text: &str, first: &str, rest: &str| {
        let mut s = super::wrap::fill(text, width, first, rest);
        s.push('\n');
        s
    };
    let (bold, dim, red, reset) = if color { ("\x1b[1m", "\x1b[2m", "\x1b[31m", "\x1b[0m") } else { ("", "", "", "") };
    let mut out = String::new();
    if result.diagnoses.is_empty() {
        out.push_str(&format!(
            "No known S3 failure recognised ({} exception chain{} read in {} lines).\n",
            result.stats.chains,
            if result.stats.chains == 1 { "" } else { "s" },
            result.stats.lines
        ));
        if let Some(e) = result.exceptions.iter().find(|e| e.caused_by_depth == 0) {
            out.push_str(&format!("First exception: line {}: {}: {}\n", e.line, e.class, masked(&e.message)));
        }
        return out;
    }
    for (i, d) in result.diagnoses.iter().enumerate() {
        let seen = if d.count > 1 { format!(", seen {} times", d.count) } else { String::new() };
        out.push_str(&format!(
            "{red}{bold}{}. {}{reset} {dim}[{} · {} · confidence {:.2}{seen}]{reset}\n\n",
            i + 1,
            d.case.title,
            d.case.id,
            d.case.category,
            d.confidence
        ));
        if let Some(summary) = d.facts.summary() {
            out.push_str(&format!("  {bold}{}{reset}\n\n", masked(&summary)));
        }
        let width = d.evidence.iter().map(|e| e.line.to_string().len()).max().unwrap_or(1);
        for e in &d.evidence {
            out.push_str(&format!("  {dim}{:>width$} │{reset} {}\n", e.line, masked(&e.text)));
        }
        out.push('\n');
        out.push_str(&fill(d.case.explanation.trim_end(), "  ", "  "));
        out.push_str(&format!("\n  {bold}Fix:{reset}\n"));
        for (n, step) in d.case.fix.iter().enumerate() {
            let number = format!("  {}. ", n + 1);
            out.push_str(&fill(step, &number, &" ".repeat(number.len())));
        }
        if !d.case.lint_rules.is_empty() {
            out.push('\n');
            out.push_str(&fill(
                &format!("Caught before deploy by: s3lint check ({})", d.case.lint_rules.join(", ")),
                "  ",
                "    ",
            ));
        }
        if let Some((dep, findings)) = deployment {
            let related = related_findings(d, findings);
            if related.is_empty() {
                let why = if d.case.lint_rules.is_empty() {
                    "no check rule covers this failure"
                } else {
                    "no finding of those rules"
                };
                out.push_str(&format!(
                    "  {bold}In the deployment given:{reset} {why}; what it holds that bears on it:\n"
                ));
                for fact in super::deployment_facts::for_category(dep, &d.case.category) {
                    // Masked before wrapping, so a `name=value` secret is never split from its name.
                    out.push_str(&fill(&masked(&fact), "    - ", "      "));
                }
            } else {
                out.push_str(&format!("  {bold}In the deployment given:{reset}\n"));
                for f in related {
                    let p = super::place(dep, &f.target);
                    let line = format!("{}:{}:{}: {} [{}]", p.file, p.start.line, p.start.column, f.message, f.rule);
                    out.push_str(&fill(&masked(&line), "    ", "      "));
                }
            }
        }
        out.push('\n');
    }
    out
}
