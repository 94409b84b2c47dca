//! Which Dockerfile of the repository builds which image, where the repository says so: a compose service with
//! both `build:` and `image:` (compose tags what it builds with that name), and `docker build` / `docker buildx
//! build` / `podman build` command lines with `-t NAME` in a `Makefile`, shell scripts, a `Jenkinsfile`,
//! `.gitlab-ci.yml` or GitHub workflow files. A manifest whose `spec.image` (or a service whose `image:`) is one
//! of those names runs that Dockerfile's image.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::deployment::discover::{MAX_WALK_DEPTH, MAX_WALKED_ENTRIES, SKIPPED_DIRS};
use crate::deployment::dockerfile::image::reference;
use crate::deployment::manifest::compose::Service;

use super::find::{CodeFile, CodeFileKind};

/// The largest build script looked into.
const MAX_SCRIPT_BYTES: u64 = 1024 * 1024;

/// Image names and the Dockerfiles that build them.
#[derive(Debug, Default, Clone)]
pub struct Builds {
    /// `(image reference as written, Dockerfile)`.
    pub built: Vec<(String, PathBuf)>,
}

impl Builds {
    /// The Dockerfile that builds `image`: the one tagged with exactly that reference, else the only one tagged
    /// with its name (another tag of the same repository).
    pub fn dockerfile_of(&self, image: &str) -> Option<PathBuf> {
        if let Some((_, p)) = self.built.iter().find(|(name, _)| name == image) {
            return Some(p.clone());
        }
        let wanted = reference(image).name;
        let mut same: Vec<&PathBuf> =
            self.built.iter().filter(|(name, _)| reference(name).name == wanted).map(|(_, p)| p).collect();
        same.dedup();
        (same.len() == 1).then(|| same[0].clone())
    }
}

/// The Dockerfile a compose service's `build:` names (`context` + `dockerfile`, default `Dockerfile`), when it
/// exists.
pub fn compose_dockerfile(compose_dir: &Path, s: &Service) -> Option<PathBuf> {
    let (context, file) = s.build.as_ref()?;
    let context = compose_dir.join(&context.value);
    let path = tidy(&context.join(file.as_ref().map_or("Dockerfile", |f| f.value.as_str())));
    path.is_file().then_some(path)
}

/// `path` without its `.` components (`compose/./flink/Dockerfile` → `compose/flink/Dockerfile`), as it is shown.
fn tidy(path: &Path) -> PathBuf {
    path.components().collect()
}

/// Every build the repository declares under `paths`: compose files' `build:` + `image:`, and `docker build -t`
/// lines of build scripts.
pub fn builds(paths: &[PathBuf], code: &[CodeFile]) -> Builds {
    let mut out = Builds::default();
    for c in code.iter().filter(|c| c.kind == CodeFileKind::Compose) {
        let Ok(text) = std::fs::read_to_string(&c.path) else { continue };
        let mut sources = crate::source::SourceMap::new();
        let id = sources.add(crate::source::SourceFile::new(c.display.clone(), c.path.clone(), text));
        let Ok(compose) = crate::deployment::manifest::compose::read(&sources, id) else { continue };
        let dir = c.path.parent().map(Path::to_path_buf).unwrap_or_default();
        for s in &compose.services {
            if let (Some(image), Some(file)) = (&s.image, compose_dockerfile(&dir, s)) {
                out.built.push((image.value.clone(), file));
            }
        }
    }
    for root in paths.iter().filter(|p| p.is_dir()) {
        let walker = WalkDir::new(root).max_depth(MAX_WALK_DEPTH).sort_by_file_name().into_iter().filter_entry(|e| {
            !(e.file_type().is_dir() && e.depth() > 0 && SKIPPED_DIRS.iter().any(|s| e.file_name() == *s))
        });
        for entry in walker.take(MAX_WALKED_ENTRIES).flatten() {
            if !entry.file_type().is_file() || !is_build_script(entry.path()) {
                continue;
            }
            if entry.metadata().map(|m| m.len()).unwrap_or(u64::MAX) > MAX_SCRIPT_BYTES {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
            let base = script_base(root, entry.path());
            for line in logical_lines(&text) {
                if let Some((tag, file)) = docker_build(&line, &base) {
                    out.built.push((tag, file));
                }
            }
            out.built.extend(build_push_actions(&text, &base));
        }
    }
    out
}

/// Files where build commands are written.
fn is_build_script(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let in_workflows = path.parent().is_some_and(|p| p.ends_with(".github/workflows"));
    name == "Makefile"
        || name == "makefile"
        || name == "GNUmakefile"
        || name.ends_with(".mk")
        || name.ends_with(".sh")
        || name == "Jenkinsfile"
        || name == ".gitlab-ci.yml"
        || (in_workflows && (name.ends_with(".yml") || name.ends_with(".yaml")))
}

/// The directory a script's relative paths start from: the repository root for CI files (the folder above
/// `.github/`), else the script's own folder (`make` and scripts are usually run where they are).
fn script_base(root: &Path, script: &Path) -> PathBuf {
    let dir = script.parent().unwrap_or(root);
    if dir.ends_with(".github/workflows") {
        return dir.parent().and_then(Path::parent).unwrap_or(root).to_path_buf();
    }
    dir.to_path_buf()
}

/// Lines with `\` continuations joined.
fn logical_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let trimmed = line.trim_end();
        if let Some(head) = trimmed.strip_suffix('\\') {
            current.push_str(head);
            current.push(' ');
        } else {
            current.push_str(trimmed);
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `docker build -t NAME [-f FILE] CONTEXT` (also `buildx build`, `podman build`, `&&`-chained): the tag and the
/// Dockerfile, when the tag's repository name and the paths are literal.
fn docker_build(line: &str, base: &Path) -> Option<(String, PathBuf)> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let start = words.windows(2).position(|w| matches!(w[0], "docker" | "podman" | "buildx") && w[1] == "build")?;
    let mut tag = None;
    let mut file = None;
    let mut context = None;
    let mut i = start + 2;
    while i < words.len() {
        let w = words[i].trim_matches(['"', '\'']);
        if matches!(w, "&&" | ";" | "|" | "||") {
            break;
        }
        let value = |i: &mut usize| {
            *i += 1;
            words.get(*i).map(|v| v.trim_matches(['"', '\'']).to_string())
        };
        match w {
            "-t" | "--tag" => tag = tag.or(value(&mut i)),
            "-f" | "--file" => file = value(&mut i),
            "--build-arg" | "--target" | "--platform" | "--label" | "--secret" | "--cache-from" | "--cache-to"
            | "--output" | "-o" | "--progress" | "--network" => {
                value(&mut i);
            }
            _ if w.starts_with("--tag=") => tag = tag.or(Some(w["--tag=".len()..].to_string())),
            _ if w.starts_with("--file=") => file = Some(w["--file=".len()..].to_string()),
            _ if w.starts_with("-t") && w.len() > 2 => tag = tag.or(Some(w[2..].to_string())),
            _ if w.starts_with('-') => {}
            _ => context = Some(w.to_string()),
        }
        i += 1;
    }
    let tag = tag?;
    let name = tag.split(':').next().unwrap_or("");
    if name.is_empty() || name.contains('$') || name.contains('{') {
        return None;
    }
    let context = base.join(context.filter(|c| !c.contains('$')).unwrap_or_else(|| ".".into()));
    let dockerfile = match file {
        Some(f) if f.contains('$') => return None,
        // `-f` is relative to the working directory, not to the context.
        Some(f) => base.join(f),
        None => context.join("Dockerfile"),
    };
    // A tag with a variable part (`org/flink-s3:${VERSION}`) still names the repository.
    let tag = if tag.contains('$') { name.to_string() } else { tag };
    let dockerfile = tidy(&dockerfile);
    dockerfile.is_file().then_some((tag, dockerfile))
}

/// The `docker/build-push-action` steps of a GitHub workflow: their `with:` `context` (default `.`), `file`
/// (default `<context>/Dockerfile`) and `tags` (one per line or comma-separated), each tag that has a literal
/// repository name.
fn build_push_actions(text: &str, base: &Path) -> Vec<(String, PathBuf)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim_start().trim_start_matches("- ").strip_prefix("uses:") else { continue };
        if !rest.trim().starts_with("docker/build-push-action") {
            continue;
        }
        let indent = line.len() - line.trim_start().trim_start_matches("- ").len();
        let (mut context, mut file, mut tags) = (None, None, Vec::new());
        let mut in_tags = false;
        for l in lines.iter().skip(i + 1) {
            let trimmed = l.trim_start();
            let own = l.len() - trimmed.len();
            if !trimmed.is_empty() && (own < indent || (own == indent && trimmed.starts_with("- "))) {
                break;
            }
            let value = |key: &str| trimmed.strip_prefix(key).map(|v| v.trim().trim_matches(['"', '\'']).to_string());
            if let Some(v) = value("context:") {
                context = Some(v);
                in_tags = false;
            } else if let Some(v) = value("file:") {
                file = Some(v);
                in_tags = false;
            } else if let Some(v) = value("tags:") {
                in_tags = true;
                tags.extend(v.trim_start_matches(['|', '>']).split(',').map(|t| t.trim().to_string()));
            } else if in_tags && !trimmed.contains(": ") {
                tags.extend(trimmed.split(',').map(|t| t.trim().trim_start_matches("- ").to_string()));
            } else {
                in_tags = false;
            }
        }
        let context = base.join(context.unwrap_or_else(|| ".".into()));
        let dockerfile = match file {
            Some(f) if f.contains('$') => continue,
            Some(f) => base.join(f),
            None => context.join("Dockerfile"),
        };
        let dockerfile = tidy(&dockerfile);
        if !dockerfile.is_file() {
            continue;
        }
        for tag in tags.into_iter().filter(|t| !t.is_empty()) {
            let name = tag.split(':').next().unwrap_or("");
            if !name.is_empty() && !name.contains('$') && !name.contains('{') {
                let tag = if tag.contains('$') { name.to_string() } else { tag };
                out.push((tag, dockerfile.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_build_lines_name_their_dockerfile() {
        let dir = std::env::temp_dir().join(format!("s3lint-join-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("docker/flink")).unwrap();
        std::fs::write(dir.join("docker/flink/Dockerfile"), "FROM flink:1.17.1\n").unwrap();
        let line = "docker build --build-arg X=1 -t registry.example.com/data/flink-s3:1.4 docker/flink";
        let (tag, file) = docker_build(line, &dir).unwrap();
        assert_eq!(tag, "registry.example.com/data/flink-s3:1.4");
        assert_eq!(file, dir.join("docker/flink/Dockerfile"));
        let line = "	docker buildx build --push -f docker/flink/Dockerfile --tag=org/flink:$(VERSION) .";
        assert_eq!(docker_build(line, &dir).unwrap().0, "org/flink");
        assert!(docker_build("docker build -t $(IMAGE) .", &dir).is_none());
        assert!(docker_build("docker build -t x/y docker/missing", &dir).is_none());
        let builds = Builds { built: vec![("org/flink".into(), dir.join("docker/flink/Dockerfile"))] };
        assert_eq!(builds.dockerfile_of("org/flink:2.0"), Some(dir.join("docker/flink/Dockerfile")));
        assert_eq!(builds.dockerfile_of("org/other:2.0"), None);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn build_push_action_steps_name_their_dockerfile() {
        let dir = std::env::temp_dir().join(format!("s3lint-join-gha-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("images/spark")).unwrap();
        std::fs::write(dir.join("images/spark/Dockerfile"), "FROM apache/spark:3.5.3\n").unwrap();
        let workflow = "jobs:\n  build:\n    steps:\n      - uses: actions/checkout@v4\n      - name: Build\n        uses: docker/build-push-action@v6\n        with:\n          context: images/spark\n          push: true\n          tags: |\n            ghcr.io/acme/spark-s3:latest\n            ghcr.io/acme/spark-s3:${{ github.sha }}\n      - run: echo done\n";
        let got = build_push_actions(workflow, &dir);
        let file = dir.join("images/spark/Dockerfile");
        assert_eq!(
            got,
            vec![
                ("ghcr.io/acme/spark-s3:latest".to_string(), file.clone()),
                ("ghcr.io/acme/spark-s3".to_string(), file)
            ]
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn continued_lines_are_joined() {
        assert_eq!(logical_lines("a \\\n  b\nc"), vec!["a    b".to_string(), "c".to_string()]);
    }
}
