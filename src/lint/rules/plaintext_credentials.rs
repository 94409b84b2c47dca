use super::{credential_kind, key_as_written};
use crate::declare_rule;
use crate::deployment::Deployment;
use crate::lint::facts::locate;
use crate::lint::{Finding, Rule, RuleMeta};
use crate::redact::{AWS_KEY_ID, URI_USERINFO, redact_value};

declare_rule! {
    /// ## What it catches
    /// AWS credentials written into a configuration file in any spelling: Flink's `s3.access-key` /
    /// `s3.secret-key` (and `s3.access.key` / `s3.secret.key`, `s3a.*`, `fs.s3a.*` in flink-conf.yaml),
    /// Hadoop's `fs.s3a.access.key` / `fs.s3a.secret.key` / `fs.s3a.session.token`, their per-bucket forms
    /// `fs.s3a.bucket.NAME.*`, Hadoop 2's `fs.s3.awsAccessKeyId` / `fs.s3.awsSecretAccessKey` and `fs.s3n.*`,
    /// Presto's `presto.s3.*-key`; any value that looks like an AWS access key id (`AKIA…`, `ASIA…`) under any
    /// key; and credentials inside a URI (`s3a://KEY:SECRET@bucket`).
    ///
    /// ## Why it matters
    /// Configuration files are copied into images, ConfigMaps, CI logs and support tickets. A long-term key in
    /// one of them is a standing leak; Flink also prints `s3.access-key` in clear in its logs. Values written as
    /// `${env.NAME}` are not reported: Hadoop takes them from the environment.
    ///
    /// ## How to fix
    /// Remove the key. On AWS use an IAM role (EC2 instance profile, EKS IRSA or Pod Identity, EMR role): S3A and
    /// both Flink S3 plugins pick it up through the default credential chain. Elsewhere keep credentials out of
    /// the file: a Hadoop credential provider (`hadoop credential create fs.s3a.secret.key -provider
    /// jceks://…` and `hadoop.security.credential.provider.path`), or the `AWS_ACCESS_KEY_ID` /
    /// `AWS_SECRET_ACCESS_KEY` environment variables. Rotate any key that was committed.
    pub PlaintextCredentials => "plaintext-credentials", Warning, "AWS access/secret keys written in a configuration file"
}

impl Rule for PlaintextCredentials {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        for s in d.all_settings() {
            let raw = &s.entry.raw;
            if raw.trim().is_empty() {
                continue;
            }
            if let Some(kind) = credential_kind(s.key) {
                if raw.contains("${") {
                    continue;
                }
                out.push(
                    Self::META
                        .finding(
                            s.entry.value_at,
                            format!(
                                "{} holds a plaintext {} (`{}`)",
                                key_as_written(&s),
                                kind.what,
                                redact_value(s.entry.value.trim())
                            ),
                            help_for(&s),
                        )
                        .with_key(s.entry.key.clone()),
                );
                continue;
            }
            if let Some(m) = AWS_KEY_ID.find(raw) {
                out.push(
                    Self::META
                        .finding(
                            locate(d, s, m.as_str()),
                            format!(
                                "the value of `{}` contains an AWS access key id (`{}`)",
                                s.entry.key,
                                redact_value(m.as_str())
                            ),
                            help_for(&s),
                        )
                        .with_key(s.entry.key.clone()),
                );
            } else if let Some(c) = URI_USERINFO.captures(raw) {
                let user = c.get(2).map(|m| m.as_str()).unwrap_or("");
                out.push(
                    Self::META
                        .finding(
                            locate(d, s, user),
                            format!("the value of `{}` has credentials inside a URI (`{}://{}:…@`); S3A rejects such URIs and they end up in logs", s.entry.key, &c[1], redact_value(user)),
                            help_for(&s),
                        )
                        .with_key(s.entry.key.clone()),
                );
            }
        }
    }
}

const HELP: &str = "Remove it and let the AWS default credential chain find an IAM role (instance profile, EKS IRSA/Pod Identity); \
otherwise store it in a Hadoop credential provider (`hadoop credential create … -provider jceks://…` with `hadoop.security.credential.provider.path`) \
or pass AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment. Rotate a key that was ever committed.";

/// The help for Spark's `spark-defaults.conf`: the provider path is a Hadoop key, so it takes Spark's prefix.
const SPARK_HELP: &str = "Remove it and let the AWS default credential chain find an IAM role (instance profile, EKS IRSA/Pod Identity); \
otherwise store it in a Hadoop credential provider (`hadoop credential create … -provider jceks://…` with `spark.hadoop.hadoop.security.credential.provider.path`) \
or pass AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment of the driver and executors (Spark sets the S3A keys from them). Rotate a key that was ever committed.";

fn help_for(s: &crate::deployment::Setting<'_>) -> &'static str {
    if s.config.kind.is_spark() { SPARK_HELP } else { HELP }
}
