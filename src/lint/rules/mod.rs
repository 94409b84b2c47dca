//! Every lint rule, one file each; a rule's doc comment is its `s3lint explain` text.

#[cfg(test)]
mod code_fixtures;
mod credentials_provider_issue;
mod deprecated_key;
mod dockerfile_unfollowed;
mod duplicate_key;
mod empty_credentials;
mod enabled_plugin_missing;
mod endpoint_region_conflict;
mod file_unreadable;
mod flink_conf_file_ignored;
mod flink_conf_unparsed_line;
mod fs_s3_impl_missing;
mod hadoop_xml_ignored_content;
mod image_jar_root_only;
mod invalid_value;
mod jar_missing_dependency;
mod jar_unreadable;
mod jar_version_mismatch;
mod plaintext_credentials;
mod s3_plugin_layout;
mod s3a_buffer_dir_missing;
mod scheme_mismatch;
mod secret_build_arg;
mod signature_v4_region;
mod spark_conf_ignored_key;
mod spark_jars;
mod spark_package_invalid;
mod unknown_key;
mod unresolved_variable;

pub use credentials_provider_issue::CredentialsProviderIssue;
pub use deprecated_key::DeprecatedKey;
pub use dockerfile_unfollowed::DockerfileUnfollowed;
pub use duplicate_key::DuplicateKey;
pub use empty_credentials::EmptyCredentials;
pub use enabled_plugin_missing::EnabledPluginMissing;
pub use endpoint_region_conflict::EndpointRegionConflict;
pub use file_unreadable::FileUnreadable;
pub use flink_conf_file_ignored::FlinkConfFileIgnored;
pub use flink_conf_unparsed_line::FlinkConfUnparsedLine;
pub use fs_s3_impl_missing::FsS3ImplMissing;
pub use hadoop_xml_ignored_content::HadoopXmlIgnoredContent;
pub use image_jar_root_only::ImageJarRootOnly;
pub use invalid_value::InvalidValue;
pub use jar_missing_dependency::JarMissingDependency;
pub use jar_unreadable::JarUnreadable;
pub use jar_version_mismatch::JarVersionMismatch;
pub use plaintext_credentials::PlaintextCredentials;
pub use s3_plugin_layout::S3PluginLayout;
pub use s3a_buffer_dir_missing::S3aBufferDirMissing;
pub use scheme_mismatch::SchemeMismatch;
pub use secret_build_arg::SecretBuildArg;
pub use signature_v4_region::SignatureV4Region;
pub use spark_conf_ignored_key::SparkConfIgnoredKey;
pub use spark_package_invalid::SparkPackageInvalid;
pub use unknown_key::UnknownKey;
pub use unresolved_variable::UnresolvedVariable;

use super::Rule;

/// Every rule, in the order `s3lint rules` lists them.
pub fn all() -> &'static [&'static dyn Rule] {
    &[
        &FsS3ImplMissing,
        &S3aBufferDirMissing,
        &PlaintextCredentials,
        &EmptyCredentials,
        &FlinkConfFileIgnored,
        &FlinkConfUnparsedLine,
        &SparkConfIgnoredKey,
        &DuplicateKey,
        &UnresolvedVariable,
        &HadoopXmlIgnoredContent,
        &FileUnreadable,
        // Classpath (jars, plugin layout, schemes).
        &JarVersionMismatch,
        &JarMissingDependency,
        &JarUnreadable,
        &SparkPackageInvalid,
        &S3PluginLayout,
        &SchemeMismatch,
        // Key catalogue (names, values, deprecations, regions, providers).
        &UnknownKey,
        &InvalidValue,
        &DeprecatedKey,
        &SignatureV4Region,
        &EndpointRegionConflict,
        &CredentialsProviderIssue,
        // Deployments written as code (Dockerfiles, manifests, compose services).
        &SecretBuildArg,
        &ImageJarRootOnly,
        &EnabledPluginMissing,
        &DockerfileUnfollowed,
        &super::suppress::UnusedIgnore,
    ]
}

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    all().iter().copied().find(|r| r.meta().id == id)
}

/// Credential keys as Hadoop sees them (after Flink's mapping): access key ids, secret keys and session
/// tokens of S3A (also per bucket and Hadoop 2.6's spelling), the `s3://` block and `s3n://` filesystems,
/// and the Presto plugin's own names.
pub(crate) fn credential_kind(key: &str) -> Option<CredentialKind> {
    use std::sync::LazyLock;
    static KEYS: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"^(?:fs\.s3a\.(?:bucket\.[^.]+\.)?(?P<s3a>access\.key|secret\.key|session\.token|awsAccessKeyId|awsSecretAccessKey)|fs\.s3n?\.(?P<native>awsAccessKeyId|awsSecretAccessKey)|presto\.s3\.(?P<presto>access[-.]key|secret[-.]key))$",
        )
        .expect("valid regex")
    });
    let c = KEYS.captures(key)?;
    let (family, name) = if let Some(m) = c.name("s3a") {
        (CredentialFamily::S3a, m.as_str())
    } else if let Some(m) = c.name("native") {
        (CredentialFamily::Native, m.as_str())
    } else {
        (CredentialFamily::Presto, c.name("presto").map(|m| m.as_str()).unwrap_or(""))
    };
    let what = if name.contains("ccess") {
        "access key id"
    } else if name.contains("token") {
        "session token"
    } else {
        "secret access key"
    };
    Some(CredentialKind { family, what })
}

/// Which filesystem reads a credential key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CredentialFamily {
    /// S3A (`fs.s3a.*`, and Flink's `s3.*` through flink-s3-fs-hadoop).
    S3a,
    /// Hadoop 2's `s3://` block filesystem and NativeS3FileSystem (`fs.s3.*`, `fs.s3n.*`).
    Native,
    /// flink-s3-fs-presto's own names.
    Presto,
}

/// A credential key's family and what it holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CredentialKind {
    pub family: CredentialFamily,
    pub what: &'static str,
}

/// The key as the user wrote it, and the Hadoop key it becomes when that differs.
pub(crate) fn key_as_written(s: &crate::deployment::Setting<'_>) -> String {
    if s.entry.key == s.key {
        format!("`{}`", s.key)
    } else {
        format!("`{}` (read by S3A as `{}`)", s.entry.key, s.key)
    }
}

/// Every reader note of the deployment's configuration files, with the file it belongs to — not of a Flink
/// configuration file that Flink does not read (`flink-conf-file-ignored` reports that file as a whole).
pub(crate) fn notes(
    d: &crate::deployment::Deployment,
) -> impl Iterator<Item = (&crate::deployment::config::ConfigFile, &crate::deployment::config::ReaderNote)> {
    d.configs
        .iter()
        .enumerate()
        .filter(|(i, _)| !d.is_unread(*i))
        .flat_map(|(_, c)| c.notes.iter().map(move |n| (c, n)))
}

/// The image model of a Dockerfile's own deployment (not of a manifest or compose service joined to it, which
/// shares the model): the rules about the image report it once, there.
pub(crate) fn own_image(d: &crate::deployment::Deployment) -> Option<&crate::deployment::dockerfile::Image> {
    let code = d.code.as_ref()?;
    code.image.as_ref().filter(|i| i.file == code.file)
}

/// The definition whose key is written at `at`.
pub(crate) fn definition_at(
    config: &crate::deployment::config::ConfigFile,
    at: crate::source::Location,
) -> Option<&crate::deployment::config::Entry> {
    config.definitions.iter().find(|d| d.key_at == at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_named_by_a_failure_case_exists() {
        let catalog = crate::knowledge::Catalog::builtin().expect("rules/failures.yaml");
        for case in &catalog.cases {
            for rule in &case.lint_rules {
                assert!(find(rule).is_some(), "case `{}` names the unknown lint rule `{rule}`", case.id);
            }
        }
    }

    #[test]
    fn every_rule_is_documented_and_listed_once() {
        let mut ids: Vec<&str> = all().iter().map(|r| r.meta().id).collect();
        for r in all() {
            let doc = r.meta().doc;
            for part in ["## What it catches", "## Why it matters", "## How to fix"] {
                assert!(doc.contains(part), "`{}` lacks `{part}`", r.meta().id);
            }
        }
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "a rule id is listed twice");
    }
}
