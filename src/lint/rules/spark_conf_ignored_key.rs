use super::notes;
use crate::declare_rule;
use crate::deployment::Deployment;
use crate::deployment::config::NoteKind;
use crate::lint::{Finding, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it catches
    /// Settings in `spark-defaults.conf` that Spark never applies:
    /// - a key that does not start with `spark.` (`fs.s3a.access.key`, `hadoop.security.…`, a key behind a
    ///   byte-order mark at the top of the file, a line that starts with `=`): spark-submit drops it with
    ///   "Ignoring non-Spark config property";
    /// - `-Dspark.…` system properties inside `spark.executor.extraJavaOptions` (Spark refuses to start:
    ///   "spark.executor.extraJavaOptions is not allowed to set Spark options") or
    ///   `spark.driver.extraJavaOptions` (not a Spark or Hadoop setting: the driver's configuration is already
    ///   read when its JVM options apply, and Spark does not hand them to Hadoop).
    ///
    /// ## Why it matters
    /// The S3A setting the author wrote (an endpoint, credentials, a buffer directory) has no effect: the job
    /// runs with Hadoop's defaults and fails far from the cause, or the SparkContext does not start at all.
    ///
    /// ## How to fix
    /// Give Hadoop keys Spark's prefix, one per line: `spark.hadoop.fs.s3a.endpoint https://…`; save the file
    /// without a byte-order mark.
    pub SparkConfIgnoredKey => "spark-conf-ignored-key", Warning, "a spark-defaults.conf setting Spark drops or refuses (no spark. prefix, -Dspark. in extraJavaOptions)"
}

impl Rule for SparkConfIgnoredKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        for (_, note) in notes(d).filter(|(_, n)| n.kind == NoteKind::NonSparkKey) {
            let help = match note.key.as_deref() {
                Some(k) if crate::deployment::spark_conf::hadoop_keyish(k) => {
                    format!(
                        "Write it as `spark.hadoop.{k}`: Spark passes `spark.hadoop.*` keys to Hadoop without the prefix."
                    )
                }
                Some(k) if !k.is_empty() && k.to_ascii_lowercase().starts_with("spark.") => {
                    format!("Write the prefix in lower case: `spark.{}` (Spark keys are case-sensitive).", &k[6..])
                }
                Some(k) if !k.is_empty() => {
                    "Write the `spark.` key that was meant; spark-submit keeps only keys that start with `spark.`."
                        .to_string()
                }
                _ => "Save the file as UTF-8 without a byte-order mark, and write each setting as `key value`."
                    .to_string(),
            };
            let mut f = Self::META.finding(note.at, note.message.clone(), help);
            if let Some(k) = &note.key {
                f = f.with_key(k.clone());
            }
            out.push(f);
        }
        for (key, fatal) in [("spark.executor.extraJavaOptions", true), ("spark.driver.extraJavaOptions", false)] {
            for s in d.settings(key).filter(|s| s.config.kind.is_spark()) {
                let names: Vec<&str> = s
                    .entry
                    .value
                    .split_whitespace()
                    .filter_map(|o| o.strip_prefix("-D"))
                    .filter(|o| o.starts_with("spark."))
                    .map(|o| o.split('=').next().unwrap_or(o))
                    .collect();
                let Some(first) = names.first() else { continue };
                let as_line = first.to_string();
                let (message, severity) = if fatal {
                    (
                        format!(
                            "`{key}` sets the Spark option `{first}` as a JVM system property: Spark refuses to start (\"{key} is not allowed to set Spark options\")"
                        ),
                        Severity::Error,
                    )
                } else {
                    (
                        format!(
                            "`{key}` sets `{first}` as a JVM system property: that is neither a Spark setting nor a Hadoop key for Spark, which reads spark-defaults.conf itself"
                        ),
                        Severity::Warning,
                    )
                };
                out.push(
                    Self::META
                        .finding(
                            s.entry.value_at,
                            message,
                            format!("Move it out of `{key}` onto its own line: `{as_line} <value>`."),
                        )
                        .with_severity(severity)
                        .with_key(key.to_string()),
                );
            }
        }
    }
}
