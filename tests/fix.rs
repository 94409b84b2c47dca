//! `check --fix` and `--diff` through the binary: every fixture is copied, fixed with `--fix`, and checked
//! again — each fix's finding is gone and no finding appears that was not there before; a second copy gets the
//! `--diff` output applied with `patch -p1` (and its `mv` commands run by `sh`), which must give the same
//! files. Hand-made deployments pin what a fix writes, byte for byte: CRLF line ends, ISO-8859-1, indentation,
//! Spark's separators, secrets.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::*;
use serde_json::Value;

fn scratch(tag: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fix").join(tag);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    dir
}

/// `(rule, file, key)` of every finding of `check --format json` on `path` run from `cwd`, and the exit code.
fn findings(cwd: &Path, path: &str) -> (Vec<(String, String, String)>, i32) {
    let out = s3lint_from(cwd, &["check", "--format", "json", path]);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{path}: {e}\n{}", stderr(&out)));
    let s = |f: &Value, k: &str| f[k].as_str().unwrap_or_default().to_string();
    let list = doc["findings"].as_array().expect("findings").iter().map(|f| (s(f, "rule"), s(f, "file"), s(f, "key")));
    (list.collect(), out.status.code().unwrap_or(-1))
}

/// Every regular file under `dir` and its bytes (symlinks by their target), by relative path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk");
        let rel = e.path().strip_prefix(dir).expect("rel").to_path_buf();
        if e.path_is_symlink() {
            out.insert(rel, std::fs::read_link(e.path()).expect("link").into_os_string().into_encoded_bytes());
        } else if e.file_type().is_file() {
            out.insert(rel, std::fs::read(e.path()).expect("read"));
        }
    }
    out
}

/// Applies `--diff` output in `dir`: the `mkdir … && mv …` lines through `sh`, the rest through `patch -p1`.
fn apply_diff(dir: &Path, diff: &[u8]) {
    let text = String::from_utf8_lossy(diff);
    for line in text.lines().take_while(|l| !l.starts_with("--- ")) {
        let ok = Command::new("sh").arg("-c").arg(line).current_dir(dir).status().expect("sh").success();
        assert!(ok, "{line}");
    }
    if !text.contains("\n+++ ") {
        return;
    }
    let mut child = Command::new("patch")
        .args(["-p1", "--quiet", "--no-backup-if-mismatch"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .spawn()
        .expect("patch");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), diff).expect("write diff");
    assert!(child.wait().expect("patch").success(), "patch failed on\n{text}");
}

/// Counts per rule.
fn per_rule(list: &[(String, String, String)]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (r, _, _) in list {
        *out.entry(r.clone()).or_default() += 1;
    }
    out
}

#[test]
fn every_fixture_fixed_loses_the_fixed_findings_and_gains_none_and_the_diff_gives_the_same_files() {
    let mut fixed_rules: BTreeMap<String, usize> = BTreeMap::new();
    let mut report = Vec::new();
    for case in check_cases().iter().filter(|c| !c.join("expected-error.txt").exists()) {
        let name = case.file_name().and_then(|n| n.to_str()).expect("name").to_string();
        let dir = scratch(&name);
        copy_tree(case, &dir.join("fixed").join(&name));
        copy_tree(case, &dir.join("patched").join(&name));
        let (fixed, patched) = (dir.join("fixed"), dir.join("patched"));
        let (before, _) = findings(&fixed, &name);

        let diff = s3lint_from(&patched, &["check", "--diff", &name]);
        assert!(matches!(diff.status.code(), Some(0 | 1)), "{name}: {}", stderr(&diff));
        assert_eq!(tree(&patched), tree(&fixed), "{name}: --diff wrote something");
        apply_diff(&patched, &diff.stdout);

        let fix = s3lint_from(&fixed, &["check", "--fix", &name]);
        let (after, code) = findings(&fixed, &name);
        assert_eq!(fix.status.code(), Some(code), "{name}: --fix exits as the re-check\n{}", stderr(&fix));
        // The diff leaves out edits of a line that holds a secret (and says so): only those lines may differ.
        let hidden: Vec<String> = stderr(&diff)
            .lines()
            .filter(|l| l.contains("not shown, the line holds a secret"))
            .map(str::to_string)
            .collect();
        let (p, f) = (tree(&patched), tree(&fixed));
        assert_eq!(
            p.keys().collect::<Vec<_>>(),
            f.keys().collect::<Vec<_>>(),
            "{name}: --diff moves differ from --fix"
        );
        for (path, bytes) in &p {
            if *bytes == f[path] {
                continue;
            }
            let (a, b) = (String::from_utf8_lossy(bytes), String::from_utf8_lossy(&f[path]));
            let differing = a.lines().zip(b.lines()).filter(|(x, y)| x != y).count();
            let named = hidden.iter().filter(|h| h.contains(&*path.to_string_lossy())).count();
            assert!(
                differing == named && a.lines().count() == b.lines().count(),
                "{name}: --diff applied differs from --fix in {}\n{}",
                path.display(),
                stdout(&diff)
            );
        }

        // No finding is new: after the fix, every (rule, file, key) was there before.
        let mut left: Vec<_> = before.clone();
        for f in &after {
            match left.iter().position(|b| b == f) {
                Some(i) => {
                    left.remove(i);
                }
                None => panic!("{name}: --fix brings a new finding {f:?}\n{}", stderr(&fix)),
            }
        }
        let made: Vec<&str> = stderr(&fix).lines().filter(|l| l.starts_with("s3lint: fixed ")).map(|_| "").collect();
        if !made.is_empty() {
            let gone = per_rule(&left);
            for (rule, n) in &gone {
                *fixed_rules.entry(rule.clone()).or_default() += n;
            }
            report.push(format!("{name}: {} fix(es), gone: {gone:?}", made.len()));
        } else {
            assert_eq!(before, after, "{name}: nothing fixed, yet findings changed");
        }
    }
    println!("{}", report.join("\n"));
    // Every kind of fix happened somewhere in the fixtures.
    for rule in ["unknown-key", "deprecated-key", "s3a-buffer-dir-missing", "fs-s3-impl-missing", "s3-plugin-layout"] {
        assert!(
            fixed_rules.get(rule).is_some_and(|n| *n > 0),
            "no `{rule}` finding fixed: {fixed_rules:?}\n{report:#?}"
        );
    }
}

/// Writes `files` (relative path, bytes) under a fresh scratch dir and returns it.
fn deployment(tag: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = scratch(tag);
    for (path, bytes) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }
    dir
}

#[test]
fn a_crlf_core_site_keeps_its_line_ends_and_indentation() {
    let xml = "<?xml version=\"1.0\"?>\r\n<!-- S3A for the batch cluster -->\r\n<configuration>\r\n\t<property>\r\n\t\t<name>fs.s3.impl</name>\r\n\t\t<value>org.apache.hadoop.fs.s3a.S3AFileSystem</value>\r\n\t</property>\r\n\t<property>\r\n\t\t<name>fs.s3a.endpoint.regoin</name>\r\n\t\t<value>eu-west-1</value>\r\n\t</property>\r\n</configuration>\r\n";
    let dir = deployment("crlf", &[("conf/core-site.xml", xml.as_bytes())]);
    let (before, _) = findings(&dir, "conf");
    assert!(before.iter().any(|f| f.0 == "unknown-key") && before.iter().any(|f| f.0 == "s3a-buffer-dir-missing"));
    let out = s3lint_from(&dir, &["check", "--fix", "conf"]);
    assert_eq!(out.status.code(), Some(0), "{}\n{}", stdout(&out), stderr(&out));
    let got = std::fs::read_to_string(dir.join("conf/core-site.xml")).expect("read");
    let want = xml.replace("endpoint.regoin", "endpoint.region").replace(
        "\t</property>\r\n</configuration>",
        "\t</property>\r\n\t<property>\r\n\t\t<name>fs.s3a.buffer.dir</name>\r\n\t\t<value>/tmp/s3a</value>\r\n\t</property>\r\n</configuration>",
    );
    assert_eq!(got, want);
    assert!(
        stderr(&out).contains(
            "conf/core-site.xml:9:9: unknown-key: rename `fs.s3a.endpoint.regoin` to `fs.s3a.endpoint.region`"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(findings(&dir, "conf").0, Vec::new());
}

#[test]
fn an_iso_8859_1_file_is_written_back_in_iso_8859_1() {
    let head = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<!-- Caf\xe9 cluster, r\xe9gion Paris -->\n<configuration>\n  <property><name>fs.s3a.buffer.dir</name><value>/data/s3a</value></property>\n  <property><name>fs.s3a.conection.maximum</name><value>64</value></property>\n</configuration>\n";
    let dir = deployment("latin1", &[("conf/core-site.xml", head)]);
    let diff = s3lint_from(&dir, &["check", "--diff", "conf"]);
    // The diff is in the file's encoding too, so `patch` finds its context lines.
    assert!(diff.stdout.windows(4).any(|w| w == b"Caf\xe9"), "{}", stdout(&diff));
    let out = s3lint_from(&dir, &["check", "--fix", "conf"]);
    assert_eq!(out.status.code(), Some(0), "{}\n{}", stdout(&out), stderr(&out));
    let got = std::fs::read(dir.join("conf/core-site.xml")).expect("read");
    let at = head.windows(9).position(|w| w == b"conection").expect("typo");
    let want = [&head[..at], b"connection", &head[at + 9..]].concat();
    // The same bytes but the inserted letter: the é stays the one byte 0xE9.
    assert_eq!(got, want);
}

#[test]
fn a_secret_on_a_renamed_line_is_renamed_by_fix_but_never_printed_by_diff() {
    let conf = "# S3 for the session cluster\ns3.endpiont: https://s3.eu-west-1.amazonaws.com\ns3.secert-key: wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n";
    let dir = deployment("secret", &[("conf/flink-conf.yaml", conf.as_bytes())]);
    let diff = s3lint_from(&dir, &["check", "--diff", "conf"]);
    let shown = format!("{}{}", stdout(&diff), stderr(&diff));
    assert!(!shown.contains("wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY") && !shown.contains("FEMIK7"), "{shown}");
    assert!(stdout(&diff).contains("+s3.endpoint: https://s3.eu-west-1.amazonaws.com"), "{shown}");
    let fix = s3lint_from(&dir, &["check", "--fix", "conf"]);
    let got = std::fs::read_to_string(dir.join("conf/flink-conf.yaml")).expect("read");
    assert!(got.starts_with("# S3 for the session cluster\ns3.endpoint: https://"), "{got}");
    // The secret's value is byte for byte where it was, whatever happened to its key.
    assert!(got.ends_with(": wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n"), "{got}");
    let all = format!("{}{}", stdout(&fix), stderr(&fix));
    assert!(!all.contains("FEMIK7"), "{all}");
}

#[test]
fn spark_gets_fs_s3_impl_with_its_prefix_and_the_file_separator() {
    let conf = "# Spark on S3\nspark.master                     yarn\nspark.jars.packages              org.apache.hadoop:hadoop-aws:3.3.4\nspark.eventLog.dir               s3://acme-logs/spark\n";
    let dir = deployment("spark", &[("conf/spark-defaults.conf", conf.as_bytes())]);
    let (before, _) = findings(&dir, "conf");
    assert!(before.iter().any(|f| f.0 == "fs-s3-impl-missing"), "{before:?}");
    let out = s3lint_from(&dir, &["check", "--fix", "conf"]);
    let got = std::fs::read_to_string(dir.join("conf/spark-defaults.conf")).expect("read");
    assert_eq!(got, format!("{conf}spark.hadoop.fs.s3.impl          org.apache.hadoop.fs.s3a.S3AFileSystem\n"));
    let (after, _) = findings(&dir, "conf");
    assert!(after.iter().all(|f| f.0 != "fs-s3-impl-missing"), "{after:?}\n{}", stderr(&out));
}

#[test]
fn an_ambiguous_fix_is_left_as_a_finding() {
    // `fs.s3.impl` is missing, but the plugin in opt/ is the other way: nothing is written.
    let case = root().join("fixtures/check/flink-1.15-plugin-only-in-opt");
    let dir = scratch("ambiguous");
    copy_tree(&case, &dir.join("c"));
    let before = tree(&dir);
    let diff = s3lint_from(&dir, &["check", "--diff", "c"]);
    assert!(diff.stdout.is_empty(), "{}", stdout(&diff));
    let fix = s3lint_from(&dir, &["check", "--fix", "c"]);
    assert_eq!(fix.status.code(), Some(1));
    assert_eq!(tree(&dir), before);
}

#[test]
fn a_dockerfile_gets_the_plugin_jar_its_image_ships_and_nothing_else_changes() {
    // The official image's entrypoint copies opt/<name> into plugins/: a name of another patch release does
    // nothing. `--fix` writes the one opt/ holds, in place, keeping the quotes and the other lines.
    let dockerfile = "FROM flink:1.18.1-scala_2.12-java17\n\n# plugins enabled by the entrypoint\nENV ENABLE_BUILT_IN_PLUGINS='flink-s3-fs-hadoop-1.18.0.jar'\nENV FLINK_PROPERTIES=\"state.checkpoints.dir: s3a://acme/ck\"\nUSER flink\n";
    let dir = deployment("dockerfile", &[("Dockerfile", dockerfile.as_bytes())]);
    let (before, code) = findings(&dir, "Dockerfile");
    assert_eq!(code, 1);
    assert!(before.iter().any(|f| f.0 == "enabled-plugin-missing"), "{before:?}");
    let out = s3lint_from(&dir, &["check", "--fix", "Dockerfile"]);
    let got = std::fs::read_to_string(dir.join("Dockerfile")).expect("read");
    assert_eq!(got, dockerfile.replace("hadoop-1.18.0.jar", "hadoop-1.18.1.jar"), "{}", stderr(&out));
    assert_eq!(out.status.code(), Some(0), "{}\n{}", stdout(&out), stderr(&out));
    assert_eq!(findings(&dir, "Dockerfile").0, Vec::new());
}
