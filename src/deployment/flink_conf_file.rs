//! Which of a conf directory's Flink configuration files Flink reads, by Flink version, as
//! `GlobalConfiguration.loadConfiguration(dir)` decides (verified with apache-flink-libraries 1.18.1, 1.20.3 and
//! 2.2.1: `tests/oracle/flink/choice.sh`, goldens in `fixtures/readers/flink-conf-choice/`):
//!
//! - up to 1.18: only `flink-conf.yaml`; without it Flink fails ("The Flink config file '…/flink-conf.yaml' …
//!   does not exist.");
//! - 1.19 and 1.20: `flink-conf.yaml` when the directory has one (its `config.yaml` is then ignored), else
//!   `config.yaml`;
//! - 2.0 and later: only `config.yaml`; without it Flink fails ("The Flink config file '…/config.yaml' … does
//!   not exist."), whatever `flink-conf.yaml` holds.
//!
//! Files with other names are never looked for by Flink and are not judged here.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::Deployment;
use super::config::ConfigKind;
use super::version::Version;

/// The legacy file name.
pub const LEGACY: &str = "flink-conf.yaml";
/// The standard-YAML file name (Flink 1.19+).
pub const STANDARD: &str = "config.yaml";

/// What Flink `version` reads from a conf directory that holds the legacy and/or the standard file:
/// `Ok(file name read)`, or `Err(file name Flink requires and does not find)`.
pub fn file_read(version: &Version, legacy: bool, standard: bool) -> Result<&'static str, &'static str> {
    if version.at_least(2, 0) {
        if standard { Ok(STANDARD) } else { Err(STANDARD) }
    } else if version.at_least(1, 19) {
        if legacy {
            Ok(LEGACY)
        } else if standard {
            Ok(STANDARD)
        } else {
            Err(STANDARD)
        }
    } else if legacy {
        Ok(LEGACY)
    } else {
        Err(LEGACY)
    }
}

/// The Flink configuration files of one conf directory.
#[derive(Debug, Clone, Default)]
pub struct ConfDir {
    /// The directory (canonical when it exists).
    pub dir: PathBuf,
    /// The read `flink-conf.yaml`, as an index into [`Deployment::configs`].
    pub legacy: Option<usize>,
    /// The read `config.yaml`, as an index into [`Deployment::configs`].
    pub standard: Option<usize>,
    /// `flink-conf.yaml` exists in the directory (read or not).
    pub legacy_exists: bool,
    /// `config.yaml` exists in the directory (read or not).
    pub standard_exists: bool,
}

/// A Flink configuration file of the deployment that Flink does not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadConfig {
    /// Index into [`Deployment::configs`].
    pub config: usize,
    /// What Flink reads from that directory instead.
    pub instead: Instead,
}

/// What Flink reads instead of an unread configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Instead {
    /// The other file, read by s3lint too (index into [`Deployment::configs`]).
    Config(usize),
    /// The other file, which exists but was not given to s3lint (its path as shown).
    NotChecked(String),
    /// Nothing: Flink requires this file name there and fails to start without it.
    Missing(&'static str),
}

/// The conf directories of the deployment's `flink-conf.yaml` and `config.yaml` files, in discovery order.
pub fn conf_dirs(d: &Deployment) -> Vec<ConfDir> {
    let mut dirs: BTreeMap<PathBuf, ConfDir> = BTreeMap::new();
    let mut order = Vec::new();
    for (i, c) in d.configs.iter().enumerate() {
        let path = &d.sources.get(c.file).path;
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let legacy = match (name, c.kind) {
            (LEGACY, ConfigKind::FlinkConf) => true,
            (STANDARD, ConfigKind::FlinkYaml) => false,
            _ => continue,
        };
        let parent = path.parent().map(PathBuf::from).unwrap_or_default();
        let parent = if parent.as_os_str().is_empty() { PathBuf::from(".") } else { parent };
        let key = std::fs::canonicalize(&parent).unwrap_or_else(|_| parent.clone());
        let entry = dirs.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            ConfDir {
                dir: key,
                legacy_exists: parent.join(LEGACY).is_file(),
                standard_exists: parent.join(STANDARD).is_file(),
                ..Default::default()
            }
        });
        if legacy {
            entry.legacy.get_or_insert(i);
            entry.legacy_exists = true;
        } else {
            entry.standard.get_or_insert(i);
            entry.standard_exists = true;
        }
    }
    order.into_iter().filter_map(|k| dirs.remove(&k)).collect()
}

/// The Flink configuration files that the deployment's Flink version does not read (none when the version is
/// unknown).
pub fn unread(d: &Deployment) -> Vec<UnreadConfig> {
    let Some(flink) = &d.flink_version else { return Vec::new() };
    let mut out = Vec::new();
    for dir in conf_dirs(d) {
        match file_read(&flink.version, dir.legacy_exists, dir.standard_exists) {
            Ok(name) => {
                let (read, unread) =
                    if name == LEGACY { (dir.legacy, dir.standard) } else { (dir.standard, dir.legacy) };
                let Some(config) = unread else { continue };
                let instead = match read {
                    Some(i) => Instead::Config(i),
                    None => {
                        let shown = &d.sources.get(d.configs[config].file).display;
                        Instead::NotChecked(std::path::Path::new(shown).with_file_name(name).display().to_string())
                    }
                };
                out.push(UnreadConfig { config, instead });
            }
            Err(missing) => {
                for config in [dir.legacy, dir.standard].into_iter().flatten() {
                    out.push(UnreadConfig { config, instead: Instead::Missing(missing) });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_version_reads_its_file() {
        let v = Version::parse;
        assert_eq!(file_read(&v("1.18.1"), true, true), Ok(LEGACY));
        assert_eq!(file_read(&v("1.18.1"), false, true), Err(LEGACY));
        assert_eq!(file_read(&v("1.19.0"), true, true), Ok(LEGACY));
        assert_eq!(file_read(&v("1.20.3"), false, true), Ok(STANDARD));
        assert_eq!(file_read(&v("2.0.0"), true, true), Ok(STANDARD));
        assert_eq!(file_read(&v("2.2.1"), true, false), Err(STANDARD));
    }
}
