//! One deployment per home: a PATH that holds several Flink, Spark or Hadoop homes (a repository with
//! `flink-1.18.1/`, `flink-1.20.3/` and a Spark home) is split into one deployment per home, plus one for the
//! configuration directories and jars that belong to no home. Each is then discovered and checked on its own, so
//! the jars of one home are never compared with another home's `flink-dist`.
//!
//! What a user expects, and what [`split`] does:
//! - a PATH that is itself a home, or holds at most one home, is one deployment (a Flink home with the Hadoop
//!   configuration directory beside it stays one deployment, as before);
//! - a PATH that is no home but holds two or more homes gives one deployment per home, and one `files`
//!   deployment for what is left (only when something is left to read);
//! - several PATHs on one command line form one deployment (`s3lint check conf/ lib/`), unless two or more of
//!   them are homes themselves (`s3lint check flink-1.18.1 flink-1.20.3`): then each home is its own deployment,
//!   and the other PATHs together form one more.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// What a deployment is, by the home it was found as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HomeKind {
    /// A Flink home (`conf/` with `lib/` or `plugins/`, or a `lib/` holding flink-dist).
    Flink,
    /// A Spark home (a `jars/` holding spark-core; also pyspark's package folder).
    Spark,
    /// A Hadoop home (`share/hadoop/`).
    Hadoop,
    /// Configuration files and jars that belong to no home.
    #[default]
    Files,
}

impl HomeKind {
    /// The name used in every output: `flink`, `spark`, `hadoop`, `files`.
    pub fn as_str(self) -> &'static str {
        match self {
            HomeKind::Flink => "flink",
            HomeKind::Spark => "spark",
            HomeKind::Hadoop => "hadoop",
            HomeKind::Files => "files",
        }
    }
}

/// Which deployment a [`super::Deployment`] is: the directory (or PATHs) it was read from and its kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The home directory, or the PATHs as given (joined by a space), as shown to the user.
    pub root: String,
    /// Flink, Spark or Hadoop home, or files that belong to no home.
    pub kind: HomeKind,
}

/// One deployment to discover: the PATHs it is made of and the homes its walks must leave out (they are
/// deployments of their own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Files and directories read together.
    pub paths: Vec<PathBuf>,
    /// Directories not walked into.
    pub skip: Vec<PathBuf>,
    /// Its root and kind (`Files` is refined from what discovery finds when the part was not split off as a home).
    pub origin: Origin,
    /// True for what is left beside split-off homes: nothing to read there is no error, the part is dropped.
    pub optional: bool,
}

/// The kind of home `dir` is, if it is one.
pub fn home_kind(dir: &Path) -> Option<HomeKind> {
    let is_dir = |name: &str| dir.join(name).is_dir();
    let flink_dist = || {
        std::fs::read_dir(dir.join("lib")).is_ok_and(|entries| {
            entries.filter_map(|e| e.ok()).any(|e| {
                let name = e.file_name();
                let name = name.to_string_lossy();
                name.starts_with("flink-dist") && name.ends_with(".jar")
            })
        })
    };
    if (is_dir("conf") && (is_dir("lib") || is_dir("plugins"))) || (is_dir("lib") && flink_dist()) {
        Some(HomeKind::Flink)
    } else if super::spark_classpath::is_spark_jars_dir(&dir.join("jars")) {
        Some(HomeKind::Spark)
    } else if dir.join("share").join("hadoop").is_dir() {
        Some(HomeKind::Hadoop)
    } else {
        None
    }
}

/// Splits the PATHs of one command line into the deployments to check (see the module doc).
pub fn split(paths: &[PathBuf]) -> Vec<Part> {
    let mut homes: Vec<(PathBuf, HomeKind)> = Vec::new();
    let mut rest: Vec<PathBuf> = Vec::new();
    let mut skip: Vec<PathBuf> = Vec::new();
    let mut given_homes: Vec<(PathBuf, HomeKind)> = Vec::new();
    for path in paths {
        if !path.is_dir() {
            rest.push(path.clone());
            continue;
        }
        if let Some(kind) = home_kind(path) {
            given_homes.push((path.clone(), kind));
            continue;
        }
        let inner = homes_under(path);
        if inner.len() >= 2 {
            skip.extend(inner.iter().map(|(h, _)| h.clone()));
            homes.extend(inner);
        }
        rest.push(path.clone());
    }
    let split_given = given_homes.len() >= 2;
    if split_given {
        homes.extend(given_homes.iter().cloned());
    } else {
        // One home named with other PATHs: they are read together, in the order given.
        rest = paths.iter().filter(|p| rest.contains(p) || given_homes.iter().any(|(h, _)| h == *p)).cloned().collect();
    }
    let one_home = (!split_given && given_homes.len() == 1).then(|| given_homes[0].1);
    let mut parts: Vec<Part> = homes
        .into_iter()
        .map(|(home, kind)| Part {
            origin: Origin { root: home.display().to_string(), kind },
            paths: vec![home],
            skip: Vec::new(),
            optional: false,
        })
        .collect();
    if !rest.is_empty() {
        let shown: Vec<String> = rest.iter().map(|p| p.display().to_string()).collect();
        let kind = one_home.unwrap_or(HomeKind::Files);
        let optional = !parts.is_empty();
        parts.push(Part { paths: rest, skip, origin: Origin { root: shown.join(" "), kind }, optional });
    }
    parts
}

/// The origin of a discovered part: a split-off home keeps its kind; a part read as given takes the kind of what
/// was found in it (a Flink home, else a Spark home, else a Hadoop home, else files).
pub fn origin_of(part: &Part, d: &super::Deployment) -> Origin {
    let kind = match part.origin.kind {
        HomeKind::Files if !d.flink_homes.is_empty() => HomeKind::Flink,
        HomeKind::Files if !d.spark_homes.is_empty() => HomeKind::Spark,
        HomeKind::Files if d.classpaths.iter().any(|c| c.kind == super::ClasspathKind::HadoopHome) => HomeKind::Hadoop,
        kind => kind,
    };
    let root = if part.origin.root.is_empty() {
        part.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" ")
    } else {
        part.origin.root.clone()
    };
    Origin { root, kind }
}

/// The homes under `root` (not `root` itself), outermost only: a home's own folders are not searched for more
/// homes. Walks directories as discovery does (same skipped names, depth and size limits).
fn homes_under(root: &Path) -> Vec<(PathBuf, HomeKind)> {
    let mut out = Vec::new();
    let mut walker = WalkDir::new(root)
        .follow_links(true)
        .max_depth(super::discover::MAX_WALK_DEPTH)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter();
    let mut walked = 0usize;
    while let Some(item) = walker.next() {
        walked += 1;
        if walked > super::discover::MAX_WALKED_ENTRIES {
            // Discovery reports the oversized tree; no split is attempted.
            return Vec::new();
        }
        let Ok(entry) = item else { continue };
        if !entry.file_type().is_dir() {
            continue;
        }
        if super::discover::is_skipped_dir(entry.path()) {
            walker.skip_current_dir();
            continue;
        }
        if let Some(kind) = home_kind(entry.path()) {
            out.push((entry.path().to_path_buf(), kind));
            walker.skip_current_dir();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("s3lint-homes-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch");
        dir
    }

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dirs");
        std::fs::write(path, b"").expect("write");
    }

    #[test]
    fn two_homes_under_a_path_are_two_deployments_and_the_rest_a_third() {
        let dir = scratch("two");
        touch(&dir.join("flink-a/lib/flink-dist-1.18.1.jar"));
        touch(&dir.join("spark/jars/spark-core_2.12-3.5.6.jar"));
        touch(&dir.join("conf/core-site.xml"));
        let parts = split(std::slice::from_ref(&dir));
        let kinds: Vec<HomeKind> = parts.iter().map(|p| p.origin.kind).collect();
        assert_eq!(kinds, [HomeKind::Flink, HomeKind::Spark, HomeKind::Files]);
        assert_eq!(parts[2].skip, [dir.join("flink-a"), dir.join("spark")]);
        assert!(parts[2].optional && !parts[0].optional);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn one_home_with_its_conf_dir_beside_it_stays_one_deployment() {
        let dir = scratch("one");
        touch(&dir.join("flink/conf/flink-conf.yaml"));
        touch(&dir.join("flink/lib/flink-dist-1.18.1.jar"));
        touch(&dir.join("hadoop-conf/core-site.xml"));
        let parts = split(std::slice::from_ref(&dir));
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].paths, std::slice::from_ref(&dir));
        assert!(parts[0].skip.is_empty());
        // Named together on the command line, a home and a conf dir are one deployment of that home.
        let parts = split(&[dir.join("flink"), dir.join("hadoop-conf")]);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].paths.len(), 2);
        // Two homes named on the command line are two deployments.
        touch(&dir.join("flink2/lib/flink-dist-1.20.3.jar"));
        let parts = split(&[dir.join("flink"), dir.join("flink2"), dir.join("hadoop-conf")]);
        let roots: Vec<&PathBuf> = parts.iter().map(|p| &p.paths[0]).collect();
        assert_eq!(roots, [&dir.join("flink"), &dir.join("flink2"), &dir.join("hadoop-conf")]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
