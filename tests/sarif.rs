//! `--format sarif` against the SARIF 2.1.0 schema (OASIS errata01, vendored in tests/data/), with formats
//! checked: every fixture, paths with spaces, `%`, `:`, `#` and non-ASCII characters under the working
//! directory and outside it, jar findings, and a check that cannot run. `tests/sarif/validate.sh` runs
//! Microsoft's SARIF validator over the same outputs.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;
use serde_json::Value;

/// The vendored schema, as declared (draft 4), and again under draft 7 rules so that its `uri-reference`
/// format (unknown to draft 4) is checked too.
fn validators() -> Vec<jsonschema::Validator> {
    let text = std::fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).expect("schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    let declared = jsonschema::options().should_validate_formats(true).build(&schema).expect("draft 4 schema");
    let draft7 = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema under draft 7");
    vec![declared, draft7]
}

/// Schema violations of `doc`, one line each.
fn violations(validators: &[jsonschema::Validator], doc: &Value) -> Vec<String> {
    validators
        .iter()
        .flat_map(|v| v.iter_errors(doc).map(|e| format!("{}: {e}", e.instance_path())).collect::<Vec<_>>())
        .collect()
}

fn sarif_of(out: &Output) -> Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("not JSON: {e}\n{}\n{}", stdout(out), stderr(out)))
}

/// Runs `s3lint check --format sarif PATH` from `cwd`.
fn check_from(cwd: &Path, path: &Path) -> Output {
    let mut args: Vec<&OsStr> = ["check", "--format", "sarif", "--fail-on", "never"].map(OsStr::new).to_vec();
    args.push(path.as_os_str());
    s3lint_from(cwd, &args)
}

/// `%XX` sequences decoded (the inverse of the URI encoding under test).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3).expect("two hex digits")).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

/// `path` with its symlinks resolved (the working directory a SARIF base is made of is a resolved path); a
/// dangling symlink is resolved up to its folder.
fn real(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| match (path.parent(), path.file_name()) {
        (Some(dir), Some(name)) => real(dir).join(name),
        _ => panic!("{} cannot be resolved", path.display()),
    })
}

/// The file an artifact location names, resolved against `originalUriBaseIds` the way a SARIF consumer does.
fn resolve(run: &Value, location: &Value) -> PathBuf {
    let uri = location["uri"].as_str().expect("uri");
    assert!(uri.bytes().all(|c| c.is_ascii_alphanumeric() || b"-._~/%:".contains(&c)), "not percent-encoded: {uri}");
    let absolute = match location["uriBaseId"].as_str() {
        Some(base) => {
            let base = run["originalUriBaseIds"][base]["uri"].as_str().expect("base id is defined");
            assert!(base.starts_with("file:///") && base.ends_with('/'), "{base}");
            assert!(!uri.starts_with('/') && !uri.contains(':'), "a reference to a base is relative: {uri}");
            format!("{base}{uri}")
        }
        None => uri.to_string(),
    };
    let path = absolute.strip_prefix("file://").unwrap_or_else(|| panic!("not a file URI: {absolute}"));
    PathBuf::from(percent_decode(path))
}

#[test]
fn every_fixture_validates_against_the_sarif_schema() {
    let validators = validators();
    let mut failures = Vec::new();
    for case in check_cases() {
        let arg = rel(&case);
        let out = s3lint(&["check", "--format", "sarif", &arg]);
        let doc = sarif_of(&out);
        for v in violations(&validators, &doc) {
            failures.push(format!("{arg}: {v}"));
        }
        let run = &doc["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints", "{arg}");
        let ok = out.status.code() != Some(2);
        assert_eq!(run["invocations"][0]["executionSuccessful"], ok, "{arg}");
        for r in run["results"].as_array().expect("results") {
            let file = resolve(run, &r["locations"][0]["physicalLocation"]["artifactLocation"]);
            assert!(file.symlink_metadata().is_ok(), "{arg}: {} does not exist", file.display());
            assert!(real(&file).starts_with(real(&root())), "{arg}: {}", file.display());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rules_carry_a_name_links_and_plain_text_beside_markdown() {
    let doc = sarif_of(&s3lint(&["check", "--format", "sarif", "fixtures/check/hadoop-s3a-key-typos"]));
    let driver = &doc["runs"][0]["tool"]["driver"];
    assert!(driver["informationUri"].as_str().is_some_and(|u| u.starts_with("https://")), "{driver}");
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), s3lint::lint::rules::all().len());
    for rule in rules {
        let id = rule["id"].as_str().expect("id");
        let name = rule["name"].as_str().expect("name");
        assert_ne!(name, id);
        assert_eq!(name.to_ascii_lowercase(), id.replace('-', ""), "{name} is {id} in PascalCase");
        assert!(name.starts_with(|c: char| c.is_ascii_uppercase()), "{name}");
        assert_eq!(rule["helpUri"], s3lint::report::sarif::help_uri(id));
        for field in ["fullDescription", "help"] {
            let text = rule[field]["text"].as_str().expect("text");
            let markdown = rule[field]["markdown"].as_str().expect("markdown");
            assert!(!text.contains('`') && !text.contains("## "), "{id} {field}.text has Markdown:\n{text}");
            assert!(markdown.contains('`'), "{id} {field}.markdown:\n{markdown}");
        }
        assert!(rule["help"]["markdown"].as_str().is_some_and(|m| m.contains("## How to fix")), "{id}");
    }
    for r in doc["runs"][0]["results"].as_array().expect("results") {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert!(!r["message"]["text"].as_str().expect("text").contains('`'), "{r}");
        assert!(r["message"]["markdown"].as_str().expect("markdown").contains('`'), "{r}");
    }
}

/// A Hadoop configuration directory with a finding in `core-site.xml` and a jar finding, under `dir`.
fn awkward_deployment(dir: &Path) -> PathBuf {
    let home = dir.join("my conf 50% a:b #1 réseau");
    std::fs::create_dir_all(&home).unwrap();
    // The bad value comes after a 🚀 on its line: 1 code point, 2 UTF-16 units, 4 bytes.
    std::fs::write(
        home.join("core-site.xml"),
        "<?xml version=\"1.0\"?>\n<configuration>\n<property><description>🚀 é</description>\
         <name>fs.s3a.connection.maximum</name><value>many</value></property>\n</configuration>\n",
    )
    .unwrap();
    std::fs::write(home.join("hadoop-aws-3.3.4.jar"), b"<html>not a zip</html>").unwrap();
    home
}

/// Checks `arg` from `cwd`: the output validates, every location resolves to the file under `home`, the jar
/// finding has only a byte region of the whole jar, and the value's column counts code points.
fn check_awkward(cwd: &Path, arg: &Path, home: &Path) {
    let validators = validators();
    let doc = sarif_of(&check_from(cwd, arg));
    let errors = violations(&validators, &doc);
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let run = &doc["runs"][0];
    let (mut saw_jar, mut saw_value) = (false, false);
    for r in run["results"].as_array().expect("results") {
        let physical = &r["locations"][0]["physicalLocation"];
        let file = resolve(run, &physical["artifactLocation"]);
        assert!(file.is_file() && real(&file).starts_with(real(home)), "{} from {physical}", file.display());
        let region = &physical["region"];
        if file.extension().is_some_and(|e| e == "jar") {
            saw_jar = true;
            assert!(region.get("startLine").is_none() && region.get("startColumn").is_none(), "{region}");
            assert_eq!(region["byteOffset"], 0);
            assert_eq!(region["byteLength"], std::fs::metadata(&file).unwrap().len());
        } else if r["ruleId"] == "invalid-value" {
            saw_value = true;
            let text = std::fs::read_to_string(&file).unwrap();
            let line = text.lines().nth(region["startLine"].as_u64().unwrap() as usize - 1).unwrap();
            let column = region["startColumn"].as_u64().unwrap() as usize;
            let at: String = line.chars().skip(column - 1).collect();
            assert!(at.starts_with("many"), "column {column} of {line:?} is not `many` in code points: {at}");
        }
    }
    assert!(saw_jar && saw_value, "a jar finding and an invalid-value finding expected: {doc}");
}

#[test]
fn awkward_paths_under_the_working_directory_are_references_to_the_root() {
    let dir = root().join("target").join(format!("sarif-paths-{}", std::process::id()));
    let home = awkward_deployment(&dir);
    let relative = home.strip_prefix(root()).unwrap().to_path_buf();
    check_awkward(&root(), &relative, &home);
    check_awkward(&root(), &home, &home);
    let doc = sarif_of(&check_from(&root(), &relative));
    let uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"].clone();
    assert_eq!(uri["uriBaseId"], "%SRCROOT%", "{uri}");
    assert!(uri["uri"].as_str().unwrap().contains("my%20conf%2050%25%20a%3Ab%20%231%20r%C3%A9seau"), "{uri}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn paths_outside_the_working_directory_are_file_uris() {
    let dir = std::env::temp_dir().join(format!("s3lint-sarif-paths-{}", std::process::id()));
    let home = awkward_deployment(&dir);
    check_awkward(&root(), &home, &home);
    let doc = sarif_of(&check_from(&root(), &home));
    let location = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert!(location.get("uriBaseId").is_none() && location["uri"].as_str().unwrap().starts_with("file:///"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_check_that_cannot_run_is_an_unsuccessful_invocation_with_its_place() {
    let validators = validators();
    for (case, line, column) in [
        ("fixtures/check/malformed-core-site/etc/hadoop/core-site.xml", Some(9), Some(25)),
        ("fixtures/check/malformed-flink-config-yaml/flink-1.19.1/conf/config.yaml", Some(11), Some(14)),
        ("fixtures/check/no-such-deployment", None, None),
    ] {
        let out = s3lint(&["check", "--format", "sarif", case]);
        assert_eq!(out.status.code(), Some(2), "{case}");
        assert!(stderr(&out).contains("could not check"), "{case}: {}", stderr(&out));
        let doc = sarif_of(&out);
        let errors = violations(&validators, &doc);
        assert!(errors.is_empty(), "{case}: {}", errors.join("\n"));
        let run = &doc["runs"][0];
        let invocation = &run["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        assert_eq!(invocation["exitCode"], 2);
        assert_eq!(run["results"].as_array().map(Vec::len), Some(0));
        let note = &invocation["toolExecutionNotifications"][0];
        assert_eq!(note["level"], "error");
        assert!(note["message"]["text"].as_str().unwrap().contains(case), "{note}");
        let physical = &note["locations"][0]["physicalLocation"];
        let file = resolve(run, &physical["artifactLocation"]);
        assert_eq!(real(&file), real(&root()).join(case));
        assert_eq!(physical["region"]["startLine"].as_u64(), line, "{case}");
        assert_eq!(physical["region"]["startColumn"].as_u64(), column, "{case}");
    }
}
