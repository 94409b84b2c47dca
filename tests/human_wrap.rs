//! Human output through the binary: not wrapped at all when piped, wrapped to `COLUMNS` when it is set, and
//! never broken inside a `command`, path or key the user is meant to copy.

mod common;

use std::process::Command;

use common::*;
use serde_json::Value;

/// Fixtures whose help suggests `mv` / `cp` / `mkdir` commands with long paths, and others with long paths.
const CASES: &[&str] = &[
    "fixtures/check/flink-1.15-plugin-in-lib",
    "fixtures/check/flink-1.15-plugin-only-in-opt",
    "fixtures/check/flink-1.17-presto-only-s3a-uri",
    "fixtures/check/flink-1.18-plugin-folders",
    "fixtures/check/flink-1.4-hadoop-s3a-no-buffer-dir",
    "fixtures/check/hadoop-3.3-unqualified-providers",
];

/// `s3lint ARGS` with `COLUMNS` set or removed (the test harness's own terminal must not leak in).
fn run(args: &[&str], columns: Option<&str>) -> String {
    let mut c = Command::new(binary());
    c.args(args).current_dir(root()).env("NO_COLOR", "1").env_remove("HADOOP_CONF_DIR").env_remove("HADOOP_CLASSPATH");
    match columns {
        Some(w) => c.env("COLUMNS", w),
        None => c.env_remove("COLUMNS"),
    };
    String::from_utf8_lossy(&c.output().expect("run s3lint").stdout).into_owned()
}

/// Every text of the JSON findings a user copies: backtick-quoted spans of messages and help, and file paths.
fn copyables(case: &str) -> (Vec<String>, Vec<String>) {
    let doc: Value = serde_json::from_str(&run(&["check", "--format", "json", case], None)).expect("json");
    let mut texts = Vec::new();
    let mut quoted = Vec::new();
    for f in doc["findings"].as_array().expect("findings") {
        for field in ["message", "help"] {
            let t = f[field].as_str().unwrap_or_default();
            texts.push(t.to_string());
            quoted.extend(t.split('`').skip(1).step_by(2).map(|q| format!("`{q}`")));
        }
        quoted.push(f["file"].as_str().unwrap_or_default().to_string());
    }
    (texts, quoted)
}

#[test]
fn piped_output_is_not_wrapped() {
    for case in CASES {
        let human = run(&["check", case], None);
        let (texts, _) = copyables(case);
        assert!(!texts.is_empty(), "{case}: no findings");
        for t in texts {
            // Jar findings are shown as `path: message`; every line of a help is printed whole.
            for line in t.lines() {
                assert!(human.lines().any(|l| l.contains(line)), "{case}: not on one line: {line:?}\n{human}");
            }
        }
    }
}

#[test]
fn with_columns_commands_paths_and_keys_stay_whole_on_one_line() {
    for case in CASES {
        let piped = run(&["check", case], None);
        let human = run(&["check", case], Some("60"));
        assert!(human.lines().count() > piped.lines().count(), "{case}: COLUMNS=60 wrapped nothing");
        let (_, quoted) = copyables(case);
        for q in quoted {
            assert!(
                human.lines().any(|l| l.contains(&q)),
                "{case}: `{q}` is broken across lines at 60 columns:\n{human}"
            );
        }
        // Text other than those pieces fits: a line past 60 columns holds a piece that cannot be broken.
        for l in human.lines().filter(|l| l.chars().count() > 60) {
            // The quoted source lines and their underlines are the file as written, never wrapped.
            let t = l.trim_start();
            let snippet = t.starts_with('·') || t.split_once(" │").is_some_and(|(n, _)| n.parse::<usize>().is_ok());
            assert!(snippet || l.contains('`') || l.contains('/'), "{case}: line too long: {l:?}");
        }
    }
}

#[test]
fn diagnose_wraps_the_same_way_and_keeps_fix_commands_whole() {
    let trace = "fixtures/diagnose/cases/flink-s3-plugin-missing.txt";
    let command =
        "`mkdir -p plugins/s3-fs-hadoop && cp opt/flink-s3-fs-hadoop-<flink-version>.jar plugins/s3-fs-hadoop/`";
    let piped = run(&["diagnose", trace], None);
    let narrow = run(&["diagnose", trace], Some("60"));
    assert!(narrow.lines().count() > piped.lines().count(), "COLUMNS=60 wrapped nothing:\n{narrow}");
    for out in [&piped, &narrow] {
        assert!(out.lines().any(|l| l.contains(command)), "{out}");
    }
    // Piped, each fix step is one line.
    assert!(piped.lines().any(|l| l.starts_with("  1. `mkdir") && l.ends_with("restart.")), "{piped}");
}

#[test]
fn a_could_not_check_error_wraps_like_findings_and_keeps_names_whole() {
    let dir = std::env::temp_dir().join(format!("s3lint-wrap-error-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("Dockerfile"), "FROM eclipse-temurin:17-jre-jammy\n").unwrap();
    let path = dir.to_str().unwrap();
    let piped = stderr(&{
        let mut c = std::process::Command::new(binary());
        c.args(["check", path]).env("NO_COLOR", "1").env_remove("COLUMNS");
        c.output().unwrap()
    });
    // Piped: the message is one line, whole.
    assert!(piped.lines().any(|l| l.contains("`apache/flink`") && l.contains("jar layout is here")), "{piped}");
    let narrow = stderr(&{
        let mut c = std::process::Command::new(binary());
        c.args(["check", path]).env("NO_COLOR", "1").env("COLUMNS", "60");
        c.output().unwrap()
    });
    assert!(narrow.lines().count() > piped.lines().count(), "{narrow}");
    for name in ["`apache/flink`", "`bitnami/spark`", "flink-conf.yaml", "spark-defaults.conf"] {
        assert!(narrow.lines().any(|l| l.contains(name)), "{name} broken across lines:\n{narrow}");
    }
}
