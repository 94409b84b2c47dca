//! Paths -> [`Deployment`]: which file is what (Hadoop `*-site.xml`, Flink `flink-conf.yaml` / `config.yaml`,
//! jars in `lib/`, `plugins/`, `opt/`, `share/hadoop/**` or directly in a directory given as PATH), Flink and
//! Hadoop home layouts, and the Hadoop configuration directory that Flink itself would find
//! (`fs.hdfs.hadoopconf`, `env.hadoop.conf.dir`, `HADOOP_CONF_DIR`). The jars, with those of `--classpath` and
//! `HADOOP_CLASSPATH`, are then identified and grouped into classpaths by [`classpath::build`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::config::{ConfigFile, ConfigKind};
use super::environment::Environment;
use super::{Deployment, JarPlace, JarRef, classpath, flink_conf, flink_yaml, hadoop_xml};
use crate::source::{LoadError, SourceFile, read_text};

/// Directories never walked into.
const SKIPPED_DIRS: [&str; 3] = [".git", "target", "node_modules"];

/// What discovery may consult besides the paths.
#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// Environment variables and system properties (`HADOOP_CONF_DIR`, `HADOOP_CLASSPATH`, `${env.X}` expansion).
    pub env: Environment,
    /// `--classpath`: a `hadoop classpath`-style list (`:`-separated, `dir/*` globs, directories, jars).
    pub classpath: Option<String>,
    /// `--flink-version`, when it cannot be discovered from flink-dist.
    pub flink_version: Option<String>,
    /// `--hadoop-version`, when it cannot be discovered from the Hadoop jars.
    pub hadoop_version: Option<String>,
}

/// A file to read, with the path to show for it.
#[derive(Debug, Clone)]
struct Candidate {
    path: PathBuf,
    display: String,
    kind: ConfigKind,
}

/// Reads every PATH of one invocation into one deployment.
pub fn discover(paths: &[PathBuf], options: &DiscoverOptions) -> Result<Deployment, LoadError> {
    let mut found = Found::default();
    for path in paths {
        found.add_root(path)?;
    }
    let mut deployment =
        Deployment { flink_homes: found.flink_homes.clone(), jars: found.jars.clone(), ..Default::default() };
    classpath::build(&mut deployment, options);
    for c in &found.configs {
        read_config(&mut deployment, c, &options.env)?;
    }
    // The Hadoop configuration directory Flink itself would load, when it exists and was not given.
    for dir in hadoop_conf_dirs(&deployment, &options.env) {
        let mut extra = Found { seen: found.seen.clone(), ..Default::default() };
        extra.walk_hadoop_conf_dir(&dir)?;
        for c in &extra.configs {
            read_config(&mut deployment, c, &options.env)?;
        }
        found.seen.extend(extra.seen);
    }
    if deployment.configs.is_empty() && deployment.jars.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(LoadError::file(
            shown.join(", "),
            "no Hadoop *-site.xml, flink-conf.yaml, conf/config.yaml or Flink/Hadoop jar layout found here",
        ));
    }
    drop_included_files(&mut deployment);
    super::secrets::mark(&mut deployment);
    deployment.index();
    Ok(deployment)
}

#[derive(Default)]
struct Found {
    configs: Vec<Candidate>,
    jars: Vec<JarRef>,
    flink_homes: Vec<PathBuf>,
    seen: BTreeSet<PathBuf>,
}

impl Found {
    fn add_root(&mut self, root: &Path) -> Result<(), LoadError> {
        let display = root.display().to_string();
        let meta = std::fs::metadata(root).map_err(|e| LoadError::file(&display, crate::source::io_reason(&e)))?;
        if meta.is_file() {
            if file_name(root).ends_with(".jar") {
                self.jars.push(JarRef::new(
                    root.to_path_buf(),
                    display,
                    jar_place(root).unwrap_or(JarPlace::Directory),
                ));
                return Ok(());
            }
            let kind = classify_explicit(root)
                .ok_or_else(|| LoadError::file(&display, "not a file s3lint reads: expected a Hadoop *-site.xml (or other .xml), flink-conf.yaml, config.yaml or a .jar, or a directory"))?;
            self.push_config(root, display, kind);
            return Ok(());
        }
        self.walk(root)
    }

    fn walk(&mut self, root: &Path) -> Result<(), LoadError> {
        let walker = WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
            !(e.file_type().is_dir() && e.depth() > 0 && SKIPPED_DIRS.iter().any(|s| e.file_name() == *s))
        });
        for item in walker {
            let entry = match item {
                Ok(entry) => entry,
                // A symlink loop is skipped (walkdir detects it); anything else means we cannot check.
                Err(e) if e.loop_ancestor().is_some() => continue,
                Err(e) => {
                    let at = e.path().map(|p| p.display().to_string()).unwrap_or_else(|| root.display().to_string());
                    let reason = e.io_error().map(crate::source::io_reason).unwrap_or_else(|| e.to_string());
                    return Err(LoadError::file(at, reason));
                }
            };
            let path = entry.path();
            if entry.file_type().is_dir() {
                if path.join("conf").is_dir() && (path.join("lib").is_dir() || path.join("plugins").is_dir()) {
                    self.flink_homes.push(path.to_path_buf());
                }
                continue;
            }
            let display = path.display().to_string();
            if let Some(kind) = classify_walked(path) {
                self.push_config(path, display, kind);
            } else if path.extension().is_some_and(|e| e == "jar") {
                // A jar in a Flink/Hadoop layout, or directly in a directory given as PATH (a directory of jars).
                let place = jar_place(path).or_else(|| (entry.depth() == 1).then_some(JarPlace::Directory));
                if let Some(place) = place {
                    self.jars.push(JarRef::new(path.to_path_buf(), display, place));
                }
            }
        }
        Ok(())
    }

    fn walk_hadoop_conf_dir(&mut self, dir: &Path) -> Result<(), LoadError> {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| LoadError::file(dir.display().to_string(), crate::source::io_reason(&e)))?;
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for path in files {
            if path.is_file() && is_hadoop_site_file(&path) {
                let display = path.display().to_string();
                self.push_config(&path, display, ConfigKind::HadoopXml);
            }
        }
        Ok(())
    }

    fn push_config(&mut self, path: &Path, display: String, kind: ConfigKind) {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if self.seen.insert(canonical) {
            self.configs.push(Candidate { path: path.to_path_buf(), display, kind });
        }
    }
}

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

fn is_hadoop_site_file(path: &Path) -> bool {
    file_name(path).ends_with("-site.xml")
}

/// A file named on the command line: any `.xml` is read as Hadoop XML; `flink-conf*.yaml` with the legacy
/// reader; any other `.yaml`/`.yml` as standard YAML (`config.yaml`).
fn classify_explicit(path: &Path) -> Option<ConfigKind> {
    let name = file_name(path);
    if name.ends_with(".xml") {
        Some(ConfigKind::HadoopXml)
    } else if name.starts_with("flink-conf") && (name.ends_with(".yaml") || name.ends_with(".yml")) {
        Some(ConfigKind::FlinkConf)
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        Some(ConfigKind::FlinkYaml)
    } else {
        None
    }
}

/// A file found by walking: Hadoop `*-site.xml`, `flink-conf.yaml`, and `config.yaml` inside a `conf/` directory.
fn classify_walked(path: &Path) -> Option<ConfigKind> {
    let name = file_name(path);
    let parent = path.parent().map(file_name).unwrap_or("");
    if is_hadoop_site_file(path) {
        Some(ConfigKind::HadoopXml)
    } else if name == "flink-conf.yaml" {
        Some(ConfigKind::FlinkConf)
    } else if name == "config.yaml" && parent == "conf" {
        Some(ConfigKind::FlinkYaml)
    } else {
        None
    }
}

/// Where a jar sits: `lib/`, `plugins/<folder>/`, `plugins/`, `opt/`, or `share/hadoop/**`. Other jars
/// (`examples/`, build output) are not on any classpath and are ignored.
fn jar_place(path: &Path) -> Option<JarPlace> {
    let parent = path.parent()?;
    let parent_name = file_name(parent);
    let grandparent_name = parent.parent().map(file_name).unwrap_or("");
    match (parent_name, grandparent_name) {
        ("lib", _) if !path.components().any(|c| c.as_os_str() == "share") => Some(JarPlace::Lib),
        ("opt", _) => Some(JarPlace::Opt),
        ("plugins", _) => Some(JarPlace::Plugin(None)),
        (folder, "plugins") => Some(JarPlace::Plugin(Some(folder.to_string()))),
        _ if path.to_string_lossy().contains("share/hadoop/") => Some(JarPlace::HadoopShare),
        _ => None,
    }
}

fn read_config(deployment: &mut Deployment, c: &Candidate, env: &Environment) -> Result<(), LoadError> {
    let text = read_text(&c.path, &c.display)?;
    let id = deployment.sources.add(SourceFile::new(c.display.clone(), c.path.clone(), text));
    let config = match c.kind {
        ConfigKind::HadoopXml => hadoop_xml::read(&mut deployment.sources, id, env)?,
        ConfigKind::FlinkConf => flink_conf::read(&deployment.sources, id),
        ConfigKind::FlinkYaml => flink_yaml::read(&deployment.sources, id)?,
    };
    deployment.configs.push(config);
    Ok(())
}

/// The Hadoop configuration directories Flink would load: `fs.hdfs.hadoopconf` and `env.hadoop.conf.dir`
/// from the Flink configuration, then `HADOOP_CONF_DIR` — those that exist.
fn hadoop_conf_dirs(deployment: &Deployment, env: &Environment) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for config in deployment.configs.iter().filter(|c| c.kind.is_flink()) {
        for key in ["fs.hdfs.hadoopconf", "env.hadoop.conf.dir"] {
            if let Some(e) = config.get(key) {
                dirs.push(PathBuf::from(e.value.trim()));
            }
        }
    }
    if let Some(dir) = env.vars.get("HADOOP_CONF_DIR").filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(dir));
    }
    dirs.retain(|d| d.is_dir());
    dirs.dedup();
    dirs
}

/// A file XIncluded by another configuration file is read as part of that file, not again on its own
/// (compared by canonical path: the same file may have been read twice under two ids).
fn drop_included_files(deployment: &mut Deployment) {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let sources = &deployment.sources;
    let included: BTreeSet<PathBuf> = deployment
        .configs
        .iter()
        .flat_map(|c| c.definitions.iter().map(|d| d.key_at.file).filter(move |f| *f != c.file))
        .map(|f| canonical(&sources.get(f).path))
        .collect();
    deployment.configs.retain(|c| !included.contains(&canonical(&sources.get(c.file).path)));
}

/// The Flink configuration files of a deployment (legacy and standard).
pub fn flink_configs(deployment: &Deployment) -> impl Iterator<Item = &ConfigFile> {
    deployment.configs.iter().filter(|c| c.kind.is_flink())
}
