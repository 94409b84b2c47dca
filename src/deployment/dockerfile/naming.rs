//! What a jar is, from where the Dockerfile names it: its file name or the Maven repository URL it is downloaded
//! from (`…/org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar` gives group, artifact and version), and
//! the shell globs (`flink-s3-fs-hadoop-*.jar`) that pick jars by name.

use super::{ImageJar, Origin, Place, VersionFrom};
use crate::deployment::classpath::{Artifact, parse_file_name};
use crate::source::Location;

/// `(group, artifact, version)` from a Maven repository URL: `…/<group path>/<artifact>/<version>/<file>`.
pub fn maven_coordinates(url: &str) -> Option<Artifact> {
    let path = url.split(['?', '#']).next()?;
    let segs: Vec<&str> = path.split('/').collect();
    let n = segs.len();
    if n < 5 {
        return None;
    }
    let (file, version, artifact) = (segs[n - 1], segs[n - 2], segs[n - 3]);
    let rest = file.strip_prefix(&format!("{artifact}-{version}"))?;
    let classifier = rest.strip_suffix(".jar")?.strip_prefix('-').map(str::to_string);
    let root = segs.iter().position(|s| *s == "maven2").map(|i| i + 1).or_else(|| {
        segs.iter().position(|s| matches!(*s, "org" | "com" | "io" | "net" | "software" | "za" | "de" | "ai"))
    })?;
    if root >= n - 3 {
        return None;
    }
    let group = segs[root..n - 3].join(".");
    Some(Artifact {
        group: Some(group),
        artifact: artifact.to_string(),
        version: Some(version.to_string()),
        classifier,
    })
}

/// A jar (path not yet set) from a file name and, when it has one, the URL it was downloaded from.
pub fn jar(file_name: &str, url: Option<&str>, origin: Origin, at: Option<Location>) -> ImageJar {
    let (artifact, version_from) = match url.and_then(maven_coordinates) {
        Some(a) if file_name.contains(&a.artifact) => (a, VersionFrom::MavenUrl),
        _ => {
            let a = parse_file_name(file_name);
            let from = match &a.version {
                Some(v) if !v.contains(['*', '$']) => VersionFrom::FileName,
                _ => VersionFrom::Unknown,
            };
            let a = if from == VersionFrom::Unknown { Artifact { version: None, ..a } } else { a };
            (a, from)
        }
    };
    ImageJar {
        path: String::new(),
        file_name: file_name.to_string(),
        place: Place::Other,
        artifact,
        version_from,
        origin,
        at,
        root_only: false,
        owner: None,
    }
}

/// Shell-style glob (`*`, `?`) of one path: `*` does not cross `/`.
pub fn glob(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut pi, mut ni, mut star, mut mark) = (0, 0, None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' && n[ni] != '/' || p[pi] == n[ni] && p[pi] != '*') {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star.filter(|_| n[mark] != '/') {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// A known path matches a pattern; a known path with a `*` (a floating version) matches a literal either way.
pub fn matches(pattern: &str, path: &str) -> bool {
    glob(pattern, path) || (path.contains('*') && glob(path, pattern))
}
