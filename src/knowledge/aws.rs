//! AWS facts from `rules/aws.yaml` (embedded at build time): which S3 regions still accept Signature Version 2,
//! the jets3t versions that cannot sign v4, and the credential provider classes of S3A and both AWS SDKs (with
//! Hadoop 3.4's v1 -> v2 remapping and the keys each provider needs).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::deployment::version::Version;

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
        Self::validated(serde_yaml::from_str(text).map_err(|e| e.to_string())?)
    }

    /// The same from the JSON `build.rs` made of the embedded YAML (faster to read at start-up).
    fn from_builtin_json() -> Result<Self, String> {
        Self::validated(
            serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/aws.json"))).map_err(|e| e.to_string())?,
        )
    }

    fn validated(facts: AwsFacts) -> Result<Self, String> {
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

    /// The known providers a class name that is not one of them was probably meant as: the nearest full name in
    /// the same known package (`com.amazonaws.auth.EnviromentVariableCredentialsProvider`), else every provider
    /// whose simple name is the one written, or its nearest (`EnvironmentVariableCredentialsProvider` unqualified
    /// names both SDKs' classes; `org.apache.hadoop.fs.s3a.auth.SimpleAWSCredentialsProvider` S3A's).
    pub fn meant(&self, class: &str) -> Vec<&ProviderClass> {
        let classes = &self.credential_providers.classes;
        if let Some(package) = self.known_package(class) {
            let same = classes.iter().map(|c| c.class.as_str()).filter(|c| c.starts_with(package));
            if let Some(near) = super::keys::closest(class, same) {
                return classes.iter().filter(|c| c.class == near).collect();
            }
        }
        let simple = simple_name(class);
        let lower = simple.to_ascii_lowercase();
        let exact: Vec<&ProviderClass> =
            classes.iter().filter(|c| simple_name(&c.class).to_ascii_lowercase() == lower).collect();
        if !exact.is_empty() {
            return exact;
        }
        match super::keys::closest(simple, classes.iter().map(|c| simple_name(&c.class))) {
            Some(near) => classes.iter().filter(|c| simple_name(&c.class) == near).collect(),
            None => Vec::new(),
        }
    }

    /// The class to write for `known` on Hadoop `hadoop` (S3A's classes as they are; an SDK class in the SDK that
    /// release uses: v1 before 3.4, v2 from 3.4, through Hadoop's own v1 -> v2 map or the class of the same
    /// simple name), or `None` when that SDK has no such class or the release is unknown for an SDK class.
    pub fn for_hadoop<'a>(&'a self, known: &'a ProviderClass, hadoop: Option<&Version>) -> Option<&'a str> {
        let v2_era = hadoop.map(|h| *h >= Version::parse("3.4"));
        let classes = &self.credential_providers.classes;
        let same_name = |sdk: ProviderSdk| {
            classes
                .iter()
                .find(|c| c.sdk == sdk && simple_name(&c.class) == simple_name(&known.class))
                .map(|c| c.class.as_str())
        };
        if known.sdk == ProviderSdk::Hadoop {
            return Some(&known.class);
        }
        match (known.sdk, v2_era?) {
            (ProviderSdk::Hadoop, _) | (ProviderSdk::V1, false) | (ProviderSdk::V2, true) => Some(&known.class),
            (ProviderSdk::V1, true) => known.v2.as_deref().or_else(|| same_name(ProviderSdk::V2)),
            (ProviderSdk::V2, false) => classes
                .iter()
                .find(|c| c.sdk == ProviderSdk::V1 && c.v2.as_deref() == Some(known.class.as_str()))
                .map(|c| c.class.as_str())
                .or_else(|| same_name(ProviderSdk::V1)),
        }
    }

    /// The known package a class name lies in.
    pub fn known_package(&self, class: &str) -> Option<&str> {
        self.credential_providers.known_packages.iter().map(|p| p.package.as_str()).find(|p| class.starts_with(p))
    }
}

/// `com.amazonaws.auth.EnvironmentVariableCredentialsProvider` -> `EnvironmentVariableCredentialsProvider`.
pub fn simple_name(class: &str) -> &str {
    class.rsplit('.').next().unwrap_or(class)
}

static FACTS: LazyLock<AwsFacts> =
    LazyLock::new(|| AwsFacts::from_builtin_json().unwrap_or_else(|e| panic!("rules/aws.yaml: {e}")));

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
    fn the_json_built_at_compile_time_reads_as_the_yaml() {
        let yaml: AwsFacts = serde_yaml::from_str(BUILTIN_AWS).expect("YAML");
        let json: AwsFacts = serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/aws.json"))).expect("JSON");
        assert_eq!(format!("{yaml:?}"), format!("{json:?}"));
    }

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
    fn misspelt_and_unqualified_providers_resolve_to_the_class_of_the_sdk_in_use() {
        let f = facts();
        let v33 = Version::parse("3.3.4");
        let v34 = Version::parse("3.4.1");
        let resolve = |class: &str, h: Option<&Version>| -> Vec<String> {
            let mut v: Vec<String> =
                f.meant(class).into_iter().filter_map(|k| f.for_hadoop(k, h)).map(str::to_string).collect();
            v.dedup();
            v
        };
        let env = "EnvironmentVariableCredentialsProvider";
        assert_eq!(resolve(env, Some(&v33)), ["com.amazonaws.auth.EnvironmentVariableCredentialsProvider"]);
        assert_eq!(
            resolve(env, Some(&v34)),
            ["software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider"]
        );
        assert!(resolve(env, None).is_empty(), "an SDK class needs the release");
        assert_eq!(
            resolve("com.amazonaws.auth.EnviromentVariableCredentialsProvider", Some(&v34)),
            ["software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider"]
        );
        assert_eq!(
            resolve("org.apache.hadoop.fs.s3a.auth.SimpleAWSCredentialsProvider", None),
            ["org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"]
        );
        assert!(f.meant("com.example.MyCompanyCredentials").is_empty());
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
