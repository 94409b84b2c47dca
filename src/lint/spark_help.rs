//! Help in Spark's terms, for the rules whose fix differs on Spark: `spark.jars.packages` / `--packages` instead
//! of copying jars into Flink's `lib/`, and `spark.hadoop.`-prefixed keys in `spark-defaults.conf`.

use crate::deployment::Deployment;
use crate::deployment::config::ConfigKind;
use crate::deployment::spark_classpath::{PACKAGES_KEY, packages};
use crate::deployment::spark_conf::SPARK_HADOOP_PREFIX;
use crate::knowledge::jars::knowledge;

/// True when the help should be Spark's: a Spark deployment that is not also a Flink one.
pub fn spark_terms(d: &Deployment) -> bool {
    d.is_spark() && !d.is_flink()
}

/// The `org.apache.hadoop:hadoop-aws:<version>` coordinate that fits the Hadoop of Spark's `jars/`.
pub fn hadoop_aws_coordinate(d: &Deployment) -> Option<String> {
    d.hadoop_version.as_ref().map(|h| format!("org.apache.hadoop:hadoop-aws:{}", h.version))
}

/// How to bring hadoop-aws to Spark: the `spark.jars.packages` line (appended to an existing value), or
/// `--packages`, and the SDK it brings.
pub fn add_hadoop_aws(d: &Deployment) -> String {
    let Some(coordinate) = hadoop_aws_coordinate(d) else {
        return format!(
            "Add `org.apache.hadoop:hadoop-aws:<the Hadoop version of Spark's jars/, from hadoop-client-api-*.jar>` to \
             `{PACKAGES_KEY}` in spark-defaults.conf (or `--packages` of spark-submit)."
        );
    };
    let sdk = d.hadoop_version.as_ref().and_then(|h| knowledge().hadoop_line(&h.version).map(|l| (l, &h.version))).map(
        |(line, v)| {
            let set = &line.sdk.sets[0];
            let version = line.pinned_sdk(v).map(|p| p.version.clone()).unwrap_or_else(|| set.version.clone());
            format!(
                " it brings the AWS SDK that release was built with (`{}:{}:{version}`)",
                set.group, set.artifacts[0]
            )
        },
    );
    let sdk = sdk.map(|s| format!(";{s}")).unwrap_or_default();
    let existing = packages(d).first().map(|p| p.setting.entry.value.trim().to_string());
    match existing {
        Some(value) if !value.is_empty() => format!(
            "Add `{coordinate}` to the `{PACKAGES_KEY}` list in spark-defaults.conf: `{PACKAGES_KEY} {value},{coordinate}` \
             (or pass `--packages {coordinate}` to spark-submit){sdk}."
        ),
        _ => format!(
            "Add `{PACKAGES_KEY} {coordinate}` to spark-defaults.conf (or pass `--packages {coordinate}` to \
             spark-submit){sdk}; do not copy a hadoop-aws of another release into `jars/`."
        ),
    }
}

/// The key as the user writes it in the file of `kind`: `spark.hadoop.X` in spark-defaults.conf, else `X`.
pub fn key_as_written(kind: ConfigKind, hadoop_key: &str) -> String {
    if kind.is_spark() { format!("{SPARK_HADOOP_PREFIX}{hadoop_key}") } else { hadoop_key.to_string() }
}

/// Points a jar finding about a `spark.jars.packages` coordinate (a jar with no file) at the coordinate in
/// `spark-defaults.conf`, where the user wrote it.
pub fn retarget_declared_jars(d: &Deployment, findings: &mut [crate::lint::Finding]) {
    for f in findings.iter_mut() {
        let crate::lint::Target::Path(display) = &f.target else { continue };
        if let Some(at) = d.jars.iter().find(|j| &j.display == display).and_then(|j| j.declared_at) {
            f.target = crate::lint::Target::Source(at);
        }
    }
}
