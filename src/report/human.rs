//! `--format human`: miette reports with the source snippet (secrets masked; only the lines around the span, see
//! [`super::snippet`]) and the span underlined, coloured on a terminal, plain when piped or with `NO_COLOR`.

use std::collections::HashMap;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, Report};

use super::snippet::{CONTEXT_LINES, Snippet};
use super::{Summary, place};
use crate::deployment::Deployment;
use crate::lint::{Finding, Severity, Target};
use crate::source::FileId;

/// Renders every finding, then a summary line, wrapped to [`super::wrap::output_width`].
pub fn render(d: &Deployment, findings: &[Finding], color: bool) -> String {
    render_at(d, findings, color, super::wrap::output_width())
}

/// [`render`] at `width` columns, or without wrapping (`None`). Lines break only at spaces outside backticks,
/// never inside a word: a suggested command, path or key stays whole (and may then pass the width).
pub fn render_at(d: &Deployment, findings: &[Finding], color: bool, width: Option<usize>) -> String {
    let mut out = findings_at(d, findings, color, width);
    out.push_str(&summary_at(d, findings, "", width));
    out
}

/// Every finding of [`render_at`], without the summary line.
pub fn findings_at(d: &Deployment, findings: &[Finding], color: bool, width: Option<usize>) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width.unwrap_or(usize::MAX / 2))
        .with_wrap_lines(width.is_some())
        .with_break_words(false)
        .with_word_separator(super::wrap::separator())
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_context_lines(CONTEXT_LINES);
    let mut redacted: HashMap<FileId, String> = HashMap::new();
    let mut out = String::new();
    for f in findings {
        let mut diag = MietteDiagnostic::new(f.message.clone()).with_code(f.rule).with_severity(severity(f.severity));
        let mut help = f.help.clone();
        for r in &f.related {
            let p = place(d, &Target::Source(r.at));
            help.push_str(&format!("\n{}: {}:{}:{}", r.message, p.file, p.start.line, p.start.column));
        }
        diag = diag.with_help(help);
        let report = match &f.target {
            Target::Source(at) => {
                let file = d.sources.get(at.file);
                let masked = redacted.entry(at.file).or_insert_with(|| file.redacted_text());
                let snippet = Snippet::new(file, masked, at.span);
                let label = f.key.clone().map(|k| format!("`{k}`")).unwrap_or_else(|| "here".to_string());
                let span = snippet.label();
                diag = diag.with_label(LabeledSpan::at(span.start..span.end, label));
                Report::new(diag).with_source_code(snippet)
            }
            Target::Path(p) => {
                diag.message = format!("{}: {}", p, diag.message);
                Report::new(diag)
            }
        };
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            out.push_str(&format!("{}: {}\n", f.rule, f.message));
        }
        out.push('\n');
    }
    out
}

/// The summary line `s3lint: 2 files and 13 jars checked: 1 error, 0 warnings, 0 infos`, with `what` (a
/// deployment's name and `: `) after `s3lint: `.
pub fn summary_at(d: &Deployment, findings: &[Finding], what: &str, width: Option<usize>) -> String {
    let s = Summary::of(d, findings);
    let jars = match d.jars.len() {
        0 => String::new(),
        n => format!(" and {n} jar{}", plural(n)),
    };
    let summary = format!(
        "s3lint: {what}{} file{}{jars} checked: {} error{}, {} warning{}, {} info{}\n",
        s.files,
        plural(s.files),
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings),
        s.infos,
        plural(s.infos)
    );
    let mut out = super::wrap::fill(&summary, width, "", "");
    out.push('\n');
    out
}

/// `s` when `n` is not 1.
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}
