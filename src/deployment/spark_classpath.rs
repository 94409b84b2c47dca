//! Spark's classpath: the jars of a Spark home's `jars/` (or `pyspark/jars/`), the jars `spark-defaults.conf`
//! adds (`spark.jars`, `spark.driver.extraClassPath`, `spark.executor.extraClassPath`), the Maven coordinates of
//! `spark.jars.packages` (resolved by Spark with Ivy at submit time, so only their coordinates are known), and
//! the Spark version from the spark-core jar.

use std::path::{Path, PathBuf};

use super::classpath::{Artifact, IdSource};
use super::version::Version;
use super::{Classpath, ClasspathKind, Deployment, JarPlace, JarRef, KnownVersion, Setting};
use crate::source::Location;

/// The keys whose values name jars that join Spark's classpath, with their list separator.
pub const JAR_KEYS: [(&str, char); 3] =
    [("spark.jars", ','), ("spark.driver.extraClassPath", ':'), ("spark.executor.extraClassPath", ':')];

/// The key of Maven coordinates Spark resolves and adds to the classpath.
pub const PACKAGES_KEY: &str = "spark.jars.packages";

/// True for a directory of jars that holds a spark-core jar: `jars/` of a Spark home or of `pyspark/`.
pub fn is_spark_jars_dir(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    entries.filter_map(|e| e.ok()).any(|e| {
        let name = e.file_name();
        let name = name.to_string_lossy();
        name.starts_with("spark-core_") && name.ends_with(".jar")
    })
}

/// The jars `spark-defaults.conf` names (`spark.jars`, `spark.*.extraClassPath`) that exist on this machine, as
/// [`JarPlace::SparkConfigured`] jars. Remote URLs (`hdfs:`, `s3a:`, `http:`) cannot be read and are skipped.
pub fn configured_jars(d: &Deployment) -> Vec<JarRef> {
    let base = std::env::current_dir().unwrap_or_default();
    let mut out = Vec::new();
    for (key, separator) in JAR_KEYS {
        for s in d.settings(key).filter(|s| s.config.kind.is_spark()) {
            for item in s.entry.value.split(separator).map(str::trim).filter(|i| !i.is_empty()) {
                let Some(local) = local_path(item) else { continue };
                for (path, display) in super::classpath::expand_classpath(local, &base) {
                    out.push(JarRef::new(path, display, JarPlace::SparkConfigured));
                }
            }
        }
    }
    out
}

/// The local path of a `spark.jars` item: a plain path, `file:` or `local:` URI; `None` for remote URLs.
fn local_path(item: &str) -> Option<&str> {
    for scheme in ["file://", "file:", "local://", "local:"] {
        if let Some(rest) = item.strip_prefix(scheme) {
            return Some(rest);
        }
    }
    (!item.contains("://")).then_some(item)
}

/// Adds the jars `spark-defaults.conf` names to every Spark `jars/` classpath (or, without one, forms Spark's
/// classpath of them alone).
pub(crate) fn join(classpaths: &mut Vec<Classpath>, jars: &[JarRef]) {
    let configured: Vec<usize> =
        jars.iter().enumerate().filter(|(_, j)| j.place == JarPlace::SparkConfigured).map(|(i, _)| i).collect();
    if configured.is_empty() {
        return;
    }
    let mut joined = false;
    // A Spark Operator application's `spec.deps.jars` are declared at their manifest lines.
    let from = if configured.iter().all(|i| jars[*i].declared_at.is_some()) {
        "spec.deps.jars"
    } else {
        "spark-defaults.conf"
    };
    for cp in classpaths.iter_mut().filter(|c| c.kind == ClasspathKind::SparkJars) {
        cp.name = format!("{} with the jars of {from}", cp.name);
        cp.jars.extend(configured.iter().copied());
        joined = true;
    }
    if !joined {
        classpaths.push(Classpath {
            kind: ClasspathKind::SparkJars,
            root: PathBuf::new(),
            name: "the jars spark-defaults.conf adds (spark.jars / extraClassPath)".to_string(),
            jars: configured,
        });
    }
}

/// The Spark version: the spark-core jar of a Spark `jars/` (else anywhere).
pub(crate) fn spark_version(d: &Deployment) -> Option<KnownVersion> {
    let is_core = |j: &&JarRef| j.unreadable.is_none() && j.artifact.artifact.starts_with("spark-core_");
    let core = d
        .jars
        .iter()
        .filter(|j| j.place == JarPlace::SparkJars)
        .find(is_core)
        .or_else(|| d.jars.iter().find(is_core))?;
    let version = core.artifact.version.as_deref()?;
    Some(KnownVersion { version: Version::parse(version), from: core.display.clone() })
}

/// One Maven coordinate of `spark.jars.packages`.
#[derive(Debug, Clone)]
pub struct Package<'a> {
    /// `groupId`.
    pub group: String,
    /// `artifactId`.
    pub artifact: String,
    /// The version as written.
    pub version: String,
    /// Where the coordinate is written (inside the value, when the value is written as read).
    pub at: Location,
    /// The definition.
    pub setting: Setting<'a>,
}

impl Package<'_> {
    /// The version, parsed for comparison.
    pub fn parsed_version(&self) -> Version {
        Version::parse(&self.version)
    }
}

/// One comma-separated item of `spark.jars.packages` that Spark refuses (`SparkSubmitUtils.extractMavenCoordinates`:
/// an empty item between commas, not three `:`-separated parts, an empty part): spark-submit fails before the
/// application starts.
#[derive(Debug, Clone)]
pub struct InvalidPackage {
    /// The item as written.
    pub text: String,
    /// Spark's message.
    pub reason: String,
    /// Where the item is written.
    pub at: Location,
}

/// The Maven coordinates (`group:artifact:version`, comma-separated; `group/artifact:version` too) of every
/// effective `spark.jars.packages`.
pub fn packages(d: &Deployment) -> Vec<Package<'_>> {
    package_items(d).0
}

/// The items of `spark.jars.packages` Spark refuses.
pub fn invalid_packages(d: &Deployment) -> Vec<InvalidPackage> {
    package_items(d).1
}

/// Splits every effective `spark.jars.packages` as Spark does: at `,` (Java's `split`, so trailing empty items
/// are dropped), `/` read as `:`, exactly three non-blank parts.
fn package_items(d: &Deployment) -> (Vec<Package<'_>>, Vec<InvalidPackage>) {
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    for s in d.settings(PACKAGES_KEY).filter(|s| s.config.kind.is_spark()) {
        let text = &d.sources.get(s.entry.value_at.file).text;
        let span = s.entry.value_at.span;
        let as_read = text.get(span.start..span.end) == Some(s.entry.value.as_str());
        let value = s.entry.value.as_str();
        let mut items: Vec<(usize, &str)> = Vec::new();
        let mut offset = 0;
        for item in value.split(',') {
            items.push((offset, item));
            offset += item.len() + 1;
        }
        while items.last().is_some_and(|(_, i)| i.is_empty()) {
            items.pop();
        }
        for (offset, item) in items {
            let lead = item.len() - item.trim_start().len();
            let coordinate = item.trim();
            let at = if as_read {
                let from = span.start + offset + lead;
                Location::new(s.entry.value_at.file, crate::source::Span::new(from, from + coordinate.len()))
            } else {
                s.entry.value_at
            };
            let normalised = item.replace('/', ":");
            let mut parts: Vec<&str> = normalised.split(':').collect();
            // Java's `split` drops trailing empty strings.
            while parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
                parts.pop();
            }
            let reason = if parts.len() != 3 {
                Some(format!(
                    "Provided Maven Coordinates must be in the form 'groupId:artifactId:version'. The coordinate provided is: {item}"
                ))
            } else {
                ["groupId", "artifactId", "version"]
                    .iter()
                    .zip(&parts)
                    .find(|(_, p)| p.trim().is_empty())
                    .map(|(what, p)| format!("The {what} cannot be null or be whitespace. The {what} provided is: {p}"))
            };
            match reason {
                Some(reason) => bad.push(InvalidPackage { text: item.to_string(), reason, at }),
                None => good.push(Package {
                    group: parts[0].trim().to_string(),
                    artifact: parts[1].trim().to_string(),
                    version: parts[2].trim().to_string(),
                    at,
                    setting: s,
                }),
            }
        }
    }
    (good, bad)
}

/// The `org.apache.hadoop:hadoop-aws` coordinate of `spark.jars.packages`, if any.
pub fn hadoop_aws_package(d: &Deployment) -> Option<Package<'_>> {
    packages(d).into_iter().find(|p| p.group == "org.apache.hadoop" && p.artifact == "hadoop-aws")
}

/// Adds the coordinates of `spark.jars.packages` to Spark's classpath as [`JarPlace::SparkPackage`] jars, with
/// the AWS SDK a `hadoop-aws` coordinate pulls in (the one its Hadoop line was built with): spark-submit resolves
/// them with their dependencies before the application starts.
pub(crate) fn add_packages(d: &mut Deployment) {
    let declared: Vec<(Artifact, Location, String)> = packages(d)
        .iter()
        .map(|p| {
            let artifact = Artifact {
                group: Some(p.group.clone()),
                artifact: p.artifact.clone(),
                version: Some(p.version.clone()),
                classifier: None,
            };
            (artifact, p.at, format!("{}:{}:{}", p.group, p.artifact, p.version))
        })
        .collect();
    // A dependency also named explicitly is resolved once, at the named version (Ivy's latest-revision wins over
    // the transitive one when it is the newer; the named one is what the user controls).
    let named: Vec<(Option<String>, String)> =
        declared.iter().map(|(a, _, _)| (a.group.clone(), a.artifact.clone())).collect();
    let mut added = Vec::new();
    for (artifact, at, coordinate) in declared {
        let sdk = (artifact.artifact == "hadoop-aws")
            .then(|| artifact.version().and_then(|v| crate::knowledge::jars::knowledge().hadoop_line(&v)))
            .flatten()
            .map(|line| {
                // The SDK version this very release pins, else the line's.
                let mut set = line.sdk.sets[0].clone();
                if let Some(pin) = artifact.version().and_then(|v| line.pinned_sdk(&v).map(|p| p.version.clone())) {
                    set.version = pin;
                }
                set
            });
        added.push(package_jar(artifact, at, format!("`{coordinate}` of spark.jars.packages")));
        if let Some(set) = sdk {
            for a in set.artifacts.iter().filter(|a| !named.contains(&(Some(set.group.clone()), a.to_string()))) {
                let dep = Artifact {
                    group: Some(set.group.clone()),
                    artifact: a.clone(),
                    version: Some(set.version.clone()),
                    classifier: None,
                };
                let shown =
                    format!("`{}:{a}:{}` (pulled in by `{coordinate}` of spark.jars.packages)", set.group, set.version);
                added.push(package_jar(dep, at, shown));
            }
        }
    }
    if added.is_empty() {
        return;
    }
    let first = d.jars.len();
    d.jars.extend(added);
    let indexes: Vec<usize> = (first..d.jars.len()).collect();
    let mut joined = false;
    for cp in d.classpaths.iter_mut().filter(|c| c.kind == ClasspathKind::SparkJars) {
        cp.jars.extend(indexes.iter().copied());
        joined = true;
    }
    if !joined {
        d.classpaths.push(Classpath {
            kind: ClasspathKind::SparkJars,
            root: PathBuf::new(),
            name: "Spark's classpath (spark.jars.packages)".to_string(),
            jars: indexes,
        });
    }
}

fn package_jar(artifact: Artifact, at: Location, display: String) -> JarRef {
    let file_name = format!("{}-{}.jar", artifact.artifact, artifact.version.as_deref().unwrap_or_default());
    JarRef {
        display,
        path: PathBuf::new(),
        file_name,
        place: JarPlace::SparkPackage,
        artifact,
        identified_by: IdSource::PomProperties,
        bundles: Vec::new(),
        unreadable: None,
        declared_at: Some(at),
        // A coordinate, not a file: nothing to read.
        read: true,
    }
}
