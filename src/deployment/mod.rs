//! What `check` looks at: the configuration files and jars of one deployment, read as the real readers read them,
//! and the merged key view through which rules see every definition under the Hadoop key it becomes.

pub mod config;
pub mod discover;
pub mod environment;
pub mod flink_conf;
pub mod flink_keys;
pub mod flink_yaml;
pub mod hadoop_xml;

use std::path::PathBuf;

use config::{ConfigFile, ConfigKind, Entry};

use crate::source::{Location, SourceMap};

/// Where a jar sits in a Flink or Hadoop layout.
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
}

/// Which Flink S3 filesystem a jar provides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlinkS3Plugin {
    /// `flink-s3-fs-hadoop`: serves `s3://` and `s3a://` with a shaded S3A.
    Hadoop,
    /// `flink-s3-fs-presto`: serves `s3://` and `s3p://`.
    Presto,
}

impl JarRef {
    /// The Flink S3 filesystem this jar provides, from its file name.
    pub fn flink_s3_plugin(&self) -> Option<FlinkS3Plugin> {
        if self.file_name.starts_with("flink-s3-fs-hadoop") {
            Some(FlinkS3Plugin::Hadoop)
        } else if self.file_name.starts_with("flink-s3-fs-presto") {
            Some(FlinkS3Plugin::Presto)
        } else {
            None
        }
    }
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
    /// Jars found in Flink/Hadoop layouts.
    pub jars: Vec<JarRef>,
    /// Flink homes found (directories with `conf/` and `lib/`).
    pub flink_homes: Vec<PathBuf>,
    /// Secret values seen anywhere, for the final scrub of every output.
    pub secrets: Vec<String>,
    /// `(hadoop key, config index, definition index)` for every definition.
    merged: Vec<(String, usize, usize)>,
}

impl Deployment {
    /// Every effective definition (one the real reader returns) whose Hadoop-visible key is `key`.
    pub fn settings<'a>(&'a self, key: &'a str) -> impl Iterator<Item = Setting<'a>> + 'a {
        self.all_settings().filter(move |s| s.key == key && is_effective(s))
    }

    /// Every definition as written, effective or not, under its Hadoop-visible key.
    pub fn all_settings(&self) -> impl Iterator<Item = Setting<'_>> + '_ {
        self.merged.iter().map(|(key, c, e)| {
            let config = &self.configs[*c];
            Setting { key, config, entry: &config.definitions[*e] }
        })
    }

    /// Every effective definition, under its Hadoop-visible key.
    pub fn effective_settings(&self) -> impl Iterator<Item = Setting<'_>> + '_ {
        self.all_settings().filter(is_effective)
    }

    /// The first effective value of `key` in the merged view.
    pub fn value(&self, key: &str) -> Option<Setting<'_>> {
        self.merged
            .iter()
            .map(|(k, c, e)| {
                let config = &self.configs[*c];
                Setting { key: k, config, entry: &config.definitions[*e] }
            })
            .find(|s| s.key == key && is_effective(s))
    }

    /// True when the deployment shows its classpath (a Flink home or jars), so "no S3 filesystem jar" is meaningful.
    pub fn classpath_known(&self) -> bool {
        !self.flink_homes.is_empty() || !self.jars.is_empty()
    }

    /// The installed Flink S3 filesystems (in `lib/` or `plugins/`, not `opt/`).
    pub fn installed_s3_plugins(&self) -> Vec<(FlinkS3Plugin, &JarRef)> {
        self.jars
            .iter()
            .filter(|j| matches!(j.place, JarPlace::Lib | JarPlace::Plugin(_)))
            .filter_map(|j| j.flink_s3_plugin().map(|p| (p, j)))
            .collect()
    }

    /// True when some Hadoop XML configuration file was read.
    pub fn has_hadoop_config(&self) -> bool {
        self.configs.iter().any(|c| c.kind == ConfigKind::HadoopXml)
    }

    /// Builds the merged key view; called once after all files are read.
    pub(crate) fn index(&mut self) {
        self.merged.clear();
        for (ci, config) in self.configs.iter().enumerate() {
            for (ei, entry) in config.definitions.iter().enumerate() {
                let key = if config.kind.is_flink() {
                    flink_keys::hadoop_key(&entry.key).unwrap_or_else(|| entry.key.clone())
                } else {
                    entry.key.clone()
                };
                self.merged.push((key, ci, ei));
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

/// A definition the real reader returns (not an empty placeholder, not overridden).
fn is_effective(s: &Setting<'_>) -> bool {
    s.config.entries.iter().any(|e| e.key_at == s.entry.key_at && e.key == s.entry.key)
}
