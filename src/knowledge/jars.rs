//! Jar knowledge from `rules/jars.yaml` (embedded at build time): for each Hadoop release line the AWS SDK its
//! `hadoop-aws` was built against (and documented working alternatives), the helper jars S3A and NativeS3 need on a
//! Flink classpath (the Flink guide's lists for Hadoop 2.6 and 2.7), and Flink's rules for its S3 filesystems.
//! Every entry cites its source in the YAML.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::Deserialize;

use crate::deployment::classpath::Artifact;
use crate::deployment::version::Version;

/// The embedded jar knowledge.
pub const BUILTIN_JARS: &str = include_str!("../../rules/jars.yaml");

/// Which AWS SDK packaging a Hadoop line's S3A uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SdkGeneration {
    /// SDK v1 as one jar, `com.amazonaws:aws-java-sdk` (Hadoop 2.6, 2.7).
    V1Monolithic,
    /// SDK v1 split modules `aws-java-sdk-s3`, `-core`, `-kms` (Hadoop 2.8).
    V1Split,
    /// SDK v1 shaded `aws-java-sdk-bundle` (Hadoop 2.9 to 3.3).
    V1Bundle,
    /// SDK v2 shaded `software.amazon.awssdk:bundle` (Hadoop 3.4+).
    V2Bundle,
}

impl SdkGeneration {
    /// True for the v2 SDK (`software.amazon.awssdk`).
    pub fn is_v2(self) -> bool {
        self == SdkGeneration::V2Bundle
    }

    /// How the generation is named in messages.
    pub fn describe(self) -> &'static str {
        match self {
            SdkGeneration::V1Monolithic => "AWS SDK v1 (`aws-java-sdk`)",
            SdkGeneration::V1Split => "AWS SDK v1 modules (`aws-java-sdk-s3`, `-core`, `-kms`)",
            SdkGeneration::V1Bundle => "AWS SDK v1 bundle (`aws-java-sdk-bundle`)",
            SdkGeneration::V2Bundle => "AWS SDK v2 (`software.amazon.awssdk:bundle`)",
        }
    }

    /// The generation of an AWS SDK artifact, or `None` for anything else.
    pub fn of(a: &Artifact) -> Option<SdkGeneration> {
        if a.in_group("software.amazon.awssdk") {
            return Some(SdkGeneration::V2Bundle);
        }
        if !a.in_group("com.amazonaws") {
            return None;
        }
        match a.artifact.as_str() {
            "aws-java-sdk" => Some(SdkGeneration::V1Monolithic),
            "aws-java-sdk-bundle" => Some(SdkGeneration::V1Bundle),
            n if n.starts_with("aws-java-sdk-") => Some(SdkGeneration::V1Split),
            _ => None,
        }
    }
}

/// A set of SDK jars that together serve S3A on a Hadoop line.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkSet {
    /// Maven group of the jars.
    pub group: String,
    /// Artifacts that must all be present when this set is used.
    pub artifacts: Vec<String>,
    /// The version of the set.
    pub version: String,
    /// True for the set hadoop-aws declares in its POM; false for a documented working alternative.
    pub built: bool,
    /// True when the version is compared (a verified pin or a documented set).
    pub exact: bool,
    /// Source tags from the `sources` table.
    pub source: String,
}

/// The SDK S3A uses on a Hadoop line.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkRequirement {
    /// Its packaging.
    pub generation: SdkGeneration,
    /// Alternatives, the built one first.
    pub sets: Vec<SdkSet>,
}

/// A helper jar a Hadoop filesystem needs next to hadoop-aws (from the Flink guide's lists).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Helper {
    /// The Maven artifact id looked for.
    pub artifact: String,
    /// The jar the guide names.
    pub guide_jar: String,
}

/// The SDK version one specific Hadoop release was built with.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleasePin {
    /// The SDK version.
    pub version: String,
    /// Source tags.
    pub source: String,
}

/// What s3lint knows about one Hadoop release line.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HadoopLine {
    /// `major.minor`.
    pub line: String,
    /// True when NativeS3FileSystem (`s3n://`) exists in this line.
    pub native_s3: bool,
    /// The SDK S3A needs.
    pub sdk: SdkRequirement,
    /// Jars S3A needs besides hadoop-aws and the SDK, on a Flink classpath.
    #[serde(default)]
    pub s3a_helpers: Vec<Helper>,
    /// Jars NativeS3FileSystem needs besides hadoop-aws, on a Flink classpath.
    #[serde(default)]
    pub native_helpers: Vec<Helper>,
    /// Exact SDK versions of specific releases (verified pins).
    #[serde(default)]
    pub releases: BTreeMap<String, ReleasePin>,
    /// Source tags.
    pub source: String,
}

impl HadoopLine {
    /// The SDK version the given Hadoop release was built with, when pinned.
    pub fn pinned_sdk(&self, release: &Version) -> Option<&ReleasePin> {
        self.releases.iter().find(|(r, _)| Version::parse(r) == *release).map(|(_, p)| p)
    }
}

/// A Flink S3 filesystem.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3PluginInfo {
    /// The artifact id.
    pub artifact: String,
    /// The conventional plugin folder.
    pub folder: String,
    /// The schemes it serves.
    pub schemes: Vec<String>,
    /// Source tags.
    pub source: String,
}

/// Flink's rules for its S3 filesystems and module versions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlinkRules {
    /// The first version with `plugins/`.
    pub plugins_since: String,
    /// From this version an S3 filesystem in `lib/` no longer works.
    pub s3_in_lib_unsupported_since: String,
    /// The S3 plugins.
    pub s3_plugins: Vec<S3PluginInfo>,
    /// Artifact-id prefixes of `org.apache.flink` jars with their own version train.
    pub own_versioning: Vec<String>,
    /// Artifacts that match the `own_versioning` prefixes but carry the Flink version.
    pub versioned_with_flink: Vec<String>,
    /// Where the binary distribution ships its jars.
    pub distribution: Vec<ShippedJar>,
}

impl FlinkRules {
    /// The folder of the binary distribution that ships `artifact` (without Scala suffix): `lib`, `opt`,
    /// `plugins/metrics-jmx`; `None` for jars the distribution does not ship (connectors, user jars).
    pub fn ships_in(&self, artifact: &str) -> Option<&str> {
        self.distribution.iter().find(|s| s.artifact == artifact).map(|s| s.folder.as_str())
    }
}

/// A jar of Flink's binary distribution and the folder it ships in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShippedJar {
    /// The artifact id, without Scala suffix (`flink-scala`).
    pub artifact: String,
    /// The folder below the Flink home (`lib`, `opt`, `plugins/metrics-jmx`).
    pub folder: String,
    /// Source tags.
    pub source: String,
}

/// A Maven relocation: an artifact published again under new coordinates (`group:artifact` both).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Relocation {
    /// The old `group:artifact`.
    pub from: String,
    /// The new `group:artifact`.
    pub to: String,
    /// Source tags.
    pub source: String,
}

/// The whole of `rules/jars.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JarKnowledge {
    /// Source tag -> citation.
    pub sources: BTreeMap<String, String>,
    /// Hadoop lines, oldest first.
    pub hadoop: Vec<HadoopLine>,
    /// The first Hadoop version with the `hadoop-aws` module.
    pub hadoop_aws_since: String,
    /// The Hadoop version that removed NativeS3FileSystem.
    pub native_s3_removed_in: String,
    /// Flink's rules.
    pub flink: FlinkRules,
    /// Known Maven relocations.
    #[serde(default)]
    pub relocations: Vec<Relocation>,
}

impl JarKnowledge {
    /// Parses and validates the YAML (every cited source tag exists, lines are `major.minor` and ascending).
    pub fn parse(text: &str) -> Result<Self, String> {
        Self::validated(serde_yaml::from_str(text).map_err(|e| e.to_string())?)
    }

    /// The same from the JSON `build.rs` made of the embedded YAML (faster to read at start-up).
    fn from_builtin_json() -> Result<Self, String> {
        Self::validated(
            serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/jars.json"))).map_err(|e| e.to_string())?,
        )
    }

    fn validated(k: JarKnowledge) -> Result<Self, String> {
        let mut previous = None;
        for line in &k.hadoop {
            let v = Version::parse(&line.line).line().ok_or_else(|| format!("bad Hadoop line `{}`", line.line))?;
            if previous.is_some_and(|p| p >= v) {
                return Err(format!("Hadoop line `{}` is out of order", line.line));
            }
            previous = Some(v);
            let cited = std::iter::once(line.source.as_str())
                .chain(line.sdk.sets.iter().map(|s| s.source.as_str()))
                .chain(line.releases.values().map(|p| p.source.as_str()));
            for c in cited {
                k.check_cited(c)?;
            }
            if line.sdk.sets.is_empty() {
                return Err(format!("Hadoop line `{}` has no SDK set", line.line));
            }
        }
        for p in &k.flink.s3_plugins {
            k.check_cited(&p.source)?;
        }
        for s in &k.flink.distribution {
            k.check_cited(&s.source)?;
        }
        for r in &k.relocations {
            k.check_cited(&r.source)?;
            if !r.from.contains(':') || !r.to.contains(':') {
                return Err(format!("relocation `{}` -> `{}` is not group:artifact", r.from, r.to));
            }
        }
        Ok(k)
    }

    /// Every tag in a `source` field (the first word of each comma-separated part) must be in `sources`.
    fn check_cited(&self, source: &str) -> Result<(), String> {
        super::check_cited(&self.sources, source, "rules/jars.yaml")
    }

    /// What is known about the line of Hadoop `version`: its own line, or the newest line for newer versions;
    /// `None` before the first listed line (no hadoop-aws yet).
    pub fn hadoop_line(&self, version: &Version) -> Option<&HadoopLine> {
        let l = version.line()?;
        let lines: Vec<((u64, u64), &HadoopLine)> =
            self.hadoop.iter().filter_map(|h| Version::parse(&h.line).line().map(|v| (v, h))).collect();
        if let Some((_, h)) = lines.iter().find(|(v, _)| *v == l) {
            return Some(h);
        }
        match lines.last() {
            Some((last, h)) if l > *last => Some(h),
            _ => lines.iter().rev().find(|(v, _)| *v < l).map(|(_, h)| *h).filter(|_| l >= (2, 6)),
        }
    }

    /// The coordinates an artifact is known under: those a relocation moved it to, else its own
    /// `(group, artifact id)`. A jar whose group is unknown matches a relocation by artifact id.
    pub fn canonical<'a>(&'a self, a: &'a Artifact) -> (Option<&'a str>, &'a str) {
        for r in &self.relocations {
            let Some((group, artifact)) = r.from.split_once(':') else { continue };
            if a.artifact == artifact
                && a.group.as_deref().is_none_or(|g| g == group)
                && let Some((g, art)) = r.to.split_once(':')
            {
                return (Some(g), art);
            }
        }
        (a.group.as_deref(), a.artifact.as_str())
    }

    /// True when Hadoop `version` still has NativeS3FileSystem.
    pub fn has_native_s3(&self, version: &Version) -> bool {
        *version < Version::parse(&self.native_s3_removed_in)
    }

    /// True when Hadoop `version` has the `hadoop-aws` module (S3A, and NativeS3 moved there).
    pub fn has_hadoop_aws(&self, version: &Version) -> bool {
        *version >= Version::parse(&self.hadoop_aws_since)
    }
}

static KNOWLEDGE: LazyLock<JarKnowledge> =
    LazyLock::new(|| JarKnowledge::from_builtin_json().unwrap_or_else(|e| panic!("rules/jars.yaml: {e}")));

/// The embedded jar knowledge (validated by this module's tests).
pub fn knowledge() -> &'static JarKnowledge {
    &KNOWLEDGE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_built_at_compile_time_reads_as_the_yaml() {
        let yaml: JarKnowledge = serde_yaml::from_str(BUILTIN_JARS).expect("YAML");
        let json: JarKnowledge =
            serde_json::from_str(include_str!(concat!(env!("OUT_DIR"), "/jars.json"))).expect("JSON");
        assert_eq!(format!("{yaml:?}"), format!("{json:?}"));
    }

    #[test]
    fn embedded_knowledge_parses_and_cites_its_sources() {
        let k = JarKnowledge::parse(BUILTIN_JARS).expect("rules/jars.yaml is valid");
        assert!(k.hadoop.len() >= 8);
        assert_eq!(k.flink.s3_plugins.len(), 2);
    }

    #[test]
    fn lines_are_found_for_releases() {
        let k = knowledge();
        let line = |v: &str| k.hadoop_line(&Version::parse(v)).map(|l| l.line.as_str());
        assert_eq!(line("2.7.3"), Some("2.7"));
        assert_eq!(line("2.6.4"), Some("2.6"));
        assert_eq!(line("3.3.4"), Some("3.3"));
        assert_eq!(line("3.5.0"), Some("3.4"));
        assert_eq!(line("2.4.1"), None);
        let l33 = k.hadoop_line(&Version::parse("3.3.4")).expect("3.3");
        assert_eq!(l33.pinned_sdk(&Version::parse("3.3.4")).map(|p| p.version.as_str()), Some("1.12.262"));
        assert!(l33.pinned_sdk(&Version::parse("3.3.9")).is_none());
        assert_eq!(l33.pinned_sdk(&Version::parse("3.3.5")).map(|p| p.version.as_str()), Some("1.12.316"));
        assert!(k.has_native_s3(&Version::parse("2.7.3")));
        assert!(!k.has_native_s3(&Version::parse("3.0.0")));
        assert!(!k.has_native_s3(&Version::parse("3.3.4")));
        assert!(k.has_hadoop_aws(&Version::parse("2.6.0")));
        assert!(!k.has_hadoop_aws(&Version::parse("2.4.1")));
    }

    #[test]
    fn sdk_generations_are_recognised() {
        let a = |g: Option<&str>, n: &str, v: &str| Artifact {
            group: g.map(str::to_string),
            artifact: n.to_string(),
            version: Some(v.to_string()),
            classifier: None,
        };
        assert_eq!(SdkGeneration::of(&a(None, "aws-java-sdk", "1.7.4")), Some(SdkGeneration::V1Monolithic));
        assert_eq!(SdkGeneration::of(&a(None, "aws-java-sdk-s3", "1.11.183")), Some(SdkGeneration::V1Split));
        assert_eq!(SdkGeneration::of(&a(None, "aws-java-sdk-bundle", "1.12.262")), Some(SdkGeneration::V1Bundle));
        assert_eq!(SdkGeneration::of(&a(None, "bundle", "2.23.19")), Some(SdkGeneration::V2Bundle));
        assert_eq!(
            SdkGeneration::of(&a(Some("software.amazon.awssdk"), "bundle", "2.23.19")),
            Some(SdkGeneration::V2Bundle)
        );
        assert_eq!(SdkGeneration::of(&a(None, "bundle", "1.0")), None);
        assert_eq!(SdkGeneration::of(&a(Some("org.osgi"), "aws-java-sdk", "1.0")), None);
    }

    #[test]
    fn relocations_link_coordinates_and_groups_keep_artifacts_apart() {
        let a = |g: Option<&str>, n: &str| Artifact {
            group: g.map(str::to_string),
            artifact: n.to_string(),
            version: Some("8.0.30".to_string()),
            classifier: None,
        };
        let k = knowledge();
        let new = (Some("com.mysql"), "mysql-connector-j");
        assert_eq!(k.canonical(&a(Some("mysql"), "mysql-connector-java")), new);
        assert_eq!(k.canonical(&a(None, "mysql-connector-java")), new);
        assert_eq!(k.canonical(&a(Some("com.mysql"), "mysql-connector-j")), new);
        assert_eq!(
            k.canonical(&a(Some("org.other"), "mysql-connector-java")),
            (Some("org.other"), "mysql-connector-java")
        );
        assert_eq!(k.flink.ships_in("flink-table-runtime"), Some("lib"));
        assert_eq!(k.flink.ships_in("flink-s3-fs-hadoop"), Some("opt"));
        assert_eq!(k.flink.ships_in("flink-connector-kafka"), None);
    }

    #[test]
    fn a_broken_table_is_rejected() {
        assert!(JarKnowledge::parse("sources: {}\n").is_err());
        let bad = BUILTIN_JARS.replace("source: GUIDE }", "source: NOPE }");
        assert!(JarKnowledge::parse(&bad).is_err());
    }
}
