use crate::declare_rule;
use crate::deployment::version::Version;
use crate::deployment::{Deployment, Setting};
use crate::knowledge::keys::catalogue;
use crate::lint::facts::under_foreign_impl;
use crate::lint::{Finding, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it catches
    /// A deprecated or removed key, with its replacement (from `rules/keys.yaml`):
    /// - S3A keys renamed or retired: `fs.s3a.server-side-encryption-algorithm` -> `fs.s3a.encryption.algorithm`
    ///   (and `.key`), `fs.s3a.fast.upload` (block upload is the only mechanism), `fs.s3a.threads.core`, ...;
    /// - S3Guard's keys, ignored from Hadoop 3.3.5 — and `fs.s3a.metadatastore.impl` naming the DynamoDB store,
    ///   which makes S3A refuse to start there;
    /// - the `s3://` block filesystem's `fs.s3.*` and NativeS3's `fs.s3n.*` keys, removed in Hadoop 3.0;
    /// - Flink keys renamed (`state.checkpoints.dir` -> `execution.checkpointing.dir` from Flink 1.20) or no
    ///   longer read (`fs.hdfs.hadoopconf` in Flink 2.x).
    ///
    /// Keys still valid for the deployment's own version are not reported: `fs.s3.awsAccessKeyId` is fine on
    /// Hadoop 2.7, `state.checkpoints.dir` on Flink 1.17.
    ///
    /// ## Why it matters
    /// A removed key is silently ignored: the setting the file promises (an encryption algorithm, a buffer, a
    /// Hadoop conf dir) is not applied. A deprecated key still works but will not survive the next upgrade.
    ///
    /// ## How to fix
    /// Rename the key as the message says, or remove it when nothing replaces it.
    pub DeprecatedKey => "deprecated-key", Warning, "a deprecated or removed key, with its replacement"
}

impl Rule for DeprecatedKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let hadoop = d.hadoop_version.as_ref().map(|h| &h.version);
        let flink = d.flink_version.as_ref().map(|f| &f.version);
        for s in d.effective_settings() {
            let finding = match flink_deprecation(d, &s, flink) {
                Some(f) => Some(f),
                None => hadoop_deprecation(d, &s, hadoop),
            };
            if let Some(f) = finding {
                out.push(f.with_key(s.entry.key.clone()));
            }
        }
    }
}

/// What to write instead: a key name as `` `key` ``, a sentence as it is.
fn instead(deprecated: &str) -> String {
    if deprecated.contains(' ') { deprecated.to_string() } else { format!("use `{deprecated}` instead") }
}

/// [`hadoop_finding`], with the replacement key as the suggestion when it is one key written the same way
/// (not per bucket, not through Flink's key mapping).
fn hadoop_deprecation(d: &Deployment, s: &Setting<'_>, hadoop: Option<&Version>) -> Option<Finding> {
    let f = hadoop_finding(d, s, hadoop)?;
    let replacement = catalogue().get(s.key).and_then(|i| i.deprecated.as_deref()).filter(|r| !r.contains(' '));
    match replacement {
        Some(r) if s.entry.key == s.key && catalogue().get(r).is_some() => Some(f.with_suggestion(r)),
        _ => Some(f),
    }
}

fn hadoop_finding(d: &Deployment, s: &Setting<'_>, hadoop: Option<&Version>) -> Option<Finding> {
    if s.config.kind.is_flink() && !s.entry.key.starts_with("fs.s3a.") && s.key == s.entry.key {
        return None; // a Flink key that is not passed to Hadoop
    }
    // EMRFS and other vendors' filesystems read their own `fs.s3.*` keys, whatever Hadoop removed.
    if under_foreign_impl(d, s.key) {
        return None;
    }
    let (info, _) = catalogue().resolve(s.key)?;
    let deprecated = info.deprecated.as_deref()?;
    // In spark-defaults.conf the replacement is written with Spark's `spark.hadoop.` prefix.
    let spark_written;
    let deprecated = if s.config.kind.is_spark() && !deprecated.contains(' ') {
        spark_written = crate::lint::spark_help::key_as_written(s.config.kind, deprecated);
        spark_written.as_str()
    } else {
        deprecated
    };
    let written = &s.entry.key;
    let removed = info.removed_in.as_deref().map(Version::parse);
    // Not yet deprecated on the deployment's own Hadoop.
    if let (Some(since), Some(v)) = (info.deprecated_in.as_deref(), hadoop)
        && *v < Version::parse(since)
    {
        return None;
    }
    // S3Guard's DynamoDB store on a Hadoop without S3Guard: S3A refuses to start.
    let dynamo = s.key.ends_with("metadatastore.impl") && s.entry.value.contains("DynamoDBMetadataStore");
    match (&removed, hadoop) {
        (Some(r), Some(v)) if v >= r => {
            let (severity, effect) = if dynamo {
                (
                    Severity::Error,
                    "S3A refuses to start with a DynamoDB metadata store (\"S3Guard is no longer needed/supported\")",
                )
            } else {
                (Severity::Warning, "the setting is silently ignored")
            };
            Some(
                DeprecatedKey::META
                    .finding(
                        s.entry.key_at,
                        format!("`{written}` was removed in Hadoop {r} and this deployment runs Hadoop {v}: {effect}"),
                        capitalise(&instead(deprecated)),
                    )
                    .with_severity(severity),
            )
        }
        // Still valid on the deployment's own (older) Hadoop.
        (Some(_), Some(_)) => None,
        (Some(r), None) => Some(
            DeprecatedKey::META
                .finding(
                    s.entry.key_at,
                    format!("`{written}` has no effect from Hadoop {r} on"),
                    capitalise(&instead(deprecated)),
                )
                .with_severity(Severity::Info),
        ),
        (None, _) => Some(
            DeprecatedKey::META
                .finding(s.entry.key_at, format!("`{written}` is deprecated"), capitalise(&instead(deprecated)))
                .with_severity(Severity::Info),
        ),
    }
}

fn flink_deprecation(d: &Deployment, s: &Setting<'_>, flink: Option<&Version>) -> Option<Finding> {
    if !s.config.kind.is_flink() {
        return None;
    }
    let k = catalogue();
    let info = k.flink(&s.entry.key)?;
    let deprecated = info.deprecated.as_deref()?;
    let v = flink?;
    let written = &s.entry.key;
    if let Some(r) = info.removed_in.as_deref().map(Version::parse).filter(|r| v >= r) {
        return Some(
            DeprecatedKey::META.finding(
                s.entry.key_at,
                format!("`{written}` is no longer read by Flink {r} and later, and this deployment runs Flink {v}: the setting is silently ignored"),
                capitalise(&instead(deprecated)),
            ),
        );
    }
    let replacement = k.flink(deprecated)?;
    let since = Version::parse(replacement.since.as_deref()?);
    (*v >= since).then(|| {
        // In a nested config.yaml the span holds the last pieces of the key only: the suggestion replaces them.
        let (help, text) = super::unknown_key::rename(d, s, &replacement.key);
        let f = DeprecatedKey::META
            .finding(
                s.entry.key_at,
                format!("`{written}` is deprecated since Flink {since} (still read as `{}`)", replacement.key),
                help,
            )
            .with_severity(Severity::Info);
        match text {
            Some(t) => f.with_suggestion(t),
            None => f,
        }
    })
}

fn capitalise(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    crate::lint::capitalised(s) + if s.ends_with('.') { "" } else { "." }
}
