//! `s3lint diagnose` over `fixtures/diagnose/`: every trace's first diagnosis is the case and category that
//! `fixtures/diagnose/expected.yaml` names (with the evidence lines where given), non-S3 traces are silent
//! (exit 1), and every case of `rules/failures.yaml` has a fixture that it diagnoses first.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Command, Stdio};

use common::*;
use s3lint::knowledge::{CATEGORIES, Catalog};
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Deserialize)]
struct Expected {
    case: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    evidence_lines: Vec<usize>,
}

fn expected() -> BTreeMap<String, Expected> {
    let text = std::fs::read_to_string(root().join("fixtures/diagnose/expected.yaml")).expect("expected.yaml");
    serde_yaml::from_str(&text).expect("expected.yaml parses")
}

fn diagnose_json(path: &str) -> (Option<i32>, Value) {
    let out = s3lint(&["diagnose", "--format", "json", path]);
    let doc = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{path}: {e}\n{}", stderr(&out)));
    (out.status.code(), doc)
}

#[test]
fn every_fixture_trace_gets_its_expected_first_diagnosis() {
    let mut failures = Vec::new();
    let all = expected();
    assert!(all.len() >= 45, "only {} fixtures listed", all.len());
    for (file, want) in &all {
        let path = format!("fixtures/diagnose/{file}");
        assert!(root().join(&path).is_file(), "{path} listed but missing");
        let (code, doc) = diagnose_json(&path);
        let first = &doc["diagnoses"][0];
        match &want.case {
            None => {
                if code != Some(1) || !doc["diagnoses"].as_array().is_some_and(|d| d.is_empty()) {
                    failures.push(format!("{file}: expected silence, got exit {code:?} {}", first["case"]));
                }
            }
            Some(case) => {
                if code != Some(0) || first["case"].as_str() != Some(case) {
                    failures.push(format!("{file}: expected {case}, got exit {code:?} {}", first["case"]));
                    continue;
                }
                if let Some(cat) = &want.category
                    && first["category"].as_str() != Some(cat)
                {
                    failures.push(format!("{file}: expected category {cat}, got {}", first["category"]));
                }
                let lines: BTreeSet<u64> =
                    first["evidence"].as_array().unwrap().iter().filter_map(|e| e["line"].as_u64()).collect();
                for l in &want.evidence_lines {
                    if !lines.contains(&(*l as u64)) {
                        failures.push(format!("{file}: evidence line {l} missing from {lines:?}"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} fixture(s) wrong:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_catalogue_is_complete_and_every_case_has_a_fixture() {
    let catalog = Catalog::builtin().expect("rules/failures.yaml loads");
    assert!(catalog.cases.len() >= 30, "{} cases", catalog.cases.len());
    let categories: BTreeSet<&str> = catalog.cases.iter().map(|c| c.category.as_str()).collect();
    for c in CATEGORIES {
        assert!(categories.contains(c), "no case in category {c}");
    }
    let lint_ids: Vec<&str> = s3lint::lint::rules::all().iter().map(|r| r.meta().id).collect();
    let design_ids = [
        "jar-version-mismatch",
        "jar-missing-dependency",
        "s3-plugin-layout",
        "scheme-mismatch",
        "unknown-key",
        "invalid-value",
        "deprecated-key",
        "signature-v4-region",
        "endpoint-region-conflict",
        "credentials-provider-issue",
    ];
    let covered: BTreeSet<String> = expected().into_values().filter_map(|e| e.case).collect();
    for case in &catalog.cases {
        assert!(!case.sources.is_empty(), "{}: no sources", case.id);
        assert!(!case.fix.is_empty(), "{}: no fix", case.id);
        for r in &case.lint_rules {
            assert!(
                lint_ids.contains(&r.as_str()) || design_ids.contains(&r.as_str()),
                "{}: unknown lint rule {r}",
                case.id
            );
        }
        assert!(covered.contains(&case.id), "{}: no fixture is diagnosed as this case", case.id);
    }
}

#[test]
fn standard_input_is_read_and_secrets_in_traces_are_masked() {
    let trace = "2024-05-02 10:14:07,331 ERROR org.apache.flink.runtime.taskmanager.Task [] - Source: events (1/2) switched from RUNNING to FAILED.\n\
java.io.IOException: No file system found with scheme s3a, referenced in file URI 's3a://AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI%2FK7MDENG@bucket/in'.\n\
\tat org.apache.flink.core.fs.FileSystem.get(FileSystem.java:296)\n\
\tat org.apache.flink.core.fs.Path.getFileSystem(Path.java:311)\n";
    for format in ["human", "json"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_s3lint"))
            .args(["diagnose", "--format", format, "-"])
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(trace.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("no-filesystem-for-scheme"), "{text}");
        assert!(!text.contains("IOSFODNN7EXAMPLE") && !text.contains("rXUtnFEMI"), "secret printed:\n{text}");
    }
}

#[test]
fn unreadable_input_exits_2_and_an_empty_input_exits_1() {
    let out = s3lint(&["diagnose", "fixtures/diagnose/no-such-trace.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no-such-trace.txt"), "{}", stderr(&out));
    let out = s3lint(&["diagnose", "fixtures/check/hadoop-s3a-clean/etc/hadoop/core-site.xml"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_deployment_finding_that_explains_the_failure_is_shown() {
    let out = s3lint(&[
        "diagnose",
        "fixtures/diagnose/guide/buffer-dir-npe.txt",
        "--deployment",
        "fixtures/check/flink-1.4-hadoop-s3a-no-buffer-dir",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("In the deployment given"), "{text}");
    assert!(text.contains("hadoop-conf/core-site.xml:7:1") && text.contains("s3a-buffer-dir-missing"), "{text}");
}

#[test]
fn a_classpath_failure_is_linked_to_the_jars_that_cause_it() {
    let out = s3lint(&[
        "diagnose",
        "--format",
        "json",
        "fixtures/diagnose/cases/hadoop-aws-common-mismatch.txt",
        "--deployment",
        "fixtures/check/flink-1.8-hadoop-aws-older-than-uber",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).expect("json");
    let first = &doc["diagnoses"][0];
    assert_eq!(first["case"], "hadoop-aws-common-mismatch");
    let linked: Vec<&str> =
        first["deployment_findings"].as_array().expect("findings").iter().filter_map(|f| f["file"].as_str()).collect();
    assert!(
        linked.iter().any(|f| f.ends_with("lib/hadoop-aws-2.7.3.jar")),
        "the mismatched hadoop-aws jar is named: {linked:?}"
    );
}

#[test]
fn rules_and_explain_cover_failure_cases() {
    let list = stdout(&s3lint(&["rules"]));
    let catalog = Catalog::builtin().unwrap();
    for c in &catalog.cases {
        assert!(list.contains(&c.id), "{} not listed", c.id);
    }
    let out = s3lint(&["explain", &catalog.cases[0].id]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Fix:") && stdout(&out).contains("Sources:"));
}

/// A 3 MB TaskManager log (made by `bench/make_log.py`) with five traces buried in ordinary lines: the same
/// buffer-dir NPE twice, an S3 403, and two non-S3 failures (OOM, Kafka timeout) that must stay silent.
#[test]
fn a_log_with_buried_traces_is_diagnosed_once_per_failure_with_counts() {
    let (code, doc) = diagnose_json("fixtures/diagnose/logs/taskmanager-3mb.log");
    assert_eq!(code, Some(0));
    let got: Vec<(String, u64, u64)> = doc["diagnoses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["case"].as_str().unwrap().to_string(),
                d["count"].as_u64().unwrap(),
                d["evidence"][0]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("s3a-buffer-dir-npe".to_string(), 2, 2493), ("s3-access-denied".to_string(), 1, 7502)],
        "{:#}",
        doc["diagnoses"]
    );
    assert_eq!(doc["stats"]["chains"], 5);
    assert_eq!(doc["stats"]["lines"], 14951);
}

#[test]
fn binary_input_is_read_without_a_panic() {
    // A jar (zip) is binary with NUL bytes and no trace.
    let out = s3lint(&["diagnose", "fixtures/check/flink-1.17-plugin-iam/flink-1.17.2/lib/flink-dist-1.17.2.jar"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("No known S3 failure recognised"));
}
