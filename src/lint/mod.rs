//! The lint framework: findings, severities, the `Rule` trait and the registry of every rule.

pub mod baseline;
pub mod classpath_facts;
pub mod facts;
pub mod image_help;
pub mod rules;
pub mod spark_help;
pub mod suppress;

use serde::Serialize;

use crate::deployment::Deployment;
use crate::source::Location;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Advice.
    Info,
    /// Leaks a secret, or will likely fail or misbehave.
    Warning,
    /// Will fail at run time (the job won't start, a write will NPE).
    Error,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Where a finding points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Bytes in a file that was read.
    Source(Location),
    /// A whole file that is not text (a jar), by its display path; reported at line 1, column 1.
    Path(String),
}

/// A secondary location that helps explain a finding (the earlier duplicate, the key that selects a filesystem).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// Where.
    pub at: Location,
    /// Why it matters.
    pub message: String,
}

/// One problem found in a deployment. Messages never contain a secret value beyond a 4-character prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's stable id (`fs-s3-impl-missing`, ...).
    pub rule: &'static str,
    /// How bad.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it.
    pub help: String,
    /// Where.
    pub target: Target,
    /// The configuration key concerned, if any.
    pub key: Option<String>,
    /// Other places that explain it.
    pub related: Vec<Related>,
    /// The text that replaces the finding's span to fix it, when the help names one (a value, a class, a key):
    /// the same rule accepts it on the versions in use (`tests/advice.rs` applies every one and re-checks).
    pub suggestion: Option<String>,
    /// Where [`Finding::suggestion`] goes when it is not the finding's own span (the region value of a region
    /// that contradicts the endpoint the finding points at).
    pub suggestion_at: Option<Location>,
}

/// A rule's identity and documentation, declared with [`declare_rule!`].
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable kebab-case id.
    pub id: &'static str,
    /// The severity of its usual finding.
    pub default_severity: Severity,
    /// One line: what it catches.
    pub summary: &'static str,
    /// The rule's doc comment: what it catches, why it matters, how to fix (`s3lint explain ID`).
    pub doc: &'static str,
}

impl RuleMeta {
    /// A finding of this rule at its default severity.
    pub fn finding(&'static self, at: Location, message: impl Into<String>, help: impl Into<String>) -> Finding {
        Finding {
            rule: self.id,
            severity: self.default_severity,
            message: message.into(),
            help: help.into(),
            target: Target::Source(at),
            key: None,
            related: Vec::new(),
            suggestion: None,
            suggestion_at: None,
        }
    }

    /// A finding of this rule about a whole file that is not read as text (a jar), shown by its display path.
    pub fn finding_on_path(
        &'static self,
        display: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Finding {
        Finding {
            rule: self.id,
            severity: self.default_severity,
            message: message.into(),
            help: help.into(),
            target: Target::Path(display.into()),
            key: None,
            related: Vec::new(),
            suggestion: None,
            suggestion_at: None,
        }
    }
}

/// A check over a whole deployment.
pub trait Rule: Sync {
    /// The rule's id and documentation.
    fn meta(&self) -> &'static RuleMeta;
    /// Appends this rule's findings about `deployment` to `out`.
    fn check(&self, deployment: &Deployment, out: &mut Vec<Finding>);
}

impl Finding {
    /// Sets the key concerned.
    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Sets the severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Sets the replacement for the finding's span that fixes it.
    pub fn with_suggestion(mut self, replacement: impl Into<String>) -> Self {
        self.suggestion = Some(replacement.into());
        self
    }

    /// Sets a replacement for another span than the finding's own.
    pub fn with_suggestion_at(mut self, at: Location, replacement: impl Into<String>) -> Self {
        self.suggestion = Some(replacement.into());
        self.suggestion_at = Some(at);
        self
    }

    /// Adds a related location.
    pub fn with_related(mut self, at: Location, message: impl Into<String>) -> Self {
        self.related.push(Related { at, message: message.into() });
        self
    }
}

/// Declares a rule: its doc comment becomes its `explain` text.
///
/// ```ignore
/// declare_rule! {
///     /// What it catches. Why it matters. How to fix.
///     pub FsS3ImplMissing => "fs-s3-impl-missing", Error, "s3:// is used but nothing serves it"
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub $name:ident => $id:literal, $sev:ident, $summary:literal) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            /// This rule's identity and documentation.
            pub const META: $crate::lint::RuleMeta = $crate::lint::RuleMeta {
                id: $id,
                default_severity: $crate::lint::Severity::$sev,
                summary: $summary,
                doc: concat!($($doc, "\n"),*),
            };
        }
    };
}

/// Runs every rule over `deployment`; findings sorted by file, position and rule, their texts redacted.
pub fn run(deployment: &Deployment) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in rules::all() {
        rule.check(deployment, &mut out);
    }
    spark_help::retarget_declared_jars(deployment, &mut out);
    out.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    out.dedup();
    redact(deployment, &mut out);
    out
}

/// Masks every text of every finding before any renderer sees it — a rule may quote a value that is, or holds,
/// a secret (a secret pasted under the wrong key, a URI with user-info), or a piece of one (the "host" of such
/// an endpoint): the deployment's known secret values, pieces of them, then anything shaped like a secret
/// ([`crate::redact::mask_text`]). Done on the plain text, so no escaping or line wrapping of an output format
/// can hide a secret from it.
fn redact(d: &Deployment, findings: &mut [Finding]) {
    let scrubber = crate::redact::Scrubber::new(&d.secrets, &[crate::redact::plain]);
    let fragments = crate::redact::Fragments::new(&d.secrets);
    let clean = |t: &mut String| *t = crate::redact::mask_text(&fragments.mask(&scrubber.scrub(t)));
    for f in findings {
        clean(&mut f.message);
        clean(&mut f.help);
        if let Some(k) = f.key.as_mut() {
            clean(k);
        }
        for r in &mut f.related {
            clean(&mut r.message);
        }
        if let Some(s) = f.suggestion.as_mut() {
            clean(s);
        }
    }
}

pub(crate) fn sort_key(f: &Finding) -> (usize, usize, &'static str, String) {
    match &f.target {
        Target::Source(l) => (l.file.0, l.span.start, f.rule, f.message.clone()),
        Target::Path(_) => (usize::MAX, 0, f.rule, f.message.clone()),
    }
}

/// `clause` with its first letter in upper case, to start a help sentence with a clause the help functions
/// word for the middle of one (`install the plugin …` → `Install the plugin …`).
pub fn capitalised(clause: &str) -> String {
    let mut chars = clause.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
