//! Output formats for findings and configuration views. Every renderer works from the same redacted model, and
//! [`finish`] scrubs any remaining secret value from the whole output before it is written.

pub mod config_view;
pub mod deployment_facts;
pub mod deployments;
pub mod diagnosis;
pub mod github;
pub mod human;
pub mod json;
pub mod plain;
pub mod sarif;
pub mod snippet;
pub mod uri;
pub mod wrap;

use serde::Serialize;

use crate::deployment::Deployment;
use crate::lint::{Finding, Severity, Target};
use crate::source::{LoadError, Position};

/// The output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Text for people, with source snippets (coloured on a terminal).
    Human,
    /// Stable JSON (schema version 1).
    Json,
    /// SARIF 2.1.0 for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…`).
    Github,
}

/// A resolved place: file as shown, start and end positions.
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    /// The file as shown.
    pub file: String,
    /// Start (inclusive).
    pub start: Position,
    /// End (exclusive).
    pub end: Position,
}

/// Resolves a finding's target to file and positions.
pub fn place(d: &Deployment, target: &Target) -> Place {
    match target {
        Target::Source(at) => {
            let f = d.sources.get(at.file);
            Place { file: f.display.clone(), start: f.position(at.span.start), end: f.position(at.span.end) }
        }
        Target::Path(p) => {
            let origin = Position { line: 1, column: 1, offset: 0 };
            Place { file: p.clone(), start: origin, end: origin }
        }
    }
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Summary {
    /// Configuration files read.
    pub files: usize,
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
}

impl Summary {
    /// Counts `findings` over a deployment.
    pub fn of(d: &Deployment, findings: &[Finding]) -> Self {
        let count = |s| findings.iter().filter(|f| f.severity == s).count();
        Summary {
            files: d.sources.len(),
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        }
    }
}

/// Renders findings in `format`.
pub fn render(d: &Deployment, findings: &[Finding], format: Format, color: bool) -> String {
    let text = match format {
        Format::Human => human::render(d, findings, color),
        Format::Json => json::render(d, findings),
        Format::Sarif => sarif::render(d, findings),
        Format::Github => github::render(d, findings),
    };
    finish(d, text)
}

/// The document a machine format writes to standard output when the check could not run (exit 2), so that a
/// CI parser, `upload-sarif` or GitHub still gets the error at its `file:line:column`; `None` for `human`
/// (the error goes to standard error only). The message is masked like every error message.
pub fn render_error(e: &LoadError, format: Format) -> Option<String> {
    match format {
        Format::Human => None,
        Format::Json => Some(json::render_error(e)),
        Format::Sarif => Some(sarif::render_error(e, std::env::current_dir().ok().as_deref())),
        Format::Github => Some(github::render_error(e)),
    }
}

/// The last step before output: replaces any secret value still present by its redacted form, in every form it
/// may take in one of the outputs — as is (terminal, human), escaped for JSON and SARIF (`\"`, `\\`, `\/`,
/// `\uXXXX`), escaped for a GitHub workflow command (`%25`, `%0A`, `%3A`, `%2C`), and in SARIF's plain `text`
/// (Markdown code marks removed).
pub fn finish(d: &Deployment, text: String) -> String {
    crate::redact::Scrubber::new(&d.secrets, ESCAPED_FORMS).scrub(&text)
}

/// Every form a secret may take in an output.
pub(crate) const ESCAPED_FORMS: &[crate::redact::Form] = &[
    crate::redact::plain,
    json::escaped,
    json::escaped_slash,
    json::escaped_ascii,
    github::data,
    github::property,
    sarif::plain_escaped,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_final_scrub_sees_every_escaped_form() {
        let secret = "Qx7\"kP2\\mW9%vT6:bN4,jL8/rY3é";
        let mut d = Deployment::default();
        d.secrets.push(secret.to_string());
        let outputs = [
            serde_json::to_string(&serde_json::json!({ "message": secret })).expect("json"),
            json::escaped_slash(secret),
            json::escaped_ascii(secret),
            github::data(secret),
            github::property(secret),
        ];
        for out in outputs {
            let scrubbed = finish(&d, out.clone());
            assert!(!scrubbed.contains("kP2") && !scrubbed.contains("mW9"), "{out} -> {scrubbed}");
        }
    }
}
