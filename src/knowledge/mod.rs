//! The knowledge base as data, embedded at build time: `rules/failures.yaml` (extendable with `--rules FILE`)
//! loaded into typed, validated, compiled failure cases; the jar matrix ([`jars`]), the key catalogue
//! ([`keys`]) and AWS facts ([`aws`]: SigV2 regions, credential providers).

pub mod aws;
pub mod images;
pub mod jars;
pub mod keys;
pub mod near;
pub mod pattern;

use std::collections::BTreeMap;

pub use pattern::Pattern;
use serde::Deserialize;

/// Checks that every tag of a `source` field (`"CD350, CONST"`: the first word of each comma-separated part) is
/// in a data file's `sources` table; `what` names the entry for the error.
pub(crate) fn check_cited(sources: &BTreeMap<String, String>, source: &str, what: &str) -> Result<(), String> {
    for part in source.split(',') {
        let tag = part.split_whitespace().next().unwrap_or("");
        if !sources.contains_key(tag) {
            return Err(format!("{what} cites `{tag}`, which is not in the sources table"));
        }
    }
    Ok(())
}

/// The failure categories of DESIGN.md; every case has exactly one.
pub const CATEGORIES: [&str; 15] = [
    "no-filesystem-for-scheme",
    "missing-credentials",
    "filesystem-class-not-found",
    "bad-request-signature",
    "buffer-dir-npe",
    "access-denied",
    "invalid-key-or-signature",
    "no-such-bucket",
    "wrong-region-or-endpoint",
    "connection-pool-or-timeout",
    "sdk-version-mismatch",
    "flink-plugin-layout",
    "expired-token",
    "clock-skew",
    "other-s3",
];

/// The embedded catalogue.
pub const BUILTIN_FAILURES: &str = include_str!("../../rules/failures.yaml");

/// The same catalogue converted to JSON by `build.rs` (faster to parse at start-up).
const BUILTIN_FAILURES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/failures.json"));

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    cases: Vec<RawCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    id: String,
    category: String,
    title: String,
    signatures: Vec<RawSignature>,
    explanation: String,
    fix: Vec<String>,
    #[serde(default)]
    lint_rules: Vec<String>,
    #[serde(default)]
    sources: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignature {
    exception: Option<String>,
    message: Option<String>,
    frame: Option<String>,
    anywhere: Option<String>,
    #[serde(default)]
    error_code: Vec<String>,
    #[serde(default)]
    status: Vec<u16>,
    #[serde(default)]
    service: Vec<String>,
    missing_class: Option<String>,
    #[serde(default)]
    s3: bool,
    confidence: f64,
}

/// One way a failure shows in a trace; every present field must hold.
#[derive(Debug, Clone)]
pub struct Signature {
    /// Fully-qualified exception class (also matches abbreviated packages and the same simple name).
    pub exception: Option<String>,
    /// Searched in the exception's message.
    pub message: Option<Pattern>,
    /// Must match one frame of the same exception.
    pub frame: Option<Pattern>,
    /// Must match some class, message or frame anywhere in the chain.
    pub anywhere: Option<Pattern>,
    /// The AWS error code of the chain is one of these (canonical form; `KMS.*` matches a prefix).
    pub error_code: Vec<String>,
    /// The HTTP status of the chain is one of these, and no specific error code says otherwise.
    pub status: Vec<u16>,
    /// Services besides S3 whose answers `error_code` / `status` accept (`kms`, `sts`).
    pub service: Vec<String>,
    /// A linkage error in the chain names a class that matches.
    pub missing_class: Option<Pattern>,
    /// The chain must show that S3 is involved (an S3 class, frame, URI, host or service).
    pub s3: bool,
    /// How sure a match is (0..1).
    pub confidence: f64,
}

/// A known failure.
#[derive(Debug, Clone)]
pub struct FailureCase {
    /// Stable id.
    pub id: String,
    /// One of [`CATEGORIES`].
    pub category: String,
    /// One line.
    pub title: String,
    /// Any one of them identifies the case.
    pub signatures: Vec<Signature>,
    /// The cause.
    pub explanation: String,
    /// Ordered fix steps.
    pub fix: Vec<String>,
    /// `check` rules that would have caught it before deploy.
    pub lint_rules: Vec<String>,
    /// Where the wordings come from.
    pub sources: Vec<String>,
}

/// Every known failure case.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// The cases, in file order (built-in first).
    pub cases: Vec<FailureCase>,
}

impl Catalog {
    /// The embedded catalogue.
    pub fn builtin() -> Result<Self, String> {
        let mut c = Catalog::default();
        // Compiled on first use: a test compiles every built-in pattern.
        let raw: RawCatalog =
            serde_json::from_str(BUILTIN_FAILURES_JSON).map_err(|e| format!("rules/failures.yaml: {e}"))?;
        c.add_raw(raw, "rules/failures.yaml", true)?;
        Ok(c)
    }

    /// Adds the cases of a YAML text (same schema; every regex compiled now, so a bad one is an error); `origin`
    /// names it in errors.
    pub fn extend_from_str(&mut self, text: &str, origin: &str) -> Result<(), String> {
        if let Some(at) = crate::yaml_depth::too_deep(text, crate::yaml_depth::MAX_DEPTH) {
            let p = crate::source::SourceFile::new(origin, origin, text).position(at);
            return Err(format!(
                "{origin}:{}:{}: YAML nested deeper than {} levels; failure cases need far fewer",
                p.line,
                p.column,
                crate::yaml_depth::MAX_DEPTH
            ));
        }
        let raw: RawCatalog = serde_yaml::from_str(text).map_err(|e| match e.location() {
            Some(l) => format!("{origin}:{}:{}: {e}", l.line(), l.column()),
            None => format!("{origin}: {e}"),
        })?;
        self.add_raw(raw, origin, false)
    }

    fn add_raw(&mut self, raw: RawCatalog, origin: &str, lazy: bool) -> Result<(), String> {
        for rc in raw.cases {
            if !CATEGORIES.contains(&rc.category.as_str()) {
                return Err(format!("{origin}: case `{}` has unknown category `{}`", rc.id, rc.category));
            }
            if self.cases.iter().any(|c| c.id == rc.id) {
                return Err(format!("{origin}: case `{}` is defined twice", rc.id));
            }
            let mut signatures = Vec::new();
            for (i, s) in rc.signatures.into_iter().enumerate() {
                let compile = |p: Option<String>| -> Result<Option<Pattern>, String> {
                    p.map(|p| {
                        if lazy {
                            Ok(Pattern::lazy(&p))
                        } else {
                            Pattern::eager(&p)
                                .map_err(|e| format!("{origin}: case `{}` signature {}: {e}", rc.id, i + 1))
                        }
                    })
                    .transpose()
                };
                if s.exception.is_none()
                    && s.message.is_none()
                    && s.error_code.is_empty()
                    && s.status.is_empty()
                    && s.missing_class.is_none()
                {
                    return Err(format!(
                        "{origin}: case `{}` signature {} needs `exception`, `message`, `error_code`, `status` or \
                         `missing_class`",
                        rc.id,
                        i + 1
                    ));
                }
                signatures.push(Signature {
                    exception: s.exception,
                    message: compile(s.message)?,
                    frame: compile(s.frame)?,
                    anywhere: compile(s.anywhere)?,
                    error_code: s.error_code,
                    status: s.status,
                    service: s.service.iter().map(|s| s.to_ascii_lowercase()).collect(),
                    missing_class: compile(s.missing_class)?,
                    s3: s.s3,
                    confidence: s.confidence.clamp(0.0, 1.0),
                });
            }
            self.cases.push(FailureCase {
                id: rc.id,
                category: rc.category,
                title: rc.title,
                signatures,
                explanation: rc.explanation.trim().to_string(),
                fix: rc.fix,
                lint_rules: rc.lint_rules,
                sources: rc.sources,
            });
        }
        Ok(())
    }

    /// The case with this id.
    pub fn find(&self, id: &str) -> Option<&FailureCase> {
        self.cases.iter().find(|c| c.id == id)
    }
}

/// True when `written` (as in a trace, possibly abbreviated: `o.a.h.fs.s3a.X`) names the class `wanted`.
pub fn class_matches(written: &str, wanted: &str) -> bool {
    if written == wanted {
        return true;
    }
    let (w_pkg, w_simple) = written.rsplit_once('.').unwrap_or(("", written));
    let (p_pkg, p_simple) = wanted.rsplit_once('.').unwrap_or(("", wanted));
    if w_simple != p_simple {
        return false;
    }
    if w_pkg.is_empty() || p_pkg.is_empty() {
        return true;
    }
    // Abbreviated packages: each written segment is the full segment or a prefix of it.
    let ws: Vec<&str> = w_pkg.split('.').collect();
    let ps: Vec<&str> = p_pkg.split('.').collect();
    ws.len() == ps.len() && ws.iter().zip(&ps).all(|(w, p)| p.starts_with(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_pattern_compiles() {
        let catalog = Catalog::builtin().unwrap();
        let mut n = 0;
        for case in &catalog.cases {
            for sig in &case.signatures {
                for p in [&sig.message, &sig.frame, &sig.anywhere, &sig.missing_class].into_iter().flatten() {
                    assert!(p.regex().is_some(), "{}: {} does not compile", case.id, p.as_str());
                    n += 1;
                }
            }
        }
        assert!(n > 100, "{n} patterns");
    }

    #[test]
    fn abbreviated_classes_match_their_full_names() {
        assert!(class_matches(
            "o.a.h.fs.s3a.AWSBadRequestException",
            "org.apache.hadoop.fs.s3a.AWSBadRequestException"
        ));
        assert!(class_matches("java.io.IOException", "java.io.IOException"));
        assert!(class_matches("IOException", "java.io.IOException"));
        assert!(!class_matches("java.io.FileNotFoundException", "java.io.IOException"));
        assert!(!class_matches("com.example.IOException", "java.io.IOException"));
    }
}
