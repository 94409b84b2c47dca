use std::collections::BTreeMap;

use crate::declare_rule;
use crate::deployment::{Deployment, FlinkS3Plugin};
use crate::lint::classpath_facts::{Server, server};
use crate::lint::facts::{SchemeUse, bucket_of, scheme_uses};
use crate::lint::{Finding, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it catches
    /// - A URI in the configuration (checkpoint, savepoint, HA storage directory, any value) whose scheme no
    ///   installed filesystem serves: `s3a://` with only the Presto plugin, `s3p://` without the Presto plugin,
    ///   `s3n://` on Hadoop 3 or with only Flink plugins. (`s3://` is `fs-s3-impl-missing`; a plugin lying in
    ///   `opt/` is `s3-plugin-layout`.)
    /// - One bucket reached through several schemes (`s3://bucket` for checkpoints, `s3a://bucket` for the sink):
    ///   a warning when different filesystems serve them, advice when one filesystem serves both.
    ///
    /// ## Why it matters
    /// A scheme nobody serves fails at job submission or at the first checkpoint with `Could not find a file
    /// system implementation for scheme 's3a'` (Flink) or `No FileSystem for scheme "s3n"` (Hadoop 3 removed
    /// NativeS3FileSystem). Two schemes for one bucket are two clients with separate settings (credentials,
    /// endpoint, encryption), so one path works while the other fails or writes objects differently.
    ///
    /// ## How to fix
    /// Write the scheme of the filesystem that is installed (`s3a://` or `s3://` with `flink-s3-fs-hadoop`,
    /// `s3p://` or `s3://` with `flink-s3-fs-presto`), or install the plugin the scheme needs; replace `s3n://`
    /// by `s3a://`. Use one scheme per bucket unless you deliberately split `s3a://` (FileSink) and `s3p://`
    /// (checkpoints) between the two plugins.
    pub SchemeMismatch => "scheme-mismatch", Error, "a URI whose scheme no installed filesystem serves, or mixed schemes for one bucket"
}

impl Rule for SchemeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let uses = scheme_uses(d);
        let mut reported_schemes: Vec<&str> = Vec::new();
        for u in uses.iter().filter(|u| u.scheme != "s3") {
            if reported_schemes.contains(&u.scheme) {
                continue;
            }
            let problem = match server(d, u.scheme) {
                Server::Removed => {
                    let h = d.hadoop_version.as_ref().map(|h| format!("Hadoop {} (`{}`)", h.version, h.from));
                    format!(
                        "{} removed NativeS3FileSystem, so nothing serves s3n:// (\"No FileSystem for scheme \\\"s3n\\\"\")",
                        h.unwrap_or_else(|| "Hadoop 3".to_string())
                    )
                }
                // On Spark an unserved s3a:// is Hadoop's S3A without hadoop-aws: jar-missing-dependency's.
                Server::Nothing if u.scheme == "s3a" && crate::lint::spark_help::spark_terms(d) => continue,
                Server::Nothing if d.classpath_known() => nothing_serves(d, u.scheme),
                _ => continue,
            };
            reported_schemes.push(u.scheme);
            out.push(
                Self::META
                    .finding(
                        u.at,
                        format!("`{}` uses {}://, but {problem}", u.setting.entry.key, u.scheme),
                        if crate::lint::spark_help::spark_terms(d) { spark_fix(u.scheme) } else { fix(d, u.scheme) },
                    )
                    .with_key(u.setting.entry.key.clone()),
            );
        }
        mixed_schemes(d, &uses, out);
    }
}

fn nothing_serves(d: &Deployment, scheme: &str) -> String {
    let installed: Vec<&str> = d.installed_s3_plugins().iter().map(|(p, _)| p.artifact()).collect();
    let have = if installed.is_empty() {
        "no S3 filesystem is installed".to_string()
    } else {
        format!("only {} is installed", installed.join(" and "))
    };
    let who = match scheme {
        "s3a" => "s3a:// is served by flink-s3-fs-hadoop or by Hadoop's S3A (hadoop-aws) on the classpath",
        "s3p" => "s3p:// is served only by flink-s3-fs-presto",
        _ => "s3n:// is served only by Hadoop 2's NativeS3FileSystem (hadoop-aws)",
    };
    format!("{have}: {who}; the job fails with \"Could not find a file system implementation for scheme '{scheme}'\"")
}

fn fix(d: &Deployment, scheme: &str) -> String {
    let install = |plugin| crate::lint::capitalised(&crate::lint::classpath_facts::install_plugin(d, plugin));
    match scheme {
        "s3a" => format!(
            "{}; or write the scheme of the installed plugin (`s3p://` or `s3://` for presto).",
            install(FlinkS3Plugin::Hadoop)
        ),
        "s3p" => format!("{}; or write `s3a://` / `s3://` for the Hadoop plugin.", install(FlinkS3Plugin::Presto)),
        _ => "Replace `s3n://` by `s3a://` (S3AFileSystem, or the `flink-s3-fs-hadoop` plugin); NativeS3FileSystem is gone from Hadoop 3.".to_string(),
    }
}

/// The fix on Spark, which has no S3 plugins: Hadoop's S3A serves `s3a://` (`s3p://` is Flink's Presto plugin).
fn spark_fix(scheme: &str) -> String {
    match scheme {
        "s3p" => "Write `s3a://`: `s3p://` exists only with Flink's Presto plugin; Spark reads S3 through Hadoop's S3A (hadoop-aws).".to_string(),
        _ => "Replace `s3n://` by `s3a://` (S3AFileSystem, hadoop-aws of the Hadoop in Spark's jars/); NativeS3FileSystem is gone from Hadoop 3.".to_string(),
    }
}

/// Which filesystem a scheme reaches, for comparing schemes: the plugin's artifact, `hadoop`, or the scheme.
fn serving_fs(d: &Deployment, scheme: &str) -> String {
    match server(d, scheme) {
        Server::Plugin(p) => p.artifact().to_string(),
        Server::Hadoop => format!("hadoop-{scheme}"),
        _ => format!("none-{scheme}"),
    }
}

/// One bucket reached through several schemes.
fn mixed_schemes(d: &Deployment, uses: &[SchemeUse<'_>], out: &mut Vec<Finding>) {
    let mut by_bucket: BTreeMap<String, Vec<&SchemeUse<'_>>> = BTreeMap::new();
    // Unserved schemes are reported on their own; only schemes that work are compared.
    for u in uses.iter().filter(|u| matches!(server(d, u.scheme), Server::Plugin(_) | Server::Hadoop)) {
        if let Some(b) = bucket_of(u.uri) {
            by_bucket.entry(b).or_default().push(u);
        }
    }
    for (bucket, list) in by_bucket {
        let first = list[0];
        let Some(other) = list.iter().find(|u| u.scheme != first.scheme) else { continue };
        let mut schemes: Vec<&str> = list.iter().map(|u| u.scheme).collect();
        schemes.sort_unstable();
        schemes.dedup();
        // The documented split: s3a:// through the Hadoop plugin, s3p:// through the Presto plugin.
        if schemes == ["s3a", "s3p"] {
            continue;
        }
        let filesystems: Vec<String> = {
            let mut f: Vec<String> = schemes.iter().map(|s| serving_fs(d, s)).collect();
            f.sort();
            f.dedup();
            f
        };
        let (severity, consequence) = if filesystems.len() > 1 {
            (
                Severity::Warning,
                "they are served by different filesystems with separate settings (credentials, endpoint, encryption)",
            )
        } else {
            (
                Severity::Info,
                "one filesystem serves both, but each scheme gets its own client instance and settings lookup",
            )
        };
        out.push(
            SchemeMismatch::META
                .finding(
                    other.at,
                    format!(
                        "bucket `{bucket}` is reached as {}:// by `{}` and as {}:// by `{}`: {consequence}",
                        other.scheme, other.setting.entry.key, first.scheme, first.setting.entry.key
                    ),
                    format!("Use one scheme for `{bucket}` throughout the configuration."),
                )
                .with_key(other.setting.entry.key.clone())
                .with_related(first.at, format!("{}:// is used here", first.scheme))
                .with_severity(severity),
        );
    }
}
