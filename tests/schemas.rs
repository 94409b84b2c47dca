//! The JSON Schemas under `schema/` describe what the binary prints: every fixture's `check` and `config` JSON,
//! every corpus trace's `diagnose` JSON, and `.s3lint.yaml` files (accepted exactly when s3lint accepts them).

mod common;

use std::path::{Path, PathBuf};

use common::{root, s3lint};
use serde_json::Value;

fn validator(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schema").join(name)).expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options().should_validate_formats(true).build(&schema).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn violations(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

fn json_of(args: &[&str]) -> (Option<i32>, Value) {
    let out = s3lint(args);
    let doc = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code(), doc)
}

fn fixture_dirs() -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir(root().join("fixtures/check"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| format!("fixtures/check/{}", e.file_name().to_string_lossy()))
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn check_and_config_json_follow_their_schemas() {
    let check = validator("check.schema.json");
    let config = validator("config.schema.json");
    let dirs = fixture_dirs();
    assert!(dirs.len() > 40);
    let (mut findings, mut errors) = (0, 0);
    for dir in &dirs {
        let (code, doc) = json_of(&["check", "--format", "json", dir]);
        assert!(matches!(code, Some(0..=2)), "{dir}: exit {code:?}");
        let bad = violations(&check, &doc);
        assert!(bad.is_empty(), "{dir}: check JSON violates schema/check.schema.json: {bad:?}");
        findings += doc["findings"].as_array().map_or(0, Vec::len);
        errors += doc["errors"].as_array().map_or(0, Vec::len);
        let out = s3lint(&["config", "--format", "json", dir]);
        if out.status.code() == Some(0) {
            let doc: Value = serde_json::from_slice(&out.stdout).expect("config JSON");
            let bad = violations(&config, &doc);
            assert!(bad.is_empty(), "{dir}: config JSON violates schema/config.schema.json: {bad:?}");
        }
    }
    // The fixtures exercise the schema: many findings, and the "could not check" document too.
    assert!(findings > 100 && errors > 0, "{findings} findings, {errors} errors");
    // And the schema can fail: a finding without its rule, an unknown severity.
    let (_, mut doc) = json_of(&["check", "--format", "json", "fixtures/check/hadoop-s3a-key-typos"]);
    doc["findings"][0]["severity"] = Value::from("fatal");
    doc["findings"][1].as_object_mut().unwrap().remove("rule");
    assert_eq!(violations(&check, &doc).len(), 2);
}

fn traces(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            traces(&path, out);
        } else if path.extension().is_some_and(|e| e == "txt") {
            out.push(path);
        }
    }
}

#[test]
fn diagnose_json_follows_its_schema() {
    let schema = validator("diagnose.schema.json");
    let mut files = Vec::new();
    traces(&root().join("fixtures/diagnose"), &mut files);
    files.sort();
    assert!(files.len() > 250, "{}", files.len());
    let mut diagnosed = 0;
    for file in &files {
        let shown = file.strip_prefix(root()).unwrap().to_string_lossy().into_owned();
        let (_, doc) = json_of(&["diagnose", "--format", "json", &shown]);
        let bad = violations(&schema, &doc);
        assert!(bad.is_empty(), "{shown}: diagnose JSON violates schema/diagnose.schema.json: {bad:?}");
        diagnosed += usize::from(doc["diagnoses"].as_array().is_some_and(|d| !d.is_empty()));
    }
    assert!(diagnosed > 150, "{diagnosed} traces diagnosed");
    let (_, doc) = json_of(&[
        "diagnose",
        "--format",
        "json",
        "fixtures/diagnose/guide/buffer-dir-npe.txt",
        "--deployment",
        "fixtures/check/flink-1.4-hadoop-s3a-no-buffer-dir",
    ]);
    assert!(doc["diagnoses"][0]["deployment_findings"].as_array().is_some_and(|f| !f.is_empty()), "{doc}");
    assert!(violations(&schema, &doc).is_empty(), "{doc}");
}

#[test]
fn the_settings_schema_accepts_what_s3lint_accepts() {
    let schema = validator("s3lint-settings.schema.json");
    let dir = std::env::temp_dir().join(format!("s3lint-schemas-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases = [
        ("ignore: [unknown-key]\n", true),
        ("severity:\n  plaintext-credentials: error\n  unknown-key: info\n", true),
        ("ignore: []\nseverity: {}\n", true),
        ("ignores: [unknown-key]\n", false),
        ("severity:\n  unknown-key: fatal\n", false),
        ("ignore: unknown-key\n", false),
    ];
    for (i, (text, valid)) in cases.iter().enumerate() {
        let path = dir.join(format!("settings-{i}.yaml"));
        std::fs::write(&path, text).unwrap();
        let value: Value = serde_yaml::from_str(text).unwrap();
        assert_eq!(violations(&schema, &value).is_empty(), *valid, "schema on {text:?}");
        let out = s3lint(&["check", "--config", path.to_str().unwrap(), "fixtures/check/hadoop-s3a-clean"]);
        let accepted = out.status.code() != Some(2);
        assert_eq!(accepted, *valid, "s3lint on {text:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
}
