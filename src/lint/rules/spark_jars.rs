//! Spark's side of `jar-version-mismatch`: a Hadoop module on Spark's classpath (`jars/`, the jars and the
//! `spark.jars.packages` of `spark-defaults.conf`) of another release than the Hadoop client Spark ships, with the
//! fix in Spark's terms and, for a coordinate of `spark.jars.packages`, the finding on the user's line.

use crate::deployment::JarPlace;
use crate::deployment::version::Version;
use crate::lint::classpath_facts::HadoopJar;
use crate::lint::{Finding, RuleMeta};

/// Where image builds download Hadoop's jars from.
const MAVEN_CENTRAL: &str = "https://repo1.maven.org/maven2";

/// The finding for Hadoop module `m` of Spark's classpath that is not Hadoop `want`.
pub(super) fn hadoop_module_mismatch(
    meta: &'static RuleMeta,
    m: &HadoopJar<'_>,
    want: &Version,
    message: String,
) -> Finding {
    let coordinate = format!("org.apache.hadoop:{}:{want}", m.artifact);
    match (&m.jar.place, m.jar.declared_at) {
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
                "Put `{}-{want}.jar` into the image instead ({MAVEN_CENTRAL}/org/apache/hadoop/{}/{want}/{}-{want}.jar), \
                 with the AWS SDK that Hadoop release was built with.",
                m.artifact, m.artifact, m.artifact
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
