//! When a check cannot run (exit 2: malformed XML or YAML, a missing path, bad s3lint settings), the machine
//! formats still write a well-formed document to standard output with the error at its file, line and column:
//! JSON `errors`, a GitHub `::error` annotation (SARIF: tests/sarif.rs). The human format writes nothing there.

mod common;

use common::*;
use serde_json::Value;

/// (path, line, column) of each way a check cannot run.
const CASES: &[(&str, Option<u64>, Option<u64>)] = &[
    ("fixtures/check/malformed-core-site/etc/hadoop/core-site.xml", Some(9), Some(25)),
    ("fixtures/check/malformed-flink-config-yaml/flink-1.19.1/conf/config.yaml", Some(11), Some(14)),
    ("fixtures/check/malformed-core-site", Some(9), Some(25)),
    ("fixtures/check/no-such-deployment", None, None),
];

#[test]
fn json_carries_the_error_in_errors() {
    for &(path, line, column) in CASES {
        let out = s3lint(&["check", "--format", "json", path]);
        assert_eq!(out.status.code(), Some(2), "{path}");
        let doc: Value = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(doc["version"], 1);
        assert_eq!(doc["findings"], serde_json::json!([]));
        let errors = doc["errors"].as_array().expect("errors");
        assert_eq!(errors.len(), 1, "{doc}");
        let e = &errors[0];
        assert!(e["file"].as_str().unwrap().starts_with(path), "{e}");
        assert_eq!(e["line"].as_u64(), line, "{path}: {e}");
        assert_eq!(e["column"].as_u64(), column, "{path}: {e}");
        let message = e["message"].as_str().unwrap();
        let first_word = message.split_whitespace().next().expect("a message");
        assert!(stderr(&out).contains(first_word), "the same error as on stderr: {e}\n{}", stderr(&out));
    }
}

#[test]
fn github_gets_an_error_annotation_at_the_place() {
    for &(path, line, column) in CASES {
        let out = s3lint(&["check", "--format", "github", path]);
        assert_eq!(out.status.code(), Some(2), "{path}");
        let text = stdout(&out);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1, "{text}");
        let (props, message) = lines[0].strip_prefix("::error ").and_then(|l| l.split_once("::")).expect("annotation");
        let props: Vec<&str> = props.split(',').collect();
        assert!(props[0].starts_with("file=") && props[0][5..].starts_with(path), "{props:?}");
        match (line, column) {
            (Some(l), Some(c)) => {
                assert!(props.contains(&format!("line={l}").as_str()), "{props:?}");
                assert!(props.contains(&format!("col={c}").as_str()), "{props:?}");
            }
            _ => assert!(!props.iter().any(|p| p.starts_with("line=")), "{props:?}"),
        }
        assert!(message.starts_with("could not check ") && !message.contains('\n'), "{message}");
    }
}

#[test]
fn human_output_leaves_stdout_empty() {
    for &(path, _, _) in CASES {
        let out = s3lint(&["check", path]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stdout(&out).is_empty() && stderr(&out).contains("could not check"), "{path}");
    }
}

#[test]
fn a_secret_quoted_by_an_error_is_masked_in_every_format() {
    let dir = std::env::temp_dir().join(format!("s3lint-machine-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let settings = dir.join("s3lint.yaml");
    // serde_yaml quotes the offending value in its message.
    std::fs::write(&settings, "ignore: AKIAIOSFODNN7EXAMPLE\n").unwrap();
    for format in ["human", "json", "sarif", "github"] {
        let out = s3lint(&[
            "check",
            "--format",
            format,
            "--config",
            settings.to_str().unwrap(),
            "fixtures/check/hadoop-s3a-clean",
        ]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert!(all.contains("AKIA") && !all.contains("IOSFODNN7"), "{format}: {all}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
