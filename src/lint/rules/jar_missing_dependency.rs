use crate::declare_rule;
use crate::deployment::Classpath;
use crate::deployment::Deployment;
use crate::knowledge::jars::{HadoopLine, knowledge};
use crate::lint::classpath_facts::{
    HadoopFs, HadoopFsUse, classless_sdk_jars, find, hadoop_aws, hadoop_fs_uses, line_of, sdk_jars,
};
use crate::lint::spark_help::{add_hadoop_aws, spark_terms};
use crate::lint::{Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it catches
    /// The Hadoop S3 filesystem that the configuration selects (`fs.s3.impl` / `fs.s3a.impl` / `fs.s3n.impl`, or
    /// `s3a://` / `s3n://` URIs with no Flink plugin serving them) lacks jars it needs on the classpath that loads
    /// it (Flink's `lib/` with `HADOOP_CLASSPATH`, a given `--classpath`, a Hadoop home):
    /// - `hadoop-aws` itself (Hadoop 2.6+ keeps S3AFileSystem and NativeS3FileSystem there);
    /// - an AWS SDK for S3A, of the packaging its Hadoop line uses, with every module of a split SDK — a jar that
    ///   holds none of the SDK's classes does not count: a `-sources.jar` or `-javadoc.jar`, or
    ///   `aws-java-sdk-<1.9.0 or later>.jar`, the aggregator whose jar is only a POM depending on every module;
    /// - the helper jars the Flink guide lists for Hadoop 2.6 and 2.7 (jackson, joda-time, httpclient, httpcore
    ///   for S3A; guava for NativeS3);
    /// - NativeS3FileSystem on Hadoop 3, where it no longer exists;
    /// - hadoop-aws installed without its AWS SDK while nothing s3lint sees selects S3A (an image that adds the
    ///   jars for jobs configured elsewhere): a warning at the jar, or at the Dockerfile line that downloads it.
    ///
    /// ## Why it matters
    /// The first access to the bucket fails with `ClassNotFoundException: Class
    /// org.apache.hadoop.fs.s3a.S3AFileSystem not found` or a `NoClassDefFoundError` for a class of the missing
    /// jar (`com/amazonaws/AmazonClientException`, `com/fasterxml/jackson/...`), on the JobManager or, worse, only
    /// on TaskManagers at the first checkpoint.
    ///
    /// ## How to fix
    /// Copy the missing jars from `share/hadoop/tools/lib/` of the same Hadoop release into Flink's `lib/` (on
    /// every machine), or export that directory in `HADOOP_CLASSPATH`. Simpler on Flink 1.9+: use the
    /// self-contained `flink-s3-fs-hadoop` plugin in `plugins/s3-fs-hadoop/` and no Hadoop jars at all. On Spark,
    /// add `org.apache.hadoop:hadoop-aws:<the Hadoop version of jars/>` to `spark.jars.packages` (or
    /// `--packages`): spark-submit resolves it with the AWS SDK that release was built with.
    pub JarMissingDependency => "jar-missing-dependency", Error, "a filesystem's required jars are absent from its classpath"
}

impl Rule for JarMissingDependency {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let Some(cp) = d.main_classpath() else { return };
        let uses = hadoop_fs_uses(d);
        if uses.is_empty() {
            installed_without_sdk(d, cp, out);
        }
        for u in uses {
            let report = |message: String, help: String| {
                let text = format!("{} is used ({}) but {message} on {}", u.fs.simple_name(), u.why, cp.name);
                Self::META.finding(u.at, text, help)
            };
            let Some((aws, aws_version)) = hadoop_aws(d, cp) else {
                if let Some(f) = without_hadoop_aws(d, &u) {
                    out.push(report(f.0, f.1));
                }
                continue;
            };
            let Some(line) = line_of(&aws_version) else { continue };
            let mut missing: Vec<String> = Vec::new();
            match u.fs {
                HadoopFs::S3a => {
                    missing.extend(missing_sdk(d, cp, line));
                    for h in &line.s3a_helpers {
                        if find(d, cp, &h.artifact).is_none() && !bundled(d, cp, &h.artifact) {
                            missing.push(format!("`{}`", h.guide_jar));
                        }
                    }
                }
                HadoopFs::NativeS3 => {
                    if !knowledge().has_native_s3(&aws_version) {
                        // An s3n:// URI alone is scheme-mismatch's; a class named in `fs.<scheme>.impl` is ours.
                        if !u.explicit {
                            continue;
                        }
                        out.push(report(
                            format!("`{}` is Hadoop {aws_version}, which no longer has it (removed in Hadoop 3.0)", aws.file_name),
                            "Move to S3A: set `fs.s3.impl` (and use s3a:// URIs) with `org.apache.hadoop.fs.s3a.S3AFileSystem`, or install the `flink-s3-fs-hadoop` plugin.".to_string(),
                        ));
                        continue;
                    }
                    for h in &line.native_helpers {
                        if find(d, cp, &h.artifact).is_none() && !bundled(d, cp, &h.artifact) {
                            missing.push(format!("`{}`", h.guide_jar));
                        }
                    }
                }
            }
            if missing.is_empty() {
                continue;
            }
            let list = missing.join(", ");
            out.push(report(
                format!("`{}` (Hadoop {aws_version}) needs {list}, which {} not", aws.file_name, if missing.len() == 1 { "is" } else { "are" }),
                format!(
                    "Copy {list} from `share/hadoop/tools/lib/` of Hadoop {aws_version} next to `{}` (on every JobManager and TaskManager), or add that directory to HADOOP_CLASSPATH.",
                    aws.file_name
                ),
            ));
        }
    }
}

/// The SDK jars hadoop-aws of `line` needs that the classpath lacks (none when an SDK of another packaging is
/// there: `jar-version-mismatch` reports that), the last one followed by the jars named like an SDK that hold no
/// classes.
fn missing_sdk(d: &Deployment, cp: &Classpath, line: &HadoopLine) -> Vec<String> {
    let mut missing: Vec<String> = Vec::new();
    let sdks = sdk_jars(d, cp);
    let satisfied = line
        .sdk
        .sets
        .iter()
        .any(|set| set.artifacts.iter().all(|a| sdks.iter().any(|s| s.jar.artifact.artifact == *a)));
    // An SDK of another packaging only (v1 bundle on Hadoop 3.4): jar-version-mismatch says it.
    let other_generation = !sdks.is_empty()
        && !sdks.iter().any(|s| line.sdk.sets.iter().any(|set| set.artifacts.contains(&s.jar.artifact.artifact)));
    if satisfied || other_generation {
        return Vec::new();
    }
    // Name what is missing from the set the user has started on, else from the built set.
    let started = line
        .sdk
        .sets
        .iter()
        .find(|set| set.artifacts.iter().any(|a| sdks.iter().any(|s| s.jar.artifact.artifact == *a)))
        .unwrap_or(&line.sdk.sets[0]);
    for a in &started.artifacts {
        if !sdks.iter().any(|s| s.jar.artifact.artifact == *a) {
            missing.push(format!("`{a}-{}.jar`", started.version));
        }
    }
    // A "SDK" that holds no classes (a `-sources.jar`, the aggregator) is said, not counted.
    let classless: Vec<String> =
        classless_sdk_jars(d, cp).iter().map(|(j, why)| format!("`{}` {why}", j.file_name)).collect();
    if let (Some(last), false) = (missing.last_mut(), classless.is_empty()) {
        last.push_str(&format!(" ({})", classless.join("; ")));
    }
    missing
}

/// hadoop-aws installed without the SDK it needs while nothing s3lint sees selects S3A (an image that adds the
/// jars for a job configured elsewhere): a warning at the jar, which a Dockerfile's line stands for.
fn installed_without_sdk(d: &Deployment, cp: &Classpath, out: &mut Vec<Finding>) {
    let Some((aws, aws_version)) = hadoop_aws(d, cp) else { return };
    let Some(line) = line_of(&aws_version) else { return };
    let missing = missing_sdk(d, cp, line);
    if missing.is_empty() {
        return;
    }
    let list = missing.join(", ");
    out.push(
        JarMissingDependency::META
            .finding_on_path(
                &aws.display,
                format!(
                    "`{}` (Hadoop {aws_version}) is installed without the AWS SDK it needs, {list}, on {}: the first s3a:// access fails with `NoClassDefFoundError: com/amazonaws/…`",
                    aws.file_name, cp.name
                ),
                format!("Install the SDK hadoop-aws {aws_version} was built with next to it: {list}."),
            )
            .with_severity(crate::lint::Severity::Warning),
    );
}

/// True when a shaded jar of the classpath bundles `artifact` (unrelocated helpers in an uber jar).
fn bundled(d: &Deployment, cp: &crate::deployment::Classpath, artifact: &str) -> bool {
    crate::lint::classpath_facts::readable(d, cp).any(|j| j.bundles.iter().any(|b| b.artifact == artifact))
}

/// The finding when hadoop-aws is absent: its message and help, or `None` when nothing is missing (NativeS3 on
/// Hadoop 2.4 and earlier lives in hadoop-common).
fn without_hadoop_aws(d: &Deployment, u: &HadoopFsUse) -> Option<(String, String)> {
    let k = knowledge();
    let hadoop = d.hadoop_version.as_ref();
    if let Some(h) = hadoop
        && !k.has_hadoop_aws(&h.version)
    {
        return match u.fs {
            HadoopFs::NativeS3 => None,
            HadoopFs::S3a => Some((
                format!("Hadoop {} (`{}`) has no S3A: it came with hadoop-aws in Hadoop 2.6", h.version, h.from),
                "Use Hadoop 2.7 or later with hadoop-aws, or the `flink-s3-fs-hadoop` plugin.".to_string(),
            )),
        };
    }
    // NativeS3 lived in hadoop-common up to Hadoop 2.5: without a known version, hadoop-aws may not be needed.
    if hadoop.is_none() && u.fs == HadoopFs::NativeS3 {
        return None;
    }
    let jar = match hadoop {
        Some(h) => format!("`hadoop-aws-{}.jar`", h.version),
        None if spark_terms(d) => "hadoop-aws (of the Hadoop release in Spark's jars/)".to_string(),
        None => "hadoop-aws (of the Hadoop release on the classpath)".to_string(),
    };
    if spark_terms(d) {
        return Some((format!("{jar}, which holds `{}`, is not", u.fs.class()), add_hadoop_aws(d)));
    }
    Some((
        format!("{jar}, which holds `{}`, is not", u.fs.class()),
        format!(
            "Copy {jar} and its AWS SDK from `share/hadoop/tools/lib/` of the same Hadoop release into Flink's `lib/`, or use the `flink-s3-fs-hadoop` plugin instead (`plugins/s3-fs-hadoop/`)."
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::code_fixtures::{at, dockerfile, findings};
    use crate::lint::Severity;

    const MAVEN: &str = "https://repo1.maven.org/maven2";

    fn image(sdk: &str) -> String {
        format!(
            "FROM apache/spark:3.5.3\nUSER root\nRUN cd /opt/spark/jars \\\n && curl -fsSLO {MAVEN}/org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar \\\n && curl -fsSLO {MAVEN}/com/amazonaws/aws-java-sdk-bundle/1.12.262/{sdk}\nUSER spark\n"
        )
    }

    #[test]
    fn an_image_with_hadoop_aws_and_only_the_sources_of_its_sdk_is_told_at_the_download() {
        let d = dockerfile(&image("aws-java-sdk-bundle-1.12.262-sources.jar"));
        let found = findings(&d, "jar-missing-dependency");
        assert_eq!(found.len(), 1, "{found:#?}");
        let f = &found[0];
        assert_eq!(f.severity, Severity::Warning, "nothing s3lint sees selects S3A");
        assert_eq!(at(&d, f).0, "4:5", "the curl that downloads hadoop-aws");
        assert!(
            f.message.contains("is installed without the AWS SDK it needs, `aws-java-sdk-bundle-1.12.262.jar` (`aws-java-sdk-bundle-1.12.262-sources.jar` holds its source code, not its classes)"),
            "{}",
            f.message
        );
        let d = dockerfile(&image("aws-java-sdk-bundle-1.12.262.jar"));
        assert!(findings(&d, "jar-missing-dependency").is_empty(), "the bundle itself is the SDK");
    }
}
