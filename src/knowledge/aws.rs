//! AWS facts from `rules/aws.yaml` (embedded at build time): which S3 regions still accept Signature Version 2,
//! the jets3t versions that cannot sign v4, and the credential provider classes of S3A and both AWS SDKs (with
//! Hadoop 3.4's v1 -> v2 remapping and the keys each provider needs).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

/// The embedded AWS facts.
pub const BUILTIN_AWS: &str = include_str!("../../rules/aws.yaml");

/// A version fact with its source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionFact {
    /// The version.
    pub version: String,
    /// Source tags.
    pub source: String,
}

/// The regions where S3 accepts Signature Version 2.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigV2Regions {
    /// Source tags.
    pub source: String,
    /// Region codes.
    pub regions: Vec<String>,
}

/// Which SDK a credential provider class belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderSdk {
    /// S3A's own providers (`org.apache.hadoop.fs.s3a.…`), for the SDK of their Hadoop release.
    Hadoop,
    /// AWS SDK v1 (`com.amazonaws.auth.…`).
    V1,
    /// AWS SDK v2 (`software.amazon.awssdk.auth.credentials.…`).
    V2,
}

/// A known credential provider class.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderClass {
    /// Fully-qualified class name.
    pub class: String,
    /// Its SDK.
    pub sdk: ProviderSdk,
    /// For v1 classes that Hadoop 3.4+ remaps: the class used instead.
    #[serde(default)]
    pub v2: Option<String>,
    /// Keys it reads that must be set for it to yield credentials.
    #[serde(default)]
    pub needs: Vec<String>,
    /// Source tags.
    pub source: String,
}

/// A package whose provider classes are all listed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownPackage {
    /// The package prefix, with its trailing dot.
    pub package: String,
    /// Source tags.
    pub source: String,
}

/// The credential provider table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialProviders {
    /// Packages whose classes are all listed.
    pub known_packages: Vec<KnownPackage>,
    /// The classes.
    pub classes: Vec<ProviderClass>,
}

/// The whole of `rules/aws.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwsFacts {
    /// Source tag -> citation.
    pub sources: BTreeMap<String, String>,
    /// Regions that accept SigV2.
    pub sigv2_regions: SigV2Regions,
    /// The first jets3t that signs v4.
    pub jets3t_sigv4_since: VersionFact,
    /// The last Hadoop release that bundles a jets3t without v4.
    pub hadoop_with_old_jets3t_until: VersionFact,
    /// Credential providers.
    pub credential_providers: CredentialProviders,
}

impl AwsFacts {
    /// Parses and validates the YAML (every cited tag exists).
    pub fn parse(text: &str) -> Result<Self, String> {
        let facts: AwsFacts = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        let mut cited: Vec<&str> = vec![
            &facts.sigv2_regions.source,
            &facts.jets3t_sigv4_since.source,
            &facts.hadoop_with_old_jets3t_until.source,
        ];
        cited.extend(facts.credential_providers.known_packages.iter().map(|p| p.source.as_str()));
        cited.extend(facts.credential_providers.classes.iter().map(|c| c.source.as_str()));
        for source in cited {
            super::check_cited(&facts.sources, source, "rules/aws.yaml")?;
        }
        Ok(facts)
    }

    /// True when S3 in `region` accepts only Signature Version 4.
    pub fn sigv4_only(&self, region: &str) -> bool {
        !self.sigv2_regions.regions.iter().any(|r| r == region)
    }

    /// The provider class, if known.
    pub fn provider(&self, class: &str) -> Option<&ProviderClass> {
        self.credential_providers.classes.iter().find(|c| c.class == class)
    }

    /// The known package a class name lies in.
    pub fn known_package(&self, class: &str) -> Option<&str> {
        self.credential_providers.known_packages.iter().map(|p| p.package.as_str()).find(|p| class.starts_with(p))
    }
}

static FACTS: LazyLock<AwsFacts> =
    LazyLock::new(|| AwsFacts::parse(BUILTIN_AWS).unwrap_or_else(|e| panic!("rules/aws.yaml: {e}")));

/// The embedded AWS facts (validated by this module's tests).
pub fn facts() -> &'static AwsFacts {
    &FACTS
}

/// The AWS region a value names: `s3.eu-central-1.amazonaws.com`, `s3-eu-west-2.amazonaws.com`,
/// `https://s3.dualstack.ap-south-1.amazonaws.com`, `bucket.s3.us-east-2.amazonaws.com.cn`, or a bare region code
/// (`eu-central-1`). `None` for the global endpoint `s3.amazonaws.com` and for non-AWS hosts.
pub fn region_of(value: &str) -> Option<String> {
    let host = host(value);
    let host = host.as_str();
    if is_region_code(host) {
        return Some(host.to_string());
    }
    if !(host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn")) {
        return None;
    }
    host.split(['.'])
        .flat_map(|label| [label, label.strip_prefix("s3-").unwrap_or(label)])
        .find(|l| is_region_code(l))
        .map(str::to_string)
}

/// The lower-cased host of an endpoint value (`https://s3.eu-west-1.amazonaws.com:443/` -> `s3.eu-west-1.amazonaws.com`).
fn host(value: &str) -> String {
    let v = value.trim().to_ascii_lowercase();
    let rest = v.split("://").last().unwrap_or(&v);
    rest.split(['/', ':']).next().unwrap_or(rest).to_string()
}

/// `eu-central-1`, `us-gov-west-1`, `ap-southeast-3`, `cn-north-1`: letters, dash-separated, ending in a number.
fn is_region_code(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts.len() <= 4
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts[1..parts.len() - 1].iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// True when an endpoint is an AWS S3 endpoint (not MinIO, Ceph, an IP address or a VPC proxy).
pub fn is_aws_endpoint(value: &str) -> bool {
    let host = host(value);
    host.ends_with(".amazonaws.com") || host.ends_with(".amazonaws.com.cn") || host == "amazonaws.com"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_facts_parse() {
        let f = AwsFacts::parse(BUILTIN_AWS).expect("rules/aws.yaml is valid");
        assert!(f.sigv4_only("eu-central-1"));
        assert!(f.sigv4_only("us-east-2"));
        assert!(!f.sigv4_only("eu-west-1"));
        assert_eq!(
            f.provider("com.amazonaws.auth.InstanceProfileCredentialsProvider").and_then(|p| p.v2.as_deref()),
            Some("org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider")
        );
    }

    #[test]
    fn regions_are_read_from_endpoints() {
        assert_eq!(region_of("s3.eu-central-1.amazonaws.com").as_deref(), Some("eu-central-1"));
        assert_eq!(region_of("s3-eu-west-2.amazonaws.com").as_deref(), Some("eu-west-2"));
        assert_eq!(region_of("https://s3.dualstack.ap-south-1.amazonaws.com").as_deref(), Some("ap-south-1"));
        assert_eq!(region_of("s3.cn-north-1.amazonaws.com.cn").as_deref(), Some("cn-north-1"));
        assert_eq!(region_of("eu-central-1").as_deref(), Some("eu-central-1"));
        assert_eq!(region_of("s3.amazonaws.com"), None);
        assert_eq!(region_of("http://minio.storage.svc:9000"), None);
        assert_eq!(region_of("10.0.0.12:9000"), None);
        assert!(is_aws_endpoint("https://s3.us-west-2.amazonaws.com"));
        assert!(!is_aws_endpoint("http://minio:9000"));
    }
}
