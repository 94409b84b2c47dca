//! Helpers shared by the integration tests: run the built binary from the repository root with a controlled
//! environment.

#![allow(dead_code)]

pub mod jars;
pub mod leak;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (tests run the binary from here so that paths in output are `fixtures/...`).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary under test: the one cargo built, or `S3LINT_TEST_BIN` (to show that a regression test fails on an
/// older build).
pub fn binary() -> PathBuf {
    std::env::var_os("S3LINT_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_s3lint")))
}

/// Runs `s3lint ARGS` from the repository root, without the caller's Hadoop environment and without colour.
pub fn s3lint(args: &[&str]) -> Output {
    s3lint_from(&root(), args)
}

/// Runs `s3lint ARGS` from `cwd`, without the caller's Hadoop environment and without colour.
pub fn s3lint_from<S: AsRef<std::ffi::OsStr>>(cwd: &Path, args: &[S]) -> Output {
    Command::new(binary())
        .args(args)
        .current_dir(cwd)
        .env_remove("HADOOP_CONF_DIR")
        .env_remove("HADOOP_HOME")
        .env_remove("HADOOP_CLASSPATH")
        .env_remove("SPARK_CONF_DIR")
        .env("NO_COLOR", "1")
        .output()
        .expect("run s3lint")
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The case directories under `fixtures/check/`, sorted.
pub fn check_cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/check"))
        .expect("fixtures/check")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// `fixtures/check/<name>` relative to the root, as passed on the command line.
pub fn rel(case: &Path) -> String {
    case.strip_prefix(root()).unwrap_or(case).display().to_string()
}

/// True when expected files should be rewritten from the current output (`S3LINT_BLESS=1`).
pub fn blessing() -> bool {
    std::env::var_os("S3LINT_BLESS").is_some_and(|v| v == "1")
}

/// Copies a fixture directory, keeping symlinks as symlinks (some fixtures hold dangling ones on purpose).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create copy");
    for entry in std::fs::read_dir(from).expect("read fixture dir") {
        let entry = entry.expect("entry");
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().expect("file type");
        if kind.is_symlink() {
            let target = std::fs::read_link(&src).expect("read link");
            #[cfg(unix)]
            std::os::unix::fs::symlink(target, &dst).expect("copy symlink");
        } else if kind.is_dir() {
            copy_tree(&src, &dst);
        } else if kind.is_file() {
            std::fs::copy(&src, &dst).expect("copy file");
        }
    }
}
