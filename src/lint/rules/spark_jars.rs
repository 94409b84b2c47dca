//! Spark's side of `jar-version-mismatch`: a Hadoop module on Spark's classpath (`jars/`, the jars and the
//! `spark.jars.packages` of `spark-defaults.conf`) of another release than the Hadoop client Spark ships, with the
//! fix in Spark's terms and, for a coordinate of `spark.jars.packages`, the finding on the user's line.

use crate::deployment::version::Version;
use crate::deployment::{Deployment, JarPlace};
use crate::lint::classpath_facts::HadoopJar;
use crate::lint::image_help::{is_spark_application, maven_url};
use crate::lint::{Finding, RuleMeta};

/// The finding for Hadoop module `m` of Spark's classpath that is not Hadoop `want`.
pub(super) fn hadoop_module_mismatch(
    d: &Deployment,
    meta: &'static RuleMeta,
    m: &HadoopJar<'_>,
    want: &Version,
    message: String,
) -> Finding {
    let coordinate = format!("org.apache.hadoop:{}:{want}", m.artifact);
    let url = maven_url("org.apache.hadoop", m.artifact, &want.to_string());
    match (&m.jar.place, m.jar.declared_at) {
        (JarPlace::SparkPackage, Some(at)) if is_spark_application(d) => meta.finding(
            at,
            message,
            format!(
                "Ask for the release of the image's Spark jars/: replace `org.apache.hadoop:{}:{}` by `{coordinate}` \
                 in `spec.deps.packages`; its AWS SDK comes with it.",
                m.artifact, m.version
            ),
        ),
        (JarPlace::SparkConfigured, Some(at)) if is_spark_application(d) => meta.finding(
            at,
            message,
            format!(
                "Replace it in `spec.deps.jars` by {url}, or list `{coordinate}` in `spec.deps.packages` instead \
                 (its AWS SDK comes with it)."
            ),
        ),
        (JarPlace::SparkPackage, Some(at)) => meta.finding(
            at,
            message,
            format!(
                "Ask for the release of Spark's jars/: replace `org.apache.hadoop:{}:{}` by `{coordinate}` in \
                 `spark.jars.packages` (or `--packages`); its AWS SDK comes with it.",
                m.artifact, m.version
            ),
        ),
        // A jar an image build put into Spark's jars/: the fix is in the Dockerfile, at the line that placed it.
        (JarPlace::SparkJars, Some(at)) => meta.finding(
            at,
            message,
            format!(
                "Put `{}-{want}.jar` into the image instead ({url}), with the AWS SDK that Hadoop release was built \
                 with.",
                m.artifact
            ),
        ),
        _ => meta.finding_on_path(
            &m.jar.display,
            message,
            format!(
                "Remove `{}` and let spark-submit fetch the matching release: `spark.jars.packages {coordinate}` in \
                 spark-defaults.conf (or `--packages {coordinate}`).",
                m.jar.file_name
            ),
        ),
    }
}
