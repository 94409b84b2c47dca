//! Output formats for findings and configuration views. Every renderer works from the same redacted model, and
//! [`finish`] scrubs any remaining secret value from the whole output before it is written.

pub mod config_view;
pub mod diagnosis;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod snippet;

use serde::Serialize;

use crate::deployment::Deployment;
use crate::lint::{Finding, Severity, Target};
use crate::source::Position;

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

/// The last step before output: replaces any secret value still present by its redacted form.
pub fn finish(d: &Deployment, text: String) -> String {
    crate::redact::scrub(&text, &d.secrets)
}
