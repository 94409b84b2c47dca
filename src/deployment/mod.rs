//! What `check` looks at: the configuration files and jars of one deployment, read as the real readers read them,
//! and the merged key view through which rules see every definition under the Hadoop key it becomes.

pub mod classpath;
pub mod code;
pub mod config;
pub mod discover;
pub mod dockerfile;
pub mod environment;
pub mod flink_conf;
pub mod flink_conf_file;
pub mod flink_keys;
pub mod flink_yaml;
pub mod hadoop_xml;
pub mod homes;
pub mod manifest;
mod secrets;
pub mod spark_classpath;
pub mod spark_conf;
pub mod version;
pub mod xml_encoding;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use classpath::{Artifact, IdSource};
use config::{ConfigFile, ConfigKind, Entry};
use version::Version;

use crate::source::{Location, SourceMap};

/// Where a jar sits in a Flink, Spark or Hadoop layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JarPlace {
    /// `lib/` of a Flink home: on the classpath.
    Lib,
    /// Under `plugins/`: in its own folder (`Some(folder)`) or directly in `plugins/` (`None`).
    Plugin(Option<String>),
    /// `opt/` of a Flink home: shipped but not installed.
    Opt,
    /// A Hadoop distribution's `share/hadoop/**`.
    HadoopShare,
    /// Named by `--classpath` or `HADOOP_CLASSPATH` (and not found in a layout walked): on Flink's classpath.
    Classpath,
    /// Directly in a directory given as PATH that is no Flink or Hadoop layout: taken as one classpath.
    Directory,
    /// `jars/` of a Spark home (or of the `pyspark` package): on the classpath of the driver and executors.
    SparkJars,
    /// Named by `spark.jars`, `spark.driver.extraClassPath` or `spark.executor.extraClassPath` in
    /// `spark-defaults.conf`: joins Spark's classpath.
    SparkConfigured,
    /// A Maven coordinate of `spark.jars.packages` (or a dependency it pulls in), resolved by spark-submit: no
    /// file, but on Spark's classpath.
    SparkPackage,
}

/// A jar file found in the deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JarRef {
    /// The path as shown to the user.
    pub display: String,
    /// The path used to open it.
    pub path: PathBuf,
    /// The file name.
    pub file_name: String,
    /// Where it sits.
    pub place: JarPlace,
    /// What it is: Maven coordinates from `pom.properties`, the manifest or the file name.
    pub artifact: Artifact,
    /// Where [`JarRef::artifact`] was read from.
    pub identified_by: IdSource,
    /// What a shaded/uber jar bundles, where its contents say (`pom.properties` of other artifacts, `NOTICE`).
    pub bundles: Vec<Artifact>,
    /// Why the file could not be read as a jar (not a zip, empty, unreadable); `None` when it was read.
    pub unreadable: Option<String>,
    /// Where the configuration declares it instead of a file (a `spark.jars.packages` coordinate, or a dependency
    /// it pulls in); `None` for a jar file.
    pub declared_at: Option<Location>,
    /// Whether the file was opened and identified: [`classpath::build`] reads each jar once, however often the
    /// inventory is built (again when `spark-defaults.conf` adds jars).
    pub read: bool,
}

/// Which Flink S3 filesystem a jar provides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlinkS3Plugin {
    /// `flink-s3-fs-hadoop`: serves `s3://` and `s3a://` with a shaded S3A.
    Hadoop,
    /// `flink-s3-fs-presto`: serves `s3://` and `s3p://`.
    Presto,
}

impl FlinkS3Plugin {
    /// The Maven artifact id (`flink-s3-fs-hadoop`, `flink-s3-fs-presto`).
    pub fn artifact(self) -> &'static str {
        match self {
            FlinkS3Plugin::Hadoop => "flink-s3-fs-hadoop",
            FlinkS3Plugin::Presto => "flink-s3-fs-presto",
        }
    }

    /// The conventional folder under `plugins/` (`s3-fs-hadoop`, `s3-fs-presto`).
    pub fn folder(self) -> &'static str {
        match self {
            FlinkS3Plugin::Hadoop => "s3-fs-hadoop",
            FlinkS3Plugin::Presto => "s3-fs-presto",
        }
    }

    /// The URI schemes it serves.
    pub fn schemes(self) -> &'static [&'static str] {
        match self {
            FlinkS3Plugin::Hadoop => &["s3", "s3a"],
            FlinkS3Plugin::Presto => &["s3", "s3p"],
        }
    }
}

impl JarRef {
    /// A jar found at `path`, shown as `display`, not yet read (identified from its file name only).
    pub fn new(path: PathBuf, display: String, place: JarPlace) -> Self {
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let artifact = classpath::parse_file_name(&file_name);
        JarRef {
            display,
            path,
            file_name,
            place,
            artifact,
            identified_by: IdSource::FileName,
            bundles: Vec::new(),
            unreadable: None,
            declared_at: None,
            read: false,
        }
    }

    /// The Flink S3 filesystem this jar provides, from its identified artifact (or its file name).
    pub fn flink_s3_plugin(&self) -> Option<FlinkS3Plugin> {
        let name = self.artifact.base_name();
        let is = |p: FlinkS3Plugin| name == p.artifact() || self.file_name.starts_with(p.artifact());
        if is(FlinkS3Plugin::Hadoop) {
            Some(FlinkS3Plugin::Hadoop)
        } else if is(FlinkS3Plugin::Presto) {
            Some(FlinkS3Plugin::Presto)
        } else {
            None
        }
    }

    /// The jar's version, parsed for comparison.
    pub fn version(&self) -> Option<Version> {
        self.artifact.version()
    }

    /// `` `file-name.jar` (version V) `` for messages, with the identified version when the name does not show it.
    pub fn describe(&self) -> String {
        match &self.artifact.version {
            Some(v) if !self.file_name.contains(v.as_str()) => format!("`{}` (version {v})", self.file_name),
            _ => format!("`{}`", self.file_name),
        }
    }
}

/// A discovered version and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownVersion {
    /// The version.
    pub version: Version,
    /// Where it was read: a jar's display path, or the command-line flag (`--flink-version`).
    pub from: String,
}

/// What loads a classpath.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClasspathKind {
    /// Flink's own classpath: `lib/` of a Flink home, plus `HADOOP_CLASSPATH` / `--classpath`.
    FlinkLib,
    /// One plugin folder `plugins/<name>/`, loaded by its own isolated classloader.
    FlinkPlugin,
    /// A Hadoop distribution's `share/hadoop/**`.
    HadoopHome,
    /// `HADOOP_CLASSPATH` / `--classpath` alone (no Flink `lib/` in the deployment).
    Given,
    /// A directory of jars given as PATH.
    Directory,
    /// Spark's classpath: `jars/` of a Spark home, plus the jars `spark-defaults.conf` adds.
    SparkJars,
}

/// A set of jars loaded together by one classloader: what a filesystem class can see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classpath {
    /// What loads it.
    pub kind: ClasspathKind,
    /// The directory it stands for (the Flink home, the plugin folder, the Hadoop home), for grouping.
    pub root: PathBuf,
    /// A short name for messages (`lib/ of flink-1.17.2`, `plugins/s3-fs-hadoop/`).
    pub name: String,
    /// Indexes into [`Deployment::jars`], in classpath order.
    pub jars: Vec<usize>,
}

/// One definition seen through the merged key view.
#[derive(Debug, Clone, Copy)]
pub struct Setting<'a> {
    /// The key as Hadoop's S3A sees it (`s3.access-key` becomes `fs.s3a.access.key`); other keys unchanged.
    pub key: &'a str,
    /// The configuration file that holds the definition.
    pub config: &'a ConfigFile,
    /// The definition as written.
    pub entry: &'a Entry,
}

/// A deployment: every file named on one command line, read as the real readers read them.
#[derive(Debug, Default)]
pub struct Deployment {
    /// Every file read (configuration files and their XIncludes).
    pub sources: SourceMap,
    /// The configuration files, in discovery order.
    pub configs: Vec<ConfigFile>,
    /// Jars found in Flink/Hadoop layouts, directories of jars, `--classpath` and `HADOOP_CLASSPATH`.
    pub jars: Vec<JarRef>,
    /// The classpaths those jars form (Flink's `lib/`, each plugin folder, each Hadoop home, ...).
    pub classpaths: Vec<Classpath>,
    /// The Flink version: from flink-dist, else `--flink-version`.
    pub flink_version: Option<KnownVersion>,
    /// The Hadoop version on Flink's (or Hadoop's) classpath: from hadoop-common, hadoop-aws or a shaded Hadoop
    /// jar, else `--hadoop-version`.
    pub hadoop_version: Option<KnownVersion>,
    /// Flink homes found (directories with `conf/` and `lib/`).
    pub flink_homes: Vec<PathBuf>,
    /// Spark homes found (directories with `jars/` holding spark-core, or a `pyspark/` package's folder).
    pub spark_homes: Vec<PathBuf>,
    /// The Spark version: from the spark-core jar of `jars/`.
    pub spark_version: Option<KnownVersion>,
    /// Files under a walked directory that could not be read (a dangling symlink, a FIFO, no permission); the
    /// rest of the deployment is checked without them.
    pub unreadable: Vec<UnreadableFile>,
    /// Secret values seen anywhere, for the final scrub of every output.
    pub secrets: Vec<String>,
    /// Flink configuration files that this Flink version does not read (`flink-conf.yaml` on Flink 2.x,
    /// `config.yaml` beside a `flink-conf.yaml` on 1.19/1.20): their definitions are not effective.
    pub unread_configs: Vec<flink_conf_file::UnreadConfig>,
    /// Which deployment this is when one command line checks several (its home and kind).
    pub origin: homes::Origin,
    /// For a deployment written as code (a Dockerfile, a Kubernetes manifest, a compose service): what only the
    /// code shows (environment, build arguments, enabled plugins); `None` for files and homes on disk.
    pub code: Option<code::Code>,
    /// `(hadoop key, config index, definition index, effective)` for every definition.
    merged: Vec<(String, usize, usize, bool)>,
    /// Hadoop-visible key -> indexes into `merged`, in order.
    by_key: HashMap<String, Vec<usize>>,
}

/// A file found while walking a directory that s3lint would have read but could not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableFile {
    /// The path as shown to the user.
    pub display: String,
    /// Why it could not be read (`is a FIFO (named pipe), not a regular file`, `permission denied`, ...).
    pub reason: String,
    /// True when it was read but does not parse (a manifest with a YAML error): the fix is in its text.
    pub malformed: bool,
}

impl Deployment {
    /// Every effective definition (one the real reader returns) whose Hadoop-visible key is `key`.
    pub fn settings<'a>(&'a self, key: &str) -> impl Iterator<Item = Setting<'a>> + 'a {
        let found = self.by_key.get(key).map(Vec::as_slice).unwrap_or(&[]);
        found.iter().map(|i| &self.merged[*i]).filter(|m| m.3).map(|m| self.setting(m))
    }

    /// Every definition as written, effective or not, under its Hadoop-visible key.
    pub fn all_settings(&self) -> impl Iterator<Item = Setting<'_>> + '_ {
        self.merged.iter().map(|m| self.setting(m))
    }

    /// Every effective definition, under its Hadoop-visible key.
    pub fn effective_settings(&self) -> impl Iterator<Item = Setting<'_>> + '_ {
        self.merged.iter().filter(|m| m.3).map(|m| self.setting(m))
    }

    /// The first effective value of `key` in the merged view.
    pub fn value(&self, key: &str) -> Option<Setting<'_>> {
        self.settings(key).next()
    }

    fn setting<'a>(&'a self, (key, c, e, _): &'a (String, usize, usize, bool)) -> Setting<'a> {
        let config = &self.configs[*c];
        Setting { key, config, entry: &config.definitions[*e] }
    }

    /// True when the deployment shows its classpath (a Flink home or jars), so "no S3 filesystem jar" is meaningful.
    pub fn classpath_known(&self) -> bool {
        !self.flink_homes.is_empty() || !self.jars.is_empty()
    }

    /// The installed Flink S3 filesystems that Flink loads: in `lib/`, in their own `plugins/<folder>/`, or on
    /// the given classpath — not `opt/`, and not a jar lying directly in `plugins/` (Flink loads plugins from
    /// sub-folders only).
    pub fn installed_s3_plugins(&self) -> Vec<(FlinkS3Plugin, &JarRef)> {
        self.jars
            .iter()
            .filter(|j| j.unreadable.is_none())
            .filter(|j| matches!(j.place, JarPlace::Lib | JarPlace::Plugin(Some(_)) | JarPlace::Classpath))
            .filter_map(|j| j.flink_s3_plugin().map(|p| (p, j)))
            .collect()
    }

    /// The classpath Flink itself runs with (`lib/` plus `HADOOP_CLASSPATH`), else the given classpath, else a
    /// Hadoop home's, else a directory of jars: where Hadoop's filesystems are loaded from.
    pub fn main_classpath(&self) -> Option<&Classpath> {
        [
            ClasspathKind::FlinkLib,
            ClasspathKind::SparkJars,
            ClasspathKind::Given,
            ClasspathKind::HadoopHome,
            ClasspathKind::Directory,
        ]
        .iter()
        .find_map(|k| self.classpaths.iter().find(|c| c.kind == *k))
    }

    /// The jars of a classpath.
    pub fn jars_of<'a>(&'a self, cp: &'a Classpath) -> impl Iterator<Item = &'a JarRef> + 'a {
        cp.jars.iter().filter_map(|i| self.jars.get(*i))
    }

    /// True when the deployment is a Flink deployment (a Flink home, Flink configuration or a flink-dist jar).
    pub fn is_flink(&self) -> bool {
        !self.flink_homes.is_empty() || self.configs.iter().any(|c| c.kind.is_flink()) || self.flink_version.is_some()
    }

    /// True when the deployment is a Spark deployment (a Spark home, `pyspark/jars/`, a `spark-defaults.conf` or a
    /// spark-core jar).
    pub fn is_spark(&self) -> bool {
        !self.spark_homes.is_empty()
            || self.configs.iter().any(|c| c.kind.is_spark())
            || self.spark_version.is_some()
            || self.jars.iter().any(|j| j.place == JarPlace::SparkJars)
    }

    /// True when some Hadoop XML configuration file was read.
    pub fn has_hadoop_config(&self) -> bool {
        self.configs.iter().any(|c| c.kind == ConfigKind::HadoopXml)
    }

    /// True when the configuration file `config` (an index into [`Deployment::configs`]) is one Flink does not
    /// read.
    pub fn is_unread(&self, config: usize) -> bool {
        self.unread_configs.iter().any(|u| u.config == config)
    }

    /// Builds the merged key view; called once after all files are read.
    pub(crate) fn index(&mut self) {
        self.merged.clear();
        self.by_key.clear();
        for (ci, config) in self.configs.iter().enumerate() {
            let unread = self.is_unread(ci);
            // A definition is effective when the reader returns it: an entry with the same key written there.
            let effective: HashSet<(&str, Location)> =
                config.entries.iter().map(|e| (e.key.as_str(), e.key_at)).collect();
            for (ei, entry) in config.definitions.iter().enumerate() {
                let key = if config.kind.is_flink() {
                    flink_keys::hadoop_key(&entry.key).unwrap_or_else(|| entry.key.clone())
                } else if config.kind.is_spark() {
                    // Spark hands `spark.hadoop.X` to Hadoop's Configuration as `X`.
                    spark_conf::hadoop_key(&entry.key).unwrap_or(&entry.key).to_string()
                } else {
                    entry.key.clone()
                };
                // spark-submit drops every key that does not start with `spark.`.
                let dropped = config.kind.is_spark() && !entry.key.starts_with(spark_conf::SPARK_PREFIX);
                let is_effective = !unread && !dropped && effective.contains(&(entry.key.as_str(), entry.key_at));
                self.by_key.entry(key.clone()).or_default().push(self.merged.len());
                self.merged.push((key, ci, ei, is_effective));
            }
        }
    }

    /// The location shown for "add this key here": the `<configuration>` element of the first Hadoop file
    /// with S3 settings, or the start of the given file.
    pub fn insertion_point(&self, config: &ConfigFile) -> Location {
        let text = &self.sources.get(config.file).text;
        let span = match config.kind {
            ConfigKind::HadoopXml => match text.find("<configuration") {
                Some(start) => {
                    let end = text[start..].find('>').map(|e| start + e + 1).unwrap_or(start + 14);
                    crate::source::Span::new(start, end)
                }
                None => crate::source::Span::new(0, 0),
            },
            _ => crate::source::Span::new(0, 0),
        };
        Location::new(config.file, span)
    }
}
