//! A document's findings as LSP diagnostics: the buffer checked in its deployment through
//! [`crate::check_buffer`] (the same function as `s3lint check - --stdin-filename`), each finding with its rule id
//! as the code and its documentation page as the code description, and the safe fixes it carries.

use std::path::Path;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range, Uri,
};

use super::documents::file_uri;
use super::position::{Encoding, range};
use crate::deployment::Deployment;
use crate::deployment::discover::DiscoverOptions;
use crate::input::Budget;
use crate::lint::suppress::ProjectSettings;
use crate::lint::{Finding, Severity, Target};
use crate::redact::{Fragments, Scrubber, mask_text, plain};
use crate::source::LoadError;

/// A safe fix of a finding: replace `range` of the document with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The diagnostic it fixes.
    pub diagnostic: Diagnostic,
    /// What is replaced.
    pub range: Range,
    /// The replacement.
    pub text: String,
}

/// True for the files s3lint reads: Hadoop `*-site.xml`, Flink `flink-conf.yaml` / `config.yaml`, Spark
/// `spark-defaults.conf`.
pub fn is_configuration(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.ends_with("-site.xml")
        || (name.starts_with("flink-conf") && (name.ends_with(".yaml") || name.ends_with(".yml")))
        || name == "config.yaml"
        || name.starts_with("spark-defaults")
}

/// True for a deployment written as code: a Dockerfile, a Flink or Spark operator manifest, a compose file (judged
/// by the editor's text, which may not be saved yet).
pub fn is_code(path: &Path, text: &str) -> bool {
    crate::deployment::code::find::classify_text(path, text).is_some()
}

/// Checks `text` as the file `path` in its deployment: the diagnostics and the fixes of the findings in it; a
/// file that cannot be read as configuration is one `could-not-check` error at the place it names.
pub fn check(
    path: &Path,
    text: &str,
    base: &DiscoverOptions,
    settings: &ProjectSettings,
    encoding: Encoding,
) -> (Vec<Diagnostic>, Vec<Fix>) {
    // A fresh budget per check: the budget is the account of one run, and the server runs many.
    let options = DiscoverOptions { budget: Budget::default(), ..base.clone() };
    match crate::check_buffer(path, text.to_string(), &options, settings) {
        Ok((deployment, findings)) => from_findings(&deployment, &findings, text, encoding),
        Err(e) => (vec![could_not_check(path, text, &e, encoding)], Vec::new()),
    }
}

fn from_findings(
    deployment: &Deployment,
    findings: &[Finding],
    text: &str,
    encoding: Encoding,
) -> (Vec<Diagnostic>, Vec<Fix>) {
    // The last line of defence, as in every report: known secret values and anything shaped like one.
    let scrubber = Scrubber::new(&deployment.secrets, &[plain]);
    let fragments = Fragments::new(&deployment.secrets);
    let clean = |t: &str| mask_text(&fragments.mask(&scrubber.scrub(t)));
    let mut diagnostics = Vec::new();
    let mut fixes = Vec::new();
    for f in findings {
        let Target::Source(at) = &f.target else { continue };
        let message = if f.help.is_empty() {
            clean(&f.message)
        } else {
            format!("{}\nhelp: {}", clean(&f.message), clean(&f.help))
        };
        let related = f
            .related
            .iter()
            .filter_map(|r| {
                let file = deployment.sources.get(r.at.file);
                Some(DiagnosticRelatedInformation {
                    location: Location::new(file_uri(&file.path)?, range(&file.text, r.at.span, encoding)),
                    message: clean(&r.message),
                })
            })
            .collect::<Vec<_>>();
        let diagnostic = Diagnostic {
            range: range(text, at.span, encoding),
            severity: Some(severity(f.severity)),
            code: Some(NumberOrString::String(f.rule.to_string())),
            code_description: docs_uri(f.rule).map(|href| CodeDescription { href }),
            source: Some("s3lint".to_string()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: None,
        };
        if let Some(suggestion) = &f.suggestion {
            let target = f.suggestion_at.unwrap_or(*at);
            let source = deployment.sources.get(target.file);
            // Only within this buffer, and never over a secret's value.
            let over_secret = source
                .secret_spans()
                .iter()
                .any(|s| s.start < target.span.end.max(target.span.start + 1) && target.span.start < s.end);
            if target.file == at.file && !over_secret {
                let range = range(text, target.span, encoding);
                fixes.push(Fix { diagnostic: diagnostic.clone(), range, text: suggestion.clone() });
            }
        }
        diagnostics.push(diagnostic);
    }
    (diagnostics, fixes)
}

/// The rule's documentation page (the SARIF `helpUri`).
fn docs_uri(rule: &str) -> Option<Uri> {
    crate::report::sarif::help_uri(rule).parse().ok()
}

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The error of a check that could not run: at its position when it is in this file, else at the start.
fn could_not_check(path: &Path, text: &str, e: &LoadError, encoding: Encoding) -> Diagnostic {
    let here = Path::new(&e.file) == path
        || std::fs::canonicalize(&e.file).ok().zip(std::fs::canonicalize(path).ok()).is_some_and(|(a, b)| a == b);
    let (at, message) = match e.position {
        Some(p) if here => (range(text, crate::source::Span::new(p.offset, p.offset), encoding), e.message.clone()),
        _ => (Range::default(), e.to_string()),
    };
    Diagnostic {
        range: at,
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("could-not-check".to_string())),
        source: Some("s3lint".to_string()),
        message: mask_text(&format!("could not check: {message}")),
        ..Default::default()
    }
}
