//! Paths -> [`Deployment`]: which file is what (Hadoop `*-site.xml`, Flink `flink-conf.yaml` / `config.yaml`,
//! Spark `spark-defaults.conf`, jars in `lib/`, `plugins/`, `opt/`, `share/hadoop/**`, a Spark `jars/` or directly
//! in a directory given as PATH), Flink, Spark and Hadoop home layouts, Spark's `SPARK_CONF_DIR`, and the Hadoop
//! configuration directory that Flink itself would find (`fs.hdfs.hadoopconf`, `env.hadoop.conf.dir`,
//! `HADOOP_CONF_DIR`). The jars, with those of `--classpath` and
//! `HADOOP_CLASSPATH`, are then identified and grouped into classpaths by [`classpath::build`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::config::{ConfigFile, ConfigKind};
use super::environment::Environment;
use super::{
    Deployment, JarPlace, JarRef, UnreadableFile, classpath, flink_conf, flink_yaml, hadoop_xml, spark_conf,
    xml_encoding,
};
use crate::input::{Budget, ReadError, kind_of, read_bytes, utf8_text};
use crate::source::{LoadError, SourceFile, SourceMap, io_reason};

/// Directories never walked into: version control, build output, package and build-tool caches.
pub(crate) const SKIPPED_DIRS: [&str; 5] = [".git", "target", "node_modules", ".gradle", ".m2"];

/// True for a directory discovery never walks into: one of [`SKIPPED_DIRS`], or a build tool's wrapper folder
/// (`gradle/wrapper/`, `.mvn/wrapper/`), whose jar runs the build and is on no deployment's classpath.
pub(crate) fn is_skipped_dir(path: &std::path::Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let parent = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("");
    SKIPPED_DIRS.contains(&name) || (name == "wrapper" && matches!(parent, "gradle" | ".mvn"))
}
/// Most entries walked under one PATH (a Flink or Hadoop home has a few thousand; a symbolic link to `/` would
/// otherwise walk the whole machine).
pub(crate) const MAX_WALKED_ENTRIES: usize = 200_000;
/// Deepest directory level walked.
pub(crate) const MAX_WALK_DEPTH: usize = 32;

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
    /// What the run may read and expand in all (shared with the reading of s3lint's own settings).
    pub budget: Budget,
    /// An editor's unsaved text of one file, read instead of the file on disk (which need not exist yet).
    pub buffer: Option<Buffer>,
}

/// The text of one configuration file as an editor holds it (`check -`, the language server).
#[derive(Clone)]
pub struct Buffer {
    /// The file the text stands for.
    pub path: PathBuf,
    /// Its unsaved text.
    pub text: String,
}

impl Buffer {
    /// True when the buffer is a Dockerfile, an operator manifest or a compose file: checked as code, alone.
    pub fn is_code(&self) -> bool {
        super::code::find::classify_text(&self.path, &self.text).is_some()
    }
}

impl std::fmt::Debug for Buffer {
    /// The path and the length only: the text may hold secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Buffer({}, {} bytes)", self.path.display(), self.text.len())
    }
}

impl Buffer {
    /// True when `path` names the buffer's file (compared with symbolic links resolved).
    fn is(&self, path: &Path) -> bool {
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        path == self.path || canonical(path) == canonical(&self.path)
    }
}

/// A file to read, with the path to show for it.
#[derive(Debug, Clone)]
struct Candidate {
    path: PathBuf,
    display: String,
    kind: ConfigKind,
    /// Found by walking a directory (not named on the command line): a file that cannot be read is a finding,
    /// not the end of the check.
    walked: bool,
}

/// Reads every PATH of one invocation into one deployment.
pub fn discover(paths: &[PathBuf], options: &DiscoverOptions) -> Result<Deployment, LoadError> {
    let part =
        super::homes::Part { paths: paths.to_vec(), skip: Vec::new(), origin: Default::default(), optional: false };
    discover_part(&part, options, &BTreeSet::new()).map(|d| d.unwrap_or_default())
}

/// Reads the PATHs of one invocation as the deployments [`super::homes::split`] makes of them: one per home when
/// a PATH holds several homes, and one for the files that belong to none.
///
/// Deployments written as code come after them: each Dockerfile, operator resource and compose service found
/// under the PATHs (see [`super::code`]).
pub fn discover_each(paths: &[PathBuf], options: &DiscoverOptions) -> Result<Vec<Deployment>, LoadError> {
    let code = super::code::find::find(paths, options.buffer.as_ref());
    // Code files named on the command line are read only as code.
    let rest: Vec<PathBuf> =
        paths.iter().filter(|p| !code.iter().any(|c| c.explicit && c.path == **p)).cloned().collect();
    let builds = super::code::join::builds(paths, &code);
    let from_code = if code.is_empty() { Vec::new() } else { super::code::deployments(&code, &builds, options)? };
    // The files an image copies or a service mounts belong to that deployment, not to the folder they sit in.
    let consumed: BTreeSet<PathBuf> = from_code
        .iter()
        .flat_map(|d| d.sources.iter().map(|(_, f)| f.path.clone()).chain(d.jars.iter().map(|j| j.path.clone())))
        .filter(|p| p.exists())
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
        .collect();
    let mut out = Vec::new();
    if !rest.is_empty() {
        for mut part in super::homes::split(&rest) {
            // Beside code, a folder holding no configuration file is no error.
            part.optional |= !code.is_empty();
            if let Some(d) = discover_part(&part, options, &consumed)? {
                out.push(d);
            }
        }
    }
    out.extend(from_code);
    if out.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        // Dockerfiles or compose files were there, but none builds or runs a Flink or Spark image.
        let message = match code.len() {
            0 => NOTHING_FOUND.to_string(),
            n => format!(
                "the {n} Dockerfile(s), operator manifest(s) or compose file(s) found here build or run no Flink or Spark image s3lint knows (an official `flink`, `apache/flink`, `apache/spark`, `spark` or `bitnami/spark` image), and no Hadoop *-site.xml, flink-conf.yaml, conf/config.yaml, spark-defaults.conf or Flink/Spark/Hadoop jar layout is here"
            ),
        };
        return Err(LoadError::file(shown.join(", "), message));
    }
    Ok(out)
}

/// What `check` says when a PATH holds nothing it reads.
const NOTHING_FOUND: &str = "no Hadoop *-site.xml, flink-conf.yaml, conf/config.yaml, spark-defaults.conf, Flink/Spark/Hadoop jar \
                             layout, Dockerfile, Flink or Spark operator manifest or docker-compose file found here";

/// Reads one part; `None` when an optional part (what is left beside split-off homes) holds nothing to read.
///
/// Files in `consumed` (read by a deployment written as code) are left out.
fn discover_part(
    part: &super::homes::Part,
    options: &DiscoverOptions,
    consumed: &BTreeSet<PathBuf>,
) -> Result<Option<Deployment>, LoadError> {
    let paths = &part.paths;
    let mut found = Found { skip: part.skip.clone(), seen: consumed.clone(), ..Default::default() };
    for path in paths {
        match &options.buffer {
            // An unsaved buffer of a file not written yet.
            Some(b) if b.is(path) && !path.exists() => found.add_unsaved(path)?,
            _ => found.add_root(path)?,
        }
    }
    if !consumed.is_empty() {
        found.jars.retain(|j| !consumed.contains(&std::fs::canonicalize(&j.path).unwrap_or_else(|_| j.path.clone())));
    }
    let mut deployment = Deployment {
        sources: SourceMap::with_budget(options.budget.clone()),
        flink_homes: found.flink_homes.clone(),
        spark_homes: found.spark_homes.clone(),
        jars: found.jars.clone(),
        unreadable: std::mem::take(&mut found.unreadable),
        ..Default::default()
    };
    // The jars first: the Flink version they give decides which Flink configuration file is read (and so which
    // Hadoop configuration directory it names).
    classpath::build(&mut deployment, options);
    // Spark's configuration directory (SPARK_CONF_DIR) when a Spark home was found: its spark-defaults.conf
    // and *-site.xml are what spark-submit and Spark's classpath load.
    if !found.spark_homes.is_empty()
        && let Some(dir) = options.env.vars.get("SPARK_CONF_DIR").map(PathBuf::from).filter(|d| d.is_dir())
    {
        found.walk_conf_dir(&dir, true)?;
    }
    for c in &found.configs {
        read_config(&mut deployment, c, options)?;
    }
    // The Hadoop configuration directory Flink itself would load, when it exists and was not given.
    for dir in hadoop_conf_dirs(&deployment, &options.env) {
        let mut extra = Found { seen: found.seen.clone(), ..Default::default() };
        extra.walk_conf_dir(&dir, false)?;
        for c in &extra.configs {
            read_config(&mut deployment, c, options)?;
        }
        deployment.unreadable.append(&mut extra.unreadable);
        found.seen.extend(extra.seen);
    }
    if deployment.configs.is_empty() && deployment.jars.is_empty() && deployment.unreadable.is_empty() {
        if part.optional {
            return Ok(None);
        }
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(LoadError::file(shown.join(", "), NOTHING_FOUND));
    }
    drop_included_files(&mut deployment);
    // Spark's `spark.hadoop.*` keys override the `*-site.xml` files of its classpath: they come first in the view.
    deployment.configs.sort_by_key(|c| !c.kind.is_spark());
    super::secrets::mark(&mut deployment);
    deployment.index();
    // The jars spark-defaults.conf adds join Spark's classpath: the inventory is built again with them (only
    // the new jars are read).
    let configured = super::spark_classpath::configured_jars(&deployment);
    if !configured.is_empty() {
        deployment.jars.extend(configured);
        classpath::build(&mut deployment, options);
    }
    super::spark_classpath::add_packages(&mut deployment);
    deployment.unread_configs = super::flink_conf_file::unread(&deployment);
    if !deployment.unread_configs.is_empty() {
        deployment.index();
    }
    deployment.origin = super::homes::origin_of(part, &deployment);
    Ok(Some(deployment))
}

#[derive(Default)]
struct Found {
    configs: Vec<Candidate>,
    jars: Vec<JarRef>,
    flink_homes: Vec<PathBuf>,
    spark_homes: Vec<PathBuf>,
    /// Directories named `jars` already judged: do they hold Spark's jars?
    spark_jars_dirs: std::collections::BTreeMap<PathBuf, bool>,
    seen: BTreeSet<PathBuf>,
    unreadable: Vec<UnreadableFile>,
    /// Homes that are deployments of their own: not walked into.
    skip: Vec<PathBuf>,
    /// Every home met by the walk (Flink, Spark, Hadoop): jars in their other folders (`examples/`, `bin/`) are
    /// on no classpath.
    homes: Vec<PathBuf>,
}

impl Found {
    fn add_root(&mut self, root: &Path) -> Result<(), LoadError> {
        let display = root.display().to_string();
        let meta = std::fs::metadata(root).map_err(|e| LoadError::file(&display, io_reason(&e)))?;
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
                .ok_or_else(|| LoadError::file(&display, "not a file s3lint reads: expected a Hadoop *-site.xml (or other .xml), flink-conf.yaml, config.yaml, spark-defaults.conf (or other .conf), or a .jar, or a directory"))?;
            self.push_config(root, display, kind, false);
            return Ok(());
        }
        if !meta.is_dir() {
            let kind = kind_of(&meta);
            return Err(LoadError::file(&display, format!("is {kind}, not a regular file or a directory")));
        }
        self.walk(root)
    }

    /// A buffer whose file does not exist (yet): read as the file its name says.
    fn add_unsaved(&mut self, path: &Path) -> Result<(), LoadError> {
        let display = path.display().to_string();
        let kind = classify_explicit(path)
            .ok_or_else(|| LoadError::file(&display, "not a file s3lint reads: expected a Hadoop *-site.xml (or other .xml), flink-conf.yaml, config.yaml or spark-defaults.conf (or other .conf)"))?;
        self.push_config(path, display, kind, false);
        Ok(())
    }

    fn walk(&mut self, root: &Path) -> Result<(), LoadError> {
        let skip = self.skip.clone();
        let walker = WalkDir::new(root)
            .follow_links(true)
            .max_depth(MAX_WALK_DEPTH)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(move |e| {
                !(e.file_type().is_dir()
                    && e.depth() > 0
                    && (is_skipped_dir(e.path()) || skip.iter().any(|h| h == e.path())))
            });
        for (walked, item) in walker.enumerate() {
            if walked >= MAX_WALKED_ENTRIES {
                return Err(LoadError::file(
                    root.display().to_string(),
                    format!(
                        "more than {MAX_WALKED_ENTRIES} files and directories under this path (a symbolic link to a \
                         large tree?); s3lint stops walking here — name the configuration directories instead"
                    ),
                ));
            }
            let entry = match item {
                Ok(entry) => entry,
                // A symlink loop is skipped (walkdir detects it).
                Err(e) if e.loop_ancestor().is_some() => continue,
                Err(e) if e.depth() == 0 => {
                    let at = e.path().map(|p| p.display().to_string()).unwrap_or_else(|| root.display().to_string());
                    let reason = e.io_error().map(io_reason).unwrap_or_else(|| e.to_string());
                    return Err(LoadError::file(at, reason));
                }
                // Below the root: a dangling or looping symlink, an unreadable directory. The rest is checked.
                Err(e) => {
                    if let Some(path) = e.path() {
                        self.walk_error(path, &e);
                    }
                    continue;
                }
            };
            let path = entry.path();
            if entry.file_type().is_dir() {
                if path.join("conf").is_dir() && (path.join("lib").is_dir() || path.join("plugins").is_dir()) {
                    self.flink_homes.push(path.to_path_buf());
                }
                if self.is_spark_jars(&path.join("jars")) {
                    self.spark_homes.push(path.to_path_buf());
                }
                if super::homes::home_kind(path).is_some() || self.is_spark_jars(path) {
                    self.homes.push(path.to_path_buf());
                }
                continue;
            }
            let display = path.display().to_string();
            if let Some(kind) = classify_walked(path) {
                self.push_config(path, display, kind, true);
            } else if path.extension().is_some_and(|e| e == "jar") {
                // A jar in a Flink/Hadoop layout, or directly in a directory given as PATH (a directory of jars).
                let spark = path.parent().filter(|p| file_name(p) == "jars").is_some_and(|p| self.is_spark_jars(p));
                let place = if spark { Some(JarPlace::SparkJars) } else { jar_place(path) }
                    .or_else(|| self.in_flink_lib(path))
                    .or_else(|| (entry.depth() == 1 || !self.in_home(path)).then_some(JarPlace::Directory));
                if let Some(place) = place {
                    self.jars.push(JarRef::new(path.to_path_buf(), display, place));
                }
            }
        }
        Ok(())
    }

    /// A jar in a sub-folder of a Flink home's `lib/` (`lib/backup/flink-dist-1.17.2.jar`): Flink's scripts put
    /// every jar found under `lib/` on the classpath (`find "$FLINK_LIB_DIR" -name '*.jar'`).
    fn in_flink_lib(&self, path: &Path) -> Option<JarPlace> {
        let lib = path.ancestors().skip(2).find(|a| file_name(a) == "lib")?;
        self.flink_homes.iter().any(|h| Some(h.as_path()) == lib.parent()).then_some(JarPlace::Lib)
    }

    /// True when a jar sits in a folder of a home met by the walk (`examples/`, `bin/`, a sub-folder of Spark's
    /// `jars/`): such folders are on no classpath. A jar in any other folder (a `jars/` beside a `core-site.xml`,
    /// a `libs/`) is read as a classpath of its own.
    fn in_home(&self, path: &Path) -> bool {
        path.ancestors().skip(1).any(|a| self.homes.iter().any(|h| h == a))
    }

    /// Records what the walk could not enter or follow, when s3lint would have read it: a configuration file or
    /// jar behind a dangling or looping symlink, a directory it could not list.
    fn walk_error(&mut self, path: &Path, e: &walkdir::Error) {
        let reason = match e.io_error() {
            Some(io) if io.kind() == std::io::ErrorKind::NotFound => match std::fs::read_link(path) {
                Ok(target) => format!("a symbolic link to `{}`, which does not exist", target.display()),
                Err(_) => io_reason(io),
            },
            Some(io) if io.raw_os_error() == Some(ELOOP) => {
                "a symbolic link that points back at itself (too many levels of symbolic links)".to_string()
            }
            Some(io) if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) => {
                format!("a directory that cannot be listed ({}): nothing in it is checked", io_reason(io))
            }
            Some(io) => io_reason(io),
            None => e.to_string(),
        };
        let relevant = classify_walked(path).is_some()
            || path.extension().is_some_and(|x| x == "jar")
            || std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
        if relevant {
            self.unreadable.push(UnreadableFile { display: path.display().to_string(), reason, malformed: false });
        }
    }

    /// True when `dir` is a `jars/` folder holding Spark's jars (judged once per directory).
    fn is_spark_jars(&mut self, dir: &Path) -> bool {
        if file_name(dir) != "jars" {
            return false;
        }
        *self.spark_jars_dirs.entry(dir.to_path_buf()).or_insert_with(|| super::spark_classpath::is_spark_jars_dir(dir))
    }

    /// The `*-site.xml` files of a configuration directory (HADOOP_CONF_DIR), and with `spark` its
    /// `spark-defaults.conf` (SPARK_CONF_DIR).
    fn walk_conf_dir(&mut self, dir: &Path, spark: bool) -> Result<(), LoadError> {
        let entries = std::fs::read_dir(dir).map_err(|e| LoadError::file(dir.display().to_string(), io_reason(&e)))?;
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for path in files {
            if is_hadoop_site_file(&path) && !path.is_dir() {
                let display = path.display().to_string();
                self.push_config(&path, display, ConfigKind::HadoopXml, true);
            } else if spark && file_name(&path) == SPARK_DEFAULTS && !path.is_dir() {
                let display = path.display().to_string();
                self.push_config(&path, display, ConfigKind::SparkConf, true);
            }
        }
        Ok(())
    }

    fn push_config(&mut self, path: &Path, display: String, kind: ConfigKind, walked: bool) {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if self.seen.insert(canonical) {
            self.configs.push(Candidate { path: path.to_path_buf(), display, kind, walked });
        }
    }
}

/// `ELOOP`: too many levels of symbolic links.
#[cfg(unix)]
const ELOOP: i32 = libc::ELOOP;
#[cfg(not(unix))]
const ELOOP: i32 = -1;

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|n| n.to_str()).unwrap_or("")
}

/// The file spark-submit reads its defaults from.
const SPARK_DEFAULTS: &str = "spark-defaults.conf";

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
    } else if name.starts_with("spark-defaults") || name.ends_with(".conf") {
        // spark-defaults.conf, or a `--properties-file` of another name.
        Some(ConfigKind::SparkConf)
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
    } else if name == SPARK_DEFAULTS {
        Some(ConfigKind::SparkConf)
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

/// Reads one configuration file. One found by walking that cannot be read at all (a FIFO, a device, a dangling
/// symlink, no permission) is recorded as unreadable and the rest is still checked; one named on the command line
/// stops the check.
/// The text of [`DiscoverOptions::buffer`] replaces the file's.
fn read_config(deployment: &mut Deployment, c: &Candidate, options: &DiscoverOptions) -> Result<(), LoadError> {
    let env = &options.env;
    if let Some(b) = options.buffer.as_ref().filter(|b| b.is(&c.path)) {
        if b.text.len() as u64 > crate::input::MAX_FILE_BYTES {
            let max = crate::input::MAX_FILE_BYTES;
            return Err(LoadError::file(&c.display, format!("larger than {max} bytes; such files are not read")));
        }
        if let Some(nul) = memchr::memchr(0, b.text.as_bytes()) {
            return Err(crate::input::binary_at(b.text.as_bytes(), nul, &c.path, &c.display));
        }
        let charged = deployment.sources.budget().charge(b.text.len() as u64);
        charged.map_err(|spent| LoadError::file(&c.display, spent.to_string()))?;
        return read_text(deployment, c, b.text.clone(), env);
    }
    let bytes = match read_bytes(&c.path, &c.display, deployment.sources.budget()) {
        Ok(bytes) => bytes,
        Err(ReadError::Unreadable(e)) if c.walked => {
            deployment.unreadable.push(UnreadableFile {
                display: c.display.clone(),
                reason: e.message,
                malformed: false,
            });
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    let text = match c.kind {
        ConfigKind::HadoopXml => xml_encoding::decode(bytes, &c.path, &c.display)?,
        ConfigKind::FlinkConf | ConfigKind::FlinkYaml => utf8_text(bytes, &c.path, &c.display)?,
        ConfigKind::SparkConf => spark_conf::decode(bytes, &c.path, &c.display)?,
    };
    read_text(deployment, c, text, env)
}

/// Reads the configuration file `path` with the reader of `kind` into `deployment`, as a file found by walking
/// (one that cannot be read is recorded as unreadable): a file a compose service mounts into its container.
pub(crate) fn read_config_file(
    deployment: &mut Deployment,
    path: &Path,
    kind: ConfigKind,
    options: &DiscoverOptions,
) -> Result<(), LoadError> {
    let c = Candidate { path: path.to_path_buf(), display: path.display().to_string(), kind, walked: true };
    read_config(deployment, &c, options)
}

/// Parses one configuration file's decoded text with its reader.
fn read_text(deployment: &mut Deployment, c: &Candidate, text: String, env: &Environment) -> Result<(), LoadError> {
    let id = deployment.sources.add(SourceFile::new(c.display.clone(), c.path.clone(), text));
    let config = match c.kind {
        ConfigKind::HadoopXml => hadoop_xml::read(&mut deployment.sources, id, env)?,
        ConfigKind::FlinkConf => flink_conf::read(&deployment.sources, id),
        ConfigKind::FlinkYaml => flink_yaml::read(&deployment.sources, id)?,
        ConfigKind::SparkConf => spark_conf::read(&deployment.sources, id)?,
    };
    deployment.configs.push(config);
    Ok(())
}

/// The Hadoop configuration directories Flink would load: `fs.hdfs.hadoopconf` and `env.hadoop.conf.dir`
/// from the Flink configuration, then `HADOOP_CONF_DIR` — those that exist.
fn hadoop_conf_dirs(deployment: &Deployment, env: &Environment) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    // Not from a Flink configuration file that this Flink version does not read.
    let unread = super::flink_conf_file::unread(deployment);
    let read = |i: &usize| !unread.iter().any(|u| u.config == *i);
    for (_, config) in deployment.configs.iter().enumerate().filter(|(i, c)| c.kind.is_flink() && read(i)) {
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
