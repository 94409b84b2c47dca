//! `diagnose --deployment`: what the deployment holds that bears on a failure of one category — the Flink and
//! Hadoop releases, the S3 filesystem jars and where they sit, hadoop-aws with its AWS SDK, and the settings the
//! failure depends on (credential providers, endpoint and region, buffer directory, pool sizes) — so that a
//! diagnosis no lint rule explains still says what made it likely ("no S3 plugin under plugins/; Flink 1.20.3",
//! "hadoop-aws 3.3.4 with aws-java-sdk-bundle 1.12.262"). Secret values are never quoted: a credential key is
//! only said to be set, and where.

use crate::deployment::{Deployment, JarPlace, JarRef};
use crate::lint::Target;
use crate::lint::classpath_facts::{hadoop_aws, sdk_jars};

/// The facts of `d` that bear on a failure of `category` (a category of `rules/failures.yaml`), most telling
/// first; every one a short phrase.
pub fn for_category(d: &Deployment, category: &str) -> Vec<String> {
    let mut out = Vec::new();
    match category {
        "no-filesystem-for-scheme" | "flink-plugin-layout" | "filesystem-class-not-found" => {
            let plugin_served = d.is_flink() && !d.installed_s3_plugins().is_empty();
            if d.is_flink() {
                out.extend(s3_plugins(d));
            }
            out.extend(settings(d, &["fs.s3.impl", "fs.s3a.impl", "fs.s3n.impl", "fs.allowed-fallback-filesystems"]));
            // Hadoop's own jars matter only where no Flink S3 filesystem serves the scheme.
            if !plugin_served {
                out.extend(hadoop_s3(d));
            }
        }
        "sdk-version-mismatch" => {
            // A loaded Flink S3 plugin brings its own Hadoop and SDK; otherwise the classpath's count.
            if d.is_flink() && !d.installed_s3_plugins().is_empty() {
                out.extend(s3_plugins(d).into_iter().filter(|f| f.contains("bundling") && !f.contains("opt/")));
            } else {
                out.extend(hadoop_s3(d));
            }
        }
        "missing-credentials" | "invalid-key-or-signature" | "expired-token" | "access-denied" => {
            out.extend(settings(
                d,
                &[
                    "fs.s3a.aws.credentials.provider",
                    "fs.s3a.assumed.role.arn",
                    "fs.s3a.assumed.role.credentials.provider",
                ],
            ));
            if d.value("fs.s3a.aws.credentials.provider").is_none() {
                out.push("no `fs.s3a.aws.credentials.provider` set (S3A's default provider chain)".to_string());
            }
            out.extend(credential_keys(d));
        }
        "wrong-region-or-endpoint" | "bad-request-signature" | "no-such-bucket" => {
            out.extend(settings(
                d,
                &[
                    "fs.s3a.endpoint",
                    "fs.s3a.endpoint.region",
                    "fs.s3a.path.style.access",
                    "fs.s3a.connection.ssl.enabled",
                ],
            ));
            if d.value("fs.s3a.endpoint").is_none() && d.value("fs.s3a.endpoint.region").is_none() {
                out.push("neither `fs.s3a.endpoint` nor `fs.s3a.endpoint.region` is set".to_string());
            }
            out.extend(hadoop_s3(d));
        }
        "buffer-dir-npe" => match settings(d, &["fs.s3a.buffer.dir"]).pop() {
            Some(f) => out.push(f),
            None => out.push("`fs.s3a.buffer.dir` is not set".to_string()),
        },
        "connection-pool-or-timeout" => out.extend(settings(
            d,
            &[
                "fs.s3a.connection.maximum",
                "fs.s3a.threads.max",
                "fs.s3a.connection.timeout",
                "fs.s3a.connection.request.timeout",
                "fs.s3a.connection.acquisition.timeout",
                "fs.s3a.endpoint",
            ],
        )),
        _ => out.extend(hadoop_s3(d)),
    }
    out.extend(versions(d));
    out.dedup();
    out
}

/// `Flink 1.20.3`, `Hadoop 3.3.4`, as discovered.
fn versions(d: &Deployment) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(v) = &d.flink_version {
        out.push(format!("Flink {}", v.version));
    }
    if let Some(v) = &d.hadoop_version {
        out.push(format!("Hadoop {}", v.version));
    }
    out
}

/// Where the Flink S3 filesystem jars sit, or that none is under `plugins/`.
fn s3_plugins(d: &Deployment) -> Vec<String> {
    let jars: Vec<&JarRef> = d.jars.iter().filter(|j| j.flink_s3_plugin().is_some()).collect();
    let mut out: Vec<String> =
        jars.iter().map(|j| format!("`{}` in {}{}", j.file_name, place(j), bundled(j))).collect();
    if !jars.iter().any(|j| matches!(j.place, JarPlace::Plugin(Some(_)))) {
        out.insert(0, "no S3 plugin under plugins/<folder>/".to_string());
    } else {
        out.push(
            "this deployment loads an S3 plugin: the process that failed may not run it (another image, node or \
             FLINK_PLUGINS_DIR)"
                .to_string(),
        );
    }
    out
}

/// `, bundling hadoop-aws 3.3.4 and aws-java-sdk-core 1.12.319` when the jar says what it bundles.
fn bundled(j: &JarRef) -> String {
    let pieces: Vec<String> = j
        .bundles
        .iter()
        .filter(|b| b.artifact == "hadoop-aws" || b.artifact.starts_with("aws-java-sdk") || b.artifact == "bundle")
        .filter(|b| b.artifact != "aws-java-sdk-s3" && b.artifact != "aws-java-sdk-sts")
        .filter_map(|b| b.version.as_ref().map(|v| format!("{} {v}", b.artifact)))
        .collect();
    if pieces.is_empty() { String::new() } else { format!(", bundling {}", pieces.join(" and ")) }
}

fn place(j: &JarRef) -> String {
    match &j.place {
        JarPlace::Lib => "lib/".to_string(),
        JarPlace::Plugin(Some(folder)) => format!("plugins/{folder}/"),
        JarPlace::Plugin(None) => "plugins/ itself (Flink loads plugins from sub-folders only)".to_string(),
        JarPlace::Opt => "opt/ (shipped, not loaded)".to_string(),
        JarPlace::HadoopShare => "share/hadoop/".to_string(),
        JarPlace::Classpath => "the given classpath".to_string(),
        JarPlace::Directory => format!("`{}`", j.display),
        JarPlace::SparkJars => "Spark's jars/".to_string(),
        JarPlace::SparkConfigured => "the classpath spark-defaults.conf names".to_string(),
        JarPlace::SparkPackage => "spark.jars.packages (resolved by spark-submit)".to_string(),
    }
}

/// hadoop-aws and the AWS SDK on the classpath Hadoop's filesystems load from.
fn hadoop_s3(d: &Deployment) -> Vec<String> {
    let Some(cp) = d.main_classpath() else { return Vec::new() };
    let sdks: Vec<String> = sdk_jars(d, cp)
        .iter()
        .map(|s| match &s.version {
            Some(v) => format!("{} {v}", s.jar.artifact.base_name()),
            None => format!("`{}`", s.jar.file_name),
        })
        .collect();
    let sdk = if sdks.is_empty() { "no AWS SDK jar".to_string() } else { sdks.join(", ") };
    match hadoop_aws(d, cp) {
        Some((_, v)) => vec![format!("hadoop-aws {v} with {sdk} on {}", cp.name)],
        None if !sdks.is_empty() => vec![format!("no hadoop-aws on {}, {sdk}", cp.name)],
        None => vec![format!("no hadoop-aws and no AWS SDK jar on {}", cp.name)],
    }
}

/// `` `key` = `value` (file:line) `` for each of `keys` that is set, in the user's spelling.
fn settings(d: &Deployment, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .filter_map(|k| d.value(k))
        .map(|s| {
            let p = super::place(d, &Target::Source(s.entry.value_at));
            format!("`{}` = `{}` ({}:{})", s.entry.key, s.entry.value.trim(), p.file, p.start.line)
        })
        .collect()
}

/// Which S3A credential keys are set (never their values).
fn credential_keys(d: &Deployment) -> Vec<String> {
    ["fs.s3a.access.key", "fs.s3a.secret.key", "fs.s3a.session.token"]
        .iter()
        .map(|k| match d.value(k) {
            Some(s) if !s.entry.value.trim().is_empty() => {
                let p = super::place(d, &Target::Source(s.entry.key_at));
                format!("`{}` is set ({}:{})", s.entry.key, p.file, p.start.line)
            }
            Some(_) => format!("`{k}` is empty"),
            None => format!("`{k}` is not set"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_deployment_says_what_is_missing() {
        let d = Deployment::default();
        assert_eq!(for_category(&d, "buffer-dir-npe"), ["`fs.s3a.buffer.dir` is not set"]);
        let creds = for_category(&d, "missing-credentials");
        assert!(creds.iter().any(|f| f.contains("default provider chain")), "{creds:?}");
        assert!(creds.iter().any(|f| f == "`fs.s3a.secret.key` is not set"), "{creds:?}");
    }
}
