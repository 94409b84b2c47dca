//! Test support for the rules that read deployments written as code: the Dockerfile, manifest or compose text
//! is written into a scratch repository and discovered as `s3lint check` discovers it (`discover_each`: the
//! code readers, the image's jars as virtual jars, the join of a manifest to the Dockerfile that builds its
//! image, the secrets marked), so a rule's unit tests see exactly the deployment the binary would.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::deployment::Deployment;
use crate::deployment::code::CodeKind;
use crate::deployment::discover::{DiscoverOptions, discover_each};
use crate::lint::{Finding, Target};

/// The text of `fixtures/readers/<path>`.
pub(crate) fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/readers/{path}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

/// A fresh scratch repository holding `files` (relative path, text).
fn repository(files: &[(&str, &str)]) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("s3lint-code-fixtures-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    dir
}

/// The code deployments `s3lint check` finds in a repository of `files`, in discovery order.
fn discovered(files: &[(&str, &str)], kinds: &[CodeKind]) -> Vec<Deployment> {
    let dir = repository(files);
    let all = discover_each(std::slice::from_ref(&dir), &DiscoverOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&dir);
    all.into_iter().filter(|d| d.code.as_ref().is_some_and(|c| kinds.contains(&c.kind))).collect()
}

/// The deployment of one Dockerfile.
pub(crate) fn dockerfile(text: &str) -> Deployment {
    let mut found = discovered(&[("Dockerfile", text)], &[CodeKind::Dockerfile]);
    assert_eq!(found.len(), 1, "one Dockerfile deployment");
    found.remove(0)
}

/// One deployment per resource of a manifest; `image` is the Dockerfile that builds the image it runs, if any
/// (joined as a repository joins them: a `docker build -t <spec.image>` line of a Makefile).
pub(crate) fn manifest(text: &str, image: Option<&str>) -> Vec<Deployment> {
    let mut files = vec![("deploy/manifest.yaml", text.to_string())];
    if let Some(image) = image {
        let tags: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("image:"))
            .map(|t| t.trim().trim_matches(['"', '\'']))
            .collect();
        let make: String =
            tags.iter().map(|t| format!("\tdocker build -t {t} -f docker/Dockerfile .\n")).collect::<String>();
        files.push(("docker/Dockerfile", image.to_string()));
        files.push(("Makefile", format!("image:\n{make}")));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let kinds = [
        CodeKind::FlinkDeployment,
        CodeKind::FlinkSessionJob,
        CodeKind::SparkApplication,
        CodeKind::ScheduledSparkApplication,
    ];
    discovered(&files, &kinds)
}

/// One deployment per service of a compose file that runs Flink or Spark.
pub(crate) fn compose(text: &str) -> Vec<Deployment> {
    discovered(&[("compose.yaml", text)], &[CodeKind::ComposeService])
}

/// The findings of one rule, after the whole lint pass (retargeting, redaction).
pub(crate) fn findings(d: &Deployment, rule: &str) -> Vec<Finding> {
    crate::lint::run(d).into_iter().filter(|f| f.rule == rule).collect()
}

/// `line:column` and the text a finding points at.
pub(crate) fn at(d: &Deployment, f: &Finding) -> (String, String) {
    let Target::Source(at) = &f.target else { panic!("{f:?} points at a path") };
    let source = d.sources.get(at.file);
    let p = source.position(at.span.start);
    (format!("{}:{}", p.line, p.column), source.text[at.span.start..at.span.end].to_string())
}

/// Every text of a finding, for "never shows the secret" checks.
pub(crate) fn all_text(f: &Finding) -> String {
    format!("{} {} {:?} {:?}", f.message, f.help, f.key, f.suggestion)
}
