use super::{CredentialFamily, credential_kind, key_as_written};
use crate::declare_rule;
use crate::deployment::Deployment;
use crate::lint::facts::{NATIVE_S3_CLASS, impl_selecting, scheme_uses};
use crate::lint::{Finding, Rule, RuleMeta, Severity};

declare_rule! {
    /// ## What it catches
    /// A credential key left with an empty value, as in the Flink-on-AWS guide's snippets
    /// (`<name>fs.s3.awsAccessKeyId</name><value></value>`).
    ///
    /// ## Why it matters
    /// Hadoop reads an empty `<value>` as "not set". For the `s3://` block filesystem and NativeS3FileSystem
    /// (`fs.s3.*`, `fs.s3n.*`, Hadoop 2) that means no credentials at all, and the job fails with
    /// `AWS Access Key ID and Secret Access Key must be specified as the username or password (respectively) of
    /// a s3 URL, or by setting the fs.s3.awsAccessKeyId or fs.s3.awsSecretAccessKey properties` — an error. For
    /// S3A the empty key is skipped and the credential chain (IAM role, environment) is used, so the placeholder
    /// only misleads readers of the file — advice.
    ///
    /// ## How to fix
    /// With S3A, delete the placeholder and rely on an IAM role. With NativeS3FileSystem, move to S3A
    /// (`fs.s3.impl` = `org.apache.hadoop.fs.s3a.S3AFileSystem`), which works with IAM roles; NativeS3 cannot.
    pub EmptyCredentials => "empty-credentials", Warning, "a credential key present with an empty value"
}

impl Rule for EmptyCredentials {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, d: &Deployment, out: &mut Vec<Finding>) {
        let native_in_use = impl_selecting(d, "s3", NATIVE_S3_CLASS).is_some()
            || impl_selecting(d, "s3n", NATIVE_S3_CLASS).is_some()
            || scheme_uses(d).iter().any(|u| u.scheme == "s3n");
        for s in d.all_settings() {
            if !s.entry.value.trim().is_empty() {
                continue;
            }
            let Some(kind) = credential_kind(s.key) else { continue };
            // Filled elsewhere (another file, another definition): the empty one does no harm.
            let filled = d.settings(s.key).any(|o| !o.entry.value.trim().is_empty());
            if filled {
                continue;
            }
            let finding = match kind.family {
                CredentialFamily::Native => {
                    let severity = if native_in_use { Severity::Error } else { Severity::Warning };
                    Self::META
                        .finding(
                            s.entry.value_at,
                            format!("{} is empty: Hadoop reads it as unset, and the s3:// / s3n:// filesystems fail with \"AWS Access Key ID and Secret Access Key must be specified\"", key_as_written(&s)),
                            "Use S3A instead (`fs.s3.impl` = `org.apache.hadoop.fs.s3a.S3AFileSystem`), which works with IAM roles; NativeS3FileSystem needs keys and cannot use a role.",
                        )
                        .with_severity(severity)
                }
                CredentialFamily::S3a | CredentialFamily::Presto => Self::META
                    .finding(
                        s.entry.value_at,
                        format!("{} is an empty placeholder: it is read as unset and credentials come from the AWS credential chain", key_as_written(&s)),
                        "Delete the placeholder and rely on an IAM role; keys, if needed, belong in a credential provider, not in this file.",
                    )
                    .with_severity(Severity::Info),
            };
            out.push(finding.with_key(s.entry.key.clone()));
        }
    }
}
