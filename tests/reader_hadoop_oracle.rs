//! The Hadoop XML reader against real Hadoop: every `fixtures/readers/hadoop/**/*.xml` (except the XIncluded
//! files under `include/`) has a golden `<name>.expected.json` written by `tests/oracle/hadoop/run.sh` with
//! Hadoop's own `Configuration`. The reader must yield exactly the golden's keys, values and `final` flags, or
//! fail to load where Hadoop fails (on the line Hadoop names, when it names one).

use std::path::{Path, PathBuf};

use s3lint::deployment::environment::Environment;
use s3lint::deployment::hadoop_xml;
use s3lint::deployment::xml_encoding;
use s3lint::input::{Budget, read_bytes};
use s3lint::source::{LoadError, SourceFile, SourceMap};
use serde_json::Value;

const FIXTURES: &str = "fixtures/readers/hadoop";

/// The environment `tests/oracle/hadoop/run.sh` gives the JVM (keep the two in step).
fn oracle_environment() -> Environment {
    let mut env = Environment::with_properties(&[
        ("user.name", "oracle"),
        ("user.home", "/home/oracle"),
        ("java.io.tmpdir", "/tmp"),
        ("s3lint.oracle.dir", "/srv/oracle"),
    ]);
    for (k, v) in [("S3LINT_ORACLE_HOME", "/opt/s3lint"), ("S3LINT_EMPTY", ""), ("S3LINT_BUCKET", "oracle-bucket")] {
        env.vars.insert(k.to_string(), v.to_string());
    }
    env
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every fixture that is an input (relative to the repository root), sorted.
fn inputs() -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root().join(FIXTURES)) {
        let entry = entry.expect("walk fixtures");
        let path = entry.path();
        let rel = path.strip_prefix(root()).expect("under the repository").to_string_lossy().replace('\\', "/");
        if path.extension().is_some_and(|e| e == "xml") && !rel.contains("/include/") {
            out.push(rel);
        }
    }
    out.sort();
    assert!(out.len() >= 40, "expected the Hadoop fixtures under {FIXTURES}, found {}", out.len());
    out
}

fn golden(rel: &str) -> Value {
    let path = root().join(rel.trim_end_matches(".xml").to_string() + ".expected.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (regenerate with tests/oracle/hadoop/run.sh)", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads `rel` as `s3lint check` would: the file as given (relative display name, absolute path).
fn load(rel: &str) -> Result<s3lint::deployment::config::ConfigFile, LoadError> {
    let path = root().join(rel);
    let text = xml_encoding::decode(read_bytes(&path, rel, &Budget::default())?, &path, rel)?;
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new(rel, path, text));
    hadoop_xml::read(&mut sources, id, &oracle_environment())
}

/// The `[row,col` Hadoop's XML parser puts in its messages.
fn hadoop_error_line(message: &str) -> Option<usize> {
    let rest = &message[message.find("[row,col")?..];
    let rest = &rest[rest.find("]: [")? + 4..];
    rest.split(',').next()?.parse().ok()
}

#[test]
fn every_fixture_matches_hadoop() {
    let mut failures = Vec::new();
    for rel in inputs() {
        let expected = golden(&rel);
        let got = load(&rel);
        if let Some(error) = expected.get("error").and_then(Value::as_str) {
            match got {
                Ok(cf) => failures
                    .push(format!("{rel}: Hadoop fails ({error}) but the reader yields {} entries", cf.entries.len())),
                Err(e) => {
                    if let Some(line) = hadoop_error_line(error) {
                        let ours = e.position.map(|p| p.line);
                        if ours != Some(line) {
                            failures.push(format!("{rel}: Hadoop fails on line {line}, the reader on {ours:?}: {e}"));
                        }
                    }
                    if error.contains("Fetch fail on include") {
                        let hadoop_message = error.trim_start_matches("java.io.IOException: ");
                        if !e.message.starts_with(hadoop_message) {
                            failures
                                .push(format!("{rel}: expected a message like Hadoop's `{hadoop_message}`, got `{e}`"));
                        }
                    }
                    if error.starts_with("Variable substitution depth too large")
                        && !e.message.contains(error.split(" $").next().unwrap_or(error))
                    {
                        failures.push(format!("{rel}: expected Hadoop's substitution depth message, got `{e}`"));
                    }
                }
            }
            continue;
        }
        let cf = match got {
            Ok(cf) => cf,
            Err(e) => {
                failures.push(format!("{rel}: Hadoop loads it, the reader fails: {e}"));
                continue;
            }
        };
        // A key `get` cannot return (an untrimmed attribute name) has a null value in the golden and no entry.
        let mut want: Vec<(String, String, bool)> = expected["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .filter(|e| !e["value"].is_null())
            .map(|e| {
                (
                    e["key"].as_str().expect("key").to_string(),
                    e["value"].as_str().expect("value").to_string(),
                    e["final"].as_bool().expect("final"),
                )
            })
            .collect();
        let mut have: Vec<(String, String, bool)> =
            cf.entries.iter().map(|e| (e.key.clone(), e.value.clone(), e.is_final)).collect();
        want.sort();
        have.sort();
        if want != have {
            let missing: Vec<_> = want.iter().filter(|w| !have.contains(w)).collect();
            let extra: Vec<_> = have.iter().filter(|h| !want.contains(h)).collect();
            failures.push(format!("{rel}: entries differ from Hadoop's\n  missing: {missing:?}\n  extra:   {extra:?}"));
        }
    }
    assert!(failures.is_empty(), "{} fixture(s) disagree with Hadoop:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_golden_has_its_fixture() {
    let inputs = inputs();
    for entry in walkdir::WalkDir::new(root().join(FIXTURES)) {
        let entry = entry.expect("walk fixtures");
        let name = entry.file_name().to_string_lossy();
        if let Some(stem) = name.strip_suffix(".expected.json") {
            let xml = entry.path().with_file_name(format!("{stem}.xml"));
            let rel = xml.strip_prefix(root()).expect("under the repository").to_string_lossy().replace('\\', "/");
            assert!(inputs.contains(&rel), "stale golden {} (no {rel})", entry.path().display());
        }
    }
}

#[test]
fn goldens_come_from_the_expected_hadoop() {
    for rel in inputs() {
        assert_eq!(golden(&rel)["hadoop_version"], "3.5.0", "{rel}");
    }
}

#[test]
fn definitions_keep_every_property_in_document_order() {
    let cf = load("fixtures/readers/hadoop/duplicates.xml").expect("loads");
    let keys: Vec<&str> = cf.definitions.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "fs.s3a.connection.maximum",
            "fs.s3a.endpoint",
            "fs.s3a.connection.maximum",
            "fs.s3a.connection.maximum",
            "fs.s3a.endpoint",
            "fs.s3a.secret.key",
            "fs.s3a.secret.key",
            "fs.defaultFS",
            "fs.default.name",
        ]
    );
    // Entries follow the first definition of each key.
    let entry_keys: Vec<&str> = cf.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(entry_keys, ["fs.s3a.connection.maximum", "fs.s3a.endpoint", "fs.s3a.secret.key", "fs.defaultFS"]);
}

#[test]
fn included_entries_point_into_the_included_file() {
    let rel = "fixtures/readers/hadoop/xinclude.xml";
    let path = root().join(rel);
    let mut sources = SourceMap::new();
    let id = sources.add(SourceFile::new(
        rel,
        &path,
        xml_encoding::decode(read_bytes(&path, rel, &Budget::default()).expect("read"), &path, rel).expect("decode"),
    ));
    let cf = hadoop_xml::read(&mut sources, id, &oracle_environment()).expect("loads");
    let key = cf.get("fs.s3a.access.key").expect("included key");
    let file = sources.get(key.key_at.file);
    assert_eq!(file.display, "fixtures/readers/hadoop/include/s3a-credentials.xml");
    assert_eq!(&file.text[key.key_at.span.start..key.key_at.span.end], "fs.s3a.access.key");
    assert_eq!(&file.text[key.value_at.span.start..key.value_at.span.end], "AKIAIOSFODNN7EXAMPLE");
    let nested = cf.get("s3lint.nested.inner").expect("nested include");
    assert_eq!(sources.get(nested.key_at.file).display, "fixtures/readers/hadoop/include/nested-inner.xml");
    assert!(Path::new(&sources.get(nested.key_at.file).path).is_absolute());
}
