use crate::declare_rule;
use crate::deployment::config::ConfigKind;
use crate::deployment::{Deployment, FlinkS3Plugin, Setting};
use crate::knowledge::keys::catalogue;
use crate::lint::facts::under_foreign_impl;
use crate::lint::{Finding, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it catches
    /// A key in an S3 namespace that no Hadoop or Flink version reads: under `fs.s3a.` (also per bucket,
    /// `fs.s3a.bucket.NAME.KEY`, checked against its base `fs.s3a.KEY`), `fs.s3.` and `fs.s3n.` in Hadoop XML, and
    /// under Flink's `s3.` / `s3a.` / `fs.s3a.` (checked against Flink's S3 options and the S3A keys
    /// `flink-s3-fs-hadoop` passes them to). With a likely typo it says which key was meant (`fs.s3a.acess.key` ->
    /// `fs.s3a.access.key`, `fs.s3a.endpoint.regoin` -> `fs.s3a.endpoint.region`); in `spark-defaults.conf`, the
    /// `spark.hadoop.fs.s3a.*` keys Spark hands to Hadoop (suggested with their `spark.hadoop.` prefix).
    ///
    /// ## Why it matters
    /// Hadoop and Flink ignore keys they do not know, silently: a misspelt endpoint, region, credential or
    /// tuning key has no effect, and the job runs with the default — or fails far from the cause (a 301 redirect
    /// for a misspelt region, "No AWS Credentials provided" for a misspelt key).
    ///
    /// ## How to fix
    /// Use the suggested spelling. The catalogue (`rules/keys.yaml`) holds every `fs.s3a.*` key of
    /// `core-default.xml` and S3A's `Constants.java` from Hadoop 2.6 to 3.5 and Flink's S3 options; a key that is
    /// right but missing there can be silenced with `ignore: [unknown-key]` in `.s3lint.yaml` (and reported to
    /// s3lint). With only the Presto plugin installed, Flink's `s3.*` keys are Presto's and are not checked; when
    /// `fs.s3.impl` names another vendor's filesystem (EMRFS), the `fs.s3.*` keys are that filesystem's.
    pub UnknownKey => "unknown-key", Warning, "a key in an S3 namespace that no version knows, with a did-you-mean"
}

impl Rule for UnknownKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let k = catalogue();
        let presto = d.installed_s3_plugins().iter().any(|(p, _)| *p == FlinkS3Plugin::Presto);
        for s in d.all_settings() {
            let written = &s.entry.key;
            // Flink's `s3.X` is also Presto's `presto.s3.X` when the Presto plugin serves it.
            let presto_name = written.starts_with("s3.") && k.flink(&format!("presto.{written}")).is_some();
            if k.knows(s.key) || k.flink(written).is_some() || presto_name || under_foreign_impl(d, s.key) {
                continue;
            }
            if !in_scope(&s, presto) {
                // Outside the S3 namespaces only a near miss of a catalogued Flink filesystem key is reported.
                if let Some(suggestion) = s.config.kind.is_flink().then(|| k.suggest(written)).flatten() {
                    out.push(
                        Self::META
                            .finding(
                                s.entry.key_at,
                                format!(
                                    "`{written}` is not a Flink key, so Flink ignores it: did you mean `{suggestion}`?"
                                ),
                                format!("Rename it to `{suggestion}` (Flink keys are case-sensitive)."),
                            )
                            .with_key(written.clone())
                            .with_suggestion(rename(d, &s, &suggestion).1.unwrap_or(suggestion)),
                    );
                }
                continue;
            }
            let reader = match s.config.kind {
                ConfigKind::HadoopXml => "Hadoop",
                ConfigKind::SparkConf => "Spark's Hadoop",
                _ => "Flink's S3 filesystem",
            };
            // In spark-defaults.conf the key is judged as the Hadoop key it becomes, and suggested with its prefix.
            let suggested = if s.config.kind.is_spark() {
                k.suggest(s.key).map(|h| crate::lint::spark_help::key_as_written(s.config.kind, &h))
            } else {
                k.suggest(written)
            };
            let finding = match suggested {
                Some(suggestion) => {
                    let (help, replacement) = rename(d, &s, &suggestion);
                    let f = Self::META.finding(
                        s.entry.key_at,
                        format!("`{written}` is not a key any Hadoop or Flink version reads, so {reader} ignores it: did you mean `{suggestion}`?"),
                        help,
                    );
                    match replacement {
                        Some(r) => f.with_suggestion(r),
                        None => f,
                    }
                }
                None => Self::META
                    .finding(
                        s.entry.key_at,
                        format!("`{written}` is not a key s3lint knows in this namespace (Hadoop 2.6 to 3.5, Flink's S3 options); if it is misspelt, {reader} ignores it"),
                        "Check the spelling against the S3A documentation; if the key is right, add `unknown-key` to `ignore` in .s3lint.yaml.",
                    )
                    .with_severity(Severity::Info),
            };
            out.push(finding.with_key(written.clone()));
        }
    }
}

/// The help for renaming a key, and the text that replaces the key as written at its span: the whole key, or —
/// in a nested `config.yaml`, where the span holds only the last pieces (`connection.maxium` under `s3:`) — the
/// same last pieces of the suggestion.
pub(crate) fn rename(d: &Deployment, s: &Setting<'_>, suggestion: &str) -> (String, Option<String>) {
    let at = s.entry.key_at;
    let written = s.entry.key.as_str();
    let text = d.sources.get(at.file).text.get(at.span.start..at.span.end).unwrap_or(written);
    if text == written {
        return (format!("Rename it to `{suggestion}`."), Some(suggestion.to_string()));
    }
    let tail = written
        .strip_suffix(text)
        .and_then(|prefix| suggestion.strip_prefix(prefix))
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    match &tail {
        Some(t) => (format!("Rename it to `{suggestion}`: write `{t}` where `{text}` is."), tail),
        None => (format!("Rename it to `{suggestion}`."), None),
    }
}

/// Keys this rule judges: Hadoop XML under `fs.s3a.`, `fs.s3.`, `fs.s3n.`; Flink keys that `flink-s3-fs-hadoop`
/// passes to S3A (`s3.`, `s3a.`, `fs.s3a.`), unless the Presto plugin (whose own `s3.` names are not catalogued)
/// is installed.
fn in_scope(s: &Setting<'_>, presto_installed: bool) -> bool {
    let written = s.entry.key.as_str();
    if s.config.kind.is_spark() {
        // `spark.hadoop.fs.s3a.X` is Hadoop's `fs.s3a.X`; Spark's own keys are not S3 keys.
        return written.starts_with("spark.hadoop.")
            && ["fs.s3a.", "fs.s3.", "fs.s3n."].iter().any(|p| s.key.starts_with(p));
    }
    if s.config.kind == ConfigKind::HadoopXml {
        return ["fs.s3a.", "fs.s3.", "fs.s3n."].iter().any(|p| written.starts_with(p));
    }
    if written.starts_with("fs.s3a.") {
        return true;
    }
    !presto_installed && (written.starts_with("s3.") || written.starts_with("s3a."))
}
