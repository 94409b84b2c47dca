//! Which files are deployments written as code: Dockerfiles by name (`Dockerfile`, `Dockerfile.flink`,
//! `flink.Dockerfile`, `Containerfile`), docker-compose files by name (`docker-compose*.yml`, `compose*.yaml`),
//! and Kubernetes manifests by content (a `kind:` the manifest reader reads: `FlinkDeployment`,
//! `FlinkSessionJob`, `SparkApplication`, `ScheduledSparkApplication`), whatever their names.

use std::io::Read;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::deployment::discover::{MAX_WALK_DEPTH, MAX_WALKED_ENTRIES, is_skipped_dir};
use crate::deployment::manifest::declares_operator_kind;

/// The largest YAML file looked into for a `kind:` (manifests are small; a larger YAML is data, not a manifest).
const MAX_SNIFFED_BYTES: u64 = 1024 * 1024;

/// What kind of code a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeFileKind {
    /// A `Dockerfile` (or `Containerfile`).
    Dockerfile,
    /// Kubernetes YAML holding Flink or Spark operator resources.
    Manifest,
    /// A docker-compose file.
    Compose,
}

/// A file of code found under the PATHs.
#[derive(Debug, Clone)]
pub struct CodeFile {
    /// The path to open.
    pub path: PathBuf,
    /// The path as shown.
    pub display: String,
    /// What it is.
    pub kind: CodeFileKind,
    /// Named on the command line (not found by walking): a file that cannot be read stops the check.
    pub explicit: bool,
}

/// True for a Dockerfile's name: `Dockerfile`, `Dockerfile.<x>`, `<x>.Dockerfile`, `Containerfile` (any case of
/// the `Dockerfile` part, as editors and linters recognise it).
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower.starts_with("containerfile.")
}

/// True for a docker-compose file's name (`docker-compose.yml`, `docker-compose.prod.yaml`, `compose.yaml`).
pub fn is_compose_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    yaml && (lower.starts_with("docker-compose") || lower.starts_with("compose.") || lower.starts_with("compose-"))
}

fn is_yaml(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yml") || lower.ends_with(".yaml")
}

/// The kind of code `path` holds, judged by its name and, for other YAML files, by its first MiB.
pub fn classify(path: &Path) -> Option<CodeFileKind> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if is_dockerfile_name(name) {
        return Some(CodeFileKind::Dockerfile);
    }
    if is_compose_name(name) {
        return Some(CodeFileKind::Compose);
    }
    // Flink's own configuration files are never manifests.
    let parent = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("");
    if !is_yaml(name) || name.starts_with("flink-conf") || (name == "config.yaml" && parent == "conf") {
        return None;
    }
    // A Helm or other Go template (`{{ .Values.image }}`) is not YAML until rendered: `helm template` it and check
    // the output instead.
    sniff(path).filter(|t| declares_operator_kind(t) && !t.contains("{{")).map(|_| CodeFileKind::Manifest)
}

/// The kind of code a file named `path` holding `text` is (an editor's buffer, which may differ from the disk).
pub fn classify_text(path: &Path, text: &str) -> Option<CodeFileKind> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if is_dockerfile_name(name) {
        Some(CodeFileKind::Dockerfile)
    } else if is_compose_name(name) {
        Some(CodeFileKind::Compose)
    } else if is_yaml(name) && !name.starts_with("flink-conf") && declares_operator_kind(text) && !text.contains("{{") {
        Some(CodeFileKind::Manifest)
    } else {
        None
    }
}

/// The first MiB of a regular file as text (lossy), `None` for anything else.
fn sniff(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path).ok()?.take(MAX_SNIFFED_BYTES).read_to_end(&mut bytes).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The code files among `paths`: a file named on the command line that is code, and the code files under each
/// directory (walked like discovery walks, leaving out `.git`, `target`, `node_modules`).
/// An editor's `buffer` is judged by its text, and need not exist on disk.
pub fn find(paths: &[PathBuf], buffer: Option<&crate::deployment::discover::Buffer>) -> Vec<CodeFile> {
    let mut out: Vec<CodeFile> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut push = |path: &Path, explicit: bool, kind: CodeFileKind| {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if seen.insert(canonical) {
            out.push(CodeFile { path: path.to_path_buf(), display: path.display().to_string(), kind, explicit });
        }
    };
    for root in paths {
        if let Some(b) = buffer.filter(|b| b.path == *root)
            && let Some(kind) = classify_text(root, &b.text)
        {
            push(root, true, kind);
            continue;
        }
        if root.is_file() {
            if let Some(kind) = classify(root) {
                push(root, true, kind);
            }
            continue;
        }
        if !root.is_dir() {
            continue;
        }
        let walker = WalkDir::new(root)
            .follow_links(true)
            .max_depth(MAX_WALK_DEPTH)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !(e.file_type().is_dir() && e.depth() > 0 && is_skipped_dir(e.path())));
        for entry in walker.take(MAX_WALKED_ENTRIES).flatten() {
            if entry.file_type().is_file()
                && let Some(kind) = classify(entry.path())
            {
                push(entry.path(), false, kind);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_dockerfiles_and_compose_files() {
        for yes in ["Dockerfile", "dockerfile", "Dockerfile.flink", "spark.Dockerfile", "Containerfile"] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in ["Dockerfile-notes.md", "mydockerfile", "Dockerfiles"] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
        for yes in ["docker-compose.yml", "docker-compose.prod.yaml", "compose.yaml", "compose-dev.yml"] {
            assert!(is_compose_name(yes), "{yes}");
        }
        for no in ["composer.json", "docker-compose.md", "recompose.yaml"] {
            assert!(!is_compose_name(no), "{no}");
        }
    }

    #[test]
    fn manifests_are_found_by_content_and_flink_configs_never() {
        let dir = std::env::temp_dir().join(format!("s3lint-code-find-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("conf")).unwrap();
        std::fs::write(dir.join("job.yaml"), "apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\n").unwrap();
        std::fs::write(dir.join("svc.yaml"), "apiVersion: v1\nkind: Service\n").unwrap();
        std::fs::write(dir.join("conf/config.yaml"), "kind: FlinkDeployment\n").unwrap();
        std::fs::write(dir.join("Dockerfile"), "FROM flink:1.17.1\n").unwrap();
        let found = find(std::slice::from_ref(&dir), None);
        let names: Vec<(String, CodeFileKind)> =
            found.iter().map(|c| (c.path.strip_prefix(&dir).unwrap().display().to_string(), c.kind)).collect();
        assert_eq!(
            names,
            vec![("Dockerfile".into(), CodeFileKind::Dockerfile), ("job.yaml".into(), CodeFileKind::Manifest)]
        );
        std::fs::remove_dir_all(&dir).ok();
    }
}
