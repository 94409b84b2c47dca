use crate::declare_rule;
use crate::deployment::{Deployment, FlinkS3Plugin, JarPlace};
use crate::lint::facts::{describe, scheme_uses};
use crate::lint::{Finding, Rule, RuleMeta};

declare_rule! {
    /// ## What it catches
    /// `s3://` URIs in the configuration (checkpoint, savepoint or HA storage directories, `fs.defaultFS`,
    /// `fs.default-scheme`, any value) or legacy `fs.s3.*` keys, in a deployment where no Flink S3 filesystem
    /// (`flink-s3-fs-hadoop` or `flink-s3-fs-presto` in `plugins/` or `lib/`) serves `s3://` and Hadoop's
    /// `fs.s3.impl` is not set.
    ///
    /// ## Why it matters
    /// Without either, Flink falls back to Hadoop, which has no filesystem registered for the `s3` scheme, and the
    /// job fails at submission with `java.io.IOException: No file system found with scheme s3` (newer Flink:
    /// `Could not find a file system implementation for scheme 's3'`). `fs.s3a.*` keys alone do not help: they
    /// configure the `s3a://` scheme.
    ///
    /// ## How to fix
    /// Either install a Flink S3 filesystem (recommended):
    /// `mkdir plugins/s3-fs-hadoop && cp opt/flink-s3-fs-hadoop-*.jar plugins/s3-fs-hadoop/`,
    /// or map the scheme to S3A in the Hadoop `core-site.xml` that Flink loads:
    /// `<property><name>fs.s3.impl</name><value>org.apache.hadoop.fs.s3a.S3AFileSystem</value></property>`
    /// (with `hadoop-aws` and its AWS SDK on the classpath). In the official Flink image (1.10 on), enable the
    /// plugin its `opt/` ships with `ENABLE_BUILT_IN_PLUGINS=flink-s3-fs-hadoop-<version>.jar`: a Dockerfile
    /// `ENV`, the `env` of the `flink-main-container` in a FlinkDeployment's `spec.podTemplate`, or a compose
    /// service's `environment`. On Spark (which has no S3 plugins): write `s3a://`, or
    /// set `spark.hadoop.fs.s3.impl org.apache.hadoop.fs.s3a.S3AFileSystem` in `spark-defaults.conf`.
    pub FsS3ImplMissing => "fs-s3-impl-missing", Error, "s3:// is used but no Flink S3 plugin serves it and fs.s3.impl is not set"
}

impl Rule for FsS3ImplMissing {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        if d.settings("fs.s3.impl").any(|s| !s.entry.value.trim().is_empty()) || !d.installed_s3_plugins().is_empty() {
            return;
        }
        // Without a view of the classpath or of a Hadoop configuration we cannot tell who serves s3://.
        if !d.classpath_known() && !d.has_hadoop_config() {
            return;
        }
        let uses: Vec<_> = scheme_uses(d).into_iter().filter(|u| u.scheme == "s3").collect();
        let (at, what, key) = if let Some(first) = uses.first() {
            let more =
                if uses.len() > 1 { format!(" (and {} more `s3://` URIs)", uses.len() - 1) } else { String::new() };
            (
                first.at,
                format!("`{}` uses the s3:// scheme{more}", first.setting.entry.key),
                first.setting.entry.key.clone(),
            )
        } else if let Some(legacy) = d
            .effective_settings()
            .find(|s| !s.config.kind.is_flink() && s.key.starts_with("fs.s3.") && s.key != "fs.s3.impl")
        {
            (legacy.entry.key_at, format!("`{}` configures the s3:// scheme", legacy.key), legacy.key.to_string())
        } else {
            return;
        };
        if crate::lint::spark_help::spark_terms(d) {
            let aws = if crate::deployment::spark_classpath::hadoop_aws_package(d).is_some()
                || d.main_classpath().is_some_and(|cp| crate::lint::classpath_facts::hadoop_aws(d, cp).is_some())
            {
                String::new()
            } else {
                format!(" {}", crate::lint::spark_help::add_hadoop_aws(d))
            };
            out.push(
                Self::META
                    .finding(
                        at,
                        format!("{what}, but nothing serves it: Spark's Hadoop has no filesystem for the s3 scheme and `fs.s3.impl` is not set; the job will fail with \"No FileSystem for scheme \"s3\"\""),
                        format!("Write `s3a://` URIs, or map the scheme to S3A in spark-defaults.conf: `spark.hadoop.fs.s3.impl org.apache.hadoop.fs.s3a.S3AFileSystem`.{aws}"),
                    )
                    .with_key(key),
            );
            return;
        }
        // Prefer the Hadoop plugin: it serves s3:// and s3a:// and supports the FileSink; Presto only when it is the
        // one the home's opt/ ships.
        let shipped = |p| d.jars.iter().any(|j| j.place == JarPlace::Opt && j.flink_s3_plugin() == Some(p));
        let plugin = if !shipped(FlinkS3Plugin::Hadoop) && shipped(FlinkS3Plugin::Presto) {
            FlinkS3Plugin::Presto
        } else {
            FlinkS3Plugin::Hadoop
        };
        let install = crate::lint::classpath_facts::install_plugin(d, plugin);
        let where_hadoop = match d.configs.iter().find(|c| !c.kind.is_flink()) {
            Some(c) => format!("add `fs.s3.impl` = `org.apache.hadoop.fs.s3a.S3AFileSystem` to {}", describe(d, d.insertion_point(c))),
            None => "set `fs.s3.impl` to `org.apache.hadoop.fs.s3a.S3AFileSystem` in the core-site.xml Flink loads (HADOOP_CONF_DIR or `fs.hdfs.hadoopconf`)".to_string(),
        };
        // An image with no Hadoop configuration and no hadoop-aws: the plugin is the one way that holds.
        let hadoop_way = d.code.is_none()
            || d.configs.iter().any(|c| !c.kind.is_flink())
            || d.main_classpath().is_some_and(|cp| crate::lint::classpath_facts::hadoop_aws(d, cp).is_some());
        let help = if hadoop_way {
            format!("Either {install}, or {where_hadoop} with hadoop-aws and its AWS SDK on the classpath.")
        } else {
            format!("{}.", crate::lint::capitalised(&install))
        };
        out.push(
            Self::META
                .finding(
                    at,
                    format!("{what}, but nothing serves it: no Flink S3 filesystem is installed and `fs.s3.impl` is not set; the job will fail with \"No file system found with scheme s3\""),
                    help,
                )
                .with_key(key),
        );
    }
}
