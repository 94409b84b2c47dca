use crate::declare_rule;
use crate::deployment::Deployment;
use crate::deployment::spark_classpath::invalid_packages;
use crate::lint::{Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it catches
    /// An item of `spark.jars.packages` that is not a Maven coordinate Spark accepts: not exactly
    /// `groupId:artifactId:version` (`groupId/artifactId:version` is accepted too), a blank part, or an empty item
    /// between two commas — checked as Spark's `SparkSubmitUtils.extractMavenCoordinates` checks it.
    ///
    /// ## Why it matters
    /// spark-submit refuses the whole list before anything runs ("Provided Maven Coordinates must be in the form
    /// 'groupId:artifactId:version'"), so none of the packages — hadoop-aws included — reaches the classpath.
    ///
    /// ## How to fix
    /// Write each package as `groupId:artifactId:version`, separated by commas, e.g.
    /// `spark.jars.packages org.apache.hadoop:hadoop-aws:3.3.4,io.delta:delta-spark_2.12:3.2.0`.
    pub SparkPackageInvalid => "spark-package-invalid", Error, "a spark.jars.packages item that is not a Maven coordinate spark-submit accepts"
}

impl Rule for SparkPackageInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        for p in invalid_packages(d) {
            let shown =
                if p.text.trim().is_empty() { "an empty item".to_string() } else { format!("`{}`", p.text.trim()) };
            out.push(
                Self::META
                    .finding(
                        p.at,
                        format!("{shown} in `spark.jars.packages` is not a Maven coordinate: spark-submit fails with \"{}\"", p.reason),
                        "Write each package as `groupId:artifactId:version`, separated by commas (no empty items).",
                    )
                    .with_key("spark.jars.packages"),
            );
        }
    }
}
