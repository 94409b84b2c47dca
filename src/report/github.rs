//! `--format github`: GitHub Actions workflow commands, one annotation per finding.

use super::place;
use crate::deployment::Deployment;
use crate::lint::{Finding, Severity};
use crate::source::LoadError;

/// One `::error|warning|notice file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message` line per finding.
pub fn render(d: &Deployment, findings: &[Finding]) -> String {
    annotations(d, findings, "")
}

/// [`render`] for each deployment; with several, each annotation's title names its deployment
/// (`s3lint jar-version-mismatch (flink-1.18.1)`).
pub fn render_each(checked: &[super::deployments::Checked]) -> String {
    let several = checked.len() > 1;
    checked
        .iter()
        .map(|(d, findings)| {
            let suffix = if several { format!(" ({})", d.origin.root) } else { String::new() };
            annotations(d, findings, &suffix)
        })
        .collect()
}

fn annotations(d: &Deployment, findings: &[Finding], title_suffix: &str) -> String {
    let mut out = String::new();
    for f in findings {
        let p = place(d, &f.target);
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        out.push_str(&format!(
            "::{level} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            property(&p.file),
            p.start.line,
            p.start.column,
            p.end.line,
            p.end.column,
            property(&format!("s3lint {}{title_suffix}", f.rule)),
            data(&format!("{}\n{}", f.message, f.help)),
        ));
    }
    out
}

/// The annotation of a check that could not run (exit 2): `::error file=…,line=…,col=…,title=…::message`
/// (without `line`/`col` when the error is about the file as a whole).
pub fn render_error(e: &LoadError) -> String {
    let mut props = format!("file={}", property(&e.file));
    if let Some(p) = e.position {
        props.push_str(&format!(",line={},col={}", p.line, p.column));
    }
    let message = format!("could not check {}: {}", e.file, crate::redact::mask_text(&e.message));
    format!("::error {props},title={}::{}\n", property("s3lint could not check"), data(&message))
}

/// Escapes a workflow-command message.
pub(crate) fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow-command property value.
pub(crate) fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(super::data("50%\nnext"), "50%25%0Anext");
        assert_eq!(super::property("a:b,c"), "a%3Ab%2Cc");
    }
}
